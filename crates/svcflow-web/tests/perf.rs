//! A smoke test of speed on a large input (about 100 KB, 188 Services, 376 pods): it must stay
//! usable while typing. Prints the phases (debug build: slower than release).
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use svcflow_core::kube_proxy::ProxyFlags;
use svcflow_core::{analyze, Options, Sources};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

pub fn big_input() -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < 100_000 {
        s.push_str(&format!(
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\n  namespace: ns-{}\nspec:\n  selector:\n    app: app-{i}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  namespace: ns-{}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app-{i}\n  template:\n    metadata:\n      labels:\n        app: app-{i}\n    spec:\n      containers:\n        - name: c\n          image: nginx\n          ports:\n            - name: http\n              containerPort: 8080\n",
            i % 5,
            i % 5
        ));
        i += 1;
    }
    s
}

fn now() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
async fn large_input_phases() {
    let text = big_input();
    let t = now();
    let sources = Sources::single("input.yaml", text.clone());
    let analysis = analyze(&sources, &Options::default());
    let t_analyze = now() - t;
    let t = now();
    let flow = analysis.flow_view(&ProxyFlags::default());
    let t_flow = now() - t;
    let t = now();
    let view = svcflow_web::engine::View::new(&text);
    let t_view = now() - t;
    console_log!(
        "analyze {t_analyze:.0} ms, flow_view {t_flow:.0} ms ({} nodes), View::new {t_view:.0} ms",
        flow.graph.graph.node_count()
    );
    drop(view);

    let root = mount();
    tick().await;
    let t = now();
    type_text(&root, &text);
    let t_type = now() - t;
    wait_for("the big input analysed", || text_of(&root, ".count-objects").starts_with("376")).await;
    let t_all = now() - t;
    let drawn = root.query_selector_all("svg .node").unwrap().length();
    console_log!(
        "one keystroke (render editor) {t_type:.0} ms; until analysed and drawn {t_all:.0} ms (150 ms debounce); \
         {drawn} nodes in the DOM"
    );
    // Only the nodes near the visible part are in the DOM.
    assert!(drawn > 0 && drawn < 400, "{drawn} nodes drawn");
    assert!(text_of(&root, "svg .node").contains("KUBE-SVC-"));
}
