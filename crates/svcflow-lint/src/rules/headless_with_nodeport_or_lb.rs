use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports `clusterIP: None` (a headless Service) combined with `type: NodePort` or
    /// `type: LoadBalancer`.
    ///
    /// ## Why is this bad?
    /// Node ports and load balancers forward to the Service's cluster IP; a headless Service has
    /// none. The API server refuses the combination, so `kubectl apply` fails.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   type: NodePort
    ///   clusterIP: None
    ///   selector:
    ///     app: db
    ///   ports:
    ///   - port: 5432
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
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Headless Services](https://kubernetes.io/docs/concepts/services-networking/service/#headless-services)
    pub static RULE = {
        id: "headless-with-nodeport-or-lb",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let ty = s.svc.type_name();
        if !s.svc.is_headless() || !matches!(ty, "NodePort" | "LoadBalancer") {
            continue;
        }
        let (Some(cip), Some(t)) = (&s.svc.cluster_ip, &s.svc.type_) else { continue };
        out.push(
            RULE.diagnostic(
                format!("a headless Service (`clusterIP: None`) cannot be of type {ty}"),
                cx.key_value(cip.key, cip.span),
            )
            .with_object(cx.object(s.object).reference())
            .with_primary_label("headless")
            .with_label(cx.key_value(t.key, t.span), format!("type {ty} needs a cluster IP"))
            .with_help(format!(
                "The API server refuses this Service, so `kubectl apply` fails. Drop `clusterIP: None` to expose \
                     the Service as {ty}, or drop `type: {ty}` to keep it headless (and create a second Service for \
                     external access)."
            )),
        );
    }
}
