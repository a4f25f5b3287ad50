//! The backend-independent part of kube-proxy: configuration, the service-port map
//! and the endpoints map, and endpoint categorisation.
//!
//! Behaviour sources (upstream paths, read at the versions listed in spec §0):
//! * `pkg/proxy/servicechangetracker.go` (`serviceToServiceMap`) and
//!   `pkg/proxy/serviceport.go` (`newBaseServiceInfo`): which Services/ports exist and
//!   their fields (§2);
//! * `pkg/proxy/util/utils.go` (`ShouldSkipService`, `GetClusterIPByFamily`,
//!   `MapIPsByIPFamily`, `MapCIDRsByIPFamily`, `IsVIPMode`);
//! * `pkg/api/v1/service/util.go` (`ExternallyAccessible`, `ExternalPolicyLocal`,
//!   `InternalPolicyLocal`, `NeedsHealthCheck`);
//! * `pkg/proxy/endpointschangetracker.go` and `pkg/proxy/endpointslicecache.go`
//!   (`endpointInfoByServicePort`, `addEndpoints`, `endpointsMapFromEndpointInfo`): the
//!   endpoints of each service port (§3);
//! * `pkg/proxy/topology.go` (`CategorizeEndpoints`, `topologyModeFromHints`): §3.1;
//! * `pkg/proxy/util/nodeport_addresses.go` (`NewNodePortAddresses`, `GetNodeIPs`) and
//!   `pkg/proxy/util/localdetector.go` plus `cmd/kube-proxy/app/server_linux.go`
//!   (`getLocalDetectors`): the node-level settings (§1, §9.4).

use std::collections::hash_map::Entry;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;
use svcflow_source::hash::HashMap;

use svcflow_source::Span;

use crate::model::*;
use crate::netutil::{join_host_port, Cidr, Ip, IpFamily};

/// Which generator is asking (a few defaults differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Backend {
    Iptables,
    Nftables,
    Ipvs,
}

/// `proxyutil.LocalTrafficDetector`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Detector {
    Noop,
    Cidr { cidr: String, v6: bool },
    Bridge(String),
    Prefix(String),
}

impl Detector {
    pub fn implemented(&self) -> bool {
        !matches!(self, Detector::Noop)
    }
    /// iptables words matching local pod traffic.
    pub fn if_local(&self) -> String {
        match self {
            Detector::Noop => String::new(),
            Detector::Cidr { cidr, .. } => format!("-s {cidr}"),
            Detector::Bridge(i) => format!("-i {i}"),
            Detector::Prefix(p) => format!("-i {p}+"),
        }
    }
    /// iptables words matching traffic that is not from a local pod.
    pub fn if_not_local(&self) -> String {
        match self {
            Detector::Noop => String::new(),
            Detector::Cidr { cidr, .. } => format!("! -s {cidr}"),
            Detector::Bridge(i) => format!("! -i {i}"),
            Detector::Prefix(p) => format!("! -i {p}+"),
        }
    }
    /// nftables expression matching local pod traffic.
    pub fn if_local_nft(&self) -> String {
        match self {
            Detector::Noop => String::new(),
            Detector::Cidr { cidr, v6 } => format!("{} saddr {cidr}", if *v6 { "ip6" } else { "ip" }),
            Detector::Bridge(i) => format!("iif {i}"),
            Detector::Prefix(p) => format!("iif {p}*"),
        }
    }
    /// nftables expression matching traffic that is not from a local pod.
    pub fn if_not_local_nft(&self) -> String {
        match self {
            Detector::Noop => String::new(),
            Detector::Cidr { cidr, v6 } => format!("{} saddr != {cidr}", if *v6 { "ip6" } else { "ip" }),
            Detector::Bridge(i) => format!("iif != {i}"),
            Detector::Prefix(p) => format!("iif != {p}*"),
        }
    }
}

/// `proxyutil.NodePortAddresses` for one family.
#[derive(Clone, Debug)]
pub(crate) struct NodePortAddresses {
    pub match_all: bool,
    pub cidrs: Vec<Cidr>,
    pub contains_ipv4_loopback: bool,
}

/// Everything node-level, resolved for one family.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    pub family: IpFamily,
    pub node_name: String,
    pub node_ip: Option<Ip>,
    pub zone: String,
    pub detector: Detector,
    pub mark: String,
    pub masquerade_all: bool,
    pub npa: NodePortAddresses,
    pub node_addresses: Vec<Ip>,
    /// Effective: IPv4, flag on, and the nodeport CIDRs contain an IPv4 loopback.
    pub localhost_nodeports: bool,
    pub random_fully: bool,
    pub nfacct: bool,
    pub tcp_be_liberal: bool,
    pub existing_nat_chains: Vec<String>,
    /// ServiceCIDRs of this family, joined with `,` (nftables).
    pub service_cidrs: String,
}

fn cfg_err(msg: String) -> ProxyError {
    ProxyError::new(format!("config: {msg}"), None)
}

fn split_list(s: &str) -> Vec<&str> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty()).collect()
}

