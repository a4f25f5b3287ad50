//! iptables mode: the `iptables-restore` input kube-proxy writes (spec §5–§11).
//!
//! Behaviour source: `pkg/proxy/iptables/proxier.go` (`syncProxyRules`,
//! `writeServiceToEndpointRules`, `computeProbability`, `appendServiceCommentLocked`) at
//! commit 531be812, with `pkg/proxy/util/linebuffer.go` for the line format. Always a
//! full sync (every service's chains are written).

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use svcflow_source::Span;

use crate::hash::{ChainName, ChainNamer};
use crate::model::*;
use crate::netutil::{push_decimal, IpFamily};
use crate::normalize::normalize_iptables;
use crate::prepare::{categorize, prepare_all, Backend, Categorized, Ctx, Prepared, SvcPort};

/// Above this many endpoints (strictly), kube-proxy drops the comments of SVC→SEP and SEP
/// rules ("large cluster mode", `largeClusterEndpointsThreshold`).
pub const LARGE_CLUSTER_ENDPOINTS_THRESHOLD: usize = 1000;

/// Whether kube-proxy runs in large cluster mode for this many endpoints.
fn is_large_cluster(total_endpoints: usize) -> bool {
    total_endpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD
}

/// `computeProbability`: Go `fmt.Sprintf("%0.10f", 1.0/float64(n))`: the exact binary value
/// of the float64 `1/n`, rounded to 10 decimals half-to-even (Go's `strconv`, like Rust's
/// `{:.10}` and Python's `"%.10f"`; the spec checked Python's against Go).
///
/// Computed with integers (the float is `mantissa × 2^-shift`, so its 10-decimal rounding is
/// `mantissa × 10^10 / 2^shift` rounded), so the browser's wasm carries no float-formatting
/// code; a test checks it equals Rust's `{:.10}` for n in 1..=300,000 and for huge n.
pub fn probability(n: usize) -> String {
    let p = 1.0 / n.max(1) as f64;
    let bits = p.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    // 1/n for n ≥ 1 is normal and at most 1: exponent field ≤ 1023, so shift ≥ 52
    let mantissa = u128::from((bits & ((1 << 52) - 1)) | (1 << 52));
    let shift = (1075 - exponent) as u32;
    let scaled = mantissa * 10_000_000_000;
    let (mut units, rest) = if shift >= 128 { (0, scaled) } else { (scaled >> shift, scaled & ((1u128 << shift) - 1)) };
    // rest / 2^shift compared with one half
    let half = if shift >= 128 { u128::MAX } else { 1u128 << (shift - 1) };
    if rest > half || (rest == half && units % 2 == 1) {
        units += 1;
    }
    // at most 10^10: u64 (formatting a u128 would pull in its own code)
    let units = units as u64;
    format!("{}.{:010}", units / 10_000_000_000, units % 10_000_000_000)
}

/// An iptables table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Table {
    Filter,
    Nat,
}

/// What a chain is for (lets the browser fold chains per Service).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChainKind {
    /// `KUBE-SERVICES`, `KUBE-NODEPORTS`, … (always present).
    Fixed,
    /// `KUBE-SVC-…` (cluster policy).
    Service,
    /// `KUBE-SVL-…` (local policy).
    Svl,
    /// `KUBE-EXT-…` (external destinations).
    Ext,
    /// `KUBE-FW-…` (loadBalancerSourceRanges).
    Fw,
    /// `KUBE-SEP-…` (one endpoint).
    Sep,
    /// A stale service chain being deleted (`-X`).
    Stale,
}

/// One rule line of the restore input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub table: Table,
    pub chain: String,
    /// The full line, e.g. `-A KUBE-SERVICES -m comment …` (no newline).
    pub text: String,
    /// Input locations the rule derives from: the Service port, the endpoint, the
    /// EndpointSlice port.
    pub origin: Vec<Span>,
    /// svcPortName (`ns/name:port`) for per-service rules.
    pub service: Option<String>,
}

/// One chain declared in the restore input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Chain {
    pub table: Table,
    pub name: String,
    pub kind: ChainKind,
    pub service: Option<String>,
}

/// An endpoint of a service port, as the flow diagram shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EndpointSummary {
    /// `ip:port` (IPv6 bracketed).
    pub endpoint: String,
    pub ip: String,
    pub port: i32,
    pub node_name: Option<String>,
    pub is_local: bool,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    /// The endpoint's `KUBE-SEP-…` name (computed even when unused).
    pub sep_chain: String,
    /// Whether the SEP chain is written (the endpoint is reachable from this node).
    pub has_sep_chain: bool,
    /// Selected by the cluster-policy (`KUBE-SVC`) chain.
    pub in_cluster_chain: bool,
    /// The `--probability` of its rule in the SVC chain; `None` for the final
    /// unconditional rule (or when not in the chain).
    pub cluster_probability: Option<String>,
    /// Selected by the local-policy (`KUBE-SVL`) chain.
    pub in_local_chain: bool,
    pub local_probability: Option<String>,
    /// The EndpointSlice (`ns/name`) it came from.
    pub slice: String,
    pub span: Option<Span>,
}

