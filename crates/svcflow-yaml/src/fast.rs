//! A fast path for the YAML that machines write: `kubectl get -o yaml`, `helm template`, generated
//! manifests. Block mappings and sequences of one-line scalars parse here in one pass over the
//! bytes, several times faster than the general parser in the size-optimised wasm (where the
//! general parser runs at a few MB/s, and a 30 MB cluster dump took seconds).
//!
//! The fast path *declines* (returns `None`) at anything it does not handle, and the general
//! parser (`svcflow_core::yaml`'s) then parses the document. So it never decides
//! what is valid YAML: it only accepts documents built from this subset, every line of which it
//! reads exactly as the general parser does, spans included:
//!
//! - newlines and printable characters only (no tab, CR or control character; see
//!   `is_plain_text`);
//! - block mappings whose keys are one-line plain or quoted scalars, and block sequences
//!   (also "indentless" ones, `key:` followed by `- item` at the key's indentation, and compact
//!   ones, `- key: value` / `- - item`);
//! - one-line plain scalars, single-quoted scalars, double-quoted scalars without escapes, the
//!   empty flow collections `{}` and `[]`, one-line flow sequences of such scalars
//!   (`[Ingress, Egress]`), comments, an empty value (null), a leading `---`.
//!
//! It declines anchors, aliases, tags, block scalars (`|`, `>`), non-empty flow collections,
//! multi-line scalars, merge keys, explicit keys (`?`), directives and anything the general parser
//! would call an error. The spans follow the general parser's events: a block mapping starts at its
//! first key, a block sequence at its first `-` (an indentless one at its first item), and a
//! collection ends where the next token starts (the first character of the next line that is not
//! blank or a comment, or the end of the document); an empty value is a null at its key's `:`.
//!
//! Tests: `tests/yaml_fast.rs` compares both paths on every fixture, generated clusters and
//! random edits of them; the `yaml_fast` fuzz target does the same on arbitrary input.

use crate::{memchr_newline, Budget, Document, Entry, Node, Scalar, Style, Value};
use std::rc::Rc;
use svcflow_source::hash::HashSet;
use svcflow_source::{SourceId, Span};

/// The scalar texts of one stream, each allocated once: a 50,000-object dump holds a few million
/// scalars (keys and values like `name`, `app.kubernetes.io/name`, `http`, `8080`) and only about
/// a hundred thousand distinct ones, so sharing them saves most of the tree's allocations and a
/// third of its memory. Documents parsed with one interner share texts; that changes nothing
/// about them (a text is immutable) and each document stays valid on its own.
#[derive(Default)]
pub struct Interner(HashSet<Rc<str>>);

impl Interner {
    /// Longer texts are rarely repeated (descriptions, certificates): not worth the hashing.
    const MAX_LEN: usize = 64;

    pub fn text(&mut self, text: &str) -> Rc<str> {
        if text.len() > Self::MAX_LEN {
            return text.into();
        }
        if let Some(shared) = self.0.get(text) {
            return shared.clone();
        }
        let shared: Rc<str> = text.into();
        self.0.insert(shared.clone());
        shared
    }
}

/// The fast parse of one document (`segment`, at byte `base` of `source`): `Some(document or
/// None for an empty one)`, or `None` when the document is outside the fast path's subset.
/// Its scalar texts come from `interner` (one per stream).
pub fn parse_document(
    source: SourceId,
    segment: &str,
    base: u32,
    budget: &Budget,
    interner: &mut Interner,
) -> Option<Option<Document>> {
    let bytes = segment.as_bytes();
    if !is_plain_text(bytes) {
        return None;
    }
    let mut p = FastParser {
        text: segment,
        bytes,
        source,
        base,
        line_start: 0,
        eol: 0,
        pos: 0,
        indent: 0,
        at_end: false,
        nodes: 0,
        max_nodes: budget.max_nodes_per_document,
        // well inside the general parser's limit, which then reports the error precisely
        max_depth: budget.max_depth / 2,
        entries: Vec::new(),
        items: Vec::new(),
        interner,
    };
    p.eol = memchr_newline(bytes, 0);
    if segment.starts_with("---") {
        // the document marker (split_documents cut the stream there): nothing else on its line
        // but a comment
        if !p.rest_is_blank(3) {
            return None;
        }
        p.next_line()?;
    } else {
        p.settle_on_content(0)?;
    }
    if p.at_end {
        return Some(None); // comments only: an empty document
    }
    let root = p.block(1)?;
    if !p.at_end {
        return None; // content outside the root collection: an error the general parser reports
    }
    let span = root.span;
    Some(Some(Document { span, root: Rc::new(root) }))
}