/// Resolve and validate the configuration. Invalid flag values are errors (kube-proxy
/// refuses to start with them).
pub(crate) fn build_ctx(config: &ProxyConfig, backend: Backend) -> Result<Ctx, ProxyError> {
    let family = config.ip_family;

    if config.masquerade_bit > 31 {
        return Err(cfg_err(format!("--iptables-masquerade-bit {} is out of range (0-31)", config.masquerade_bit)));
    }
    let mark = match &config.mark_override {
        Some(m) => {
            if m.is_empty() || m.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(cfg_err(format!("invalid mark override {m:?}")));
            }
            m.clone()
        }
        None => format!("0x{:08x}", 1u64 << config.masquerade_bit),
    };

    // Node IPs (possibly a dual-stack pair).
    let mut node_ip = None;
    if let Some(s) = &config.node_ip {
        for part in split_list(s) {
            let ip = Ip::parse_sloppy(part).ok_or_else(|| cfg_err(format!("invalid node IP {part:?}")))?;
            if ip.family() == family && node_ip.is_none() {
                node_ip = Some(ip);
            }
        }
    }
    let mut node_addresses = Vec::new();
    for a in &config.node_addresses {
        let ip = Ip::parse_sloppy(a.trim()).ok_or_else(|| cfg_err(format!("invalid node address {a:?}")))?;
        node_addresses.push(ip);
    }
    if config.node_addresses.is_empty() {
        if let Some(s) = &config.node_ip {
            for part in split_list(s) {
                if let Some(ip) = Ip::parse_sloppy(part) {
                    node_addresses.push(ip);
                }
            }
        }
        node_addresses.push(Ip::V4([127, 0, 0, 1]));
        let mut lo6 = [0u8; 16];
        lo6[15] = 1;
        node_addresses.push(Ip::V6(lo6));
    }

    // Local traffic detector (cmd/kube-proxy/app/server_linux.go getLocalDetectors).
    let first_cidr_of_family = |list: &str, what: &str| -> Result<Option<Cidr>, ProxyError> {
        let mut found = None;
        for part in split_list(list) {
            let c = Cidr::parse_sloppy(part).ok_or_else(|| cfg_err(format!("invalid {what} {part:?}")))?;
            if c.family() == family && found.is_none() {
                found = Some(c);
            }
        }
        Ok(found)
    };
    let cluster_cidr = match &config.cluster_cidr {
        Some(s) => first_cidr_of_family(s, "--cluster-cidr")?,
        None => None,
    };
    let pod_cidr = match &config.node_pod_cidr {
        Some(s) => first_cidr_of_family(s, "node podCIDR")?,
        None => None,
    };
    let detector = match config.detect_local_mode {
        DetectLocalMode::ClusterCIDR => match cluster_cidr {
            Some(c) => Detector::Cidr { cidr: c.to_string(), v6: c.family() == IpFamily::V6 },
            None => Detector::Noop,
        },
        DetectLocalMode::NodeCIDR => match pod_cidr {
            Some(c) => Detector::Cidr { cidr: c.to_string(), v6: c.family() == IpFamily::V6 },
            None => Detector::Noop,
        },
        DetectLocalMode::BridgeInterface => match config.bridge_interface.as_deref().map(str::trim) {
            Some(i) if valid_ifname(i) => Detector::Bridge(i.to_string()),
            other => {
                return Err(cfg_err(format!(
                    "--detect-local-mode=BridgeInterface needs a valid --pod-bridge-interface (got {other:?})"
                )))
            }
        },
        DetectLocalMode::InterfaceNamePrefix => match config.interface_name_prefix.as_deref().map(str::trim) {
            Some(i) if valid_ifname(i) => Detector::Prefix(i.to_string()),
            other => {
                return Err(cfg_err(format!(
                    "--detect-local-mode=InterfaceNamePrefix needs a valid --pod-interface-name-prefix (got {other:?})"
                )))
            }
        },
        DetectLocalMode::None => Detector::Noop,
    };

    // --nodeport-addresses (NewNodePortAddresses); "primary" = the node IPs.
    let mut np_strings: Vec<String> = config.nodeport_addresses.iter().map(|s| s.trim().to_string()).collect();
    if np_strings.is_empty() && backend == Backend::Nftables {
        np_strings.push("primary".to_string());
    }
    if np_strings.len() == 1 && np_strings[0] == "primary" {
        np_strings.clear();
        if let Some(s) = &config.node_ip {
            for part in split_list(s) {
                if let Some(ip) = Ip::parse_sloppy(part) {
                    if !ip.is_loopback() {
                        let bits = if ip.family() == IpFamily::V4 { 32 } else { 128 };
                        np_strings.push(format!("{ip}/{bits}"));
                    }
                }
            }
        }
    }
    let mut parsed = Vec::new();
    for s in &np_strings {
        let c = Cidr::parse_sloppy(s).ok_or_else(|| cfg_err(format!("invalid --nodeport-addresses entry {s:?}")))?;
        if c.family() == family {
            parsed.push(c);
        }
    }
    if parsed.is_empty() {
        parsed.push(match family {
            IpFamily::V4 => Cidr { net: Ip::V4([0; 4]), prefix: 0 },
            IpFamily::V6 => Cidr { net: Ip::V6([0; 16]), prefix: 0 },
        });
    }
    let mut npa = NodePortAddresses { match_all: false, cidrs: Vec::new(), contains_ipv4_loopback: false };
    for c in parsed {
        if c.family() == IpFamily::V4 && (c.net.is_loopback() || c.contains(&Ip::V4([127, 0, 0, 0]))) {
            npa.contains_ipv4_loopback = true;
        }
        if c.is_zero() {
            npa.cidrs = vec![c];
            npa.match_all = true;
            break;
        }
        npa.cidrs.push(c);
    }
    let localhost_nodeports = family == IpFamily::V4 && config.localhost_nodeports && npa.contains_ipv4_loopback;

    let mut service_cidrs = Vec::new();
    for s in &config.service_cidrs {
        let c = Cidr::parse_sloppy(s.trim()).ok_or_else(|| cfg_err(format!("invalid service CIDR {s:?}")))?;
        if c.family() == family {
            service_cidrs.push(c.to_string());
        }
    }

    Ok(Ctx {
        family,
        node_name: config.node_name.clone(),
        node_ip,
        zone: config.node_labels.get(LABEL_TOPOLOGY_ZONE).cloned().unwrap_or_default(),
        detector,
        mark,
        masquerade_all: config.masquerade_all,
        npa,
        node_addresses,
        localhost_nodeports,
        random_fully: config.random_fully,
        nfacct: config.nfacct,
        tcp_be_liberal: config.tcp_be_liberal,
        existing_nat_chains: config.existing_nat_chains.clone(),
        service_cidrs: service_cidrs.join(","),
    })
}

