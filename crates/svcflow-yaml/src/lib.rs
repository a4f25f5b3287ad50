//! svcflow's YAML tree (every node keeps its byte span) and the fast path that reads the YAML
//! machines write into it ([`fast`]).
//!
//! Why a crate of its own: it is the hot loop of every analysis (a 30 MB cluster dump is
//! 30 MB of bytes through [`fast::parse_document`], and every decoder and lint rule looks keys up
//! with [`Node::entry`]), and a crate can be optimised for speed while the rest of the browser
//! app is optimised for size: the workspace builds this one crate at `opt-level = 3` (twice as
//! fast as `"z"` here; a few KB of wasm). Everything else about YAML (splitting a stream into
//! documents, the general parser, the document cache, errors) lives in `svcflow_core::yaml`,
//! which re-exports these types.
//!
//! Scalars are typed the way `kubectl` types them: sigs.k8s.io/yaml reads YAML with go-yaml v2,
//! i.e. YAML 1.1 resolution (`yes`/`no`/`on`/`off`/`y`/`n` are booleans; `0x1F` and `0o17` are
//! integers; `~` is null), then converts to JSON.

pub mod fast;

use std::rc::Rc;
use svcflow_source::Span;

/// Limits that keep hostile input from taking the engine down.
#[derive(Clone, Debug, PartialEq)]
pub struct Budget {
    /// Deepest nesting of collections (the parser enforces it; deeper input is an error).
    pub max_depth: usize,
    /// Nodes in one document, counting those produced by alias expansion.
    pub max_nodes_per_document: usize,
    /// Nodes produced by alias expansion in one document (alias bombs).
    pub max_alias_nodes: usize,
    /// Bytes of one document.
    pub max_document_bytes: usize,
    /// Documents in one source.
    pub max_documents: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_depth: 128,
            max_nodes_per_document: 20_000_000,
            max_alias_nodes: 100_000,
            max_document_bytes: 16 * 1024 * 1024,
            max_documents: 100_000,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// Shared: the fast path gives equal scalars of a stream one allocation (see
    /// [`fast::Interner`]); kubectl output repeats the same keys and values thousands of times.
    pub text: Rc<str>,
    pub style: Style,
    /// Core-schema tag suffix given explicitly (`!!str 5`), if any. Not boxed, although tags are
    /// rare: a pointer-sized slot made the tree a quarter smaller natively but the browser's
    /// parse slower (BENCHMARKS.md, sixth run).
    pub tag: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// What a scalar means once YAML 1.1 types are applied (as go-yaml v2 does for kubectl).
#[derive(Clone, Debug, PartialEq)]
pub enum Typed<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer too large for i64 (still a number to the API server, and out of any range).
    BigInt,
    Float(f64),
    Str(&'a str),
}

impl Typed<'_> {
    /// The JSON type name, for messages ("expected a string, found a number").
    pub fn type_name(&self) -> &'static str {
        match self {
            Typed::Null => "null",
            Typed::Bool(_) => "boolean",
            Typed::Int(_) | Typed::BigInt | Typed::Float(_) => "number",
            Typed::Str(_) => "string",
        }
    }
}

impl Scalar {
    pub fn typed(&self) -> Typed<'_> {
        if let Some(tag) = &self.tag {
            return match tag.as_str() {
                "str" | "binary" | "timestamp" => Typed::Str(&self.text),
                "null" => Typed::Null,
                _ => resolve_plain(&self.text),
            };
        }
        match self.style {
            Style::Plain => resolve_plain(&self.text),
            _ => Typed::Str(&self.text),
        }
    }

    pub fn is_plain(&self) -> bool {
        self.style == Style::Plain
    }
}

/// YAML 1.1 resolution of a plain scalar, as go-yaml v2's `resolve.go` does it.
pub fn resolve_plain(text: &str) -> Typed<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Typed::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => return Typed::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Typed::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Typed::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Typed::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Typed::Float(f64::NAN),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return Typed::Str(text);
    }
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    let (neg, digits) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let int = if let Some(hex) = digits.strip_prefix("0x") {
        parse_radix(hex, 16)
    } else if let Some(bin) = digits.strip_prefix("0b") {
        parse_radix(bin, 2)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        parse_radix(oct, 8)
    } else if digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()) {
        parse_radix(&digits[1..], 8)
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        parse_radix(digits, 10)
    } else {
        None
    };
    if let Some(r) = int {
        return match r {
            Ok(v) => Typed::Int(if neg { v.checked_neg().map_or(i64::MIN, |n| n) } else { v }),
            Err(()) => Typed::BigInt,
        };
    }
    // Floats: digits with one '.', optional exponent (YAML 1.1 float regexp, loosely).
    let looks_float = digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.bytes().any(|b| b.is_ascii_digit());
    if looks_float {
        if let Ok(f) = plain.parse::<f64>() {
            return Typed::Float(f);
        }
    }
    Typed::Str(text)
}

/// `Ok(value)`, `Err(())` when the digits are valid but overflow i64, `None` when not digits.
fn parse_radix(digits: &str, radix: u32) -> Option<Result<i64, ()>> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(i64::from_str_radix(digits, radix).map_err(|_| ()))
}

impl Node {
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn typed(&self) -> Option<Typed<'_>> {
        self.as_scalar().map(Scalar::typed)
    }

    pub fn is_null(&self) -> bool {
        matches!(self.typed(), Some(Typed::Null))
    }

    /// The entry of a mapping with this key (later duplicates win, as in go-yaml → JSON).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().rev().find(|e| e.key.as_scalar().is_some_and(|k| *k.text == *key))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The value as a string if it is one (a string typed scalar), for lookups like `kind`.
    pub fn str_value(&self) -> Option<&str> {
        match self.typed()? {
            Typed::Str(s) => Some(s),
            _ => None,
        }
    }

    /// What kind of JSON value this is, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Map(_) => "object",
            Value::Seq(_) => "array",
            Value::Scalar(s) => s.typed().type_name(),
        }
    }
}

/// One YAML document of a source.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The whole document (from its first content line, after any `---`).
    pub span: Span,
    /// Shared: the objects decoded from it and the document cache hold the same tree.
    pub root: Rc<Node>,
}

/// The index of the first `\n` at or after `from`, or the length of `bytes`.
pub use svcflow_source::find_newline as memchr_newline;
