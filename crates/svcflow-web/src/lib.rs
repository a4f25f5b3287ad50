//! The svcflow browser app. Only this crate touches `web-sys`/`yew`; every answer comes from
//! `svcflow-core` (through `engine`), the same functions the CLI calls.

pub mod app;
pub mod components;
pub mod engine;
pub mod examples;
pub mod infra;
pub mod state;

pub use app::{App, AppProps};

/// The example shown on first load.
pub const DEFAULT_EXAMPLE: &str = include_str!("../../../www/examples/frontend-backend.yaml");

/// What the editor starts with: a share link in the fragment wins, then the text kept in
/// storage, then the default example. Returns the text, a notice, whether it came from the link,
/// and whether the link replaced a text of the user's (kept aside to restore).
async fn initial_input() -> AppProps {
    use infra::{fragment, storage};
    let stored = storage::get(storage::INPUT_KEY);
    let fallback = || stored.clone().unwrap_or_else(|| DEFAULT_EXAMPLE.to_string());
    match fragment::read_location().await {
        Some(Ok(text)) => {
            let text = text.replace("\r\n", "\n");
            let replaced = stored
                .as_ref()
                .is_some_and(|s| *s != text && examples::find_by_text(s).is_none() && !s.trim().is_empty());
            if replaced {
                storage::set(storage::PREVIOUS_KEY, stored.as_deref().unwrap_or_default());
            }
            storage::set(storage::INPUT_KEY, &text);
            AppProps {
                initial: text,
                notice: Some("Loaded the YAML from the link.".into()),
                from_fragment: true,
                restore: replaced,
            }
        }
        Some(Err(e)) => AppProps {
            initial: fallback(),
            notice: Some(format!("Could not read the link: {e}")),
            from_fragment: false,
            restore: false,
        },
        None => AppProps { initial: fallback(), ..AppProps::default() },
    }
}

/// Mount the app on `#app` (or `<body>`), after installing the panic banner and reading the
/// share link (the browser inflates it asynchronously).
pub fn start() {
    infra::panic::install();
    infra::yaml::install();
    infra::theme::initial();
    wasm_bindgen_futures::spawn_local(async {
        let props = initial_input().await;
        mount(props);
    });
}

fn mount(props: AppProps) {
    let document = gloo::utils::document();
    match document.get_element_by_id("app") {
        Some(root) => {
            root.set_text_content(None);
            yew::Renderer::<App>::with_root_and_props(root, props).render();
        }
        None => {
            yew::Renderer::<App>::with_props(props).render();
        }
    }
}
