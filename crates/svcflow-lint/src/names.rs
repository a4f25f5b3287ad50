//! Name validation as the API server does it (apimachinery `validation.go`), and the host
//! names found in client strings.

/// DNS-1035 label: `[a-z]([-a-z0-9]*[a-z0-9])?`, at most 63 characters (Service names).
pub fn is_dns1035_label(s: &str) -> bool {
    is_dns1123_label(s) && s.as_bytes()[0].is_ascii_lowercase()
}

/// DNS-1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// DNS-1123 subdomain: dot-separated DNS-1123 labels, at most 253 characters.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(is_dns1123_label)
}

/// IANA service name (a named port): 1–15 characters of `[a-z0-9-]`, at least one letter, no
/// `-` at either end, no `--`.
pub fn is_iana_svc_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 15
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b.iter().any(|c| c.is_ascii_lowercase())
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && !s.contains("--")
}

/// Why `s` is not a DNS-1035 label, in a few words.
pub fn dns1035_problem(s: &str) -> &'static str {
    if s.is_empty() {
        "it is empty"
    } else if s.len() > 63 {
        "it is longer than 63 characters"
    } else if s.contains('.') {
        "it contains a dot"
    } else if s.contains('_') {
        "it contains an underscore"
    } else if s.bytes().any(|c| c.is_ascii_uppercase()) {
        "it contains uppercase letters"
    } else if s.as_bytes()[0].is_ascii_digit() {
        "it starts with a digit"
    } else if s.starts_with('-') || s.ends_with('-') {
        "it starts or ends with `-`"
    } else {
        "it contains characters other than lowercase letters, digits and `-`"
    }
}

/// A host name (with optional port) found in a string, with its byte offset in that string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostRef {
    /// Lowercased, without a trailing dot.
    pub host: String,
    /// Written with a trailing dot (an absolute name: no search list).
    pub absolute: bool,
    /// The port dialled: explicit, or the default of an `http`/`https` URL.
    pub port: Option<u32>,
    /// The port is the URL scheme's default, not written.
    pub default_port: bool,
    /// Where the host starts in the (expanded) string, and its length.
    pub offset: usize,
    pub len: usize,
    /// The token is the whole string (a bare value like `DB_HOST: postgres`).
    pub whole: bool,
    /// Inside a URL (`scheme://host`).
    pub in_url: bool,
}

fn is_host_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'.' || c == b'_'
}

fn is_separator(c: u8) -> bool {
    c.is_ascii_whitespace() || b",;=\"'()[]{}<>|`!*".contains(&c)
}

/// The host names in a string: URLs (`scheme://user@host:port/path`), `host:port` and bare host
/// tokens. Tokens that start like a path or a flag are skipped.
pub fn find_hosts(s: &str) -> Vec<HostRef> {
    let b = s.as_bytes();
    let trimmed = s.trim();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if is_separator(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < b.len() && !is_separator(b[end]) {
            end += 1;
        }
        let token = &s[start..end];
        if let Some(mut h) = host_in_token(token, start) {
            h.whole = h.whole && token == trimmed;
            out.push(h);
        }
        i = end.max(i + 1);
    }
    out
}