fn valid_ifname(s: &str) -> bool {
    !s.is_empty() && s.len() <= 15 && s.chars().all(|c| c.is_ascii_graphic() && c != '/' && c != '"')
}

impl Ctx {
    /// `NodePortAddresses.GetNodeIPs`: node addresses inside the CIDRs, deduplicated,
    /// in input order (upstream: Go map order).
    pub fn nodeport_ips(&self) -> Vec<Ip> {
        let mut out: Vec<Ip> = Vec::new();
        for ip in &self.node_addresses {
            if self.npa.cidrs.iter().any(|c| c.contains(ip)) && !out.contains(ip) {
                out.push(*ip);
            }
        }
        out
    }
}

/// One endpoint of one service port (`BaseEndpointInfo`).
#[derive(Clone, Debug)]
pub(crate) struct Ep {
    pub ip: String,
    pub port: i32,
    /// `ip:port`, IPv6 bracketed.
    pub id: String,
    pub is_local: bool,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    pub zone_hints: Vec<String>,
    pub node_hints: Vec<String>,
    pub node_name: Option<String>,
    pub span: Option<Span>,
    pub port_span: Option<Span>,
    /// `namespace/name` of the EndpointSlice.
    pub slice: Rc<str>,
}

/// One service port (`BaseServicePortInfo`) with its endpoints.
#[derive(Clone, Debug)]
pub(crate) struct SvcPort {
    pub namespace: String,
    pub name: String,
    pub port_name: String,
    /// `TCP` / `UDP` / `SCTP`.
    pub protocol: &'static str,
    /// `tcp` / `udp` / `sctp`.
    pub proto: &'static str,
    /// `ns/name[:port]`.
    pub svc_port_name: String,
    pub cluster_ip: Ip,
    pub port: i32,
    pub node_port: i32,
    pub external_ips: Vec<Ip>,
    pub lb_vips: Vec<Ip>,
    pub source_ranges: Vec<Cidr>,
    pub affinity: Option<i32>,
    pub external_policy_local: bool,
    pub internal_policy_local: bool,
    pub health_check_node_port: i32,
    pub span: Option<Span>,
    pub endpoints: Vec<Ep>,
}

impl SvcPort {
    pub fn externally_accessible(&self) -> bool {
        self.node_port != 0 || !self.lb_vips.is_empty() || !self.external_ips.is_empty()
    }
    pub fn uses_cluster_endpoints(&self) -> bool {
        !self.internal_policy_local || self.externally_accessible()
    }
    pub fn uses_local_endpoints(&self) -> bool {
        self.internal_policy_local || (self.external_policy_local && self.externally_accessible())
    }
}

/// The prepared, deterministic view of the cluster for one family.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    pub ports: Vec<SvcPort>,
    pub total_endpoints: usize,
    pub warnings: Vec<ProxyError>,
}

/// `Service ns/name` or `EndpointSlice ns/name` for messages. Formatted only when a
/// message is built: every object is checked, few have anything to report.
struct ObjRef<'a> {
    kind: &'static str,
    namespace: &'a str,
    name: &'a str,
}

impl fmt::Display for ObjRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
    }
}

fn svc_ref<S: Text>(s: &ProxyService<S>) -> ObjRef<'_> {
    ObjRef { kind: "Service", namespace: s.namespace.as_text(), name: s.name.as_text() }
}

fn slice_ref<S: Text>(s: &ProxyEndpointSlice<S>) -> ObjRef<'_> {
    ObjRef { kind: "EndpointSlice", namespace: s.namespace.as_text(), name: s.name.as_text() }
}

