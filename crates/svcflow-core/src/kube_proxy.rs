//! From the engine's model to kube-proxy's inputs (`svcflow-proxy`): Services, EndpointSlices
//! (given ones, or the ones the EndpointSlice controller would write for a selector), and the
//! node / kube-proxy settings (a `KubeProxyConfiguration` and a `Node` of the input, then flags,
//! which win).

use crate::model::EndpointSource;
use crate::objects::{Body, KubeProxyConfig, Object};
use crate::Analysis;
use std::collections::BTreeMap;
pub use svcflow_proxy::IpFamily;
pub use svcflow_proxy::{
    generate_iptables, generate_ipvs, generate_nftables, normalize_iptables, Chain, ChainKind, IptablesOutput,
    ProxyError, ProxySummary, Rule, Table,
};
use svcflow_proxy::{
    DetectLocalMode, ProxyConfig, ProxyEndpoint, ProxyEndpointPort, ProxyEndpointSlice, ProxyLbIngress, ProxyService,
    ProxyServicePort, ServiceType,
};

/// kube-proxy's settings as flags give them (`None` = not given; the input or the default
/// decides). Names follow kube-proxy's flags.
#[derive(Clone, Debug, Default)]
pub struct ProxyFlags {
    pub hostname_override: Option<String>,
    pub node_ip: Option<String>,
    pub node_addresses: Option<Vec<String>>,
    pub node_labels: Option<BTreeMap<String, String>>,
    pub ip_family: Option<IpFamily>,
    pub cluster_cidr: Option<String>,
    pub detect_local_mode: Option<String>,
    pub pod_bridge_interface: Option<String>,
    pub pod_interface_name_prefix: Option<String>,
    pub masquerade_all: Option<bool>,
    pub masquerade_bit: Option<i64>,
    pub nodeport_addresses: Option<Vec<String>>,
    pub localhost_nodeports: Option<bool>,
}

/// The kube-proxy inputs of an analysis.
pub struct ProxyInput {
    pub services: Vec<ProxyService>,
    pub slices: Vec<ProxyEndpointSlice>,
    pub config: ProxyConfig,
}

/// Build kube-proxy's inputs. Errors name the flag or the object field at fault.
pub fn proxy_input(analysis: &Analysis, flags: &ProxyFlags) -> Result<ProxyInput, ProxyError> {
    let config = proxy_config(analysis, flags)?;
    // Services as the API server would have them after allocation: a missing ClusterIP or
    // NodePort gets the engine's (simulated) one.
    let services = analysis
        .services
        .iter()
        .filter_map(|m| {
            let mut ps = proxy_service(&analysis.objects[m.object])?;
            if ps.cluster_ip.is_empty() {
                if let Some(ip) = &m.cluster_ip {
                    ps.cluster_ip = ip.clone();
                }
            }
            for (p, pm) in ps.ports.iter_mut().zip(&m.ports) {
                if p.node_port == 0 {
                    p.node_port = pm.node_port.map_or(0, clamp_i32);
                }
            }
            Some(ps)
        })
        .collect();
    let mut slices: Vec<ProxyEndpointSlice> = analysis.objects.iter().filter_map(proxy_slice).collect();
    slices.extend(synthesised_slices(analysis));
    Ok(ProxyInput { services, slices, config })
}

fn proxy_service(o: &Object) -> Option<ProxyService> {
    let s = o.service()?;
    let type_ = match s.type_name() {
        "NodePort" => ServiceType::NodePort,
        "LoadBalancer" => ServiceType::LoadBalancer,
        "ExternalName" => ServiceType::ExternalName,
        _ => ServiceType::ClusterIP,
    };
    Some(ProxyService {
        namespace: o.namespace.clone(),
        name: o.name.clone(),
        type_,
        cluster_ip: s.cluster_ip.as_ref().map(|c| c.value.clone()).unwrap_or_default(),
        cluster_ips: s.cluster_ips.iter().map(|c| c.value.clone()).collect(),
        ip_families: s.ip_families.clone(),
        ports: s
            .ports
            .iter()
            .map(|p| ProxyServicePort {
                name: p.name().to_string(),
                protocol: p.protocol().to_string(),
                port: clamp_i32(p.port()),
                node_port: p.node_port.as_ref().map_or(0, |n| clamp_i32(n.value)),
                span: Some(p.span),
            })
            .collect(),
        external_ips: s.external_ips.iter().map(|e| e.value.clone()).collect(),
        lb_ingress: s
            .lb_ingress
            .iter()
            .filter_map(|i| Some(ProxyLbIngress { ip: i.ip.clone()?, ip_mode: i.ip_mode.clone(), span: Some(i.span) }))
            .collect(),
        lb_source_ranges: s.lb_source_ranges.iter().map(|r| r.value.clone()).collect(),
        // The API server defaults timeoutSeconds to 10800 for ClientIP affinity.
        session_affinity_client_ip: s
            .client_ip_affinity()
            .then(|| s.session_affinity_timeout.as_ref().map_or(10800, |t| clamp_i32(t.value))),
        external_traffic_policy_local: s.etp_local(),
        internal_traffic_policy_local: s.itp_local(),
        health_check_node_port: s.health_check_node_port.as_ref().map_or(0, |h| clamp_i32(h.value)),
        labels: o.labels.entries.iter().map(|e| (e.key.clone(), e.value.clone())).collect(),
        span: Some(o.span),
    })
}

