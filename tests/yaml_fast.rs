//! The YAML fast path (`svcflow_core::yaml::fast`) against the general parser: wherever the fast
//! path reads a document, its tree (every node, scalar style and span) must be the general
//! parser's; where the general parser reports an error, the fast path must decline. And it must
//! actually read the YAML that machines write, or it is no fast path.

use std::path::{Path, PathBuf};
use svcflow_core::yaml::{compare_paths, Budget};

/// Compare both paths on every document of `text`; returns (documents, read by the fast path).
fn compare(text: &str, what: &str) -> (usize, usize) {
    compare_paths(text, &Budget::default()).unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json") {
            out.push(path);
        }
    }
}

/// Every YAML file of the repository's fixtures and examples.
fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for dir in ["tests/fixtures", "crates/svcflow-lint/tests/fixtures", "crates/svcflow-cli/tests", "www/examples"] {
        if root.join(dir).is_dir() {
            yaml_files(&root.join(dir), &mut files);
        }
    }
    files.sort();
    assert!(files.len() > 30, "fixtures not found: {files:?}");
    files.into_iter().map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap())).collect()
}

/// Small cases at the fast path's edges: each either read like the general parser reads it, or
/// declined.
const EDGES: &[&str] = &[
    "a:\n",
    "a: # c\nb: 1\n",
    "a:   \n  b: 1\n",
    "a: #c\n  b: 1\n",
    "- a\n- b\n",
    "a:\n- x\n- y\nb: 2\n",
    "a:\n  - x\n  -  y # c\n",
    "- - a\n  - b\n- c\n",
    "-   - z\n-  - y\n",
    "- a: 1\n  b:\n  - x\n  c: 2\n",
    "- a: 1\n  b:\n    c: 3\n- d\n",
    "a:\n- b: 1\n  c: 2\n- - x\ne: 1\n",
    "'a''b': 'c''d'\n",
    "\"k\": \"v\"\n",
    "\"k\" : \"v\"\n",
    "a: \"x\"#c\n",
    "a: 'x' # c\n",
    "a: b: c\n",
    "a: b\n  c\n",
    "a: b\n\n  c\n",
    "a: b\n  # c\nd: e\n",
    "a:\n  # c\n  b: 1\n",
    "a:\n# c\n  b: 1\n",
    "#c\n  #c\na: 1\n",
    "a: {}\nb: []  # c\n",
    "a: {} x\n",
    "a: []#\n",
    "a: [ ]\n",
    "a: [x]\n",
    "a: [ x , y ]\n",
    "a: [x,y]\n",
    "a: [\"x\", 'y', z]\n",
    "a: [x,]\n",
    "a: [,x]\n",
    "a: [x y]\n",
    "a: [x:y]\n",
    "a: [x: y]\n",
    "a: [-x, -]\n",
    "a: [-x, - ]\n",
    "a: [-x, -y, .5, a=b, +1, a/b, _x]\n",
    "a: [x] # c\n",
    "a: [x]y\n",
    "a: [x]#c\n",
    "a: [x\n",
    "a: [x,\n  y]\n",
    "a: [[x]]\n",
    "a: [{}]\n",
    "a: [x, {}]\n",
    "a: [x, 'y''z', \"\"]\n",
    "a: [x, \"y\\\"\"]\n",
    "- [a, b]\n- [c]\n",
    "- - [a]\n",
    "[a, b]\n",
    "a: [é]\n",
    "a: [#x]\n",
    // texts that end without a newline, in the middle of things
    "a: [",
    "a: [x",
    "a: [x,",
    "a: [x, ",
    "a: [\"x\"",
    "a: ['x",
    "a: ['x'",
    "- [",
    "- [x",
    "a: {",
    "a: {}",
    "a: []",
    "a: x",
    "a:",
    "a: ",
    "- ",
    "-",
    "a: '",
    "a: \"",
    "a: 'x''",
    "'a",
    "\"a\":",
    "- - ",
    "a:\n  - [x]",
    "a: [x #y]\n",
    "---\na: 1\n",
    "--- # c\na: 1\n",
    "--- a\n",
    "---\n",
    "# only\n",
    "\n\n",
    "  a: 1\nb: 2\n",
    "  a: 1\n  b: 2\n",
    "a: 1\n b: 2\n",
    "a:\n  b: 1\n c: 2\n",
    "a: -1\nb: -\n",
    "a: - x\n",
    "a: ?x\nb: :x\nc: x:y\nd: -x\n",
    "a: x #y\n",
    "a: x# y\n",
    "a: x  \nb: y   # z  \n",
    "<<: {}\n",
    "'<<': 1\n",
    "? a\n: b\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: |\n  x\n",
    "a: >-\n  x\n",
    "a: 1\n...\n",
    "a : 1\n",
    "a   :   1\n",
    "a:1\n",
    "- \n",
    "-\n  a: 1\n",
    "a:\n-\n",
    "[a, b]\n",
    "{a: b}\n",
    "key with spaces: value with spaces  \n",
    "a: 'unterminated\n",
    "a: \"x\\\"y\"\n",
    "a: \"x\ny\"\n",
    "a: 'x\n  y'\n",
    "a:\n    - x\n    - y\n  b: 1\n",
    "a:\n  b: 1\n  - x\n",
    "- a\nb: 1\n",
    "a: 1\na: 2\n",
    "a: x\n- b\n",
    "- a\n - b\n",
    "a: \"\"\nb: ''\nc: ''''\n",
    "a: '#'\nb: \"#\"\n",
    "a: b ,c\nd: [x\n",
    "a: \"x\" y\n",
    "a: 'x' 'y'\n",
    "a: %x\nb: @x\nc: `x\n",
    "a: *\n",
    "plain scalar at the root\n",
    "a\n",
    "\"a\"\n",
    "a: 1\n  \n   \nb: 2\n",
    "a:\n\n  b: 1\n\n\nc: 2\n\n",
    "a: b\t\n",
    "a:\r\n  b: 1\r\n",
    "a: é\n",
    "# – é …\na: é – x\n",
    "a: x\u{a0}\nb: \u{a0}y\n",
    "a: x\u{85}y\n",
    "a: x\u{2028}y\n",
    "a: \u{feff}x\n",
    "a: x\u{fffe}\n",
    "a: x\u{7f}\n",
    "a: 'é''x'\n",
    "é: 1\n- é: 2\n",
    "- é: 1\n  b: 2\n",
    "-a: 1\n?b: 2\n:c: 3\n",
    "a:b: 1\n",
    "a: {}}\n",
    "a: ]\n",
    "- a:\n  - b\n  - c\n  d: 1\n- e\n",
    "a:\n  - b:\n    - c\n",
    "0: 1\n1.5: x\ntrue: y\nnull: ~\n",
    "a: 'it''s'\n",
    "a: ''''''\n",
    "a: '''\n",
    "a: \"\\\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {}\nspec:\n  ports:\n  - port: 80\n    targetPort: 8080\n",
];

