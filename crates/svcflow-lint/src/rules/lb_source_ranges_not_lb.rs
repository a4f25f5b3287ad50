use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports `loadBalancerSourceRanges` on a Service whose type is not `LoadBalancer`.
    ///
    /// ## Why is this bad?
    /// Source ranges restrict who may reach a cloud load balancer. On any other type there is
    /// no load balancer to restrict, and the API server refuses the field, so
    /// `kubectl apply` fails. An author who expected it to firewall a NodePort or ClusterIP
    /// Service gets no protection.
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
    ///   loadBalancerSourceRanges:
    ///   - 10.0.0.0/8
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
    ///   type: LoadBalancer
    ///   selector:
    ///     app: web
    ///   loadBalancerSourceRanges:
    ///   - 10.0.0.0/8
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Configure a firewall for a cloud load balancer](https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/)
    pub static RULE = {
        id: "lb-source-ranges-not-lb",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let ty = s.svc.type_name();
        if ty == "LoadBalancer" {
            continue;
        }
        let o = cx.object(s.object);
        let Some(entry) = entry_at(&o.node, &["spec", "loadBalancerSourceRanges"]) else { continue };
        if entry.value.as_seq().is_none_or(|items| items.is_empty()) {
            continue;
        }
        out.push(
            RULE.diagnostic(format!("loadBalancerSourceRanges is set on a {ty} Service"), entry.key.span)
                .with_object(o.reference())
                .with_primary_label("only allowed with type LoadBalancer")
                .with_help(
                    "The API server refuses this Service, so `kubectl apply` fails. Use `type: LoadBalancer`, or \
                     remove the ranges and restrict access with a NetworkPolicy.",
                ),
        );
    }
}