fn protocol_of(p: &str) -> Option<(&'static str, &'static str)> {
    match p {
        "" | "TCP" => Some(("TCP", "tcp")),
        "UDP" => Some(("UDP", "udp")),
        "SCTP" => Some(("SCTP", "sctp")),
        _ => None,
    }
}

fn excluded_by_labels<S: Text>(labels: &BTreeMap<S, S>) -> Option<&'static str> {
    if labels.contains_key(LABEL_SERVICE_PROXY_NAME) {
        Some(LABEL_SERVICE_PROXY_NAME)
    } else if labels.contains_key(LABEL_HEADLESS) {
        Some(LABEL_HEADLESS)
    } else {
        None
    }
}

/// Validate one Service: API-invalid values are errors.
fn validate_service<S: Text>(s: &ProxyService<S>) -> Result<(), ProxyError> {
    let r = svc_ref(s);
    let cluster_ip = s.cluster_ip.as_text();
    if !cluster_ip.is_empty() && cluster_ip != "None" && Ip::parse_sloppy(cluster_ip).is_none() {
        return Err(ProxyError::new(format!("{r}: invalid clusterIP {cluster_ip:?}"), s.span));
    }
    for ip in s.cluster_ips.iter().map(Text::as_text) {
        if !ip.is_empty() && ip != "None" && Ip::parse_sloppy(ip).is_none() {
            return Err(ProxyError::new(format!("{r}: invalid clusterIPs entry {ip:?}"), s.span));
        }
    }
    for f in s.ip_families.iter().map(Text::as_text) {
        if f != "IPv4" && f != "IPv6" {
            return Err(ProxyError::new(format!("{r}: invalid ipFamilies entry {f:?} (want IPv4 or IPv6)"), s.span));
        }
    }
    for p in &s.ports {
        let at = p.span.or(s.span);
        if !(1..=65535).contains(&p.port) {
            return Err(ProxyError::new(format!("{r}: port {} is out of range (1-65535)", p.port), at));
        }
        if !(0..=65535).contains(&p.node_port) {
            return Err(ProxyError::new(format!("{r}: nodePort {} is out of range (0-65535)", p.node_port), at));
        }
        let protocol = p.protocol.as_text();
        if protocol_of(protocol).is_none() {
            return Err(ProxyError::new(format!("{r}: invalid protocol {protocol:?} (want TCP, UDP or SCTP)"), at));
        }
    }
    if !(0..=65535).contains(&s.health_check_node_port) {
        return Err(ProxyError::new(
            format!("{r}: healthCheckNodePort {} is out of range (0-65535)", s.health_check_node_port),
            s.span,
        ));
    }
    if let Some(t) = s.session_affinity_client_ip {
        if !(1..=86400).contains(&t) {
            return Err(ProxyError::new(
                format!("{r}: sessionAffinityConfig.clientIP.timeoutSeconds {t} is out of range (1-86400)"),
                s.span,
            ));
        }
    }
    Ok(())
}

/// Validate one EndpointSlice. Appends the parsed first address of each endpoint to
/// `first_ips` (`None` when it has none; nothing for FQDN slices), so that it is not parsed
/// a second time.
fn validate_slice<S: Text>(s: &ProxyEndpointSlice<S>, first_ips: &mut Vec<Option<Ip>>) -> Result<(), ProxyError> {
    let r = slice_ref(s);
    let address_type = s.address_type.as_text();
    let fam = match address_type {
        "IPv4" => Some(IpFamily::V4),
        "IPv6" => Some(IpFamily::V6),
        _ => None,
    };
    for p in &s.ports {
        if let Some(n) = p.port {
            if !(0..=65535).contains(&n) {
                return Err(ProxyError::new(format!("{r}: port {n} is out of range (0-65535)"), p.span.or(s.span)));
            }
        }
    }
    if let Some(fam) = fam {
        first_ips.reserve(s.endpoints.len());
        for ep in &s.endpoints {
            let mut first = None;
            for a in ep.addresses.iter().map(Text::as_text) {
                match Ip::parse_sloppy(a) {
                    None => {
                        return Err(ProxyError::new(format!("{r}: invalid endpoint address {a:?}"), ep.span.or(s.span)))
                    }
                    Some(ip) if ip.family() != fam => {
                        return Err(ProxyError::new(
                            format!("{r}: endpoint address {a:?} does not match addressType {address_type}"),
                            ep.span.or(s.span),
                        ))
                    }
                    Some(ip) => {
                        first.get_or_insert(ip);
                    }
                }
            }
            first_ips.push(first);
        }
    }
    Ok(())
}

/// `GetClusterIPByFamily`.
fn cluster_ip_for_family<S: Text>(s: &ProxyService<S>, family: IpFamily) -> Option<&str> {
    let cluster_ip = s.cluster_ip.as_text();
    if s.ip_families.is_empty() {
        if cluster_ip.is_empty() || cluster_ip == "None" {
            return None;
        }
        let is_v6 = Ip::parse_sloppy(cluster_ip).is_some_and(|ip| ip.family() == IpFamily::V6);
        return if (family == IpFamily::V6) == is_v6 { Some(cluster_ip) } else { None };
    }
    for (idx, f) in s.ip_families.iter().enumerate() {
        if f.as_text() == family.api_name() && idx < s.cluster_ips.len() {
            return Some(s.cluster_ips[idx].as_text());
        }
    }
    None
}

