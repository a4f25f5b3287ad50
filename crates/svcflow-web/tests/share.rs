//! The share link and the other browser plumbing, in a real browser.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use svcflow_web::infra::{download, fragment, panic, storage, theme};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// About 100 KB of realistic YAML with non-ASCII text.
fn big_input() -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < 100_000 {
        s.push_str(&format!(
            "---\n# service {i}: ünïcødé ✓ 😀\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\n  namespace: ns-{}\nspec:\n  selector:\n    app: app-{i}\n  ports:\n    - name: http\n      port: {}\n      targetPort: {}\n",
            i % 7,
            80 + i % 100,
            8000 + (i * 7919) % 1000
        ));
        i += 1;
    }
    s
}

#[wasm_bindgen_test]
async fn share_link_round_trip_of_100_kb() {
    let text = big_input();
    assert!(text.len() >= 100_000);
    let f = fragment::encode(&text).await;
    assert!(f.starts_with("v1."));
    assert!(f.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'), "not URL-safe");
    assert!(f.len() < text.len() / 4, "{} bytes for {}", f.len(), text.len());
    assert_eq!(fragment::decode(&f).await.unwrap(), text);
}

/// Links made before the browser's CompressionStream did the deflating (by miniz_oxide at level 9)
/// still open, and damaged or bomb-shaped links are refused with a message.
#[wasm_bindgen_test]
async fn share_links_of_the_earlier_encoder_still_open() {
    // `v1.` + base64url(miniz_oxide::deflate::compress_to_vec(text, 9)), made by the old encoder
    let text = "kind: Service\nmetadata:\n  name: wéb 😀\n".repeat(3);
    assert_eq!(fragment::decode(OLD_LINK).await.unwrap(), text);
    assert!(fragment::decode("v1.AAAA").await.unwrap_err().contains("damaged"));
    // 9 MB of zeros deflates to a few KB: over the 8 MB limit, so refused rather than inflated
    let bomb = fragment::encode(&"\0".repeat(9 << 20)).await;
    assert!(fragment::decode(&bomb).await.unwrap_err().contains("too large"));
}

const OLD_LINK: &str = "v1.tcqxEQAQDAXQPlP8ObKGCYIUzlE4R2sMndocFjKCKfQvhuwZRksLTilpFS9VmIAsSRn9bIu75qD4QT4";

#[wasm_bindgen_test]
async fn share_link_through_the_address_bar() {
    let text = "kind: Service\nmetadata:\n  name: from-link 😀\n";
    let f = fragment::encode(text).await;
    fragment::replace_location(&f);
    assert!(gloo::utils::window().location().hash().unwrap().starts_with("#v1."));
    assert_eq!(fragment::read_location().await, Some(Ok(text.to_string())));
    assert!(fragment::share_url(&f).ends_with(&format!("#{f}")));
    fragment::clear_location();
    assert_eq!(fragment::read_location().await, None);
}

#[wasm_bindgen_test]
async fn typing_keeps_the_text_in_storage() {
    let root = mount();
    tick().await;
    type_text(&root, "kind: Pod\nmetadata:\n  name: kept\n");
    // Saved with the debounced analysis…
    wait_for("the text saved", || {
        storage::get(storage::INPUT_KEY).as_deref() == Some("kind: Pod\nmetadata:\n  name: kept\n")
    })
    .await;
    // …and at once when the page goes away before that.
    type_text(&root, "kind: Pod\nmetadata:\n  name: at-once\n");
    assert_ne!(storage::get(storage::INPUT_KEY).as_deref(), Some("kind: Pod\nmetadata:\n  name: at-once\n"));
    gloo::utils::window().dispatch_event(&web_sys::Event::new("pagehide").unwrap()).unwrap();
    assert_eq!(storage::get(storage::INPUT_KEY).as_deref(), Some("kind: Pod\nmetadata:\n  name: at-once\n"));
}

/// An example chosen while typing is still unsaved: the example is what stays stored, the
/// debounce timer does not write the typed text over it afterwards.
#[wasm_bindgen_test]
async fn an_example_chosen_right_after_typing_stays_stored() {
    let root = mount();
    tick().await;
    type_text(&root, "kind: Pod\nmetadata:\n  name: typed\n");
    let select: web_sys::HtmlSelectElement =
        root.query_selector(".toolbar select").unwrap().unwrap().dyn_into().unwrap();
    select.set_value("1");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    sleep(400).await;
    let example = svcflow_web::examples::EXAMPLES[1].text;
    assert_eq!(storage::get(storage::INPUT_KEY).as_deref(), Some(example));
    assert_eq!(textarea(&root).value(), example);
}

#[wasm_bindgen_test]
fn panic_banner_is_plain_text() {
    panic::show_banner("boom <b>not bold</b> at src/x.rs:1");
    let banner = gloo::utils::document().get_element_by_id(panic::BANNER_ID).unwrap();
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let text = banner.text_content().unwrap();
    assert!(text.contains("boom <b>not bold</b>"), "{text}");
    assert!(text.contains("localStorage"), "{text}");
    assert!(banner.query_selector("b").unwrap().is_none());
    banner.remove();
}

#[wasm_bindgen_test]
fn theme_is_an_attribute_on_html() {
    theme::apply(theme::Theme::Dark);
    let html = gloo::utils::document().document_element().unwrap();
    assert_eq!(html.get_attribute("data-theme").as_deref(), Some("dark"));
    theme::apply(theme::Theme::Light);
    assert_eq!(html.get_attribute("data-theme").as_deref(), Some("light"));
    html.remove_attribute("data-theme").unwrap();
}

#[wasm_bindgen_test]
async fn svg_export_is_a_standalone_document() {
    let root = mount();
    tick().await;
    let svg = root.query_selector("svg.flow-svg").unwrap().unwrap();
    let markup = download::svg_markup(&svg).unwrap();
    assert!(markup.starts_with("<?xml"));
    assert!(markup.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(markup.contains("KUBE-SVC-"));
    assert!(markup.contains("viewBox=\"0 0 "));
    assert!(!markup.contains("tabindex"));
    // Still the page's diagram: panning stays.
    assert!(svg.get_attribute("viewBox").is_none());
}