/// Per service port: chains and endpoints (spec §7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServicePortSummary {
    /// `ns/name[:port]`.
    pub svc_port_name: String,
    pub namespace: String,
    pub name: String,
    pub port_name: String,
    pub protocol: String,
    pub cluster_ip: String,
    pub port: i32,
    pub node_port: i32,
    pub health_check_node_port: i32,
    pub external_ips: Vec<String>,
    pub load_balancer_ips: Vec<String>,
    pub source_ranges: Vec<String>,
    pub session_affinity_seconds: Option<i32>,
    pub external_policy_local: bool,
    pub internal_policy_local: bool,
    pub externally_accessible: bool,
    /// Usable endpoints anywhere in the cluster.
    pub has_endpoints: bool,
    pub has_internal_endpoints: bool,
    pub has_external_endpoints: bool,
    /// `PreferSameNode` / `PreferSameZone` when topology hints are honoured.
    pub topology_mode: Option<String>,
    /// Where cluster-IP traffic goes: a chain name, `REJECT` or `DROP`.
    pub internal_target: String,
    /// Where external traffic goes when externally accessible: a chain, `REJECT`, `DROP`.
    pub external_target: Option<String>,
    pub svc_chain: Option<String>,
    pub svl_chain: Option<String>,
    pub ext_chain: Option<String>,
    pub fw_chain: Option<String>,
    pub endpoints: Vec<EndpointSummary>,
    pub span: Option<Span>,
}

/// The result of [`generate_iptables`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IptablesOutput {
    pub family: IpFamily,
    /// The restore input exactly as kube-proxy writes it (§5).
    pub text: String,
    /// Every rule line (filter rules, then nat rules, in text order).
    pub rules: Vec<Rule>,
    /// Every chain line (filter, then nat, in text order).
    pub chains: Vec<Chain>,
    /// One entry per service port, sorted by (namespace, name, port name, protocol).
    pub services: Vec<ServicePortSummary>,
    /// Values kube-proxy silently drops (the rules are unaffected).
    pub warnings: Vec<ProxyError>,
    pub total_endpoints: usize,
    pub large_cluster_mode: bool,
}

impl IptablesOutput {
    /// The restore input exactly as kube-proxy writes it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The §13 normalisation of [`IptablesOutput::text`] (what the upstream tests
    /// compare).
    pub fn normalized_text(&self) -> String {
        normalize_iptables(&self.text)
    }
}

impl Serialize for IptablesOutput {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut st = serializer.serialize_struct("IptablesOutput", 9)?;
        st.serialize_field("family", &self.family)?;
        st.serialize_field("text", &self.text)?;
        st.serialize_field("normalized_text", &self.normalized_text())?;
        st.serialize_field("rules", &self.rules)?;
        st.serialize_field("chains", &self.chains)?;
        st.serialize_field("services", &self.services)?;
        st.serialize_field("warnings", &self.warnings)?;
        st.serialize_field("total_endpoints", &self.total_endpoints)?;
        st.serialize_field("large_cluster_mode", &self.large_cluster_mode)?;
        st.end()
    }
}

/// The four line buffers of `syncProxyRules` (filter/nat chain lines and rules), kept as
/// structured lists; the text is assembled once at the end.
#[derive(Default)]
struct Out {
    scratch: String,
    filter_rules: Vec<Rule>,
    nat_rules: Vec<Rule>,
    filter_chains: Vec<Chain>,
    nat_chains: Vec<Chain>,
    /// The rule lines of each table, appended as each rule is written (while its text is
    /// still in cache) instead of gathered again from every `Rule` at the end.
    filter_lines: String,
    nat_lines: String,
}

impl Out {
    fn chain(&mut self, table: Table, name: &str, kind: ChainKind, service: Option<&str>) {
        let list = match table {
            Table::Filter => &mut self.filter_chains,
            Table::Nat => &mut self.nat_chains,
        };
        list.push(Chain { table, name: name.to_string(), kind, service: service.map(str::to_string) });
    }

    /// Write `-A <chain> <body>`.
    fn rule(&mut self, table: Table, chain: &str, body: impl fmt::Display, origin: Vec<Span>, service: Option<&str>) {
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        text.push_str("-A ");
        text.push_str(chain);
        text.push(' ');
        let _ = write!(text, "{body}");
        if text.len() == chain.len() + 4 {
            text.pop();
        }
        // An exactly sized copy; the scratch buffer is reused for the next rule.
        let line = text.as_str().to_owned();
        self.scratch = text;
        self.push_line(table, chain, line, origin, service);
    }

    /// Write `-A <chain> <body…>`: the hot per-endpoint rules, built with one exactly
    /// sized allocation instead of going through the formatting machinery.
    fn rule_concat(&mut self, table: Table, chain: &str, body: &[&str], origin: Vec<Span>, service: Option<&str>) {
        let body_len: usize = body.iter().map(|part| part.len()).sum();
        let mut text = String::with_capacity(4 + chain.len() + body_len);
        text.push_str("-A ");
        text.push_str(chain);
        if body_len > 0 {
            text.push(' ');
            for part in body {
                text.push_str(part);
            }
        }
        self.push_line(table, chain, text, origin, service);
    }

