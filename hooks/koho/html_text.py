"""Walk the text of a built HTML fragment with the language each piece is in, and
rewrite it: the shared ground of inline language marking and furigana."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

_PIECE = re.compile(r"(<!--.*?-->|<[^>]+>)", re.S)
_START = re.compile(r"<\s*([a-zA-Z][\w-]*)")
_END = re.compile(r"<\s*/\s*([a-zA-Z][\w-]*)")
_LANG = re.compile(r"""\slang\s*=\s*["']([^"']*)["']""")
_CLASS = re.compile(r"""\sclass\s*=\s*["']([^"']*)["']""")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
# Text in these is never rewritten: code, scripts, readings already given.
LITERAL = {"code", "pre", "kbd", "samp", "script", "style", "ruby", "svg", "math", "textarea", "title",
           "option", "select"}  # <option> holds text only: no <ruby>, no <span>

# Rewrites a text node given the language it is in; returns HTML.
TextRewrite = Callable[[str, str], str]


def rewrite_text(html: str, page_lang: str, rewrite: TextRewrite,
                 rewrite_tag: Callable[[str], str] | None = None,
                 skip_classes: frozenset[str] = frozenset()) -> str:
    """Apply `rewrite` to every text node outside LITERAL elements and elements with
    one of `skip_classes`, passing the language in force there (the nearest lang
    attribute, else the page's)."""
    out: list[str] = []
    # The open elements, each with the language in force inside it and whether its text
    # is left alone (inherited from the elements around it).
    stack: list[_Open] = [_Open("", page_lang, False)]
    for piece in _PIECE.split(html):
        if not piece:
            continue
        if piece[0] == "<":
            out.append(rewrite_tag(piece) if rewrite_tag else piece)
            _follow(piece, stack, skip_classes)
        elif stack[-1].untouched or piece.isspace():
            out.append(piece)
        else:
            out.append(rewrite(piece, stack[-1].lang))
    return "".join(out)


class _Open(NamedTuple):
    name: str
    lang: str
    untouched: bool


def _follow(tag: str, stack: list[_Open], skip_classes: frozenset[str]) -> None:
    # The cheap tests first: this runs for every tag of every page.
    if tag[1] in "!?":
        return
    if end := _END.match(tag):
        name = end.group(1).lower()
        for index in range(len(stack) - 1, 0, -1):
            if stack[index].name == name:
                del stack[index:]
                break
        return
    start = _START.match(tag)
    if not start or tag.endswith("/>"):
        return
    name = start.group(1).lower()
    if name in _VOID:
        return
    lang = _LANG.search(tag) if "lang" in tag else None
    classes = _CLASS.search(tag) if skip_classes and "class" in tag else None
    skipped = bool(classes and skip_classes.intersection(classes.group(1).split()))
    parent = stack[-1]
    stack.append(_Open(name, lang.group(1) if lang else parent.lang,
                       parent.untouched or skipped or name in LITERAL))


def base_language(tag: str) -> str:
    return tag.split("-")[0].lower()
