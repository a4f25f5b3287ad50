//! The asynchronous clipboard API (`navigator.clipboard.writeText`).

use wasm_bindgen_futures::JsFuture;

/// Copy `text`; `Err` says why it failed (no clipboard in an insecure context, permission denied).
pub async fn copy(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let clipboard = window.navigator().clipboard();
    if clipboard.is_undefined() {
        return Err("the clipboard is not available here (it needs https or localhost)".into());
    }
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|e| e.as_string().or_else(|| js_error_message(&e)).unwrap_or_else(|| "copy refused".into()))
}

fn js_error_message(e: &wasm_bindgen::JsValue) -> Option<String> {
    js_sys::Reflect::get(e, &"message".into()).ok()?.as_string()
}
