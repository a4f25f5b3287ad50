use super::position;
use crate::rule::Rule;
use serde_json::{json, Value};
use svcflow_core::{Diagnostic, Severity, Sources, Span};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn region(sources: &Sources, span: Span) -> Value {
    let p = position(sources, span);
    json!({ "startLine": p.line, "startColumn": p.column, "endLine": p.end_line, "endColumn": p.end_column })
}

fn location(sources: &Sources, span: Span) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": sources.name(span.source) },
            "region": region(sources, span),
        }
    })
}

/// A SARIF 2.1.0 log with one run: every registered rule in `tool.driver.rules`, every finding
/// (suppressed ones with `suppressions: [{"kind": "inSource"}]`).
pub fn sarif_value(sources: &Sources, diagnostics: &[Diagnostic]) -> Value {
    let rules: &[&Rule] = crate::rules();
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": { "text": r.summary() },
                "fullDescription": { "text": r.section("What it does").unwrap_or("") },
                "help": { "text": r.section("Why is this bad?").unwrap_or(""), "markdown": r.docs() },
                "helpUri": r.help_uri(),
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "verdict": r.verdict.as_str() },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push('\n');
                text.push_str(h);
            }
            let mut r = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [location(sources, d.primary.span)],
            });
            if let Some(i) = rules.iter().position(|x| x.id == d.rule) {
                r["ruleIndex"] = json!(i);
            }
            if !d.labels.is_empty() {
                let related: Vec<Value> = d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let mut loc = location(sources, l.span);
                        loc["id"] = json!(i);
                        loc["message"] = json!({ "text": l.message });
                        loc
                    })
                    .collect();
                r["relatedLocations"] = json!(related);
            }
            if let Some(o) = &d.object {
                r["properties"] = json!({ "object": o });
            }
            if d.suppressed {
                r["suppressions"] = json!([{ "kind": "inSource" }]);
            }
            r
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "svcflow",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://svcflow.dev",
                    "rules": descriptors,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// The SARIF log, pretty-printed, with a final newline.
pub fn sarif(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut s = serde_json::to_string_pretty(&sarif_value(sources, diagnostics)).unwrap_or_default();
    s.push('\n');
    s
}
