//! Kubernetes objects read from the YAML tree, every field with the span of its key and value.
//!
//! Decoding follows what the API server's JSON decoder accepts: a field of the wrong JSON type
//! is an `invalid-object` diagnostic at that field, and the rest of the object is still read
//! ("objects are evaluated as written"). Label maps are read leniently (a number or boolean
//! label value is kept as its text) because the linter reports those with its own rule.

use crate::diag::{rule_ids, Diagnostic, Severity};
use crate::yaml::{Entry, Node, Typed, Value};
use serde::Serialize;
use std::fmt::Display;
use std::rc::Rc;
use svcflow_source::Span;

/// A decoded field: its value, the span of its key and the span of its value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct F<T> {
    pub value: T,
    pub key: Span,
    pub span: Span,
}

impl<T> F<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> F<U> {
        F { value: f(self.value), key: self.key, span: self.span }
    }
}

/// `targetPort`, probe `port`, NetworkPolicy `port`: a number or a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum IntOrString {
    Int(i64),
    Str(String),
}

/// How a label value was written (the linter reports non-strings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ScalarKind {
    String,
    Number,
    Bool,
    Null,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelEntry {
    pub key: String,
    pub value: String,
    pub key_span: Span,
    pub value_span: Span,
    pub value_kind: ScalarKind,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Labels {
    pub entries: Vec<LabelEntry>,
    /// The span of the `labels:`/`selector:` key, and of the whole map.
    pub key: Span,
    pub span: Span,
}

impl Labels {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.iter().rev().find(|e| e.key == key).map(|e| e.value.as_str())
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Every key/value of `self` (a selector) is in `labels`.
    pub fn selects(&self, labels: &Labels) -> bool {
        self.entries.iter().all(|e| labels.get(&e.key) == Some(e.value.as_str()))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Requirement {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
    pub span: Span,
}

/// A `metav1.LabelSelector` (workloads, NetworkPolicy).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LabelSelector {
    pub match_labels: Labels,
    pub match_expressions: Vec<Requirement>,
    pub span: Span,
    pub key: Span,
}

impl LabelSelector {
    /// As `metav1.LabelSelectorAsSelector`: all of matchLabels and all expressions must hold; an
    /// empty selector selects everything.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels.selects(labels)
            && self.match_expressions.iter().all(|r| {
                let v = labels.get(&r.key);
                match r.operator.as_str() {
                    "In" => v.is_some_and(|v| r.values.iter().any(|x| x == v)),
                    "NotIn" => v.is_none_or(|v| !r.values.iter().any(|x| x == v)),
                    "Exists" => v.is_some(),
                    "DoesNotExist" => v.is_none(),
                    _ => false,
                }
            })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContainerPort {
    pub name: Option<F<String>>,
    pub container_port: Option<F<i64>>,
    pub protocol: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Probe {
    /// `readinessProbe`, `livenessProbe` or `startupProbe`.
    pub kind: String,
    pub key: Span,
    /// The port of `httpGet`/`tcpSocket`/`grpc`, when given.
    pub port: Option<F<IntOrString>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnvVar {
    pub name: String,
    pub value: Option<F<String>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Container {
    pub name: String,
    pub name_span: Span,
    pub span: Span,
    pub ports: Vec<ContainerPort>,
    pub probes: Vec<Probe>,
    pub env: Vec<EnvVar>,
    pub command: Vec<F<String>>,
    pub args: Vec<F<String>>,
    /// An `initContainers` entry with `restartPolicy: Always` (a native sidecar).
    pub sidecar: bool,
    /// An `initContainers` entry that is not a sidecar: its ports do not count.
    pub init: bool,
}

impl Container {
    pub fn readiness_probe(&self) -> Option<&Probe> {
        self.probes.iter().find(|p| p.kind == "readinessProbe")
    }
    /// Whether this container's ports count as the pod's ports (containers and native sidecars).
    pub fn serves(&self) -> bool {
        !self.init || self.sidecar
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    /// The `containers:` key (anchor of `missing-readiness-probe`).
    pub containers_key: Span,
    pub hostname: Option<F<String>>,
    pub subdomain: Option<F<String>>,
    pub node_name: Option<String>,
}

impl PodSpec {
    /// Containers whose ports count: regular containers and native sidecars.
    pub fn serving_containers(&self) -> impl Iterator<Item = &Container> {
        self.containers.iter().filter(|c| c.serves())
    }
    pub fn ports(&self) -> impl Iterator<Item = (&Container, &ContainerPort)> {
        self.serving_containers().flat_map(|c| c.ports.iter().map(move |p| (c, p)))
    }
    pub fn has_readiness_probe(&self) -> bool {
        self.containers.iter().filter(|c| !c.init).any(|c| c.readiness_probe().is_some())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PodTemplate {
    pub labels: Labels,
    pub spec: PodSpec,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PodStatus {
    pub phase: Option<String>,
    pub pod_ip: Option<F<String>>,
    /// The `Ready` condition: Some(true/false) when present.
    pub ready: Option<bool>,
    pub ready_span: Option<Span>,
    pub present: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServicePort {
    pub span: Span,
    pub name: Option<F<String>>,
    pub protocol: Option<F<String>>,
    pub port: Option<F<i64>>,
    pub target_port: Option<F<IntOrString>>,
    pub node_port: Option<F<i64>>,
    pub app_protocol: Option<String>,
}

impl ServicePort {
    pub fn protocol(&self) -> &str {
        self.protocol.as_ref().map_or("TCP", |p| p.value.as_str())
    }
    pub fn name(&self) -> &str {
        self.name.as_ref().map_or("", |p| p.value.as_str())
    }
    pub fn port(&self) -> i64 {
        self.port.as_ref().map_or(0, |p| p.value)
    }
    /// The target port with defaulting applied (absent, 0 or "" → `port`).
    pub fn effective_target(&self) -> IntOrString {
        match self.target_port.as_ref().map(|t| &t.value) {
            Some(IntOrString::Int(0)) | None => IntOrString::Int(self.port()),
            Some(IntOrString::Str(s)) if s.is_empty() => IntOrString::Int(self.port()),
            Some(v) => v.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LbIngress {
    pub ip: Option<String>,
    pub hostname: Option<String>,
    pub ip_mode: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Service {
    pub spec_key: Span,
    pub type_: Option<F<String>>,
    pub cluster_ip: Option<F<String>>,
    pub cluster_ips: Vec<F<String>>,
    pub ip_families: Vec<String>,
    pub selector: Option<Labels>,
    pub ports: Vec<ServicePort>,
    pub ports_key: Span,
    pub external_ips: Vec<F<String>>,
    pub external_ips_key: Option<Span>,
    pub external_name: Option<F<String>>,
    pub external_traffic_policy: Option<F<String>>,
    pub internal_traffic_policy: Option<F<String>>,
    pub lb_source_ranges: Vec<F<String>>,
    pub lb_source_ranges_key: Option<Span>,
    pub session_affinity: Option<F<String>>,
    pub session_affinity_config_key: Option<Span>,
    pub session_affinity_timeout: Option<F<i64>>,
    pub publish_not_ready_addresses: bool,
    pub health_check_node_port: Option<F<i64>>,
    pub lb_ingress: Vec<LbIngress>,
}

impl Service {
    pub fn type_name(&self) -> &str {
        self.type_.as_ref().map_or("ClusterIP", |t| t.value.as_str())
    }
    pub fn is_headless(&self) -> bool {
        self.cluster_ip.as_ref().is_some_and(|c| c.value == "None")
    }
    pub fn is_external_name(&self) -> bool {
        self.type_name() == "ExternalName"
    }
    pub fn etp_local(&self) -> bool {
        self.external_traffic_policy.as_ref().is_some_and(|p| p.value == "Local")
    }
    pub fn itp_local(&self) -> bool {
        self.internal_traffic_policy.as_ref().is_some_and(|p| p.value == "Local")
    }
    pub fn client_ip_affinity(&self) -> bool {
        self.session_affinity.as_ref().is_some_and(|s| s.value == "ClientIP")
    }
}

/// Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Workload {
    pub replicas: Option<F<i64>>,
    pub selector: Option<LabelSelector>,
    pub template: PodTemplate,
    pub service_name: Option<F<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Pod {
    pub spec: PodSpec,
    pub status: PodStatus,
    pub deletion_timestamp: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SlicePort {
    pub name: Option<String>,
    pub name_span: Option<Span>,
    pub port: Option<i64>,
    pub protocol: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SliceEndpoint {
    pub addresses: Vec<String>,
    pub ready: Option<bool>,
    pub serving: Option<bool>,
    pub terminating: Option<bool>,
    pub node_name: Option<String>,
    pub zone: Option<String>,
    pub hostname: Option<String>,
    pub zone_hints: Vec<String>,
    pub node_hints: Vec<String>,
    pub target_pod: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct EndpointSlice {
    pub address_type: String,
    pub ports: Vec<SlicePort>,
    pub endpoints: Vec<SliceEndpoint>,
}

/// The legacy `Endpoints` object, read as the EndpointSlice mirroring controller would.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Endpoints {
    pub subsets: Vec<EndpointSubset>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct EndpointSubset {
    pub ready: Vec<(String, Span, Option<String>)>,
    pub not_ready: Vec<(String, Span, Option<String>)>,
    pub ports: Vec<SlicePort>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NodeInfo {
    pub internal_ips: Vec<String>,
    pub pod_cidr: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyPort {
    pub port: Option<F<IntOrString>>,
    pub protocol: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyPeer {
    pub pod_selector: Option<LabelSelector>,
    pub namespace_selector: Option<LabelSelector>,
    pub ip_block: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyRule {
    pub ports: Vec<PolicyPort>,
    pub peers: Vec<PolicyPeer>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NetworkPolicy {
    pub pod_selector: LabelSelector,
    pub ingress: Vec<PolicyRule>,
    pub egress: Vec<PolicyRule>,
    pub policy_types: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IngressBackend {
    pub service: F<String>,
    pub port: Option<F<IntOrString>>,
    pub host: Option<String>,
    pub path: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Ingress {
    pub backends: Vec<IngressBackend>,
}

/// The settings of a `KubeProxyConfiguration` that change generated rules.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct KubeProxyConfig {
    pub cluster_cidr: Option<F<String>>,
    pub mode: Option<String>,
    pub masquerade_all: Option<bool>,
    pub masquerade_bit: Option<F<i64>>,
    pub localhost_nodeports: Option<bool>,
    pub nodeport_addresses: Vec<F<String>>,
    pub detect_local_mode: Option<F<String>>,
    pub bridge_interface: Option<String>,
    pub interface_name_prefix: Option<String>,
    pub hostname_override: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind_data")]
#[allow(clippy::large_enum_variant)] // one per object; boxing would only add indirection
pub enum Body {
    Service(Service),
    Workload(Workload),
    Pod(Pod),
    EndpointSlice(EndpointSlice),
    Endpoints(Endpoints),
    Node(NodeInfo),
    NetworkPolicy(NetworkPolicy),
    Ingress(Ingress),
    KubeProxyConfiguration(KubeProxyConfig),
    Namespace,
    /// A kind svcflow does not model; it is listed and otherwise left alone.
    Other,
}

/// One object of the input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Object {
    pub kind: String,
    pub api_version: String,
    pub name: String,
    /// Effective namespace (the default one when `metadata.namespace` is absent).
    pub namespace: String,
    pub namespace_explicit: bool,
    /// The whole object (its mapping node).
    pub span: Span,
    pub kind_span: Option<Span>,
    pub name_span: Option<Span>,
    pub metadata_key: Option<Span>,
    /// `metadata.ownerReferences` as (kind, name): a `kubectl get -o yaml` dump links Pods to
    /// their ReplicaSet and ReplicaSets to their Deployment.
    pub owners: Vec<(String, String)>,
    pub labels: Labels,
    pub annotations: Labels,
    pub body: Body,
    /// The object's YAML, shared with the parse that produced it (the browser's document cache
    /// keeps it for the next edit: see `yaml::DocumentCache`).
    #[serde(skip)]
    pub node: Rc<Node>,
}

impl Object {
    /// `Kind/namespace/name`, as the catalogue writes object references.
    pub fn reference(&self) -> String {
        format!("{}/{}/{}", self.kind, self.namespace, self.name)
    }
    pub fn service(&self) -> Option<&Service> {
        match &self.body {
            Body::Service(s) => Some(s),
            _ => None,
        }
    }
    pub fn workload(&self) -> Option<&Workload> {
        match &self.body {
            Body::Workload(w) => Some(w),
            _ => None,
        }
    }
    /// The line to anchor "this object" findings on: the name, else the kind, else the object.
    pub fn anchor(&self) -> Span {
        self.name_span.or(self.kind_span).unwrap_or(self.span)
    }
    /// Kinds whose pods Services select: workloads with a pod template, and bare Pods.
    pub fn is_pod_source(&self) -> bool {
        matches!(self.body, Body::Workload(_) | Body::Pod(_))
    }
}

pub const WORKLOAD_KINDS: [&str; 6] = ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"];

/// Reads objects out of YAML nodes, collecting `invalid-object` findings.
pub struct Decoder<'a> {
    pub diagnostics: &'a mut Vec<Diagnostic>,
    pub default_namespace: &'a str,
    object: String,
}

impl<'a> Decoder<'a> {
    pub fn new(diagnostics: &'a mut Vec<Diagnostic>, default_namespace: &'a str) -> Self {
        Decoder { diagnostics, default_namespace, object: String::new() }
    }

    fn invalid(&mut self, span: Span, message: String) {
        let d = Diagnostic::new(rule_ids::INVALID_OBJECT, Severity::Error, message, span)
            .with_help(
                "The API server decodes manifests into typed objects; a field of the wrong type or shape makes \
                 `kubectl apply` fail for the whole object. Fix the field's type (quote numbers that must be \
                 strings; write numbers without quotes where a number is expected).",
            )
            .with_object(self.object.clone());
        self.diagnostics.push(d);
    }

    /// Decode one object from the root node of a document or a `List` item. `None` when the node
    /// is not an object at all (then a diagnostic was recorded).
    pub fn object(&mut self, node: Rc<Node>) -> Option<Object> {
        let mut object = self.decode(&node)?;
        object.node = node;
        Some(object)
    }

    fn decode(&mut self, node: &Node) -> Option<Object> {
        let Some(_) = node.as_map() else {
            self.object.clear();
            if !node.is_null() {
                self.invalid(
                    node.span,
                    format!(
                        "a Kubernetes object must be a mapping with `kind` and `metadata`, found {}",
                        node.type_name()
                    ),
                );
            }
            return None;
        };
        let kind_entry = node.entry("kind");
        let kind = kind_entry.and_then(|e| e.value.str_value()).unwrap_or("").to_string();
        let api_version = node.get("apiVersion").and_then(|n| n.str_value()).unwrap_or("").to_string();
        let metadata = node.entry("metadata");
        let name_entry = metadata.and_then(|m| m.value.entry("name"));
        let name = name_entry
            .and_then(|e| {
                e.value.str_value().map(str::to_string).or_else(|| e.value.as_scalar().map(|s| s.text.to_string()))
            })
            .unwrap_or_default();
        let ns_entry = metadata.and_then(|m| m.value.entry("namespace"));
        let ns = ns_entry.and_then(|e| e.value.str_value()).filter(|s| !s.is_empty());
        let namespace = ns.unwrap_or(self.default_namespace).to_string();
        self.object = format!("{kind}/{namespace}/{name}");

        if kind.is_empty() {
            let span = kind_entry.map_or(node.span, |e| e.value.span);
            self.invalid(span, "the object has no `kind` string, so no API type can decode it".into());
        }
        if let Some(e) = name_entry {
            if e.value.str_value().is_none() {
                self.invalid(e.value.span, format!("`metadata.name` must be a string, found {}", e.value.type_name()));
            }
        }
        let (labels, annotations) = match metadata {
            Some(m) if m.value.as_map().is_some() => {
                (self.labels(m.value.entry("labels")), self.labels(m.value.entry("annotations")))
            }
            Some(m) if !m.value.is_null() => {
                self.invalid(m.value.span, format!("`metadata` must be an object, found {}", m.value.type_name()));
                (Labels::default(), Labels::default())
            }
            _ => (Labels::default(), Labels::default()),
        };
        let deletion = metadata.and_then(|m| m.value.get("deletionTimestamp")).is_some_and(|n| !n.is_null());
        let body = match kind.as_str() {
            "Service" => Body::Service(self.service(node)),
            k if WORKLOAD_KINDS.contains(&k) => Body::Workload(self.workload(node, k)),
            "Pod" => Body::Pod(self.pod(node, deletion)),
            "EndpointSlice" => Body::EndpointSlice(self.endpoint_slice(node)),
            "Endpoints" => Body::Endpoints(self.endpoints(node)),
            "Node" => Body::Node(self.node_info(node)),
            "NetworkPolicy" => Body::NetworkPolicy(self.network_policy(node)),
            "Ingress" => Body::Ingress(self.ingress(node)),
            "KubeProxyConfiguration" => Body::KubeProxyConfiguration(self.kube_proxy_config(node)),
            "Namespace" => Body::Namespace,
            _ => Body::Other,
        };
        Some(Object {
            kind,
            api_version,
            name,
            namespace,
            namespace_explicit: ns.is_some(),
            span: node.span,
            kind_span: kind_entry.map(|e| e.value.span),
            name_span: name_entry.map(|e| e.value.span),
            metadata_key: metadata.map(|e| e.key.span),
            owners: metadata
                .and_then(|m| m.value.get("ownerReferences"))
                .and_then(|o| o.as_seq())
                .unwrap_or(&[])
                .iter()
                .filter_map(|r| {
                    Some((r.get("kind")?.str_value()?.to_string(), r.get("name")?.str_value()?.to_string()))
                })
                .collect(),
            labels,
            annotations,
            body,
            node: Rc::new(Node { span: node.span, value: Value::Seq(Vec::new()) }),
        })
    }

    // ---- generic field readers -------------------------------------------------------------

    /// A mapping field (`None` when absent or null; wrong type → diagnostic).
    fn map<'n>(&mut self, parent: &'n Node, key: &str, path: impl Display) -> Option<&'n Entry> {
        let e = parent.entry(key)?;
        match &e.value.value {
            Value::Map(_) => Some(e),
            _ if e.value.is_null() => None,
            _ => {
                self.invalid(e.value.span, format!("`{path}` must be an object, found {}", e.value.type_name()));
                None
            }
        }
    }

    fn seq<'n>(&mut self, parent: &'n Node, key: &str, path: impl Display) -> (&'n [Node], Option<Span>) {
        let Some(e) = parent.entry(key) else { return (&[], None) };
        match &e.value.value {
            Value::Seq(items) => (items, Some(e.key.span)),
            _ if e.value.is_null() => (&[], Some(e.key.span)),
            _ => {
                self.invalid(e.value.span, format!("`{path}` must be a list, found {}", e.value.type_name()));
                (&[], Some(e.key.span))
            }
        }
    }

    fn string(&mut self, parent: &Node, key: &str, path: &str) -> Option<F<String>> {
        let e = parent.entry(key)?;
        match e.value.typed() {
            Some(Typed::Str(s)) => Some(F { value: s.to_string(), key: e.key.span, span: e.value.span }),
            Some(Typed::Null) => None,
            _ => {
                self.invalid(e.value.span, format!("`{path}` must be a string, found {}", e.value.type_name()));
                None
            }
        }
    }

    fn string_item(&mut self, node: &Node, path: &str) -> Option<F<String>> {
        match node.typed() {
            Some(Typed::Str(s)) => Some(F { value: s.to_string(), key: node.span, span: node.span }),
            _ => {
                self.invalid(node.span, format!("items of `{path}` must be strings, found {}", node.type_name()));
                None
            }
        }
    }

    fn string_list(&mut self, parent: &Node, key: &str, path: &str) -> (Vec<F<String>>, Option<Span>) {
        let (items, key_span) = self.seq(parent, key, path);
        (items.iter().filter_map(|n| self.string_item(n, path)).collect(), key_span)
    }

    fn int(&mut self, parent: &Node, key: &str, path: &str) -> Option<F<i64>> {
        let e = parent.entry(key)?;
        let v = match e.value.typed() {
            Some(Typed::Int(v)) => v,
            // JSON has one number type: an integral float like 80.0 decodes into an int32 field.
            Some(Typed::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => f as i64,
            Some(Typed::Null) => return None,
            Some(Typed::BigInt) => {
                self.invalid(e.value.span, format!("`{path}` is too large for an integer field"));
                return None;
            }
            Some(Typed::Float(_)) => {
                self.invalid(e.value.span, format!("`{path}` must be a whole number, found a fraction"));
                return None;
            }
            _ => {
                self.invalid(e.value.span, format!("`{path}` must be a number, found {}", e.value.type_name()));
                return None;
            }
        };
        Some(F { value: v, key: e.key.span, span: e.value.span })
    }

    fn boolean(&mut self, parent: &Node, key: &str, path: &str) -> Option<bool> {
        let e = parent.entry(key)?;
        match e.value.typed() {
            Some(Typed::Bool(b)) => Some(b),
            Some(Typed::Null) => None,
            _ => {
                self.invalid(e.value.span, format!("`{path}` must be a boolean, found {}", e.value.type_name()));
                None
            }
        }
    }

    fn int_or_string(&mut self, parent: &Node, key: &str, path: impl Display) -> Option<F<IntOrString>> {
        let e = parent.entry(key)?;
        let v = match e.value.typed() {
            Some(Typed::Int(v)) => IntOrString::Int(v),
            Some(Typed::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => IntOrString::Int(f as i64),
            Some(Typed::Str(s)) => IntOrString::Str(s.to_string()),
            Some(Typed::Null) => return None,
            _ => {
                self.invalid(
                    e.value.span,
                    format!("`{path}` must be a port number or a port name, found {}", e.value.type_name()),
                );
                return None;
            }
        };
        Some(F { value: v, key: e.key.span, span: e.value.span })
    }

    /// A label/annotation map, read leniently: non-string values keep their text.
    fn labels(&mut self, entry: Option<&Entry>) -> Labels {
        let Some(e) = entry else { return Labels::default() };
        let mut labels = Labels { entries: Vec::new(), key: e.key.span, span: e.value.span };
        match &e.value.value {
            Value::Map(entries) => {
                labels.entries.reserve_exact(entries.len());
                for item in entries {
                    let Some(k) = item.key.as_scalar() else {
                        self.invalid(item.key.span, "label keys must be strings".into());
                        continue;
                    };
                    let (value, kind) = match &item.value.value {
                        Value::Scalar(s) => match s.typed() {
                            Typed::Str(v) => (v.to_string(), ScalarKind::String),
                            Typed::Null => (String::new(), ScalarKind::Null),
                            Typed::Bool(_) => (s.text.to_string(), ScalarKind::Bool),
                            _ => (s.text.to_string(), ScalarKind::Number),
                        },
                        _ => {
                            self.invalid(
                                item.value.span,
                                format!("label values must be strings, found {}", item.value.type_name()),
                            );
                            continue;
                        }
                    };
                    labels.entries.push(LabelEntry {
                        key: k.text.to_string(),
                        value,
                        key_span: item.key.span,
                        value_span: item.value.span,
                        value_kind: kind,
                    });
                }
            }
            _ if e.value.is_null() => {}
            _ => self.invalid(e.value.span, format!("a label map must be an object, found {}", e.value.type_name())),
        }
        labels
    }

    fn label_selector(&mut self, entry: Option<&Entry>, path: &str) -> Option<LabelSelector> {
        let e = entry?;
        if e.value.is_null() {
            return None;
        }
        if e.value.as_map().is_none() {
            self.invalid(e.value.span, format!("`{path}` must be an object, found {}", e.value.type_name()));
            return None;
        }
        let match_labels = self.labels(e.value.entry("matchLabels"));
        let (items, _) = self.seq(&e.value, "matchExpressions", format_args!("{path}.matchExpressions"));
        let mut match_expressions = Vec::with_capacity(items.len());
        for item in items {
            let key = self.string(item, "key", "matchExpressions[].key").map(|f| f.value).unwrap_or_default();
            let operator =
                self.string(item, "operator", "matchExpressions[].operator").map(|f| f.value).unwrap_or_default();
            let (values, _) = self.string_list(item, "values", "matchExpressions[].values");
            match_expressions.push(Requirement {
                key,
                operator,
                values: values.into_iter().map(|v| v.value).collect(),
                span: item.span,
            });
        }
        Some(LabelSelector { match_labels, match_expressions, span: e.value.span, key: e.key.span })
    }

    // ---- kinds -----------------------------------------------------------------------------

    fn service(&mut self, node: &Node) -> Service {
        let Some(spec) = self.map(node, "spec", "spec") else {
            return Service { spec_key: node.entry("spec").map_or(node.span, |e| e.key.span), ..Default::default() };
        };
        let s = &spec.value;
        let mut svc = Service {
            spec_key: spec.key.span,
            type_: self.string(s, "type", "spec.type"),
            cluster_ip: self.string(s, "clusterIP", "spec.clusterIP"),
            ..Default::default()
        };
        svc.cluster_ips = self.string_list(s, "clusterIPs", "spec.clusterIPs").0;
        svc.ip_families = self.string_list(s, "ipFamilies", "spec.ipFamilies").0.into_iter().map(|f| f.value).collect();
        if let Some(e) = s.entry("selector") {
            if e.value.as_map().is_some() || e.value.is_null() {
                let l = self.labels(Some(e));
                svc.selector = Some(l);
            } else {
                self.invalid(e.value.span, format!("`spec.selector` must be an object, found {}", e.value.type_name()));
            }
        }
        let (ports, ports_key) = self.seq(s, "ports", "spec.ports");
        svc.ports_key = ports_key.unwrap_or(spec.key.span);
        for p in ports {
            if p.as_map().is_none() {
                self.invalid(p.span, format!("items of `spec.ports` must be objects, found {}", p.type_name()));
                continue;
            }
            svc.ports.push(ServicePort {
                span: p.span,
                name: self.string(p, "name", "spec.ports[].name"),
                protocol: self.string(p, "protocol", "spec.ports[].protocol"),
                port: self.int(p, "port", "spec.ports[].port"),
                target_port: self.int_or_string(p, "targetPort", "spec.ports[].targetPort"),
                node_port: self.int(p, "nodePort", "spec.ports[].nodePort"),
                app_protocol: self.string(p, "appProtocol", "spec.ports[].appProtocol").map(|f| f.value),
            });
        }
        (svc.external_ips, svc.external_ips_key) = self.string_list(s, "externalIPs", "spec.externalIPs");
        svc.external_name = self.string(s, "externalName", "spec.externalName");
        svc.external_traffic_policy = self.string(s, "externalTrafficPolicy", "spec.externalTrafficPolicy");
        svc.internal_traffic_policy = self.string(s, "internalTrafficPolicy", "spec.internalTrafficPolicy");
        (svc.lb_source_ranges, svc.lb_source_ranges_key) =
            self.string_list(s, "loadBalancerSourceRanges", "spec.loadBalancerSourceRanges");
        svc.session_affinity = self.string(s, "sessionAffinity", "spec.sessionAffinity");
        if let Some(cfg) = self.map(s, "sessionAffinityConfig", "spec.sessionAffinityConfig") {
            svc.session_affinity_config_key = Some(cfg.key.span);
            if let Some(cip) = self.map(&cfg.value, "clientIP", "spec.sessionAffinityConfig.clientIP") {
                svc.session_affinity_timeout =
                    self.int(&cip.value, "timeoutSeconds", "spec.sessionAffinityConfig.clientIP.timeoutSeconds");
            }
        } else if let Some(e) = s.entry("sessionAffinityConfig") {
            svc.session_affinity_config_key = Some(e.key.span);
        }
        svc.publish_not_ready_addresses =
            self.boolean(s, "publishNotReadyAddresses", "spec.publishNotReadyAddresses").unwrap_or(false);
        svc.health_check_node_port = self.int(s, "healthCheckNodePort", "spec.healthCheckNodePort");
        if let Some(status) = self.map(node, "status", "status") {
            if let Some(lb) = self.map(&status.value, "loadBalancer", "status.loadBalancer") {
                let (items, _) = self.seq(&lb.value, "ingress", "status.loadBalancer.ingress");
                for i in items {
                    svc.lb_ingress.push(LbIngress {
                        ip: self.string(i, "ip", "status.loadBalancer.ingress[].ip").map(|f| f.value),
                        hostname: self.string(i, "hostname", "status.loadBalancer.ingress[].hostname").map(|f| f.value),
                        ip_mode: self.string(i, "ipMode", "status.loadBalancer.ingress[].ipMode").map(|f| f.value),
                        span: i.span,
                    });
                }
            }
        }
        svc
    }

    fn pod_template(&mut self, template: Option<&Entry>) -> PodTemplate {
        let Some(t) = template else { return PodTemplate::default() };
        let labels = match self.map(&t.value, "metadata", "spec.template.metadata") {
            Some(m) => self.labels(m.value.entry("labels")),
            None => Labels::default(),
        };
        let spec = match self.map(&t.value, "spec", "spec.template.spec") {
            Some(s) => self.pod_spec(&s.value),
            None => PodSpec::default(),
        };
        PodTemplate { labels, spec, span: t.value.span }
    }

    fn pod_spec(&mut self, s: &Node) -> PodSpec {
        let mut spec = PodSpec {
            containers_key: s.entry("containers").map_or(s.span, |e| e.key.span),
            hostname: self.string(s, "hostname", "spec.hostname"),
            subdomain: self.string(s, "subdomain", "spec.subdomain"),
            node_name: self.string(s, "nodeName", "spec.nodeName").map(|f| f.value),
            ..Default::default()
        };
        for (key, init) in [("containers", false), ("initContainers", true)] {
            let (items, _) = self.seq(s, key, format_args!("spec.{key}"));
            for c in items {
                if c.as_map().is_none() {
                    self.invalid(c.span, format!("items of `{key}` must be objects, found {}", c.type_name()));
                    continue;
                }
                let container = self.container(c, init);
                spec.containers.push(container);
            }
        }
        spec
    }

    fn container(&mut self, c: &Node, init: bool) -> Container {
        let name = self.string(c, "name", "containers[].name");
        let sidecar = init
            && self.string(c, "restartPolicy", "initContainers[].restartPolicy").is_some_and(|r| r.value == "Always");
        let mut container = Container {
            name: name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
            name_span: name.as_ref().map_or(c.span, |n| n.span),
            span: c.span,
            ports: Vec::new(),
            probes: Vec::new(),
            env: Vec::new(),
            command: self.string_list(c, "command", "containers[].command").0,
            args: self.string_list(c, "args", "containers[].args").0,
            sidecar,
            init,
        };
        let (ports, _) = self.seq(c, "ports", "containers[].ports");
        container.ports.reserve_exact(ports.len());
        for p in ports {
            if p.as_map().is_none() {
                self.invalid(p.span, format!("items of `ports` must be objects, found {}", p.type_name()));
                continue;
            }
            container.ports.push(ContainerPort {
                name: self.string(p, "name", "containers[].ports[].name"),
                container_port: self.int(p, "containerPort", "containers[].ports[].containerPort"),
                protocol: self
                    .string(p, "protocol", "containers[].ports[].protocol")
                    .map_or_else(|| "TCP".to_string(), |f| f.value),
                span: p.span,
            });
        }
        for kind in ["readinessProbe", "livenessProbe", "startupProbe"] {
            if let Some(e) = self.map(c, kind, format_args!("containers[].{kind}")) {
                let mut port = None;
                for handler in ["httpGet", "tcpSocket", "grpc"] {
                    if let Some(h) = self.map(&e.value, handler, format_args!("{kind}.{handler}")) {
                        port = self.int_or_string(&h.value, "port", format_args!("{kind}.{handler}.port"));
                    }
                }
                container.probes.push(Probe { kind: kind.to_string(), key: e.key.span, port });
            }
        }
        let (env, _) = self.seq(c, "env", "containers[].env");
        for e in env {
            if e.as_map().is_none() {
                self.invalid(e.span, format!("items of `env` must be objects, found {}", e.type_name()));
                continue;
            }
            let name = self.string(e, "name", "env[].name").map(|f| f.value).unwrap_or_default();
            let value = self.string(e, "value", "env[].value");
            container.env.push(EnvVar { name, value, span: e.span });
        }
        container
    }

    fn workload(&mut self, node: &Node, kind: &str) -> Workload {
        let Some(spec) = self.map(node, "spec", "spec") else { return Workload::default() };
        let mut s = &spec.value;
        let job_spec;
        if kind == "CronJob" {
            let Some(jt) = self.map(s, "jobTemplate", "spec.jobTemplate") else { return Workload::default() };
            let Some(js) = self.map(&jt.value, "spec", "spec.jobTemplate.spec") else { return Workload::default() };
            job_spec = js;
            s = &job_spec.value;
        }
        let replicas = match kind {
            "Job" | "CronJob" => self.int(s, "parallelism", "spec.parallelism"),
            _ => self.int(s, "replicas", "spec.replicas"),
        };
        let selector = self.label_selector(s.entry("selector"), "spec.selector");
        let template_entry = self.map(s, "template", "spec.template");
        let template = self.pod_template(template_entry);
        let service_name = if kind == "StatefulSet" { self.string(s, "serviceName", "spec.serviceName") } else { None };
        Workload { replicas, selector, template, service_name }
    }

    fn pod(&mut self, node: &Node, deletion_timestamp: bool) -> Pod {
        let spec = match self.map(node, "spec", "spec") {
            Some(s) => self.pod_spec(&s.value),
            None => PodSpec::default(),
        };
        let mut status = PodStatus::default();
        if let Some(st) = self.map(node, "status", "status") {
            status.present = true;
            status.phase = self.string(&st.value, "phase", "status.phase").map(|f| f.value);
            status.pod_ip = self.string(&st.value, "podIP", "status.podIP");
            let (conds, _) = self.seq(&st.value, "conditions", "status.conditions");
            for c in conds {
                if c.get("type").and_then(|t| t.str_value()) == Some("Ready") {
                    let v = c.get("status").and_then(|v| {
                        v.str_value().map(str::to_string).or_else(|| match v.typed() {
                            Some(Typed::Bool(b)) => Some(if b { "True".into() } else { "False".into() }),
                            _ => None,
                        })
                    });
                    status.ready = v.map(|v| v == "True");
                    status.ready_span = Some(c.span);
                }
            }
        }
        Pod { spec, status, deletion_timestamp }
    }

    fn endpoint_slice(&mut self, node: &Node) -> EndpointSlice {
        let mut slice = EndpointSlice {
            address_type: self.string(node, "addressType", "addressType").map_or_else(|| "IPv4".into(), |f| f.value),
            ..Default::default()
        };
        let (ports, _) = self.seq(node, "ports", "ports");
        for p in ports {
            slice.ports.push(self.slice_port(p));
        }
        let (eps, _) = self.seq(node, "endpoints", "endpoints");
        for e in eps {
            let (addresses, _) = self.string_list(e, "addresses", "endpoints[].addresses");
            let mut ep = SliceEndpoint {
                addresses: addresses.into_iter().map(|a| a.value).collect(),
                ready: None,
                serving: None,
                terminating: None,
                node_name: self.string(e, "nodeName", "endpoints[].nodeName").map(|f| f.value),
                zone: self.string(e, "zone", "endpoints[].zone").map(|f| f.value),
                hostname: self.string(e, "hostname", "endpoints[].hostname").map(|f| f.value),
                zone_hints: Vec::new(),
                node_hints: Vec::new(),
                target_pod: e
                    .get("targetRef")
                    .filter(|t| t.get("kind").and_then(|k| k.str_value()) == Some("Pod"))
                    .and_then(|t| t.get("name"))
                    .and_then(|n| n.str_value())
                    .map(str::to_string),
                span: e.span,
            };
            if let Some(c) = self.map(e, "conditions", "endpoints[].conditions") {
                ep.ready = self.boolean(&c.value, "ready", "conditions.ready");
                ep.serving = self.boolean(&c.value, "serving", "conditions.serving");
                ep.terminating = self.boolean(&c.value, "terminating", "conditions.terminating");
            }
            if let Some(h) = self.map(e, "hints", "endpoints[].hints") {
                for (key, out) in [("forZones", &mut ep.zone_hints), ("forNodes", &mut ep.node_hints)] {
                    let items = h.value.get(key).and_then(|n| n.as_seq()).unwrap_or(&[]);
                    out.extend(items.iter().filter_map(|z| z.get("name")?.str_value().map(str::to_string)));
                }
            }
            slice.endpoints.push(ep);
        }
        slice
    }

    fn slice_port(&mut self, p: &Node) -> SlicePort {
        let name_entry = p.entry("name");
        SlicePort {
            name: name_entry.and_then(
                |e| {
                    if e.value.is_null() {
                        None
                    } else {
                        e.value.str_value().map(str::to_string)
                    }
                },
            ),
            name_span: name_entry.map(|e| e.key.span),
            port: self.int(p, "port", "ports[].port").map(|f| f.value),
            protocol: self.string(p, "protocol", "ports[].protocol").map(|f| f.value),
            span: p.span,
        }
    }

    fn endpoints(&mut self, node: &Node) -> Endpoints {
        let mut out = Endpoints::default();
        let (subsets, _) = self.seq(node, "subsets", "subsets");
        for s in subsets {
            let mut subset = EndpointSubset::default();
            for (key, ready) in [("addresses", true), ("notReadyAddresses", false)] {
                let (items, _) = self.seq(s, key, format_args!("subsets[].{key}"));
                for a in items {
                    if let Some(ip) = self.string(a, "ip", "addresses[].ip") {
                        let node_name = self.string(a, "nodeName", "addresses[].nodeName").map(|f| f.value);
                        let list = if ready { &mut subset.ready } else { &mut subset.not_ready };
                        list.push((ip.value, a.span, node_name));
                    }
                }
            }
            let (ports, _) = self.seq(s, "ports", "subsets[].ports");
            for p in ports {
                let mut port = self.slice_port(p);
                // Endpoints ports are mirrored with an empty name when unnamed.
                port.name.get_or_insert_with(String::new);
                subset.ports.push(port);
            }
            out.subsets.push(subset);
        }
        out
    }

    fn node_info(&mut self, node: &Node) -> NodeInfo {
        let mut info = NodeInfo::default();
        if let Some(spec) = self.map(node, "spec", "spec") {
            info.pod_cidr = self.string(&spec.value, "podCIDR", "spec.podCIDR").map(|f| f.value);
        }
        if let Some(status) = self.map(node, "status", "status") {
            let (addrs, _) = self.seq(&status.value, "addresses", "status.addresses");
            for a in addrs {
                if a.get("type").and_then(|t| t.str_value()) == Some("InternalIP") {
                    if let Some(ip) = a.get("address").and_then(|v| v.str_value()) {
                        info.internal_ips.push(ip.to_string());
                    }
                }
            }
        }
        info
    }

    fn network_policy(&mut self, node: &Node) -> NetworkPolicy {
        let Some(spec) = self.map(node, "spec", "spec") else { return NetworkPolicy::default() };
        let s = &spec.value;
        let mut np = NetworkPolicy {
            pod_selector: self.label_selector(s.entry("podSelector"), "spec.podSelector").unwrap_or_default(),
            policy_types: self
                .string_list(s, "policyTypes", "spec.policyTypes")
                .0
                .into_iter()
                .map(|f| f.value)
                .collect(),
            ..Default::default()
        };
        for (key, peer_key) in [("ingress", "from"), ("egress", "to")] {
            let (rules, _) = self.seq(s, key, format_args!("spec.{key}"));
            let mut out = Vec::with_capacity(rules.len());
            for r in rules {
                let (ports, _) = self.seq(r, "ports", format_args!("spec.{key}[].ports"));
                let mut rule = PolicyRule { ports: Vec::with_capacity(ports.len()), peers: Vec::new(), span: r.span };
                for p in ports {
                    rule.ports.push(PolicyPort {
                        port: self.int_or_string(p, "port", "ports[].port"),
                        protocol: self
                            .string(p, "protocol", "ports[].protocol")
                            .map_or_else(|| "TCP".into(), |f| f.value),
                        span: p.span,
                    });
                }
                // after the ports: findings keep the document's order
                let (peers, _) = self.seq(r, peer_key, format_args!("spec.{key}[].{peer_key}"));
                rule.peers.reserve_exact(peers.len());
                for p in peers {
                    rule.peers.push(PolicyPeer {
                        pod_selector: self.label_selector(p.entry("podSelector"), "podSelector"),
                        namespace_selector: self.label_selector(p.entry("namespaceSelector"), "namespaceSelector"),
                        ip_block: p
                            .get("ipBlock")
                            .and_then(|b| b.get("cidr"))
                            .and_then(|c| c.str_value())
                            .map(str::to_string),
                    });
                }
                out.push(rule);
            }
            if key == "ingress" {
                np.ingress = out;
            } else {
                np.egress = out;
            }
        }
        np
    }

    fn ingress(&mut self, node: &Node) -> Ingress {
        let mut ing = Ingress::default();
        let Some(spec) = self.map(node, "spec", "spec") else { return ing };
        let backend = |d: &mut Self, b: &Node, host: Option<String>, path: Option<String>| -> Option<IngressBackend> {
            let svc = d.map(b, "service", "backend.service")?;
            let name = d.string(&svc.value, "name", "backend.service.name")?;
            let port = svc.value.get("port").and_then(|p| {
                if p.get("number").is_some() {
                    d.int(p, "number", "backend.service.port.number").map(|f| f.map(IntOrString::Int))
                } else {
                    d.string(p, "name", "backend.service.port.name").map(|f| f.map(IntOrString::Str))
                }
            });
            Some(IngressBackend { service: name, port, host, path })
        };
        if let Some(b) = self.map(&spec.value, "defaultBackend", "spec.defaultBackend") {
            if let Some(b) = backend(self, &b.value, None, None) {
                ing.backends.push(b);
            }
        }
        let (rules, _) = self.seq(&spec.value, "rules", "spec.rules");
        for r in rules {
            let host = r.get("host").and_then(|h| h.str_value()).map(str::to_string);
            let paths = r.get("http").and_then(|h| h.get("paths")).and_then(|p| p.as_seq()).unwrap_or(&[]);
            for p in paths {
                let path = p.get("path").and_then(|x| x.str_value()).map(str::to_string);
                if let Some(b) = self.map(p, "backend", "paths[].backend") {
                    if let Some(b) = backend(self, &b.value, host.clone(), path) {
                        ing.backends.push(b);
                    }
                }
            }
        }
        ing
    }

    fn kube_proxy_config(&mut self, node: &Node) -> KubeProxyConfig {
        let mut c = KubeProxyConfig {
            cluster_cidr: self.string(node, "clusterCIDR", "clusterCIDR"),
            mode: self.string(node, "mode", "mode").map(|f| f.value),
            masquerade_all: None,
            detect_local_mode: self.string(node, "detectLocalMode", "detectLocalMode"),
            hostname_override: self.string(node, "hostnameOverride", "hostnameOverride").map(|f| f.value),
            ..Default::default()
        };
        c.nodeport_addresses = self.string_list(node, "nodePortAddresses", "nodePortAddresses").0;
        if let Some(ipt) = self.map(node, "iptables", "iptables") {
            c.masquerade_all = self.boolean(&ipt.value, "masqueradeAll", "iptables.masqueradeAll");
            c.masquerade_bit = self.int(&ipt.value, "masqueradeBit", "iptables.masqueradeBit");
            c.localhost_nodeports = self.boolean(&ipt.value, "localhostNodePorts", "iptables.localhostNodePorts");
        }
        if let Some(v) = self.boolean(node, "masqueradeAll", "masqueradeAll") {
            c.masquerade_all = Some(v);
        }
        if let Some(dl) = self.map(node, "detectLocal", "detectLocal") {
            c.bridge_interface =
                self.string(&dl.value, "bridgeInterface", "detectLocal.bridgeInterface").map(|f| f.value);
            c.interface_name_prefix =
                self.string(&dl.value, "interfaceNamePrefix", "detectLocal.interfaceNamePrefix").map(|f| f.value);
        }
        c
    }
}
