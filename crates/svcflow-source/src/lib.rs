//! Source texts and byte spans.
//!
//! Every value svcflow reads keeps a [`Span`]: which input it came from and the byte range
//! inside it. Line and column are never stored; they are computed from a [`LineIndex`]
//! when something is rendered (terminal, JSON, SARIF, the browser editor).

use serde::{Deserialize, Serialize};

/// Hash maps and sets with FxHash, for every crate of the engine: keys are names and numbers
/// from the user's own manifests (no hash-flooding concern), FxHash is several times faster
/// than std's SipHash on short keys, and one hasher keeps the wasm smaller. Build them with
/// `HashMap::default()` (`new()` exists only for std's `RandomState`).
pub mod hash {
    pub type HashMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;
    pub type HashSet<T> = std::collections::HashSet<T, rustc_hash::FxBuildHasher>;
    /// The hasher of both, for tables hashed by hand (`BuildHasher::hash_one`).
    pub use rustc_hash::FxBuildHasher;
}

/// `args` formatted into a string allocated once, at its exact length.
///
/// Why: `format!` sizes its buffer from the template's literal text, so a template such as
/// `"{}/{}"` starts from an empty buffer and reallocates it three or four times while the
/// values are written. In the engine's per-endpoint output (flow graph labels, kube-proxy
/// names) those reallocations were a quarter of all allocations of a large input. Here the text
/// is written into a reused scratch buffer and copied out once.
pub fn format_exact(args: std::fmt::Arguments) -> String {
    use std::cell::RefCell;
    use std::fmt::Write;
    thread_local! {
        static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
    }
    /// Larger scratch buffers are dropped after use rather than kept for the next string.
    const KEEP_SCRATCH_BYTES: usize = 4096;
    if let Some(s) = args.as_str() {
        return s.to_string();
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            // writing to a String cannot fail
            let _ = buf.write_fmt(args);
            let out = String::from(buf.as_str());
            if buf.capacity() > KEEP_SCRATCH_BYTES {
                *buf = String::new();
            }
            out
        }
        // a value whose `Display` formats with this function itself
        Err(_) => std::fmt::format(args),
    })
}

/// The index of the first `\n` at or after `from`, or the length of `bytes`.
///
/// Eight bytes at a time (a word-at-a-time zero-byte test): every line of a pasted cluster dump
/// goes through this twice (the line index, the YAML fast path), and wasm has no `memchr`.
pub fn find_newline(bytes: &[u8], from: usize) -> usize {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    const NEWLINES: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let Some(rest) = bytes.get(from..) else { return bytes.len() };
    let mut chunks = rest.chunks_exact(8);
    let mut base = from;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7]]);
        let x = word ^ NEWLINES; // a zero byte where the text has '\n'
                                 // high bit of each byte set exactly where that byte of x is zero (no false positives)
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        if zero != 0 {
            return base + (zero.trailing_zeros() / 8) as usize;
        }
        base += 8;
    }
    chunks.remainder().iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| base + i)
}

/// Index of a source in the [`Sources`] list given to the engine.
pub type SourceId = u32;

/// A byte range `start..end` inside one source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub source: SourceId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(source: SourceId, start: u32, end: u32) -> Self {
        Span { source, start, end }
    }

    /// A zero-width span at `offset`.
    pub const fn point(source: SourceId, offset: u32) -> Self {
        Span { source, start: offset, end: offset }
    }

    pub fn len(&self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// Smallest span covering both (they must be in the same source).
    pub fn cover(self, other: Span) -> Span {
        Span { source: self.source, start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn contains(&self, offset: u32) -> bool {
        self.start <= offset && offset < self.end.max(self.start + 1)
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One input text (a file, stdin, or the browser editor).
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Shown in diagnostics: a path, `-` for stdin, `input.yaml` in the browser.
    pub name: String,
    pub text: String,
    line_index: LineIndex,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_index = LineIndex::new(&text);
        SourceFile { name: name.into(), text, line_index }
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.line_index
    }

    /// 1-based line and column (in Unicode scalar values) of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.line_index.line_col(&self.text, offset)
    }

    /// The text of the 1-based line `line`, without its line terminator.
    pub fn line_text(&self, line: u32) -> &str {
        self.line_index.line_text(&self.text, line)
    }

    pub fn slice(&self, span: Span) -> &str {
        let end = (span.end as usize).min(self.text.len());
        let start = (span.start as usize).min(end);
        self.text.get(start..end).unwrap_or("")
    }
}

/// All sources of one analysis, indexed by [`SourceId`].
#[derive(Clone, Debug, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
}

