use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a Service port whose `port` number and `protocol` (default `TCP`) an earlier port
    /// of the same Service already uses. The same number with different protocols (DNS on
    /// 53/UDP and 53/TCP) is legal.
    ///
    /// ## Why is this bad?
    /// Two ports with the same number and protocol cannot be told apart by kube-proxy, so the
    /// API server refuses the Service: `kubectl apply` fails.
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
    ///   - name: http
    ///     port: 80
    ///     targetPort: 8080
    ///   - name: admin
    ///     port: 80
    ///     targetPort: 9090
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
    ///   - name: http
    ///     port: 80
    ///     targetPort: 8080
    ///   - name: admin
    ///     port: 9090
    ///     targetPort: 9090
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Multi-port Services](https://kubernetes.io/docs/concepts/services-networking/service/#multi-port-services)
    pub static RULE = {
        id: "duplicate-port",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let o = cx.object(s.object);
        let ports = &s.svc.ports;
        for (i, p) in ports.iter().enumerate() {
            let Some(port) = p.port.as_ref().filter(|n| (1..=65535).contains(&n.value)) else { continue };
            let earlier = ports[..i]
                .iter()
                .find(|q| q.port.as_ref().is_some_and(|n| n.value == port.value) && q.protocol() == p.protocol());
            let Some(first) = earlier.and_then(|q| q.port.as_ref()) else { continue };
            out.push(
                RULE.diagnostic(
                    format!("port {}/{} is defined twice in this Service", port.value, p.protocol()),
                    cx.key_value(port.key, port.span),
                )
                .with_object(o.reference())
                .with_primary_label("duplicate port")
                .with_label(cx.key_value(first.key, first.span), "first defined here")
                .with_help(
                    "The API server refuses a Service with two ports of the same number and protocol, so \
                     `kubectl apply` fails. Merge the two ports or give one another number.",
                ),
            );
        }
    }
}
