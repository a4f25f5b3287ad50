//! nftables mode (spec §16), rendered in the dump format of the upstream tests' fake
//! (`sigs.k8s.io/knftables` `Fake.Dump`): the table, then every chain sorted by name
//! followed by its rules, then every set and every map sorted by name, each followed by
//! its elements in insertion order.
//!
//! Behaviour source: `pkg/proxy/nftables/proxier.go` (`setupNFTables`,
//! `syncProxyRules`, `writeServiceToEndpointRules`, `servicePortChainNameBase`,
//! `servicePortEndpointChainNameBase`) at commit 531be812; object formatting from
//! knftables `objects.go`. A first full sync from an empty table; services visited in
//! sorted order (upstream: Go map order, which only affects element order).

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use svcflow_source::hash::HashMap;

use crate::hash::nft_hash_and_truncate;
use crate::model::*;
use crate::netutil::IpFamily;
use crate::prepare::{categorize, prepare_all, Backend, Ctx, SvcPort};

#[derive(Default)]
struct NftChain {
    decl: String,
    /// The rule lines, concatenated: one buffer per chain rather than a string per rule.
    rules: String,
}

#[derive(Default)]
struct NftContainer {
    decl: String,
    /// (key, rendered line); a re-added key replaces in place.
    elements: Vec<(String, String)>,
    /// key → index in `elements`.
    index: HashMap<String, usize>,
}

struct Nft {
    prefix: String,
    table: String,
    /// Found by name for every rule, so hashed; sorted by name once, in `dump`.
    chains: HashMap<String, NftChain>,
    sets: BTreeMap<String, NftContainer>,
    maps: BTreeMap<String, NftContainer>,
}

/// Go `strconv.Quote` (what `%q` prints).
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Nft {
    fn new(family: IpFamily) -> Self {
        let fam = if family == IpFamily::V6 { "ip6" } else { "ip" };
        Nft {
            prefix: format!("{fam} kube-proxy"),
            table: format!("add table {fam} kube-proxy {{ comment \"rules for kube-proxy\" ; }}\n"),
            chains: HashMap::default(),
            sets: BTreeMap::new(),
            maps: BTreeMap::new(),
        }
    }

    /// `ensureChain` / `tx.Add(&Chain{…})` (first add wins, as in the fake).
    fn chain(&mut self, name: &str, props: &str) {
        let prefix = &self.prefix;
        self.chains.entry(name.to_string()).or_insert_with(|| NftChain {
            decl: if props.is_empty() {
                format!("add chain {prefix} {name}\n")
            } else {
                format!("add chain {prefix} {name} {{ {props} ; }}\n")
            },
            rules: String::new(),
        });
    }

    fn rule(&mut self, chain: &str, rule: impl fmt::Display, comment: Option<&str>) {
        let rules = match self.chains.get_mut(chain) {
            Some(c) => &mut c.rules,
            None => &mut self.chains.entry(chain.to_string()).or_default().rules,
        };
        let _ = write!(rules, "add rule {} {chain} {rule}", self.prefix);
        if let Some(c) = comment {
            rules.push_str(" comment ");
            rules.push_str(&go_quote(c));
        }
        rules.push('\n');
    }

    fn set(&mut self, name: &str, props: &str) {
        let prefix = &self.prefix;
        self.sets.entry(name.to_string()).or_insert_with(|| NftContainer {
            decl: format!("add set {prefix} {name} {{ {props} }}\n"),
            ..Default::default()
        });
    }

    fn map(&mut self, name: &str, props: &str) {
        let prefix = &self.prefix;
        self.maps.entry(name.to_string()).or_insert_with(|| NftContainer {
            decl: format!("add map {prefix} {name} {{ {props} }}\n"),
            ..Default::default()
        });
    }

    fn element(&mut self, is_map: bool, name: &str, key: &[&str], comment: Option<&str>, value: Option<&str>) {
        let key = key.join(" . ");
        let mut line = format!("add element {} {name} {{ {key}", self.prefix);
        if let Some(c) = comment {
            line.push_str(" comment ");
            line.push_str(&go_quote(c));
        }
        if let Some(v) = value {
            line.push_str(" : ");
            line.push_str(v);
        }
        line.push_str(" }\n");
        let container = if is_map { &mut self.maps } else { &mut self.sets };
        let c = container.entry(name.to_string()).or_default();
        match c.index.get(&key) {
            Some(&i) => c.elements[i].1 = line,
            None => {
                c.index.insert(key.clone(), c.elements.len());
                c.elements.push((key, line));
            }
        }
    }

    fn dump(&self) -> String {
        let mut chains: Vec<(&String, &NftChain)> = self.chains.iter().collect();
        chains.sort_unstable_by_key(|&(name, _)| name);
        let containers = || self.sets.values().chain(self.maps.values());
        let len = self.table.len()
            + chains.iter().map(|(_, c)| c.decl.len() + c.rules.len()).sum::<usize>()
            + containers()
                .map(|c| c.decl.len() + c.elements.iter().map(|(_, e)| e.len()).sum::<usize>())
                .sum::<usize>();
        let mut out = String::with_capacity(len);
        out.push_str(&self.table);
        for (_, c) in chains {
            out.push_str(&c.decl);
            out.push_str(&c.rules);
        }
        for c in containers() {
            out.push_str(&c.decl);
            for (_, e) in &c.elements {
                out.push_str(e);
            }
        }
        out
    }
}

