//! The flow graph: client / DNS name → Service → kube-proxy chains (`KUBE-SVC-…` →
//! `KUBE-SEP-…`) → Pod, plus the external path (LoadBalancer / NodePort → Service) and
//! ExternalName → external host. Every node and edge carries the spans of the YAML that
//! produced it, so a UI can link both ways. Also its layout (computed here, in Rust, so every
//! face draws the same picture) and its Mermaid and DOT renderings.

use crate::model::{EndpointSource, ExclusionReason, ServiceModel};
use crate::Analysis;
use hashbrown::HashTable;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;
use std::fmt::Write;
use std::hash::BuildHasher;
use svcflow_proxy::ServicePortSummary;
use svcflow_source::hash::{FxBuildHasher, HashMap};
use svcflow_source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// A DNS name clients use (`web.shop.svc.cluster.local`).
    Dns,
    /// A LoadBalancer ingress IP, an external IP, or a NodePort on every node.
    Entry,
    Service,
    /// A kube-proxy chain: `KUBE-SVC-…`, `KUBE-SVL-…`, `KUBE-EXT-…`, `KUBE-FW-…`.
    Chain,
    /// `KUBE-SEP-…`: one endpoint's DNAT.
    Sep,
    Pod,
    /// An ExternalName's target host.
    ExternalHost,
    /// Where traffic ends without a backend (REJECT / DROP rule).
    Reject,
}

/// Health of a node or edge, shown with an icon and words as well as a colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Ok,
    Warning,
    Error,
    /// A pod that gets no traffic (not ready, no such port, other namespace).
    Excluded,
}

#[derive(Clone, Debug, Serialize)]
pub struct FlowNode {
    /// Stable id, e.g. `svc:shop/web`, `sep:KUBE-SEP-…`, `pod:shop/web-0`.
    pub id: String,
    pub kind: NodeKind,
    /// Column of the diagram: 0 client/DNS/entry, 1 Service, 2 service chain, 3 endpoint chain,
    /// 4 pods and external hosts.
    pub lane: u8,
    pub label: String,
    /// Further lines (type, ClusterIP, ports; probability; Ready / excluded reason).
    pub details: Vec<String>,
    pub status: Status,
    /// The YAML that produced this node.
    pub spans: Vec<Span>,
    /// Index into `Analysis::services` of the Service this node belongs to.
    pub service: Option<usize>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FlowEdge {
    pub label: String,
    pub status: Status,
    pub spans: Vec<Span>,
}

/// The graph, with petgraph for structure.
#[derive(Clone, Debug, Default)]
pub struct FlowGraph {
    pub graph: DiGraph<FlowNode, FlowEdge>,
}

impl FlowGraph {
    pub fn nodes(&self) -> impl Iterator<Item = (NodeIndex, &FlowNode)> {
        self.graph.node_indices().map(move |i| (i, &self.graph[i]))
    }

    /// Nodes produced by YAML overlapping the byte range `start..end` of `source`.
    pub fn nodes_at(&self, source: u32, start: u32, end: u32) -> Vec<NodeIndex> {
        self.nodes()
            .filter(|(_, n)| n.spans.iter().any(|s| s.source == source && s.start <= end && start <= s.end))
            .map(|(i, _)| i)
            .collect()
    }
}

struct Builder<'a> {
    g: DiGraph<FlowNode, FlowEdge>,
    /// Node indices by their node's id (hashed by hand: the ids live in the nodes only).
    ids: HashTable<NodeIndex>,
    /// The id being looked up, written here so that finding an existing node allocates nothing.
    id_buf: String,
    analysis: &'a Analysis,
}

/// What a node is, before it is known whether the graph has it already (pods are met once per
/// port of every Service that selects them): the rest of the node is built only for a new one.
struct NodeHead<'s> {
    kind: NodeKind,
    lane: u8,
    status: Status,
    spans: &'s [Span],
    service: usize,
}

