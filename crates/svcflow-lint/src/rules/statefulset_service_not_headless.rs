use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a StatefulSet whose `spec.serviceName` names a Service that exists in its
    /// namespace but is not headless (`clusterIP: None`).
    ///
    /// ## Why is this bad?
    /// The DNS specification and the StatefulSet documentation define the stable per-pod names
    /// (`<pod>.<service>.<namespace>.svc.cluster.local`) only for a headless governing Service;
    /// kube-dns publishes none otherwise. CoreDNS happens to publish them for Ready pods, but
    /// the Service name itself resolves to a cluster IP that load-balances instead of to the
    /// pods, and the per-pod names are missing on a DNS server that follows the specification.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
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
    ///   serviceName: db
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
    ///         ports:
    ///         - containerPort: 5432
    ///         readinessProbe:
    ///           tcpSocket:
    ///             port: 5432
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
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
    ///   serviceName: db
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
    ///         ports:
    ///         - containerPort: 5432
    ///         readinessProbe:
    ///           tcpSocket:
    ///             port: 5432
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: StatefulSets — Stable Network ID](https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id)
    /// - [Kubernetes DNS-Based Service Discovery specification](https://github.com/kubernetes/dns/blob/master/docs/specification.md)
    pub static RULE = {
        id: "statefulset-service-not-headless",
        severity: Warning,
        verdict: Risky,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for o in cx.objects.iter().filter(|o| o.kind == "StatefulSet") {
        let Some(sn) = o.workload().and_then(|w| w.service_name.as_ref()) else { continue };
        let Some(s) = cx.service(&o.namespace, &sn.value) else { continue };
        if s.svc.is_headless() {
            continue;
        }
        let so = cx.object(s.object);
        out.push(
            RULE.diagnostic(
                format!(
                    "governing Service `{}` is not headless, so the per-pod DNS names are not guaranteed",
                    sn.value
                ),
                cx.key_value(sn.key, sn.span),
            )
            .with_object(o.reference())
            .with_primary_label("governing Service")
            .with_label(so.anchor(), format!("{} has a cluster IP", so.reference()))
            .with_help(format!(
                "Set `clusterIP: None` on Service `{}` (a headless Service; create a second Service with a cluster IP \
                 if clients also need a load-balanced name). The stable names `<pod>.{}.{}.svc.{}` are defined only \
                 for a headless governing Service.",
                sn.value, sn.value, o.namespace, cx.options.cluster_domain
            )),
        );
    }
}