    fn push_line(&mut self, table: Table, chain: &str, text: String, origin: Vec<Span>, service: Option<&str>) {
        let (list, lines) = match table {
            Table::Filter => (&mut self.filter_rules, &mut self.filter_lines),
            Table::Nat => (&mut self.nat_rules, &mut self.nat_lines),
        };
        lines.push_str(&text);
        lines.push('\n');
        list.push(Rule { table, chain: chain.to_string(), text, origin, service: service.map(str::to_string) });
    }

    /// `*filter`, chain lines, rules, `COMMIT`, then the same for `*nat`. The nat rule
    /// lines are most of the text, so everything before them is inserted in front of
    /// them in place rather than all of it copied into a new buffer.
    fn text(&mut self) -> String {
        let chain_lines_len = |cs: &[Chain]| cs.iter().map(|c| c.name.len() + 9).sum::<usize>();
        let push_chain_lines = |text: &mut String, cs: &[Chain]| {
            for c in cs {
                text.push(':');
                text.push_str(&c.name);
                text.push_str(" - [0:0]\n");
            }
        };
        let mut head = String::with_capacity(
            32 + chain_lines_len(&self.filter_chains) + self.filter_lines.len() + chain_lines_len(&self.nat_chains),
        );
        head.push_str("*filter\n");
        push_chain_lines(&mut head, &self.filter_chains);
        head.push_str(&self.filter_lines);
        head.push_str("COMMIT\n*nat\n");
        push_chain_lines(&mut head, &self.nat_chains);

        const TAIL: &str = "COMMIT\n";
        let mut text = std::mem::take(&mut self.nat_lines);
        text.reserve_exact(head.len() + TAIL.len());
        text.insert_str(0, &head);
        text.push_str(TAIL);
        text.shrink_to_fit();
        text
    }
}

fn spans(list: &[Option<Span>]) -> Vec<Span> {
    list.iter().flatten().copied().collect()
}

/// Generate the iptables restore input for `config.ip_family` (spec §5–§11).
///
/// Services are visited sorted by (namespace, name, port name, protocol); within one
/// service port the rules follow kube-proxy's order exactly.
pub fn generate_iptables<S: Text>(
    services: &[ProxyService<S>],
    slices: &[ProxyEndpointSlice<S>],
    config: &ProxyConfig,
) -> Result<IptablesOutput, ProxyError> {
    let (ctx, prepared) = prepare_all(services, slices, config, Backend::Iptables)?;
    Ok(render(&ctx, prepared))
}

/// What the flow diagram needs from kube-proxy, without the rules: per service port its
/// chains and endpoints. Equal to the same fields of [`generate_iptables`]'s output (tested on
/// every golden) for a fraction of the work: no rule text is built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxySummary {
    pub family: IpFamily,
    /// One entry per service port, sorted by (namespace, name, port name, protocol).
    pub services: Vec<ServicePortSummary>,
    /// Values kube-proxy silently drops (the rules are unaffected).
    pub warnings: Vec<ProxyError>,
    pub total_endpoints: usize,
    pub large_cluster_mode: bool,
}

impl IptablesOutput {
    /// The part of the output [`summarize_iptables`] computes on its own.
    pub fn summary(&self) -> ProxySummary {
        ProxySummary {
            family: self.family,
            services: self.services.clone(),
            warnings: self.warnings.clone(),
            total_endpoints: self.total_endpoints,
            large_cluster_mode: self.large_cluster_mode,
        }
    }
}

/// [`generate_iptables`] without the rules: the same errors, the same summaries.
pub fn summarize_iptables<S: Text>(
    services: &[ProxyService<S>],
    slices: &[ProxyEndpointSlice<S>],
    config: &ProxyConfig,
) -> Result<ProxySummary, ProxyError> {
    let (ctx, prepared) = prepare_all(services, slices, config, Backend::Iptables)?;
    let mut probs = Probabilities(Vec::new());
    let services = prepared
        .ports
        .into_iter()
        .map(|sp| {
            let cat = categorize(&sp, &ctx);
            let plan = PortPlan::new(&sp, &cat);
            summarize_port(sp, &cat, plan, &mut probs)
        })
        .collect();
    Ok(ProxySummary {
        family: ctx.family,
        services,
        warnings: prepared.warnings,
        total_endpoints: prepared.total_endpoints,
        large_cluster_mode: is_large_cluster(prepared.total_endpoints),
    })
}

struct Probabilities(Vec<String>);

impl Probabilities {
    fn get(&mut self, n: usize) -> &str {
        while self.0.len() <= n {
            let k = self.0.len();
            self.0.push(if k == 0 { "<bad value>".to_string() } else { probability(k) });
        }
        &self.0[n]
    }
}

