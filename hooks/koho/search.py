"""One search index per language, with infix matching for Japanese, Chinese
and Korean.

Material's search merges every language into one index and matches words only
at their start. After the build, `split_index` gives each language its own
index (at <language>/search/search_index.json; the pages point Material there
through `config.base`, see site_output.py) holding only pages written in that
language, and adds to each document an `infix` field: the suffixes of its CJK
and Hangul words (and `title_infix`, those of its title, weighted higher). A
query for カード then matches the suffix カード of マイナンバーカード at its start,
which is what Material's prefix query needs.
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

# Kana- and width-insensitive search: the `kana` field (`title_kana` for the title) holds
# each word that folding changes, folded (NFKC, then hiragana as katakana), once:
# まいなんばー as マイナンバー, ＤＸ as DX, ﾃﾚﾜｰｸ as テレワーク. Koho's search worker
# (theme/assets/javascripts/workers/koho-search.js) folds each query word the same way, so
# てれわーく finds テレワーク and マイナンバー finds まいなんばー. Indexed, never displayed;
# split_index adds the fields to the index's configuration. ー belongs to hiragana words too.
KANA_FIELDS = {"kana": 0.5, "title_kana": 10}  # field -> boost, as infix and title_infix
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
    """Per-language search indexes from Material's merged one.

    `untranslated` maps a locale to the URLs of pages shown in it from the
    default language; those stay out of that language's index. Locations are
    made relative to the language's home, which Material uses as its base.
    """
    config = dict(merged["config"])
    config["fields"] = {**{field: {"boost": boost} for field, boost in KANA_FIELDS.items()},
                        **config.get("fields", {})}  # a site's own setting of a field wins
    indexes = {lang.locale: {"config": config, "docs": []} for lang in languages}
    for doc in merged["docs"]:
        lang = language_of_url(doc["location"], languages)
        page_url = doc["location"].split("#", 1)[0]
        if page_url in untranslated.get(lang.locale, set()):
            continue
        entry = {**doc, "location": doc["location"][len(lang.url_prefix) :]}
        infix = infix_terms(f"{doc.get('title', '')} {doc.get('text', '')}")
        if infix:
            entry["infix"] = infix
        title_infix = infix_terms(doc.get("title", ""))
        if title_infix:  # デバイド finds the heading デジタルデバイド before passing mentions
            entry["title_infix"] = title_infix
        kana = kana_terms(f"{doc.get('title', '')} {doc.get('text', '')}")
        if kana:
            entry["kana"] = kana
        title_kana = kana_terms(doc.get("title", ""))
        if title_kana:
            entry["title_kana"] = title_kana
        indexes[lang.locale]["docs"].append(entry)
    return indexes


# <!-- koho:search -->: a search box in the page's content (the home page's top task). It
# submits ?q=<query> to the same page, which opens Material's search with that query.
SEARCH_MARKER = re.compile(r"<!--\s*koho:search\s*-->")
