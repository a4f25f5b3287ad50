use super::prelude::*;
use svcflow_source::hash::HashMap;

declare_rule! {
    /// ## What it does
    /// Reports an explicit `nodePort` whose number an earlier Service of the input already
    /// holds, through an explicit `nodePort` or an explicit `healthCheckNodePort` (both come from
    /// one cluster-wide pool). The number alone counts, whatever the protocols and namespaces.
    /// An earlier Service that the API server rejects allocates nothing, so it holds no number.
    ///
    /// ## Why is this bad?
    /// Node ports are allocated cluster-wide. When the second Service is applied, the allocator
    /// finds the port taken and the API server refuses the Service: `kubectl apply` fails (or,
    /// in a fresh cluster, whichever Service is applied first wins).
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
    ///     nodePort: 30080
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: admin
    ///   namespace: ops
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: admin
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
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: admin
    ///   namespace: ops
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: admin
    ///   ports:
    ///   - port: 80
    ///     nodePort: 30081
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Choosing your own port](https://kubernetes.io/docs/concepts/services-networking/service/#nodeport-custom-port)
    /// - [Kubernetes: Avoiding collisions when assigning a NodePort](https://kubernetes.io/docs/concepts/services-networking/service/#avoid-nodeport-collisions)
    pub static RULE = {
        id: "nodeport-collision",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
        late: true,
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    // number → (the Service holding it, the span of the field that holds it)
    let mut held: HashMap<i64, (usize, Span)> = HashMap::default();
    for (index, s) in cx.services.iter().enumerate() {
        let svc = s.svc;
        let o = cx.object(s.object);
        if !matches!(svc.type_name(), "NodePort" | "LoadBalancer") {
            continue; // only these allocate node ports
        }
        let mut collided = false;
        let wanted: Vec<&F<i64>> = svc
            .ports
            .iter()
            .filter_map(|p| p.node_port.as_ref())
            .filter(|n| (30000..=32767).contains(&n.value))
            .collect();
        for np in &wanted {
            let Some(&(holder, at)) = held.get(&np.value) else { continue };
            collided = true;
            let h = cx.object(cx.services[holder].object);
            out.push(
                RULE.diagnostic(
                    format!("nodePort {} is already allocated to {}", np.value, h.reference()),
                    cx.key_value(np.key, np.span),
                )
                .with_object(o.reference())
                .with_primary_label("this node port is taken")
                .with_label(at, format!("{} holds {} here", h.reference(), np.value))
                .with_help(
                    "Node ports come from one cluster-wide pool: the API server refuses the later Service, so \
                     `kubectl apply` fails. Pick a free nodePort, or leave `nodePort` out and let the cluster \
                     allocate one.",
                ),
            );
        }
        // A rejected Service allocates nothing.
        if collided || cx.rejected[s.object] || !health_check_port_valid(svc) {
            continue;
        }
        for np in wanted {
            held.entry(np.value).or_insert((index, cx.key_value(np.key, np.span)));
        }
        if let Some(h) = svc.health_check_node_port.as_ref().filter(|h| (30000..=32767).contains(&h.value)) {
            held.entry(h.value).or_insert((index, cx.key_value(h.key, h.span)));
        }
    }
}

/// `healthCheckNodePort` is only accepted on a LoadBalancer Service with
/// `externalTrafficPolicy: Local`, from the node-port range; otherwise the Service is rejected
/// and holds nothing.
fn health_check_port_valid(svc: &Service) -> bool {
    svc.health_check_node_port.as_ref().is_none_or(|h| {
        h.value == 0 || (svc.type_name() == "LoadBalancer" && svc.etp_local() && (30000..=32767).contains(&h.value))
    })
}
