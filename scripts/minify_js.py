#!/usr/bin/env python3
"""Minify the JS a release build's index.html loads, and fix its integrity hashes (trunk
post_build hook, before csp.py).

Why: trunk's own JS minifier (`minify = "on_release"` minifies the HTML and CSS) fails on
wasm-bindgen's glue (`export default`) and leaves it as is; the glue is the biggest JS of the first
load. terser (installed by scripts/setup.sh) minifies ES modules safely: exports and import paths
are kept. Every script and modulepreload of index.html is minified, then its `integrity`
(subresource integrity, sha384) is recomputed, or the browser would refuse the changed file.

Debug builds (`trunk serve`) are left as they are; without terser on PATH the build goes on
unminified, with a warning. Usage: minify_js.py [DIR]  (defaults to $TRUNK_STAGING_DIR).
"""
import base64, hashlib, os, re, shutil, subprocess, sys

if os.environ.get("TRUNK_PROFILE", "release") != "release":
    sys.exit(0)
terser = shutil.which("terser")
if terser is None:
    print("minify_js: terser not found (scripts/setup.sh installs it): JS left unminified", file=sys.stderr)
    sys.exit(0)
root = sys.argv[1] if len(sys.argv) > 1 else os.environ["TRUNK_STAGING_DIR"]
index = os.path.join(root, "index.html")
html = open(index, encoding="utf-8").read()
before = after = 0


def minified(match):
    """The tag with its JS file minified and its integrity recomputed."""
    global before, after
    tag, href = match.group(0), match.group(2)
    path = os.path.join(root, href.lstrip("/"))
    if not href.endswith(".js") or not os.path.isfile(path):
        return tag
    before += os.path.getsize(path)
    subprocess.run([terser, path, "--module", "--compress", "--mangle", "--output", path], check=True)
    after += os.path.getsize(path)
    digest = base64.b64encode(hashlib.sha384(open(path, "rb").read()).digest()).decode()
    return re.sub(r"integrity=(\"?)sha384-[A-Za-z0-9+/=]+\1", "integrity=sha384-" + digest, tag)


html = re.sub(r"<(?:link|script)\b[^>]*?\b(?:href|src)=(\"?)([^\" >]+)\1[^>]*>", minified, html)
open(index, "w", encoding="utf-8").write(html)
print("minify_js: %d -> %d bytes of JS" % (before, after), file=sys.stderr)
