//! Go-compatible IP and CIDR handling.
//!
//! kube-proxy parses every address with `k8s.io/utils/net`'s `ParseIPSloppy` /
//! `ParseCIDRSloppy`, which are forks of the Go 1.16 `net.ParseIP` / `net.ParseCIDR`
//! (before Go 1.17 started rejecting IPv4 octets with leading zeros), and prints them
//! with Go's `net.IP.String()` / `net.IPNet.String()`. This module re-implements the
//! observable behaviour (written from the documented semantics, not copied):
//!
//! * IPv4 octets are decimal with any number of leading zeros (`010.001.0.09` is
//!   `10.1.0.9`);
//! * IPv6 groups are hex, `::` expands, a trailing dotted IPv4 part is allowed;
//! * IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) *are* IPv4 for Go (`To4() != nil`):
//!   they print dotted and count as the IPv4 family;
//! * IPv6 prints RFC 5952 style: lower-case hex, the first longest run of two or more
//!   zero groups replaced by `::`;
//! * a CIDR is masked to its network address and printed `network/prefix`.

use std::fmt;

/// An IP family (one kube-proxy "proxier" per family).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum IpFamily {
    #[default]
    V4,
    V6,
}

impl IpFamily {
    /// `IPv4` / `IPv6`, the Kubernetes API spelling (`spec.ipFamilies`, `addressType`).
    pub fn api_name(self) -> &'static str {
        match self {
            IpFamily::V4 => "IPv4",
            IpFamily::V6 => "IPv6",
        }
    }
}

/// A parsed IP address. IPv4-mapped IPv6 addresses are stored as [`Ip::V4`], as Go does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ip {
    V4([u8; 4]),
    V6([u8; 16]),
}

/// Go's `big` sentinel in `dtoi`/`xtoi` (`0xFFFFFF`).
const BIG: u32 = 0x00FF_FFFF;

/// Decimal prefix of `s`: (value, bytes consumed, ok). Mirrors Go's `dtoi`.
fn dtoi(s: &[u8]) -> (u32, usize, bool) {
    let mut n: u32 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        n = n * 10 + u32::from(s[i] - b'0');
        if n >= BIG {
            return (BIG, i, false);
        }
        i += 1;
    }
    if i == 0 {
        return (0, 0, false);
    }
    (n, i, true)
}

/// Hex prefix of `s`: (value, bytes consumed, ok). Mirrors Go's `xtoi`.
fn xtoi(s: &[u8]) -> (u32, usize, bool) {
    let mut n: u32 = 0;
    let mut i = 0;
    while i < s.len() {
        let d = match s[i] {
            b'0'..=b'9' => s[i] - b'0',
            b'a'..=b'f' => s[i] - b'a' + 10,
            b'A'..=b'F' => s[i] - b'A' + 10,
            _ => break,
        };
        n = n * 16 + u32::from(d);
        if n >= BIG {
            return (0, i, false);
        }
        i += 1;
    }
    if i == 0 {
        return (0, 0, false);
    }
    (n, i, true)
}

fn parse_v4_bytes(s: &[u8]) -> Option<[u8; 4]> {
    let mut p = [0u8; 4];
    let mut s = s;
    for (i, octet) in p.iter_mut().enumerate() {
        if s.is_empty() {
            return None;
        }
        if i > 0 {
            if s[0] != b'.' {
                return None;
            }
            s = &s[1..];
        }
        let (n, c, ok) = dtoi(s);
        if !ok || n > 0xFF {
            return None;
        }
        s = &s[c..];
        *octet = n as u8;
    }
    if !s.is_empty() {
        return None;
    }
    Some(p)
}

