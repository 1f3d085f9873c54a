"""Notices (お知らせ): one Markdown file each under docs/<language>/notices/.

`load_notices` reads every notice of every language into plain `Notice`
records and checks their front matter; the build, the feeds, the emergency
banner, `koho mail` and `koho check` all start from it.

A notice's identity is its path below the language folder without `.md`
(e.g. `notices/2026/11-27-smartphone-course`), or its `id` front matter if an
editor must rename the file: feeds and mail key on it, so editing a title
never makes it new.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from .validation import Problem, parse_front_matter

NOTICES_DIR = "notices"
CHANGES = ("major", "minor")
_DATE_TEXT = re.compile(
    r"^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)


@dataclass(frozen=True)
class Category:
    slug: str
    names: dict[str, str]  # locale -> name

    def name(self, locale: str, default_locale: str = "ja") -> str:
        return self.names.get(locale) or self.names[default_locale]


@dataclass(frozen=True)
class Notice:
    identity: str  # permanent: feeds' item ids and mail state key on it
    locale: str
    path: str  # as shown to editors, e.g. docs/ja/notices/2026/11-27-x.md
    url: str  # site-relative, e.g. en/notices/2026/11-27-x/
    title: str
    date: dt.datetime
    category: str
    summary: str
    updated: dt.datetime | None = None
    expires: dt.datetime | None = None
    emergency: bool = False
    change: str = "major"
    sample: bool = False
    body: str = field(default="", repr=False)

    @property
    def last_change(self) -> dt.datetime:
        return self.updated or self.date

    @property
    def version(self) -> dt.datetime:
        """When the notice last changed in a way subscribers are told about."""
        return self.updated if self.updated and self.change == "major" else self.date

    def is_active(self, now: dt.datetime) -> bool:
        return self.date <= now and (self.expires is None or now < self.expires)


def build_time(tz: ZoneInfo) -> dt.datetime:
    """The build's "now": SOURCE_DATE_EPOCH when set, so builds reproduce."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz)
    return dt.datetime.now(tz)


def categories_from_config(extra: dict) -> list[Category]:
    configured = (extra.get("koho") or {}).get("categories") or {}
    return [Category(slug, dict(names)) for slug, names in configured.items()]


def load_notices(
    docs_dir: Path, root: Path, locales: list[str], default_locale: str,
    categories: list[Category], tz: ZoneInfo,
) -> tuple[list[Notice], list[Problem]]:
    notices: list[Notice] = []
    problems: list[Problem] = []
    for locale in locales:
        folder = docs_dir / locale / NOTICES_DIR
        for path in sorted(folder.rglob("*.md")) if folder.exists() else []:
            if path.name == "index.md" or path.parent.name == "categories":
                continue
            notice, found = read_notice(path, docs_dir, root, locale, categories, tz)
            problems.extend(found)
            if notice:
                notices.append(notice)
    problems.extend(_check_identities(notices, default_locale))
    return notices, problems


def read_notice(
    path: Path, docs_dir: Path, root: Path, locale: str, categories: list[Category], tz: ZoneInfo
) -> tuple[Notice | None, list[Problem]]:
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None, []  # reported by validation.check_file
    front, problems = parse_front_matter(text, shown)
    if problems:
        return None, problems
    lines = text.splitlines()
    data = front.data
    checker = _FieldChecker(shown, lines, tz)
    title = checker.text(data, "title", required=True)
    date = checker.date(data, "date", required=True)
    summary = checker.text(data, "summary", required=True)
    updated = checker.date(data, "updated")
    expires = checker.date(data, "expires", end_of_day=True)
    emergency = checker.flag(data, "emergency")
    sample = checker.flag(data, "sample")
    change = checker.choice(data, "change", CHANGES, default="major")
    category = checker.category(data, categories)
    if date and expires and expires <= date:
        checker.add("expires", "expires_before_date", f"{data['expires']} <= {data['date']}")
    if date and updated and updated < date:
        checker.add("updated", "updated_before_date", f"{data['updated']} < {data['date']}")
    identity = str(data.get("id") or path.relative_to(docs_dir / locale).with_suffix("").as_posix())
    if checker.problems or title is None or date is None or summary is None or category is None:
        return None, checker.problems
    relative = path.relative_to(docs_dir / locale).with_suffix("").as_posix()
    prefix = "" if locale == "ja" else f"{locale}/"
    body = "\n".join(lines[front.body_line - 1:])
    return Notice(
        identity=identity, locale=locale, path=shown, url=f"{prefix}{relative}/", title=title,
        date=date, category=category, summary=summary, updated=updated, expires=expires,
        emergency=bool(emergency), change=change, sample=bool(sample), body=body,
    ), []


