//! Everything the rules share, computed once per run so that each rule stays short and the
//! whole lint is linear in the number of objects: the Services by namespace and name, the pod
//! sources (workload templates and bare Pods), which pods each Service selects, the client
//! host names found in containers (after `$(VAR)` expansion), and which objects the API server
//! rejects.

use crate::names::{self, HostRef};
use svcflow_core::objects::{
    Body, Container, ContainerPort, IntOrString, LabelSelector, Labels, Object, PodSpec, ScalarKind, Service,
    ServicePort, Workload,
};
use svcflow_core::yaml::{Entry, Node, Value};
use svcflow_core::{Options, Sources, Span};
use svcflow_source::hash::{HashMap, HashSet};

/// Something that makes pods: a workload's pod template or a bare Pod.
#[derive(Debug)]
pub struct PodSource<'a> {
    /// Index into [`LintContext::objects`].
    pub object: usize,
    pub labels: &'a Labels,
    pub spec: &'a PodSpec,
    /// `None` for a bare Pod.
    pub workload: Option<&'a Workload>,
    pub pod: Option<&'a svcflow_core::objects::Pod>,
}

impl<'a> PodSource<'a> {
    /// Container ports that count for Services: regular containers and native sidecars.
    pub fn ports(&self) -> impl Iterator<Item = (&'a Container, &'a ContainerPort)> + 'a {
        let spec: &'a PodSpec = self.spec;
        spec.ports()
    }
    pub fn declares_number(&self, number: i64) -> bool {
        self.ports().any(|(_, p)| p.container_port.as_ref().is_some_and(|c| c.value == number))
    }
    pub fn declares_any_port(&self) -> bool {
        self.ports().next().is_some()
    }
    /// Readiness is judged per pod: one serving container with a readiness probe is enough.
    pub fn has_readiness_probe(&self) -> bool {
        self.spec.serving_containers().any(|c| c.readiness_probe().is_some())
    }
}

/// A Service and what its selector selects.
#[derive(Debug)]
pub struct ServiceInfo<'a> {
    /// Index into [`LintContext::objects`].
    pub object: usize,
    pub svc: &'a Service,
    /// The selector is judged: a non-empty selector on a Service that is not ExternalName.
    pub selects: bool,
    /// A selector value is a number or boolean (`label-value-not-string`): the API server
    /// rejects the Service, and the selector findings are not reported on top of it.
    pub selector_rejected: bool,
    /// Pod sources (indices into [`LintContext::pods`]) in the Service's namespace whose labels
    /// satisfy the selector.
    pub selected: Vec<usize>,
    /// Pod sources in other namespaces that would satisfy it.
    pub elsewhere: Vec<usize>,
    /// Ports for which the selector is too broad (`selector-too-broad`).
    pub too_broad: Vec<TooBroad>,
}

/// A Service port with a numeric target that some selected workloads declare and others do not.
#[derive(Debug)]
pub struct TooBroad {
    pub port: usize,
    pub number: i64,
    pub declaring: Vec<usize>,
    pub lacking: Vec<usize>,
}

/// What a host name in a client string refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnsTarget {
    /// A Service name; `namespace: None` means the client's own namespace (a short name).
    Service { name: String, namespace: Option<String> },
    /// A per-pod name under a Service (`pod.svc.ns.svc.cluster.local` and its shorter forms).
    Pod { service: String, namespace: Option<String> },
    /// A cluster-style name that cannot resolve because of its shape.
    Malformed { reason: String },
    /// Not a cluster Service name (an external host, a word).
    Unrelated,
}

/// One host name found in a container string of a workload or Pod.
#[derive(Debug)]
pub struct ClientRef {
    /// The workload or Pod (index into [`LintContext::objects`]).
    pub object: usize,
    /// The host in the source when it can be located exactly, else the whole value.
    pub span: Span,
    pub host: HostRef,
    pub target: DnsTarget,
    /// The expanded string it was found in (for messages).
    pub text: String,
}

