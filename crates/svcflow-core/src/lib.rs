//! svcflow's engine: read Kubernetes manifests with a span on every value, and resolve them the
//! way a cluster would (selectors, endpoints, ports, DNS, the kube-proxy chains).
//!
//! Pure Rust with no I/O and no web dependency: the CLI, the browser app and the JS package
//! all call [`load`] and [`analyze`].

/// `format!`, with the string allocated once at its exact length
/// ([`svcflow_source::format_exact`]): it shadows std's in every module of this crate. The text
/// is the same; a large input formats millions of short names and labels, and std's `format!`
/// reallocates most of them three or four times while writing.
macro_rules! format {
    ($($arg:tt)*) => {
        svcflow_source::format_exact(format_args!($($arg)*))
    };
}

pub mod diag;
pub mod dns;
pub mod flow;
pub mod kube_proxy;
pub mod load;
pub mod model;
pub mod objects;
pub mod report;
pub mod yaml;

pub use diag::{Diagnostic, Severity};
pub use load::{load, Inventory};
pub use objects::Object;
pub use svcflow_source::{LineCol, SourceFile, SourceId, Sources, Span};

/// Settings of one analysis (the defaults are those of a stock cluster).
#[derive(Clone, Debug)]
pub struct Options {
    /// Namespace of objects without `metadata.namespace` (like `kubectl -n`).
    pub default_namespace: String,
    pub cluster_domain: String,
    pub budget: yaml::Budget,
    pub cluster: model::ClusterSettings,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            default_namespace: "default".into(),
            cluster_domain: "cluster.local".into(),
            budget: yaml::Budget::default(),
            cluster: model::ClusterSettings::default(),
        }
    }
}

/// One line of an object listing (`svcflow objects`, the browser's object list).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ObjectSummary {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub source: SourceId,
    /// 1-based line where the object starts.
    pub line: u32,
}

/// The objects of the input with their start lines, in input order.
pub fn list_objects(sources: &Sources, options: &Options) -> (Vec<ObjectSummary>, Vec<Diagnostic>) {
    let inv = load(sources, options);
    let objects = inv
        .objects
        .iter()
        .map(|o| ObjectSummary {
            kind: o.kind.clone(),
            namespace: o.namespace.clone(),
            name: o.name.clone(),
            source: o.span.source,
            line: sources.line_col(o.span).line,
        })
        .collect();
    (objects, inv.diagnostics)
}

/// Everything the engine knows about one input: the model every face (CLI, linter, browser,
/// JS package) reads.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub objects: Vec<Object>,
    /// Findings of reading the input (`invalid-yaml`, `invalid-object`).
    pub diagnostics: Vec<Diagnostic>,
    /// Node names given in the input (`Node` objects); DaemonSets get one pod per node.
    pub nodes: Vec<String>,
    pub pods: Vec<model::PodModel>,
    pub services: Vec<model::ServiceModel>,
    pub dns: Vec<dns::DnsRecord>,
    pub cluster_domain: String,
}

/// Read and resolve the input like a cluster would.
pub fn analyze(sources: &Sources, options: &Options) -> Analysis {
    let inv = load(sources, options);
    analyze_inventory(inv, options)
}

/// [`analyze`], parsing only the YAML documents that changed since the last call with `cache`
/// (the browser app analyses on every edit); the result equals [`analyze`]'s.
pub fn analyze_cached(sources: &Sources, options: &Options, cache: &mut yaml::DocumentCache) -> Analysis {
    analyze_inventory(load::load_cached(sources, options, cache), options)
}

/// [`analyze`] for objects already loaded.
pub fn analyze_inventory(inv: Inventory, options: &Options) -> Analysis {
    let nodes: Vec<String> = inv.objects.iter().filter(|o| o.kind == "Node").map(|o| o.name.clone()).collect();
    let pods = model::expand_pods(&inv.objects, &nodes, &options.cluster);
    let services = model::resolve_services(&inv.objects, &pods, &options.cluster);
    let dns = dns::records(&services, &pods, &options.cluster_domain);
    Analysis {
        objects: inv.objects,
        diagnostics: inv.diagnostics,
        nodes,
        pods,
        services,
        dns,
        cluster_domain: options.cluster_domain.clone(),
    }
}

impl Analysis {
    /// Resolve a name typed in a pod of `from_namespace`.
    pub fn resolve_dns(&self, name: &str, from_namespace: &str) -> dns::Resolution {
        dns::resolve(&self.dns, name, from_namespace, &self.cluster_domain)
    }

    pub fn service_object(&self, s: &model::ServiceModel) -> &Object {
        &self.objects[s.object]
    }
}

/// kube-proxy's rules and the flow graph with its layout, for one analysis.
pub struct FlowView {
    /// kube-proxy's iptables output, or why it could not be generated (a bad IP in a manifest).
    pub iptables: Result<svcflow_proxy::IptablesOutput, svcflow_proxy::ProxyError>,
    pub graph: flow::FlowGraph,
    pub layout: flow::Layout,
}

/// The flow graph, its layout and kube-proxy's chain summary (see [`Analysis::diagram`]).
pub struct Diagram {
    /// kube-proxy's chains per service port, or why it refuses the input (a bad IP in a manifest).
    pub proxy: Result<svcflow_proxy::ProxySummary, svcflow_proxy::ProxyError>,
    pub graph: flow::FlowGraph,
    pub layout: flow::Layout,
}

impl Analysis {
    /// The flow graph with kube-proxy's chains (default node settings unless flags say otherwise).
    pub fn flow_view(&self, flags: &kube_proxy::ProxyFlags) -> FlowView {
        let iptables = kube_proxy::iptables(self, flags);
        let graph = flow::build(self, iptables.as_ref().ok().map(|o| o.services.as_slice()));
        let layout = flow::layout(&graph);
        FlowView { iptables, graph, layout }
    }

    /// [`Analysis::flow_view`] without kube-proxy's rule text: only the chain summary the
    /// diagram shows (what the browser recomputes on every edit; the rules come when asked).
    pub fn diagram(&self, flags: &kube_proxy::ProxyFlags) -> Diagram {
        let proxy = kube_proxy::summary(self, flags);
        let graph = flow::build(self, proxy.as_ref().ok().map(|o| o.services.as_slice()));
        let layout = flow::layout(&graph);
        Diagram { proxy, graph, layout }
    }
}