/// An EndpointSlice kube-proxy keeps, with the parsed first address of each of its
/// endpoints.
struct ParsedSlice<'a, S> {
    namespace: &'a str,
    /// The Service it belongs to.
    service: &'a str,
    name: &'a str,
    /// `namespace/name`, which every endpoint taken from it records.
    key: Rc<str>,
    slice: &'a ProxyEndpointSlice<S>,
    first_ips: &'a [Option<Ip>],
}

/// Build the service-port map and the endpoints map for `ctx.family`.
pub(crate) fn prepare<S: Text>(
    services: &[ProxyService<S>],
    slices: &[ProxyEndpointSlice<S>],
    ctx: &Ctx,
) -> Result<Prepared, ProxyError> {
    let family = ctx.family;
    let mut warnings = Vec::new();

    for s in services {
        validate_service(s)?;
    }
    // The parsed addresses of all slices in one list; `first_ip_ranges[i]` is slice i's part.
    let mut first_ips = Vec::with_capacity(slices.iter().map(|s| s.endpoints.len()).sum());
    let mut first_ip_ranges = Vec::with_capacity(slices.len());
    for s in slices {
        let start = first_ips.len();
        validate_slice(s, &mut first_ips)?;
        first_ip_ranges.push(start..first_ips.len());
    }

    // The informer keeps one object per namespace/name (the last one wins): (namespace,
    // name, index) sorted by name (stably: a name's definitions stay in input order), then
    // the last of each name.
    let mut svc_by_name: Vec<(&str, &str, usize)> =
        services.iter().enumerate().map(|(i, s)| (s.namespace.as_text(), s.name.as_text(), i)).collect();
    svc_by_name.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut redefined: Vec<usize> =
        svc_by_name.windows(2).filter(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1)).map(|w| w[1].2).collect();
    redefined.sort_unstable();
    for i in redefined {
        let s = &services[i];
        warnings.push(ProxyError::new(
            format!("{}: defined more than once; the last definition is used", svc_ref(s)),
            s.span,
        ));
    }
    svc_by_name.dedup_by(|later, kept| {
        if (later.0, later.1) != (kept.0, kept.1) {
            return false;
        }
        *kept = *later;
        true
    });

    // The EndpointSlices kept (the last definition of each namespace/name), found by
    // (namespace, service, name) while they are read.
    let mut kept_slices: Vec<ParsedSlice<S>> = Vec::with_capacity(slices.len());
    let mut slice_at: HashMap<(&str, &str, &str), usize> =
        HashMap::with_capacity_and_hasher(slices.len(), Default::default());
    for (sl, ips) in slices.iter().zip(first_ip_ranges) {
        let ips = &first_ips[ips];
        let r = slice_ref(sl);
        if let Some(l) = excluded_by_labels(&sl.labels) {
            warnings.push(ProxyError::new(
                format!("{r}: ignored by kube-proxy (label {l} is set; another proxy owns it)"),
                sl.span,
            ));
            continue;
        }
        let address_type = sl.address_type.as_text();
        match address_type {
            "IPv4" | "IPv6" | "FQDN" => {}
            other => {
                warnings.push(ProxyError::new(
                    format!("{r}: addressType {other:?} is not IPv4/IPv6; kube-proxy ignores the slice"),
                    sl.span,
                ));
                continue;
            }
        }
        if address_type != family.api_name() {
            continue;
        }
        let svc_name = sl.service_name.as_ref().or_else(|| sl.labels.get(LABEL_SERVICE_NAME)).map_or("", Text::as_text);
        if svc_name.is_empty() {
            warnings.push(ProxyError::new(
                format!("{r}: no {LABEL_SERVICE_NAME} label; kube-proxy ignores the slice"),
                sl.span,
            ));
            continue;
        }
        let (namespace, name) = (sl.namespace.as_text(), sl.name.as_text());
        if namespace.is_empty() || name.is_empty() {
            warnings.push(ProxyError::new(
                format!("{r}: slice name and namespace must be set; kube-proxy ignores the slice"),
                sl.span,
            ));
            continue;
        }
        let parsed = ParsedSlice {
            namespace,
            service: svc_name,
            name,
            key: [namespace, "/", name].concat().into(),
            slice: sl,
            first_ips: ips,
        };
        match slice_at.entry((namespace, svc_name, name)) {
            Entry::Occupied(at) => {
                kept_slices[*at.get()] = parsed;
                warnings.push(ProxyError::new(
                    format!("{r}: defined more than once; the last definition is used"),
                    sl.span,
                ));
            }
            Entry::Vacant(at) => {
                at.insert(kept_slices.len());
                kept_slices.push(parsed);
            }
        }
        for p in &sl.ports {
            let at = p.span.or(sl.span);
            if p.name.is_none() {
                warnings.push(ProxyError::new(format!("{r}: a port has no name field; kube-proxy ignores it"), at));
            } else if p.port.unwrap_or(0) == 0 {
                warnings.push(ProxyError::new(
                    format!(
                        "{r}: port {:?} has no port number; kube-proxy ignores it",
                        p.name.as_ref().map_or("", Text::as_text)
                    ),
                    at,
                ));
            }
        }
        for ep in &sl.endpoints {
            if ep.addresses.is_empty() {
                warnings.push(ProxyError::new(
                    format!("{r}: an endpoint has no addresses; kube-proxy ignores it"),
                    ep.span.or(sl.span),
                ));
            }
        }
    }

    drop(slice_at);
    // Each Service's slices, chained without a list per Service: `first_slice[(namespace,
    // service)]`, then `next_slice[i]` until `usize::MAX`.
    let mut first_slice: HashMap<(&str, &str), usize> =
        HashMap::with_capacity_and_hasher(kept_slices.len(), Default::default());
    let mut next_slice = vec![usize::MAX; kept_slices.len()];
    for (i, p) in kept_slices.iter().enumerate().rev() {
        if let Some(next) = first_slice.insert((p.namespace, p.service), i) {
            next_slice[i] = next;
        }
    }

    // At least one port per Service. Built in (namespace, name, port name, protocol) order:
    // the Services are visited by name, each one's ports by (name, protocol).
    let mut ports = Vec::with_capacity(svc_by_name.iter().map(|&(_, _, i)| services[i].ports.len()).sum());
    // One Service's ports at a time: ((name, protocol), index).
    let mut by_key: Vec<((&str, &'static str), usize)> = Vec::new();
    for &(_, _, i) in &svc_by_name {
        let s = &services[i];
        let r = svc_ref(s);
        if let Some(l) = excluded_by_labels(&s.labels) {
            warnings.push(ProxyError::new(
                format!("{r}: ignored by kube-proxy (label {l} is set; another proxy owns it)"),
                s.span,
            ));
            continue;
        }
        // ShouldSkipService: headless, then ExternalName.
        let (namespace, name) = (s.namespace.as_text(), s.name.as_text());
        let cluster_ip = s.cluster_ip.as_text();
        if cluster_ip.is_empty() || cluster_ip == "None" || s.type_ == ServiceType::ExternalName {
            continue;
        }
        let Some(cip_str) = cluster_ip_for_family(s, family) else {
            continue;
        };
        let cluster_ip = match Ip::parse_sloppy(cip_str) {
            Some(ip) if ip.family() == family => ip,
            Some(_) => {
                return Err(ProxyError::new(
                    format!("{r}: cluster IP {cip_str:?} is not an {} address", family.api_name()),
                    s.span,
                ))
            }
            None => return Err(ProxyError::new(format!("{r}: invalid cluster IP {cip_str:?}"), s.span)),
        };

        // Service-level derived values (newBaseServiceInfo).
        let type_external = matches!(s.type_, ServiceType::LoadBalancer | ServiceType::NodePort)
            || (s.type_ == ServiceType::ClusterIP && !s.external_ips.is_empty());
        let external_policy_local = type_external && s.external_traffic_policy_local;
        let internal_policy_local = s.internal_traffic_policy_local;
        let health_check_node_port =
            if s.type_ == ServiceType::LoadBalancer && external_policy_local { s.health_check_node_port } else { 0 };

        let mut external_ips = Vec::new();
        for x in s.external_ips.iter().map(Text::as_text) {
            match Ip::parse_sloppy(x) {
                Some(ip) if ip.family() == family => external_ips.push(ip),
                Some(_) => {}
                None => {
                    if !x.trim().is_empty() {
                        warnings.push(ProxyError::new(
                            format!("{r}: externalIPs entry {x:?} is not an IP address; kube-proxy skips it"),
                            s.span,
                        ));
                    }
                }
            }
        }
        let mut source_ranges = Vec::new();
        for x in s.lb_source_ranges.iter().map(Text::as_text) {
            let t = x.trim();
            match Cidr::parse_sloppy(t) {
                Some(c) if c.family() == family => source_ranges.push(c),
                Some(_) => {}
                None => {
                    if !t.is_empty() {
                        warnings.push(ProxyError::new(
                            format!("{r}: loadBalancerSourceRanges entry {x:?} is not a CIDR; kube-proxy skips it"),
                            s.span,
                        ));
                    }
                }
            }
        }
        let mut lb_vips = Vec::new();
        for ing in &s.lb_ingress {
            let ip = ing.ip.as_text();
            if ip.is_empty() {
                continue;
            }
            let at = ing.span.or(s.span);
            if let Some(mode) = ing.ip_mode.as_ref().map(Text::as_text) {
                if mode != "VIP" {
                    warnings.push(ProxyError::new(
                        format!(
                            "{r}: load-balancer ingress {ip} has ipMode {mode}; kube-proxy installs no rules for it"
                        ),
                        at,
                    ));
                    continue;
                }
            }
            match Ip::parse_sloppy(ip) {
                Some(ip) if ip.family() == family => lb_vips.push(ip),
                Some(_) => {}
                None => warnings.push(ProxyError::new(
                    format!("{r}: load-balancer ingress IP {ip:?} is not an IP address; kube-proxy skips it"),
                    at,
                )),
            }
        }

        // One service port per (name, protocol); a duplicate replaces the earlier one. Sorted
        // by key (stably: duplicates stay in input order), then the last of each key.
        by_key.clear();
        by_key.extend(s.ports.iter().enumerate().map(|(i, p)| {
            let (protocol, _) = protocol_of(p.protocol.as_text()).unwrap_or(("TCP", "tcp"));
            ((p.name.as_text(), protocol), i)
        }));
        by_key.sort_by(|a, b| a.0.cmp(&b.0));
        let mut relisted: Vec<usize> = by_key.windows(2).filter(|w| w[0].0 == w[1].0).map(|w| w[1].1).collect();
        relisted.sort_unstable();
        for i in relisted {
            let p = &s.ports[i];
            let (protocol, _) = protocol_of(p.protocol.as_text()).unwrap_or(("TCP", "tcp"));
            warnings.push(ProxyError::new(
                format!("{r}: port {:?}/{protocol} is listed twice; the last one is used", p.name.as_text()),
                p.span.or(s.span),
            ));
        }
        by_key.dedup_by(|later, kept| {
            if later.0 != kept.0 {
                return false;
            }
            *kept = *later;
            true
        });
        for &((pname, protocol), i) in &by_key {
            let p = &s.ports[i];
            let (protocol, proto) = protocol_of(protocol).unwrap_or(("TCP", "tcp"));
            // `ns/name[:port]`, built with its final size (`format!` would regrow it).
            let svc_port_name = if pname.is_empty() {
                [namespace, "/", name].concat()
            } else {
                [namespace, "/", name, ":", pname].concat()
            };
            ports.push(SvcPort {
                namespace: namespace.to_string(),
                name: name.to_string(),
                port_name: pname.to_string(),
                protocol,
                proto,
                svc_port_name,
                cluster_ip,
                port: p.port,
                node_port: p.node_port,
                external_ips: external_ips.clone(),
                lb_vips: lb_vips.clone(),
                source_ranges: source_ranges.clone(),
                affinity: s.session_affinity_client_ip,
                external_policy_local,
                internal_policy_local,
                health_check_node_port,
                span: p.span.or(s.span),
                endpoints: Vec::new(),
            });
        }
    }

    // Endpoints per service port.
    let mut total_endpoints = 0;
    // One service port's slices at a time, in name order (as kube-proxy visits them).
    let mut svc_slices: Vec<&ParsedSlice<S>> = Vec::new();
    for sp in &mut ports {
        svc_slices.clear();
        let mut at = first_slice.get(&(sp.namespace.as_str(), sp.name.as_str())).copied().unwrap_or(usize::MAX);
        while let Some(p) = kept_slices.get(at) {
            svc_slices.push(p);
            at = next_slice[at];
        }
        svc_slices.sort_unstable_by(|a, b| a.name.cmp(b.name));
        // Candidates in visiting order; duplicates resolved below.
        // Usually one matching port per slice: sized for that, so the list is not regrown.
        let mut cands: Vec<Ep> = Vec::with_capacity(svc_slices.iter().map(|p| p.slice.endpoints.len()).sum());
        for &ParsedSlice { slice: sl, first_ips, key: slice_key, .. } in &svc_slices {
            for p in &sl.ports {
                let Some(pname) = &p.name else { continue };
                let pnum = p.port.unwrap_or(0);
                if pnum == 0 {
                    continue;
                }
                let proto = p.protocol.as_ref().map_or("TCP", Text::as_text);
                if pname.as_text() != sp.port_name || proto != sp.protocol {
                    continue;
                }
                for (e, ip) in sl.endpoints.iter().zip(*first_ips) {
                    let Some(ip) = ip else { continue };
                    let ip = ip.to_text();
                    let id = join_host_port(&ip, pnum);
                    let node_name = e.node_name.as_ref().map(Text::as_text);
                    let is_local = !ctx.node_name.is_empty() && node_name == Some(ctx.node_name.as_str());
                    cands.push(Ep {
                        ip,
                        port: pnum,
                        id,
                        is_local,
                        ready: e.ready != Some(false),
                        serving: e.serving != Some(false),
                        terminating: e.terminating == Some(true),
                        zone_hints: e.zone_hints.iter().map(|h| h.as_text().to_string()).collect(),
                        node_hints: e.node_hints.iter().map(|h| h.as_text().to_string()).collect(),
                        node_name: node_name.map(str::to_string),
                        span: e.span.or(sl.span),
                        port_span: p.span,
                        slice: slice_key.clone(),
                    });
                }
            }
        }
        // `addEndpoints`: a later duplicate `ip:port` replaces an earlier one unless it is
        // terminating. The stable sort keeps visiting order within equal identities, and
        // the result is sorted byte-wise by identity (`byEndpoint`).
        cands.sort_by(|a, b| a.id.cmp(&b.id));
        // `later` is dropped; when it wins, it is first swapped into the kept slot.
        cands.dedup_by(|later, kept| {
            if later.id != kept.id {
                return false;
            }
            if !later.terminating {
                std::mem::swap(later, kept);
            }
            true
        });
        sp.endpoints = cands;
        total_endpoints += sp.endpoints.len();
    }

    debug_assert!(ports.is_sorted_by(|a, b| {
        (&a.namespace, &a.name, &a.port_name, a.protocol) < (&b.namespace, &b.name, &b.port_name, b.protocol)
    }));

    Ok(Prepared { ports, total_endpoints, warnings })
}

/// Result of `CategorizeEndpoints` (indices into `SvcPort::endpoints`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Categorized {
    pub cluster: Vec<usize>,
    pub local: Vec<usize>,
    /// Which endpoints get SEP chains: see [`Categorized::reachable`].
    reachable: Reachable,
    pub has_any: bool,
    pub topology_mode: Option<&'static str>,
}

