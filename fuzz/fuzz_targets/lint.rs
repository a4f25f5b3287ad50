//! Any bytes through the linter and every renderer.
#![no_main]
use libfuzzer_sys::fuzz_target;
use svcflow_core::{Options, Sources};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let sources = Sources::single("fuzz.yaml", text.as_ref());
    let result = svcflow_lint::lint(&sources, &Options::default());
    let d = &result.diagnostics;
    let _ = svcflow_lint::render::text(&sources, d, false);
    let _ = svcflow_lint::render::json(&sources, d);
    // SARIF carries every rule's full documentation whatever the input (~85% of an execution's
    // time when rendered every time); its input-dependent part runs on one input in 16.
    if data.len() % 16 == 0 {
        let _ = svcflow_lint::render::sarif(&sources, d);
    }
    let _ = svcflow_lint::render::github(&sources, d);
    let _ = svcflow_lint::render::narrate(&sources, d);
});
