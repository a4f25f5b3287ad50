//! kube-proxy's rules for the iptables tab and the exports, computed when first asked for.
//!
//! The app's own wasm runs the engine up to kube-proxy's chain summary (the diagram's chain
//! names and probabilities, `Analysis::diagram`); the rule generators (iptables, nftables, IPVS
//! text with provenance: about a quarter of the wasm) live in the JS package `<svcflow-view>`
//! uses (crates/svcflow-js, shipped in `embed/pkg/`), which `lazy-engine.js` imports on the
//! first request and which re-reads the same text (the engine is deterministic, so the spans
//! agree). Native builds and the browser tests (feature `inline-rules`: wasm-bindgen-test's page
//! has no `embed/pkg/`) compute the rules in this wasm instead; tests/e2e/dist-check.mjs checks
//! the fetched path on the built site.

use crate::engine::ProxyMode;
pub use svcflow_core::kube_proxy::ProxyRules;

/// Why there are no rules to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RulesError {
    /// kube-proxy refuses the input ("line 12, column 9: …").
    Refused(String),
    /// The rule generator could not be loaded (offline, a broken deploy).
    Unavailable(String),
}

impl std::fmt::Display for RulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RulesError::Refused(m) => write!(f, "kube-proxy would not write rules: {m}"),
            RulesError::Unavailable(m) => write!(f, "kube-proxy's rule generator could not be loaded: {m}"),
        }
    }
}

/// kube-proxy's rules for `text` in `mode`.
pub async fn proxy_rules(text: &str, mode: ProxyMode) -> Result<ProxyRules, RulesError> {
    imp::proxy_rules(text, mode).await
}

#[cfg(any(not(target_arch = "wasm32"), feature = "inline-rules"))]
mod imp {
    use super::*;
    use crate::engine::SOURCE_NAME;
    use svcflow_core::kube_proxy::{self, ProxyFlags};
    use svcflow_core::{analyze, Options, Sources};

    pub async fn proxy_rules(text: &str, mode: ProxyMode) -> Result<ProxyRules, RulesError> {
        let sources = Sources::single(SOURCE_NAME, text);
        let analysis = analyze(&sources, &Options::default());
        kube_proxy::rules(&analysis, &ProxyFlags::default(), mode)
            .map_err(|e| RulesError::Refused(kube_proxy::describe_error(&sources, &e)))
    }
}

#[cfg(all(target_arch = "wasm32", not(feature = "inline-rules")))]
mod imp {
    use super::*;
    use svcflow_core::kube_proxy::{Chain, ChainKind, Rule, Table};
    use svcflow_core::Span;
    use wasm_bindgen::prelude::*;

    // The shape of `SvcflowKubeProxy` (crates/svcflow-js/src/lib.rs).
    #[wasm_bindgen(module = "/src/infra/lazy-engine.js")]
    extern "C" {
        #[wasm_bindgen(catch, js_name = kubeProxy)]
        async fn kube_proxy(yaml: &str, mode: &str) -> Result<JsValue, JsValue>;

        type JsKubeProxy;
        #[wasm_bindgen(method, getter, js_name = text)]
        fn text(this: &JsKubeProxy) -> Option<String>;
        #[wasm_bindgen(method, getter, js_name = error)]
        fn error(this: &JsKubeProxy) -> Option<String>;
        #[wasm_bindgen(method, getter, js_name = rules)]
        fn rules(this: &JsKubeProxy) -> Vec<JsRule>;
        #[wasm_bindgen(method, getter, js_name = chains)]
        fn chains(this: &JsKubeProxy) -> Vec<JsChain>;

        type JsRule;
        #[wasm_bindgen(method, getter, js_name = table)]
        fn rule_table(this: &JsRule) -> String;
        #[wasm_bindgen(method, getter, js_name = chain)]
        fn rule_chain(this: &JsRule) -> String;
        #[wasm_bindgen(method, getter, js_name = text)]
        fn rule_text(this: &JsRule) -> String;
        #[wasm_bindgen(method, getter, js_name = service)]
        fn rule_service(this: &JsRule) -> Option<String>;
        #[wasm_bindgen(method, getter, js_name = origin)]
        fn rule_origin(this: &JsRule) -> Vec<u32>;

        type JsChain;
        #[wasm_bindgen(method, getter, js_name = table)]
        fn chain_table(this: &JsChain) -> String;
        #[wasm_bindgen(method, getter, js_name = name)]
        fn chain_name(this: &JsChain) -> String;
        #[wasm_bindgen(method, getter, js_name = kind)]
        fn chain_kind(this: &JsChain) -> String;
        #[wasm_bindgen(method, getter, js_name = service)]
        fn chain_service(this: &JsChain) -> Option<String>;
    }

    fn table(s: &str) -> Table {
        if s == "filter" {
            Table::Filter
        } else {
            Table::Nat
        }
    }

    fn kind(s: &str) -> ChainKind {
        match s {
            "service" => ChainKind::Service,
            "svl" => ChainKind::Svl,
            "ext" => ChainKind::Ext,
            "fw" => ChainKind::Fw,
            "sep" => ChainKind::Sep,
            "stale" => ChainKind::Stale,
            _ => ChainKind::Fixed,
        }
    }

    pub async fn proxy_rules(text: &str, mode: ProxyMode) -> Result<ProxyRules, RulesError> {
        let value = kube_proxy(text, mode.as_str())
            .await
            .map_err(|e| RulesError::Unavailable(crate::infra::thrown_message(e)))?;
        let out: JsKubeProxy = value.unchecked_into();
        let Some(text) = out.text() else {
            return Err(RulesError::Refused(out.error().unwrap_or_default()));
        };
        let rules = out
            .rules()
            .iter()
            .map(|r| Rule {
                table: table(&r.rule_table()),
                chain: r.rule_chain(),
                text: r.rule_text(),
                origin: r.rule_origin().chunks_exact(2).map(|p| Span::new(0, p[0], p[1])).collect(),
                service: r.rule_service(),
            })
            .collect();
        let chains = out
            .chains()
            .iter()
            .map(|c| Chain {
                table: table(&c.chain_table()),
                name: c.chain_name(),
                kind: kind(&c.chain_kind()),
                service: c.chain_service(),
            })
            .collect();
        Ok(ProxyRules { text, rules, chains })
    }
}
