//! svcflow's engine: read Kubernetes manifests with a span on every value, and resolve them the
//! way a cluster would (selectors, endpoints, ports, DNS, the kube-proxy chains).
//!
//! Pure Rust with no I/O and no web dependency: the CLI, the browser app and the JS package
//! all call [`load`] and [`analyze`].

pub mod diag;
pub mod load;
pub mod objects;
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
}

impl Default for Options {
    fn default() -> Self {
        Options { default_namespace: "default".into(), cluster_domain: "cluster.local".into(), budget: yaml::Budget::default() }
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
