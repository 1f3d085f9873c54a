"""make a11y: check every page of every language at phone and desktop widths.

- axe-core in Chromium, WCAG 2.0/2.1/2.2 A and AA rules plus best practices;
- pa11y-ci with its htmlcs and axe runners (standard WCAG2AA) over the sitemap;
- Lighthouse (mobile) accessibility score on sample pages;
- the checks tools cannot make (tests/a11y_checks.py): skip link, keyboard and
  visible focus, reflow at 320 px, text at 200%, target size, languages.

Writes accessibility-results.json (read by the build for the 試験結果 page), prints
what was checked and every problem, and exits 1 if there was any.
Run: .venv/bin/python tests/a11y_audit.py [--output FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import a11y_checks
from conftest import (
    BUILD_TIME,
    CHROMIUM,
    CHROMIUM_ARGS,
    LANG_TAGS,
    LOCALES,
    QuietHandler,
    build_site,
    free_port,
)
from koho.a11y_report import RESULTS_FILE, criterion_of_axe_tag, criterion_of_htmlcs_code

ROOT = Path(__file__).resolve().parents[1]
NODE_BIN = ROOT / "node_modules" / ".bin"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = {375: 667, 1280: 800}
WORKERS = 2
LIGHTHOUSE_PAGES = ["", "policy/1-approach/", "notices/2026/10-05-open-data/",
                    "procedures/residence-certificate/"]
LIGHTHOUSE_LOCALES = ["ja", "en"]

# Rules that do not apply to one element, each with the reason (shown on the results
# page from the translation key a11y.ignored.<id>). Nothing else is ever ignored.
IGNORED = [
    {"id": "search_form", "rule": "WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2",
     "element": 'form.md-search__form',
     "match": '<form class="md-search__form"',
     # Material's search form shows results as the reader types and never submits:
     # no input changes the context, so a submit button would do nothing (SC 3.2.2).
     },
    {"id": "toc_toggle", "rule": "WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.InputCheckbox.Name",
     "element": "#__toc", "match": 'id="__toc"',
     # Material's CSS-only toggle for the contents in the menu drawer: display: none,
     # never focusable and not in the accessibility tree; its visible <label> does the work.
     },
    {"id": "toc_toggle", "rule": "WCAG2AA.Principle1.Guideline1_3.1_3_1.F68",
     "element": "#__toc", "match": 'id="__toc"'},
]


@dataclass
class Tally:
    """What one tool checked and found."""

    id: str
    name: str
    version: str
    runs: int = 0
    problems: list[str] = field(default_factory=list)
    criteria: dict[str, int] = field(default_factory=dict)  # criterion → problems found

    def covers(self, criterion: str | None, problems: int = 0) -> None:
        if criterion:
            self.criteria[criterion] = self.criteria.get(criterion, 0) + problems

    def merge(self, other: Tally) -> None:
        self.runs += other.runs
        self.problems.extend(other.problems)
        for criterion, problems in other.criteria.items():
            self.covers(criterion, problems)
        self.version = self.version or other.version


@contextmanager
def served_site() -> Iterator[tuple[Path, str]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory(prefix="koho-a11y-") as folder:
        site_dir = Path(folder) / "site"
        result = build_site(ROOT, site_dir, url, now=os.environ.get("KOHO_A11Y_NOW", BUILD_TIME))
        if result.returncode != 0:
            sys.exit(f"The site did not build:\n{result.stderr[-4000:]}")
        server = ThreadingHTTPServer(("127.0.0.1", port), partial(QuietHandler, directory=site_dir))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield site_dir, url
        finally:
            server.shutdown()


def every_page(site_dir: Path, url: str) -> list[str]:
    sitemap = (site_dir / "sitemap.xml").read_text("utf-8")
    pages = sorted(set(re.findall(r"<loc>([^<]+)</loc>", sitemap)))
    return pages + [f"{url}{'' if locale == 'ja' else locale + '/'}404.html" for locale in LOCALES]


def page_language(page_url: str, site_url: str) -> str:
    first = page_url[len(site_url):].split("/")[0]
    return LANG_TAGS.get(first, LANG_TAGS["ja"])


def node_version(package: str) -> str:
    return json.loads((ROOT / "node_modules" / package / "package.json").read_text("utf-8"))["version"]


# --- axe-core and the browser checks, in one pass of Chromium over every page ---

def run_in_chromium(pages: list[str], site_url: str, axe: Tally, checks: Tally) -> None:
    """Split the pages between two Chromium processes (CI has two cores)."""
    chunks = [pages[index::WORKERS] for index in range(WORKERS)]
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        for axe_part, checks_part in pool.map(chromium_worker, chunks, [site_url] * WORKERS):
            axe.merge(axe_part)
            checks.merge(checks_part)


def chromium_worker(pages: list[str], site_url: str) -> tuple[Tally, Tally]:
    from playwright.sync_api import sync_playwright

    axe, checks = Tally("axe", "", ""), Tally("browser", "", "")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        checks.version = f"Chromium {browser.version}"
        for width, height in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for url in pages:
                check_page(page, url, width, page_language(url, site_url), axe, checks)
            context.close()
        browser.close()
    return axe, checks


def check_page(page, url: str, width: int, lang: str, axe: Tally, checks: Tally) -> None:
    found: dict[str, list[str]] = {}
    page.goto(url)
    run_axe(page, url, width, axe)  # first, on the page as it loads
    found["target_size"] = a11y_checks.target_size(page)
    found["languages"] = a11y_checks.languages(page, lang)
    if width == min(WIDTHS):
        page.set_viewport_size({"width": 320, "height": 640})
        found["reflow"] = a11y_checks.overflow(page, 320)
        page.set_viewport_size({"width": 640, "height": 800})
        found["text_200"] = a11y_checks.text_200(page, 640)
        page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    found["skip_link"] = a11y_checks.skip_link(page)
    page.goto(url)  # the keyboard walk starts from a fresh page
    found["keyboard"] = a11y_checks.keyboard(page)
    checks.runs += 1
    for check, problems in found.items():
        for criterion in a11y_checks.CRITERIA[check]:
            checks.covers(criterion, len(problems))
        checks.problems.extend(f"{url} at {width} px: {check}: {problem}" for problem in problems)


def run_axe(page, url: str, width: int, tally: Tally) -> None:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """async tags => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}})
            const brief = list => list.map(v => ({id: v.id, tags: v.tags,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 3), count: v.nodes.length}))
            return {violations: brief(r.violations), passes: brief(r.passes)}
        }""",
        AXE_TAGS,
    )
    tally.runs += 1
    for rule in results["passes"]:
        for tag in rule["tags"]:
            tally.covers(criterion_of_axe_tag(tag))
    for rule in results["violations"]:
        tally.problems.append(f"{url} at {width} px: axe {rule['id']} on {', '.join(rule['nodes'])}")
        for tag in rule["tags"]:
            tally.covers(criterion_of_axe_tag(tag), rule["count"])


# --- pa11y-ci ---

def run_pa11y(pages: list[str], tally: Tally) -> None:
    for width, height in WIDTHS.items():
        config = {
            "defaults": {
                "runners": ["htmlcs", "axe"], "standard": "WCAG2AA", "timeout": 60_000,
                "concurrency": 2,
                # A fresh incognito context per page makes Chromium 156 fail to close
                # targets when two pages run at once; plain pages do not.
                "useIncognitoBrowserContext": False,
                # pa11y 9 reports axe's "needs review" results (incomplete: axe could not
                # decide, e.g. the contrast of a short <ruby> beside an icon) as errors;
                # they are warnings here, as in axe itself and Koho's own axe run.
                "levelCapWhenNeedsReview": "warning",
                "viewport": {"width": width, "height": height, "isMobile": width < 600},
                "chromeLaunchConfig": {"executablePath": CHROMIUM, "args": CHROMIUM_ARGS},
            },
            "urls": pages,
        }
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump(config, file)
        env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "true"}
        # Into a file, not a pipe: Node exits before a large report through a pipe is
        # fully written, and the JSON arrives cut off.
        with tempfile.TemporaryFile("w+", encoding="utf-8") as report:
            subprocess.run([str(NODE_BIN / "pa11y-ci"), "--config", file.name, "--json"],
                           stdout=report, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
            report.seek(0)
            output = report.read()
        os.unlink(file.name)
        read_pa11y_report(output, pages, width, tally)


def read_pa11y_report(output: str, pages: list[str], width: int, tally: Tally) -> None:
    """pa11y-ci can exit 0 when a page failed to load: every page must have a result,
    and a result without a rule code is a page that could not be tested."""
    try:  # anything printed before or after the report (warnings) is not part of it
        report, _ = json.JSONDecoder().raw_decode(output[output.index("{"):])
    except (ValueError, json.JSONDecodeError):
        tally.problems.append(f"pa11y-ci at {width} px printed no JSON report: {output[:300]!r}")
        return
    results = report.get("results", {})
    for url in pages:
        tally.runs += 1
        if url not in results:
            tally.problems.append(f"{url} at {width} px: pa11y-ci gave no result")
            continue
        for issue in results[url]:
            code = issue.get("code")
            if not code:
                tally.problems.append(f"{url} at {width} px: pa11y could not test it: {issue.get('message')}")
            elif not is_ignored(issue):
                tally.problems.append(f"{url} at {width} px: {issue.get('runner')} {code} on "
                                      f"{issue.get('selector')}: {issue.get('message', '')[:160]}")
                tally.covers(criterion_of_htmlcs_code(code), 1)


def is_ignored(issue: dict) -> bool:
    return any(issue.get("code") == rule["rule"] and rule["match"] in (issue.get("context") or "")
               for rule in IGNORED)


# --- Lighthouse ---

def run_lighthouse(site_url: str, tally: Tally) -> list[dict]:
    scores = []
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    for locale in LIGHTHOUSE_LOCALES:
        for path in LIGHTHOUSE_PAGES:
            page = ("" if locale == "ja" else f"{locale}/") + path
            with tempfile.NamedTemporaryFile(suffix=".json") as report_file:
                run = subprocess.run(
                    [str(NODE_BIN / "lighthouse"), site_url + page, "--only-categories=accessibility",
                     "--form-factor=mobile", "--output=json", f"--output-path={report_file.name}",
                     "--quiet", f"--chrome-flags={flags}"],
                    capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
                )
                report = json.loads(Path(report_file.name).read_text() or "{}")
            tally.runs += 1
            score = round(100 * ((report.get("categories") or {}).get("accessibility") or {}).get("score", 0))
            scores.append({"page": "/" + page, "score": score})
            if run.returncode != 0 or score < 100:
                failed = [key for key, audit in (report.get("audits") or {}).items()
                          if audit.get("score") == 0 and audit.get("scoreDisplayMode") == "binary"]
                tally.problems.append(f"/{page}: Lighthouse accessibility {score} ({', '.join(failed)}) "
                                      f"{run.stderr[-200:]}")
    return scores


# --- the results file ---

def results_data(pages: list[str], site_url: str, tallies: list[Tally], lighthouse: list[dict]) -> dict:
    criteria: dict[str, dict] = {}
    for tally in tallies:
        for criterion, problems in tally.criteria.items():
            entry = criteria.setdefault(criterion, {"tools": [], "problems": 0})
            entry["tools"].append(tally.name)
            entry["problems"] += problems
    return {
        "date": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
        "widths": list(WIDTHS),
        "pages": ["/" + url[len(site_url):] for url in pages],
        "tools": [{"id": t.id, "name": t.name, "version": t.version, "runs": t.runs,
                   "problems": len(t.problems)} for t in tallies],
        "criteria": dict(sorted(criteria.items())),
        "lighthouse": lighthouse,
        "ignored": [{k: rule[k] for k in ("id", "rule", "element")} for rule in IGNORED],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / RESULTS_FILE)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM}: run 'make a11y', which installs it")
    axe = Tally("axe", "axe-core", node_version("axe-core"))
    checks = Tally("browser", "Koho browser checks", "")
    pa11y = Tally("pa11y", "pa11y-ci (HTML_CodeSniffer, axe-core)",
                  f"{node_version('pa11y-ci')} (pa11y {node_version('pa11y')}, "
                  f"HTML_CodeSniffer {node_version('@pa11y/html_codesniffer')})")
    lighthouse = Tally("lighthouse", "Lighthouse", node_version("lighthouse"))
    with served_site() as (site_dir, site_url):
        pages = every_page(site_dir, site_url)
        print(f"Checking {len(pages)} pages in {len(LOCALES)} languages at {', '.join(map(str, WIDTHS))} px")
        run_in_chromium(pages, site_url, axe, checks)
        run_pa11y(pages, pa11y)
        scores = run_lighthouse(site_url, lighthouse)
    tallies = [axe, pa11y, lighthouse, checks]
    args.output.write_text(json.dumps(results_data(pages, site_url, tallies, scores), ensure_ascii=False,
                                      indent=1) + "\n", encoding="utf-8")
    for tally in tallies:
        print(f"{tally.name}: {tally.runs} runs, {len(tally.problems)} problems")
        for problem in tally.problems[:50]:
            print(f"  {problem}")
    print(f"Results written to {args.output}")
    return 1 if any(tally.problems for tally in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
