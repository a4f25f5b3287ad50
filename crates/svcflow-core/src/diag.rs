//! Diagnostics as plain data. Rendering (terminal, JSON, SARIF, HTML) lives elsewhere; here a
//! finding is a rule id, a severity, words, and byte spans.

use serde::{Deserialize, Serialize};
use svcflow_source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A span with a short message ("selector is here", "template labels are here").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One replacement of a byte range (a suggested fix is a list of them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub message: String,
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// `Kind/namespace/name` of the object the finding belongs to, when there is one.
    pub object: Option<String>,
    pub primary: Label,
    /// The other side of a cross-object finding (the Pod template `labels`, the container `ports`).
    pub labels: Vec<Label>,
    /// Why it matters and what to do.
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// Set by suppression (annotation or comment); suppressed findings stay in JSON/SARIF output.
    pub suppressed: bool,
}

impl Diagnostic {
    pub fn new(rule: &str, severity: Severity, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            rule: rule.to_string(),
            severity,
            message: message.into(),
            object: None,
            primary: Label { span, message: String::new() },
            labels: Vec::new(),
            help: None,
            fix: None,
            suppressed: false,
        }
    }

    pub fn with_object(mut self, object: impl Into<String>) -> Self {
        self.object = Some(object.into());
        self
    }

    pub fn with_primary_label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { span, message: message.into() });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, message: impl Into<String>, edits: Vec<Edit>) -> Self {
        self.fix = Some(Fix { message: message.into(), edits });
        self
    }
}

/// Rule ids the engine itself emits (the parser's findings are rules too).
pub mod rule_ids {
    pub const INVALID_YAML: &str = "invalid-yaml";
    pub const INVALID_OBJECT: &str = "invalid-object";
}
