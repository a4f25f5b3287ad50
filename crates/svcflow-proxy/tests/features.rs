//! Golden tests, one per feature. Each golden file (`tests/golden/<name>.txt`) holds the
//! raw restore input; every file was checked line by line against the spec sections
//! named in the test's comment. `UPDATE_GOLDEN=1` rewrites them (then re-review!).

mod common;
use common::*;
use svcflow_proxy::*;

/// Every golden also checks that the rule-less summary (what the browser computes on each
/// keystroke) equals the full generator's.
fn gen(services: &[ProxyService], slices: &[ProxyEndpointSlice], config: &ProxyConfig) -> IptablesOutput {
    let out = generate_iptables(services, slices, config).unwrap();
    assert_eq!(summarize_iptables(services, slices, config).unwrap(), out.summary());
    out
}

fn lb(ip: &str) -> ProxyLbIngress {
    ProxyLbIngress { ip: ip.into(), ..Default::default() }
}

/// §2 (service ports, svcPortName with/without port name), §3 (name + protocol
/// matching, byte-wise endpoint sort), §4, §6 (probabilities for 3 endpoints), §7.2
/// steps 1, 7, 10, 12; UDP and SCTP protocol words.
#[test]
fn cluster_ip_multi_port() {
    let services = vec![
        svc("default", "web", ServiceType::ClusterIP, "172.30.0.10", &[("", "TCP", 80, 0)]),
        svc(
            "ns1",
            "dns",
            ServiceType::ClusterIP,
            "172.30.0.53",
            &[("dns", "UDP", 53, 0), ("dns-tcp", "TCP", 53, 0), ("dns-sctp", "SCTP", 53, 0)],
        ),
    ];
    let slices = vec![
        // Unnamed service port ↔ slice port named "".
        slice(
            "default",
            "web",
            "web-abc",
            "IPv4",
            vec![ep("10.0.1.2"), ep("10.0.1.10"), ep("10.0.1.3")],
            &[("", 8080, "TCP")],
        ),
        slice(
            "ns1",
            "dns",
            "dns-1",
            "IPv4",
            vec![ep("10.0.2.1"), ep("10.0.2.2")],
            &[("dns", 5353, "UDP"), ("dns-tcp", 5353, "TCP"), ("dns-sctp", 53, "SCTP"), ("dns", 9999, "TCP")],
        ),
    ];
    let out = gen(&services, &slices, &ProxyConfig::test_harness());
    golden("cluster_ip.txt", out.text());
}

/// §7.2 steps 1, 5 (localhost nfacct rule then the plain NodePort rule), 7, 8
/// (eTP=Cluster EXT chain), 10, 12; §9.4 tail rule with localhost NodePorts on.
#[test]
fn node_port() {
    let services = vec![svc("ns1", "np", ServiceType::NodePort, "172.30.0.20", &[("http", "TCP", 80, 30080)])];
    let slices = vec![slice("ns1", "np", "np-1", "IPv4", vec![ep("10.0.3.1")], &[("http", 8080, "TCP")])];
    let out = gen(&services, &slices, &ProxyConfig::test_harness());
    golden("node_port.txt", out.text());
}

/// §7.2 step 3 (LB VIP → FW), step 9 (FW chain: one rule per source range, trimmed and
/// masked, then the catch-all without -j), filter KUBE-PROXY-FIREWALL DROP; §9.5 with the
/// node IP (192.168.0.2) inside a range → extra `-s <VIP>` rules for every VIP.
#[test]
fn load_balancer_source_ranges_node_inside() {
    let mut s = svc("ns1", "lb", ServiceType::LoadBalancer, "172.30.0.30", &[("p80", "TCP", 80, 30001)]);
    s.lb_ingress = vec![lb("1.2.3.4"), lb("5.6.7.8")];
    s.lb_source_ranges = vec!["192.168.0.0/24".into(), " 203.0.113.000/025".into(), "10.1.2.3/16".into()];
    let slices = vec![slice("ns1", "lb", "lb-1", "IPv4", vec![ep("10.0.4.1")], &[("p80", 80, "TCP")])];
    let out = gen(&[s], &slices, &ProxyConfig::test_harness());
    golden("lb_source_ranges_node_inside.txt", out.text());
}

