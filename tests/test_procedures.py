"""Procedure pages and the procedures index of the invented town, as a resident sees
them in Chromium."""

from __future__ import annotations

import pytest
from conftest import TOWN
from koho import content
from koho.plugin import load_site_settings
from test_notices import ui_strings

pytestmark = pytest.mark.browser

PAGE = "procedures/resident-certificate/"
A4_PRINTABLE_HEIGHT_PX = (297 - 2 * 15) / 25.4 * 96  # A4 minus the 15 mm margins, at 96 dpi


def town_procedures() -> list[dict]:
    """The front matter of the town's Japanese procedures."""
    pages, _, problems = content.read_checked(load_site_settings(TOWN), TOWN / "docs")
    assert problems == []
    return [page.values for page in pages if page.page_type == "procedure" and page.locale == "ja"]


def test_summary_box_steps_and_checklist_on_a_phone(phone, town):
    ja = ui_strings("ja")
    phone.goto(town.url + PAGE)
    box = phone.get_by_role("region", name=ja["procedure.box"])
    assert box.is_visible()
    top = box.bounding_box()["y"]
    assert top < 667, f"summary box starts below the fold at {top}px"
    assert "300円" in box.inner_text() and ja["procedure.online"] in box.inner_text()
    steps = phone.locator("ol.koho-steps > li")
    assert steps.count() >= 2
    assert ja["procedure.or"] in phone.locator("ol.koho-steps").inner_text()
    checklist = phone.locator(".koho-checklist input[type=checkbox]")
    assert checklist.count() >= 1
    checklist.first.check()
    assert checklist.first.is_checked()
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 375


def test_print_keeps_the_checklist_on_one_page_and_hides_navigation(desktop, town):
    desktop.goto(town.url + PAGE)
    desktop.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-banner"):
        assert desktop.locator(selector).first.is_hidden(), selector
    checklist = desktop.locator(".koho-checklist")
    assert checklist.is_visible()
    assert checklist.evaluate("el => getComputedStyle(el).breakInside") == "avoid"
    assert checklist.bounding_box()["height"] < A4_PRINTABLE_HEIGHT_PX
    pdf = desktop.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_index_lists_every_group_without_javascript(browser, town):
    procedures = town_procedures()
    events = {event for values in procedures for event in values["life_events"]}
    online_entries = sum(len(values["life_events"]) for values in procedures if values["online"] != "none")
    assert len(events) >= 2 and online_entries >= 1
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.goto(town.url + "procedures/")
    assert page.locator(".koho-procedure-filter").is_hidden()
    groups = page.locator(".koho-procedure-group")
    assert groups.count() == len(events)
    assert all(groups.nth(i).is_visible() for i in range(groups.count()))
    assert page.locator(".koho-flag--online").count() == online_entries
    context.close()


def test_index_filters_by_life_event_and_online(phone, town):
    phone.goto(town.url + "procedures/")
    form = phone.locator(".koho-procedure-filter")
    assert form.is_visible()
    form.locator("select").select_option("moving")
    visible = phone.locator(".koho-procedure-group:visible")
    assert visible.count() == 1 and visible.first.get_attribute("data-event") == "moving"
    form.locator("select").select_option("")
    form.locator("input[name=online]").check()
    offline = phone.locator(".koho-procedure-group li[data-online=no]")
    assert offline.count() > 0
    assert all(offline.nth(i).is_hidden() for i in range(offline.count()))
    assert phone.locator(".koho-procedure-group li[data-online=yes]:visible").count() > 0


def test_english_procedure_uses_english_labels(phone, town):
    phone.goto(town.url + "en/" + PAGE)
    box = phone.get_by_role("region", name=ui_strings("en")["procedure.box"])
    assert "300 yen" in box.inner_text()
    assert phone.locator("#what-to-bring, #documents").count() >= 1
