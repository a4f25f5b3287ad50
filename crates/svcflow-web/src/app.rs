//! The app: Source (editor) | Flow (diagram) | Inspector, a status bar, and the wiring between
//! them. State changes go through the reducer in `state.rs`; browser effects through `infra`.

use crate::components::diagram::Diagram;
use crate::components::editor::{Editor, EDITOR_ID};
use crate::components::inspector::Inspector;
use crate::components::outline::Outline;
use crate::components::status_bar::StatusBar;
use crate::components::toolbar::{Export, Toolbar};
use crate::engine::{ProxyMode, ProxyModeText};
use crate::examples::EXAMPLES;
use crate::infra::embed::{self, EmbedMode};
use crate::infra::{clipboard, download, fragment, rules, storage, theme, timing};
use crate::state::{Action, AppState, Pane, Tab};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Timeout;
use std::rc::Rc;
use svcflow_core::Span;
use yew::prelude::*;

/// Analysis runs this long after the last keystroke.
pub const DEBOUNCE_MS: u32 = 150;
/// When the engine warms up after the app started (`engine::warm_up`).
const WARM_UP_AFTER_MS: u32 = 1_000;
/// A larger text at start is not warmed up with: its own analysis has run long enough.
const WARM_UP_MAX_BYTES: usize = 100_000;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The text shown in the editor at start.
    #[prop_or_else(|| crate::DEFAULT_EXAMPLE.to_string())]
    pub initial: String,
    /// A message for the status bar at start (the share link was read, or could not be).
    #[prop_or_default]
    pub notice: Option<String>,
    /// The text came from the URL fragment: the fragment is dropped at the first edit.
    #[prop_or_default]
    pub from_fragment: bool,
    /// Offer to restore the text the share link replaced.
    #[prop_or_default]
    pub restore: bool,
}

impl Default for AppProps {
    fn default() -> Self {
        AppProps { initial: crate::DEFAULT_EXAMPLE.to_string(), notice: None, from_fragment: false, restore: false }
    }
}

/// Write the typed text that is not in localStorage yet.
fn save_input(unsaved: &std::cell::RefCell<Option<String>>) {
    if let Some(text) = unsaved.borrow_mut().take() {
        storage::set(storage::INPUT_KEY, &text);
    }
}