#[test]
fn the_fast_path_reads_edge_cases_as_the_general_parser_does() {
    let mut read = 0;
    for (i, text) in EDGES.iter().enumerate() {
        read += compare(text, &format!("edge case {i}")).1;
    }
    // the plain cases are read, not all declined
    assert!(read >= 40, "the fast path read only {read} of the edge cases");
    // a long key: YAML's implicit keys have at most 1,024 characters
    for n in [1023, 1024, 1025, 2000] {
        compare(&format!("{}: 1\n", "k".repeat(n)), "long key");
    }
}

#[test]
fn the_fast_path_reads_every_fixture_as_the_general_parser_does() {
    for (name, text) in corpus() {
        compare(&text, &name);
    }
    for (name, bytes) in svcflow_tests::hostile_inputs() {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            if text.len() <= 2_000_000 {
                compare(text, name);
            }
        }
    }
}

/// The fast path is worth having only if it reads what tools write.
#[test]
fn the_fast_path_reads_generated_and_example_manifests() {
    let generated = svcflow_tests::generate_manifests(300);
    let (documents, read) = compare(&generated, "generated manifests");
    assert_eq!(read, documents, "generated manifests: only {read} of {documents} documents read fast");
    let (mut documents, mut read) = (0, 0);
    for (name, text) in corpus().into_iter().filter(|(n, _)| n.contains("www/examples")) {
        let (d, r) = compare(&text, &name);
        documents += d;
        read += r;
    }
    assert!(documents >= 20 && read * 10 >= documents * 9, "examples: {read} of {documents} documents read fast");
}

/// Random edits of every fixture (inserting YAML's significant characters, deleting, indenting,
/// duplicating lines, cutting the text short): after each one, both paths agree.
#[test]
fn the_fast_path_agrees_after_random_edits() {
    let mut next = svcflow_tests::xorshift(0x2545_f491_4f6c_dd1d);
    let snippets = [
        " ", "  ", "\n", "-", "- ", ":", ": ", "#", " #", "'", "\"", "''", "{}", "[]", "{", "]", "a", "1", "&a ", "*a",
        "!", "|", ">", "?", "? ", ",", "---\n", "...\n", "\t", "\\", "<<: ", "\n  ", "\n- ", "%", "é", "\u{a0}",
        "\u{85}", "\u{2028}", "\u{feff}", "\u{fffe}", "–", "\u{1}", "\u{7f}",
    ];
    let mut texts: Vec<(String, String)> = corpus().into_iter().filter(|(_, t)| t.len() < 20_000).collect();
    texts.push(("generated".into(), svcflow_tests::generate_manifests(12)));
    let (mut edits, mut documents, mut read) = (0, 0, 0);
    for (name, original) in texts {
        let mut text = original.clone();
        for step in 0..150 {
            if step % 25 == 0 {
                text = original.clone();
            }
            let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
            let at = boundaries[next(boundaries.len())];
            match next(8) {
                // cut the text short: it ends inside a line, a quote, a flow sequence
                7 => text.truncate(at),
                0 | 4 => {
                    let end = boundaries.iter().copied().filter(|&b| b >= at).nth(next(6)).unwrap_or(at);
                    text.replace_range(at..end, "");
                }
                1 | 5 => {
                    // duplicate or re-indent the line holding `at`
                    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                    if next(2) == 0 {
                        let line = text[line_start..line_end].to_string();
                        text.insert_str(line_end, &format!("\n{line}"));
                    } else {
                        text.insert_str(line_start, ["  ", " ", "- "][next(3)]);
                    }
                }
                _ => text.insert_str(at, snippets[next(snippets.len())]),
            }
            let (d, r) = compare(&text, &format!("{name}, edit {step}"));
            documents += d;
            read += r;
            edits += 1;
        }
    }
    assert!(edits > 5_000, "{edits} edits");
    // both outcomes are exercised: many edited documents are still read fast, many declined
    assert!(read * 5 > documents && read * 10 < documents * 9, "{read} of {documents} edited documents read fast");
}
