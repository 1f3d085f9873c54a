"""make a11y: check every page of every language at phone and desktop widths.

Every page is loaded once in Chromium (two workers), at phone width, and checked at
each width in turn (the window widened to desktop width), on that one load:
- axe-core checks the WCAG 2.0/2.1/2.2 A and AA rules plus best practices;
- HTML_CodeSniffer checks the WCAG2AA standard (the build of it that pa11y injects,
  errors only, as pa11y reports them);
- Koho's own checks (tests/a11y_checks.py) check what tools cannot: skip link,
  keyboard and visible focus, reflow at 320 px, text at 200%, target size, languages;
- every request the page makes goes to the site itself (no web fonts, scripts or
  trackers from another host) and none fails.
Then Lighthouse (mobile) scores the home page and the first notice and procedure page
of the first two languages.

This used to run pa11y-ci too, with its htmlcs and axe runners. Its axe runner repeated
the axe-core run above (the same axe-core, through the override in package.json, with
the same WCAG tags), and pa11y-ci loaded every page again in a browser of its own: so
axe runs only once now, and HTML_CodeSniffer runs in the same page as the other checks.
Its results keep the tool id "pa11y" and the shape of pa11y-ci's report.

Writes accessibility-results.json (read by the build for the 試験結果 page), prints
what was checked, how long each part took and every problem, and exits 1 if there was any.
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
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import a11y_checks
from conftest import (
    BUILD_TIME,
    CHROMIUM,
    CHROMIUM_ARGS,
    LANG_TAGS,
    LOCALES,
    SHARED_SITE,
    SharedBuild,
    build_site,
    free_port,
    served,
)
from koho.a11y_report import RESULTS_FILE, criterion_of_axe_tag, criterion_of_htmlcs_code

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
NODE_BIN = NODE_MODULES / ".bin"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
HTMLCS_PACKAGE = "@pa11y/html_codesniffer"
HTMLCS = NODE_MODULES / HTMLCS_PACKAGE / "build" / "HTMLCS.js"
HTMLCS_STANDARD = "WCAG2AA"
WIDTHS = {375: 667, 1280: 800}
# Chromium workers, one per core: a page check keeps Chromium busy (the keyboard walk sends
# its Tabs without waiting), and on 2 cores a third worker made the audit 25% slower.
WORKERS = int(os.environ.get("KOHO_A11Y_WORKERS", "2"))
LIGHTHOUSE_LOCALES = 2  # the first languages of LOCALES (the default language is first)
# Lighthouse scores one page of each kind, the first the sitemap lists (after the home page).
LIGHTHOUSE_KINDS = [r"notices/\d{4}/[^/]+/", r"procedures/[^/]+/"]

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


@dataclass
class BrowserPass:
    """What one Chromium worker found, and the seconds it spent on each step."""

    axe: Tally
    htmlcs: Tally
    checks: Tally
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, step: str, start: float) -> float:
        now = time.monotonic()
        self.seconds[step] = self.seconds.get(step, 0.0) + now - start
        return now

    def merge(self, other: BrowserPass) -> None:
        self.axe.merge(other.axe)
        self.htmlcs.merge(other.htmlcs)
        self.checks.merge(other.checks)
        for step, seconds in other.seconds.items():
            self.seconds[step] = self.seconds.get(step, 0.0) + seconds


@contextmanager
def served_site() -> Iterator[tuple[Path, str]]:
    """Akiruno's site, served: the build the tests just made (make test), or a new one."""
    shared = SharedBuild(Path(SHARED_SITE)) if SHARED_SITE else None
    url = shared.url() if shared and "KOHO_A11Y_NOW" not in os.environ else None
    if shared and url:
        print(f"Checking the site the tests built in {shared.site}")
        with served(shared.site, urlsplit(url).port):
            yield shared.site, url
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory(prefix="koho-a11y-") as folder:
        site_dir = Path(folder) / "site"
        result = build_site(ROOT, site_dir, url, now=os.environ.get("KOHO_A11Y_NOW", BUILD_TIME))
        if result.returncode != 0:
            sys.exit(f"The site did not build:\n{result.stderr[-4000:]}")
        with served(site_dir, port):
            yield site_dir, url


