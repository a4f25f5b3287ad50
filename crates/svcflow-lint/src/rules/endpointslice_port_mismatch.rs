use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a port of a hand-made EndpointSlice (for a Service without selector) whose
    /// `name` and `protocol` together match no port of that Service. kube-proxy pairs slice
    /// ports with Service ports by name and protocol, `TCP` being the default on both sides; a
    /// slice port with the right name but another protocol is a mismatch too.
    ///
    /// ## Why is this bad?
    /// The Service port the slice port was meant for gets no backends from this slice, so
    /// connections to it fail although the addresses are listed. Typical causes: the Service
    /// port is named and the slice port is not (or the other way round), or a typo in the name.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   ports:
    ///   - name: postgres
    ///     port: 5432
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: db-1
    ///   labels:
    ///     kubernetes.io/service-name: db
    /// addressType: IPv4
    /// ports:
    /// - name: pg
    ///   port: 5432
    /// endpoints:
    /// - addresses:
    ///   - 10.1.2.3
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   ports:
    ///   - name: postgres
    ///     port: 5432
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: db-1
    ///   labels:
    ///     kubernetes.io/service-name: db
    /// addressType: IPv4
    /// ports:
    /// - name: postgres
    ///   port: 5432
    /// endpoints:
    /// - addresses:
    ///   - 10.1.2.3
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Services without selectors](https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors)
    /// - [Kubernetes API: EndpointSlice ports](https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoint-slice-v1/)
    pub static RULE = {
        id: "endpointslice-port-mismatch",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for o in cx.objects {
        let Body::EndpointSlice(slice) = &o.body else { continue };
        let Some(service) = o.labels.get(SERVICE_NAME_LABEL) else { continue };
        let Some(s) = cx.service(&o.namespace, service) else { continue };
        if s.svc.is_external_name() || s.svc.selector.as_ref().is_some_and(|sel| !sel.is_empty()) {
            continue; // a controller manages the slices of a Service with a selector
        }
        let so = cx.object(s.object);
        for sp in &slice.ports {
            let name = sp.name.as_deref().unwrap_or("");
            let proto = sp.protocol.as_deref().unwrap_or("TCP");
            if s.svc.ports.iter().any(|p| p.name() == name && p.protocol() == proto) {
                continue;
            }
            let shown = if name.is_empty() { "(unnamed)".to_string() } else { format!("`{name}`") };
            let service_ports: Vec<String> = s
                .svc
                .ports
                .iter()
                .map(|p| {
                    if p.name().is_empty() {
                        format!("unnamed/{}", p.protocol())
                    } else {
                        format!("`{}`/{}", p.name(), p.protocol())
                    }
                })
                .collect();
            let anchor = match sp.name_span {
                Some(k) => cx.to_line_end(k),
                None => cx.to_line_end(cx.list_item(sp.span)),
            };
            out.push(
                RULE.diagnostic(
                    format!(
                        "slice port {shown}/{proto} matches no port of Service {} by name and protocol",
                        so.reference()
                    ),
                    anchor,
                )
                .with_object(o.reference())
                .with_primary_label("no Service port with this name and protocol")
                .with_label(s.svc.ports_key, format!("Service ports: {}", service_ports.join(", ")))
                .with_help(
                    "kube-proxy pairs EndpointSlice ports with Service ports by `name` and `protocol`, so the Service \
                     port gets no backends from this slice. Use exactly the Service port's name (empty when the \
                     Service port is unnamed) and protocol.",
                ),
            );
        }
    }
}
