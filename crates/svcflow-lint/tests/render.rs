//! The machine-readable renderers have the documented shape; suppression and exit codes.

use serde_json::Value;
use svcflow_core::{Options, Sources};
use svcflow_lint::render;

const BAD: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: Web_1
spec:
  type: ExternalName
  externalName: 10.0.0.1
";

fn lint(text: &str) -> (Sources, svcflow_lint::LintResult) {
    let sources = Sources::single("dir/app 100%.yaml", text);
    let result = svcflow_lint::lint(&sources, &Options::default());
    (sources, result)
}

#[test]
fn json_shape() {
    let (sources, result) = lint(BAD);
    let v: Value = serde_json::from_str(&render::json(&sources, &result.diagnostics)).unwrap();
    let items = v["diagnostics"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let d = &items[0];
    let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "column",
            "end_column",
            "end_line",
            "file",
            "help",
            "labels",
            "line",
            "message",
            "object",
            "rule",
            "severity",
            "suppressed"
        ]
    );
    assert_eq!(d["rule"], "service-name-invalid");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["object"], "Service/default/Web_1");
    assert_eq!(d["file"], "dir/app 100%.yaml");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(4), Some(3)));
    assert_eq!((d["end_line"].as_u64(), d["end_column"].as_u64()), (Some(4), Some(14)));
    assert_eq!(d["suppressed"], false);
    assert!(d["help"].is_string());
    assert_eq!(items[1]["rule"], "externalname-ip-address");
}

#[test]
fn json_labels_are_one_based() {
    let text = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - name: a
    port: 80
  - name: a
    port: 81
";
    let (sources, result) = lint(text);
    let v = render::json_value(&sources, &result.diagnostics);
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "duplicate-port-name").unwrap();
    assert_eq!(d["line"], 11);
    assert_eq!(d["labels"][0]["line"], 9);
    assert_eq!(d["labels"][0]["column"], 5);
    assert_eq!(d["labels"][0]["message"], "first used here");
}

#[test]
fn sarif_shape() {
    let (sources, mut result) = lint(BAD);
    result.diagnostics[1].suppressed = true;
    let v: Value = serde_json::from_str(&render::sarif(&sources, &result.diagnostics)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "svcflow");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), svcflow_lint::rules().len());
    let rule = rules.iter().find(|r| r["id"] == "service-name-invalid").unwrap();
    assert!(rule["shortDescription"]["text"].as_str().unwrap().starts_with("Reports a Service"));
    assert!(rule["fullDescription"]["text"].is_string());
    assert_eq!(rule["helpUri"], "https://svcflow.dev/rules/service-name-invalid");
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let r = &results[0];
    assert_eq!(r["ruleId"], "service-name-invalid");
    assert_eq!(r["level"], "error");
    assert!(r["message"]["text"].as_str().unwrap().contains("Web_1"));
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "dir/app 100%.yaml");
    assert_eq!(loc["region"]["startLine"], 4);
    assert_eq!(loc["region"]["startColumn"], 3);
    assert_eq!(loc["region"]["endLine"], 4);
    assert_eq!(loc["region"]["endColumn"], 14);
    assert!(r.get("suppressions").is_none());
    assert_eq!(results[1]["suppressions"][0]["kind"], "inSource");
    let idx = r["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[idx]["id"], "service-name-invalid");
}

#[test]
fn sarif_related_locations() {
    let text = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  clusterIP: None
  ports:
  - port: 80
";
    let (sources, result) = lint(text);
    let v = render::sarif_value(&sources, &result.diagnostics);
    let r = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "headless-with-nodeport-or-lb")
        .unwrap();
    let rel = &r["relatedLocations"][0];
    assert_eq!(rel["physicalLocation"]["region"]["startLine"], 6);
    assert!(rel["message"]["text"].as_str().unwrap().contains("NodePort"));
}

