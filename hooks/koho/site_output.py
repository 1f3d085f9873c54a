"""Changes to the written site that Material and static-i18n leave undone:
each language's pages use that language's search index and sitemap, and the
alternate-language links are absolute with valid language tags.

The alternates of a page are published in sitemap.xml (absolute URLs, one
`xhtml:link` per language), not as `<link rel="alternate" hreflang>` in each
page's head: Material fetches `<href>/sitemap.xml` for every such link, which
for a page URL is a missing file, i.e. five failed requests on every page view.
The language switcher already links each page's own translation.

Each patch of Material's HTML checks that what it patches is there and raises
`PatchError` otherwise: an update of Material that changes its markup stops the
build with a message, instead of quietly undoing an accessibility fix.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from html import escape, unescape
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree

from .languages import Language, language_of_url

_CONFIG_SCRIPT = re.compile(
    r'(<script id="__config" type="application/json">)(?P<json>.*?)(</script>)', re.S
)
_HREFLANG_LINK = re.compile(r'<link rel="alternate" href="(?P<href>[^"]*)" hreflang="(?P<lang>[^"]*)">')
_SITEMAP_URL = re.compile(r"<url>(?P<inner>.*?)</url>", re.S)
_SITEMAP_LOC = re.compile(r"<loc>([^<]*)</loc>")
_SITEMAP_LINK = re.compile(r"\s*<xhtml:link [^>]*/>")
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


class PatchError(Exception):
    """Material's HTML no longer has what a patch of Koho's changes."""

    def __init__(self, patch: str, expected: str) -> None:
        super().__init__(
            f"Koho could not apply its patch '{patch}': Material's HTML has no {expected} any more. "
            f"Material's templates have changed (or a site override replaced them): update "
            f"koho/site_output.py ({patch}) or the override. Koho の修正 '{patch}' を適用できません"
            f"（Material の HTML に {expected} がありません）。")


def hreflang(lang: Language, languages: list[Language]) -> str:
    """The language's tag, made unique for a variant such as やさしい日本語 (ja-x-easy)."""
    shared = [other for other in languages if other.tag == lang.tag]
    if len(shared) > 1 and not lang.default:
        return f"{lang.tag}-x-{lang.locale.rsplit('-', 1)[-1]}"
    return lang.tag


def use_language_base(page_html: str, lang: Language) -> str:
    """Point Material's `config.base` at the language's home, so that search and
    language switching read that language's index and sitemap."""
    if lang.default:
        return page_html

    def edit(app: dict) -> None:
        app["base"] = f"{app['base'].rstrip('/')}/{lang.locale}/"

    return _edit_config(page_html, "use_language_base", edit)


def _edit_config(page_html: str, patch: str, edit: Callable[[dict], None]) -> str:
    """Change Material's app configuration (the JSON of <script id="__config">) in place."""
    def replace(match: re.Match[str]) -> str:
        app = json.loads(match["json"])
        edit(app)
        return f"{match[1]}{json.dumps(app, ensure_ascii=False, separators=(',', ':'))}{match[3]}"

    patched, count = _CONFIG_SCRIPT.subn(replace, page_html, count=1)
    if not count:
        raise PatchError(patch, '<script id="__config" type="application/json">')
    return patched


_MATERIAL_WORKER = re.compile(r"^(?P<folder>.*/)?(?P<name>search\.[0-9a-f]+\.min\.js)$")
KOHO_SEARCH_WORKER = "koho-search.js"


def use_koho_search_worker(page_html: str) -> str:
    """Point Material's `config.search` (its search worker) at Koho's worker beside it, which
    answers Material's search box from the language's Pagefind bundle, kana and width folded
    (theme/assets/javascripts/workers/koho-search.js; search_bundle.py)."""
    def edit(app: dict) -> None:
        worker = _MATERIAL_WORKER.match(str(app.get("search", "")))
        if worker is None:
            raise PatchError("use_koho_search_worker",
                             '"search": "…/workers/search.<hash>.min.js" in __config')
        app["search"] = f"{worker['folder'] or ''}{KOHO_SEARCH_WORKER}"

    return _edit_config(page_html, "use_koho_search_worker", edit)


