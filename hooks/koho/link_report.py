"""Links in a built site, checked against the built files: nothing is fetched.

Every `href`, `src` and `srcset` of every HTML page, every URL of the feeds (RSS,
Atom, JSON Feed, with the HTML of their items) and of the sitemaps is resolved as a
browser or a feed reader would: relative to the file it is in, or absolute under
the site's URL. An internal link must reach a file of the site (a folder URL its
`index.html`) and its `#anchor` an element with that `id` (or an `<a name>`).
Links to other sites (and `mailto:`, `tel:`) are only listed, with the pages that
carry them, for a person or a scheduled job to look at.

Mail is checked with `check_html` on the HTML of a composed message and its URL.
"""

from __future__ import annotations

import gzip
import json
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

# Attributes that hold one URL, and the elements whose URLs are part of the page.
_URL_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",), "img": ("src",), "script": ("src",),
    "source": ("src",), "iframe": ("src",), "audio": ("src",), "video": ("src", "poster"),
    "track": ("src",), "embed": ("src",), "object": ("data",), "form": ("action",),
    "blockquote": ("cite",), "q": ("cite",), "ins": ("cite",), "del": ("cite",),
}
_SRCSET = ("img", "source")
# Fields of feeds that hold HTML (whose links are checked too) and that hold one URL.
_HTML_FIELDS = {"description", "content", "summary", "content_html", "encoded"}
_URL_FIELDS = {"link", "loc", "home_page_url", "feed_url", "url", "external_url", "image", "icon",
               "favicon", "banner_image"}
_NOT_LINKS = ("data:", "javascript:", "about:", "blob:")  # nothing to reach (javascript: is refused
# by `koho check`; in Koho's own markup there is none)


@dataclass(frozen=True)
class Link:
    source: str  # the file it is in, relative to the site folder (with " (mail)" etc. for others)
    target: str  # as written


@dataclass(frozen=True)
class BrokenLink:
    source: str
    target: str
    reason: str  # what is missing, in plain words

    def __str__(self) -> str:
        return f"{self.source}: {self.target}: {self.reason}"


@dataclass
class LinkReport:
    """What a check found: counts, broken internal links and the external links seen."""

    files: int = 0  # pages, feeds and sitemaps read
    internal: int = 0  # internal links checked
    broken: list[BrokenLink] = field(default_factory=list)
    external: dict[str, set[str]] = field(default_factory=dict)  # URL -> files that link to it

    def external_lines(self) -> list[str]:
        """One line per external URL, with the files that link to it."""
        return [f"{url}\t{' '.join(sorted(sources))}" for url, sources in sorted(self.external.items())]

    def summary(self) -> str:
        return (f"{self.files} files, {self.internal} internal links checked, "
                f"{len(self.broken)} broken; {len(self.external)} external URLs listed (not fetched)")


