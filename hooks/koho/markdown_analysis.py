"""One Python-Markdown pass over an editor's page, with the site's own extensions:
the headings, links, images, header-less tables and text that koho's checks
(links.py, a11y_lint.py) look at, each with its line in the page body.

The tree is the one the site is built from, so `# comment` lines in fenced code,
indented code and inline code are never taken for headings, links or text.
Python-Markdown does not keep source lines: each item is mapped back to its
line by searching the body in document order from a moving cursor, skipping
fenced code.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import chain

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pymdownx.slugs import slugify

from .safe_content import element_findings, html_findings


@dataclass(frozen=True)
class MarkdownSetup:
    """The site's `markdown_extensions`: names (or Extension objects) and each one's options."""

    extensions: tuple
    configs: dict

    @classmethod
    def from_config(cls, config: Mapping) -> MarkdownSetup:
        """From a config MkDocs has loaded (names, and options in `mdx_configs`), or from
        mkdocs.yml as written (a name, or a one-key mapping of a name to its options)."""
        extensions: list = []
        configs = dict(config.get("mdx_configs") or {})
        for entry in config.get("markdown_extensions") or []:
            if isinstance(entry, Mapping):
                for name, options in entry.items():
                    extensions.append(name)
                    configs[name] = dict(options or {})
            else:
                extensions.append(entry)
        return cls(tuple(extensions), configs)

    @classmethod
    def default(cls) -> MarkdownSetup:
        """The extensions of Koho's own mkdocs.yml, for callers without a MkDocs config."""
        return _default_setup()


@cache
def _default_setup() -> MarkdownSetup:
    return MarkdownSetup(
        ("abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
         "pymdownx.details", "pymdownx.superfences", "toc"),
        {"toc": {"permalink": True, "slugify": slugify(case="lower")}},
    )


@dataclass(frozen=True)
class Heading:
    line: int  # 1-based, within the body
    level: int
    id: str  # as the toc extension (or an attr_list {#id}) gives it
    text: str
    source: str  # the heading's line as written, e.g. "## 見出し {#id}"


@dataclass(frozen=True)
class Link:
    line: int
    text: str  # what a reader hears: the words, and the alt text of images in the link
    href: str


@dataclass(frozen=True)
class Image:
    line: int
    alt: str
    src: str


@dataclass(frozen=True)
class HeaderlessTable:
    """Rows written as a table without the '| --- |' line: Markdown keeps them a paragraph."""

    line: int
    first_row: str  # as written


@dataclass(frozen=True)
class TextRun:
    """Words of one line of running text (code left out)."""

    line: int
    text: str


@dataclass(frozen=True)
class Unsafe:
    """Something that would run script on the site (safe_content.py): a problem code and what."""

    line: int
    code: str
    found: str


@dataclass(frozen=True)
class PageAnalysis:
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    images: tuple[Image, ...]
    headerless_tables: tuple[HeaderlessTable, ...]
    text_runs: tuple[TextRun, ...]
    ids: frozenset[str]  # every anchor a link can point at: heading ids, {#id}, id="..." in HTML
    unsafe: tuple[Unsafe, ...] = ()  # script, event handlers, javascript: links, embedded frames


def analyse(body: str, setup: MarkdownSetup) -> PageAnalysis:
    converter, collector = _converter(setup)
    collector.body = body
    collector.analysis = _Walk(body).analysis_of(etree.Element("div"))  # if Markdown finds no text
    try:
        converter.reset().convert(body)
        return collector.analysis
    finally:
        collector.body = None


MAX_NESTING = 16  # levels of lists or quotes; Markdown's time grows with the cube of the depth
MAX_MARK_RUN = 100  # * _ [ ] in a row; far more makes Markdown recurse past Python's limit
_MARK_RUN = re.compile(rf"([*_\[\]])\1{{{MAX_MARK_RUN},}}")


