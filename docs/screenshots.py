"""Render the built documentation site with headless Chromium and save screenshots to look at.

Usage (from the repository root)::

    python docs/screenshots.py                    # builds the site, writes docs-screenshots/*.png
    python docs/screenshots.py --site DIR --out DIR --mathjax PATH/TO/mathjax/es5

It builds the site (``mkdocs build --strict``) unless ``--site`` is given, serves it on a local
port, and screenshots the home page, a tutorial, an API page and the results page (and whatever
``--page`` adds) with ``chromium --headless``.  On a machine without internet the MathJax script
(loaded from a CDN by the site) cannot load and formulas show as TeX source; ``--mathjax`` points
to a local copy of MathJax 3's ``es5`` directory (e.g. ``npm install mathjax@3`` then
``node_modules/mathjax/es5``), copied into the served site in place of the CDN.  Install Chromium
with ``apt-get install -y chromium`` if it is missing.  The PNGs are for a person to look at.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CDN = re.compile(r"https://[^\"']*mathjax@3/es5/tex-mml-chtml\.js")
PAGES = {
    "home": "index.html",
    "tutorial": "tutorials/1-cayley-to-penalty/index.html",
    "tutorial3": "tutorials/3-one-line-penalty/index.html",
    "api-penalties": "reference/penalties/index.html",
    "api-representations": "reference/representations/index.html",
    "results": "results/index.html",
}


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("no Chromium found: install it with `apt-get install -y chromium`")


def _localise_mathjax(site: Path, mathjax: Path) -> None:
    shutil.copytree(mathjax, site / "_mathjax", dirs_exist_ok=True)
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        if CDN.search(text):
            rel = os.path.relpath(site / "_mathjax" / "tex-mml-chtml.js", html.parent)
            html.write_text(CDN.sub(rel, text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--site", type=Path, help="an already built site (default: build one)")
    p.add_argument("--out", type=Path, default=ROOT / "docs-screenshots")
    p.add_argument("--mathjax", type=Path, help="local MathJax 3 es5 directory (offline machines)")
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=2400)
    p.add_argument("--page", action="append", default=[], metavar="NAME=PATH",
                   help="another page, e.g. how-to=how-to/ddp/index.html")
    args = p.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="docs-shots-"))
    site = work / "site"
    if args.site:
        shutil.copytree(args.site, site)
    else:
        env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=ROOT,
                       env=env, check=True)
    if args.mathjax:
        _localise_mathjax(site, args.mathjax)
    pages = dict(PAGES)
    for item in args.page:
        name, _, path = item.partition("=")
        pages[name] = path

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    args.out.mkdir(parents=True, exist_ok=True)
    browser = _chromium()
    try:
        for name, path in pages.items():
            png = args.out / f"{name}.png"
            cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                   f"--window-size={args.width},{args.height}", "--virtual-time-budget=15000",
                   f"--screenshot={png}", f"http://127.0.0.1:{port}/{path}"]
            subprocess.run(cmd, check=True, capture_output=True, timeout=180)
            print(png)
    finally:
        httpd.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