/// As above but no range contains the node IP: no `-s <VIP>` rules (§9.5). Also a bad
/// source range is dropped with a warning (§2 "unparsable dropped").
#[test]
fn load_balancer_source_ranges_node_outside() {
    let mut s = svc("ns1", "lb", ServiceType::LoadBalancer, "172.30.0.30", &[("p80", "TCP", 80, 30001)]);
    s.lb_ingress = vec![lb("1.2.3.4")];
    s.lb_source_ranges = vec!["203.0.113.0/25".into(), "not-a-cidr".into(), "2001:db8::/32".into()];
    let slices = vec![slice("ns1", "lb", "lb-1", "IPv4", vec![ep("10.0.4.1")], &[("p80", 80, "TCP")])];
    let out = gen(&[s], &slices, &ProxyConfig::test_harness());
    golden("lb_source_ranges_node_outside.txt", out.text());
    assert_eq!(out.warnings.len(), 1);
    assert!(out.warnings[0].message.contains("not-a-cidr"), "{:?}", out.warnings);
}

/// LB without source ranges: VIP → EXT directly (§7.2 step 3, lbTarget = EXT).
#[test]
fn load_balancer_plain() {
    let mut s = svc("ns1", "lb", ServiceType::LoadBalancer, "172.30.0.31", &[("p443", "TCP", 443, 30443)]);
    s.lb_ingress = vec![lb("9.10.11.12")];
    let slices = vec![slice("ns1", "lb", "lb-1", "IPv4", vec![ep("10.0.4.2")], &[("p443", 8443, "TCP")])];
    let out = gen(&[s], &slices, &ProxyConfig::test_harness());
    golden("lb_plain.txt", out.text());
}

/// §7.2 step 2 / §9.6: externalIPs jump to EXT (never SVC), input order, sloppy parsing
/// (`192.168.99.011` → `192.168.99.11`), unparsable dropped with a warning, other family
/// dropped silently; eTP applies to ClusterIP + externalIPs (§2 type-based rule) but here
/// it is Cluster.
#[test]
fn external_ips() {
    let mut s = svc("ns1", "ext", ServiceType::ClusterIP, "172.30.0.40", &[("p80", "TCP", 80, 0)]);
    s.external_ips = vec!["192.168.99.011".into(), "garbage".into(), "2001:db8::5".into(), "192.168.99.12".into()];
    let slices = vec![slice("ns1", "ext", "ext-1", "IPv4", vec![ep("10.0.5.1")], &[("p80", 80, "TCP")])];
    let out = gen(&[s], &slices, &ProxyConfig::test_harness());
    golden("external_ips.txt", out.text());
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
}

/// §6 step 1 / §9.2: ClientIP affinity — `recent --rcheck` rules for every endpoint first
/// (list order), then the probability rules; `--set` on the SEP DNAT rule; a custom
/// timeout.
#[test]
fn session_affinity() {
    let mut s = svc("ns1", "sticky", ServiceType::ClusterIP, "172.30.0.50", &[("p80", "TCP", 80, 0)]);
    s.session_affinity_client_ip = Some(600);
    let slices = vec![slice(
        "ns1",
        "sticky",
        "sticky-1",
        "IPv4",
        vec![ep("10.0.6.1"), ep("10.0.6.2"), ep("10.0.6.3")],
        &[("p80", 80, "TCP")],
    )];
    let out = gen(&[s], &slices, &ProxyConfig::test_harness());
    golden("session_affinity.txt", out.text());
}

/// eTP=Local with a local endpoint (§3.1 local endpoints, §7.1, §7.2 step 8 eTP=Local
/// branch with the detector's `-s <cidr>` short-circuit, step 6 health-check ACCEPT,
/// steps 10+11: SVC over all endpoints, SVL over the local one; SEP chains = cluster
/// list since no topology/terminating fallback).
#[test]
fn etp_local_with_local_endpoints() {
    let mut s = svc("ns1", "local", ServiceType::LoadBalancer, "172.30.0.60", &[("p80", "TCP", 80, 30060)]);
    s.external_traffic_policy_local = true;
    s.health_check_node_port = 30999;
    s.lb_ingress = vec![lb("1.2.3.60")];
    let slices = vec![slice(
        "ns1",
        "local",
        "local-1",
        "IPv4",
        vec![ep_on("10.0.7.1", "test-node"), ep_on("10.0.7.2", "other-node")],
        &[("p80", 80, "TCP")],
    )];
    let out = gen(&[s], &slices, &ProxyConfig::test_harness());
    golden("etp_local_with_local.txt", out.text());
}

