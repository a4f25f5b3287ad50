//! The plain-data result the JS package returns, built from the engine with no JS involved (so
//! it is tested natively too). Field names are those of the TypeScript types in `lib.rs`.

use serde::{Deserialize, Serialize};
use svcflow_core::dns::{DnsRecord, Resolution};
use svcflow_core::flow::{self, FlowGraph, Layout};
use svcflow_core::kube_proxy::{IpFamily, ProxyError, ProxyFlags, ProxyMode};
use svcflow_core::{Analysis, Diagnostic, Options, Sources, Span};

/// The name the input gets in messages (as in the browser app).
pub const SOURCE_NAME: &str = "input.yaml";

/// `SvcflowOptions`: every field optional; an unknown one is an error (a typo must not be
/// ignored silently, as on the command line).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JsOptions {
    pub namespace: Option<String>,
    pub cluster_domain: Option<String>,
    pub node_name: Option<String>,
    pub cluster_cidr: Option<String>,
    pub ip_family: Option<String>,
}

impl JsOptions {
    /// The engine's options and kube-proxy's flags (`--hostname-override`, `--cluster-cidr`,
    /// `--ip-family`), checked as the CLI checks them.
    pub fn to_engine(&self) -> Result<(Options, ProxyFlags), String> {
        let mut options = Options::default();
        if let Some(ns) = self.namespace.as_deref().filter(|s| !s.is_empty()) {
            options.default_namespace = ns.to_string();
        }
        if let Some(d) = self.cluster_domain.as_deref().filter(|s| !s.is_empty()) {
            options.cluster_domain = d.trim_end_matches('.').to_string();
        }
        let ip_family = match self.ip_family.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("") => None,
            Some("ipv4" | "4") => Some(IpFamily::V4),
            Some("ipv6" | "6") => Some(IpFamily::V6),
            Some(other) => return Err(format!("ipFamily must be \"ipv4\" or \"ipv6\", not {other:?}")),
        };
        let flags = ProxyFlags {
            hostname_override: self.node_name.clone().filter(|s| !s.is_empty()),
            cluster_cidr: self.cluster_cidr.clone().filter(|s| !s.is_empty()),
            ip_family,
            ..ProxyFlags::default()
        };
        Ok((options, flags))
    }
}

