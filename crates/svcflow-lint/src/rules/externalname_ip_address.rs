use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports an ExternalName Service whose `externalName` is an IPv4 address literal.
    ///
    /// ## Why is this bad?
    /// The value passes validation (`10.0.0.5` is a valid DNS-1123 subdomain), but an
    /// ExternalName Service is only a DNS CNAME. CoreDNS publishes no record at all for an IP
    /// address value, and other DNS servers publish a CNAME to a "name" made of digits, which
    /// does not resolve either: the Service name resolves to nothing. (An IPv6 literal fails
    /// validation and is `externalname-invalid-host`.)
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: legacy-db
    /// spec:
    ///   type: ExternalName
    ///   externalName: 10.20.30.40
    /// ```
    ///
    /// ## Use instead
    /// A selector-less Service with a hand-made EndpointSlice gives a stable name for an IP:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: legacy-db
    /// spec:
    ///   ports:
    ///   - name: postgres
    ///     port: 5432
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: legacy-db-1
    ///   labels:
    ///     kubernetes.io/service-name: legacy-db
    /// addressType: IPv4
    /// ports:
    /// - name: postgres
    ///   port: 5432
    /// endpoints:
    /// - addresses:
    ///   - 10.20.30.40
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — type ExternalName](https://kubernetes.io/docs/concepts/services-networking/service/#externalname)
    /// - [Kubernetes: Services without selectors](https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors)
    pub static RULE = {
        id: "externalname-ip-address",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        if !s.svc.is_external_name() {
            continue;
        }
        let Some(en) = &s.svc.external_name else { continue };
        let host = en.value.strip_suffix('.').unwrap_or(&en.value);
        if host.parse::<std::net::Ipv4Addr>().is_err() {
            continue;
        }
        out.push(
            RULE.diagnostic(
                format!("externalName `{}` is an IP address; the Service name will resolve to nothing", en.value),
                cx.key_value(en.key, en.span),
            )
            .with_object(cx.object(s.object).reference())
            .with_primary_label("an IP address, not a host name")
            .with_help(
                "An ExternalName Service is only a DNS CNAME, and CoreDNS publishes no record for an IP address. Use \
                 a host name here, or for a fixed IP use a Service without selector plus an EndpointSlice that \
                 lists the address.",
            ),
        );
    }
}
