use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a readiness, liveness or startup probe whose `port` is a name that no port of its
    /// own container carries. Numeric probe ports are never reported: they need not be declared.
    ///
    /// ## Why is this bad?
    /// The kubelet cannot resolve the name: the probe errors and every result is discarded, so
    /// it never succeeds and never fails. A readiness probe leaves the pod never Ready (the
    /// Service gets no endpoints from it); a startup probe leaves the container never started,
    /// so never Ready; a liveness probe is silently disabled and never restarts a hung process.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: example/web
    ///         ports:
    ///         - name: http
    ///           containerPort: 8080
    ///         readinessProbe:
    ///           httpGet:
    ///             path: /ready
    ///             port: web
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: example/web
    ///         ports:
    ///         - name: http
    ///           containerPort: 8080
    ///         readinessProbe:
    ///           httpGet:
    ///             path: /ready
    ///             port: http
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Configure Liveness, Readiness and Startup Probes — named ports](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#use-a-named-port)
    pub static RULE = {
        id: "probe-port-unresolved",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for p in &cx.pods {
        let o = cx.object(p.object);
        for c in &p.spec.containers {
            for probe in &c.probes {
                let Some(port) = &probe.port else { continue };
                let IntOrString::Str(name) = &port.value else { continue };
                if name.is_empty() || c.ports.iter().any(|cp| cp.name.as_ref().is_some_and(|n| n.value == *name)) {
                    continue;
                }
                let effect = match probe.kind.as_str() {
                    "readinessProbe" => "the pod never becomes Ready and gets no Service traffic",
                    "startupProbe" => "the container never counts as started, so the pod is never Ready",
                    _ => "the liveness probe is silently disabled and never restarts the container",
                };
                let names: Vec<String> =
                    c.ports.iter().filter_map(|cp| cp.name.as_ref().map(|n| format!("`{}`", n.value))).collect();
                let known = if names.is_empty() {
                    format!("Container `{}` declares no named ports.", c.name)
                } else {
                    format!("Container `{}` declares {}.", c.name, names.join(", "))
                };
                out.push(
                    RULE.diagnostic(
                        format!("{} port `{name}` names no port of container `{}`", probe.kind, c.name),
                        cx.key_value(port.key, port.span),
                    )
                    .with_object(o.reference())
                    .with_primary_label("unknown port name")
                    .with_label(c.name_span, format!("container `{}`", c.name))
                    .with_help(format!(
                        "The kubelet cannot resolve the name, so the probe errors on every run: {effect}. {known} Use \
                         one of its port names or a port number."
                    )),
                );
            }
        }
    }
}
