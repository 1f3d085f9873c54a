"""The checks tools cannot make (tests/a11y_checks.py), in real Chromium: each one
reports the deliberately broken fixture page, and passes on sample pages of the town.
`make a11y` runs the same checks on every page of Akiruno's site at both widths."""

from __future__ import annotations

import pytest
from a11y_checks import keyboard, languages, overflow, skip_link, target_size, text_200
from conftest import ROOT

pytestmark = pytest.mark.browser

BROKEN = (ROOT / "tests" / "fixtures" / "broken-a11y" / "index.html").as_uri()
# A page of each kind of the town, in both its languages.
SAMPLES = [("", "ja"), ("en/about/", "en"), ("procedures/resident-certificate/", "ja"),
           ("en/glossary/", "en"), ("notices/2026/11-27-river-flooding/", "ja")]


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()


def test_skip_link_check_reports_a_page_without_one(phone):
    phone.goto(BROKEN)
    assert any("not a skip link" in problem for problem in skip_link(phone))


def test_keyboard_check_reports_a_trap_an_invisible_focus_and_a_focus_off_screen(phone):
    phone.goto(BROKEN)
    problems = keyboard(phone)
    assert any("Tab never reaches <a> “この後のリンク”" in p for p in problems), problems
    assert any("focus on <button> “x” is not visible" in p for p in problems), problems
    assert any("“見えないリンク” is off screen" in p for p in problems), problems


def test_reflow_check_reports_a_page_wider_than_320_px(narrow):
    narrow.goto(BROKEN)
    assert overflow(narrow, 320) != []


def test_text_size_check_reports_a_page_that_breaks_at_200_percent(browser):
    page = browser.new_page(viewport={"width": 640, "height": 800})
    page.goto(BROKEN)
    assert overflow(page, 640) == []  # fine at normal size...
    assert text_200(page, 640) != []  # ...not with text at 200%
    page.close()


def test_target_size_check_reports_small_controls_side_by_side(phone):
    phone.goto(BROKEN)
    problems = target_size(phone)
    assert any("12×12" in p or "14×14" in p for p in problems), problems


def test_language_check_reports_a_wrong_page_language_and_unmarked_korean(phone):
    phone.goto(BROKEN)
    problems = languages(phone, "ja")
    assert any('lang="en", expected "ja"' in p for p in problems), problems
    assert any(p.startswith("Korean text without its lang") for p in problems), problems


def test_keyboard_and_skip_link_checks_follow_each_other_on_one_load(phone):
    """make a11y loads each page once: each Tab check starts from the top of the page."""
    phone.goto(BROKEN)
    first = keyboard(phone)
    assert any("not a skip link" in problem for problem in skip_link(phone))
    assert keyboard(phone) == first


@pytest.mark.parametrize("path, lang", SAMPLES)
def test_sample_pages_pass_every_check_on_a_phone(phone, town, path, lang):
    phone.goto(town.url + path)  # one load, the checks in make a11y's order
    assert target_size(phone) + languages(phone, lang) + keyboard(phone) + skip_link(phone) == []


def test_tab_checks_start_from_the_top_whatever_had_focus(phone, town):
    phone.goto(town.url + "procedures/")
    phone.locator("main a[href]").last.focus()
    assert skip_link(phone) == []
    phone.locator("main a[href]").last.focus()
    assert keyboard(phone) == []


@pytest.mark.parametrize("path, lang", SAMPLES[:2])
def test_sample_pages_pass_every_check_on_a_desktop(desktop, town, path, lang):
    desktop.goto(town.url + path)
    assert keyboard(desktop) + target_size(desktop) + languages(desktop, lang) == []
