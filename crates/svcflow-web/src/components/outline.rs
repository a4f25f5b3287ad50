//! The objects of the input, one per line (kind/namespace/name and line): a way to jump to them.

use crate::engine::View;
use std::rc::Rc;
use svcflow_core::Span;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OutlineProps {
    pub view: Rc<View>,
    pub on_reveal: Callback<Span>,
}

/// The list stops here: tens of thousands of rows cost seconds to render and help nobody.
pub const MAX_ROWS: usize = 2000;

#[function_component(Outline)]
pub fn outline(props: &OutlineProps) -> Html {
    let view = &props.view;
    let objects = &view.analysis.objects;
    let hidden = objects.len().saturating_sub(MAX_ROWS);
    html! {
        <details class="outline">
            <summary>{ format!("Objects ({})", objects.len()) }</summary>
            <ul class="object-list">
                { for objects.iter().take(MAX_ROWS).map(|o| {
                    let span = o.span;
                    // lines of the rows shown only (a large input has tens of thousands)
                    let line = view.sources.line_col(span).line;
                    let on_reveal = props.on_reveal.clone();
                    html! {
                        <li class="object" data-line={line.to_string()}>
                            <button type="button" class="linkish" onclick={Callback::from(move |_: MouseEvent| on_reveal.emit(span))}>
                                <span class="kind">{ &o.kind }</span>{ "/" }
                                <span class="ns">{ &o.namespace }</span>{ "/" }
                                <span class="name">{ &o.name }</span>
                            </button>
                            <span class="line">{ format!("line {line}") }</span>
                        </li>
                    }
                }) }
                if hidden > 0 {
                    <li class="object-more">{ format!("… and {hidden} more (the diagram and the Problems tab have them all)") }</li>
                }
            </ul>
        </details>
    }
}
