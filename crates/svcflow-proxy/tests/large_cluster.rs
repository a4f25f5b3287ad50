//! Spec §11 large-cluster mode, reproducing upstream
//! `TestSyncProxyRulesLargeClusterMode` (full syncs only): more than 1000 endpoints
//! (strictly) drops the comments of SVC→SEP and SEP rules, nothing else.

mod common;
use common::*;
use svcflow_proxy::*;

fn many(prefix: &str, n: usize) -> Vec<ProxyEndpoint> {
    (0..n).map(|i| ep(&format!("{prefix}.{}.{}", i % 256, i / 256))).collect()
}

fn inputs(with_svc3: bool) -> (Vec<ProxyService>, Vec<ProxyEndpointSlice>) {
    let services = vec![
        svc("ns1", "svc1", ServiceType::ClusterIP, "172.30.0.41", &[("p80", "TCP", 80, 0)]),
        svc("ns2", "svc2", ServiceType::ClusterIP, "172.30.0.42", &[("p8080", "TCP", 8080, 0)]),
        svc("ns3", "svc3", ServiceType::ClusterIP, "172.30.0.43", &[("p8081", "TCP", 8081, 0)]),
    ];
    let half = LARGE_CLUSTER_ENDPOINTS_THRESHOLD / 2 - 1;
    let mut slices = vec![
        slice("ns1", "svc1", "svc1-1", "IPv4", many("10.0", half), &[("p80", 80, "TCP")]),
        slice("ns2", "svc2", "svc2-1", "IPv4", many("10.1", half), &[("p8080", 8080, "TCP")]),
    ];
    if with_svc3 {
        slices.push(slice(
            "ns3",
            "svc3",
            "svc3-1",
            "IPv4",
            vec![ep("203.0.113.4"), ep("203.0.113.8"), ep("203.0.113.12")],
            &[("p8081", 8081, "TCP")],
        ));
    }
    (services, slices)
}

/// (first DNAT line for `ip`, number of DNAT lines, number of DNAT lines with comments)
fn count_endpoints_and_comments(text: &str, ip: &str) -> (String, usize, usize) {
    let needle = format!("--to-destination {ip}:");
    let mut first = String::new();
    let (mut n, mut c) = (0, 0);
    for l in text.lines().filter(|l| l.contains("-j DNAT")) {
        n += 1;
        if l.contains("--comment") {
            c += 1;
        }
        if first.is_empty() && l.contains(&needle) {
            first = l.to_string();
        }
    }
    (first, n, c)
}

#[test]
fn below_threshold_keeps_comments() {
    let (services, slices) = inputs(false);
    let mut config = ProxyConfig::test_harness();
    config.masquerade_all = true;
    let out = generate_iptables(&services, &slices, &config).unwrap();
    assert!(!out.large_cluster_mode);
    assert_eq!(out.total_endpoints, 998);
    let (first, n, c) = count_endpoints_and_comments(out.text(), "10.0.0.0");
    assert_eq!(
        first,
        "-A KUBE-SEP-DKGQUZGBKLTPAR56 -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80"
    );
    assert_eq!((n, c), (998, 998));
}

#[test]
fn above_threshold_drops_comments() {
    let (services, slices) = inputs(true);
    let mut config = ProxyConfig::test_harness();
    config.masquerade_all = true;
    let out = generate_iptables(&services, &slices, &config).unwrap();
    assert!(out.large_cluster_mode);
    assert_eq!(out.total_endpoints, 1001);
    let text = out.text();
    let (first, n, c) = count_endpoints_and_comments(text, "10.0.0.0");
    assert_eq!(first, "-A KUBE-SEP-DKGQUZGBKLTPAR56 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80");
    assert_eq!((n, c), (1001, 0));
    let (first, _, _) = count_endpoints_and_comments(text, "203.0.113.4");
    assert_eq!(first, "-A KUBE-SEP-RUVVH7YV3PHQBDOS -m tcp -p tcp -j DNAT --to-destination 203.0.113.4:8081");
    // Hairpin rules lose the comment too.
    assert!(text.contains("\n-A KUBE-SEP-RUVVH7YV3PHQBDOS -s 203.0.113.4 -j KUBE-MARK-MASQ\n"));
    // SVC→SEP rules lose it; the probability stays (1/3 for the first of three).
    let svc3 = service_chain_name("ns3/svc3:p8081", "tcp");
    let first_lb = text.lines().find(|l| l.starts_with(&format!("-A {svc3} -m statistic"))).unwrap();
    assert!(
        first_lb.starts_with(&format!("-A {svc3} -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-"))
    );
    // Everything else keeps its comments.
    assert!(text.contains("-A KUBE-SERVICES -m comment --comment \"ns3/svc3:p8081 cluster IP\""));
    assert!(text.contains(&format!("-A {svc3} -m comment --comment \"ns3/svc3:p8081 cluster IP\" -m tcp -p tcp -d 172.30.0.43 --dport 8081 -j KUBE-MARK-MASQ")));
    // The normalised form still parses (no comments on SEP rules is fine).
    assert!(try_normalize_iptables(text).is_ok());
}

/// Exactly 1000 endpoints is not large; not-ready endpoints count too.
#[test]
fn threshold_is_strict_and_counts_all_endpoints() {
    let services = vec![svc("ns1", "svc1", ServiceType::ClusterIP, "172.30.0.41", &[("p80", "TCP", 80, 0)])];
    let mut eps = many("10.0", 1000);
    let out = generate_iptables(
        &services,
        &[slice("ns1", "svc1", "s", "IPv4", eps.clone(), &[("p80", 80, "TCP")])],
        &ProxyConfig::test_harness(),
    )
    .unwrap();
    assert!(!out.large_cluster_mode);
    let mut not_ready = ep("10.9.9.9");
    not_ready.ready = Some(false);
    eps.push(not_ready);
    let mut sticky = services[0].clone();
    sticky.session_affinity_client_ip = Some(10800);
    let out = generate_iptables(
        &[sticky],
        &[slice("ns1", "svc1", "s", "IPv4", eps, &[("p80", 80, "TCP")])],
        &ProxyConfig::test_harness(),
    )
    .unwrap();
    assert!(out.large_cluster_mode);
    assert_eq!(out.total_endpoints, 1001);
    // Affinity check rules lose their comments as well.
    let svc1 = service_chain_name("ns1/svc1:p80", "tcp");
    assert!(out.text().lines().any(|l| l.starts_with(&format!("-A {svc1} -m recent --name KUBE-SEP-"))));
    assert!(!out.text().lines().any(|l| l.starts_with(&format!("-A {svc1} -m comment --comment \"ns1/svc1:p80 -> "))));
}
