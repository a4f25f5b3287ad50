//! kube-proxy rule generation for svcflow.
//!
//! A pure re-implementation (no I/O) of how kube-proxy turns Services, EndpointSlices
//! and node settings into dataplane rules, written from the specification in
//! `kube-proxy-iptables.md` (itself written from upstream `kubernetes/kubernetes`
//! commit 531be812):
//!
//! * [`generate_iptables`] — the `iptables-restore` input of
//!   `pkg/proxy/iptables/proxier.go`, byte for byte, plus structured rules, chains and a
//!   per-service-port summary with input provenance ([`IptablesOutput`]);
//! * [`normalize_iptables`] — the upstream tests' normalisation (§13);
//! * [`generate_nftables`] — the ruleset of `pkg/proxy/nftables/proxier.go` in the
//!   knftables fake's dump format;
//! * [`generate_ipvs`] — an `ipvsadm -Ln`-style virtual-server table
//!   (`pkg/proxy/ipvs/proxier.go`).
//!
//! Invalid input the API server or kube-proxy's flag validation would reject (a bad
//! cluster IP, port, endpoint address, `--cluster-cidr`, …) is a [`ProxyError`] naming
//! the object; values kube-proxy silently drops (unparsable externalIPs or source
//! ranges, `ipMode: Proxy` ingress IPs, nameless slice ports, …) are reported as
//! warnings without changing the rules. Nothing panics on any input.

/// `format!`, with the string allocated once at its exact length
/// ([`svcflow_source::format_exact`]): it shadows std's in every module of this crate. The text
/// is the same; a large input formats millions of short names and labels, and std's `format!`
/// reallocates most of them three or four times while writing.
macro_rules! format {
    ($($arg:tt)*) => {
        svcflow_source::format_exact(format_args!($($arg)*))
    };
}

mod hash;
mod iptables;
mod ipvs;
mod model;
mod netutil;
mod nftables;
mod normalize;
mod prepare;

pub use hash::{
    base32_encode, endpoint_chain_name, h16, nft_hash_and_truncate, port_proto_hash, service_chain_name, sha256_base32,
};
pub use iptables::{
    generate_iptables, probability, summarize_iptables, Chain, ChainKind, EndpointSummary, IptablesOutput,
    ProxySummary, Rule, ServicePortSummary, Table, LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
};
pub use ipvs::generate_ipvs;
pub use model::{
    DetectLocalMode, IpFamily, ProxyConfig, ProxyEndpoint, ProxyEndpointPort, ProxyEndpointSlice, ProxyError,
    ProxyLbIngress, ProxyService, ProxyServicePort, ServiceType, Text, LABEL_HEADLESS, LABEL_SERVICE_NAME,
    LABEL_SERVICE_PROXY_NAME, LABEL_TOPOLOGY_ZONE,
};
pub use nftables::generate_nftables;
pub use normalize::{normalize_iptables, try_normalize_iptables};

/// Check the inputs without generating rules: `Err` for invalid values (see the crate
/// docs), otherwise the warnings about values kube-proxy would silently drop.
pub fn validate<S: Text>(
    services: &[ProxyService<S>],
    slices: &[ProxyEndpointSlice<S>],
    config: &ProxyConfig,
) -> Result<Vec<ProxyError>, ProxyError> {
    let (_, prepared) = prepare::prepare_all(services, slices, config, prepare::Backend::Iptables)?;
    Ok(prepared.warnings)
}

/// Canonical form of an address as kube-proxy prints it (`ParseIPSloppy` then
/// `IP.String()`): `"010.1.2.3"` → `"10.1.2.3"`, `"FD00::0001"` → `"fd00::1"`. `None`
/// when kube-proxy cannot parse it.
pub fn canonical_ip(s: &str) -> Option<String> {
    netutil::Ip::parse_sloppy(s).map(|ip| ip.to_string())
}

/// Canonical masked form of a CIDR as kube-proxy prints it (`ParseCIDRSloppy` then
/// `IPNet.String()`): `"192.168.1.5/24"` → `"192.168.1.0/24"`.
pub fn canonical_cidr(s: &str) -> Option<String> {
    netutil::Cidr::parse_sloppy(s).map(|c| c.to_string())
}
