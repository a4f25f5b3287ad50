//! What a rule is: an id, a default severity, a verdict, its documentation (the doc comment of
//! its declaration) and a check function.

use crate::context::LintContext;
use serde::Serialize;
use svcflow_core::{Diagnostic, Severity, Span};

/// What a real cluster does with a manifest that a rule reports (see the catalogue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The API server refuses the object; `kubectl apply` fails for it.
    Rejected,
    /// Accepted, but traffic does not flow the way the author meant.
    Broken,
    /// Accepted and working, but a known operational or security hazard.
    Risky,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Rejected => "rejected",
            Verdict::Broken => "broken",
            Verdict::Risky => "risky",
        }
    }
}

/// A rule's check: reads the context, pushes findings.
pub type Check = fn(&LintContext, &mut Vec<Diagnostic>);

/// One lint rule. Declared with [`declare_rule!`](crate::declare_rule) in its own file under
/// `src/rules/`, listed once in [`crate::rules::all`].
#[derive(Debug)]
pub struct Rule {
    /// The id used everywhere: diagnostic code, JSON/SARIF, suppression, docs page.
    pub id: &'static str,
    pub severity: Severity,
    pub verdict: Verdict,
    /// The rule's doc comment as the compiler hands it over (each line keeps the one space
    /// after `///`); read it through [`Rule::docs`]. Empty without the crate's `docs` feature
    /// (on by default; the wasm builds turn it off for size).
    pub raw_docs: &'static str,
    /// `None` for the findings the loader itself produces (`invalid-yaml`, `invalid-object`).
    pub check: Option<Check>,
    /// Run after the rejected objects are known (it depends on what the API server refuses).
    pub late: bool,
}

impl Rule {
    /// A finding of this rule at `span`, with the rule's id and default severity.
    pub fn diagnostic(&'static self, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(self.id, self.severity, message, span)
    }

    /// The rule's documentation in Markdown, with the sections "What it does",
    /// "Why is this bad?", "Example", "Use instead", "References".
    pub fn docs(&self) -> &'static str {
        crate::rules::docs_of(self)
    }

    /// The body of one `## Title` section of the docs (trimmed), if present.
    pub fn section(&self, title: &str) -> Option<&'static str> {
        section(self.docs(), title)
    }

    /// One sentence saying what the rule checks (the first sentence of "What it does").
    pub fn summary(&self) -> String {
        let body = self.section("What it does").unwrap_or("");
        let para = body.split("\n\n").next().unwrap_or("");
        let joined = para.split_whitespace().collect::<Vec<_>>().join(" ");
        match joined.find(". ") {
            Some(i) => joined[..=i].to_string(),
            None => joined,
        }
    }

    /// The documentation page URL.
    pub fn help_uri(&self) -> String {
        format!("https://svcflow.dev/rules/{}", self.id)
    }
}

/// The docs text with the one leading space of each `///` line removed.
pub(crate) fn unindent(docs: &str) -> String {
    let mut out = String::with_capacity(docs.len());
    for line in docs.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out
}

fn section<'d>(docs: &'d str, title: &str) -> Option<&'d str> {
    let heading = format!("## {title}");
    let mut offset = 0;
    let mut start = None;
    for line in docs.split_inclusive('\n') {
        let t = line.trim();
        if let Some(s) = start {
            if t.starts_with("## ") {
                return Some(docs[s..offset].trim());
            }
        } else if t == heading {
            start = Some(offset + line.len());
        }
        offset += line.len();
    }
    start.map(|s| docs[s..].trim())
}

/// Declare a rule: its doc comment becomes [`Rule::docs`].
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub static RULE = {
///         id: "service-name-invalid",
///         severity: Error,
///         verdict: Rejected,
///         check: check,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        $vis:vis static $name:ident = {
            id: $id:literal,
            severity: $severity:ident,
            verdict: $verdict:ident,
            check: $check:expr
            $(, late: $late:literal)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis static $name: $crate::rule::Rule = $crate::rule::Rule {
            id: $id,
            severity: ::svcflow_core::Severity::$severity,
            verdict: $crate::rule::Verdict::$verdict,
            raw_docs: $crate::__rule_docs!($($doc),*),
            check: $check,
            late: $crate::declare_rule!(@late $($late)?),
        };
    };
    (@late) => { false };
    (@late $late:literal) => { $late };
}

/// The doc text of a rule declaration, or nothing without the `docs` feature: the browser app and
/// the JS package link to the generated pages instead of carrying ~50 KB of Markdown.
#[cfg(feature = "docs")]
#[doc(hidden)]
#[macro_export]
macro_rules! __rule_docs {
    ($($doc:expr),*) => { concat!($($doc, "\n"),*) };
}

#[cfg(not(feature = "docs"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __rule_docs {
    ($($doc:expr),*) => {
        ""
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_found() {
        let docs = "## What it does\nChecks a. More.\n\n## Why is this bad?\nBad.\n";
        assert_eq!(section(docs, "What it does"), Some("Checks a. More."));
        assert_eq!(section(docs, "Why is this bad?"), Some("Bad."));
        assert_eq!(section(docs, "Example"), None);
    }
}
