//! nftables (§16) and IPVS (§17) renderings. Golden files reviewed against the spec and
//! upstream `pkg/proxy/nftables/proxier.go` / `ipvsadm -Ln` layout.

mod common;
use common::*;
use svcflow_proxy::*;

fn inputs() -> (Vec<ProxyService>, Vec<ProxyEndpointSlice>) {
    // LB with source ranges (one containing the node IP) and ClientIP affinity.
    let mut lb = svc("ns1", "lb", ServiceType::LoadBalancer, "172.30.0.30", &[("p80", "TCP", 80, 30001)]);
    lb.lb_ingress = vec![ProxyLbIngress { ip: "1.2.3.4".into(), ..Default::default() }];
    lb.lb_source_ranges = vec!["192.168.0.0/24".into(), "203.0.113.0/25".into()];
    lb.session_affinity_client_ip = Some(300);
    // eTP=Local NodePort with one local and one remote endpoint.
    let mut local = svc("ns2", "local", ServiceType::NodePort, "172.30.0.31", &[("", "UDP", 53, 30053)]);
    local.external_traffic_policy_local = true;
    // iTP=Local without local endpoints → drop; plus an externalIP.
    let mut itp = svc("ns3", "itp", ServiceType::ClusterIP, "172.30.0.32", &[("http", "TCP", 8080, 0)]);
    itp.internal_traffic_policy_local = true;
    itp.external_ips = vec!["192.168.99.5".into()];
    // No endpoints at all, with an LB VIP and source range (nftables still makes the
    // firewall chain).
    let mut empty = svc("ns4", "empty", ServiceType::LoadBalancer, "172.30.0.33", &[("p", "SCTP", 9, 30009)]);
    empty.lb_ingress = vec![ProxyLbIngress { ip: "5.6.7.8".into(), ..Default::default() }];
    empty.lb_source_ranges = vec!["10.0.0.0/8".into()];
    let services = vec![lb, local, itp, empty];
    let slices = vec![
        slice("ns1", "lb", "lb-1", "IPv4", vec![ep("10.0.4.1"), ep("10.0.4.2")], &[("p80", 80, "TCP")]),
        slice(
            "ns2",
            "local",
            "local-1",
            "IPv4",
            vec![ep_on("10.0.5.1", "test-node"), ep_on("10.0.5.2", "other")],
            &[("", 5353, "UDP")],
        ),
        slice("ns3", "itp", "itp-1", "IPv4", vec![ep_on("10.0.6.1", "other")], &[("http", 8080, "TCP")]),
    ];
    (services, slices)
}

#[test]
fn nftables_mixed() {
    let (services, slices) = inputs();
    let out = generate_nftables(&services, &slices, &ProxyConfig::test_harness()).unwrap();
    golden("nftables_mixed.txt", &out);
}

#[test]
fn nftables_ipv6_all_addresses() {
    let mut s = svc("ns1", "v6", ServiceType::NodePort, "fd00:10:96::1", &[("http", "TCP", 80, 30080)]);
    s.session_affinity_client_ip = Some(10800);
    let slices = vec![slice("ns1", "v6", "v6-1", "IPv6", vec![ep("fd00:10:244::7")], &[("http", 8080, "TCP")])];
    let mut config = ProxyConfig::test_harness_v6();
    config.nodeport_addresses = vec!["::/0".into()];
    let out = generate_nftables(&[s], &slices, &config).unwrap();
    golden("nftables_ipv6.txt", &out);
}

#[test]
fn ipvs_mixed() {
    let (services, slices) = inputs();
    let out = generate_ipvs(&services, &slices, &ProxyConfig::test_harness()).unwrap();
    golden("ipvs_mixed.txt", &out);
}

#[test]
fn ipvs_ipv6() {
    let s = svc("ns1", "v6", ServiceType::ClusterIP, "fd00:10:96::1", &[("http", "TCP", 80, 0)]);
    let slices = vec![slice(
        "ns1",
        "v6",
        "v6-1",
        "IPv6",
        vec![ep("fd00:10:244::7"), ep("fd00:10:244::10")],
        &[("http", 8080, "TCP")],
    )];
    let out = generate_ipvs(&[s], &slices, &ProxyConfig::test_harness_v6()).unwrap();
    golden("ipvs_ipv6.txt", &out);
}
