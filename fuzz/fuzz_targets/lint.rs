//! Any bytes through the linter, and through every renderer on a share of the inputs.
#![no_main]
use libfuzzer_sys::fuzz_target;
use svcflow_core::{Options, Sources};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let sources = Sources::single("fuzz.yaml", text.as_ref());
    let result = svcflow_lint::lint(&sources, &Options::default());
    let d = &result.diagnostics;
    // The renderers only format the findings; rendering all five every time was half of an
    // execution's time (SARIF alone, which carries every rule's documentation whatever the
    // input, 85% before it was thinned out). They run on one input in four (SARIF in sixteen),
    // chosen by length so that the same input always takes the same path.
    if data.len() % 4 == 0 {
        let _ = svcflow_lint::render::text(&sources, d, false);
        let _ = svcflow_lint::render::json(&sources, d);
        let _ = svcflow_lint::render::github(&sources, d);
        let _ = svcflow_lint::render::narrate(&sources, d);
    }
    if data.len() % 16 == 0 {
        let _ = svcflow_lint::render::sarif(&sources, d);
    }
});
