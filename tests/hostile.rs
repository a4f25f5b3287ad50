//! Hostile input through the engine: no panic, an answer within seconds, syntax errors as
//! `invalid-yaml` with a position, shapes as `invalid-object` at the field.

use std::time::{Duration, Instant};
use svcflow_core::{analyze, kube_proxy::ProxyFlags, Options, Sources};
use svcflow_tests::hostile_inputs;

fn text_of(bytes: &[u8]) -> String {
    // What the CLI does: UTF-16 with a BOM is decoded; anything else is read as UTF-8 (lossily
    // here, so that random bytes still reach the parser).
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let units: Vec<u16> = bytes[2..].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_hostile_input_is_answered() {
    for (name, bytes) in hostile_inputs() {
        let start = Instant::now();
        let sources = Sources::single(name, text_of(&bytes));
        let a = analyze(&sources, &Options::default());
        let view = a.flow_view(&ProxyFlags::default());
        let _ = svcflow_core::flow::to_mermaid(&view.graph);
        for d in &a.diagnostics {
            let lc = sources.line_col(d.primary.span);
            assert!(lc.line >= 1 && lc.column >= 1, "{name}: bad position");
        }
        let took = start.elapsed();
        eprintln!("{name}: {took:?}");
        // Generous: debug builds on a loaded 2-core CI machine. The release numbers are in BENCHMARKS.md.
        assert!(took < Duration::from_secs(30), "{name} took {took:?}");
    }
}

fn findings(name: &str) -> Vec<(String, u32, u32)> {
    let (_, bytes) = hostile_inputs().into_iter().find(|(n, _)| *n == name).unwrap();
    let sources = Sources::single(name, text_of(&bytes));
    let a = analyze(&sources, &Options::default());
    a.diagnostics
        .iter()
        .map(|d| {
            let lc = sources.line_col(d.primary.span);
            (d.rule.clone(), lc.line, lc.column)
        })
        .collect()
}

#[test]
fn syntax_errors_are_invalid_yaml_with_a_position() {
    assert_eq!(findings("tab-indentation")[0].0, "invalid-yaml");
    assert_eq!(findings("tab-indentation")[0].1, 3);
    assert_eq!(findings("unclosed-quote")[0].0, "invalid-yaml");
    assert_eq!(findings("unclosed-flow")[0].0, "invalid-yaml");
    assert_eq!(findings("alias-bomb")[0].0, "invalid-yaml");
    assert_eq!(findings("deep-nesting-flow")[0].0, "invalid-yaml");
    assert_eq!(findings("deep-nesting-block")[0].0, "invalid-yaml");
}

#[test]
fn unrendered_helm_templates_are_explained() {
    let (_, bytes) = hostile_inputs().into_iter().find(|(n, _)| *n == "helm-unrendered").unwrap();
    let a = analyze(&Sources::single("h", text_of(&bytes)), &Options::default());
    assert_eq!(a.diagnostics.len(), 2, "{:?}", a.diagnostics);
    assert!(a
        .diagnostics
        .iter()
        .all(|d| d.rule == "invalid-object" && d.help.as_deref().unwrap_or("").contains("helm template")));
}

#[test]
fn huge_scalar_is_refused_with_a_clear_error() {
    let f = findings("huge-scalar");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].0, "invalid-yaml");
}

#[test]
fn shape_errors_are_invalid_object_at_the_field() {
    let f = findings("wrong-shapes");
    assert!(f.iter().all(|x| x.0 == "invalid-object"), "{f:?}");
    let lines: Vec<u32> = f.iter().map(|x| x.1).collect();
    assert_eq!(lines, vec![2, 4, 5, 10, 11], "{f:?}");
    let f = findings("numbers");
    assert_eq!(f.iter().map(|x| x.1).collect::<Vec<_>>(), vec![5, 7, 8], "{f:?}");
}

#[test]
fn encodings_and_json_work() {
    for name in ["utf16-le-bom", "bom-crlf", "json", "merge-keys", "complex-keys"] {
        let (_, bytes) = hostile_inputs().into_iter().find(|(n, _)| *n == name).unwrap();
        let a = analyze(&Sources::single(name, text_of(&bytes)), &Options::default());
        assert!(a.diagnostics.is_empty(), "{name}: {:?}", a.diagnostics);
        assert!(a.objects.iter().any(|o| o.kind == "Service"), "{name}");
    }
}

#[test]
fn big_but_valid_inputs_are_fully_read() {
    let (_, bytes) = hostile_inputs().into_iter().find(|(n, _)| *n == "many-documents").unwrap();
    let a = analyze(&Sources::single("m", text_of(&bytes)), &Options::default());
    assert_eq!(a.objects.len(), 30_000);
    let (_, bytes) = hostile_inputs().into_iter().find(|(n, _)| *n == "service-10000-ports").unwrap();
    let a = analyze(&Sources::single("m", text_of(&bytes)), &Options::default());
    assert_eq!(a.services[0].ports.len(), 10_000);
    let (_, bytes) = hostile_inputs().into_iter().find(|(n, _)| *n == "huge-replicas").unwrap();
    let a = analyze(&Sources::single("m", text_of(&bytes)), &Options::default());
    assert_eq!(a.pods.len(), Options::default().cluster.max_replicas as usize);
}
