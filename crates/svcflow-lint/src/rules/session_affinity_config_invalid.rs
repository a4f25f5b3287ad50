use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports `sessionAffinity: ClientIP` with a
    /// `sessionAffinityConfig.clientIP.timeoutSeconds` outside 1–86400.
    ///
    /// ## Why is this bad?
    /// The stickiness timeout must be positive and at most one day. The API server refuses any
    /// other value, so `kubectl apply` fails.
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
    ///   sessionAffinity: ClientIP
    ///   sessionAffinityConfig:
    ///     clientIP:
    ///       timeoutSeconds: 0
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
    ///       timeoutSeconds: 3600
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Virtual IPs — Session affinity](https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity)
    pub static RULE = {
        id: "session-affinity-config-invalid",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        if !s.svc.client_ip_affinity() {
            continue;
        }
        let Some(t) = &s.svc.session_affinity_timeout else { continue };
        if (1..=86400).contains(&t.value) {
            continue;
        }
        out.push(
            RULE.diagnostic(
                format!("session affinity timeoutSeconds {} is outside 1–86400", t.value),
                cx.key_value(t.key, t.span),
            )
            .with_object(cx.object(s.object).reference())
            .with_primary_label("must be 1–86400 seconds")
            .with_help(
                "The API server refuses this Service, so `kubectl apply` fails. Use a timeout between 1 second and \
                 86400 (one day), or leave it out for the default of 10800 (three hours).",
            ),
        );
    }
}