impl Sources {
    pub fn new() -> Self {
        Sources::default()
    }

    pub fn single(name: impl Into<String>, text: impl Into<String>) -> Self {
        Sources { files: vec![SourceFile::new(name, text)] }
    }

    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> SourceId {
        self.files.push(SourceFile::new(name, text));
        (self.files.len() - 1) as SourceId
    }

    pub fn get(&self, id: SourceId) -> Option<&SourceFile> {
        self.files.get(id as usize)
    }

    pub fn name(&self, id: SourceId) -> &str {
        self.get(id).map(|f| f.name.as_str()).unwrap_or("<unknown>")
    }

    pub fn slice(&self, span: Span) -> &str {
        self.get(span.source).map(|f| f.slice(span)).unwrap_or("")
    }

    pub fn line_col(&self, span: Span) -> LineCol {
        self.get(span.source).map(|f| f.line_col(span.start)).unwrap_or(LineCol { line: 1, column: 1, utf16_column: 1 })
    }

    pub fn end_line_col(&self, span: Span) -> LineCol {
        self.get(span.source).map(|f| f.line_col(span.end)).unwrap_or(LineCol { line: 1, column: 1, utf16_column: 1 })
    }
}

/// A rendered position: 1-based line, 1-based column counted in Unicode scalar values, and the
/// same column counted in UTF-16 code units (what a browser `<textarea>` selection uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
    pub utf16_column: u32,
}

/// Byte offsets at which each line starts. A line ends at `\n`; a `\r` before it belongs to the
/// terminator, so CRLF input gives the same columns as LF input.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0u32];
        let mut at = 0;
        while at < bytes.len() {
            at = find_newline(bytes, at);
            if at < bytes.len() {
                at += 1;
                starts.push(at as u32);
            }
        }
        LineIndex { starts }
    }

    pub fn line_count(&self) -> u32 {
        self.starts.len() as u32
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: u32) -> u32 {
        match self.starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// Byte offset where the 1-based `line` starts (clamped).
    pub fn line_start(&self, line: u32) -> u32 {
        let i = (line.max(1) - 1) as usize;
        self.starts.get(i).copied().unwrap_or_else(|| *self.starts.last().unwrap_or(&0))
    }

    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = (offset as usize).min(text.len()) as u32;
        let line = self.line_of(offset);
        let start = self.line_start(line) as usize;
        let mut end = offset as usize;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = text.get(start..end).unwrap_or("");
        LineCol {
            line,
            column: prefix.chars().count() as u32 + 1,
            utf16_column: prefix.encode_utf16().count() as u32 + 1,
        }
    }

    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> &'t str {
        if line == 0 || line > self.line_count() {
            return "";
        }
        let start = self.line_start(line) as usize;
        let end = if line < self.line_count() { self.line_start(line + 1) as usize } else { text.len() };
        let s = text.get(start..end).unwrap_or("");
        s.trim_end_matches('\n').trim_end_matches('\r')
    }

    /// Byte offset of a 1-based line and UTF-16 column (the inverse of `line_col`, for the browser).
    pub fn offset_of_utf16(&self, text: &str, line: u32, utf16_column: u32) -> u32 {
        let start = self.line_start(line) as usize;
        let mut units = 1u32;
        for (i, c) in text[start.min(text.len())..].char_indices() {
            if units >= utf16_column || c == '\n' {
                return (start + i) as u32;
            }
            units += c.len_utf16() as u32;
        }
        text.len() as u32
    }
}