/// Parse the options object (as JSON; `null` means none).
pub fn parse_options(json: Option<&str>) -> Result<JsOptions, String> {
    match json.map(str::trim) {
        None | Some("" | "null") => Ok(JsOptions::default()),
        Some(text) => serde_json::from_str(text).map_err(|e| format!("bad options: {e}")),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    pub objects: Vec<ObjectOut>,
    pub diagnostics: Vec<DiagnosticOut>,
    pub dns: Vec<DnsOut>,
    pub endpoints: Vec<PortOut>,
    pub graph: GraphOut,
    pub iptables: Option<String>,
    pub iptables_error: Option<String>,
    pub mermaid: String,
    pub explain: Vec<String>,
}

#[derive(Serialize)]
pub struct ObjectOut {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub line: u32,
}

/// The shape of a diagnostic in `svcflow lint --format json` (hence snake_case).
#[derive(Serialize)]
pub struct DiagnosticOut {
    pub rule: String,
    pub severity: &'static str,
    pub message: String,
    pub object: Option<String>,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub help: Option<String>,
    pub suppressed: bool,
}

#[derive(Serialize)]
pub struct DnsOut {
    pub name: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub data: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortOut {
    /// `namespace/name`
    pub service: String,
    pub port_name: String,
    pub port: i64,
    pub protocol: String,
    pub target_port: String,
    pub endpoints: Vec<EndpointOut>,
    pub excluded: Vec<ExclusionOut>,
}

#[derive(Serialize)]
pub struct EndpointOut {
    pub ip: String,
    pub port: i64,
    pub ready: bool,
    pub terminating: bool,
    /// `namespace/name` of the pod behind it, when known.
    pub pod: Option<String>,
}

#[derive(Serialize)]
pub struct ExclusionOut {
    pub pod: String,
    pub reason: svcflow_core::model::ExclusionReason,
    pub detail: String,
}

#[derive(Serialize)]
pub struct GraphOut {
    pub nodes: Vec<NodeOut>,
    pub edges: Vec<EdgeOut>,
    pub width: f64,
    pub height: f64,
    pub lanes: Vec<LaneOut>,
}

#[derive(Serialize)]
pub struct NodeOut {
    pub id: String,
    pub kind: flow::NodeKind,
    pub lane: u8,
    pub label: String,
    pub details: Vec<String>,
    pub status: flow::Status,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub spans: Vec<SpanOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpanOut {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeOut {
    /// Node ids.
    pub from: String,
    pub to: String,
    pub label: String,
    pub status: flow::Status,
    pub path: String,
    pub label_x: f64,
    pub label_y: f64,
}

#[derive(Serialize)]
pub struct LaneOut {
    pub x: f64,
    pub title: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolutionOut {
    pub name: String,
    pub from_namespace: String,
    pub attempts: Vec<AttemptOut>,
    pub answers: Vec<DnsOut>,
    pub upstream: bool,
    pub nxdomain: bool,
}

#[derive(Serialize)]
pub struct AttemptOut {
    pub query: String,
    pub answers: Vec<DnsOut>,
}

/// The package's diagnostics: the linter's, exactly what `svcflow lint --format json` reports
/// (the loader's `invalid-yaml` / `invalid-object` included).
pub fn diagnostics(sources: &Sources, options: &Options, _analysis: &Analysis) -> Vec<Diagnostic> {
    svcflow_lint::lint(sources, options).diagnostics
}

fn span_out(sources: &Sources, span: Span) -> SpanOut {
    let (a, b) = (sources.line_col(span), sources.end_line_col(span));
    SpanOut { line: a.line, column: a.column, end_line: b.line, end_column: b.column }
}

pub fn diagnostic_out(sources: &Sources, d: &Diagnostic) -> DiagnosticOut {
    let s = span_out(sources, d.primary.span);
    DiagnosticOut {
        rule: d.rule.clone(),
        severity: d.severity.as_str(),
        message: d.message.clone(),
        object: d.object.clone(),
        line: s.line,
        column: s.column,
        end_line: s.end_line,
        end_column: s.end_column,
        help: d.help.clone(),
        suppressed: d.suppressed,
    }
}

fn dns_out(r: &DnsRecord) -> DnsOut {
    DnsOut { name: r.name.clone(), rtype: r.rtype.to_string(), data: r.data.clone() }
}

/// `SvcflowKubeProxy`: kube-proxy's rules in one mode.
#[derive(Serialize)]
pub struct KubeProxyOut {
    pub mode: &'static str,
    /// `null` when kube-proxy refuses the input (see `error`).
    pub text: Option<String>,
    pub error: Option<String>,
    /// iptables mode only: every rule line, filter then nat, in text order.
    pub rules: Vec<RuleOut>,
    /// iptables mode only: every chain line.
    pub chains: Vec<svcflow_core::kube_proxy::Chain>,
}

#[derive(Serialize)]
pub struct RuleOut {
    pub table: svcflow_core::kube_proxy::Table,
    pub chain: String,
    pub text: String,
    /// `ns/name:port` of the service port it belongs to, if any.
    pub service: Option<String>,
    /// The YAML it comes from: UTF-8 byte offsets, as start, end pairs.
    pub origin: Vec<u32>,
}

/// kube-proxy's rules for one input in `mode` ("iptables", "nftables" or "ipvs").
pub fn kube_proxy(yaml: &str, mode: &str, opts: &JsOptions) -> Result<KubeProxyOut, String> {
    let (options, flags) = opts.to_engine()?;
    let mode = ProxyMode::parse(mode)
        .ok_or_else(|| format!("mode must be \"iptables\", \"nftables\" or \"ipvs\", not {mode:?}"))?;
    let sources = Sources::single(SOURCE_NAME, yaml);
    let analysis = svcflow_core::analyze(&sources, &options);
    Ok(match svcflow_core::kube_proxy::rules(&analysis, &flags, mode) {
        Ok(r) => KubeProxyOut {
            mode: mode.as_str(),
            text: Some(r.text),
            error: None,
            rules: r
                .rules
                .into_iter()
                .map(|x| RuleOut {
                    table: x.table,
                    chain: x.chain,
                    text: x.text,
                    service: x.service,
                    origin: x.origin.iter().flat_map(|s| [s.start, s.end]).collect(),
                })
                .collect(),
            chains: r.chains,
        },
        Err(e) => KubeProxyOut {
            mode: mode.as_str(),
            text: None,
            error: Some(proxy_error(&sources, &e)),
            rules: Vec::new(),
            chains: Vec::new(),
        },
    })
}

fn proxy_error(sources: &Sources, e: &ProxyError) -> String {
    svcflow_core::kube_proxy::describe_error(sources, e)
}

fn graph_out(sources: &Sources, graph: &FlowGraph, layout: &Layout) -> GraphOut {
    let g = &graph.graph;
    let nodes = graph
        .nodes()
        .zip(&layout.nodes)
        .map(|((_, n), l)| NodeOut {
            id: n.id.clone(),
            kind: n.kind,
            lane: n.lane,
            label: n.label.clone(),
            details: n.details.clone(),
            status: n.status,
            x: l.x,
            y: l.y,
            width: l.width,
            height: l.height,
            spans: n.spans.iter().map(|s| span_out(sources, *s)).collect(),
        })
        .collect();
    // `layout` lists edges in edge-index order, as `raw_edges` does.
    let edges = g
        .raw_edges()
        .iter()
        .zip(&layout.edges)
        .map(|(e, l)| EdgeOut {
            from: g[e.source()].id.clone(),
            to: g[e.target()].id.clone(),
            label: e.weight.label.clone(),
            status: e.weight.status,
            path: l.path(),
            label_x: l.label_x,
            label_y: l.label_y,
        })
        .collect();
    GraphOut {
        nodes,
        edges,
        width: layout.width,
        height: layout.height,
        lanes: layout.lanes.iter().map(|&(x, title)| LaneOut { x, title }).collect(),
    }
}

/// Everything the package returns for one input.
pub fn analyze(yaml: &str, opts: &JsOptions) -> Result<Output, String> {
    let (options, flags) = opts.to_engine()?;
    let sources = Sources::single(SOURCE_NAME, yaml);
    let analysis = svcflow_core::analyze(&sources, &options);
    let view = analysis.flow_view(&flags);
    let pod_ref = |i: usize| analysis.pods.get(i).map(|p| format!("{}/{}", p.namespace, p.name));
    let endpoints = analysis
        .services
        .iter()
        .flat_map(|s| {
            s.ports.iter().map(move |p| (s, p)).map(|(s, p)| PortOut {
                service: format!("{}/{}", s.namespace, s.name),
                port_name: p.name.clone(),
                port: p.port,
                protocol: p.protocol.clone(),
                target_port: p.target.clone(),
                endpoints: p
                    .endpoints
                    .iter()
                    .map(|e| EndpointOut {
                        ip: e.ip.clone(),
                        port: e.port,
                        ready: e.ready,
                        terminating: e.terminating,
                        pod: e.pod.and_then(pod_ref),
                    })
                    .collect(),
                excluded: p
                    .excluded
                    .iter()
                    .map(|x| ExclusionOut {
                        pod: pod_ref(x.pod).unwrap_or_default(),
                        reason: x.reason,
                        detail: x.detail.clone(),
                    })
                    .collect(),
            })
        })
        .collect();
    let (iptables, iptables_error) = match &view.iptables {
        Ok(out) => (Some(out.text.clone()), None),
        Err(e) => (None, Some(proxy_error(&sources, e))),
    };
    Ok(Output {
        objects: analysis
            .objects
            .iter()
            .map(|o| ObjectOut {
                kind: o.kind.clone(),
                namespace: o.namespace.clone(),
                name: o.name.clone(),
                line: sources.line_col(o.span).line,
            })
            .collect(),
        diagnostics: diagnostics(&sources, &options, &analysis).iter().map(|d| diagnostic_out(&sources, d)).collect(),
        dns: analysis.dns.iter().map(dns_out).collect(),
        endpoints,
        graph: graph_out(&sources, &view.graph, &view.layout),
        mermaid: flow::to_mermaid(&view.graph),
        explain: flow::explain(&analysis, view.iptables.as_ref().ok().map(|o| o.services.as_slice())),
        iptables,
        iptables_error,
    })
}

/// A DNS query from a pod of `from_namespace` (default: the options' namespace).
pub fn resolve_dns(
    yaml: &str,
    name: &str,
    from_namespace: Option<&str>,
    opts: &JsOptions,
) -> Result<ResolutionOut, String> {
    let (options, _) = opts.to_engine()?;
    let sources = Sources::single(SOURCE_NAME, yaml);
    let analysis = svcflow_core::analyze(&sources, &options);
    let from = from_namespace.filter(|s| !s.is_empty()).unwrap_or(&options.default_namespace);
    let r: Resolution = analysis.resolve_dns(name, from);
    Ok(ResolutionOut {
        nxdomain: r.is_nxdomain(),
        name: r.name,
        from_namespace: r.from_namespace,
        attempts: r
            .attempts
            .iter()
            .map(|a| AttemptOut { query: a.query.clone(), answers: a.answers.iter().map(dns_out).collect() })
            .collect(),
        answers: r.answers.iter().map(dns_out).collect(),
        upstream: r.upstream,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEB: &str = include_str!("../../../tests/fixtures/engine/frontend-backend.yaml");

    #[test]
    fn analyze_fixture() {
        let out = analyze(WEB, &JsOptions::default()).unwrap();
        assert_eq!(out.objects.len(), 2);
        assert_eq!((out.objects[0].kind.as_str(), out.objects[0].line), ("Service", 2));
        assert!(out.diagnostics.is_empty());
        assert!(out.iptables.as_deref().unwrap().contains("KUBE-SVC-"));
        assert!(out.iptables_error.is_none());
        assert!(out.graph.nodes.iter().any(|n| n.label.starts_with("KUBE-SVC-")));
        let ids: Vec<&str> = out.graph.nodes.iter().map(|n| n.id.as_str()).collect();
        for e in &out.graph.edges {
            assert!(ids.contains(&e.from.as_str()) && ids.contains(&e.to.as_str()));
            assert!(e.path.starts_with('M'));
        }
        assert_eq!(out.endpoints.len(), 1);
        assert_eq!(out.endpoints[0].endpoints.len(), 3);
        assert!(out.endpoints[0].endpoints.iter().all(|e| e.ready && e.port == 8080 && e.pod.is_some()));
        assert!(out.dns.iter().any(|r| r.name == "web.shop.svc.cluster.local" && r.rtype == "A"));
        assert!(out.mermaid.starts_with("flowchart LR"));
        assert!(out.explain[0].starts_with("1. "));
        let json = serde_json::to_value(&out).unwrap();
        assert!(json["iptablesError"].is_null());
        assert!(json["graph"]["edges"][0]["labelX"].is_number());
        assert!(json["graph"]["nodes"][0]["spans"][0]["endLine"].is_number());
    }

    #[test]
    fn diagnostics_have_positions() {
        let out = analyze("kind: Service\nmetadata: {name: x\n", &JsOptions::default()).unwrap();
        let d = &out.diagnostics[0];
        assert_eq!((d.rule.as_str(), d.severity), ("invalid-yaml", "error"));
        assert!(d.line >= 1 && d.column >= 1 && d.end_line >= d.line);
        let json = serde_json::to_value(d).unwrap();
        for k in
            ["rule", "severity", "message", "object", "line", "column", "end_line", "end_column", "help", "suppressed"]
        {
            assert!(json.get(k).is_some(), "{k}");
        }
    }

    #[test]
    fn options() {
        let o =
            parse_options(Some(r#"{"namespace":"shop","ipFamily":"ipv6","clusterDomain":"example.org."}"#)).unwrap();
        let (options, flags) = o.to_engine().unwrap();
        assert_eq!(options.default_namespace, "shop");
        assert_eq!(options.cluster_domain, "example.org");
        assert_eq!(flags.ip_family, Some(IpFamily::V6));
        assert!(parse_options(Some(r#"{"namespaces":"x"}"#)).unwrap_err().contains("namespaces"));
        assert!(parse_options(Some(r#"{"ipFamily":"ipx"}"#)).unwrap().to_engine().is_err());
        assert!(parse_options(None).is_ok() && parse_options(Some("null")).is_ok());
    }

    #[test]
    fn resolve() {
        let r = resolve_dns(WEB, "web", Some("shop"), &JsOptions::default()).unwrap();
        assert!(!r.nxdomain && r.answers[0].name == "web.shop.svc.cluster.local");
        let r = resolve_dns(WEB, "web", None, &JsOptions::default()).unwrap();
        assert!(r.nxdomain && r.from_namespace == "default");
    }
}
