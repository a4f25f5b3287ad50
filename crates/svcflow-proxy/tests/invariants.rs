//! Robustness: no panic on garbage in any field; errors name the object; warnings for
//! silently dropped values; determinism (input order does not matter).

mod common;
use common::*;
use svcflow_proxy::*;

const NASTY: &[&str] = &[
    "",
    " ",
    "None",
    "0",
    "-1",
    "::",
    ":",
    ":::",
    "1.2.3",
    "1.2.3.4.5",
    "256.0.0.1",
    "1.2.3.4/33",
    "1.2.3.4/-1",
    "fe80::1%eth0",
    "::ffff:1.2.3.4",
    "::ffff:1.2.3.4/120",
    "0000000000000000000001.1.1.1",
    "1::2::3",
    "\u{0}",
    "\n",
    "\"",
    "a b",
    "é",
    "💥",
    "10.0.0.1\n-A INJECT",
    "TCP",
    "tcp",
    "IPv4",
    "IPv6",
    "FQDN",
    "Proxy",
    "VIP",
    "primary",
    "0.0.0.0/0",
    "::/0",
    "fd00::/200",
    "999999999999999999999999",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "1:2:3:4:5:6:7:8:9",
    "127.0.0.1",
    "10.0.0.0/8",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn int(&mut self) -> i32 {
        const INTS: &[i32] = &[0, 1, -1, 80, 65535, 65536, i32::MAX, i32::MIN, 30000, 53];
        INTS[(self.next() % INTS.len() as u64) as usize]
    }
    fn flag(&mut self) -> bool {
        self.next() & 1 == 0
    }
    fn opt_bool(&mut self) -> Option<bool> {
        match self.next() % 3 {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        }
    }
}

