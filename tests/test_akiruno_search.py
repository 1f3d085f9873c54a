"""Search on Akiruno's real content: Japanese inside compounds, and each of its
languages searching only its own pages (the engine's search is tested on the town
in test_search.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import LOCALES
from test_search import Searcher, other_language_results

pytestmark = pytest.mark.browser

# Search ranks as Pagefind does (search_bundle.py): a page whose subject is the word, such as
# a procedure, comes before a long policy page that mentions it often.
JAPANESE_QUERIES = [
    # (query, a page expected in the top 3 results)
    ("カード", "notices/2026/11-20-mynumber-card-outreach/"),  # katakana, inside マイナンバーカード
    ("マイナンバーカード", "procedures/mynumber-card/"),
    ("デバイド", "glossary/"),  # inside デジタルデバイド
    ("証明書", "glossary/"),  # kanji, inside 電子証明書
    ("テレワーク", "policy/5-initiatives/"),
    ("キャッシュレス", "policy/5-initiatives/"),
    ("標準化", "policy/5-initiatives/"),  # kanji
    ("アンケート", "policy/survey/"),
    ("ぴったりサービス", "glossary/"),  # hiragana + katakana
    ("ぴったり", "glossary/"),  # hiragana only
    ("ボランティア", "procedures/digital-volunteer/"),  # inside デジタルボランティア
    ("ICチップ", "glossary/"),  # Latin + katakana
    ("人材の育成", "policy/6-organization/"),  # kanji + hiragana
    ("情報セキュリティ", "policy/5-initiatives/"),  # section 情報セキュリティ対策の強化
]
ENGLISH_QUERIES = [
    ("telework", "en/policy/5-initiatives/"),
    ("cashless", "en/policy/5-initiatives/"),
    ("survey", "en/policy/survey/"),
    ("smartphone", "en/procedures/smartphone-course/"),
    ("open data", "en/policy/5-initiatives/"),
    ("government", "en/policy/2-trends/"),
    ("digital divide", "en/glossary/"),
]


@pytest.fixture(scope="module")
def akiruno_search(browser, site) -> Iterator[Searcher]:
    searcher = Searcher(browser, site)
    yield searcher
    searcher.close()


@pytest.mark.parametrize(("query", "expected"), JAPANESE_QUERIES)
def test_japanese_search_on_a_phone(akiruno_search, query, expected):
    results = akiruno_search.search("ja", query)
    assert expected in results[:3], results[:5]
    assert other_language_results(results, "ja", LOCALES) == []


def test_katakana_query_finds_words_inside_compounds(akiruno_search, site):
    """カード finds pages about マイナンバーカード and about クレジットカード."""
    results = akiruno_search.search("ja", "カード")
    texts = [(site.path / path / "index.html").read_text("utf-8") for path in results]
    assert any("マイナンバーカード" in text for text in texts)
    assert any("クレジットカード" in text for text in texts)


@pytest.mark.parametrize(("query", "expected"), ENGLISH_QUERIES)
def test_english_search_of_the_policy(akiruno_search, query, expected):
    results = akiruno_search.search("en", query)
    assert expected in results[:3], results[:5]
    assert other_language_results(results, "en", LOCALES) == []


@pytest.mark.parametrize(("locale", "query"), [("zh", "数字"), ("ko", "카드"), ("ja-easy", "カード")])
def test_other_languages_search_their_own_pages(akiruno_search, locale, query):
    results = akiruno_search.search(locale, query)
    assert results, f"no result for {query} on /{locale}/"
    assert other_language_results(results, locale, LOCALES) == []


@pytest.mark.parametrize(("query", "other", "expected"), [
    ("てれわーく", "テレワーク", "policy/5-initiatives/"),  # hiragana typed, katakana written
    ("ＤＸ", "DX", "policy/"),  # full-width typed
])
def test_kana_and_width_insensitive_search(akiruno_search, query, other, expected):
    found = [akiruno_search.search("ja", typed) for typed in (query, other)]
    assert found[0][:3] == found[1][:3] and expected in found[0][:5], found
