//! The package's functions as JavaScript sees them, in a browser:
//! `wasm-pack test --headless --chrome crates/svcflow-js`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const WEB: &str = include_str!("../../../tests/fixtures/engine/frontend-backend.yaml");
const BROKEN: &str = include_str!("../../../tests/fixtures/engine/broken-docs.yaml");

/// `value.a.b.0.c`
fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| match key.parse::<u32>() {
        Ok(i) => Reflect::get_u32(&v, i).unwrap(),
        Err(_) => Reflect::get(&v, &key.into()).unwrap(),
    })
}

fn len(value: &JsValue) -> u32 {
    value.dyn_ref::<Array>().expect("an array").length()
}

fn options(json: &str) -> Option<svcflow_js::SvcflowOptions> {
    Some(JSON::parse(json).unwrap().unchecked_into())
}

fn error_message(e: wasm_bindgen::JsError) -> String {
    get(&JsValue::from(e), "message").as_string().unwrap()
}

#[wasm_bindgen_test]
fn analyze_returns_plain_data() {
    let r: JsValue = svcflow_js::analyze(WEB, None).unwrap().into();
    // a plain object: it survives JSON.stringify and has no prototype magic
    assert!(JSON::stringify(&r).unwrap().as_string().unwrap().starts_with("{\"objects\":"));
    assert_eq!(len(&get(&r, "objects")), 2);
    assert_eq!(get(&r, "objects.0.kind").as_string().unwrap(), "Service");
    assert_eq!(get(&r, "objects.0.namespace").as_string().unwrap(), "shop");
    assert_eq!(get(&r, "objects.0.line").as_f64().unwrap(), 2.0);
    assert_eq!(len(&get(&r, "diagnostics")), 0);
    assert!(get(&r, "iptables").as_string().unwrap().contains("KUBE-SVC-"));
    assert!(get(&r, "iptablesError").is_null());
    assert!(get(&r, "mermaid").as_string().unwrap().starts_with("flowchart LR"));
    assert_eq!(len(&get(&r, "endpoints.0.endpoints")), 3);
    assert_eq!(get(&r, "endpoints.0.portName").as_string().unwrap(), "http");

    let nodes = get(&r, "graph.nodes");
    let labels: Vec<String> =
        (0..len(&nodes)).map(|i| get(&nodes, &format!("{i}.label")).as_string().unwrap()).collect();
    assert!(labels.iter().any(|l| l.starts_with("KUBE-SVC-")), "{labels:?}");
    assert!(labels.iter().any(|l| l == "shop/web"), "{labels:?}");
    assert!(get(&nodes, "0.x").as_f64().is_some() && get(&nodes, "0.width").as_f64().unwrap() > 0.0);
    assert!(get(&nodes, "0.spans.0.endLine").as_f64().unwrap() >= 1.0);
    assert!(get(&r, "graph.edges.0.path").as_string().unwrap().starts_with('M'));
    assert!(get(&r, "graph.edges.0.labelX").as_f64().is_some());
    assert_eq!(len(&get(&r, "graph.lanes")), 5);
    assert!(get(&r, "explain.0").as_string().unwrap().contains("web.shop.svc.cluster.local"));
}

#[wasm_bindgen_test]
fn diagnostics_have_the_cli_shape() {
    let r: JsValue = svcflow_js::analyze(BROKEN, None).unwrap().into();
    let d = get(&r, "diagnostics");
    assert!(len(&d) >= 2);
    // The linter's findings, sorted by position; the syntax error is among them.
    let yaml_error = (0..len(&d))
        .map(|i| i.to_string())
        .find(|i| get(&d, &format!("{i}.rule")).as_string().as_deref() == Some("invalid-yaml"))
        .expect("an invalid-yaml diagnostic");
    assert_eq!(get(&d, &format!("{yaml_error}.severity")).as_string().unwrap(), "error");
    for key in ["rule", "message", "object", "line", "column", "end_line", "end_column", "help", "suppressed"] {
        assert!(Reflect::has(&get(&d, &yaml_error), &key.into()).unwrap(), "{key}");
    }
    // the good documents are still read
    assert!(len(&get(&r, "objects")) >= 2);
}

#[wasm_bindgen_test]
fn options_are_applied() {
    let yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n";
    let r: JsValue =
        svcflow_js::analyze(yaml, options(r#"{"namespace":"data","clusterDomain":"corp.local"}"#)).unwrap().into();
    assert_eq!(get(&r, "objects.0.namespace").as_string().unwrap(), "data");
    assert!(get(&r, "explain.0").as_string().unwrap().contains("db.data.svc.corp.local"));
    // null and undefined mean "no options"
    assert!(svcflow_js::analyze(yaml, Some(JsValue::NULL.unchecked_into())).is_ok());
}

#[wasm_bindgen_test]
fn bad_options_throw() {
    let e = svcflow_js::analyze(WEB, options(r#"{"ipFamily":"ipv5"}"#)).err().unwrap();
    assert!(error_message(e).contains("ipFamily"));
    let e = svcflow_js::analyze(WEB, options(r#"{"namespaec":"x"}"#)).err().unwrap();
    assert!(error_message(e).contains("namespaec"));
}

#[wasm_bindgen_test]
fn resolve_dns() {
    let r: JsValue = svcflow_js::resolve_dns(WEB, "web", Some("shop".into()), None).unwrap().into();
    assert_eq!(get(&r, "answers.0.name").as_string().unwrap(), "web.shop.svc.cluster.local");
    assert_eq!(get(&r, "answers.0.type").as_string().unwrap(), "A");
    assert_eq!(get(&r, "nxdomain").as_bool(), Some(false));
    let r: JsValue = svcflow_js::resolve_dns(WEB, "web", Some("other".into()), None).unwrap().into();
    assert_eq!(get(&r, "nxdomain").as_bool(), Some(true));
    assert_eq!(len(&get(&r, "attempts")), 4);
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(svcflow_js::version(), env!("CARGO_PKG_VERSION"));
}
