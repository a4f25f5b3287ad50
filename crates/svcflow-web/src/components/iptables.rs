//! The iptables tab: kube-proxy's rules folded per Service port, each rule with its provenance
//! ("from input.yaml:12 (Service port …)"), a copy button, and the nftables / IPVS renderings.
//! The rules are computed when the tab asks for them (`infra::rules`), not on every edit.

use super::fold::Fold;
use crate::engine::{ProxyMode, ProxyModeText, View};
use crate::infra::rules::{self, ProxyRules, RulesError};
use std::rc::Rc;
use svcflow_core::kube_proxy::{ChainKind, Rule, Table};
use svcflow_core::Span;
use svcflow_source::hash::HashMap;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct IptablesProps {
    pub view: Rc<View>,
    pub mode: ProxyMode,
    pub on_mode: Callback<ProxyMode>,
    pub on_copy: Callback<String>,
    pub on_reveal: Callback<Span>,
}

fn kind_word(k: ChainKind) -> &'static str {
    match k {
        ChainKind::Fixed => "kube-proxy chain",
        ChainKind::Service => "service chain (cluster policy)",
        ChainKind::Svl => "service chain (local policy)",
        ChainKind::Ext => "external traffic",
        ChainKind::Fw => "loadBalancerSourceRanges firewall",
        ChainKind::Sep => "endpoint",
        ChainKind::Stale => "stale, deleted",
    }
}

fn table_word(t: Table) -> &'static str {
    match t {
        Table::Filter => "filter",
        Table::Nat => "nat",
    }
}

fn rule_item(view: &View, r: &Rule, on_reveal: &Callback<Span>) -> Html {
    let from: Vec<String> = r.origin.iter().map(|s| view.location(*s)).collect();
    let title = match (from.is_empty(), &r.service) {
        (true, _) => "kube-proxy's own rule (not from the input)".to_string(),
        (false, Some(svc)) => format!("from {} (Service port {svc})", from.join(", ")),
        (false, None) => format!("from {}", from.join(", ")),
    };
    let first = r.origin.first().copied();
    html! {
        <li title={title}>
            <code>{ &r.text }</code>
            if let Some(span) = first {
                <button type="button" class="linkish from" aria-label={format!("Show the YAML: {}", from.join(", "))}
                    onclick={let on_reveal = on_reveal.clone(); Callback::from(move |_: MouseEvent| on_reveal.emit(span))}>
                    { format!("↗ {}", from[0].rsplit(':').next().map(|l| format!("line {l}")).unwrap_or_default()) }
                </button>
            }
        </li>
    }
}

/// Rules by chain (indices into `ProxyRules::rules`), built once per output.
pub struct RuleIndex {
    by_chain: HashMap<(Table, String), Vec<usize>>,
}

impl RuleIndex {
    fn new(out: &ProxyRules) -> RuleIndex {
        let mut by_chain: HashMap<(Table, String), Vec<usize>> = HashMap::default();
        for (i, r) in out.rules.iter().enumerate() {
            by_chain.entry((r.table, r.chain.clone())).or_default().push(i);
        }
        RuleIndex { by_chain }
    }

    fn rules<'a>(&'a self, out: &'a ProxyRules, table: Table, chain: &str) -> impl Iterator<Item = &'a Rule> + 'a {
        let key = (table, chain.to_string());
        let list = self.by_chain.get(&key).map(Vec::as_slice).unwrap_or(&[]);
        list.iter().map(move |i| &out.rules[*i])
    }
}

#[allow(clippy::too_many_arguments)]
fn chain_block(
    view: &View,
    out: &ProxyRules,
    index: &RuleIndex,
    table: Table,
    name: &str,
    kind: ChainKind,
    only: Option<&str>,
    on_reveal: &Callback<Span>,
) -> Html {
    let rules: Vec<&Rule> =
        index.rules(out, table, name).filter(|r| only.is_none_or(|s| r.service.as_deref() == Some(s))).collect();
    if rules.is_empty() && kind == ChainKind::Fixed {
        return html! {};
    }
    html! {
        <div class="chain">
            <div class="chain-head"><code class="chain-name">{ name }</code>
                <span class="muted">{ format!(" · {} · {}", table_word(table), kind_word(kind)) }</span></div>
            if rules.is_empty() {
                <p class="muted">{ "(no rules)" }</p>
            } else {
                <ol class="rules">{ for rules.iter().map(|r| rule_item(view, r, on_reveal)) }</ol>
            }
        </div>
    }
}

