"""Translations that stay true: `koho translations` and `mark` on copies of the town, the note
on an outdated translation and the editors' view in one build of a changed town, the
language switcher in a browser, hreflang in the sitemaps of the town and of Akiruno, and
the Easy Japanese warnings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, TOWN, build_site, visible_text
from koho.languages import TRANSLATIONS_DIR, Strings
from koho.templates import Templates
from koho.translations_status import (
    TranslationStatus,
    normalised,
    render_outdated_notice,
    with_mark,
)
from playwright.sync_api import expect

ABOUT = "docs/ja/about.md"
PROCEDURE = "docs/ja/procedures/resident-certificate.md"
STATUS_PAGE = """---
title: 翻訳の状況
description: 言語ごとの翻訳の状況です。
---

# 翻訳の状況

<!-- koho:translation-status -->
"""
AKIRUNO_LOCALES = ["ja", "en", "zh", "ko", "ja-easy"]


def statuses(koho, project: Path) -> dict[str, dict[str, str]]:
    """locale -> path -> state, from `koho translations --json`."""
    result = koho(project, "translations", "--json")
    report = json.loads(result.stdout)
    return {locale: {page["path"]: page["state"] for page in data["pages"]}
            for locale, data in report["languages"].items()}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def change_about(project: Path) -> None:
    replace_in(project / ABOUT, "4,321人", "4,400人")


def change_fee(project: Path) -> None:
    replace_in(project / PROCEDURE, "  amount: 300", "  amount: 350")
    replace_in(project / PROCEDURE, "updated: 2026-11-01", "updated: 2026-11-25")


# -- koho translations and mark -----------------------------------------------------------------


def test_the_town_starts_with_every_translation_current(koho):
    assert set(statuses(koho, TOWN)["en"].values()) == {"current", "missing"}


def test_whitespace_and_front_matter_only_edits_mark_nothing(town_copy, koho):
    about = town_copy / ABOUT
    text = about.read_text("utf-8")
    text = text.replace("静かな町です。", "静かな町です。\n\n  ")  # a line broken, a paragraph
    text = text.replace("| 人口 | 4,321人 |", "|  人口  |   4,321人   |")  # table padding
    text = text.replace("sample: true", "sample: false")  # a flag: not content
    about.write_text(text + "\n\n\n", "utf-8")
    replace_in(town_copy / PROCEDURE, "updated: 2026-11-01", "updated: 2026-11-20")  # a date only
    assert about.read_text("utf-8") != (TOWN / ABOUT).read_text("utf-8")
    found = statuses(koho, town_copy)["en"]
    assert found["about.md"] == found["procedures/resident-certificate.md"] == "current"
    assert koho(town_copy, "translations", "--fail-on", "outdated").returncode == 0


def test_editing_an_original_makes_its_translation_outdated_until_marked(town_copy, koho):
    change_about(town_copy)
    assert statuses(koho, town_copy)["en"]["about.md"] == "outdated"
    listing = koho(town_copy, "translations", "--fail-on", "outdated")
    assert listing.returncode == 1
    assert re.search(r"outdated .*docs/en/about\.md", listing.stdout)
    assert re.search(r"total: .*outdated 1\b", listing.stdout)

    marked = koho(town_copy, "translations", "mark", "docs/en/about.md")
    assert marked.returncode == 0, marked.stderr
    assert statuses(koho, town_copy)["en"]["about.md"] == "current"
    assert koho(town_copy, "translations", "--fail-on", "outdated").returncode == 0
    assert koho(town_copy, "check").returncode == 0  # the mark is a field koho check knows


def test_a_procedures_fee_change_makes_its_translation_outdated_since_its_updated_date(town_copy, koho):
    change_fee(town_copy)
    report = json.loads(koho(town_copy, "translations", "--json").stdout)
    page = next(p for p in report["languages"]["en"]["pages"]
                if p["path"] == "procedures/resident-certificate.md")
    assert page["state"] == "outdated" and page["original_changed"] == "2026-11-25"


def test_a_deleted_original_is_reported(town_copy, koho):
    (town_copy / ABOUT).unlink()
    result = koho(town_copy, "translations")
    assert result.returncode == 1
    assert re.search(r"orphaned .*docs/en/about\.md", result.stdout)
    assert statuses(koho, town_copy)["en"]["about.md"] == "orphaned"
    refused = koho(town_copy, "translations", "mark", "docs/en/about.md")
    assert refused.returncode == 1 and "docs/ja/about.md" in refused.stderr


def test_mark_names_what_it_cannot_mark_and_writes_nothing(town_copy, koho):
    change_about(town_copy)
    before = (town_copy / "docs/en/about.md").read_bytes()
    result = koho(town_copy, "translations", "mark", "docs/en/about.md", ABOUT)
    assert result.returncode == 1
    assert f"{ABOUT}:1: file: 翻訳のファイルではありません" in result.stderr
    assert (town_copy / "docs/en/about.md").read_bytes() == before  # not even the good one


def test_with_mark_replaces_or_adds_one_line_and_keeps_the_rest():
    page = "---\ntitle: About\nsample: true\n---\n\nBody\n"
    added = with_mark(page, "sha256:0123456789abcdef")
    assert added == "---\ntitle: About\nsample: true\ntranslation_of: sha256:0123456789abcdef\n---\n\nBody\n"
    again = with_mark(added, "sha256:fedcba9876543210")
    assert again == added.replace("0123456789abcdef", "fedcba9876543210")
    windows = with_mark(page.replace("\n", "\r\n"), "sha256:0")
    assert windows == added.replace("0123456789abcdef", "0").replace("\n", "\r\n")


def test_the_version_ignores_whitespace_and_dates_but_not_words():
    assert normalised("静かな町です。\n  町役場は\u3000駅前です。") == "静かな町です。町役場は駅前です。"
    assert normalised("Open  data\nis open") == "Open data is open"
    assert normalised("申請") != normalised("申込")


# -- what readers see -----------------------------------------------------------------------------


@pytest.mark.parametrize("locale", AKIRUNO_LOCALES[1:])
def test_the_outdated_note_is_in_the_readers_language(locale):
    """The note's words come from the language's own strings, the date in its format."""
    import datetime as dt

    strings = Strings(TRANSLATIONS_DIR, None, "ja")(locale)
    status = TranslationStatus(locale, "about.md", "outdated", dt.date(2026, 11, 25), "About", locale)
    html = render_outdated_notice(Templates.from_folders([TRANSLATIONS_DIR.parent / "theme"]), status,
                                  strings, "../../about/", "ja")
    for key in ("outdated.title", "outdated.body", "outdated.link"):
        assert strings[key] in html
    assert strings["outdated.title"] != Strings(TRANSLATIONS_DIR, None, "ja")("ja")["outdated.title"]
    assert '<time datetime="2026-11-25">' in html and 'href="../../about/" hreflang="ja"' in html


@pytest.fixture(scope="module")
def changed_town(tmp_path_factory):
    """One build of a town whose about page and certificate fee changed after translation,
    with the editors' view page."""
    from conftest import copy_town

    folder = tmp_path_factory.mktemp("changed-town")
    project = copy_town(folder / "project")
    change_about(project)
    change_fee(project)
    (project / "docs/ja/translation-status.md").write_text(STATUS_PAGE, "utf-8")
    result = build_site(project, folder / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    return folder / "site"


def page_html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def test_built_outdated_translations_say_so_in_their_language_with_a_link_to_the_original(changed_town):
    about = page_html(changed_town, "en/about")
    note = re.search(r'<div class="admonition warning koho-notice koho-outdated" role="note">(.*?)</div>',
                     about, re.S)
    assert note, "no outdated note on the changed page's translation"
    assert "This translation may be out of date" in note[1]
    assert '<a href="../../about/" hreflang="ja">Read the Japanese original</a>' in note[1]
    assert "<time" not in note[1]  # a page says no date of its changes: none is shown
    procedure = page_html(changed_town, "en/procedures/resident-certificate")
    assert 'The original was updated on <time datetime="2026-11-25">25 November 2026</time>.' in procedure
    for current in ("en/glossary", "en", "about"):  # an unchanged translation, and an original
        assert "koho-outdated" not in page_html(changed_town, current), current


def test_the_switcher_says_where_a_translation_is_outdated(changed_town):
    japanese = page_html(changed_town, "about")
    note = r'<span class="koho-language__note">\(the translation may be out of date\)</span>'
    assert re.search(r'hreflang="en" lang="en"\s+class="md-select__link">\s*English\s*' + note, japanese)
    assert "koho-language__note" not in page_html(changed_town, "glossary")


def test_the_editors_view_lists_every_page_by_state(changed_town):
    view = page_html(changed_town, "translation-status")
    rows = re.findall(r'<tr class="koho-translations__(\w+)"><td>.*?<code>docs/en/([^<]+)</code>', view, re.S)
    states = dict((path, state) for state, path in rows)
    assert states["about.md"] == states["procedures/resident-certificate.md"] == "outdated"
    assert states["history.md"] == "missing" and states["glossary.md"] == "current"
    assert len(states) == len(list((TOWN / "docs/ja").rglob("*.md"))) + 1  # and the view itself
    assert "原文が変わった 2" in visible_text(view)
    assert '<time datetime="2026-11-25">' in view and "2026年11月25日" in visible_text(view)
    # Shown untranslated in English, the view stays in Japanese inside lang="ja".
    english = page_html(changed_town, "en/translation-status")
    assert '<div lang="ja" class="koho-untranslated">' in english
    assert "原文が変わった 2" in visible_text(english)


# -- counts, sitemaps ------------------------------------------------------------------------------


def built_pages(site_path: Path, locale: str, locales: list[str]) -> dict[str, int]:
    """Translated and untranslated pages of one language in a built site."""
    folder = site_path if locale == "ja" else site_path / locale
    others = {site_path / other for other in locales if other != "ja"}
    counts = {"translated": 0, "untranslated": 0}
    for page in folder.rglob("index.html"):
        if locale == "ja" and any(page.is_relative_to(other) for other in others):
            continue
        untranslated = 'class="koho-untranslated"' in page.read_text("utf-8")
        counts["untranslated" if untranslated else "translated"] += 1
    return counts


@pytest.mark.parametrize("which", ["town", "site"])
def test_the_json_report_lists_every_page_and_its_counts_match_the_built_site(request, koho, which):
    built = request.getfixturevalue(which)
    locales = ["ja", "en"] if which == "town" else AKIRUNO_LOCALES
    report = json.loads(koho(built.source, "translations", "--json").stdout)
    assert built_pages(built.path, "ja", locales) == {"translated": len(report["originals"]),
                                                      "untranslated": 0}
    for locale in locales[1:]:
        data = report["languages"][locale]
        counts = data["counts"]
        assert sum(counts.values()) == len(data["pages"]) >= len(report["originals"])
        assert {page["path"] for page in data["pages"]} >= {page["path"] for page in report["originals"]}
        translated = counts["current"] + counts["outdated"] + counts["unmarked"]
        assert built_pages(built.path, locale, locales) == {"translated": translated,
                                                            "untranslated": counts["missing"]}, locale


def sitemap_sets(site_path: Path) -> dict[str, dict[str, str]]:
    """Each sitemap URL -> its alternates (hreflang -> URL)."""
    xml = (site_path / "sitemap.xml").read_text("utf-8")
    return {loc: dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', inner))
            for loc, inner in re.findall(r"<loc>([^<]+)</loc>(.*?)</url>", xml, re.S)}


@pytest.mark.parametrize("which", ["town", "site"])
def test_every_hreflang_set_is_symmetric_and_every_target_is_its_own_page(request, which):
    built = request.getfixturevalue(which)
    sets = sitemap_sets(built.path)
    assert any(sets.values()), "no alternates at all"
    for url, alternates in sets.items():
        if not alternates:
            continue
        assert url in alternates.values(), url  # a set names the page itself
        assert "x-default" in alternates and not alternates["x-default"].startswith(
            tuple(f"{built.url}{locale}/" for locale in AKIRUNO_LOCALES[1:])), url
        assert alternates["x-default"] == alternates["ja"], url
        for tag, target in alternates.items():
            assert sets.get(target) == alternates, f"{url} -> {tag} {target}: not the same set there"
            html = (built.path / target[len(built.url):] / "index.html").read_text("utf-8")
            assert 'class="koho-untranslated"' not in html, f"{url} -> {tag}: an untranslated page"


def test_untranslated_pages_have_no_alternates(town):
    sets = sitemap_sets(town.path)
    assert sets[f"{town.url}en/history/"] == {} and sets[f"{town.url}history/"] == {}
    assert sets[f"{town.url}about/"] == {"ja": f"{town.url}about/", "en": f"{town.url}en/about/",
                                         "x-default": f"{town.url}about/"}


def test_akiruno_has_an_editors_view_in_japanese_that_matches_the_report(site, koho):
    view = visible_text(page_html(site.path, "translation-status"))
    report = json.loads(koho(ROOT, "translations", "--json").stdout)
    strings = Strings(TRANSLATIONS_DIR, None, "ja")("ja")
    for data in report["languages"].values():
        assert data["name"] in view
        missing = f'{strings["translations.state.missing"]} {data["counts"]["missing"]}'
        assert missing in view
    assert "translation-status" not in (ROOT / "mkdocs.yml").read_text("utf-8")  # not in the navigation
    assert "/translation-status/" in (ROOT / "EDITING.md").read_text("utf-8")  # linked from the guide


# -- the language switcher in a browser ---------------------------------------------------------------


@pytest.mark.browser
def test_the_switcher_says_a_language_has_no_translation_and_a_screen_reader_hears_it(desktop, town):
    desktop.goto(town.url + "history/")  # not translated into English
    desktop.locator(".koho-language__button").focus()
    english = desktop.locator(".md-select__link[hreflang='en']")
    english.wait_for(state="visible")
    expect(english).to_have_accessible_name("English (not translated yet; shown in Japanese)")
    expect(english.locator(".koho-language__note")).to_be_visible()
    desktop.goto(town.url + "about/")  # translated, current
    expect(desktop.locator(".md-select__link[hreflang='en']")).to_have_accessible_name("English")


# -- やさしい日本語 -----------------------------------------------------------------------------------


def with_easy_japanese(project: Path, options: str) -> None:
    replace_in(project / "mkdocs.yml", "      timezone: Asia/Tokyo\n",
               f"      timezone: Asia/Tokyo\n      easy_japanese: {options}\n")


def test_easy_japanese_warnings_name_file_and_line_and_do_not_stop(town_copy, koho):
    """The town has no Easy Japanese: its Japanese stands in for it here."""
    words = town_copy / "words.yml"
    words.write_text("町役場: まちの やくば\n", "utf-8")
    with_easy_japanese(town_copy, "{locale: ja, sentence_length: 30, kanji_share: 0.5, words: [words.yml]}")
    page = town_copy / "docs/ja/history.md"
    lines = page.read_text("utf-8").splitlines()
    long = "これは、とても ながい ぶんで、よむ ひとが つかれて しまうので、みじかく わけた ほうが よいです。"
    lines += ["", long, "", "転入届を窓口に提出します。", "", "町役場で申請書を書いてから来てください。"]
    page.write_text("\n".join(lines) + "\n", "utf-8")
    result = koho(town_copy, "check")
    assert result.returncode == 0, result.stderr
    first = len(lines) - 4

    def warned(line: int, words: str) -> bool:
        return f"注意 docs/ja/history.md:{line}: easy_japanese: {words}" in result.stderr

    assert warned(first, "やさしい日本語の文が長すぎます（")
    assert warned(first + 2, "やさしい日本語にしては漢字が多すぎます（")
    assert warned(first + 2, "やさしい日本語では難しい言葉です（提出 → だす）")
    assert warned(first + 4, "やさしい日本語では難しい言葉です（町役場 → まちの やくば）")  # the site's list
    assert warned(first + 4, "やさしい日本語では難しい言葉です（申請 → もうしこみ）")
    assert "docs/en/" not in result.stderr  # only the Easy Japanese language is checked


def test_easy_japanese_settings_name_the_key(town_copy, koho):
    with_easy_japanese(town_copy, "{locale: ja-easy}")
    result = koho(town_copy, "check")
    assert result.returncode != 0
    assert "plugins.koho.easy_japanese.locale: unknown language 'ja-easy'" in result.stderr


def test_akiruno_checks_its_easy_japanese(koho):
    result = koho(ROOT, "check")
    assert result.returncode == 0
    assert re.search(r"注意 docs/ja-easy/[^:]+:\d+: easy_japanese: ", result.stderr)
    assert "注意 docs/en/" not in result.stderr and "注意 docs/ja/" not in result.stderr
