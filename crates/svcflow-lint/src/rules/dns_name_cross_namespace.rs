use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a host name in a container's `env[].value`, `args` or `command` (also inside a
    /// URL or `host:port`, after `$(VAR)` expansion) that names a Service by its short name, or
    /// as `name.<namespace>`, when that Service does not exist in the namespace the name points
    /// to but only in another namespace of the input.
    ///
    /// ## Why is this bad?
    /// A pod resolves a short name through its own namespace first
    /// (`<name>.<own-namespace>.svc.cluster.local`), so the lookup fails with NXDOMAIN and the
    /// client cannot connect. The author expected the name to find the Service across
    /// namespaces.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: orders
    ///   namespace: backend
    /// spec:
    ///   ports:
    ///   - port: 80
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: shop
    ///   namespace: frontend
    /// spec:
    ///   containers:
    ///   - name: shop
    ///     image: example/shop
    ///     env:
    ///     - name: ORDERS_URL
    ///       value: http://orders/api
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: orders
    ///   namespace: backend
    /// spec:
    ///   ports:
    ///   - port: 80
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: shop
    ///   namespace: frontend
    /// spec:
    ///   containers:
    ///   - name: shop
    ///     image: example/shop
    ///     env:
    ///     - name: ORDERS_URL
    ///       value: http://orders.backend.svc.cluster.local/api
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: DNS for Services and Pods — Namespaces of Services](https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#namespaces-of-services)
    /// - [Kubernetes: Define dependent environment variables](https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/)
    pub static RULE = {
        id: "dns-name-cross-namespace",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for c in &cx.clients {
        let (name, namespace, what) = match &c.target {
            DnsTarget::Service { name, namespace } => (name, namespace, "Service"),
            DnsTarget::Pod { service, namespace } => (service, namespace, "governing Service of the per-pod name"),
            _ => continue,
        };
        let o = cx.object(c.object);
        let target_ns = namespace.as_deref().unwrap_or(o.namespace.as_str());
        if cx.service(target_ns, name).is_some() || cx.missing_governing.contains(&(target_ns, name.as_str())) {
            continue;
        }
        if !cx.namespaces.contains(target_ns) {
            continue; // a namespace the input does not describe: not judged
        }
        let homes: Vec<&ServiceInfo> = cx.services_named(name).collect();
        let Some(home) = homes.first() else { continue };
        let ho = cx.object(home.object);
        let how = match namespace {
            None => format!("a short name, looked up in the pod's namespace `{target_ns}`"),
            Some(ns) => format!("it points to namespace `{ns}`"),
        };
        let fqdn = format!("{}.{}.svc.{}", name, ho.namespace, cx.options.cluster_domain);
        let mut d = RULE
            .diagnostic(
                format!(
                    "`{}` does not resolve: {how}, but {what} `{name}` exists only in namespace `{}`",
                    c.host.host, ho.namespace
                ),
                c.span,
            )
            .with_object(o.reference())
            .with_primary_label(format!("no Service `{name}` in namespace `{target_ns}`"));
        for h in homes.iter().take(2) {
            let so = cx.object(h.object);
            d = d.with_label(so.anchor(), format!("{} is here", so.reference()));
        }
        out.push(d.with_help(format!(
            "Short Service names resolve only within the pod's own namespace, so this lookup fails and the client cannot \
             connect. Use the namespace-qualified name `{fqdn}` (or `{}.{}`).",
            name, ho.namespace
        )));
    }
}
