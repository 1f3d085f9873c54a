"""Benchmark: how long a full build takes, and how much a resident downloads.

    .venv/bin/python bench/build_and_size.py [--runs 3]

Prints the build time (median of runs), the size of each language's pages and
search index, and the bytes a phone fetches for one page view (HTML, CSS, JS,
search index), uncompressed and gzip-compressed.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALES = {"ja": "", "en": "en/", "zh": "zh/", "ko": "ko/", "ja-easy": "ja-easy/"}


def build(site_dir: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "koho.cli", "build", "--site-dir", str(site_dir)],
                   cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - start


def sizes(paths: list[Path]) -> tuple[int, int]:
    raw = sum(path.stat().st_size for path in paths)
    packed = sum(len(gzip.compress(path.read_bytes())) for path in paths)
    return raw, packed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        times = [build(site) for _ in range(runs)]
        print(f"full build (5 languages): median {statistics.median(times):.2f} s over {runs} runs")
        for locale, prefix in LOCALES.items():
            pages = [p for p in (site / prefix).rglob("index.html")
                     if not any(part in LOCALES and part != "ja" for part in
                                p.relative_to(site / prefix).parts) or locale != "ja"]
            html, html_gz = sizes(pages)
            index = site / prefix / "search" / "search_index.json"
            idx, idx_gz = sizes([index])
            print(f"{locale:8} {len(pages):3} pages  html {html / 1024:7.1f} KiB "
                  f"(gzip {html_gz / 1024:6.1f})  search index {idx / 1024:7.1f} KiB "
                  f"(gzip {idx_gz / 1024:6.1f})")
        assets = [p for p in (site / "assets").rglob("*") if p.suffix in (".css", ".js")
                  and "workers" not in p.parts and "lunr" not in p.parts]
        home = site / "index.html"
        raw, packed = sizes([home, *assets])
        print(f"one page view on a phone (home + CSS + JS, before search): "
              f"{raw / 1024:.1f} KiB, gzip {packed / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
