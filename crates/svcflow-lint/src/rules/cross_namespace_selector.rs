use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a Service whose selector matches no pod in the Service's own namespace, while
    /// pods (or pod templates) in another namespace do match.
    ///
    /// ## Why is this bad?
    /// A Service selector never crosses namespaces: the Service only ever selects pods of its
    /// own namespace, so it has no endpoints. The author expected it to reach the pods of the
    /// other namespace.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   namespace: frontend
    /// spec:
    ///   selector:
    ///     app: api
    ///   ports:
    ///   - port: 80
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   namespace: backend
    ///   labels:
    ///     app: api
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: example/api
    /// ```
    ///
    /// ## Use instead
    /// Create the Service in the namespace of the pods (clients elsewhere use
    /// `api.backend.svc.cluster.local`):
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   namespace: backend
    /// spec:
    ///   selector:
    ///     app: api
    ///   ports:
    ///   - port: 80
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   namespace: backend
    ///   labels:
    ///     app: api
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: example/api
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Defining a Service](https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service)
    /// - [Kubernetes: DNS for Services and Pods — Namespaces of Services](https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#namespaces-of-services)
    pub static RULE = {
        id: "cross-namespace-selector",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        if !s.selects || s.selector_rejected || !s.selected.is_empty() || s.elsewhere.is_empty() {
            continue;
        }
        let Some(selector) = &s.svc.selector else { continue };
        let o = cx.object(s.object);
        let mut namespaces: Vec<&str> =
            s.elsewhere.iter().map(|&p| cx.object(cx.pods[p].object).namespace.as_str()).collect();
        namespaces.dedup();
        let mut d = RULE
            .diagnostic(
                format!(
                    "the selector matches no pod in namespace `{}`, only pods in namespace `{}`",
                    o.namespace,
                    namespaces.join("`, `")
                ),
                selector.key,
            )
            .with_object(o.reference())
            .with_primary_label(format!("selects only in namespace `{}`", o.namespace));
        for &p in s.elsewhere.iter().take(3) {
            let po = cx.object(cx.pods[p].object);
            d = d.with_label(
                cx.pods[p].labels.key,
                format!("{} matches, in namespace `{}`", po.reference(), po.namespace),
            );
        }
        out.push(d.with_help(format!(
            "A Service only selects pods of its own namespace, so this one has no endpoints. Create the Service in \
             namespace `{}` (clients elsewhere then use `{}.{}.svc.{}`), or move the workload here.",
            namespaces[0], o.name, namespaces[0], cx.options.cluster_domain
        )));
    }
}
