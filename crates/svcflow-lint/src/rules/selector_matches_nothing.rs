use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a Service whose selector no pod and no pod template of the input satisfies, in
    /// any namespace. (When pods in another namespace match, the finding is
    /// `cross-namespace-selector` instead.)
    ///
    /// ## Why is this bad?
    /// A Service routes to the Ready pods whose labels contain *every* key/value of its
    /// selector. With no such pod it has no endpoints: connections to its cluster IP are
    /// refused or time out, and DNS for a headless Service returns nothing. The usual causes are
    /// a typo or labels that drifted between the Service and the workload.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web-frontend
    ///   ports:
    ///   - port: 80
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
    ///         image: nginx
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
    /// - [Kubernetes: Service — Services without selectors / with selectors](https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service)
    /// - [Kubernetes: Debug Services — Does the Service have any Endpoints?](https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/#does-the-service-have-any-endpoints)
    pub static RULE = {
        id: "selector-matches-nothing",
        severity: Error,
        verdict: Broken,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for s in &cx.services {
        if !s.selects || s.selector_rejected || !s.selected.is_empty() || !s.elsewhere.is_empty() {
            continue;
        }
        let Some(selector) = &s.svc.selector else { continue };
        let o = cx.object(s.object);
        let wanted: Vec<String> = selector.entries.iter().map(|e| format!("{}={}", e.key, e.value)).collect();
        let mut d = RULE
            .diagnostic(format!("the selector {} matches no pod or pod template", wanted.join(",")), selector.key)
            .with_object(o.reference())
            .with_primary_label("matches nothing");
        let mut help = String::from(
            "A Service sends traffic only to pods whose labels contain every key/value of its selector; with none it \
             has no endpoints and connections fail.",
        );
        // The closest pod source in the namespace: the most selector entries satisfied.
        let closest = cx
            .pods_in_namespace
            .get(o.namespace.as_str())
            .into_iter()
            .flatten()
            .map(|&pi| {
                let p = &cx.pods[pi];
                (selector.entries.iter().filter(|e| p.labels.get(&e.key) == Some(e.value.as_str())).count(), pi)
            })
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, pi)| (*n, std::cmp::Reverse(*pi)));
        if let Some((_, pi)) = closest {
            let p = &cx.pods[pi];
            let po = cx.object(p.object);
            let diffs: Vec<String> = selector
                .entries
                .iter()
                .filter(|e| p.labels.get(&e.key) != Some(e.value.as_str()))
                .map(|e| match p.labels.get(&e.key) {
                    Some(v) => format!("`{}` is `{v}`, not `{}`", e.key, e.value),
                    None => format!("no `{}` label", e.key),
                })
                .collect();
            d = d.with_label(p.labels.key, format!("closest: {} ({})", po.reference(), diffs.join(", ")));
            help.push_str(&format!(
                " The closest candidate is {}: make its pod template labels and this selector agree.",
                po.reference()
            ));
        } else {
            help.push_str(
                " Check the selector for typos against the pod template labels of the workload it should reach.",
            );
        }
        out.push(d.with_help(help));
    }
}