impl<'s> NodeHead<'s> {
    fn new(service: usize, kind: NodeKind, lane: u8, status: Status, spans: &'s [Span]) -> Self {
        NodeHead { kind, lane, status, spans, service }
    }
}

impl Builder<'_> {
    /// The node with the id `id`, its spans extended by `head.spans`, or a new node labelled by
    /// `rest` (label and details).
    fn node(
        &mut self,
        id: std::fmt::Arguments,
        head: NodeHead,
        rest: impl FnOnce() -> (String, Vec<String>),
    ) -> NodeIndex {
        self.id_buf.clear();
        // writing to a String cannot fail
        let _ = self.id_buf.write_fmt(id);
        let Builder { g, ids, id_buf, .. } = self;
        let hash = FxBuildHasher.hash_one(id_buf.as_str());
        if let Some(&i) = ids.find(hash, |&i| g[i].id == *id_buf) {
            let existing = &mut g[i];
            for s in head.spans {
                if !existing.spans.contains(s) {
                    existing.spans.push(*s);
                }
            }
            return i;
        }
        let (label, details) = rest();
        let NodeHead { kind, lane, status, spans, service } = head;
        let i = g.add_node(FlowNode {
            id: id_buf.clone(),
            kind,
            lane,
            label,
            details,
            status,
            spans: spans.to_vec(),
            service: Some(service),
        });
        ids.insert_unique(hash, i, |&j| FxBuildHasher.hash_one(g[j].id.as_str()));
        i
    }

    fn edge(&mut self, a: NodeIndex, b: NodeIndex, label: impl FnOnce() -> String, status: Status, spans: &[Span]) {
        if self.g.find_edge(a, b).is_none() {
            self.g.add_edge(a, b, FlowEdge { label: label(), status, spans: spans.to_vec() });
        }
    }
}

/// Build the flow graph. `proxy` is kube-proxy's per-service-port summary for this input
/// (chain names and probabilities: `IptablesOutput::services` or `ProxySummary::services`);
/// without it the chain lanes stay empty.
pub fn build(analysis: &Analysis, proxy: Option<&[ServicePortSummary]>) -> FlowGraph {
    // Sized for the usual shape (a DNS name and a Service, per port a chain, per endpoint a
    // SEP chain and a pod; as many edges): a large input's graph is not regrown and copied.
    let endpoints: usize = analysis.services.iter().flat_map(|s| &s.ports).map(|p| 1 + 2 * p.endpoints.len()).sum();
    let nodes = 2 * analysis.services.len() + endpoints;
    let mut b = Builder {
        g: DiGraph::with_capacity(nodes, nodes),
        ids: HashTable::with_capacity(nodes),
        id_buf: String::new(),
        analysis,
    };
    let summaries: Summaries = proxy
        .map(|p| {
            p.iter()
                .map(|s| ((s.namespace.as_str(), s.name.as_str(), s.port_name.as_str(), s.protocol.as_str()), s))
                .collect()
        })
        .unwrap_or_default();
    for (si, s) in analysis.services.iter().enumerate() {
        service(&mut b, si, s, &summaries);
    }
    FlowGraph { graph: b.g }
}

/// kube-proxy's summary of each service port, by namespace, Service name, port name, protocol.
type Summaries<'a> = HashMap<(&'a str, &'a str, &'a str, &'a str), &'a ServicePortSummary>;

