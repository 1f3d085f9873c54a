"""Each language's search as a Pagefind bundle: a query downloads a few small index chunks
and the fragments of the results it shows, not the whole site's index.

Material's search plugin still decides what is searchable (its index, split by language
in search.split_index: the pages written in that language, without `search: exclude`).
From that, `write_bundles` gives Pagefind each page's article, as built, in a bundle of
its own language (<language>/pagefind/): Pagefind picks languages by `<html lang>`, which
would put やさしい日本語 (lang="ja") in with Japanese. What Pagefind must not read is left
out by selector: readings (`<rt data-search-exclude>`, Material's own marker), the page's
tool buttons and heading anchors.

Japanese compounds and kana: Pagefind cuts Japanese into words with a dictionary, at
indexing and again at query time, and a query cut otherwise than the text does not find it
(デバイド inside デジタルデバイド). After a marker at the end of each article, Koho adds the
suffixes of its CJK words (search.infix_terms: デバイド is one) and the folded forms of its
kana and full-width words (search.kana_terms: まいなんばー as マイナンバー), so that a query,
folded the same way by Koho's worker, is cut the same way as some indexed text. The worker
cuts the excerpts it shows at that marker.

The language's search_index.json, which Material's page script fetches when the reader
opens search, keeps only the configuration, with the bundle's path (`config.pagefind`).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .languages import Language
from .search import infix_terms, kana_terms
from .templates import Templates

BUNDLE_DIR = "pagefind"
# Pagefind's own search interfaces, written into every bundle; Koho answers Material's.
UNUSED_FILES = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*",
                "pagefind-highlight.js")
ROOT_SELECTOR = ".md-content__inner"
ARTICLE_START = '<article class="md-content__inner'  # Material's, around the page's content
EXCLUDE_SELECTORS = ("[data-search-exclude]", ".koho-page-tools", ".headerlink")
# Between an article and the terms added for search; Koho's worker cuts excerpts here.
TERMS_MARKER = "\u2042"
# Titles and headings, and their terms, weigh most (Pagefind's scale: text 1, <h1> 7, at
# most 10), as Material's index boosts titles: a page or section about a word comes first.
TITLE_WEIGHT = 10


@dataclass(frozen=True)
class SearchPage:
    """One page of a language's search: its URL relative to the language's home."""

    url: str
    file: Path
    titles: str  # the page's title and its headings, as Material's index holds them
    text: str


@dataclass(frozen=True)
class Bundle:
    lang: Language
    pages: tuple[SearchPage, ...]
    output: Path


def bundles(site_dir: Path, languages: list[Language], indexes: dict[str, dict]) -> list[Bundle]:
    """One bundle per language, from its documents (search.split_index)."""
    return [Bundle(lang, search_pages(site_dir, lang, indexes[lang.locale]),
                   site_dir / lang.url_prefix / BUNDLE_DIR) for lang in languages]


def search_pages(site_dir: Path, lang: Language, index: dict) -> tuple[SearchPage, ...]:
    """The pages of a language's Material index (one per page, its sections merged)."""
    titles: dict[str, list[str]] = {}
    texts: dict[str, list[str]] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#", 1)[0]
        titles.setdefault(page, []).append(doc.get("title", ""))
        texts.setdefault(page, []).append(doc.get("text", ""))
    return tuple(SearchPage(url, page_file(site_dir / lang.url_prefix, url), " ".join(titles[url]),
                            " ".join(texts[url])) for url in titles)


def page_file(home: Path, url: str) -> Path:
    return home / url if url.endswith(".html") else home / url / "index.html"


def indexed_html(page: SearchPage, lang: Language, templates: Templates) -> str:
    """The page as Pagefind reads it (partial search-input.html): the built article alone
    (Pagefind reads nothing else of it), with the terms for search after the marker."""
    html = page.file.read_text("utf-8")
    start = html.find(ARTICLE_START)
    end = html.rfind("</article>")
    article = html[start:end] if 0 <= start < end else ""
    return templates.render("search-input.html", lang_tag=lang.tag, article=Markup(article),
                            marker=TERMS_MARKER, text_terms=search_terms(page.text),
                            title_weight=TITLE_WEIGHT, titles=f"{page.titles} {search_terms(page.titles)}")


def search_terms(text: str) -> str:
    return " ".join(filter(None, (infix_terms(text), kana_terms(text))))


def language_code(lang: Language) -> str:
    """Pagefind's language: the tag's primary subtag (やさしい日本語 is Japanese)."""
    return lang.tag.split("-", 1)[0].lower()


def stub_index(index: dict, bundle_url: str) -> dict:
    """What search_index.json keeps: Material's configuration and the bundle's path."""
    return {"config": {**index["config"], "pagefind": bundle_url}, "docs": []}


class SearchBundleError(Exception):
    """Pagefind could not write a language's search."""


def write_bundles(bundles: list[Bundle], templates: Templates) -> None:
    try:
        asyncio.run(_write_bundles(bundles, templates))
    except (OSError, AssertionError, RuntimeError) as error:  # what Pagefind's service raises
        raise SearchBundleError(
            f"Pagefind could not write the search of the site ({type(error).__name__}: {error}). "
            "Is the Python package pagefind[extended] installed (make build installs it)? "
            f"サイト内検索のデータを作れませんでした。") from error


async def _write_bundles(bundles: list[Bundle], templates: Templates) -> None:
    from pagefind.index import IndexConfig
    from pagefind.service import PagefindService

    # Pagefind's Python service answers one message per 0.1 s: each language's pages go to it
    # as one folder (written here as Pagefind reads them), not one message per page.
    with tempfile.TemporaryDirectory(prefix="koho-search-") as folder:
        async with PagefindService() as service:  # one Pagefind process for every language
            for bundle in bundles:
                pages = Path(folder) / bundle.lang.locale
                for page in bundle.pages:
                    path = page_file(pages, page.url)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(indexed_html(page, bundle.lang, templates), "utf-8")
                index = await service.create_index(IndexConfig(
                    root_selector=ROOT_SELECTOR, exclude_selectors=list(EXCLUDE_SELECTORS),
                    force_language=language_code(bundle.lang)))
                await index.add_directory(str(pages))
                await index.write_files(output_path=str(bundle.output))
                for pattern in UNUSED_FILES:
                    for unused in bundle.output.glob(pattern):
                        unused.unlink()


def write_stub_indexes(site_dir: Path, indexes: dict[str, dict], languages: list[Language],
                       site_path: str) -> None:
    for lang in languages:
        path = site_dir / lang.url_prefix / "search" / "search_index.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        bundle_url = f"{site_path.rstrip('/')}/{lang.url_prefix}{BUNDLE_DIR}/"
        path.write_text(json.dumps(stub_index(indexes[lang.locale], bundle_url), ensure_ascii=False,
                                   separators=(",", ":")), encoding="utf-8")


def bundle_pages(bundle_dir: Path) -> list[dict]:
    """The pages a bundle holds, as its fragments keep them (url, content, meta), by URL."""
    pages = []
    for fragment in sorted((bundle_dir / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        pages.append(json.loads(data.removeprefix(b"pagefind_dcd")))
    return sorted(pages, key=lambda page: page["url"])
