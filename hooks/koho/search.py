"""What each language's search holds, and the terms that let Japanese be found as
residents type it (the Pagefind bundles themselves: search_bundle.py).

Material's search plugin merges every language into one index. `split_index` gives each
language the documents of the pages written in it (untranslated pages shown from the
default language stay out). For each page, `infix_terms` gives the suffixes of its CJK and
Hangul words (デバイド of デジタルデバイド) and `kana_terms` the folded forms of the words
that folding changes (まいなんばー as マイナンバー, ＤＸ as DX): search_bundle adds both to
what Pagefind indexes, so that a query cut into words, or folded by Koho's worker
(theme/assets/javascripts/workers/koho-search.js), meets the same words in the index.
"""

from __future__ import annotations

import re
import unicodedata

from .languages import Language, language_of_url

# Runs of one script, as the search separator in mkdocs.yml splits them.
_WORD = re.compile(
    r"[\u30a0-\u30ff]+|[\u4e00-\u9fff\u3005]+|[\uac00-\ud7af]+|[\u3040-\u309f]+"
)
_MIN_SUFFIX = 2

# Kana- and width-insensitive search: words are compared folded (NFKC, then hiragana as
# katakana). ー belongs to hiragana words too.
_FOLDABLE = re.compile(r"[\u3041-\u309f\u30fc]+|[\uff01-\uff5e]+|[\uff61-\uff9f]+")
_HIRAGANA = re.compile(r"[\u3041-\u3096\u309d\u309e]")


def infix_terms(text: str) -> str:
    """Space-separated proper suffixes (2+ characters) of each CJK/Hangul word."""
    suffixes: dict[str, None] = {}
    for word in _WORD.findall(text):
        for start in range(1, len(word) - _MIN_SUFFIX + 1):
            suffixes[word[start:]] = None
    return " ".join(suffixes)


def fold(text: str) -> str:
    """Text as kana- and width-insensitive search compares it: NFKC, hiragana as katakana."""
    return _HIRAGANA.sub(lambda m: chr(ord(m[0]) + 0x60), unicodedata.normalize("NFKC", text))


def kana_terms(text: str) -> str:
    """Space-separated folded forms of the words (hiragana, full-width, half-width runs)
    that folding changes, each once."""
    terms: dict[str, None] = {}
    for run in _FOLDABLE.findall(text):
        folded = fold(run)
        if folded != run:
            terms[folded] = None
    return " ".join(terms)


def split_index(
    merged: dict, languages: list[Language], untranslated: dict[str, set[str]]
) -> dict[str, dict]:
    """Per-language search documents from Material's merged index.

    `untranslated` maps a locale to the URLs of pages shown in it from the
    default language; those stay out of that language's index. Locations are
    made relative to the language's home, which Material uses as its base.
    """
    config = dict(merged["config"])
    indexes = {lang.locale: {"config": config, "docs": []} for lang in languages}
    for doc in merged["docs"]:
        lang = language_of_url(doc["location"], languages)
        page_url = doc["location"].split("#", 1)[0]
        if page_url in untranslated.get(lang.locale, set()):
            continue
        entry = {**doc, "location": doc["location"][len(lang.url_prefix) :]}
        indexes[lang.locale]["docs"].append(entry)
    return indexes


# <!-- koho:search -->: a search box in the page's content (the home page's top task). It
# submits ?q=<query> to the same page, which opens Material's search with that query.
SEARCH_MARKER = re.compile(r"<!--\s*koho:search\s*-->")
