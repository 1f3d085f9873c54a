"""Search: Japanese inside compounds, English on /en/, one language per index."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import LOCALES
from koho.languages import Language
from koho.search import infix_terms, split_index

JAPANESE_QUERIES = [
    # (query, a page expected in the top 3 results)
    ("カード", "procedures/mynumber-card/"),  # katakana, inside マイナンバーカード
    ("マイナンバーカード", "procedures/mynumber-card/"),
    ("デバイド", "glossary/"),  # inside デジタルデバイド
    ("証明書", "glossary/"),  # kanji, inside 電子証明書
    ("テレワーク", "policy/5-initiatives/"),
    ("キャッシュレス", "policy/5-initiatives/"),
    ("標準化", "policy/5-initiatives/"),  # kanji
    ("アンケート", "policy/survey/"),
    ("ぴったりサービス", "glossary/"),  # hiragana + katakana
    ("ぴったり", "glossary/"),  # hiragana only
    ("ボランティア", "policy/5-initiatives/"),  # inside デジタルボランティア
    ("ICチップ", "glossary/"),  # Latin + katakana
    ("人材の育成", "policy/6-organization/"),  # kanji + hiragana
    ("情報セキュリティ", "policy/5-initiatives/"),  # section 情報セキュリティ対策の強化
]
ENGLISH_QUERIES = [
    ("telework", "en/policy/5-initiatives/"),
    ("cashless", "en/policy/5-initiatives/"),
    ("survey", "en/policy/survey/"),
    ("smartphone", "en/policy/3-current-state/"),
    ("open data", "en/policy/5-initiatives/"),
    ("government", "en/policy/2-trends/"),
    ("digital divide", "en/glossary/"),
]


def search(page, site, locale: str, query: str) -> list[str]:
    """Type a query as a resident would and return the result pages, best first
    (one per page: its sections, listed under it, are left out)."""
    page.goto(site.url + site.prefix(locale))
    page.click("label.md-header__button[for=__search]")
    page.locator("input.md-search__input").wait_for(state="visible")
    page.keyboard.insert_text(query)
    page.keyboard.press("End")  # Material searches on keyup
    page.locator("li.md-search-result__item").first.wait_for(state="attached", timeout=15_000)
    page.wait_for_timeout(300)  # let the whole list be drawn
    hrefs = page.locator("li.md-search-result__item").evaluate_all(
        "items => items.map(item => item.querySelector(':scope > a').href)"
    )
    return [urlsplit(href).path.lstrip("/") for href in hrefs]


def other_language_results(results: list[str], locale: str) -> list[str]:
    prefixes = tuple(f"{other}/" for other in LOCALES if other != "ja")
    if locale == "ja":
        return [path for path in results if path.startswith(prefixes)]
    return [path for path in results if not path.startswith(f"{locale}/")]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected"), JAPANESE_QUERIES)
def test_japanese_search_on_a_phone(phone, site, query, expected):
    results = search(phone, site, "ja", query)
    assert expected in results[:3], results[:5]
    assert other_language_results(results, "ja") == []


@pytest.mark.browser
def test_katakana_query_finds_words_inside_compounds(phone, site):
    """カード finds pages about マイナンバーカード and about クレジットカード."""
    results = search(phone, site, "ja", "カード")
    texts = [(site.path / path / "index.html").read_text("utf-8") for path in results]
    assert any("マイナンバーカード" in text for text in texts)
    assert any("クレジットカード" in text for text in texts)


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected"), ENGLISH_QUERIES)
def test_english_search_on_a_phone(phone, site, query, expected):
    results = search(phone, site, "en", query)
    assert expected in results[:3], results[:5]
    assert other_language_results(results, "en") == []


@pytest.mark.browser
@pytest.mark.parametrize(("locale", "query"), [("zh", "数字"), ("ko", "카드"), ("ja-easy", "カード")])
def test_other_languages_search_their_own_pages(phone, site, locale, query):
    results = search(phone, site, locale, query)
    assert results, f"no result for {query} on /{locale}/"
    assert other_language_results(results, locale) == []


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