fn service(b: &mut Builder, si: usize, s: &ServiceModel, summaries: &Summaries) {
    let obj = &b.analysis.objects[s.object];
    let name_span = obj.anchor();
    let svc_ref = [s.namespace.as_str(), "/", &s.name].concat();

    let has_ready = s.ports.iter().any(|p| p.endpoints.iter().any(|e| e.ready));
    let nothing_to_serve = s.external_name.is_some() || s.endpoint_source == EndpointSource::None && s.ports.is_empty();
    let status = if nothing_to_serve || has_ready { Status::Ok } else { Status::Error };
    let svc_node = b.node(
        format_args!("svc:{svc_ref}"),
        NodeHead::new(si, NodeKind::Service, 1, status, &[name_span, obj.span]),
        || {
            let mut details = Vec::with_capacity(1 + s.ports.len());
            details.push(match (&s.cluster_ip, s.headless, &s.external_name) {
                (_, _, Some(_)) => "ExternalName".to_string(),
                (_, true, _) => [s.type_.as_str(), " · headless"].concat(),
                (Some(ip), _, _) => {
                    let simulated = if s.cluster_ip_simulated { " (simulated)" } else { "" };
                    [s.type_.as_str(), " · ", ip, simulated].concat()
                }
                _ => s.type_.clone(),
            });
            for p in &s.ports {
                let (name, space) = if p.name.is_empty() { ("", "") } else { (p.name.as_str(), " ") };
                let (port, protocol, target) = (p.port, &p.protocol, &p.target);
                details.push(match p.node_port {
                    Some(n) => format!("{name}{space}{port}/{protocol} → {target} · nodePort {n}"),
                    None => format!("{name}{space}{port}/{protocol} → {target}"),
                });
            }
            (svc_ref.clone(), details)
        },
    );
    let domain = &b.analysis.cluster_domain;
    let fqdn = format_args!("{}.{}.svc.{domain}", s.name, s.namespace);
    let dns_node =
        b.node(format_args!("dns:{fqdn}"), NodeHead::new(si, NodeKind::Dns, 0, Status::Ok, &[name_span]), || {
            let detail = if s.external_name.is_some() {
                "CNAME"
            } else if s.headless {
                "A: one record per ready pod"
            } else {
                "A: the ClusterIP"
            };
            (format!("{fqdn}"), vec![detail.into()])
        });
    b.edge(dns_node, svc_node, || "resolves to".into(), Status::Ok, &[name_span]);

    if let Some(host) = &s.external_name {
        let is_ip = host.parse::<std::net::IpAddr>().is_ok();
        let span = obj.service().and_then(|x| x.external_name.as_ref()).map(|f| f.span).unwrap_or(name_span);
        let status = if is_ip { Status::Error } else { Status::Ok };
        let h =
            b.node(format_args!("ext:{host}"), NodeHead::new(si, NodeKind::ExternalHost, 4, status, &[span]), || {
                let detail = if is_ip { "an IP: CoreDNS publishes no record" } else { "external host (CNAME)" };
                (host.clone(), vec![detail.into()])
            });
        b.edge(svc_node, h, || "CNAME".into(), status, &[span]);
        return;
    }

    // External entry points: LoadBalancer IPs and external IPs → Service; NodePorts.
    for ip in s.lb_ingress.iter().chain(&s.external_ips) {
        let kind = if s.lb_ingress.contains(ip) { "LoadBalancer" } else { "external IP" };
        let e = b.node(
            format_args!("entry:{svc_ref}:{ip}"),
            NodeHead::new(si, NodeKind::Entry, 0, Status::Ok, &[obj.span]),
            || (ip.clone(), vec![kind.into()]),
        );
        b.edge(e, svc_node, || kind.into(), Status::Ok, &[]);
    }
    for p in &s.ports {
        if let Some(np) = p.node_port {
            let status = if (30000..=32767).contains(&np) { Status::Ok } else { Status::Error };
            let e = b.node(
                format_args!("entry:{svc_ref}:nodeport:{np}"),
                NodeHead::new(si, NodeKind::Entry, 0, status, &[p.span]),
                || {
                    let simulated = if p.node_port_simulated { " (simulated)" } else { "" };
                    (format!("<node IP>:{np}"), vec![format!("NodePort{simulated} on every node")])
                },
            );
            b.edge(e, svc_node, || "NodePort".into(), Status::Ok, &[p.span]);
        }
    }

    for p in &s.ports {
        let port_label = || if p.name.is_empty() { format!("{}/{}", p.port, p.protocol) } else { p.name.clone() };
        let summary = summaries.get(&(s.namespace.as_str(), s.name.as_str(), p.name.as_str(), p.protocol.as_str()));
        let mut reject = None;
        // Headless Services have no kube-proxy chains: clients connect to pods directly.
        let chain = match summary {
            Some(sum) => {
                let target = &sum.internal_target;
                if target.starts_with("KUBE-") {
                    let c = b.node(
                        format_args!("chain:{target}"),
                        NodeHead::new(si, NodeKind::Chain, 2, Status::Ok, &[p.span]),
                        || (target.clone(), vec![[&*sum.svc_port_name, " · ", &p.protocol].concat(), chain_hint(sum)]),
                    );
                    let label = || match p.name.as_str() {
                        "" => format!("{}/{} {}", p.port, p.protocol, p.port),
                        name => format!("{name} {}", p.port),
                    };
                    b.edge(svc_node, c, label, Status::Ok, &[p.span]);
                    Some((c, *sum))
                } else {
                    let r = b.node(
                        format_args!("reject:{}", sum.svc_port_name),
                        NodeHead::new(si, NodeKind::Reject, 2, Status::Error, &[p.span]),
                        || {
                            let detail = if target == "REJECT" {
                                format!("{} has no endpoints", sum.svc_port_name)
                            } else {
                                format!("{} has no local endpoints", sum.svc_port_name)
                            };
                            (target.clone(), vec![detail])
                        },
                    );
                    b.edge(svc_node, r, port_label, Status::Error, &[p.span]);
                    reject = Some(r);
                    None
                }
            }
            None => None,
        };
        for e in &p.endpoints {
            let status = if e.ready { Status::Ok } else { Status::Excluded };
            let pod_node = match e.pod.and_then(|pi| b.analysis.pods.get(pi)) {
                Some(pod) => b.node(
                    format_args!("pod:{}/{}", pod.namespace, pod.name),
                    NodeHead::new(si, NodeKind::Pod, 4, status, &[pod.span, pod.labels_span]),
                    || {
                        let simulated = if pod.ip_simulated { " (simulated)" } else { "" };
                        let ready = if e.ready { "Ready" } else { "not Ready: gets no traffic" };
                        (pod.name.clone(), vec![[pod.ip.as_str(), simulated].concat(), ready.into()])
                    },
                ),
                None => b.node(
                    format_args!("ep:{}:{}", e.ip, e.port),
                    NodeHead::new(si, NodeKind::Pod, 4, status, &[e.span]),
                    || {
                        let detail = if e.ready { "endpoint (Ready)" } else { "endpoint (not ready)" };
                        (e.ip.clone(), vec![detail.into()])
                    },
                ),
            };
            let port_text = || match &e.container {
                Some(c) => format!(":{} ({c})", e.port),
                None => format!(":{}", e.port),
            };
            let sep = chain.and_then(|(c, sum)| {
                let ep = sum.endpoints.iter().find(|x| x.ip == e.ip && x.port as i64 == e.port)?;
                if !ep.has_sep_chain {
                    return None;
                }
                let prob =
                    || ep.cluster_probability.as_ref().map_or_else(|| "rest".into(), |p| ["p=", p.as_str()].concat());
                let sep = b.node(
                    format_args!("sep:{}", ep.sep_chain),
                    NodeHead::new(si, NodeKind::Sep, 3, Status::Ok, &[e.span, p.span]),
                    || (ep.sep_chain.clone(), vec![["DNAT → ", ep.endpoint.as_str()].concat(), prob()]),
                );
                b.edge(c, sep, prob, Status::Ok, &[e.span]);
                Some(sep)
            });
            match sep {
                Some(sep) => b.edge(sep, pod_node, port_text, Status::Ok, &[e.span]),
                None => {
                    let from = chain.map_or(svc_node, |(c, _)| c);
                    let label = || if e.ready { port_text() } else { format!("{} not ready", port_text()) };
                    b.edge(from, pod_node, label, status, &[e.span]);
                }
            }
        }
        // Pods left out (other than not-ready ones, already drawn as excluded endpoints).
        for x in p.excluded.iter().filter(|x| x.reason != ExclusionReason::NotReady) {
            let Some(pod) = b.analysis.pods.get(x.pod) else { continue };
            let n = b.node(
                format_args!("pod:{}/{}", pod.namespace, pod.name),
                NodeHead::new(si, NodeKind::Pod, 4, Status::Excluded, &[pod.span, pod.labels_span]),
                || (pod.name.clone(), vec![format!("excluded ({}): {}", x.reason.as_str(), x.detail)]),
            );
            // Drawn from the port's chain (or REJECT) node, so the edge does not pass behind it.
            let from = chain.map(|(c, _)| c).or(reject).unwrap_or(svc_node);
            b.edge(from, n, || format!("✗ {}", x.reason.as_str()), Status::Error, &[]);
        }
    }
}

