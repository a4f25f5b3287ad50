//! Structured input for the kube-proxy rule generators: Services and EndpointSlices built from
//! fuzzer bytes (IPs, CIDRs, ports, names, policies), through iptables, nftables and IPVS.
#![no_main]
use libfuzzer_sys::fuzz_target;
use svcflow_proxy::*;

fn pick<'a>(data: &mut &[u8], options: &[&'a str]) -> &'a str {
    let b = data.first().copied().unwrap_or(0);
    *data = data.get(1..).unwrap_or(&[]);
    options[b as usize % options.len()]
}

fn num(data: &mut &[u8]) -> i32 {
    let mut v = [0u8; 4];
    for x in &mut v {
        *x = data.first().copied().unwrap_or(0);
        *data = data.get(1..).unwrap_or(&[]);
    }
    i32::from_le_bytes(v) % 70000
}

const IPS: &[&str] = &["10.0.0.1", "10.0.0.2", "010.000.000.003", "fd00::1", "FD00::0001", "", "None", "bad", "1.2.3.4.5", "203.0.113.7", "::ffff:1.2.3.4"];
const CIDRS: &[&str] = &["10.0.0.0/8", " 203.0.113.000/025", "192.168.1.5/24", "fd00::/64", "0.0.0.0/0", "x/y", "1.2.3.4/33", ""];
const NAMES: &[&str] = &["", "p80", "http", "dns-tcp", "a"];
const PROTOS: &[&str] = &["TCP", "UDP", "SCTP", "", "tcp", "ICMP"];

fuzz_target!(|bytes: &[u8]| {
    let mut data = bytes;
    let mut services = Vec::new();
    let mut slices = Vec::new();
    for i in 0..(bytes.len() / 24).min(8) {
        let ports = (0..(num(&mut data).unsigned_abs() % 3))
            .map(|_| ProxyServicePort {
                name: pick(&mut data, NAMES).into(),
                protocol: pick(&mut data, PROTOS).into(),
                port: num(&mut data),
                node_port: num(&mut data),
                span: None,
            })
            .collect();
        services.push(ProxyService {
            namespace: format!("ns{}", i % 2),
            name: format!("s{i}"),
            type_: [ServiceType::ClusterIP, ServiceType::NodePort, ServiceType::LoadBalancer, ServiceType::ExternalName]
                [num(&mut data).unsigned_abs() as usize % 4],
            cluster_ip: pick(&mut data, IPS).into(),
            ports,
            external_ips: vec![pick(&mut data, IPS).into()],
            lb_ingress: vec![ProxyLbIngress { ip: pick(&mut data, IPS).into(), ip_mode: None, span: None }],
            lb_source_ranges: vec![pick(&mut data, CIDRS).into()],
            session_affinity_client_ip: (num(&mut data) % 2 == 0).then_some(num(&mut data)),
            external_traffic_policy_local: num(&mut data) % 2 == 0,
            internal_traffic_policy_local: num(&mut data) % 3 == 0,
            health_check_node_port: num(&mut data),
            ..Default::default()
        });
        slices.push(ProxyEndpointSlice {
            namespace: format!("ns{}", i % 2),
            name: format!("s{i}-x"),
            address_type: pick(&mut data, &["IPv4", "IPv6", "FQDN"]).into(),
            service_name: Some(format!("s{}", num(&mut data).unsigned_abs() % 8)),
            ports: vec![ProxyEndpointPort {
                name: Some(pick(&mut data, NAMES).into()),
                port: Some(num(&mut data)),
                protocol: Some(pick(&mut data, PROTOS).into()),
                span: None,
            }],
            endpoints: (0..(num(&mut data).unsigned_abs() % 4))
                .map(|_| ProxyEndpoint {
                    addresses: vec![pick(&mut data, IPS).into()],
                    ready: [None, Some(true), Some(false)][num(&mut data).unsigned_abs() as usize % 3],
                    serving: [None, Some(true), Some(false)][num(&mut data).unsigned_abs() as usize % 3],
                    terminating: [None, Some(true), Some(false)][num(&mut data).unsigned_abs() as usize % 3],
                    node_name: Some(pick(&mut data, &["node-1", "other", ""]).into()),
                    zone_hints: vec![pick(&mut data, &["a", "b"]).into()],
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        });
    }
    for family in [IpFamily::V4, IpFamily::V6] {
        let config = ProxyConfig {
            ip_family: family,
            cluster_cidr: Some(pick(&mut data, CIDRS).into()),
            masquerade_all: num(&mut data) % 2 == 0,
            nodeport_addresses: vec![pick(&mut data, CIDRS).into()],
            node_ip: Some(pick(&mut data, IPS).into()),
            ..ProxyConfig::default()
        };
        if let Ok(out) = generate_iptables(&services, &slices, &config) {
            let _ = normalize_iptables(&out.text);
        }
        let _ = generate_nftables(&services, &slices, &config);
        let _ = generate_ipvs(&services, &slices, &config);
    }
});
