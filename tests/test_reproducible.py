"""Two builds of one commit with the same SOURCE_DATE_EPOCH give byte-identical sites:
pages, feeds, sitemaps (sitemap.xml.gz too: gzip writes a time into its header) and
search indexes and bundles. A city can then tell a real change from a rebuild, and a CDN keeps
its copies of files that did not change."""

from __future__ import annotations

import shutil

from conftest import build_site
from koho.site_compare import compare, files

# Files of every kind the build writes, which the comparison must have covered.
KINDS = ["index.html", "en/notices/index.html", "404.html", "en/404.html", "sitemap.xml",
         "sitemap.xml.gz", "en/sitemap.xml", "feed.rss.xml", "en/feed.atom.xml", "feed.json",
         "search/search_index.json", "en/search/search_index.json", "pagefind/pagefind-entry.json",
         "en/pagefind/pagefind-entry.json"]


def test_two_builds_of_the_town_are_byte_identical(town, town_copy, tmp_path):
    """The session's build of the town, and another from a fresh copy of its sources in
    another folder, at another moment, with the same SOURCE_DATE_EPOCH and URL."""
    second = tmp_path / "second-site"
    result = build_site(town_copy, second, town.url)
    assert result.returncode == 0, result.stderr[-3000:]

    comparison = compare(town.path, second)

    assert comparison.same, f"two builds of the same sources differ:\n{comparison.describe()}"
    assert set(KINDS) <= set(comparison.identical)
    assert len(comparison.identical) == len(files(town.path)) > 50


def test_the_comparison_names_each_file_that_differs(town, tmp_path):
    """What the test above would say if one byte of a search index changed, a feed
    were missing and a stray file appeared."""
    changed = tmp_path / "changed"
    shutil.copytree(town.path, changed)
    index = changed / "en" / "search" / "search_index.json"
    data = bytearray(index.read_bytes())
    data[len(data) // 2] ^= 1
    index.write_bytes(bytes(data))
    (changed / "feed.json").unlink()
    (changed / "stray.txt").write_text("", "utf-8")

    comparison = compare(town.path, changed)

    assert not comparison.same
    assert comparison.changed == ["en/search/search_index.json"]
    assert comparison.removed == ["feed.json"] and comparison.added == ["stray.txt"]
    assert comparison.describe().splitlines() == [
        "differs: en/search/search_index.json", "only in the second: stray.txt",
        "only in the first: feed.json"]