fn random_inputs(r: &mut Rng) -> (Vec<ProxyService>, Vec<ProxyEndpointSlice>, ProxyConfig) {
    let types = [ServiceType::ClusterIP, ServiceType::NodePort, ServiceType::LoadBalancer, ServiceType::ExternalName];
    let mut services = Vec::new();
    for _ in 0..(r.next() % 4) {
        let mut s = ProxyService {
            namespace: r.pick(NASTY).into(),
            name: r.pick(NASTY).into(),
            type_: types[(r.next() % 4) as usize],
            cluster_ip: if r.next() & 3 != 0 { "172.30.0.1".into() } else { r.pick(NASTY).into() },
            cluster_ips: if r.flag() { vec![] } else { vec![r.pick(NASTY).into()] },
            ip_families: if r.flag() { vec![] } else { vec![r.pick(NASTY).into()] },
            external_ips: vec![r.pick(NASTY).into(), "192.168.99.1".into()],
            lb_ingress: vec![ProxyLbIngress {
                ip: r.pick(NASTY).into(),
                ip_mode: if r.flag() { None } else { Some(r.pick(NASTY).into()) },
                span: None,
            }],
            lb_source_ranges: vec![r.pick(NASTY).into()],
            session_affinity_client_ip: if r.flag() { None } else { Some(r.int()) },
            external_traffic_policy_local: r.flag(),
            internal_traffic_policy_local: r.flag(),
            health_check_node_port: r.int(),
            ..Default::default()
        };
        for _ in 0..(r.next() % 3) {
            s.ports.push(ProxyServicePort {
                name: r.pick(NASTY).into(),
                protocol: r.pick(NASTY).into(),
                port: r.int(),
                node_port: r.int(),
                span: None,
            });
        }
        if r.flag() {
            s.labels.insert(r.pick(&[LABEL_SERVICE_PROXY_NAME, LABEL_HEADLESS, "x"]).into(), r.pick(NASTY).into());
        }
        services.push(s);
    }
    let mut slices = Vec::new();
    for _ in 0..(r.next() % 4) {
        let mut sl = ProxyEndpointSlice {
            namespace: r.pick(NASTY).into(),
            name: r.pick(NASTY).into(),
            address_type: r.pick(NASTY).into(),
            service_name: if r.flag() { None } else { Some(r.pick(NASTY).into()) },
            ..Default::default()
        };
        for _ in 0..(r.next() % 3) {
            sl.ports.push(ProxyEndpointPort {
                name: if r.flag() { None } else { Some(r.pick(NASTY).into()) },
                port: if r.flag() { None } else { Some(r.int()) },
                protocol: if r.flag() { None } else { Some(r.pick(NASTY).into()) },
                span: None,
            });
        }
        for _ in 0..(r.next() % 3) {
            sl.endpoints.push(ProxyEndpoint {
                addresses: (0..(r.next() % 2)).map(|_| r.pick(NASTY).to_string()).collect(),
                ready: r.opt_bool(),
                serving: r.opt_bool(),
                terminating: r.opt_bool(),
                node_name: if r.flag() { None } else { Some(r.pick(NASTY).into()) },
                zone_hints: vec![r.pick(NASTY).into()],
                node_hints: if r.flag() { vec![] } else { vec![r.pick(NASTY).into()] },
                span: None,
            });
        }
        slices.push(sl);
    }
    let modes = [
        DetectLocalMode::ClusterCIDR,
        DetectLocalMode::NodeCIDR,
        DetectLocalMode::BridgeInterface,
        DetectLocalMode::InterfaceNamePrefix,
        DetectLocalMode::None,
    ];
    if r.next() & 3 != 0 {
        // Mostly-valid configuration so that generation succeeds often.
        let mut config = ProxyConfig::test_harness();
        config.ip_family = if r.flag() { IpFamily::V4 } else { IpFamily::V6 };
        config.node_name = r.pick(NASTY).into();
        config.masquerade_all = r.flag();
        config.localhost_nodeports = r.flag();
        return (services, slices, config);
    }
    let config = ProxyConfig {
        node_name: r.pick(NASTY).into(),
        node_ip: if r.flag() { None } else { Some(r.pick(NASTY).into()) },
        node_addresses: if r.flag() { vec![] } else { vec![r.pick(NASTY).into()] },
        ip_family: if r.flag() { IpFamily::V4 } else { IpFamily::V6 },
        cluster_cidr: if r.flag() { None } else { Some(r.pick(NASTY).into()) },
        detect_local_mode: modes[(r.next() % 5) as usize],
        node_pod_cidr: Some(r.pick(NASTY).into()),
        bridge_interface: Some(r.pick(NASTY).into()),
        interface_name_prefix: Some(r.pick(NASTY).into()),
        masquerade_all: r.flag(),
        masquerade_bit: (r.next() % 40) as u32,
        nodeport_addresses: if r.flag() { vec![] } else { vec![r.pick(NASTY).into()] },
        localhost_nodeports: r.flag(),
        random_fully: r.flag(),
        nfacct: r.flag(),
        tcp_be_liberal: r.flag(),
        mark_override: if r.flag() { None } else { Some(r.pick(NASTY).into()) },
        existing_nat_chains: vec![r.pick(NASTY).into(), "KUBE-SVC-X".into()],
        service_cidrs: if r.flag() { vec![] } else { vec![r.pick(NASTY).into()] },
        ..Default::default()
    };
    (services, slices, config)
}

/// Thousands of random combinations of nasty values in every field: every generator
/// returns `Ok` or `Err`, never panics; successful restore text always parses back.
#[test]
fn no_panic_on_garbage() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut ok = 0;
    for _ in 0..3000 {
        let (services, slices, config) = random_inputs(&mut r);
        let summary = summarize_iptables(&services, &slices, &config);
        let full = generate_iptables(&services, &slices, &config);
        assert_eq!(summary, full.as_ref().map(IptablesOutput::summary).map_err(Clone::clone), "summary differs");
        if let Ok(out) = full {
            ok += 1;
            assert!(out.text().ends_with("COMMIT\n"));
            let _ = out.normalized_text();
            let _ = serde_json::to_string(&out).unwrap();
        }
        let _ = generate_nftables(&services, &slices, &config);
        let _ = generate_ipvs(&services, &slices, &config);
        let _ = validate(&services, &slices, &config);
    }
    assert!(ok > 100, "only {ok} successful generations");
    for s in NASTY {
        let _ = normalize_iptables(s);
        let _ = canonical_ip(s);
        let _ = canonical_cidr(s);
    }
}