/// The shared, precomputed view of one lint run.
pub struct LintContext<'a> {
    pub sources: &'a Sources,
    pub options: &'a Options,
    pub objects: &'a [Object],
    pub services: Vec<ServiceInfo<'a>>,
    pub pods: Vec<PodSource<'a>>,
    /// (label key, value) → pod sources carrying it, in input order.
    postings: HashMap<(&'a str, &'a str), Vec<usize>>,
    /// namespace → pod sources in it.
    pub pods_in_namespace: HashMap<&'a str, Vec<usize>>,
    /// Per pod source: the Services (indices into `services`) that select it.
    selected_by: Vec<Vec<usize>>,
    /// (namespace, name) → indices into `services`.
    service_index: HashMap<(&'a str, &'a str), Vec<usize>>,
    /// name → indices into `services`, any namespace.
    service_names: HashMap<&'a str, Vec<usize>>,
    /// Namespaces the input knows: of any object, and `Namespace` objects.
    pub namespaces: HashSet<&'a str>,
    /// (namespace, name) of StatefulSet governing Services that are not in the input.
    pub missing_governing: HashSet<(&'a str, &'a str)>,
    /// (namespace, kind, name) targeted by an autoscaler's `scaleTargetRef`.
    autoscaled: HashSet<(&'a str, String, String)>,
    pub clients: Vec<ClientRef>,
    /// Per object: the API server rejects it (filled between rule phases).
    pub rejected: Vec<bool>,
}

impl<'a> LintContext<'a> {
    pub fn new(sources: &'a Sources, options: &'a Options, objects: &'a [Object]) -> Self {
        let mut cx = LintContext {
            sources,
            options,
            objects,
            services: Vec::new(),
            pods: Vec::new(),
            selected_by: Vec::new(),
            pods_in_namespace: HashMap::default(),
            postings: HashMap::default(),
            service_index: HashMap::default(),
            service_names: HashMap::default(),
            namespaces: HashSet::default(),
            missing_governing: HashSet::default(),
            autoscaled: HashSet::default(),
            clients: Vec::new(),
            rejected: vec![false; objects.len()],
        };
        for (i, o) in objects.iter().enumerate() {
            cx.namespaces.insert(o.namespace.as_str());
            match &o.body {
                Body::Service(svc) => {
                    let idx = cx.services.len();
                    cx.service_index.entry((o.namespace.as_str(), o.name.as_str())).or_default().push(idx);
                    cx.service_names.entry(o.name.as_str()).or_default().push(idx);
                    let non_empty = svc.selector.as_ref().is_some_and(|s| !s.is_empty());
                    cx.services.push(ServiceInfo {
                        object: i,
                        svc,
                        selects: non_empty && !svc.is_external_name(),
                        selector_rejected: svc.selector.as_ref().is_some_and(|s| {
                            s.entries.iter().any(|e| matches!(e.value_kind, ScalarKind::Number | ScalarKind::Bool))
                        }),
                        selected: Vec::new(),
                        elsewhere: Vec::new(),
                        too_broad: Vec::new(),
                    });
                }
                Body::Workload(w) => cx.pods.push(PodSource {
                    object: i,
                    labels: &w.template.labels,
                    spec: &w.template.spec,
                    workload: Some(w),
                    pod: None,
                }),
                Body::Pod(p) => cx.pods.push(PodSource {
                    object: i,
                    labels: &o.labels,
                    spec: &p.spec,
                    workload: None,
                    pod: Some(p),
                }),
                Body::Namespace => {
                    cx.namespaces.insert(o.name.as_str());
                }
                _ => {}
            }
            if let Some(target) = o.node.get("spec").and_then(|s| s.get("scaleTargetRef")) {
                let kind = target.get("kind").and_then(Node::str_value).unwrap_or("Deployment").to_string();
                if let Some(name) = target.get("name").and_then(Node::str_value) {
                    cx.autoscaled.insert((o.namespace.as_str(), kind, name.to_string()));
                }
            }
        }
        for (pi, p) in cx.pods.iter().enumerate() {
            cx.pods_in_namespace.entry(objects[p.object].namespace.as_str()).or_default().push(pi);
        }
        cx.select();
        cx.find_too_broad();
        for o in objects {
            if let Some(sn) = o.workload().and_then(|w| w.service_name.as_ref()) {
                if o.kind == "StatefulSet" && !sn.value.is_empty() && cx.service(&o.namespace, &sn.value).is_none() {
                    cx.missing_governing.insert((o.namespace.as_str(), sn.value.as_str()));
                }
            }
        }
        cx.find_clients();
        cx
    }

