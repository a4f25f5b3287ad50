//! The one door to the engine: every answer the app shows comes from `svcflow-core` through here.
//! Nothing in this module decides anything about Kubernetes; it calls the engine once per input
//! and keeps the results together for the components.

use std::fmt::Write;
use svcflow_core::flow;
use svcflow_core::kube_proxy::ProxyFlags;
use svcflow_core::load::load_cached;
use svcflow_core::yaml::DocumentCache;
use svcflow_core::{analyze_inventory, Analysis, Diagnostic, Diagram, Options, Severity, Sources, Span};

use crate::infra::timing;

thread_local! {
    /// The YAML documents of the last analysed text: an edit re-parses only the document it
    /// touched (parsing is most of an analysis; see `DocumentCache`).
    static DOCUMENTS: std::cell::RefCell<DocumentCache> = std::cell::RefCell::default();
}

/// Analyse `text` a dozen times and forget the results, so that the browser optimises the
/// engine's code before the user pastes something large.
///
/// Why: Chromium runs WebAssembly first with a quick baseline compiler and recompiles a function
/// with its optimising compiler once it has run for a while, taking effect at its next call. An
/// analysis is one call of [`View::new`] holding most of the engine's loops, so the first large
/// paste used to run them all unoptimised: a 50,000-object paste took 0.5–0.8 s longer than the
/// same paste later (BENCHMARKS.md). A dozen analyses of the small example have it optimised
/// (two were not enough; some tens of milliseconds in all, off the critical path: the app calls
/// this once, a second after it started, and only for a small text). The results equal those of
/// any other analysis of the text; the document cache ends up holding this text's documents, as
/// it already does.
pub fn warm_up(text: &str) {
    const WARM_UP_RUNS: usize = 12;
    for _ in 0..WARM_UP_RUNS {
        drop(View::new(text));
    }
}

/// Name of the editor's text in diagnostics and provenance ("from input.yaml:12").
pub const SOURCE_NAME: &str = "input.yaml";

/// The findings shown in the Problems tab: the linter's, the same as `svcflow lint` reports
/// (the loader's `invalid-yaml` / `invalid-object` included).
pub fn problems(sources: &Sources, analysis: &Analysis) -> Vec<Diagnostic> {
    // The analysis already holds the objects and the loader's findings: lint them, not the text.
    svcflow_lint::lint_loaded(sources, &Options::default(), &analysis.objects, &analysis.diagnostics).diagnostics
}

/// Where a rule's documentation lives (relative: `docs/rules/` is shipped next to the app).
pub fn rule_docs_url(rule: &str) -> String {
    format!("docs/rules/{rule}.md")
}

/// Everything shown for one version of the text.
pub struct View {
    pub sources: Sources,
    pub analysis: Analysis,
    /// The flow graph with kube-proxy's chain summary; the rules themselves are computed when
    /// asked for (`infra::rules`).
    pub flow: Diagram,
    pub problems: Vec<Diagnostic>,
    /// Per flow node (by index): the problems whose primary span lies inside the node's spans.
    pub node_problems: Vec<Vec<usize>>,
    /// How many documents wait for the general YAML parser (`infra::yaml`); their `PENDING`
    /// findings are left out of `problems`.
    pub waiting_documents: usize,
}

/// Views are compared by identity: a new analysis is a new view.
impl PartialEq for View {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl std::fmt::Debug for View {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("View")
            .field("objects", &self.analysis.objects.len())
            .field("problems", &self.problems.len())
            .finish()
    }
}

