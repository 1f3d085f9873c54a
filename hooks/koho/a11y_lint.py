"""Accessibility lint of the editors' Markdown (part of koho check and the build):
the mistakes an automatic page checker cannot see in the source's intent.

- a heading level skipped (## then ####), or an H1 in the body (the title is the H1)
- vague link text (こちら, ここ, 詳細はこちら, click here, here, more)
- a table without a header row
- a cue by colour alone (赤字の項目, 赤色で示した, in red)
- a link to a PDF whose text does not say PDF

It reads the page as Python-Markdown parses it (markdown_analysis.py), so code is never linted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .validation import Problem

if TYPE_CHECKING:
    from .content import SourcePage
    from .markdown_analysis import HeaderlessTable, Heading, Link, PageAnalysis, TextRun

_VAGUE = {"こちら", "ここ", "詳細はこちら", "詳しくはこちら", "こちらをクリック", "click here", "here",
          "more", "read more", "この", "リンク"}
_COLOUR_ONLY = re.compile(r"(赤|青|緑|黄|オレンジ)(字|色)の(項目|部分|ところ|文字)"
                          r"|(赤|青|緑)(字|色)で(示|表示|書)"
                          r"|\bin (red|green|blue)\b|\b(red|green|blue) (text|items)\b", re.I)


def lint(page: SourcePage, analysis: PageAnalysis) -> list[Problem]:
    problems = [*_heading_problems(page, analysis.headings), *_link_problems(page, analysis.links),
                *_colour_problems(page, analysis.text_runs),
                *_table_problems(page, analysis.headerless_tables)]
    return sorted(problems, key=lambda problem: problem.line)


def _file_line(page: SourcePage, body_line: int) -> int:
    return page.body_line + body_line - 1


def _heading_problems(page: SourcePage, headings: tuple[Heading, ...]) -> list[Problem]:
    problems = []
    previous_level = 1  # the page title is the H1
    for heading in headings:
        line = _file_line(page, heading.line)
        if heading.level == 1 and page.page_type != "page":
            problems.append(Problem(page.shown, line, "heading", "heading_h1", heading.source))
        elif heading.level > previous_level + 1:
            problems.append(Problem(page.shown, line, "heading", "heading_skip",
                                    f"h{previous_level} → h{heading.level}"))
        previous_level = heading.level
    # A plain page may start with its own H1, but only one.
    h1_lines = [_file_line(page, heading.line) for heading in headings if heading.level == 1]
    return problems + [Problem(page.shown, line, "heading", "heading_many_h1", "#")
                       for line in h1_lines[1:]]


def _link_problems(page: SourcePage, links: tuple[Link, ...]) -> list[Problem]:
    problems = []
    for link in links:
        line = _file_line(page, link.line)
        words = link.text.strip().lower()
        if words in _VAGUE:
            problems.append(Problem(page.shown, line, "link", "vague_link", link.text))
        if link.href.lower().split("#")[0].endswith(".pdf") and "pdf" not in words:
            problems.append(Problem(page.shown, line, "link", "pdf_unsaid", link.text))
    return problems


def _colour_problems(page: SourcePage, runs: tuple[TextRun, ...]) -> list[Problem]:
    problems: dict[int, Problem] = {}  # one per line
    for run in runs:
        line = _file_line(page, run.line)
        cue = _COLOUR_ONLY.search(run.text)
        if cue and line not in problems:
            problems[line] = Problem(page.shown, line, "text", "colour_only", cue[0])
    return list(problems.values())


def _table_problems(page: SourcePage, tables: tuple[HeaderlessTable, ...]) -> list[Problem]:
    return [Problem(page.shown, _file_line(page, table.line), "table", "table_no_header",
                    table.first_row[:30]) for table in tables]
