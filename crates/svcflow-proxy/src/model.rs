//! Input model: the parts of Services, EndpointSlices and kube-proxy's configuration
//! that the rule generators consume (spec §1–§3), plus the error type.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use svcflow_source::Span;

pub use crate::netutil::IpFamily;

/// Label that hands a Service (and its slices) to another proxy implementation.
/// kube-proxy's informers (`cmd/kube-proxy/app/server.go`) exclude any object
/// carrying it, whatever the value.
pub const LABEL_SERVICE_PROXY_NAME: &str = "service.kubernetes.io/service-proxy-name";
/// Label set by the EndpointSlice controller on headless Services' slices; excluded
/// by the same informer label selector.
pub const LABEL_HEADLESS: &str = "service.kubernetes.io/headless";
/// Label naming a slice's Service (`discovery.LabelServiceName`).
pub const LABEL_SERVICE_NAME: &str = "kubernetes.io/service-name";
/// Node label used for zone topology hints.
pub const LABEL_TOPOLOGY_ZONE: &str = "topology.kubernetes.io/zone";

/// The string type of the input types' text fields: `String` (the default), or text borrowed
/// from the caller's own model (`&str`, `Cow<str>`) so that building the input copies nothing.
pub trait Text: Borrow<str> + Ord {
    fn as_text(&self) -> &str {
        self.borrow()
    }
}

impl<T: Borrow<str> + Ord> Text for T {}

/// A problem found in the input: an error (generation refused) or a warning (kube-proxy
/// silently drops the value; the rules are unchanged).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyError {
    /// Human-readable, names the object (`Service ns/name: …`, `EndpointSlice ns/name: …`,
    /// `config: …`).
    pub message: String,
    /// Where in the input the offending value lives, when known.
    pub span: Option<Span>,
}

impl ProxyError {
    pub fn new(message: impl Into<String>, span: Option<Span>) -> Self {
        ProxyError { message: message.into(), span }
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProxyError {}

/// `spec.type` of a Service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ServiceType {
    #[default]
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName,
}

/// One entry of `spec.ports`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyServicePort<S = String> {
    /// `name` (empty for an unnamed port).
    pub name: S,
    /// `TCP`, `UDP` or `SCTP` (empty means the API default, `TCP`).
    pub protocol: S,
    pub port: i32,
    /// 0 = none.
    pub node_port: i32,
    pub span: Option<Span>,
}

/// One `status.loadBalancer.ingress[]` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyLbIngress<S = String> {
    pub ip: S,
    /// `ipMode`: absent or `VIP` = kube-proxy programs it; `Proxy` = ignored.
    pub ip_mode: Option<S>,
    pub span: Option<Span>,
}

/// The Service fields kube-proxy reads (spec §2).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound(deserialize = "S: Deserialize<'de> + Ord"))]
pub struct ProxyService<S = String> {
    pub namespace: S,
    pub name: S,
    #[serde(rename = "type")]
    pub type_: ServiceType,
    /// `spec.clusterIP` (`""` or `"None"` = headless, skipped).
    pub cluster_ip: S,
    /// `spec.clusterIPs`.
    pub cluster_ips: Vec<S>,
    /// `spec.ipFamilies` (`IPv4` / `IPv6`).
    pub ip_families: Vec<S>,
    pub ports: Vec<ProxyServicePort<S>>,
    /// `spec.externalIPs`, raw strings.
    pub external_ips: Vec<S>,
    pub lb_ingress: Vec<ProxyLbIngress<S>>,
    /// `spec.loadBalancerSourceRanges`, raw strings (kube-proxy trims whitespace).
    pub lb_source_ranges: Vec<S>,
    /// `sessionAffinity: ClientIP` → `Some(timeoutSeconds)` (the caller applies the API
    /// default of 10800); `None` = no affinity.
    pub session_affinity_client_ip: Option<i32>,
    /// `externalTrafficPolicy: Local` (only effective for externally accessible types).
    pub external_traffic_policy_local: bool,
    /// `internalTrafficPolicy: Local`.
    pub internal_traffic_policy_local: bool,
    /// `spec.healthCheckNodePort` (0 = none).
    pub health_check_node_port: i32,
    pub labels: BTreeMap<S, S>,
    pub span: Option<Span>,
}

/// One `ports[]` entry of an EndpointSlice.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyEndpointPort<S = String> {
    /// `None` = field absent (kube-proxy ignores such a port); `Some("")` matches an
    /// unnamed Service port.
    pub name: Option<S>,
    pub port: Option<i32>,
    /// `None` = absent, treated as `TCP` (the API default).
    pub protocol: Option<S>,
    pub span: Option<Span>,
}

/// One `endpoints[]` entry of an EndpointSlice.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyEndpoint<S = String> {
    pub addresses: Vec<S>,
    /// `conditions.ready` (`None` = absent = true).
    pub ready: Option<bool>,
    /// `conditions.serving` (`None` = absent = true).
    pub serving: Option<bool>,
    /// `conditions.terminating` (`None` = absent = false).
    pub terminating: Option<bool>,
    pub node_name: Option<S>,
    /// `hints.forZones[*].name`.
    pub zone_hints: Vec<S>,
    /// `hints.forNodes[*].name`.
    pub node_hints: Vec<S>,
    pub span: Option<Span>,
}

/// The EndpointSlice fields kube-proxy reads (spec §3).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound(deserialize = "S: Deserialize<'de> + Ord"))]
pub struct ProxyEndpointSlice<S = String> {
    pub namespace: S,
    pub name: S,
    /// `IPv4`, `IPv6` or `FQDN`.
    pub address_type: S,
    /// The `kubernetes.io/service-name` label (also looked up in `labels` when `None`).
    pub service_name: Option<S>,
    pub labels: BTreeMap<S, S>,
    pub ports: Vec<ProxyEndpointPort<S>>,
    pub endpoints: Vec<ProxyEndpoint<S>>,
    pub span: Option<Span>,
}

