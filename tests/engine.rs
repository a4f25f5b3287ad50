//! Snapshot tests of the engine's model over `tests/fixtures/engine/*.yaml`: the services with
//! their addresses, the pods, the endpoints (and every excluded pod with its reason), the DNS
//! records, and the findings of reading the input.

use svcflow_core::{analyze, report, Options, Sources};
use svcflow_tests::fixtures;

fn describe(name: &str, text: &str) -> String {
    let sources = Sources::single(name, text);
    let a = analyze(&sources, &Options::default());
    let mut out = String::new();
    out.push_str("# objects\n");
    for o in &a.objects {
        out.push_str(&format!("{}  line {}\n", o.reference(), sources.line_col(o.span).line));
    }
    out.push_str("# findings\n");
    for d in &a.diagnostics {
        let lc = sources.line_col(d.primary.span);
        out.push_str(&format!("{}:{} {} {}\n", lc.line, lc.column, d.rule, d.message));
    }
    out.push_str("# model\n");
    out.push_str(&report::summary(&a));
    out.push_str("# endpoints\n");
    out.push_str(&report::endpoints_table(&a));
    out.push_str("# dns\n");
    out.push_str(&report::dns_records(&a));
    out
}

#[test]
fn engine_fixtures() {
    let files = fixtures("engine");
    assert!(files.len() >= 5, "fixtures missing: {files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        insta::assert_snapshot!(name.clone(), describe(&name, &text));
    }
}

#[test]
fn dns_search_path_from_a_namespace() {
    let text = std::fs::read_to_string(svcflow_tests::fixture("engine/frontend-backend.yaml")).unwrap();
    let a = analyze(&Sources::single("a", text), &Options::default());
    // Short name from the Service's own namespace: the first search domain answers.
    let r = a.resolve_dns("web", "shop");
    assert_eq!(r.attempts.len(), 1);
    assert_eq!(r.answers[0].name, "web.shop.svc.cluster.local");
    // Short name from another namespace: NXDOMAIN through the whole search list.
    let r = a.resolve_dns("web", "default");
    assert!(r.is_nxdomain());
    assert_eq!(
        r.attempts.iter().map(|x| x.query.as_str()).collect::<Vec<_>>(),
        ["web.default.svc.cluster.local", "web.svc.cluster.local", "web.cluster.local", "web"]
    );
    // `name.namespace` works from anywhere (second search domain).
    let r = a.resolve_dns("web.shop", "default");
    assert_eq!(r.answers.len(), 1);
    assert_eq!(r.attempts.len(), 2);
    // SRV for the named port.
    let r = a.resolve_dns("_http._tcp.web.shop.svc.cluster.local.", "default");
    assert_eq!(r.answers[0].rtype, "SRV");
    // Outside the cluster domain: forwarded upstream.
    assert!(a.resolve_dns("example.com", "shop").upstream);
}

#[test]
fn cluster_domain_is_configurable() {
    let text = std::fs::read_to_string(svcflow_tests::fixture("engine/frontend-backend.yaml")).unwrap();
    let options = Options { cluster_domain: "corp.internal".into(), ..Options::default() };
    let a = analyze(&Sources::single("a", text), &options);
    assert!(a.dns.iter().any(|r| r.name == "web.shop.svc.corp.internal"));
    assert!(!a.resolve_dns("web", "shop").is_nxdomain());
}

#[test]
fn default_namespace_is_overridable() {
    let options = Options { default_namespace: "team-a".into(), ..Options::default() };
    let a = analyze(&Sources::single("a", "kind: Service\nmetadata:\n  name: x\n"), &options);
    assert_eq!(a.objects[0].reference(), "Service/team-a/x");
}

