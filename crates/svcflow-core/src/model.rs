//! Resolution: what a cluster would make of the objects.
//!
//! * Pods: bare Pods, and the pod templates of workloads expanded into replicas with
//!   deterministic names; IPs from `status` or allocated from the pod CIDR (marked simulated).
//! * Services: ClusterIP / NodePort as given or allocated (marked simulated).
//! * Endpoints as the EndpointSlice controller builds them
//!   (`pkg/controller/endpointslice` and `pkg/controller/util/endpointslice` in
//!   kubernetes/kubernetes: `podToEndpoint`, `ShouldPodBeInEndpoints`,
//!   `podutil.FindPort` for named target ports), with every left-out pod and its reason.

use crate::objects::{Body, Container, IntOrString, Labels, Object, PodSpec, Service, ServicePort, Workload};
use serde::Serialize;
use svcflow_source::hash::{HashMap, HashSet};
use svcflow_source::Span;

/// Settings of the simulated cluster.
#[derive(Clone, Debug)]
pub struct ClusterSettings {
    /// Pod IPs are allocated from here when a Pod has no `status.podIP`.
    pub pod_cidr: (u32, u8),
    /// ClusterIPs are allocated from here when a Service has none.
    pub service_cidr: (u32, u8),
    pub node_port_range: (i64, i64),
    /// Replicas simulated per workload at most (a typo like `replicas: 100000` stays cheap).
    pub max_replicas: i64,
}

impl Default for ClusterSettings {
    fn default() -> Self {
        ClusterSettings {
            pod_cidr: (u32::from_be_bytes([10, 244, 0, 0]), 16),
            service_cidr: (u32::from_be_bytes([10, 96, 0, 0]), 12),
            node_port_range: (30000, 32767),
            max_replicas: 50,
        }
    }
}

