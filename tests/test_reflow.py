"""Reflow at 320 CSS px and text at 200% (WCAG 1.4.10, 1.4.4): `make a11y` checks every
page (tests/a11y_checks.py); here, sample pages of each type and language."""

from __future__ import annotations

import pytest
from a11y_checks import overflow, text_200

pytestmark = pytest.mark.browser

SAMPLES = ["", "policy/survey/", "en/glossary/", "zh/procedures/", "ko/notices/", "ja-easy/subscribe/",
           "procedures/residence-certificate/", "accessibility/results/"]


@pytest.mark.parametrize("path", SAMPLES)
def test_nothing_scrolls_sideways_at_320_px_or_with_text_at_200_percent(browser, site, path):
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(site.url + path)
    assert overflow(page, 320) == []
    page.set_viewport_size({"width": 640, "height": 800})
    assert text_200(page, 640) == []
    page.close()