fn parse_v6_bytes(s: &[u8]) -> Option<[u8; 16]> {
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    let mut s = s;
    if s.len() >= 2 && s[0] == b':' && s[1] == b':' {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Some(ip);
        }
    }
    let mut i = 0usize;
    while i < 16 {
        let (n, c, ok) = xtoi(s);
        if !ok || n > 0xFFFF {
            return None;
        }
        if c < s.len() && s[c] == b'.' {
            if ellipsis.is_none() && i != 12 {
                return None;
            }
            if i + 4 > 16 {
                return None;
            }
            let v4 = parse_v4_bytes(s)?;
            ip[i..i + 4].copy_from_slice(&v4);
            s = &[];
            i += 4;
            break;
        }
        ip[i] = (n >> 8) as u8;
        ip[i + 1] = n as u8;
        i += 2;
        s = &s[c..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' || s.len() == 1 {
            return None;
        }
        s = &s[1..];
        if s[0] == b':' {
            if ellipsis.is_some() {
                return None;
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return None;
    }
    if i < 16 {
        let e = ellipsis?;
        let n = 16 - i;
        let mut j = i;
        while j > e {
            j -= 1;
            ip[j + n] = ip[j];
        }
        for b in ip.iter_mut().skip(e).take(n) {
            *b = 0;
        }
    } else if ellipsis.is_some() {
        return None;
    }
    Some(ip)
}

fn v4_mapped(b: &[u8; 16]) -> Option<[u8; 4]> {
    if b[..10].iter().all(|&x| x == 0) && b[10] == 0xff && b[11] == 0xff {
        Some([b[12], b[13], b[14], b[15]])
    } else {
        None
    }
}

impl Ip {
    /// `ParseIPSloppy`: `None` where Go returns `nil`.
    pub fn parse_sloppy(s: &str) -> Option<Ip> {
        let b = s.as_bytes();
        for &c in b {
            match c {
                b'.' => return parse_v4_bytes(b).map(Ip::V4),
                b':' => {
                    let v6 = parse_v6_bytes(b)?;
                    return Some(match v4_mapped(&v6) {
                        Some(v4) => Ip::V4(v4),
                        None => Ip::V6(v6),
                    });
                }
                _ => {}
            }
        }
        None
    }

    pub fn family(&self) -> IpFamily {
        match self {
            Ip::V4(_) => IpFamily::V4,
            Ip::V6(_) => IpFamily::V6,
        }
    }

    /// Go's `IP.IsLoopback`: 127.0.0.0/8 or `::1`.
    pub fn is_loopback(&self) -> bool {
        match self {
            Ip::V4(b) => b[0] == 127,
            Ip::V6(b) => b[..15].iter().all(|&x| x == 0) && b[15] == 1,
        }
    }

    /// IPv6 link-local unicast (fe80::/10) or IPv4 169.254/16.
    pub fn is_link_local_unicast(&self) -> bool {
        match self {
            Ip::V4(b) => b[0] == 169 && b[1] == 254,
            Ip::V6(b) => b[0] == 0xfe && (b[1] & 0xc0) == 0x80,
        }
    }

    fn bytes16(&self) -> [u8; 16] {
        match self {
            Ip::V4(b) => {
                let mut r = [0u8; 16];
                r[10] = 0xff;
                r[11] = 0xff;
                r[12..].copy_from_slice(b);
                r
            }
            Ip::V6(b) => *b,
        }
    }

    /// `to_string()`, with one exactly sized allocation and no formatting machinery for
    /// IPv4 (the common case, once per endpoint).
    pub fn to_text(self) -> String {
        match self {
            Ip::V4(b) => V4Text::new(&b).as_str().to_owned(),
            Ip::V6(_) => self.to_string(),
        }
    }

    /// Numeric value for ordering (IPv4 as the low 32 bits).
    pub fn to_u128(self) -> u128 {
        match self {
            Ip::V4(b) => u128::from(u32::from_be_bytes(b)),
            Ip::V6(b) => u128::from_be_bytes(b),
        }
    }
}

impl fmt::Display for Ip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ip::V4(b) => f.write_str(V4Text::new(b).as_str()),
            Ip::V6(p) => {
                // Longest run of zero groups (first one wins ties), only if >= 2 groups.
                let mut e0: isize = -1;
                let mut e1: isize = -1;
                let mut i = 0usize;
                while i < 16 {
                    let mut j = i;
                    while j < 16 && p[j] == 0 && p[j + 1] == 0 {
                        j += 2;
                    }
                    if j > i && (j - i) as isize > e1 - e0 {
                        e0 = i as isize;
                        e1 = j as isize;
                        i = j;
                    }
                    i += 2;
                }
                if e1 - e0 <= 2 {
                    e0 = -1;
                    e1 = -1;
                }
                let mut i = 0usize;
                while i < 16 {
                    if i as isize == e0 {
                        f.write_str("::")?;
                        i = e1 as usize;
                        if i >= 16 {
                            break;
                        }
                    } else if i > 0 {
                        f.write_str(":")?;
                    }
                    write!(f, "{:x}", (u16::from(p[i]) << 8) | u16::from(p[i + 1]))?;
                    i += 2;
                }
                Ok(())
            }
        }
    }
}

/// The dotted-quad text of an IPv4 address, built on the stack: addresses are printed
/// once or twice per endpoint, and `write!` with four arguments costs several times more
/// than the digits themselves.
struct V4Text {
    buf: [u8; 15],
    len: usize,
}

