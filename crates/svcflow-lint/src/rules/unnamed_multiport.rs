use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports each port without a `name` in a Service that has more than one port.
    ///
    /// ## Why is this bad?
    /// With several ports, the port name is what tells them apart in EndpointSlices, in DNS SRV
    /// records (`_http._tcp.web.default.svc.cluster.local`) and in Ingress backends, so the API
    /// server requires every port of a multi-port Service to be named and refuses the Service
    /// otherwise: `kubectl apply` fails.
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
    ///     targetPort: 8080
    ///   - port: 443
    ///     targetPort: 8443
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
    ///   - name: https
    ///     port: 443
    ///     targetPort: 8443
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Multi-port Services](https://kubernetes.io/docs/concepts/services-networking/service/#multi-port-services)
    pub static RULE = {
        id: "unnamed-multiport",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let ports = &s.svc.ports;
        if ports.len() < 2 {
            continue;
        }
        let o = cx.object(s.object);
        for p in ports.iter().filter(|p| p.name().is_empty()) {
            let number = p.port.as_ref().map_or(String::new(), |n| format!(" {}", n.value));
            let item = cx.to_line_end(cx.list_item(p.span));
            out.push(
                RULE.diagnostic(format!("port{number} has no `name`, but the Service has {} ports", ports.len()), item)
                    .with_object(o.reference())
                    .with_primary_label("this port needs a name")
                    .with_help(
                        "The API server refuses a multi-port Service with an unnamed port, so `kubectl apply` fails. \
                     Give every port a unique `name` (DNS-1123 label, e.g. `http`, `grpc`, `metrics`).",
                    ),
            );
        }
    }
}
