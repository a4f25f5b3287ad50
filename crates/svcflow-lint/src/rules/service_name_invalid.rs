use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a Service whose `metadata.name` is not a DNS-1035 label: lowercase letters, digits
    /// and `-`, starting with a letter, ending with a letter or digit, at most 63 characters, no
    /// dots and no underscores.
    ///
    /// ## Why is this bad?
    /// The Service name becomes a DNS label (`<name>.<namespace>.svc.cluster.local`) and the
    /// prefix of the environment variables injected into pods, so the API server validates it
    /// strictly and refuses the object: `kubectl apply` fails. The `RelaxedServiceNameValidation`
    /// feature gate (KEP-5311, alpha and off by default in v1.34) would also accept a leading
    /// digit; `_`, `.` and uppercase letters stay invalid with it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: Payments_API
    /// spec:
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: payments-api
    /// spec:
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Defining a Service](https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service)
    /// - [Kubernetes: Object names — RFC 1035 label names](https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#rfc-1035-label-names)
    /// - [KEP-5311: Relaxed validation for Service names](https://github.com/kubernetes/enhancements/issues/5311)
    pub static RULE = {
        id: "service-name-invalid",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let o = cx.object(s.object);
        let Some(entry) = entry_at(&o.node, &["metadata", "name"]) else { continue };
        let Some(name) = entry.value.str_value() else { continue }; // not a string: invalid-object
        if is_dns1035_label(name) {
            continue;
        }
        let relaxed = if is_dns1123_label(name) {
            " (a leading digit is accepted only with the alpha `RelaxedServiceNameValidation` feature gate, off by default)"
        } else {
            ""
        };
        out.push(
            RULE.diagnostic(
                format!("Service name `{name}` is not a valid DNS-1035 label: {}", dns1035_problem(name)),
                cx.key_value(entry.key.span, entry.value.span),
            )
            .with_object(o.reference())
            .with_primary_label(format!("not a DNS-1035 label{relaxed}"))
            .with_help(
                "The API server refuses this Service, so `kubectl apply` fails. Use lowercase letters, digits and `-`, \
                 starting with a letter and ending with a letter or digit, at most 63 characters \
                 (for example `payments-api`).",
            ),
        );
    }
}
