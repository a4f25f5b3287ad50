//! Downloads (Blob + object URL + `<a download>`) and the diagram's SVG/PNG export.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, Element, HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement, Url};

/// CSS variables the diagram uses: their current values are written into an exported SVG, so it
/// looks like the page (in the current theme) without the page's stylesheet.
const DIAGRAM_VARS: &[&str] = &[
    "--bg",
    "--fg",
    "--muted",
    "--line",
    "--panel",
    "--accent",
    "--error",
    "--warning",
    "--ok",
    "--excluded",
    "--node-bg",
    "--lane-bg",
    "--lit",
    "--mono",
];

fn blob(parts: &str, mime: &str) -> Result<Blob, JsValue> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let array = js_sys::Array::of1(&JsValue::from_str(parts));
    Blob::new_with_str_sequence_and_options(&array, &options)
}

/// Offer `blob` as a file named `name`.
pub fn download_blob(name: &str, blob: &Blob) -> Result<(), String> {
    let document = gloo::utils::document();
    let url = Url::create_object_url_with_blob(blob).map_err(js_text)?;
    let a: HtmlAnchorElement = document.create_element("a").map_err(js_text)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_attribute("hidden", "").map_err(js_text)?;
    let body = document.body().ok_or("no body")?;
    body.append_child(&a).map_err(js_text)?;
    a.click();
    a.remove();
    // Revoke later: the download starts asynchronously.
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Offer `text` as a file.
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    download_blob(name, &blob(text, mime).map_err(js_text)?)
}

/// A standalone SVG document of the diagram: no pan/zoom, the full drawing, the colours of the
/// current theme, and no interaction state.
pub fn svg_markup(svg: &Element) -> Result<String, String> {
    let clone: Element = svg.clone_node_with_deep(true).map_err(js_text)?.unchecked_into();
    let width = svg.get_attribute("data-width").unwrap_or_else(|| "800".into());
    let height = svg.get_attribute("data-height").unwrap_or_else(|| "600".into());
    clone.set_attribute("xmlns", "http://www.w3.org/2000/svg").map_err(js_text)?;
    clone.set_attribute("width", &width).map_err(js_text)?;
    clone.set_attribute("height", &height).map_err(js_text)?;
    clone.set_attribute("viewBox", &format!("0 0 {width} {height}")).map_err(js_text)?;
    let _ = clone.remove_attribute("tabindex");
    if let Ok(Some(g)) = clone.query_selector(".viewport") {
        let _ = g.remove_attribute("transform");
    }
    // Drop interaction state and focusability.
    if let Ok(nodes) = clone.query_selector_all("[tabindex]") {
        for i in 0..nodes.length() {
            if let Some(n) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let _ = n.remove_attribute("tabindex");
                let class = n.get_attribute("class").unwrap_or_default();
                let kept: Vec<&str> =
                    class.split(' ').filter(|c| !matches!(*c, "lit" | "selected" | "hovered")).collect();
                let _ = n.set_attribute("class", &kept.join(" "));
            }
        }
    }
    // The current values of the palette, as variables on the root.
    let mut style = String::new();
    if let Some(root) = gloo::utils::document().document_element() {
        if let Ok(Some(computed)) = gloo::utils::window().get_computed_style(&root) {
            for var in DIAGRAM_VARS {
                if let Ok(v) = computed.get_property_value(var) {
                    let v = v.trim();
                    if !v.is_empty() {
                        style.push_str(&format!("{var}:{v};"));
                    }
                }
            }
            if let Ok(bg) = computed.get_property_value("--bg") {
                style.push_str(&format!("background:{};", bg.trim()));
            }
        }
    }
    clone.set_attribute("style", &style).map_err(js_text)?;
    let xml = web_sys::XmlSerializer::new().map_err(js_text)?.serialize_to_string(&clone).map_err(js_text)?;
    Ok(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{xml}\n"))
}

pub fn download_svg(svg: &Element, name: &str) -> Result<(), String> {
    download_text(name, "image/svg+xml", &svg_markup(svg)?)
}

/// Draw the SVG into a canvas (2× for sharpness) and download it as PNG.
pub fn download_png(svg: &Element, name: &str) -> Result<(), String> {
    let markup = svg_markup(svg)?;
    let width: f64 = svg.get_attribute("data-width").and_then(|w| w.parse().ok()).unwrap_or(800.0);
    let height: f64 = svg.get_attribute("data-height").and_then(|h| h.parse().ok()).unwrap_or(600.0);
    let url = Url::create_object_url_with_blob(&blob(&markup, "image/svg+xml").map_err(js_text)?).map_err(js_text)?;
    let image = HtmlImageElement::new().map_err(js_text)?;
    let name = name.to_string();
    let img = image.clone();
    let svg_url = url.clone();
    let onload = Closure::once(move || {
        let _ = Url::revoke_object_url(&svg_url);
        if let Err(e) = draw_and_save(&img, width, height, &name) {
            web_sys::console::warn_1(&e.into());
        }
    });
    image.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    image.set_src(&url);
    Ok(())
}

fn draw_and_save(img: &HtmlImageElement, width: f64, height: f64, name: &str) -> Result<(), String> {
    let scale = 2.0;
    let document = gloo::utils::document();
    let canvas: HtmlCanvasElement = document.create_element("canvas").map_err(js_text)?.unchecked_into();
    canvas.set_width((width * scale) as u32);
    canvas.set_height((height * scale) as u32);
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").map_err(js_text)?.ok_or("no 2d context")?.unchecked_into();
    ctx.scale(scale, scale).map_err(js_text)?;
    ctx.draw_image_with_html_image_element_and_dw_and_dh(img, 0.0, 0.0, width, height).map_err(js_text)?;
    let name = name.to_string();
    let done = Closure::once(move |b: JsValue| match b.dyn_into::<Blob>() {
        Ok(b) => {
            if let Err(e) = download_blob(&name, &b) {
                web_sys::console::warn_1(&e.into());
            }
        }
        Err(_) => web_sys::console::warn_1(&"the browser could not encode the PNG".into()),
    });
    canvas.to_blob(done.as_ref().unchecked_ref()).map_err(js_text)?;
    done.forget();
    Ok(())
}

fn js_text(e: JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()))
        .unwrap_or_else(|| format!("{e:?}"))
}
