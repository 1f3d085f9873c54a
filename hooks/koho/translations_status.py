"""Whether each translation still says what its original (the default language) says.

A translation records the version of the original it translates in its front matter:
`translation_of: sha256:…`, a hash of the original's content, written by
`koho translations mark` after an editor has checked the translation. The content is
the body with every run of whitespace made one space, and the front matter fields that
schemas.yml marks `content: true` (title, summary, a procedure's fee, documents, steps,
an event's details …); dates, flags and ids are not content. So a whitespace-only edit
or a new `updated:` date changes nothing, and a new fee makes every translation outdated.

Git history is not used (CI clones are shallow, files move). The date shown for an
outdated translation is the original's own `updated:` front matter, when it has one
(notices and procedures); otherwise no date is shown.

States of a page in a language other than the default:
current (marked with the original's present version), outdated (marked with another),
unmarked (translated, never marked), missing (no translation: the original is shown),
orphaned (a translation whose original was deleted or renamed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import content, schema
from .validation import Problem, decode_file, parse_front_matter, shown_path

if TYPE_CHECKING:
    from .languages import Language
    from .settings import Settings
    from .templates import Templates

MARK_FIELD = "translation_of"
HASH_PREFIX = "sha256:"
# In the order editors need them: what is wrong first, what is fine last.
STATES = ("orphaned", "outdated", "unmarked", "missing", "current")
TRANSLATED = frozenset({"current", "outdated", "unmarked"})
# <!-- koho:translation-status -->: the editors' view of every language's status.
STATUS_MARKER = re.compile(r"<!--\s*koho:translation-status\s*-->")


@dataclass(frozen=True)
class TranslationStatus:
    locale: str
    path: str  # below the language folder, e.g. "notices/2026/11-27-x.md"
    state: str  # one of STATES
    original_changed: dt.date | None  # the original's `updated:` (outdated pages only)
    title: str  # the translation's title, or the original's where there is no translation
    title_locale: str  # the language `title` is written in

    @property
    def translated(self) -> bool:
        return self.state in TRANSLATED


@dataclass(frozen=True)
class Report:
    """Every page's status in every language but the default."""
    default_locale: str
    originals: tuple[str, ...]  # the default language's pages
    statuses: tuple[TranslationStatus, ...]

    def of(self, locale: str) -> list[TranslationStatus]:
        chosen = [s for s in self.statuses if s.locale == locale]
        return sorted(chosen, key=lambda s: (STATES.index(s.state), s.path))

    def counts(self, locale: str) -> dict[str, int]:
        found = Counter(s.state for s in self.statuses if s.locale == locale)
        return {state: found.get(state, 0) for state in STATES}

    @cached_property
    def by_key(self) -> dict[tuple[str, str], TranslationStatus]:
        """(locale, path) -> status."""
        return {(s.locale, s.path): s for s in self.statuses}


