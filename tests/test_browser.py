"""What a resident sees, in a real headless Chromium (on the invented town; Akiruno's
pages: test_akiruno_browser.py)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from conftest import TOWN
from koho.glossary import load_glossary
from playwright.sync_api import expect
from test_notices import ui_strings

pytestmark = pytest.mark.browser


def all_page_urls(site) -> list[str]:
    sitemap = (site.path / "sitemap.xml").read_text("utf-8")
    urls = sorted(set(re.findall(r"<loc>([^<]+)</loc>", sitemap)))
    assert all(url.startswith(site.url) for url in urls)
    return urls


def requests_elsewhere(context, site, urls: list[str], tabs: int = 6) -> tuple[list[str], list[str]]:
    """Requests to another host, and failed requests, while each URL loads until the
    network is idle (a few tabs at a time)."""
    local = urlsplit(site.url).netloc
    foreign: list[str] = []
    failed: list[str] = []
    context.on("request", lambda request: foreign.append(request.url)
               if urlsplit(request.url).netloc not in (local, "") else None)
    context.on("response", lambda response: failed.append(f"{response.status} {response.url}")
               if response.status >= 400 else None)
    for start in range(0, len(urls), tabs):
        pages = [context.new_page() for _ in urls[start:start + tabs]]
        for page, url in zip(pages, urls[start:start + tabs], strict=True):
            page.goto(url, wait_until="commit")
        for page in pages:
            page.wait_for_load_state("networkidle")
            page.close()
    return foreign, failed


def test_sitemap_lists_every_language(town):
    urls = all_page_urls(town)
    assert f"{town.url}en/" in urls and f"{town.url}en/history/" in urls
    assert len(urls) >= 2 * 10


def test_no_page_requests_another_host(desktop, town):
    """Every page of every language loads only from the local server: no web fonts,
    scripts, trackers or background fetches from elsewhere, and no failed request."""
    assert requests_elsewhere(desktop.context, town, all_page_urls(town)) == ([], [])


def test_language_switcher_is_labelled_and_keeps_the_page(desktop, town):
    desktop.goto(town.url + "about/")
    button = desktop.locator(".koho-language__button")
    assert "Language" in button.inner_text()
    button.focus()
    english = desktop.locator(".md-select__link[hreflang='en']")
    english.wait_for(state="visible")
    current = desktop.locator(".md-select__link[aria-current='true']")
    assert current.get_attribute("lang") == "ja"
    assert english.get_attribute("lang") == "en"
    english.click()
    desktop.wait_for_url(town.url + "en/about/")
    assert desktop.locator("html").get_attribute("lang") == "en"


def glossary_entry(locale: str, term_id: str):
    entries = load_glossary(TOWN / "docs", locale, "ja")
    return next(entry for entry in entries if entry.id == term_id)


def test_glossary_definition_shows_on_keyboard_focus_and_is_described(desktop, town):
    desktop.goto(town.url + "about/")
    link = desktop.locator(".koho-term a[href*='glossary/#counter']").first
    tip_id = link.get_attribute("aria-describedby")
    tip = desktop.locator(f"#{tip_id}")
    assert not tip.is_visible()
    link.focus()
    assert tip.is_visible()
    shown = "".join(tip.inner_text().split())  # ruby boxes may be joined with spaces
    assert shown == "".join(glossary_entry("ja", "counter").short.split())
    # Announced once, without the readings (hidden <rt>) that furigana may add.
    # (ruby boxes may be joined with spaces: compare the characters in order)
    characters = [re.escape(c) for c in tip.inner_text() if not c.isspace()]
    expect(link).to_have_accessible_description(re.compile(r"^\s*" + r"\s*".join(characters) + r"\s*$"))
    desktop.keyboard.press("Escape")
    assert not tip.is_visible()
    assert desktop.evaluate("() => document.activeElement.closest('.koho-term') !== null")


def test_glossary_definition_shows_on_hover_in_the_pages_language(desktop, town):
    desktop.goto(town.url + "en/about/")
    term = desktop.locator(".koho-term").first
    term.locator("a").hover()
    tip = term.locator(".koho-term__tip")
    assert tip.is_visible()
    assert tip.inner_text().strip() == glossary_entry("en", "counter").short


def test_untranslated_page_reads_as_japanese_under_a_notice(phone, town):
    phone.goto(town.url + "en/history/")
    assert phone.locator("html").get_attribute("lang") == "en"
    notice = phone.locator(".koho-notice").first
    assert ui_strings("en")["untranslated.title"] in notice.inner_text()
    heading_lang = phone.evaluate("() => document.querySelector('article h1').closest('[lang]').lang")
    assert heading_lang == "ja"
