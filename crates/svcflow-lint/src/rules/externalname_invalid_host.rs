use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports an ExternalName Service whose `externalName` is missing or is not a DNS-1123
    /// subdomain: a URL with a scheme, a path, a `:port`, uppercase letters, `_`. A trailing dot
    /// (a fully qualified name) is allowed.
    ///
    /// ## Why is this bad?
    /// An ExternalName Service is a DNS CNAME to `externalName`, so the value must be a host
    /// name and nothing else. The API server refuses anything else, so `kubectl apply` fails.
    /// Ports are not part of a CNAME: clients dial the port themselves.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: billing
    /// spec:
    ///   type: ExternalName
    ///   externalName: https://billing.example.com:8443
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: billing
    /// spec:
    ///   type: ExternalName
    ///   externalName: billing.example.com
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — type ExternalName](https://kubernetes.io/docs/concepts/services-networking/service/#externalname)
    /// - [Kubernetes: Object names — DNS subdomain names](https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names)
    pub static RULE = {
        id: "externalname-invalid-host",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        if !s.svc.is_external_name() {
            continue;
        }
        let o = cx.object(s.object);
        let help = "The API server refuses this Service, so `kubectl apply` fails. `externalName` is only a host name \
                    (lowercase, e.g. `billing.example.com`): no scheme, no path, no port; clients dial the port \
                    themselves.";
        match &s.svc.external_name {
            Some(en) if !en.value.trim_end_matches('.').is_empty() => {
                let host = en.value.strip_suffix('.').unwrap_or(&en.value);
                if is_dns1123_subdomain(host) {
                    continue;
                }
                out.push(
                    RULE.diagnostic(
                        format!("externalName `{}` is not a valid DNS host name: {}", en.value, problem(host)),
                        cx.key_value(en.key, en.span),
                    )
                    .with_object(o.reference())
                    .with_primary_label("not a DNS-1123 subdomain")
                    .with_help(help),
                );
            }
            other => {
                // Missing (or empty): anchor on the `externalName` key when written, else on `type`.
                let anchor = other.as_ref().map(|e| cx.key_value(e.key, e.span)).or_else(|| {
                    entry_at(&o.node, &["spec", "externalName"]).map(|e| e.key.span).or(s
                        .svc
                        .type_
                        .as_ref()
                        .map(|t| cx.key_value(t.key, t.span)))
                });
                let Some(anchor) = anchor else { continue };
                out.push(
                    RULE.diagnostic("an ExternalName Service needs an `externalName`", anchor)
                        .with_object(o.reference())
                        .with_primary_label("no externalName")
                        .with_help(help),
                );
            }
        }
    }
}

fn problem(host: &str) -> &'static str {
    if host.contains("://") {
        "it is a URL with a scheme"
    } else if host.contains('/') {
        "it contains a path"
    } else if host.contains(':') {
        "it contains a port or an IPv6 address"
    } else if host.contains('_') {
        "it contains an underscore"
    } else if host.bytes().any(|c| c.is_ascii_uppercase()) {
        "it contains uppercase letters"
    } else if host.len() > 253 {
        "it is longer than 253 characters"
    } else {
        "each dot-separated label must be lowercase letters, digits and `-`, not starting or ending with `-`"
    }
}
