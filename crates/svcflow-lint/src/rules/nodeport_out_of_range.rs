use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports an explicit `nodePort` outside the default node-port range 30000–32767 on a
    /// `NodePort` or `LoadBalancer` Service. Every bad `nodePort` value is this rule, also one
    /// outside 1–65535: only the node-port allocator checks it.
    ///
    /// ## Why is this bad?
    /// The API server allocates node ports from the cluster's range (`--service-node-port-range`,
    /// 30000–32767 by default) and refuses a Service that asks for a port outside it:
    /// `kubectl apply` fails. Usually the author meant `port` or `targetPort`.
    ///
    /// ## Example
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
    ///     nodePort: 8080
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
    /// - [Kubernetes: Service — type NodePort](https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport)
    /// - [kube-apiserver `--service-node-port-range`](https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/)
    pub static RULE = {
        id: "nodeport-out-of-range",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        if !matches!(s.svc.type_name(), "NodePort" | "LoadBalancer") {
            continue; // a ClusterIP Service with a nodePort is `nodeport-on-clusterip`
        }
        let o = cx.object(s.object);
        for p in &s.svc.ports {
            let Some(np) = p.node_port.as_ref().filter(|n| n.value != 0) else { continue };
            if (30000..=32767).contains(&np.value) {
                continue;
            }
            out.push(
                RULE.diagnostic(
                    format!("nodePort {} is outside the node-port range 30000–32767", np.value),
                    cx.key_value(np.key, np.span),
                )
                .with_object(o.reference())
                .with_primary_label("outside 30000–32767")
                .with_help(
                    "The API server refuses this Service, so `kubectl apply` fails. Pick a nodePort between 30000 and \
                     32767, or leave `nodePort` out and let the cluster allocate one; clients inside the cluster use \
                     `port`, the container listens on `targetPort`.",
                ),
            );
        }
    }
}
