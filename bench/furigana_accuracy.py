"""Reading accuracy of the furigana analysers on 200 words of the DX policy.

bench/furigana_gold.tsv holds 200 kanji words sampled at random (seed 2026) from
docs/ja/policy, each with the reading it has in its sentence, written by hand.
Each analyser reads the whole sentence; a word counts as right when the readings
it gives the word's kanji, joined, equal the hand-written reading.

Run: .venv/bin/python bench/furigana_accuracy.py [--misses]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from koho import furigana

GOLD = Path(__file__).with_name("furigana_gold.tsv")
ANALYSERS = {"sudachipy (SudachiDict core, mode C)": furigana.sudachi_tokens,
             "pykakasi": furigana.pykakasi_tokens}


def gold() -> list[tuple[str, str, str]]:
    rows = [line.split("\t") for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    return [(word, reading, sentence) for word, reading, sentence in rows]


def whole_word_at(word: str, sentence: str) -> int:
    """Where the word stands as a whole kanji run (申請 alone, not inside 申請書)."""
    return next(m.start() for m in furigana.KANJI_RUN.finditer(sentence) if m.group() == word)


def score(analyser, rows) -> tuple[int, list[str]]:
    right, misses = 0, []
    for word, expected, sentence in rows:
        start = whole_word_at(word, sentence)
        parts = furigana.segments(sentence, analyser)
        given = furigana.reading_of_span(parts, start, start + len(word))
        if given == expected:
            right += 1
        else:
            misses.append(f"  {word}: expected {expected}, got {given or '(none)'}")
    return right, misses


def main() -> None:
    rows = gold()
    for name, analyser in ANALYSERS.items():
        analyser("準備")  # load the dictionary before timing
        began = time.perf_counter()
        right, misses = score(analyser, rows)
        took = time.perf_counter() - began
        print(f"{name}: {right}/{len(rows)} words read right ({right / len(rows):.1%}), {took:.2f} s")
        if "--misses" in sys.argv:
            print("\n".join(misses))


if __name__ == "__main__":
    main()