def label_search_dialog(page_html: str, label: str) -> str:
    """Name Material's search dialog, which has role="dialog" and no name (axe aria-dialog-name)."""
    if _SEARCH_DIALOG not in page_html:
        raise PatchError("label_search_dialog", _SEARCH_DIALOG)
    return page_html.replace(_SEARCH_DIALOG, f'{_SEARCH_DIALOG[:-1]} aria-label="{escape(label)}">', 1)


_TOGGLES = re.compile(
    r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)")'
    r' autocomplete="off">'
)


def drop_toggle_autocomplete(page_html: str) -> str:
    """Drop `autocomplete="off"` from Material's drawer and search toggles: the attribute is
    not allowed on a checkbox (Nu HTML Checker error). Material sets it so that Firefox
    does not restore an open menu or search when the reader comes back to a page;
    koho.js unchecks both toggles before Material reads them instead."""
    patched, count = _TOGGLES.subn(r"\1>", page_html)
    if count != 2:
        raise PatchError("drop_toggle_autocomplete", '<input class="md-toggle" … type="checkbox" … '
                                                     'autocomplete="off"> (drawer and search)')
    return patched


_ELLIPSIS = re.compile(r'(<(?:span|div) class="md-ellipsis")>(\s*)([^<]+?)(\s*)</')


def mark_fallback_titles(page_html: str, titles: set[str], tag: str) -> str:
    """Give the navigation's, header's and footer's titles of untranslated pages (and
    of their sections) the language they are written in (WCAG 3.1.2)."""
    if not titles:
        return page_html

    def replace(match: re.Match[str]) -> str:
        if unescape(match[3]) not in titles:
            return match[0]
        return f'{match[1]} lang="{tag}">{match[2]}{match[3]}{match[4]}</'

    patched, count = _ELLIPSIS.subn(replace, page_html)
    if not count:
        raise PatchError("mark_fallback_titles", 'navigation title (class="md-ellipsis")')
    return patched


_FIRST_H1 = re.compile(r"^# .*$", re.M)


def add_sample_note(markdown: str, note_html: str) -> str:
    """A visible "sample" note (HTML, from sample-note.html) under the page's title,
    for content invented for demonstration."""
    if _FIRST_H1.search(markdown):
        return _FIRST_H1.sub(lambda m: f"{m.group()}\n\n{note_html}\n", markdown, count=1)
    return f"{note_html}\n\n{markdown}"


_BODY = re.compile(r"<body[^>]*>")


NOT_FOUND_HEADING = "not-found"  # the id of the heading of Koho's 404.html


def ensure_skip_link(page_html: str, link: str, target: str = NOT_FOUND_HEADING) -> str:
    """Material adds its skip link only to pages with a table of contents: give the
    others (the 404 pages) `link` (from skip-link.html) to their heading `target`, first
    in the Tab order (WCAG 2.4.1)."""
    if 'class="md-skip"' in page_html or f'id="{target}"' not in page_html:
        return page_html
    patched, count = _BODY.subn(lambda m: m.group() + link, page_html, count=1)
    if not count:
        raise PatchError("ensure_skip_link", "<body>")
    return patched


def remove_hreflang_links(page_html: str) -> str:
    """Drop Material's alternate links from the head (see the module's docstring)."""
    patched = _HREFLANG_LINK.sub("", page_html)
    if "hreflang=" in _head(patched):
        raise PatchError("remove_hreflang_links", '<link rel="alternate" href="…" hreflang="…">')
    return patched


def _head(page_html: str) -> str:
    return page_html.split("</head>", 1)[0]


