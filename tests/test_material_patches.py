"""Koho's patches of Material's HTML apply to Material's real markup, and stop with a
message naming the patch when that markup changes (instead of quietly doing nothing)."""

from __future__ import annotations

import pytest
from koho import site_output
from koho.languages import Language

ENGLISH = Language("en", "en", "English", default=False)
MATERIAL_PAGE = (
    '<html><head><link rel="alternate" href="/en/" hreflang="en"></head><body>'
    '<script id="__config" type="application/json">{"base":"."}</script>'
    '<div class="md-search" data-md-component="search" role="dialog"></div>'
    '<span class="md-ellipsis">\n  Glossary\n</span><h1 id="not-found">404</h1></body></html>'
)


def patch_all(page: str) -> str:
    page = site_output.use_language_base(page, ENGLISH)
    page = site_output.label_search_dialog(page, "Search")
    page = site_output.ensure_skip_link(page, "Skip to content")
    page = site_output.mark_fallback_titles(page, {"Glossary"}, "ja")
    return site_output.remove_hreflang_links(page)


def test_every_patch_applies_to_materials_markup():
    page = patch_all(MATERIAL_PAGE)
    assert '"base":"./en/"' in page
    assert 'role="dialog" aria-label="Search"' in page
    assert '<a href="#not-found" class="md-skip">Skip to content</a>' in page
    assert '<span class="md-ellipsis" lang="ja">' in page
    assert "hreflang" not in page


# Each snippet a patch relies on, as a Material update might rewrite it.
CHANGES = [
    ('<script id="__config" type="application/json">', "<script id='__config' type='application/json'>",
     "use_language_base"),
    ('role="dialog"', 'role="search"', "label_search_dialog"),
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