fn chain_hint(sum: &ServicePortSummary) -> String {
    let n = sum.endpoints.iter().filter(|e| e.in_cluster_chain).count();
    match sum.session_affinity_seconds {
        Some(t) => format!("{n} endpoint(s), ClientIP affinity {t}s"),
        None => format!("{n} endpoint(s), random 1/{n} each"),
    }
}

/// Nodes grouped by the Service they belong to, groups in order of first appearance and nodes
/// in creation order (one pass: layouts of 50,000-object inputs stay linear).
fn groups_by_service(flow: &FlowGraph) -> Vec<(Option<usize>, Vec<NodeIndex>)> {
    let mut groups: Vec<(Option<usize>, Vec<NodeIndex>)> = Vec::new();
    let mut index: HashMap<Option<usize>, usize> = HashMap::default();
    for (i, n) in flow.nodes() {
        let k = *index.entry(n.service).or_insert_with(|| {
            groups.push((n.service, Vec::new()));
            groups.len() - 1
        });
        groups[k].1.push(i);
    }
    groups
}

// ---- layout ---------------------------------------------------------------------------------

pub const LANE_TITLES: [&str; 5] =
    ["Client / DNS", "Service", "kube-proxy: service chain", "kube-proxy: endpoint", "Pods"];

/// `v` with `places` decimals (at most 9), for SVG coordinates and CSS lengths: rounded half away
/// from zero, `-0.0` written `0.0`, NaN and infinities as 0.
///
/// Why not `format!("{v:.1}")`: float formatting (exact and shortest) is several KB of the
/// browser's wasm, and diagram coordinates need no more than this integer arithmetic.
pub fn fixed(v: f64, places: u32) -> String {
    let mut out = String::with_capacity(12);
    push_fixed(&mut out, v, places);
    out
}