/// Generate the nftables ruleset for `config.ip_family` (spec §16) in the test-harness
/// dump format (`add table|chain|set|map|rule|element ip kube-proxy …` lines).
pub fn generate_nftables<S: Text>(
    services: &[ProxyService<S>],
    slices: &[ProxyEndpointSlice<S>],
    config: &ProxyConfig,
) -> Result<String, ProxyError> {
    let (ctx, prepared) = prepare_all(services, slices, config, Backend::Nftables)?;
    let mut nft = Nft::new(ctx.family);
    setup(&mut nft, &ctx);
    for sp in &prepared.ports {
        write_service_port(&mut nft, &ctx, sp);
    }
    Ok(nft.dump())
}

fn ipx(ctx: &Ctx) -> (&'static str, &'static str, &'static str) {
    match ctx.family {
        IpFamily::V4 => ("ip", "ipv4_addr", "ip daddr != 127.0.0.0/8"),
        IpFamily::V6 => ("ip6", "ipv6_addr", "ip6 daddr != ::1"),
    }
}

/// `setupNFTables`.
fn setup(nft: &mut Nft, ctx: &Ctx) {
    let (ipx, addr, no_localhost) = ipx(ctx);
    for (name, ty, hook, prio) in [
        ("filter-prerouting-pre-dnat", "filter", "prerouting", -110),
        ("filter-output-pre-dnat", "filter", "output", -110),
        ("filter-input", "filter", "input", 0),
        ("filter-forward", "filter", "forward", 0),
        ("filter-output", "filter", "output", 0),
        ("nat-prerouting", "nat", "prerouting", -100),
        ("nat-output", "nat", "output", -100),
        ("nat-postrouting", "nat", "postrouting", 100),
    ] {
        nft.chain(name, &format!("type {ty} hook {hook} priority {prio}"));
    }
    for (dst, src, extra) in [
        ("nodeport-endpoints-check", "filter-input", "ct state new "),
        ("service-endpoints-check", "filter-input", "ct state new "),
        ("service-endpoints-check", "filter-forward", "ct state new "),
        ("service-endpoints-check", "filter-output", "ct state new "),
        ("firewall-check", "filter-prerouting-pre-dnat", "ct state new "),
        ("firewall-check", "filter-output-pre-dnat", "ct state new "),
        ("services", "nat-output", ""),
        ("services", "nat-prerouting", ""),
        ("masquerading", "nat-postrouting", ""),
        ("cluster-ips-check", "filter-forward", "ct state new "),
        ("cluster-ips-check", "filter-output", "ct state new "),
    ] {
        nft.chain(dst, "");
        nft.rule(src, format_args!("{extra}jump {dst}"), None);
    }
    for c in ["services", "cluster-ips-check", "masquerading", "mark-for-masquerade"] {
        nft.chain(c, "");
    }
    let mark = &ctx.mark;
    nft.rule("mark-for-masquerade", format_args!("mark set mark or {mark}"), None);
    nft.rule("masquerading", format_args!("mark and {mark} == 0 return"), None);
    nft.rule("masquerading", format_args!("mark set mark xor {mark}"), None);
    nft.rule("masquerading", "masquerade fully-random", None);
    nft.set("cluster-ips", &format!("type {addr} ; comment \"Active ClusterIPs\" ;"));
    nft.rule(
        "cluster-ips-check",
        format_args!("{ipx} daddr @cluster-ips reject"),
        Some("Reject traffic to invalid ports of ClusterIPs"),
    );
    if !ctx.service_cidrs.is_empty() {
        nft.rule(
            "cluster-ips-check",
            format_args!("{ipx} daddr {{ {} }} drop", ctx.service_cidrs),
            Some("Drop traffic to unallocated ClusterIPs"),
        );
    }
    if !ctx.npa.match_all {
        nft.set("nodeport-ips", &format!("type {addr} ; comment \"IPs that accept NodePort traffic\" ;"));
        for ip in ctx.nodeport_ips() {
            if ip.is_loopback() {
                continue;
            }
            nft.element(false, "nodeport-ips", &[&ip.to_string()], None, None);
        }
    }
    nft.map(
        "no-endpoint-services",
        &format!(
            "type {addr} . inet_proto . inet_service : verdict ; comment \"vmap to drop or reject packets to services with no endpoints\" ;"
        ),
    );
    nft.map(
        "no-endpoint-nodeports",
        "type inet_proto . inet_service : verdict ; comment \"vmap to drop or reject packets to service nodeports with no endpoints\" ;",
    );
    nft.chain("reject-chain", "comment \"helper for @no-endpoint-services / @no-endpoint-nodeports\"");
    nft.rule("reject-chain", "reject", None);
    nft.rule(
        "service-endpoints-check",
        format_args!("{ipx} daddr . meta l4proto . th dport vmap @no-endpoint-services"),
        None,
    );
    if ctx.npa.match_all {
        nft.rule(
            "nodeport-endpoints-check",
            format_args!("{no_localhost} meta l4proto . th dport vmap @no-endpoint-nodeports"),
            None,
        );
    } else {
        nft.rule(
            "nodeport-endpoints-check",
            format_args!("{ipx} daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports"),
            None,
        );
    }
    nft.map(
        "firewall-ips",
        &format!(
            "type {addr} . inet_proto . inet_service : verdict ; comment \"destinations that are subject to LoadBalancerSourceRanges\" ;"
        ),
    );
    nft.chain("firewall-check", "");
    nft.rule("firewall-check", format_args!("{ipx} daddr . meta l4proto . th dport vmap @firewall-ips"), None);
    nft.map(
        "service-ips",
        &format!(
            "type {addr} . inet_proto . inet_service : verdict ; comment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\" ;"
        ),
    );
    nft.map("service-nodeports", "type inet_proto . inet_service : verdict ; comment \"NodePort traffic\" ;");
    nft.rule("services", format_args!("{ipx} daddr . meta l4proto . th dport vmap @service-ips"), None);
    if ctx.npa.match_all {
        nft.rule(
            "services",
            format_args!("fib daddr type local {no_localhost} meta l4proto . th dport vmap @service-nodeports"),
            None,
        );
    } else {
        nft.rule(
            "services",
            format_args!("{ipx} daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports"),
            None,
        );
    }
}