/// `--detect-local-mode`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DetectLocalMode {
    /// Pod traffic = source in `--cluster-cidr` (no-op without a CIDR).
    #[default]
    ClusterCIDR,
    /// Pod traffic = source in the node's `spec.podCIDRs`.
    NodeCIDR,
    /// Pod traffic = arriving on `--pod-bridge-interface`.
    BridgeInterface,
    /// Pod traffic = arriving on an interface named `--pod-interface-name-prefix*`.
    InterfaceNamePrefix,
    /// No local-traffic detection.
    None,
}

/// Node and kube-proxy settings (spec §1). [`ProxyConfig::default`] is a current real
/// node; [`ProxyConfig::test_harness`] the fake proxier of the upstream unit tests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProxyConfig {
    /// This node's name (compared with `endpoint.nodeName`).
    pub node_name: String,
    /// The node's primary IP; may be a dual-stack pair `"192.168.0.2,2001:db8::1"`.
    /// Only used for the "allow from node" LoadBalancerSourceRanges rule (§9.5) and for
    /// `--nodeport-addresses primary`.
    pub node_ip: Option<String>,
    /// The node's interface addresses (only used when `--nodeport-addresses` is not
    /// "all", and by the IPVS table). Empty = `node_ip` plus `127.0.0.1` and `::1`.
    pub node_addresses: Vec<String>,
    /// Node labels (`topology.kubernetes.io/zone` selects zone hints).
    pub node_labels: BTreeMap<String, String>,
    /// The family of this proxier (one document per family).
    pub ip_family: IpFamily,
    /// `--cluster-cidr` (comma-separated, one per family).
    pub cluster_cidr: Option<String>,
    pub detect_local_mode: DetectLocalMode,
    /// The node's `spec.podCIDRs` (comma-separated) for `NodeCIDR` mode.
    pub node_pod_cidr: Option<String>,
    /// `--pod-bridge-interface` for `BridgeInterface` mode.
    pub bridge_interface: Option<String>,
    /// `--pod-interface-name-prefix` for `InterfaceNamePrefix` mode.
    pub interface_name_prefix: Option<String>,
    /// `--masquerade-all`.
    pub masquerade_all: bool,
    /// `--iptables-masquerade-bit` (0–31, default 14).
    pub masquerade_bit: u32,
    /// `--nodeport-addresses` (CIDRs, or the single value `primary`); empty = all
    /// (iptables/IPVS) or `primary` (nftables).
    pub nodeport_addresses: Vec<String>,
    /// `--iptables-localhost-nodeports` (default true; IPv4 only).
    pub localhost_nodeports: bool,
    /// Whether the iptables binary supports `--random-fully` (default true).
    pub random_fully: bool,
    /// Whether the nfacct counters could be created (default true).
    pub nfacct: bool,
    /// `net.netfilter.nf_conntrack_tcp_be_liberal` is non-zero (default false).
    pub tcp_be_liberal: bool,
    /// Use this mark text instead of `%#08x` of the masquerade bit (the unit tests
    /// inject `"0x4000"`).
    pub mark_override: Option<String>,
    /// Chains currently in the nat table (`iptables-save -t nat`); stale service chains
    /// among them get `-X` lines (§11).
    pub existing_nat_chains: Vec<String>,
    /// ServiceCIDRs (nftables `cluster-ips-check` drop rule only).
    pub service_cidrs: Vec<String>,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        ProxyConfig {
            node_name: "node-1".to_string(),
            node_ip: None,
            node_addresses: Vec::new(),
            node_labels: BTreeMap::new(),
            ip_family: IpFamily::V4,
            cluster_cidr: None,
            detect_local_mode: DetectLocalMode::ClusterCIDR,
            node_pod_cidr: None,
            bridge_interface: None,
            interface_name_prefix: None,
            masquerade_all: false,
            masquerade_bit: 14,
            nodeport_addresses: Vec::new(),
            localhost_nodeports: true,
            random_fully: true,
            nfacct: true,
            tcp_be_liberal: false,
            mark_override: None,
            existing_nat_chains: Vec::new(),
            service_cidrs: Vec::new(),
        }
    }
}

impl ProxyConfig {
    /// The fake proxier of `pkg/proxy/iptables/proxier_test.go` (`NewFakeProxier`):
    /// mark `0x4000`, no `--random-fully`, both nfacct counters, detector CIDR
    /// `10.0.0.0/8` (`fd00:10::/64` for IPv6), node `test-node` with IP `192.168.0.2`,
    /// localhost NodePorts on, nodeport-addresses all, the fake interface addresses.
    pub fn test_harness() -> Self {
        ProxyConfig {
            node_name: "test-node".to_string(),
            node_ip: Some("192.168.0.2".to_string()),
            node_addresses: [
                "127.0.0.1",
                "::1",
                "192.168.0.2",
                "192.168.1.2",
                "192.168.99.11",
                "2001:db8::1",
                "2001:db8:1::2",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            cluster_cidr: Some("10.0.0.0/8,fd00:10::/64".to_string()),
            detect_local_mode: DetectLocalMode::ClusterCIDR,
            random_fully: false,
            nfacct: true,
            mark_override: Some("0x4000".to_string()),
            service_cidrs: vec!["172.30.0.0/16".to_string(), "fd00:10:96::/112".to_string()],
            ..ProxyConfig::default()
        }
    }

    /// [`ProxyConfig::test_harness`] for the IPv6 proxier.
    pub fn test_harness_v6() -> Self {
        ProxyConfig { ip_family: IpFamily::V6, ..ProxyConfig::test_harness() }
    }
}
