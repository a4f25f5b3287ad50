#!/usr/bin/env python3
"""Add a Content-Security-Policy to the built index.html (trunk post_build hook).

The page may load only its own files: scripts from 'self' plus the one inline module script
trunk writes to start the wasm (allowed by its SHA-256 hash), WebAssembly compilation
('wasm-unsafe-eval'), styles from 'self' (inline style attributes allowed for yew's
layout values), images from 'self', data: and blob: (PNG export), and no network beyond
'self'. Usage: csp.py DIR  (defaults to $TRUNK_STAGING_DIR).
"""
import base64, hashlib, os, re, sys

root = sys.argv[1] if len(sys.argv) > 1 else os.environ["TRUNK_STAGING_DIR"]
path = os.path.join(root, "index.html")
html = open(path, encoding="utf-8").read()
hashes = []
for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
    digest = hashlib.sha256(m.group(1).encode("utf-8")).digest()
    hashes.append("'sha256-%s'" % base64.b64encode(digest).decode())
policy = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' " + " ".join(hashes),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
])
meta = '<meta http-equiv="Content-Security-Policy" content="%s" />' % policy
html = re.sub(r'<meta\b[^>]*\bhttp-equiv="?Content-Security-Policy"?[^>]*>\s*', "", html)
# Right after `<meta charset>` (or `<head>`): before any script. trunk's HTML minifier drops the
# optional `<head>` tag, so the charset meta is the anchor in release builds.
anchor = re.search(r"<meta\b[^>]*\bcharset=[^>]*>", html) or re.search(r"<head\b[^>]*>", html)
if anchor is None:
    sys.exit("csp: no <meta charset> or <head> in %s to put the policy after" % path)
html = html[: anchor.end()] + meta + html[anchor.end() :]
open(path, "w", encoding="utf-8").write(html)
print("csp: %d inline script(s) allowed by hash" % len(hashes), file=sys.stderr)