/// Keep a text that replaces the editor's (a link, an example, the restored text): typing not
/// saved yet is dropped, so the debounce timer cannot write it over the new text later.
fn store_input(unsaved: &std::cell::RefCell<Option<String>>, text: &str) {
    unsaved.borrow_mut().take();
    storage::set(storage::INPUT_KEY, text);
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let embed = *use_memo((), |_| EmbedMode::current());
    let state = use_reducer(|| {
        // `&theme=` of the iframe view mode wins for this page (not stored: the host decides).
        if let Some(t) = embed.theme {
            theme::apply(t);
        }
        let theme = embed.theme.or_else(theme::stored).unwrap_or_else(theme::system);
        let mut s = AppState::new(&props.initial, theme);
        if let Some(tab) = embed.tab {
            s.tab = tab;
        }
        if let Some(n) = &props.notice {
            s.notify(n.clone(), props.restore);
        }
        s
    });
    let timer = use_mut_ref(|| None::<Timeout>);
    let unsaved = use_mut_ref(|| None::<String>);
    let fragment_live = use_mut_ref(|| props.from_fragment);
    let svg_ref = use_node_ref();
    let dispatcher = state.dispatcher();

    // F8 / Shift+F8 anywhere: step through the problems; Escape: drop the selection.
    {
        let d = dispatcher.clone();
        use_effect_with((), move |_| {
            let options = EventListenerOptions::enable_prevent_default();
            let listener = EventListener::new_with_options(&gloo::utils::document(), "keydown", options, move |e| {
                let Some(e) = wasm_bindgen::JsCast::dyn_ref::<web_sys::KeyboardEvent>(e) else { return };
                match e.key().as_str() {
                    "F8" => {
                        e.prevent_default();
                        d.dispatch(Action::StepProblem { forward: !e.shift_key() });
                    }
                    // Drop the node selection and the highlighted YAML.
                    "Escape" => d.dispatch(Action::Escape),
                    _ => {}
                }
            });
            move || drop(listener)
        });
    }
    // Embedded in an iframe: the host may send the YAML, and wants to know our height.
    {
        let d = dispatcher.clone();
        use_effect_with((), move |_| {
            let listener = embed.embed.then(|| {
                EventListener::new(&gloo::utils::window(), "message", move |e| {
                    let Some(e) = wasm_bindgen::JsCast::dyn_ref::<web_sys::MessageEvent>(e) else { return };
                    if let Some(text) = embed::yaml_from_message(&e.data()) {
                        d.dispatch(Action::Load { text, example: None, notice: None, restore: false });
                    }
                })
            });
            let resize =
                embed.embed.then(|| EventListener::new(&gloo::utils::window(), "resize", |_| embed::post_height()));
            move || drop((listener, resize))
        });
    }
    {
        let seq = (state.fit_seq, state.tab, state.view.problems.len());
        use_effect_with(seq, move |_| {
            // After the browser has laid the new content out.
            let t = embed.embed.then(|| Timeout::new(50, embed::post_height));
            move || drop(t)
        });
    }
    // A share link pasted into this tab changes only the fragment.
    {
        let d = dispatcher.clone();
        let fragment_live = fragment_live.clone();
        let unsaved = unsaved.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                let (d, fragment_live, unsaved) = (d.clone(), fragment_live.clone(), unsaved.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match fragment::read_location().await {
                        Some(Ok(text)) => {
                            store_input(&unsaved, &text);
                            *fragment_live.borrow_mut() = true;
                            d.dispatch(Action::Load {
                                text,
                                example: None,
                                notice: Some("Loaded the YAML from the link.".into()),
                                restore: false,
                            });
                        }
                        Some(Err(e)) => d.dispatch(Action::Notify(format!("Could not read the link: {e}"))),
                        None => {}
                    }
                });
            });
            move || drop(listener)
        });
    }
    // Follow the OS theme while the user has not chosen one.
    {
        let d = dispatcher.clone();
        use_effect_with((), move |_| {
            let query = web_sys::window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
            let listener = query.map(|q| {
                EventListener::new(&q, "change", move |_| {
                    if theme::stored().is_none() {
                        d.dispatch(Action::SetTheme(theme::system()));
                    }
                })
            });
            move || drop(listener)
        });
    }
    // A document waits for the general YAML parser (infra::yaml): load it, then analyse again.
    {
        let d = dispatcher.clone();
        let view = state.view.clone();
        let view_id = Rc::as_ptr(&state.view) as usize;
        use_effect_with(view_id, move |_| {
            if view.needs_general_parser() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = crate::infra::yaml::load().await {
                        d.dispatch(Action::Notify(format!("The full YAML parser could not be loaded ({e}).")));
                    }
                    // read now, or marked as not read
                    d.dispatch(Action::Reanalyze);
                });
            }
        });
    }
    // A second after start, at rest: have the browser optimise the engine before a large paste
    // (engine::warm_up). Not in an embed without editor: nothing large is pasted there; not when
    // the text restored at start is large: its analysis has run long enough to do the same.
    {
        let text = state.text.clone();
        use_effect_with((), move |_| {
            let t = (!embed.hides_editor() && text.len() <= WARM_UP_MAX_BYTES).then(|| {
                Timeout::new(WARM_UP_AFTER_MS, move || {
                    crate::engine::warm_up(&text);
                    timing::mark(timing::WARMED);
                })
            });
            move || drop(t)
        });
    }
    // The diagram of a new analysis is in the DOM now (for the browser benchmark).
    {
        let view_id = Rc::as_ptr(&state.view) as usize;
        use_effect_with(view_id, |_| timing::mark(timing::RENDERED));
    }
    // Notices fade after a while.
    {
        let d = dispatcher.clone();
        let seq = state.notice.as_ref().map(|n| (n.seq, n.restore));
        use_effect_with(seq, move |seq| {
            let t = seq.map(|(seq, restore)| {
                Timeout::new(if restore { 20_000 } else { 6_000 }, move || d.dispatch(Action::ClearNotice(seq)))
            });
            move || drop(t)
        });
    }

    // The typed text goes to localStorage with the debounced analysis, not at every keystroke
    // (a large input made each key pay for a synchronous multi-megabyte write), and at once when
    // the page is hidden or closed, so a reload still never loses it.
    {
        let unsaved = unsaved.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "pagehide", move |_| save_input(&unsaved));
            move || drop(listener)
        });
    }
    let on_input = {
        let d = dispatcher.clone();
        let timer = timer.clone();
        let fragment_live = fragment_live.clone();
        let unsaved = unsaved.clone();
        Callback::from(move |text: String| {
            *unsaved.borrow_mut() = Some(text.clone());
            if std::mem::take(&mut *fragment_live.borrow_mut()) {
                fragment::clear_location();
            }
            d.dispatch(Action::Edit(text));
            let d2 = d.clone();
            let unsaved = unsaved.clone();
            *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                save_input(&unsaved);
                d2.dispatch(Action::Analyze)
            }));
        })
    };
    let on_cursor = {
        let d = dispatcher.clone();
        Callback::from(move |(start, end): (u32, u32)| d.dispatch(Action::Cursor { start, end }))
    };
    let on_reveal = {
        let d = dispatcher.clone();
        Callback::from(move |span: Span| d.dispatch(Action::RevealSpan { span, focus: true }))
    };
    let on_example = {
        let d = dispatcher.clone();
        let current = state.text.clone();
        let fragment_live = fragment_live.clone();
        let unsaved = unsaved.clone();
        Callback::from(move |i: usize| {
            let Some(ex) = EXAMPLES.get(i) else { return };
            // Keep the user's own text (not an example) so it can be restored.
            let custom = crate::examples::find_by_text(&current).is_none() && !current.trim().is_empty();
            if custom {
                storage::set(storage::PREVIOUS_KEY, &current);
            }
            store_input(&unsaved, ex.text);
            if std::mem::take(&mut *fragment_live.borrow_mut()) {
                fragment::clear_location();
            }
            d.dispatch(Action::Load {
                text: ex.text.to_string(),
                example: Some(i),
                notice: Some(format!("Example loaded: {}.", ex.title)),
                restore: custom,
            });
        })
    };
    let on_restore = {
        let d = dispatcher.clone();
        let unsaved = unsaved.clone();
        Callback::from(move |_| {
            if let Some(text) = storage::get(storage::PREVIOUS_KEY) {
                store_input(&unsaved, &text);
                storage::remove(storage::PREVIOUS_KEY);
                d.dispatch(Action::Load {
                    text,
                    example: None,
                    notice: Some("Your text is back.".into()),
                    restore: false,
                });
            }
        })
    };
    let on_share = {
        let d = dispatcher.clone();
        let text = state.text.clone();
        let fragment_live = fragment_live.clone();
        Callback::from(move |_| {
            let (d, text, fragment_live) = (d.clone(), text.clone(), fragment_live.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let link = fragment::encode(&text).await;
                let url = fragment::share_url(&link);
                fragment::replace_location(&link);
                *fragment_live.borrow_mut() = true;
                let msg = match clipboard::copy(&url).await {
                    Ok(()) => format!(
                        "Link copied ({} characters). The YAML is inside the link; no server sees it.",
                        url.len()
                    ),
                    Err(e) => format!("Could not copy ({e}); the link is in the address bar."),
                };
                d.dispatch(Action::Notify(msg));
            });
        })
    };
    let on_copy = {
        let d = dispatcher.clone();
        Callback::from(move |text: String| {
            let d = d.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let msg = match clipboard::copy(&text).await {
                    Ok(()) => format!("Copied {} lines.", text.lines().count()),
                    Err(e) => format!("Could not copy: {e}"),
                };
                d.dispatch(Action::Notify(msg));
            });
        })
    };
    // The diagram is exported from the page's SVG: drawn in full first (a large graph otherwise
    // has only its visible part in the DOM), then serialised once that render is done.
    let diagram_export = use_state_eq(|| None::<Export>);
    {
        let d = dispatcher.clone();
        let svg_ref = svg_ref.clone();
        let diagram_export = diagram_export.clone();
        use_effect_with(*diagram_export, move |x| {
            if let Some(x) = *x {
                let svg = svg_ref.cast::<web_sys::Element>().ok_or_else(|| "no diagram".to_string());
                let result = match x {
                    Export::Png => svg.and_then(|s| download::download_png(&s, "svcflow-flow.png")),
                    _ => svg.and_then(|s| download::download_svg(&s, "svcflow-flow.svg")),
                };
                d.dispatch(export_notice(x, result));
                diagram_export.set(None);
            }
        });
    }
    let on_export = {
        let d = dispatcher.clone();
        let view = state.view.clone();
        let mode = state.proxy_mode;
        let diagram_export = diagram_export.clone();
        Callback::from(move |x: Export| {
            let result = match x {
                Export::Svg | Export::Png => {
                    diagram_export.set(Some(x));
                    return;
                }
                Export::Mermaid => download::download_text("svcflow-flow.mmd", "text/plain", &view.mermaid()),
                Export::Iptables | Export::Markdown => {
                    // kube-proxy's rules are computed on demand (infra::rules), so these two wait
                    let (d, view) = (d.clone(), view.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let result = if x == Export::Iptables {
                            match rules::proxy_rules(view.text(), mode).await {
                                Ok(r) => download::download_text(mode.file_name(), "text/plain", &r.text),
                                Err(e) => Err(e.to_string()),
                            }
                        } else {
                            let iptables = rules::proxy_rules(view.text(), ProxyMode::Iptables).await;
                            let iptables = iptables.as_ref().map(|r| r.text.as_str()).map_err(|e| e.to_string());
                            download::download_text(
                                "svcflow-report.md",
                                "text/markdown",
                                &view.markdown_report(iptables),
                            )
                        };
                        d.dispatch(export_notice(x, result));
                    });
                    return;
                }
            };
            d.dispatch(export_notice(x, result));
        })
    };
    let on_theme = {
        let d = dispatcher.clone();
        let next = state.theme.other();
        Callback::from(move |_| {
            theme::choose(next);
            d.dispatch(Action::SetTheme(next));
        })
    };
    let d = dispatcher.clone();
    let on_select_node = Callback::from(move |i: usize| d.dispatch(Action::SelectNode(i)));
    let d = dispatcher.clone();
    let on_problem = Callback::from(move |i: usize| d.dispatch(Action::SelectProblem(i)));
    let d = dispatcher.clone();
    let on_tab = Callback::from(move |t: Tab| d.dispatch(Action::SetTab(t)));
    let d = dispatcher.clone();
    let on_mode = Callback::from(move |m| d.dispatch(Action::SetProxyMode(m)));
    let d = dispatcher.clone();
    let on_problems = Callback::from(move |_| {
        d.dispatch(Action::SetTab(Tab::Problems));
        d.dispatch(Action::SetPane(Pane::Inspector));
    });

    let problems = state.view.problems.iter().filter(|p| !p.suppressed).count();
    let pane_tabs = Pane::ALL.iter().map(|p| {
        let p = *p;
        let d = dispatcher.clone();
        let on = state.pane == p;
        html! {
            <button type="button" role="tab" aria-selected={on.to_string()} class={classes!("pane-tab", on.then_some("on"))}
                onclick={Callback::from(move |_: MouseEvent| d.dispatch(Action::SetPane(p)))}>
                { p.label() }
                if p == Pane::Inspector && problems > 0 { <span class="count">{ problems }</span> }
            </button>
        }
    });

    html! {
        <div class={classes!("app", format!("show-{}", state.pane.id()), embed.embed.then_some("embed"), embed.hides_editor().then_some("no-editor"))}>
            <Toolbar example={state.example} theme={state.theme} {on_example} {on_share} {on_export} {on_theme} />
            <nav class="pane-tabs" role="tablist" aria-label="Panes">{ for pane_tabs }</nav>
            <main class="panes">
                <section class="pane source" aria-labelledby="source-title">
                    <div class="pane-title">
                        <label for={EDITOR_ID} id="source-title">{ "Source (YAML)" }</label>
                        <span id="editor-help" class="muted">{ "Analysed as you type; kept in this browser." }</span>
                    </div>
                    <Editor text={state.text.clone()} view={state.view.clone()} highlight={state.highlight.clone()}
                        current_problem={state.current_problem} reveal={state.reveal} load_seq={state.fit_seq}
                        {on_input} {on_cursor} />
                    <Outline view={state.view.clone()} on_reveal={on_reveal.clone()} />
                </section>
                <section class="pane flow-pane" aria-labelledby="flow-title">
                    <Diagram view={state.view.clone()} lit={state.lit.clone()} selected={state.selected_node}
                        fit_seq={state.fit_seq} svg_ref={svg_ref.clone()} full={diagram_export.is_some()}
                        on_select={on_select_node} />
                </section>
                <section class="pane inspector-pane" aria-label="Inspector">
                    <Inspector view={state.view.clone()} tab={state.tab} current_problem={state.current_problem}
                        proxy_mode={state.proxy_mode} input_key={state.fit_seq} {on_tab} {on_problem}
                        on_reveal={on_reveal.clone()} {on_mode} {on_copy} />
                </section>
            </main>
            <StatusBar view={state.view.clone()} pending={state.pending || state.view.needs_general_parser()} notice={state.notice.clone()} {on_problems} {on_restore} />
        </div>
    }
}

fn export_notice(x: Export, result: Result<(), String>) -> Action {
    Action::Notify(match result {
        Ok(()) => format!("Exported: {}.", x.label()),
        Err(e) => format!("Could not export {}: {e}", x.label()),
    })
}
