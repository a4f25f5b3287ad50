use svcflow_core::{list_objects, Options, Sources};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The text shown in the editor at start.
    #[prop_or_else(|| crate::DEFAULT_EXAMPLE.to_string())]
    pub initial: String,
}

impl Default for AppProps {
    fn default() -> Self {
        AppProps { initial: crate::DEFAULT_EXAMPLE.to_string() }
    }
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let text = use_state(|| props.initial.clone());
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };
    let sources = Sources::single("input.yaml", (*text).clone());
    let (objects, diagnostics) = list_objects(&sources, &Options::default());
    html! {
        <main class="app">
            <section class="pane source">
                <label for="svcflow-editor" class="pane-title">{ "Source" }</label>
                <textarea id="svcflow-editor" class="editor" spellcheck="false" value={(*text).clone()} {oninput} />
            </section>
            <section class="pane objects" aria-label="Objects">
                <h2 class="pane-title">{ format!("Objects ({})", objects.len()) }</h2>
                <ul class="object-list">
                    { for objects.iter().map(|o| html! {
                        <li class="object" data-line={o.line.to_string()}>
                            <span class="kind">{ &o.kind }</span>{ "/" }
                            <span class="ns">{ &o.namespace }</span>{ "/" }
                            <span class="name">{ &o.name }</span>
                            <span class="line">{ format!("line {}", o.line) }</span>
                        </li>
                    }) }
                </ul>
                <ul class="problem-list">
                    { for diagnostics.iter().map(|d| {
                        let pos = sources.line_col(d.primary.span);
                        html! { <li class="problem">{ format!("{}:{} {} {}", pos.line, pos.column, d.rule, d.message) }</li> }
                    }) }
                </ul>
            </section>
        </main>
    }
}
