use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a Service port whose protocol differs from the protocol of the only container
    /// ports it can target: same name (for a named `targetPort`) or same number, but another
    /// protocol (`TCP` is the default on both sides). It takes precedence over
    /// `named-port-unresolved` and `target-port-not-exposed` when the protocol is the only
    /// obstacle. Judged only when the selector matches at least one pod in the Service's
    /// namespace.
    ///
    /// ## Why is this bad?
    /// A named target port resolves only to a container port of the same protocol, so the
    /// Service port gets no endpoints; a numeric one sends, say, UDP to a process that listens
    /// on TCP. Classic case: a DNS Service port without `protocol: UDP`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: dns
    /// spec:
    ///   selector:
    ///     app: dns
    ///   ports:
    ///   - name: dns
    ///     port: 53
    ///     protocol: TCP
    ///     targetPort: dns
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: dns
    ///   labels:
    ///     app: dns
    /// spec:
    ///   containers:
    ///   - name: dns
    ///     image: coredns/coredns
    ///     ports:
    ///     - name: dns
    ///       containerPort: 53
    ///       protocol: UDP
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: dns
    /// spec:
    ///   selector:
    ///     app: dns
    ///   ports:
    ///   - name: dns
    ///     port: 53
    ///     protocol: UDP
    ///     targetPort: dns
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: dns
    ///   labels:
    ///     app: dns
    /// spec:
    ///   containers:
    ///   - name: dns
    ///     image: coredns/coredns
    ///     ports:
    ///     - name: dns
    ///       containerPort: 53
    ///       protocol: UDP
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Protocols for Services](https://kubernetes.io/docs/reference/networking/service-protocols/)
    pub static RULE = {
        id: "protocol-mismatch",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let o = cx.object(s.object);
        for p in &s.svc.ports {
            let Target::ProtocolOnly(others) = cx.resolve_target(s, p) else { continue };
            let proto = p.protocol();
            let theirs: Vec<&str> = {
                let mut v: Vec<&str> = others.iter().map(|(_, cp)| cp.protocol.as_str()).collect();
                v.sort_unstable();
                v.dedup();
                v
            };
            let target = match p.effective_target() {
                IntOrString::Int(n) => format!("port {n}"),
                IntOrString::Str(n) => format!("port `{n}`"),
            };
            let (anchor, label) = match &p.protocol {
                Some(pr) => (cx.key_value(pr.key, pr.span), format!("{proto} here")),
                None => (cx.to_line_end(cx.list_item(p.span)), format!("protocol defaults to {proto}")),
            };
            let mut d = RULE
                .diagnostic(
                    format!(
                        "Service port uses {proto}, but the container {target} of the selected pods is {}",
                        theirs.join("/")
                    ),
                    anchor,
                )
                .with_object(o.reference())
                .with_primary_label(label);
            for (pi, cp) in others.iter().take(2) {
                let po = cx.object(cx.pods[*pi].object);
                d = d.with_label(
                    cp.container_port.as_ref().map_or(cp.span, |c| cx.key_value(c.key, c.span)),
                    format!("{} declares it as {} in {}", target, cp.protocol, po.reference()),
                );
            }
            out.push(d.with_help(format!(
                "A Service port reaches a container port only with the same protocol, so this port gets no working \
                 backend. Set `protocol: {}` on the Service port (add a second port if both protocols are served).",
                theirs[0]
            )));
        }
    }
}
