//! The status bar: parse state and counts, and short notices (copied, downloaded, …).

use crate::engine::View;
use crate::state::Notice;
use std::rc::Rc;
use svcflow_core::diag::rule_ids;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatusBarProps {
    pub view: Rc<View>,
    pub pending: bool,
    pub notice: Option<Notice>,
    pub on_problems: Callback<()>,
    pub on_restore: Callback<()>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[function_component(StatusBar)]
pub fn status_bar(props: &StatusBarProps) -> Html {
    let v = &props.view;
    let yaml_errors = v.problems.iter().filter(|d| d.rule == rule_ids::INVALID_YAML).count();
    let (errors, warnings) = (v.errors(), v.warnings());
    let parse = if props.pending {
        html! { <span class="state pending"><span aria-hidden="true">{ "… " }</span>{ "Analysing" }</span> }
    } else if yaml_errors > 0 {
        html! { <span class="state bad"><span aria-hidden="true">{ "✖ " }</span>{ plural(yaml_errors, "YAML error", "YAML errors") }</span> }
    } else {
        html! { <span class="state ok"><span aria-hidden="true">{ "✓ " }</span>{ "Parsed" }</span> }
    };
    let problems_text = match (errors, warnings) {
        (0, 0) => "no problems".to_string(),
        (e, 0) => plural(e, "error", "errors"),
        (0, w) => plural(w, "warning", "warnings"),
        (e, w) => format!("{}, {}", plural(e, "error", "errors"), plural(w, "warning", "warnings")),
    };
    let proxy = match &v.flow.proxy {
        Ok(_) => html! {},
        Err(_) => html! { <span class="bad"><span aria-hidden="true">{ "✖ " }</span>{ "kube-proxy: no rules" }</span> },
    };
    let on_problems = props.on_problems.clone();
    html! {
        <footer class="status-bar">
            { parse }
            <span class="counts">
                <span class="count-objects">{ plural(v.analysis.objects.len(), "object", "objects") }</span>
                <span>{ plural(v.analysis.services.len(), "service", "services") }</span>
                <span>{ plural(v.analysis.pods.len(), "pod", "pods") }</span>
            </span>
            <button type="button" class={classes!("problems-count", (errors + warnings > 0).then_some("bad"))}
                onclick={Callback::from(move |_: MouseEvent| on_problems.emit(()))}>
                if errors > 0 { <span aria-hidden="true">{ "✖ " }</span> } else if warnings > 0 { <span aria-hidden="true">{ "⚠ " }</span> }
                { problems_text }
            </button>
            { proxy }
            <span class="notice" role="status" aria-live="polite">
                if let Some(n) = &props.notice {
                    { &n.text }
                    if n.restore {
                        { " " }
                        <button type="button" class="linkish" onclick={let r = props.on_restore.clone(); Callback::from(move |_: MouseEvent| r.emit(()))}>
                            { "Restore your text" }</button>
                    }
                }
            </span>
        </footer>
    }
}
