"""Notices: pages, feeds, emergency banner, and what editors get wrong."""

from __future__ import annotations

import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from conftest import LANG_TAGS, LOCALES, ROOT, build_site, visible_text
from koho.cli import all_problems, read_content
from koho.notices import listed, parse_date
from koho.validation import format_problem
from test_bad_input import tree_digest

CATEGORIES = ["emergency", "procedures", "health-welfare", "events", "digital"]
TIMEZONE = ZoneInfo("Asia/Tokyo")


def project_notices(project: Path = ROOT):
    from datetime import datetime

    from conftest import BUILD_TIME
    found, problems = read_content(project)
    assert problems == []
    return found, datetime.fromisoformat(BUILD_TIME)


def feed_paths(site, locale: str) -> dict[str | None, Path]:
    folder = site.path / site.prefix(locale)
    paths = {None: folder / "feed"}
    paths.update({slug: folder / f"feed-{slug}" for slug in CATEGORIES})
    return paths


@pytest.mark.parametrize("locale", LOCALES)
def test_feeds_parse_and_list_exactly_that_languages_notices(site, locale):
    found, now = project_notices()
    for category, stem in feed_paths(site, locale).items():
        expected = [n.identity for n in listed(found, locale, now, category)][:20]
        for suffix in (".rss.xml", ".atom.xml"):
            parsed = feedparser.parse(stem.with_name(stem.name + suffix).read_bytes())
            assert parsed.bozo == 0, (stem, suffix, parsed.get("bozo_exception"))
            ids = [entry.id for entry in parsed.entries]
            assert [i.split(f":{locale}/", 1)[1] for i in ids] == expected, (stem, suffix)
            assert parsed.feed.language == LANG_TAGS[locale]
            dates = ("published",) if suffix == ".rss.xml" else ("published", "updated")
            assert all(key in entry for entry in parsed.entries for key in dates)
            self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
            assert self_links == [site.url + site.prefix(locale) + stem.name + suffix]
        feed = json.loads(stem.with_name(stem.name + ".json").read_text("utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["language"] == LANG_TAGS[locale]
        assert [item["id"].split(f":{locale}/", 1)[1] for item in feed["items"]] == expected


def test_feed_items_have_absolute_links(site):
    parsed = feedparser.parse((site.path / "feed.atom.xml").read_bytes())
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.link.startswith(site.url)
        content = entry.content[0].value
        for url in re.findall(r'(?:href|src)="([^"]+)"', content):
            assert url.startswith(("http://", "https://", "mailto:", "tel:")), url


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_links_its_own_languages_feeds(site, locale):
    prefix = site.prefix(locale)
    pages = [p for p in (site.path / prefix).rglob("index.html")
             if locale != "ja" or p.relative_to(site.path).parts[0] not in LOCALES]
    assert len(pages) > 10
    for page in pages:
        html = page.read_text("utf-8")
        links = re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">', html)
        resolved = {(kind, (page.parent / href).resolve()) for kind, href in links}
        assert resolved == {
            ("application/rss+xml", (site.path / prefix / "feed.rss.xml").resolve()),
            ("application/atom+xml", (site.path / prefix / "feed.atom.xml").resolve()),
            ("application/feed+json", (site.path / prefix / "feed.json").resolve()),
        }, page


def feeds_of(site_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(site_dir).as_posix(): p.read_bytes()
            for p in site_dir.rglob("feed*") if p.is_file()}


def test_two_builds_give_identical_feeds_and_a_title_edit_keeps_the_id(project_copy, tmp_path):
    url = "http://127.0.0.1:8000/"
    first, second = tmp_path / "one", tmp_path / "two"
    assert build_site(project_copy, first, url).returncode == 0
    assert build_site(project_copy, second, url).returncode == 0
    assert feeds_of(first) == feeds_of(second) and len(feeds_of(first)) == 5 * 6 * 3

    notice = project_copy / "docs" / "ja" / "notices" / "2026" / "11-20-mynumber-card-outreach.md"
    notice.write_text(re.sub(r"^title: .*$", "title: 題名を直しました", notice.read_text("utf-8"),
                             count=1, flags=re.M), encoding="utf-8")
    third = tmp_path / "three"
    assert build_site(project_copy, third, url).returncode == 0
    before = {e.id: e.title for e in feedparser.parse((first / "feed.rss.xml").read_bytes()).entries}
    after = {e.id: e.title for e in feedparser.parse((third / "feed.rss.xml").read_bytes()).entries}
    assert before.keys() == after.keys()
    changed = [key for key in after if after[key] != before[key]]
    assert len(changed) == 1 and after[changed[0]] == "題名を直しました"
    assert changed[0].endswith(":ja/notices/2026/11-20-mynumber-card-outreach")


def all_pages(site_dir: Path) -> list[Path]:
    return sorted([*site_dir.rglob("index.html"), *site_dir.rglob("404.html")])


def test_emergency_banner_is_on_every_page_while_unexpired_and_gone_after(site, project_copy,
                                                                          tmp_path):
    pages = all_pages(site.path)
    assert len(pages) > 100
    without = [p for p in pages if 'class="koho-emergency" role="region"' not in p.read_text("utf-8")]
    assert without == []
    later = tmp_path / "later"
    assert build_site(project_copy, later, site.url, now="2027-01-01T00:00:00+09:00").returncode == 0
    still = [p for p in all_pages(later) if "koho-emergency" in p.read_text("utf-8")]
    assert still == []


@pytest.mark.browser
@pytest.mark.parametrize(("locale", "label", "translated"), [
    ("ja", "緊急情報", True), ("en", "Emergency information", True),
    ("ko", "긴급 정보", True), ("zh", "紧急信息", True),
])
def test_emergency_banner_is_a_labelled_region_at_the_top(phone, site, locale, label, translated):
    phone.goto(site.url + site.prefix(locale) + "policy/2-trends/")
    region = phone.get_by_role("region", name=label)
    assert region.count() == 1 and region.is_visible()
    box = region.bounding_box()
    header = phone.locator("header.md-header").bounding_box()
    assert box["y"] + box["height"] <= header["y"] + 1  # above the header, first on the page
    assert phone.evaluate("() => document.activeElement === document.body")  # no focus stolen
    tree = phone.locator("body").aria_snapshot()
    assert f'region "{label}"' in tree
    link = region.get_by_role("link")
    assert link.count() == 1
    link.click()
    phone.wait_for_url(re.compile(r"/notices/2026/11-28-heavy-rain-shelters/$"))
    assert site.prefix(locale) in phone.url


def test_untranslated_emergency_shows_japanese_with_a_notice(project_copy, tmp_path):
    (project_copy / "docs" / "ko" / "notices" / "2026" / "11-28-heavy-rain-shelters.md").unlink()
    out = tmp_path / "site"
    assert build_site(project_copy, out, "http://127.0.0.1:8000/").returncode == 0
    html = (out / "ko" / "index.html").read_text("utf-8")
    banner = html.split('class="koho-emergency"', 1)[1].split("</div>", 1)[0]
    assert '<strong lang="ja">【見本】大雨による避難所の開設</strong>' in banner
    assert "아직 번역되지 않았습니다" in banner


def test_notices_index_lists_newest_first_and_drops_expired(project_copy, tmp_path):
    out = tmp_path / "site"
    assert build_site(project_copy, out, "http://127.0.0.1:8000/",
                      now="2026-12-21T12:00:00+09:00").returncode == 0
    html = (out / "notices" / "index.html").read_text("utf-8")
    titles = re.findall(r'class="koho-notices__title" href="([^"]+)"', html)
    dates = re.findall(r'<li class="koho-notices__item"><span class="koho-notices__meta">'
                       r'<time datetime="([^"]+)"', html)
    assert titles and dates == sorted(dates, reverse=True)
    assert not any("smartphone-course" in t for t in titles)  # expired 2026-12-20
    ended = (out / "notices" / "2026" / "11-10-smartphone-course" / "index.html").read_text("utf-8")
    assert "掲載期間は終了しました" in visible_text(ended)


def test_home_shows_the_latest_five(site):
    html = (site.path / "index.html").read_text("utf-8")
    assert html.count('class="koho-notices__item"') == 5


def test_sample_notices_are_marked_on_the_page(site):
    found, _ = project_notices()
    for notice in found:
        assert notice.sample, notice.path
        html = (site.path / notice.url / "index.html").read_text("utf-8")
        assert 'class="admonition warning koho-sample"' in html, notice.url


def test_notices_are_not_in_the_navigation(site):
    html = (site.path / "index.html").read_text("utf-8")
    nav = html.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert "notices/2026/" not in nav


# -- editors' mistakes --------------------------------------------------------------------

GOOD = """---
title: テストのお知らせ
date: 2026-11-27 09:00
category: 手続き
summary: テストです。
sample: true
---

本文です。
"""

BAD_NOTICES = [
    # A missing field is reported at line 1, where the front matter starts.
    ("missing-title", GOOD.replace("title: テストのお知らせ\n", ""), "title", 1, "必要な項目"),
    ("missing-date", GOOD.replace("date: 2026-11-27 09:00\n", ""), "date", 1, "必要な項目"),
    ("wareki", GOOD.replace("2026-11-27 09:00", "令和8年11月27日"), "date", 3, "令和8年11月27日"),
    ("month-13", GOOD.replace("2026-11-27 09:00", "2026/13/01"), "date", 3, "2026/13/01"),
    ("bad-day", GOOD.replace("2026-11-27 09:00", "2026-02-30"), "date", 3, "日付として読めません"),
    ("category", GOOD.replace("category: 手続き", "category: 防災"), "category", 4,
     "防災; emergency（防災・緊急）"),
    ("emergency-yes", GOOD.replace("sample: true", 'sample: true\nemergency: "yes"'),
     "emergency", 7, "true か false ではありません（yes）"),
    ("expires", GOOD.replace("sample: true", "sample: true\nexpires: 2026-11-01"), "expires", 7,
     "2026-11-01"),
    ("change", GOOD.replace("sample: true", "sample: true\nchange: small"), "change", 7, "small"),
]


@pytest.mark.parametrize(("name", "text", "field", "line", "found"), BAD_NOTICES,
                         ids=[case[0] for case in BAD_NOTICES])
def test_bad_notice_is_explained(project_copy, name, text, field, line, found):
    path = project_copy / "docs" / "ja" / "notices" / "2026" / f"11-27-{name}.md"
    path.write_text(text, encoding="utf-8")
    messages = [format_problem(p) for p in all_problems(project_copy)]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"docs/ja/notices/2026/11-27-{name}.md:{line}: {field}: ")
    assert found in messages[0] and "; " in messages[0]


def test_duplicate_identity_and_missing_original_are_explained(project_copy):
    notices = project_copy / "docs" / "ja" / "notices" / "2026"
    (notices / "11-27-a.md").write_text(GOOD.replace("---\n\n", "id: same\n---\n\n"), "utf-8")
    (notices / "11-27-b.md").write_text(GOOD.replace("---\n\n", "id: same\n---\n\n"), "utf-8")
    (project_copy / "docs" / "en" / "notices" / "2026" / "11-27-orphan.md").write_text(GOOD, "utf-8")
    messages = [format_problem(p, "en") for p in all_problems(project_copy)]
    assert any(m.startswith("docs/ja/notices/2026/11-27-b.md:1: id: another notice has the same")
               for m in messages), messages
    assert any(m.startswith("docs/en/notices/2026/11-27-orphan.md:1: file: this translation has no "
                            "Japanese original") for m in messages), messages


@pytest.mark.parametrize("case", ["wareki", "category", "emergency-yes"])
def test_the_build_refuses_a_bad_notice_and_keeps_the_last_site(project_copy, case):
    site_dir = project_copy / "site"
    assert build_site(project_copy, site_dir, "http://127.0.0.1:8000/").returncode == 0
    before = tree_digest(site_dir)
    _, text, field, line, _ = next(c for c in BAD_NOTICES if c[0] == case)
    (project_copy / "docs" / "ja" / "notices" / "2026" / "11-27-bad.md").write_text(text, "utf-8")
    result = build_site(project_copy, site_dir, "http://127.0.0.1:8000/")
    assert result.returncode != 0
    assert f"docs/ja/notices/2026/11-27-bad.md:{line}: {field}: " in result.stderr
    assert tree_digest(site_dir) == before


def test_dates_take_the_site_time_zone_unless_an_offset_is_given():
    tz = TIMEZONE
    assert parse_date("2026-11-27", tz).isoformat() == "2026-11-27T00:00:00+09:00"
    assert parse_date("2026-11-27 09:30", tz).isoformat() == "2026-11-27T09:30:00+09:00"
    assert parse_date("2026-11-27T09:30+00:00", tz).isoformat() == "2026-11-27T09:30:00+00:00"
    assert parse_date("2026-11-27", tz, end_of_day=True).isoformat() == "2026-11-28T00:00:00+09:00"
    for bad in ("令和8年11月27日", "2026/11/27", "2026-13-01", "tomorrow", 20261127):
        assert parse_date(bad, tz) is None
