//! The hostile input set (tests/lib.rs in svcflow-tests) through the `svcflow` binary: every file
//! gets an answer (exit 0, 1 or 2), never a panic, and syntax/shape errors come back as
//! `invalid-yaml` / `invalid-object` with a line and column.

use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn every_hostile_input_through_the_cli() {
    let dir = std::env::temp_dir().join(format!("svcflow-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in svcflow_tests::hostile_inputs() {
        let path = dir.join(format!("{name}.yaml"));
        std::fs::write(&path, &bytes).unwrap();
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_svcflow"))
            .args(["lint", "--format", "json", path.to_str().unwrap()])
            .output()
            .unwrap();
        let took = start.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        assert!(matches!(code, Some(0..=2)), "{name}: exit {code:?}\n{stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(took < Duration::from_secs(60), "{name} took {took:?}");
        if code != Some(2) || !stderr.contains("UTF") {
            // Input the CLI could read: JSON out, every finding with a position.
            if let Ok(json) = serde_json::from_slice::<serde_json::Value>(&out.stdout) {
                for d in json["diagnostics"].as_array().into_iter().flatten() {
                    assert!(d["line"].as_u64().unwrap_or(0) >= 1, "{name}: {d}");
                }
            }
        }
        match name {
            "tab-indentation" | "unclosed-quote" | "unclosed-flow" | "alias-bomb" | "deep-nesting-flow"
            | "deep-nesting-block" | "huge-scalar" => {
                let text = String::from_utf8_lossy(&out.stdout);
                assert!(text.contains("\"invalid-yaml\""), "{name}: {text}");
            }
            "wrong-shapes" => assert!(String::from_utf8_lossy(&out.stdout).contains("\"invalid-object\"")),
            "utf16-le-bom" | "bom-crlf" | "json" => assert_ne!(code, Some(2), "{name}: {stderr}"),
            _ => {}
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
