//! Any bytes through the whole engine: parse, resolve, DNS, kube-proxy rules, the flow graph.
#![no_main]
use libfuzzer_sys::fuzz_target;
use svcflow_core::{analyze, kube_proxy::ProxyFlags, Options, Sources};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let sources = Sources::single("fuzz.yaml", text.as_ref());
    let a = analyze(&sources, &Options::default());
    let view = a.flow_view(&ProxyFlags::default());
    let _ = svcflow_core::flow::to_mermaid(&view.graph);
    let _ = svcflow_core::flow::explain(&a, view.iptables.as_ref().ok().map(|o| o.services.as_slice()));
    for s in a.services.iter().take(3) {
        let _ = a.resolve_dns(&s.name, "default");
    }
    for d in &a.diagnostics {
        let _ = sources.line_col(d.primary.span);
    }
});
