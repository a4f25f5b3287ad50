//! The YAML editor: a plain, labelled `<textarea>` over an overlay `<pre>` that marks problem
//! ranges and the highlighted lines, with a line-number gutter; all three scroll together.

use crate::engine::View;
use crate::state::Reveal;
use gloo::events::EventListener;
use std::rc::Rc;
use svcflow_core::{Severity, Span};
use svcflow_source::{byte_offset_of_utf16, utf16_index_of_byte, LineIndex};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

pub const EDITOR_ID: &str = "svcflow-editor";
/// Must equal the editor's CSS line height (`--editor-line` in www/style.css).
pub const LINE_HEIGHT: f64 = 20.0;
/// Must equal the editor's top padding.
pub const PAD_TOP: f64 = 8.0;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: Rc<str>,
    pub view: Rc<View>,
    pub highlight: Rc<Vec<Span>>,
    pub current_problem: Option<usize>,
    pub reveal: Option<Reveal>,
    pub on_input: Callback<String>,
    /// Selection moved: byte offsets `start..end` into the current text.
    pub on_cursor: Callback<(u32, u32)>,
}

/// One run of overlay text with the classes that apply to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub class: String,
}

/// Cut `text` into runs at every mark boundary. Marks are byte ranges with a class; they may
/// overlap (classes then add up); ranges are clamped to the text and to char boundaries, and an
/// empty range marks the character at its start (or the line end) so it stays visible.
pub fn segments(text: &str, marks: &[(usize, usize, &str)]) -> Vec<Segment> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while i > 0 && !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let marks: Vec<(usize, usize, &str)> = marks
        .iter()
        .filter_map(|&(a, b, c)| {
            let a = floor(a);
            let mut b = floor(b.max(a));
            if b == a {
                b = text[a..].chars().next().map_or(a, |ch| if ch == '\n' { a } else { a + ch.len_utf8() });
            }
            (b > a).then_some((a, b, c))
        })
        .collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for (a, b, _) in &marks {
        cuts.push(*a);
        cuts.push(*b);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Segment> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a == b {
            continue;
        }
        let mut classes: Vec<&str> = marks.iter().filter(|(x, y, _)| *x <= a && b <= *y).map(|m| m.2).collect();
        classes.dedup();
        let class = classes.join(" ");
        match out.last_mut() {
            Some(last) if last.class == class && last.end == a => last.end = b,
            _ => out.push(Segment { start: a, end: b, class }),
        }
    }
    out
}

fn textarea(node: &NodeRef) -> Option<HtmlTextAreaElement> {
    node.cast::<HtmlTextAreaElement>()
}

fn sync_scroll(area: &HtmlTextAreaElement, overlay: &NodeRef, gutter: &NodeRef) {
    if let Some(o) = overlay.cast::<HtmlElement>() {
        o.set_scroll_top(area.scroll_top());
        o.set_scroll_left(area.scroll_left());
    }
    if let Some(g) = gutter.cast::<HtmlElement>() {
        g.set_scroll_top(area.scroll_top());
    }
}