/// A pod: real (a `Pod` object) or simulated (one replica of a workload's template).
#[derive(Clone, Debug, Serialize)]
pub struct PodModel {
    pub name: String,
    pub namespace: String,
    /// Index into `Analysis::objects` of the Pod or workload that produced it.
    pub object: usize,
    /// `Kind/name` of the workload, or `Pod/name`.
    pub owner: String,
    pub ordinal: Option<u32>,
    pub ip: String,
    pub ip_simulated: bool,
    pub node: String,
    /// The `Ready` condition: from status, or assumed true for simulated pods whose readiness
    /// probe can run; false when a probe names a port its container lacks.
    pub ready: bool,
    pub ready_reason: Option<String>,
    pub terminating: bool,
    pub phase: String,
    pub hostname: Option<String>,
    pub subdomain: Option<String>,
    /// The labels span (template labels or pod labels), for linking.
    pub labels_span: Span,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct ServiceModel {
    pub object: usize,
    pub namespace: String,
    pub name: String,
    pub type_: String,
    pub headless: bool,
    pub external_name: Option<String>,
    pub cluster_ip: Option<String>,
    pub cluster_ip_simulated: bool,
    pub ports: Vec<PortModel>,
    /// EndpointSlices given in the input for this Service (label `kubernetes.io/service-name`).
    pub given_slices: Vec<usize>,
    /// Where endpoints come from.
    pub endpoint_source: EndpointSource,
    pub lb_ingress: Vec<String>,
    pub external_ips: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum EndpointSource {
    /// Built from the selector, as the EndpointSlice controller does.
    Selector,
    /// EndpointSlices / Endpoints given in the input.
    Given,
    /// ExternalName, or no selector and nothing given.
    None,
}

#[derive(Clone, Debug, Serialize)]
pub struct PortModel {
    pub name: String,
    pub protocol: String,
    pub port: i64,
    /// `targetPort` as written (defaulted to `port`).
    pub target: String,
    pub node_port: Option<i64>,
    pub node_port_simulated: bool,
    pub span: Span,
    pub endpoints: Vec<EndpointModel>,
    pub excluded: Vec<Exclusion>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EndpointModel {
    pub ip: String,
    pub port: i64,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    pub node: Option<String>,
    pub zone_hints: Vec<String>,
    pub node_hints: Vec<String>,
    /// The pod (index into `Analysis::pods`) behind it, when known.
    pub pod: Option<usize>,
    /// The container and port name that resolved the target port.
    pub container: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Exclusion {
    pub pod: usize,
    pub reason: ExclusionReason,
    pub detail: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExclusionReason {
    /// Some selector keys match, not all.
    Labels,
    /// All labels match, but the pod is in another namespace.
    Namespace,
    /// Listed, but not ready (so kube-proxy sends it no traffic).
    NotReady,
    /// Succeeded/Failed pods and pods without an IP get no endpoint.
    Terminal,
    /// The target port name resolves to no container port of this pod.
    NoSuchPort,
}

impl ExclusionReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ExclusionReason::Labels => "labels",
            ExclusionReason::Namespace => "namespace",
            ExclusionReason::NotReady => "not ready",
            ExclusionReason::Terminal => "terminal",
            ExclusionReason::NoSuchPort => "no such port",
        }
    }
}

/// Pods expanded from the objects (real Pods first where a workload is materialised by them).
pub fn expand_pods(objects: &[Object], nodes: &[String], settings: &ClusterSettings) -> Vec<PodModel> {
    let mut pods = Vec::new();
    // Workloads that real Pods (or ReplicaSets) in the input already stand for.
    let mut materialised: HashSet<(String, String, String)> = HashSet::default();
    for o in objects {
        for (kind, name) in &o.owners {
            materialised.insert((o.namespace.clone(), kind.clone(), name.clone()));
        }
    }
    let node_for = |i: usize| nodes.get(i % nodes.len().max(1)).cloned().unwrap_or_else(|| "node-1".to_string());
    let mut used_ips: HashSet<String> = HashSet::default();
    for (idx, o) in objects.iter().enumerate() {
        match &o.body {
            Body::Pod(p) => {
                let phase = p.status.phase.clone().unwrap_or_else(|| "Running".into());
                let (ready, ready_reason) = match p.status.ready {
                    Some(r) => (r, (!r).then(|| "the Pod's status has Ready=False".to_string())),
                    None if p.status.present => (false, Some("the Pod's status has no Ready condition".into())),
                    None => probe_readiness(&p.spec),
                };
                let ip = p.status.pod_ip.as_ref().map(|f| f.value.clone());
                if let Some(ip) = &ip {
                    used_ips.insert(ip.clone());
                }
                pods.push(PodModel {
                    name: o.name.clone(),
                    namespace: o.namespace.clone(),
                    object: idx,
                    owner: format!("Pod/{}", o.name),
                    ordinal: None,
                    ip_simulated: ip.is_none(),
                    ip: ip.unwrap_or_default(),
                    node: p.spec.node_name.clone().unwrap_or_else(|| node_for(pods.len())),
                    ready,
                    ready_reason,
                    terminating: p.deletion_timestamp,
                    phase,
                    hostname: p.spec.hostname.as_ref().map(|f| f.value.clone()),
                    subdomain: p.spec.subdomain.as_ref().map(|f| f.value.clone()),
                    labels_span: if o.labels.key == Span::default() { o.anchor() } else { o.labels.key },
                    span: o.span,
                });
            }
            Body::Workload(w) => {
                let key = (o.namespace.clone(), o.kind.clone(), o.name.clone());
                if materialised.contains(&key) {
                    continue;
                }
                // A ReplicaSet owned by a Deployment of the input is that Deployment's replicas.
                if o.kind == "ReplicaSet"
                    && o.owners.iter().any(|(k, n)| {
                        k == "Deployment" && objects.iter().any(|d| d.kind == "Deployment" && &d.name == n)
                    })
                {
                    continue;
                }
                for (ordinal, name) in replica_names(o, w, nodes, settings).into_iter().enumerate() {
                    let (ready, ready_reason) = probe_readiness(&w.template.spec);
                    let spec = &w.template.spec;
                    let (hostname, subdomain) = if o.kind == "StatefulSet" {
                        (Some(name.clone()), w.service_name.as_ref().map(|s| s.value.clone()))
                    } else {
                        (
                            spec.hostname.as_ref().map(|f| f.value.clone()),
                            spec.subdomain.as_ref().map(|f| f.value.clone()),
                        )
                    };
                    let node = if o.kind == "DaemonSet" {
                        node_for(ordinal)
                    } else {
                        spec.node_name.clone().unwrap_or_else(|| node_for(pods.len()))
                    };
                    pods.push(PodModel {
                        name,
                        namespace: o.namespace.clone(),
                        object: idx,
                        owner: format!("{}/{}", o.kind, o.name),
                        ordinal: (o.kind == "StatefulSet").then_some(ordinal as u32),
                        ip: String::new(),
                        ip_simulated: true,
                        node,
                        ready,
                        ready_reason,
                        terminating: false,
                        phase: "Running".into(),
                        hostname,
                        subdomain,
                        labels_span: if w.template.labels.key == Span::default() {
                            o.anchor()
                        } else {
                            w.template.labels.key
                        },
                        span: w.template.span,
                    });
                }
            }
            _ => {}
        }
    }
    // Deterministic IPs for pods without one: the next free address of the pod CIDR.
    let (base, prefix) = settings.pod_cidr;
    let size = 1u64 << (32 - prefix.min(32) as u32);
    let mut next = 2u64;
    for p in pods.iter_mut().filter(|p| p.ip_simulated) {
        while next < size {
            let ip = std::net::Ipv4Addr::from(base.wrapping_add(next as u32)).to_string();
            next += 1;
            // Skip .0 and .255 of each /24 for readability, as node pod ranges do.
            if ip.ends_with(".0") || ip.ends_with(".255") || used_ips.contains(&ip) {
                continue;
            }
            p.ip = ip;
            break;
        }
    }
    pods
}

/// Readiness of a simulated pod: a readiness or startup probe on a named port that its container
/// does not declare can never succeed (the kubelet cannot resolve the port).
fn probe_readiness(spec: &PodSpec) -> (bool, Option<String>) {
    for c in spec.containers.iter().filter(|c| !c.init || c.sidecar) {
        for probe in c.probes.iter().filter(|p| p.kind != "livenessProbe") {
            if let Some(IntOrString::Str(name)) = probe.port.as_ref().map(|p| &p.value) {
                let declared = c.ports.iter().any(|p| p.name.as_ref().is_some_and(|n| &n.value == name));
                if !declared {
                    return (
                        false,
                        Some(format!(
                            "the {} of container `{}` uses port `{name}`, which the container does not declare",
                            probe.kind, c.name
                        )),
                    );
                }
            }
        }
    }
    (true, None)
}

fn replica_names(o: &Object, w: &Workload, nodes: &[String], settings: &ClusterSettings) -> Vec<String> {
    let default = if o.kind == "DaemonSet" { nodes.len().max(1) as i64 } else { 1 };
    let count = w.replicas.as_ref().map_or(default, |r| r.value).clamp(0, settings.max_replicas);
    let count = if o.kind == "DaemonSet" { nodes.len().max(1) as i64 } else { count };
    let h = fnv(&format!("{}/{}/{}", o.kind, o.namespace, o.name));
    (0..count)
        .map(|i| match o.kind.as_str() {
            "StatefulSet" => format!("{}-{i}", o.name),
            // <deployment>-<pod-template-hash>-<suffix>, like a ReplicaSet's pods
            "Deployment" => format!("{}-{}-{}", o.name, pod_suffix(h, 10), pod_suffix(h.wrapping_add(i as u64 + 1), 5)),
            "CronJob" => {
                format!("{}-{}-{}", o.name, 29_000_000 + h % 1_000_000, pod_suffix(h.wrapping_add(i as u64), 5))
            }
            _ => format!("{}-{}", o.name, pod_suffix(h.wrapping_add(i as u64 + 1), 5)),
        })
        .collect()
}

/// Kubernetes' `rand.String` alphabet (no vowels, no confusable characters).
pub(crate) const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

fn pod_suffix(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8] = NAME_ALPHABET;
    let mut x = seed ^ 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ALPHABET[(x % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

pub(crate) fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// Resolve a Service port's target port against one pod's containers
/// (as `podutil.FindPort`: a name is looked up in the container ports by name and protocol).
pub fn resolve_target(port: &ServicePort, spec: &PodSpec) -> Result<(i64, Option<String>), String> {
    match port.effective_target() {
        IntOrString::Int(n) => {
            let container = spec
                .ports()
                .find(|(_, p)| p.container_port.as_ref().is_some_and(|c| c.value == n) && p.protocol == port.protocol())
                .map(|(c, _)| c.name.clone());
            Ok((n, container))
        }
        IntOrString::Str(name) => spec
            .ports()
            .find(|(_, p)| p.name.as_ref().is_some_and(|n| n.value == name) && p.protocol == port.protocol())
            .and_then(|(c, p)| Some((p.container_port.as_ref()?.value, Some(c.name.clone()))))
            .ok_or_else(|| format!("no container port named `{name}` with protocol {}", port.protocol())),
    }
}

pub(crate) fn pod_spec<'a>(objects: &'a [Object], pod: &PodModel) -> Option<&'a PodSpec> {
    match &objects.get(pod.object)?.body {
        Body::Pod(p) => Some(&p.spec),
        Body::Workload(w) => Some(&w.template.spec),
        _ => None,
    }
}

pub(crate) fn pod_labels<'a>(objects: &'a [Object], pod: &PodModel) -> Option<&'a Labels> {
    match &objects.get(pod.object)?.body {
        Body::Pod(_) => Some(&objects[pod.object].labels),
        Body::Workload(w) => Some(&w.template.labels),
        _ => None,
    }
}