fn render(ctx: &Ctx, prepared: Prepared) -> IptablesOutput {
    // Rough sizes (2 chains and ~4 rules of up to ~80 bytes per endpoint) to avoid
    // regrowing huge buffers; capacity that is never written costs address space only.
    let nat_rules_estimate = prepared.ports.len() * 6 + prepared.total_endpoints * 4 + 16;
    let nat_chains_estimate = prepared.ports.len() * 2 + prepared.total_endpoints + 8;
    let mut out = Out {
        nat_rules: Vec::with_capacity(nat_rules_estimate),
        nat_chains: Vec::with_capacity(nat_chains_estimate),
        nat_lines: String::with_capacity(nat_rules_estimate * 80 + nat_chains_estimate * 40),
        ..Out::default()
    };
    let mark = &ctx.mark;
    let is_v6 = ctx.family == IpFamily::V6;
    let large = is_large_cluster(prepared.total_endpoints);
    let mut probs = Probabilities(Vec::with_capacity(64));

    for c in ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL"] {
        out.chain(Table::Filter, c, ChainKind::Fixed, None);
    }
    for c in ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"] {
        out.chain(Table::Nat, c, ChainKind::Fixed, None);
    }
    out.rule(Table::Nat, "KUBE-POSTROUTING", format_args!("-m mark ! --mark {mark}/{mark} -j RETURN"), vec![], None);
    out.rule(Table::Nat, "KUBE-POSTROUTING", format_args!("-j MARK --xor-mark {mark}"), vec![], None);
    out.rule(
        Table::Nat,
        "KUBE-POSTROUTING",
        if ctx.random_fully {
            "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully"
        } else {
            "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE"
        },
        vec![],
        None,
    );
    out.rule(Table::Nat, "KUBE-MARK-MASQ", format_args!("-j MARK --or-mark {mark}"), vec![], None);
    if !is_v6 && ctx.localhost_nodeports {
        out.chain(Table::Filter, "KUBE-FIREWALL", ChainKind::Fixed, None);
        out.rule(
            Table::Filter,
            "KUBE-FIREWALL",
            "-m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP",
            vec![],
            None,
        );
    }

    let mut summaries = Vec::with_capacity(prepared.ports.len());
    for sp in prepared.ports {
        let cat = categorize(&sp, ctx);
        let plan = PortPlan::new(&sp, &cat);
        write_service_port(&mut out, ctx, &sp, &cat, &plan, large, &mut probs);
        summaries.push(summarize_port(sp, &cat, plan, &mut probs));
    }

    // Stale service chains (§11): flush + delete, sorted (upstream: set order).
    let active_nat: svcflow_source::hash::HashSet<&str> = if ctx.existing_nat_chains.is_empty() {
        svcflow_source::hash::HashSet::default()
    } else {
        out.nat_chains.iter().map(|c| c.name.as_str()).collect()
    };
    let mut stale: Vec<String> = ctx
        .existing_nat_chains
        .iter()
        .filter(|c| is_service_chain_name(c) && !active_nat.contains(c.as_str()))
        .cloned()
        .collect();
    stale.sort();
    stale.dedup();
    for c in &stale {
        out.chain(Table::Nat, c, ChainKind::Stale, None);
        out.push_line(Table::Nat, c, format!("-X {c}"), vec![], None);
    }

    // The KUBE-NODEPORTS tail jump(s) — always the last rules of nat KUBE-SERVICES.
    const TAIL: &str =
        "-m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\"";
    if ctx.npa.match_all {
        let excl = if is_v6 {
            " ! -d ::1/128"
        } else if !ctx.localhost_nodeports {
            " ! -d 127.0.0.0/8"
        } else {
            ""
        };
        out.rule(
            Table::Nat,
            "KUBE-SERVICES",
            format_args!("{TAIL} -m addrtype --dst-type LOCAL{excl} -j KUBE-NODEPORTS"),
            vec![],
            None,
        );
    } else {
        for ip in ctx.nodeport_ips() {
            if ip.is_loopback() && (is_v6 || !ctx.localhost_nodeports) {
                continue;
            }
            out.rule(Table::Nat, "KUBE-SERVICES", format_args!("{TAIL} -d {ip} -j KUBE-NODEPORTS"), vec![], None);
        }
    }

    if !ctx.tcp_be_liberal {
        out.rule(
            Table::Filter,
            "KUBE-FORWARD",
            if ctx.nfacct {
                "-m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP"
            } else {
                "-m conntrack --ctstate INVALID -j DROP"
            },
            vec![],
            None,
        );
    }
    out.rule(
        Table::Filter,
        "KUBE-FORWARD",
        format_args!("-m comment --comment \"kubernetes forwarding rules\" -m mark --mark {mark}/{mark} -j ACCEPT"),
        vec![],
        None,
    );
    out.rule(
        Table::Filter,
        "KUBE-FORWARD",
        "-m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        vec![],
        None,
    );

    let text = out.text();
    // The filter lists are short: inserting them in front of the nat lists shifts the
    // nat entries inside their pre-sized buffers instead of copying them to new ones.
    let mut rules = out.nat_rules;
    rules.splice(0..0, out.filter_rules);
    let mut chains = out.nat_chains;
    chains.splice(0..0, out.filter_chains);

    IptablesOutput {
        family: ctx.family,
        text,
        rules,
        chains,
        services: summaries,
        warnings: prepared.warnings,
        total_endpoints: prepared.total_endpoints,
        large_cluster_mode: large,
    }
}

