//! DNS records as CoreDNS's `kubernetes` plugin answers them (coredns/coredns
//! `plugin/kubernetes/kubernetes.go` `Records`/`findServices`, `plugin/kubernetes/parse.go`), and
//! the lookup a pod's resolver performs through its search path (`ndots:5`).
//!
//! * ClusterIP Service → `A`/`AAAA` `<svc>.<ns>.svc.<domain>` to the cluster IP.
//! * Headless Service → one `A` per ready endpoint address (all with `publishNotReadyAddresses`),
//!   and per endpoint `<hostname>.<svc>.<ns>.svc.<domain>` (hostname from the pod's
//!   `hostname` + `subdomain`, a StatefulSet's pod name, else the dashed IP `10-244-0-5`).
//! * Named ports → `SRV _<port>._<proto>.<svc>.<ns>.svc.<domain>`.
//! * ExternalName → `CNAME`; an IP literal gives no record at all.

use crate::model::{PodModel, ServiceModel};
use serde::Serialize;
use std::collections::BTreeMap;
use svcflow_source::Span;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DnsRecord {
    /// Fully qualified, without the trailing dot.
    pub name: String,
    /// `A`, `AAAA`, `SRV`, `CNAME`.
    pub rtype: &'static str,
    /// The answer: an address, `priority weight port target` for SRV, a host for CNAME.
    pub data: String,
    /// Index into `Analysis::services`.
    pub service: usize,
    #[serde(skip)]
    pub span: Span,
}

impl DnsRecord {
    /// `name. TYPE data`, the zone-file-like line `svcflow dns` prints.
    pub fn line(&self) -> String {
        format!("{}.\t{}\t{}", self.name, self.rtype, self.data)
    }
}

fn rtype_for(ip: &str) -> &'static str {
    if ip.contains(':') {
        "AAAA"
    } else {
        "A"
    }
}

/// Every record the cluster DNS would serve for these Services.
pub fn records(services: &[ServiceModel], pods: &[PodModel], domain: &str) -> Vec<DnsRecord> {
    let mut out = Vec::new();
    for (si, s) in services.iter().enumerate() {
        let fqdn = format!("{}.{}.svc.{domain}", s.name, s.namespace);
        let span = s.ports.first().map_or(Span::default(), |p| p.span);
        let mut push = |name: String, rtype: &'static str, data: String| {
            out.push(DnsRecord { name, rtype, data, service: si, span });
        };
        if s.type_ == "ExternalName" {
            if let Some(host) = &s.external_name {
                if host.parse::<std::net::IpAddr>().is_err() && !host.is_empty() {
                    push(fqdn.clone(), "CNAME", format!("{}.", host.trim_end_matches('.')));
                }
            }
            continue;
        }
        if !s.headless {
            if let Some(ip) = &s.cluster_ip {
                push(fqdn.clone(), rtype_for(ip), ip.clone());
                for p in s.ports.iter().filter(|p| !p.name.is_empty()) {
                    push(
                        format!("_{}._{}.{fqdn}", p.name, p.protocol.to_ascii_lowercase()),
                        "SRV",
                        format!("0 100 {} {fqdn}.", p.port),
                    );
                }
            }
            continue;
        }
        // Headless: the endpoints themselves (deduplicated by address across ports).
        let mut hosts: BTreeMap<String, String> = BTreeMap::new();
        for p in &s.ports {
            for e in p.endpoints.iter().filter(|e| e.ready) {
                let host = e
                    .pod
                    .and_then(|pi| pods.get(pi))
                    .and_then(|pod| endpoint_hostname(pod, &s.name))
                    .unwrap_or_else(|| e.ip.replace(['.', ':'], "-"));
                hosts.insert(e.ip.clone(), host);
            }
        }
        for ip in hosts.keys() {
            push(fqdn.clone(), rtype_for(ip), ip.clone());
        }
        for (ip, host) in &hosts {
            push(format!("{host}.{fqdn}"), rtype_for(ip), ip.clone());
        }
        for p in s.ports.iter().filter(|p| !p.name.is_empty()) {
            for e in p.endpoints.iter().filter(|e| e.ready) {
                if let Some(host) = hosts.get(&e.ip) {
                    push(
                        format!("_{}._{}.{fqdn}", p.name, p.protocol.to_ascii_lowercase()),
                        "SRV",
                        format!("0 {} {} {host}.{fqdn}.", 100 / hosts.len().max(1), e.port),
                    );
                }
            }
        }
    }
    // Records equal by `Ord` are equal in every field, so an unstable sort orders them the same
    // (and, unlike the stable one, needs no buffer of half the records).
    out.sort_unstable();
    out.dedup();
    out
}

/// The per-pod name under a headless Service: set when the pod's `subdomain` is the Service
/// name (StatefulSet pods get hostname = pod name, subdomain = `serviceName`).
fn endpoint_hostname(pod: &PodModel, service: &str) -> Option<String> {
    match (&pod.hostname, &pod.subdomain) {
        (Some(h), Some(sub)) if sub == service && !h.is_empty() => Some(h.clone()),
        _ => None,
    }
}

/// One query the resolver sent, and what came back.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attempt {
    pub query: String,
    pub answers: Vec<DnsRecord>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resolution {
    pub name: String,
    pub from_namespace: String,
    pub attempts: Vec<Attempt>,
    /// The records of the first query that had an answer; empty means NXDOMAIN.
    pub answers: Vec<DnsRecord>,
    /// Set when the name is outside the cluster domain: the cluster DNS forwards it upstream,
    /// which svcflow cannot see.
    pub upstream: bool,
}

impl Resolution {
    pub fn is_nxdomain(&self) -> bool {
        self.answers.is_empty() && !self.upstream
    }
}

/// Resolve `name` as a pod in `from_namespace` would: glibc/musl stub resolver with
/// `search <ns>.svc.<domain> svc.<domain> <domain>` and `ndots:5` (kubelet's
/// `pkg/kubelet/network/dns/dns.go`): fewer than 5 dots → search list first, then as is.
pub fn resolve(records: &[DnsRecord], name: &str, from_namespace: &str, domain: &str) -> Resolution {
    let raw = name.trim();
    let absolute = raw.ends_with('.');
    let base = raw.trim_end_matches('.').to_ascii_lowercase();
    let search = [format!("{from_namespace}.svc.{domain}"), format!("svc.{domain}"), domain.to_string()];
    let mut queries = Vec::new();
    if absolute {
        queries.push(base.clone());
    } else {
        let dots = base.matches('.').count();
        let searched: Vec<String> = search.iter().map(|s| format!("{base}.{s}")).collect();
        if dots >= 5 {
            queries.push(base.clone());
            queries.extend(searched);
        } else {
            queries.extend(searched);
            queries.push(base.clone());
        }
    }
    let mut attempts = Vec::new();
    let mut answers = Vec::new();
    let mut upstream = false;
    for q in queries {
        if q.is_empty() {
            continue;
        }
        let in_cluster = q == domain || q.ends_with(&format!(".{domain}"));
        let found: Vec<DnsRecord> = records.iter().filter(|r| r.name == q).cloned().collect();
        let hit = !found.is_empty();
        attempts.push(Attempt { query: q.clone(), answers: found.clone() });
        if hit {
            answers = found;
            break;
        }
        // A multi-label name outside the cluster domain goes to the upstream resolvers; a single
        // label (`web.`) is a top-level domain and does not exist.
        if !in_cluster && q.contains('.') {
            upstream = true;
            break;
        }
    }
    Resolution { name: raw.to_string(), from_namespace: from_namespace.to_string(), attempts, answers, upstream }
}
