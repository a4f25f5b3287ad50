use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a workload selected by at least one Service when none of its containers has a
    /// `readinessProbe` (one container with a probe is enough). Not reported: workloads that no
    /// Service selects, Services with `publishNotReadyAddresses: true`, and a workload that a
    /// Service reported as `selector-too-broad` takes in without it serving the port (the broad
    /// selector is the root cause).
    ///
    /// ## Why is this bad?
    /// Without a readiness probe a pod counts as Ready as soon as its containers start, so it
    /// receives traffic while the application is still booting, warming caches or migrating,
    /// and during every rollout clients see errors.
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
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
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
    ///         image: example/web
    ///         ports:
    ///         - containerPort: 8080
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
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
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
    ///         image: example/web
    ///         ports:
    ///         - containerPort: 8080
    ///         readinessProbe:
    ///           httpGet:
    ///             path: /ready
    ///             port: 8080
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Configure Liveness, Readiness and Startup Probes](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/)
    pub static RULE = {
        id: "missing-readiness-probe",
        severity: Warning,
        verdict: Risky,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for (pi, p) in cx.pods.iter().enumerate() {
        if p.workload.is_none() || p.has_readiness_probe() {
            continue;
        }
        let judged = |s: &&ServiceInfo| {
            !s.svc.publish_not_ready_addresses && !s.too_broad.iter().any(|t| t.lacking.contains(&pi))
        };
        let services: Vec<&ServiceInfo> = cx.services_selecting(pi).filter(judged).collect();
        let Some(first) = services.first() else { continue };
        let o = cx.object(p.object);
        let names: Vec<String> = services.iter().map(|s| cx.object(s.object).reference()).collect();
        let mut d = RULE
            .diagnostic(
                format!("{} receives Service traffic but none of its containers has a readinessProbe", o.reference()),
                p.spec.containers_key,
            )
            .with_object(o.reference())
            .with_primary_label("no readinessProbe in these containers");
        if let Some(sel) = &first.svc.selector {
            d = d.with_label(sel.key, format!("selected by {}", names[0]));
        }
        out.push(d.with_help(format!(
            "Selected by {}: without a readiness probe each pod gets traffic as soon as its process starts, before the \
             application can serve it. Add a `readinessProbe` (httpGet, tcpSocket, grpc or exec) that succeeds only \
             when the application is ready.",
            names.join(", ")
        )));
    }
}
