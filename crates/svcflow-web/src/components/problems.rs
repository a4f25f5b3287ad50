//! The Problems tab: one button per finding (rule id, severity in words and icon, message),
//! with its help, secondary labels and a link to the rule's documentation.

use crate::engine::{rule_docs_url, View};
use std::rc::Rc;
use svcflow_core::{Severity, Span};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    pub view: Rc<View>,
    pub current: Option<usize>,
    pub on_select: Callback<usize>,
    pub on_reveal: Callback<Span>,
}

pub fn severity_icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✖",
        Severity::Warning => "⚠",
    }
}

#[function_component(Problems)]
pub fn problems(props: &ProblemsProps) -> Html {
    let view = &props.view;
    if view.waiting_documents > 0 && view.problems.is_empty() {
        // not "no problems": some documents are not read yet (infra::yaml)
        let n = view.waiting_documents;
        return html! {
            <p class="waiting">
                <span aria-hidden="true">{ "… " }</span>
                { format!("Reading {n} more document{} with the full YAML parser…", if n == 1 { "" } else { "s" }) }
            </p>
        };
    }
    if view.problems.is_empty() {
        return html! {
            <p class="all-good">
                <span aria-hidden="true">{ "✓ " }</span>
                { format!("No problems found in {} object{}.", view.analysis.objects.len(), if view.analysis.objects.len() == 1 { "" } else { "s" }) }
            </p>
        };
    }
    html! {
        <>
            <p class="tab-hint">{ "Click a problem to select its YAML; F8 / Shift+F8 step through them." }</p>
            <ol class="problem-list">
                { for view.problems.iter().enumerate().map(|(i, d)| {
                    let pos = view.sources.line_col(d.primary.span);
                    let sev = d.severity.as_str();
                    let onclick = {
                        let on_select = props.on_select.clone();
                        Callback::from(move |_: MouseEvent| on_select.emit(i))
                    };
                    let current = props.current == Some(i);
                    html! {
                        <li class={classes!("problem", format!("sev-{sev}"), current.then_some("current"), d.suppressed.then_some("suppressed"))}>
                            <button type="button" class="problem-main" {onclick} aria-current={current.then_some("true")}
                                data-rule={d.rule.clone()}>
                                <span class="sev" aria-hidden="true">{ severity_icon(d.severity) }</span>
                                <span class="sev-word">{ sev }</span>
                                <code class="rule">{ &d.rule }</code>
                                <span class="where">{ format!("line {}:{}", pos.line, pos.column) }</span>
                                <span class="message">{ &d.message }</span>
                                if d.suppressed { <span class="suppressed-word">{ "(suppressed)" }</span> }
                            </button>
                            if let Some(object) = &d.object { <div class="problem-object">{ object }</div> }
                            if !d.labels.is_empty() {
                                <ul class="problem-labels">
                                    { for d.labels.iter().map(|l| {
                                        let span = l.span;
                                        let on_reveal = props.on_reveal.clone();
                                        let line = view.sources.line_col(span).line;
                                        html! { <li><button type="button" class="linkish" onclick={Callback::from(move |_: MouseEvent| on_reveal.emit(span))}>
                                            { format!("line {line}") }</button>{ ": " }{ &l.message }</li> }
                                    }) }
                                </ul>
                            }
                            if let Some(help) = &d.help { <p class="problem-help">{ help }</p> }
                            if let Some(fix) = &d.fix { <p class="problem-fix">{ "Suggested fix: " }{ &fix.message }</p> }
                            <a class="docs" href={rule_docs_url(&d.rule)} target="_blank" rel="noopener">
                                { format!("About {}", d.rule) }
                            </a>
                        </li>
                    }
                }) }
            </ol>
        </>
    }
}