fn host_in_token(token: &str, base: usize) -> Option<HostRef> {
    let (rest, rest_base, scheme) = match token.find("://") {
        Some(i) => {
            let scheme = &token[..i];
            // `jdbc:postgresql://` style schemes keep their inner `:`.
            if scheme.is_empty() || !scheme.bytes().all(|c| c.is_ascii_alphanumeric() || b"+-.:".contains(&c)) {
                return None;
            }
            (&token[i + 3..], base + i + 3, Some(scheme.to_ascii_lowercase()))
        }
        None => (token, base, None),
    };
    // The authority ends at the path, query or fragment.
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if scheme.is_none() && auth_end == 0 {
        return None; // a path
    }
    let authority = &rest[..auth_end];
    // userinfo (only inside URLs; a bare token was already split at `@`)
    let (authority, auth_base) = match authority.rfind('@') {
        Some(i) => (&authority[i + 1..], rest_base + i + 1),
        None => (authority, rest_base),
    };
    let ab = authority.as_bytes();
    let mut h = 0;
    while h < ab.len() && is_host_char(ab[h]) {
        h += 1;
    }
    let host = &authority[..h];
    let after = &authority[h..];
    let port = if after.is_empty() {
        None
    } else if let Some(p) = after.strip_prefix(':') {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        p.parse::<u32>().ok()
    } else {
        return None;
    };
    if scheme.is_none() && auth_end < rest.len() && port.is_none() && !host.contains('.') {
        // `word/more`: a path-like token, not a host.
        return None;
    }
    let (name, absolute) = match host.strip_suffix('.') {
        Some(n) => (n, true),
        None => (host, false),
    };
    if !is_host_shape(name) {
        return None;
    }
    let bare = scheme.is_none() && host.len() == token.len();
    let default_port = port.is_none();
    let port = port.or(match scheme.as_deref() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    });
    Some(HostRef {
        host: name.to_ascii_lowercase(),
        absolute,
        default_port: default_port && port.is_some(),
        port,
        offset: auth_base,
        len: name.len(),
        whole: bare,
        in_url: scheme.is_some(),
    })
}

/// Dot-separated labels of letters, digits and `-` (not starting or ending with `-`), and at
/// least one letter somewhere (so `10.0.0.1` and `1.5` are not host names).
fn is_host_shape(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.bytes().any(|c| c.is_ascii_alphabetic())
        && s.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators() {
        assert!(is_dns1035_label("web-1"));
        assert!(!is_dns1035_label("1web"));
        assert!(is_dns1123_label("1web"));
        assert!(!is_dns1123_label("Web"));
        assert!(!is_dns1123_label("a_b"));
        assert!(is_dns1123_subdomain("db.example.com"));
        assert!(!is_dns1123_subdomain("https://db.example.com"));
        assert!(!is_dns1123_subdomain("db.example.com:5432"));
        assert!(is_iana_svc_name("http-alt"));
        assert!(!is_iana_svc_name("8080"));
        assert!(!is_iana_svc_name("http--alt"));
        assert!(!is_iana_svc_name("a-very-long-port-name"));
    }

    fn hosts(s: &str) -> Vec<(String, Option<u32>, bool)> {
        find_hosts(s).into_iter().map(|h| (h.host, h.port, h.whole)).collect()
    }

    #[test]
    fn finds_hosts() {
        assert_eq!(hosts("postgres"), vec![("postgres".into(), None, true)]);
        assert_eq!(hosts("http://api:8080/v1"), vec![("api".into(), Some(8080), false)]);
        assert_eq!(
            hosts("https://api.shop.svc.cluster.local/x"),
            vec![("api.shop.svc.cluster.local".into(), Some(443), false)]
        );
        assert_eq!(hosts("postgres://u:p@db:5432/app"), vec![("db".into(), Some(5432), false)]);
        assert_eq!(hosts("--upstream=cache:6379"), vec![("cache".into(), Some(6379), false)]);
        assert_eq!(hosts("a:1,b:2"), vec![("a".into(), Some(1), false), ("b".into(), Some(2), false)]);
        assert!(hosts("/etc/config").is_empty());
        assert!(hosts("10.0.0.1:80").is_empty());
        assert!(hosts("redis:latest").is_empty());
        assert!(hosts("config/app").is_empty());
        assert_eq!(hosts("redis://cache")[0].1, None);
        assert_eq!(hosts("jdbc:postgresql://db:5432/app"), vec![("db".into(), Some(5432), false)]);
        assert_eq!(hosts("mongodb://u:p@m-0.mongo,m-1.mongo:27017/x")[0].0, "m-0.mongo");
        assert!(hosts("--metrics-bind-address=:8080").is_empty());
        assert!(hosts("-Dserver.port=8080").is_empty());
    }
}
