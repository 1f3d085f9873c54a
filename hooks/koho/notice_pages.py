"""How notices appear on pages: lists (index, category pages, home) and the
facts shown on each notice page. Plain HTML strings from `Notice` records;
every word comes from the language's translation file."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from mkdocs.utils import get_relative_url

from .notices import Category, Notice

# <!-- koho:notices -->, <!-- koho:notices latest=5 -->, <!-- koho:notices category=digital -->
LIST_MARKER = re.compile(r"<!--\s*koho:notices(?P<args>(?:\s+\w+=[\w-]+)*)\s*-->")
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]


def format_date(moment: dt.datetime, strings: dict[str, str], with_time: bool = False) -> str:
    pattern = strings["datetime.format" if with_time else "date.format"]
    return pattern.format(y=moment.year, m=moment.month, d=moment.day, H=moment.hour,
                          M=f"{moment.minute:02d}", B=MONTHS_EN[moment.month - 1])


def time_element(moment: dt.datetime, strings: dict[str, str], with_time: bool = False) -> str:
    return (f'<time datetime="{moment.isoformat()}">'
            f"{escape(format_date(moment, strings, with_time))}</time>")


def list_arguments(marker_args: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in marker_args.split())


def render_list(notices: list[Notice], page_url: str, strings: dict[str, str],
                categories: dict[str, Category], locale: str, by_year: bool) -> str:
    if not notices:
        return f'<p class="koho-notices__none">{escape(strings["notices.none"])}</p>'
    if not by_year:
        return _list(notices, page_url, strings, categories, locale)
    parts: list[str] = []
    for year in sorted({n.date.year for n in notices}, reverse=True):
        heading = escape(strings["notices.year"].format(y=year))
        parts.append(f'<h2 id="year-{year}">{heading}</h2>')
        parts.append(_list([n for n in notices if n.date.year == year], page_url, strings,
                           categories, locale))
    return "\n".join(parts)


def _list(notices: list[Notice], page_url: str, strings: dict[str, str],
          categories: dict[str, Category], locale: str) -> str:
    items = []
    for notice in notices:
        href = get_relative_url(notice.url, page_url)
        category = categories[notice.category].name(locale)
        flags = ""
        if notice.emergency:
            flags += _flag("strong", "emergency", strings["emergency.tag"])
        if notice.sample:
            flags += _flag("span", "sample", strings["notices.sample"])
        updated = ""
        if notice.updated and notice.change == "major":
            updated = (f' <span class="koho-notices__updated">{escape(strings["notices.updated"])} '
                       f"{time_element(notice.updated, strings)}</span>")
        items.append(
            f'<li class="koho-notices__item">'
            f'<span class="koho-notices__meta">{time_element(notice.date, strings)}{updated}'
            f' <span class="koho-notices__category">{escape(category)}</span>{flags}</span> '
            f'<a class="koho-notices__title" href="{escape(href)}">{escape(notice.title)}</a>'
            f"</li>"
        )
    return f'<ul class="koho-notices">{"".join(items)}</ul>'


def _flag(tag: str, kind: str, label: str) -> str:
    return f' <{tag} class="koho-flag koho-flag--{kind}">{escape(label)}</{tag}>'


def notice_header(notice: Notice, strings: dict[str, str], category: Category, locale: str,
                  now: dt.datetime, category_href: str, title_lang: str | None) -> str:
    """The notice's title, sample and ended labels, and dates, above its body."""
    lang_attr = f' lang="{title_lang}"' if title_lang else ""
    parts = [f"<h1{lang_attr}>{escape(notice.title)}</h1>"]
    if notice.sample:
        parts.append(
            f'<div class="admonition warning koho-sample" role="note">'
            f'<p class="admonition-title">{escape(strings["notices.sample"])}</p>'
            f'<p>{escape(strings["notices.sample_note"])}</p></div>'
        )
    if notice.expires is not None and notice.expires <= now:
        parts.append(f'<p class="koho-ended"><strong>{escape(strings["notices.ended"])}</strong></p>')
    facts = [
        f'<dt>{escape(strings["notices.published"])}</dt>'
        f"<dd>{time_element(notice.date, strings, with_time=True)}</dd>"
    ]
    if notice.updated:
        facts.append(f'<dt>{escape(strings["notices.updated"])}</dt>'
                     f"<dd>{time_element(notice.updated, strings, with_time=True)}</dd>")
    facts.append(f'<dt>{escape(strings["notices.category"])}</dt>'
                 f'<dd><a href="{escape(category_href)}">{escape(category.name(locale))}</a></dd>')
    parts.append(f'<dl class="koho-notice-facts">{"".join(facts)}</dl>')
    return "\n".join(parts)


FEEDS_MARKER = re.compile(r"<!--\s*koho:feeds\s*-->")


def render_feed_list(url_prefix: str, page_url: str, strings: dict[str, str],
                     categories: list[Category], locale: str, feed_files: dict[str, str],
                     category_feed_files: dict[str, dict[str, str]]) -> str:
    """A table of the language's feeds: all notices, then one row per category."""
    def row(label: str, files: dict[str, str]) -> str:
        links = " ".join(
            f'<a href="{escape(get_relative_url(url_prefix + name, page_url))}">'
            f'{escape(strings[f"feed.{kind}.short"])}</a>'
            for kind, name in files.items()
        )
        return f"<tr><th scope=\"row\">{escape(label)}</th><td>{links}</td></tr>"

    rows = [row(strings["notices.all"], feed_files)]
    rows += [row(c.name(locale), category_feed_files[c.slug]) for c in categories]
    return (f'<table class="koho-feeds"><thead><tr><th scope="col">{escape(strings["notices.category"])}'
            f'</th><th scope="col">{escape(strings["feed.formats"])}</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')
