//! Light and dark: the OS preference unless the user chose (stored), applied as `data-theme` on
//! `<html>` (www/style.css defines both palettes with CSS variables).

use super::storage;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn other(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

/// The user's stored choice, if any.
pub fn stored() -> Option<Theme> {
    match storage::get(storage::THEME_KEY).as_deref() {
        Some("light") => Some(Theme::Light),
        Some("dark") => Some(Theme::Dark),
        _ => None,
    }
}

/// What the OS asks for.
pub fn system() -> Theme {
    let dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches());
    if dark {
        Theme::Dark
    } else {
        Theme::Light
    }
}

/// The theme in effect at start; applies a stored choice to the page.
pub fn initial() -> Theme {
    match stored() {
        Some(t) => {
            apply(t);
            t
        }
        None => system(),
    }
}

/// Set `data-theme` on `<html>`.
pub fn apply(theme: Theme) {
    if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = html.set_attribute("data-theme", theme.as_str());
    }
}

/// The user picked a theme: apply and remember it.
pub fn choose(theme: Theme) {
    apply(theme);
    storage::set(storage::THEME_KEY, theme.as_str());
}