/// `isServiceChainName`.
fn is_service_chain_name(c: &str) -> bool {
    ["KUBE-SVC-", "KUBE-SVL-", "KUBE-SEP-", "KUBE-FW-", "KUBE-EXT-"].iter().any(|p| c.starts_with(p))
}

/// One service port's chain names, which of its chains exist and where its traffic goes:
/// computed once and shared by the rule writer and the flow summary, so the two agree.
struct PortPlan {
    svc_chain: ChainName,
    svl_chain: ChainName,
    ext_chain: ChainName,
    fw_chain: ChainName,
    /// Per endpoint (in `SvcPort::endpoints` order): its `KUBE-SEP-…` name.
    sep: Vec<String>,
    cip: String,
    has_endpoints: bool,
    uses_cluster_chain: bool,
    uses_local_chain: bool,
    has_internal: bool,
    has_external: bool,
    uses_ext: bool,
    uses_fw: bool,
    int_target: String,
    int_comment: String,
    ext_target: String,
    ext_comment: String,
}

impl PortPlan {
    fn new(sp: &SvcPort, cat: &Categorized) -> PortPlan {
        let s = sp.svc_port_name.as_str();
        let namer = ChainNamer::new(s, sp.proto);
        let hash = namer.port_proto_hash_ascii();
        let has_endpoints = cat.has_any;
        let has_internal = has_endpoints && !(sp.internal_policy_local && cat.local.is_empty());
        let has_external = has_endpoints && !(sp.external_policy_local && cat.local.is_empty());
        let (mut int_target, mut int_comment) = (String::new(), String::new());
        let (mut ext_target, mut ext_comment) = (String::new(), String::new());
        if !has_endpoints {
            int_target = "REJECT".into();
            int_comment = format!("\"{s} has no endpoints\"");
            ext_target = int_target.clone();
            ext_comment = int_comment.clone();
        } else {
            if !has_internal {
                int_target = "DROP".into();
                int_comment = format!("\"{s} has no local endpoints\"");
            }
            if !has_external {
                ext_target = "DROP".into();
                ext_comment = format!("\"{s} has no local endpoints\"");
            }
        }
        PortPlan {
            svc_chain: ChainName::new("KUBE-SVC-", &hash),
            svl_chain: ChainName::new("KUBE-SVL-", &hash),
            ext_chain: ChainName::new("KUBE-EXT-", &hash),
            fw_chain: ChainName::new("KUBE-FW-", &hash),
            sep: sp.endpoints.iter().map(|e| namer.endpoint_chain(&e.id)).collect(),
            cip: sp.cluster_ip.to_text(),
            has_endpoints,
            uses_cluster_chain: !cat.cluster.is_empty() && sp.uses_cluster_endpoints(),
            uses_local_chain: !cat.local.is_empty() && sp.uses_local_endpoints(),
            has_internal,
            has_external,
            uses_ext: has_endpoints && sp.externally_accessible(),
            uses_fw: has_endpoints && !sp.lb_vips.is_empty() && !sp.source_ranges.is_empty(),
            int_target,
            int_comment,
            ext_target,
            ext_comment,
        }
    }

    /// Where cluster-IP traffic is sent when it has somewhere to go.
    fn internal_chain(&self, sp: &SvcPort) -> &ChainName {
        if sp.internal_policy_local {
            &self.svl_chain
        } else {
            &self.svc_chain
        }
    }
}

