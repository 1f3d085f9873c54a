"""Pagefind evaluation (issue 10, item 3): what one query downloads, and what it finds.

Not part of the build: Pagefind comes from npm (`npm install pagefind@1.6.0` in a scratch
folder, which ships the extended binary for Japanese and Chinese). On a built site:

    .venv/bin/python bench/pagefind_eval.py mark SITE      # data-pagefind-body on translated pages
    npx pagefind --site SITE
    .venv/bin/python bench/pagefind_eval.py query SITE ja:図書館 ja:新幹線 en:smartphone

`query` opens a fresh Chromium context per query, loads Pagefind's API, searches, loads the
data of the first five results, and prints the results and the bytes of every Pagefind file
fetched (the worker's fetches included), split into index chunks, fragments and the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ARTICLE = '<article class="md-content__inner md-typeset">'
SEARCH = """async ([query, lang]) => {
  document.documentElement.lang = lang
  const pagefind = await import("/pagefind/pagefind.js")
  await pagefind.options({ baseUrl: "/" })
  await pagefind.init()
  const found = await pagefind.search(query)
  const data = await Promise.all(found.results.slice(0, 5).map(result => result.data()))
  return { results: found.results.length, top: data.slice(0, 3).map(d => d.url) }
}"""


def mark(site: Path) -> int:
    """Index only the article of pages written in their language (not fallback pages)."""
    marked = 0
    for page in site.rglob("*.html"):
        html = page.read_text("utf-8")
        if 'class="koho-untranslated"' in html or ARTICLE not in html:
            continue
        page.write_text(html.replace(ARTICLE, ARTICLE[:-1] + " data-pagefind-body>", 1), "utf-8")
        marked += 1
    return marked


class Quiet(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript"}

    def log_message(self, format: str, *args: object) -> None:
        pass


def record(fetched: list[tuple[str, int]], request) -> None:
    fetched.append((request.url, request.sizes()["responseBodySize"]))


def query(site: Path, queries: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    (site / "pagefind-eval.html").write_text(
        '<!doctype html><html lang="ja"><meta charset="utf-8"><title>Pagefind</title><body></body></html>')
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("KOHO_CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox"])
        for item in queries:
            lang, _, text = item.partition(":")
            context = browser.new_context()
            fetched: list[tuple[str, int]] = []
            context.on("requestfinished", partial(record, fetched))
            page = context.new_page()
            page.goto(url + "pagefind-eval.html")
            found = page.evaluate(SEARCH, [text, lang])
            files = [(name, size) for name, size in fetched if "/pagefind/" in name]
            index = sum(size for name, size in files if "/index/" in name)
            fragments = sum(size for name, size in files if "/fragment/" in name)
            total = sum(size for _, size in files)
            print(json.dumps({"query": text, "lang": lang, **found, "bytes": total, "index": index,
                              "fragments": fragments, "fixed": total - index - fragments},
                             ensure_ascii=False))
            context.close()
        browser.close()
    server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["mark", "query"])
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="*", help="language:query, e.g. ja:図書館")
    args = parser.parse_args()
    if args.command == "mark":
        print(f"marked {mark(args.site)} pages")
    else:
        query(args.site, args.queries)


if __name__ == "__main__":
    main()