impl V4Text {
    fn new(octets: &[u8; 4]) -> Self {
        let mut text = V4Text { buf: [0; 15], len: 0 };
        for (i, &octet) in octets.iter().enumerate() {
            if i > 0 {
                text.push(b'.');
            }
            if octet >= 100 {
                text.push(b'0' + octet / 100);
            }
            if octet >= 10 {
                text.push(b'0' + octet / 10 % 10);
            }
            text.push(b'0' + octet % 10);
        }
        text
    }

    fn push(&mut self, byte: u8) {
        self.buf[self.len] = byte;
        self.len += 1;
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and dots were written, so this never falls back.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

/// Append the decimal form of `n` to `out` (what `{n}` prints, without the formatting
/// machinery: ports and counts are written once per rule).
pub(crate) fn push_decimal(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut v = n.unsigned_abs();
    let mut buf = [0u8; 20];
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    out.extend(buf[start..].iter().map(|&d| d as char));
}

/// A parsed, masked CIDR (`net.IPNet` as produced by `ParseCIDRSloppy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cidr {
    pub net: Ip,
    pub prefix: u8,
}

fn mask_bytes<const N: usize>(b: &[u8; N], prefix: u8) -> [u8; N] {
    let mut out = *b;
    for (i, byte) in out.iter_mut().enumerate() {
        let bits_before = (i * 8) as u32;
        let p = u32::from(prefix);
        if p >= bits_before + 8 {
            continue;
        }
        if p <= bits_before {
            *byte = 0;
        } else {
            let keep = p - bits_before;
            *byte &= 0xffu8 << (8 - keep);
        }
    }
    out
}

impl Cidr {
    /// `ParseCIDRSloppy`: `None` where Go returns an error.
    pub fn parse_sloppy(s: &str) -> Option<Cidr> {
        let slash = s.find('/')?;
        let (addr, mask) = (&s.as_bytes()[..slash], &s.as_bytes()[slash + 1..]);
        let (n, c, ok) = dtoi(mask);
        if let Some(v4) = parse_v4_bytes(addr) {
            if !ok || c != mask.len() || n > 32 {
                return None;
            }
            let prefix = n as u8;
            return Some(Cidr { net: Ip::V4(mask_bytes(&v4, prefix)), prefix });
        }
        let v6 = parse_v6_bytes(addr)?;
        if !ok || c != mask.len() || n > 128 {
            return None;
        }
        let prefix = n as u8;
        let masked = mask_bytes(&v6, prefix);
        // Go prints (and classifies) a masked IPv4-mapped network as IPv4.
        if prefix >= 96 {
            if let Some(v4) = v4_mapped(&masked) {
                return Some(Cidr { net: Ip::V4(v4), prefix: prefix - 96 });
            }
        }
        Some(Cidr { net: Ip::V6(masked), prefix })
    }

    pub fn family(&self) -> IpFamily {
        self.net.family()
    }

    /// `IPNet.Contains`: only addresses of the same family can match.
    pub fn contains(&self, ip: &Ip) -> bool {
        match (&self.net, ip) {
            (Ip::V4(n), Ip::V4(a)) => mask_bytes(a, self.prefix) == *n,
            (Ip::V6(n), Ip::V6(a)) => mask_bytes(a, self.prefix) == *n,
            _ => false,
        }
    }

    /// `proxyutil.IsZeroCIDR`: prefix length 0.
    pub fn is_zero(&self) -> bool {
        self.prefix == 0
    }

    #[allow(dead_code)]
    pub(crate) fn net_bytes16(&self) -> [u8; 16] {
        self.net.bytes16()
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.net, self.prefix)
    }
}

