use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports an ExternalName Service that also carries a `selector`.
    ///
    /// ## Why is this bad?
    /// The selector is ignored: since Kubernetes v1.27 the endpoint controllers build no
    /// Endpoints or EndpointSlices for an ExternalName Service (before, they built them, but
    /// nothing routed to them). Readers and tools are misled into thinking the Service sends
    /// traffic to those pods, while it is only a DNS CNAME to `externalName`. This is the only
    /// finding such a selector gets: the selector checks are not judged for ExternalName
    /// Services.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: search
    /// spec:
    ///   type: ExternalName
    ///   externalName: search.example.com
    ///   selector:
    ///     app: search
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: search
    /// spec:
    ///   type: ExternalName
    ///   externalName: search.example.com
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — type ExternalName](https://kubernetes.io/docs/concepts/services-networking/service/#externalname)
    /// - [kubernetes/kubernetes#114814: no endpoints for ExternalName Services](https://github.com/kubernetes/kubernetes/pull/114814)
    pub static RULE = {
        id: "externalname-with-selector",
        severity: Warning,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        if !s.svc.is_external_name() {
            continue;
        }
        let Some(sel) = s.svc.selector.as_ref().filter(|l| !l.is_empty()) else { continue };
        let mut d = RULE
            .diagnostic("this ExternalName Service has a selector, which is ignored", sel.key)
            .with_object(cx.object(s.object).reference())
            .with_primary_label("ignored: an ExternalName Service selects no pods");
        if let Some(t) = &s.svc.type_ {
            d = d.with_label(cx.key_value(t.key, t.span), "the Service is only a DNS alias");
        }
        out.push(d.with_help(
            "An ExternalName Service is a DNS CNAME: no endpoints are built from the selector and no traffic reaches \
             these pods through it. Remove the selector, or drop `type: ExternalName` if the Service should route to \
             the pods.",
        ));
    }
}