fn clamp_i32(v: i64) -> i32 {
    v.clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

fn proxy_slice(o: &Object) -> Option<ProxyEndpointSlice> {
    let port = |p: &crate::objects::SlicePort| ProxyEndpointPort {
        name: p.name.clone(),
        port: p.port.map(clamp_i32),
        protocol: p.protocol.clone(),
        span: Some(p.span),
    };
    let labels: BTreeMap<String, String> = o.labels.entries.iter().map(|e| (e.key.clone(), e.value.clone())).collect();
    match &o.body {
        Body::EndpointSlice(s) => Some(ProxyEndpointSlice {
            namespace: o.namespace.clone(),
            name: o.name.clone(),
            address_type: s.address_type.clone(),
            service_name: o.labels.get(svcflow_proxy::LABEL_SERVICE_NAME).map(str::to_string),
            labels,
            ports: s.ports.iter().map(port).collect(),
            endpoints: s
                .endpoints
                .iter()
                .map(|e| ProxyEndpoint {
                    addresses: e.addresses.clone(),
                    ready: e.ready,
                    serving: e.serving,
                    terminating: e.terminating,
                    node_name: e.node_name.clone(),
                    zone_hints: e.zone_hints.clone(),
                    node_hints: e.node_hints.clone(),
                    span: Some(e.span),
                })
                .collect(),
            span: Some(o.span),
        }),
        // A legacy Endpoints object, as the EndpointSlice mirroring controller copies it
        // (only for Services without a selector; it is how selector-less Services worked).
        Body::Endpoints(ep) => {
            let mut endpoints = Vec::new();
            let mut ports = Vec::new();
            for subset in &ep.subsets {
                ports.extend(subset.ports.iter().map(port));
                for (list, ready) in [(&subset.ready, true), (&subset.not_ready, false)] {
                    for (ip, span, node) in list {
                        endpoints.push(ProxyEndpoint {
                            addresses: vec![ip.clone()],
                            ready: Some(ready),
                            serving: Some(ready),
                            terminating: Some(false),
                            node_name: node.clone(),
                            zone_hints: Vec::new(),
                            node_hints: Vec::new(),
                            span: Some(*span),
                        });
                    }
                }
            }
            let family = address_type(&endpoints);
            Some(ProxyEndpointSlice {
                namespace: o.namespace.clone(),
                name: format!("{}-mirrored", o.name),
                address_type: family.into(),
                service_name: Some(o.name.clone()),
                labels: BTreeMap::new(),
                ports,
                endpoints,
                span: Some(o.span),
            })
        }
        _ => None,
    }
}

/// The slices the EndpointSlice controller would write for Services with a selector and no
/// slice in the input: pods that resolve the ports to the same numbers share a slice.
fn synthesised_slices(analysis: &Analysis) -> Vec<ProxyEndpointSlice> {
    let mut out = Vec::new();
    for s in analysis.services.iter().filter(|s| s.endpoint_source == EndpointSource::Selector) {
        // pod → [(port name, protocol, number)]
        let mut per_pod: BTreeMap<usize, Vec<(String, String, i64)>> = BTreeMap::new();
        for p in &s.ports {
            for e in &p.endpoints {
                if let Some(pi) = e.pod {
                    per_pod.entry(pi).or_default().push((p.name.clone(), p.protocol.clone(), e.port));
                }
            }
        }
        let mut groups: BTreeMap<Vec<(String, String, i64)>, Vec<usize>> = BTreeMap::new();
        for (pi, ports) in per_pod {
            groups.entry(ports).or_default().push(pi);
        }
        for (n, (ports, pods)) in groups.into_iter().enumerate() {
            let endpoints = pods
                .iter()
                .filter_map(|&pi| {
                    let pod = analysis.pods.get(pi)?;
                    let e = s.ports.iter().flat_map(|p| &p.endpoints).find(|e| e.pod == Some(pi))?;
                    Some(ProxyEndpoint {
                        addresses: vec![pod.ip.clone()],
                        ready: Some(e.ready),
                        serving: Some(e.serving),
                        terminating: Some(e.terminating),
                        node_name: Some(pod.node.clone()),
                        zone_hints: Vec::new(),
                        node_hints: Vec::new(),
                        span: Some(pod.span),
                    })
                })
                .collect::<Vec<_>>();
            let family = address_type(&endpoints);
            out.push(ProxyEndpointSlice {
                namespace: s.namespace.clone(),
                name: format!("{}-{}", s.name, slice_suffix(&s.name, n)),
                address_type: family.into(),
                service_name: Some(s.name.clone()),
                labels: BTreeMap::from([(svcflow_proxy::LABEL_SERVICE_NAME.to_string(), s.name.clone())]),
                ports: ports
                    .into_iter()
                    .map(|(name, protocol, port)| ProxyEndpointPort {
                        name: Some(name),
                        port: Some(clamp_i32(port)),
                        protocol: Some(protocol),
                        span: None,
                    })
                    .collect(),
                endpoints,
                span: None,
            });
        }
    }
    out
}

fn slice_suffix(name: &str, n: usize) -> String {
    let alphabet = crate::model::NAME_ALPHABET;
    let mut x = crate::model::fnv(&format!("{name}/{n}"));
    (0..5)
        .map(|_| {
            let c = alphabet[(x % alphabet.len() as u64) as usize] as char;
            x /= alphabet.len() as u64;
            c
        })
        .collect()
}

/// `addressType` of a slice built from these endpoints (every one has one address).
fn address_type(endpoints: &[ProxyEndpoint]) -> &'static str {
    if endpoints.iter().any(|e| e.addresses[0].contains(':')) {
        "IPv6"
    } else {
        "IPv4"
    }
}