def too_deep(body: str) -> tuple[int, str] | None:
    """The first line (1-based, in the body) nested deeper than Markdown handles in
    reasonable time and stack, with what was found; None for a normal page."""
    lines = [line.expandtabs(4) for line in body.split("\n")]
    for index, (line, fenced) in enumerate(zip(lines, _fenced_lines(lines), strict=True)):
        if fenced:
            continue
        indent = len(line) - len(line.lstrip(" "))
        quotes = _QUOTE_AND_INDENT.match(line)[0].count(">")
        run = _MARK_RUN.search(line)
        if indent > 4 * MAX_NESTING or quotes > MAX_NESTING or run:
            found = f"{run[1]} × {len(run[0])}" if run else \
                f"{max(indent // 4, quotes)} > {MAX_NESTING}"
            return index + 1, found
    return None


def render_html(body: str, setup: MarkdownSetup) -> str:
    converter, _ = _converter(setup)
    return converter.reset().convert(body)


_converters: dict[int, tuple[MarkdownSetup, markdown.Markdown, _Collector]] = {}


def _converter(setup: MarkdownSetup) -> tuple[markdown.Markdown, _Collector]:
    """One Markdown instance per setup, reused page after page: building one costs more than a page."""
    cached = _converters.get(id(setup))
    if cached is None or cached[0] is not setup:
        if len(_converters) > 8:
            _converters.clear()
        extension = _AnalysisExtension()
        converter = markdown.Markdown(extensions=[*setup.extensions, extension],
                                      extension_configs=setup.configs)
        cached = _converters[id(setup)] = (setup, converter, extension.collector)
    return cached[1], cached[2]


class _AnalysisExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        self.collector = _Collector(md)
        # After toc (5), which gives headings their ids; before unescape (0), so that
        # escaped characters are still marked and the text can be found in the source.
        md.treeprocessors.register(self.collector, "koho_analysis", 1)


class _Collector(Treeprocessor):
    body: str | None = None
    analysis: PageAnalysis

    def run(self, root: etree.Element) -> None:
        if self.body is not None:
            self.analysis = _Walk(self.body, self.md.htmlStash.rawHtmlBlocks).analysis_of(root)


# --- Text as the tree holds it ---------------------------------------------------------

_HTML_PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")
_ESCAPED = re.compile("\x02(\\d+)\x03")
_ANY_PLACEHOLDER = re.compile("\x02[^\x03]*\x03")
_GENERATED_CLASSES = {"headerlink", "footnote-ref", "footnote-backref", "toc"}
_HEADING_LEVELS = {f"h{level}": level for level in range(1, 7)}
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


def _plain(text: str) -> str:
    """Tree text as a reader sees it: raw HTML left out, escaped characters restored."""
    text = _HTML_PLACEHOLDER.sub("", text).replace("\x02amp\x03", "&")
    return _ESCAPED.sub(lambda match: chr(int(match[1])), text)


def _needle(text: str) -> str:
    """The longest stretch of `text` that appears as such in the source."""
    return max((part.strip() for part in _ANY_PLACEHOLDER.split(text)), key=len, default="")


def _is_generated(element: etree.Element) -> bool:
    """Added by an extension (permalinks, footnote marks, a [TOC]), not written by the editor."""
    return not _GENERATED_CLASSES.isdisjoint(element.get("class", "").split())


def _texts(element: etree.Element) -> Iterator[str]:
    if _is_generated(element):
        return
    if element.tag == "img":
        yield element.get("alt", "")
    text = element.text or ""
    yield html.unescape(text) if element.tag == "code" else text
    for child in element:
        yield from _texts(child)
        yield child.tail or ""


def _plain_text(element: etree.Element) -> str:
    return _plain("".join(_texts(element))).strip()


def _looks_like_rows(paragraph: etree.Element) -> bool:
    if not (paragraph.text or "").lstrip().startswith("|"):
        return False
    text = _plain("".join(_texts(paragraph))).strip()
    return bool(text) and all(_TABLE_ROW.match(line) for line in text.split("\n"))