/// eTP=Local without local endpoints (§19 pitfall 6): SVC and EXT (short-circuit rules,
/// no final jump) exist, no SVL; filter KUBE-EXTERNAL-SERVICES DROP for the VIP and the
/// NodePort with "has no local endpoints"; health check still ACCEPTed.
#[test]
fn etp_local_without_local_endpoints() {
    let mut s = svc("ns1", "local", ServiceType::LoadBalancer, "172.30.0.60", &[("p80", "TCP", 80, 30060)]);
    s.external_traffic_policy_local = true;
    s.health_check_node_port = 30999;
    s.lb_ingress = vec![lb("1.2.3.60")];
    let slices =
        vec![slice("ns1", "local", "local-1", "IPv4", vec![ep_on("10.0.7.2", "other-node")], &[("p80", 80, "TCP")])];
    let out = gen(&[s], &slices, &ProxyConfig::test_harness());
    golden("etp_local_without_local.txt", out.text());
}

/// eTP=Local on a plain ClusterIP Service without externalIPs is ignored (§2:
/// externalPolicyLocal needs a type-externally-accessible Service) and
/// healthCheckNodePort only counts for LoadBalancer (§19 pitfall 7).
#[test]
fn etp_local_ignored_for_cluster_ip() {
    let mut s = svc("ns1", "plain", ServiceType::ClusterIP, "172.30.0.61", &[("p80", "TCP", 80, 0)]);
    s.external_traffic_policy_local = true;
    s.health_check_node_port = 30998;
    let slices =
        vec![slice("ns1", "plain", "plain-1", "IPv4", vec![ep_on("10.0.7.3", "other-node")], &[("p80", 80, "TCP")])];
    let out = gen(&[s], &slices, &ProxyConfig::test_harness());
    golden("etp_local_ignored.txt", out.text());
}

/// iTP=Local (§3.1, §7.1 internalChain = SVL): with a local endpoint the cluster IP
/// jumps to SVL and the masquerade rule lands in SVL; without one, a filter DROP "has no
/// local endpoints" and no nat rules (§8).
#[test]
fn itp_local() {
    let mut a = svc("ns1", "itp-a", ServiceType::ClusterIP, "172.30.0.70", &[("p80", "TCP", 80, 0)]);
    a.internal_traffic_policy_local = true;
    let mut b = svc("ns1", "itp-b", ServiceType::ClusterIP, "172.30.0.71", &[("p80", "TCP", 80, 0)]);
    b.internal_traffic_policy_local = true;
    let slices = vec![
        slice(
            "ns1",
            "itp-a",
            "itp-a-1",
            "IPv4",
            vec![ep_on("10.0.8.1", "test-node"), ep_on("10.0.8.2", "other-node")],
            &[("p80", 80, "TCP")],
        ),
        slice("ns1", "itp-b", "itp-b-1", "IPv4", vec![ep_on("10.0.8.3", "other-node")], &[("p80", 80, "TCP")]),
    ];
    let out = gen(&[a, b], &slices, &ProxyConfig::test_harness());
    golden("itp_local.txt", out.text());
}

/// No usable endpoints (§8, §19 pitfall 5): only filter REJECT rules — cluster IP in
/// KUBE-SERVICES, externalIP / LB VIP / NodePort in KUBE-EXTERNAL-SERVICES; no nat chain.
/// A not-ready, not-terminating endpoint is not usable; a slice port whose protocol does
/// not match gives nothing either.
#[test]
fn no_endpoints_reject() {
    let mut s = svc("ns1", "empty", ServiceType::LoadBalancer, "172.30.0.80", &[("p80", "TCP", 80, 30080)]);
    s.external_ips = vec!["192.168.99.80".into()];
    s.lb_ingress = vec![lb("1.2.3.80")];
    let mut not_ready = ep("10.0.9.1");
    not_ready.ready = Some(false);
    let slices = vec![
        slice("ns1", "empty", "empty-1", "IPv4", vec![not_ready], &[("p80", 80, "TCP")]),
        slice("ns1", "empty", "empty-2", "IPv4", vec![ep("10.0.9.2")], &[("p80", 80, "UDP")]),
    ];
    let out = gen(&[s], &slices, &ProxyConfig::test_harness());
    golden("no_endpoints.txt", out.text());
    assert_eq!(out.total_endpoints, 1);
}

