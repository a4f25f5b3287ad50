//! The YAML editor: a plain, labelled `<textarea>` over an overlay `<pre>` that marks problem
//! ranges and the highlighted lines, with a line-number gutter; all three scroll together.

use crate::engine::View;
use crate::state::Reveal;
use gloo::events::EventListener;
use std::rc::Rc;
use svcflow_core::flow::fixed;
use svcflow_core::{Severity, Span};
use svcflow_source::{byte_offset_of_utf16, utf16_index_of_byte};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

pub const EDITOR_ID: &str = "svcflow-editor";
/// Must equal the editor's CSS line height (`--editor-line` in www/style.css).
pub const LINE_HEIGHT: f64 = 20.0;
/// Must equal the editor's top padding.
pub const PAD_TOP: f64 = 8.0;
/// The gutter and the overlay hold only the lines near the visible ones (a 30 MB input has a
/// million lines; laying them all out twice made pasting it take a minute): the visible lines
/// plus this many above and below, in steps of `WINDOW_STEP` so that scrolling re-renders rarely.
const WINDOW_MARGIN: u32 = 150;
const WINDOW_STEP: u32 = 100;

/// The 1-based lines `first..=last` that the gutter and the overlay hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineWindow {
    pub first: u32,
    pub last: u32,
}

impl LineWindow {
    /// The window around a viewport scrolled `scroll_top` pixels down, `height` pixels high.
    pub fn around(scroll_top: f64, height: f64) -> LineWindow {
        let top = (scroll_top / LINE_HEIGHT).max(0.0) as u32;
        let bottom = ((scroll_top + height.max(0.0)) / LINE_HEIGHT).ceil() as u32;
        let first = top.saturating_sub(WINDOW_MARGIN) / WINDOW_STEP * WINDOW_STEP + 1;
        let last = (bottom + WINDOW_MARGIN).div_ceil(WINDOW_STEP) * WINDOW_STEP;
        LineWindow { first, last }
    }

    fn of(area: &HtmlTextAreaElement) -> LineWindow {
        LineWindow::around(area.scroll_top() as f64, area.client_height() as f64)
    }
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: Rc<str>,
    pub view: Rc<View>,
    pub highlight: Rc<Vec<Span>>,
    pub current_problem: Option<usize>,
    pub reveal: Option<Reveal>,
    /// Bumped when the text was replaced from outside (an example, a link): only then is the
    /// textarea's value set from `text`. While the user types, the textarea owns its value, so a
    /// keystroke does not copy the whole text back and forth.
    pub load_seq: u32,
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
    let window = use_state_eq(|| LineWindow::around(0.0, 1200.0));

