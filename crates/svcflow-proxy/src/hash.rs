//! Chain-name hashing.
//!
//! iptables (`pkg/proxy/iptables/proxier.go`, `portProtoHash` and
//! `servicePortEndpointChainName`): `KUBE-XXX-` + the first 16 characters of the
//! standard (RFC 4648, upper-case, padded) Base32 encoding of SHA-256 of the
//! concatenation `svcPortName + protocol [+ endpoint]`, without separators.
//!
//! nftables (`pkg/proxy/nftables/proxier.go`, `hashAndTruncate`): the first 8 Base32
//! characters of the SHA-256 of the readable name, a dash, then the readable name.

use std::fmt;
use std::ops::Deref;

use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 Base32 (standard alphabet, `=` padding), as Go's `base32.StdEncoding`.
pub fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let v = buf.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(ALPHABET[((v >> (35 - 5 * i)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Base32(SHA-256(s)), full 56 characters.
pub fn sha256_base32(s: &str) -> String {
    base32_encode(&Sha256::digest(s.as_bytes()))
}

/// The Base32 encoding of whole 5-byte groups of `bytes` (8 characters each, so no padding
/// is involved): 10 bytes give the 16-character hashes, 5 bytes the 8.
fn base32_groups(bytes: &[u8]) -> impl Iterator<Item = u8> + '_ {
    bytes.chunks_exact(5).flat_map(|group| {
        let v = group.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        (0..8).map(move |i| ALPHABET[((v >> (35 - 5 * i)) & 31) as usize])
    })
}

fn push_base32_groups(out: &mut String, bytes: &[u8]) {
    out.extend(base32_groups(bytes).map(char::from));
}

/// `prefix` + the first 16 characters of Base32(SHA-256 of everything fed to `hasher`).
fn prefixed_h16(prefix: &str, hasher: Sha256) -> String {
    let mut out = String::with_capacity(prefix.len() + 16);
    out.push_str(prefix);
    push_base32_groups(&mut out, &hasher.finalize()[..10]);
    out
}

/// `h16(x)` of the spec (§4): first 16 characters of Base32(SHA-256(x)).
pub fn h16(s: &str) -> String {
    prefixed_h16("", Sha256::new_with_prefix(s))
}

/// The shared 16-character suffix of `KUBE-SVC-`/`KUBE-SVL-`/`KUBE-EXT-`/`KUBE-FW-`.
pub fn port_proto_hash(svc_port_name: &str, protocol_lower: &str) -> String {
    ChainNamer::new(svc_port_name, protocol_lower).port_proto_hash()
}

/// `KUBE-SVC-…` (cluster-policy chain).
pub fn service_chain_name(svc_port_name: &str, protocol_lower: &str) -> String {
    ChainNamer::new(svc_port_name, protocol_lower).chain("KUBE-SVC-")
}

/// `KUBE-SEP-…` for an endpoint identity string (`ip:port`, IPv6 bracketed).
pub fn endpoint_chain_name(svc_port_name: &str, protocol_lower: &str, endpoint: &str) -> String {
    ChainNamer::new(svc_port_name, protocol_lower).endpoint_chain(endpoint)
}

/// The iptables chain names of one service port. Every name hashes a string starting
/// with `svcPortName + protocol`, so that prefix is fed to SHA-256 once and the hasher
/// state is cloned per endpoint instead of concatenating a new input string each time.
pub(crate) struct ChainNamer {
    prefix: Sha256,
}

impl ChainNamer {
    pub fn new(svc_port_name: &str, protocol_lower: &str) -> Self {
        ChainNamer { prefix: Sha256::new_with_prefix(svc_port_name).chain_update(protocol_lower) }
    }

    /// `portProtoHash`: the 16-character suffix shared by the service-level chains.
    pub fn port_proto_hash(&self) -> String {
        prefixed_h16("", self.prefix.clone())
    }

    /// [`ChainNamer::port_proto_hash`] as bytes (ASCII), for [`ChainName`]s.
    pub fn port_proto_hash_ascii(&self) -> [u8; 16] {
        let mut out = [0u8; 16];
        for (o, c) in out.iter_mut().zip(base32_groups(&self.prefix.clone().finalize()[..10])) {
            *o = c;
        }
        out
    }

    /// A service-level chain: `kind_prefix` (`KUBE-SVC-`, `KUBE-SVL-`, …) + the hash.
    pub fn chain(&self, kind_prefix: &str) -> String {
        prefixed_h16(kind_prefix, self.prefix.clone())
    }

    /// `KUBE-SEP-…` for an endpoint identity string (`ip:port`, IPv6 bracketed).
    pub fn endpoint_chain(&self, endpoint: &str) -> String {
        prefixed_h16("KUBE-SEP-", self.prefix.clone().chain_update(endpoint))
    }
}

/// A service-level iptables chain name (`KUBE-SVC-`, `KUBE-SVL-`, `KUBE-EXT-` or `KUBE-FW-`
/// and the port's 16-character hash), stored inline: every service port names four chains
/// and most write one or two, so heap strings would mostly be thrown away.
#[derive(Clone, Copy)]
pub(crate) struct ChainName {
    text: [u8; 25],
    len: u8,
}

impl ChainName {
    /// `kind_prefix` (at most 9 bytes) + the hash of [`ChainNamer::port_proto_hash_ascii`].
    pub fn new(kind_prefix: &'static str, hash: &[u8; 16]) -> ChainName {
        let mut text = [0u8; 25];
        let len = kind_prefix.len() + hash.len();
        text[..kind_prefix.len()].copy_from_slice(kind_prefix.as_bytes());
        text[kind_prefix.len()..len].copy_from_slice(hash);
        ChainName { text, len: len as u8 }
    }

    pub fn as_str(&self) -> &str {
        // ASCII by construction (a fixed prefix and Base32 characters), so never "".
        std::str::from_utf8(&self.text[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl Deref for ChainName {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for ChainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// nftables `hashAndTruncate`: `H8-name`, cut to 237 bytes + `...` when over 240.
pub fn nft_hash_and_truncate(name: &str) -> String {
    const MAX: usize = 240;
    let mut out = String::with_capacity(9 + name.len());
    push_base32_groups(&mut out, &Sha256::digest(name.as_bytes())[..5]);
    out.push('-');
    out.push_str(name);
    if out.len() > MAX {
        let mut cut = MAX - 3;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_vectors() {
        // RFC 4648 §10 test vectors.
        assert_eq!(base32_encode(b""), "");
        assert_eq!(base32_encode(b"f"), "MY======");
        assert_eq!(base32_encode(b"fo"), "MZXQ====");
        assert_eq!(base32_encode(b"foo"), "MZXW6===");
        assert_eq!(base32_encode(b"foob"), "MZXW6YQ=");
        assert_eq!(base32_encode(b"fooba"), "MZXW6YTB");
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI======");
    }

    /// Every row of the §4 table, full Base32 and chain name.
    #[test]
    fn spec_section4_table() {
        let rows = [
            ("ns1/svc1:p80tcp", "XPGD46QRK7WJZT7ONRPOTZ5VR35MJ4TXQWCF6RBTQMVGOUHJFHOQ===="),
            ("ns1/svc1:p80tcp10.180.0.1:80", "SXIVWICOYRO3J4NJO2MUGR3RLFLBB3ESKRV7ETNMFQWED4NOCG6Q===="),
            ("kube-system/kube-dns:dnsudp", "TCOU7JCQXEZGVUNUT4VSXRCTJ3RPLOI7KX6FR3ESNCAGZ5FBLPUA===="),
            ("kube-system/kube-dns:dnsudp10.244.0.5:53", "LPGSDLJ3FDW46N4WHL3SR3GW7VREJMRB32EAGDAOAXJLYMXTLGRA===="),
            ("default/webtcp[fd00:10:244::7]:8080", "VTSQZLZTFEIR6MTFXSENOQA4WFIYBMLJXFYDLPZOHQYJFGAV6WNQ===="),
        ];
        for (input, full) in rows {
            assert_eq!(sha256_base32(input), full, "{input}");
            assert_eq!(h16(input), &full[..16], "{input}");
        }
        assert_eq!(service_chain_name("ns1/svc1:p80", "tcp"), "KUBE-SVC-XPGD46QRK7WJZT7O");
        assert_eq!(endpoint_chain_name("ns1/svc1:p80", "tcp", "10.180.0.1:80"), "KUBE-SEP-SXIVWICOYRO3J4NJ");
        assert_eq!(service_chain_name("kube-system/kube-dns:dns", "udp"), "KUBE-SVC-TCOU7JCQXEZGVUNU");
        assert_eq!(
            endpoint_chain_name("kube-system/kube-dns:dns", "udp", "10.244.0.5:53"),
            "KUBE-SEP-LPGSDLJ3FDW46N4W"
        );
        assert_eq!(endpoint_chain_name("default/web", "tcp", "[fd00:10:244::7]:8080"), "KUBE-SEP-VTSQZLZTFEIR6MTF");
    }

    /// The "More checks" of §4.
    #[test]
    fn spec_section4_more_checks() {
        assert_eq!(service_chain_name("default/kubernetes:https", "tcp"), "KUBE-SVC-NPX46M4PTMTKRN6Y");
        assert_eq!(service_chain_name("kube-system/kube-dns:dns-tcp", "tcp"), "KUBE-SVC-ERIFXISQEP7F7OF4");
        assert_eq!(endpoint_chain_name("ns1/svc1:p80", "tcp", "10.0.0.0:80"), "KUBE-SEP-DKGQUZGBKLTPAR56");
        assert_eq!(port_proto_hash("ns1/svc1:p80", "tcp"), "XPGD46QRK7WJZT7O");
    }

    #[test]
    fn inline_chain_names() {
        let namer = ChainNamer::new("ns1/svc1:p80", "tcp");
        let hash = namer.port_proto_hash_ascii();
        assert_eq!(&hash, b"XPGD46QRK7WJZT7O");
        assert_eq!(ChainName::new("KUBE-SVC-", &hash).as_str(), "KUBE-SVC-XPGD46QRK7WJZT7O");
        for kind in ["KUBE-SVL-", "KUBE-EXT-", "KUBE-FW-"] {
            assert_eq!(ChainName::new(kind, &hash).to_string(), namer.chain(kind));
        }
    }

    #[test]
    fn nft_names() {
        assert_eq!(nft_hash_and_truncate("ns1/svc1/tcp/p80"), "ULMVA6XW-ns1/svc1/tcp/p80");
        assert_eq!(
            nft_hash_and_truncate("ns1/svc1/tcp/p80__10.180.0.1/80"),
            "5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80"
        );
        let long = "x".repeat(300);
        let t = nft_hash_and_truncate(&long);
        assert_eq!(t.len(), 240);
        assert!(t.ends_with("..."));
    }
}
