//! Every input a fuzzer once crashed on (fuzz/regressions/<target>/*) runs through the same
//! code as its fuzz target, so a fixed crash stays fixed.

use std::path::PathBuf;
use svcflow_core::{analyze, kube_proxy::ProxyFlags, Options, Sources};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions").join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.file_name() != ".gitkeep")
                .filter_map(|e| Some((e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).ok()?)))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn analyze_regressions() {
    for (name, data) in inputs("analyze") {
        let text = String::from_utf8_lossy(&data);
        let a = analyze(&Sources::single(&name, text.as_ref()), &Options::default());
        let view = a.flow_view(&ProxyFlags::default());
        let _ = svcflow_core::flow::to_mermaid(&view.graph);
        let _ = svcflow_core::flow::explain(&a, view.iptables.as_ref().ok().map(|o| o.services.as_slice()));
    }
}

#[test]
fn lint_regressions() {
    for (name, data) in inputs("lint") {
        let text = String::from_utf8_lossy(&data);
        let sources = Sources::single(&name, text.as_ref());
        let r = svcflow_lint::lint(&sources, &Options::default());
        let _ = svcflow_lint::render::text(&sources, &r.diagnostics, false);
        let _ = svcflow_lint::render::sarif(&sources, &r.diagnostics);
    }
}

#[test]
fn yaml_fast_regressions() {
    use svcflow_core::yaml::{compare_paths, Budget};
    for (name, data) in inputs("yaml_fast") {
        let text = String::from_utf8_lossy(&data);
        if let Err(e) = compare_paths(&text, &Budget::default()) {
            panic!("{name}: {e}");
        }
    }
}
