use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a string `targetPort` that names no container port (with the Service port's
    /// protocol) in any pod the Service selects. Judged only when the selector matches at least
    /// one pod in the Service's namespace.
    ///
    /// ## Why is this bad?
    /// A named target port is resolved per pod, against the `name` of its container ports. When
    /// no selected pod has the name, no endpoint gets that port: the Service port has no
    /// backends and connections to it fail, although the pods are running and Ready.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    ///     targetPort: http
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx
    ///     ports:
    ///     - name: web
    ///       containerPort: 8080
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    ///     targetPort: web
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx
    ///     ports:
    ///     - name: web
    ///       containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Port definitions (named ports)](https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports)
    pub static RULE = {
        id: "named-port-unresolved",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let o = cx.object(s.object);
        for p in &s.svc.ports {
            if !matches!(cx.resolve_target(s, p), Target::NameMissing) {
                continue;
            }
            let (Some(t), IntOrString::Str(name)) = (&p.target_port, p.effective_target()) else { continue };
            let mut known: Vec<String> = Vec::new();
            for &pi in &s.selected {
                for (_, cp) in cx.pods[pi].ports() {
                    if let Some(n) = &cp.name {
                        if cp.protocol == p.protocol() && !known.contains(&n.value) {
                            known.push(n.value.clone());
                        }
                    }
                }
            }
            let mut d = RULE
                .diagnostic(
                    format!("targetPort `{name}` names no {} container port of the selected pods", p.protocol()),
                    cx.key_value(t.key, t.span),
                )
                .with_object(o.reference())
                .with_primary_label("no container port has this name");
            for &pi in s.selected.iter().take(2) {
                let po = cx.object(cx.pods[pi].object);
                d = d.with_label(cx.pods[pi].spec.containers_key, format!("containers of {}", po.reference()));
            }
            let names = if known.is_empty() {
                "The selected pods declare no named ports.".to_string()
            } else {
                format!(
                    "The selected pods declare: {}.",
                    known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                )
            };
            out.push(d.with_help(format!(
                "A named targetPort must equal the `name` of a container port; otherwise no endpoint gets this port and \
                 connections to it fail. {names} Use one of those names, name the container port `{name}`, or use the \
                 port number."
            )));
        }
    }
}