class MarkError(Exception):
    """`koho translations mark` cannot record a version; the problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.code for p in problems))
        self.problems = problems


# -- the version of an original ------------------------------------------------------------


def content_fields(page_type: str) -> list[str]:
    """The front matter fields of a page type that count as content (schemas.yml)."""
    return [key for key, spec in schema.schemas()[page_type]["fields"].items() if spec.get("content")]


_SPACE_BY_WIDE = re.compile(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ")


def normalised(text: str) -> str:
    """Unicode NFC; every run of whitespace (spaces, 全角スペース, line ends) one space, and
    none beside a Japanese (non-ASCII) character, where a line break or space means nothing:
    reflowing a paragraph or padding a table changes nothing."""
    collapsed = " ".join(unicodedata.normalize("NFC", text).split())
    return _SPACE_BY_WIDE.sub("", collapsed)


def _normalised_value(value: Any) -> Any:
    if isinstance(value, str):
        return normalised(value)
    if isinstance(value, dict):
        return {str(key): _normalised_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_normalised_value(item) for item in value]
    if isinstance(value, dt.date):  # dates and date-times, as written
        return value.isoformat()
    return value


def content_text(page: content.SourcePage) -> str:
    """What a translation must say: the content fields and the body, normalised."""
    fields = {key: _normalised_value(page.values[key])
              for key in content_fields(page.page_type) if key in page.values}
    return json.dumps({"fields": fields, "body": normalised(page.body)}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))


def content_hash(page: content.SourcePage) -> str:
    digest = hashlib.sha256(content_text(page).encode("utf-8")).hexdigest()
    return f"{HASH_PREFIX}{digest[:16]}"


def changed_on(page: content.SourcePage) -> dt.date | None:
    """The day a page says it was updated (`updated:`), if it says."""
    return _day(page.values.get("updated"))


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


# -- the status of every page ------------------------------------------------------------------


def report(pages: Iterable[content.SourcePage], locales: list[str], default_locale: str,
           original_files: set[str] | None = None) -> Report:
    """The status of every original in every other language, and every orphaned translation.
    `original_files`: the paths below the default language's folder, also of files that
    could not be read (their translations are not orphaned); by default those of `pages`."""
    pages = list(pages)
    originals = {p.relative: p for p in pages if p.locale == default_locale}
    existing = original_files if original_files is not None else set(originals)
    by_key = {(p.locale, p.relative): p for p in pages}
    statuses: list[TranslationStatus] = []
    for locale in locales:
        if locale == default_locale:
            continue
        for relative, original in sorted(originals.items()):
            own = by_key.get((locale, relative))
            statuses.append(_status(locale, original, own, default_locale))
        for page in sorted((p for p in pages if p.locale == locale), key=lambda p: p.relative):
            if page.relative not in existing:
                statuses.append(TranslationStatus(locale, page.relative, "orphaned", None,
                                                  str(page.values.get("title", "")), locale))
    return Report(default_locale, tuple(sorted(originals)), tuple(statuses))


def _status(locale: str, original: content.SourcePage, own: content.SourcePage | None,
            default_locale: str) -> TranslationStatus:
    if own is None:
        return TranslationStatus(locale, original.relative, "missing", None,
                                 str(original.values.get("title", "")), default_locale)
    mark = own.values.get(MARK_FIELD)
    if mark is None:
        state, changed = "unmarked", None
    elif mark == content_hash(original):
        state, changed = "current", None
    else:
        state, changed = "outdated", changed_on(original)
        checked = changed_on(own) or _day(own.values.get("date"))
        if changed and checked and changed < checked:  # older than the translation: not this change
            changed = None
    return TranslationStatus(locale, original.relative, state, changed, str(own.values.get("title", "")),
                             locale)


def read_pages(settings: Settings, docs_dir: Path
               ) -> tuple[list[content.SourcePage], list[Problem], set[str]]:
    """Every page that can be read (front matter checked; links are not), the problems of
    those that cannot, and the paths of the default language's files."""
    pages: list[content.SourcePage] = []
    problems: list[Problem] = []
    default = settings.default_language.locale
    originals: set[str] = set()
    for lang in settings.languages:
        folder = docs_dir / lang.locale
        for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            if lang.locale == default:
                originals.add(path.relative_to(folder).as_posix())
            page, found = content.read_page(path, folder, settings.root, lang.locale, settings.choices(),
                                            settings.timezone, lang.url_prefix)
            problems.extend(found)
            if page:
                pages.append(page)
    return pages, problems, originals


def site_report(settings: Settings, docs_dir: Path) -> tuple[Report, list[Problem]]:
    """The report of the site's sources (for `koho translations`), and the problems of the
    files that could not be read (orphans are in the report, not among the problems)."""
    pages, problems, originals = read_pages(settings, docs_dir)
    return report(pages, settings.locales, settings.default_language.locale, originals), problems


# -- marking a translation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Marking:
    """What `koho translations mark` writes into one translation."""
    path: Path
    shown: str  # the translation as editors see it
    original: str  # its original as editors see it
    version: str
    text: str  # the translation's new text
    changed: bool


def plan_mark(path: Path, settings: Settings, docs_dir: Path) -> Marking:
    """The translation at `path` with the present version of its original recorded, checked
    to read back with that version (nothing is written here: see `write_mark`)."""
    root = settings.root.resolve()
    docs = docs_dir.resolve()
    resolved = path.resolve()
    shown = shown_path(resolved, root)
    default = settings.default_language.locale
    if not resolved.is_file():
        raise MarkError([Problem(shown, 1, "file", "unreadable", "no such file")])
    parts = resolved.relative_to(docs).parts if resolved.is_relative_to(docs) else ()
    if len(parts) < 2 or parts[0] == default or parts[0] not in settings.locales \
            or resolved.suffix != ".md":
        raise MarkError([Problem(shown, 1, "file", "mark_not_translation", str(path))])
    relative = "/".join(parts[1:])
    original_path = docs / default / relative
    original_shown = shown_path(original_path, root)
    if not original_path.is_file():
        raise MarkError([Problem(shown, 1, "file", "missing_original", original_shown)])
    original, problems = content.read_page(original_path, docs / default, root, default,
                                           settings.choices(), settings.timezone)
    if original is None:
        raise MarkError(problems)
    version = content_hash(original)
    text, problems = decode_file(resolved, docs / parts[0], shown)
    if text is None:
        raise MarkError(problems)
    changed = with_mark(text, version)
    front, problems = parse_front_matter(changed, shown)
    if problems or front.data.get(MARK_FIELD) != version:
        raise MarkError(problems or [Problem(shown, 1, MARK_FIELD, "mark_unwritable", version)])
    return Marking(resolved, shown, original_shown, version, changed, changed != text)