def prefix(locale: str) -> str:
    """Where a language's pages are: the default language (first in LOCALES) at the root."""
    return "" if locale == LOCALES[0] else f"{locale}/"


def sitemap_pages(site_dir: Path) -> list[str]:
    """The page URLs of the sitemap, in its order."""
    return re.findall(r"<loc>([^<]+)</loc>", (site_dir / "sitemap.xml").read_text("utf-8"))


def every_page(site_dir: Path, url: str) -> list[str]:
    pages = sorted(set(sitemap_pages(site_dir)))
    return pages + [f"{url}{prefix(locale)}404.html" for locale in LOCALES]


def page_language(page_url: str, site_url: str) -> str:
    first = page_url[len(site_url):].split("/")[0]
    return LANG_TAGS.get(first, LANG_TAGS[LOCALES[0]])


def node_version(package: str) -> str:
    return json.loads((NODE_MODULES / package / "package.json").read_text("utf-8"))["version"]


# --- axe-core, HTML_CodeSniffer and the browser checks, in one pass of Chromium ---

def run_in_chromium(pages: list[str], site_url: str, found: BrowserPass) -> None:
    """Split the pages between the Chromium workers."""
    chunks = [pages[index::WORKERS] for index in range(WORKERS)]
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        for part in pool.map(chromium_worker, chunks, [site_url] * WORKERS):
            found.merge(part)


def tools_script() -> str:
    """A script for every page that holds the code of axe-core and HTML_CodeSniffer, each
    in a function that loads the tool when called (after the page has loaded, as the
    script tags of pa11y did): the code goes to Chromium once, not once for each page."""
    tools = ",\n".join(f"{name}: function () {{\n{path.read_text('utf-8')}\n}}"
                       for name, path in (("axe", AXE), ("htmlcs", HTMLCS)))
    return f"window.__kohoTools = {{\n{tools}\n}}"


def chromium_worker(pages: list[str], site_url: str) -> BrowserPass:
    from playwright.sync_api import sync_playwright

    found = BrowserPass(Tally("axe", "", ""), Tally("pa11y", "", ""), Tally("browser", "", ""))
    htmlcs: dict[int, dict[str, list[dict]]] = {width: {} for width in WIDTHS}  # as pa11y-ci's report
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        found.checks.version = f"Chromium {browser.version}"
        window = Window()
        context = browser.new_context(viewport={"width": window.width, "height": WIDTHS[window.width]})
        context.add_init_script(script=tools_script())
        watch_requests(context, site_url, window, found.checks)
        page = context.new_page()
        for url in pages:
            issues = check_page(page, window, url, page_language(url, site_url), found)
            for width in WIDTHS:
                htmlcs[width][url] = issues[width]
        context.close()
        browser.close()
    for width in WIDTHS:
        read_pa11y_report({"results": htmlcs[width]}, pages, width, found.htmlcs)
    return found


@dataclass
class Window:
    """The width of the browser window, which the checks change as they go."""

    width: int = min(WIDTHS)

    def resize(self, page, width: int) -> None:
        page.set_viewport_size({"width": width, "height": WIDTHS[width]})
        self.width = width


def watch_requests(context, site_url: str, window: Window, tally: Tally) -> None:
    """Count a request to another host, or one that fails, as a problem of the page."""
    local = urlsplit(site_url).netloc

    def request(request) -> None:
        if urlsplit(request.url).netloc not in (local, ""):
            tally.problems.append(f"{request.frame.url} at {window.width} px: "
                                  f"requests another host: {request.url}")

    def response(response) -> None:
        if response.status >= 400:
            tally.problems.append(f"{response.frame.url} at {window.width} px: HTTP {response.status} "
                                  f"for {response.url}")

    context.on("request", request)
    context.on("response", response)

    def failed(request) -> None:
        # ERR_ABORTED: the page was left (for the next one) before the request ended.
        if request.failure != "net::ERR_ABORTED":
            tally.problems.append(f"{request.frame.url} at {window.width} px: request failed: "
                                  f"{request.url} {request.failure}")

    context.on("requestfailed", failed)


