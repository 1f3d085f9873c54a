"""Akiruno City's own site, built once: the policy text stays faithful to the city's
draft, its five languages, glossary anchors, untranslated pages, its notices."""

from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
import yaml
from conftest import LANG_TAGS, LOCALES, ROOT
from koho.search_bundle import BUNDLE_DIR, bundle_pages
from test_notices import project_notices

# The city's draft policy as received (text extracted from its PDF): what the pages must keep.
SOURCE = ROOT / "tests" / "fixtures" / "akiruno-dx-policy.md"
POLICY_PAGES = ["policy/index.md"] + [
    f"policy/{name}.md"
    for name in ("1-approach", "2-trends", "3-current-state", "4-directions", "5-initiatives",
                 "6-organization", "survey")
]


class Headings(HTMLParser):
    """Collects (level, id, text) of h1–h6 in the article."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[int, str | None, str]] = []
        self._open: tuple[int, str | None] | None = None
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self._open, self._text = (int(tag[1]), dict(attrs).get("id")), []
        elif tag in ("a", "rt") and self._open and dict(attrs).get("class") == "headerlink":
            self._skip += 1
        elif tag == "rt" and self._open:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "rt") and self._skip:
            self._skip -= 1
        elif self._open and tag == f"h{self._open[0]}":
            self.items.append((*self._open, "".join(self._text).strip()))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open and not self._skip:
            self._text.append(data)


def headings(html_path: Path) -> list[tuple[int, str | None, str]]:
    parser = Headings()
    parser.feed(html_path.read_text(encoding="utf-8"))
    return parser.items


def normalize(text: str) -> str:
    """Compare headings across PDF artefacts: width, spaces and brackets."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s()（）「」【】\[\]*]", "", text)


