//! The upstream unit tests' normalisation of restore text (spec §13).
//!
//! Behaviour sources: `sortIPTablesRules` / `orderByCommentServiceName` in
//! `pkg/proxy/iptables/proxier_test.go` and `ParseIPTablesDump` / `ParseRule` /
//! `IPTablesDump.String` in `pkg/util/iptables/testing/parse.go`. The stable sort is
//! Go's `sort.SliceStable` algorithm (insertion-sorted blocks of 20 merged with
//! `symMerge`), reproduced so that even an inconsistent comparison (rules without
//! comments) orders exactly as Go does.

use std::fmt::Write as _;
use svcflow_source::hash::HashMap;

use crate::model::ProxyError;

struct ParsedRule {
    raw: String,
    comment: Option<String>,
    /// The comment up to the first space or `:` (`orderByCommentServiceName`'s key).
    service_key: Option<String>,
}

struct ParsedChain {
    name: String,
    packets: u64,
    bytes: u64,
    rules: Vec<ParsedRule>,
    deleted: bool,
}

struct ParsedTable {
    name: String,
    chains: Vec<ParsedChain>,
}

/// `(?:^|\s)("[^"]*"|[^"]\S*)` over `s`, each match's group with `"` trimmed from both
/// ends (`strings.Trim(match, "\"")`).
fn words(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let is_space = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    // The group at position g: returns its end, if it matches.
    let group = |g: usize| -> Option<usize> {
        if g >= b.len() {
            return None;
        }
        if b[g] == b'"' {
            let close = b[g + 1..].iter().position(|&c| c == b'"')?;
            return Some(g + 1 + close + 1);
        }
        // `[^"]` matches one whole character (UTF-8 aware), then `\S*`.
        let mut e = g + utf8_len(b[g]);
        while e < b.len() && !is_space(b[e]) {
            e += 1;
        }
        Some(e.min(b.len()))
    };
    let mut out = Vec::new();
    let mut pos = 0;
    while pos <= b.len() {
        let mut found = None;
        let mut st = pos;
        while st <= b.len() {
            if st == 0 {
                if let Some(e) = group(0) {
                    found = Some((0, e));
                    break;
                }
            }
            if st < b.len() && is_space(b[st]) {
                if let Some(e) = group(st + 1) {
                    found = Some((st + 1, e));
                    break;
                }
            }
            st += 1;
        }
        let Some((g, e)) = found else { break };
        // Group boundaries are ASCII (`"`, whitespace) or whole characters.
        let w = s.get(g..e).unwrap_or("");
        out.push(w.trim_matches('"'));
        pos = e;
    }
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 1,
    }
}

/// Parameters of `iptablestest.Rule`: (name, takes a value, negatable).
const PARAMS: &[(&str, bool, bool)] = &[
    ("-A", true, false),
    ("--comment", true, false),
    ("-p", true, true),
    ("-s", true, true),
    ("--src-type", true, true),
    ("--sport", true, true),
    ("-d", true, true),
    ("--dst-type", true, true),
    ("--dport", true, true),
    ("--match-set", true, true),
    ("-j", true, false),
    ("--random-fully", false, false),
    ("--probability", true, false),
    ("--to-destination", true, false),
    ("--rcheck", false, true),
    ("--mark", true, true),
    ("--ctstate", true, true),
    ("--name", true, false),
    ("--seconds", true, false),
    ("--set", false, true),
    ("--reap", false, false),
    ("--mode", true, false),
];

