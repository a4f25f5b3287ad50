//! Plain-text views of an [`Analysis`] shared by the CLI (`svcflow endpoints`, `svcflow dns`)
//! and the snapshot tests.

use crate::model::EndpointSource;
use crate::Analysis;
use std::fmt::Write;

/// Per Service port: the endpoints (like `kubectl get endpointslices`), then every pod left out
/// with the reason.
pub fn endpoints_table(analysis: &Analysis) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<40} {:<22} {:<8} ENDPOINTS", "SERVICE", "PORT", "SOURCE");
    for s in &analysis.services {
        let source = match s.endpoint_source {
            EndpointSource::Selector => "selector",
            EndpointSource::Given => "given",
            EndpointSource::None => "none",
        };
        let svc = format!("{}/{}", s.namespace, s.name);
        if s.ports.is_empty() {
            let _ = writeln!(out, "{svc:<40} {:<22} {source:<8} <no ports>", "-");
        }
        for p in &s.ports {
            let port = if p.name.is_empty() {
                format!("{}/{}", p.port, p.protocol)
            } else {
                format!("{}:{}/{}", p.name, p.port, p.protocol)
            };
            let eps: Vec<String> = p
                .endpoints
                .iter()
                .map(|e| {
                    let state = if e.ready {
                        ""
                    } else if e.terminating {
                        " (terminating)"
                    } else {
                        " (not ready)"
                    };
                    format!("{}:{}{state}", e.ip, e.port)
                })
                .collect();
            let eps = if eps.is_empty() { "<none>".to_string() } else { eps.join(",") };
            let _ = writeln!(out, "{svc:<40} {port:<22} {source:<8} {eps}");
            for x in &p.excluded {
                let pod = &analysis.pods[x.pod];
                let _ =
                    writeln!(out, "    excluded {}/{} ({}): {}", pod.namespace, pod.name, x.reason.as_str(), x.detail);
            }
        }
    }
    out
}

/// The DNS records, one per line, zone-file style.
pub fn dns_records(analysis: &Analysis) -> String {
    analysis.dns.iter().map(|r| r.line() + "\n").collect()
}

/// Services with their addresses, pods with theirs: a compact dump of the model.
pub fn summary(analysis: &Analysis) -> String {
    let mut out = String::new();
    for s in &analysis.services {
        let ip = match (&s.cluster_ip, s.headless, &s.external_name) {
            (_, _, Some(host)) => format!("externalName {host}"),
            (_, true, _) => "clusterIP None (headless)".into(),
            (Some(ip), _, _) => format!("clusterIP {ip}{}", if s.cluster_ip_simulated { " (simulated)" } else { "" }),
            _ => "no clusterIP".into(),
        };
        let _ = writeln!(out, "Service {}/{} type {} {ip}", s.namespace, s.name, s.type_);
        for p in &s.ports {
            let np = match p.node_port {
                Some(n) => format!(" nodePort {n}{}", if p.node_port_simulated { " (simulated)" } else { "" }),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "  port {} {}/{} -> {}{np}",
                if p.name.is_empty() { "-" } else { &p.name },
                p.port,
                p.protocol,
                p.target
            );
        }
    }
    for p in &analysis.pods {
        let _ = writeln!(
            out,
            "Pod {}/{} ip {}{} node {} {}{}",
            p.namespace,
            p.name,
            p.ip,
            if p.ip_simulated { " (simulated)" } else { "" },
            p.node,
            if p.ready { "Ready" } else { "NotReady" },
            if p.terminating { " terminating" } else { "" }
        );
    }
    out
}
