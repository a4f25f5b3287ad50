//! Property tests: selector matching and target-port resolution against simple reference models.

use proptest::prelude::*;
use svcflow_core::model::resolve_target;
use svcflow_core::objects::{IntOrString, LabelEntry, LabelSelector, Labels, Requirement, ScalarKind};
use svcflow_core::{analyze, Options, Sources};

fn labels(pairs: &[(String, String)]) -> Labels {
    Labels {
        entries: pairs
            .iter()
            .map(|(k, v)| LabelEntry {
                key: k.clone(),
                value: v.clone(),
                key_span: Default::default(),
                value_span: Default::default(),
                value_kind: ScalarKind::String,
            })
            .collect(),
        ..Default::default()
    }
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["app", "tier", "version", "team"]).prop_map(str::to_string)
}
fn value() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["web", "api", "db", "v1", "v2", ""]).prop_map(str::to_string)
}
fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((key(), value()), 0..4)
}

/// The last value of a key wins (as in a YAML/JSON map read by the API server).
fn get<'a>(pairs: &'a [(String, String)], k: &str) -> Option<&'a str> {
    pairs.iter().rev().find(|(x, _)| x == k).map(|(_, v)| v.as_str())
}

proptest! {
    /// Service selectors: every key/value of the selector must be on the pod.
    #[test]
    fn equality_selector_matches_iff_every_pair_is_present(sel in pairs(), pod in pairs()) {
        let expected = sel.iter().all(|(k, v)| get(&pod, k) == Some(v.as_str()));
        prop_assert_eq!(labels(&sel).selects(&labels(&pod)), expected);
    }

    /// matchLabels + matchExpressions, as metav1.LabelSelectorAsSelector.
    #[test]
    fn label_selector_semantics(
        ml in pairs(),
        exprs in prop::collection::vec((key(), prop::sample::select(vec!["In", "NotIn", "Exists", "DoesNotExist"]), prop::collection::vec(value(), 0..3)), 0..3),
        pod in pairs(),
    ) {
        let selector = LabelSelector {
            match_labels: labels(&ml),
            match_expressions: exprs
                .iter()
                .map(|(k, op, vals)| Requirement { key: k.clone(), operator: op.to_string(), values: vals.clone(), span: Default::default() })
                .collect(),
            ..Default::default()
        };
        let expected = ml.iter().all(|(k, v)| get(&pod, k) == Some(v.as_str()))
            && exprs.iter().all(|(k, op, vals)| {
                let v = get(&pod, k);
                match *op {
                    "In" => v.is_some_and(|v| vals.iter().any(|x| x == v)),
                    "NotIn" => v.is_none_or(|v| !vals.iter().any(|x| x == v)),
                    "Exists" => v.is_some(),
                    _ => v.is_none(),
                }
            });
        prop_assert_eq!(selector.matches(&labels(&pod)), expected);
    }

    /// A named targetPort resolves to the number of the first serving container port with that
    /// name and the Service port's protocol; a number resolves to itself; 0 / absent → `port`.
    #[test]
    fn target_port_resolution(
        ports in prop::collection::vec((prop::sample::select(vec!["http", "grpc", "metrics"]), 1i64..65536, prop::sample::select(vec!["TCP", "UDP"]), any::<bool>()), 0..5),
        target in prop::option::of(prop_oneof![
            (0i64..70000).prop_map(IntOrString::Int),
            prop::sample::select(vec!["http", "grpc", "nope"]).prop_map(|s| IntOrString::Str(s.to_string())),
        ]),
        svc_port in 1i64..65536,
        protocol in prop::sample::select(vec!["TCP", "UDP"]),
    ) {
        // Build a Deployment whose first container is regular and whose `init` entries are plain
        // init containers (their ports must not count).
        let port_list = |init: bool| -> String {
            let items: Vec<String> = ports
                .iter()
                .filter(|p| p.3 == init)
                .map(|(name, number, proto, _)| format!("{{name: {name}, containerPort: {number}, protocol: {proto}}}"))
                .collect();
            format!("[{}]", items.join(", "))
        };
        let yaml = format!(
            "kind: Deployment\nmetadata: {{name: d}}\nspec:\n  template:\n    spec:\n      containers:\n        - {{name: main, ports: {}}}\n      initContainers:\n        - {{name: setup, ports: {}}}\n",
            port_list(false),
            port_list(true)
        );
        let mut target_yaml = String::new();
        if let Some(t) = &target {
            match t {
                IntOrString::Int(n) => target_yaml = format!(", targetPort: {n}"),
                IntOrString::Str(s) => target_yaml = format!(", targetPort: {s}"),
            }
        }
        let svc = format!("---\nkind: Service\nmetadata: {{name: s}}\nspec:\n  ports: [{{port: {svc_port}, protocol: {protocol}{target_yaml}}}]\n");
        let a = analyze(&Sources::single("p", format!("{yaml}{svc}")), &Options::default());
        let spec = match &a.objects[0].body { svcflow_core::objects::Body::Workload(w) => &w.template.spec, _ => unreachable!() };
        let port = &a.objects[1].service().unwrap().ports[0];
        let got = resolve_target(port, spec).map(|(n, _)| n);
        let expected = match &target {
            None | Some(IntOrString::Int(0)) => Ok(svc_port),
            Some(IntOrString::Int(n)) => Ok(*n),
            Some(IntOrString::Str(name)) => ports
                .iter()
                .find(|(n, _, p, is_init)| !is_init && n == name && *p == protocol)
                .map(|(_, number, _, _)| *number)
                .ok_or(()),
        };
        prop_assert_eq!(got.map_err(|_| ()), expected);
    }
}