class _PageParser(HTMLParser):
    """The ids (and <a name>s) of an HTML document, and the URLs it links to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag == "base" and "href" in values and self.base is None:
            self.base = values["href"]
            return
        for name in _URL_ATTRIBUTES.get(tag, ()):
            if values.get(name, "").strip():
                self.urls.append(values[name].strip())
        if tag in _SRCSET and values.get("srcset"):
            self.urls.extend(part.split()[0] for part in values["srcset"].split(",") if part.split())

    handle_startendtag = handle_starttag


def parse_html(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser


class Site:
    """A built site: its files, and the ids of its HTML pages (read once, when needed)."""

    def __init__(self, site_dir: Path, site_url: str) -> None:
        self.root = site_dir
        self.url = site_url if site_url.endswith("/") else site_url + "/"
        parts = urlsplit(self.url)
        self.origin = f"{parts.scheme}://{parts.netloc}".lower()
        self.base_path = parts.path  # "/" or "/city/"
        self.files = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}
        self.folders = {posixpath.dirname(name) for name in self.files}
        self._ids: dict[str, set[str]] = {}
        self._parsed: dict[str, _PageParser] = {}

    def page(self, name: str) -> _PageParser:
        if name not in self._parsed:
            self._parsed[name] = parse_html((self.root / name).read_text("utf-8", errors="replace"))
        return self._parsed[name]

    def file_of(self, path: str) -> str | None:
        """The file a site path (below the site's base path, unquoted) is served from."""
        path = path.lstrip("/")
        if path == "" or path.endswith("/"):
            candidate = f"{path}index.html"
            return candidate if candidate in self.files else None
        if path in self.files:
            return path
        if f"{path}/index.html" in self.files:  # a folder without its slash: redirected
            return f"{path}/index.html"
        return None

    def internal_path(self, absolute: str) -> str | None:
        """The site path of an absolute URL (http(s)://…/…), or None for another site."""
        parts = urlsplit(absolute)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if parts.scheme in ("http", "https") and origin == self.origin \
                and (parts.path + "/").startswith(self.base_path):
            return parts.path[len(self.base_path):]
        return None


def check_site(site_dir: Path, site_url: str) -> LinkReport:
    """Every link in every HTML page, feed and sitemap of the site in `site_dir`,
    built for `site_url` (what absolute links to the site start with)."""
    site = Site(site_dir, site_url)
    report = LinkReport()
    for name in sorted(site.files):
        if name.endswith(".html"):
            page = site.page(name)
            base = urljoin(site.url + name, page.base) if page.base else site.url + name
            _check_all(site, report, name, base, page.urls)
        elif _is_feed_or_sitemap(name):
            _check_all(site, report, name, site.url + name, _document_urls(site, report, name))
        else:
            continue
        report.files += 1
    return report


def check_html(site: Site, report: LinkReport, html: str, url: str, source: str) -> None:
    """The links of one HTML document that is not a file of the site (a mail), as if at `url`."""
    parsed = parse_html(html)
    _check_all(site, report, source, url, parsed.urls)
    report.files += 1


def _is_feed_or_sitemap(name: str) -> bool:
    stem = posixpath.basename(name)
    return stem.startswith("feed") and stem.endswith((".xml", ".json")) \
        or stem in ("sitemap.xml", "sitemap.xml.gz")


def _document_urls(site: Site, report: LinkReport, name: str) -> list[str]:
    """The URLs of a feed or sitemap: its URL fields, and the links in its HTML fields,
    which are absolute (feed readers need them); relative ones are resolved against the feed."""
    data = (site.root / name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    urls: list[str] = []
    for key, value in _fields(name, data):
        if key in _HTML_FIELDS and "<" in value:
            urls.extend(parse_html(value).urls)
        elif key in _URL_FIELDS or key == "href":
            urls.append(value.strip())
    return [url for url in urls if url]


def _fields(name: str, data: bytes) -> Iterator[tuple[str, str]]:
    """(field name without namespace, text) of every element, attribute or JSON member."""
    if name.endswith(".json"):
        yield from _json_fields(json.loads(data))
        return
    for element in ElementTree.fromstring(data).iter():
        local = element.tag.rsplit("}", 1)[-1]
        if element.text and element.text.strip():
            yield local, element.text
        for attribute, value in element.attrib.items():
            yield attribute.rsplit("}", 1)[-1], value


def _json_fields(value: object, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _json_fields(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _json_fields(item, key)
    elif isinstance(value, str):
        yield key, value


def _check_all(site: Site, report: LinkReport, source: str, base: str, urls: Iterable[str]) -> None:
    for url in urls:
        broken = _check_one(site, report, source, base, url)
        if broken:
            report.broken.append(broken)


def _check_one(site: Site, report: LinkReport, source: str, base: str, url: str) -> BrokenLink | None:
    if url.lower().startswith(_NOT_LINKS):
        return None
    absolute = urljoin(base, url)
    parts = urlsplit(absolute)
    path = site.internal_path(absolute)
    if path is None:
        report.external.setdefault(absolute, set()).add(source)
        return None
    report.internal += 1
    target = site.file_of(unquote(path))
    if target is None:
        return BrokenLink(source, url, f"no file for {unquote(parts.path)} in the site")
    anchor = unquote(parts.fragment)
    if anchor and target.endswith(".html") and anchor != "top" \
            and anchor not in site.page(target).ids:
        return BrokenLink(source, url, f"no element with id=\"{anchor}\" in {target}")
    return None
