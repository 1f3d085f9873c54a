"""Reading and checking the editors' Markdown files, all languages at once.

`read_site` returns a `SourcePage` record for every file whose front matter
fits its page type, and every problem found anywhere: encoding, YAML syntax,
schema (schemas.yml), translations without an original, links, anchors and
images (links.py). The build refuses to run while any problem remains;
`koho check` prints them all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from . import a11y_lint, links, safe_content, schema
from .markdown_analysis import MarkdownSetup, PageAnalysis, analyse, too_deep
from .notices import Notice, notices_from_pages
from .settings import Settings
from .validation import Problem, decode_file, parse_front_matter, shown_path


@dataclass(frozen=True)
class SourcePage:
    locale: str
    relative: str  # below the language folder, e.g. "notices/2026/11-27-x.md"
    shown: str  # as editors see it, e.g. "docs/ja/notices/2026/11-27-x.md"
    page_type: str
    values: dict  # the checked front matter
    body: str
    body_line: int  # line of the body's first line in the file
    home: str = ""  # the language's home below the site root: "" or "en/"

    @property
    def url(self) -> str:
        """Site-relative URL of the built page, e.g. en/notices/2026/11-27-x/."""
        return f"{self.home}{self.relative.removesuffix('.md')}/"


def read_site(docs_dir: Path, root: Path, locales: list[str], default_locale: str,
              choices: dict[str, dict[str, str]], tz: ZoneInfo, *,
              markdown_setup: MarkdownSetup | None = None) -> tuple[list[SourcePage], list[Problem]]:
    pages: list[SourcePage] = []
    problems: list[Problem] = []
    for locale in locales:
        folder = docs_dir / locale
        for path in sorted(folder.rglob("*.md")) if folder.exists() else []:
            page, found = read_page(path, folder, root, locale, choices, tz,
                                   "" if locale == default_locale else f"{locale}/")
            problems.extend(found)
            if page:
                pages.append(page)
    problems.extend(missing_originals(docs_dir, root, locales, default_locale))
    problems.extend(linked_folders(docs_dir, root))
    setup = markdown_setup or MarkdownSetup.default()
    analyses: dict[tuple[str, str], PageAnalysis] = {}
    for page in list(pages):
        try:
            analyses[page.locale, page.relative] = analyse(page.body, setup)
        except RecursionError:  # a guard of last resort: too_deep catches what is known
            pages.remove(page)
            problems.append(Problem(page.shown, page.body_line, "content", "too_deep", "Markdown"))
    problems.extend(links.check_links(pages, docs_dir, default_locale, analyses))
    for page in pages:
        problems.extend(a11y_lint.lint(page, analyses[page.locale, page.relative]))
        problems.extend(safe_content.check(page, analyses[page.locale, page.relative]))
    return pages, problems


def read_checked(settings: Settings, docs_dir: Path, *, markdown_setup: MarkdownSetup | None = None
                 ) -> tuple[list[SourcePage], list[Notice], list[Problem]]:
    """What the build and `koho check` both start from: the pages, the notices,
    and every problem that stops the build."""
    default_locale = settings.default_language.locale
    pages, problems = read_site(docs_dir, settings.root, settings.locales, default_locale,
                                settings.choices(), settings.timezone,
                                markdown_setup=markdown_setup or settings.markdown)
    found, identity_problems = notices_from_pages(pages, default_locale)
    return pages, found, problems + identity_problems


def read_page(path: Path, folder: Path, root: Path, locale: str, choices: dict, tz: ZoneInfo,
              home: str = "") -> tuple[SourcePage | None, list[Problem]]:
    shown = shown_path(path, root)
    text, problems = decode_file(path, folder, shown)
    if text is None:
        return None, problems
    front, problems = parse_front_matter(text, shown)
    if problems:
        return None, problems
    relative = path.relative_to(folder).as_posix()
    page_type = schema.page_type_of(relative)
    context = schema.Context(shown, 2, choices, tz)
    values, problems = schema.check_front_matter(front, page_type, context)
    if problems:
        return None, problems
    body = "\n".join(text.splitlines()[front.body_line - 1:])
    deep = too_deep(body)
    if deep:
        return None, [Problem(shown, front.body_line + deep[0] - 1, "content", "too_deep", deep[1])]
    return SourcePage(locale, relative, shown, page_type, values, body, front.body_line, home), []


def linked_folders(docs_dir: Path, root: Path) -> list[Problem]:
    """A symbolic link to a folder: MkDocs follows it (out of docs/, or round in a loop)."""
    problems = []
    for folder, subfolders, _ in os.walk(docs_dir):
        for name in sorted(subfolders):
            path = Path(folder) / name
            if path.is_symlink():
                target = path.resolve()
                code = "linked_folder" if target.is_relative_to(docs_dir.resolve()) else "outside_docs"
                problems.append(Problem(shown_path(path, root), 1, "file", code, str(target)))
    return problems


def missing_originals(docs_dir: Path, root: Path, locales: list[str], default_locale: str
                      ) -> list[Problem]:
    """A translation must have an original in the default language (same path)."""
    problems = []
    for locale in locales:
        if locale == default_locale:
            continue
        for path in sorted((docs_dir / locale).rglob("*.md")):
            relative = path.relative_to(docs_dir / locale)
            if not (docs_dir / default_locale / relative).exists():
                problems.append(Problem(shown_path(path, root), 1, "file", "missing_original",
                                        f"docs/{default_locale}/{relative.as_posix()}"))
    return problems
