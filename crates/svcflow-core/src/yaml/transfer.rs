//! A document's parse as bytes, to move it between two wasm instances: the browser app parses
//! most documents itself (the fast path) and asks the JS package, which carries the general parser,
//! for the others (crates/svcflow-web/src/infra/yaml.rs). Spans are written as they are (the
//! package parses a document alone, from offset 0 in source 0); the receiver moves them.
//!
//! Format (little-endian u32s): a result tag (0 empty document, 1 document, 2 error); a document
//! is its span and root node, an error its message and span. A node is a kind byte (0 scalar,
//! 1 sequence, 2 mapping), its span (start, end), then for a scalar its style byte, text and
//! optional core-schema tag; for a collection the count and the children (key then value for a
//! mapping). Strings are a length and UTF-8 bytes. The decoder checks everything and answers
//! `None` for bytes it cannot read (no panic, whatever the bytes).

use super::{Document, Entry, Node, Scalar, Style, Value, YamlError};
use std::rc::Rc;
use svcflow_source::Span;

/// The bytes of a document's parse (see the module docs).
pub fn encode_parse(parsed: &Result<Option<Document>, YamlError>) -> Vec<u8> {
    let mut out = Vec::new();
    match parsed {
        Ok(None) => out.push(0),
        Ok(Some(doc)) => {
            out.push(1);
            put_span(&mut out, doc.span);
            // iterative: a document may nest up to the budget's depth
            let mut todo: Vec<&Node> = vec![&doc.root];
            while let Some(node) = todo.pop() {
                match &node.value {
                    Value::Scalar(s) => {
                        out.push(0);
                        put_span(&mut out, node.span);
                        out.push(STYLES.iter().position(|&x| x == s.style).unwrap_or(0) as u8);
                        put_str(&mut out, &s.text);
                        match &s.tag {
                            None => out.push(0),
                            Some(tag) => {
                                out.push(1);
                                put_str(&mut out, tag);
                            }
                        }
                    }
                    Value::Seq(items) => {
                        out.push(1);
                        put_span(&mut out, node.span);
                        put_u32(&mut out, items.len());
                        todo.extend(items.iter().rev());
                    }
                    Value::Map(entries) => {
                        out.push(2);
                        put_span(&mut out, node.span);
                        put_u32(&mut out, entries.len());
                        for e in entries.iter().rev() {
                            todo.push(&e.value);
                            todo.push(&e.key);
                        }
                    }
                }
            }
        }
        Err(e) => {
            out.push(2);
            put_str(&mut out, &e.message);
            put_span(&mut out, e.span);
        }
    }
    out
}

/// The parse [`encode_parse`] wrote, or `None` when `bytes` are not such a parse.
pub fn decode_parse(bytes: &[u8]) -> Option<Result<Option<Document>, YamlError>> {
    let mut r = Reader { bytes, at: 0 };
    let parsed = match r.byte()? {
        0 => Ok(None),
        1 => {
            let span = r.span()?;
            let root = r.node()?;
            Ok(Some(Document { span, root: Rc::new(root) }))
        }
        2 => {
            let message = r.string()?;
            let span = r.span()?;
            Err(YamlError { message, span })
        }
        _ => return None,
    };
    (r.at == bytes.len()).then_some(parsed)
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn put_span(out: &mut Vec<u8>, span: Span) {
    out.extend_from_slice(&span.start.to_le_bytes());
    out.extend_from_slice(&span.end.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

/// A scalar's style is written as its index here (both ways).
const STYLES: [Style; 5] = [Style::Plain, Style::SingleQuoted, Style::DoubleQuoted, Style::Literal, Style::Folded];

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// A collection being read: its node so far and how many children it still expects.
struct Open {
    node: Node,
    remaining: usize,
    key: Option<Node>,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn u32(&mut self) -> Option<u32> {
        let b = self.bytes.get(self.at..self.at + 4)?;
        self.at += 4;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn span(&mut self) -> Option<Span> {
        let start = self.u32()?;
        let end = self.u32()?;
        (start <= end).then(|| Span::new(0, start, end))
    }

    fn string(&mut self) -> Option<String> {
        let len = self.u32()? as usize;
        let b = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        String::from_utf8(b.to_vec()).ok()
    }

    /// One node and its children (iterative: no recursion on hostile depth).
    fn node(&mut self) -> Option<Node> {
        let mut open: Vec<Open> = Vec::new();
        loop {
            let kind = self.byte()?;
            let span = self.span()?;
            let mut done = match kind {
                0 => {
                    let style = *STYLES.get(self.byte()? as usize)?;
                    let text = self.string()?;
                    let tag = match self.byte()? {
                        0 => None,
                        1 => Some(self.string()?),
                        _ => return None,
                    };
                    Some(Node { span, value: Value::Scalar(Scalar { text: text.into(), style, tag }) })
                }
                1 | 2 => {
                    let count = self.u32()? as usize;
                    // every child takes at least 10 bytes: a count beyond that is a lie
                    let remaining = if kind == 2 { count.checked_mul(2)? } else { count };
                    if remaining > (self.bytes.len() - self.at) / 10 {
                        return None;
                    }
                    let value = if kind == 1 {
                        Value::Seq(Vec::with_capacity(count))
                    } else {
                        Value::Map(Vec::with_capacity(count))
                    };
                    open.push(Open { node: Node { span, value }, remaining, key: None });
                    None
                }
                _ => return None,
            };
            // attach finished nodes to their parents, closing every collection that is complete
            loop {
                if let Some(node) = done.take() {
                    let Some(parent) = open.last_mut() else { return Some(node) };
                    parent.remaining -= 1;
                    match &mut parent.node.value {
                        Value::Seq(items) => items.push(node),
                        Value::Map(entries) => match parent.key.take() {
                            None => parent.key = Some(node),
                            Some(key) => entries.push(Entry { key, value: node }),
                        },
                        Value::Scalar(_) => return None,
                    }
                }
                match open.last() {
                    Some(top) if top.remaining == 0 => done = open.pop().map(|o| o.node),
                    _ => break,
                }
            }
        }
    }
}

#[cfg(all(test, feature = "general-yaml"))]
mod tests {
    use super::*;
    use crate::yaml::{parse_document_general, split_documents, Budget};

    #[test]
    fn round_trip_of_documents_and_errors() {
        let text = "a: &x [1, 'two', \"3\"]\nb: *x\nc: !!str 5\nd: |\n  block\ne: {f: {}, g: []}\nh:\n- - x\n---\n# only a comment\n---\na: [\n---\n- x\n";
        for (start, end) in split_documents(text, 0) {
            let parsed = parse_document_general(0, &text[start..end], 0, &Budget::default());
            let bytes = encode_parse(&parsed);
            assert_eq!(decode_parse(&bytes), Some(parsed), "{:?}", &text[start..end]);
            // every cut and every flipped byte is refused or read as some parse, never a panic
            for cut in 0..bytes.len() {
                assert_eq!(decode_parse(&bytes[..cut]), None);
            }
            for i in 0..bytes.len() {
                let mut bad = bytes.clone();
                bad[i] ^= 0xA5;
                let _ = decode_parse(&bad);
            }
        }
    }
}
