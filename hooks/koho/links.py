"""Links, anchors and images in the editors' Markdown, checked without building.

The links, images and anchors (heading ids, {#id}, id="..." in HTML) come from
one Python-Markdown reading of each page (markdown_analysis.py)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .validation import Problem

if TYPE_CHECKING:
    from .content import SourcePage
    from .markdown_analysis import PageAnalysis

PageKey = tuple[str, str]  # (locale, path below the language folder)


def check_links(pages: list[SourcePage], docs_dir: Path, default_locale: str,
                analyses: Mapping[PageKey, PageAnalysis]) -> list[Problem]:
    """`analyses` holds every page of `pages`, by (page.locale, page.relative)."""
    anchors = {key: analysis.ids for key, analysis in analyses.items()}
    problems: list[Problem] = []
    for page in pages:
        for line, image, text, target in targets_in(analyses[page.locale, page.relative]):
            problem = check_one(page, page.body_line + line - 1, image, text, target, anchors,
                                docs_dir, default_locale)
            if problem:
                problems.append(problem)
    return problems


def targets_in(analysis: PageAnalysis) -> list[tuple[int, bool, str, str]]:
    """(body line, is an image, words or alt text, target) of each link and image, in line order."""
    found = [(link.line, False, link.text, link.href) for link in analysis.links]
    found += [(image.line, True, image.alt, image.src) for image in analysis.images]
    return sorted(found, key=lambda each: each[0])


def check_one(page: SourcePage, line: int, image: bool, text: str, target: str,
              anchors: Mapping[PageKey, frozenset[str]], docs_dir: Path, default_locale: str
              ) -> Problem | None:
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
