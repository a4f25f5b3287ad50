//! The app's state and its reducer. Pure: no browser calls here (effects live in the components
//! and `infra`), so every transition is plain data in, plain data out.

use crate::engine::{ProxyMode, View};
use crate::infra::theme::Theme;
use crate::infra::timing;
use std::rc::Rc;
use svcflow_core::Span;
use yew::Reducible;

/// The Inspector's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Problems,
    Iptables,
    Dns,
    Endpoints,
    Explain,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Problems, Tab::Iptables, Tab::Dns, Tab::Endpoints, Tab::Explain];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Problems => "Problems",
            Tab::Iptables => "iptables",
            Tab::Dns => "DNS",
            Tab::Endpoints => "Endpoints",
            Tab::Explain => "Explain",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Tab::Problems => "problems",
            Tab::Iptables => "iptables",
            Tab::Dns => "dns",
            Tab::Endpoints => "endpoints",
            Tab::Explain => "explain",
        }
    }
}

/// The pane shown on narrow screens (all three are shown side by side on wide ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Source,
    Flow,
    Inspector,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Source, Pane::Flow, Pane::Inspector];

    pub fn label(self) -> &'static str {
        match self {
            Pane::Source => "Source",
            Pane::Flow => "Flow",
            Pane::Inspector => "Inspector",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Pane::Source => "source",
            Pane::Flow => "flow",
            Pane::Inspector => "inspector",
        }
    }
}

/// A request to the editor: select `span` (and focus the textarea when `focus`). `seq` makes a
/// repeated request for the same span a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub seq: u32,
    pub span: Span,
    pub focus: bool,
}

/// A message in the status bar (copied, downloaded, could not …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub seq: u32,
    pub text: String,
    /// Offer to restore the text an example replaced.
    pub restore: bool,
}

#[derive(Clone, Debug)]
pub struct AppState {
    /// The editor's current text.
    pub text: Rc<str>,
    /// The analysis of the text as it was at the last (debounced) run.
    pub view: Rc<View>,
    /// The text changed since `view` was computed.
    pub pending: bool,
    pub tab: Tab,
    pub pane: Pane,
    /// Flow nodes lit up (what the cursor or the chosen problem touches).
    pub lit: Rc<Vec<usize>>,
    pub selected_node: Option<usize>,
    /// Spans marked in the editor (the YAML of the chosen node).
    pub highlight: Rc<Vec<Span>>,
    pub current_problem: Option<usize>,
    pub reveal: Option<Reveal>,
    /// Bumped when the diagram should fit itself to its pane (new input loaded).
    pub fit_seq: u32,
    pub proxy_mode: ProxyMode,
    pub theme: Theme,
    pub notice: Option<Notice>,
    /// The example shown, while its text is unchanged.
    pub example: Option<usize>,
    seq: u32,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.text, &other.text)
            && Rc::ptr_eq(&self.view, &other.view)
            && self.pending == other.pending
            && self.tab == other.tab
            && self.pane == other.pane
            && self.lit == other.lit
            && self.selected_node == other.selected_node
            && self.highlight == other.highlight
            && self.current_problem == other.current_problem
            && self.reveal == other.reveal
            && self.fit_seq == other.fit_seq
            && self.proxy_mode == other.proxy_mode
            && self.theme == other.theme
            && self.notice == other.notice
            && self.example == other.example
    }
}

impl AppState {
    pub fn new(text: &str, theme: Theme) -> AppState {
        AppState {
            text: Rc::from(text),
            view: Rc::new(timed_view(text)),
            pending: false,
            tab: Tab::Problems,
            pane: Pane::Flow,
            lit: Rc::default(),
            selected_node: None,
            highlight: Rc::default(),
            current_problem: None,
            reveal: None,
            fit_seq: 0,
            proxy_mode: ProxyMode::Iptables,
            theme,
            notice: None,
            example: crate::examples::find_by_text(text),
            seq: 0,
        }
    }
}

