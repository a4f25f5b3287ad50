//! Fixture tests: `tests/fixtures/<rule-id>/invalid.yaml` marks every expected finding with a
//! comment line under the offending line (`# ^^^ rule-id`, several ids separated by commas or
//! blanks), and must give exactly those (rule, line) pairs; `valid.yaml` must give nothing at
//! all; `tests/fixtures/clean/*.yaml` (a realistic application) must give nothing at all. The
//! rendered text of every invalid fixture is an insta snapshot.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use svcflow_core::{Options, Sources};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn rule_dirs() -> Vec<(String, PathBuf)> {
    let mut dirs: Vec<(String, PathBuf)> = fs::read_dir(fixtures())
        .expect("tests/fixtures")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir() && e.file_name() != "clean")
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    dirs.sort();
    dirs
}

/// The (rule, line) pairs a fixture's `# ^^^ rule-id` markers expect.
fn markers(text: &str) -> BTreeSet<(String, u32)> {
    let mut out = BTreeSet::new();
    let mut target = 0u32;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let marker = t.strip_prefix('#').map(str::trim_start).filter(|r| r.starts_with('^'));
        if let Some(rest) = marker {
            for id in rest.trim_start_matches('^').split([',', ' ']).filter(|s| !s.is_empty()) {
                out.insert((id.to_string(), target));
            }
        } else {
            target = i as u32 + 1;
        }
    }
    out
}

fn found(name: &str, text: &str) -> (BTreeSet<(String, u32)>, Sources, svcflow_lint::LintResult) {
    let sources = Sources::single(name, text);
    let result = svcflow_lint::lint(&sources, &Options::default());
    let set = result
        .diagnostics
        .iter()
        .filter(|d| !d.suppressed)
        .map(|d| (d.rule.clone(), sources.line_col(d.primary.span).line))
        .collect();
    (set, sources, result)
}

#[test]
fn invalid_fixtures_give_exactly_their_markers() {
    let mut failures = Vec::new();
    for (id, dir) in rule_dirs() {
        let text = fs::read_to_string(dir.join("invalid.yaml")).expect("invalid.yaml");
        let expected = markers(&text);
        assert!(expected.iter().any(|(r, _)| *r == id), "{id}/invalid.yaml has no `# ^^^ {id}` marker");
        let (got, _, _) = found(&format!("{id}/invalid.yaml"), &text);
        if got != expected {
            let missing: Vec<_> = expected.difference(&got).collect();
            let extra: Vec<_> = got.difference(&expected).collect();
            failures.push(format!("{id}/invalid.yaml:\n  missing {missing:?}\n  unexpected {extra:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn valid_fixtures_are_clean() {
    let mut failures = Vec::new();
    for (id, dir) in rule_dirs() {
        let text = fs::read_to_string(dir.join("valid.yaml")).expect("valid.yaml");
        let (got, sources, result) = found(&format!("{id}/valid.yaml"), &text);
        if !got.is_empty() {
            failures.push(format!(
                "{id}/valid.yaml: {got:?}\n{}",
                svcflow_lint::render::text(&sources, &result.diagnostics, false)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn clean_application_gives_zero_findings() {
    let dir = fixtures().join("clean");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir).unwrap().filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    assert!(files.len() >= 3, "the clean application has several files");
    let mut sources = Sources::new();
    for f in &files {
        sources.add(format!("clean/{}", f.file_name().unwrap().to_string_lossy()), fs::read_to_string(f).unwrap());
    }
    let result = svcflow_lint::lint(&sources, &Options::default());
    assert!(result.objects >= 20, "only {} objects", result.objects);
    assert!(result.diagnostics.is_empty(), "{}", svcflow_lint::render::text(&sources, &result.diagnostics, false));
    assert_eq!(result.exit_code(), 0);
}

#[test]
fn rendered_text_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots"));
    settings.bind(|| {
        for (id, dir) in rule_dirs() {
            let text = fs::read_to_string(dir.join("invalid.yaml")).unwrap();
            let (_, sources, result) = found(&format!("{id}/invalid.yaml"), &text);
            let rendered = svcflow_lint::render::text(&sources, &result.diagnostics, false);
            insta::assert_snapshot!(id.clone(), rendered);
        }
    });
}

#[test]
fn marker_parsing() {
    let m = markers("a: 1\n# ^^^ x\n#  ^ y, z\nb: 2\n  # ^^ w\n");
    let want: BTreeSet<(String, u32)> =
        [("x", 1), ("y", 1), ("z", 1), ("w", 4)].into_iter().map(|(a, b)| (a.to_string(), b)).collect();
    assert_eq!(m, want);
}

/// The browser app lints the objects its analysis already read (`lint_loaded`); that must give
/// the same findings as linting the text (`lint`) for every fixture.
#[test]
fn linting_an_analysis_equals_linting_the_text() {
    for (id, dir) in rule_dirs() {
        for file in ["invalid.yaml", "valid.yaml"] {
            let Ok(text) = fs::read_to_string(dir.join(file)) else { continue };
            let sources = Sources::single(file, text);
            let options = Options::default();
            let analysis = svcflow_core::analyze(&sources, &options);
            let from_text = svcflow_lint::lint(&sources, &options);
            let from_analysis = svcflow_lint::lint_loaded(&sources, &options, &analysis.objects, &analysis.diagnostics);
            assert_eq!(from_text.diagnostics, from_analysis.diagnostics, "{id}/{file}");
            assert_eq!(from_text.objects, from_analysis.objects, "{id}/{file}");
        }
    }
}
