//! A `<details>` whose body is built only while it is open (a large input has hundreds of
//! Services; their folded rules cost nothing until asked for).

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FoldProps {
    pub summary: Html,
    #[prop_or_default]
    pub open: bool,
    #[prop_or_default]
    pub class: Classes,
    /// Builds the body (called only while open).
    pub body: Callback<(), Html>,
}

#[function_component(Fold)]
pub fn fold(props: &FoldProps) -> Html {
    let open = use_state_eq(|| props.open);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let details: web_sys::Element = e.target_unchecked_into();
            open.set(details.has_attribute("open"));
        })
    };
    html! {
        <details class={props.class.clone()} open={*open} {ontoggle}>
            <summary>{ props.summary.clone() }</summary>
            if *open { { props.body.emit(()) } }
        </details>
    }
}
