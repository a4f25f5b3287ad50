//! Renderers: the same findings as terminal text, JSON, SARIF 2.1.0, GitHub Actions workflow
//! commands, and plain narrated text for screen readers. Line and column numbers are computed
//! here, from byte spans, and nowhere else.
//!
//! `text`, `narrate` and `github` show unsuppressed findings only; `json` and `sarif` show all
//! of them, with their `suppressed` state.

mod github;
mod json;
mod narrate;
mod sarif;
mod text;

pub use github::{escape_data, escape_property, github};
pub use json::{json, json_value};
pub use narrate::narrate;
pub use sarif::{sarif, sarif_value};
pub use text::{summary, text};

use svcflow_core::{Sources, Span};

/// A span as a reader sees it: file name and 1-based start/end line and column (columns count
/// Unicode scalar values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position<'s> {
    pub file: &'s str,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

pub fn position(sources: &Sources, span: Span) -> Position<'_> {
    let start = sources.line_col(span);
    let end = sources.end_line_col(span);
    Position {
        file: sources.name(span.source),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}
