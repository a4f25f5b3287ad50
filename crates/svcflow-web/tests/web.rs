//! Browser tests: run in headless Chromium by `wasm-pack test --headless --chrome crates/svcflow-web`.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use svcflow_source::utf16_index_of_byte;
use svcflow_web::engine::View;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn default_example_lists_its_objects() {
    let root = mount();
    tick().await;
    assert_eq!(texts(&root, ".object"), vec!["Service/shop/webline 2", "Deployment/shop/webline 15"]);
}

#[wasm_bindgen_test]
async fn default_example_renders_chain_names_on_load() {
    let root = mount();
    tick().await;
    let svg = text_of(&root, "svg.flow-svg .node");
    assert!(svg.contains("KUBE-SVC-"), "{svg}");
    assert!(svg.contains("KUBE-SEP-"), "{svg}");
    assert!(svg.contains("web.shop.svc.cluster.local"), "{svg}");
    // Every node is keyboard-focusable and labelled.
    let nodes = root.query_selector_all("svg .node").unwrap();
    assert!(nodes.length() >= 8, "{} nodes", nodes.length());
    for i in 0..nodes.length() {
        let n: web_sys::Element = nodes.item(i).unwrap().dyn_into().unwrap();
        assert_eq!(n.get_attribute("tabindex").as_deref(), Some("0"));
        assert_eq!(n.get_attribute("role").as_deref(), Some("button"));
        assert!(n.get_attribute("aria-label").is_some_and(|l| !l.is_empty()));
    }
    assert!(text_of(&root, ".status-bar").contains("2 objects"));
}

#[wasm_bindgen_test]
async fn typing_yaml_updates_the_object_list() {
    let root = mount();
    tick().await;
    type_text(
        &root,
        "kind: Service\nmetadata:\n  name: api\n  namespace: prod\n---\n\nkind: Pod\nmetadata:\n  name: p1\n",
    );
    wait_for("the object list to follow the text", || {
        texts(&root, ".object").len() == 2 && text_of(&root, ".object").contains("api")
    })
    .await;
    assert_eq!(texts(&root, ".object"), vec!["Service/prod/apiline 1", "Pod/default/p1line 7"]);
}

const API: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: prod\nspec:\n  selector:\n    app: api\n  ports:\n    - name: http\n      port: 8080\n      targetPort: 8080\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: api-1\n  namespace: prod\n  labels:\n    app: api\nspec:\n  containers:\n    - name: api\n      image: example/api:1\n      ports:\n        - containerPort: 8080\n";

