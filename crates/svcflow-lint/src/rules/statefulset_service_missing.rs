use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a StatefulSet whose `spec.serviceName` names a Service that is not in the
    /// StatefulSet's namespace in the input.
    ///
    /// ## Why is this bad?
    /// The governing Service publishes the stable per-pod DNS names
    /// (`<pod>.<service>.<namespace>.svc.cluster.local`) that peers use to find each other
    /// (database replicas, quorum members). Without it those names do not resolve and clustering
    /// fails. The per-pod names used elsewhere are not reported again: this is the root cause.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    /// spec:
    ///   serviceName: db-headless
    ///   selector:
    ///     matchLabels:
    ///       app: db
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: db
    ///     spec:
    ///       containers:
    ///       - name: postgres
    ///         image: postgres
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db-headless
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: db
    ///   ports:
    ///   - port: 5432
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    /// spec:
    ///   serviceName: db-headless
    ///   selector:
    ///     matchLabels:
    ///       app: db
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: db
    ///     spec:
    ///       containers:
    ///       - name: postgres
    ///         image: postgres
    ///         readinessProbe:
    ///           tcpSocket:
    ///             port: 5432
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: StatefulSets — Limitations (a headless Service is required)](https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#limitations)
    /// - [Kubernetes: StatefulSets — Stable Network ID](https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id)
    pub static RULE = {
        id: "statefulset-service-missing",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for o in cx.objects.iter().filter(|o| o.kind == "StatefulSet") {
        let Some(sn) = o.workload().and_then(|w| w.service_name.as_ref()) else { continue };
        if sn.value.is_empty() || cx.service(&o.namespace, &sn.value).is_some() {
            continue;
        }
        let elsewhere: Vec<String> =
            cx.services_named(&sn.value).map(|s| cx.object(s.object).namespace.clone()).collect();
        let hint = if elsewhere.is_empty() {
            String::new()
        } else {
            format!(
                " (a Service `{}` exists in namespace `{}`, but it must be in `{}`)",
                sn.value,
                elsewhere.join("`, `"),
                o.namespace
            )
        };
        out.push(
            RULE.diagnostic(
                format!("governing Service `{}` is not in namespace `{}`{hint}", sn.value, o.namespace),
                cx.key_value(sn.key, sn.span),
            )
            .with_object(o.reference())
            .with_primary_label("no such Service")
            .with_help(format!(
                "The per-pod DNS names `<pod>.{}.{}.svc.{}` exist only through this Service. Create a headless \
                 Service `{}` (`clusterIP: None`) in namespace `{}` selecting the StatefulSet's pods, or fix \
                 `serviceName`.",
                sn.value, o.namespace, cx.options.cluster_domain, sn.value, o.namespace
            )),
        );
    }
}