/// `net.JoinHostPort(ip, port)`: brackets when the host contains a colon.
pub fn join_host_port(host: &str, port: i32) -> String {
    // Sized for the host, brackets, colon and a five-digit port: one allocation.
    let mut out = String::with_capacity(host.len() + 8);
    if host.contains(':') {
        out.push('[');
        out.push_str(host);
        out.push(']');
    } else {
        out.push_str(host);
    }
    out.push(':');
    push_decimal(&mut out, i64::from(port));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<String> {
        Ip::parse_sloppy(s).map(|i| i.to_string())
    }

    #[test]
    fn sloppy_ipv4() {
        assert_eq!(p("172.30.0.041").as_deref(), Some("172.30.0.41"));
        assert_eq!(p("10.180.00.001").as_deref(), Some("10.180.0.1"));
        assert_eq!(p("0000010.1.2.3").as_deref(), Some("10.1.2.3"));
        assert_eq!(p("256.1.1.1"), None);
        assert_eq!(p("1.2.3"), None);
        assert_eq!(p("1.2.3.4.5"), None);
        assert_eq!(p("1.2.3.4:80"), None);
        assert_eq!(p(" 1.2.3.4"), None);
        assert_eq!(p("1.2.3.-4"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("abc"), None);
        assert_eq!(p("99999999999999999999.1.1.1"), None);
    }

    #[test]
    fn ipv6_format() {
        assert_eq!(p("fd00:10:244:1::0005").as_deref(), Some("fd00:10:244:1::5"));
        assert_eq!(p("FD00::1").as_deref(), Some("fd00::1"));
        assert_eq!(p("::").as_deref(), Some("::"));
        assert_eq!(p("::1").as_deref(), Some("::1"));
        assert_eq!(p("1::").as_deref(), Some("1::"));
        assert_eq!(p("1:0:0:2:0:0:0:3").as_deref(), Some("1:0:0:2::3"));
        assert_eq!(p("1:0:0:2:0:0:3:4").as_deref(), Some("1::2:0:0:3:4"));
        assert_eq!(p("1:0:2:3:4:5:6:7").as_deref(), Some("1:0:2:3:4:5:6:7"));
        assert_eq!(p("::ffff:1.2.3.4").as_deref(), Some("1.2.3.4"));
        assert_eq!(Ip::parse_sloppy("::ffff:1.2.3.4").map(|i| i.family()), Some(IpFamily::V4));
        assert_eq!(p("::1.2.3.4").as_deref(), Some("::102:304"));
        assert_eq!(p("1:2:3:4:5:6:7:8:9"), None);
        assert_eq!(p("1::2::3"), None);
        assert_eq!(p("1:2:3:4:5:6:7:8::"), None);
        assert_eq!(p("fe80::1%eth0"), None);
        assert_eq!(p(":"), None);
        assert_eq!(p(":::"), None);
        assert_eq!(p("00001::1").as_deref(), Some("1::1"));
    }

    #[test]
    fn decimal_and_host_port() {
        for n in [0i64, 7, 10, 99, 100, 65535, -1, -80, i64::from(i32::MIN), i64::from(i32::MAX), i64::MIN, i64::MAX] {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
        assert_eq!(join_host_port("10.0.0.1", 80), "10.0.0.1:80");
        assert_eq!(join_host_port("fd00::1", 8080), "[fd00::1]:8080");
        assert_eq!(join_host_port("10.0.0.1", -5), "10.0.0.1:-5");
        for b in [[0, 0, 0, 0], [255, 255, 255, 255], [10, 9, 100, 1], [1, 20, 199, 250]] {
            assert_eq!(Ip::V4(b).to_string(), std::net::Ipv4Addr::from(b).to_string());
            assert_eq!(Ip::V4(b).to_text(), std::net::Ipv4Addr::from(b).to_string());
        }
    }

    #[test]
    fn cidrs() {
        let c = |s: &str| Cidr::parse_sloppy(s).map(|c| c.to_string());
        assert_eq!(c("203.0.113.000/025").as_deref(), Some("203.0.113.0/25"));
        assert_eq!(c("192.168.1.5/24").as_deref(), Some("192.168.1.0/24"));
        assert_eq!(c("10.0.0.0/8").as_deref(), Some("10.0.0.0/8"));
        assert_eq!(c("fd00:10::/64").as_deref(), Some("fd00:10::/64"));
        assert_eq!(c("fd00:10::7/32").as_deref(), Some("fd00:10::/32"));
        assert_eq!(c("fd00:10::7/16").as_deref(), Some("fd00::/16"));
        assert_eq!(c("::ffff:1.2.3.4/120").as_deref(), Some("1.2.3.0/24"));
        assert_eq!(c("0.0.0.0/0").as_deref(), Some("0.0.0.0/0"));
        assert_eq!(c("1.2.3.4/33"), None);
        assert_eq!(c("1.2.3.4"), None);
        assert_eq!(c("1.2.3.4/"), None);
        assert_eq!(c("1.2.3.4/8/9"), None);
        assert_eq!(c(" 1.2.3.4/8"), None);
        let n = Cidr::parse_sloppy("203.0.113.0/25").unwrap();
        assert!(n.contains(&Ip::parse_sloppy("203.0.113.2").unwrap()));
        assert!(!n.contains(&Ip::parse_sloppy("203.0.113.130").unwrap()));
        assert!(!n.contains(&Ip::parse_sloppy("::1").unwrap()));
    }
}