#[test]
fn errors_name_the_object() {
    let cfg = ProxyConfig::test_harness();
    let bad_ip = svc("ns1", "bad", ServiceType::ClusterIP, "172.30.0.999", &[("p", "TCP", 80, 0)]);
    let e = generate_iptables(&[bad_ip], &[], &cfg).unwrap_err();
    assert!(e.message.contains("Service ns1/bad"), "{e}");
    assert!(e.message.contains("172.30.0.999"), "{e}");

    let bad_port = svc("ns1", "badport", ServiceType::ClusterIP, "172.30.0.1", &[("p", "TCP", 70000, 0)]);
    let e = generate_iptables(&[bad_port], &[], &cfg).unwrap_err();
    assert!(e.message.contains("Service ns1/badport") && e.message.contains("70000"), "{e}");

    let bad_proto = svc("ns1", "badproto", ServiceType::ClusterIP, "172.30.0.1", &[("p", "ICMP", 80, 0)]);
    assert!(generate_iptables(&[bad_proto], &[], &cfg).unwrap_err().message.contains("ICMP"));

    let s = svc("ns1", "ok", ServiceType::ClusterIP, "172.30.0.1", &[("p", "TCP", 80, 0)]);
    let bad_ep = slice("ns1", "ok", "ok-1", "IPv4", vec![ep("10.0.0.300")], &[("p", 80, "TCP")]);
    let e = generate_iptables(std::slice::from_ref(&s), &[bad_ep], &cfg).unwrap_err();
    assert!(e.message.contains("EndpointSlice ns1/ok-1") && e.message.contains("10.0.0.300"), "{e}");
    let wrong_family = slice("ns1", "ok", "ok-1", "IPv4", vec![ep("fd00::1")], &[("p", 80, "TCP")]);
    assert!(generate_iptables(std::slice::from_ref(&s), &[wrong_family], &cfg).is_err());

    // Flag values.
    for (mutate, what) in [
        (
            Box::new(|c: &mut ProxyConfig| c.cluster_cidr = Some("10.0.0.0/99".into()))
                as Box<dyn Fn(&mut ProxyConfig)>,
            "--cluster-cidr",
        ),
        (Box::new(|c: &mut ProxyConfig| c.node_ip = Some("node".into())), "node IP"),
        (Box::new(|c: &mut ProxyConfig| c.masquerade_bit = 32), "masquerade-bit"),
        (Box::new(|c: &mut ProxyConfig| c.nodeport_addresses = vec!["1.2.3.4".into()]), "--nodeport-addresses"),
        (
            Box::new(|c: &mut ProxyConfig| {
                c.detect_local_mode = DetectLocalMode::BridgeInterface;
                c.bridge_interface = None;
            }),
            "--pod-bridge-interface",
        ),
    ] {
        let mut c = ProxyConfig::test_harness();
        mutate(&mut c);
        let e = generate_iptables(std::slice::from_ref(&s), &[], &c).unwrap_err();
        assert!(e.message.starts_with("config:") && e.message.contains(what), "{e}");
        assert!(generate_nftables(std::slice::from_ref(&s), &[], &c).is_err());
        assert!(generate_ipvs(std::slice::from_ref(&s), &[], &c).is_err());
    }
}

#[test]
fn warnings_for_silently_dropped_values() {
    let mut s = svc("ns1", "w", ServiceType::LoadBalancer, "172.30.0.1", &[("p", "TCP", 80, 30000)]);
    s.external_ips = vec!["nope".into(), "".into()];
    s.lb_source_ranges = vec!["1.2.3.0/24 ".into(), "bad/range".into(), "   ".into()];
    s.lb_ingress = vec![
        ProxyLbIngress { ip: "1.1.1.1".into(), ip_mode: Some("Proxy".into()), span: None },
        ProxyLbIngress { ip: "x.y".into(), ip_mode: None, span: None },
    ];
    let mut no_label = slice("ns1", "w", "w-1", "IPv4", vec![ep("10.0.0.1")], &[("p", 80, "TCP")]);
    no_label.service_name = None;
    let warnings = validate(&[s], &[no_label], &ProxyConfig::test_harness()).unwrap();
    let msgs: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(msgs.len(), 5, "{msgs:#?}");
    assert!(msgs.iter().any(|m| m.contains("\"nope\"")));
    assert!(msgs.iter().any(|m| m.contains("bad/range")));
    assert!(msgs.iter().any(|m| m.contains("ipMode Proxy")));
    assert!(msgs.iter().any(|m| m.contains("\"x.y\"")));
    assert!(msgs.iter().any(|m| m.contains("EndpointSlice ns1/w-1") && m.contains(LABEL_SERVICE_NAME)));
}