/// The endpoints of [`Categorized::reachable`]: usually exactly the cluster or the local
/// ones, which are then not copied.
#[derive(Clone, Debug, Default)]
enum Reachable {
    #[default]
    Cluster,
    Local,
    Union(Vec<usize>),
}

impl Categorized {
    /// Endpoints that get SEP chains; sorted by identity (upstream: the union is built from
    /// a Go map, so its order is unspecified).
    pub fn reachable(&self) -> &[usize] {
        match &self.reachable {
            Reachable::Cluster => &self.cluster,
            Reachable::Local => &self.local,
            Reachable::Union(all) => all,
        }
    }
}

fn topology_mode(sp: &SvcPort, node: &str, zone: &str) -> Option<&'static str> {
    let mut has_ready = false;
    let mut for_node = false;
    let mut all_node_hints = true;
    let mut for_zone = false;
    let mut all_zone_hints = true;
    for e in sp.endpoints.iter().filter(|e| e.ready) {
        has_ready = true;
        if e.node_hints.is_empty() {
            all_node_hints = false;
        } else if e.node_hints.iter().any(|h| h == node) {
            for_node = true;
        }
        if e.zone_hints.is_empty() {
            all_zone_hints = false;
        } else if e.zone_hints.iter().any(|h| h == zone) {
            for_zone = true;
        }
    }
    if !has_ready {
        return None;
    }
    if all_node_hints && for_node {
        return Some("PreferSameNode");
    }
    if all_zone_hints && for_zone {
        return Some("PreferSameZone");
    }
    None
}

