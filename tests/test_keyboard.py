"""The header's controls work from the keyboard on a phone, in real Chromium (on the town)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def tab_to(page, selector: str, limit: int = 15) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_menu_drawer_opens_from_the_keyboard(phone, town):
    phone.goto(town.url + "about/")
    tab_to(phone, "label[for=__drawer].md-header__button")
    assert phone.evaluate("document.activeElement.textContent.trim()")  # named, though hidden
    outline = phone.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # a visible focus indicator
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.getElementById('__drawer').checked")
    home = phone.locator(".md-nav--primary a.md-nav__link").first
    assert home.is_visible()
    phone.keyboard.press("Enter")  # pressed again, it closes
    assert not phone.evaluate("document.getElementById('__drawer').checked")
    phone.keyboard.press(" ")  # Space works too
    assert phone.evaluate("document.getElementById('__drawer').checked")


def test_search_opens_from_the_keyboard(phone, town):
    phone.goto(town.url + "en/")
    tab_to(phone, "label[for=__search].md-header__button")
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.getElementById('__search').checked")
    phone.keyboard.insert_text("library")
    phone.keyboard.press("End")
    phone.locator("li.md-search-result__item").first.wait_for(state="attached", timeout=15_000)


def test_language_switcher_is_reachable_and_lists_languages(phone, town):
    phone.goto(town.url)
    tab_to(phone, ".koho-language__button")
    tab_to(phone, ".md-select__link[hreflang=en]")
    phone.keyboard.press("Enter")
    phone.wait_for_url(town.url + "en/")