class _Walk:
    """The tree in document order, each item placed on its source line as it comes."""

    def __init__(self, body: str, raw_html: list | None = None) -> None:
        self.source = _Source(body)
        self.raw_html = raw_html or []  # Python-Markdown's stash of the page's raw HTML
        self.unsafe: list[Unsafe] = []
        self.headings: list[Heading] = []
        self.links: list[Link] = []
        self.images: list[Image] = []
        self.tables: list[HeaderlessTable] = []
        self.texts: list[TextRun] = []
        self.ids: set[str] = set()

    def analysis_of(self, root: etree.Element) -> PageAnalysis:
        self._children(root)
        return PageAnalysis(tuple(self.headings), tuple(self.links), tuple(self.images),
                            tuple(self.tables), tuple(self.texts),
                            frozenset(self.ids | self.source.html_ids()), tuple(self.unsafe))

    def _children(self, element: etree.Element) -> None:
        for child in element:
            self._element(child)
            self._text(child.tail)

    def _element(self, element: etree.Element) -> None:
        if _is_generated(element):
            return
        if element.get("id"):
            self.ids.add(element.get("id"))
        if element.tag in ("pre", "code"):
            return
        level = _HEADING_LEVELS.get(element.tag)
        if level:
            self._heading(element, level)
        elif element.tag == "p" and _looks_like_rows(element):
            line = self.source.find_line(_is_table_row)
            self.tables.append(HeaderlessTable(line, self.source.written(line)))
        elif element.tag == "img":
            src = element.get("src", "")
            self.images.append(Image(self.source.find_target(_needle(src)), element.get("alt", ""),
                                     _plain(src)))
        self._text(element.text)
        self._children(element)
        if element.tag == "a" and element.get("href") is not None:
            # After the link's words, which come first in the source: [words](href)
            href = element.get("href", "")
            self.links.append(Link(self.source.find_target(_needle(href)), _plain_text(element),
                                   _plain(href)))
        # Markdown links and images, {attr_list} attributes, md_in_html elements.
        attributes = [(name, html.unescape(_plain(value))) for name, value in element.items()]
        for finding in element_findings(element.tag, attributes, ""):
            needle = finding.found.rstrip("=") if finding.code == "unsafe_attribute" else \
                _needle(finding.found)
            self.unsafe.append(Unsafe(self.source.find_target(needle), finding.code, finding.found))

    def _heading(self, element: etree.Element, level: int) -> None:
        text = _plain_text(element)
        line = self.source.find_line(_is_heading(level), _contains(_needle(text)))
        self.headings.append(Heading(line, level, element.get("id", ""), text,
                                     self.source.written(line)))

    def _raw_html(self, piece: str) -> None:
        """Raw HTML written in the page, which Markdown keeps aside behind a placeholder."""
        for match in _HTML_PLACEHOLDER.finditer(piece):
            index = int(match[1])
            raw = self.raw_html[index] if index < len(self.raw_html) else ""
            if not isinstance(raw, str):  # an element md_in_html keeps whole
                raw = etree.tostring(raw, encoding="unicode")
            for finding in html_findings(raw):
                needle = finding.source.split("\n")[0].strip()
                self.unsafe.append(Unsafe(self.source.find_text(needle), finding.code, finding.found))

    def _text(self, text: str | None) -> None:
        for piece in (text or "").split("\n"):
            self._raw_html(piece)
            plain = _plain(piece).strip()
            if plain:
                self.texts.append(TextRun(self.source.find_text(_needle(piece)), plain))


# --- The source lines --------------------------------------------------------------------