    // ---- lookups ------------------------------------------------------------------------------

    pub fn object(&self, index: usize) -> &'a Object {
        &self.objects[index]
    }

    /// The Service `name` in `namespace` (the last one when the input has several).
    pub fn service(&self, namespace: &str, name: &str) -> Option<&ServiceInfo<'a>> {
        self.service_index.get(&(namespace, name)).and_then(|v| v.last()).map(|&i| &self.services[i])
    }

    /// Services called `name` in any namespace.
    pub fn services_named(&self, name: &str) -> impl Iterator<Item = &ServiceInfo<'a>> {
        self.service_names.get(name).into_iter().flatten().map(|&i| &self.services[i])
    }

    pub fn is_autoscaled(&self, object: &Object) -> bool {
        self.autoscaled.contains(&(object.namespace.as_str(), object.kind.clone(), object.name.clone()))
    }

    /// The Services that select the pod source `pod` (index into `pods`).
    pub fn services_selecting(&self, pod: usize) -> impl Iterator<Item = &ServiceInfo<'a>> {
        self.selected_by[pod].iter().map(|&s| &self.services[s])
    }

    /// The line/column-free text of a span.
    pub fn text(&self, span: Span) -> &'a str {
        self.sources.slice(span)
    }

    /// `key: value` when both are on one line (a nicer underline), else the key alone.
    pub fn key_value(&self, key: Span, value: Span) -> Span {
        if key.source == value.source && !self.text(Span::new(key.source, key.start, value.end)).contains('\n') {
            key.cover(value)
        } else {
            key
        }
    }

    /// The span of a list item's `- ` marker when the item (whose span starts at its first
    /// key) is written as a block sequence entry, possibly with the `-` alone on an earlier line
    /// (blank and comment lines between are skipped); the item's start otherwise.
    pub fn list_item(&self, item: Span) -> Span {
        let Some(file) = self.sources.get(item.source) else { return item };
        let text = file.text.as_str();
        let start = (item.start as usize).min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let dash = |line: &str, base: usize| -> Option<usize> {
            let code = match line.find(" #") {
                Some(i) => &line[..i],
                None => line,
            };
            let t = code.trim_end();
            t.ends_with('-').then(|| base + t.len() - 1)
        };
        let found = if !text[line_start..start].trim().is_empty() {
            dash(&text[line_start..start], line_start)
        } else {
            // The item starts its line: look for a lone `-` on the previous content line.
            let mut end = line_start;
            let mut found = None;
            while end > 0 {
                let prev_start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
                let line = &text[prev_start..end - 1];
                let t = line.trim();
                if t.is_empty() || t.starts_with('#') {
                    end = prev_start;
                    continue;
                }
                found =
                    dash(line, prev_start).filter(|_| t.trim_end_matches('-').trim().is_empty() || t.ends_with(" -"));
                break;
            }
            found
        };
        match found {
            Some(i) => Span::new(item.source, i as u32, i as u32 + 1),
            None => Span::new(item.source, item.start, item.start),
        }
    }

    /// From `span.start` to the end of that line's content (trailing blanks excluded).
    pub fn to_line_end(&self, span: Span) -> Span {
        let Some(file) = self.sources.get(span.source) else { return span };
        let rest = &file.text[(span.start as usize).min(file.text.len())..];
        let line = rest.split('\n').next().unwrap_or("").trim_end();
        Span::new(span.source, span.start, span.start + line.len() as u32)
    }

    // ---- selection ----------------------------------------------------------------------------

    fn select(&mut self) {
        let mut postings: HashMap<(&'a str, &'a str), Vec<usize>> = HashMap::default();
        for (i, p) in self.pods.iter().enumerate() {
            for e in &p.labels.entries {
                let list = postings.entry((e.key.as_str(), e.value.as_str())).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        self.postings = postings;
        self.selected_by = vec![Vec::new(); self.pods.len()];
        for si in 0..self.services.len() {
            let s = &self.services[si];
            if !s.selects {
                continue;
            }
            let Some(selector) = s.svc.selector.as_ref() else { continue };
            let namespace = self.objects[s.object].namespace.as_str();
            let (mut selected, mut elsewhere) = (Vec::new(), Vec::new());
            for &p in self.candidates(&selector.entries) {
                let pod = &self.pods[p];
                if selector.selects(pod.labels) {
                    if self.objects[pod.object].namespace == namespace {
                        selected.push(p);
                    } else {
                        elsewhere.push(p);
                    }
                }
            }
            for &p in &selected {
                self.selected_by[p].push(si);
            }
            self.services[si].selected = selected;
            self.services[si].elsewhere = elsewhere;
        }
    }

    /// Pod sources that may carry all of these labels: the shortest posting list among them.
    fn candidates(&self, entries: &'a [svcflow_core::objects::LabelEntry]) -> &[usize] {
        entries
            .iter()
            .map(|e| self.postings.get(&(e.key.as_str(), e.value.as_str())).map_or(&[][..], |v| v.as_slice()))
            .min_by_key(|v| v.len())
            .unwrap_or(&[])
    }

    /// Pod sources in `namespace` that a `metav1.LabelSelector` selects (an empty selector
    /// selects them all).
    pub fn pods_matching(&self, namespace: &str, selector: &'a LabelSelector) -> Vec<usize> {
        let in_namespace = |p: usize| self.objects[self.pods[p].object].namespace == namespace;
        if selector.match_labels.is_empty() {
            let all = self.pods_in_namespace.get(namespace).map_or(&[][..], |v| v.as_slice());
            return all.iter().copied().filter(|&p| selector.matches(self.pods[p].labels)).collect();
        }
        self.candidates(&selector.match_labels.entries)
            .iter()
            .copied()
            .filter(|&p| in_namespace(p) && selector.matches(self.pods[p].labels))
            .collect()
    }

    fn find_too_broad(&mut self) {
        for s in &mut self.services {
            if s.selected.len() < 2 || s.selector_rejected {
                continue;
            }
            for (pi, port) in s.svc.ports.iter().enumerate() {
                if !port_is_valid(port) {
                    continue;
                }
                let IntOrString::Int(number) = port.effective_target() else { continue };
                let (declaring, lacking): (Vec<usize>, Vec<usize>) =
                    s.selected.iter().partition(|&&p| self.pods[p].declares_number(number));
                if !declaring.is_empty() && !lacking.is_empty() {
                    s.too_broad.push(TooBroad { port: pi, number, declaring, lacking });
                }
            }
        }
    }

    // ---- clients ------------------------------------------------------------------------------

    fn find_clients(&mut self) {
        let mut clients = Vec::new();
        for p in &self.pods {
            let object = &self.objects[p.object];
            for c in &p.spec.containers {
                self.container_clients(p.object, object, c, &mut clients);
            }
        }
        self.clients = clients;
    }

    fn container_clients(&self, index: usize, object: &'a Object, c: &Container, out: &mut Vec<ClientRef>) {
        // The container environment, expanded in order as the kubelet does it.
        let mut env: HashMap<&str, Option<String>> = HashMap::default();
        let mut referenced: HashSet<&str> = HashSet::default();
        let mut strings: Vec<(Expanded, Span, Option<&str>, bool)> = Vec::new();
        for var in &c.env {
            match &var.value {
                Some(v) if !v.value.is_empty() => {
                    let x = expand(&v.value, &env, &mut referenced);
                    env.insert(var.name.as_str(), Some(x.text.clone()));
                    strings.push((x, v.span, Some(var.name.as_str()), true));
                }
                Some(_) => {
                    env.insert(var.name.as_str(), Some(String::new()));
                }
                None => {
                    // valueFrom: the namespace is known, other sources are not.
                    let field = find_node(&object.node, var.span)
                        .and_then(|n| n.get("valueFrom"))
                        .and_then(|v| v.get("fieldRef"))
                        .and_then(|f| f.get("fieldPath"))
                        .and_then(Node::str_value);
                    let value = (field == Some("metadata.namespace")).then(|| object.namespace.clone());
                    env.insert(var.name.as_str(), value);
                }
            }
        }
        let mut previous_flag: Option<&str> = None;
        for item in c.command.iter().chain(c.args.iter()) {
            let x = expand(&item.value, &env, &mut referenced);
            let flag = previous_flag;
            previous_flag = item.value.starts_with('-').then_some(item.value.as_str());
            strings.push((x, item.span, flag, false));
        }
        for (x, span, key, is_env) in strings {
            // An env var that other strings of the container use through `$(VAR)` is judged
            // where it is used (once, with the full context), not on its own line too.
            if is_env && key.is_some_and(|name| referenced.contains(name)) {
                continue;
            }
            for h in names::find_hosts(&x.text) {
                let single = !h.host.contains('.');
                if single && h.port.is_none() && !h.in_url {
                    // A bare word is a host name only where a host is expected.
                    let hosty = key.is_some_and(is_hosty) || flag_of(&x.text, h.offset).is_some_and(is_hosty);
                    if !(h.whole || flag_of(&x.text, h.offset).is_some()) || !hosty {
                        continue;
                    }
                }
                let target = self.classify(&h.host, h.absolute, &object.namespace);
                if target == DnsTarget::Unrelated {
                    continue;
                }
                let span = self.locate(span, &x, h.offset, h.len);
                out.push(ClientRef { object: index, span, host: h, target, text: x.text.clone() });
            }
        }
    }

    /// The exact source span of `len` bytes at `offset` of an expanded string whose raw text is
    /// the scalar at `value`; the whole value when it cannot be mapped (escapes, expansion).
    fn locate(&self, value: Span, x: &Expanded, offset: usize, len: usize) -> Span {
        let Some(raw_start) = x.origin(offset, len) else { return value };
        let slice = self.text(value);
        let base = if slice == x.raw {
            value.start
        } else if slice.len() >= 2 && slice.get(1..slice.len() - 1) == Some(x.raw.as_str()) {
            value.start + 1
        } else {
            return value;
        };
        let start = base + raw_start as u32;
        Span::new(value.source, start, start + len as u32)
    }

    /// What a host name written in a container of a pod in `client_ns` refers to.
    pub fn classify(&self, host: &str, absolute: bool, client_ns: &str) -> DnsTarget {
        let labels: Vec<&str> = host.split('.').collect();
        let domain: Vec<&str> = self.options.cluster_domain.trim_matches('.').split('.').collect();
        let is_service = |n: &str| self.service_names.contains_key(n);
        let is_ns = |n: &str| self.namespaces.contains(n);
        let svc = |name: &str, ns: Option<&str>| DnsTarget::Service {
            name: name.to_string(),
            namespace: ns.map(str::to_string),
        };
        let pod = |service: &str, ns: Option<&str>| DnsTarget::Pod {
            service: service.to_string(),
            namespace: ns.map(str::to_string),
        };
        let malformed = |reason: String| DnsTarget::Malformed { reason };
        // Most names are not cluster names at all: answer those before allocating anything.
        let cluster_shaped = labels.len() > domain.len() && labels.ends_with(&domain);
        if !cluster_shaped && !labels.contains(&"svc") && labels.len() > 3 {
            return DnsTarget::Unrelated;
        }
        let fqdn = format!("<service>.<namespace>.svc.{}", domain.join("."));

        if cluster_shaped {
            let rest = &labels[..labels.len() - domain.len()];
            if rest.last() == Some(&"pod") {
                return DnsTarget::Unrelated; // pod A records (`1-2-3-4.ns.pod.cluster.local`)
            }
            if rest.last() == Some(&"svc") {
                let core = &rest[..rest.len() - 1];
                return match core.len() {
                    0 => DnsTarget::Unrelated,
                    1 if is_service(core[0]) && !is_ns(core[0]) => {
                        malformed(format!("it has no namespace between the Service name and `.svc` (write {fqdn})"))
                    }
                    1 => DnsTarget::Unrelated, // a namespace's search domain
                    2 => svc(core[0], Some(core[1])),
                    3 => pod(core[1], Some(core[2])),
                    _ => malformed(format!("it has too many labels before `.svc` (write {fqdn})")),
                };
            }
            if rest.contains(&"svc") {
                return malformed(format!("its components are in the wrong order (write {fqdn})"));
            }
            return match rest.len() {
                1 if !is_service(rest[0]) => DnsTarget::Unrelated,
                1 => malformed(format!("it lacks the namespace and the `.svc` label (write {fqdn})")),
                _ => malformed(format!("it lacks the `.svc` label before `.{}` (write {fqdn})", domain.join("."))),
            };
        }
        if absolute {
            return DnsTarget::Unrelated;
        }
        // `name.ns.svc` (resolves through the `<domain>` search suffix), and a truncated domain.
        if let Some(i) = labels.iter().rposition(|l| *l == "svc") {
            let tail = &labels[i + 1..];
            let core = &labels[..i];
            if tail.is_empty() {
                return match core.len() {
                    1 if is_service(core[0]) && !is_ns(core[0]) => {
                        malformed(format!("it has no namespace between the Service name and `.svc` (write {fqdn})"))
                    }
                    2 => svc(core[0], Some(core[1])),
                    3 if is_service(core[1]) => pod(core[1], Some(core[2])),
                    _ => DnsTarget::Unrelated,
                };
            }
            if (core.len() == 2 || core.len() == 3) && tail.len() < domain.len() && domain.starts_with(tail) {
                return malformed(format!(
                    "the cluster domain after `.svc` is incomplete: `{}` instead of `{}` (write {fqdn})",
                    tail.join("."),
                    domain.join(".")
                ));
            }
            return DnsTarget::Unrelated;
        }
        match labels.as_slice() {
            [name] if is_service(name) => svc(name, None),
            [name] if self.missing_governing.contains(&(client_ns, *name)) => svc(name, None),
            [name, ns] if is_service(name) && is_ns(ns) => svc(name, Some(ns)),
            [_, service]
                if self.service_index.contains_key(&(client_ns, *service))
                    || self.missing_governing.contains(&(client_ns, *service)) =>
            {
                pod(service, None)
            }
            [_, service, ns]
                if is_ns(ns) && (is_service(service) || self.missing_governing.contains(&(*ns, *service))) =>
            {
                pod(service, Some(ns))
            }
            _ => DnsTarget::Unrelated,
        }
    }
}

/// Env var names and flags under which a bare word is a host name.
fn is_hosty(key: &str) -> bool {
    const WORDS: [&str; 18] = [
        "host", "addr", "server", "service", "svc", "endpoint", "url", "uri", "upstream", "backend", "peer", "broker",
        "target", "dsn", "remote", "master", "primary", "leader",
    ];
    let k = key.to_ascii_lowercase();
    WORDS.iter().any(|w| k.contains(w))
}

/// The `--flag` of a `--flag=value` string when the host starts right after the `=`.
fn flag_of(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset)?;
    let flag = before.strip_suffix('=')?;
    (flag.starts_with('-') && !flag.contains(char::is_whitespace)).then_some(flag)
}

