//! The svcflow browser app. Only this crate touches `web-sys`/`yew`; every answer comes from
//! `svcflow-core`, the same functions the CLI calls.

pub mod app;

pub use app::App;

/// The example shown on first load.
pub const DEFAULT_EXAMPLE: &str = include_str!("../../../www/examples/frontend-backend.yaml");

/// Mount the app on `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
