"""The built-site link check (koho.link_report, `koho links`) on the invented town: every
internal link and #anchor of pages, feeds and sitemaps resolves; a broken page link,
a missing anchor and a broken link in a feed item are each named with the file they are
in; links to other sites are listed and never fetched. (Akiruno's whole site, and its
mail: test_akiruno_valid.py.)"""

from __future__ import annotations

import json
import shutil

import pytest
from koho.link_report import check_site


def test_the_towns_links_all_resolve(town):
    report = check_site(town.path, town.url)
    assert report.broken == []
    assert report.files > 40 and report.internal > 1000
    assert any(url.startswith("mailto:") or url.startswith("https://") for url in report.external)


@pytest.fixture
def broken_town(town, tmp_path):
    """A copy of the town's built output with three broken links and one unreachable
    external link written into it."""
    site = tmp_path / "site"
    shutil.copytree(town.path, site)
    page = site / "en" / "about" / "index.html"
    html = page.read_text("utf-8")
    html = html.replace("</article>", '<a href="../no-such-page/">gone</a>'
                        '<a href="../glossary/#no-such-term">term</a>'
                        '<a href="https://unreachable.invalid/report">elsewhere</a></article>', 1)
    page.write_text(html, "utf-8")
    feed_path = site / "en" / "feed.json"
    feed = json.loads(feed_path.read_text("utf-8"))
    feed["items"][0]["content_html"] += f'<a href="{town.url}en/procedures/missing/">x</a>'
    feed_path.write_text(json.dumps(feed, ensure_ascii=False), "utf-8")
    return site


def test_broken_links_are_named_with_their_file(town, broken_town):
    report = check_site(broken_town, town.url)
    found = sorted((b.source, b.target) for b in report.broken)
    assert found == [
        ("en/about/index.html", "../glossary/#no-such-term"),
        ("en/about/index.html", "../no-such-page/"),
        ("en/feed.json", f"{town.url}en/procedures/missing/"),
    ]
    reasons = {b.target: b.reason for b in report.broken}
    assert reasons["../glossary/#no-such-term"] == \
        'no element with id="no-such-term" in en/glossary/index.html'
    assert "no file for /en/no-such-page/" in reasons["../no-such-page/"]
    # Listed for a person to look at, never fetched (the name cannot resolve).
    assert report.external["https://unreachable.invalid/report"] == {"en/about/index.html"}


def test_koho_links_reports_and_fails(koho, town, broken_town, tmp_path):
    listing = tmp_path / "external-links.txt"
    result = koho(town.source, "links", "--site-dir", str(broken_town), "--site-url", town.url,
                  "--external", str(listing))
    assert result.returncode == 1
    assert "en/about/index.html: ../no-such-page/: no file for /en/no-such-page/" in result.stderr
    assert "3 broken" in result.stderr
    assert "https://unreachable.invalid/report\ten/about/index.html" in listing.read_text("utf-8")

    fine = koho(town.source, "links", "--site-dir", str(town.path), "--site-url", town.url)
    assert fine.returncode == 0 and "0 broken" in fine.stdout
