use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a malformed field of a Service port: a `port` or numeric `targetPort` outside
    /// 1–65535, a string `targetPort` that is not a valid port name (IANA service name: 1–15
    /// characters of lowercase letters, digits and `-`, at least one letter, no `-` at either
    /// end, no `--`), or a port `name` that is not a DNS-1123 label.
    ///
    /// A `targetPort` of `0` or `""` is fine: defaulting replaces it with `port`. A quoted
    /// number such as `"8080"` is a *name* to the API server, and not a valid one. A bad
    /// `nodePort` is reported by `nodeport-out-of-range` instead.
    ///
    /// ## Why is this bad?
    /// The API server validates every Service port and refuses the whole Service when one field
    /// is malformed: `kubectl apply` fails and no traffic is routed at all.
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
    ///     targetPort: "8080"
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
    ///     targetPort: 8080
    /// ```
    ///
    /// ## References
    /// - [Kubernetes API: ServicePort](https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec)
    /// - [Kubernetes: Service — Port definitions](https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports)
    /// - [RFC 6335 §5.1: Service name syntax](https://www.rfc-editor.org/rfc/rfc6335#section-5.1)
    pub static RULE = {
        id: "service-port-invalid",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let o = cx.object(s.object);
        for p in &s.svc.ports {
            let mut report = |field: (Span, Span), message: String, label: &str, help: &str| {
                out.push(
                    RULE.diagnostic(message, cx.key_value(field.0, field.1))
                        .with_object(o.reference())
                        .with_primary_label(label.to_string())
                        .with_help(format!("The API server refuses this Service, so `kubectl apply` fails. {help}")),
                );
            };
            if let Some(port) = &p.port {
                if !(1..=65535).contains(&port.value) {
                    report(
                        (port.key, port.span),
                        format!("Service port {} is outside 1–65535", port.value),
                        "not a valid port number",
                        "Use the port number clients dial, between 1 and 65535.",
                    );
                }
            }
            if let Some(t) = &p.target_port {
                match &t.value {
                    IntOrString::Int(0) => {}
                    IntOrString::Int(n) if !(1..=65535).contains(n) => report(
                        (t.key, t.span),
                        format!("targetPort {n} is outside 1–65535"),
                        "not a valid port number",
                        "Use the container's port number (1–65535), or the name of a container port.",
                    ),
                    IntOrString::Str(name) if !name.is_empty() && !is_iana_svc_name(name) => {
                        let numeric = name.bytes().all(|c| c.is_ascii_digit());
                        let (message, help) = if numeric {
                            (
                                format!("targetPort \"{name}\" is a quoted number, which the API server reads as a port name, and not a valid one"),
                                format!("Write the number without quotes (`targetPort: {name}`)."),
                            )
                        } else {
                            (
                                format!("targetPort `{name}` is not a valid port name"),
                                "A port name has 1–15 lowercase letters, digits or `-`, at least one letter, no `-` at either end \
                                 and no `--`; it must equal the `name` of a container port."
                                    .to_string(),
                            )
                        };
                        report((t.key, t.span), message, "not a valid port name", &help);
                    }
                    _ => {}
                }
            }
            if let Some(n) = &p.name {
                if !n.value.is_empty() && !is_dns1123_label(&n.value) {
                    report(
                        (n.key, n.span),
                        format!("Service port name `{}` is not a valid DNS-1123 label", n.value),
                        "not a DNS-1123 label",
                        "Port names use lowercase letters, digits and `-`, start and end with a letter or digit, \
                         at most 63 characters (for example `http-metrics`).",
                    );
                }
            }
        }
    }
}