/// The browser's diagram (kube-proxy's chain summary only, no rule text) is the same graph, in
/// the same layout, with the same explanation, as the full generator's, for every fixture and
/// for a generated cluster.
#[test]
fn diagram_without_rules_equals_the_full_flow_view() {
    use svcflow_core::flow;
    use svcflow_core::kube_proxy::ProxyFlags;
    let mut inputs: Vec<(String, String)> = fixtures("engine")
        .into_iter()
        .chain(fixtures("kube-proxy"))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    inputs.push(("generated".into(), svcflow_tests::generate_manifests(300)));
    for (name, text) in inputs {
        let a = analyze(&Sources::single(&name, &text), &Options::default());
        let full = a.flow_view(&ProxyFlags::default());
        let diagram = a.diagram(&ProxyFlags::default());
        let full_summaries = full.iptables.as_ref().ok().map(|o| o.services.as_slice());
        let summaries = diagram.proxy.as_ref().ok().map(|o| o.services.as_slice());
        assert_eq!(summaries, full_summaries, "{name}");
        assert_eq!(diagram.proxy.as_ref().err(), full.iptables.as_ref().err(), "{name}");
        assert_eq!(flow::to_mermaid(&diagram.graph), flow::to_mermaid(&full.graph), "{name}");
        assert_eq!(format!("{:?}", diagram.layout), format!("{:?}", full.layout), "{name}");
        assert_eq!(flow::explain(&a, summaries), flow::explain(&a, full_summaries), "{name}");
    }
}

/// The browser re-parses only the documents an edit touched (`analyze_cached`): after any
/// sequence of edits (typing, deleting, pasting a `---` line, duplicating a document, an edit
/// that breaks and then repairs the YAML), what it returns is what a fresh `analyze` of the
/// same text returns, spans included.
#[test]
fn cached_analysis_equals_a_fresh_one_after_any_edits() {
    use svcflow_core::yaml::DocumentCache;
    let mut inputs: Vec<String> = fixtures("engine")
        .into_iter()
        .chain(fixtures("kube-proxy"))
        .map(|p| std::fs::read_to_string(&p).unwrap())
        .collect();
    inputs.push(svcflow_tests::generate_manifests(60));
    let mut next = svcflow_tests::xorshift(0x9e37_79b9_7f4a_7c15);
    let snippets = ["x", "\n---\n", "  ", "\t", "name: y\n", "\"", "{", "- a\n", "port: 80\n", "é", "\r\n", "...\n"];
    let options = Options::default();
    for original in inputs {
        let mut cache = DocumentCache::default();
        let mut text = original.clone();
        for step in 0..40 {
            let at = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).nth(next(text.len() + 1)).unwrap_or(0);
            match step % 5 {
                // undo everything now and then: the cache must serve the old documents at old places
                4 => text = original.clone(),
                3 => {
                    let end = (at..=text.len()).filter(|i| text.is_char_boundary(*i)).nth(next(40)).unwrap_or(at);
                    let cut: String = text[at..end].to_string();
                    text.replace_range(at..end, "");
                    // paste it twice elsewhere: the same document text at two places
                    let to =
                        (0..=text.len()).filter(|i| text.is_char_boundary(*i)).nth(next(text.len() + 1)).unwrap_or(0);
                    text.insert_str(to, &format!("{cut}{cut}"));
                }
                _ => text.insert_str(at, snippets[next(snippets.len())]),
            }
            let sources = Sources::single("input.yaml", &text);
            let cached = svcflow_core::analyze_cached(&sources, &options, &mut cache);
            let fresh = analyze(&sources, &options);
            assert_eq!(format!("{:?}", cached.objects), format!("{:?}", fresh.objects), "step {step} of:\n{text}");
            assert_eq!(
                format!("{:?}", cached.diagnostics),
                format!("{:?}", fresh.diagnostics),
                "step {step} of:\n{text}"
            );
            assert_eq!(svcflow_core::yaml::parse_stream(0, &text, &options.budget), {
                let mut c = DocumentCache::default();
                svcflow_core::yaml::parse_stream_cached(0, &text, &options.budget, &mut c)
            },);
        }
    }
}
