//! IPVS mode (spec §17): the virtual-server table as `ipvsadm -Ln` prints it.
//!
//! Behaviour source: an older (≈v1.31–v1.33) `pkg/proxy/ipvs/proxier.go`
//! (`syncService`, `syncEndpoint`): one virtual server per ClusterIP:port, per
//! externalIP, per load-balancer VIP and per node IP:nodePort, scheduler `rr`, ClientIP
//! affinity = persistent with the timeout; real servers are the cluster endpoints, or
//! the local ones where a Local traffic policy applies, with weight 1. Node IPs for
//! NodePorts exclude loopback and IPv6 link-local addresses (`GetAllLocalAddresses`).
//! The text layout follows `ipvsadm.c` (`print_title`, `print_service_entry`): services
//! sorted by protocol, address, port; real servers by address, port.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::*;
use crate::netutil::{join_host_port, Ip};
use crate::prepare::{categorize, prepare_all, Backend, Categorized, SvcPort};

fn proto_num(p: &str) -> u8 {
    match p {
        "TCP" => 6,
        "UDP" => 17,
        _ => 132,
    }
}

struct Vs {
    proto: &'static str,
    addr: Ip,
    port: i32,
    persistent: Option<i32>,
    /// (address, port, printable `addr:port`)
    reals: Vec<(Ip, i32, String)>,
}

fn reals(sp: &SvcPort, cat: &Categorized, local: bool) -> Vec<(Ip, i32, String)> {
    let list = if local { &cat.local } else { &cat.cluster };
    let mut out: Vec<(Ip, i32, String)> = list
        .iter()
        .filter_map(|&i| {
            let e = &sp.endpoints[i];
            Ip::parse_sloppy(&e.ip).map(|ip| (ip, e.port, e.id.clone()))
        })
        .collect();
    out.sort_by_key(|a| (a.0.to_u128(), a.1));
    out
}

/// Generate the `ipvsadm -Ln` table for `config.ip_family`.
pub fn generate_ipvs<S: Text>(
    services: &[ProxyService<S>],
    slices: &[ProxyEndpointSlice<S>],
    config: &ProxyConfig,
) -> Result<String, ProxyError> {
    let (ctx, prepared) = prepare_all(services, slices, config, Backend::Ipvs)?;
    let node_ips: Vec<Ip> = ctx
        .nodeport_ips()
        .into_iter()
        .filter(|ip| !(ip.is_loopback() || (ip.family() == crate::netutil::IpFamily::V6 && ip.is_link_local_unicast())))
        .collect();

    // Keyed like ipvs_cmp_services: protocol, address, port. A later service port with
    // the same virtual address replaces the earlier one.
    let mut table: BTreeMap<(u8, u128, i32), Vs> = BTreeMap::new();
    for sp in &prepared.ports {
        let cat = categorize(sp, &ctx);
        let mut add = |addr: Ip, port: i32, local: bool| {
            table.insert(
                (proto_num(sp.protocol), addr.to_u128(), port),
                Vs { proto: sp.protocol, addr, port, persistent: sp.affinity, reals: reals(sp, &cat, local) },
            );
        };
        add(sp.cluster_ip, sp.port, sp.internal_policy_local);
        for x in &sp.external_ips {
            add(*x, sp.port, sp.external_policy_local);
        }
        for v in &sp.lb_vips {
            add(*v, sp.port, sp.external_policy_local);
        }
        if sp.node_port != 0 {
            for ip in &node_ips {
                add(*ip, sp.node_port, sp.external_policy_local);
            }
        }
    }

    let mut out = String::new();
    out.push_str("IP Virtual Server version 1.2.1 (size=4096)\n");
    out.push_str("Prot LocalAddress:Port Scheduler Flags\n");
    out.push_str("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
    for vs in table.values() {
        let _ = write!(out, "{}  {} rr", vs.proto, join_host_port(&vs.addr.to_string(), vs.port));
        if let Some(t) = vs.persistent {
            let _ = write!(out, " persistent {t}");
        }
        out.push('\n');
        for (_, _, name) in &vs.reals {
            let _ = writeln!(out, "  -> {:<28} {:<7} {:<6} {:<10} {:<10}", name, "Masq", 1, 0, 0);
        }
    }
    Ok(out)
}
