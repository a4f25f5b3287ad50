// Raw deflate (RFC 1951) for the share link (crates/svcflow-web/src/infra/fragment.rs), done by
// the browser's own CompressionStream / DecompressionStream: the app's wasm carries no
// compressor (first-load size). Links made by the earlier Rust encoder (miniz_oxide) are the
// same format and still open.

export async function deflateRaw(bytes) {
  // Blob copies the bytes at once: the wasm memory view may not outlive this call.
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Inflate, refusing output beyond `limit` bytes (a bomb-shaped link); throws on damaged data.
export async function inflateRaw(bytes, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const parts = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new Error("too large");
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
