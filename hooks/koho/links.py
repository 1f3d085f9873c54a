"""Links, anchors and images in the editors' Markdown, checked without building."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

from pymdownx.slugs import slugify

from .validation import Problem

if TYPE_CHECKING:
    from .content import SourcePage

_LINK = re.compile(r"(?P<image>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*(?:\{#(?P<id>[\w-]+)[^}]*\})?\s*$")
_ATTR_ID = re.compile(r'\bid="(?P<id>[\w-]+)"')
_FENCE = re.compile(r"^(```|~~~)")
_slug = slugify(case="lower")


def check_links(pages: list[SourcePage], docs_dir: Path, default_locale: str) -> list[Problem]:
    anchors = {(page.locale, page.relative): heading_ids(page.body) for page in pages}
    problems: list[Problem] = []
    for page in pages:
        for line_number, image, text, target in links_in(page):
            problem = check_one(page, line_number, image, text, target, anchors, docs_dir,
                                default_locale)
            if problem:
                problems.append(problem)
    return problems


def links_in(page: SourcePage):
    in_fence = False
    for offset, line in enumerate(page.body.splitlines()):
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        if in_fence:
            continue
        for match in _LINK.finditer(line):
            yield page.body_line + offset, bool(match["image"]), match["text"], match["target"]


def heading_ids(body: str) -> set[str]:
    ids = set()
    for line in body.splitlines():
        heading = _HEADING.match(line)
        if heading:
            ids.add(heading["id"] or _slug(re.sub(r"<[^>]+>", "", heading["text"]), "-"))
        ids.update(match["id"] for match in _ATTR_ID.finditer(line))
    return ids


def check_one(page: SourcePage, line: int, image: bool, text: str, target: str,
              anchors: dict, docs_dir: Path, default_locale: str) -> Problem | None:
    if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
        return None  # another site, mailto:, tel:
    path_part, _, anchor = target.partition("#")
    if image and not text.strip():
        return Problem(page.shown, line, "image", "image_no_alt", target)
    if not path_part:
        if anchor and anchor not in anchors.get((page.locale, page.relative), set()):
            return Problem(page.shown, line, "link", "missing_anchor", target)
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.relative), path_part))
    locale = _existing_locale(resolved, page.locale, default_locale, docs_dir)
    if locale is None:
        code = "image_missing" if image else "missing_page"
        return Problem(page.shown, line, "image" if image else "link", code, target)
    if anchor and resolved.endswith(".md"):
        known = anchors.get((locale, resolved))
        if known is not None and anchor not in known:
            return Problem(page.shown, line, "link", "missing_anchor", target)
    return None


def _existing_locale(relative: str, locale: str, default_locale: str, docs_dir: Path) -> str | None:
    for candidate in (locale, default_locale):
        if (docs_dir / candidate / relative).exists():
            return candidate
    return None
