//! The share link: the input in the URL fragment as `#v1.<base64url of raw deflate>`.
//! The fragment never leaves the browser (it is not sent with requests), so nothing reaches a
//! server. Encoding and decoding are pure apart from the deflate step, which in the browser is
//! its own `CompressionStream` (`deflate.js`, asynchronous: no compressor in the wasm) and in
//! native builds (unit tests) miniz_oxide; the rest reads and writes `location`.

/// The version prefix of the fragment.
pub const PREFIX: &str = "v1.";
/// Largest text a link may expand to (a bomb-shaped link is refused, not inflated).
pub const MAX_TEXT: usize = 8 << 20;

/// `v1.<base64url(deflate-raw(text))>`.
pub async fn encode(text: &str) -> String {
    let packed = raw::deflate(text.as_bytes()).await;
    format!("{PREFIX}{}", base64url_encode(&packed))
}

/// The text of a fragment made by [`encode`] (with or without the leading `#`).
pub async fn decode(fragment: &str) -> Result<String, String> {
    let body = fragment.trim_start_matches('#');
    let Some(data) = body.strip_prefix(PREFIX) else {
        return Err(match body.split_once('.') {
            Some((v, _)) if v.starts_with('v') => format!("this link was made by another version of svcflow ({v})"),
            _ => "this is not a svcflow link".into(),
        });
    };
    let packed = base64url_decode(data).ok_or("the link is damaged (not base64url)")?;
    let bytes = raw::inflate(&packed, MAX_TEXT)
        .await
        .ok_or_else(|| "the link is damaged or too large (cannot inflate it)".to_string())?;
    String::from_utf8(bytes).map_err(|_| "the link is damaged (not UTF-8 text)".into())
}

#[cfg(target_arch = "wasm32")]
mod raw {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/infra/deflate.js")]
    extern "C" {
        #[wasm_bindgen(catch, js_name = deflateRaw)]
        async fn deflate_raw(bytes: &[u8]) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch, js_name = inflateRaw)]
        async fn inflate_raw(bytes: &[u8], limit: f64) -> Result<JsValue, JsValue>;
    }

    pub async fn deflate(bytes: &[u8]) -> Vec<u8> {
        // CompressionStream does not fail on bytes; an empty link is the fallback if it ever did
        deflate_raw(bytes).await.map(|v| js_sys::Uint8Array::new(&v).to_vec()).unwrap_or_default()
    }

    pub async fn inflate(bytes: &[u8], limit: usize) -> Option<Vec<u8>> {
        inflate_raw(bytes, limit as f64).await.ok().map(|v| js_sys::Uint8Array::new(&v).to_vec())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod raw {
    pub async fn deflate(bytes: &[u8]) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec(bytes, 9)
    }

    pub async fn inflate(bytes: &[u8], limit: usize) -> Option<Vec<u8>> {
        miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, limit).ok()
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 §5 base64url, without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n =
            (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..chunk.len() + 1 {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The inverse of [`base64url_encode`] (padding and standard `+/` are accepted too).
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The current fragment, decoded: `None` when there is none (or it is not ours to read).
pub async fn read_location() -> Option<Result<String, String>> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let body = hash.trim_start_matches('#');
    if body.is_empty() {
        return None;
    }
    Some(decode(body).await)
}

/// This page's address with `fragment` (made by [`encode`]).
pub fn share_url(fragment: &str) -> String {
    let base = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default();
    format!("{base}#{fragment}")
}

/// Put `fragment` (made by [`encode`]) in the address bar without a new history entry.
pub fn replace_location(fragment: &str) {
    replace_hash(Some(fragment));
}

/// Drop the fragment (once the text is edited it no longer describes it; a reload must then
/// come back to the edited text in storage, not to the link's text).
pub fn clear_location() {
    replace_hash(None);
}

fn replace_hash(hash: Option<&str>) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else { return };
    let url = match hash {
        Some(h) => format!("{path}{search}#{h}"),
        None => format!("{path}{search}"),
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Whether the address bar carries a fragment.
pub fn has_fragment() -> bool {
    web_sys::window().and_then(|w| w.location().hash().ok()).is_some_and(|h| h.len() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The native deflate never waits: one poll finishes it.
    fn now<F: std::future::Future>(f: F) -> F::Output {
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match std::pin::pin!(f).as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => v,
            std::task::Poll::Pending => panic!("native deflate should not wait"),
        }
    }

    #[test]
    fn base64url_round_trip() {
        for n in 0..40usize {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64url_encode(&bytes);
            assert!(!text.contains(['+', '/', '=']));
            assert_eq!(base64url_decode(&text).unwrap(), bytes);
        }
        assert_eq!(base64url_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url_encode(b"fo"), "Zm8");
    }

    #[test]
    fn fragment_round_trip() {
        let text = "kind: Service\nmetadata:\n  name: wéb 😀\n".repeat(200);
        let f = now(encode(&text));
        assert!(f.starts_with("v1."));
        assert!(f.len() < text.len() / 5);
        assert_eq!(now(decode(&f)).unwrap(), text);
        assert_eq!(now(decode(&format!("#{f}"))).unwrap(), text);
    }

    #[test]
    fn bad_fragments_are_errors() {
        assert!(now(decode("v2.abc")).unwrap_err().contains("another version"));
        assert!(now(decode("hello")).is_err());
        assert!(now(decode("v1.!!!")).is_err());
        assert!(now(decode("v1.AAAA")).is_err());
    }
}