/// All Services, with addresses allocated and endpoints resolved.
pub fn resolve_services(objects: &[Object], pods: &[PodModel], settings: &ClusterSettings) -> Vec<ServiceModel> {
    let mut taken_ips: HashSet<String> = HashSet::default();
    let mut taken_node_ports: HashSet<i64> = HashSet::default();
    for o in objects {
        if let Some(s) = o.service() {
            if let Some(ip) = &s.cluster_ip {
                taken_ips.insert(ip.value.clone());
            }
            for p in &s.ports {
                if let Some(np) = &p.node_port {
                    taken_node_ports.insert(np.value);
                }
            }
        }
    }
    // EndpointSlices and Endpoints by (namespace, service name).
    let mut slices: HashMap<(String, String), Vec<usize>> = HashMap::default();
    for (i, o) in objects.iter().enumerate() {
        let svc_name = match o.body {
            Body::EndpointSlice(_) => o.labels.get("kubernetes.io/service-name").map(str::to_string),
            Body::Endpoints(_) => Some(o.name.clone()),
            _ => None,
        };
        if let Some(n) = svc_name {
            slices.entry((o.namespace.clone(), n)).or_default().push(i);
        }
    }
    // Pods by label (key, value): a selector's candidates are the pods that carry at least one
    // of its pairs, so selection stays linear in the input instead of services × pods.
    let mut by_label: HashMap<(&str, &str), Vec<usize>> = HashMap::default();
    for (i, p) in pods.iter().enumerate() {
        if let Some(labels) = pod_labels(objects, p) {
            for e in &labels.entries {
                by_label.entry((e.key.as_str(), e.value.as_str())).or_default().push(i);
            }
        }
    }

    let mut out = Vec::new();
    for (idx, o) in objects.iter().enumerate() {
        let Some(svc) = o.service() else { continue };
        let headless = svc.is_headless();
        let external_name =
            svc.is_external_name().then(|| svc.external_name.as_ref().map(|e| e.value.clone())).flatten();
        let (cluster_ip, simulated) = if svc.is_external_name() || headless {
            (None, false)
        } else {
            match &svc.cluster_ip {
                Some(ip) if !ip.value.is_empty() => (Some(ip.value.clone()), false),
                _ => (Some(allocate_ip(o, settings, &mut taken_ips)), true),
            }
        };
        let given = slices.get(&(o.namespace.clone(), o.name.clone())).cloned().unwrap_or_default();
        let source = if svc.is_external_name() {
            EndpointSource::None
        } else if !given.is_empty() {
            EndpointSource::Given
        } else if svc.selector.as_ref().is_some_and(|s| !s.is_empty()) {
            EndpointSource::Selector
        } else {
            EndpointSource::None
        };
        let mut ports = Vec::new();
        for p in &svc.ports {
            let wants_node_port = matches!(svc.type_name(), "NodePort" | "LoadBalancer");
            let (node_port, np_sim) = match &p.node_port {
                Some(np) => (Some(np.value), false),
                None if wants_node_port => (Some(allocate_node_port(o, p, settings, &mut taken_node_ports)), true),
                None => (None, false),
            };
            let mut pm = PortModel {
                name: p.name().to_string(),
                protocol: p.protocol().to_string(),
                port: p.port(),
                target: match p.effective_target() {
                    IntOrString::Int(n) => n.to_string(),
                    IntOrString::Str(s) => s,
                },
                node_port,
                node_port_simulated: np_sim,
                span: p.span,
                endpoints: Vec::new(),
                excluded: Vec::new(),
            };
            match source {
                EndpointSource::Selector => select_endpoints(objects, pods, &by_label, o, svc, p, &mut pm),
                EndpointSource::Given => given_endpoints(objects, &given, pods, p, &mut pm),
                EndpointSource::None => {}
            }
            pm.endpoints.sort_by(|a, b| (a.ip.as_str(), a.port).cmp(&(b.ip.as_str(), b.port)));
            ports.push(pm);
        }
        out.push(ServiceModel {
            object: idx,
            namespace: o.namespace.clone(),
            name: o.name.clone(),
            type_: svc.type_name().to_string(),
            headless,
            external_name,
            cluster_ip,
            cluster_ip_simulated: simulated,
            ports,
            given_slices: given,
            endpoint_source: source,
            lb_ingress: svc.lb_ingress.iter().filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone())).collect(),
            external_ips: svc.external_ips.iter().map(|e| e.value.clone()).collect(),
        });
    }
    out
}