impl View {
    /// Not inlined: the warm-up ([`warm_up`]) must run this very function, not a copy of it.
    #[inline(never)]
    pub fn new(text: &str) -> View {
        let sources = Sources::single(SOURCE_NAME, text);
        // `analyze_cached`, in its two stages (the benchmark's marks: `infra::timing`)
        let inventory = DOCUMENTS.with_borrow_mut(|cache| load_cached(&sources, &Options::default(), cache));
        timing::mark(timing::LOADED);
        let analysis = analyze_inventory(inventory, &Options::default());
        timing::mark(timing::RESOLVED);
        let flow = analysis.diagram(&ProxyFlags::default());
        timing::mark(timing::DIAGRAMMED);
        let mut problems = problems(&sources, &analysis);
        timing::mark(timing::LINTED);
        // not problems: these documents are read as soon as the parser is loaded
        let before = problems.len();
        problems.retain(|d| !d.message.ends_with(svcflow_core::yaml::PENDING));
        let waiting_documents = before - problems.len();
        let node_problems = problems_by_node(&flow, &problems);
        View { sources, analysis, flow, problems, node_problems, waiting_documents }
    }

    /// A document waits for the general YAML parser: load it and analyse again.
    pub fn needs_general_parser(&self) -> bool {
        self.waiting_documents > 0
    }

    pub fn text(&self) -> &str {
        self.sources.files.first().map(|f| f.text.as_str()).unwrap_or("")
    }

    /// Where the lines of [`View::text`] start.
    pub fn line_index(&self) -> Option<&svcflow_source::LineIndex> {
        self.sources.files.first().map(|f| f.line_index())
    }

    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|d| !d.suppressed && d.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.problems.iter().filter(|d| !d.suppressed && d.severity == Severity::Warning).count()
    }

    /// `input.yaml:12` for a span.
    pub fn location(&self, span: Span) -> String {
        format!("{}:{}", self.sources.name(span.source), self.sources.line_col(span).line)
    }

    /// `input.yaml:3–14` (or `:3` for one line).
    pub fn line_range(&self, span: Span) -> String {
        let a = self.sources.line_col(span).line;
        let b = self.sources.end_line_col(span).line;
        if a == b {
            format!("{}:{a}", self.sources.name(span.source))
        } else {
            format!("{}:{a}–{b}", self.sources.name(span.source))
        }
    }

    /// Flow nodes produced by the YAML at `start..end`.
    pub fn nodes_at(&self, start: u32, end: u32) -> Vec<usize> {
        self.flow.graph.nodes_at(0, start, end).into_iter().map(|i| i.index()).collect()
    }

    pub fn node(&self, index: usize) -> Option<&flow::FlowNode> {
        self.flow.graph.graph.raw_nodes().get(index).map(|n| &n.weight)
    }

    /// `flow::explain`, without the numbers (the page's `<ol>` numbers them).
    pub fn explain(&self) -> Vec<String> {
        flow::explain(&self.analysis, self.flow.proxy.as_ref().ok().map(|o| o.services.as_slice()))
            .into_iter()
            .map(|s| match s.split_once(". ") {
                Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest.to_string(),
                _ => s,
            })
            .collect()
    }

    pub fn mermaid(&self) -> String {
        flow::to_mermaid(&self.flow.graph)
    }

    /// A Markdown report: objects, problems, endpoints, the Mermaid diagram and the iptables rules
    /// (`iptables`: the restore input, or why there is none).
    pub fn markdown_report(&self, iptables: Result<&str, String>) -> String {
        let mut out = String::from("# svcflow report\n\n## Objects\n\n");
        if self.analysis.objects.is_empty() {
            out.push_str("No objects.\n");
        } else {
            out.push_str("| Kind | Namespace | Name | Line |\n|---|---|---|---|\n");
            for o in &self.analysis.objects {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    md_cell(&o.kind),
                    md_cell(&o.namespace),
                    md_cell(&o.name),
                    self.sources.line_col(o.span).line
                );
            }
        }
        out.push_str("\n## Problems\n\n");
        if self.problems.is_empty() {
            out.push_str("No problems found.\n");
        }
        for d in &self.problems {
            let _ = writeln!(
                out,
                "- **{}** `{}` at {}: {}{}",
                d.severity.as_str(),
                d.rule,
                self.location(d.primary.span),
                d.message,
                if d.suppressed { " (suppressed)" } else { "" }
            );
            if let Some(h) = &d.help {
                let _ = writeln!(out, "  - {h}");
            }
        }
        out.push_str("\n## Endpoints\n\n```text\n");
        out.push_str(&svcflow_core::report::endpoints_table(&self.analysis));
        out.push_str("```\n\n## Flow\n\n```mermaid\n");
        out.push_str(&self.mermaid());
        out.push_str("```\n\n## kube-proxy (iptables)\n\n");
        match iptables {
            Ok(text) => {
                out.push_str("```text\n");
                out.push_str(text);
                if !text.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str("```\n");
            }
            Err(e) => {
                let _ = writeln!(out, "Not generated: {e}");
            }
        }
        out
    }
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Which kube-proxy mode the iptables tab shows (the engine's `--proxy-mode`).
pub use svcflow_core::kube_proxy::ProxyMode;

/// How the page names a kube-proxy mode: the tab's switch and the export's file.
pub trait ProxyModeText {
    fn label(self) -> &'static str;
    fn file_name(self) -> &'static str;
}

impl ProxyModeText for ProxyMode {
    fn label(self) -> &'static str {
        match self {
            ProxyMode::Iptables => "iptables",
            ProxyMode::Nftables => "nftables",
            ProxyMode::Ipvs => "IPVS",
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            ProxyMode::Iptables => "kube-proxy-iptables.txt",
            ProxyMode::Nftables => "kube-proxy-nftables.txt",
            ProxyMode::Ipvs => "kube-proxy-ipvs.txt",
        }
    }
}

