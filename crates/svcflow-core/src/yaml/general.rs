//! The general parser: serde-saphyr's (`granit_parser`) events into our tree, for the documents
//! the fast path declines (feature `general-yaml`).

use super::{Budget, Document, Entry, Node, Scalar, Style, Value, YamlError};
use serde_saphyr::granit_parser::{Event, Options, Parser, ScalarStyle, StructureStyle};
use std::rc::Rc;
use svcflow_source::{SourceId, Span};

/// The general parser: serde-saphyr's, for any YAML (and JSON).
pub fn parse_document_general(
    source: SourceId,
    segment: &str,
    base: u32,
    budget: &Budget,
) -> Result<Option<Document>, YamlError> {
    let mut options = Options::default();
    options.block_nesting_limit = budget.max_depth;
    options.flow_nesting_limit = budget.max_depth;
    options.emit_comments = false;
    let mut parser = Parser::new_from_str_with_options(segment, options);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<(usize, Node)> = Vec::new();
    let mut root: Option<Node> = None;
    let mut nodes = 0usize;
    let mut alias_nodes = 0usize;
    // Byte ranges where a tab at the start of a line is content, not indentation: quoted and
    // block scalars, and flow collections.
    let mut tab_ok: Vec<(u32, u32)> = Vec::new();
    let mut flow_starts: Vec<Option<u32>> = Vec::new();
    let seg_end = base + segment.len() as u32;
    let err_at = |offset: u32, message: String| YamlError { message, span: Span::point(source, offset.min(seg_end)) };

    while let Some(event) = parser.next_event() {
        let (event, span) = match event {
            Ok(e) => e,
            Err(e) => {
                let offset = e.marker().byte_offset().map_or(base, |o| base + o as u32);
                return Err(err_at(offset, e.info()));
            }
        };
        let range = span.byte_range().unwrap_or(0..0);
        let (start, end) = (base + range.start as u32, base + range.end as u32);
        let node = match event {
            Event::StreamStart | Event::DocumentStart(..) | Event::DocumentEnd | Event::StreamEnd => {
                if matches!(event, Event::DocumentStart(..)) && root.is_some() {
                    break;
                }
                continue;
            }
            Event::Scalar(text, style, anchor, tag) => {
                if style != ScalarStyle::Plain {
                    tab_ok.push((start, end));
                }
                let tag = tag.and_then(|t| if t.is_yaml_core_schema() { Some(t.suffix().to_string()) } else { None });
                let node = Node {
                    span: Span::new(source, start, end),
                    value: Value::Scalar(Scalar { text: text.into(), style: map_style(style), tag }),
                };
                if anchor != 0 {
                    anchors.push((anchor, node.clone()));
                }
                node
            }
            Event::Alias(id) => {
                let Some((_, target)) = anchors.iter().rev().find(|(a, _)| *a == id) else {
                    return Err(err_at(start, "alias refers to an unknown anchor".into()));
                };
                alias_nodes += count_nodes(target, budget.max_alias_nodes);
                if alias_nodes > budget.max_alias_nodes {
                    return Err(err_at(
                        start,
                        format!(
                            "alias expansion exceeds the budget of {} nodes per document (an alias bomb?)",
                            budget.max_alias_nodes
                        ),
                    ));
                }
                target.clone()
            }
            Event::SequenceStart(structure, anchor, _) => {
                flow_starts.push((structure == StructureStyle::Flow).then_some(start));
                stack.push(Frame::Seq { start, anchor, items: Vec::new() });
                continue;
            }
            Event::MappingStart(structure, anchor, _) => {
                flow_starts.push((structure == StructureStyle::Flow).then_some(start));
                stack.push(Frame::Map { start, anchor, entries: Vec::new(), key: None });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Some(flow_start)) = flow_starts.pop() {
                    tab_ok.push((flow_start, end));
                }
                match close_collection(source, &mut stack, &mut anchors, end) {
                    Some(node) => node,
                    None => return Err(err_at(start, "unbalanced collection end".into())),
                }
            }
            _ => continue,
        };
        nodes += 1;
        if nodes > budget.max_nodes_per_document {
            return Err(err_at(
                node.span.start,
                format!("document exceeds the budget of {} nodes", budget.max_nodes_per_document),
            ));
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push(Entry { key: k, value: node }),
            },
        }
    }
    if segment.contains('\t') {
        if let Some(tab) = tab_indentation(segment, base, &tab_ok) {
            return Err(err_at(tab, "a tab character is used for indentation; YAML allows only spaces there".into()));
        }
    }
    // An empty document (`---` followed by comments only, as `helm template` writes) is a null.
    Ok(root.filter(|r| !r.is_null()).map(|root| {
        let span = Span::new(source, root.span.start, root.span.end);
        Document { span, root: Rc::new(root) }
    }))
}

