"""How notices appear on pages: lists (index, category pages, home) and the
facts shown on each notice page, rendered from `Notice` records by the partials
notice-list.html, notice-header.html, feed-list.html and time.html; every word
comes from the language's translation file."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from .notices import Category, Notice

if TYPE_CHECKING:
    from .templates import Templates

# <!-- koho:notices -->, <!-- koho:notices latest=5 -->, <!-- koho:notices category=digital -->
LIST_MARKER = re.compile(r"<!--\s*koho:notices(?P<args>(?:\s+\w+=[\w-]+)*)\s*-->")
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]


def format_date(moment: dt.datetime, strings: dict[str, str], with_time: bool = False) -> str:
    pattern = strings["datetime.format" if with_time else "date.format"]
    return pattern.format(y=moment.year, m=moment.month, d=moment.day, H=moment.hour,
                          M=f"{moment.minute:02d}", B=MONTHS_EN[moment.month - 1])


def time_element(templates: Templates, moment: dt.datetime, strings: dict[str, str],
                 with_time: bool = False) -> str:
    return templates.render("time.html", moment=moment, t=strings, with_time=with_time)


def list_arguments(marker_args: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in marker_args.split())


def render_list(templates: Templates, notices: list[Notice], page_url: str, strings: dict[str, str],
                categories: dict[str, Category], locale: str, by_year: bool) -> str:
    """The notices as one list, or (by_year) one list under a heading per year, newest first."""
    groups = _by_year(notices) if by_year else [(None, notices)] if notices else []
    return templates.render("notice-list.html", groups=groups, page_url=page_url, t=strings,
                            categories=categories, locale=locale)


def _by_year(notices: list[Notice]) -> list[tuple[int, list[Notice]]]:
    years = sorted({n.date.year for n in notices}, reverse=True)
    return [(year, [n for n in notices if n.date.year == year]) for year in years]


def notice_header(templates: Templates, notice: Notice, strings: dict[str, str], category: Category,
                  locale: str, now: dt.datetime, category_href: str, title_lang: str | None) -> str:
    """The notice's title, sample and ended labels, and dates, above its body."""
    return templates.render("notice-header.html", notice=notice, t=strings, category=category,
                            locale=locale, now=now, category_href=category_href, title_lang=title_lang)


_LEAD = re.compile(r"\s*(?:<h([2-6])[\s>](?:(?!</h\1>).)*</h\1>\s*)*<p[\s>](?:(?!</p>).)*</p>", re.S)


def split_lead(body_html: str) -> tuple[str, str]:
    """A notice body's lead (its first paragraph, with the headings above it, if nothing
    else comes first) and the rest. An event's facts go after the lead: on a phone they
    fill the first screen, and the lead says what the notice is about."""
    match = _LEAD.match(body_html)
    return (match.group(), body_html[match.end():]) if match else ("", body_html)


FEEDS_MARKER = re.compile(r"<!--\s*koho:feeds\s*-->")


def render_feed_list(templates: Templates, url_prefix: str, page_url: str, strings: dict[str, str],
                     categories: list[Category], locale: str, feed_files: dict[str, str],
                     category_feed_files: dict[str, dict[str, str]]) -> str:
    """A table of the language's feeds: all notices, then one row per category."""
    rows = [(strings["notices.all"], feed_files)]
    rows += [(c.name(locale), category_feed_files[c.slug]) for c in categories]
    return templates.render("feed-list.html", rows=rows, url_prefix=url_prefix, page_url=page_url,
                            t=strings)
