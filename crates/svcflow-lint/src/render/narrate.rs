use super::position;
use svcflow_core::{Diagnostic, Sources};

/// Plain linear text in the manner of miette's narratable handler, for screen readers: no
/// box drawing, no carets, every position spelled out. Unsuppressed findings only.
pub fn narrate(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics.iter().filter(|d| !d.suppressed) {
        let p = position(sources, d.primary.span);
        out.push_str(&format!("{}\n", d.message));
        out.push_str(&format!("    Diagnostic severity: {}\n", d.severity.as_str()));
        out.push_str(&format!("Begin snippet for {} starting at line {}, column {}\n\n", p.file, p.line, p.column));
        let mut labels = vec![(d.primary.span, d.primary.message.as_str())];
        labels.extend(d.labels.iter().map(|l| (l.span, l.message.as_str())));
        for (span, message) in labels {
            let lp = position(sources, span);
            let line = sources.get(span.source).map_or("", |f| f.line_text(lp.line));
            if lp.file != p.file {
                out.push_str(&format!("In {}:\n", lp.file));
            }
            out.push_str(&format!("snippet line {}: {}\n", lp.line, line.trim_end()));
            let message = if message.is_empty() { "here" } else { message };
            if lp.line == lp.end_line {
                out.push_str(&format!(
                    "    label at line {}, columns {} to {}: {message}\n",
                    lp.line,
                    lp.column,
                    lp.end_column.saturating_sub(1).max(lp.column)
                ));
            } else {
                out.push_str(&format!("    label starting at line {}, column {}: {message}\n", lp.line, lp.column));
            }
        }
        if let Some(o) = &d.object {
            out.push_str(&format!("object: {o}\n"));
        }
        if let Some(h) = &d.help {
            out.push_str(&format!("diagnostic help: {h}\n"));
        }
        out.push_str(&format!("diagnostic code: {}\n", d.rule));
        out.push_str(&format!("For more details, see:\nhttps://svcflow.dev/rules/{}\n\n", d.rule));
    }
    out
}
