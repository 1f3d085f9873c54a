"""Search on the invented town: Japanese inside compounds, English on /en/, one language
per index, untranslated pages left out. (Akiruno's real content: test_akiruno_search.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from a11y_audit import AXE, AXE_TAGS
from conftest import PHONE, TOWN_LOCALES
from koho.languages import Language
from koho.search import fold, infix_terms, kana_terms, split_index
from koho.search_bundle import (
    BUNDLE_DIR,
    TERMS_MARKER,
    TITLE_WEIGHT,
    SearchPage,
    bundle_pages,
    indexed_html,
    language_code,
    stub_index,
)
from koho.templates import THEME_DIR, Templates

JAPANESE_QUERIES = [
    # (query, a page expected in the top 3 results)
    ("カード", "glossary/"),  # katakana, inside マイナンバーカード
    ("マイナンバーカード", "glossary/"),
    ("粗大ごみ", "procedures/bulky-waste/"),  # kanji + hiragana
    ("ごみ", "procedures/bulky-waste/"),  # hiragana, inside 粗大ごみ
    ("住民票", "procedures/resident-certificate/"),  # kanji
    ("図書館", "notices/2026/11-01-library-hours/"),
]
ENGLISH_QUERIES = [
    ("library", "en/notices/2026/11-01-library-hours/"),
    ("bulky waste", "en/glossary/"),
    ("residence record", "en/procedures/resident-certificate/"),
]


class Searcher:
    """Types queries as a resident would, in one open page per language (opened once:
    each query clears the box and waits for the old results to go)."""

    def __init__(self, browser, site) -> None:
        self.site = site
        self.context = browser.new_context(**PHONE)
        self.pages: dict[str, object] = {}

    def _page(self, locale: str):
        if locale not in self.pages:
            page = self.context.new_page()
            page.goto(self.site.url + self.site.prefix(locale))
            page.click("label.md-header__button[for=__search]")
            page.locator("input.md-search__input").wait_for(state="visible")
            self.pages[locale] = page
        return self.pages[locale]

    def search(self, locale: str, query: str) -> list[str]:
        """The result pages, best first (one per page: its sections, listed under it, are left out)."""
        page = self._page(locale)
        items = page.locator("li.md-search-result__item")
        page.locator("input.md-search__input").fill("")
        page.keyboard.press("End")  # Material searches on keyup
        items.first.wait_for(state="detached")
        page.keyboard.insert_text(query)
        page.keyboard.press("End")
        items.first.wait_for(state="attached", timeout=15_000)
        page.wait_for_timeout(300)  # let the whole list be drawn
        hrefs = items.evaluate_all("items => items.map(item => item.querySelector(':scope > a').href)")
        return [urlsplit(href).path.lstrip("/") for href in hrefs]

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def town_search(browser, town) -> Iterator[Searcher]:
    searcher = Searcher(browser, town)
    yield searcher
    searcher.close()


def other_language_results(results: list[str], locale: str, locales: list[str]) -> list[str]:
    prefixes = tuple(f"{other}/" for other in locales if other != "ja")
    if locale == "ja":
        return [path for path in results if path.startswith(prefixes)]
    return [path for path in results if not path.startswith(f"{locale}/")]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected"), JAPANESE_QUERIES)
def test_japanese_search_on_a_phone(town_search, query, expected):
    results = town_search.search("ja", query)
    assert expected in results[:3], results[:5]
    assert other_language_results(results, "ja", TOWN_LOCALES) == []


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected"), ENGLISH_QUERIES)
def test_english_search_on_a_phone(town_search, query, expected):
    results = town_search.search("en", query)
    assert expected in results[:3], results[:5]
    assert other_language_results(results, "en", TOWN_LOCALES) == []


def index_pages(site, locale: str) -> set[str]:
    """The pages of a language's search bundle, relative to the language's home."""
    bundle = site.path / site.prefix(locale) / BUNDLE_DIR
    return {page["url"].removeprefix("/") for page in bundle_pages(bundle)}


def page_url(source: Path) -> str:
    """The URL of the page built from a Markdown file, relative to its language's home."""
    folder = source.with_suffix("").as_posix().removesuffix("index").rstrip("/")
    return f"{folder}/" if folder else ""


def test_each_language_index_has_only_its_own_translated_pages(town):
    ja, en = index_pages(town, "ja"), index_pages(town, "en")
    english = town.source / "docs" / "en"
    assert en == {page_url(path.relative_to(english)) for path in english.rglob("*.md")}
    assert "history/" in ja and "history/" not in en  # untranslated
    assert not any(page.startswith("en/") for page in ja)


def test_infix_terms_are_suffixes_of_cjk_words():
    terms = infix_terms("マイナンバーカードの申請 and English").split()
    assert "カード" in terms and "ナンバーカード" in terms
    assert "マイナンバーカード" not in terms  # the whole word is indexed as text already
    assert "English" not in terms and "申請" not in terms  # two-character words have no suffix