/// Per flow node: the problems whose primary span lies inside one of the node's spans, in
/// problem order. Problems are looked up by where they start (sorted once), so a large input
/// (100,000 nodes, thousands of problems) is not a nodes × problems scan.
fn problems_by_node(flow: &Diagram, problems: &[Diagnostic]) -> Vec<Vec<usize>> {
    let mut by_start: Vec<(Span, usize)> = problems.iter().enumerate().map(|(i, d)| (d.primary.span, i)).collect();
    by_start.sort_unstable_by_key(|(p, i)| (p.source, p.start, *i));
    flow.graph
        .nodes()
        .map(|(_, n)| {
            let mut found: Vec<usize> = Vec::new();
            for s in &n.spans {
                let first = by_start.partition_point(|(p, _)| (p.source, p.start) < (s.source, s.start));
                found.extend(
                    by_start[first..]
                        .iter()
                        .take_while(|(p, _)| p.source == s.source && p.start <= s.end)
                        .filter(|(p, _)| p.end <= s.end)
                        .map(|(_, i)| *i),
                );
            }
            found.sort_unstable();
            found.dedup();
            found
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The indexed lookup finds exactly what the definition (every node × every problem) finds.
    #[test]
    fn problems_by_node_equals_the_definition() {
        let mut texts: Vec<String> = crate::examples::EXAMPLES.iter().map(|e| e.text.to_string()).collect();
        texts.push(crate::examples::EXAMPLES.iter().map(|e| e.text).collect::<Vec<_>>().join("\n---\n"));
        let mut with_problems = 0;
        for text in texts {
            let view = View::new(&text);
            let naive: Vec<Vec<usize>> = view
                .flow
                .graph
                .nodes()
                .map(|(_, n)| {
                    (0..view.problems.len())
                        .filter(|&i| {
                            let p = view.problems[i].primary.span;
                            n.spans.iter().any(|s| s.source == p.source && s.start <= p.start && p.end <= s.end)
                        })
                        .collect()
                })
                .collect();
            with_problems += naive.iter().filter(|v| !v.is_empty()).count();
            assert_eq!(view.node_problems, naive);
        }
        assert!(with_problems >= 5, "the examples put problems on nodes: {with_problems}");
    }
}