/// `ParseRule(rule, false)`: only the comment is kept.
fn parse_rule(line: &str) -> Result<ParsedRule, String> {
    let w = words(line);
    if w.len() < 2 || w[0] != "-A" {
        return Err("bad iptables rule (does not start with \"-A CHAIN\")".into());
    }
    if w.len() < 3 {
        return Err("bad iptables rule (no match rules)".into());
    }
    let mut comment = None;
    let mut negated = false;
    let mut i = 0;
    while i < w.len() {
        if w[i] == "-m" && i < w.len() - 1 {
            i += 2;
            continue;
        }
        if w[i] == "!" {
            negated = true;
            i += 1;
            continue;
        }
        if let Some(&(name, value, negatable)) = PARAMS.iter().find(|p| p.0 == w[i]) {
            if negated && !negatable {
                return Err(format!("cannot negate parameter {name:?}"));
            }
            if value {
                if i == w.len() - 1 {
                    return Err(format!("parameter {name:?} requires an argument"));
                }
                if name == "--comment" {
                    comment = Some(w[i + 1]);
                }
                i += 2;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
        negated = false;
    }
    let service_key = comment.map(|c| match c.find([' ', ':']) {
        Some(i) => c[..i].to_string(),
        None => c.to_string(),
    });
    Ok(ParsedRule { raw: line.to_string(), comment: comment.map(str::to_string), service_key })
}

fn parse_chain_decl(line: &str) -> Option<(String, u64, u64)> {
    // ^:([^ ]*) - \[([0-9]*):([0-9]*)\]$
    let rest = line.strip_prefix(':')?;
    let sp = rest.find(' ')?;
    let name = &rest[..sp];
    let rest = rest[sp..].strip_prefix(" - [")?.strip_suffix(']')?;
    let (a, b) = rest.split_once(':')?;
    if !a.bytes().all(|c| c.is_ascii_digit()) || !b.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((name.to_string(), a.parse().unwrap_or(0), b.parse().unwrap_or(0)))
}

fn parse_dump(data: &str) -> Result<Vec<ParsedTable>, String> {
    #[derive(PartialEq)]
    enum State {
        Table,
        ChainDecls,
        Chains,
    }
    let mut tables: Vec<ParsedTable> = Vec::new();
    // Chain name → index in the current table's `chains` (first declaration wins, as
    // `GetChain` returns the first match).
    let mut index: HashMap<String, usize> = HashMap::default();
    let mut state = State::Table;
    for raw_line in data.trim_matches('\n').split('\n') {
        let line = raw_line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if state == State::Table {
            let name = line.strip_prefix('*').ok_or_else(|| {
                format!(
                    "could not parse iptables data (table {} starts with {line:?} not a table name)",
                    tables.len() + 1
                )
            })?;
            tables.push(ParsedTable { name: name.to_string(), chains: Vec::new() });
            index.clear();
            state = State::ChainDecls;
            continue;
        }
        let t = tables.last_mut().ok_or("no table")?;
        if state == State::ChainDecls {
            if let Some((name, packets, bytes)) = parse_chain_decl(line) {
                index.entry(name.clone()).or_insert(t.chains.len());
                t.chains.push(ParsedChain { name, packets, bytes, rules: Vec::new(), deleted: false });
                continue;
            }
            state = State::Chains;
        }
        if let Some(rest) = line.strip_prefix("-A ") {
            let chain = rest.split(' ').next().unwrap_or("");
            if !rest.contains(' ') {
                return Err(format!("error parsing rule {line:?}"));
            }
            let i = *index.get(chain).ok_or_else(|| format!("error parsing rule {line:?}: no such chain {chain:?}"))?;
            let c = &mut t.chains[i];
            if c.deleted {
                return Err(format!("cannot add rules to deleted chain {chain:?}"));
            }
            c.rules.push(parse_rule(line)?);
        } else if let Some(chain) = line.strip_prefix("-X ") {
            let i = *index.get(chain).ok_or_else(|| format!("error parsing rule {line:?}: no such chain {chain:?}"))?;
            let c = &mut t.chains[i];
            if !c.rules.is_empty() {
                return Err(format!("cannot delete chain {chain:?} after adding rules"));
            }
            c.deleted = true;
        } else if line == "COMMIT" {
            state = State::Table;
        } else {
            return Err(format!("error parsing rule {line:?}"));
        }
    }
    if state != State::Table {
        return Err("could not parse iptables data (no COMMIT line?)".into());
    }
    Ok(tables)
}

/// `orderByCommentServiceName` (false when either rule has no comment).
fn comment_service_less(a: &ParsedRule, b: &ParsedRule) -> bool {
    match (&a.service_key, &b.service_key) {
        (Some(x), Some(y)) => x < y,
        _ => false,
    }
}

/// Go's `sort.Stable` (insertion sort on blocks of 20, then `symMerge`).
fn go_stable_sort<T>(data: &mut [T], less: &dyn Fn(&T, &T) -> bool) {
    let n = data.len();
    let mut block = 20;
    let (mut a, mut b) = (0, block);
    while b <= n {
        insertion_sort(data, a, b, less);
        a = b;
        b += block;
    }
    insertion_sort(data, a, n, less);
    while block < n {
        a = 0;
        b = 2 * block;
        while b <= n {
            sym_merge(data, a, a + block, b, less);
            a = b;
            b += 2 * block;
        }
        let m = a + block;
        if m < n {
            sym_merge(data, a, m, n, less);
        }
        block *= 2;
    }
}

fn insertion_sort<T>(data: &mut [T], a: usize, b: usize, less: &dyn Fn(&T, &T) -> bool) {
    for i in a + 1..b {
        let mut j = i;
        while j > a && less(&data[j], &data[j - 1]) {
            data.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn sym_merge<T>(data: &mut [T], a: usize, m: usize, b: usize, less: &dyn Fn(&T, &T) -> bool) {
    if m - a == 1 {
        let (mut i, mut j) = (m, b);
        while i < j {
            let h = (i + j) / 2;
            if less(&data[h], &data[a]) {
                i = h + 1;
            } else {
                j = h;
            }
        }
        let mut k = a;
        while k + 1 < i {
            data.swap(k, k + 1);
            k += 1;
        }
        return;
    }
    if b - m == 1 {
        let (mut i, mut j) = (a, m);
        while i < j {
            let h = (i + j) / 2;
            if !less(&data[m], &data[h]) {
                i = h + 1;
            } else {
                j = h;
            }
        }
        let mut k = m;
        while k > i {
            data.swap(k, k - 1);
            k -= 1;
        }
        return;
    }
    let mid = (a + b) / 2;
    let n = mid + m;
    let (mut start, mut r) = if m > mid { (n - b, mid) } else { (a, m) };
    let p = n - 1;
    while start < r {
        let c = (start + r) / 2;
        if !less(&data[p - c], &data[c]) {
            start = c + 1;
        } else {
            r = c;
        }
    }
    let end = n - start;
    if start < m && m < end {
        rotate(data, start, m, end);
    }
    if a < start && start < mid {
        sym_merge(data, a, start, mid, less);
    }
    if mid < end && end < b {
        sym_merge(data, mid, end, b, less);
    }
}

fn swap_range<T>(data: &mut [T], a: usize, b: usize, n: usize) {
    for i in 0..n {
        data.swap(a + i, b + i);
    }
}

fn rotate<T>(data: &mut [T], a: usize, m: usize, b: usize) {
    let mut i = m - a;
    let mut j = b - m;
    while i != j {
        if i > j {
            swap_range(data, m - i, m, j);
            i -= j;
        } else {
            swap_range(data, m - i, m + j - i, i);
            j -= i;
        }
    }
    swap_range(data, m - i, m, i);
}

fn chain_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    let rank = |s: &str| match s {
        "KUBE-NODEPORTS" => 0,
        "KUBE-SERVICES" => 1,
        _ if s.starts_with("KUBE-") => 2,
        _ => 3,
    };
    match rank(a).cmp(&rank(b)) {
        Equal => a.cmp(b),
        o => o,
    }
}

/// §13 normalisation; an error when the text is not a restore document the upstream
/// parser accepts.
pub fn try_normalize_iptables(text: &str) -> Result<String, ProxyError> {
    let mut tables = parse_dump(text).map_err(|m| ProxyError::new(format!("iptables text: {m}"), None))?;
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    for t in &mut tables {
        t.chains.sort_by(|a, b| chain_order(&a.name, &b.name));
        for c in &mut t.chains {
            let last_rule = |r: &ParsedRule| r.comment.as_deref().is_some_and(|c| c.contains("must be the last rule"));
            match (t.name.as_str(), c.name.as_str()) {
                ("filter" | "nat", "KUBE-NODEPORTS") | ("filter", "KUBE-SERVICES") => {
                    go_stable_sort(&mut c.rules, &comment_service_less);
                }
                ("nat", "KUBE-SERVICES") => {
                    go_stable_sort(&mut c.rules, &|a: &ParsedRule, b: &ParsedRule| {
                        if last_rule(a) {
                            false
                        } else if last_rule(b) {
                            true
                        } else {
                            comment_service_less(a, b)
                        }
                    });
                }
                _ => {}
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    for t in &tables {
        out.push('*');
        out.push_str(&t.name);
        out.push('\n');
        for c in &t.chains {
            let _ = writeln!(out, ":{} - [{}:{}]", c.name, c.packets, c.bytes);
        }
        for c in &t.chains {
            for r in &c.rules {
                out.push_str(&r.raw);
                out.push('\n');
            }
        }
        for c in t.chains.iter().filter(|c| c.deleted) {
            out.push_str("-X ");
            out.push_str(&c.name);
            out.push('\n');
        }
        out.push_str("COMMIT\n");
    }
    Ok(out)
}

/// §13 normalisation of any restore text: tables by name; chains `KUBE-NODEPORTS`,
/// `KUBE-SERVICES`, other `KUBE-*`, the rest; rules of `KUBE-NODEPORTS` and
/// `KUBE-SERVICES` stably sorted by the comment's service name (the nodeports tail rule
/// last). Text the upstream parser rejects is returned unchanged.
pub fn normalize_iptables(text: &str) -> String {
    try_normalize_iptables(text).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_splitting() {
        assert_eq!(
            words(r#"-A X -m comment --comment "a b:c" -j Y"#),
            vec!["-A", "X", "-m", "comment", "--comment", "a b:c", "-j", "Y"]
        );
        assert_eq!(words("-A X --comment ns1/svc1:p80"), vec!["-A", "X", "--comment", "ns1/svc1:p80"]);
    }

    #[test]
    fn go_stable_matches_std_stable_for_consistent_order() {
        let mut seed = 12345u64;
        for len in 0..200 {
            let mut v: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (((seed >> 33) % 7) as u32, i)
                })
                .collect();
            let mut w = v.clone();
            go_stable_sort(&mut v, &|a: &(u32, usize), b: &(u32, usize)| a.0 < b.0);
            w.sort_by_key(|x| x.0);
            assert_eq!(v, w, "len {len}");
        }
    }

    #[test]
    fn rejects_garbage() {
        assert!(try_normalize_iptables("hello").is_err());
        assert!(try_normalize_iptables("*nat\n-A FOO x\nCOMMIT\n").is_err());
        assert_eq!(normalize_iptables("junk"), "junk");
        assert_eq!(try_normalize_iptables("").unwrap(), "");
    }
}