pub enum Action {
    /// The user typed: keep the text; the analysis follows (debounced) with `Analyze`.
    Edit(String),
    /// Analyse the current text now (the debounce timer fired).
    Analyze,
    /// Analyse the current text again, changed or not (the general YAML parser is loaded now).
    Reanalyze,
    /// Replace the text (an example, a share link) and analyse it at once.
    Load {
        text: String,
        example: Option<usize>,
        notice: Option<String>,
        restore: bool,
    },
    /// The editor's selection moved (byte offsets into the current text).
    Cursor {
        start: u32,
        end: u32,
    },
    SelectProblem(usize),
    /// F8 / Shift+F8.
    StepProblem {
        forward: bool,
    },
    SelectNode(usize),
    /// Show a span of the YAML (outline entries, rule provenance, endpoints).
    RevealSpan {
        span: Span,
        focus: bool,
    },
    SetTab(Tab),
    SetPane(Pane),
    SetProxyMode(ProxyMode),
    SetTheme(Theme),
    Notify(String),
    ClearNotice(u32),
    Escape,
}

/// [`View::new`] between the benchmark's marks (`infra::timing`).
fn timed_view(text: &str) -> View {
    timing::mark(timing::ANALYSE);
    let view = View::new(text);
    timing::mark(timing::ANALYSED);
    view
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edit(text) => {
                if *s.text == *text {
                    return self;
                }
                s.text = Rc::from(text);
                s.pending = true;
                s.example = None;
            }
            Action::Reanalyze => {
                s.view = Rc::new(timed_view(&s.text));
                s.pending = false;
                s.after_new_view();
            }
            Action::Analyze => {
                if !s.pending {
                    return self;
                }
                s.view = Rc::new(timed_view(&s.text));
                s.pending = false;
                s.after_new_view();
            }
            Action::Load { text, example, notice, restore } => {
                s.view = Rc::new(timed_view(&text));
                s.text = Rc::from(text);
                s.pending = false;
                s.example = example.or_else(|| crate::examples::find_by_text(&s.text));
                s.lit = Rc::default();
                s.selected_node = None;
                s.highlight = Rc::default();
                s.current_problem = None;
                s.reveal = None;
                s.fit_seq += 1;
                if let Some(text) = notice {
                    s.notify(text, restore);
                }
            }
            Action::Cursor { start, end } => {
                let lit = if s.pending { Vec::new() } else { s.view.nodes_at(start, end) };
                if *s.lit == lit {
                    return self;
                }
                s.lit = Rc::new(lit);
            }
            Action::SelectProblem(i) => s.select_problem(i),
            Action::StepProblem { forward } => {
                let n = s.view.problems.len();
                if n == 0 {
                    s.tab = Tab::Problems;
                } else {
                    let i = match (s.current_problem, forward) {
                        (None, true) => 0,
                        (None, false) => n - 1,
                        (Some(i), true) => (i + 1) % n,
                        (Some(i), false) => (i + n - 1) % n,
                    };
                    s.select_problem(i);
                }
            }
            Action::SelectNode(i) => {
                let Some(node) = s.view.node(i) else { return self };
                let spans: Vec<Span> = node.spans.iter().copied().filter(|sp| sp.source == 0).collect();
                s.selected_node = Some(i);
                s.lit = Rc::new(vec![i]);
                if let Some(first) = spans.first().copied() {
                    s.seq += 1;
                    s.reveal = Some(Reveal { seq: s.seq, span: first, focus: false });
                }
                s.highlight = Rc::new(spans);
            }
            Action::RevealSpan { span, focus } => {
                s.seq += 1;
                s.reveal = Some(Reveal { seq: s.seq, span, focus });
                s.lit = Rc::new(if s.pending { Vec::new() } else { s.view.nodes_at(span.start, span.end) });
                s.highlight = Rc::new(vec![span]);
                s.selected_node = None;
                if focus {
                    s.pane = Pane::Source;
                }
            }
            Action::SetTab(t) => s.tab = t,
            Action::SetPane(p) => s.pane = p,
            Action::SetProxyMode(m) => s.proxy_mode = m,
            Action::SetTheme(t) => s.theme = t,
            Action::Notify(text) => s.notify(text, false),
            Action::ClearNotice(seq) => {
                if s.notice.as_ref().is_none_or(|n| n.seq != seq) {
                    return self;
                }
                s.notice = None;
            }
            Action::Escape => {
                s.selected_node = None;
                s.highlight = Rc::default();
                s.lit = Rc::default();
            }
        }
        Rc::new(s)
    }
}

