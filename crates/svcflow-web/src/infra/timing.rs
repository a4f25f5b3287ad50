//! User-timing marks around each analysis, read by the browser benchmark
//! (`tests/e2e/bench-browser.mjs`): `svcflow:analyse` when the engine starts on a text,
//! `svcflow:analysed` when it is done, `svcflow:rendered` when the diagram of that analysis is
//! in the DOM; between the first two, the end of each stage of [`crate::engine::View::new`]
//! ([`LOADED`] … [`LINTED`]), which the benchmark prints for large inputs. Only the latest of each is kept, so
//! a long session does not grow the timeline.

pub const ANALYSE: &str = "svcflow:analyse";
pub const ANALYSED: &str = "svcflow:analysed";
pub const RENDERED: &str = "svcflow:rendered";
/// Ends of the stages of an analysis, in order: YAML parsed and objects decoded; selectors,
/// endpoints and DNS resolved; kube-proxy's chains and the flow graph with its layout; lint.
pub const LOADED: &str = "svcflow:stage:load";
pub const RESOLVED: &str = "svcflow:stage:resolve";
pub const DIAGRAMMED: &str = "svcflow:stage:diagram";
pub const LINTED: &str = "svcflow:stage:lint";
/// The engine's warm-up is done ([`crate::engine::warm_up`]).
pub const WARMED: &str = "svcflow:warmed";

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
