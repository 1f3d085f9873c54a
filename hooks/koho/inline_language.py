"""Mark words in another script with their language (WCAG 3.1.2), so that screen
readers and read-aloud switch voice: Japanese terms in English, Korean or Chinese
text, Korean in any other, and English phrases in Japanese. Editors need not write
<span lang>; text inside an element that already has a lang is left alone."""

from __future__ import annotations

import re

from .furigana import KANJI
from .html_text import base_language, rewrite_text

_KANA = "\u3041-\u3096\u30a1-\u30fa"
_MARKS = "\u30fc\u30fb"  # ー and ・, also used in Chinese text
_JAPANESE = re.compile(f"[{_KANA}{KANJI}][{_KANA}{_MARKS}{KANJI}]*")
_KANA_RUN = re.compile(f"[{KANJI}]*[{_KANA}][{_KANA}{_MARKS}{KANJI}]*")
_HANGUL = re.compile(r"[\uac00-\ud7a3]+(?:\s+[\uac00-\ud7a3]+)*")
_ENGLISH_PHRASE = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z][A-Za-z'’-]*)+\b")

# For text in each language: which runs are in which other language.
_RULES: dict[str, list[tuple[re.Pattern[str], str]]] = {
    "ja": [(_HANGUL, "ko"), (_ENGLISH_PHRASE, "en")],
    "en": [(_JAPANESE, "ja"), (_HANGUL, "ko")],
    "ko": [(_JAPANESE, "ja")],
    "zh": [(_KANA_RUN, "ja"), (_HANGUL, "ko")],  # kanji alone may be Chinese: only with kana
}


# The rules of each language as one pattern, group r<i> for rule i.
_PATTERNS = {lang: re.compile("|".join(f"(?P<r{i}>{rule.pattern})" for i, (rule, _) in enumerate(rules)))
             for lang, rules in _RULES.items()}


def mark_inline_languages(html: str, page_lang: str) -> str:
    return rewrite_text(html, page_lang, _mark)


def _mark(text: str, lang: str) -> str:
    base = base_language(lang)
    if base not in _PATTERNS:
        return text
    rules = _RULES[base]

    def wrap(match: re.Match[str]) -> str:
        index = int(match.lastgroup[1:])
        return f'<span lang="{rules[index][1]}">{match.group()}</span>'

    return _PATTERNS[base].sub(wrap, text)
