"""Walk the text of a built HTML fragment with the language each piece is in, and
rewrite it: the shared ground of inline language marking and furigana."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

# A comment, a start or end tag (with its name and the rest), or anything else in <>.
_TAG = re.compile(r"<!--.*?-->|<\s*(?P<end>/?)\s*(?P<name>[a-zA-Z][\w-]*)(?P<rest>[^>]*)>|<[^>]+>", re.S)
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
    position = 0
    for tag in _TAG.finditer(html):
        if tag.start() > position:
            out.append(_text(html[position:tag.start()], stack[-1], rewrite))
        out.append(rewrite_tag(tag.group()) if rewrite_tag else tag.group())
        if tag["name"]:
            _follow(tag, stack, skip_classes)
        position = tag.end()
    if position < len(html):
        out.append(_text(html[position:], stack[-1], rewrite))
    return "".join(out)


class _Open(NamedTuple):
    name: str
    lang: str
    untouched: bool


def _text(text: str, parent: _Open, rewrite: TextRewrite) -> str:
    return text if parent.untouched or text.isspace() else rewrite(text, parent.lang)


def _follow(tag: re.Match[str], stack: list[_Open], skip_classes: frozenset[str]) -> None:
    name = tag["name"].lower()
    if tag["end"]:
        for index in range(len(stack) - 1, 0, -1):
            if stack[index].name == name:
                del stack[index:]
                break
        return
    rest = tag["rest"]
    if name in _VOID or rest.endswith("/"):
        return
    lang = _LANG.search(rest) if "lang" in rest else None
    classes = _CLASS.search(rest) if skip_classes and "class" in rest else None
    skipped = bool(classes and skip_classes.intersection(classes.group(1).split()))
    parent = stack[-1]
    stack.append(_Open(name, lang.group(1) if lang else parent.lang,
                       parent.untouched or skipped or name in LITERAL))


def base_language(tag: str) -> str:
    return tag.split("-")[0].lower()
