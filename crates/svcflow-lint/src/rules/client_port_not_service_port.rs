use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a workload that dials `<service>:<port>` (in an `env[].value`, `args` or
    /// `command`, after `$(VAR)` expansion) where the Service exists and is not headless but has
    /// no such `port`: typically the author used the `targetPort` or container port. A URL
    /// without a port dials its scheme's default (`http` 80, `https` 443); a bare host name, or
    /// another scheme without a port, is not judged. For an ExternalName Service whose
    /// `externalName` is the cluster name of another Service of the input, that Service is
    /// judged instead.
    ///
    /// ## Why is this bad?
    /// A Service's cluster IP only listens on the Service's `port`s; kube-proxy forwards them
    /// to the `targetPort`s. Dialling the container port on the Service name is refused or
    /// times out.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: orders
    /// spec:
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
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
    ///       value: http://orders:8080/api
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: orders
    /// spec:
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
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
    ///       value: http://orders/api
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Service — Defining a Service (port and targetPort)](https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service)
    /// - [Kubernetes: Connecting Applications with Services](https://kubernetes.io/docs/tutorials/services/connect-applications-service/)
    pub static RULE = {
        id: "client-port-not-service-port",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for c in &cx.clients {
        let DnsTarget::Service { name, namespace } = &c.target else { continue };
        let Some(port) = c.host.port else { continue };
        let o = cx.object(c.object);
        let ns = namespace.as_deref().unwrap_or(o.namespace.as_str());
        let Some(mut s) = cx.service(ns, name) else { continue };
        let mut via: Option<&ServiceInfo> = None;
        // An ExternalName alias of another Service of the input: judge that one.
        for _ in 0..8 {
            if !s.svc.is_external_name() {
                break;
            }
            let Some(next) = s.svc.external_name.as_ref().and_then(|en| cluster_service(cx, &en.value)) else { break };
            via.get_or_insert(s);
            s = next;
        }
        let svc = s.svc;
        if svc.is_external_name() || svc.is_headless() || svc.ports.is_empty() || cx.rejected[s.object] {
            continue;
        }
        if svc.ports.iter().any(|p| p.port() == i64::from(port)) {
            continue;
        }
        let so = cx.object(s.object);
        let ports: Vec<String> = svc.ports.iter().map(|p| p.port().to_string()).collect();
        let target = svc.ports.iter().find(|p| p.effective_target() == IntOrString::Int(i64::from(port)));
        let implicit = if c.host.default_port { " (the URL scheme's default port)" } else { "" };
        let alias = via.map_or(String::new(), |v| {
            format!(" (through the ExternalName alias {})", cx.object(v.object).reference())
        });
        let mut d = RULE
            .diagnostic(
                format!(
                    "{} dials port {port}{implicit} of Service {}{alias}, which only has port{} {}",
                    o.reference(),
                    so.reference(),
                    if ports.len() == 1 { "" } else { "s" },
                    ports.join(", ")
                ),
                c.span,
            )
            .with_object(o.reference())
            .with_primary_label(format!("port {port} is not a Service port"))
            .with_label(svc.ports_key, format!("ports of {}", so.reference()));
        let help = match target {
            Some(p) => {
                d = d.with_label(
                    p.target_port.as_ref().map_or(p.span, |t| cx.key_value(t.key, t.span)),
                    format!("{port} is the targetPort of port {}", p.port()),
                );
                format!(
                    "{port} is the container port behind Service port {}: clients must dial the Service port, which \
                     kube-proxy forwards to {port}. Use `{}:{}`.",
                    p.port(),
                    c.host.host,
                    p.port()
                )
            }
            None => format!(
                "The Service's cluster IP only accepts its own ports ({}); a connection to {port} fails. Dial one of \
                 them, or add port {port} to the Service.",
                ports.join(", ")
            ),
        };
        out.push(d.with_help(help));
    }
}

/// The Service of the input that a cluster name `<svc>.<ns>.svc.<domain>[.]` names.
fn cluster_service<'c, 'a>(cx: &'c LintContext<'a>, host: &str) -> Option<&'c ServiceInfo<'a>> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let suffix = format!(".svc.{}", cx.options.cluster_domain.trim_matches('.'));
    let (svc, ns) = host.strip_suffix(&suffix)?.split_once('.')?;
    if ns.contains('.') {
        return None;
    }
    cx.service(ns, svc)
}