/// Terminating fallback (§3.1): no ready endpoints → serving+terminating ones (any node)
/// for the cluster list; for eTP=Local the local serving+terminating ones, and since the
/// local list used the fallback the SEP set is the union of both lists.
#[test]
fn terminating_fallback() {
    let term = |a: &str, node: &str, serving: bool| ProxyEndpoint {
        addresses: vec![a.into()],
        ready: Some(false),
        serving: Some(serving),
        terminating: Some(true),
        node_name: Some(node.into()),
        ..Default::default()
    };
    let mut s = svc("ns1", "term", ServiceType::NodePort, "172.30.0.90", &[("p80", "TCP", 80, 30090)]);
    s.external_traffic_policy_local = true;
    let slices = vec![slice(
        "ns1",
        "term",
        "term-1",
        "IPv4",
        vec![
            term("10.0.10.1", "test-node", true),
            term("10.0.10.2", "other-node", true),
            term("10.0.10.3", "test-node", false),
        ],
        &[("p80", 80, "TCP")],
    )];
    let out = gen(&[s], &slices, &ProxyConfig::test_harness());
    golden("terminating_fallback.txt", out.text());
}

/// Topology hints (§3.1 step 1–2): every ready endpoint has zone hints and one names the
/// node's zone → the SVC chain only uses the zone-a endpoints. A second Service has one
/// endpoint without hints → hints ignored (all endpoints). A third uses node hints
/// (PreferSameNode wins over zones).
#[test]
fn topology_hints() {
    let hinted = |a: &str, zone: &str| ProxyEndpoint {
        addresses: vec![a.into()],
        zone_hints: vec![zone.into()],
        ..Default::default()
    };
    let services = vec![
        svc("ns1", "topo", ServiceType::ClusterIP, "172.30.1.1", &[("p80", "TCP", 80, 0)]),
        svc("ns1", "topo-partial", ServiceType::ClusterIP, "172.30.1.2", &[("p80", "TCP", 80, 0)]),
        svc("ns1", "topo-node", ServiceType::ClusterIP, "172.30.1.3", &[("p80", "TCP", 80, 0)]),
    ];
    let node_hinted = |a: &str, node: &str| ProxyEndpoint {
        addresses: vec![a.into()],
        zone_hints: vec!["zone-b".into()],
        node_hints: vec![node.into()],
        ..Default::default()
    };
    let slices = vec![
        slice(
            "ns1",
            "topo",
            "topo-1",
            "IPv4",
            vec![hinted("10.0.11.1", "zone-a"), hinted("10.0.11.2", "zone-b"), hinted("10.0.11.3", "zone-a")],
            &[("p80", 80, "TCP")],
        ),
        slice(
            "ns1",
            "topo-partial",
            "topo-partial-1",
            "IPv4",
            vec![hinted("10.0.12.1", "zone-a"), ep("10.0.12.2")],
            &[("p80", 80, "TCP")],
        ),
        slice(
            "ns1",
            "topo-node",
            "topo-node-1",
            "IPv4",
            vec![node_hinted("10.0.13.1", "test-node"), node_hinted("10.0.13.2", "other-node")],
            &[("p80", 80, "TCP")],
        ),
    ];
    let mut config = ProxyConfig::test_harness();
    config.node_labels.insert(LABEL_TOPOLOGY_ZONE.into(), "zone-a".into());
    let out = gen(&services, &slices, &config);
    golden("topology_hints.txt", out.text());
    // Sorted by name: topo, topo-node, topo-partial.
    assert_eq!(out.services[0].topology_mode.as_deref(), Some("PreferSameZone"));
    assert_eq!(out.services[1].topology_mode.as_deref(), Some("PreferSameNode"));
    assert_eq!(out.services[2].topology_mode, None);
}

