use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a Service whose selector matches the pods of two or more workloads where a
    /// Service port has a numeric `targetPort` (or none, so `port` is used) that at least one of
    /// those workloads declares as a container port and at least one other does not.
    ///
    /// A named `targetPort` is not judged here: pods that lack the name get no endpoint for that
    /// port, so no traffic reaches them.
    ///
    /// ## Why is this bad?
    /// Traffic is spread over all Ready selected pods. The share that lands on pods not serving
    /// the port fails (connection refused, or the wrong protocol on that port). Typical cause: a
    /// generic selector such as `app: shop` that also matches a worker or a migration Job.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: shop
    /// spec:
    ///   selector:
    ///     app: shop
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: shop-web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: shop, component: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: shop, component: web}
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: example/shop-web
    ///         ports:
    ///         - containerPort: 8080
    ///         readinessProbe:
    ///           httpGet: {path: /healthz, port: 8080}
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: shop-worker
    /// spec:
    ///   selector:
    ///     matchLabels: {app: shop, component: worker}
    ///   template:
    ///     metadata:
    ///       labels: {app: shop, component: worker}
    ///     spec:
    ///       containers:
    ///       - name: worker
    ///         image: example/shop-worker
    ///         ports:
    ///         - containerPort: 9090
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: shop
    /// spec:
    ///   selector:
    ///     app: shop
    ///     component: web
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: shop-web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: shop, component: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: shop, component: web}
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: example/shop-web
    ///         ports:
    ///         - containerPort: 8080
    ///         readinessProbe:
    ///           httpGet: {path: /healthz, port: 8080}
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Labels and Selectors](https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/)
    /// - [Kubernetes: Recommended labels](https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/)
    pub static RULE = {
        id: "selector-too-broad",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        let Some(first) = s.too_broad.first() else { continue };
        let Some(selector) = &s.svc.selector else { continue };
        let o = cx.object(s.object);
        let name = |p: usize| cx.object(cx.pods[p].object).reference();
        let lacking: Vec<String> = first.lacking.iter().map(|&p| name(p)).collect();
        let mut d = RULE
            .diagnostic(
                format!(
                    "the selector matches {} workloads, but {} of them do not serve target port {}",
                    s.selected.len(),
                    first.lacking.len(),
                    first.number
                ),
                selector.key,
            )
            .with_object(o.reference())
            .with_primary_label("too broad");
        for &p in first.declaring.iter().take(2) {
            d = d.with_label(cx.pods[p].labels.key, format!("{} declares port {}", name(p), first.number));
        }
        for &p in first.lacking.iter().take(3) {
            d = d.with_label(
                cx.pods[p].labels.key,
                format!("{} is selected too, but does not declare port {}", name(p), first.number),
            );
        }
        out.push(d.with_help(format!(
            "Traffic is spread over all Ready selected pods, so part of it lands on {} and fails. Add a label that \
             only the serving workload carries (e.g. `component: web`) to the selector and to that pod template.",
            lacking.join(", ")
        )));
    }
}
