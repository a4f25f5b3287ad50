use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports `externalTrafficPolicy` (any value) on a Service that is not externally
    /// accessible: type `ClusterIP` without `externalIPs` (headless or not), or type
    /// `ExternalName`. A `ClusterIP` Service with `externalIPs` accepts it.
    ///
    /// ## Why is this bad?
    /// The external traffic policy only governs traffic arriving from outside (node ports, load
    /// balancers, external IPs). The API server refuses it on a Service that has no such entry
    /// point, so `kubectl apply` fails. For in-cluster traffic the field is
    /// `internalTrafficPolicy`.
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
    ///   externalTrafficPolicy: Local
    ///   ports:
    ///   - port: 80
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
    ///   internalTrafficPolicy: Local
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Traffic policies](https://kubernetes.io/docs/reference/networking/virtual-ips/#traffic-policies)
    /// - [Kubernetes API: ServiceSpec.externalTrafficPolicy](https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec)
    pub static RULE = {
        id: "etp-on-clusterip",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let svc = s.svc;
        let Some(etp) = svc.external_traffic_policy.as_ref().filter(|e| !e.value.is_empty()) else { continue };
        let why = match svc.type_name() {
            "ClusterIP" if svc.external_ips.is_empty() => "a ClusterIP Service without externalIPs",
            "ExternalName" => "an ExternalName Service",
            _ => continue,
        };
        out.push(
            RULE.diagnostic(
                format!("externalTrafficPolicy is set on {why}, which receives no external traffic"),
                cx.key_value(etp.key, etp.span),
            )
            .with_object(cx.object(s.object).reference())
            .with_primary_label("only allowed on externally accessible Services")
            .with_help(
                "The API server refuses this Service, so `kubectl apply` fails. Remove `externalTrafficPolicy`, set \
                 `type: NodePort` or `LoadBalancer` if the Service should be reachable from outside, or use \
                 `internalTrafficPolicy` for in-cluster traffic.",
            ),
        );
    }
}
