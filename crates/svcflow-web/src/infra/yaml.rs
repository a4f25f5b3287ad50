//! The general YAML parser, loaded when a document first needs it.
//!
//! The engine reads the YAML that tools write (block mappings and sequences of one-line scalars:
//! `kubectl get -o yaml`, `helm template`, hand-written manifests) with its fast path, which is
//! in the app's wasm. The general parser (serde-saphyr's: anchors, tags, block scalars, flow
//! mappings, multi-line strings, and the exact syntax errors) is more than a third of the wasm,
//! so the app does not carry it: a document the fast path declines is sent to the JS package in
//! `embed/pkg/` (the same one the iptables tab loads, `lazy-engine.js`), whose wasm carries the
//! general parser, and its tree comes back as bytes (`svcflow_core::yaml::encode_parse`).
//! Until the package is loaded such a document waits (`svcflow_core::yaml::PENDING`, not listed
//! as a problem; the Problems tab says it is reading it, the status bar says "Analysing"), and the analysis runs again once it is
//! ([`View::needs_general_parser`](crate::engine::View::needs_general_parser), `App`). If it
//! cannot be loaded (offline, a broken deploy), those documents are errors that say so.
//!
//! Native builds and the browser tests (feature `inline-yaml`: wasm-bindgen-test's page has no
//! `embed/pkg/`) compile the general parser in; tests/e2e/dist-check.mjs checks the loaded path on
//! the built site.

pub use imp::{install, load};

#[cfg(all(target_arch = "wasm32", not(feature = "inline-yaml")))]
mod imp {
    use std::cell::RefCell;
    use svcflow_core::yaml::{self, Budget, Document, YamlError};
    use svcflow_core::Span;
    use wasm_bindgen::prelude::*;

    thread_local! {
        /// Why the package could not be loaded: the documents that need it become errors saying
        /// so (a reload tries again).
        static FAILED: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    #[wasm_bindgen(module = "/src/infra/lazy-engine.js")]
    extern "C" {
        #[wasm_bindgen(js_name = parseYamlDocument)]
        fn parse_yaml_document(segment: &str) -> Option<Vec<u8>>;
        #[wasm_bindgen(catch, js_name = loadEngine)]
        async fn load_engine() -> Result<JsValue, JsValue>;
    }

    /// Make the engine send the documents its fast path declines to the JS package.
    pub fn install() {
        yaml::set_general_parser(general);
    }

    fn general(segment: &str, _budget: &Budget) -> Option<Result<Option<Document>, YamlError>> {
        if let Some(why) = FAILED.with_borrow(Clone::clone) {
            return Some(Err(YamlError {
                message: format!(
                    "the full YAML parser could not be loaded ({why}), so this document is not read; reload the page to try again"
                ),
                span: Span::point(0, 0),
            }));
        }
        // the package parses with the default budget, the only one the app uses
        let bytes = parse_yaml_document(segment)?;
        Some(yaml::decode_parse(&bytes).unwrap_or_else(|| {
            Err(YamlError {
                message: "the YAML parser's answer could not be read (embed/pkg/ from another version?)".into(),
                span: Span::point(0, 0),
            })
        }))
    }

    /// Load the package; the error says why it could not be (and the documents that need it
    /// say so from now on).
    pub async fn load() -> Result<(), String> {
        let loaded = load_engine().await.map(|_| ()).map_err(crate::infra::thrown_message);
        if let Err(why) = &loaded {
            FAILED.with_borrow_mut(|f| *f = Some(why.clone()));
        }
        loaded
    }
}

#[cfg(not(all(target_arch = "wasm32", not(feature = "inline-yaml"))))]
mod imp {
    /// Nothing to install: this build reads every document itself.
    pub fn install() {}

    pub async fn load() -> Result<(), String> {
        Ok(())
    }
}
