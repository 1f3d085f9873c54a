"""`make bench`: Koho at city scale, against a plain Material + mkdocs-static-i18n build.

    .venv/bin/python bench/city.py --notices 250 1000 4000 --languages 1 5 --runs 3
    .venv/bin/python bench/city.py --notices 250 --serve          # save-to-visible in `make serve`

For each N (notices) and L (languages) it generates a synthetic city: Akiruno's pages (the
policy, procedures, glossary, home, subscribe, open data) plus N notices of Japanese text of
about 600 characters (sentences drawn from Akiruno's own policy and notices, fixed seed)
and realistic front matter; a fifth of them translated into English, the rest shown from
Japanese (fallback pages) in the other languages. L = 1 builds Japanese only.

It then builds the same Markdown, interleaved, `--runs` times each: with Koho (`koho build`),
and with two plain Material + mkdocs-static-i18n configurations, both Akiruno's mkdocs.yml
without the koho plugin: "plain, Koho's navigation" keeps its nav (notices and procedures
are reached from their index pages, as in Koho), "plain, Material's defaults" has no nav, so
every page lists every other page in its navigation, as the same Markdown gets without
Koho's settings (its size grows with N², so it is built only up to N = 1,000). It prints
medians: wall time, time per page, peak memory (max RSS of the build process), site size,
HTML bytes of a notice page (median, raw and gzip), and search index bytes per language
(raw and gzip: what Material's search downloads, whole, for one query). Nothing here is
asserted: these machines are noisy.

`--serve` starts `mkdocs serve` on the generated city (all languages, then one language
with KOHO_LANG=ja, then one language with --dirty --no-strict: MkDocs warns about a dirty
build, which strict mode makes an error), changes one notice and prints the seconds until
the served page shows the change (median of --runs saves).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import lighthouse_budget

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ["ja", "en", "zh", "ko", "ja-easy"]
CATEGORIES = ["procedures", "health-welfare", "events", "digital"]
TOPICS = ["住民票", "マイナンバーカード", "子育て支援", "高齢者の相談", "ごみの出し方", "市民税", "図書館",
          "防災訓練", "スマートフォン教室", "健康診断", "保育園", "道路工事", "水道", "選挙", "国民健康保険",
          "介護保険", "テレワーク", "オープンデータ", "キャッシュレス決済", "新幹線の臨時列車"]
ACTIONS = ["のお知らせ", "の受付を始めます", "の日程が変わります", "について", "の申込みを受け付けます",
           "の窓口が変わります", "の説明会を開きます", "にご協力ください"]
BUILD_TIME = "2026-11-28T12:00:00+09:00"


# -- the synthetic city ----------------------------------------------------------------

def sentences(paths: list[Path], end: str) -> list[str]:
    """Plain sentences of Markdown files: no headings, lists' markers, links or markup."""
    found = []
    for path in paths:
        body = path.read_text("utf-8").split("---\n", 2)[-1]
        for line in body.splitlines():
            line = line.strip().lstrip("-*> ").strip()
            markup = line.startswith(tuple("#|!<[`:")) or re.search(r"[\[\]<>`|*_{}]", line)
            if not line or markup:
                continue
            for sentence in line.split(end):
                sentence = sentence.strip()
                if 15 <= len(sentence) <= 160:
                    found.append(sentence + end.strip())
    return found


def notice_text(rng: random.Random, pool: list[str], length: int, joiner: str) -> str:
    """Paragraphs of sentences from the pool, about `length` characters in all."""
    paragraphs, current, total = [], [], 0
    while total < length:
        sentence = rng.choice(pool)
        current.append(sentence)
        total += len(sentence)
        if len(current) == 3:
            paragraphs.append(joiner.join(current))
            current = []
    if current:
        paragraphs.append(joiner.join(current))
    return "\n\n".join(paragraphs)


