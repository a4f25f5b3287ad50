//! Never a blank page: a panic shows a banner (plain DOM, outside yew, which may be dead by
//! then) saying what happened, and the editor text is saved to storage first. The banner is
//! built in `panic.js`, so that it also works in the release build, where a panic is a trap.

use super::storage;
use wasm_bindgen::prelude::*;

pub const BANNER_ID: &str = "svcflow-panic";

/// Install the hook (once, at start; through yew, which otherwise replaces it at render), and the
/// page-level handler for the release build, where a panic is an immediate trap (`panic.js`).
pub fn install() {
    install_trap_handler(BANNER_ID, crate::components::editor::EDITOR_ID, storage::INPUT_KEY);
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("svcflow panicked: {message}").into());
        show_banner(&message);
    }));
}

#[wasm_bindgen(module = "/src/infra/panic.js")]
extern "C" {
    #[wasm_bindgen(js_name = showBanner)]
    fn show_banner_js(banner_id: &str, editor_id: &str, storage_key: &str, message: &str);
    #[wasm_bindgen(js_name = installTrapHandler)]
    fn install_trap_handler(banner_id: &str, editor_id: &str, storage_key: &str);
}

/// Save the editor's text and show (or update) the error banner at the top of the page. Text
/// only, never markup.
pub fn show_banner(message: &str) {
    show_banner_js(BANNER_ID, crate::components::editor::EDITOR_ID, storage::INPUT_KEY, message);
}