/// [`fixed`], appended to `out` (digits pushed by hand: no formatting machinery, no temporary
/// strings).
pub fn push_fixed(out: &mut String, v: f64, places: u32) {
    let places = places.min(9);
    let scale = 10u64.pow(places);
    let scaled = (v * scale as f64).round();
    let n = if scaled.is_finite() { scaled.clamp(-1e17, 1e17) as i64 } else { 0 };
    if n < 0 {
        out.push('-');
    }
    let n = n.unsigned_abs();
    push_digits(out, n / scale, 1);
    if places > 0 {
        out.push('.');
        push_digits(out, n % scale, places as usize);
    }
}

/// `n` in decimal, zero-padded to at least `width` digits.
fn push_digits(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    while n > 0 || digits.len() - i < width {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend(digits[i..].iter().map(|&d| d as char));
}

pub const NODE_WIDTH: f64 = 230.0;
pub const NODE_HEIGHT: f64 = 58.0;
const LANE_GAP: f64 = 70.0;
const ROW_GAP: f64 = 16.0;
const TOP: f64 = 40.0;

#[derive(Clone, Debug, Serialize)]
pub struct LaidNode {
    pub index: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct LaidEdge {
    pub from: usize,
    pub to: usize,
    /// Where the curve starts and ends (x1, y1, x2, y2); its SVG path data is [`LaidEdge::path`],
    /// made only for the edges drawn (the browser draws the visible part of a large diagram).
    #[serde(rename = "path", serialize_with = "serialize_path")]
    pub ends: [f64; 4],
    /// Where to put the label.
    pub label_x: f64,
    pub label_y: f64,
}

impl LaidEdge {
    /// SVG path data: a horizontal cubic curve from the start to the end.
    pub fn path(&self) -> String {
        path_data(self.ends)
    }
}

/// A horizontal cubic curve from (x1, y1) to (x2, y2) as SVG path data.
fn path_data([x1, y1, x2, y2]: [f64; 4]) -> String {
    let dx = ((x2 - x1) / 2.0).max(30.0);
    // "M{x1},{y1} C{x1+dx},{y1} {x2-dx},{y2} {x2},{y2}", one allocation
    let mut path = String::with_capacity(48);
    let points = [(x1, y1), (x1 + dx, y1), (x2 - dx, y2), (x2, y2)];
    for (k, (x, y)) in points.into_iter().enumerate() {
        path.push_str(["M", " C", " ", " "][k]);
        push_fixed(&mut path, x, 1);
        path.push(',');
        push_fixed(&mut path, y, 1);
    }
    path
}

fn serialize_path<S: serde::Serializer>(ends: &[f64; 4], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&path_data(*ends))
}

#[derive(Clone, Debug, Serialize)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub lanes: Vec<(f64, &'static str)>,
    pub nodes: Vec<LaidNode>,
    pub edges: Vec<LaidEdge>,
}