/// The selection as byte offsets into the textarea's text.
fn selection_bytes(area: &HtmlTextAreaElement) -> Option<(u32, u32)> {
    let text = area.value();
    let start = area.selection_start().ok()??;
    let end = area.selection_end().ok()??;
    Some((byte_offset_of_utf16(&text, start), byte_offset_of_utf16(&text, end)))
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let area_ref = use_node_ref();
    let overlay_ref = use_node_ref();
    let gutter_ref = use_node_ref();

    // Select / reveal a span on request (a problem or a node was chosen).
    {
        let area_ref = area_ref.clone();
        let overlay_ref = overlay_ref.clone();
        let gutter_ref = gutter_ref.clone();
        use_effect_with(props.reveal, move |reveal| {
            if let (Some(r), Some(area)) = (reveal, textarea(&area_ref)) {
                let text = area.value();
                let start = utf16_index_of_byte(&text, r.span.start);
                let end = utf16_index_of_byte(&text, r.span.end);
                if r.focus {
                    let _ = area.focus();
                }
                let _ = area.set_selection_range(start, end);
                let line = text.get(..(r.span.start as usize).min(text.len())).map_or(0, |p| p.matches('\n').count());
                let y = line as f64 * LINE_HEIGHT;
                let top = area.scroll_top() as f64;
                let height = area.client_height() as f64;
                if y < top || y + 2.0 * LINE_HEIGHT > top + height {
                    area.set_scroll_top((y - height / 3.0).max(0.0) as i32);
                }
                if !r.focus {
                    area.set_scroll_left(0);
                }
                sync_scroll(&area, &overlay_ref, &gutter_ref);
            }
        });
    }

    // The cursor moves in many ways (keys, mouse, programmatic selection): `selectionchange`
    // on the document covers them all while the textarea has focus.
    {
        let area_ref = area_ref.clone();
        let on_cursor = props.on_cursor.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::document(), "selectionchange", move |_| {
                let Some(area) = textarea(&area_ref) else { return };
                let active = gloo::utils::document().active_element();
                if active.as_ref().map(|a| a.id()) == Some(EDITOR_ID.to_string()) {
                    if let Some(sel) = selection_bytes(&area) {
                        on_cursor.emit(sel);
                    }
                }
            });
            move || drop(listener)
        });
    }

    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_input.emit(area.value());
        })
    };
    let report_cursor = {
        let on_cursor = props.on_cursor.clone();
        move |e: &Event| {
            if let Some(area) = e.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()) {
                if let Some(sel) = selection_bytes(&area) {
                    on_cursor.emit(sel);
                }
            }
        }
    };
    let onkeyup = {
        let r = report_cursor.clone();
        Callback::from(move |e: KeyboardEvent| r(&e))
    };
    let onclick = {
        let r = report_cursor.clone();
        Callback::from(move |e: MouseEvent| r(&e))
    };
    let onselect = Callback::from(move |e: Event| report_cursor(&e));
    let onscroll = {
        let overlay_ref = overlay_ref.clone();
        let gutter_ref = gutter_ref.clone();
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            sync_scroll(&area, &overlay_ref, &gutter_ref);
        })
    };

    let text: &str = &props.text;
    let index = LineIndex::new(text);
    let lines = index.line_count();

    // Problem ranges (the analysed text's spans; while an edit waits for analysis they may be
    // off by the few characters typed since, and are clamped).
    let view = &props.view;
    let mut marks: Vec<(usize, usize, &str)> = Vec::new();
    let mut gutter_marks: Vec<(u32, Severity, String)> = Vec::new();
    for (i, d) in view.problems.iter().enumerate().filter(|(_, d)| !d.suppressed && d.primary.span.source == 0) {
        let sp = d.primary.span;
        let class = match (d.severity, props.current_problem == Some(i)) {
            (Severity::Error, false) => "mark-error",
            (Severity::Error, true) => "mark-error mark-current",
            (Severity::Warning, false) => "mark-warning",
            (Severity::Warning, true) => "mark-warning mark-current",
        };
        marks.push((sp.start as usize, sp.end as usize, class));
        let line = index.line_of((sp.start as usize).min(text.len()) as u32);
        match gutter_marks.iter_mut().find(|(l, _, _)| *l == line) {
            Some(g) => {
                g.1 = g.1.max(d.severity);
                g.2.push('\n');
                g.2.push_str(&d.message);
            }
            None => gutter_marks.push((line, d.severity, d.message.clone())),
        }
    }
    let segs = segments(text, &marks);
    let bands: Vec<(u32, u32)> = props
        .highlight
        .iter()
        .map(|sp| {
            let a = index.line_of((sp.start as usize).min(text.len()) as u32);
            let end = (sp.end.max(sp.start + 1) - 1).min(text.len() as u32);
            (a, index.line_of(end).max(a))
        })
        .collect();

    let mut numbers = String::with_capacity(lines as usize * 4);
    for n in 1..=lines {
        numbers.push_str(&n.to_string());
        numbers.push('\n');
    }
    // Room to scroll as far as the textarea (its scrollbar makes it scroll further).
    numbers.push_str("\n\n");

    html! {
        <div class="editor-wrap">
            <div class="gutter" ref={gutter_ref} aria-hidden="true">
                <div class="gutter-inner">
                    <pre class="gutter-numbers">{ numbers }</pre>
                    { for gutter_marks.iter().map(|(line, sev, msg)| {
                        let (icon, class) = match sev {
                            Severity::Error => ("✖", "gutter-mark sev-error"),
                            Severity::Warning => ("⚠", "gutter-mark sev-warning"),
                        };
                        let top = format!("top:{:.0}px", PAD_TOP + (*line as f64 - 1.0) * LINE_HEIGHT);
                        html! { <span class={class} style={top} title={msg.clone()}>{ icon }</span> }
                    }) }
                </div>
            </div>
            <div class="editor-stack">
                <pre class="editor-overlay" ref={overlay_ref} aria-hidden="true">
                    { for bands.iter().map(|(a, b)| {
                        let style = format!(
                            "top:{:.0}px;height:{:.0}px",
                            PAD_TOP + (*a as f64 - 1.0) * LINE_HEIGHT,
                            (*b - *a + 1) as f64 * LINE_HEIGHT
                        );
                        html! { <span class="band" {style}></span> }
                    }) }
                    { for segs.iter().map(|s| {
                        let t = text[s.start..s.end].to_string();
                        if s.class.is_empty() { html! { t } } else { html! { <span class={s.class.clone()}>{ t }</span> } }
                    }) }
                    { "\n\n\n" }
                </pre>
                <textarea
                    id={EDITOR_ID}
                    ref={area_ref}
                    class="editor"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    aria-describedby="editor-help"
                    value={AttrValue::from(props.text.clone())}
                    {oninput}
                    {onkeyup}
                    {onclick}
                    {onselect}
                    {onscroll}
                />
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str, marks: &[(usize, usize, &str)]) -> Vec<(String, String)> {
        segments(text, marks).into_iter().map(|s| (text[s.start..s.end].to_string(), s.class)).collect()
    }

    #[test]
    fn overlapping_marks_add_classes() {
        let got = spans("abcdef", &[(1, 4, "x"), (3, 5, "y")]);
        let want = [("a", ""), ("bc", "x"), ("d", "x y"), ("e", "y"), ("f", "")];
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    #[test]
    fn empty_and_out_of_range_marks_stay_visible_and_valid() {
        let got = spans("aé\nb", &[(2, 2, "x"), (1, 1, "y"), (10, 20, "z")]);
        assert_eq!(got, [("a", ""), ("é", "x y"), ("\nb", "")].map(|(a, b)| (a.to_string(), b.to_string())));
        // A point mark on a newline marks nothing (and does not panic).
        assert_eq!(spans("a\n", &[(1, 1, "x")]), vec![("a\n".to_string(), String::new())]);
    }
}