/// Newlines and printable characters only, none of which YAML gives a meaning of its own: no tab,
/// CR or other control character, and, of the non-ASCII characters, none of the C1 controls
/// (U+0080–U+009F, with NEL, a line break in YAML 1.1), the line and paragraph separators
/// (U+2028, U+2029), the byte order mark and the non-characters U+FFFE/U+FFFF. Other non-ASCII
/// characters (in comments, names, descriptions) are content like any letter.
fn is_plain_text(bytes: &[u8]) -> bool {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    for (i, &b) in bytes.iter().enumerate() {
        let ok = match b {
            b'\n' | b' '..=b'~' => true,
            0xC2 => at(i + 1) >= 0xA0,
            0xE2 => !(at(i + 1) == 0x80 && matches!(at(i + 2), 0xA8 | 0xA9)),
            0xEF => !((at(i + 1) == 0xBB && at(i + 2) == 0xBF) || (at(i + 1) == 0xBF && at(i + 2) >= 0xBE)),
            0x80.. => true,
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

struct FastParser<'a, 'i> {
    text: &'a str,
    bytes: &'a [u8],
    source: SourceId,
    base: u32,
    /// The current line: its start, its end (the `\n` or the end of the text).
    line_start: usize,
    eol: usize,
    /// Where the current content starts, and its column. Inside a sequence item (`- a: 1`) this
    /// is the item's content, further right on the same line.
    pos: usize,
    indent: usize,
    /// No content is left; `pos` is the end of the text (where a collection open until then ends).
    at_end: bool,
    nodes: usize,
    max_nodes: usize,
    max_depth: usize,
    /// The entries and items of the open collections, innermost last: a collection's own are
    /// moved into a vector of exactly their number when it closes (no growing vectors, no spare
    /// capacity: fewer allocations and less memory for a large dump).
    entries: Vec<Entry>,
    items: Vec<Node>,
    interner: &'i mut Interner,
}

impl FastParser<'_, '_> {
    /// Only spaces, or spaces and a comment, from `from` to the end of the line.
    fn rest_is_blank(&self, from: usize) -> bool {
        let mut i = from;
        while i < self.eol && self.bytes[i] == b' ' {
            i += 1;
        }
        // a `#` starts a comment only after a space
        i == self.eol || (self.bytes[i] == b'#' && i > from)
    }

    /// Move to the first line from the one after the current, that holds content.
    fn next_line(&mut self) -> Option<()> {
        self.settle_on_content(self.eol + 1)
    }

    /// Make the first content line at or after the line starting at `from` the current one.
    /// Declines at lines the fast path does not read (document markers, directives).
    fn settle_on_content(&mut self, mut from: usize) -> Option<()> {
        let len = self.bytes.len();
        loop {
            if from >= len {
                self.at_end = true;
                self.pos = len;
                self.line_start = len;
                self.eol = len;
                return Some(());
            }
            let eol = memchr_newline(self.bytes, from);
            let mut i = from;
            while i < eol && self.bytes[i] == b' ' {
                i += 1;
            }
            if i < eol && self.bytes[i] != b'#' {
                let line = &self.bytes[from..eol];
                if line.starts_with(b"---") || line.starts_with(b"...") || line.starts_with(b"%") {
                    return None;
                }
                self.line_start = from;
                self.eol = eol;
                self.pos = i;
                self.indent = i - from;
                return Some(());
            }
            from = eol + 1;
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.source, self.base + start as u32, self.base + end as u32)
    }

    /// One more node; `None` past the budget (the general parser then reports it).
    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.max_nodes).then_some(())
    }

    fn is_entry(&self) -> bool {
        self.bytes[self.pos] == b'-' && (self.pos + 1 == self.eol || self.bytes[self.pos + 1] == b' ')
    }

    /// A block collection starting at the current content.
    fn block(&mut self, depth: usize) -> Option<Node> {
        if self.is_entry() {
            self.seq(depth, false)
        } else {
            let first = self.key()?;
            self.map(depth, first)
        }
    }

    /// A block mapping whose first key (at the current content) has been read.
    fn map(&mut self, depth: usize, first: (Node, usize)) -> Option<Node> {
        if depth > self.max_depth {
            return None;
        }
        let indent = self.indent;
        let start = self.pos;
        let base = self.entries.len();
        let mut next = Some(first);
        loop {
            let (key, colon) = match next.take() {
                Some(k) => k,
                None => self.key()?,
            };
            let value = if self.rest_is_blank(colon + 1) {
                self.next_line()?;
                if !self.at_end && self.indent > indent {
                    self.block(depth + 1)?
                } else if !self.at_end && self.indent == indent && self.is_entry() {
                    self.seq(depth + 1, true)?
                } else {
                    self.count()?;
                    self.scalar_node(colon, colon, "~", Style::Plain)
                }
            } else {
                let mut at = colon + 1;
                while self.bytes[at] == b' ' {
                    at += 1;
                }
                self.last_on_line(at, indent)?
            };
            self.entries.push(Entry { key, value });
            if self.at_end || self.indent < indent {
                break;
            }
            if self.indent > indent || self.is_entry() {
                return None;
            }
        }
        self.count()?;
        let entries = self.entries.drain(base..).collect();
        Some(Node { span: self.span(start, self.pos), value: Value::Map(entries) })
    }

    /// A block sequence whose first `-` is the current content. `indentless`: the value of a key
    /// at the same indentation, which ends at the next line of that indentation that is no item.
    fn seq(&mut self, depth: usize, indentless: bool) -> Option<Node> {
        if depth > self.max_depth {
            return None;
        }
        let indent = self.indent;
        let mut start = self.pos;
        let base = self.items.len();
        loop {
            let mut at = self.pos + 1;
            while at < self.eol && self.bytes[at] == b' ' {
                at += 1;
            }
            if at == self.eol || self.bytes[at] == b'#' {
                return None; // an empty item, or its content on the next lines
            }
            if indentless && self.items.len() == base {
                start = at;
            }
            self.pos = at;
            self.indent = at - self.line_start;
            let item = if self.is_entry() {
                self.seq(depth + 1, false)?
            } else if let Some(key) = self.key() {
                self.map(depth + 1, key)?
            } else {
                self.last_on_line(at, indent)?
            };
            self.items.push(item);
            if self.at_end || self.indent < indent {
                break;
            }
            if self.indent > indent {
                return None;
            }
            if !self.is_entry() {
                if indentless {
                    break;
                }
                return None;
            }
        }
        self.count()?;
        let items = self.items.drain(base..).collect();
        Some(Node { span: self.span(start, self.pos), value: Value::Seq(items) })
    }

    /// The key at the current content, and where its `:` is; `None` when the content is not
    /// a one-line key the fast path reads.
    fn key(&mut self) -> Option<(Node, usize)> {
        let at = self.pos;
        let (node, colon) = match self.bytes[at] {
            b'"' | b'\'' => {
                let (node, close) = self.quoted(at)?;
                // `"key": value`: the `:` right after the quote
                if self.bytes.get(close) != Some(&b':') {
                    return None;
                }
                (node, close)
            }
            _ => {
                let (end, colon) = self.plain(at)?;
                let colon = colon?;
                let text = &self.text[at..end];
                // YAML limits implicit keys to 1024 characters; `<<` is a merge key
                if text.len() > 1024 || text == "<<" {
                    return None;
                }
                (self.scalar_node(at, end, text, Style::Plain), colon)
            }
        };
        if colon + 1 != self.eol && self.bytes[colon + 1] != b' ' {
            return None;
        }
        self.count()?;
        Some((node, colon))
    }

    /// [`Self::inline`] at `at`, then on to the next line, which must not be indented more than the
    /// collection (at `indent`) holding the value: such a line would continue a multi-line scalar,
    /// or be an error.
    fn last_on_line(&mut self, at: usize, indent: usize) -> Option<Node> {
        let value = self.inline(at)?;
        self.next_line()?;
        if !self.at_end && self.indent > indent {
            return None;
        }
        Some(value)
    }

    /// A value on the rest of the line from `at`: a scalar, an empty flow collection or a flow
    /// sequence of scalars.
    fn inline(&mut self, at: usize) -> Option<Node> {
        let node = match self.bytes[at] {
            b'"' | b'\'' => {
                let (node, close) = self.quoted(at)?;
                if !self.rest_is_blank(close) {
                    return None;
                }
                node
            }
            b'[' if self.bytes.get(at + 1) != Some(&b']') => {
                let (node, end) = self.flow_seq(at)?;
                if !self.rest_is_blank(end) {
                    return None;
                }
                node
            }
            b'{' | b'[' => {
                let close = if self.bytes[at] == b'{' { b'}' } else { b']' };
                if self.bytes.get(at + 1) != Some(&close) {
                    return None;
                }
                let end = at + 2;
                if !self.rest_is_blank(end) {
                    return None;
                }
                let value = if close == b'}' { Value::Map(Vec::new()) } else { Value::Seq(Vec::new()) };
                Node { span: self.span(at, end), value }
            }
            _ => {
                let (end, colon) = self.plain(at)?;
                if colon.is_some() {
                    return None; // `a: b: c`: an error
                }
                self.scalar_node(at, end, &self.text[at..end], Style::Plain)
            }
        };
        self.count()?;
        Some(node)
    }

    /// A one-line flow sequence of scalars opening at `at` (`[Ingress, Egress]`, `["sh", "-c"]`):
    /// its node and the index after its `]`. Its plain items are words of letters, digits and
    /// `-_./=+` (no other character that could be an indicator in flow context); anything else
    /// (nested collections, `key: value` pairs, an empty item) is left to the general parser.
    fn flow_seq(&mut self, at: usize) -> Option<(Node, usize)> {
        // the byte at `i`, a newline past the end of the text
        let b = |i: usize| self.bytes.get(i).copied().unwrap_or(b'\n');
        let mut items = Vec::new();
        let mut i = at + 1;
        loop {
            while b(i) == b' ' {
                i += 1;
            }
            let item = match b(i) {
                b'"' | b'\'' => {
                    let (node, close) = self.quoted(i)?;
                    i = close;
                    node
                }
                _ => {
                    let start = i;
                    while i < self.eol
                        && (b(i).is_ascii_alphanumeric() || matches!(b(i), b'-' | b'_' | b'.' | b'/' | b'=' | b'+'))
                    {
                        i += 1;
                    }
                    // a word, not an indicator (`- `, `-,`)
                    if i == start || (b(start) == b'-' && i == start + 1) {
                        return None;
                    }
                    self.scalar_node(start, i, &self.text[start..i], Style::Plain)
                }
            };
            self.count()?;
            items.push(item);
            while b(i) == b' ' {
                i += 1;
            }
            match b(i) {
                b',' => i += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.count()?;
        Some((Node { span: self.span(at, i + 1), value: Value::Seq(items) }, i + 1))
    }

    fn scalar_node(&mut self, start: usize, end: usize, text: &str, style: Style) -> Node {
        let text = self.interner.text(text);
        Node { span: self.span(start, end), value: Value::Scalar(Scalar { text, style, tag: None }) }
    }

    /// A one-line plain scalar from `at`: its end (trailing spaces excluded), and the `:` that
    /// ends it when it is a key (`: ` or `:` at the end of the line). `None` when `at` cannot start
    /// a plain scalar.
    fn plain(&self, at: usize) -> Option<(usize, Option<usize>)> {
        let b = self.bytes;
        match b[at] {
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@'
            | b'`' => return None,
            b'-' | b'?' | b':' if at + 1 == self.eol || b[at + 1] == b' ' => return None,
            _ => {}
        }
        let mut i = at;
        let mut colon = None;
        while i < self.eol {
            match b[i] {
                b':' if i + 1 == self.eol || b[i + 1] == b' ' => {
                    colon = Some(i);
                    break;
                }
                b'#' if b[i - 1] == b' ' => break,
                _ => i += 1,
            }
        }
        let mut end = i;
        while b[end - 1] == b' ' {
            end -= 1;
        }
        Some((end, colon))
    }

    /// A one-line quoted scalar opening at `at`: its node and the index after its closing quote.
    /// Double-quoted scalars with escapes are left to the general parser.
    fn quoted(&mut self, at: usize) -> Option<(Node, usize)> {
        let b = self.bytes;
        let quote = b[at];
        let mut i = at + 1;
        if quote == b'"' {
            while i < self.eol && b[i] != b'"' {
                if b[i] == b'\\' {
                    return None;
                }
                i += 1;
            }
            if i == self.eol {
                return None;
            }
            let node = self.scalar_node(at, i + 1, &self.text[at + 1..i], Style::DoubleQuoted);
            return Some((node, i + 1));
        }
        let mut text = String::new();
        let mut from = i;
        loop {
            if i == self.eol {
                return None; // continues on the next line
            }
            if b[i] == b'\'' {
                if b.get(i + 1) == Some(&b'\'') && i + 1 < self.eol {
                    text.push_str(&self.text[from..=i]);
                    i += 2;
                    from = i;
                    continue;
                }
                text.push_str(&self.text[from..i]);
                return Some((self.scalar_node(at, i + 1, &text, Style::SingleQuoted), i + 1));
            }
            i += 1;
        }
    }
}
