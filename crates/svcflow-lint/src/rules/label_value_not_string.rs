use super::prelude::*;
use svcflow_core::diag::Edit;
use svcflow_core::yaml::{Node, Typed, Value};

declare_rule! {
    /// ## What it does
    /// Reports a label, selector, annotation or node-selector value that YAML types as a number
    /// or a boolean, e.g. `version: 2`, `enabled: true`. `kubectl` reads YAML 1.1, where the
    /// unquoted words `yes`/`no`, `on`/`off` and `y`/`n` (also `Yes`, `NO`, …) are booleans
    /// too. A `null` value (`null`, `~`, or nothing after the colon) is not reported: it decodes
    /// to the empty string, a valid label value.
    ///
    /// ## Why is this bad?
    /// Label and annotation maps only hold strings. The JSON decoder in front of the API server
    /// fails on a number or a boolean (`cannot unmarshal number into Go struct field ... of type
    /// string`), so `kubectl apply` fails for the whole object.
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
    ///     version: 2
    ///   ports:
    ///   - port: 80
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
    ///     version: "2"
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Labels and Selectors — Syntax and character set](https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set)
    /// - [YAML 1.1: Boolean type](https://yaml.org/type/bool.html)
    pub static RULE = {
        id: "label-value-not-string",
        severity: Error,
        verdict: Rejected,
        check: Some(check),
    }
}

/// Keys whose value is a `map[string]string` wherever they appear in the built-in kinds.
const STRING_MAPS: [&str; 4] = ["labels", "annotations", "matchLabels", "nodeSelector"];

/// Subtrees of the built-in kinds that hold no label map (skipped to keep the walk cheap).
const NO_LABELS: [&str; 12] = [
    "containers",
    "initContainers",
    "ephemeralContainers",
    "volumes",
    "status",
    "data",
    "binaryData",
    "stringData",
    "ports",
    "endpoints",
    "subsets",
    "rules",
];

fn check(cx: &LintContext, out: &mut Vec<Diagnostic>) {
    // the walk's stack, reused for every object
    let mut todo = Vec::new();
    for o in cx.objects {
        let mut report = |key: &str, map: &str, value: &Node, key_span: Span| {
            let Some(scalar) = value.as_scalar() else { return };
            let kind = match scalar.typed() {
                Typed::Bool(_) => "a boolean",
                Typed::Int(_) | Typed::BigInt | Typed::Float(_) => "a number",
                Typed::Null | Typed::Str(_) => return,
            };
            let what = match map {
                "annotations" => "annotation",
                "nodeSelector" => "node selector",
                "selector" | "matchLabels" => "selector",
                _ => "label",
            };
            out.push(
                RULE.diagnostic(
                    format!("{what} `{key}` has the value {}, which YAML reads as {kind}, not a string", scalar.text),
                    cx.key_value(key_span, value.span),
                )
                .with_object(o.reference())
                .with_primary_label(format!("{kind}; quote it"))
                .with_help(format!(
                    "Label, selector and annotation values must be strings: decoding fails and `kubectl apply` \
                     refuses the whole object. Quote the value: `{key}: \"{}\"`.",
                    scalar.text
                ))
                .with_fix(
                    "quote the value",
                    vec![Edit { span: value.span, replacement: format!("\"{}\"", scalar.text.replace('"', "\\\"")) }],
                ),
            );
        };
        match o.body {
            Body::Other | Body::KubeProxyConfiguration(_) => {
                // Unmodelled kinds: only ObjectMeta is known to be string maps.
                if let Some(meta) = o.node.get("metadata") {
                    for key in ["labels", "annotations"] {
                        visit_map(meta.get(key), key, &mut report);
                    }
                }
            }
            _ => walk(&o.node, o.kind == "Service", &mut todo, &mut report),
        }
    }
}

fn visit_map(map: Option<&Node>, name: &str, report: &mut impl FnMut(&str, &str, &Node, Span)) {
    let Some(entries) = map.and_then(Node::as_map) else { return };
    for e in entries {
        if let Some(k) = e.key.as_scalar() {
            report(&k.text, name, &e.value, e.key.span);
        }
    }
}

/// Every string map of a built-in object: the keys of `STRING_MAPS` at any depth, and a
/// Service's `spec.selector`.
fn walk<'n>(
    node: &'n Node,
    service: bool,
    todo: &mut Vec<(&'n Node, usize, bool)>,
    report: &mut impl FnMut(&str, &str, &Node, Span),
) {
    todo.clear();
    todo.push((node, 0, false));
    while let Some((n, depth, in_spec)) = todo.pop() {
        match &n.value {
            Value::Map(entries) => {
                for e in entries {
                    // a scalar value is neither a string map nor anything to descend into
                    if matches!(e.value.value, Value::Scalar(_)) {
                        continue;
                    }
                    let key = e.key.as_scalar().map_or("", |k| &*k.text);
                    if STRING_MAPS.contains(&key) || (service && in_spec && key == "selector") {
                        visit_map(Some(&e.value), key, report);
                    } else if !NO_LABELS.contains(&key) {
                        todo.push((&e.value, depth + 1, depth == 0 && key == "spec"));
                    }
                }
            }
            Value::Seq(items) => todo.extend(items.iter().map(|i| (i, depth + 1, false))),
            Value::Scalar(_) => {}
        }
    }
}
