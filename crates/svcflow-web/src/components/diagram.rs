//! The flow diagram: an SVG drawn from the engine's layout (`flow::layout`), with pan and zoom
//! (wheel, drag, buttons, keys), keyboard-focusable nodes, and a details panel.

use crate::engine::View;
use gloo::events::EventListener;
use std::rc::Rc;
use svcflow_core::flow::{fixed, FlowNode, NodeKind, Status, LANE_TITLES};
use svcflow_core::Severity;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

const MIN_ZOOM: f64 = 0.2;
const MAX_ZOOM: f64 = 3.0;
/// The smallest scale "fit" picks (below it text is unreadable; the user pans instead).
const MIN_FIT: f64 = 0.45;
const DRAG_THRESHOLD: f64 = 4.0;
/// Above this many nodes only those near the visible part are put in the DOM (a 100 KB input
/// has over a thousand; laying out all their text takes seconds).
const WINDOWED_FROM: usize = 240;

/// The diagram's own styles, inside the `<svg>` so an exported file carries them. Colours are
/// the page's CSS variables (an export writes their current values onto the root).
const DIAGRAM_CSS: &str = "
.flow-svg text{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;fill:var(--fg)}
.flow-svg .bg{fill:var(--bg)}
.flow-svg .lane{fill:var(--lane-bg)}
.flow-svg .lane-title{font-size:14px;font-weight:600;fill:var(--muted)}
.flow-svg .node-box{fill:var(--node-bg);stroke:var(--line);stroke-width:1.5}
.flow-svg .node .label{font-size:14px;font-weight:600}
.flow-svg .node .label.mono{font-family:var(--mono);font-size:13px}
.flow-svg .node .detail{font-size:12px;fill:var(--muted)}
.flow-svg .status-icon{font-size:13px;font-weight:700}
.flow-svg .status-ok .status-icon{fill:var(--ok)}
.flow-svg .status-warning .node-box{stroke:var(--warning);stroke-width:2.5}
.flow-svg .status-warning .status-icon,.flow-svg .status-warning .status-word{fill:var(--warning)}
.flow-svg .status-error .node-box{stroke:var(--error);stroke-width:2.5}
.flow-svg .status-error .status-icon,.flow-svg .status-error .status-word{fill:var(--error)}
.flow-svg .status-excluded .node-box{stroke:var(--excluded);stroke-dasharray:5 3;opacity:.85}
.flow-svg .status-excluded .status-icon,.flow-svg .status-excluded .status-word{fill:var(--excluded)}
.flow-svg .status-word{font-size:11px;font-weight:700}
.flow-svg .kind-service .node-box{stroke-width:2}
.flow-svg .node{cursor:pointer;outline:none}
.flow-svg .node.lit .node-box{stroke:var(--lit);stroke-width:3.5}
.flow-svg .node.selected .node-box{stroke:var(--accent);stroke-width:4}
.flow-svg .node:focus-visible .node-box{stroke:var(--accent);stroke-width:3;stroke-dasharray:none}
.flow-svg .node:focus-visible .focus-ring{display:inline}
.flow-svg .focus-ring{display:none;fill:none;stroke:var(--accent);stroke-width:2;stroke-dasharray:4 3}
.flow-svg .badge rect{fill:var(--error)}
.flow-svg .badge.sev-warning rect{fill:var(--warning)}
.flow-svg .badge text{fill:#fff;font-size:11px;font-weight:700}
.flow-svg .edge{fill:none;stroke:var(--muted);stroke-width:1.5}
.flow-svg .edge.status-error{stroke:var(--error);stroke-dasharray:6 4}
.flow-svg .edge.status-excluded{stroke:var(--excluded);stroke-dasharray:6 4}
.flow-svg .edge.status-warning{stroke:var(--warning);stroke-dasharray:6 4}
.flow-svg .edge-labels{pointer-events:none}
.flow-svg .edge-label{font-size:11.5px;fill:var(--muted);paint-order:stroke;stroke:var(--bg);stroke-width:4px;stroke-linejoin:round}
.flow-svg .edge-label.status-error{fill:var(--error)}
.flow-svg .arrow{fill:var(--muted)}
.flow-svg .arrow.status-error{fill:var(--error)}
.flow-svg .arrow.status-excluded{fill:var(--excluded)}
";

pub fn status_icon(s: Status) -> &'static str {
    match s {
        Status::Ok => "✓",
        Status::Warning => "⚠",
        Status::Error => "✖",
        Status::Excluded => "⊘",
    }
}

pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::Warning => "warning",
        Status::Error => "error",
        Status::Excluded => "excluded",
    }
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Ok => "status-ok",
        Status::Warning => "status-warning",
        Status::Error => "status-error",
        Status::Excluded => "status-excluded",
    }
}

pub fn kind_word(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Dns => "DNS name",
        NodeKind::Entry => "Entry point",
        NodeKind::Service => "Service",
        NodeKind::Chain => "kube-proxy service chain",
        NodeKind::Sep => "kube-proxy endpoint chain",
        NodeKind::Pod => "Pod",
        NodeKind::ExternalHost => "External host",
        NodeKind::Reject => "Rejected",
    }
}

fn kind_class(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Dns => "kind-dns",
        NodeKind::Entry => "kind-entry",
        NodeKind::Service => "kind-service",
        NodeKind::Chain => "kind-chain",
        NodeKind::Sep => "kind-sep",
        NodeKind::Pod => "kind-pod",
        NodeKind::ExternalHost => "kind-external",
        NodeKind::Reject => "kind-reject",
    }
}

/// Cut to `max` characters with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Text for `avail` pixels at about `char_px` per character: as is when it fits, squeezed
/// (`textLength`) when a little too long, cut with an ellipsis when much too long.
fn fit_text(s: &str, avail: f64, char_px: f64) -> (String, Option<String>) {
    let n = s.chars().count() as f64;
    if n * char_px <= avail {
        (s.to_string(), None)
    } else if n * char_px <= avail * 1.3 {
        (s.to_string(), Some(px(avail)))
    } else {
        let t = clip(s, (avail * 1.3 / char_px) as usize);
        (t, Some(px(avail)))
    }
}

/// A length for an SVG attribute (one decimal, by integer arithmetic: no float formatting code
/// in the wasm).
fn px(v: f64) -> String {
    fixed(v, 1)
}

/// Pan and zoom: screen = translate + scale × drawing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transform {
    pub x: f64,
    pub y: f64,
    pub k: f64,
}

impl Default for Transform {
    fn default() -> Self {
        Transform { x: 0.0, y: 0.0, k: 1.0 }
    }
}

impl Transform {
    fn attr(&self) -> String {
        format!("translate({} {}) scale({})", fixed(self.x, 2), fixed(self.y, 2), fixed(self.k, 4))
    }

    /// Zoom by `factor` keeping the screen point (`px`, `py`) still.
    pub fn zoom_at(self, factor: f64, px: f64, py: f64) -> Transform {
        let k = (self.k * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let f = k / self.k;
        Transform { x: px - (px - self.x) * f, y: py - (py - self.y) * f, k }
    }
}

/// The transform that shows a `w`×`h` drawing in a `bw`×`bh` box: as large as fits (at most
/// 1:1, at least [`MIN_FIT`], then anchored top-left), centred horizontally when smaller.
pub fn fit(w: f64, h: f64, bw: f64, bh: f64) -> Transform {
    if bw <= 1.0 || bh <= 1.0 || w <= 0.0 || h <= 0.0 {
        return Transform::default();
    }
    let k = (bw / w).min(bh / h).clamp(MIN_FIT, 1.0);
    Transform { x: ((bw - w * k) / 2.0).max(0.0), y: ((bh - h * k) / 2.0).clamp(0.0, 24.0), k }
}

/// A rectangle of the drawing (`x`, `y`, `w`, `h`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.x + o.w <= self.x + self.w && o.y + o.h <= self.y + self.h
    }

    fn intersects(&self, x: f64, y: f64, w: f64, h: f64) -> bool {
        x < self.x + self.w && self.x < x + w && y < self.y + self.h && self.y < y + h
    }
}