#[test]
fn github_commands_escape_and_skip_suppressed() {
    let (sources, mut result) = lint(BAD);
    let out = render::github(&sources, &result.diagnostics);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with(
            "::error file=dir/app 100%25.yaml,line=4,col=3,endLine=4,endColumn=14,title=service-name-invalid::"
        ),
        "{}",
        lines[0]
    );
    // The help follows the message on an escaped new line; no raw newline or `%` survives.
    assert!(lines[0].contains("%0A"));
    assert!(lines[1].starts_with("::error file="));
    result.diagnostics[0].suppressed = true;
    assert_eq!(render::github(&sources, &result.diagnostics).lines().count(), 1);
    assert_eq!(render::escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
    assert_eq!(render::escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
}

#[test]
fn github_warning_command() {
    let text = "\
apiVersion: v1
kind: Service
metadata:
  name: search
spec:
  type: ExternalName
  externalName: search.example.com
  selector:
    app: search
";
    let (sources, result) = lint(text);
    let out = render::github(&sources, &result.diagnostics);
    assert!(out.starts_with("::warning file="), "{out}");
    assert!(out.contains("title=externalname-with-selector::"));
}

#[test]
fn narrate_is_plain_text() {
    let (sources, result) = lint(BAD);
    let out = render::narrate(&sources, &result.diagnostics);
    assert!(out.contains("Diagnostic severity: error"));
    assert!(out.contains("Begin snippet for dir/app 100%.yaml starting at line 4, column 3"));
    assert!(out.contains("snippet line 4:   name: Web_1"));
    assert!(out.contains("label at line 4, columns 3 to 13: not a DNS-1035 label"));
    assert!(out.contains("diagnostic code: service-name-invalid"));
    assert!(!out.contains('^') && !out.contains('\x1b'));
}

#[test]
fn text_colors_only_on_request() {
    let (sources, result) = lint(BAD);
    assert!(!render::text(&sources, &result.diagnostics, false).contains('\x1b'));
    assert!(render::text(&sources, &result.diagnostics, true).contains("\x1b[1;31m"));
    assert_eq!(render::summary(&result), "2 errors, 0 warnings in 1 object");
}

#[test]
fn suppression_by_comment_and_annotation() {
    let text = "\
apiVersion: v1
kind: Service
metadata:
  # svcflow-ignore: service-name-invalid
  name: Web_1
spec:
  type: ExternalName
  externalName: 10.0.0.1 # svcflow-ignore: externalname-ip-address
---
apiVersion: v1
kind: Service
metadata:
  name: Web_2
  annotations:
    svcflow.io/ignore: service-name-invalid, externalname-ip-address
spec:
  type: ExternalName
  externalName: 10.0.0.2
---
apiVersion: v1
kind: Service
metadata:
  name: Web_3 # svcflow-ignore: some-other-rule
spec:
  type: ExternalName
  externalName: db.example.com
";
    let (sources, result) = lint(text);
    let states: Vec<(&str, u32, bool)> = result
        .diagnostics
        .iter()
        .map(|d| (d.rule.as_str(), sources.line_col(d.primary.span).line, d.suppressed))
        .collect();
    assert_eq!(
        states,
        [
            ("service-name-invalid", 5, true),
            ("externalname-ip-address", 8, true),
            ("service-name-invalid", 13, true),
            ("externalname-ip-address", 18, true),
            ("service-name-invalid", 23, false),
        ]
    );
    assert_eq!(result.exit_code(), 1);
    assert_eq!(result.counts(), (1, 0, 4));
    // Suppressed findings stay in JSON, not in text.
    assert_eq!(render::json_value(&sources, &result.diagnostics)["diagnostics"].as_array().unwrap().len(), 5);
    assert_eq!(render::text(&sources, &result.diagnostics, false).matches("error[").count(), 1);
}

#[test]
fn exit_codes() {
    let (_, ok) = lint("apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  type: ExternalName\n  externalName: a.example.com\n");
    assert_eq!(ok.exit_code(), 0);
    let (_, warn) = lint("apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  type: ExternalName\n  externalName: a.example.com\n  selector: {app: a}\n");
    assert_eq!(warn.exit_code(), 0, "warnings alone do not fail");
    let (_, err) = lint(BAD);
    assert_eq!(err.exit_code(), 1);
    let (_, broken) = lint("a: [\n");
    assert!(broken.unusable());
    assert_eq!(broken.exit_code(), 2);
    let (_, empty) = lint("");
    assert_eq!(empty.exit_code(), 0);
}

#[test]
fn multiple_sources_and_crlf() {
    let mut sources = Sources::new();
    sources.add("a.yaml", "apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web\r\nspec:\r\n  selector:\r\n    app: web\r\n  ports:\r\n  - port: 80\r\n");
    sources.add("b.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: other\n  labels:\n    app: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n");
    let result = svcflow_lint::lint(&sources, &Options::default());
    assert_eq!(result.objects, 2);
    let d = &result.diagnostics[0];
    assert_eq!(d.rule, "cross-namespace-selector");
    assert_eq!(sources.line_col(d.primary.span).line, 6);
    let text = render::text(&sources, &result.diagnostics, false);
    assert!(text.contains("::: b.yaml:6:3"), "{text}");
    assert!(!text.contains('\r'));
}
