//! The iptables tab: kube-proxy's rules folded per Service port, each rule with its provenance
//! ("from input.yaml:12 (Service port …)"), a copy button, and the nftables / IPVS renderings.

use super::fold::Fold;
use crate::engine::{ProxyMode, View};
use std::collections::HashMap;
use std::rc::Rc;
use svcflow_core::Span;
use svcflow_proxy::{ChainKind, IptablesOutput, Rule, Table};
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

/// Rules by chain (indices into `IptablesOutput::rules`), built once per output.
pub struct RuleIndex {
    by_chain: HashMap<(Table, String), Vec<usize>>,
}

impl RuleIndex {
    fn new(out: &IptablesOutput) -> RuleIndex {
        let mut by_chain: HashMap<(Table, String), Vec<usize>> = HashMap::new();
        for (i, r) in out.rules.iter().enumerate() {
            by_chain.entry((r.table, r.chain.clone())).or_default().push(i);
        }
        RuleIndex { by_chain }
    }

    fn rules<'a>(&'a self, out: &'a IptablesOutput, table: Table, chain: &str) -> impl Iterator<Item = &'a Rule> + 'a {
        let key = (table, chain.to_string());
        let list = self.by_chain.get(&key).map(Vec::as_slice).unwrap_or(&[]);
        list.iter().map(move |i| &out.rules[*i])
    }
}

#[allow(clippy::too_many_arguments)]
fn chain_block(
    view: &View,
    out: &IptablesOutput,
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

#[derive(Properties, PartialEq)]
struct StructuredProps {
    view: Rc<View>,
    on_reveal: Callback<Span>,
}

/// The iptables output folded per Service port, then the shared chains and the raw text.
#[function_component(Structured)]
fn structured(props: &StructuredProps) -> Html {
    let view = props.view.clone();
    let index = use_memo(props.view.clone(), |v| v.flow.iptables.as_ref().ok().map(RuleIndex::new));
    let (Ok(out), Some(_)) = (&view.flow.iptables, index.as_ref()) else { return html! {} };
    let many = out.services.len() > 4;
    let on_reveal = props.on_reveal.clone();
    html! {
        <>
            { for out.services.iter().enumerate().map(|(si, s)| {
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
                    let index = index.clone();
                    let on_reveal = on_reveal.clone();
                    Callback::from(move |_| {
                        let (Ok(out), Some(index)) = (&view.flow.iptables, index.as_ref()) else { return html! {} };
                        let s = &out.services[si];
                        let name = s.svc_port_name.as_str();
                        html! {
                            <>
                                { for out.chains.iter().filter(|c| c.kind == ChainKind::Fixed).map(|c| {
                                    chain_block(&view, out, index, c.table, &c.name, c.kind, Some(name), &on_reveal)
                                }) }
                                { for out.chains.iter().filter(|c| c.kind != ChainKind::Fixed && c.service.as_deref() == Some(name)).map(|c| {
                                    chain_block(&view, out, index, c.table, &c.name, c.kind, None, &on_reveal)
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
                    let index = index.clone();
                    let on_reveal = on_reveal.clone();
                    Callback::from(move |_| {
                        let (Ok(out), Some(index)) = (&view.flow.iptables, index.as_ref()) else { return html! {} };
                        html! { <>{ for out.chains.iter().filter(|c| c.kind == ChainKind::Fixed).map(|c| {
                            let rules: Vec<&Rule> = index.rules(out, c.table, &c.name).filter(|r| r.service.is_none()).collect();
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
                    let view = view.clone();
                    Callback::from(move |_| match &view.flow.iptables {
                        Ok(out) => html! { <pre class="proxy-text">{ &out.text }</pre> },
                        Err(_) => html! {},
                    })
                }} />
        </>
    }
}

#[function_component(Iptables)]
pub fn iptables(props: &IptablesProps) -> Html {
    let view = &props.view;
    let text = use_memo((view.clone(), props.mode), |(v, m)| v.proxy_text(*m));
    let copy = {
        let on_copy = props.on_copy.clone();
        let text = text.clone();
        Callback::from(move |_: MouseEvent| {
            if let Ok(t) = &*text {
                on_copy.emit(t.clone());
            }
        })
    };
    let body = match (props.mode, &view.flow.iptables, &*text) {
        (_, _, Err(e)) => {
            let span = view.flow.iptables.as_ref().err().and_then(|e| e.span);
            html! {
                <div class="proxy-error" role="note">
                    <p><span aria-hidden="true">{ "✖ " }</span><strong>{ "kube-proxy would not write rules: " }</strong>{ e }</p>
                    if let Some(span) = span {
                        <button type="button" class="linkish" onclick={let r = props.on_reveal.clone(); Callback::from(move |_: MouseEvent| r.emit(span))}>
                            { format!("Show {}", view.location(span)) }</button>
                    }
                </div>
            }
        }
        (ProxyMode::Iptables, Ok(_), Ok(_)) => {
            html! { <Structured view={view.clone()} on_reveal={props.on_reveal.clone()} /> }
        }
        (_, _, Ok(t)) => html! { <pre class="proxy-text">{ t }</pre> },
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
                <button type="button" class="copy" onclick={copy} disabled={text.is_err()}>{ "Copy" }</button>
            </div>
            if props.mode == ProxyMode::Iptables {
                <p class="tab-hint">{ "Rules as kube-proxy (iptables mode) writes them on one node. Hover a rule to see which YAML it comes from." }</p>
            }
            { body }
        </div>
    }
}
