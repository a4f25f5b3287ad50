//! Browser tests: run in headless Chromium by `wasm-pack test --headless --chrome crates/svcflow-web`.

use std::time::Duration;
use svcflow_web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlTextAreaElement, InputEvent, InputEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

async fn tick() {
    gloo::timers::future::sleep(Duration::from_millis(50)).await;
}

fn texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

#[wasm_bindgen_test]
async fn default_example_lists_its_objects() {
    let root = mount();
    tick().await;
    assert_eq!(texts(&root, ".object"), vec!["Service/shop/webline 2", "Deployment/shop/webline 15"]);
}

#[wasm_bindgen_test]
async fn typing_yaml_updates_the_object_list() {
    let root = mount();
    tick().await;
    let area: HtmlTextAreaElement = root.query_selector("textarea").unwrap().unwrap().dyn_into().unwrap();
    area.set_value(
        "kind: Service\nmetadata:\n  name: api\n  namespace: prod\n---\n\nkind: Pod\nmetadata:\n  name: p1\n",
    );
    let init = InputEventInit::new();
    init.set_bubbles(true);
    area.dispatch_event(&InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
    tick().await;
    assert_eq!(texts(&root, ".object"), vec!["Service/prod/apiline 1", "Pod/default/p1line 7"]);
}