/// Byte offset of a UTF-16 code unit index into `text` (browser selections are UTF-16).
pub fn byte_offset_of_utf16(text: &str, utf16_index: u32) -> u32 {
    // Fast path (the browser converts the cursor on every key): up to the index the text is
    // ASCII, one byte per UTF-16 unit.
    let ascii = (utf16_index as usize).min(text.len());
    if text.as_bytes()[..ascii].is_ascii() {
        return ascii as u32;
    }
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16_index {
            return i as u32;
        }
        units += c.len_utf16() as u32;
    }
    text.len() as u32
}

/// UTF-16 code unit index of a byte offset into `text`.
pub fn utf16_index_of_byte(text: &str, offset: u32) -> u32 {
    let mut end = (offset as usize).min(text.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let prefix = &text[..end];
    if prefix.is_ascii() {
        return end as u32;
    }
    prefix.encode_utf16().count() as u32
}

#[cfg(test)]
mod tests {
    #[test]
    fn find_newline_finds_the_first_newline_at_or_after_from() {
        let naive = |b: &[u8], from: usize| b[from..].iter().position(|&c| c == b'\n').map_or(b.len(), |i| from + i);
        // every position of a newline inside and across 8-byte words, bytes next to '\n' in value
        for len in 0..40 {
            for nl in 0..=len {
                let mut text: Vec<u8> = (0..len).map(|i| [b'a', 0x0b, 0x09, 0x8a, 0xff, 0x00][i % 6]).collect();
                if nl < len {
                    text[nl] = b'\n';
                }
                for from in 0..=len {
                    assert_eq!(super::find_newline(&text, from), naive(&text, from), "{text:?} from {from}");
                }
            }
        }
        assert_eq!(super::find_newline(b"ab", 5), 2);
        let index = super::LineIndex::new("a\nbb\n\nccc");
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_start(4), 6);
    }

    #[test]
    fn format_exact_writes_what_format_writes_in_one_allocation() {
        let (name, port) = ("web", 8080);
        let s = super::format_exact(format_args!("{name}:{port} ({})", "http"));
        assert_eq!(s, format!("{name}:{port} ({})", "http"));
        assert_eq!(s.capacity(), s.len());
        assert_eq!(super::format_exact(format_args!("plain")), "plain");
        // re-entrant: a Display that formats with format_exact itself
        struct Nested;
        impl std::fmt::Display for Nested {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&super::format_exact(format_args!("<{}>", 1)))
            }
        }
        assert_eq!(super::format_exact(format_args!("a{}b", Nested)), "a<1>b");
        let long = "x".repeat(10_000);
        assert_eq!(super::format_exact(format_args!("{long}!")).len(), 10_001);
    }

    use super::*;

    #[test]
    fn line_col_counts_chars_and_utf16() {
        let f = SourceFile::new("a", "ab\r\nxé😀z\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1, utf16_column: 1 });
        assert_eq!(f.line_col(4), LineCol { line: 2, column: 1, utf16_column: 1 });
        // 'z' is after x(1) é(2 bytes) 😀(4 bytes)
        let z = f.text.find('z').unwrap() as u32;
        assert_eq!(f.line_col(z), LineCol { line: 2, column: 4, utf16_column: 5 });
        assert_eq!(f.line_text(1), "ab");
        assert_eq!(f.line_text(2), "xé😀z");
        assert_eq!(f.line_text(3), "");
    }

    #[test]
    fn utf16_round_trip() {
        let t = "a😀b";
        for (byte, unit) in [(0, 0), (1, 1), (5, 3), (6, 4)] {
            assert_eq!(utf16_index_of_byte(t, byte), unit);
            assert_eq!(byte_offset_of_utf16(t, unit), byte);
        }
    }

    #[test]
    fn line_of_boundaries() {
        let idx = LineIndex::new("a\nb\n");
        assert_eq!(idx.line_of(0), 1);
        assert_eq!(idx.line_of(1), 1);
        assert_eq!(idx.line_of(2), 2);
        assert_eq!(idx.line_of(4), 3);
    }
}
