//! Full-table expectations of upstream `TestOverallIPTablesRules`
//! (`pkg/proxy/iptables/proxier_test.go`) and `TestOverallNFTablesRules`
//! (`pkg/proxy/nftables/proxier_test.go`), reproduced with the same inputs and the
//! test-harness configuration. Exercises §2, §3, §4, §6, §7 (every step), §8, §9.1–§9.6,
//! §13 and §16.

mod common;
use common::*;
use svcflow_proxy::*;

fn overall_inputs() -> (Vec<ProxyService>, Vec<ProxyEndpointSlice>) {
    let mut svc2 = svc("ns2", "svc2", ServiceType::LoadBalancer, "172.30.0.42", &[("p80", "TCP", 80, 3001)]);
    svc2.external_traffic_policy_local = true;
    svc2.lb_ingress = vec![ProxyLbIngress { ip: "1.2.3.4".into(), ..Default::default() }];
    svc2.external_ips = vec!["192.168.99.22".into()];
    svc2.health_check_node_port = 30000;
    let mut svc4 = svc("ns4", "svc4", ServiceType::NodePort, "172.30.0.44", &[("p80", "TCP", 80, 0)]);
    svc4.external_ips = vec!["192.168.99.33".into()];
    let mut svc5 = svc("ns5", "svc5", ServiceType::LoadBalancer, "172.30.0.45", &[("p80", "TCP", 80, 3002)]);
    svc5.lb_ingress = vec![ProxyLbIngress { ip: "5.6.7.8".into(), ..Default::default() }];
    svc5.health_check_node_port = 30000;
    svc5.lb_source_ranges = vec![" 203.0.113.0/25".into()];
    svc5.session_affinity_client_ip = Some(10800);
    let services = vec![
        svc("ns1", "svc1", ServiceType::ClusterIP, "172.30.0.41", &[("p80", "TCP", 80, 0)]),
        svc2,
        svc("ns3", "svc3", ServiceType::NodePort, "172.30.0.43", &[("p80", "TCP", 80, 3003)]),
        svc4,
        svc5,
        svc("ns6", "svc6", ServiceType::ClusterIP, "172.30.0.46", &[("p80", "TCP", 80, 0)]),
    ];
    let p80 = &[("p80", 80, "TCP")];
    let slices = vec![
        slice("ns1", "svc1", "svc1-1", "IPv4", vec![ep("10.180.0.1")], p80),
        slice("ns2", "svc2", "svc2-1", "IPv4", vec![ep("10.180.0.2")], p80),
        slice("ns3", "svc3", "svc3-1", "IPv4", vec![ep("10.180.0.3")], p80),
        slice("ns4", "svc4", "svc4-1", "IPv4", vec![ep("10.180.0.4"), ep_on("10.180.0.5", "test-node")], p80),
        slice("ns5", "svc5", "svc5-1", "IPv4", vec![ep("10.180.0.3")], p80),
    ];
    (services, slices)
}

#[test]
fn test_overall_iptables_rules() {
    let (services, slices) = overall_inputs();
    let out = generate_iptables(&services, &slices, &ProxyConfig::test_harness()).unwrap();
    assert_eq!(out.normalized_text(), read_golden("upstream_overall_normalized.txt"));
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

/// `sortNFTablesTransaction` of `pkg/proxy/nftables/helpers_test.go`: drop blank and
/// `#` lines, order by object type (table, chain, rule, set, map, element), then object
/// name, keeping rules in their original order and sorting other lines.
fn sort_nft(tx: &str) -> String {
    let order = |t: &str| match t {
        "table" => 10,
        "chain" => 9,
        "rule" => 8,
        "set" => 7,
        "map" => 6,
        "element" => 5,
        _ => 0,
    };
    let mut lines: Vec<&str> = tx.split('\n').filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    lines.sort_by(|a, b| {
        let wa: Vec<&str> = a.split(' ').collect();
        let wb: Vec<&str> = b.split(' ').collect();
        if wa.len() < 5 || wb.len() < 5 {
            return std::cmp::Ordering::Equal;
        }
        order(wb[1]).cmp(&order(wa[1])).then_with(|| wa[4].cmp(wb[4])).then_with(|| {
            if wa[1] == "rule" {
                std::cmp::Ordering::Equal
            } else {
                a.cmp(b)
            }
        })
    });
    lines.join("\n")
}

#[test]
fn test_overall_nftables_rules() {
    let (services, slices) = overall_inputs();
    let out = generate_nftables(&services, &slices, &ProxyConfig::test_harness()).unwrap();
    assert_eq!(sort_nft(&out), sort_nft(&read_golden("upstream_overall_nftables.txt")));
}