/// Write one service port's rules and chains (spec §7–§10, in kube-proxy's order).
fn write_service_port(
    out: &mut Out,
    ctx: &Ctx,
    sp: &SvcPort,
    cat: &Categorized,
    plan: &PortPlan,
    large: bool,
    probs: &mut Probabilities,
) {
    let s = sp.svc_port_name.as_str();
    let svc = Some(s);
    let p = sp.proto;
    let PortPlan { svc_chain, svl_chain, ext_chain, fw_chain, sep, cip, .. } = plan;
    let PortPlan { int_target, int_comment, ext_target, ext_comment, .. } = plan;
    let (has_endpoints, has_internal, has_external) = (plan.has_endpoints, plan.has_internal, plan.has_external);
    let (uses_cluster_chain, uses_local_chain) = (plan.uses_cluster_chain, plan.uses_local_chain);
    let (uses_ext, uses_fw) = (plan.uses_ext, plan.uses_fw);
    let port = sp.port;
    let origin = || spans(&[sp.span]);
    let internal_chain = plan.internal_chain(sp);
    let external_policy_chain = if sp.external_policy_local { svl_chain } else { svc_chain };
    let lb_target = if uses_fw { fw_chain } else { ext_chain };

    let mp = proto_match(p);

    // 1. Cluster IP. Its match is also the start of the masquerade rule (7).
    let cluster_ip_match = format!("-m comment --comment \"{s} cluster IP\" {mp} -d {cip} --dport {port}");
    if has_internal {
        out.rule_concat(Table::Nat, "KUBE-SERVICES", &[&cluster_ip_match, " -j ", internal_chain], origin(), svc);
    } else {
        out.rule(
            Table::Filter,
            "KUBE-SERVICES",
            format_args!("-m comment --comment {int_comment} {mp} -d {cip} --dport {port} -j {int_target}"),
            origin(),
            svc,
        );
    }
    // 2. External IPs.
    for x in &sp.external_ips {
        if has_endpoints {
            out.rule(
                Table::Nat,
                "KUBE-SERVICES",
                format_args!("-m comment --comment \"{s} external IP\" {mp} -d {x} --dport {port} -j {ext_chain}"),
                origin(),
                svc,
            );
        }
        if !has_external {
            out.rule(
                Table::Filter,
                "KUBE-EXTERNAL-SERVICES",
                format_args!("-m comment --comment {ext_comment} {mp} -d {x} --dport {port} -j {ext_target}"),
                origin(),
                svc,
            );
        }
    }
    // 3. Load-balancer VIPs.
    for v in &sp.lb_vips {
        if has_endpoints {
            out.rule(
                Table::Nat,
                "KUBE-SERVICES",
                format_args!("-m comment --comment \"{s} loadbalancer IP\" {mp} -d {v} --dport {port} -j {lb_target}"),
                origin(),
                svc,
            );
        }
        if uses_fw {
            out.rule(
                Table::Filter,
                "KUBE-PROXY-FIREWALL",
                format_args!(
                    "-m comment --comment \"{s} traffic not accepted by {fw_chain}\" {mp} -d {v} --dport {port} -j DROP"
                ),
                origin(),
                svc,
            );
        }
    }
    // 4. VIPs without external endpoints.
    if !has_external {
        for v in &sp.lb_vips {
            out.rule(
                Table::Filter,
                "KUBE-EXTERNAL-SERVICES",
                format_args!("-m comment --comment {ext_comment} {mp} -d {v} --dport {port} -j {ext_target}"),
                origin(),
                svc,
            );
        }
    }
    // 5. NodePort.
    if sp.node_port != 0 {
        let np = sp.node_port;
        if has_endpoints {
            if ctx.localhost_nodeports && ctx.family == IpFamily::V4 && ctx.nfacct {
                out.rule(
                    Table::Nat,
                    "KUBE-NODEPORTS",
                    format_args!(
                        "-m comment --comment {s} {mp} -d 127.0.0.0/8 --dport {np} -m nfacct --nfacct-name localhost_nps_accepted_pkts -j {ext_chain}"
                    ),
                    origin(),
                    svc,
                );
            }
            out.rule(
                Table::Nat,
                "KUBE-NODEPORTS",
                format_args!("-m comment --comment {s} {mp} --dport {np} -j {ext_chain}"),
                origin(),
                svc,
            );
        }
        if !has_external {
            out.rule(
                Table::Filter,
                "KUBE-EXTERNAL-SERVICES",
                format_args!(
                    "-m comment --comment {ext_comment} -m addrtype --dst-type LOCAL {mp} --dport {np} -j {ext_target}"
                ),
                origin(),
                svc,
            );
        }
    }
    // 6. Health-check node port.
    if sp.health_check_node_port != 0 {
        out.rule(
            Table::Filter,
            "KUBE-NODEPORTS",
            format_args!(
                "-m comment --comment \"{s} health check node port\" -m tcp -p tcp --dport {} -j ACCEPT",
                sp.health_check_node_port
            ),
            origin(),
            svc,
        );
    }

    // 7. Internal masquerade.
    if has_internal {
        if ctx.masquerade_all {
            out.rule_concat(Table::Nat, internal_chain, &[&cluster_ip_match, " -j KUBE-MARK-MASQ"], origin(), svc);
        } else if ctx.detector.implemented() {
            let not_local = ctx.detector.if_not_local();
            out.rule_concat(
                Table::Nat,
                internal_chain,
                &[&cluster_ip_match, " ", &not_local, " -j KUBE-MARK-MASQ"],
                origin(),
                svc,
            );
        }
    }
    // 8. EXT chain.
    if uses_ext {
        out.chain(Table::Nat, ext_chain, ChainKind::Ext, svc);
        if !sp.external_policy_local {
            out.rule(
                Table::Nat,
                ext_chain,
                format_args!(
                    "-m comment --comment \"masquerade traffic for {s} external destinations\" -j KUBE-MARK-MASQ"
                ),
                origin(),
                svc,
            );
        } else {
            if ctx.detector.implemented() {
                out.rule(
                    Table::Nat,
                    ext_chain,
                    format_args!(
                        "-m comment --comment \"pod traffic for {s} external destinations\" {} -j {svc_chain}",
                        ctx.detector.if_local()
                    ),
                    origin(),
                    svc,
                );
            }
            out.rule(
                Table::Nat,
                ext_chain,
                format_args!(
                    "-m comment --comment \"masquerade LOCAL traffic for {s} external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ"
                ),
                origin(),
                svc,
            );
            out.rule(
                Table::Nat,
                ext_chain,
                format_args!(
                    "-m comment --comment \"route LOCAL traffic for {s} external destinations\" -m addrtype --src-type LOCAL -j {svc_chain}"
                ),
                origin(),
                svc,
            );
        }
        if has_external {
            out.rule(Table::Nat, ext_chain, format_args!("-j {external_policy_chain}"), origin(), svc);
        }
    }
    // 9. FW chain.
    if uses_fw {
        out.chain(Table::Nat, fw_chain, ChainKind::Fw, svc);
        let mut allow_from_node = false;
        for r in &sp.source_ranges {
            out.rule(
                Table::Nat,
                fw_chain,
                format_args!("-m comment --comment \"{s} loadbalancer IP\" -s {r} -j {ext_chain}"),
                origin(),
                svc,
            );
            if ctx.node_ip.is_some_and(|ip| r.contains(&ip)) {
                allow_from_node = true;
            }
        }
        if allow_from_node {
            for v in &sp.lb_vips {
                out.rule(
                    Table::Nat,
                    fw_chain,
                    format_args!("-m comment --comment \"{s} loadbalancer IP\" -s {v} -j {ext_chain}"),
                    origin(),
                    svc,
                );
            }
        }
        out.rule(
            Table::Nat,
            fw_chain,
            format_args!("-m comment --comment \"other traffic to {s} will be dropped by KUBE-PROXY-FIREWALL\""),
            origin(),
            svc,
        );
    }
    // 10./11. SVC and SVL chains.
    let mut lb_rules = |out: &mut Out, chain: &str, list: &[usize]| {
        if let Some(t) = sp.affinity {
            for &i in list {
                let e = &sp.endpoints[i];
                let mut text = std::mem::take(&mut out.scratch);
                text.clear();
                text.push_str("-A ");
                text.push_str(chain);
                if !large {
                    text.push_str(" -m comment --comment \"");
                    text.push_str(s);
                    text.push_str(" -> ");
                    text.push_str(&e.id);
                    text.push('"');
                }
                text.push_str(" -m recent --name ");
                text.push_str(&sep[i]);
                text.push_str(" --rcheck --seconds ");
                push_decimal(&mut text, i64::from(t));
                text.push_str(" --reap -j ");
                text.push_str(&sep[i]);
                let line = text.as_str().to_owned();
                out.scratch = text;
                out.push_line(Table::Nat, chain, line, spans(&[sp.span, e.span, e.port_span]), svc);
            }
        }
        let n = list.len();
        for (k, &i) in list.iter().enumerate() {
            let e = &sp.endpoints[i];
            let mut text = std::mem::take(&mut out.scratch);
            text.clear();
            text.push_str("-A ");
            text.push_str(chain);
            if !large {
                text.push_str(" -m comment --comment \"");
                text.push_str(s);
                text.push_str(" -> ");
                text.push_str(&e.id);
                text.push('"');
            }
            if k + 1 < n {
                text.push_str(" -m statistic --mode random --probability ");
                text.push_str(probs.get(n - k));
            }
            text.push_str(" -j ");
            text.push_str(&sep[i]);
            let line = text.as_str().to_owned();
            out.scratch = text;
            out.push_line(Table::Nat, chain, line, spans(&[sp.span, e.span, e.port_span]), svc);
        }
    };
    if uses_cluster_chain {
        out.chain(Table::Nat, svc_chain, ChainKind::Service, svc);
        lb_rules(out, svc_chain, &cat.cluster);
    }
    if uses_local_chain {
        out.chain(Table::Nat, svl_chain, ChainKind::Svl, svc);
        lb_rules(out, svl_chain, &cat.local);
    }
    // 12. SEP chains.
    let sep_comment = if large { String::new() } else { format!("-m comment --comment {s} ") };
    for &i in cat.reachable() {
        let e = &sp.endpoints[i];
        let chain = &sep[i];
        out.chain(Table::Nat, chain, ChainKind::Sep, svc);
        let o = spans(&[sp.span, e.span, e.port_span]);
        out.rule_concat(Table::Nat, chain, &[&sep_comment, "-s ", &e.ip, " -j KUBE-MARK-MASQ"], o.clone(), svc);
        if sp.affinity.is_some() {
            out.rule_concat(
                Table::Nat,
                chain,
                &[&sep_comment, "-m recent --name ", chain, " --set ", &mp, " -j DNAT --to-destination ", &e.id],
                o,
                svc,
            );
        } else {
            out.rule_concat(Table::Nat, chain, &[&sep_comment, &mp, " -j DNAT --to-destination ", &e.id], o, svc);
        }
    }
}

