use super::position;
use serde_json::{json, Value};
use svcflow_core::{Diagnostic, Sources};

/// `{"diagnostics":[{rule, severity, message, object, file, line, column, end_line, end_column,
/// labels:[{line, column, message}], help, suppressed}]}`, all findings, 1-based positions.
pub fn json_value(sources: &Sources, diagnostics: &[Diagnostic]) -> Value {
    let items: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let p = position(sources, d.primary.span);
            let labels: Vec<Value> = d
                .labels
                .iter()
                .map(|l| {
                    let lp = position(sources, l.span);
                    json!({ "line": lp.line, "column": lp.column, "message": l.message })
                })
                .collect();
            json!({
                "rule": d.rule,
                "severity": d.severity.as_str(),
                "message": d.message,
                "object": d.object,
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "end_line": p.end_line,
                "end_column": p.end_column,
                "labels": labels,
                "help": d.help,
                "suppressed": d.suppressed,
            })
        })
        .collect();
    json!({ "diagnostics": items })
}

/// The JSON report, pretty-printed, with a final newline.
pub fn json(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut s = serde_json::to_string_pretty(&json_value(sources, diagnostics)).unwrap_or_default();
    s.push('\n');
    s
}
