//! Any bytes through the linter and every renderer.
#![no_main]
use libfuzzer_sys::fuzz_target;
use svcflow_core::{Options, Sources};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let sources = Sources::single("fuzz.yaml", text.as_ref());
    let result = svcflow_lint::lint(&sources, &Options::default());
    for format in svcflow_lint::render::Format::ALL {
        let _ = svcflow_lint::render::render(*format, &sources, &result.diagnostics);
    }
});