def write_mark(marking: Marking) -> None:
    if marking.changed:
        _replace(marking.path, marking.text)


_MARK_LINE = re.compile(rf"^{MARK_FIELD}\s*:.*?(\r?\n|$)")


def with_mark(text: str, version: str) -> str:
    """The page's text with `translation_of: <version>` in its front matter (replaced
    where it is, else added as the last key); nothing else changes."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    entry = f"{MARK_FIELD}: {version}"
    if not lines or lines[0].rstrip() != "---":
        return f"---{newline}{entry}{newline}---{newline}{text}"
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        return text  # not front matter: parse_front_matter reports it
    for index in range(1, closing):
        match = _MARK_LINE.match(lines[index])
        if match:
            lines[index] = entry + (match[1] or newline)
            return "".join(lines)
    lines.insert(closing, entry + newline)
    return "".join(lines)


def _replace(path: Path, text: str) -> None:
    """Write `text` to a new file beside `path`, then rename it over `path` (atomic)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def unmarked_files(current: Report, docs_dir: Path) -> list[Path]:
    """The translations that were never marked (`koho translations mark --unmarked`)."""
    return [docs_dir / s.locale / s.path for s in current.statuses if s.state == "unmarked"]


# -- output ------------------------------------------------------------------------------------------


def as_json(current: Report, languages: list[Language]) -> dict:
    """The report for machines: every page of every language, and the totals."""
    default = current.default_locale
    return {
        "default_language": default,
        "originals": [{"path": path, "file": f"docs/{default}/{path}"} for path in current.originals],
        "languages": {
            lang.locale: {
                "name": lang.name,
                "counts": current.counts(lang.locale),
                "pages": [{
                    "path": s.path, "state": s.state, "file": f"docs/{s.locale}/{s.path}",
                    "original": None if s.state == "orphaned" else f"docs/{default}/{s.path}",
                    "original_changed": s.original_changed.isoformat() if s.original_changed else None,
                    "title": s.title,
                } for s in current.of(lang.locale)],
            }
            for lang in languages if lang.locale != default
        },
    }


def built_url(relative: str, url_prefix: str) -> str:
    """The site-relative URL of the page built from a file below a language folder."""
    stem = relative.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index").rstrip("/")
    return f"{url_prefix}{stem}/" if stem else url_prefix


def render_outdated_notice(templates: Templates, status: TranslationStatus, strings: dict[str, str],
                           original_href: str, original_tag: str) -> str:
    """The note above an outdated translation, in its language: the original changed
    (on the date, when known), with a link to the original."""
    changed = dt.datetime.combine(status.original_changed, dt.time()) if status.original_changed else None
    return templates.render("translation-outdated.html", t=strings, changed=changed,
                            original_href=original_href, original_tag=original_tag)


def render_status_page(templates: Templates, current: Report, languages: list[Language],
                       strings: dict[str, str], page_url: str, page_tag: str) -> str:
    """The editors' view: each language's totals and every page's state, as tables."""
    by_locale = {lang.locale: lang for lang in languages}
    default = by_locale[current.default_locale]
    groups = []
    for lang in languages:
        if lang.default:
            continue
        rows = []
        for status in current.of(lang.locale):
            shown_in = lang if status.translated or status.state == "orphaned" else default
            rows.append({
                "status": status,
                "href": None if status.state == "orphaned" else built_url(status.path, shown_in.url_prefix),
                "title_tag": by_locale[status.title_locale].tag,
                "changed": dt.datetime.combine(status.original_changed, dt.time())
                if status.original_changed else None,
            })
        groups.append({"lang": lang, "counts": current.counts(lang.locale), "rows": rows})
    return templates.render("translation-status.html", groups=groups, t=strings, page_url=page_url,
                            page_tag=page_tag, states=STATES)
