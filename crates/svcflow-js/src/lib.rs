//! The svcflow engine as a JavaScript package (built with `wasm-pack`): give it Kubernetes YAML,
//! get back plain objects saying how its Services resolve: DNS records, endpoints, kube-proxy's
//! iptables rules and the DNS → Service → kube-proxy → Pod flow graph with its layout.
//!
//! ```js
//! import init, { analyze } from "./pkg/svcflow_js.js";
//! await init();
//! const result = analyze(yamlText, { namespace: "shop" });
//! result.graph.nodes.forEach((n) => console.log(n.label, n.x, n.y));
//! ```
//!
//! A thin layer: [`view`] builds the result from `svcflow-core` in plain Rust; this file only
//! moves it across the JS boundary (as JSON, parsed by the browser's `JSON.parse`: no serde
//! glue in the wasm) and declares its TypeScript types.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub mod view;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Settings of one analysis; every field is optional (the defaults are those of a stock cluster). */
export interface SvcflowOptions {
  /** Namespace of objects without `metadata.namespace` (like `kubectl -n`). Default "default". */
  namespace?: string;
  /** The cluster DNS domain. Default "cluster.local". */
  clusterDomain?: string;
  /** The node kube-proxy runs on (`--hostname-override`). Default: a Node of the input, else "node-1". */
  nodeName?: string;
  /** The pod CIDR (`--cluster-cidr`); enables kube-proxy's ClusterCIDR local-traffic detector. */
  clusterCidr?: string;
  /** Which family kube-proxy writes rules for. Default "ipv4". */
  ipFamily?: "ipv4" | "ipv6";
}

/** An object of the input. */
export interface SvcflowObject {
  kind: string;
  /** Effective namespace ("" for cluster-scoped kinds). */
  namespace: string;
  name: string;
  /** 1-based line where the object starts. */
  line: number;
}

/** A finding, in the shape of `svcflow lint --format json` (1-based lines and columns). */
export interface SvcflowDiagnostic {
  /** Rule id, e.g. "invalid-yaml". */
  rule: string;
  severity: "error" | "warning";
  message: string;
  /** `Kind/namespace/name` of the object it belongs to. */
  object: string | null;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  /** Why it matters and what to do. */
  help: string | null;
  suppressed: boolean;
}

/** A record the cluster DNS serves. */
export interface SvcflowDnsRecord {
  /** Fully qualified, without the trailing dot. */
  name: string;
  type: "A" | "AAAA" | "SRV" | "CNAME";
  data: string;
}

export interface SvcflowEndpoint {
  ip: string;
  port: number;
  ready: boolean;
  terminating: boolean;
  /** `namespace/name` of the pod behind it, when known. */
  pod: string | null;
}

export type SvcflowExclusionReason = "labels" | "namespace" | "not-ready" | "terminal" | "no-such-port";

/** A pod the Service port does not send traffic to, and why. */
export interface SvcflowExclusion {
  /** `namespace/name` */
  pod: string;
  reason: SvcflowExclusionReason;
  detail: string;
}

/** One Service port with its endpoints (like `kubectl get endpointslices`). */
export interface SvcflowServicePort {
  /** `namespace/name` */
  service: string;
  /** "" when the port has no name. */
  portName: string;
  port: number;
  protocol: string;
  /** `targetPort` as written (a number or a port name). */
  targetPort: string;
  endpoints: SvcflowEndpoint[];
  excluded: SvcflowExclusion[];
}

export type SvcflowNodeKind = "dns" | "entry" | "service" | "chain" | "sep" | "pod" | "external-host" | "reject";
export type SvcflowStatus = "ok" | "warning" | "error" | "excluded";

/** A range of the input (1-based; the end column is exclusive). */
export interface SvcflowSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface SvcflowNode {
  /** Stable id: `svc:shop/web`, `chain:KUBE-SVC-…`, `pod:shop/web-0`, … */
  id: string;
  kind: SvcflowNodeKind;
  /** Column: 0 client/DNS/entry, 1 Service, 2 service chain, 3 endpoint chain, 4 pods and hosts. */
  lane: number;
  label: string;
  details: string[];
  status: SvcflowStatus;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The YAML that produced the node. */
  spans: SvcflowSpan[];
}

export interface SvcflowEdge {
  /** Node ids. */
  from: string;
  to: string;
  label: string;
  status: SvcflowStatus;
  /** SVG path data. */
  path: string;
  labelX: number;
  labelY: number;
}

export interface SvcflowLane {
  x: number;
  title: string;
}

/** The flow graph, laid out (coordinates in SVG user units). */
export interface SvcflowGraph {
  nodes: SvcflowNode[];
  edges: SvcflowEdge[];
  width: number;
  height: number;
  lanes: SvcflowLane[];
}

export interface SvcflowResult {
  objects: SvcflowObject[];
  diagnostics: SvcflowDiagnostic[];
  dns: SvcflowDnsRecord[];
  endpoints: SvcflowServicePort[];
  graph: SvcflowGraph;
  /** kube-proxy's iptables-restore input on one node, or null when it cannot be generated. */
  iptables: string | null;
  /** Why there are no iptables rules (a bad IP in a manifest), else null. */
  iptablesError: string | null;
  /** The flow as a Mermaid `flowchart LR`. */
  mermaid: string;
  /** The flow in numbered sentences. */
  explain: string[];
}

