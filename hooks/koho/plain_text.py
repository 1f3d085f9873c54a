"""HTML as readable plain text, for the text part of a notice's mail.

The text is rendered from the same HTML as the mail's HTML part (the site's
Markdown extensions, sanitised), so no Markdown syntax (`**`, `[...](...)`,
`!!! note`, `|---|`) reaches a reader: paragraphs and headings are separated
by blank lines, list items start with "-" or their number, a link reads
"words (address)", an image its alt text, a table one row per line with cells
between " | ".
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tr",
           "blockquote", "pre", "dl", "dt", "dd", "details", "summary", "hr", "figure",
           "figcaption", "section", "article", "aside", "header", "footer", "nav"}
_SKIPPED = {"script", "style", "template", "rt", "rp", "head", "title"}
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def html_to_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser.text()


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []  # finished lines and blank-line separators
        self.line: list[str] = []  # the line being written
        self.lists: list[list[int]] = []  # one counter per open list; [-1] for a bullet list
        self.links: list[tuple[str, list[str]]] = []  # each open <a>: its href, its words
        self.skipping = 0
        self.preformatted = 0
        self.cells = 0  # cells so far in the current table row

    # -- lines ------------------------------------------------------------------------------

    def write(self, text: str) -> None:
        if self.skipping:
            return
        if not self.preformatted:
            text = _SPACES.sub(" ", text)
            if not "".join(self.line).strip() or "".join(self.line).endswith((" ", "| ")):
                text = text.lstrip()
        self.line.append(text)
        for _, words in self.links:
            words.append(text)

    def mark(self, text: str) -> None:
        """A list mark or indentation at the start of a line, kept as written."""
        if not self.skipping:
            self.line.append(text)

    def end_line(self) -> None:
        written = "".join(self.line)
        self.line = []
        if self.preformatted:
            self.blocks.extend(written.split("\n"))
        elif written.strip():
            self.blocks.append(written.rstrip())

    def paragraph(self) -> None:
        self.end_line()
        if self.blocks and self.blocks[-1] != "":
            self.blocks.append("")

    def text(self) -> str:
        self.end_line()
        return "\n".join(self.blocks).strip("\n")

    def indent(self) -> str:
        return "  " * max(len(self.lists) - 1, 0)

    # -- elements ---------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in ("ul", "ol"):
            self.end_line() if self.lists else self.paragraph()
            self.lists.append([int(values.get("start") or 1) - 1 if tag == "ol" else -1])
        elif tag == "li":
            self.end_line()
            counter = self.lists[-1] if self.lists else [-1]
            if counter[0] >= 0:
                counter[0] += 1
                self.mark(f"{self.indent()}{counter[0]}. ")
            else:
                self.mark(f"{self.indent()}- ")
        elif tag == "br":
            self.end_line()
        elif tag == "hr":
            self.paragraph()
            self.blocks.extend(["----", ""])
        elif tag == "tr":
            self.end_line()
            self.cells = 0
        elif tag in ("td", "th"):
            if self.cells:
                self.line = ["".join(self.line).rstrip(), " | "]
            self.cells += 1
        elif tag == "pre":
            self.paragraph()
            self.preformatted += 1
        elif tag == "img":
            alt = (values.get("alt") or "").strip()
            self.write(f"[{alt}]" if alt else "")
        elif tag == "a":
            self.links.append(((values.get("href") or "").strip(), []))
        elif tag in _BLOCKS:
            self.end_line() if self.lists else self.paragraph()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.end_line() if self.lists else self.paragraph()
        elif tag == "pre":
            self.preformatted = max(self.preformatted - 1, 0)
            self.paragraph()
        elif tag == "a" and self.links:
            href, words = self.links.pop()
            said = "".join(words).strip()
            if href and not href.startswith("#") and said and href.removeprefix("mailto:") != said:
                self.write(f" ({href})")
        elif tag in ("li", "tr", "dt", "summary"):
            self.end_line()
        elif tag in _BLOCKS:
            self.end_line() if self.lists else self.paragraph()

    def handle_data(self, data: str) -> None:
        self.write(data)