pub fn lane_x(lane: u8) -> f64 {
    20.0 + lane as f64 * (NODE_WIDTH + LANE_GAP)
}

/// Lanes left to right; Services stacked top to bottom, each one's rows as tall as its widest
/// lane; within a lane nodes keep their creation order (which follows the input order).
pub fn layout(flow: &FlowGraph) -> Layout {
    let g = &flow.graph;
    let mut pos: Vec<Option<(f64, f64)>> = vec![None; g.node_count()];
    let mut y0 = TOP;
    for (_, group) in groups_by_service(flow) {
        let mut rows = [0usize; 5];
        for &i in &group {
            let lane = g[i].lane.min(4) as usize;
            pos[i.index()] = Some((lane_x(g[i].lane), y0 + rows[lane] as f64 * (NODE_HEIGHT + ROW_GAP)));
            rows[lane] += 1;
        }
        let tallest = rows.iter().copied().max().unwrap_or(0).max(1);
        // Centre short lanes against the tallest one.
        for &i in &group {
            let lane = g[i].lane.min(4) as usize;
            if let Some((x, y)) = pos[i.index()] {
                let shift = (tallest - rows[lane]) as f64 * (NODE_HEIGHT + ROW_GAP) / 2.0;
                pos[i.index()] = Some((x, y + shift));
            }
        }
        y0 += tallest as f64 * (NODE_HEIGHT + ROW_GAP) + 30.0;
    }
    let nodes: Vec<LaidNode> = g
        .node_indices()
        .map(|i| {
            let (x, y) = pos[i.index()].unwrap_or((0.0, 0.0));
            LaidNode { index: i.index(), x, y, width: NODE_WIDTH, height: NODE_HEIGHT }
        })
        .collect();
    let edges = g
        .edge_references()
        .map(|e| {
            let (a, b) = (&nodes[e.source().index()], &nodes[e.target().index()]);
            let (x1, y1) = (a.x + a.width, a.y + a.height / 2.0);
            let (x2, y2) = (b.x, b.y + b.height / 2.0);
            LaidEdge {
                from: e.source().index(),
                to: e.target().index(),
                ends: [x1, y1, x2, y2],
                label_x: (x1 + x2) / 2.0,
                label_y: (y1 + y2) / 2.0 - 4.0,
            }
        })
        .collect();
    Layout {
        width: lane_x(4) + NODE_WIDTH + 20.0,
        height: y0.max(TOP + NODE_HEIGHT) + 10.0,
        lanes: (0..5).map(|l| (lane_x(l), LANE_TITLES[l as usize])).collect(),
        nodes,
        edges,
    }
}

