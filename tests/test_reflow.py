"""Reflow at 320 CSS px and text at 200% (WCAG 1.4.10, 1.4.4): `make a11y` checks every
page of Akiruno's site (tests/a11y_checks.py); here, sample pages of each type of the
invented town."""

from __future__ import annotations

import pytest
from a11y_checks import overflow, text_200

pytestmark = pytest.mark.browser

TOWN_SAMPLES = ["", "about/", "en/glossary/", "procedures/", "en/notices/", "subscribe/",
                "procedures/resident-certificate/", "en/history/", "notices/2026/11-27-river-flooding/"]


def assert_reflows(browser, url: str) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(url)
    assert overflow(page, 320) == []
    page.set_viewport_size({"width": 640, "height": 800})
    assert text_200(page, 640) == []
    page.close()


@pytest.mark.parametrize("path", TOWN_SAMPLES)
def test_nothing_scrolls_sideways_at_320_px_or_with_text_at_200_percent(browser, town, path):
    assert_reflows(browser, town.url + path)