/// IPv6 (§9.7): canonical lower-case addresses (`fd00:10:244:1::0005` → `…::5`),
/// bracketed endpoint strings in comments / DNAT / hash input, bare hairpin `-s`, no
/// KUBE-FIREWALL chain, no localhost NodePort rule, tail rule `! -d ::1/128`, detector
/// `fd00:10::/64`; dual-stack Service picks `clusterIPs[i]` of the IPv6 family; IPv4
/// slices are ignored.
#[test]
fn ipv6() {
    let mut s = svc("ns1", "v6", ServiceType::NodePort, "172.30.0.100", &[("http", "TCP", 80, 30100)]);
    s.ip_families = vec!["IPv4".into(), "IPv6".into()];
    s.cluster_ips = vec!["172.30.0.100".into(), "FD00:10:96::0064".into()];
    s.external_ips = vec!["2001:DB8::99".into(), "192.168.99.1".into()];
    let slices = vec![
        slice(
            "ns1",
            "v6",
            "v6-a",
            "IPv6",
            vec![ep("fd00:10:244:1::0005"), ep("fd00:10:244:2::7")],
            &[("http", 8080, "TCP")],
        ),
        slice("ns1", "v6", "v6-b", "IPv4", vec![ep("10.0.14.1")], &[("http", 8080, "TCP")]),
    ];
    let out = gen(&[s], &slices, &ProxyConfig::test_harness_v6());
    golden("ipv6.txt", out.text());
}

/// Named ports (§3, §19 pitfall 4): a slice port without a `name` field is ignored (with
/// a warning), matching is by name and protocol only (never targetPort), a slice port
/// with port 0 is ignored; two slices for the same port merge, duplicate `ip:port`
/// endpoints collapse (the terminating duplicate loses).
#[test]
fn named_ports() {
    let services = vec![svc(
        "ns1",
        "named",
        ServiceType::ClusterIP,
        "172.30.0.110",
        &[("http", "TCP", 80, 0), ("metrics", "TCP", 9090, 0)],
    )];
    let mut nameless = slice("ns1", "named", "named-c", "IPv4", vec![ep("10.0.15.9")], &[("http", 80, "TCP")]);
    nameless.ports[0].name = None;
    let mut dup_term = ep("10.0.15.1");
    dup_term.terminating = Some(true);
    dup_term.ready = Some(false);
    let slices = vec![
        slice(
            "ns1",
            "named",
            "named-a",
            "IPv4",
            vec![ep("10.0.15.1"), ep("10.0.15.2")],
            &[("http", 8080, "TCP"), ("metrics", 0, "TCP")],
        ),
        slice("ns1", "named", "named-b", "IPv4", vec![ep("10.0.15.3"), dup_term], &[("http", 8080, "TCP")]),
        nameless,
    ];
    let out = gen(&services, &slices, &ProxyConfig::test_harness());
    golden("named_ports.txt", out.text());
    assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
}

/// `--masquerade-all` (§7.2 step 7): the cluster-IP masquerade rule has no detector
/// words.
#[test]
fn masquerade_all() {
    let services = vec![svc("ns1", "m", ServiceType::ClusterIP, "172.30.0.120", &[("p80", "TCP", 80, 0)])];
    let slices = vec![slice("ns1", "m", "m-1", "IPv4", vec![ep("10.0.16.1")], &[("p80", 80, "TCP")])];
    let mut config = ProxyConfig::test_harness();
    config.masquerade_all = true;
    let out = gen(&services, &slices, &config);
    golden("masquerade_all.txt", out.text());
}

fn detect_local_inputs() -> (Vec<ProxyService>, Vec<ProxyEndpointSlice>) {
    let mut s = svc("ns1", "dl", ServiceType::NodePort, "172.30.0.130", &[("p80", "TCP", 80, 30130)]);
    s.external_traffic_policy_local = true;
    let slices = vec![slice("ns1", "dl", "dl-1", "IPv4", vec![ep_on("10.0.17.1", "test-node")], &[("p80", 80, "TCP")])];
    (vec![s], slices)
}

