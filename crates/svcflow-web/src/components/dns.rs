//! The DNS tab: the records CoreDNS would serve, and a resolver that answers a name as a pod of
//! a chosen namespace would look it up (each search-path query, NXDOMAIN or the answer).

use crate::engine::View;
use std::rc::Rc;
use svcflow_core::Span;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DnsProps {
    pub view: Rc<View>,
    pub on_reveal: Callback<Span>,
}

fn namespaces(view: &View) -> Vec<String> {
    let mut v: Vec<String> = view.analysis.objects.iter().map(|o| o.namespace.clone()).collect();
    v.push("default".into());
    v.sort();
    v.dedup();
    v
}

#[function_component(Dns)]
pub fn dns(props: &DnsProps) -> Html {
    let view = &props.view;
    let first = view.analysis.services.first();
    let name = use_state(|| first.map(|s| s.name.clone()).unwrap_or_else(|| "kubernetes".into()));
    let ns = use_state(|| first.map(|s| s.namespace.clone()).unwrap_or_else(|| "default".into()));
    let resolution = view.analysis.resolve_dns(&name, &ns);
    let all_ns = namespaces(view);

    let oninput = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let onchange = {
        let ns = ns.clone();
        Callback::from(move |e: Event| ns.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };

    let outcome = if name.trim().is_empty() {
        html! {}
    } else if !resolution.answers.is_empty() {
        html! {
            <p class="dns-result ok"><span aria-hidden="true">{ "✓ " }</span>{ "Resolves to " }
                { for resolution.answers.iter().enumerate().map(|(i, r)| html! {
                    <>{ if i > 0 { ", " } else { "" } }<code>{ &r.data }</code>{ format!(" ({})", r.rtype) }</>
                }) }
            </p>
        }
    } else if resolution.upstream {
        html! {
            <p class="dns-result upstream"><span aria-hidden="true">{ "↗ " }</span>
                { "Outside the cluster domain: CoreDNS forwards it to the upstream resolvers, which svcflow cannot see." }
            </p>
        }
    } else {
        html! {
            <p class="dns-result nxdomain"><span aria-hidden="true">{ "✖ " }</span><strong>{ "NXDOMAIN" }</strong>
                { format!(": `{}` does not resolve from namespace {}.", resolution.name, resolution.from_namespace) }
            </p>
        }
    };

    html! {
        <div class="dns">
            <form class="resolver" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ "Name " }<input type="text" value={(*name).clone()} {oninput} spellcheck="false"
                    autocomplete="off" placeholder="web, web.shop, web.shop.svc.cluster.local" /></label>
                <label>{ "from a pod in namespace " }
                    <select {onchange}>
                        { for all_ns.iter().map(|n| html! { <option value={n.clone()} selected={*n == *ns}>{ n }</option> }) }
                    </select>
                </label>
            </form>
            if !name.trim().is_empty() {
                <ol class="attempts" aria-label="Queries, in the order the resolver sends them">
                    { for resolution.attempts.iter().map(|a| html! {
                        <li class={if a.answers.is_empty() { "miss" } else { "hit" }}>
                            <code>{ format!("{}.", a.query) }</code>
                            { if a.answers.is_empty() {
                                html! { <span class="nx">{ " → NXDOMAIN" }</span> }
                            } else {
                                html! { <span class="ans">{ format!(" → {}", a.answers.iter().map(|r| format!("{} {}", r.rtype, r.data)).collect::<Vec<_>>().join(", ")) }</span> }
                            } }
                        </li>
                    }) }
                </ol>
            }
            { outcome }
            <p class="tab-hint">{ "Search path: <namespace>.svc.cluster.local, svc.cluster.local, cluster.local (ndots:5)." }</p>
            <h3>{ format!("Records ({})", view.analysis.dns.len()) }</h3>
            if view.analysis.dns.is_empty() {
                <p class="muted">{ "No records: the input has no Service." }</p>
            } else {
                <table class="dns-table">
                    <thead><tr><th scope="col">{ "Name" }</th><th scope="col">{ "Type" }</th><th scope="col">{ "Data" }</th></tr></thead>
                    <tbody>
                        { for view.analysis.dns.iter().map(|r| {
                            let span = r.span;
                            let on_reveal = props.on_reveal.clone();
                            html! {
                                <tr>
                                    <td><button type="button" class="linkish mono" onclick={Callback::from(move |_: MouseEvent| on_reveal.emit(span))}>{ &r.name }</button></td>
                                    <td>{ r.rtype }</td>
                                    <td><code>{ &r.data }</code></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}
