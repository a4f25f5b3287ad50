//! The registry is complete and every rule is documented, has fixtures, and its doc examples
//! do what they say (biome checks its doc examples the same way).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use svcflow_core::{Options, Sources};

const SECTIONS: [&str; 5] = ["What it does", "Why is this bad?", "Example", "Use instead", "References"];

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn ids_are_unique_and_kebab_case() {
    let mut seen = BTreeSet::new();
    for r in svcflow_lint::rules() {
        assert!(seen.insert(r.id), "{} registered twice", r.id);
        assert!(r.id.bytes().all(|c| c.is_ascii_lowercase() || c == b'-'), "{} is not kebab-case", r.id);
    }
}

#[test]
fn every_rule_file_is_registered_and_named_after_its_id() {
    let ids: BTreeSet<String> = svcflow_lint::rules().iter().map(|r| r.id.replace('-', "_")).collect();
    let mut files = BTreeSet::new();
    for e in fs::read_dir(manifest_dir().join("src/rules")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".rs").filter(|s| *s != "mod") {
            files.insert(stem.to_string());
        }
    }
    assert_eq!(files, ids, "src/rules/*.rs and the registry differ");
    for r in svcflow_lint::rules() {
        let src = fs::read_to_string(manifest_dir().join(format!("src/rules/{}.rs", r.id.replace('-', "_")))).unwrap();
        assert!(src.contains(&format!("id: \"{}\"", r.id)), "src/rules/{}.rs declares another id", r.id);
    }
}

#[test]
fn every_rule_has_all_doc_sections_in_order() {
    for r in svcflow_lint::rules() {
        let docs = r.docs();
        let mut last = 0;
        for s in SECTIONS {
            let heading = format!("## {s}\n");
            let at = docs.find(&heading).unwrap_or_else(|| panic!("{}: no `## {s}` section", r.id));
            assert!(at >= last, "{}: section `{s}` out of order", r.id);
            last = at;
            let body = r.section(s).unwrap_or("");
            assert!(!body.is_empty(), "{}: section `{s}` is empty", r.id);
        }
        assert!(r.section("Example").unwrap().contains("```yaml"), "{}: Example has no yaml block", r.id);
        assert!(r.section("Use instead").unwrap().contains("```yaml"), "{}: Use instead has no yaml block", r.id);
        assert!(r.section("References").unwrap().contains("](https://"), "{}: References has no link", r.id);
        assert!(!r.summary().is_empty());
        assert_eq!(svcflow_lint::rule_docs(r.id), Some(docs));
    }
}

#[test]
fn every_rule_has_fixtures() {
    let fixtures = manifest_dir().join("tests/fixtures");
    let ids: BTreeSet<&str> = svcflow_lint::rules().iter().map(|r| r.id).collect();
    for id in &ids {
        for f in ["invalid.yaml", "valid.yaml"] {
            assert!(fixtures.join(id).join(f).is_file(), "tests/fixtures/{id}/{f} is missing");
        }
    }
    for e in fs::read_dir(&fixtures).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(name == "clean" || ids.contains(name.as_str()), "tests/fixtures/{name} is not a registered rule");
    }
}

fn yaml_blocks(section: &str) -> String {
    let mut out = Vec::new();
    let mut rest = section;
    while let Some(start) = rest.find("```yaml\n") {
        let body = &rest[start + 8..];
        let end = body.find("```").expect("unclosed code block");
        out.push(&body[..end]);
        rest = &body[end + 3..];
    }
    out.join("---\n")
}

#[test]
fn doc_examples_trigger_their_rule_and_fixes_do_not() {
    for r in svcflow_lint::rules() {
        for (section, expect) in [("Example", true), ("Use instead", false)] {
            let yaml = yaml_blocks(r.section(section).unwrap());
            let sources = Sources::single("example.yaml", yaml);
            let result = svcflow_lint::lint(&sources, &Options::default());
            let fired = result.diagnostics.iter().any(|d| d.rule == r.id);
            assert_eq!(
                fired,
                expect,
                "{}: the `{section}` example {} the rule\n{}",
                r.id,
                if expect { "does not trigger" } else { "triggers" },
                svcflow_lint::render::text(&sources, &result.diagnostics, false)
            );
        }
    }
}
