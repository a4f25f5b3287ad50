//! Never a blank page: a panic shows a banner (plain DOM, outside yew, which may be dead by
//! then) saying what happened, and the editor text is saved to storage first.

use super::storage;

pub const BANNER_ID: &str = "svcflow-panic";

/// Install the hook (once, at start; through yew, which otherwise replaces it at render).
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("svcflow panicked: {message}").into());
        save_editor_text();
        show_banner(&message);
    }));
}

fn save_editor_text() {
    let area = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(crate::components::editor::EDITOR_ID))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlTextAreaElement>(e).ok());
    if let Some(area) = area {
        storage::set(storage::INPUT_KEY, &area.value());
    }
}

/// Show (or update) the error banner at the top of the page. Text only, never markup.
pub fn show_banner(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    let banner = match document.get_element_by_id(BANNER_ID) {
        Some(b) => b,
        None => {
            let Ok(b) = document.create_element("div") else { return };
            b.set_id(BANNER_ID);
            let _ = b.set_attribute("role", "alert");
            let _ = b.set_attribute("class", "panic-banner");
            let _ = body.insert_before(&b, body.first_child().as_ref());
            b
        }
    };
    banner.set_text_content(None);
    let line = |tag: &str, text: &str| {
        if let Ok(el) = document.create_element(tag) {
            el.set_text_content(Some(text));
            let _ = banner.append_child(&el);
        }
    };
    line("strong", "svcflow stopped because of an internal error.");
    line(
        "p",
        &format!(
            "Your text is safe: it is kept in this browser's localStorage ({}) and will be back when you \
             reload the page. Please report this error:",
            storage::INPUT_KEY
        ),
    );
    line("pre", message);
}
