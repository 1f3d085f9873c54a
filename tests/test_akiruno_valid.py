"""Akiruno's whole built site, every language: valid HTML (the Nu HTML Checker, one run
over every page, on the other core while the link checks run), and no broken link or
#anchor in its pages, feeds, sitemaps and mail.
(The link check itself, and how it fails, is tested on the town: test_link_report.py.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT
from koho import content, mail
from koho.link_report import LinkReport, Site, check_html, check_site

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The checker's Java options: a larger thread stack (its schema needs at least 512k) and
# only the first JIT tier (the run is short: three times faster than the default).
JAVA_OPTIONS = ["-Xss8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
# Errors of Material's markup that neither an override nor a patch can fix, each with the
# reason: (words of the message, words of the markup, reason). None today: the two that
# were (autocomplete on the menu and search checkboxes, label for="__toc" with no such
# element on pages outside the navigation) are fixed by site_output.drop_toggle_autocomplete
# and Koho's partials/toc.html.
ACCEPTED: list[tuple[str, str, str]] = []
# A page with the two errors Material's markup had, checked in the same run: the checker
# must report them, so a run that checks nothing cannot pass.
INVALID_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>
<body><input class="md-toggle" type="checkbox" id="__drawer" autocomplete="off">
<label class="md-nav__title" for="__toc">Contents</label></body></html>
"""


def test_every_internal_link_and_anchor_resolves(site, capsys):
    report = check_site(site.path, site.url)
    with capsys.disabled():
        print(f"\nlinks: {report.summary()}")
    assert report.broken == [], "\n".join(map(str, report.broken[:40]))
    assert report.files > 250  # pages, feeds of every language and category, sitemaps
    assert report.internal > 10_000
    # Links to other sites are listed, not fetched.
    assert any(url.startswith("https://example.jp/") for url in report.external)


def test_links_in_every_notice_mail_resolve(site):
    """Every notice of every language composed as the mail `koho mail` sends, with the
    site's URL: each link of its HTML reaches a file (and anchor) of the built site."""
    from koho.cli import mail_templates
    from koho.plugin import load_site_settings

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    settings = load_site_settings(ROOT)
    _, notices, problems = content.read_checked(settings, ROOT / "docs")
    assert problems == [] and notices
    mail_settings = mail.settings_from(settings, {})
    templates = mail_templates(ROOT)
    built = Site(site.path, mail_settings.site_url)
    report = LinkReport()
    for notice in notices:
        lang = settings.language(notice.locale)
        message = mail.compose(mail.Delivery(notice, "list@example.org", updated=False), mail_settings,
                               settings.strings(lang.locale), lang.tag, notice.date, templates,
                               settings.markdown)
        html = message.get_body(("html",)).get_content()
        check_html(built, report, html, mail_settings.site_url + notice.url, f"mail of {notice.path}")
    assert report.files == len(notices)
    assert report.internal >= 2 * len(notices)  # the notice and the subscription page, at least
    assert report.broken == [], "\n".join(map(str, report.broken))


def java() -> str | None:
    found = shutil.which("java")
    return found if found and VNU.exists() else None


@dataclass
class NuRun:
    """The Nu HTML Checker over every page of the site and one known-invalid page."""
    process: subprocess.Popen | None
    pages: list[Path]
    control: Path


@pytest.fixture(scope="module", autouse=True)
def nu_checker(site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NuRun]:
    """Started as soon as the site is built, so that it runs on the other core while the
    link checks below run; the last test of this module reads its report."""
    pages = sorted(site.path.rglob("*.html"))
    control = tmp_path_factory.mktemp("vnu") / "material-as-it-was.html"
    control.write_text(INVALID_PAGE, "utf-8")
    found = java()
    process = subprocess.Popen(
        [found, *JAVA_OPTIONS, "-jar", str(VNU), "--format", "json", "--errors-only", "--no-langdetect",
         *map(str, pages), str(control)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) if found else None
    run = NuRun(process, pages, control)
    yield run
    if process and process.poll() is None:
        process.kill()
        process.wait()


def accepted(message: dict) -> bool:
    return any(words in message.get("message", "") and markup in message.get("extract", "")
               for words, markup, _ in ACCEPTED)


def test_every_page_is_valid_html(nu_checker, site, capsys):
    if nu_checker.process is None:
        message = ("Java or node_modules/vnu-jar not found: run 'make test' "
                   "(apt-get install default-jre-headless; npm ci)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    _, stderr = nu_checker.process.communicate(timeout=600)
    report = json.loads(stderr)  # the checker writes its report to stderr
    pages, control = nu_checker.pages, nu_checker.control
    errors = [m for m in report["messages"] if m["type"] in ("error", "non-document-error")]
    control_errors = [m for m in errors if m.get("url", "").endswith(control.name)]
    site_errors = [m for m in errors if m not in control_errors and not accepted(m)]
    with capsys.disabled():
        print(f"\nNu HTML Checker {report.get('version', '')}: {len(pages)} pages checked, "
              f"{len(site_errors)} errors")
    assert len(pages) > 200 and {"404.html", "en/404.html"} <= {p.relative_to(site.path).as_posix()
                                                                 for p in pages}
    assert sorted(m["message"].split("”")[0] for m in control_errors) == [
        "Attribute “autocomplete", "The value of the “for"]
    assert site_errors == [], "\n".join(
        f"{m.get('url', '').removeprefix(site.path.as_uri() + '/')}:{m.get('lastLine')}: {m['message']}"
        f" [{m.get('extract', '').strip()}]" for m in site_errors[:40])
