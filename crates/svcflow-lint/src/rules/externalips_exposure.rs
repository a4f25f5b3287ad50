use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a Service with `spec.externalIPs`.
    ///
    /// ## Why is this bad?
    /// kube-proxy captures traffic for every listed IP on every node, whoever owns that IP. Any
    /// user who may create Services can thereby intercept traffic meant for another address:
    /// the CVE-2020-8554 pattern. Many clusters block the field with the
    /// `DenyServiceExternalIPs` admission plugin; where it is allowed, it deserves a review.
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
    ///   externalIPs:
    ///   - 203.0.113.10
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
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// - [CVE-2020-8554: Man in the middle using LoadBalancer or ExternalIPs](https://github.com/kubernetes/kubernetes/issues/97076)
    /// - [Kubernetes: Service — External IPs](https://kubernetes.io/docs/concepts/services-networking/service/#external-ips)
    /// - [Admission controller DenyServiceExternalIPs](https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#denyserviceexternalips)
    pub static RULE = {
        id: "externalips-exposure",
        severity: Warning,
        verdict: Risky,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let o = cx.object(s.object);
        let Some(entry) = entry_at(&o.node, &["spec", "externalIPs"]) else { continue };
        let Some(items) = entry.value.as_seq().filter(|i| !i.is_empty()) else { continue };
        let ips: Vec<&str> = items.iter().filter_map(|i| i.as_scalar().map(|s| &*s.text)).collect();
        out.push(
            RULE.diagnostic(
                format!("externalIPs ({}) make every node capture traffic for these addresses", ips.join(", ")),
                entry.key.span,
            )
            .with_object(o.reference())
            .with_primary_label("intercepts traffic for these IPs on every node")
            .with_help(
                "This is the CVE-2020-8554 interception pattern, and many clusters reject it with the \
                 DenyServiceExternalIPs admission plugin. Prefer `type: LoadBalancer` (or an Ingress); if external \
                 IPs are really needed, make sure only trusted users can create Services.",
            ),
        );
    }
}