def _check_identities(notices: list[Notice], default_locale: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Notice] = {}
    originals = {n.identity for n in notices if n.locale == default_locale}
    for notice in notices:
        key = (notice.locale, notice.identity)
        if key in seen:
            problems.append(Problem(notice.path, 1, "id", "duplicate_identity",
                                    f"{notice.identity} ({seen[key].path})"))
        seen[key] = notice
        if notice.locale != default_locale and notice.identity not in originals:
            problems.append(Problem(notice.path, 1, "file", "missing_original", notice.identity))
    return problems


class _FieldChecker:
    """Reads one front matter field at a time, recording a Problem for each mistake."""

    def __init__(self, shown: str, lines: list[str], tz: ZoneInfo) -> None:
        self.shown, self.lines, self.tz = shown, lines, tz
        self.problems: list[Problem] = []

    def line_of(self, key: str) -> int:
        for number, line in enumerate(self.lines, start=1):
            if line.startswith(f"{key}:"):
                return number
            if number > 1 and line.rstrip() == "---":
                break
        return 1

    def add(self, key: str, code: str, found: str = "") -> None:
        self.problems.append(Problem(self.shown, self.line_of(key), key, code, found))

    def text(self, data: dict, key: str, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.add(key, "missing")
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(key, "not_text", repr(value))
            return None
        return value.strip()

    def flag(self, data: dict, key: str) -> bool | None:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.add(key, "not_bool", repr(value))
            return None
        return value

    def choice(self, data: dict, key: str, choices: tuple[str, ...], default: str) -> str:
        value = data.get(key, default)
        if value not in choices:
            self.add(key, "not_choice", f"{value!r} ({' / '.join(choices)})")
            return default
        return value

    def category(self, data: dict, categories: list[Category]) -> str | None:
        value = data.get("category")
        if value is None:
            self.add("category", "missing")
            return None
        for category in categories:
            if value == category.slug or value in category.names.values():
                return category.slug
        known = ", ".join(f"{c.slug}（{c.name('ja')}）" for c in categories)
        self.add("category", "unknown_category", f"{value!r}; {known}")
        return None

    def date(self, data: dict, key: str, required: bool = False,
             end_of_day: bool = False) -> dt.datetime | None:
        value = data.get(key)
        if value is None:
            if required:
                self.add(key, "missing")
            return None
        parsed = parse_date(value, self.tz, end_of_day)
        if parsed is None:
            self.add(key, "not_date", repr(value) if not isinstance(value, str) else value)
        return parsed


def parse_date(value: object, tz: ZoneInfo, end_of_day: bool = False) -> dt.datetime | None:
    """A YAML date or date-time, in the site's time zone unless it gives an offset.

    A bare date means the start of that day, or its end for `expires`."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        day = dt.datetime.combine(value, dt.time(), tz)
        return day + dt.timedelta(days=1) if end_of_day else day
    if not isinstance(value, str) or not _DATE_TEXT.match(value.strip()):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if len(value.strip()) == 10 and end_of_day:
        parsed += dt.timedelta(days=1)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def active_emergency(notices: list[Notice], locale: str, default_locale: str,
                     now: dt.datetime) -> tuple[Notice | None, bool]:
    """The newest unexpired emergency, in `locale` if translated; and whether it is."""
    emergencies = sorted((n for n in notices if n.emergency and n.locale == default_locale
                          and n.is_active(now)), key=lambda n: n.last_change, reverse=True)
    if not emergencies:
        return None, False
    original = emergencies[0]
    for notice in notices:
        if notice.locale == locale and notice.identity == original.identity:
            return notice, True
    return original, locale == default_locale


def listed(notices: list[Notice], locale: str, now: dt.datetime,
           category: str | None = None) -> list[Notice]:
    """A language's published, unexpired notices, newest first."""
    chosen = [n for n in notices if n.locale == locale and n.is_active(now)
              and (category is None or n.category == category)]
    return sorted(chosen, key=lambda n: (n.date, n.identity), reverse=True)