/// The part of the drawing a `bw`×`bh` box shows under `t`.
pub fn visible(t: Transform, bw: f64, bh: f64) -> Rect {
    Rect { x: -t.x / t.k, y: -t.y / t.k, w: bw / t.k, h: bh / t.k }
}

/// The window to render for a visible rectangle: one more screen on every side.
fn window_for(v: Rect) -> Rect {
    Rect { x: v.x - v.w, y: v.y - v.h, w: v.w * 3.0, h: v.h * 3.0 }
}

#[derive(Default)]
struct Drag {
    pointer: i32,
    start: (f64, f64),
    origin: Transform,
    active: bool,
    moved: bool,
}

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub view: Rc<View>,
    pub lit: Rc<Vec<usize>>,
    pub selected: Option<usize>,
    pub fit_seq: u32,
    /// Attached to the `<svg>` (for export).
    pub svg_ref: NodeRef,
    /// Draw every node even in a large graph (while exporting).
    #[prop_or_default]
    pub full: bool,
    pub on_select: Callback<usize>,
}

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    let box_ref = use_node_ref();
    let viewport_ref = use_node_ref();
    let transform = use_mut_ref(Transform::default);
    let drag = use_mut_ref(Drag::default);
    let hovered = use_state_eq(|| None::<usize>);
    let layout = &props.view.flow.layout;
    let (lw, lh) = (layout.width, layout.height);

    // The transform lives outside yew's diffing (the `<g>` has no transform attribute in the
    // vdom), so panning does not re-render the drawing.
    // In a large graph only the nodes near the visible part are rendered; the window moves (a
    // re-render) when panning or zooming leaves it.
    let windowed = props.view.flow.graph.graph.node_count() > WINDOWED_FROM;
    let window = use_state_eq(|| None::<Rect>);
    // The box's size, kept: reading it forces the browser to lay the page out, and `apply` runs
    // after every render (every keystroke). Measured again after the window is resized.
    let box_size = use_mut_ref(|| None::<(f64, f64)>);
    let measure: Rc<dyn Fn() -> Option<(f64, f64)>> = {
        let box_ref = box_ref.clone();
        let box_size = box_size.clone();
        Rc::new(move || {
            if let Some(size) = *box_size.borrow() {
                return Some(size);
            }
            let r = box_ref.cast::<Element>()?.get_bounding_client_rect();
            let size = (r.width(), r.height());
            if size.0 > 0.0 && size.1 > 0.0 {
                *box_size.borrow_mut() = Some(size);
            }
            Some(size)
        })
    };
    {
        let box_size = box_size.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "resize", move |_| *box_size.borrow_mut() = None);
            move || drop(listener)
        });
    }
    let apply: Rc<dyn Fn(Transform)> = {
        let viewport_ref = viewport_ref.clone();
        let transform = transform.clone();
        let measure = measure.clone();
        let window = window.clone();
        Rc::new(move |t: Transform| {
            *transform.borrow_mut() = t;
            if let Some(g) = viewport_ref.cast::<Element>() {
                let _ = g.set_attribute("transform", &t.attr());
            }
            if windowed {
                if let Some((w, h)) = measure() {
                    let v = visible(t, w.max(200.0), h.max(200.0));
                    if !window.is_some_and(|w| w.contains(&v)) {
                        window.set(Some(window_for(v)));
                    }
                }
            }
        })
    };
    // Whether the user panned or zoomed since the last fit: until then the view follows the
    // drawing (refits when an edit changes its size).
    let moved = use_mut_ref(|| false);
    let last_seq = use_mut_ref(|| None::<u32>);
    let user: Rc<dyn Fn(Transform)> = {
        let apply = apply.clone();
        let moved = moved.clone();
        Rc::new(move |t: Transform| {
            *moved.borrow_mut() = true;
            apply(t);
        })
    };
    let fit_now: Rc<dyn Fn()> = {
        let measure = measure.clone();
        let apply = apply.clone();
        let moved = moved.clone();
        Rc::new(move || {
            if let Some((w, h)) = measure() {
                apply(fit(lw, lh, w, h));
                *moved.borrow_mut() = false;
            }
        })
    };
    {
        let fit_now = fit_now.clone();
        use_effect_with((props.fit_seq, lw.to_bits(), lh.to_bits()), move |(seq, _, _)| {
            let new_input = last_seq.borrow_mut().replace(*seq) != Some(*seq);
            if new_input || !*moved.borrow() {
                fit_now();
            }
        });
    }
    {
        // Re-apply after every render (a new `<g>` after a remount keeps the view).
        let apply = apply.clone();
        let transform = transform.clone();
        use_effect(move || {
            let t = *transform.borrow();
            apply(t);
        });
    }

    let zoom_center = {
        let measure = measure.clone();
        let user = user.clone();
        let transform = transform.clone();
        Rc::new(move |factor: f64| {
            let (w, h) = measure().unwrap_or((0.0, 0.0));
            let t = *transform.borrow();
            user(t.zoom_at(factor, w / 2.0, h / 2.0));
        })
    };

    let onwheel = {
        let user = user.clone();
        let transform = transform.clone();
        let box_ref = box_ref.clone();
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let Some(b) = box_ref.cast::<Element>() else { return };
            let r = b.get_bounding_client_rect();
            let dy = match e.delta_mode() {
                1 => e.delta_y() * 16.0,
                2 => e.delta_y() * 400.0,
                _ => e.delta_y(),
            };
            let t = *transform.borrow();
            user(t.zoom_at((-dy * 0.0015).exp(), e.client_x() as f64 - r.left(), e.client_y() as f64 - r.top()));
        })
    };
    let onpointerdown = {
        let drag = drag.clone();
        let transform = transform.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            *drag.borrow_mut() = Drag {
                pointer: e.pointer_id(),
                start: (e.client_x() as f64, e.client_y() as f64),
                origin: *transform.borrow(),
                active: true,
                moved: false,
            };
        })
    };
    let onpointermove = {
        let drag = drag.clone();
        let user = user.clone();
        Callback::from(move |e: PointerEvent| {
            let mut d = drag.borrow_mut();
            if !d.active || d.pointer != e.pointer_id() {
                return;
            }
            let (dx, dy) = (e.client_x() as f64 - d.start.0, e.client_y() as f64 - d.start.1);
            if !d.moved && dx.hypot(dy) < DRAG_THRESHOLD {
                return;
            }
            if !d.moved {
                d.moved = true;
                // Capture only once it is a drag, so a plain click still reaches the node.
                if let Some(t) = e.current_target().and_then(|t| t.dyn_into::<Element>().ok()) {
                    let _ = t.set_pointer_capture(e.pointer_id());
                }
            }
            let o = d.origin;
            drop(d);
            user(Transform { x: o.x + dx, y: o.y + dy, k: o.k });
        })
    };
    let end_drag = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| drag.borrow_mut().active = false)
    };
    let onkeydown = {
        let zoom_center = zoom_center.clone();
        let fit_now = fit_now.clone();
        let user = user.clone();
        let transform = transform.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let t = *transform.borrow();
            match e.key().as_str() {
                "+" | "=" => zoom_center(1.25),
                "-" | "_" => zoom_center(0.8),
                "0" => user(Transform::default()),
                "f" | "F" => fit_now(),
                "ArrowLeft" => user(Transform { x: t.x + 40.0, ..t }),
                "ArrowRight" => user(Transform { x: t.x - 40.0, ..t }),
                "ArrowUp" => user(Transform { y: t.y + 40.0, ..t }),
                "ArrowDown" => user(Transform { y: t.y - 40.0, ..t }),
                _ => return,
            }
            e.prevent_default();
        })
    };

    let view = &props.view;
    let g = &view.flow.graph.graph;
    let raw = g.raw_nodes();

    let lanes = layout.lanes.iter().map(|(x, title)| {
        html! {
            <g class="lane-group">
                <rect class="lane" x={px(x - 10.0)} y="4" width={px(svcflow_core::flow::NODE_WIDTH + 20.0)}
                    height={px((lh - 8.0).max(0.0))} rx="10" />
                <text class="lane-title" x={px(*x)} y="26">{ *title }</text>
            </g>
        }
    });

    // What to draw: everything, or the nodes in the window and the edges touching them.
    let shown_window =
        if windowed && !props.full { (*window).or(Some(Rect { x: 0.0, y: 0.0, w: 2000.0, h: 1500.0 })) } else { None };
    let node_in: Vec<bool> =
        layout.nodes.iter().map(|n| shown_window.is_none_or(|w| w.intersects(n.x, n.y, n.width, n.height))).collect();
    let edge_in = |le: &svcflow_core::flow::LaidEdge| {
        node_in.get(le.from).copied().unwrap_or(false) || node_in.get(le.to).copied().unwrap_or(false)
    };
    let edges = layout.edges.iter().zip(g.raw_edges()).filter(|(le, _)| edge_in(le)).map(|(le, e)| {
        let w = &e.weight;
        let class = classes!("edge", status_class(w.status));
        let marker = format!("url(#arrow-{})", status_word(w.status));
        html! {
            <path class={class} d={le.path()} marker-end={marker}>
                <title>{ format!("{} → {}: {}", raw[le.from].weight.label, raw[le.to].weight.label, w.label) }</title>
            </path>
        }
    });
    // Edge labels go over the nodes: between close lanes they are wider than the gap.
    let edge_labels =
        layout.edges.iter().zip(g.raw_edges()).filter(|(le, e)| !e.weight.label.is_empty() && edge_in(le)).map(
            |(le, e)| {
                let w = &e.weight;
                html! {
                    <text class={classes!("edge-label", status_class(w.status))} x={px(le.label_x)} y={px(le.label_y)}
                        text-anchor="middle">{ clip(&w.label, 28) }</text>
                }
            },
        );

    let nodes = layout.nodes.iter().filter(|ln| node_in.get(ln.index).copied().unwrap_or(false)).map(|ln| {
        let i = ln.index;
        let n = &raw[i].weight;
        let problems = view.node_problems.get(i).map(|v| v.as_slice()).unwrap_or(&[]);
        let worst = problems.iter().filter_map(|p| view.problems.get(*p)).map(|d| d.severity).max();
        let lit = props.lit.contains(&i);
        let selected = props.selected == Some(i);
        let class = classes!(
            "node",
            kind_class(n.kind),
            status_class(n.status),
            lit.then_some("lit"),
            selected.then_some("selected"),
        );
        let mono = matches!(n.kind, NodeKind::Chain | NodeKind::Sep);
        let ok = n.status == Status::Ok;
        // Room for the status icon (and word when not ok) at the right.
        let avail = ln.width - if ok { 34.0 } else { 100.0 };
        let (label, label_len) = fit_text(&n.label, avail, if mono { 7.85 } else { 8.4 });
        let aria = aria_label(n, problems.len());
        let onclick = {
            let on_select = props.on_select.clone();
            let drag = drag.clone();
            Callback::from(move |_: MouseEvent| {
                if !drag.borrow().moved {
                    on_select.emit(i);
                }
            })
        };
        let onkeydown = {
            let on_select = props.on_select.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    e.stop_propagation();
                    on_select.emit(i);
                }
            })
        };
        let hover = |v: Option<usize>| {
            let hovered = hovered.clone();
            Callback::from(move |_: MouseEvent| hovered.set(v))
        };
        let focus = |v: Option<usize>| {
            let hovered = hovered.clone();
            Callback::from(move |_: FocusEvent| hovered.set(v))
        };
        html! {
            <g class={class} transform={format!("translate({} {})", px(ln.x), px(ln.y))} tabindex="0" role="button"
                aria-label={aria} aria-pressed={selected.to_string()} data-index={i.to_string()}
                {onclick} {onkeydown}
                onmouseenter={hover(Some(i))} onmouseleave={hover(None)} onfocus={focus(Some(i))} onblur={focus(None)}>
                <title>{ node_title(n, problems.len()) }</title>
                <rect class="focus-ring" x="-5" y="-5" width={px(ln.width + 10.0)}
                    height={px(ln.height + 10.0)} rx="11" />
                <rect class="node-box" width={px(ln.width)} height={px(ln.height)} rx="8" />
                <text class={classes!("label", mono.then_some("mono"))} x="10" y="19" textLength={label_len}
                    lengthAdjust="spacingAndGlyphs">{ label }</text>
                { for n.details.iter().take(2).enumerate().map(|(k, d)| {
                    let (t, len) = fit_text(d, ln.width - 18.0, 6.2);
                    html! {
                        <text class="detail" x="10" y={px(36.0 + 15.0 * k as f64)} textLength={len}
                            lengthAdjust="spacingAndGlyphs">{ t }</text>
                    }
                }) }
                <text class="status-icon" x={px(ln.width - 9.0)} y="19" text-anchor="end">
                    { status_icon(n.status) }
                </text>
                if !ok {
                    <text class="status-word" x={px(ln.width - 25.0)} y="18" text-anchor="end">
                        { status_word(n.status) }
                    </text>
                }
                if let Some(sev) = worst {
                    <g class={classes!("badge", if sev == Severity::Error { "sev-error" } else { "sev-warning" })}
                        transform={format!("translate({} -10)", px(ln.width - 40.0))}>
                        <rect width="40" height="18" rx="9" />
                        <text x="20" y="13" text-anchor="middle">
                            { format!("{} {}", if sev == Severity::Error { "✖" } else { "⚠" }, problems.len()) }
                        </text>
                    </g>
                }
            </g>
        }
    });

    let shown = (*hovered).or(props.selected).filter(|i| *i < raw.len());
    let details = match shown {
        Some(i) => node_details(view, i, &raw[i].weight),
        None => html! {
            <p class="hint">{ "Hover or focus a node for its details; click it (or press Enter) to show its YAML. \
                Drag or use the arrow keys to pan, the wheel or + / − to zoom, 0 to reset, F to fit." }</p>
        },
    };

    let empty = raw.is_empty();
    let zoom_in = {
        let z = zoom_center.clone();
        Callback::from(move |_: MouseEvent| z(1.25))
    };
    let zoom_out = {
        let z = zoom_center.clone();
        Callback::from(move |_: MouseEvent| z(0.8))
    };
    let reset = {
        let user = user.clone();
        Callback::from(move |_: MouseEvent| user(Transform::default()))
    };
    let fit_click = Callback::from(move |_: MouseEvent| fit_now());
    let focus_box = {
        let box_ref = box_ref.clone();
        Callback::from(move |_: PointerEvent| {
            if let Some(b) = box_ref.cast::<HtmlElement>() {
                if gloo::utils::document().active_element().is_none_or(|a| !b.contains(Some(&a))) {
                    let _ = b.focus();
                }
            }
        })
    };

    html! {
        <div class="flow">
            <div class="pane-title">
                <h2 id="flow-title">{ "Flow" }</h2>
                <span class="muted">{ "DNS → Service → kube-proxy → Pod" }</span>
                <span class="spacer"></span>
                <span class="flow-tools" role="toolbar" aria-label="Zoom">
                    <button type="button" onclick={zoom_in} title="Zoom in (+)" aria-label="Zoom in">{ "+" }</button>
                    <button type="button" onclick={zoom_out} title="Zoom out (−)" aria-label="Zoom out">{ "−" }</button>
                    <button type="button" onclick={reset} title="Actual size (0)">{ "1:1" }</button>
                    <button type="button" onclick={fit_click} title="Fit to the pane (F)">{ "Fit" }</button>
                </span>
            </div>
            <div class="flow-box" ref={box_ref} tabindex="0" {onkeydown} onpointerdown={focus_box}
                aria-label="Flow diagram: DNS name, Service, kube-proxy chains and Pods. Arrow keys pan, + and − zoom, 0 resets, F fits.">
                if empty {
                    <p class="empty">{ "No Services yet: paste Kubernetes YAML with a Service on the left, or pick an example." }</p>
                }
                <svg class="flow-svg" ref={props.svg_ref.clone()} width="100%" height="100%" role="group"
                    aria-label="Flow diagram" data-width={fixed(lw, 0)} data-height={fixed(lh, 0)}
                    {onwheel} {onpointerdown} {onpointermove} onpointerup={end_drag.clone()} onpointercancel={end_drag}>
                    <style>{ DIAGRAM_CSS }</style>
                    <defs>
                        { for [Status::Ok, Status::Warning, Status::Error, Status::Excluded].into_iter().map(|s| html! {
                            <marker id={format!("arrow-{}", status_word(s))} viewBox="0 0 10 10" refX="9" refY="5"
                                markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                                <path class={classes!("arrow", status_class(s))} d="M0,0 L10,5 L0,10 z" />
                            </marker>
                        }) }
                    </defs>
                    <g class="viewport" ref={viewport_ref}>
                        <rect class="bg" x="-4000" y="-4000" width={px(lw + 8000.0)} height={px(lh + 8000.0)} />
                        { for lanes }
                        <g class="edges">{ for edges }</g>
                        <g class="nodes">{ for nodes }</g>
                        <g class="edge-labels" aria-hidden="true">{ for edge_labels }</g>
                    </g>
                </svg>
            </div>
            <div class="node-details" aria-live="polite">{ details }</div>
        </div>
    }
}

