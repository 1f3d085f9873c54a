"""Feeds of notices: RSS 2.0 and Atom 1.0 (feedgen) and JSON Feed 1.1, per
language and per category.

Every value comes from the notices themselves, never from the clock, so two
builds of unchanged content give byte-identical files. An item's id is a tag
URI (RFC 4151) built from a configured authority and the notice's identity:
it does not change when the title is edited, the site is rebuilt or moves.
Item content is sanitised with nh3 (safe_content.clean_html) as it leaves the site.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from .notices import Notice
from .safe_content import clean_html

# Feeds sit in the language's home folder (feed.rss.xml, feed-digital.atom.xml, ...):
# Material fetches sitemap.xml next to every <link rel="alternate">, and one exists there.
FORMATS = ("rss", "atom", "json")
_SUFFIXES = {"rss": ".rss.xml", "atom": ".atom.xml", "json": ".json"}
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml",
               "json": "application/feed+json"}
_RELATIVE_URL = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>(?![a-z][a-z0-9+.-]*:|//)[^"]*)"')
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)


@dataclass(frozen=True)
class FeedSpec:
    """One feed: which notices, where it lives, how it is titled."""
    title: str
    description: str
    language: str  # BCP 47 tag
    folder: str  # the language's home folder, e.g. "en/"
    stem: str  # "feed" or "feed-<category>"
    home: str  # site-relative page the feed belongs to


@dataclass(frozen=True)
class FeedItem:
    notice: Notice
    content_html: str  # the notice body as HTML, links relative to the notice page


def feed_stem(category: str | None) -> str:
    return "feed" if category is None else f"feed-{category}"


def feed_file(stem: str, kind: str) -> str:
    return f"{stem or 'feed'}{_SUFFIXES[kind]}"


def item_id(authority: str, authority_date: str, notice: Notice) -> str:
    return f"tag:{authority},{authority_date}:{notice.locale}/{notice.identity}"


def item_html(html: str, page_url: str) -> str:
    """An item's content as it leaves the site: links absolute, sanitised (nh3)."""
    return clean_html(absolute_links(html, page_url))


def absolute_links(html: str, page_url: str) -> str:
    """Make every href and src in an item's HTML absolute (feed readers need it),
    and drop the headings' permalink anchors."""
    html = _HEADERLINK.sub("", html)
    return _RELATIVE_URL.sub(lambda m: f'{m["attr"]}="{urljoin(page_url, m["url"])}"', html)


def render_feeds(spec: FeedSpec, items: list[FeedItem], site_url: str, authority: str,
                 authority_date: str, category_names: dict[str, str]) -> dict[str, str]:
    """The three feed files of one spec, by format."""
    newest = max((item.notice.last_change for item in items),
                 default=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    feed_url = {kind: urljoin(site_url, spec.folder + feed_file(spec.stem, kind))
                for kind in FORMATS}
    home = urljoin(site_url, spec.home)
    generator = FeedGenerator()
    generator.id(f"tag:{authority},{authority_date}:{spec.folder}{spec.stem}")
    generator.title(spec.title)
    generator.description(spec.description)
    generator.subtitle(spec.description)
    generator.language(spec.language)
    generator.link(href=home, rel="alternate")
    generator.updated(newest)
    generator.lastBuildDate(newest)
    generator.generator("Koho")
    for item in reversed(items):  # feedgen lists entries last-added first
        notice = item.notice
        url = urljoin(site_url, notice.url)
        entry = generator.add_entry()
        entry.id(item_id(authority, authority_date, notice))
        entry.guid(item_id(authority, authority_date, notice), permalink=False)
        entry.title(notice.title)
        entry.link(href=url)
        entry.published(notice.date)
        entry.updated(notice.last_change)
        entry.summary(notice.summary)
        entry.content(item_html(item.content_html, url), type="html")
        entry.category(term=notice.category, label=category_names.get(notice.category))
    generator.link(href=feed_url["atom"], rel="self", type=MEDIA_TYPES["atom"])
    atom = generator.atom_str(pretty=True).decode("utf-8")
    generator.link(href=feed_url["rss"], rel="self", type=MEDIA_TYPES["rss"], replace=True)
    rss = generator.rss_str(pretty=True).decode("utf-8")
    return {"atom": atom, "rss": rss,
            "json": json_feed(spec, items, site_url, feed_url["json"], authority, authority_date,
                              category_names)}


def json_feed(spec: FeedSpec, items: list[FeedItem], site_url: str, feed_url: str,
              authority: str, authority_date: str, category_names: dict[str, str]) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "description": spec.description,
        "home_page_url": urljoin(site_url, spec.home),
        "feed_url": feed_url,
        "language": spec.language,
        "items": [
            {
                "id": item_id(authority, authority_date, item.notice),
                "url": urljoin(site_url, item.notice.url),
                "title": item.notice.title,
                "summary": item.notice.summary,
                "content_html": item_html(item.content_html, urljoin(site_url, item.notice.url)),
                "date_published": item.notice.date.isoformat(),
                "date_modified": item.notice.last_change.isoformat(),
                "tags": [category_names.get(item.notice.category, item.notice.category)],
            }
            for item in items
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"
