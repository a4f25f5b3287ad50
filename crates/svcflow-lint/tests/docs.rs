//! `docs/rules/*.md` are generated from the rules' doc comments. This test fails when they are
//! stale; run it with `SVCFLOW_UPDATE_DOCS=1` to rewrite them.

use std::fs;
use std::path::PathBuf;

fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules")
}

#[test]
fn docs_are_fresh() {
    let dir = docs_dir();
    let update = std::env::var_os("SVCFLOW_UPDATE_DOCS").is_some_and(|v| v == "1");
    let mut pages: Vec<(String, String)> =
        svcflow_lint::rules().iter().map(|r| (format!("{}.md", r.id), svcflow_lint::render_rule_markdown(r))).collect();
    pages.push(("README.md".into(), svcflow_lint::render_readme(svcflow_lint::rules())));
    let mut stale = Vec::new();
    if update {
        fs::create_dir_all(&dir).unwrap();
    }
    for (name, want) in &pages {
        let path = dir.join(name);
        let have = fs::read_to_string(&path).unwrap_or_default();
        if have != *want {
            if update {
                fs::write(&path, want).unwrap();
            } else {
                stale.push(name.clone());
            }
        }
    }
    // Pages of rules that no longer exist.
    if let Ok(entries) = fs::read_dir(&dir) {
        for e in entries.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") && !pages.iter().any(|(p, _)| *p == name) {
                if update {
                    fs::remove_file(e.path()).unwrap();
                } else {
                    stale.push(format!("{name} (no such rule)"));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules is stale: {stale:?}; run `SVCFLOW_UPDATE_DOCS=1 cargo test -p svcflow-lint --test docs`"
    );
}
