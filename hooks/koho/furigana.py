"""Furigana: readings for the kanji in Japanese text, from a morphological analyser.

SudachiPy (with SudachiDict core) was chosen over pykakasi by measured reading accuracy
on 200 words of the DX policy: see bench/furigana_accuracy.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from .html_text import base_language, rewrite_text

KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
KANJI_RUN = re.compile(f"[{KANJI}]+")
HAS_KANJI = re.compile(f"[{KANJI}]")

# A token as an analyser gives it: surface text and its reading (kana), or None.
Token = tuple[str, str | None]
Analyser = Callable[[str], Iterable[Token]]


@dataclass(frozen=True)
class Segment:
    """A piece of text; kanji pieces carry their reading in hiragana."""

    text: str
    reading: str | None = None


def hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" and c != "ヶ" else c for c in text)


def split_token(surface: str, reading: str | None) -> list[Segment]:
    """Give each kanji run of a token its own share of the token's reading, by matching
    the token's kana (okurigana) against the reading: 取り組む/とりくむ → 取(と)り組(く)む."""
    if not reading or not HAS_KANJI.search(surface):
        return [Segment(surface)]
    reading = hiragana(reading)
    parts = re.split(f"([{KANJI}]+)", surface)
    pattern = "".join("(.+?)" if KANJI_RUN.fullmatch(p) else re.escape(hiragana(p)) for p in parts if p)
    match = re.fullmatch(pattern, reading)
    if not match:
        return [Segment(surface, reading)]
    readings = iter(match.groups())
    return [Segment(p, next(readings)) if KANJI_RUN.fullmatch(p) else Segment(p) for p in parts if p]


def segments(text: str, analyser: Analyser | None = None) -> list[Segment]:
    analyse = analyser or sudachi_tokens
    result: list[Segment] = []
    for surface, reading in analyse(text):
        for segment in split_token(surface, reading if _reading_fits(surface, reading) else None):
            if segment.reading is None and result and result[-1].reading is None:
                result[-1] = Segment(result[-1].text + segment.text)
            else:
                result.append(segment)
    return result


def _reading_fits(surface: str, reading: str | None) -> bool:
    """Analysers read unknown words as the surface itself or as nothing: no ruby then."""
    return bool(reading) and hiragana(reading) != surface and not HAS_KANJI.search(reading or "")


@lru_cache(maxsize=1)
def _sudachi():
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


def sudachi_tokens(text: str) -> list[Token]:
    return [(m.surface(), m.reading_form()) for m in _sudachi().tokenize(text)]


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


def pykakasi_tokens(text: str) -> list[Token]:
    return [(item["orig"], item["hira"]) for item in _kakasi().convert(text)]


def reading_of_span(parts: list[Segment], start: int, end: int) -> str:
    """The reading given to the kanji between character offsets start and end."""
    position, reading = 0, ""
    for part in parts:
        part_end = position + len(part.text)
        if part.reading and position < end and part_end > start:
            reading += part.reading
        position = part_end
    return reading


RT_ATTRIBUTES = 'aria-hidden="true" data-search-exclude'
# Admonition titles sit beside an icon drawn by ::before; a <ruby> there leaves axe-core
# unable to judge the title's contrast. Titles are short and repeat the body's words.
NO_RUBY_CLASSES = frozenset({"admonition-title"})


def add_ruby(html: str, page_lang: str = "ja", analyser: Analyser | None = None) -> str:
    """Put a <ruby> with its reading around every kanji run in the Japanese text of an
    HTML fragment. The reading (<rt>) is hidden from screen readers, which read the
    kanji themselves, and from the search index; CSS shows or hides it."""

    def ruby(text: str, lang: str) -> str:
        if base_language(lang) != "ja" or not HAS_KANJI.search(text):
            return text
        if analyser is None:
            return _ruby_html(text)
        return "".join(_ruby(s) for s in segments(text, analyser))

    return rewrite_text(html, page_lang, ruby, _mark_existing_rt, NO_RUBY_CLASSES)


def _mark_existing_rt(tag: str) -> str:
    """Readings an editor wrote by hand behave like the generated ones."""
    return f"<rt {RT_ATTRIBUTES}>" if re.fullmatch(r"<rt\s*>", tag) else tag


@lru_cache(maxsize=50_000)
def _ruby_html(text: str) -> str:
    """The text with SudachiPy's readings. The same text comes back often (a page left
    untranslated is built again in every language, headings repeat in lists): the
    analyser, the slowest part of a build, reads it once."""
    return "".join(_ruby(s) for s in segments(text))


def _ruby(segment: Segment) -> str:
    if not segment.reading:
        return segment.text
    return f"<ruby>{segment.text}<rt {RT_ATTRIBUTES}>{segment.reading}</rt></ruby>"