# Possessive (*+): a long run of spaces is read once, not split every way on a failed match.
_QUOTE_AND_INDENT = re.compile(r"^[ \t]*+(?:>[ \t]?)*+[ \t]*+")
_FENCE_OPENING = re.compile(r"^[ \t]*+(?:>[ \t]?)*+[ \t]*+(?P<fence>`{3,}(?!.*`)|~{3,})")
_ATX = re.compile(r"(?P<marks>#{1,6})(?:[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r"(?P<marks>=+|-+)[ \t]*$")
_REFERENCE_DEFINITION = re.compile(r"^[ \t]*\[[^\]]+\]:[ \t]")
_HTML_ID = re.compile(r'\bid="(?P<id>[\w-]+)"')

LineTest = Callable[[list[str], int], bool]


def _content(line: str) -> str:
    """A line without its indentation and blockquote marks."""
    return line[_QUOTE_AND_INDENT.match(line).end():]


def _is_heading(level: int) -> LineTest:
    html_tag = re.compile(rf"<h{level}[\s>]", re.IGNORECASE)

    def test(lines: list[str], index: int) -> bool:
        atx = _ATX.match(_content(lines[index]))
        return ((atx is not None and len(atx["marks"]) == level)
                or _is_setext(lines, index, level) or html_tag.search(lines[index]) is not None)
    return test


def _is_setext(lines: list[str], index: int, level: int) -> bool:
    if level > 2 or index + 1 >= len(lines) or not _content(lines[index]).strip():
        return False
    underline = _SETEXT_UNDERLINE.match(_content(lines[index + 1]))
    return underline is not None and underline["marks"][0] == "=-"[level - 1]


def _is_table_row(lines: list[str], index: int) -> bool:
    return _TABLE_ROW.match(_content(lines[index])) is not None


def _contains(needle: str) -> LineTest:
    return lambda lines, index: bool(needle) and needle in lines[index]


def _fenced_lines(lines: list[str]) -> list[bool]:
    """Which lines are fenced code, fences included. An unclosed fence is no fence."""
    fenced = [False] * len(lines)
    index = 0
    while index < len(lines):
        opening = _FENCE_OPENING.match(lines[index])
        closing = _closing_fence(lines, index, opening["fence"]) if opening else None
        if closing is None:
            index += 1
            continue
        fenced[index:closing + 1] = [True] * (closing + 1 - index)
        index = closing + 1
    return fenced


def _closing_fence(lines: list[str], opening: int, fence: str) -> int | None:
    closing = re.compile(rf"^[ \t]*+(?:>[ \t]?)*+[ \t]*+{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    return next((index for index in range(opening + 1, len(lines)) if closing.match(lines[index])),
                None)


class _Source:
    """The body's lines and a cursor (line, column) that moves on as items are found.
    Each search goes forward from the cursor, then from the top (footnotes, which
    Markdown moves to the end); an item that is not found stays at the cursor."""

    def __init__(self, body: str) -> None:
        self.original = body.split("\n")
        self.lines = [line.expandtabs(4) for line in self.original]  # as Markdown sees them
        self.fenced = _fenced_lines(self.lines)
        self.line = 0  # 0-based index of the cursor's line
        self.column = 0
        self.block_line = -1  # the last line found as the start of a block

    def written(self, line: int) -> str:
        return self.original[line - 1].strip()

    def html_ids(self) -> set[str]:
        return {match["id"] for line, fenced in zip(self.lines, self.fenced, strict=True)
                if not fenced and 'id="' in line for match in _HTML_ID.finditer(line)}

    def find_text(self, needle: str) -> int:
        """1-based line of the next `needle`; the cursor moves past it."""
        if needle:
            for index in self._forward_then_wrapped(self.line):
                found = self.lines[index].find(needle, self.column if index == self.line else 0)
                if found >= 0:
                    self.line, self.column = index, found + len(needle)
                    break
        return self.line + 1

    def find_target(self, needle: str) -> int:
        """Like find_text; a reference definition ([id]: url) further down leaves the cursor
        where it was."""
        before = self.line, self.column
        line = self.find_text(needle)
        if _REFERENCE_DEFINITION.match(self.lines[line - 1]):
            self.line, self.column = before
        return line

    def find_line(self, *tests: LineTest) -> int:
        """1-based line of the next block start that passes a test, the first test
        preferred; the cursor moves to its beginning."""
        start = max(self.line + (1 if self.column else 0), self.block_line + 1)
        for indices in (range(start, len(self.lines)), range(0, min(start, len(self.lines)))):
            for test in tests:
                index = next((i for i in indices if not self.fenced[i] and test(self.lines, i)), None)
                if index is not None:
                    self.line, self.column, self.block_line = index, 0, index
                    return index + 1
        return self.line + 1

    def _forward_then_wrapped(self, start: int) -> Iterator[int]:
        for index in chain(range(start, len(self.lines)), range(0, start)):
            if not self.fenced[index]:
                yield index
