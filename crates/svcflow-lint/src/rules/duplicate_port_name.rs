use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a Service port whose `name` an earlier port of the same Service already uses.
    ///
    /// ## Why is this bad?
    /// Port names identify the ports in EndpointSlices, DNS SRV records and Ingress backends,
    /// so they must be unique within a Service. The API server refuses the Service:
    /// `kubectl apply` fails.
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
    ///   - name: http
    ///     port: 8080
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
    ///   - name: http-alt
    ///     port: 8080
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Multi-port Services](https://kubernetes.io/docs/concepts/services-networking/service/#multi-port-services)
    pub static RULE = {
        id: "duplicate-port-name",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let o = cx.object(s.object);
        for (i, p) in s.svc.ports.iter().enumerate() {
            let Some(name) = p.name.as_ref().filter(|n| !n.value.is_empty()) else { continue };
            let Some(first) = s.svc.ports[..i].iter().filter_map(|q| q.name.as_ref()).find(|q| q.value == name.value)
            else {
                continue;
            };
            out.push(
                RULE.diagnostic(
                    format!("port name `{}` is used twice in this Service", name.value),
                    cx.key_value(name.key, name.span),
                )
                .with_object(o.reference())
                .with_primary_label("duplicate name")
                .with_label(cx.key_value(first.key, first.span), "first used here")
                .with_help(
                    "The API server refuses a Service whose ports share a name, so `kubectl apply` fails. \
                         Give each port a unique name.",
                ),
            );
        }
    }
}