/// Detect-local modes (§1, §7.2 steps 7–8): ClusterCIDR (`! -s`/`-s`, the CIDR masked),
/// NodeCIDR, BridgeInterface (`! -i`/`-i`), InterfaceNamePrefix (`+` suffix), and None
/// (no cluster-IP masquerade rule, no pod short-circuit rule).
#[test]
fn detect_local_modes() {
    let (services, slices) = detect_local_inputs();
    let cases: Vec<(&str, ProxyConfig)> = vec![
        ("detect_cluster_cidr.txt", {
            let mut c = ProxyConfig::test_harness();
            c.cluster_cidr = Some("10.244.7.1/16".into());
            c
        }),
        ("detect_node_cidr.txt", {
            let mut c = ProxyConfig::test_harness();
            c.detect_local_mode = DetectLocalMode::NodeCIDR;
            c.node_pod_cidr = Some("fd00:1::/64,10.244.1.0/24".into());
            c
        }),
        ("detect_bridge.txt", {
            let mut c = ProxyConfig::test_harness();
            c.detect_local_mode = DetectLocalMode::BridgeInterface;
            c.bridge_interface = Some("cbr0".into());
            c
        }),
        ("detect_prefix.txt", {
            let mut c = ProxyConfig::test_harness();
            c.detect_local_mode = DetectLocalMode::InterfaceNamePrefix;
            c.interface_name_prefix = Some("veth".into());
            c
        }),
        ("detect_none.txt", {
            let mut c = ProxyConfig::test_harness();
            c.detect_local_mode = DetectLocalMode::None;
            c
        }),
    ];
    for (file, config) in cases {
        let out = gen(&services, &slices, &config);
        golden(file, out.text());
    }
    // ClusterCIDR mode without a CIDR is a no-op detector, like None.
    let mut c = ProxyConfig::test_harness();
    c.cluster_cidr = None;
    assert_eq!(gen(&services, &slices, &c).text(), read_golden("detect_none.txt"));
}

/// `--iptables-localhost-nodeports=false` (§9.4): no KUBE-FIREWALL chain or rule, no
/// `-d 127.0.0.0/8` nfacct NodePort rule, tail rule excludes `! -d 127.0.0.0/8`.
#[test]
fn localhost_nodeports_off() {
    let services = vec![svc("ns1", "np", ServiceType::NodePort, "172.30.0.20", &[("http", "TCP", 80, 30080)])];
    let slices = vec![slice("ns1", "np", "np-1", "IPv4", vec![ep("10.0.3.1")], &[("http", 8080, "TCP")])];
    let mut config = ProxyConfig::test_harness();
    config.localhost_nodeports = false;
    let out = gen(&services, &slices, &config);
    golden("localhost_nodeports_off.txt", out.text());
}

/// `--nodeport-addresses` restricted (§9.4): one tail rule per node address inside the
/// CIDRs (input order, deduplicated), loopback kept only with localhost NodePorts; the
/// CIDR list contains 127.0.0.1/32 so localhost NodePorts stay effective; IPv6 CIDRs
/// ignored by the IPv4 proxier.
#[test]
fn nodeport_addresses_restricted() {
    let services = vec![svc("ns1", "np", ServiceType::NodePort, "172.30.0.20", &[("http", "TCP", 80, 30080)])];
    let slices = vec![slice("ns1", "np", "np-1", "IPv4", vec![ep("10.0.3.1")], &[("http", 8080, "TCP")])];
    let mut config = ProxyConfig::test_harness();
    config.nodeport_addresses = vec!["192.168.0.0/24".into(), "127.0.0.1/32".into(), "2001:db8::/64".into()];
    config.node_addresses = vec![
        "127.0.0.1".into(),
        "192.168.0.2".into(),
        "10.9.9.9".into(),
        "192.168.0.3".into(),
        "192.168.0.2".into(),
        "2001:db8::1".into(),
    ];
    let out = gen(&services, &slices, &config);
    golden("nodeport_addresses.txt", out.text());

    // Without a loopback CIDR localhost NodePorts are off (no KUBE-FIREWALL).
    config.nodeport_addresses = vec!["192.168.0.0/24".into()];
    let out = gen(&services, &slices, &config);
    golden("nodeport_addresses_no_loopback.txt", out.text());
}

