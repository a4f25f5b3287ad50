//! Helpers shared by the browser tests (included with `mod common;`).
#![allow(dead_code)]

use std::time::Duration;
use svcflow_web::{App, AppProps};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement, InputEvent, InputEventInit};

/// Mount a fresh app on a new `<div>` appended to `<body>`.
pub fn mount() -> Element {
    mount_with(AppProps::default())
}

pub fn mount_with(props: AppProps) -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    // Give the app a real size, as the page's stylesheet would.
    root.set_attribute("style", "width:1400px;height:900px;position:relative").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    root
}

pub async fn sleep(ms: u64) {
    gloo::timers::future::sleep(Duration::from_millis(ms)).await;
}

/// Let yew render (no debounce involved).
pub async fn tick() {
    sleep(30).await;
}

/// Wait until `cond` holds (polling), failing after 4 s with `what`.
pub async fn wait_for(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..200 {
        if cond() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for: {what}");
}

pub fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

pub fn text_of(root: &Element, selector: &str) -> String {
    texts(root, selector).join("\n")
}

pub fn textarea(root: &Element) -> HtmlTextAreaElement {
    root.query_selector("textarea").unwrap().unwrap().dyn_into().unwrap()
}

/// Replace the editor's text as typing would (an `input` event).
pub fn type_text(root: &Element, text: &str) {
    let area = textarea(root);
    area.set_value(text);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    area.dispatch_event(&InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

/// Click the first element matching `selector` (HTML or SVG) with a bubbling `click` event.
pub fn click(root: &Element, selector: &str) {
    let el = root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}"));
    if let Some(h) = el.dyn_ref::<HtmlElement>() {
        h.click();
        return;
    }
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap()).unwrap();
}

/// A bubbling keyboard event of `kind` (`keydown`, `keyup`) for `key`.
pub fn key_event(kind: &str, key: &str, shift: bool) -> web_sys::KeyboardEvent {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    web_sys::KeyboardEvent::new_with_keyboard_event_init_dict(kind, &init).unwrap()
}
