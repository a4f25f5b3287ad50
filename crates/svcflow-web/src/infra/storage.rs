//! `localStorage`, as plain strings. Every failure (private mode, quota, no storage) is ignored:
//! storage is a convenience, never a requirement.

/// The editor text, saved on every change.
pub const INPUT_KEY: &str = "svcflow.input.v1";
/// The text replaced by the last example chosen from the gallery (to restore it).
pub const PREVIOUS_KEY: &str = "svcflow.previous.v1";
/// `light` or `dark`, when the user chose one.
pub const THEME_KEY: &str = "svcflow.theme";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}