fn aria_label(n: &FlowNode, problems: usize) -> String {
    let mut s = format!("{} {}, {}", kind_word(n.kind), n.label, status_word(n.status));
    for d in &n.details {
        s.push_str("; ");
        s.push_str(d);
    }
    if problems > 0 {
        s.push_str(&format!("; {problems} problem{}", if problems == 1 { "" } else { "s" }));
    }
    s
}

fn node_title(n: &FlowNode, problems: usize) -> String {
    let mut s = format!("{}: {}\n{} {}", kind_word(n.kind), n.label, status_icon(n.status), status_word(n.status));
    for d in &n.details {
        s.push('\n');
        s.push_str(d);
    }
    if problems > 0 {
        s.push_str(&format!("\n{problems} problem(s)"));
    }
    s
}

fn node_details(view: &View, i: usize, n: &FlowNode) -> Html {
    let lane = LANE_TITLES.get(n.lane as usize).copied().unwrap_or("");
    let lines: Vec<String> = n.spans.iter().map(|s| view.line_range(*s)).collect();
    let mut uniq: Vec<String> = Vec::new();
    for l in lines {
        if !uniq.contains(&l) {
            uniq.push(l);
        }
    }
    let problems = view.node_problems.get(i).cloned().unwrap_or_default();
    html! {
        <div class={classes!("details-card", status_class(n.status))}>
            <div class="details-head">
                <span class="details-kind">{ kind_word(n.kind) }{ " · " }{ lane }</span>
                <span class="details-status">{ status_icon(n.status) }{ " " }{ status_word(n.status) }</span>
            </div>
            <div class="details-label">{ &n.label }</div>
            <ul class="details-lines">
                { for n.details.iter().map(|d| html! { <li>{ d }</li> }) }
            </ul>
            if !uniq.is_empty() {
                <div class="details-yaml">{ "YAML: " }{ uniq.join(", ") }</div>
            }
            if !problems.is_empty() {
                <div class="details-problems">
                    { for problems.iter().filter_map(|p| view.problems.get(*p)).map(|d| html! {
                        <div>{ if d.severity == Severity::Error { "✖ " } else { "⚠ " } }{ &d.rule }{ ": " }{ &d.message }</div>
                    }) }
                </div>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_scales_down_and_centres() {
        let t = fit(1000.0, 500.0, 500.0, 500.0);
        assert!((t.k - 0.5).abs() < 1e-9);
        assert_eq!(t.x, 0.0);
        let t = fit(200.0, 100.0, 400.0, 300.0);
        assert_eq!(t.k, 1.0);
        assert_eq!(t.x, 100.0);
        assert_eq!(fit(100.0, 100.0, 0.0, 0.0), Transform::default());
        assert_eq!(fit(10_000.0, 100.0, 500.0, 500.0).k, MIN_FIT);
    }

    #[test]
    fn zoom_keeps_the_point_still() {
        let t = Transform { x: 10.0, y: 20.0, k: 1.0 }.zoom_at(2.0, 110.0, 70.0);
        // drawing point under (110, 70) before: (100, 50); after: 10+... must map to the same screen point
        assert!((t.x + 100.0 * t.k - 110.0).abs() < 1e-9);
        assert!((t.y + 50.0 * t.k - 70.0).abs() < 1e-9);
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