/// The flow view's summary of one service port (consumes the port: its strings move in).
fn summarize_port(sp: SvcPort, cat: &Categorized, plan: PortPlan, probs: &mut Probabilities) -> ServicePortSummary {
    let internal_target = if plan.has_internal { plan.internal_chain(&sp).to_string() } else { plan.int_target };
    let externally_accessible = sp.externally_accessible();
    // The endpoints' strings are moved in; their roles are then set by index (not by list
    // searches, quadratic for big services).
    let mut endpoints: Vec<EndpointSummary> = sp
        .endpoints
        .into_iter()
        .zip(plan.sep)
        .map(|(e, sep_chain)| EndpointSummary {
            endpoint: e.id,
            ip: e.ip,
            port: e.port,
            node_name: e.node_name,
            is_local: e.is_local,
            ready: e.ready,
            serving: e.serving,
            terminating: e.terminating,
            sep_chain,
            has_sep_chain: false,
            in_cluster_chain: false,
            cluster_probability: None,
            in_local_chain: false,
            local_probability: None,
            slice: String::from(&*e.slice),
            span: e.span,
        })
        .collect();
    for &i in cat.reachable() {
        endpoints[i].has_sep_chain = true;
    }
    if plan.uses_cluster_chain {
        mark_chain(&mut endpoints, &cat.cluster, probs, |e, probability| {
            e.in_cluster_chain = true;
            e.cluster_probability = probability;
        });
    }
    if plan.uses_local_chain {
        mark_chain(&mut endpoints, &cat.local, probs, |e, probability| {
            e.in_local_chain = true;
            e.local_probability = probability;
        });
    }
    let external_target = if !externally_accessible {
        None
    } else if plan.has_external {
        Some(plan.ext_chain.to_string())
    } else {
        Some(plan.ext_target)
    };
    ServicePortSummary {
        svc_port_name: sp.svc_port_name,
        namespace: sp.namespace,
        name: sp.name,
        port_name: sp.port_name,
        protocol: sp.protocol.to_string(),
        cluster_ip: plan.cip,
        port: sp.port,
        node_port: sp.node_port,
        health_check_node_port: sp.health_check_node_port,
        external_ips: sp.external_ips.iter().map(|x| x.to_string()).collect(),
        load_balancer_ips: sp.lb_vips.iter().map(|x| x.to_string()).collect(),
        source_ranges: sp.source_ranges.iter().map(|x| x.to_string()).collect(),
        session_affinity_seconds: sp.affinity,
        external_policy_local: sp.external_policy_local,
        internal_policy_local: sp.internal_policy_local,
        externally_accessible,
        has_endpoints: plan.has_endpoints,
        has_internal_endpoints: plan.has_internal,
        has_external_endpoints: plan.has_external,
        topology_mode: cat.topology_mode.map(str::to_string),
        internal_target,
        external_target,
        svc_chain: plan.uses_cluster_chain.then(|| plan.svc_chain.to_string()),
        svl_chain: plan.uses_local_chain.then(|| plan.svl_chain.to_string()),
        ext_chain: plan.uses_ext.then(|| plan.ext_chain.to_string()),
        fw_chain: plan.uses_fw.then(|| plan.fw_chain.to_string()),
        endpoints,
        span: sp.span,
    }
}

