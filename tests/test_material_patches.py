"""Koho's patches of Material's HTML apply to Material's real markup, and stop with a
message naming the patch when that markup changes (instead of quietly doing nothing)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build_site
from koho import site_output
from koho.languages import Language
from koho.templates import THEME_DIR, Templates

ENGLISH = Language("en", "en", "English", default=False)
MATERIAL_PAGE = (
    '<html><head><link rel="alternate" href="/en/" hreflang="en"></head><body>'
    '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
    '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">'
    '<script id="__config" type="application/json">{"base":"."}</script>'
    '<div class="md-search" data-md-component="search" role="dialog"></div>'
    '<span class="md-ellipsis">\n  Glossary\n</span><h1 id="not-found">404</h1></body></html>'
)

SKIP_LINK = Templates.from_folders([THEME_DIR]).render(
    "skip-link.html", target=site_output.NOT_FOUND_HEADING, label="Skip to content")


def patch_all(page: str) -> str:
    page = site_output.use_language_base(page, ENGLISH)
    page = site_output.label_search_dialog(page, "Search")
    page = site_output.drop_toggle_autocomplete(page)
    page = site_output.ensure_skip_link(page, SKIP_LINK)
    page = site_output.mark_fallback_titles(page, {"Glossary"}, "ja")
    return site_output.remove_hreflang_links(page)


def test_every_patch_applies_to_materials_markup():
    page = patch_all(MATERIAL_PAGE)
    assert '"base":"./en/"' in page
    assert 'role="dialog" aria-label="Search"' in page
    assert '<a href="#not-found" class="md-skip">Skip to content</a>' in page
    assert '<span class="md-ellipsis" lang="ja">' in page
    assert "hreflang" not in page
    assert "autocomplete" not in page and page.count('type="checkbox" id="__') == 2


# Each snippet a patch relies on, as a Material update might rewrite it.
CHANGES = [
    ('<script id="__config" type="application/json">', "<script id='__config' type='application/json'>",
     "use_language_base"),
    ('role="dialog"', 'role="search"', "label_search_dialog"),
    ('id="__search" autocomplete="off"', 'id="__search"', "drop_toggle_autocomplete"),
    ("<body>", "<main-body>", "ensure_skip_link"),
    ('class="md-ellipsis"', 'class="md-truncate"', "mark_fallback_titles"),
    ('<link rel="alternate" href="/en/" hreflang="en">',
     '<link hreflang="en" rel="alternate" href="/en/">', "remove_hreflang_links"),
]


@pytest.mark.parametrize(("snippet", "changed", "patch"), CHANGES)
def test_a_changed_snippet_stops_with_the_patch_named(snippet, changed, patch):
    renamed = MATERIAL_PAGE.replace(snippet, changed)
    assert renamed != MATERIAL_PAGE
    with pytest.raises(site_output.PatchError, match=patch):
        patch_all(renamed)


def test_a_site_override_that_changes_a_patched_snippet_stops_the_build(town_copy):
    """A site (or a Material update) rewrites the search partial: the build names the patch
    and the page, and the last good site/ stays as it was."""
    import material

    original = Path(material.__file__).with_name("templates") / "partials" / "search.html"
    changed = original.read_text("utf-8").replace('role="dialog"', 'role="search"')
    assert changed != original.read_text("utf-8")
    (town_copy / "overrides" / "partials").mkdir(parents=True)
    (town_copy / "overrides" / "partials" / "search.html").write_text(changed, "utf-8")
    config = town_copy / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "  name: material\n", "  name: material\n  custom_dir: overrides\n", 1), "utf-8")
    (town_copy / "site").mkdir()
    (town_copy / "site" / "last-good.txt").write_text("kept", "utf-8")

    result = build_site(town_copy, town_copy / "site")

    assert result.returncode != 0
    # The page being written, the patch, and the markup it no longer finds are named.
    assert re.search(r"\S+\.(md|html): Koho could not apply its patch 'label_search_dialog'",
                     result.stderr), result.stderr[-2000:]
    assert 'role="dialog"> any more' in result.stderr
    assert sorted(p.name for p in (town_copy / "site").iterdir()) == ["last-good.txt"]


def test_built_pages_label_only_existing_toggles(town):
    """No checkbox has `autocomplete`, and `<label for="__toc">` appears only where the
    `__toc` toggle exists (Koho's partials/toc.html): a notice, outside the navigation, has
    its contents' title without `for`. The Nu HTML Checker checks Akiruno's every page too."""
    seen = set()
    for page in sorted(town.path.rglob("*.html")):
        html = page.read_text("utf-8")
        assert not re.search(r'type="checkbox"[^>]*autocomplete', html), page
        toggle, label = 'id="__toc"' in html, 'for="__toc"' in html
        assert toggle or not label, page
        seen.add("labelled" if label else "title only" if '<label class="md-nav__title">' in html else "")
    assert {"labelled", "title only"} <= seen


def test_pages_use_kohos_search_worker_beside_materials():
    workers = "../assets/javascripts/workers/"
    page = MATERIAL_PAGE.replace('{"base":"."}', f'{{"base":".","search":"{workers}search.a7633da7.min.js"}}')
    patched = site_output.use_koho_search_worker(page)
    assert f'"search":"{workers}koho-search.js"' in patched
    with pytest.raises(site_output.PatchError, match="use_koho_search_worker"):
        site_output.use_koho_search_worker(MATERIAL_PAGE)  # no worker named
