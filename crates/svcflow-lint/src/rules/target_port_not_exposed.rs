use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a numeric `targetPort` (or `port`, when `targetPort` is omitted) that no container
    /// of any selected pod declares, while those containers do declare other ports. If the pods
    /// declare no ports at all nothing is reported: declaring container ports is optional.
    /// Judged only when the selector matches at least one pod in the Service's namespace.
    ///
    /// ## Why is this bad?
    /// The pods say which ports they serve, and the Service sends traffic to another one:
    /// usually the author used the Service `port` where the container port was meant (or the
    /// container port changed), and connections are refused.
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
    ///     image: example/web
    ///     ports:
    ///     - containerPort: 8080
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
    ///     targetPort: 8080
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
    ///     image: example/web
    ///     ports:
    ///     - containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Defining a Service (targetPort)](https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service)
    pub static RULE = {
        id: "target-port-not-exposed",
        severity: Warning,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let o = cx.object(s.object);
        for p in &s.svc.ports {
            if !matches!(cx.resolve_target(s, p), Target::NumberMissing) {
                continue;
            }
            let IntOrString::Int(number) = p.effective_target() else { continue };
            let anchor = match (&p.target_port, &p.port) {
                (Some(t), _) => cx.key_value(t.key, t.span),
                (None, Some(port)) => cx.key_value(port.key, port.span),
                (None, None) => continue,
            };
            let mut declared: Vec<i64> = Vec::new();
            for &pi in &s.selected {
                for (_, cp) in cx.pods[pi].ports() {
                    if let Some(n) = &cp.container_port {
                        if !declared.contains(&n.value) {
                            declared.push(n.value);
                        }
                    }
                }
            }
            let implicit = if p.target_port.is_none() { " (targetPort defaults to port)" } else { "" };
            let mut d = RULE
                .diagnostic(
                    format!("target port {number}{implicit} is not declared by any container of the selected pods"),
                    anchor,
                )
                .with_object(o.reference())
                .with_primary_label(format!("pods declare {}", join_numbers(&declared)));
            for &pi in s.selected.iter().take(2) {
                let po = cx.object(cx.pods[pi].object);
                d = d.with_label(cx.pods[pi].spec.containers_key, format!("containers of {}", po.reference()));
            }
            let suggestion = match declared.as_slice() {
                [one] => format!("`targetPort: {one}`"),
                _ => "the container port the application listens on".to_string(),
            };
            out.push(d.with_help(format!(
                "Traffic is sent to port {number} of the pods, which declare only {}; the connection is probably \
                 refused. Set {suggestion}, or declare port {number} on the container if it does listen there.",
                join_numbers(&declared)
            )));
        }
    }
}

fn join_numbers(n: &[i64]) -> String {
    n.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}
