use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a ClusterIP, NodePort or LoadBalancer Service without a selector when the input
    /// has no EndpointSlice for it (label `kubernetes.io/service-name: <name>`) and no
    /// Endpoints object of the same name.
    ///
    /// ## Why is this bad?
    /// Without a selector no controller fills in endpoints: the backends must be listed by hand
    /// in an EndpointSlice (or a legacy Endpoints object). Without one the Service has no
    /// backends and connections fail. Often the selector was simply forgotten.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
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
    /// - [Kubernetes: EndpointSlices](https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/)
    pub static RULE = {
        id: "selectorless-without-endpoints",
        severity: Warning,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    let mut backed: svcflow_source::hash::HashSet<(&str, &str)> = svcflow_source::hash::HashSet::default();
    for o in cx.objects {
        match &o.body {
            Body::EndpointSlice(_) => {
                if let Some(svc) = o.labels.get(SERVICE_NAME_LABEL) {
                    backed.insert((o.namespace.as_str(), svc));
                }
            }
            Body::Endpoints(_) => {
                backed.insert((o.namespace.as_str(), o.name.as_str()));
            }
            _ => {}
        }
    }
    for s in &cx.services {
        let svc = s.svc;
        if !matches!(svc.type_name(), "ClusterIP" | "NodePort" | "LoadBalancer") {
            continue;
        }
        if svc.selector.as_ref().is_some_and(|sel| !sel.is_empty()) {
            continue;
        }
        let o = cx.object(s.object);
        if o.node.get("spec").is_none() || backed.contains(&(o.namespace.as_str(), o.name.as_str())) {
            continue;
        }
        out.push(
            RULE.diagnostic(
                format!("Service `{}` has no selector and no EndpointSlice or Endpoints for it in the input", o.name),
                svc.spec_key,
            )
            .with_object(o.reference())
            .with_primary_label("no selector, no endpoints: no backends")
            .with_help(format!(
                "Without a selector nothing creates endpoints for this Service. Add a `selector` matching the pods \
                 that serve it, or an EndpointSlice labelled `{SERVICE_NAME_LABEL}: {}` listing the backend \
                 addresses (for an external host name, `type: ExternalName` is simpler).",
                o.name
            )),
        );
    }
}
