//! rustc/miette-style frames:
//!
//! ```text
//! error[selector-matches-nothing]: the selector app=web-frontend matches no pod or pod template
//!   --> app.yaml:7:3
//!    |
//!  7 |   selector:
//!    |   ^^^^^^^^ matches nothing
//!    ·
//! 21 |       labels:
//!    |       ------ closest: Deployment/default/web (`app` is `web`, not `web-frontend`)
//!    |
//!    = object: Service/default/web
//!    = help: A Service sends traffic only to pods whose labels …
//! ```

use crate::LintResult;
use svcflow_core::{Diagnostic, Severity, SourceId, Sources, Span};

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn severity(&self, sev: Severity, s: &str) -> String {
        self.paint(if sev == Severity::Error { "1;31" } else { "1;33" }, s)
    }
    fn gutter(&self, s: &str) -> String {
        self.paint("1;34", s)
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
}

/// Every unsuppressed finding as a text frame, separated by blank lines. `color` adds ANSI
/// colors (for a terminal).
pub fn text(sources: &Sources, diagnostics: &[Diagnostic], color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    for d in diagnostics.iter().filter(|d| !d.suppressed) {
        render_one(&mut out, sources, d, &style);
        out.push('\n');
    }
    out
}

/// One closing line: `2 errors, 1 warning (1 suppressed) in 12 objects`.
pub fn summary(result: &LintResult) -> String {
    let (errors, warnings, suppressed) = result.counts();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut s = format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"));
    if suppressed > 0 {
        s.push_str(&format!(" ({suppressed} suppressed)"));
    }
    s.push_str(&format!(" in {}", plural(result.objects, "object")));
    s
}

struct Mark<'d> {
    span: Span,
    message: &'d str,
    primary: bool,
}

fn render_one(out: &mut String, sources: &Sources, d: &Diagnostic, style: &Style) {
    let sev = d.severity.as_str();
    out.push_str(&format!(
        "{}{}\n",
        style.severity(d.severity, &format!("{sev}[{}]", d.rule)),
        style.bold(&format!(": {}", d.message))
    ));
    let mut marks = vec![Mark { span: d.primary.span, message: &d.primary.message, primary: true }];
    marks.extend(d.labels.iter().map(|l| Mark { span: l.span, message: &l.message, primary: false }));

    // Sources in order of appearance: the primary's first.
    let mut order: Vec<SourceId> = Vec::new();
    for m in &marks {
        if !order.contains(&m.span.source) {
            order.push(m.span.source);
        }
    }
    let line_of = |span: Span| sources.line_col(span).line;
    let width = marks.iter().map(|m| line_of(m.span).to_string().len()).max().unwrap_or(1);
    let pad = " ".repeat(width);

    for (i, &src) in order.iter().enumerate() {
        let first = marks.iter().find(|m| m.span.source == src).map(|m| m.span).unwrap_or_default();
        let at = sources.line_col(first);
        let arrow = if i == 0 { "-->" } else { ":::" };
        out.push_str(&format!("{pad}{} {}:{}:{}\n", style.gutter(arrow), sources.name(src), at.line, at.column));
        out.push_str(&format!("{pad} {}\n", style.gutter("|")));
        let mut here: Vec<&Mark> = marks.iter().filter(|m| m.span.source == src).collect();
        here.sort_by_key(|m| (line_of(m.span), !m.primary, m.span.start));
        let mut previous: Option<u32> = None;
        for m in here {
            let line = line_of(m.span);
            if previous != Some(line) {
                if previous.is_some_and(|p| line > p + 1) {
                    out.push_str(&format!("{pad} {}\n", style.gutter("·")));
                }
                let text = sources.get(src).map_or("", |f| f.line_text(line));
                out.push_str(&format!(
                    "{} {} {}\n",
                    style.gutter(&format!("{line:>width$}")),
                    style.gutter("|"),
                    text.replace('\t', " ")
                ));
            }
            previous = Some(line);
            let (col, len) = underline(sources, m.span);
            let ch = if m.primary { "^" } else { "-" };
            let marker = ch.repeat(len);
            let painted = if m.primary { style.severity(d.severity, &marker) } else { style.gutter(&marker) };
            let message = if m.primary { style.severity(d.severity, m.message) } else { style.gutter(m.message) };
            let sep = if m.message.is_empty() { "" } else { " " };
            out.push_str(&format!(
                "{pad} {} {}{painted}{sep}{message}\n",
                style.gutter("|"),
                " ".repeat(col.saturating_sub(1) as usize)
            ));
        }
    }
    out.push_str(&format!("{pad} {}\n", style.gutter("|")));
    if let Some(o) = &d.object {
        out.push_str(&format!("{pad} {} {}: {o}\n", style.gutter("="), style.bold("object")));
    }
    if let Some(h) = &d.help {
        out.push_str(&format!("{pad} {} {}: {h}\n", style.gutter("="), style.bold("help")));
    }
    if let Some(f) = &d.fix {
        out.push_str(&format!("{pad} {} {}: {}\n", style.gutter("="), style.bold("fix"), f.message));
    }
}

/// Start column and marker length of a span on its first line (at least one character).
fn underline(sources: &Sources, span: Span) -> (u32, usize) {
    let start = sources.line_col(span);
    let end = sources.end_line_col(span);
    let len = if end.line == start.line {
        end.column.saturating_sub(start.column) as usize
    } else {
        let text = sources.get(span.source).map_or("", |f| f.line_text(start.line));
        (text.chars().count() as u32 + 1).saturating_sub(start.column) as usize
    };
    (start.column, len.max(1))
}