def check_page(page, window: Window, url: str, lang: str, found: BrowserPass) -> dict[int, list[dict]]:
    """Load the page once, at phone width, and check it at each width in turn, widening
    the window as a reader widens a window or turns a tablet (Material lays the page out
    again): a load per width cost as much again in loading and in the tools' first, slower
    run. The tools look first, at every width, at the page as it loaded; then the keyboard
    walks, which leave focus, tooltips and scrolling behind them. Returns HTML_CodeSniffer's
    issues at each width."""
    from playwright.sync_api import Error as PlaywrightError

    start = time.monotonic()
    window.resize(page, min(WIDTHS))
    try:
        response = page.goto(url)
        error = None if response and response.ok else f"HTTP {response.status if response else '?'}"
    except PlaywrightError as exception:
        error = str(exception).splitlines()[0]
    if error:
        for tally in (found.axe, found.checks):
            tally.problems.append(f"{url}: could not load it: {error}")
        return {width: [{"message": error}] for width in WIDTHS}
    found.timed("load", start)
    issues = {}
    for width in WIDTHS:
        window.resize(page, width)
        issues[width] = run_tools(page, url, width, lang, found)
    # Widest first, so that the walk at phone width, last, is left with the phone's layout.
    for width in sorted(WIDTHS, reverse=True):
        window.resize(page, width)
        start = time.monotonic()
        # Both Tab from the top of the page; the skip link last, as following it moves on.
        record_checks(found.checks, url, width, {"keyboard": a11y_checks.keyboard(page),
                                                 "skip_link": a11y_checks.skip_link(page)})
        found.timed("keyboard", start)
    return issues


def run_tools(page, url: str, width: int, lang: str, found: BrowserPass) -> list[dict]:
    """axe-core, HTML_CodeSniffer and the checks that do not press keys, at the window's
    width; returns HTML_CodeSniffer's issues."""
    start = time.monotonic()
    run_axe(page, url, width, found.axe)
    start = found.timed("axe-core", start)
    issues = run_htmlcs(page)
    start = found.timed("HTML_CodeSniffer", start)
    checks: dict[str, list[str]] = {
        "target_size": a11y_checks.target_size(page),
        "languages": a11y_checks.languages(page, lang),
    }
    if width == min(WIDTHS):
        page.set_viewport_size({"width": 320, "height": 640})
        checks["reflow"] = a11y_checks.overflow(page, 320)
        page.set_viewport_size({"width": 640, "height": 800})
        checks["text_200"] = a11y_checks.text_200(page, 640)  # check_page sets the next width
    found.timed("own checks", start)
    found.checks.runs += 1
    record_checks(found.checks, url, width, checks)
    return issues


def record_checks(tally: Tally, url: str, width: int, checks: dict[str, list[str]]) -> None:
    for check, problems in checks.items():
        for criterion in a11y_checks.CRITERIA[check]:
            tally.covers(criterion, len(problems))
        tally.problems.extend(f"{url} at {width} px: {check}: {problem}" for problem in problems)


