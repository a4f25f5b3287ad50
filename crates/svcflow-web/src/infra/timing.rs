//! User-timing marks around each analysis, read by the browser benchmark
//! (`tests/e2e/bench-browser.mjs`): `svcflow:analyse` when the engine starts on a text,
//! `svcflow:analysed` when it is done, `svcflow:rendered` when the diagram of that analysis is
//! in the DOM. Only the latest of each is kept, so a long session does not grow the timeline.

pub const ANALYSE: &str = "svcflow:analyse";
pub const ANALYSED: &str = "svcflow:analysed";
pub const RENDERED: &str = "svcflow:rendered";

/// Replace the mark `name` with one at the current time. Nothing off the browser: the state's
/// unit tests run natively, where there is no `window`.
pub fn mark(name: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        p.clear_marks_with_mark_name(name);
        let _ = p.mark(name);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}
