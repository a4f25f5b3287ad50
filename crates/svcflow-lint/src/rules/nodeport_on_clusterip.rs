use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a `nodePort` on a Service whose type is `ClusterIP`, written or defaulted (a
    /// Service without `type` is a ClusterIP Service).
    ///
    /// ## Why is this bad?
    /// A ClusterIP Service is reachable only inside the cluster and gets no node port. The API
    /// server refuses a `nodePort` on it ("may not be used when `type` is 'ClusterIP'"), so
    /// `kubectl apply` fails. Usually the author forgot `type: NodePort`.
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
    ///     nodePort: 30080
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    ///     nodePort: 30080
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Publishing Services (ServiceTypes)](https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types)
    pub static RULE = {
        id: "nodeport-on-clusterip",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        if s.svc.type_name() != "ClusterIP" {
            continue;
        }
        let o = cx.object(s.object);
        let typed = s.svc.type_.is_some();
        for np in s.svc.ports.iter().filter_map(|p| p.node_port.as_ref()).filter(|n| n.value != 0) {
            let mut d = RULE
                .diagnostic(
                    format!("nodePort {} is set on a ClusterIP Service", np.value),
                    cx.key_value(np.key, np.span),
                )
                .with_object(o.reference())
                .with_primary_label(if typed {
                    "not allowed with type ClusterIP"
                } else {
                    "not allowed: the type defaults to ClusterIP"
                })
                .with_help(
                    "The API server refuses a nodePort on a ClusterIP Service, so `kubectl apply` fails. Set \
                     `type: NodePort` (or `LoadBalancer`) to expose the Service on the nodes, or remove `nodePort`.",
                );
            if let Some(t) = &s.svc.type_ {
                d = d.with_label(cx.key_value(t.key, t.span), "type is ClusterIP here");
            }
            out.push(d);
        }
    }
}