def run_axe(page, url: str, width: int, tally: Tally) -> None:
    """axe-core's rules on the page (injected by chromium_worker). Only violations are
    described node by node (resultTypes): the rules that passed are all still listed,
    and describing each of their nodes took more time than the rules themselves."""
    results = page.evaluate(
        """async tags => {
            if (!window.axe) __kohoTools.axe.call(window)
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                               resultTypes: ["violations"]})
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


def run_htmlcs(page) -> list[dict]:
    """HTML_CodeSniffer's errors on the page, as pa11y's htmlcs runner reports them
    (with pa11y's context and selector of each element)."""
    return page.evaluate(_HTMLCS_RUN, HTMLCS_STANDARD)


_HTMLCS_RUN = """standard => new Promise((resolve, reject) => {
    if (!window.HTMLCS) __kohoTools.htmlcs.call(window)
    if (!window.HTMLCS) return resolve([{message: "HTML_CodeSniffer did not load"}])
    HTMLCS.process(standard, document, () => resolve(HTMLCS.getMessages()
        .filter(m => m.type === 1)  // errors; 2 and 3 are warnings and notices
        .map(m => ({code: m.code, type: "error", message: m.msg, runner: "htmlcs",
                    context: context(m.element), selector: selector(m.element)}))),
        () => reject(new Error(`HTML_CodeSniffer could not load ${standard}`)), "en")

    // pa11y's getElementContext and getElementSelector (pa11y/lib/runner.js)
    function context(el) {
        if (!el || !el.outerHTML) return null
        let html = el.outerHTML
        if (el.innerHTML.length > 31) html = html.replace(el.innerHTML, `${el.innerHTML.substr(0, 31)}...`)
        return html.length > 251 ? `${html.substr(0, 250)}...` : html
    }
    function selector(el, parts = []) {
        if (el && el.nodeType === Node.ELEMENT_NODE) {
            parts.unshift(identifier(el))
            if (!el.id && el.parentNode) return selector(el.parentNode, parts)
        }
        return parts.join(" > ")
    }
    function identifier(el) {
        if (el.id) return `#${el.id}`
        let name = el.tagName.toLowerCase()
        if (!el.parentNode) return name
        const siblings = [...el.parentNode.childNodes].filter(n => n.nodeType === Node.ELEMENT_NODE)
        const index = siblings.indexOf(el)
        if (siblings.filter(s => s.tagName === el.tagName).length > 1 && index !== -1)
            name += `:nth-child(${index + 1})`
        return name
    }
})"""


def read_pa11y_report(output: str | dict, pages: list[str], width: int, tally: Tally) -> None:
    """Read HTML_CodeSniffer's issues, in the shape of pa11y-ci's JSON report (a string or
    the data): every page must have a result, and an issue without a rule code is a page
    that could not be tested."""
    if isinstance(output, str):
        try:  # anything printed before or after the report (warnings) is not part of it
            output, _ = json.JSONDecoder().raw_decode(output[output.index("{"):])
        except (ValueError, json.JSONDecodeError):
            tally.problems.append(f"pa11y-ci at {width} px printed no JSON report: {output[:300]!r}")
            return
    results = output.get("results", {})
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

def lighthouse_pages(sitemap: list[str], site_url: str) -> list[str]:
    """For each of the first languages: its home page, then the first page of each kind."""
    paths = [url[len(site_url):] for url in sitemap]
    chosen = []
    for locale in LOCALES[:LIGHTHOUSE_LOCALES]:
        chosen.append(prefix(locale))
        for kind in LIGHTHOUSE_KINDS:
            pattern = re.compile(re.escape(prefix(locale)) + kind)
            chosen.extend([path for path in paths if pattern.fullmatch(path)][:1])
    return chosen


def run_lighthouse(site_url: str, paths: list[str], tally: Tally) -> list[dict]:
    """Lighthouse's accessibility score (mobile) of each page, in one Node process that
    starts Chromium once (a lighthouse command per page started both each time)."""
    flags = ["--headless=new", *CHROMIUM_ARGS]
    # Its messages go to a file, not a pipe: the Chromium workers, forked meanwhile, could
    # inherit a pipe's end and keep it open, and reading it would wait for them to finish.
    with tempfile.NamedTemporaryFile(suffix=".json") as report_file, tempfile.TemporaryFile("w+") as errors:
        run = subprocess.run(
            ["node", "--input-type=module", "-e", _LIGHTHOUSE_RUN, CHROMIUM, json.dumps(flags),
             report_file.name, *(site_url + path for path in paths)],
            stdout=subprocess.DEVNULL, stderr=errors, text=True, cwd=ROOT,
        )
        reports = json.loads(Path(report_file.name).read_text() or "[]")
        errors.seek(0)
        stderr = errors.read()
    if run.returncode != 0 or len(reports) != len(paths):
        tally.problems.append(f"Lighthouse did not run: {stderr[-400:]}")
    scores = []
    for path, report in zip(paths, reports, strict=False):
        tally.runs += 1
        score = round(100 * (report.get("score") or 0))
        scores.append({"page": "/" + path, "score": score})
        print(f"Lighthouse /{path}: {report.get('seconds', 0):.0f} s", flush=True)
        if report.get("error") or score < 100:
            tally.problems.append(f"/{path}: Lighthouse accessibility {score} "
                                  f"({', '.join(report.get('failed', []))}) {report.get('error') or ''}")
    return scores


# argv: Chromium, its flags (JSON), the report file, then the URLs. The full-page
# screenshot (for Lighthouse's viewer) is left out: no audit uses it. So are the emptied
# cache and the about:blank load before each page, which only the performance score needs
# (a seventh of Lighthouse's CPU time here).
_LIGHTHOUSE_RUN = """
import fs from "node:fs"
import lighthouse from "lighthouse"
import * as chromeLauncher from "chrome-launcher"
const [chromePath, flags, output, ...urls] = process.argv.slice(1)
const chrome = await chromeLauncher.launch({chromePath, chromeFlags: JSON.parse(flags)})
const reports = []
try {
    for (const url of urls) {
        const start = Date.now()
        try {
            const {lhr} = await lighthouse(url, {port: chrome.port, onlyCategories: ["accessibility"],
                formFactor: "mobile", output: "json", logLevel: "error", disableFullPageScreenshot: true,
                disableStorageReset: true, skipAboutBlank: true})
            reports.push({score: lhr.categories.accessibility.score, error: lhr.runtimeError?.message,
                failed: Object.entries(lhr.audits).filter(([, audit]) => audit.score === 0 &&
                    audit.scoreDisplayMode === "binary").map(([id]) => id),
                seconds: (Date.now() - start) / 1000})
        } catch (error) {
            reports.push({score: 0, error: String(error), failed: []})
        }
    }
} finally {
    await chrome.kill()
}
fs.writeFileSync(output, JSON.stringify(reports))
"""


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


def timed(phases: dict[str, float], phase: str, function, *args):
    start = time.monotonic()
    try:
        return function(*args)
    finally:
        phases[phase] = time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / RESULTS_FILE)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM}: run 'make a11y', which installs it")
    found = BrowserPass(Tally("axe", "axe-core", node_version("axe-core")),
                        Tally("pa11y", "HTML_CodeSniffer", node_version(HTMLCS_PACKAGE)),
                        Tally("browser", "Koho browser checks", ""))
    lighthouse = Tally("lighthouse", "Lighthouse", node_version("lighthouse"))
    phases: dict[str, float] = {}
    start = time.monotonic()
    with served_site() as (site_dir, site_url):
        phases["build"] = time.monotonic() - start
        pages = every_page(site_dir, site_url)
        print(f"Checking {len(pages)} pages in {len(LOCALES)} languages at {', '.join(map(str, WIDTHS))} px",
              flush=True)
        # Lighthouse spends much of its time waiting for pages to settle: it runs
        # alongside the Chromium workers rather than after them.
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=1) as pool:
            scores_later = pool.submit(timed, phases, "Lighthouse (alongside)", run_lighthouse, site_url,
                                       lighthouse_pages(sitemap_pages(site_dir), site_url), lighthouse)
            run_in_chromium(pages, site_url, found)
            phases[f"Chromium ({WORKERS} workers)"] = time.monotonic() - start
            scores = scores_later.result()
        phases["all checks"] = time.monotonic() - start
    tallies = [found.axe, found.htmlcs, lighthouse, found.checks]
    args.output.write_text(json.dumps(results_data(pages, site_url, tallies, scores), ensure_ascii=False,
                                      indent=1) + "\n", encoding="utf-8")
    for tally in tallies:
        print(f"{tally.name}: {tally.runs} runs, {len(tally.problems)} problems")
        for problem in tally.problems[:50]:
            print(f"  {problem}")
    print("Seconds: " + ", ".join(f"{phase} {seconds:.0f}" for phase, seconds in phases.items())
          + "; in Chromium, summed over the workers: "
          + ", ".join(f"{step} {seconds:.0f}" for step, seconds in found.seconds.items()))
    print(f"Results written to {args.output}")
    return 1 if any(tally.problems for tally in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
