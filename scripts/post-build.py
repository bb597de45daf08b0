#!/usr/bin/env python3
"""Trunk post-build hook (Trunk.toml): finishes dist/ for a strict, offline-capable page.

- Trunk writes its wasm loader as an inline <script> with a random nonce. The nonce is dropped
  (a static page cannot keep a nonce secret, and it would make builds differ), and the script's
  SHA-256 goes into the Content-Security-Policy instead, in place of 'sha256-LOADER'.
- The widget module (ecs-iam-builder.js) gets the hashed names of the app's JS, wasm and CSS.
- The service worker gets the list of this build's files and a version derived from their
  contents, so a new build replaces the old cache.

Runs on TRUNK_STAGING_DIR (or the directory given as the first argument).
"""
import base64
import hashlib
import os
import re
import sys
from pathlib import Path

staging = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["TRUNK_STAGING_DIR"])


def finish_html(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    html = re.sub(r'\snonce="[^"]*"', "", html)
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    hashes = " ".join(
        "'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode()
        for s in inline
    )
    if "'sha256-LOADER'" in html:
        html = html.replace("'sha256-LOADER'", hashes or "")
    path.write_text(html, encoding="utf-8")


for page in staging.glob("*.html"):
    finish_html(page)


def one(pattern: str) -> str:
    found = sorted(p.name for p in staging.glob(pattern))
    if len(found) != 1:
        sys.exit(f"post-build: expected one {pattern} in {staging}, found {found}")
    return found[0]


widget = staging / "ecs-iam-builder.js"
if widget.exists():
    text = widget.read_text(encoding="utf-8")
    for marker, pattern in [
        ("__ECS_IAM_APP_WASM__", "ecs-iam-app-*_bg.wasm"),
        ("__ECS_IAM_APP_JS__", "ecs-iam-app-*.js"),
        ("__ECS_IAM_APP_CSS__", "style-*.css"),
    ]:
        text = text.replace('"%s"' % marker, '"./%s"' % one(pattern))
    widget.write_text(text, encoding="utf-8")

# The tools' TypeScript declarations are for the npm package, not the page.
for dts in (staging / "tools").glob("*.d.ts"):
    dts.unlink()

files = sorted(
    p.relative_to(staging).as_posix()
    for p in staging.rglob("*")
    if p.is_file() and p.name != "sw.js"
)
digest = hashlib.sha256()
for name in files:
    digest.update(name.encode())
    digest.update((staging / name).read_bytes())
assets = ["./"] + ["./" + f for f in files if f != "index.html"]
sw = staging / "sw.js"
if sw.exists():
    text = sw.read_text(encoding="utf-8")
    text = text.replace('const VERSION = "dev";', 'const VERSION = "%s";' % digest.hexdigest()[:16])
    text = text.replace(
        'const ASSETS = ["./"];',
        "const ASSETS = [%s];" % ", ".join('"%s"' % a for a in assets),
    )
    sw.write_text(text, encoding="utf-8")
