//! The linter never panics: every fixture cut at many points, and with lines shuffled, still
//! lints (into whatever findings it gives).

use std::fs;
use std::path::Path;
use svcflow_core::{Options, Sources};

fn all_fixtures() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in fs::read_dir(root).unwrap().filter_map(Result::ok) {
        for f in fs::read_dir(dir.path()).unwrap().filter_map(Result::ok) {
            out.push(fs::read_to_string(f.path()).unwrap());
        }
    }
    out
}

#[test]
fn truncated_inputs_do_not_panic() {
    for text in all_fixtures() {
        let step = (text.len() / 8).max(1);
        let mut cut = 0;
        while cut < text.len() {
            while !text.is_char_boundary(cut) {
                cut += 1;
            }
            let sources = Sources::single("cut.yaml", &text[..cut]);
            let result = svcflow_lint::lint(&sources, &Options::default());
            let _ = svcflow_lint::render::text(&sources, &result.diagnostics, true);
            cut += step;
        }
    }
}

#[test]
fn reindented_and_reordered_inputs_do_not_panic() {
    for text in all_fixtures() {
        let mut lines: Vec<&str> = text.lines().collect();
        lines.reverse();
        let reversed = lines.join("\n");
        let dedented: String = text.lines().map(|l| l.trim_start()).collect::<Vec<_>>().join("\n");
        for t in [reversed, dedented, text.replace("  ", "\t")] {
            let sources = Sources::single("odd.yaml", t);
            let result = svcflow_lint::lint(&sources, &Options::default());
            let _ = svcflow_lint::render::narrate(&sources, &result.diagnostics);
        }
    }
}