impl AppState {
    /// Show a notice (used at start for the share link's outcome).
    pub fn notify(&mut self, text: impl Into<String>, restore: bool) {
        self.seq += 1;
        self.notice = Some(Notice { seq: self.seq, text: text.into(), restore });
    }

    fn select_problem(&mut self, i: usize) {
        let Some(d) = self.view.problems.get(i) else { return };
        let span = d.primary.span;
        self.current_problem = Some(i);
        self.tab = Tab::Problems;
        self.seq += 1;
        self.reveal = Some(Reveal { seq: self.seq, span, focus: true });
        self.lit = Rc::new(self.view.nodes_at(span.start, span.end));
        self.selected_node = None;
        self.highlight = Rc::default();
        self.pane = Pane::Source;
    }

    /// Keep what still makes sense after a re-analysis of edited text.
    fn after_new_view(&mut self) {
        let nodes = self.view.flow.graph.graph.node_count();
        self.selected_node = self.selected_node.filter(|i| *i < nodes);
        self.lit = Rc::new(self.lit.iter().copied().filter(|i| *i < nodes).collect());
        self.current_problem = self.current_problem.filter(|i| *i < self.view.problems.len());
        self.highlight = Rc::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Rc<AppState> {
        Rc::new(AppState::new(crate::DEFAULT_EXAMPLE, Theme::Light))
    }

    #[test]
    fn edit_then_analyze() {
        let s = state();
        assert_eq!(s.example, Some(0));
        let s = s.reduce(Action::Edit("kind: Service\nmetadata:\n  name: a\n".into()));
        assert!(s.pending);
        assert_eq!(s.example, None);
        assert_eq!(s.view.analysis.objects.len(), 2);
        let s = s.reduce(Action::Analyze);
        assert!(!s.pending);
        assert_eq!(s.view.analysis.objects.len(), 1);
    }

    /// Once the general YAML parser is loaded the same text is analysed again (`Analyze` would do
    /// nothing: the text did not change).
    #[test]
    fn reanalyze_makes_a_new_view_of_the_same_text() {
        let s = state();
        assert!(!s.view.needs_general_parser(), "native builds read every document themselves");
        let before = s.view.clone();
        let s = s.reduce(Action::Analyze);
        assert!(Rc::ptr_eq(&before, &s.view), "nothing pending: no new analysis");
        let s = s.reduce(Action::Reanalyze);
        assert!(!Rc::ptr_eq(&before, &s.view));
        assert_eq!(s.view.analysis.objects.len(), before.analysis.objects.len());
        assert!(!s.pending);
    }

    #[test]
    fn problems_step_around() {
        let s = state().reduce(Action::Load {
            text: "a: [\n---\nb: {\n".into(),
            example: None,
            notice: None,
            restore: false,
        });
        let n = s.view.problems.len();
        assert!(n >= 2, "{:?}", s.view.problems);
        let s = s.reduce(Action::StepProblem { forward: false });
        assert_eq!(s.current_problem, Some(n - 1));
        let s = s.reduce(Action::StepProblem { forward: true });
        assert_eq!(s.current_problem, Some(0));
        assert_eq!(s.reveal.map(|r| r.focus), Some(true));
    }

    #[test]
    fn cursor_lights_nodes() {
        let s = state();
        let at = s.text.find("name: web").unwrap() as u32;
        let s = s.reduce(Action::Cursor { start: at, end: at });
        assert!(!s.lit.is_empty());
        let labels: Vec<&str> = s.lit.iter().map(|i| s.view.node(*i).unwrap().label.as_str()).collect();
        assert!(labels.contains(&"shop/web"), "{labels:?}");
    }
}
