use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a port of an ExternalName Service whose `targetPort` differs from its `port`.
    ///
    /// ## Why is this bad?
    /// An ExternalName Service is only a DNS CNAME: no proxy sits in between, so no port
    /// translation happens. A client that dials `port` reaches the external host on `port`,
    /// not on `targetPort`; clients must dial the real port.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: mail
    /// spec:
    ///   type: ExternalName
    ///   externalName: smtp.example.com
    ///   ports:
    ///   - port: 25
    ///     targetPort: 2525
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: mail
    /// spec:
    ///   type: ExternalName
    ///   externalName: smtp.example.com
    ///   ports:
    ///   - port: 2525
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — type ExternalName](https://kubernetes.io/docs/concepts/services-networking/service/#externalname)
    pub static RULE = {
        id: "externalname-port-remap",
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
        for p in s.svc.ports.iter().filter(|p| port_is_valid(p)) {
            let Some(t) = &p.target_port else { continue };
            let target = p.effective_target();
            if target == IntOrString::Int(p.port()) {
                continue;
            }
            let shown = match &target {
                IntOrString::Int(n) => n.to_string(),
                IntOrString::Str(s) => format!("`{s}`"),
            };
            out.push(
                RULE.diagnostic(
                    format!(
                        "targetPort {shown} differs from port {} on an ExternalName Service, which remaps no ports",
                        p.port()
                    ),
                    cx.key_value(t.key, t.span),
                )
                .with_object(cx.object(s.object).reference())
                .with_primary_label("ignored: no port translation for a DNS alias")
                .with_help(format!(
                    "An ExternalName Service is a DNS CNAME; clients connect straight to the external host on the port \
                     they dial. Set `port` to the real port ({shown}) and drop `targetPort`, and make clients dial it."
                )),
            );
        }
    }
}
