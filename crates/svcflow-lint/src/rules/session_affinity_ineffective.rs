use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a session-affinity setting that silently does nothing:
    /// - `sessionAffinityConfig` while `sessionAffinity` is `None` or omitted: defaulting drops
    ///   the config, so there is no stickiness;
    /// - `sessionAffinity: ClientIP` on a headless or ExternalName Service: nothing proxies
    ///   these, so nothing keeps a client on one pod.
    ///
    /// ## Why is this bad?
    /// The author expects clients to stick to one backend (for in-memory sessions, caches,
    /// WebSocket reconnects), but every connection is balanced independently.
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
    ///   sessionAffinityConfig:
    ///     clientIP:
    ///       timeoutSeconds: 600
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
    ///   selector:
    ///     app: web
    ///   sessionAffinity: ClientIP
    ///   sessionAffinityConfig:
    ///     clientIP:
    ///       timeoutSeconds: 600
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Virtual IPs — Session affinity](https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity)
    /// - [Kubernetes: Service — Headless Services](https://kubernetes.io/docs/concepts/services-networking/service/#headless-services)
    pub static RULE = {
        id: "session-affinity-ineffective",
        severity: Warning,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let svc = s.svc;
        let o = cx.object(s.object);
        let affinity = svc.session_affinity.as_ref().map_or("None", |a| a.value.as_str());
        if affinity == "None" {
            let config = entry_at(&o.node, &["spec", "sessionAffinityConfig"]).filter(|e| !e.value.is_null());
            if let Some(cfg) = config {
                let mut d = RULE
                    .diagnostic(
                        "sessionAffinityConfig has no effect: sessionAffinity is not ClientIP, so the config is dropped",
                        cfg.key.span,
                    )
                    .with_object(o.reference())
                    .with_primary_label("dropped by defaulting");
                if let Some(a) = &svc.session_affinity {
                    d = d.with_label(cx.key_value(a.key, a.span), "affinity is None here");
                }
                out.push(d.with_help(
                    "Without `sessionAffinity: ClientIP` the API server discards `sessionAffinityConfig` and every \
                     connection is balanced on its own. Add `sessionAffinity: ClientIP`, or remove the config.",
                ));
            }
            continue;
        }
        if affinity != "ClientIP" {
            continue;
        }
        let why = if svc.is_external_name() {
            "an ExternalName Service is only a DNS alias"
        } else if svc.is_headless() {
            "a headless Service has no virtual IP: clients connect to pod IPs directly"
        } else {
            continue;
        };
        let Some(a) = &svc.session_affinity else { continue };
        out.push(
            RULE.diagnostic(format!("sessionAffinity: ClientIP has no effect: {why}"), cx.key_value(a.key, a.span))
                .with_object(o.reference())
                .with_primary_label("nothing proxies this Service")
                .with_help(
                    "Session affinity is applied by kube-proxy on the Service's cluster IP; headless and ExternalName \
                     Services have none. Give the Service a cluster IP if clients must stick to one pod, or remove \
                     `sessionAffinity`.",
                ),
        );
    }
}