/// Settings: defaults of a current real node, then a `KubeProxyConfiguration` and the `Node`
/// of the input, then flags.
pub fn proxy_config(analysis: &Analysis, flags: &ProxyFlags) -> Result<ProxyConfig, ProxyError> {
    let mut c = ProxyConfig::default();
    let kpc: Option<&KubeProxyConfig> = analysis.objects.iter().find_map(|o| match &o.body {
        Body::KubeProxyConfiguration(k) => Some(k),
        _ => None,
    });
    let mut mode_text: Option<String> = None;
    if let Some(k) = kpc {
        if let Some(cidr) = &k.cluster_cidr {
            c.cluster_cidr = Some(cidr.value.clone()).filter(|s| !s.is_empty());
        }
        if let Some(m) = k.masquerade_all {
            c.masquerade_all = m;
        }
        if let Some(bit) = &k.masquerade_bit {
            c.masquerade_bit = check_bit(bit.value)?;
        }
        if let Some(l) = k.localhost_nodeports {
            c.localhost_nodeports = l;
        }
        if !k.nodeport_addresses.is_empty() {
            c.nodeport_addresses = k.nodeport_addresses.iter().map(|a| a.value.clone()).collect();
        }
        mode_text = k.detect_local_mode.as_ref().map(|m| m.value.clone()).filter(|s| !s.is_empty());
        c.bridge_interface = k.bridge_interface.clone();
        c.interface_name_prefix = k.interface_name_prefix.clone();
        if let Some(h) = &k.hostname_override {
            c.node_name = h.clone();
        }
    }
    if let Some(h) = &flags.hostname_override {
        c.node_name = h.clone();
    }
    // The Node object: the one named like this node when a name was given, else the first one
    // (whose name then becomes the node name).
    let named = flags.hostname_override.is_some() || kpc.is_some_and(|k| k.hostname_override.is_some());
    let node = analysis.objects.iter().filter(|o| o.kind == "Node").find(|o| !named || o.name == c.node_name);
    if let Some(n) = node {
        c.node_name = n.name.clone();
        c.node_labels = n.labels.entries.iter().map(|e| (e.key.clone(), e.value.clone())).collect();
        if let Body::Node(info) = &n.body {
            if !info.internal_ips.is_empty() {
                c.node_ip = Some(info.internal_ips.join(","));
                c.node_addresses = info.internal_ips.clone();
            }
            c.node_pod_cidr = info.pod_cidr.clone();
        }
    }
    if let Some(v) = &flags.node_ip {
        c.node_ip = Some(v.clone());
    }
    if let Some(v) = &flags.node_addresses {
        c.node_addresses = v.clone();
    }
    if let Some(v) = &flags.node_labels {
        c.node_labels = v.clone();
    }
    if let Some(v) = flags.ip_family {
        c.ip_family = v;
    }
    if let Some(v) = &flags.cluster_cidr {
        c.cluster_cidr = Some(v.clone());
    }
    if let Some(v) = &flags.detect_local_mode {
        mode_text = Some(v.clone());
    }
    if let Some(v) = &flags.pod_bridge_interface {
        c.bridge_interface = Some(v.clone());
    }
    if let Some(v) = &flags.pod_interface_name_prefix {
        c.interface_name_prefix = Some(v.clone());
    }
    if let Some(v) = flags.masquerade_all {
        c.masquerade_all = v;
    }
    if let Some(v) = flags.masquerade_bit {
        c.masquerade_bit = check_bit(v)?;
    }
    if let Some(v) = &flags.nodeport_addresses {
        c.nodeport_addresses = v.clone();
    }
    if let Some(v) = flags.localhost_nodeports {
        c.localhost_nodeports = v;
    }
    c.detect_local_mode = match mode_text.as_deref() {
        // kube-proxy's default: ClusterCIDR, which is a no-op without --cluster-cidr.
        None | Some("ClusterCIDR") => DetectLocalMode::ClusterCIDR,
        Some("NodeCIDR") => DetectLocalMode::NodeCIDR,
        Some("BridgeInterface") => DetectLocalMode::BridgeInterface,
        Some("InterfaceNamePrefix") => DetectLocalMode::InterfaceNamePrefix,
        Some(other) => {
            return Err(ProxyError::new(
                format!(
                    "unknown --detect-local-mode `{other}` (expected ClusterCIDR, NodeCIDR, BridgeInterface or InterfaceNamePrefix)"
                ),
                None,
            ))
        }
    };
    Ok(c)
}

