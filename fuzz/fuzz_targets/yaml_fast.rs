//! The YAML fast path against the general parser on any input: wherever the fast path reads a
//! document, its tree (spans included) must be the general parser's, and where the general parser
//! reports an error the fast path must have declined (tests/yaml_fast.rs does this on fixtures).
#![no_main]
use libfuzzer_sys::fuzz_target;
use svcflow_core::yaml::{compare_paths, Budget};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = compare_paths(&text, &Budget::default()) {
        panic!("{e}");
    }
});