/// `ipMode: Proxy` ingress IPs are ignored (§2, §9.5), with a warning; `ipMode: VIP` and
/// absent are kept; LB VIPs come from status even on a NodePort Service (§19 pitfall 14).
#[test]
fn ip_mode_proxy_ignored() {
    let mut s = svc("ns1", "pm", ServiceType::NodePort, "172.30.0.140", &[("p80", "TCP", 80, 30140)]);
    s.lb_ingress = vec![
        ProxyLbIngress { ip: "1.2.3.10".into(), ip_mode: Some("Proxy".into()), span: None },
        ProxyLbIngress { ip: "1.2.3.11".into(), ip_mode: Some("VIP".into()), span: None },
        ProxyLbIngress { ip: "".into(), ip_mode: None, span: None },
        lb("1.2.3.12"),
    ];
    let slices = vec![slice("ns1", "pm", "pm-1", "IPv4", vec![ep("10.0.18.1")], &[("p80", 80, "TCP")])];
    let out = gen(&[s], &slices, &ProxyConfig::test_harness());
    golden("ip_mode_proxy.txt", out.text());
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
}

/// Headless (`None` / empty cluster IP) and ExternalName Services are skipped entirely
/// (§2, §10): no rules, not even REJECT; their slices are ignored. Services labelled
/// `service.kubernetes.io/service-proxy-name` or `…/headless` are invisible (§1), and
/// so are slices with those labels.
#[test]
fn skipped_services() {
    let mut ext = svc("ns1", "extname", ServiceType::ExternalName, "172.30.0.150", &[("p80", "TCP", 80, 0)]);
    ext.external_ips = vec!["192.168.99.150".into()];
    let mut labelled = svc("ns1", "other-proxy", ServiceType::ClusterIP, "172.30.0.151", &[("p80", "TCP", 80, 0)]);
    labelled.labels.insert(LABEL_SERVICE_PROXY_NAME.into(), "cilium".into());
    let mut headless_label = svc("ns1", "hl", ServiceType::ClusterIP, "172.30.0.152", &[("p80", "TCP", 80, 0)]);
    headless_label.labels.insert(LABEL_HEADLESS.into(), "".into());
    let mut kept = svc("ns1", "kept", ServiceType::ClusterIP, "172.30.0.153", &[("p80", "TCP", 80, 0)]);
    kept.labels.insert("app".into(), "kept".into());
    let services = vec![
        svc("ns1", "headless", ServiceType::ClusterIP, "None", &[("p80", "TCP", 80, 0)]),
        svc("ns1", "empty-ip", ServiceType::ClusterIP, "", &[("p80", "TCP", 80, 0)]),
        ext,
        labelled,
        headless_label,
        kept,
    ];
    let mut other_proxy_slice = slice("ns1", "kept", "kept-2", "IPv4", vec![ep("10.0.19.9")], &[("p80", 80, "TCP")]);
    other_proxy_slice.labels.insert(LABEL_SERVICE_PROXY_NAME.into(), "cilium".into());
    let slices = vec![
        slice("ns1", "headless", "headless-1", "IPv4", vec![ep("10.0.19.1")], &[("p80", 80, "TCP")]),
        slice("ns1", "extname", "extname-1", "IPv4", vec![ep("10.0.19.2")], &[("p80", 80, "TCP")]),
        slice("ns1", "other-proxy", "other-proxy-1", "IPv4", vec![ep("10.0.19.3")], &[("p80", 80, "TCP")]),
        slice("ns1", "kept", "kept-1", "IPv4", vec![ep("10.0.19.4")], &[("p80", 80, "TCP")]),
        other_proxy_slice,
        slice("ns1", "kept", "kept-fqdn", "FQDN", vec![ep("example.com")], &[("p80", 80, "TCP")]),
    ];
    let out = gen(&services, &slices, &ProxyConfig::test_harness());
    golden("skipped_services.txt", out.text());
    assert_eq!(out.services.len(), 1);
    assert_eq!(out.services[0].svc_port_name, "ns1/kept:p80");
}

