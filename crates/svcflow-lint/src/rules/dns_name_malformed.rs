use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a cluster-style Service host name in a container's `env[].value`, `args` or
    /// `command` that cannot resolve because of its shape: `svc.ns.cluster.local` (missing
    /// `.svc`), `ns.svc.name.cluster.local` (components in the wrong order), a missing
    /// namespace, or a truncated cluster domain (`name.ns.svc.cluster`).
    ///
    /// ## Why is this bad?
    /// Cluster DNS answers only for `<service>.<namespace>.svc.<cluster-domain>` (and
    /// `<pod>.<service>.<namespace>.svc.<cluster-domain>`); the search list adds suffixes to
    /// shorter names but never reorders or completes the middle. Any other shape is NXDOMAIN,
    /// so the client cannot connect.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: shop
    /// spec:
    ///   containers:
    ///   - name: shop
    ///     image: example/shop
    ///     env:
    ///     - name: ORDERS_URL
    ///       value: http://orders.backend.cluster.local:8080
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: shop
    /// spec:
    ///   containers:
    ///   - name: shop
    ///     image: example/shop
    ///     env:
    ///     - name: ORDERS_URL
    ///       value: http://orders.backend.svc.cluster.local:8080
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: DNS for Services and Pods](https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/)
    /// - [Kubernetes DNS-Based Service Discovery specification](https://github.com/kubernetes/dns/blob/master/docs/specification.md)
    pub static RULE = {
        id: "dns-name-malformed",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for c in &cx.clients {
        let DnsTarget::Malformed { reason } = &c.target else { continue };
        let o = cx.object(c.object);
        out.push(
            RULE.diagnostic(format!("`{}` is not a resolvable cluster Service name: {reason}", c.host.host), c.span)
                .with_object(o.reference())
                .with_primary_label("malformed cluster DNS name")
                .with_help(format!(
                    "Cluster DNS answers only for `<service>.<namespace>.svc.{}` (the short forms `<service>` and \
                     `<service>.<namespace>` work through the search list); other shapes do not resolve and the \
                     client cannot connect.",
                    cx.options.cluster_domain
                )),
        );
    }
}
