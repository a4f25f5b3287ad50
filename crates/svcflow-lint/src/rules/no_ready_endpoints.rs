use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a Service whose selected workloads can never give a ready endpoint: every one has
    /// `replicas: 0` (and no autoscaler targets it), or is a Pod of the input whose status says
    /// `Ready` is `False` while the Service does not set `publishNotReadyAddresses: true`.
    ///
    /// ## Why is this bad?
    /// Only Ready pods become endpoints that receive traffic. With none, the Service has no
    /// backends and connections fail, even though the selector and ports are right.
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
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 0
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx
    ///         readinessProbe:
    ///           tcpSocket:
    ///             port: 80
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
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 2
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx
    ///         readinessProbe:
    ///           tcpSocket:
    ///             port: 80
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Pod lifecycle — Pod conditions](https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-conditions)
    /// - [Kubernetes API: ServiceSpec.publishNotReadyAddresses](https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec)
    pub static RULE = {
        id: "no-ready-endpoints",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        if !s.selects || s.selector_rejected || s.selected.is_empty() {
            continue;
        }
        let reasons: Option<Vec<(Span, String)>> =
            s.selected.iter().map(|&pi| never_ready(cx, pi, s.svc.publish_not_ready_addresses)).collect();
        let Some(reasons) = reasons else { continue };
        let Some(selector) = &s.svc.selector else { continue };
        let mut d = RULE
            .diagnostic("no selected pod can ever be ready, so the Service has no endpoints", selector.key)
            .with_object(cx.object(s.object).reference())
            .with_primary_label("selects only pods that are never ready");
        for (span, why) in reasons.iter().take(3) {
            d = d.with_label(*span, why.clone());
        }
        out.push(d.with_help(
            "Only Ready pods receive traffic. Scale the workload up (or let an autoscaler target it), or fix what \
             keeps the pods from becoming Ready.",
        ));
    }
}

/// Why the pod source can never give a ready endpoint, or `None` when it can.
fn never_ready(cx: &LintContext, pi: usize, publish_not_ready: bool) -> Option<(Span, String)> {
    let p = &cx.pods[pi];
    let o = cx.object(p.object);
    if let Some(w) = p.workload {
        let r = w.replicas.as_ref().filter(|r| r.value == 0)?;
        if cx.is_autoscaled(o) {
            return None;
        }
        let field = if matches!(o.kind.as_str(), "Job" | "CronJob") { "parallelism" } else { "replicas" };
        return Some((cx.key_value(r.key, r.span), format!("{} has {field}: 0", o.reference())));
    }
    let pod = p.pod?;
    if publish_not_ready || pod.status.ready != Some(false) {
        return None;
    }
    Some((pod.status.ready_span.unwrap_or(o.anchor()), format!("{} is not Ready", o.reference())))
}