/// Per-service part of `syncProxyRules`.
fn write_service_port(nft: &mut Nft, ctx: &Ctx, sp: &SvcPort) {
    let (ipx, addr, _) = ipx(ctx);
    let cat = categorize(sp, ctx);
    let proto = sp.proto;
    let base = nft_hash_and_truncate(&format!("{}/{}/{}/{}", sp.namespace, sp.name, proto, sp.port_name));
    let cluster_chain = format!("service-{base}");
    let local_chain = format!("local-{base}");
    let external_chain = format!("external-{base}");
    let fw_chain = format!("firewall-{base}");
    let ep_base: Vec<String> = sp
        .endpoints
        .iter()
        .map(|e| {
            let ip = if e.ip.contains(':') { e.ip.replace(':', ".") } else { e.ip.clone() };
            nft_hash_and_truncate(&format!(
                "{}/{}/{}/{}__{}/{}",
                sp.namespace, sp.name, proto, sp.port_name, ip, e.port
            ))
        })
        .collect();
    let ep_chains: Vec<String> = ep_base.iter().map(|b| format!("endpoint-{b}")).collect();
    let ep_affinity = |i: usize| format!("affinity-{}", ep_base[i]);

    for &i in cat.reachable() {
        nft.chain(&ep_chains[i], "");
    }
    let uses_cluster_chain = !cat.cluster.is_empty() && sp.uses_cluster_endpoints();
    if uses_cluster_chain {
        nft.chain(&cluster_chain, "");
    }
    let uses_local_chain = !cat.local.is_empty() && sp.uses_local_endpoints();
    if uses_local_chain {
        nft.chain(&local_chain, "");
    }
    let has_endpoints = cat.has_any;
    let internal_chain = if sp.internal_policy_local { &local_chain } else { &cluster_chain };
    let has_internal = has_endpoints && !(sp.internal_policy_local && cat.local.is_empty());
    let external_policy_chain = if sp.external_policy_local { &local_chain } else { &cluster_chain };
    let has_external = has_endpoints && !(sp.external_policy_local && cat.local.is_empty());
    let uses_ext = has_endpoints && sp.externally_accessible();
    if uses_ext {
        nft.chain(&external_chain, "");
    }
    let (int_verdict, ext_verdict) = if !has_endpoints {
        ("goto reject-chain", "goto reject-chain")
    } else {
        (if has_internal { "" } else { "drop" }, if has_external { "" } else { "drop" })
    };
    let s = sp.svc_port_name.as_str();
    let cip = sp.cluster_ip.to_string();
    let port = sp.port.to_string();

    nft.element(false, "cluster-ips", &[&cip], None, None);
    if has_internal {
        nft.element(true, "service-ips", &[&cip, proto, &port], None, Some(&format!("goto {internal_chain}")));
    } else {
        nft.element(true, "no-endpoint-services", &[&cip, proto, &port], Some(s), Some(int_verdict));
    }
    for x in &sp.external_ips {
        let x = x.to_string();
        if has_endpoints {
            nft.element(true, "service-ips", &[&x, proto, &port], None, Some(&format!("goto {external_chain}")));
        }
        if !has_external {
            nft.element(true, "no-endpoint-services", &[&x, proto, &port], Some(s), Some(ext_verdict));
        }
    }
    let uses_fw = !sp.lb_vips.is_empty() && !sp.source_ranges.is_empty();
    if uses_fw {
        nft.chain(&fw_chain, "");
    }
    for v in &sp.lb_vips {
        let v = v.to_string();
        if has_endpoints {
            nft.element(true, "service-ips", &[&v, proto, &port], None, Some(&format!("goto {external_chain}")));
        }
        if uses_fw {
            nft.element(true, "firewall-ips", &[&v, proto, &port], None, Some(&format!("goto {fw_chain}")));
        }
    }
    if !has_external {
        for v in &sp.lb_vips {
            nft.element(true, "no-endpoint-services", &[&v.to_string(), proto, &port], Some(s), Some(ext_verdict));
        }
    }
    if sp.node_port != 0 {
        let np = sp.node_port.to_string();
        if has_endpoints {
            nft.element(true, "service-nodeports", &[proto, &np], None, Some(&format!("goto {external_chain}")));
        }
        if !has_external {
            nft.element(true, "no-endpoint-nodeports", &[proto, &np], Some(s), Some(ext_verdict));
        }
    }

    if has_internal {
        if ctx.masquerade_all {
            nft.rule(internal_chain, format_args!("{ipx} daddr {cip} jump mark-for-masquerade"), None);
        } else if ctx.detector.implemented() {
            nft.rule(
                internal_chain,
                format_args!("{ipx} daddr {cip} {} jump mark-for-masquerade", ctx.detector.if_not_local_nft()),
                None,
            );
        }
    }
    if uses_ext {
        if !sp.external_policy_local {
            nft.rule(&external_chain, "jump mark-for-masquerade", None);
        } else {
            if ctx.detector.implemented() {
                nft.rule(
                    &external_chain,
                    format_args!("{} goto {cluster_chain}", ctx.detector.if_local_nft()),
                    Some("short-circuit pod traffic"),
                );
            }
            nft.rule(
                &external_chain,
                "fib saddr type local jump mark-for-masquerade",
                Some("masquerade local traffic"),
            );
            nft.rule(
                &external_chain,
                format_args!("fib saddr type local goto {cluster_chain}"),
                Some("short-circuit local traffic"),
            );
        }
        if has_external {
            nft.rule(&external_chain, format_args!("goto {external_policy_chain}"), None);
        }
    }
    if uses_fw {
        let mut sources: Vec<String> = Vec::new();
        let mut allow_from_node = false;
        for c in &sp.source_ranges {
            sources.push(c.to_string());
            if ctx.node_ip.is_some_and(|ip| c.contains(&ip)) {
                allow_from_node = true;
            }
        }
        if allow_from_node {
            sources.extend(sp.lb_vips.iter().map(|v| v.to_string()));
        }
        nft.rule(&fw_chain, format_args!("{ipx} saddr != {{ {} }} drop", sources.join(" , ")), None);
    }
    if let Some(t) = sp.affinity {
        for &i in cat.reachable() {
            nft.set(&ep_affinity(i), &format!("type {addr} ; flags dynamic,timeout ; timeout {t}s ;"));
        }
    }
    let lb = |nft: &mut Nft, chain: &str, list: &[usize]| {
        if sp.affinity.is_some() {
            for &i in list {
                nft.rule(chain, format_args!("{ipx} saddr @{} goto {}", ep_affinity(i), ep_chains[i]), None);
            }
        }
        let mut elements = String::new();
        for (k, &i) in list.iter().enumerate() {
            if k > 0 {
                elements.push_str(" , ");
            }
            let _ = write!(elements, "{k} : goto {}", ep_chains[i]);
        }
        nft.rule(chain, format_args!("numgen random mod {} vmap {{ {elements} }}", list.len()), None);
    };
    if uses_cluster_chain {
        lb(nft, &cluster_chain, &cat.cluster);
    }
    if uses_local_chain {
        lb(nft, &local_chain, &cat.local);
    }
    for &i in cat.reachable() {
        let e = &sp.endpoints[i];
        let chain = &ep_chains[i];
        nft.rule(chain, format_args!("{ipx} saddr {} jump mark-for-masquerade", e.ip), None);
        if sp.affinity.is_some() {
            nft.rule(chain, format_args!("update @{} {{ {ipx} saddr }}", ep_affinity(i)), None);
        }
        nft.rule(chain, format_args!("meta l4proto {proto} dnat to {}", e.id), None);
    }
}