fn check_bit(v: i64) -> Result<u32, ProxyError> {
    if (0..=31).contains(&v) {
        Ok(v as u32)
    } else {
        Err(ProxyError::new(format!("--iptables-masquerade-bit must be between 0 and 31, got {v}"), None))
    }
}

/// kube-proxy's chains per service port for an analysis, without the rules
/// ([`svcflow_proxy::summarize_iptables`]).
pub fn summary(analysis: &Analysis, flags: &ProxyFlags) -> Result<svcflow_proxy::ProxySummary, ProxyError> {
    let input = proxy_input(analysis, flags)?;
    svcflow_proxy::summarize_iptables(&input.services, &input.slices, &input.config)
}

/// The modes kube-proxy runs in (`--proxy-mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProxyMode {
    Iptables,
    Nftables,
    Ipvs,
}

impl ProxyMode {
    pub const ALL: [ProxyMode; 3] = [ProxyMode::Iptables, ProxyMode::Nftables, ProxyMode::Ipvs];

    /// The `--proxy-mode` value.
    pub fn as_str(self) -> &'static str {
        match self {
            ProxyMode::Iptables => "iptables",
            ProxyMode::Nftables => "nftables",
            ProxyMode::Ipvs => "ipvs",
        }
    }

    pub fn parse(s: &str) -> Option<ProxyMode> {
        ProxyMode::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// kube-proxy's rules for an analysis in one mode: the iptables output (text, rules and chains
/// with provenance), or the nftables / IPVS text alone.
pub fn rules(analysis: &Analysis, flags: &ProxyFlags, mode: ProxyMode) -> Result<ProxyRules, ProxyError> {
    if mode == ProxyMode::Iptables {
        let out = iptables(analysis, flags)?;
        return Ok(ProxyRules { text: out.text, rules: out.rules, chains: out.chains });
    }
    let input = proxy_input(analysis, flags)?;
    let text = if mode == ProxyMode::Nftables {
        generate_nftables(&input.services, &input.slices, &input.config)
    } else {
        generate_ipvs(&input.services, &input.slices, &input.config)
    }?;
    Ok(ProxyRules { text, rules: Vec::new(), chains: Vec::new() })
}

/// A refusal as the JS package and the browser show it: "line 12, column 9: <message>".
pub fn describe_error(sources: &crate::Sources, e: &ProxyError) -> String {
    match e.span {
        Some(span) => {
            let lc = sources.line_col(span);
            format!("line {}, column {}: {}", lc.line, lc.column, e.message)
        }
        None => e.message.clone(),
    }
}

/// See [`rules`]: `rules` and `chains` are empty except in iptables mode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyRules {
    pub text: String,
    pub rules: Vec<svcflow_proxy::Rule>,
    pub chains: Vec<svcflow_proxy::Chain>,
}

/// kube-proxy's iptables output for an analysis.
pub fn iptables(analysis: &Analysis, flags: &ProxyFlags) -> Result<svcflow_proxy::IptablesOutput, ProxyError> {
    let input = proxy_input(analysis, flags)?;
    svcflow_proxy::generate_iptables(&input.services, &input.slices, &input.config)
}
