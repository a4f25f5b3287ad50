//! Suppressions: the `svcflow.io/ignore: rule-a,rule-b` annotation on an object (for findings
//! whose primary span lies inside it), and a `# svcflow-ignore: rule-a,rule-b` comment on the
//! finding's line or on the line above. Suppressed findings stay in the list, marked.

use svcflow_core::{Diagnostic, Object, Sources};

/// The annotation that suppresses rules for a whole object.
pub const ANNOTATION: &str = "svcflow.io/ignore";
/// The comment marker that suppresses rules on its line and the next one.
pub const COMMENT: &str = "svcflow-ignore:";

pub fn apply(sources: &Sources, objects: &[Object], diagnostics: &mut [Diagnostic]) {
    let annotated: Vec<(&Object, Vec<&str>)> =
        objects.iter().filter_map(|o| o.annotations.get(ANNOTATION).map(|v| (o, split_ids(v)))).collect();
    for d in diagnostics.iter_mut() {
        let at = d.primary.span;
        let by_annotation = annotated.iter().any(|(o, ids)| {
            o.span.source == at.source
                && o.span.start <= at.start
                && at.start <= o.span.end
                && ids.contains(&d.rule.as_str())
        });
        if by_annotation || by_comment(sources, d) {
            d.suppressed = true;
        }
    }
}

fn split_ids(list: &str) -> Vec<&str> {
    list.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
}

fn by_comment(sources: &Sources, d: &Diagnostic) -> bool {
    let Some(file) = sources.get(d.primary.span.source) else { return false };
    let line = file.line_col(d.primary.span.start).line;
    [line, line.saturating_sub(1)]
        .into_iter()
        .filter(|l| *l > 0)
        .any(|l| comment_ids(file.line_text(l)).is_some_and(|ids| ids.contains(&d.rule.as_str())))
}

/// The rule ids of a `# svcflow-ignore: …` comment on this line, if it has one.
fn comment_ids(line: &str) -> Option<Vec<&str>> {
    let at = line.find(COMMENT)?;
    let before = line[..at].trim_end();
    let hash = before.strip_suffix('#')?;
    // The `#` starts a comment only at the line start or after a blank.
    if !(hash.is_empty() || hash.ends_with([' ', '\t'])) {
        return None;
    }
    // Ids separated by commas (blanks around them allowed); free text may follow.
    let mut rest = &line[at + COMMENT.len()..];
    let mut ids = Vec::new();
    loop {
        rest = rest.trim_start();
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        ids.push(&rest[..end]);
        rest = rest[end..].trim_start();
        match rest.strip_prefix(',') {
            Some(r) => rest = r,
            None => break,
        }
    }
    Some(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments() {
        assert_eq!(comment_ids("  # svcflow-ignore: a,b"), Some(vec!["a", "b"]));
        assert_eq!(comment_ids("port: 80 # svcflow-ignore: a"), Some(vec!["a"]));
        assert_eq!(comment_ids("# svcflow-ignore: a, b"), Some(vec!["a", "b"]));
        assert_eq!(comment_ids("# svcflow-ignore: a because reasons"), Some(vec!["a"]));
        assert_eq!(comment_ids("value: x#svcflow-ignore: a"), None);
        assert_eq!(comment_ids("port: 80"), None);
    }
}
