//! Spec §14: the complete worked example (a subset of upstream
//! `TestOverallIPTablesRules`), compared byte for byte with the spec's two blocks.

mod common;
use common::*;
use svcflow_proxy::*;

fn inputs() -> (Vec<ProxyService>, Vec<ProxyEndpointSlice>) {
    let services = vec![
        // Deliberately out of order: output order must not depend on input order.
        svc("ns3", "svc3", ServiceType::NodePort, "172.30.0.43", &[("p80", "TCP", 80, 3003)]),
        svc("ns1", "svc1", ServiceType::ClusterIP, "172.30.0.41", &[("p80", "TCP", 80, 0)]),
    ];
    let slices = vec![
        slice("ns1", "svc1", "svc1-1", "IPv4", vec![ep("10.180.0.1"), ep("10.180.0.2")], &[("p80", 80, "TCP")]),
        slice("ns3", "svc3", "svc3-1", "IPv4", vec![ep("10.180.0.3")], &[("p80", 80, "TCP")]),
    ];
    (services, slices)
}

#[test]
fn section14_raw_text_matches_spec() {
    let (services, slices) = inputs();
    let out = generate_iptables(&services, &slices, &ProxyConfig::test_harness()).unwrap();
    assert_eq!(out.text(), read_golden("s14_raw.txt"));
}

#[test]
fn section14_normalized_text_matches_spec() {
    let (services, slices) = inputs();
    let out = generate_iptables(&services, &slices, &ProxyConfig::test_harness()).unwrap();
    assert_eq!(out.normalized_text(), read_golden("s14_normalized.txt"));
    // The normalisation of the spec's own raw block gives the spec's normalised block.
    assert_eq!(normalize_iptables(&read_golden("s14_raw.txt")), read_golden("s14_normalized.txt"));
}

#[test]
fn section14_structured_output() {
    let (services, slices) = inputs();
    let out = generate_iptables(&services, &slices, &ProxyConfig::test_harness()).unwrap();
    // Rules concatenated in order are exactly the rule lines of the text.
    let rule_lines: Vec<&str> = out.text().lines().filter(|l| l.starts_with("-A ") || l.starts_with("-X ")).collect();
    let rules: Vec<&str> = out.rules.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(rule_lines, rules);
    let chain_lines: Vec<String> = out.text().lines().filter(|l| l.starts_with(':')).map(|l| l.to_string()).collect();
    let chains: Vec<String> = out.chains.iter().map(|c| format!(":{} - [0:0]", c.name)).collect();
    assert_eq!(chain_lines, chains);

    assert_eq!(out.services.len(), 2);
    let s1 = &out.services[0];
    assert_eq!(s1.svc_port_name, "ns1/svc1:p80");
    assert_eq!(s1.svc_chain.as_deref(), Some("KUBE-SVC-XPGD46QRK7WJZT7O"));
    assert_eq!(s1.ext_chain, None);
    assert_eq!(s1.endpoints.len(), 2);
    assert_eq!(s1.endpoints[0].sep_chain, "KUBE-SEP-SXIVWICOYRO3J4NJ");
    assert_eq!(s1.endpoints[0].cluster_probability.as_deref(), Some("0.5000000000"));
    assert_eq!(s1.endpoints[1].sep_chain, "KUBE-SEP-LXVODXWDISEETFEF");
    assert_eq!(s1.endpoints[1].cluster_probability, None);
    let s3 = &out.services[1];
    assert_eq!(s3.ext_chain.as_deref(), Some("KUBE-EXT-X27LE4BHSL4DOUIK"));
    assert_eq!(s3.endpoints[0].sep_chain, "KUBE-SEP-OYPFS5VJICHGATKP");
    // Kinds and service attribution.
    let sep = out.chains.iter().find(|c| c.name == "KUBE-SEP-OYPFS5VJICHGATKP").unwrap();
    assert_eq!(sep.kind, ChainKind::Sep);
    assert_eq!(sep.service.as_deref(), Some("ns3/svc3:p80"));
    assert!(out.warnings.is_empty());
    assert!(!out.large_cluster_mode);
    assert_eq!(out.total_endpoints, 3);
    // JSON round trip of the serialised form contains the normalised text.
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(json["normalized_text"].as_str().unwrap(), read_golden("s14_normalized.txt"));
    assert_eq!(json["rules"][0]["table"], "filter");
}