fn select_endpoints(
    objects: &[Object],
    pods: &[PodModel],
    by_label: &HashMap<(&str, &str), Vec<usize>>,
    o: &Object,
    svc: &Service,
    port: &ServicePort,
    pm: &mut PortModel,
) {
    let Some(selector) = &svc.selector else { return };
    let mut candidates: Vec<usize> = selector
        .entries
        .iter()
        .flat_map(|e| by_label.get(&(e.key.as_str(), e.value.as_str())).into_iter().flatten().copied())
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    {
        for pi in candidates {
            let pod = &pods[pi];
            let ns = &pod.namespace;
            let Some(labels) = pod_labels(objects, pod) else { continue };
            let matched = selector.entries.iter().filter(|e| labels.get(&e.key) == Some(e.value.as_str())).count();
            if *ns != o.namespace {
                if matched == selector.entries.len() {
                    pm.excluded.push(Exclusion {
                        pod: pi,
                        reason: ExclusionReason::Namespace,
                        detail: format!(
                            "labels match, but the pod is in namespace `{ns}` and the Service in `{}`; selectors never cross namespaces",
                            o.namespace
                        ),
                    });
                }
                continue;
            }
            if matched < selector.entries.len() {
                if matched > 0 {
                    let missing: Vec<String> = selector
                        .entries
                        .iter()
                        .filter(|e| labels.get(&e.key) != Some(e.value.as_str()))
                        .map(|e| match labels.get(&e.key) {
                            Some(v) => format!("{}={} (pod has {}={v})", e.key, e.value, e.key),
                            None => format!("{}={} (pod has no `{}` label)", e.key, e.value, e.key),
                        })
                        .collect();
                    pm.excluded.push(Exclusion {
                        pod: pi,
                        reason: ExclusionReason::Labels,
                        detail: format!("selector needs {}", missing.join(", ")),
                    });
                }
                continue;
            }
            // ShouldPodBeInEndpoints: terminal pods and pods without an IP are left out.
            if pod.phase == "Succeeded" || pod.phase == "Failed" || pod.ip.is_empty() {
                pm.excluded.push(Exclusion {
                    pod: pi,
                    reason: ExclusionReason::Terminal,
                    detail: if pod.ip.is_empty() {
                        "the pod has no IP yet".into()
                    } else {
                        format!("the pod's phase is {}", pod.phase)
                    },
                });
                continue;
            }
            let Some(spec) = pod_spec(objects, pod) else { continue };
            match resolve_target(port, spec) {
                Ok((number, container)) => {
                    let serving = pod.ready;
                    let terminating = pod.terminating;
                    let ready = svc.publish_not_ready_addresses || (serving && !terminating);
                    if !ready {
                        pm.excluded.push(Exclusion {
                            pod: pi,
                            reason: ExclusionReason::NotReady,
                            detail: pod.ready_reason.clone().unwrap_or_else(|| {
                                if terminating {
                                    "the pod is terminating".into()
                                } else {
                                    "the pod is not Ready".into()
                                }
                            }),
                        });
                    }
                    pm.endpoints.push(EndpointModel {
                        ip: pod.ip.clone(),
                        port: number,
                        ready,
                        serving,
                        terminating,
                        node: Some(pod.node.clone()),
                        zone_hints: Vec::new(),
                        node_hints: Vec::new(),
                        pod: Some(pi),
                        container,
                        span: pod.span,
                    });
                }
                Err(why) => pm.excluded.push(Exclusion { pod: pi, reason: ExclusionReason::NoSuchPort, detail: why }),
            }
        }
    }
}