/// A real node's defaults (§1, §5): mark `0x00004000`, `MASQUERADE --random-fully`, no
/// `--cluster-cidr` → no-op detector (no cluster-IP masquerade rule).
#[test]
fn default_config_real_node() {
    let services = vec![svc("default", "kubernetes", ServiceType::ClusterIP, "10.96.0.1", &[("https", "TCP", 443, 0)])];
    let slices =
        vec![slice("default", "kubernetes", "kubernetes", "IPv4", vec![ep("192.168.49.2")], &[("https", 8443, "TCP")])];
    let out = gen(&services, &slices, &ProxyConfig::default());
    golden("default_config.txt", out.text());
    assert!(out.text().contains("KUBE-SVC-NPX46M4PTMTKRN6Y"));
}

/// §5.1: `nf_conntrack_tcp_be_liberal` drops the INVALID rule; without nfacct the INVALID
/// rule and the localhost NodePort rule lose their nfacct match (the latter disappears).
#[test]
fn conntrack_liberal_and_no_nfacct() {
    let services = vec![svc("ns1", "np", ServiceType::NodePort, "172.30.0.20", &[("http", "TCP", 80, 30080)])];
    let slices = vec![slice("ns1", "np", "np-1", "IPv4", vec![ep("10.0.3.1")], &[("http", 8080, "TCP")])];
    let mut config = ProxyConfig::test_harness();
    config.nfacct = false;
    golden("no_nfacct.txt", gen(&services, &slices, &config).text());
    config.tcp_be_liberal = true;
    golden("tcp_be_liberal.txt", gen(&services, &slices, &config).text());
}

/// §11 stale chains: existing service chains that are no longer active get a chain line
/// and `-X` (after all service rules, before the nodeports tail); non-service chains and
/// active chains are left alone.
#[test]
fn stale_chains() {
    let services = vec![svc("ns1", "svc1", ServiceType::ClusterIP, "172.30.0.41", &[("p80", "TCP", 80, 0)])];
    let slices = vec![slice("ns1", "svc1", "svc1-1", "IPv4", vec![ep("10.180.0.1")], &[("p80", 80, "TCP")])];
    let mut config = ProxyConfig::test_harness();
    config.existing_nat_chains = vec![
        "KUBE-SERVICES".into(),
        "KUBE-SVC-XPGD46QRK7WJZT7O".into(),
        "KUBE-SEP-OLDOLDOLDOLDOLDO".into(),
        "KUBE-SVC-AAAAAAAAAAAAAAAA".into(),
        "DOCKER".into(),
        "KUBE-FW-ZZZZZZZZZZZZZZZZ".into(),
    ];
    let out = gen(&services, &slices, &config);
    golden("stale_chains.txt", out.text());
    golden("stale_chains_normalized.txt", &normalize_iptables(out.text()));
}

/// §2/§3/§4: cluster IPs and endpoint addresses are parsed sloppily and printed
/// canonically, so `172.30.0.041` / `10.180.00.001` give exactly the rules (and SEP chain
/// names) of `172.30.0.41` / `10.180.0.1`; IPv6 endpoints are lower-cased and compressed
/// before hashing.
#[test]
fn sloppy_addresses_are_canonicalised() {
    let gen_for = |cip: &str, epa: &str| {
        let services = vec![svc("ns1", "svc1", ServiceType::ClusterIP, cip, &[("p80", "TCP", 80, 0)])];
        let slices = vec![slice("ns1", "svc1", "svc1-1", "IPv4", vec![ep(epa)], &[("p80", 80, "TCP")])];
        gen(&services, &slices, &ProxyConfig::test_harness()).text().to_string()
    };
    let canonical = gen_for("172.30.0.41", "10.180.0.1");
    assert_eq!(gen_for("172.30.0.041", "10.180.00.001"), canonical);
    assert!(canonical.contains("KUBE-SEP-SXIVWICOYRO3J4NJ"));

    let v6 = |epa: &str| {
        let services = vec![svc("default", "web", ServiceType::ClusterIP, "fd00:10:96::1", &[("", "TCP", 8080, 0)])];
        let slices = vec![slice("default", "web", "web-1", "IPv6", vec![ep(epa)], &[("", 8080, "TCP")])];
        gen(&services, &slices, &ProxyConfig::test_harness_v6()).text().to_string()
    };
    let a = v6("FD00:10:244:0::0007");
    assert_eq!(a, v6("fd00:10:244::7"));
    assert!(a.contains("KUBE-SEP-VTSQZLZTFEIR6MTF"), "{a}");
}