def test_split_index_keeps_each_language_apart_and_drops_untranslated_pages():
    languages = [Language("ja", "ja", "日本語", True), Language("en", "en", "English", False)]
    merged = {"config": {}, "docs": [
        {"location": "", "title": "ホーム", "text": ""},
        {"location": "en/", "title": "Home", "text": ""},
        {"location": "en/policy/#vision", "title": "Vision", "text": ""},
        {"location": "en/glossary/", "title": "用語解説", "text": ""},
    ]}
    indexes = split_index(merged, languages, {"en": {"en/glossary/"}})
    assert [doc["location"] for doc in indexes["ja"]["docs"]] == [""]
    assert [doc["location"] for doc in indexes["en"]["docs"]] == ["", "policy/#vision"]


# Kana- and width-insensitive search, as elderly residents type: each query of a pair finds
# the page the other finds (query, the same words in another script or width, page).
KANA_PAIRS = [
    ("ゴミ", "ごみ", "procedures/bulky-waste/"),  # katakana query, hiragana text (粗大ごみ)
    ("てれび", "テレビ", "procedures/bulky-waste/"),  # hiragana query, katakana text
    ("まいなんばーかーど", "マイナンバーカード", "glossary/"),  # with the long-vowel mark ー
    ("ﾏｲﾅﾝﾊﾞｰｶｰﾄﾞ", "マイナンバーカード", "glossary/"),  # half-width katakana
    ("ＲＳＳ", "RSS", "subscribe/"),  # full-width Latin
]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "other", "expected"), KANA_PAIRS)
def test_kana_and_width_insensitive_search(town_search, query, other, expected):
    for typed in (query, other):
        results = town_search.search("ja", typed)
        assert expected in results[:3], (typed, results[:5])


@pytest.mark.browser
def test_excerpts_show_the_page_and_never_the_terms_added_for_search(town_search):
    """ゴミ is in 粗大ごみ's page only folded, among the terms after the marker: the result
    shows the article's own words around ごみ, not the folded ones."""
    assert town_search.search("ja", "ゴミ")[0] == "procedures/bulky-waste/"
    first = town_search.pages["ja"].locator("li.md-search-result__item").first
    text = first.inner_text()
    assert "ごみ" in text and "ゴミ" not in text and TERMS_MARKER not in text, text
    assert first.locator("mark").first.inner_text() == "ごみ"  # ゴミ, folded, found it
    town_search.search("ja", "ごみ")  # in the article itself
    assert first.locator("mark").first.inner_text() == "ごみ"


@pytest.mark.browser
def test_results_pass_axe_and_are_reached_and_opened_by_keyboard(browser, town):
    """The open results (Pagefind's answers in Material's list) pass axe-core's WCAG rules at
    phone width; ↓ goes to the first result and Enter opens it."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(town.url)
    page.click("label.md-header__button[for=__search]")
    page.keyboard.insert_text("ごみ")
    page.keyboard.press("End")
    first = page.locator("li.md-search-result__item a").first
    first.wait_for(state="attached", timeout=15_000)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async tags => (await axe.run(document.querySelector(".md-search"),
        {runOnly: {type: "tag", values: tags}})).violations.map(v => `${v.id}: ${v.nodes[0].html}`)""",
                               AXE_TAGS)
    assert violations == []
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.md-search-result__item') !== null")
    target = first.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target.split("?")[0])))
    context.close()


def test_pagefind_reads_the_article_with_the_terms_for_search_after_a_marker(tmp_path):
    page_file = tmp_path / "index.html"
    page_file.write_text('<html><body><nav>メニュー</nav><article class="md-content__inner md-typeset">'
                         "<h1>粗大ごみ</h1><p>デジタルデバイド &amp; ＤＸ</p></article><footer>町</footer>"
                         "</body></html>", "utf-8")
    page = SearchPage("procedures/bulky-waste/", page_file, "粗大ごみ", "デジタルデバイド & ＤＸ")
    templates = Templates.from_folders([THEME_DIR])
    html = indexed_html(page, Language("ja-easy", "ja", "やさしい日本語", False), templates)
    article, terms = html.split(TERMS_MARKER)
    assert article.startswith('<html lang="ja"><body><article class="md-content__inner md-typeset">')
    assert article.endswith("<p>") and "<h1>粗大ごみ</h1>" in article
    assert "メニュー" not in html and "<footer>" not in html  # the article only
    text_terms, titles = terms.split("</p>")[0], terms.split("</p>")[1]
    assert {"デバイド", "DX"} <= set(text_terms.split()) and "&" not in text_terms.replace("&amp;", "")
    assert f'data-pagefind-weight="{TITLE_WEIGHT}">粗大ごみ ゴミ' in titles  # the title, and folded
    assert html.endswith("</article></body></html>")


