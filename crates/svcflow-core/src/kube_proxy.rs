//! From the engine's model to kube-proxy's inputs (`svcflow-proxy`): Services, EndpointSlices
//! (given ones, or the ones the EndpointSlice controller would write for a selector), and the
//! node / kube-proxy settings (a `KubeProxyConfiguration` and a `Node` of the input, then flags,
//! which win).

use crate::model::{EndpointModel, EndpointSource};
use crate::objects::{Body, KubeProxyConfig, Object};
use crate::Analysis;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
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

/// The kube-proxy inputs of an analysis. Their text is borrowed from the analysis; only the
/// names of synthesised and mirrored slices are owned.
pub struct ProxyInput<'a> {
    pub services: Vec<ProxyService<Cow<'a, str>>>,
    pub slices: Vec<ProxyEndpointSlice<Cow<'a, str>>>,
    pub config: ProxyConfig,
}

/// Build kube-proxy's inputs. Errors name the flag or the object field at fault.
pub fn proxy_input<'a>(analysis: &'a Analysis, flags: &ProxyFlags) -> Result<ProxyInput<'a>, ProxyError> {
    let config = proxy_config(analysis, flags)?;
    // Services as the API server would have them after allocation: a missing ClusterIP or
    // NodePort gets the engine's (simulated) one.
    let mut services = Vec::with_capacity(analysis.services.len());
    services.extend(analysis.services.iter().filter_map(|m| {
        let mut ps = proxy_service(&analysis.objects[m.object])?;
        if ps.cluster_ip.is_empty() {
            if let Some(ip) = &m.cluster_ip {
                ps.cluster_ip = Cow::Borrowed(ip);
            }
        }
        for (p, pm) in ps.ports.iter_mut().zip(&m.ports) {
            if p.node_port == 0 {
                p.node_port = pm.node_port.map_or(0, clamp_i32);
            }
        }
        Some(ps)
    }));
    let mut slices = Vec::new();
    slices.extend(analysis.objects.iter().filter_map(proxy_slice));
    synthesised_slices(analysis, &mut slices);
    Ok(ProxyInput { services, slices, config })
}

fn borrowed(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

fn labels(labels: &crate::objects::Labels) -> BTreeMap<Cow<'_, str>, Cow<'_, str>> {
    // Inserted one by one (a later key wins, as with `collect`, which would first gather
    // them in a list of its own).
    let mut map = BTreeMap::new();
    for e in &labels.entries {
        map.insert(borrowed(&e.key), borrowed(&e.value));
    }
    map
}

fn proxy_service(o: &Object) -> Option<ProxyService<Cow<'_, str>>> {
    let s = o.service()?;
    let type_ = match s.type_name() {
        "NodePort" => ServiceType::NodePort,
        "LoadBalancer" => ServiceType::LoadBalancer,
        "ExternalName" => ServiceType::ExternalName,
        _ => ServiceType::ClusterIP,
    };
    Some(ProxyService {
        namespace: borrowed(&o.namespace),
        name: borrowed(&o.name),
        type_,
        cluster_ip: s.cluster_ip.as_ref().map_or(Cow::Borrowed(""), |c| borrowed(&c.value)),
        cluster_ips: s.cluster_ips.iter().map(|c| borrowed(&c.value)).collect(),
        ip_families: s.ip_families.iter().map(|f| borrowed(f)).collect(),
        ports: s
            .ports
            .iter()
            .map(|p| ProxyServicePort {
                name: borrowed(p.name()),
                protocol: borrowed(p.protocol()),
                port: clamp_i32(p.port()),
                node_port: p.node_port.as_ref().map_or(0, |n| clamp_i32(n.value)),
                span: Some(p.span),
            })
            .collect(),
        external_ips: s.external_ips.iter().map(|e| borrowed(&e.value)).collect(),
        lb_ingress: s
            .lb_ingress
            .iter()
            .filter_map(|i| {
                Some(ProxyLbIngress {
                    ip: borrowed(i.ip.as_ref()?),
                    ip_mode: i.ip_mode.as_deref().map(borrowed),
                    span: Some(i.span),
                })
            })
            .collect(),
        lb_source_ranges: s.lb_source_ranges.iter().map(|r| borrowed(&r.value)).collect(),
        // The API server defaults timeoutSeconds to 10800 for ClientIP affinity.
        session_affinity_client_ip: s
            .client_ip_affinity()
            .then(|| s.session_affinity_timeout.as_ref().map_or(10800, |t| clamp_i32(t.value))),
        external_traffic_policy_local: s.etp_local(),
        internal_traffic_policy_local: s.itp_local(),
        health_check_node_port: s.health_check_node_port.as_ref().map_or(0, |h| clamp_i32(h.value)),
        labels: labels(&o.labels),
        span: Some(o.span),
    })
}

