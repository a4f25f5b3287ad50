//! svcflow's linter: the rules of the catalogue (`shared/reference/lint-rules.md`) run over the
//! objects `svcflow-core` reads, then suppressions, then one of the renderers.
//!
//! ```
//! use svcflow_core::{Options, Sources};
//! let sources = Sources::single("app.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: My_Svc\nspec:\n  ports:\n  - port: 80\n");
//! let result = svcflow_lint::lint(&sources, &Options::default());
//! assert_eq!(result.diagnostics[0].rule, "service-name-invalid");
//! assert_eq!(result.exit_code(), 1);
//! let text = svcflow_lint::render::text(&sources, &result.diagnostics, false);
//! assert!(text.contains("error[service-name-invalid]"));
//! ```
//!
//! **Architecture invariant:** one rule, one file under `src/rules/`, its doc comment is its
//! documentation, and it is listed once in [`rules::all`]. Rules never parse YAML themselves:
//! they read the typed objects (and, for what those do not carry, the spanned YAML tree in
//! `Object::node`) through a [`LintContext`] built once per run.

/// `format!`, with the string allocated once at its exact length
/// ([`svcflow_source::format_exact`]): it shadows std's in every module of this crate. The text
/// is the same; a large input formats millions of short names and labels, and std's `format!`
/// reallocates most of them three or four times while writing.
macro_rules! format {
    ($($arg:tt)*) => {
        svcflow_source::format_exact(format_args!($($arg)*))
    };
}

pub mod context;
pub mod docs;
pub mod names;
pub mod render;
pub mod rule;
pub mod rules;
mod suppress;

pub use context::LintContext;
pub use docs::{render_readme, render_rule_markdown};
pub use rule::{Rule, Verdict};
pub use svcflow_core::diag::{Diagnostic, Label, Severity};

use svcflow_core::diag::rule_ids;
use svcflow_core::{Options, Sources};

/// The findings of one run.
#[derive(Clone, Debug, Default)]
pub struct LintResult {
    /// All findings, suppressed ones included (with `suppressed: true`), sorted by source and
    /// offset.
    pub diagnostics: Vec<Diagnostic>,
    /// How many objects were read.
    pub objects: usize,
}

impl LintResult {
    /// The findings that are not suppressed.
    pub fn active(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.suppressed)
    }

    /// Unsuppressed errors, unsuppressed warnings, suppressed findings.
    pub fn counts(&self) -> (usize, usize, usize) {
        let errors = self.active().filter(|d| d.severity == Severity::Error).count();
        let warnings = self.active().filter(|d| d.severity == Severity::Warning).count();
        (errors, warnings, self.diagnostics.len() - errors - warnings)
    }

    /// Nothing could be read: no object at all, and some input is not YAML.
    pub fn unusable(&self) -> bool {
        self.objects == 0 && self.diagnostics.iter().any(|d| d.rule == rule_ids::INVALID_YAML)
    }

    /// The process exit status: 0 when no unsuppressed error, 1 when at least one, 2 when the
    /// input is unusable.
    pub fn exit_code(&self) -> u8 {
        if self.unusable() {
            2
        } else if self.active().any(|d| d.severity == Severity::Error) {
            1
        } else {
            0
        }
    }
}

/// Every rule, in the registry's order.
pub fn rules() -> &'static [&'static Rule] {
    rules::all()
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    rules::all().iter().copied().find(|r| r.id == id)
}

/// The Markdown documentation of a rule (for `svcflow rules ID`).
pub fn rule_docs(id: &str) -> Option<&'static str> {
    rule(id).map(Rule::docs)
}

/// Read every source, run every rule, apply suppressions.
pub fn lint(sources: &Sources, options: &Options) -> LintResult {
    let inventory = svcflow_core::load(sources, options);
    lint_loaded(sources, options, &inventory.objects, &inventory.diagnostics)
}

/// [`lint`] for objects already read by [`svcflow_core::load`] (or kept in an
/// [`svcflow_core::Analysis`]), with the loader's findings: the browser app analyses and lints
/// the same text, and parsing it once halves the work per keystroke.
pub fn lint_loaded(
    sources: &Sources,
    options: &Options,
    objects: &[svcflow_core::Object],
    load_diagnostics: &[Diagnostic],
) -> LintResult {
    let mut diagnostics = load_diagnostics.to_vec();
    let mut cx = LintContext::new(sources, options, objects);

    // Phase 1: what the API server rejects. Phase 2: rules that depend on which objects are
    // rejected (a rejected Service allocates no node port). Phase 3: broken and risky findings.
    for rule in rules::all().iter().filter(|r| r.verdict == Verdict::Rejected && !r.late) {
        run(rule, &cx, &mut diagnostics);
    }
    mark_rejected(&mut cx, &diagnostics);
    for rule in rules::all().iter().filter(|r| r.verdict == Verdict::Rejected && r.late) {
        run(rule, &cx, &mut diagnostics);
    }
    mark_rejected(&mut cx, &diagnostics);
    for rule in rules::all().iter().filter(|r| r.verdict != Verdict::Rejected) {
        run(rule, &cx, &mut diagnostics);
    }

    diagnostics.sort_by(|a, b| {
        (a.primary.span.source, a.primary.span.start, &a.rule, a.primary.span.end).cmp(&(
            b.primary.span.source,
            b.primary.span.start,
            &b.rule,
            b.primary.span.end,
        ))
    });
    diagnostics.dedup_by(|a, b| a.rule == b.rule && a.primary.span == b.primary.span && a.message == b.message);
    suppress::apply(sources, objects, &mut diagnostics);
    LintResult { diagnostics, objects: objects.len() }
}

fn run(rule: &Rule, cx: &LintContext, out: &mut Vec<Diagnostic>) {
    if let Some(check) = rule.check {
        check(cx, out);
    }
}

/// An object is rejected when a finding of a `rejected` rule (or of the loader) lies inside it.
fn mark_rejected(cx: &mut LintContext, diagnostics: &[Diagnostic]) {
    let rejecting = |d: &Diagnostic| {
        d.rule == rule_ids::INVALID_OBJECT
            || d.rule == rule_ids::INVALID_YAML
            || rule(&d.rule).is_some_and(|r| r.verdict == Verdict::Rejected)
    };
    // Objects are in input order, so their spans are sorted within each source.
    for d in diagnostics.iter().filter(|d| rejecting(d)) {
        let at = d.primary.span;
        let i = cx.objects.partition_point(|o| (o.span.source, o.span.start) <= (at.source, at.start));
        if i > 0 {
            let o = &cx.objects[i - 1];
            if o.span.source == at.source && at.start <= o.span.end {
                cx.rejected[i - 1] = true;
            }
        }
    }
}