fn given_endpoints(objects: &[Object], given: &[usize], pods: &[PodModel], port: &ServicePort, pm: &mut PortModel) {
    let proto = port.protocol();
    let by_ip: HashMap<&str, usize> = pods.iter().enumerate().map(|(i, p)| (p.ip.as_str(), i)).collect();
    let pod_by_ip = |ip: &str| by_ip.get(ip).copied();
    for &i in given {
        match &objects[i].body {
            Body::EndpointSlice(s) => {
                // kube-proxy pairs slice ports with Service ports by name and protocol.
                let Some(sp) = s.ports.iter().find(|sp| {
                    sp.name.as_deref() == Some(port.name()) && sp.protocol.as_deref().unwrap_or("TCP") == proto
                }) else {
                    continue;
                };
                let Some(number) = sp.port.filter(|p| *p != 0) else { continue };
                for e in &s.endpoints {
                    let Some(ip) = e.addresses.first() else { continue };
                    let ready = e.ready.unwrap_or(true);
                    pm.endpoints.push(EndpointModel {
                        ip: ip.clone(),
                        port: number,
                        ready,
                        serving: e.serving.unwrap_or(ready),
                        terminating: e.terminating.unwrap_or(false),
                        node: e.node_name.clone(),
                        zone_hints: e.zone_hints.clone(),
                        node_hints: e.node_hints.clone(),
                        pod: pod_by_ip(ip),
                        container: None,
                        span: e.span,
                    });
                }
            }
            Body::Endpoints(ep) => {
                for subset in &ep.subsets {
                    let Some(sp) = subset.ports.iter().find(|sp| {
                        sp.name.as_deref().unwrap_or("") == port.name()
                            && sp.protocol.as_deref().unwrap_or("TCP") == proto
                    }) else {
                        continue;
                    };
                    let Some(number) = sp.port else { continue };
                    for (list, ready) in [(&subset.ready, true), (&subset.not_ready, false)] {
                        for (ip, span, node) in list {
                            pm.endpoints.push(EndpointModel {
                                ip: ip.clone(),
                                port: number,
                                ready,
                                serving: ready,
                                terminating: false,
                                node: node.clone(),
                                zone_hints: Vec::new(),
                                node_hints: Vec::new(),
                                pod: pod_by_ip(ip),
                                container: None,
                                span: *span,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// A stable ClusterIP for a Service without one: hashed into the service CIDR, probing past
/// addresses already taken; `.1` (the `kubernetes` Service) and `.10` (kube-dns) stay free.
fn allocate_ip(o: &Object, settings: &ClusterSettings, taken: &mut HashSet<String>) -> String {
    let (base, prefix) = settings.service_cidr;
    let size = 1u64 << (32 - prefix.min(32) as u32);
    let mut n = fnv(&format!("{}/{}", o.namespace, o.name)) % size;
    for _ in 0..size {
        let ip = std::net::Ipv4Addr::from(base.wrapping_add(n as u32));
        let last = ip.octets()[3];
        let s = ip.to_string();
        if n > 10 && last != 0 && last != 255 && !taken.contains(&s) {
            taken.insert(s.clone());
            return s;
        }
        n = (n + 1) % size;
    }
    String::new()
}

fn allocate_node_port(o: &Object, p: &ServicePort, settings: &ClusterSettings, taken: &mut HashSet<i64>) -> i64 {
    let (lo, hi) = settings.node_port_range;
    let span = (hi - lo + 1) as u64;
    let mut n = fnv(&format!("{}/{}/{}/{}", o.namespace, o.name, p.name(), p.port())) % span;
    for _ in 0..span {
        let port = lo + n as i64;
        if !taken.contains(&port) {
            taken.insert(port);
            return port;
        }
        n = (n + 1) % span;
    }
    0
}

/// The containers of a pod spec that serve ports (for display).
pub fn serving_containers(spec: &PodSpec) -> Vec<&Container> {
    spec.serving_containers().collect()
}