/// `-m <proto> -p <proto>`, spelled out for the protocols that exist.
fn proto_match(proto: &str) -> Cow<'static, str> {
    match proto {
        "tcp" => Cow::Borrowed("-m tcp -p tcp"),
        "udp" => Cow::Borrowed("-m udp -p udp"),
        "sctp" => Cow::Borrowed("-m sctp -p sctp"),
        other => Cow::Owned(format!("-m {other} -p {other}")),
    }
}

/// Record the rules of a written SVC/SVL chain (`list`: its endpoints in rule order) with
/// `mark(endpoint, --probability of its rule)`; the final, unconditional rule has none.
fn mark_chain(
    endpoints: &mut [EndpointSummary],
    list: &[usize],
    probs: &mut Probabilities,
    mark: fn(&mut EndpointSummary, Option<String>),
) {
    let n = list.len();
    for (k, &i) in list.iter().enumerate() {
        let probability = (k + 1 < n).then(|| probs.get(n - k).to_string());
        mark(&mut endpoints[i], probability);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probability_examples() {
        assert_eq!(probability(2), "0.5000000000");
        assert_eq!(probability(3), "0.3333333333");
        assert_eq!(probability(6), "0.1666666667");
        assert_eq!(probability(7), "0.1428571429");
        assert_eq!(probability(100001), "0.0000099999");
        // 1/2048 = 0.00048828125 exactly: a true tie, rounded to even.
        assert_eq!(probability(2048), "0.0004882812");
        assert_eq!(probability(1), "1.0000000000");
    }

    #[test]
    fn probability_equals_float_formatting() {
        let huge = [1usize << 20, (1 << 31) + 1, 3_000_000_019, 1 << 40, (1 << 53) + 1, usize::MAX];
        for n in (1..=300_000).chain(huge) {
            assert_eq!(probability(n), format!("{:.10}", 1.0 / n as f64), "n = {n}");
        }
    }
}
