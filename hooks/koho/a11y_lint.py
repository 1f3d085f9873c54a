"""Accessibility lint of the editors' Markdown (part of koho check and the build):
the mistakes an automatic page checker cannot see in the source's intent.

- a heading level skipped (## then ####), or an H1 in the body (the title is the H1)
- vague link text (こちら, ここ, 詳細はこちら, click here, here, more)
- a table without a header row
- a cue by colour alone (赤字の項目, 赤色で示した, in red)
- a link to a PDF whose text does not say PDF
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .validation import Problem

if TYPE_CHECKING:
    from .content import SourcePage

_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+\S")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)")
_VAGUE = {"こちら", "ここ", "詳細はこちら", "詳しくはこちら", "こちらをクリック", "click here", "here",
          "more", "read more", "この", "リンク"}
_COLOUR_ONLY = re.compile(r"(赤|青|緑|黄|オレンジ)(字|色)の(項目|部分|ところ|文字)"
                          r"|(赤|青|緑)(字|色)で(示|表示|書)"
                          r"|\bin (red|green|blue)\b|\b(red|green|blue) (text|items)\b", re.I)
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def lint(page: SourcePage) -> list[Problem]:
    problems: list[Problem] = []
    previous_level = 1  # the page title is the H1
    in_fence = False
    lines = page.body.splitlines()
    for offset, line in enumerate(lines):
        number = page.body_line + offset
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        heading = _HEADING.match(line)
        if heading:
            level = len(heading["marks"])
            if level == 1 and page.page_type != "page":
                problems.append(Problem(page.shown, number, "heading", "heading_h1", line.strip()))
            elif level > previous_level + 1:
                problems.append(Problem(page.shown, number, "heading", "heading_skip",
                                        f"h{previous_level} → h{level}"))
            previous_level = level
        for link in _LINK.finditer(line):
            text = re.sub(r"<[^>]+>", "", link["text"]).strip().lower()
            if text in _VAGUE:
                problems.append(Problem(page.shown, number, "link", "vague_link", link["text"]))
            if link["target"].lower().split("#")[0].endswith(".pdf") and "pdf" not in text:
                problems.append(Problem(page.shown, number, "link", "pdf_unsaid", link["text"]))
        if _COLOUR_ONLY.search(line):
            problems.append(Problem(page.shown, number, "text", "colour_only",
                                    _COLOUR_ONLY.search(line)[0]))
        if _starts_table(lines, offset) and not _TABLE_RULE.match(lines[offset + 1]):
            problems.append(Problem(page.shown, number, "table", "table_no_header", line.strip()[:30]))
    problems.extend(_h1_count(page))
    return problems


def _starts_table(lines: list[str], offset: int) -> bool:
    return (_TABLE_ROW.match(lines[offset]) is not None
            and (offset == 0 or not _TABLE_ROW.match(lines[offset - 1]))
            and offset + 1 < len(lines))


def _h1_count(page: SourcePage) -> list[Problem]:
    """A plain page may start with its own H1, but only one."""
    numbers = [page.body_line + i for i, line in enumerate(page.body.splitlines())
               if re.match(r"^#\s+\S", line)]
    return [Problem(page.shown, n, "heading", "heading_many_h1", "#") for n in numbers[1:]]