def generate(target: Path, notices: int, languages: int, seed: int = 1) -> Path:
    """A copy of Akiruno's site with `notices` synthetic notices; `languages` 1 or 5."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("overrides", "strings"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copy(ROOT / "accessibility-results.json", target / "accessibility-results.json")
    for locale in LOCALES[:1] if languages == 1 else LOCALES:
        shutil.copytree(ROOT / "docs" / locale, target / "docs" / locale)
    rng = random.Random(seed)
    ja_pool = sentences(sorted((ROOT / "docs" / "ja").rglob("*.md")), "。")
    en_pool = sentences(sorted((ROOT / "docs" / "en").rglob("*.md")), ". ")
    start = dt.datetime(2023, 4, 1, 9, 0)
    for number in range(notices):
        moment = start + dt.timedelta(hours=number * 24 * 1300 // max(notices, 1))
        identity = f"{moment:%m-%d}-bench-{number:05d}"
        topic, action = rng.choice(TOPICS), rng.choice(ACTIONS)
        category = rng.choice(CATEGORIES)
        body = notice_text(rng, ja_pool, 600, "")
        summary = body.split("。", 1)[0][:90] + "。"
        write_notice(target / "docs" / "ja", moment, identity, f"{topic}{action}（{number + 1}）", category,
                     json.dumps(summary, ensure_ascii=False),
                     f"{body}\n\n## 問合せ\n\n市民課（電話：042-000-{number % 10000:04d}）")
        if languages > 1 and number % 5 == 0:  # a fifth translated into English
            english = notice_text(rng, en_pool, 900, " ")
            write_notice(target / "docs" / "en", moment, identity, f"Notice {number + 1} about city services",
                         category, json.dumps(english.split(". ", 1)[0] + "."), english)
    plain_config(target)
    return target


def write_notice(language_docs: Path, moment: dt.datetime, identity: str, title: str, category: str,
                 summary_json: str, body: str) -> None:
    """A sample notice of a language (summary_json: the summary as a JSON string)."""
    folder = language_docs / "notices" / str(moment.year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{identity}.md").write_text(
        f"---\ntitle: {title}\ndate: {moment:%Y-%m-%d %H:%M}\ncategory: {category}\n"
        f"summary: {summary_json}\nsample: true\n---\n\n{body}\n", "utf-8")


def plain_config(project: Path) -> None:
    """plain.yml: the same site without Koho (Material, search, static-i18n only)."""
    text = (project / "mkdocs.yml").read_text("utf-8")
    text = re.sub(r"\n  - koho:\n(?:(?:    .*|\s*)\n)+", "\n", text)
    text = text.replace("strict: true", "strict: false")
    # Material has no interface file for the locale ja-easy (Koho brings its own): the plain
    # site gives it Material's Japanese one, in a copy of the brand's overrides.
    shutil.copytree(project / "overrides", project / "plain-overrides")
    import material  # noqa: PLC0415  (only the benchmark needs Material's files)
    languages = Path(material.__file__).with_name("templates") / "partials" / "languages"
    (project / "plain-overrides" / "partials" / "languages").mkdir(parents=True, exist_ok=True)
    shutil.copy(languages / "ja.html", project / "plain-overrides/partials/languages/ja-easy.html")
    text = text.replace("custom_dir: overrides", "custom_dir: plain-overrides")
    text = re.sub(r"\nwatch:.*?\n(?=\S)", "\n", text, flags=re.S)
    plugins = text.split("plugins:", 1)[1].split("not_in_nav", 1)[0]
    assert "koho:" not in plugins, "the koho plugin is left in plain.yml"
    (project / "plain.yml").write_text(text, "utf-8")
    # Material's defaults: no nav and no not_in_nav, so every page, every notice too, is in
    # the navigation of every page (what the same Markdown gives without Koho's settings).
    defaults = text
    for key in ("not_in_nav", "nav"):
        defaults = re.sub(rf"\n{key}:.*?\n(?=\S)", "\n", defaults, flags=re.S)
    assert not re.search(r"^(nav|not_in_nav):", defaults, flags=re.M), "plain-defaults.yml keeps a nav"
    (project / "plain-defaults.yml").write_text(defaults, "utf-8")


# -- measuring ----------------------------------------------------------------------------

@dataclass
class Build:
    seconds: float
    peak_mb: float
    pages: int
    site_bytes: int
    notice_raw: int
    notice_gzip: int
    index: dict[str, tuple[int, int]]  # language -> (raw, gzip) bytes of its search index
    search: tuple[int, int] | None = field(default=None)  # search bytes: first visit, first query


def environment(languages: int) -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KOHO_SITE_URL": "http://127.0.0.1:8000/",
           "SOURCE_DATE_EPOCH": str(int(dt.datetime.fromisoformat(BUILD_TIME).timestamp()))}
    env.pop("KOHO_LANG", None)
    if languages == 1:
        env["KOHO_LANG"] = "ja"
    return env


def run_build(project: Path, site: Path, tool: str, languages: int) -> Build:
    if site.exists():
        shutil.rmtree(site)
    if tool == "koho":
        command = [sys.executable, "-m", "koho.cli", "build", "--site-dir", str(site)]
    else:
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", f"{tool}.yml", "-d", str(site)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=project, env=environment(languages),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{tool} build failed in {project}:\n{process.stderr.read().decode()[-3000:]}")
    pages = list(site.rglob("*.html"))
    notice_pages = sorted(site.glob("notices/*/*-bench-*/index.html"))
    raw = [p.stat().st_size for p in notice_pages]
    packed = [len(gzip.compress(p.read_bytes())) for p in notice_pages]
    index = {}
    for locale in LOCALES:
        home = site / ("" if locale == "ja" else locale)
        path = home / "search" / "search_index.json"
        bundle = [f for f in (home / "pagefind").rglob("*") if f.is_file()]
        if bundle:  # Koho: Pagefind's files are compressed already
            size = sum(f.stat().st_size for f in bundle)
            index[locale] = (size, size)
        elif path.exists():
            data = path.read_bytes()
            index[locale] = (len(data), len(gzip.compress(data)))
    return Build(seconds, usage.ru_maxrss / 1024, len(pages), sum(f.stat().st_size for f in site.rglob("*")
                 if f.is_file()), int(statistics.median(raw)), int(statistics.median(packed)), index)


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def file_bytes(site: Path, url: str, fetched: list[str]) -> int:
    """The bytes of the search files among the URLs fetched, each once, as the server sends them."""
    paths = {name[len(url):].split("?", 1)[0] for name in fetched
             if ("search" in name or "/pagefind/" in name) and name.startswith(url)}
    return sum((site / path).stat().st_size for path in paths if (site / path).is_file())


def search_downloads(site: Path, query: str = "図書館") -> tuple[int, int]:
    """Bytes of search files a phone fetches in Chromium (uncompressed): on a first visit to
    the home page and a notice, then for a first query (the language's search configuration,
    and the Pagefind files the worker fetches: its code, index chunks and the shown results)."""
    from playwright.sync_api import sync_playwright

    notice = sorted(site.glob("notices/*/*-bench-*/index.html"))[0].parent.relative_to(site).as_posix()
    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("KOHO_CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
        fetched: list[str] = []
        context.on("requestfinished", lambda request: fetched.append(request.url))
        page = context.new_page()
        for path in ("", f"{notice}/"):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
        first = file_bytes(site, url, fetched)
        fetched.clear()
        page.click("label.md-header__button[for=__search]")
        page.keyboard.insert_text(query)
        page.keyboard.press("End")
        page.locator("li.md-search-result__item").first.wait_for(state="attached", timeout=120_000)
        searched = file_bytes(site, url, fetched)
        browser.close()
    return first, searched


def median_build(builds: list[Build]) -> Build:
    med = statistics.median
    return Build(med(b.seconds for b in builds), med(b.peak_mb for b in builds), builds[0].pages,
                 int(med(b.site_bytes for b in builds)), builds[0].notice_raw, builds[0].notice_gzip,
                 builds[0].index, builds[0].search)


def kb(value: float) -> str:
    return f"{value / 1024:,.0f} KB" if value < 1024 * 1024 else f"{value / 1024 / 1024:,.1f} MB"


DEFAULTS_UP_TO = 1000
TOOLS = {
    "koho": "Koho",
    "plain": "plain, Koho's navigation",
    "plain-defaults": "plain, Material's defaults",
}


def report(notices: int, languages: int, results: dict[str, Build], runs: int) -> None:
    print(f"\n## N = {notices} notices, L = {languages} language{'s' if languages > 1 else ''} "
          f"(median of {runs} interleaved runs)\n")
    builds = list(results.values())
    print(f"| | {' | '.join(TOOLS[tool] for tool in results)} |")
    print(f"| --- |{' --- |' * len(results)}")
    rows = [
        ("wall time", *(f"{b.seconds:.1f} s" for b in builds)),
        ("HTML pages", *(f"{b.pages:,}" for b in builds)),
        ("time per page", *(f"{b.seconds / b.pages * 1000:.1f} ms" for b in builds)),
        ("peak memory (max RSS)", *(f"{b.peak_mb:,.0f} MB" for b in builds)),
        ("site size", *(kb(b.site_bytes) for b in builds)),
        ("notice page HTML (raw / gzip)", *(f"{kb(b.notice_raw)} / {kb(b.notice_gzip)}" for b in builds)),
    ]
    for locale in LOCALES:
        if any(locale in b.index for b in builds):
            rows.append((f"search data {locale}, whole (raw / gzip; Koho's Pagefind bundle is compressed)",
                         *(f"{kb(b.index[locale][0])} / {kb(b.index[locale][1])}" if locale in b.index
                           else "—" for b in builds)))
    k = results.get("koho")
    if k and k.search:
        rows.append(("search bytes, first visit (home + a notice, Chromium)", kb(k.search[0]),
                     *["—"] * (len(builds) - 1)))
        rows.append(("search bytes, first query (Chromium, uncompressed)", kb(k.search[1]),
                     *["—"] * (len(builds) - 1)))
    for row in rows:
        print(f"| {' | '.join(row)} |")
    for tool, build in results.items():
        if k and tool != "koho":
            print(f"\nKoho / {TOOLS[tool]}: wall time {k.seconds / build.seconds:.2f}")


# -- make serve: save to visible ------------------------------------------------------------

def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def save_to_visible(project: Path, label: str, env: dict[str, str], extra: list[str], saves: int) -> None:
    port = lighthouse_budget.free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
                               *extra], cwd=project, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        notice = sorted((project / "docs" / "ja" / "notices").glob("*/*-bench-*.md"))[0]
        url = f"http://127.0.0.1:{port}/notices/{notice.parent.name}/{notice.stem}/"
        start = time.perf_counter()
        while "<html" not in fetch(url):
            if time.perf_counter() - start > 1800 or server.poll() is not None:
                print(f"| {label} | server did not start |")
                return
            time.sleep(0.5)
        first = time.perf_counter() - start
        original = notice.read_text("utf-8")
        times = []
        for number in range(saves):
            time.sleep(2)
            token = f"KOHOSAVE{number}x{int(time.time())}"  # no kanji: furigana would split it
            notice.write_text(original.replace("## 問合せ", f"{token}\n\n## 問合せ"), "utf-8")
            saved = time.perf_counter()
            while token not in fetch(url):
                if time.perf_counter() - saved > 900:
                    break
                time.sleep(0.2)
            times.append(time.perf_counter() - saved)
        notice.write_text(original, "utf-8")
        each = ", ".join(f"{t:.1f}" for t in times)
        print(f"| {label} | {first:.1f} s | {statistics.median(times):.1f} s ({each}) |")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait()


SERVE_MODES = {  # name -> (label, languages, extra mkdocs serve options)
    "all": ("all languages", 5, []),
    "ja": ("KOHO_LANG=ja", 1, []),
    "dirty": ("KOHO_LANG=ja, --dirty", 1, ["--dirty", "--no-strict"]),  # strict stops a dirty build
}


def serve_bench(project: Path, saves: int, modes: list[str]) -> None:
    print("\n| make serve | first build served | save to visible (median; each save) |")
    print("| --- | --- | --- |")
    for mode in modes:
        label, languages, extra = SERVE_MODES[mode]
        save_to_visible(project, label, environment(languages), extra, saves)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, nargs="+", default=[250, 1000, 4000])
    parser.add_argument("--languages", type=int, nargs="+", default=[1, 5], choices=[1, 5])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lighthouse-at", type=int, nargs="*", default=[1000], metavar="N",
                        help="N at which to check Koho's site against the Lighthouse budgets")
    parser.add_argument("--lighthouse-runs", type=int, default=3)
    parser.add_argument("--tools", nargs="+", default=list(TOOLS), choices=list(TOOLS),
                        help="which builds to compare (plain-defaults grows with N²: slow at 4,000)")
    parser.add_argument("--serve", action="store_true", help="measure save-to-visible in mkdocs serve")
    parser.add_argument("--serve-modes", nargs="+", default=list(SERVE_MODES), choices=list(SERVE_MODES))
    parser.add_argument("--work", type=Path, help="folder for the generated cities (default: temporary)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="koho-bench-"))
    print(f"# Koho city benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}; generated cities in {work}")
    for notices in args.notices:
        for languages in (args.languages if not args.serve else [5]):
            project = generate(work / f"city-{notices}-{languages}", notices, languages)
            if args.serve:
                print(f"\n## make serve at N = {notices}, L = 5")
                serve_bench(project, args.runs, args.serve_modes)
                continue
            tools = [tool for tool in args.tools if tool != "plain-defaults" or notices <= DEFAULTS_UP_TO]
            if tools != args.tools:
                print(f"\n(N = {notices}: plain-defaults is not built above N = {DEFAULTS_UP_TO}; "
                      "every page would list every notice)")
            builds: dict[str, list[Build]] = {tool: [] for tool in tools}
            for run in range(args.runs):
                for tool in builds:  # interleaved, so that both see the same machine load
                    built = run_build(project, work / f"site-{tool}", tool, languages)
                    if run == 0 and tool == "koho":
                        built.search = search_downloads(work / "site-koho")
                    builds[tool].append(built)
            report(notices, languages, {tool: median_build(b) for tool, b in builds.items()}, args.runs)
            if notices in args.lighthouse_at and languages == max(args.languages) and "koho" in builds:
                print(f"\n### Lighthouse budgets, N = {notices}, L = {languages} (nginx with gzip)\n")
                lighthouse_budget.report(lighthouse_budget.run(work / "site-koho", args.lighthouse_runs))
            for tool in builds:
                shutil.rmtree(work / f"site-{tool}", ignore_errors=True)


if __name__ == "__main__":
    main()
