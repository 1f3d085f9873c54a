"""The glossary (用語解説): entries read from each language's glossary page,
and short definitions attached to the links that point at them.

Editors link a term the usual Markdown way, `[オープンデータ](../glossary.md#open-data)`;
the built link gets its entry's first sentence as a tooltip that shows on hover
and keyboard focus and is announced through aria-describedby.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from .templates import Templates

GLOSSARY_FILE = "glossary.md"
_HEADING = re.compile(r"^##\s+(?P<term>.+?)\s*\{#(?P<id>[\w-]+)\}\s*$")
_TAG = re.compile(r"<rt>.*?</rt>|<[^>]+>")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SENTENCE_END = re.compile(r"(?<=[。．！？])|(?<=[.!?])\s")
_GLOSSARY_LINK = re.compile(
    r'<a href="(?P<href>[^"#]*glossary/(?:index\.html)?#(?P<id>[\w-]+))"(?P<attrs>[^>]*)>'
    r"(?P<text>.*?)</a>",
    re.S,
)


@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    term: str
    definition: str  # first paragraph, plain text

    @property
    def short(self) -> str:
        """The first sentence: what the tooltip shows."""
        first = _SENTENCE_END.split(self.definition, maxsplit=1)[0].strip()
        return first or self.definition


def plain_text(markdown: str) -> str:
    text = _MD_LINK.sub(r"\1", markdown)
    text = _TAG.sub("", text)
    return html.unescape(re.sub(r"[*_`]", "", text)).strip()


def parse_glossary(markdown: str) -> list[GlossaryEntry]:
    entries: list[GlossaryEntry] = []
    term_id: str | None = None
    term = ""
    paragraph: list[str] = []

    def close() -> None:
        if term_id is not None:
            entries.append(GlossaryEntry(term_id, term, plain_text(" ".join(paragraph))))

    for line in markdown.splitlines():
        heading = _HEADING.match(line)
        if heading:
            close()
            term_id, term, paragraph = heading["id"], plain_text(heading["term"]), []
        elif line.startswith("#"):
            close()
            term_id = None
        elif term_id is not None:
            if line.strip():
                if not paragraph or paragraph[-1] != "":
                    paragraph.append(line.strip())
            elif paragraph:
                paragraph.append("")  # paragraph ended; later lines are ignored
    close()
    return [GlossaryEntry(e.id, e.term, e.definition.rstrip()) for e in entries]


def load_glossary(docs_dir: Path, locale: str, default_locale: str) -> list[GlossaryEntry]:
    """Entries of a language's glossary, or of the default language's if untranslated."""
    for folder in (locale, default_locale):
        path = docs_dir / folder / GLOSSARY_FILE
        if path.exists():
            return parse_glossary(path.read_text(encoding="utf-8"))
    return []


def attach_definitions(templates: Templates, page_html: str, entries: list[GlossaryEntry],
                       tip_lang: str) -> str:
    """Give each link to a glossary entry its short definition as a tooltip
    (partials/koho/glossary-term.html)."""
    by_id = {entry.id: entry for entry in entries}
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        entry = by_id.get(match["id"])
        if entry is None:
            return match[0]
        count += 1
        return templates.render("glossary-term.html", href=Markup(match["href"]),
                                attrs=Markup(match["attrs"]), text=Markup(match["text"]),
                                tip_id=f"koho-term-{entry.id}-{count}", tip_lang=tip_lang,
                                definition=entry.short)

    return _GLOSSARY_LINK.sub(replace, page_html)