/// A ServicePort whose `port` and `targetPort` the API server accepts (the other checks skip
/// ports that `service-port-invalid` reports).
pub fn port_is_valid(p: &ServicePort) -> bool {
    p.port.as_ref().is_some_and(|f| (1..=65535).contains(&f.value)) && target_is_valid(p)
}

/// The `targetPort` is absent, defaulted, or a valid number or port name.
pub fn target_is_valid(p: &ServicePort) -> bool {
    match p.target_port.as_ref().map(|t| &t.value) {
        None | Some(IntOrString::Int(0)) => true,
        Some(IntOrString::Int(n)) => (1..=65535).contains(n),
        Some(IntOrString::Str(s)) => s.is_empty() || names::is_iana_svc_name(s),
    }
}

/// How a Service port's target meets the container ports of the selected pods.
#[derive(Debug)]
pub enum Target<'p> {
    /// Some selected pod declares the target with the port's protocol (or nothing is judged).
    Served,
    /// Only container ports with the same name/number but another protocol exist.
    ProtocolOnly(Vec<(usize, &'p ContainerPort)>),
    /// A named target that no container port of any selected pod carries.
    NameMissing,
    /// A numeric target that no selected pod declares, while they declare other ports.
    NumberMissing,
}

impl<'a> LintContext<'a> {
    /// Judge a Service port's target against the container ports of `s.selected` (the
    /// catalogue's "port checks need selected pods": nothing is judged without them).
    pub fn resolve_target(&self, s: &ServiceInfo<'a>, p: &ServicePort) -> Target<'a> {
        if !s.selects || s.selected.is_empty() || !port_is_valid(p) {
            return Target::Served;
        }
        let proto = p.protocol();
        let target = p.effective_target();
        let matches = |cp: &ContainerPort| match &target {
            IntOrString::Int(n) => cp.container_port.as_ref().is_some_and(|c| c.value == *n),
            IntOrString::Str(name) => cp.name.as_ref().is_some_and(|c| c.value == *name),
        };
        let mut other = Vec::new();
        let mut any_port = false;
        for &pi in &s.selected {
            for (_, cp) in self.pods[pi].ports() {
                any_port = true;
                if matches(cp) {
                    if cp.protocol == proto {
                        return Target::Served;
                    }
                    other.push((pi, cp));
                }
            }
        }
        if !other.is_empty() {
            return Target::ProtocolOnly(other);
        }
        match target {
            IntOrString::Str(_) => Target::NameMissing,
            IntOrString::Int(_) if any_port => Target::NumberMissing,
            IntOrString::Int(_) => Target::Served,
        }
    }

    /// The pod source's object and its `ports` of the container ports, for secondary labels:
    /// the `containers` key of each selected pod source.
    pub fn containers_key(&self, pod: usize) -> Span {
        self.pods[pod].spec.containers_key
    }
}

// ---- $(VAR) expansion ---------------------------------------------------------------------------

/// A string after `$(VAR)` expansion, remembering which bytes came from the raw text.
#[derive(Clone, Debug)]
pub struct Expanded {
    pub raw: String,
    pub text: String,
    /// For each byte of `text`: its offset in `raw`, or `None` when a variable produced it.
    origin: Vec<Option<u32>>,
}

impl Expanded {
    /// The raw offset of `len` bytes at `offset` of the text, when they are all raw and contiguous.
    pub fn origin(&self, offset: usize, len: usize) -> Option<usize> {
        let first = (*self.origin.get(offset)?)? as usize;
        for k in 0..len {
            if *self.origin.get(offset + k)? != Some((first + k) as u32) {
                return None;
            }
        }
        Some(first)
    }
}

/// Expand `$(VAR)` references as the kubelet does (`third_party/forked/golang/expansion`): a
/// defined variable is replaced by its value, `$$` is a literal `$`, and a reference to an
/// undefined (or unknown) variable stays as written. Names that were expanded are added to
/// `referenced`.
pub fn expand<'v>(raw: &str, vars: &HashMap<&'v str, Option<String>>, referenced: &mut HashSet<&'v str>) -> Expanded {
    let b = raw.as_bytes();
    let mut text = String::with_capacity(raw.len());
    let mut origin = Vec::with_capacity(raw.len());
    let push_raw = |text: &mut String, origin: &mut Vec<Option<u32>>, from: usize, to: usize| {
        text.push_str(&raw[from..to]);
        origin.extend((from..to).map(|i| Some(i as u32)));
    };
    let mut checkpoint = 0;
    let mut cursor = 0;
    while cursor < b.len() {
        if b[cursor] == b'$' && cursor + 1 < b.len() {
            push_raw(&mut text, &mut origin, checkpoint, cursor);
            let rest = &raw[cursor + 1..];
            let advance = match b[cursor + 1] {
                b'$' => {
                    push_raw(&mut text, &mut origin, cursor, cursor + 1);
                    1
                }
                b'(' => match rest.find(')') {
                    Some(close) => {
                        let name = &rest[1..close];
                        match vars.get_key_value(name) {
                            Some((k, Some(value))) => {
                                referenced.insert(k);
                                text.push_str(value);
                                origin.extend(std::iter::repeat_n(None, value.len()));
                            }
                            _ => push_raw(&mut text, &mut origin, cursor, cursor + close + 2),
                        }
                        close + 1
                    }
                    None => {
                        push_raw(&mut text, &mut origin, cursor, cursor + 2);
                        1
                    }
                },
                _ => {
                    let ch = rest.chars().next().map_or(1, char::len_utf8);
                    push_raw(&mut text, &mut origin, cursor, cursor + 1 + ch);
                    ch
                }
            };
            cursor += advance;
            checkpoint = cursor + 1;
        }
        cursor += 1;
    }
    if checkpoint < b.len() {
        push_raw(&mut text, &mut origin, checkpoint, b.len());
    }
    Expanded { raw: raw.to_string(), text, origin }
}

// ---- raw tree helpers ---------------------------------------------------------------------------

/// The node whose span is exactly `span`: the deepest one, since a block sequence and its first
/// item can share a span.
pub fn find_node(root: &Node, span: Span) -> Option<&Node> {
    let inside = |n: &Node| n.span.start <= span.start && span.end <= n.span.end;
    let mut node = root;
    loop {
        let next = match &node.value {
            Value::Map(entries) => entries.iter().map(|e| &e.value).find(|n| inside(n)),
            Value::Seq(items) => items.iter().find(|n| inside(n)),
            Value::Scalar(_) => None,
        };
        match next {
            Some(n) => node = n,
            None => return (node.span == span).then_some(node),
        }
    }
}

/// The entry at a path of mapping keys.
pub fn entry_at<'n>(node: &'n Node, path: &[&str]) -> Option<&'n Entry> {
    let (last, parents) = path.split_last()?;
    let mut n = node;
    for k in parents {
        n = n.get(k)?;
    }
    n.entry(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x(raw: &str, vars: &[(&'static str, &str)]) -> String {
        let map: HashMap<&str, Option<String>> = vars.iter().map(|(k, v)| (*k, Some(v.to_string()))).collect();
        expand(raw, &map, &mut HashSet::default()).text
    }

    #[test]
    fn expansion_follows_the_kubelet() {
        assert_eq!(x("http://$(HOST):80", &[("HOST", "api")]), "http://api:80");
        assert_eq!(x("$(MISSING)/x", &[]), "$(MISSING)/x");
        assert_eq!(x("$$(HOST)", &[("HOST", "api")]), "$(HOST)");
        assert_eq!(x("a$b$", &[]), "a$b$");
        assert_eq!(x("$(OPEN", &[]), "$(OPEN");
        assert_eq!(x("é$(A)é", &[("A", "x")]), "éxé");
    }

    #[test]
    fn origin_maps_raw_bytes() {
        let map: HashMap<&str, Option<String>> = [("H", Some("api".to_string()))].into_iter().collect();
        let e = expand("http://$(H):80 db:5432", &map, &mut HashSet::default());
        assert_eq!(e.text, "http://api:80 db:5432");
        assert_eq!(e.origin(7, 3), None);
        let db = e.text.find("db").unwrap();
        assert_eq!(e.origin(db, 2), Some("http://$(H):80 ".len()));
    }
}
