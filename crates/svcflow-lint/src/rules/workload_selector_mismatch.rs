use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a Deployment, StatefulSet, DaemonSet or ReplicaSet whose `spec.selector` is not
    /// satisfied by its own `spec.template.metadata.labels`. The finding points at the first
    /// `matchLabels` entry (or `matchExpressions` item) that the template labels do not satisfy.
    ///
    /// ## Why is this bad?
    /// A controller manages the pods its selector matches; pods created from a template that
    /// the selector does not match would be orphaned at once. The API server refuses the
    /// object (`selector does not match template labels`), so `kubectl apply` fails.
    ///
    /// ## Example
    /// ```yaml
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
    ///         app: website
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
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
    /// ## References
    /// - [Kubernetes: Deployments — Selector](https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector)
    pub static RULE = {
        id: "workload-selector-mismatch",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    for p in &cx.pods {
        let o = cx.object(p.object);
        if !matches!(o.kind.as_str(), "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet") {
            continue;
        }
        let Some(sel) = p.workload.and_then(|w| w.selector.as_ref()) else { continue };
        let labels = p.labels;
        let bad_label = sel.match_labels.entries.iter().find(|e| labels.get(&e.key) != Some(e.value.as_str()));
        let (anchor, message) = if let Some(e) = bad_label {
            let found = match labels.get(&e.key) {
                Some(v) => format!("the template has `{}: {v}`", e.key),
                None => format!("the template has no `{}` label", e.key),
            };
            (
                cx.key_value(e.key_span, e.value_span),
                format!("the selector requires `{}: {}`, but {found}", e.key, e.value),
            )
        } else if let Some(r) = sel.match_expressions.iter().find(|r| {
            let single = LabelSelector { match_expressions: vec![(*r).clone()], ..Default::default() };
            !single.matches(labels)
        }) {
            (
                cx.to_line_end(cx.list_item(r.span)),
                format!("the template labels do not satisfy the selector expression `{} {}`", r.key, r.operator),
            )
        } else {
            continue;
        };
        let template_labels = if labels.key.is_empty() { p.spec.containers_key } else { labels.key };
        out.push(
            RULE.diagnostic(message, anchor)
                .with_object(o.reference())
                .with_primary_label("not satisfied by the pod template")
                .with_label(template_labels, "template labels")
                .with_help(
                    "The API server refuses a workload whose selector does not match its own pod template, so \
                     `kubectl apply` fails. Make `spec.template.metadata.labels` contain every `matchLabels` entry \
                     (the selector of an existing workload cannot be changed: fix the template).",
                ),
        );
    }
}