#[derive(Properties)]
struct StructuredProps {
    view: Rc<View>,
    rules: Rc<ProxyRules>,
    on_reveal: Callback<Span>,
}

impl PartialEq for StructuredProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
            && Rc::ptr_eq(&self.rules, &other.rules)
            && self.on_reveal == other.on_reveal
    }
}

/// The iptables output folded per Service port (the summary the diagram uses), then the shared
/// chains and the raw text.
#[function_component(Structured)]
fn structured(props: &StructuredProps) -> Html {
    let view = props.view.clone();
    let out = props.rules.clone();
    let index = use_memo(out.clone(), |o| RuleIndex::new(o));
    let Ok(summary) = &view.flow.proxy else { return html! {} };
    let many = summary.services.len() > 4;
    let on_reveal = props.on_reveal.clone();
    html! {
        <>
            { for summary.services.iter().map(|s| {
                let name = s.svc_port_name.as_str();
                let ok = s.internal_target.starts_with("KUBE-");
                let status = if ok { "✓".to_string() } else { format!("✖ {}", s.internal_target) };
                let summary = html! {
                    <>
                        <span class="svc-name">{ name }</span>
                        <span class="muted">{ format!(" · {}:{} → ", s.cluster_ip, s.port) }</span>
                        <code>{ &s.internal_target }</code>{ " " }
                        <span class={if ok { "ok" } else { "bad" }}>{ status }</span>
                    </>
                };
                let body = {
                    let view = view.clone();
                    let out = out.clone();
                    let index = index.clone();
                    let on_reveal = on_reveal.clone();
                    let name = name.to_string();
                    Callback::from(move |_| {
                        let name = name.as_str();
                        html! {
                            <>
                                { for out.chains.iter().filter(|c| c.kind == ChainKind::Fixed).map(|c| {
                                    chain_block(&view, &out, &index, c.table, &c.name, c.kind, Some(name), &on_reveal)
                                }) }
                                { for out.chains.iter().filter(|c| c.kind != ChainKind::Fixed && c.service.as_deref() == Some(name)).map(|c| {
                                    chain_block(&view, &out, &index, c.table, &c.name, c.kind, None, &on_reveal)
                                }) }
                            </>
                        }
                    })
                };
                html! { <Fold key={name} class={classes!("svc-rules")} open={!many} {summary} {body} /> }
            }) }
            <Fold class={classes!("svc-rules", "shared")}
                summary={html! { <><span class="svc-name">{ "Shared kube-proxy chains" }</span>
                    <span class="muted">{ " · KUBE-SERVICES, KUBE-NODEPORTS, KUBE-POSTROUTING, …" }</span></> }}
                body={{
                    let view = view.clone();
                    let out = out.clone();
                    let index = index.clone();
                    let on_reveal = on_reveal.clone();
                    Callback::from(move |_| {
                        html! { <>{ for out.chains.iter().filter(|c| c.kind == ChainKind::Fixed).map(|c| {
                            let rules: Vec<&Rule> = index.rules(&out, c.table, &c.name).filter(|r| r.service.is_none()).collect();
                            html! {
                                <div class="chain">
                                    <div class="chain-head"><code class="chain-name">{ &c.name }</code>
                                        <span class="muted">{ format!(" · {}", table_word(c.table)) }</span></div>
                                    if rules.is_empty() { <p class="muted">{ "(no shared rules)" }</p> }
                                    else { <ol class="rules">{ for rules.iter().map(|r| rule_item(&view, r, &on_reveal)) }</ol> }
                                </div>
                            }
                        }) }</> }
                    })
                }} />
            <Fold class={classes!("svc-rules", "raw")}
                summary={html! { <span class="svc-name">{ "Full iptables-restore input" }</span> }}
                body={{
                    let out = out.clone();
                    Callback::from(move |_| html! { <pre class="proxy-text">{ &out.text }</pre> })
                }} />
        </>
    }
}

