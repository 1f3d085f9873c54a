"""Keyboard start and reflow (WCAG 2.4.1, 1.4.10, 1.4.4), in real Chromium, on every page."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def every_page(site) -> list[str]:
    sitemap = (site.path / "sitemap.xml").read_text("utf-8")
    return sorted(set(re.findall(r"<loc>([^<]+)</loc>", sitemap)))


def overflowing(page, urls: list[str], width: int, text_scale: float = 1.0) -> list[str]:
    found = []
    for url in urls:
        page.goto(url)
        if text_scale != 1.0:
            page.evaluate(f"document.documentElement.style.fontSize = 'calc(125% * {text_scale})'")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            found.append(f"{url} scrolls to {scroll}px")
    return found


def test_nothing_scrolls_sideways_at_320_css_px(browser, site):
    page = browser.new_page(viewport={"width": 320, "height": 640})
    assert overflowing(page, every_page(site), 320) == []
    page.close()


def test_nothing_scrolls_sideways_with_text_at_200_percent(browser, site):
    page = browser.new_page(viewport={"width": 640, "height": 800})
    assert overflowing(page, every_page(site), 640, text_scale=2.0) == []
    page.close()


def test_reflow_check_catches_a_page_that_scrolls(browser, site):
    """The check can fail: a fixed-width element makes it report the page."""
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(site.url)
    page.add_style_tag(content="article p { min-width: 600px; }")
    assert page.evaluate("document.documentElement.scrollWidth") > 320
    page.close()


@pytest.mark.parametrize("path", ["", "en/policy/", "procedures/residence-certificate/"])
def test_skip_link_is_the_first_focus_stop_and_leads_into_the_content(phone, site, path):
    phone.goto(site.url + path)
    phone.keyboard.press("Tab")
    first = phone.evaluate("document.activeElement.className")
    assert "md-skip" in first
    assert phone.evaluate("document.activeElement.getBoundingClientRect().height") > 0  # visible
    phone.keyboard.press("Enter")
    phone.keyboard.press("Tab")
    assert phone.evaluate("!!document.activeElement.closest('.md-content')")
