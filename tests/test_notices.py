"""Notices: pages, feeds, emergency banner, and what editors get wrong (on the invented town)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from conftest import BUILD_TIME, TOWN, TOWN_LOCALES, add_last_site, build_site, copy_town, visible_text
from koho.cli import all_problems, read_content
from koho.languages import TRANSLATIONS_DIR, Strings
from koho.notices import Notice, listed, parse_date
from koho.plugin import load_site_settings
from koho.validation import format_problem
from test_bad_input import tree_digest

TIMEZONE = ZoneInfo("Asia/Tokyo")
LATER = "2100-01-01T00:00:00+09:00"  # after the town's emergency expires
EMERGENCY = "notices/2026/11-27-river-flooding"
EXPIRED = "notices/2026/10-01-autumn-festival"
UPDATED = "notices/2026/11-01-library-hours"
UNTRANSLATED = "notices/2026/11-15-recycling-calendar"


def ui_strings(locale: str) -> dict[str, str]:
    return Strings(TRANSLATIONS_DIR, None, "ja")(locale)


def project_notices(project: Path = TOWN) -> tuple[list[Notice], datetime]:
    found, problems = read_content(project)
    assert problems == []
    return found, datetime.fromisoformat(BUILD_TIME)


def town_categories() -> list[str]:
    return [category.slug for category in load_site_settings(TOWN).categories]


def notice(identity: str, locale: str) -> Notice:
    found, _ = project_notices()
    return next(n for n in found if n.identity == identity and n.locale == locale)


def feed_paths(site, locale: str) -> dict[str | None, Path]:
    folder = site.path / site.prefix(locale)
    paths = {None: folder / "feed"}
    paths.update({slug: folder / f"feed-{slug}" for slug in town_categories()})
    return paths


def test_the_town_has_the_notices_these_tests_need():
    found, now = project_notices()
    by_identity = {(n.locale, n.identity): n for n in found}
    assert by_identity[("ja", EMERGENCY)].emergency and by_identity[("en", EMERGENCY)].emergency
    assert by_identity[("ja", EMERGENCY)].is_active(now)
    assert not by_identity[("ja", EXPIRED)].is_active(now)
    assert by_identity[("ja", UPDATED)].updated and by_identity[("ja", UPDATED)].change == "major"
    assert ("ja", UNTRANSLATED) in by_identity and ("en", UNTRANSLATED) not in by_identity


@pytest.mark.parametrize("locale", TOWN_LOCALES)
def test_feeds_parse_and_list_exactly_that_languages_notices(town, locale):
    found, now = project_notices()
    for category, stem in feed_paths(town, locale).items():
        expected = [n.identity for n in listed(found, locale, now, category)][:20]
        for suffix in (".rss.xml", ".atom.xml"):
            parsed = feedparser.parse(stem.with_name(stem.name + suffix).read_bytes())
            assert parsed.bozo == 0, (stem, suffix, parsed.get("bozo_exception"))
            ids = [entry.id for entry in parsed.entries]
            assert all(i.startswith("tag:town.koho.example,2026:") for i in ids)
            assert [i.split(f":{locale}/", 1)[1] for i in ids] == expected, (stem, suffix)
            assert parsed.feed.language == locale
            dates = ("published",) if suffix == ".rss.xml" else ("published", "updated")
            assert all(key in entry for entry in parsed.entries for key in dates)
            self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
            assert self_links == [town.url + town.prefix(locale) + stem.name + suffix]
        feed = json.loads(stem.with_name(stem.name + ".json").read_text("utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["language"] == locale
        assert [item["id"].split(f":{locale}/", 1)[1] for item in feed["items"]] == expected


def test_feeds_leave_out_expired_and_untranslated_notices(town):
    ja = [e.id for e in feedparser.parse((town.path / "feed.atom.xml").read_bytes()).entries]
    en = [e.id for e in feedparser.parse((town.path / "en" / "feed.atom.xml").read_bytes()).entries]
    assert any(i.endswith(f":ja/{UNTRANSLATED}") for i in ja)
    assert not any(UNTRANSLATED in i for i in en)
    assert not any(EXPIRED in i for i in ja + en)


def test_feed_items_have_absolute_links(town):
    parsed = feedparser.parse((town.path / "feed.atom.xml").read_bytes())
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.link.startswith(town.url)
        content = entry.content[0].value
        for url in re.findall(r'(?:href|src)="([^"]+)"', content):
            assert url.startswith(("http://", "https://", "mailto:", "tel:")), url


@pytest.mark.parametrize("locale", TOWN_LOCALES)
def test_every_page_links_its_own_languages_feeds(town, locale):
    prefix = town.prefix(locale)
    pages = [p for p in (town.path / prefix).rglob("index.html")
             if locale != "ja" or p.relative_to(town.path).parts[0] not in TOWN_LOCALES]
    assert len(pages) > 10
    for page in pages:
        html = page.read_text("utf-8")
        links = re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">', html)
        resolved = {(kind, (page.parent / href).resolve()) for kind, href in links}
        assert resolved == {
            ("application/rss+xml", (town.path / prefix / "feed.rss.xml").resolve()),
            ("application/atom+xml", (town.path / prefix / "feed.atom.xml").resolve()),
            ("application/feed+json", (town.path / prefix / "feed.json").resolve()),
        }, page


def feeds_of(site_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(site_dir).as_posix(): p.read_bytes()
            for p in site_dir.rglob("feed*") if p.is_file()}


def test_a_rebuild_is_byte_identical_and_a_title_edit_keeps_the_id(town, town_copy, tmp_path):
    again = tmp_path / "again"
    assert build_site(town_copy, again, town.url).returncode == 0
    assert tree_digest(again) == tree_digest(town.path)
    feed_count = len(TOWN_LOCALES) * (1 + len(town_categories())) * 3
    assert feeds_of(again) == feeds_of(town.path) and len(feeds_of(again)) == feed_count

    source = town_copy / "docs" / "ja" / f"{UPDATED}.md"
    source.write_text(re.sub(r"^title: .*$", "title: 題名を直しました", source.read_text("utf-8"),
                             count=1, flags=re.M), encoding="utf-8")
    edited = tmp_path / "edited"
    assert build_site(town_copy, edited, town.url).returncode == 0
    before = {e.id: e.title for e in feedparser.parse((town.path / "feed.rss.xml").read_bytes()).entries}
    after = {e.id: e.title for e in feedparser.parse((edited / "feed.rss.xml").read_bytes()).entries}
    assert before.keys() == after.keys()
    changed = [key for key in after if after[key] != before[key]]
    assert len(changed) == 1 and after[changed[0]] == "題名を直しました"
    assert changed[0].endswith(f":ja/{UPDATED}")


def all_pages(site_dir: Path) -> list[Path]:
    return sorted([*site_dir.rglob("index.html"), *site_dir.rglob("404.html")])


def test_emergency_banner_is_on_every_page_while_unexpired_and_gone_after(town, town_copy, tmp_path):
    pages = all_pages(town.path)
    assert len(pages) > 30
    without = [p for p in pages if 'class="koho-emergency" role="region"' not in p.read_text("utf-8")]
    assert without == []
    later = tmp_path / "later"
    assert build_site(town_copy, later, town.url, now=LATER).returncode == 0
    still = [p for p in all_pages(later) if "koho-emergency" in p.read_text("utf-8")]
    assert still == []


@pytest.mark.browser
@pytest.mark.parametrize("locale", TOWN_LOCALES)
def test_emergency_banner_is_a_labelled_region_at_the_top(phone, town, locale):
    label = ui_strings(locale)["emergency.label"]
    phone.goto(town.url + town.prefix(locale) + "about/")
    region = phone.get_by_role("region", name=label)
    assert region.count() == 1 and region.is_visible()
    assert notice(EMERGENCY, locale).title in region.inner_text()
    box = region.bounding_box()
    header = phone.locator("header.md-header").bounding_box()
    assert box["y"] + box["height"] <= header["y"] + 1  # above the header, first on the page
    assert phone.evaluate("() => document.activeElement === document.body")  # no focus stolen
    tree = phone.locator("body").aria_snapshot()
    assert f'region "{label}"' in tree
    link = region.get_by_role("link")
    assert link.count() == 1
    link.click()
    phone.wait_for_url(re.compile(rf"/{EMERGENCY}/$"))
    assert town.prefix(locale) in phone.url


def test_untranslated_emergency_shows_japanese_with_a_notice(town_copy, tmp_path):
    (town_copy / "docs" / "en" / f"{EMERGENCY}.md").unlink()
    out = tmp_path / "site"
    assert build_site(town_copy, out).returncode == 0
    html = (out / "en" / "index.html").read_text("utf-8")
    banner = html.split('class="koho-emergency"', 1)[1].split("</div>", 1)[0]
    assert f'<strong lang="ja">{notice(EMERGENCY, "ja").title}</strong>' in banner
    assert ui_strings("en")["emergency.untranslated"] in banner


def test_notices_index_lists_newest_first_and_drops_expired(town):
    html = town.html("notices")
    titles = re.findall(r'class="koho-notices__title" href="([^"]+)"', html)
    dates = re.findall(r'<li class="koho-notices__item"><span class="koho-notices__meta">'
                       r'<time datetime="([^"]+)"', html)
    found, now = project_notices()
    assert len(titles) == len(dates) == len(listed(found, "ja", now))
    assert dates == sorted(dates, reverse=True)
    assert not any(EXPIRED.split("/")[-1] in t for t in titles)
    ended = visible_text(town.html(EXPIRED))
    assert ui_strings("ja")["notices.ended"] in ended


def test_an_untranslated_notice_is_not_listed_in_english_but_its_page_is_marked(town):
    listing = town.html("en/notices")
    assert UNTRANSLATED.split("/")[-1] not in listing
    page = town.html(f"en/{UNTRANSLATED}")
    assert 'class="koho-untranslated"' in page
    heading = re.search(r'<h1 lang="ja">(.*?)</h1>', page, re.S)
    assert heading and visible_text(heading[1]) == notice(UNTRANSLATED, "ja").title


def test_an_updated_notice_shows_when_it_was_updated(town):
    facts = town.html(UPDATED).split('class="koho-notice-facts"', 1)[1].split("</dl>", 1)[0]
    updated = notice(UPDATED, "ja").updated
    assert ui_strings("ja")["notices.updated"] in visible_text(facts)
    assert f'datetime="{updated.isoformat()}"' in facts


def test_home_shows_the_latest_notices(town):
    latest = int(re.search(r"koho:notices latest=(\d+)", (TOWN / "docs" / "ja" / "index.md")
                           .read_text("utf-8"))[1])
    found, now = project_notices()
    expected = min(latest, len(listed(found, "ja", now)))
    assert expected >= 3
    assert town.html("").count('class="koho-notices__item"') == expected


def test_sample_notices_are_marked_on_the_page(town):
    found, _ = project_notices()
    for each in found:
        assert each.sample, each.path
        assert 'class="admonition warning koho-sample"' in town.html(each.url), each.url


def test_notices_are_not_in_the_navigation(town):
    nav = town.html("").split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
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
def test_bad_notice_is_explained(town_copy, name, text, field, line, found):
    path = town_copy / "docs" / "ja" / "notices" / "2026" / f"11-27-{name}.md"
    path.write_text(text, encoding="utf-8")
    messages = [format_problem(p) for p in all_problems(town_copy)]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"docs/ja/notices/2026/11-27-{name}.md:{line}: {field}: ")
    assert found in messages[0] and "; " in messages[0]


def test_duplicate_identity_and_missing_original_are_explained(town_copy):
    notices = town_copy / "docs" / "ja" / "notices" / "2026"
    (notices / "11-27-a.md").write_text(GOOD.replace("---\n\n", "id: same\n---\n\n"), "utf-8")
    (notices / "11-27-b.md").write_text(GOOD.replace("---\n\n", "id: same\n---\n\n"), "utf-8")
    (town_copy / "docs" / "en" / "notices" / "2026" / "11-27-orphan.md").write_text(GOOD, "utf-8")
    messages = [format_problem(p, "en") for p in all_problems(town_copy)]
    assert any(m.startswith("docs/ja/notices/2026/11-27-b.md:1: id: another notice has the same")
               for m in messages), messages
    assert any(m.startswith("docs/en/notices/2026/11-27-orphan.md:1: file: this translation has no "
                            "Japanese original") for m in messages), messages


@pytest.fixture(scope="module")
def built_copy(town, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the town with its last good build in site/; each test leaves it as it found it."""
    project = copy_town(tmp_path_factory.mktemp("built") / "town")
    add_last_site(project, town)
    return project


@pytest.mark.parametrize("case", ["wareki", "category", "emergency-yes"])
def test_the_build_refuses_a_bad_notice_and_keeps_the_last_site(built_copy, case):
    site_dir = built_copy / "site"
    before = tree_digest(site_dir)
    _, text, field, line, _ = next(c for c in BAD_NOTICES if c[0] == case)
    bad = built_copy / "docs" / "ja" / "notices" / "2026" / "11-27-bad.md"
    bad.write_text(text, "utf-8")
    try:
        result = build_site(built_copy, site_dir)
    finally:
        bad.unlink()
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
