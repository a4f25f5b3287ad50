//! The YAML fast path against the general parser on any input: wherever the fast path reads a
//! document, its tree (spans included) must be the general parser's, and where the general parser
//! reports an error the fast path must have declined (tests/yaml_fast.rs does this on fixtures).
#![no_main]
use libfuzzer_sys::fuzz_target;
use svcflow_core::yaml::{parse_document_both_ways, split_documents, Budget};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let budget = Budget::default();
    for (start, end) in split_documents(&text, 0) {
        let segment = &text[start..end];
        if let (Some(fast), general) = parse_document_both_ways(0, segment, start as u32, &budget) {
            assert_eq!(Ok(fast), general, "the paths differ on:\n{segment:?}");
        }
    }
});