    // Select / reveal a span on request (a problem or a node was chosen).
    {
        let area_ref = area_ref.clone();
        let overlay_ref = overlay_ref.clone();
        let gutter_ref = gutter_ref.clone();
        let window = window.clone();
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
                window.set(LineWindow::of(&area));
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
        let window = window.clone();
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            window.set(LineWindow::of(&area));
            sync_scroll(&area, &overlay_ref, &gutter_ref);
        })
    };
    // The new lines are in the DOM: scroll the gutter and the overlay along again.
    {
        let area_ref = area_ref.clone();
        let overlay_ref = overlay_ref.clone();
        let gutter_ref = gutter_ref.clone();
        use_effect_with(*window, move |_| {
            if let Some(area) = textarea(&area_ref) {
                sync_scroll(&area, &overlay_ref, &gutter_ref);
            }
        });
    }

    // Text set from outside (and at mount): put it into the textarea.
    {
        let area_ref = area_ref.clone();
        let text = props.text.clone();
        use_effect_with(props.load_seq, move |_| {
            if let Some(area) = textarea(&area_ref) {
                if area.value() != *text {
                    area.set_value(&text);
                }
            }
        });
    }

    // The line numbers follow the live text; they are rebuilt only when its line count changes.
    let lines = props.text.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
    let numbers = use_memo((lines, *window), |&(lines, w)| {
        let last = w.last.min(lines);
        let mut numbers = String::with_capacity((last + 1 - w.first.min(last + 1)) as usize * 6);
        for n in w.first..=last {
            numbers.push_str(&n.to_string());
            numbers.push('\n');
        }
        // Room to scroll as far as the textarea (its scrollbar makes it scroll further).
        numbers.push_str("\n\n");
        let above = format!("height:{}px", fixed((w.first - 1) as f64 * LINE_HEIGHT, 0));
        let below = format!("height:{}px", fixed(lines.saturating_sub(last) as f64 * LINE_HEIGHT, 0));
        (AttrValue::from(numbers), AttrValue::from(above), AttrValue::from(below))
    });

    // The marks (problems, highlighted lines) are spans of the analysed text, so the overlay shows
    // that text and is rebuilt only when the analysis, the highlight or the chosen problem change,
    // not at every keystroke (with a large input, re-laying out the overlay per key was the cost
    // of typing). Until the next analysis the overlay may lag the few characters typed since.
    let marks_key = (
        Rc::as_ptr(&props.view) as *const () as usize,
        Rc::as_ptr(&props.highlight) as *const () as usize,
        props.current_problem,
        *window,
    );
    let overlay = {
        let view = props.view.clone();
        let highlight = props.highlight.clone();
        let current_problem = props.current_problem;
        use_memo(marks_key, move |&(_, _, _, w)| overlay_html(&view, &highlight, current_problem, w))
    };
    html! {
        <div class="editor-wrap">
            <div class="gutter" ref={gutter_ref} aria-hidden="true">
                <div class="gutter-inner">
                    <div style={numbers.1.clone()}></div>
                    <pre class="gutter-numbers">{ numbers.0.clone() }</pre>
                    <div style={numbers.2.clone()}></div>
                    { overlay.gutter.clone() }
                </div>
            </div>
            <div class="editor-stack">
                <pre class="editor-overlay" ref={overlay_ref} aria-hidden="true">
                    { overlay.text.clone() }
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

/// The overlay's content for one analysis: the gutter's problem icons, and the analysed text cut
/// into runs at the problem ranges, with the highlighted lines as bands behind it.
struct Overlay {
    gutter: Html,
    text: Html,
}

fn overlay_html(view: &View, highlight: &[Span], current_problem: Option<usize>, window: LineWindow) -> Overlay {
    let text = view.text();
    // A view always has its one source; without it there is nothing to mark.
    let Some(index) = view.line_index() else {
        return Overlay { gutter: Html::default(), text: Html::default() };
    };
    let lines = index.line_count();
    let last = window.last.min(lines);
    let first = window.first.min(last);
    // The text of the window's lines, and where it sits in the whole text.
    let from = index.line_start(first) as usize;
    let to = if last >= lines { text.len() } else { index.line_start(last + 1) as usize };
    let in_window = |line: u32| first <= line && line <= last;
    let mut marks: Vec<(usize, usize, &str)> = Vec::new();
    let mut gutter_marks: Vec<(u32, Severity, String)> = Vec::new();
    for (i, d) in view.problems.iter().enumerate().filter(|(_, d)| !d.suppressed && d.primary.span.source == 0) {
        let sp = d.primary.span;
        let class = match (d.severity, current_problem == Some(i)) {
            (Severity::Error, false) => "mark-error",
            (Severity::Error, true) => "mark-error mark-current",
            (Severity::Warning, false) => "mark-warning",
            (Severity::Warning, true) => "mark-warning mark-current",
        };
        let (start, end) = (sp.start as usize, sp.end as usize);
        if end >= from && start <= to {
            marks.push((start.max(from) - from, end.clamp(from, to) - from, class));
        }
        let line = index.line_of((sp.start as usize).min(text.len()) as u32);
        if !in_window(line) {
            continue;
        }
        match gutter_marks.iter_mut().find(|(l, _, _)| *l == line) {
            Some(g) => {
                g.1 = g.1.max(d.severity);
                g.2.push('\n');
                g.2.push_str(&d.message);
            }
            None => gutter_marks.push((line, d.severity, d.message.clone())),
        }
    }
    let shown = &text[from..to];
    let segs = segments(shown, &marks);
    let bands: Vec<(u32, u32)> = highlight
        .iter()
        .map(|sp| {
            let a = index.line_of((sp.start as usize).min(text.len()) as u32);
            let end = (sp.end.max(sp.start + 1) - 1).min(text.len() as u32);
            (a, index.line_of(end).max(a))
        })
        .filter(|&(a, b)| a <= last && b >= first)
        .collect();
    let above = format!("display:block;height:{}px", fixed((first.max(1) - 1) as f64 * LINE_HEIGHT, 0));
    let gutter = html! {
        { for gutter_marks.iter().map(|(line, sev, msg)| {
            let (icon, class) = match sev {
                Severity::Error => ("✖", "gutter-mark sev-error"),
                Severity::Warning => ("⚠", "gutter-mark sev-warning"),
            };
            let top = format!("top:{}px", fixed(PAD_TOP + (*line as f64 - 1.0) * LINE_HEIGHT, 0));
            html! { <span class={class} style={top} title={msg.clone()}>{ icon }</span> }
        }) }
    };
    let text = html! {
        <>
            { for bands.iter().map(|(a, b)| {
                let style = format!(
                    "top:{}px;height:{}px",
                    fixed(PAD_TOP + (*a as f64 - 1.0) * LINE_HEIGHT, 0),
                    fixed((*b - *a + 1) as f64 * LINE_HEIGHT, 0)
                );
                html! { <span class="band" {style}></span> }
            }) }
            <span style={above}></span>
            { for segs.iter().map(|s| {
                let t = shown[s.start..s.end].to_string();
                if s.class.is_empty() { html! { t } } else { html! { <span class={s.class.clone()}>{ t }</span> } }
            }) }
        </>
    };
    Overlay { gutter, text }
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