fn clamp_i32(v: i64) -> i32 {
    v.clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

fn proxy_slice<'a>(o: &'a Object) -> Option<ProxyEndpointSlice<Cow<'a, str>>> {
    let port = |p: &'a crate::objects::SlicePort| ProxyEndpointPort {
        name: p.name.as_deref().map(borrowed),
        port: p.port.map(clamp_i32),
        protocol: p.protocol.as_deref().map(borrowed),
        span: Some(p.span),
    };
    let strings = |list: &'a [String]| list.iter().map(|x| borrowed(x)).collect();
    match &o.body {
        Body::EndpointSlice(s) => Some(ProxyEndpointSlice {
            namespace: borrowed(&o.namespace),
            name: borrowed(&o.name),
            address_type: borrowed(&s.address_type),
            service_name: o.labels.get(svcflow_proxy::LABEL_SERVICE_NAME).map(borrowed),
            labels: labels(&o.labels),
            ports: s.ports.iter().map(port).collect(),
            endpoints: s
                .endpoints
                .iter()
                .map(|e| ProxyEndpoint {
                    addresses: strings(&e.addresses),
                    ready: e.ready,
                    serving: e.serving,
                    terminating: e.terminating,
                    node_name: e.node_name.as_deref().map(borrowed),
                    zone_hints: strings(&e.zone_hints),
                    node_hints: strings(&e.node_hints),
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
                            addresses: vec![borrowed(ip)],
                            ready: Some(ready),
                            serving: Some(ready),
                            terminating: Some(false),
                            node_name: node.as_deref().map(borrowed),
                            zone_hints: Vec::new(),
                            node_hints: Vec::new(),
                            span: Some(*span),
                        });
                    }
                }
            }
            let family = address_type(&endpoints);
            Some(ProxyEndpointSlice {
                namespace: borrowed(&o.namespace),
                name: Cow::Owned(format!("{}-mirrored", o.name)),
                address_type: Cow::Borrowed(family),
                service_name: Some(borrowed(&o.name)),
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
fn synthesised_slices<'a>(analysis: &'a Analysis, out: &mut Vec<ProxyEndpointSlice<Cow<'a, str>>>) {
    // Buffers shared by all Services: one Service's entries at a time.
    // (pod, its endpoint, (port name, protocol, number)), in port then endpoint order.
    let mut entries: Vec<(usize, &EndpointModel, (&str, &str, i64))> = Vec::new();
    // Per pod: the range of its entries in `entries`.
    let mut pod_runs: Vec<Range<usize>> = Vec::new();
    let selector_services = || analysis.services.iter().filter(|s| s.endpoint_source == EndpointSource::Selector);
    // Usually one slice per Service.
    out.reserve(selector_services().count());
    for s in selector_services() {
        entries.clear();
        for p in &s.ports {
            for e in &p.endpoints {
                if let Some(pi) = e.pod {
                    entries.push((pi, e, (&p.name, &p.protocol, e.port)));
                }
            }
        }
        // Stable: each pod's entries stay in port order, so its first entry is its first
        // endpoint in port order (the one whose conditions the slice takes).
        entries.sort_by_key(|&(pi, ..)| pi);
        pod_runs.clear();
        let mut start = 0;
        while start < entries.len() {
            let pi = entries[start].0;
            let end = start + entries[start..].iter().take_while(|e| e.0 == pi).count();
            pod_runs.push(start..end);
            start = end;
        }
        // Pods with the same ports share a slice; slices are numbered in the order of their
        // port lists, and list their pods by index (stable sort of runs in pod order).
        let ports_of = |run: &Range<usize>| entries[run.clone()].iter().map(|e| e.2);
        pod_runs.sort_by(|a, b| ports_of(a).cmp(ports_of(b)));
        for (n, group) in pod_runs.chunk_by(|a, b| ports_of(a).eq(ports_of(b))).enumerate() {
            let endpoints = group
                .iter()
                .filter_map(|run| {
                    let (pi, e, _) = entries[run.start];
                    let pod = analysis.pods.get(pi)?;
                    Some(ProxyEndpoint {
                        addresses: vec![borrowed(&pod.ip)],
                        ready: Some(e.ready),
                        serving: Some(e.serving),
                        terminating: Some(e.terminating),
                        node_name: Some(borrowed(&pod.node)),
                        zone_hints: Vec::new(),
                        node_hints: Vec::new(),
                        span: Some(pod.span),
                    })
                })
                .collect::<Vec<_>>();
            let family = address_type(&endpoints);
            out.push(ProxyEndpointSlice {
                namespace: borrowed(&s.namespace),
                name: Cow::Owned(slice_name(&s.name, n)),
                address_type: Cow::Borrowed(family),
                service_name: Some(borrowed(&s.name)),
                labels: BTreeMap::from([(Cow::Borrowed(svcflow_proxy::LABEL_SERVICE_NAME), borrowed(&s.name))]),
                ports: ports_of(&group[0])
                    .map(|(name, protocol, port)| ProxyEndpointPort {
                        name: Some(borrowed(name)),
                        port: Some(clamp_i32(port)),
                        protocol: Some(borrowed(protocol)),
                        span: None,
                    })
                    .collect(),
                endpoints,
                span: None,
            });
        }
    }
}

/// `<service>-<5 characters>`: the suffix is a hash of `<service>/<n>`, whose text becomes the
/// name (one allocation).
fn slice_name(service: &str, n: usize) -> String {
    let alphabet = crate::model::NAME_ALPHABET;
    let mut name = String::with_capacity(service.len() + 24);
    name.push_str(service);
    name.push('/');
    write!(name, "{n}").ok();
    let mut x = crate::model::fnv(&name);
    name.truncate(service.len());
    name.push('-');
    for _ in 0..5 {
        name.push(alphabet[(x % alphabet.len() as u64) as usize] as char);
        x /= alphabet.len() as u64;
    }
    name
}

/// `addressType` of a slice built from these endpoints (every one has one address).
fn address_type(endpoints: &[ProxyEndpoint<Cow<str>>]) -> &'static str {
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
