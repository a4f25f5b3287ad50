//! The Endpoints tab: per Service port, the endpoints and every pod left out, with why.

use crate::engine::View;
use std::rc::Rc;
use svcflow_core::model::EndpointSource;
use svcflow_core::Span;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EndpointsProps {
    pub view: Rc<View>,
    pub on_reveal: Callback<Span>,
}

#[function_component(Endpoints)]
pub fn endpoints(props: &EndpointsProps) -> Html {
    let a = &props.view.analysis;
    if a.services.is_empty() {
        return html! { <p class="tab-hint">{ "No Services in the input." }</p> };
    }
    let reveal = |span: Span| {
        let on_reveal = props.on_reveal.clone();
        Callback::from(move |_: MouseEvent| on_reveal.emit(span))
    };
    html! {
        <div class="endpoints">
            { for a.services.iter().map(|s| {
                let obj = a.service_object(s);
                let source = match s.endpoint_source {
                    EndpointSource::Selector => "endpoints from the selector",
                    EndpointSource::Given => "endpoints given in the input",
                    EndpointSource::None => "no endpoints (no selector)",
                };
                let address = match (&s.external_name, &s.cluster_ip, s.headless) {
                    (Some(h), _, _) => format!("ExternalName → {h}"),
                    (_, _, true) => "headless".to_string(),
                    (_, Some(ip), _) => format!("{} {ip}{}", s.type_, if s.cluster_ip_simulated { " (simulated)" } else { "" }),
                    _ => s.type_.clone(),
                };
                html! {
                    <section class="svc">
                        <h3>
                            <button type="button" class="linkish" onclick={reveal(obj.anchor())}>{ format!("{}/{}", s.namespace, s.name) }</button>
                            <span class="muted">{ format!(" · {address} · {source}") }</span>
                        </h3>
                        if s.ports.is_empty() { <p class="muted">{ "No ports." }</p> }
                        { for s.ports.iter().map(|p| {
                            let ready = p.endpoints.iter().filter(|e| e.ready).count();
                            html! {
                                <div class="svc-port">
                                    <h4>
                                        <button type="button" class="linkish" onclick={reveal(p.span)}>
                                            { if p.name.is_empty() { format!("{}/{}", p.port, p.protocol) } else { format!("{} {}/{}", p.name, p.port, p.protocol) } }
                                        </button>
                                        { format!(" → {} · {ready} ready of {}", p.target, p.endpoints.len()) }
                                    </h4>
                                    if p.endpoints.is_empty() {
                                        <p class="none"><span aria-hidden="true">{ "✖ " }</span>{ "No endpoints: traffic to this port is refused." }</p>
                                    } else {
                                        <table class="ep-table">
                                            <thead><tr><th scope="col">{ "Endpoint" }</th><th scope="col">{ "Pod" }</th><th scope="col">{ "Node" }</th><th scope="col">{ "State" }</th></tr></thead>
                                            <tbody>
                                                { for p.endpoints.iter().map(|e| {
                                                    let pod = e.pod.and_then(|i| a.pods.get(i));
                                                    let state = if e.ready { "✓ ready" } else if e.terminating { "⊘ terminating" } else { "⊘ not ready" };
                                                    html! {
                                                        <tr class={if e.ready { "ready" } else { "not-ready" }}>
                                                            <td><code>{ format!("{}:{}", e.ip, e.port) }</code></td>
                                                            <td>{ match pod {
                                                                Some(pod) => html! { <button type="button" class="linkish" onclick={reveal(e.span)}>{ &pod.name }</button> },
                                                                None => html! { <span class="muted">{ "—" }</span> },
                                                            } }</td>
                                                            <td>{ e.node.clone().or_else(|| pod.map(|p| p.node.clone())).unwrap_or_default() }</td>
                                                            <td>{ state }</td>
                                                        </tr>
                                                    }
                                                }) }
                                            </tbody>
                                        </table>
                                    }
                                    if !p.excluded.is_empty() {
                                        <ul class="excluded">
                                            { for p.excluded.iter().filter_map(|x| a.pods.get(x.pod).map(|pod| (x, pod))).map(|(x, pod)| html! {
                                                <li>
                                                    <span aria-hidden="true">{ "⊘ " }</span>
                                                    <button type="button" class="linkish" onclick={reveal(pod.span)}>{ format!("{}/{}", pod.namespace, pod.name) }</button>
                                                    { " excluded (" }<strong>{ x.reason.as_str() }</strong>{ "): " }{ &x.detail }
                                                </li>
                                            }) }
                                        </ul>
                                    }
                                </div>
                            }
                        }) }
                    </section>
                }
            }) }
        </div>
    }
}
