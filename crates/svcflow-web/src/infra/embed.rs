//! The iframe view mode for documentation pages: `index.html?embed=1` shows the diagram and a
//! problems strip without the editor (`&edit=1` adds it back, `&tab=iptables|dns|…` picks the
//! inspector tab, `&theme=light|dark`, otherwise the host's `prefers-color-scheme`). The YAML
//! comes from the URL fragment, or from the host page by `postMessage({type: "svcflow:yaml",
//! yaml})`; the frame reports its content height with `postMessage({type: "svcflow:height",
//! height})` so the host can size it.

use crate::infra::theme::Theme;
use crate::state::Tab;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct EmbedMode {
    pub embed: bool,
    pub edit: bool,
    pub tab: Option<Tab>,
    pub theme: Option<Theme>,
}

impl EmbedMode {
    /// Read from a query string like `?embed=1&tab=dns&theme=dark`.
    pub fn parse(query: &str) -> EmbedMode {
        let mut m = EmbedMode::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let on = matches!(v, "" | "1" | "true" | "yes");
            match k {
                "embed" => m.embed = on,
                "edit" => m.edit = on,
                "tab" => m.tab = Tab::ALL.into_iter().find(|t| t.id() == v),
                "theme" => {
                    m.theme = match v {
                        "light" => Some(Theme::Light),
                        "dark" => Some(Theme::Dark),
                        _ => None,
                    }
                }
                _ => {}
            }
        }
        m
    }

    /// The mode of this page.
    pub fn current() -> EmbedMode {
        let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        EmbedMode::parse(&query)
    }

    /// The editor is hidden in view mode.
    pub fn hides_editor(&self) -> bool {
        self.embed && !self.edit
    }
}

/// Tell the host page how tall the content is.
pub fn post_height() {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    if parent == window {
        return;
    }
    let height = window
        .document()
        .and_then(|d| d.document_element())
        .map(|e| e.scroll_height().max(e.get_bounding_client_rect().height() as i32))
        .unwrap_or(0);
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"svcflow:height".into());
    let _ = js_sys::Reflect::set(&msg, &"height".into(), &height.into());
    // The height is not a secret: any host may size the frame.
    let _ = parent.post_message(&msg, "*");
}

/// The YAML of a `{type: "svcflow:yaml", yaml}` message, if it is one.
pub fn yaml_from_message(data: &wasm_bindgen::JsValue) -> Option<String> {
    let kind = js_sys::Reflect::get(data, &"type".into()).ok()?.as_string()?;
    if kind != "svcflow:yaml" {
        return None;
    }
    js_sys::Reflect::get(data, &"yaml".into()).ok()?.as_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_query() {
        let m = EmbedMode::parse("?embed=1&tab=iptables&theme=dark");
        assert!(m.embed && !m.edit && m.hides_editor());
        assert_eq!(m.tab, Some(Tab::Iptables));
        assert_eq!(m.theme, Some(Theme::Dark));
        assert!(!EmbedMode::parse("?embed=1&edit=1").hides_editor());
        assert_eq!(EmbedMode::parse(""), EmbedMode::default());
        assert_eq!(EmbedMode::parse("?tab=bogus").tab, None);
    }
}