/** One query the pod's resolver sent (search path first, ndots:5). */
export interface SvcflowDnsAttempt {
  query: string;
  answers: SvcflowDnsRecord[];
}

export interface SvcflowResolution {
  name: string;
  fromNamespace: string;
  attempts: SvcflowDnsAttempt[];
  /** The records of the first query that had an answer. */
  answers: SvcflowDnsRecord[];
  /** The name is outside the cluster domain: the cluster DNS forwards it upstream. */
  upstream: boolean;
  /** No answer and not forwarded. */
  nxdomain: boolean;
}

/** kube-proxy's rules in one mode (`kubeProxy`). */
export interface SvcflowKubeProxy {
  mode: "iptables" | "nftables" | "ipvs";
  /** The rules as kube-proxy writes them (iptables-restore input, nft dump, ipvsadm table); null when it refuses the input. */
  text: string | null;
  /** Why kube-proxy refuses the input ("line 12, column 9: …"), else null. */
  error: string | null;
  /** iptables mode: every rule line, filter table then nat, in text order. */
  rules: SvcflowRule[];
  /** iptables mode: every chain line. */
  chains: SvcflowChain[];
}

export interface SvcflowRule {
  table: "filter" | "nat";
  chain: string;
  /** The whole line, `-A CHAIN …`. */
  text: string;
  /** `namespace/name:port` of the Service port it belongs to, null for kube-proxy's own rules. */
  service: string | null;
  /** The YAML it comes from, as UTF-8 byte offsets: start, end, start, end, … */
  origin: number[];
}

export interface SvcflowChain {
  table: "filter" | "nat";
  name: string;
  kind: "fixed" | "service" | "svl" | "ext" | "fw" | "sep" | "stale";
  service: string | null;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "SvcflowOptions")]
    pub type SvcflowOptions;
    #[wasm_bindgen(typescript_type = "SvcflowResult")]
    pub type SvcflowResult;
    #[wasm_bindgen(typescript_type = "SvcflowResolution")]
    pub type SvcflowResolution;
    #[wasm_bindgen(typescript_type = "SvcflowKubeProxy")]
    pub type SvcflowKubeProxy;
}

fn read_options(options: Option<SvcflowOptions>) -> Result<view::JsOptions, JsError> {
    let value: JsValue = match options {
        Some(o) => o.into(),
        None => JsValue::UNDEFINED,
    };
    let json = if value.is_undefined() || value.is_null() {
        None
    } else {
        let s = js_sys::JSON::stringify(&value).map_err(|_| JsError::new("svcflow: options must be a plain object"))?;
        Some(String::from(s))
    };
    view::parse_options(json.as_deref()).map_err(|e| JsError::new(&format!("svcflow: {e}")))
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("svcflow: cannot convert the result"))
}

/// Analyze Kubernetes YAML (one or more documents): objects, findings, DNS records, endpoints,
/// kube-proxy's iptables rules and the laid-out flow graph. Throws only on bad options; problems
/// of the input are reported in `diagnostics`.
#[wasm_bindgen]
pub fn analyze(yaml: &str, options: Option<SvcflowOptions>) -> Result<SvcflowResult, JsError> {
    let opts = read_options(options)?;
    let out = view::analyze(yaml, &opts).map_err(|e| JsError::new(&format!("svcflow: {e}")))?;
    Ok(to_js(&out)?.unchecked_into())
}

/// Resolve `name` as a pod in `fromNamespace` (default: the options' namespace) would, through
/// its search path.
#[wasm_bindgen(js_name = resolveDns)]
pub fn resolve_dns(
    yaml: &str,
    name: &str,
    #[wasm_bindgen(js_name = fromNamespace)] from_namespace: Option<String>,
    options: Option<SvcflowOptions>,
) -> Result<SvcflowResolution, JsError> {
    let opts = read_options(options)?;
    let out = view::resolve_dns(yaml, name, from_namespace.as_deref(), &opts)
        .map_err(|e| JsError::new(&format!("svcflow: {e}")))?;
    Ok(to_js(&out)?.unchecked_into())
}

/// One YAML document (a stream's text between its `---` lines) read by the general parser, as
/// bytes (`svcflow_core::yaml::encode_parse`; spans from 0). The browser app, whose own wasm
/// carries only the fast path for the YAML tools write, loads this package for the other
/// documents (crates/svcflow-web/src/infra/yaml.rs). Never throws.
#[wasm_bindgen(js_name = parseYamlDocument)]
pub fn parse_yaml_document(segment: &str) -> Vec<u8> {
    use svcflow_core::yaml;
    yaml::encode_parse(&yaml::parse_document_general(0, segment, 0, &yaml::Budget::default()))
}

/// kube-proxy's rules for the input in one mode ("iptables", "nftables" or "ipvs"; default
/// "iptables"): the text, and in iptables mode every rule and chain with the YAML it comes from.
/// The browser app loads this package for its iptables tab. Throws only on bad options or mode.
#[wasm_bindgen(js_name = kubeProxy)]
pub fn kube_proxy(
    yaml: &str,
    mode: Option<String>,
    options: Option<SvcflowOptions>,
) -> Result<SvcflowKubeProxy, JsError> {
    let opts = read_options(options)?;
    let out = view::kube_proxy(yaml, mode.as_deref().unwrap_or("iptables"), &opts)
        .map_err(|e| JsError::new(&format!("svcflow: {e}")))?;
    Ok(to_js(&out)?.unchecked_into())
}

/// The version of the engine.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
