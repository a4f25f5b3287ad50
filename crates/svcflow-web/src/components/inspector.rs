//! The Inspector: tabs Problems · iptables · DNS · Endpoints · Explain.

use super::{dns::Dns, endpoints::Endpoints, explain::Explain, iptables::Iptables, problems::Problems};
use crate::engine::{ProxyMode, View};
use crate::state::Tab;
use std::rc::Rc;
use svcflow_core::Span;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub view: Rc<View>,
    pub tab: Tab,
    pub current_problem: Option<usize>,
    pub proxy_mode: ProxyMode,
    /// Changes when a new input is loaded (resets the DNS box).
    pub input_key: u32,
    pub on_tab: Callback<Tab>,
    pub on_problem: Callback<usize>,
    pub on_reveal: Callback<Span>,
    pub on_mode: Callback<ProxyMode>,
    pub on_copy: Callback<String>,
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let view = &props.view;
    let problems = view.problems.iter().filter(|d| !d.suppressed).count();
    // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
    let onkeydown = {
        let on_tab = props.on_tab.clone();
        let tab = props.tab;
        Callback::from(move |e: KeyboardEvent| {
            let i = Tab::ALL.iter().position(|t| *t == tab).unwrap_or(0);
            let n = Tab::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (i + 1) % n,
                "ArrowLeft" => (i + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            on_tab.emit(Tab::ALL[next]);
            if let Some(el) = gloo::utils::document().get_element_by_id(&format!("tab-{}", Tab::ALL[next].id())) {
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        })
    };
    let panel = match props.tab {
        Tab::Problems => html! {
            <Problems view={view.clone()} current={props.current_problem} on_select={props.on_problem.clone()}
                on_reveal={props.on_reveal.clone()} />
        },
        Tab::Iptables => html! {
            <Iptables view={view.clone()} mode={props.proxy_mode} on_mode={props.on_mode.clone()}
                on_copy={props.on_copy.clone()} on_reveal={props.on_reveal.clone()} />
        },
        Tab::Dns => html! { <Dns key={props.input_key} view={view.clone()} on_reveal={props.on_reveal.clone()} /> },
        Tab::Endpoints => html! { <Endpoints view={view.clone()} on_reveal={props.on_reveal.clone()} /> },
        Tab::Explain => html! { <Explain view={view.clone()} /> },
    };
    html! {
        <div class="inspector">
            <div class="tabs" role="tablist" aria-label="Inspector" {onkeydown}>
                { for Tab::ALL.iter().map(|t| {
                    let t = *t;
                    let selected = t == props.tab;
                    let on_tab = props.on_tab.clone();
                    let label = match t {
                        Tab::Problems if problems > 0 => html! { <>{ "Problems " }<span class="count">{ problems }</span></> },
                        _ => html! { t.label() },
                    };
                    html! {
                        <button type="button" role="tab" id={format!("tab-{}", t.id())} aria-selected={selected.to_string()}
                            aria-controls="inspector-panel" tabindex={if selected { "0" } else { "-1" }}
                            class={classes!("tab", selected.then_some("on"))}
                            onclick={Callback::from(move |_: MouseEvent| on_tab.emit(t))}>{ label }</button>
                    }
                }) }
            </div>
            <div class="tab-panel" id="inspector-panel" role="tabpanel" aria-labelledby={format!("tab-{}", props.tab.id())} tabindex="0">
                { panel }
            </div>
        </div>
    }
}
