use super::position;
use svcflow_core::{Diagnostic, Severity, Sources};

/// GitHub Actions workflow commands (`::error file=…,line=…::message`), one line per
/// unsuppressed finding; GitHub turns them into annotations on the pull request.
pub fn github(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics.iter().filter(|d| !d.suppressed) {
        let p = position(sources, d.primary.span);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(o) = &d.object {
            message.push_str(&format!(" ({o})"));
        }
        if let Some(h) = &d.help {
            message.push('\n');
            message.push_str(h);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(p.file),
            p.line,
            p.column,
            p.end_line,
            p.end_column,
            escape_property(&d.rule),
            escape_data(&message)
        ));
    }
    out
}

/// Escaping of a workflow command's message (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escaping of a workflow command's property value (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
