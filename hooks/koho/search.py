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

from .languages import Language, language_of_url

# Runs of one script, as the search separator in mkdocs.yml splits them.
_WORD = re.compile(
    r"[\u30a0-\u30ff]+|[\u4e00-\u9fff\u3005]+|[\uac00-\ud7af]+|[\u3040-\u309f]+"
)
_MIN_SUFFIX = 2


def infix_terms(text: str) -> str:
    """Space-separated proper suffixes (2+ characters) of each CJK/Hangul word."""
    suffixes: dict[str, None] = {}
    for word in _WORD.findall(text):
        for start in range(1, len(word) - _MIN_SUFFIX + 1):
            suffixes[word[start:]] = None
    return " ".join(suffixes)


def split_index(
    merged: dict, languages: list[Language], untranslated: dict[str, set[str]]
) -> dict[str, dict]:
    """Per-language search indexes from Material's merged one.

    `untranslated` maps a locale to the URLs of pages shown in it from the
    default language; those stay out of that language's index. Locations are
    made relative to the language's home, which Material uses as its base.
    """
    indexes = {lang.locale: {"config": merged["config"], "docs": []} for lang in languages}
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
        indexes[lang.locale]["docs"].append(entry)
    return indexes