#[wasm_bindgen_test]
async fn typing_yaml_updates_the_diagram_and_the_problems() {
    let root = mount();
    tick().await;
    type_text(&root, API);
    // Debounced: not yet analysed right after the keystroke...
    tick().await;
    assert!(!text_of(&root, "svg .node").contains("prod/api"));
    // ...but soon after.
    wait_for("the diagram to show the new Service", || text_of(&root, "svg .node").contains("prod/api")).await;
    let svg = text_of(&root, "svg .node");
    assert!(svg.contains("KUBE-SVC-"), "{svg}");
    assert!(svg.contains("api-1"), "{svg}");
    assert!(texts(&root, ".problem").is_empty());

    // Break the YAML: a problem appears, with its rule id and severity in words.
    type_text(&root, &format!("{API}---\nkind: Service\nmetadata: [oops\n"));
    wait_for("a problem", || !texts(&root, ".problem").is_empty()).await;
    let p = text_of(&root, ".problem-main");
    assert!(p.contains("invalid-yaml") && p.contains("error"), "{p}");
    assert!(text_of(&root, ".status-bar").contains("YAML error"));
    assert!(root.query_selector(".gutter-mark.sev-error").unwrap().is_some());
    assert!(root.query_selector(".editor-overlay .mark-error").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn clicking_a_problem_selects_its_range_in_utf16() {
    // Non-ASCII before the problem: byte offsets and UTF-16 offsets differ.
    let text =
        "# café ☕ 😀 — naïve\nkind: Service\nmetadata:\n  name: x\n---\nkind: Pod\nmetadata: {name: [unclosed\n";
    let root = mount();
    tick().await;
    type_text(&root, text);
    wait_for("a problem", || root.query_selector(".problem-main").unwrap().is_some()).await;
    let view = View::new(text);
    let span = view.problems[0].primary.span;
    click(&root, ".problem-main");
    tick().await;
    let area = textarea(&root);
    assert_eq!(area.selection_start().unwrap(), Some(utf16_index_of_byte(text, span.start)));
    assert_eq!(area.selection_end().unwrap(), Some(utf16_index_of_byte(text, span.end)));
    let active = gloo::utils::document().active_element().unwrap();
    assert_eq!(active, area.clone().unchecked_into::<web_sys::Element>());
    assert!(root.query_selector(".problem.current").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn clicking_a_node_highlights_its_yaml() {
    let root = mount();
    tick().await;
    click(&root, "svg .node.kind-service");
    tick().await;
    assert!(root.query_selector(".editor-overlay .band").unwrap().is_some(), "no highlighted lines");
    assert!(root.query_selector("svg .node.kind-service.selected").unwrap().is_some());
    let area = textarea(&root);
    let text = area.value();
    let (s, e) = (area.selection_start().unwrap().unwrap(), area.selection_end().unwrap().unwrap());
    let chosen: String = text.encode_utf16().skip(s as usize).take((e - s) as usize).map(|u| u as u8 as char).collect();
    assert_eq!(chosen, "web");
    assert!(text_of(&root, ".node-details").contains("shop/web"));
}

#[wasm_bindgen_test]
async fn moving_the_cursor_lights_the_nodes_of_that_yaml() {
    let root = mount();
    tick().await;
    let area = textarea(&root);
    let at = area.value().find("image:").unwrap() as u32;
    area.focus().unwrap();
    area.set_selection_range(at, at).unwrap();
    area.dispatch_event(&key_event("keyup", "ArrowRight", false)).unwrap();
    wait_for("lit pod nodes", || root.query_selector("svg .node.kind-pod.lit").unwrap().is_some()).await;
    assert!(root.query_selector("svg .node.kind-chain.lit").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn f8_steps_through_problems() {
    let root = mount();
    tick().await;
    type_text(&root, "a: [\n---\nb: {\n---\nc: [\n");
    wait_for("problems", || texts(&root, ".problem").len() >= 2).await;
    let doc = gloo::utils::document();
    doc.dispatch_event(&key_event("keydown", "F8", false)).unwrap();
    tick().await;
    let problems = texts(&root, ".problem");
    assert_eq!(root.query_selector_all(".problem.current").unwrap().length(), 1);
    assert_eq!(text_of(&root, ".problem.current"), problems[0]);
    doc.dispatch_event(&key_event("keydown", "F8", false)).unwrap();
    tick().await;
    assert_eq!(text_of(&root, ".problem.current"), problems[1]);
    doc.dispatch_event(&key_event("keydown", "F8", true)).unwrap();
    tick().await;
    assert_eq!(text_of(&root, ".problem.current"), problems[0]);
}

#[wasm_bindgen_test]
async fn inspector_tabs_show_rules_dns_endpoints_and_explanations() {
    let root = mount();
    tick().await;
    click(&root, "#tab-iptables");
    // the rules are computed when the tab asks for them
    wait_for("the iptables rules", || text_of(&root, ".tab-panel").contains("-j KUBE-SEP-")).await;
    let rules = text_of(&root, ".tab-panel");
    assert!(rules.contains("KUBE-SVC-") && rules.contains("-j KUBE-SEP-"), "{rules}");
    let li = root.query_selector(".rules li[title]").unwrap().unwrap();
    assert!(li.get_attribute("title").unwrap().starts_with("from input.yaml:"), "{:?}", li.get_attribute("title"));
    click(&root, ".segmented button:nth-child(2)");
    wait_for("the nftables rules", || text_of(&root, ".tab-panel").contains("table ip kube-proxy")).await;

    click(&root, "#tab-dns");
    tick().await;
    let dns = text_of(&root, ".tab-panel");
    assert!(dns.contains("web.shop.svc.cluster.local"), "{dns}");
    assert!(dns.contains("Resolves to"), "{dns}");

    click(&root, "#tab-endpoints");
    tick().await;
    assert!(text_of(&root, ".tab-panel").contains("3 ready of 3"));

    click(&root, "#tab-explain");
    tick().await;
    assert!(root.query_selector_all(".explain li").unwrap().length() >= 2);
}

#[wasm_bindgen_test]
async fn dns_box_shows_nxdomain_for_a_short_name_from_another_namespace() {
    let root = mount();
    tick().await;
    let select: web_sys::HtmlSelectElement =
        root.query_selector(".toolbar select").unwrap().unwrap().dyn_into().unwrap();
    let i = svcflow_web::examples::find("broken-short-dns").unwrap();
    select.set_value(&i.to_string());
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    click(&root, "#tab-dns");
    tick().await;
    let ns: web_sys::HtmlSelectElement = root.query_selector(".resolver select").unwrap().unwrap().dyn_into().unwrap();
    ns.set_value("frontend");
    ns.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    let out = text_of(&root, ".tab-panel");
    assert!(out.contains("api.frontend.svc.cluster.local. → NXDOMAIN"), "{out}");
    assert!(out.contains("NXDOMAIN: `api` does not resolve from namespace frontend"), "{out}");
}

#[wasm_bindgen_test]
async fn every_example_renders() {
    let root = mount();
    tick().await;
    let select: web_sys::HtmlSelectElement =
        root.query_selector(".toolbar select").unwrap().unwrap().dyn_into().unwrap();
    for (i, ex) in svcflow_web::examples::EXAMPLES.iter().enumerate() {
        select.set_value(&i.to_string());
        select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
        tick().await;
        assert_eq!(textarea(&root).value(), ex.text, "{}", ex.id);
        assert!(root.query_selector("svg .node.kind-service").unwrap().is_some(), "{}: no Service node", ex.id);
    }
}

#[wasm_bindgen_test]
async fn no_request_leaves_the_origin() {
    let root = mount();
    tick().await;
    type_text(&root, API);
    sleep(300).await;
    let window = gloo::utils::window();
    let origin = window.location().origin().unwrap();
    let entries = window.performance().unwrap().get_entries_by_type("resource");
    for e in entries.iter() {
        let e: web_sys::PerformanceEntry = e.unchecked_into();
        let name = e.name();
        assert!(
            name.starts_with(&origin) || name.starts_with("data:") || name.starts_with("blob:"),
            "request to {name}"
        );
    }
}

#[wasm_bindgen_test]
async fn nodes_carry_a_badge_for_problems_inside_their_yaml() {
    let root = mount();
    tick().await;
    type_text(
        &root,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    app: web\n  ports:\n    - name: http\n      port: 80\n      protocol: 5\n",
    );
    wait_for("a badge on the Service node", || root.query_selector("svg .node.kind-service .badge").unwrap().is_some())
        .await;
    // `protocol: 5` is invalid-object; the linter adds selector-matches-nothing (no pods).
    let badge = text_of(&root, "svg .node.kind-service .badge");
    let count: usize = badge.chars().filter(|c| c.is_ascii_digit()).collect::<String>().parse().unwrap_or(0);
    assert_eq!(count, 2, "{badge}");
    let label = root.query_selector("svg .node.kind-service").unwrap().unwrap().get_attribute("aria-label").unwrap();
    assert!(label.contains("2 problem"), "{label}");
}

#[wasm_bindgen_test]
async fn zoom_keys_and_buttons_change_the_view() {
    let root = mount();
    tick().await;
    let viewport = root.query_selector("svg .viewport").unwrap().unwrap();
    let before = viewport.get_attribute("transform").unwrap();
    let flow_box = root.query_selector(".flow-box").unwrap().unwrap();
    flow_box.dispatch_event(&key_event("keydown", "+", false)).unwrap();
    tick().await;
    let zoomed = viewport.get_attribute("transform").unwrap();
    assert_ne!(before, zoomed);
    flow_box.dispatch_event(&key_event("keydown", "0", false)).unwrap();
    tick().await;
    assert_eq!(viewport.get_attribute("transform").unwrap(), "translate(0.00 0.00) scale(1.0000)");
    click(&root, ".flow-tools button[title^='Fit']");
    tick().await;
    assert_eq!(viewport.get_attribute("transform").unwrap(), before);
}

/// A long input: the gutter and the overlay hold only the lines near the visible part, and
/// follow the textarea when it scrolls (with all the lines, pasting a 30 MB file took a minute).
#[wasm_bindgen_test]
async fn editor_holds_only_the_lines_near_the_view() {
    let root = mount();
    tick().await;
    let mut text: String = (1..=6000).map(|i| format!("# line {i}\n")).collect();
    text.push_str("apiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_Name\nspec:\n  ports:\n    - port: 80\n");
    type_text(&root, &text);
    wait_for("the long input analysed", || text_of(&root, ".count-objects").starts_with("1 object")).await;
    let overlay = root.query_selector(".editor-overlay").unwrap().unwrap();
    let shown = overlay.text_content().unwrap();
    assert!(shown.contains("# line 1\n") && !shown.contains("# line 6000\n"), "overlay holds the top lines only");
    assert!(shown.len() < text.len() / 4, "{} of {} bytes in the overlay", shown.len(), text.len());
    let numbers = text_of(&root, ".gutter-numbers");
    assert!(numbers.starts_with("1\n2\n") && !numbers.contains("\n6003\n"), "gutter holds the top lines only");

    // Scroll to the end: the last lines, the problem's mark and its gutter icon come in.
    let area = textarea(&root);
    // The page's stylesheet (not loaded here) gives the editor 20 px lines (`--editor-line`).
    area.set_attribute("style", "line-height:20px;font-size:13px;height:400px;padding:8px 10px").unwrap();
    area.set_scroll_top(10_000_000);
    area.dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    wait_for("the end of the text in the overlay", || {
        overlay.text_content().unwrap_or_default().contains("# line 6000\n")
    })
    .await;
    assert!(text_of(&root, ".gutter-numbers").contains("\n6004\n"));
    assert!(!overlay.text_content().unwrap().contains("# line 1\n"));
    assert!(text_of(&root, ".editor-overlay .mark-error").contains("Bad_Name"), "the problem is marked in the overlay");
    assert!(root.query_selector(".gutter-mark.sev-error").unwrap().is_some(), "gutter icon of the problem");
}
