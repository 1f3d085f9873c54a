"""やさしい日本語 (Easy Japanese) checks: warnings, with file and line, on the pages of the
language a site names as its Easy Japanese (plugins.koho.easy_japanese.locale).

Three checks, on the text a reader sees (furigana readings, tags, link addresses, code and
comments left out), sentence by sentence (a sentence ends at 。！？, a table cell or the
end of a line), in the body and in the front matter's text:

- a sentence longer than `sentence_length` characters (spaces not counted: Easy Japanese
  puts spaces between words);
- a sentence of at least 10 Japanese characters whose kanji share is over `kanji_share`;
- a word of the hard-words list (easy_japanese_words.yml, and the site's own lists),
  named with its easier word.

They are warnings, never errors: `koho check` prints them and the build counts them;
neither fails because of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .validation import Problem

if TYPE_CHECKING:
    from .content import SourcePage

WORDS_FILE = Path(__file__).with_name("easy_japanese_words.yml")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]")
_KANA = re.compile(r"[\u3041-\u309f\u30a1-\u30ff]")
_JAPANESE = re.compile(r"[\u3041-\u309f\u30a1-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]")
_MIN_FOR_SHARE = 10  # Japanese characters a sentence needs before its kanji share is judged
_HIDDEN = [
    re.compile(r"<rt[^>]*>.*?</rt>", re.S),  # furigana readings
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"`[^`]*`"),  # code
    re.compile(r"\]\([^)]*\)"),  # link addresses: [text](address)
    re.compile(r"\{[#.:][^}]*\}"),  # attribute lists {#id}
    re.compile(r"<[^>]+>"),  # tags
    re.compile(r"https?://\S+"),
]
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|\|")
_FENCE = re.compile(r"^\s*(```|~~~)")
_FRONT_VALUE = re.compile(r"^\s*(?:-\s+)?(?:[\w-]+:\s+)?(?P<value>.*)$")


@dataclass(frozen=True)
class EasyJapaneseSettings:
    locale: str | None  # the language checked; None: no checks
    sentence_length: int  # at most this many characters a sentence (spaces not counted)
    kanji_share: float  # at most this share of kanji among a sentence's Japanese characters
    words_files: tuple[Path, ...] = ()  # the site's own hard-words lists, over Koho's


def load_words(files: Iterable[Path] = ()) -> dict[str, str]:
    """Hard word -> easier word: Koho's list, then each of the site's files over it."""
    words: dict[str, str] = {}
    for path in (WORDS_FILE, *files):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected 'hard word: easier word' lines")
        words.update({str(hard): str(easy) for hard, easy in data.items()})
    return words


def visible(text: str) -> str:
    """A Markdown or HTML line as a reader sees it (roughly): no readings, tags, addresses."""
    for pattern in _HIDDEN:
        text = pattern.sub("", text)
    return re.sub(r"[*_#>\[\]]", "", text)


def sentences(text: str) -> Iterator[str]:
    for part in _SENTENCE_END.split(text):
        part = part.strip()
        if part:
            yield part


def check(pages: Iterable[SourcePage], settings: EasyJapaneseSettings, root: Path) -> list[Problem]:
    """Every warning on the Easy Japanese pages."""
    if settings.locale is None:
        return []
    words = load_words(settings.words_files)
    problems: list[Problem] = []
    for page in pages:
        if page.locale == settings.locale:
            for line, text in _lines(page, root):
                problems.extend(check_line(page.shown, line, text, settings, words))
    return problems


def check_line(shown: str, line: int, text: str, settings: EasyJapaneseSettings,
               words: dict[str, str]) -> list[Problem]:
    problems = []
    seen = visible(text)
    for sentence in sentences(seen):
        japanese = _JAPANESE.findall(sentence)
        if not japanese:
            continue
        length = len("".join(sentence.split()))
        if length > settings.sentence_length:
            problems.append(Problem(shown, line, "easy_japanese", "easy_long_sentence",
                                    f"{length} > {settings.sentence_length}: {_start(sentence)}"))
        kanji = len(_KANJI.findall(sentence))
        if len(japanese) >= _MIN_FOR_SHARE and kanji / len(japanese) > settings.kanji_share:
            share = f"{kanji}/{len(japanese)} > {settings.kanji_share:.0%}"
            problems.append(Problem(shown, line, "easy_japanese", "easy_kanji",
                                    f"{share}: {_start(sentence)}"))
    for hard, easy in words.items():
        if hard in seen:
            problems.append(Problem(shown, line, "easy_japanese", "easy_hard_word", f"{hard} → {easy}"))
    return problems


def _start(sentence: str, length: int = 20) -> str:
    return sentence if len(sentence) <= length else sentence[:length] + "…"


def _lines(page: SourcePage, root: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of the front matter's values and of the body outside code blocks."""
    path = root / page.shown
    front = path.read_text(encoding="utf-8").splitlines()[1:max(page.body_line - 2, 1)] \
        if path.is_file() else []
    for number, text in enumerate(front, start=2):
        match = _FRONT_VALUE.match(text)
        if match and _JAPANESE.search(match["value"]):
            yield number, match["value"].strip("\"'")
    fenced = False
    for number, text in enumerate(page.body.splitlines(), start=page.body_line):
        if _FENCE.match(text):
            fenced = not fenced
            continue
        if not fenced and not text.startswith("    "):
            yield number, text
