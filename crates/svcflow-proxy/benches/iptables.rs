//! `cargo bench -p svcflow-proxy --bench iptables`: 10,000 Services × 10 endpoints
//! (100,000 endpoints, large-cluster mode), timed with `std::time::Instant`.

use std::time::Instant;

use svcflow_proxy::*;

fn inputs(n_services: usize, n_endpoints: usize) -> (Vec<ProxyService>, Vec<ProxyEndpointSlice>) {
    let mut services = Vec::with_capacity(n_services);
    let mut slices = Vec::with_capacity(n_services);
    for i in 0..n_services {
        let ns = format!("ns{}", i % 100);
        let name = format!("svc{i}");
        let node_port = if i % 10 == 0 { 30000 + (i % 2000) as i32 } else { 0 };
        services.push(ProxyService {
            namespace: ns.clone(),
            name: name.clone(),
            type_: if node_port != 0 { ServiceType::NodePort } else { ServiceType::ClusterIP },
            cluster_ip: format!("172.{}.{}.{}", 16 + i / 65536, (i / 256) % 256, i % 256),
            ports: vec![ProxyServicePort {
                name: "http".into(),
                protocol: "TCP".into(),
                port: 80,
                node_port,
                span: None,
            }],
            ..Default::default()
        });
        slices.push(ProxyEndpointSlice {
            namespace: ns,
            name: format!("{name}-abcde"),
            address_type: "IPv4".into(),
            service_name: Some(name),
            ports: vec![ProxyEndpointPort {
                name: Some("http".into()),
                port: Some(8080),
                protocol: Some("TCP".into()),
                span: None,
            }],
            endpoints: (0..n_endpoints)
                .map(|j| {
                    let k = i * n_endpoints + j;
                    ProxyEndpoint {
                        addresses: vec![format!("10.{}.{}.{}", k / 65536, (k / 256) % 256, k % 256)],
                        node_name: Some(format!("node-{}", k % 50)),
                        ..Default::default()
                    }
                })
                .collect(),
            ..Default::default()
        });
    }
    (services, slices)
}

/// CPU time (user + system) of this process in ms, from `/proc/self/stat` (Linux; the
/// machine running the bench may be shared, so wall time alone is noisy).
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0) // USER_HZ = 100
}

fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let (start, cpu) = (Instant::now(), cpu_ms());
    let out = f();
    let wall = start.elapsed().as_secs_f64() * 1000.0;
    match (cpu, cpu_ms()) {
        (Some(a), Some(b)) => println!("{label:<42} {wall:>9.1} ms wall {:>9.1} ms cpu", b - a),
        _ => println!("{label:<42} {wall:>9.1} ms wall"),
    }
    out
}

fn main() {
    let (services, slices) = inputs(10_000, 10);
    let config = ProxyConfig { cluster_cidr: Some("10.0.0.0/8".into()), ..ProxyConfig::default() };
    println!("10,000 Services x 10 endpoints");
    // Warm-up run (allocator, page faults), then the measured ones.
    let _ = generate_iptables(&services, &slices, &config).unwrap();
    let mut out = None;
    for i in 1..=3 {
        out = Some(time(&format!("generate_iptables (run {i})"), || {
            generate_iptables(&services, &slices, &config).unwrap()
        }));
    }
    let out = out.unwrap();
    println!(
        "  -> {} bytes, {} rules, {} chains, large-cluster mode: {}",
        out.text().len(),
        out.rules.len(),
        out.chains.len(),
        out.large_cluster_mode
    );
    let norm = time("normalized_text", || out.normalized_text());
    assert!(norm.ends_with("COMMIT\n"));
    time("serde_json::to_string (incl. normalised)", || serde_json::to_string(&out).unwrap().len());
    time("generate_nftables", || generate_nftables(&services, &slices, &config).unwrap().len());
    time("generate_ipvs", || generate_ipvs(&services, &slices, &config).unwrap().len());
}