/// Finish the innermost open collection into a node.
fn close_collection(
    source: SourceId,
    stack: &mut Vec<Frame>,
    anchors: &mut Vec<(usize, Node)>,
    end: u32,
) -> Option<Node> {
    let (anchor, node) = match stack.pop()? {
        Frame::Seq { start, anchor, items } => {
            (anchor, Node { span: Span::new(source, start, end.max(start)), value: Value::Seq(items) })
        }
        Frame::Map { start, anchor, entries, .. } => {
            let entries = apply_merge_keys(entries);
            (anchor, Node { span: Span::new(source, start, end.max(start)), value: Value::Map(entries) })
        }
    };
    if anchor != 0 {
        anchors.push((anchor, node.clone()));
    }
    Some(node)
}

/// go-yaml (and so kubectl) refuses a tab in indentation; the parser we use is more lenient
/// there, so look for one outside quoted/block scalars and flow collections.
fn tab_indentation(segment: &str, base: u32, tab_ok: &[(u32, u32)]) -> Option<u32> {
    let mut offset = 0usize;
    for line in segment.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let rest = line[indent..].trim_end();
        if line[..indent].contains('\t') && !rest.is_empty() && !rest.starts_with('#') {
            let tab = base + (offset + line.find('\t').unwrap_or(0)) as u32;
            if !tab_ok.iter().any(|&(a, b)| a <= tab && tab < b) {
                return Some(tab);
            }
        }
        offset += line.len();
    }
    None
}

fn count_nodes(node: &Node, cap: usize) -> usize {
    // Iterative, bounded: stops counting once over the cap.
    let mut count = 0usize;
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        count += 1;
        if count > cap {
            break;
        }
        match &n.value {
            Value::Seq(items) => todo.extend(items.iter()),
            Value::Map(entries) => {
                for e in entries {
                    todo.push(&e.key);
                    todo.push(&e.value);
                }
            }
            Value::Scalar(_) => {}
        }
    }
    count
}

/// YAML 1.1 merge keys (`<<: *base`, `<<: [*a, *b]`), as go-yaml v2 applies them: keys written in
/// the mapping win over merged ones; among merged mappings, earlier ones win.
fn apply_merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    let is_merge = |e: &Entry| e.key.as_scalar().is_some_and(|s| &*s.text == "<<" && s.is_plain());
    if !entries.iter().any(is_merge) {
        return entries;
    }
    let mut own: Vec<Entry> = Vec::new();
    let mut merged: Vec<Entry> = Vec::new();
    for e in entries {
        if is_merge(&e) {
            let sources: Vec<Node> = match e.value.value {
                Value::Map(_) => vec![e.value],
                Value::Seq(items) => items,
                _ => {
                    own.push(e);
                    continue;
                }
            };
            for src in sources {
                if let Value::Map(src_entries) = src.value {
                    merged.extend(src_entries);
                }
            }
        } else {
            own.push(e);
        }
    }
    let key_text = |e: &Entry| e.key.as_scalar().map(|s| s.text.clone());
    let mut out = own;
    for m in merged {
        let k = key_text(&m);
        if k.is_some() && !out.iter().any(|e| key_text(e) == k) {
            out.push(m);
        }
    }
    out
}

fn map_style(style: ScalarStyle) -> Style {
    match style {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted => Style::SingleQuoted,
        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
        ScalarStyle::Literal => Style::Literal,
        _ => Style::Folded,
    }
}

enum Frame {
    Seq { start: u32, anchor: usize, items: Vec<Node> },
    Map { start: u32, anchor: usize, entries: Vec<Entry>, key: Option<Node> },
}
