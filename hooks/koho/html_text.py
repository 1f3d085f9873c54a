"""Walk the text of a built HTML fragment with the language each piece is in, and
rewrite it: the shared ground of inline language marking and furigana."""

from __future__ import annotations

import re
from collections.abc import Callable

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
    stack: list[tuple[str, str | None, bool]] = []  # element name, its lang, text left alone
    for piece in _PIECE.split(html):
        if not piece:
            continue
        if piece.startswith("<"):
            out.append(rewrite_tag(piece) if rewrite_tag else piece)
            _follow(piece, stack, skip_classes)
        elif any(untouched for _, _, untouched in stack) or not piece.strip():
            out.append(piece)
        else:
            lang = next((lang for _, lang, _ in reversed(stack) if lang is not None), page_lang)
            out.append(rewrite(piece, lang))
    return "".join(out)


def _follow(tag: str, stack: list[tuple[str, str | None, bool]], skip_classes: frozenset[str]) -> None:
    if tag.startswith("<!") or tag.startswith("<?"):
        return
    if end := _END.match(tag):
        name = end.group(1).lower()
        for index in range(len(stack) - 1, -1, -1):
            if stack[index][0] == name:
                del stack[index:]
                break
        return
    start = _START.match(tag)
    if not start or tag.endswith("/>") or start.group(1).lower() in _VOID:
        return
    lang = _LANG.search(tag)
    classes = _CLASS.search(tag)
    skipped = bool(classes and skip_classes.intersection(classes.group(1).split()))
    name = start.group(1).lower()
    stack.append((name, lang.group(1) if lang else None, skipped or name in LITERAL))


def base_language(tag: str) -> str:
    return tag.split("-")[0].lower()