/// The rules for one (view, mode), once computed.
struct Loaded {
    view: Rc<View>,
    mode: ProxyMode,
    rules: Result<Rc<ProxyRules>, RulesError>,
}

#[function_component(Iptables)]
pub fn iptables(props: &IptablesProps) -> Html {
    let view = &props.view;
    let loaded = use_state(|| None::<Rc<Loaded>>);
    // Which request is the latest: an older answer arriving late must not replace a newer one.
    let latest = use_mut_ref(|| 0u32);
    {
        let loaded = loaded.clone();
        use_effect_with((view.clone(), props.mode), move |(view, mode)| {
            let (view, mode) = (view.clone(), *mode);
            let request = {
                let mut latest = latest.borrow_mut();
                *latest = latest.wrapping_add(1);
                *latest
            };
            // Refused by the summary already: the same checks refuse the rules, nothing to fetch.
            if view.flow.proxy.is_ok() {
                wasm_bindgen_futures::spawn_local(async move {
                    let rules = rules::proxy_rules(view.text(), mode).await.map(Rc::new);
                    if *latest.borrow() == request {
                        loaded.set(Some(Rc::new(Loaded { view, mode, rules })));
                    }
                });
            }
        });
    }
    let current = (*loaded).as_ref().filter(|l| Rc::ptr_eq(&l.view, view) && l.mode == props.mode);
    let text = current.and_then(|l| l.rules.as_ref().ok()).map(|r| r.text.clone());
    let copy = {
        let on_copy = props.on_copy.clone();
        let text = text.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(t) = &text {
                on_copy.emit(t.clone());
            }
        })
    };
    let refused = |message: &str, span: Option<Span>| {
        html! {
            <div class="proxy-error" role="note">
                <p><span aria-hidden="true">{ "✖ " }</span><strong>{ "kube-proxy would not write rules: " }</strong>{ message }</p>
                if let Some(span) = span {
                    <button type="button" class="linkish" onclick={let r = props.on_reveal.clone(); Callback::from(move |_: MouseEvent| r.emit(span))}>
                        { format!("Show {}", view.location(span)) }</button>
                }
            </div>
        }
    };
    let body = match (&view.flow.proxy, current.map(|l| &l.rules)) {
        (Err(e), _) => refused(&e.message, e.span),
        (Ok(_), None) => {
            html! { <p class="muted loading-rules" role="status">{ "Generating kube-proxy's rules…" }</p> }
        }
        (Ok(_), Some(Err(RulesError::Refused(m)))) => refused(m, None),
        (Ok(_), Some(Err(e @ RulesError::Unavailable(_)))) => html! {
            <div class="proxy-error" role="alert"><p><span aria-hidden="true">{ "✖ " }</span>{ e.to_string() }</p></div>
        },
        (Ok(_), Some(Ok(r))) if props.mode == ProxyMode::Iptables => {
            html! { <Structured view={view.clone()} rules={r.clone()} on_reveal={props.on_reveal.clone()} /> }
        }
        (Ok(_), Some(Ok(r))) => html! { <pre class="proxy-text">{ &r.text }</pre> },
    };
    html! {
        <div class="iptables">
            <div class="iptables-bar">
                <div class="segmented" role="radiogroup" aria-label="kube-proxy mode">
                    { for ProxyMode::ALL.iter().map(|m| {
                        let on_mode = props.on_mode.clone();
                        let m = *m;
                        let checked = m == props.mode;
                        html! {
                            <button type="button" role="radio" aria-checked={checked.to_string()} class={classes!(checked.then_some("on"))}
                                onclick={Callback::from(move |_: MouseEvent| on_mode.emit(m))}>{ m.label() }</button>
                        }
                    }) }
                </div>
                <button type="button" class="copy" onclick={copy} disabled={text.is_none()}>{ "Copy" }</button>
            </div>
            if props.mode == ProxyMode::Iptables {
                <p class="tab-hint">{ "Rules as kube-proxy (iptables mode) writes them on one node. Hover a rule to see which YAML it comes from." }</p>
            }
            { body }
        </div>
    }
}