// ---- text renderings --------------------------------------------------------------------------

fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;")
}

/// Mermaid `flowchart LR`, one subgraph per Service, for Markdown docs.
pub fn to_mermaid(flow: &FlowGraph) -> String {
    let g = &flow.graph;
    let mut out = String::from("flowchart LR\n");
    let by_service = groups_by_service(flow);
    for (k, (_, idxs)) in by_service.iter().enumerate() {
        let title = idxs.iter().find(|i| g[**i].kind == NodeKind::Service).map(|i| g[*i].label.clone());
        if let Some(t) = &title {
            let _ = writeln!(out, "  subgraph s{k}[\"{}\"]", mermaid_text(t));
        }
        for i in idxs {
            let n = &g[*i];
            let mut text = mermaid_text(&n.label);
            for d in &n.details {
                text.push_str("<br/>");
                text.push_str(&mermaid_text(d));
            }
            let (open, close) = match n.kind {
                NodeKind::Dns | NodeKind::Entry => ("([", "])"),
                NodeKind::Service => ("[", "]"),
                NodeKind::Chain | NodeKind::Sep => ("[[", "]]"),
                NodeKind::Pod => ("(", ")"),
                NodeKind::ExternalHost => ("{{", "}}"),
                NodeKind::Reject => ("{", "}"),
            };
            let _ = writeln!(out, "    n{}{open}\"{text}\"{close}", i.index());
        }
        if title.is_some() {
            out.push_str("  end\n");
        }
    }
    for e in g.edge_references() {
        let w = e.weight();
        let arrow = if matches!(w.status, Status::Error | Status::Excluded) { "-.->" } else { "-->" };
        if w.label.is_empty() {
            let _ = writeln!(out, "  n{} {arrow} n{}", e.source().index(), e.target().index());
        } else {
            let _ = writeln!(
                out,
                "  n{} {arrow}|\"{}\"| n{}",
                e.source().index(),
                mermaid_text(&w.label),
                e.target().index()
            );
        }
    }
    for (i, n) in flow.nodes() {
        let class = match n.status {
            Status::Ok => continue,
            Status::Warning => "warning",
            Status::Error => "error",
            Status::Excluded => "excluded",
        };
        let _ = writeln!(out, "  class n{} {class}", i.index());
    }
    out.push_str("  classDef error stroke:#cf222e,stroke-width:2px\n");
    out.push_str("  classDef warning stroke:#9a6700,stroke-width:2px\n");
    out.push_str("  classDef excluded stroke-dasharray:4 3,opacity:0.7\n");
    out
}

/// Graphviz DOT.
pub fn to_dot(flow: &FlowGraph) -> String {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = String::from("digraph svcflow {\n  rankdir=LR;\n  node [shape=box, fontname=\"sans-serif\"];\n");
    for (i, n) in flow.nodes() {
        let mut label = esc(&n.label);
        for d in &n.details {
            label.push_str("\\n");
            label.push_str(&esc(d));
        }
        let style = match n.status {
            Status::Ok => "",
            Status::Warning => ", color=orange",
            Status::Error => ", color=red",
            Status::Excluded => ", style=dashed",
        };
        let _ = writeln!(out, "  n{} [label=\"{label}\"{style}];", i.index());
    }
    for e in flow.graph.edge_references() {
        let w = e.weight();
        let style = if matches!(w.status, Status::Error | Status::Excluded) { ", style=dashed" } else { "" };
        let _ =
            writeln!(out, "  n{} -> n{} [label=\"{}\"{style}];", e.source().index(), e.target().index(), esc(&w.label));
    }
    out.push_str("}\n");
    out
}

