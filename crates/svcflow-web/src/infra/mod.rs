//! Browser plumbing: storage, clipboard, the URL fragment, downloads, theme, the panic banner.
//! Components call these; nothing here knows about Kubernetes.

pub mod clipboard;
pub mod download;
pub mod embed;
pub mod fragment;
pub mod panic;
pub mod rules;
pub mod storage;
pub mod theme;
pub mod timing;
pub mod yaml;

/// The message of a value a JS call threw or rejected with (an `Error`'s message, or a thrown
/// string), for the notices that say why a lazily loaded part is missing.
#[cfg(target_arch = "wasm32")]
pub fn thrown_message(e: wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    e.as_string()
        .or_else(|| e.dyn_into::<js_sys::Error>().ok().map(|e| String::from(e.message())))
        .unwrap_or_else(|| "unknown error".into())
}
