//! The header: examples gallery, Share, Export, theme toggle.

use crate::examples::EXAMPLES;
use crate::infra::theme::Theme;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    Svg,
    Png,
    Mermaid,
    Iptables,
    Markdown,
}

impl Export {
    pub const ALL: [Export; 5] = [Export::Svg, Export::Png, Export::Mermaid, Export::Iptables, Export::Markdown];

    pub fn label(self) -> &'static str {
        match self {
            Export::Svg => "Diagram as SVG",
            Export::Png => "Diagram as PNG",
            Export::Mermaid => "Mermaid (.mmd)",
            Export::Iptables => "kube-proxy rules, as shown (.txt)",
            Export::Markdown => "Markdown report (.md)",
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub example: Option<usize>,
    pub theme: Theme,
    pub on_example: Callback<usize>,
    pub on_share: Callback<()>,
    pub on_export: Callback<Export>,
    pub on_theme: Callback<()>,
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let menu = use_node_ref();
    let onchange = {
        let on_example = props.on_example.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = select.value().parse::<usize>() {
                on_example.emit(i);
            }
        })
    };
    let option = |(i, ex): (usize, &crate::examples::Example)| {
        html! { <option value={i.to_string()} selected={props.example == Some(i)}>{ ex.title }</option> }
    };
    let on_share = props.on_share.clone();
    let on_theme = props.on_theme.clone();
    let next = props.theme.other();
    html! {
        <header class="toolbar">
            <h1 class="brand"><span aria-hidden="true">{ "⇢ " }</span>{ "svcflow" }</h1>
            <span class="tagline">{ "DNS → Service → kube-proxy → Pod, from your YAML. Nothing leaves your browser." }</span>
            <span class="spacer"></span>
            <label class="examples">
                <span class="visually-hidden">{ "Example" }</span>
                <select {onchange} aria-label="Load an example">
                    <option value="" selected={props.example.is_none()} disabled=true>{ "Examples…" }</option>
                    <optgroup label="Working">
                        { for EXAMPLES.iter().enumerate().filter(|(_, e)| !e.broken).map(option) }
                    </optgroup>
                    <optgroup label="Broken">
                        { for EXAMPLES.iter().enumerate().filter(|(_, e)| e.broken).map(option) }
                    </optgroup>
                </select>
            </label>
            <button type="button" class="share" onclick={Callback::from(move |_: MouseEvent| on_share.emit(()))}
                title="Copy a link that contains your YAML (in the URL fragment: it is never sent to a server)">
                { "Share" }
            </button>
            <details class="menu" ref={menu.clone()}>
                <summary>{ "Export" }</summary>
                <div class="menu-items" role="menu">
                    { for Export::ALL.iter().map(|x| {
                        let x = *x;
                        let on_export = props.on_export.clone();
                        let menu = menu.clone();
                        html! {
                            <button type="button" role="menuitem" onclick={Callback::from(move |_: MouseEvent| {
                                if let Some(d) = menu.cast::<web_sys::Element>() { let _ = d.remove_attribute("open"); }
                                on_export.emit(x);
                            })}>{ x.label() }</button>
                        }
                    }) }
                </div>
            </details>
            <button type="button" class="theme" onclick={Callback::from(move |_: MouseEvent| on_theme.emit(()))}
                aria-label={format!("Switch to the {} theme", next.as_str())} title={format!("Switch to the {} theme", next.as_str())}>
                { match props.theme { Theme::Light => "☾ Dark", Theme::Dark => "☀ Light" } }
            </button>
        </header>
    }
}