/// `proxy.CategorizeEndpoints` (spec §3.1).
pub(crate) fn categorize(sp: &SvcPort, ctx: &Ctx) -> Categorized {
    let mut c = Categorized::default();
    let eps = &sp.endpoints;
    if eps.is_empty() {
        return c;
    }
    let uses_cluster = sp.uses_cluster_endpoints();
    if uses_cluster {
        let mode = topology_mode(sp, &ctx.node_name, &ctx.zone);
        c.topology_mode = mode;
        c.cluster = (0..eps.len())
            .filter(|&i| {
                let e = &eps[i];
                e.ready
                    && match mode {
                        None => true,
                        Some("PreferSameNode") => e.node_hints.contains(&ctx.node_name),
                        Some(_) => e.zone_hints.contains(&ctx.zone),
                    }
            })
            .collect();
        if c.cluster.is_empty() {
            c.cluster = (0..eps.len()).filter(|&i| eps[i].serving && eps[i].terminating).collect();
        }
        if !c.cluster.is_empty() {
            c.has_any = true;
        }
    }
    if !sp.uses_local_endpoints() {
        c.reachable = Reachable::Cluster;
        return c;
    }
    let mut local_ready = false;
    let mut local_serving_terminating = false;
    for e in eps {
        if e.ready {
            c.has_any = true;
            if e.is_local {
                local_ready = true;
            }
        } else if e.serving && e.terminating {
            c.has_any = true;
            if e.is_local {
                local_serving_terminating = true;
            }
        }
    }
    let mut use_serving_terminating = false;
    if local_ready {
        c.local = (0..eps.len()).filter(|&i| eps[i].is_local && eps[i].ready).collect();
    } else if local_serving_terminating {
        use_serving_terminating = true;
        c.local = (0..eps.len()).filter(|&i| eps[i].is_local && eps[i].serving && eps[i].terminating).collect();
    }
    if !uses_cluster {
        c.reachable = Reachable::Local;
        return c;
    }
    if c.topology_mode.is_none() && !use_serving_terminating {
        c.reachable = Reachable::Cluster;
        return c;
    }
    let mut all: Vec<usize> = c.cluster.iter().chain(c.local.iter()).copied().collect();
    all.sort_unstable();
    all.dedup();
    c.reachable = Reachable::Union(all);
    c
}

/// The validation entry point shared by the generators: returns the prepared data.
pub(crate) fn prepare_all<S: Text>(
    services: &[ProxyService<S>],
    slices: &[ProxyEndpointSlice<S>],
    config: &ProxyConfig,
    backend: Backend,
) -> Result<(Ctx, Prepared), ProxyError> {
    let ctx = build_ctx(config, backend)?;
    let prepared = prepare(services, slices, &ctx)?;
    Ok((ctx, prepared))
}
