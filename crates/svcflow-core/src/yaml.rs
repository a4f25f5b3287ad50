//! A YAML tree where every node keeps its byte span.
//!
//! Most documents are read by a fast path for the YAML machines write ([`fast`]); the others by
//! the general parser: we read YAML with serde-saphyr's parser (`serde_saphyr::granit_parser`, the maintained,
//! panic-free successor of yaml-rust/saphyr) and build our own small tree from its events,
//! because the linter needs what serde's data model erases: the span of every *key* (the
//! catalogue anchors findings on "the line that holds that key"), and the style of every scalar
//! (`version: 2` and `enabled: yes` are a number and a boolean to kubectl, `"2"` is a string).
//!
//! The tree, the typing of scalars (YAML 1.1, as kubectl does) and the fast path are the
//! `svcflow-yaml` crate's, re-exported here.
//!
//! Invariant: parsing never panics and never fails as a whole. A stream is split into documents
//! first; a document with a syntax error becomes a [`YamlError`] with its byte offset, and the
//! other documents are still returned.

#[cfg(feature = "general-yaml")]
mod general;
mod transfer;

#[cfg(feature = "general-yaml")]
pub use general::parse_document_general;

use std::cell::Cell;
use std::rc::Rc;
use svcflow_source::hash::HashMap;
use svcflow_source::{SourceId, Span};
pub use transfer::{decode_parse, encode_parse};
// the tree and the fast path: a crate of their own, optimised for speed (see its docs)
use svcflow_yaml::fast::{self, Interner};
use svcflow_yaml::memchr_newline;
pub use svcflow_yaml::{resolve_plain, Budget, Document, Entry, Node, Scalar, Style, Typed, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct YamlError {
    pub message: String,
    /// Where the error is (a point, or the rest of the line).
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedSource {
    pub documents: Vec<Document>,
    pub errors: Vec<YamlError>,
}

/// Parse a whole source (a multi-document YAML stream, or JSON).
pub fn parse_stream(source: SourceId, text: &str, budget: &Budget) -> ParsedSource {
    parse_stream_with(source, text, budget, None)
}

/// [`parse_stream`], re-using the documents `cache` holds from the previous call: only documents
/// whose text changed are parsed again. The result is the same as [`parse_stream`]'s.
pub fn parse_stream_cached(source: SourceId, text: &str, budget: &Budget, cache: &mut DocumentCache) -> ParsedSource {
    let out = parse_stream_with(source, text, budget, Some(cache));
    cache.end_generation();
    out
}

/// The parsed documents of the last text given to [`parse_stream_cached`], by their text.
///
/// Why: as the user types in the browser, one document of a file changes and the others only move;
/// parsing is most of an analysis (the YAML parser runs at a few MB/s in the size-optimised wasm),
/// so an edit should cost one document's parse. A document is split off the stream by its `---`
/// lines before parsing ([`split_documents`]) and parsed on its own, so its result depends only
/// on its text, the budget, and where it starts (its spans are shifted when it moves).
/// The cache holds only the documents of the latest text: memory stays that of one parse.
#[derive(Default)]
pub struct DocumentCache {
    budget: Option<Budget>,
    /// Documents of the previous text, taken out as the current text re-uses them.
    previous: HashMap<Box<str>, CachedDocument>,
    /// Documents of the text being parsed.
    current: HashMap<Box<str>, CachedDocument>,
}

struct CachedDocument {
    /// Where the document started when its spans were computed.
    base: u32,
    parsed: Result<Option<Document>, YamlError>,
}

impl DocumentCache {
    /// The parse of `segment` starting at byte `base` of `source`: from the cache when this text
    /// was parsed before (spans moved to `base`), else parsed now.
    fn parse(
        &mut self,
        source: SourceId,
        segment: &str,
        base: u32,
        budget: &Budget,
        interner: &mut Interner,
    ) -> Result<Option<Document>, YamlError> {
        if self.budget.as_ref() != Some(budget) {
            *self = DocumentCache { budget: Some(budget.clone()), ..DocumentCache::default() };
        }
        if let Some(hit) = self.current.get(segment) {
            // the same text twice in one stream
            let mut parsed = hit.parsed.clone();
            move_parse(&mut parsed, source, hit.base, base);
            return parsed;
        }
        let cached = match self.previous.remove(segment) {
            Some(mut hit) => {
                move_parse(&mut hit.parsed, source, hit.base, base);
                CachedDocument { base, parsed: hit.parsed }
            }
            None => CachedDocument { base, parsed: parse_document(source, segment, base, budget, interner) },
        };
        let parsed = cached.parsed.clone();
        if !matches!(&parsed, Err(e) if e.message == PENDING) {
            self.current.insert(segment.into(), cached);
        }
        parsed
    }

    /// The text just parsed (all sources of it) becomes the one the next call compares with.
    pub(crate) fn end_generation(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }
}

/// Move every span of a document's parse from `from` to `to` (and to `source`).
fn move_parse(parsed: &mut Result<Option<Document>, YamlError>, source: SourceId, from: u32, to: u32) {
    let shift = |span: &mut Span| {
        span.source = source;
        // modular: exact whenever the result fits, and it does (spans lie inside their document)
        span.start = span.start.wrapping_sub(from).wrapping_add(to);
        span.end = span.end.wrapping_sub(from).wrapping_add(to);
    };
    match parsed {
        Ok(None) => {}
        Err(e) => shift(&mut e.span),
        Ok(Some(doc)) => {
            if from == to && doc.span.source == source {
                return; // in place: the tree is shared as it is
            }
            shift(&mut doc.span);
            // a copy when the tree is shared (with the objects of the previous analysis)
            let root = Rc::make_mut(&mut doc.root);
            // iterative: a document may nest up to the budget's depth
            let mut todo = vec![root];
            while let Some(node) = todo.pop() {
                shift(&mut node.span);
                match &mut node.value {
                    Value::Scalar(_) => {}
                    Value::Seq(items) => todo.extend(items.iter_mut()),
                    Value::Map(entries) => {
                        for e in entries {
                            todo.push(&mut e.key);
                            todo.push(&mut e.value);
                        }
                    }
                }
            }
        }
    }
}

pub(crate) fn parse_stream_with(
    source: SourceId,
    text: &str,
    budget: &Budget,
    mut cache: Option<&mut DocumentCache>,
) -> ParsedSource {
    let mut out = ParsedSource::default();
    // one per stream: the texts of its documents are shared (see `Interner`)
    let mut interner = Interner::default();
    for (start, end) in split_documents(text, body_start(text)) {
        if out.documents.len() >= budget.max_documents {
            out.errors.push(YamlError {
                message: format!(
                    "too many documents: svcflow reads at most {} documents per input; the rest is ignored",
                    budget.max_documents
                ),
                span: Span::point(source, start as u32),
            });
            break;
        }
        let segment = &text[start..end];
        if segment.len() > budget.max_document_bytes {
            out.errors.push(YamlError {
                message: format!(
                    "document too large: {} bytes (svcflow reads documents of at most {} bytes)",
                    segment.len(),
                    budget.max_document_bytes
                ),
                span: Span::point(source, start as u32),
            });
            continue;
        }
        let parsed = match cache.as_deref_mut() {
            Some(cache) => cache.parse(source, segment, start as u32, budget, &mut interner),
            None => parse_document(source, segment, start as u32, budget, &mut interner),
        };
        match parsed {
            Ok(Some(doc)) => out.documents.push(doc),
            Ok(None) => {}
            Err(e) => out.errors.push(e),
        }
    }
    out
}

/// Where a stream's YAML starts: after its byte order mark, if any.
fn body_start(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}

/// Byte ranges of the documents of a stream. A line that starts with `---` or `...` followed by
/// a blank or the line end is a document marker (YAML 1.2 §9.1: such a line can never be content,
/// not even inside a block or quoted scalar), so the stream can be split before parsing and a
/// syntax error stays inside its own document.
pub fn split_documents(text: &str, body_start: usize) -> Vec<(usize, usize)> {
    let mut docs = Vec::new();
    let mut start = body_start;
    let mut pos = body_start;
    let bytes = text.as_bytes();
    while pos < text.len() {
        let line_end = memchr_newline(bytes, pos);
        let line = &text[pos..line_end];
        let is_marker = |m: &str| {
            line.starts_with(m) && line[3..].chars().next().is_none_or(|c| c == ' ' || c == '\t' || c == '\r')
        };
        if is_marker("---") {
            if pos > start {
                docs.push((start, pos));
            }
            start = pos;
        } else if is_marker("...") {
            let next = (line_end + 1).min(text.len());
            docs.push((start, next));
            start = next;
        }
        pos = line_end + 1;
    }
    if start < text.len() {
        docs.push((start, text.len()));
    }
    docs
}

/// One document: by the fast path when it reads it ([`fast`]), else by the general parser.
fn parse_document(
    source: SourceId,
    segment: &str,
    base: u32,
    budget: &Budget,
    interner: &mut Interner,
) -> Result<Option<Document>, YamlError> {
    match fast::parse_document(source, segment, base, budget, interner) {
        Some(document) => Ok(document),
        None => general_or_installed(source, segment, base, budget),
    }
}

/// The general parser: this build's (feature `general-yaml`), else the one installed with
/// [`set_general_parser`], or, until there is one, a [`PENDING`] error (not cached; the caller
/// sees it among the findings, installs a parser and analyses again).
fn general_or_installed(
    source: SourceId,
    segment: &str,
    base: u32,
    budget: &Budget,
) -> Result<Option<Document>, YamlError> {
    #[cfg(feature = "general-yaml")]
    return parse_document_general(source, segment, base, budget);
    #[cfg(not(feature = "general-yaml"))]
    match GENERAL_PARSER.with(Cell::get).and_then(|parse| parse(segment, budget)) {
        Some(mut parsed) => {
            move_parse(&mut parsed, source, 0, base);
            parsed
        }
        None => Err(YamlError { message: PENDING.into(), span: Span::point(source, base) }),
    }
}

/// A general YAML parser supplied by the program: the parse of one document (spans from 0 in
/// source 0, as [`parse_document_general`] gives them), or `None` while it is not available yet.
pub type GeneralParser = fn(segment: &str, budget: &Budget) -> Option<Result<Option<Document>, YamlError>>;

thread_local! {
    static GENERAL_PARSER: Cell<Option<GeneralParser>> = const { Cell::new(None) };
}

/// The message of a document waiting for the general parser (builds without `general-yaml`).
pub const PENDING: &str = "this document uses YAML beyond the quick reader's (anchors, tags, block scalars, flow mappings, multi-line strings, or an error): loading the full YAML parser";

/// Install the general parser for documents the fast path declines, in a build without the
/// `general-yaml` feature (the browser app installs one that calls the JS package).
pub fn set_general_parser(parser: GeneralParser) {
    GENERAL_PARSER.with(|p| p.set(Some(parser)));
}

/// For the tests and the fuzzer: both parsers on every document of `text`, which must agree
/// wherever the fast path answers (same tree, styles and spans; where the general parser reports
/// an error, the fast path must have declined). The number of documents and of those the fast
/// path read, or what differs where.
#[cfg(feature = "general-yaml")]
#[doc(hidden)]
pub fn compare_paths(text: &str, budget: &Budget) -> Result<(usize, usize), String> {
    let (mut documents, mut fast_read) = (0, 0);
    for (start, end) in split_documents(text, body_start(text)) {
        let segment = &text[start..end];
        documents += 1;
        if let Some(fast) = fast::parse_document(0, segment, start as u32, budget, &mut Interner::default()) {
            fast_read += 1;
            let general = parse_document_general(0, segment, start as u32, budget);
            if general != Ok(fast.clone()) {
                return Err(format!(
                    "the paths differ on the document at byte {start}:\n{segment:?}\nfast: {fast:?}\ngeneral: {general:?}"
                ));
            }
        }
    }
    Ok((documents, fast_read))
}

#[cfg(all(test, feature = "general-yaml"))]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParsedSource {
        parse_stream(0, text, &Budget::default())
    }

    #[test]
    fn splits_documents_and_keeps_errors_local() {
        let text = "a: 1\n---\nb: [\n---\nc: 3\n";
        let p = parse(text);
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.errors.len(), 1);
        let c = &p.documents[1].root.entry("c").unwrap().key;
        assert_eq!(&text[c.span.range()], "c");
    }

    #[test]
    fn yaml11_scalars() {
        assert_eq!(resolve_plain("yes"), Typed::Bool(true));
        assert_eq!(resolve_plain("Off"), Typed::Bool(false));
        assert_eq!(resolve_plain("0x1F"), Typed::Int(31));
        assert_eq!(resolve_plain("010"), Typed::Int(8));
        assert_eq!(resolve_plain("1_000"), Typed::Int(1000));
        assert_eq!(resolve_plain("-5"), Typed::Int(-5));
        assert_eq!(resolve_plain("1.5"), Typed::Float(1.5));
        assert_eq!(resolve_plain("99999999999999999999"), Typed::BigInt);
        assert_eq!(resolve_plain("8080/TCP"), Typed::Str("8080/TCP"));
        assert_eq!(resolve_plain("1.2.3.4"), Typed::Str("1.2.3.4"));
        assert_eq!(resolve_plain("~"), Typed::Null);
    }

    #[test]
    fn quoted_scalars_are_strings() {
        let p = parse("a: \"2\"\nb: 'yes'\nc: 2\n");
        let root = &p.documents[0].root;
        assert_eq!(root.get("a").unwrap().typed(), Some(Typed::Str("2")));
        assert_eq!(root.get("b").unwrap().typed(), Some(Typed::Str("yes")));
        assert_eq!(root.get("c").unwrap().typed(), Some(Typed::Int(2)));
    }

    #[test]
    fn bom_crlf_and_json() {
        let p = parse("\u{feff}kind: Service\r\nmetadata:\r\n  name: a\r\n");
        assert_eq!(p.documents.len(), 1, "{:?}", p.errors);
        let p = parse("{\"kind\": \"Service\", \"metadata\": {\"name\": \"a\"}}");
        assert_eq!(p.documents[0].root.get("kind").unwrap().str_value(), Some("Service"));
    }

    #[test]
    fn alias_bomb_is_an_error() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='k' {
            text.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = name;
        }
        let p = parse(&text);
        assert_eq!(p.documents.len(), 0);
        assert!(p.errors[0].message.contains("alias"), "{:?}", p.errors);
    }

    #[test]
    fn merge_keys() {
        let p = parse("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n");
        let m = p.documents[0].root.get("m").unwrap();
        assert_eq!(m.get("x").unwrap().typed(), Some(Typed::Int(1)));
        assert_eq!(m.get("y").unwrap().typed(), Some(Typed::Int(3)));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
        let p = parse(&text);
        assert!(p.documents.is_empty());
        assert_eq!(p.errors.len(), 1);
    }

    #[test]
    fn empty_and_comment_documents_are_skipped() {
        let p = parse("---\n# Source: chart/templates/a.yaml\n---\nkind: A\n---\n");
        assert_eq!(p.documents.len(), 1);
        assert!(p.errors.is_empty());
    }
}

/// Builds without the general parser (the browser app's): the documents the fast path declines
/// wait for an installed parser, and nothing pending is cached.
#[cfg(all(test, not(feature = "general-yaml")))]
mod without_general_parser {
    use super::*;

    #[test]
    fn declined_documents_wait_for_the_installed_parser() {
        let text = "a: 1\n---\nb: &x 2\n";
        let budget = Budget::default();
        let mut cache = DocumentCache::default();
        let p = parse_stream_cached(0, text, &budget, &mut cache);
        assert_eq!(p.documents.len(), 1, "the fast path reads the first document");
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].message, PENDING);
        assert_eq!(p.errors[0].span.start, 5, "at the document's start (its `---` line)");

        // an installed parser answers for the declined document; its spans are moved there
        fn installed(segment: &str, _: &Budget) -> Option<Result<Option<Document>, YamlError>> {
            Some(Err(YamlError { message: format!("read {} bytes", segment.len()), span: Span::point(0, 3) }))
        }
        set_general_parser(installed);
        let p = parse_stream_cached(0, text, &budget, &mut cache);
        assert_eq!(p.errors, vec![YamlError { message: "read 12 bytes".into(), span: Span::point(0, 8) }]);
    }
}