def html_page(site, locale: str, md_path: str) -> Path:
    relative = md_path.removesuffix(".md").removesuffix("index")
    return site.path / site.prefix(locale) / relative / "index.html"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_language_has_a_home_with_its_lang(site, locale):
    home = (site.path / site.prefix(locale) / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{LANG_TAGS[locale]}"' in home


def source_table_of_contents() -> list[str]:
    """Chapter and section titles from the 目次 at the top of the source."""
    text = SOURCE.read_text(encoding="utf-8")
    toc = text.split("# 目次", 1)[1].split("# 1 方針策定", 1)[0]
    titles = []
    for line in toc.splitlines():
        line = re.sub(r"[\s.．]*\d+\s*$", "", line.strip())  # page numbers
        line = re.sub(r"^(\d\s+|\(\d+\)\s*)", "", line)  # chapter / section numbers
        if line and not line.startswith(("資料編", "用語解説", "あきる野市の")):
            titles.append(line)
    return titles


def test_source_table_of_contents_is_read():
    titles = source_table_of_contents()
    assert len(titles) == 6 + 4 + 2 + 2 + 3 + 11 + 2  # chapters, then sections of each
    assert "DX 推進体制" in titles and "オープンデータの推進・官民データ活用の推進" in titles


def test_every_chapter_and_section_of_the_source_is_a_heading(site):
    built = [normalize(text) for page in POLICY_PAGES for _, _, text in
             headings(html_page(site, "ja", page))]
    missing = [title for title in source_table_of_contents()
               if not any(normalize(title) in heading for heading in built)]
    assert missing == []


def test_section_anchors_are_readable(site):
    for page in POLICY_PAGES:
        for level, anchor, text in headings(html_page(site, "ja", page)):
            if level >= 2:
                assert anchor and not re.fullmatch(r"_\d+", anchor), (page, text)


def source_glossary_terms() -> list[str]:
    text = SOURCE.read_text(encoding="utf-8")
    section = text.split("# 用語解説一覧", 1)[1].split("# あきる野市のデジタル化に関する", 1)[0]
    terms = []
    for line in section.splitlines():
        if re.search(r"[◆♦]", line):
            term = re.sub(r"^[#*\s]*[◆♦][*\s]*", "", line)
            term = re.split(r"[【\[(（]", term)[0]
            terms.append(normalize(term)[:12])
    return terms


def test_every_glossary_term_of_the_source_has_an_anchor(site):
    terms = source_glossary_terms()
    assert len(terms) == 38
    entries = [(anchor, normalize(text)) for level, anchor, text in
               headings(site.path / "glossary" / "index.html") if level == 2]
    for term in terms:
        matches = [anchor for anchor, text in entries if text.startswith(term)]
        assert matches, f"glossary term {term} has no heading"
        assert re.fullmatch(r"[a-z0-9-]+", matches[0]), f"{term}: unstable anchor {matches[0]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_glossary_anchors_are_the_same_in_every_language(site, locale):
    ja = [anchor for level, anchor, _ in headings(site.path / "glossary" / "index.html")
          if level == 2]
    other = [anchor for level, anchor, _ in
             headings(site.path / site.prefix(locale) / "glossary" / "index.html") if level == 2]
    assert other == ja


def translated(locale: str, md_path: str) -> bool:
    return (ROOT / "docs" / locale / md_path).exists()


def ui_strings(locale: str) -> dict[str, str]:
    return yaml.safe_load((ROOT / "hooks" / "koho" / "translations" / f"{locale}.yml").read_text())


@pytest.mark.parametrize("locale", LOCALES[1:])
def test_untranslated_pages_show_the_japanese_original_marked_as_japanese(site, locale):
    notice = ui_strings(locale)["untranslated.body"]
    checked = 0
    for md_path in ["index.md", "glossary.md", *POLICY_PAGES]:
        page = html_page(site, locale, md_path).read_text(encoding="utf-8")
        if translated(locale, md_path):
            assert 'class="koho-untranslated"' not in page, md_path
        else:
            checked += 1
            assert '<div lang="ja" class="koho-untranslated">' in page, md_path
            assert notice in page, md_path
    if locale != "en":
        assert checked > 0  # zh, ko and やさしい日本語 translate a summary only


def test_glossary_links_carry_the_definition_in_the_same_language(site):
    page = (site.path / "en" / "policy" / "1-approach" / "index.html").read_text("utf-8")
    match = re.search(r'<a href="([^"]*glossary/#open-data)"[^>]*aria-describedby="([^"]+)"', page)
    assert match, "open data term is not linked with a description"
    assert match[1].startswith("../../glossary/")  # the English glossary
    tip = re.search(rf'id="{match[2]}" lang="en">([^<]+)<', page)
    assert tip and "data" in tip[1].lower()


def test_alternate_languages_are_in_the_sitemap_with_absolute_urls(site):
    sitemap = (site.path / "sitemap.xml").read_text("utf-8")
    policy = re.search(rf"<loc>{site.url}policy/</loc>(.*?)</url>", sitemap, re.S)
    assert policy, "the policy page is not in the sitemap"
    links = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', policy[1]))
    assert links == {
        "ja": f"{site.url}policy/", "en": f"{site.url}en/policy/",
        "zh-Hans": f"{site.url}zh/policy/", "ko": f"{site.url}ko/policy/",
        "ja-x-easy": f"{site.url}ja-easy/policy/", "x-default": f"{site.url}policy/",
    }


def test_pages_do_not_announce_alternates_that_make_material_fetch_missing_files(site):
    page = (site.path / "policy" / "index.html").read_text("utf-8")
    assert re.search(r'<link rel="alternate" href="[^"]*" hreflang=', page) is None


@pytest.mark.parametrize("locale", LOCALES)
def test_each_language_has_its_own_search_index_and_sitemap(site, locale):
    prefix = site.prefix(locale)
    pages = {page["url"].removeprefix("/") for page in bundle_pages(site.path / prefix / BUNDLE_DIR)}
    assert "" in pages and "glossary/" in pages
    for page in pages:
        md = (page or "index").rstrip("/")
        assert translated(locale, f"{md}.md") or translated(locale, f"{md}/index.md"), page
    assert (site.path / prefix / "sitemap.xml").exists()


def test_policy_pages_show_draft_status_and_source(site):
    body = yaml.safe_load((ROOT / "strings" / "ja.yml").read_text())["document.dx-policy.body"]
    for md_path in POLICY_PAGES:
        assert body in html_page(site, "ja", md_path).read_text("utf-8"), md_path


def test_survey_figures_given_in_the_text_are_on_the_page(site):
    text = html_page(site, "ja", "policy/survey.md").read_text("utf-8")
    for figure in ("787", "39.4%", "209", "578", "142"):
        assert figure in text


@pytest.mark.parametrize("locale", LOCALES)
def test_each_language_has_its_own_not_found_page(site, locale):
    page = (site.path / site.prefix(locale) / "404.html").read_text("utf-8")
    assert f'<html lang="{LANG_TAGS[locale]}"' in page
    base = "/" if locale == "ja" else f"/{locale}/"
    assert re.search(rf'"base":\s*"{base}"', page)


def test_koho_check_passes_on_akiruno(koho):
    result = koho(ROOT, "check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("locale", LOCALES)
def test_each_languages_feeds_carry_its_language_tag(site, locale):
    folder = site.path / site.prefix(locale)
    parsed = feedparser.parse((folder / "feed.atom.xml").read_bytes())
    assert parsed.bozo == 0 and parsed.feed.language == LANG_TAGS[locale]
    assert parsed.entries and all(f":{locale}/notices/" in entry.id for entry in parsed.entries)
    assert json.loads((folder / "feed.json").read_text("utf-8"))["language"] == LANG_TAGS[locale]


def test_language_switcher_marks_each_language_with_its_tag(site):
    page = (site.path / "policy" / "index.html").read_text("utf-8")
    links = re.findall(r'<a href="[^"]*" hreflang="([^"]+)" lang="([^"]+)"\s+class="md-select__link"', page)
    assert links == [(LANG_TAGS[locale], LANG_TAGS[locale]) for locale in LOCALES]


def test_home_shows_the_latest_five_notices(site):
    html = (site.path / "index.html").read_text("utf-8")
    assert html.count('class="koho-notices__item"') == 5


def test_every_akiruno_notice_is_a_sample_and_says_so(site):
    found, _ = project_notices(ROOT)
    assert len(found) >= 12
    for notice in found:
        assert notice.sample, notice.path
        html = (site.path / notice.url / "index.html").read_text("utf-8")
        assert 'class="admonition warning koho-sample"' in html, notice.url