/// Plain numbered sentences describing the flow (the Explain tab; also read by screen readers).
pub fn explain(analysis: &Analysis, proxy: Option<&[ServicePortSummary]>) -> Vec<String> {
    let mut out = Vec::new();
    for s in &analysis.services {
        let fqdn = format!("{}.{}.svc.{}", s.name, s.namespace, analysis.cluster_domain);
        if let Some(host) = &s.external_name {
            out.push(format!(
                "A client that looks up {fqdn} gets a CNAME to {host}; no proxying happens, so it connects to {host} on the port it dials."
            ));
            continue;
        }
        if s.headless {
            let n: usize = s.ports.first().map_or(0, |p| p.endpoints.iter().filter(|e| e.ready).count());
            out.push(format!(
                "{fqdn} is headless: DNS answers with the {n} ready pod address(es) directly, and kube-proxy writes no rules for it."
            ));
            continue;
        }
        let ip = s.cluster_ip.clone().unwrap_or_default();
        out.push(format!("A client that looks up {fqdn} gets the ClusterIP {ip} ({} Service).", s.type_));
        for p in &s.ports {
            let sum = proxy.and_then(|x| {
                x.iter().find(|y| {
                    y.namespace == s.namespace && y.name == s.name && y.port_name == p.name && y.protocol == p.protocol
                })
            });
            let ready: Vec<String> =
                p.endpoints.iter().filter(|e| e.ready).map(|e| format!("{}:{}", e.ip, e.port)).collect();
            match sum {
                Some(sum) if sum.internal_target.starts_with("KUBE-") => out.push(format!(
                    "Traffic to {ip}:{} ({}) matches kube-proxy's rule in KUBE-SERVICES and jumps to {}, which picks one of {} endpoint(s) at random ({}) and DNATs to its pod port.",
                    p.port,
                    p.protocol,
                    sum.internal_target,
                    ready.len(),
                    ready.join(", ")
                )),
                Some(sum) => out.push(format!(
                    "Traffic to {ip}:{} ({}) is refused: kube-proxy writes a {} rule because the Service has no usable endpoints for this port.",
                    p.port, p.protocol, sum.internal_target
                )),
                None => out.push(format!(
                    "Port {}/{} has {} ready endpoint(s): {}.",
                    p.port,
                    p.protocol,
                    ready.len(),
                    if ready.is_empty() { "none".into() } else { ready.join(", ") }
                )),
            }
            if let Some(np) = p.node_port {
                out.push(format!(
                    "From outside, any node's IP on port {np} reaches the same endpoints through KUBE-NODEPORTS and the KUBE-EXT chain (source NATed unless externalTrafficPolicy is Local)."
                ));
            }
            for x in &p.excluded {
                let pod = &analysis.pods[x.pod];
                out.push(format!("Pod {}/{} gets no traffic on this port: {}.", pod.namespace, pod.name, x.detail));
            }
        }
    }
    out.iter().enumerate().map(|(i, s)| format!("{}. {s}", i + 1)).collect()
}

#[cfg(test)]
mod tests {
    use super::fixed;

    #[test]
    fn fixed_writes_decimals_with_integers() {
        assert_eq!(fixed(12.34, 1), "12.3");
        assert_eq!(fixed(12.36, 1), "12.4");
        assert_eq!(fixed(-4.56789, 2), "-4.57");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(0.5, 0), "1");
        assert_eq!(fixed(-0.5, 0), "-1");
        assert_eq!(fixed(7.0, 4), "7.0000");
        assert_eq!(fixed(0.00123, 4), "0.0012");
        assert_eq!(fixed(f64::NAN, 1), "0.0");
        assert_eq!(fixed(f64::INFINITY, 1), "0.0");
        assert_eq!(fixed(1e30, 0), "100000000000000000");
        // the same as float formatting away from exact ties
        for i in 0..10_000 {
            let v = (i as f64) * 1.37 - 5_000.013;
            assert_eq!(fixed(v, 1), format!("{v:.1}"), "{v}");
        }
    }
}
