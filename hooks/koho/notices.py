"""Notices (お知らせ): one Markdown file each under docs/<language>/notices/.

`notices_from_pages` turns the checked pages of type "notice" (content.py,
schemas.yml) into plain `Notice` records; the build, the feeds, the emergency
banner and `koho mail` all start from them.

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
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .events import Event, to_event
from .validation import Problem

if TYPE_CHECKING:
    from .content import SourcePage

NOTICES_DIR = "notices"
_DATE_TEXT = re.compile(
    r"^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)


@dataclass(frozen=True)
class Category:
    slug: str
    names: dict[str, str]  # locale -> name
    default_locale: str  # the language every category has a name in

    def name(self, locale: str) -> str:
        return self.names.get(locale) or self.names[self.default_locale]


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
    event: Event | None = None  # the `event:` block of a notice of the events category

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


def notices_from_pages(pages: list[SourcePage], default_locale: str
                       ) -> tuple[list[Notice], list[Problem]]:
    """Notice records from the checked pages of type "notice"; and duplicate identities."""
    found = [to_notice(page) for page in pages if page.page_type == "notice"]
    return found, _duplicate_identities(found)


def to_notice(page: SourcePage) -> Notice:
    values = page.values
    return Notice(
        identity=str(values.get("id") or page.relative.removesuffix(".md")), locale=page.locale,
        path=page.shown, url=page.url, title=values["title"], date=values["date"],
        category=values["category"], summary=values["summary"], updated=values.get("updated"),
        expires=values.get("expires"), emergency=values.get("emergency", False),
        change=values.get("change", "major"), sample=values.get("sample", False), body=page.body,
        event=to_event(values.get("event")),
    )


def _duplicate_identities(notices: list[Notice]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Notice] = {}
    for notice in notices:
        key = (notice.locale, notice.identity)
        if key in seen:
            problems.append(Problem(notice.path, 1, "id", "duplicate_identity",
                                    f"{notice.identity} ({seen[key].path})"))
        seen[key] = notice
    return problems


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