def fix_sitemap_hreflang(site_dir: Path, site_url: str, languages: list[Language],
                         untranslated: dict[str, set[str]] | None = None) -> None:
    """The sitemap's alternates (hreflang): for each page, the languages it is written in, never
    a page shown untranslated (`untranslated`: locale -> site-relative URLs), each with a valid
    tag (zh-Hans, ja-x-easy) and an absolute URL, plus x-default for the default language's page;
    every page of a set lists the same set, and a page in one language only lists none.
    sitemap.xml.gz, which MkDocs wrote before, is written again from the result."""
    path = site_dir / "sitemap.xml"
    if not path.exists():
        return
    untranslated = untranslated or {}
    default = next(lang for lang in languages if lang.default)

    def place(url: str) -> tuple[Language, str, bool]:
        """The language of a page's URL, the page below that language's home, and whether
        it is a translation or an original (not a page shown untranslated)."""
        relative = url[len(site_url):] if url.startswith(site_url) else url.lstrip("/")
        lang = language_of_url(relative, languages)
        return lang, relative[len(lang.url_prefix):], relative not in untranslated.get(lang.locale, ())

    xml = path.read_text(encoding="utf-8")
    written: dict[str, dict[str, str]] = {}  # page -> locale -> absolute URL
    for loc in _SITEMAP_LOC.findall(xml):
        url = unescape(loc)
        lang, key, own = place(url)
        if own:
            written.setdefault(key, {})[lang.locale] = urljoin(site_url, url)

    def replace(match: re.Match[str]) -> str:
        inner = _SITEMAP_LINK.sub("", match["inner"]).rstrip()
        loc = _SITEMAP_LOC.search(inner)
        if loc is None:
            return match[0]
        lang, key, own = place(unescape(loc[1]))
        alternates = written.get(key, {})
        if not own or len(alternates) < 2:
            return f"<url>{inner}\n    </url>"
        tags = [(hreflang(each, languages), alternates[each.locale]) for each in languages
                if each.locale in alternates]
        if default.locale in alternates:
            tags.append(("x-default", alternates[default.locale]))
        links = "".join(f'\n        <xhtml:link rel="alternate" hreflang="{tag}" href="{escape(href)}"/>'
                        for tag, href in tags)
        return f"<url>{inner}{links}\n    </url>"

    fixed = _SITEMAP_URL.sub(replace, xml)
    path.write_text(fixed, encoding="utf-8")
    _rewrite_gzip(site_dir / "sitemap.xml.gz", fixed)


def _rewrite_gzip(path: Path, text: str) -> None:
    """Replace a gzip file's content, keeping the time in its header (reproducible builds)."""
    if not path.exists():
        return
    with gzip.open(path) as old:
        old.read()
        mtime = old.mtime
    with path.open("wb") as file, gzip.GzipFile(fileobj=file, filename=str(path), mode="wb",
                                                mtime=mtime) as packed:
        packed.write(text.encode("utf-8"))


def write_language_sitemaps(site_dir: Path, site_url: str, languages: list[Language]) -> None:
    """Write <language>/sitemap.xml listing that language's pages, from the root sitemap."""
    root_sitemap = site_dir / "sitemap.xml"
    if not root_sitemap.exists():
        return
    ElementTree.register_namespace("", _SITEMAP_NS)
    tree = ElementTree.parse(root_sitemap)
    urls: dict[str, list[str]] = {lang.locale: [] for lang in languages}
    for loc in tree.getroot().iter(f"{{{_SITEMAP_NS}}}loc"):
        url = (loc.text or "").strip()
        relative = url[len(site_url) :] if url.startswith(site_url) else url.lstrip("/")
        urls[language_of_url(relative, languages).locale].append(url)
    for lang in languages:
        if lang.default:
            continue
        (site_dir / lang.locale).mkdir(parents=True, exist_ok=True)
        (site_dir / lang.locale / "sitemap.xml").write_text(
            _sitemap_xml(urls[lang.locale]), encoding="utf-8"
        )


def _sitemap_xml(urls: list[str]) -> str:
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="{_SITEMAP_NS}">{entries}</urlset>\n'
    )


def read_search_index(site_dir: Path) -> dict:
    """The index Material and the i18n plugin wrote, with every language merged."""
    return json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))


def write_not_found_pages(site_dir: Path, pages: dict[str, str], languages: list[Language]) -> None:
    """One 404 page per language (<language>/404.html); the default one at the root."""
    for lang in languages:
        if lang.locale in pages:
            path = site_dir / lang.url_prefix / "404.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(pages[lang.locale], encoding="utf-8")