def test_each_bundle_is_in_its_languages_own_words():
    assert [language_code(Language(*row)) for row in
            (("ja", "ja", "日本語", True), ("ja-easy", "ja", "やさしい日本語", False),
             ("zh", "zh-Hans", "中文", False), ("en", "en", "English", False))] == ["ja", "ja", "zh", "en"]
    stub = stub_index({"config": {"lang": ["ja"]}, "docs": [{"location": ""}]}, "/akiruno/en/pagefind/")
    assert stub == {"config": {"lang": ["ja"], "pagefind": "/akiruno/en/pagefind/"}, "docs": []}


def test_folding_is_nfkc_then_hiragana_as_katakana():
    assert fold("てれわーく") == fold("テレワーク") == fold("ﾃﾚﾜｰｸ") == "テレワーク"
    assert fold("ＤＸ") == "DX"
    terms = kana_terms("まいなんばーカードの申請。ＤＸとDX、テレワーク").split()
    assert terms == ["マイナンバー", "ノ", "DX", "ト"]  # only what folding changes, once each


@pytest.mark.browser
def test_no_search_index_until_the_reader_opens_search(browser, town):
    """A first visit to the home page and to a notice fetches nothing of search but Koho's
    small worker; opening search and typing fetches the language's search configuration,
    once, and the language's Pagefind bundle (nothing of another language's), and results
    appear."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    for path in ("en/", "en/notices/2026/11-01-library-hours/"):
        page.goto(town.url + path)
        page.wait_for_load_state("networkidle")
    searched = [path for path in fetched if "search" in path or "pagefind" in path]
    assert searched and set(searched) <= {"/assets/javascripts/koho-search.js",
                                          "/assets/javascripts/workers/koho-search.js"}, searched
    page.click("label.md-header__button[for=__search]")
    page.keyboard.insert_text("library")
    page.keyboard.press("End")
    page.locator("li.md-search-result__item").first.wait_for(state="attached", timeout=15_000)
    indexes = [path for path in fetched if path.endswith("search_index.json")]
    assert indexes == ["/en/search/search_index.json"]
    bundle = [path for path in fetched if "/pagefind/" in path]
    assert "/en/pagefind/pagefind.js" in bundle and any("/en/pagefind/index/" in path for path in bundle)
    assert all(path.startswith("/en/pagefind/") for path in bundle), bundle
    assert not any(re.search(r"/workers/search\.[0-9a-f]+\.min\.js$", path) for path in fetched)
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("instant", [False, True])
def test_a_page_view_fetches_the_sitemap_only_for_instant_navigation(browser, town, instant):
    """Material fetches sitemap.xml for each <link rel="alternate"> (Koho's are its feeds),
    to keep the page on a language switch; Koho's switcher does not need it, so it is never
    fetched, but with Material's instant navigation, which uses it, it is."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    if instant:  # the same page, as a site with navigation.instant in its features gets it
        page.route(town.url + "en/", lambda route: route.fulfill(
            response=(response := route.fetch()),
            body=response.text().replace('"features":[', '"features":["navigation.instant",')))
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    page.goto(town.url + "en/")
    page.wait_for_load_state("networkidle")
    assert page.locator("link[rel=alternate][type='application/rss+xml']").count() == 1
    assert any(path.endswith("sitemap.xml") for path in fetched) == instant, fetched
    context.close()


@pytest.mark.browser
def test_tabbing_past_the_search_box_fetches_no_index_and_typing_does(desktop, town):
    """A keyboard or screen reader user passes the search box on every page: focus alone
    fetches nothing; the first letters typed fetch the index, and the results of what was
    typed appear once it is ready."""
    fetched: list[str] = []
    desktop.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    desktop.goto(town.url + "en/about/")
    box = desktop.locator("input.md-search__input")
    box.focus()
    desktop.wait_for_load_state("networkidle")
    desktop.wait_for_timeout(300)
    assert box.evaluate("box => box === document.activeElement")
    assert not [path for path in fetched if path.endswith("search_index.json")]
    desktop.keyboard.type("library")
    desktop.locator("li.md-search-result__item").first.wait_for(state="attached", timeout=15_000)
    indexes = [path for path in fetched if path.endswith("search_index.json")]
    assert indexes == ["/en/search/search_index.json"]
    assert "library" in desktop.locator("li.md-search-result__item").first.inner_text().lower()


@pytest.mark.browser
def test_the_home_pages_search_box_opens_the_search_with_results(phone, town):
    phone.goto(town.url)
    box = phone.locator("#koho-search-q")
    box.fill("粗大ごみ")
    box.press("Enter")  # reloads the page with ?q=, which opens Material's search
    results = phone.locator("li.md-search-result__item")
    results.first.wait_for(state="attached", timeout=15_000)
    assert "q=" in phone.url
    assert phone.locator("input.md-search__input").input_value() == "粗大ごみ"
    paths = results.evaluate_all("items => items.map(item => item.querySelector(':scope > a').href)")
    assert "procedures/bulky-waste/" in [urlsplit(href).path.lstrip("/") for href in paths][:3]
