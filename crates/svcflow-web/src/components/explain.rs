//! The Explain tab: the engine's plain sentences, numbered.

use crate::engine::View;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExplainProps {
    pub view: Rc<View>,
}

#[function_component(Explain)]
pub fn explain(props: &ExplainProps) -> Html {
    let sentences = use_memo(props.view.clone(), |v| v.explain());
    if sentences.is_empty() {
        return html! { <p class="tab-hint">{ "Nothing to explain yet: the input has no Service." }</p> };
    }
    html! {
        <ol class="explain">
            { for sentences.iter().map(|s| html! { <li>{ s }</li> }) }
        </ol>
    }
}
