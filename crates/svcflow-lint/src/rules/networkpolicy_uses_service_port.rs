use super::prelude::*;
use svcflow_core::yaml::{Node, Typed};

declare_rule! {
    /// ## What it does
    /// Reports a NetworkPolicy ingress rule, on a policy that selects a Service's pods, that
    /// allows the Service's `port` but not the pod-side port (the `targetPort` number or the
    /// container port name it resolves to).
    ///
    /// ## Why is this bad?
    /// Network policies are enforced at the pod, after kube-proxy has translated the Service
    /// address and port into a pod address and `targetPort`. A rule allowing the Service port
    /// (`80`) does not allow the traffic, which arrives on the container port (`8080`): it is
    /// dropped, and the Service looks down from every client the policy was meant to admit.
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
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: example/web
    ///     ports:
    ///     - containerPort: 8080
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: web
    ///   ingress:
    ///   - ports:
    ///     - port: 80
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
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: example/web
    ///     ports:
    ///     - containerPort: 8080
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: web
    ///   ingress:
    ///   - ports:
    ///     - port: 8080
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Network Policies](https://kubernetes.io/docs/concepts/services-networking/network-policies/)
    /// - [Kubernetes: Network Policies — targeting a range of ports](https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports)
    pub static RULE = {
        id: "networkpolicy-uses-service-port",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for o in cx.objects {
        let Body::NetworkPolicy(np) = &o.body else { continue };
        if !np.policy_types.is_empty() && !np.policy_types.iter().any(|t| t == "Ingress") {
            continue;
        }
        // Only a rule that lists ports can allow the wrong one (and finding the pods and
        // Services a policy governs is most of this rule's work).
        if np.ingress.iter().all(|rule| rule.ports.is_empty()) {
            continue;
        }
        let governed = cx.pods_matching(&o.namespace, &np.pod_selector);
        if governed.is_empty() {
            continue;
        }
        // The Services selecting any governed pod (all in the policy's namespace).
        let mut services: Vec<&ServiceInfo> = governed.iter().flat_map(|&p| cx.services_selecting(p)).collect();
        services.sort_by_key(|s| s.object);
        services.dedup_by_key(|s| s.object);
        let mut reported: Vec<Span> = Vec::new();
        for s in services {
            let pods: Vec<usize> = s.selected.iter().copied().filter(|p| governed.binary_search(p).is_ok()).collect();
            for sp in s.svc.ports.iter().filter(|p| port_is_valid(p)) {
                let proto = sp.protocol();
                let (numbers, names) = pod_side(cx, &pods, sp);
                if numbers.contains(&sp.port()) {
                    continue; // no translation: the Service port is the pod port
                }
                for rule in &np.ingress {
                    if rule.ports.is_empty() {
                        continue; // all ports allowed
                    }
                    let allows_target = rule.ports.iter().any(|pp| {
                        pp.protocol == proto
                            && match pp.port.as_ref().map(|p| &p.value) {
                                None => true,
                                Some(IntOrString::Int(n)) => {
                                    let end = end_port(o, pp).unwrap_or(*n);
                                    numbers.iter().any(|t| (*n..=end).contains(t))
                                }
                                Some(IntOrString::Str(name)) => names.contains(name),
                            }
                    });
                    if allows_target {
                        continue;
                    }
                    let service_port = rule.ports.iter().find(|pp| {
                        pp.protocol == proto
                            && matches!(pp.port.as_ref().map(|p| &p.value), Some(IntOrString::Int(n))
                                if (*n..=end_port(o, pp).unwrap_or(*n)).contains(&sp.port()))
                    });
                    let Some(port) = service_port.and_then(|pp| pp.port.as_ref()) else { continue };
                    let anchor = cx.key_value(port.key, port.span);
                    if reported.contains(&anchor) {
                        continue;
                    }
                    reported.push(anchor);
                    let so = cx.object(s.object);
                    let target = match sp.effective_target() {
                        IntOrString::Int(n) => n.to_string(),
                        IntOrString::Str(n) => match numbers.as_slice() {
                            [one] => format!("{one} (`{n}`)"),
                            _ => format!("`{n}`"),
                        },
                    };
                    let target_span = sp.target_port.as_ref().map_or(sp.span, |t| cx.key_value(t.key, t.span));
                    out.push(
                        RULE.diagnostic(
                            format!(
                                "this rule allows Service port {} of {}, but the pods receive the traffic on port {target}",
                                sp.port(),
                                so.reference()
                            ),
                            anchor,
                        )
                        .with_object(o.reference())
                        .with_primary_label("the Service port, not the pod port")
                        .with_label(target_span, format!("{} forwards {} to {target}", so.reference(), sp.port()))
                        .with_help(format!(
                            "Network policies see traffic after the Service has translated it to the pod's port, so \
                             traffic to {} is dropped. Allow port {target} (the targetPort) in this rule.",
                            so.reference()
                        )),
                    );
                }
            }
        }
    }
}

/// The pod-side port numbers and names a Service port reaches on these pods.
fn pod_side(cx: &LintContext, pods: &[usize], sp: &ServicePort) -> (Vec<i64>, Vec<String>) {
    let mut numbers = Vec::new();
    let mut names = Vec::new();
    let target = sp.effective_target();
    if let IntOrString::Int(n) = target {
        numbers.push(n);
    }
    for &pi in pods {
        for (_, cp) in cx.pods[pi].ports() {
            if cp.protocol != sp.protocol() {
                continue;
            }
            let (Some(num), name) = (cp.container_port.as_ref().map(|c| c.value), cp.name.as_ref().map(|n| &n.value))
            else {
                continue;
            };
            let hit = match &target {
                IntOrString::Int(n) => num == *n,
                IntOrString::Str(t) => name == Some(t),
            };
            if hit {
                if !numbers.contains(&num) {
                    numbers.push(num);
                }
                if let Some(n) = name.filter(|n| !names.contains(*n)) {
                    names.push(n.clone());
                }
            }
        }
    }
    if let IntOrString::Str(t) = target {
        if !names.contains(&t) {
            names.push(t);
        }
    }
    (numbers, names)
}

fn end_port(o: &Object, pp: &PolicyPort) -> Option<i64> {
    match find_node(&o.node, pp.span)?.get("endPort").and_then(Node::typed) {
        Some(Typed::Int(n)) => Some(n),
        _ => None,
    }
}
