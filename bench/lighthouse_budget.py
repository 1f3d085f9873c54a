"""Lighthouse budgets of a built city (issue 10, item 7), printed, not asserted.

    .venv/bin/python bench/lighthouse_budget.py SITE_DIR [--runs 3]

Serves SITE_DIR (a built site, e.g. one `bench/city.py --keep` leaves) with Debian's nginx
and gzip on 127.0.0.1, and runs Lighthouse (the pinned npm package, mobile form factor
with its default simulated throttling, all four categories, Debian's Chromium) `--runs`
times on the home page, the first synthetic notice and the first procedure. Prints each
page's median performance score and the other three scores against the budgets:
performance >= 95 (median), best practices, SEO and accessibility 100.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX = os.environ.get("KOHO_NGINX", "/usr/sbin/nginx")
CHROMIUM = os.environ.get("KOHO_CHROMIUM", "/usr/bin/chromium")
BUDGETS = {"performance": 95, "best-practices": 100, "seo": 100, "accessibility": 100}
NGINX_CONFIG = """\
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml application/xml;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        error_page 404 /404.html;
    }}
}}
"""

# argv: Chromium, the report file, the number of runs, then the URLs.
_LIGHTHOUSE_RUN = """
import fs from "node:fs"
import lighthouse from "lighthouse"
import * as chromeLauncher from "chrome-launcher"
const [chromePath, output, runs, ...urls] = process.argv.slice(1)
const chrome = await chromeLauncher.launch({chromePath,
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]})
const reports = []
try {
    for (const url of urls) {
        for (let run = 0; run < Number(runs); run++) {
            const {lhr} = await lighthouse(url, {port: chrome.port, formFactor: "mobile",
                output: "json", logLevel: "error"})
            reports.push({url, error: lhr.runtimeError?.message || null,
                scores: Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, c.score])),
                failed: Object.entries(lhr.audits).filter(([, a]) => a.score === 0 &&
                    a.scoreDisplayMode === "binary").map(([id]) => id),
                tbt: lhr.audits["total-blocking-time"].numericValue,
                lcp: lhr.audits["largest-contentful-paint"].numericValue,
                bytes: lhr.audits["total-byte-weight"].numericValue})
        }
    }
} finally {
    await chrome.kill()
}
fs.writeFileSync(output, JSON.stringify(reports))
"""


def pages(site: Path) -> list[str]:
    """The home page, the first synthetic notice (or first notice) and the first procedure."""
    notices = sorted(site.glob("notices/*/*-bench-*/index.html"))
    notices = notices or sorted(site.glob("notices/*/*/index.html"))
    procedures = sorted(site.glob("procedures/*/index.html"))
    return ["", *(p.parent.relative_to(site).as_posix() + "/" for p in (notices[:1] + procedures[:1]))]


def serve(site: Path, folder: Path, port: int) -> subprocess.Popen:
    (folder / "nginx.conf").write_text(NGINX_CONFIG.format(folder=folder, port=port, site=site.resolve()))
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"nginx did not start:\n{(folder / 'error.log').read_text(errors='replace')}")


def run(site: Path, runs: int) -> list[dict]:
    if not Path(NGINX).exists():
        raise SystemExit(f"nginx not found at {NGINX}: run 'make test' or apt-get install nginx")
    with tempfile.TemporaryDirectory(prefix="koho-lighthouse-") as name:
        folder = Path(name)
        port = free_port()
        server = serve(site, folder, port)
        try:
            report = folder / "report.json"
            urls = [f"http://127.0.0.1:{port}/{path}" for path in pages(site)]
            done = subprocess.run(["node", "--input-type=module", "-e", _LIGHTHOUSE_RUN, CHROMIUM,
                                   str(report), str(runs), *urls], cwd=ROOT, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"Lighthouse failed:\n{done.stderr[-2000:]}")
            reports = json.loads(report.read_text())
        finally:
            server.terminate()
            server.wait()
    for entry in reports:
        entry["url"] = "/" + entry["url"].split("/", 3)[3]
    return reports


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def report(reports: list[dict]) -> None:
    print("| page | performance (median; runs) | best practices | SEO | accessibility | TBT | LCP | bytes |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for url in dict.fromkeys(entry["url"] for entry in reports):
        runs = [entry for entry in reports if entry["url"] == url]
        score = {category: [round(100 * (r["scores"].get(category) or 0)) for r in runs]
                 for category in BUDGETS}
        median = {category: statistics.median(values) for category, values in score.items()}
        flags = {category: "" if median[category] >= budget else " ✗" for category, budget in BUDGETS.items()}
        print(f"| {url} | {median['performance']:.0f}{flags['performance']} "
              f"({', '.join(map(str, score['performance']))}) | "
              + " | ".join(f"{min(score[c])}{' ✗' if min(score[c]) < BUDGETS[c] else ''}"
                           for c in ("best-practices", "seo", "accessibility"))
              + f" | {statistics.median(r['tbt'] for r in runs):.0f} ms"
              f" | {statistics.median(r['lcp'] for r in runs) / 1000:.1f} s"
              f" | {statistics.median(r['bytes'] for r in runs) / 1024:,.0f} KiB |")
        failed = sorted({audit for r in runs for audit in r["failed"]})
        if failed or any(r["error"] for r in runs):
            print(f"|   ↳ failed audits: {', '.join(failed)} {' '.join(r['error'] or '' for r in runs)} |")
    print(f"\nBudgets: performance >= {BUDGETS['performance']} (median), the others {BUDGETS['seo']}; "
          "✗ marks a page under budget.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        sys.exit(f"{args.site}: no index.html; build a site first")
    report(run(args.site, args.runs))


if __name__ == "__main__":
    main()