/// Output does not depend on the order of Services, slices or their entries.
#[test]
fn deterministic_regardless_of_input_order() {
    let services = vec![
        svc("b", "svc", ServiceType::NodePort, "172.30.0.2", &[("y", "UDP", 53, 30053), ("x", "TCP", 80, 30080)]),
        svc("a", "svc", ServiceType::ClusterIP, "172.30.0.1", &[("", "TCP", 80, 0)]),
    ];
    let slices = vec![
        slice("b", "svc", "s2", "IPv4", vec![ep("10.0.0.9"), ep("10.0.0.10")], &[("x", 80, "TCP"), ("y", 53, "UDP")]),
        slice("b", "svc", "s1", "IPv4", vec![ep("10.0.0.1")], &[("x", 80, "TCP")]),
        slice("a", "svc", "s", "IPv4", vec![ep("10.0.1.1")], &[("", 80, "TCP")]),
    ];
    let cfg = ProxyConfig::test_harness();
    let a = generate_iptables(&services, &slices, &cfg).unwrap();
    let mut rs = services.clone();
    rs.reverse();
    for s in &mut rs {
        s.ports.reverse();
    }
    let mut rsl = slices.clone();
    rsl.reverse();
    for s in &mut rsl {
        s.endpoints.reverse();
        s.ports.reverse();
    }
    let b = generate_iptables(&rs, &rsl, &cfg).unwrap();
    assert_eq!(a.text(), b.text());
    assert_eq!(generate_nftables(&services, &slices, &cfg).unwrap(), generate_nftables(&rs, &rsl, &cfg).unwrap());
    assert_eq!(generate_ipvs(&services, &slices, &cfg).unwrap(), generate_ipvs(&rs, &rsl, &cfg).unwrap());
    let order: Vec<&str> = a.services.iter().map(|s| s.svc_port_name.as_str()).collect();
    assert_eq!(order, ["a/svc", "b/svc:x", "b/svc:y"]);
}

/// Provenance: rules carry the spans of the Service port, the endpoint and the slice
/// port.
#[test]
fn rules_carry_origin_spans() {
    use svcflow_source::Span;
    let mut s = svc("ns1", "span", ServiceType::ClusterIP, "172.30.0.1", &[("p", "TCP", 80, 0)]);
    s.ports[0].span = Some(Span::new(0, 10, 20));
    let mut sl = slice("ns1", "span", "span-1", "IPv4", vec![ep("10.0.0.1")], &[("p", 8080, "TCP")]);
    sl.endpoints[0].span = Some(Span::new(1, 5, 9));
    sl.ports[0].span = Some(Span::new(1, 30, 40));
    let out = generate_iptables(&[s], &[sl], &ProxyConfig::test_harness()).unwrap();
    let dnat = out.rules.iter().find(|r| r.text.contains("-j DNAT")).unwrap();
    assert_eq!(dnat.origin, vec![Span::new(0, 10, 20), Span::new(1, 5, 9), Span::new(1, 30, 40)]);
    assert_eq!(dnat.service.as_deref(), Some("ns1/span:p"));
    assert_eq!(dnat.table, Table::Nat);
    let cip = out
        .rules
        .iter()
        .find(|r| r.text.contains("cluster IP\" -m tcp -p tcp -d 172.30.0.1 --dport 80 -j KUBE-SVC"))
        .unwrap();
    assert_eq!(cip.origin, vec![Span::new(0, 10, 20)]);
    let fixed = out.rules.iter().find(|r| r.chain == "KUBE-POSTROUTING").unwrap();
    assert!(fixed.origin.is_empty() && fixed.service.is_none());
    assert_eq!(out.services[0].endpoints[0].span, Some(Span::new(1, 5, 9)));
}
