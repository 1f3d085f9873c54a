"""What a resident sees, in a real headless Chromium."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def all_page_urls(site) -> list[str]:
    sitemap = (site.path / "sitemap.xml").read_text("utf-8")
    urls = sorted(set(re.findall(r"<loc>([^<]+)</loc>", sitemap)))
    assert all(url.startswith(site.url) for url in urls)
    return urls


def test_sitemap_lists_every_language(site):
    urls = all_page_urls(site)
    for locale in ("en", "zh", "ko", "ja-easy"):
        assert f"{site.url}{locale}/" in urls
    assert len(urls) >= 5 * 10


def test_no_page_requests_another_host(desktop, site):
    """Every page of every language loads only from the local server: no web fonts,
    scripts, trackers or background fetches from elsewhere, and no failed request."""
    local = urlsplit(site.url).netloc
    foreign: list[str] = []
    failed: list[str] = []
    desktop.on("request", lambda request: foreign.append(request.url)
               if urlsplit(request.url).netloc not in (local, "") else None)
    desktop.on("response", lambda response: failed.append(response.url)
               if response.status >= 400 else None)
    for url in all_page_urls(site):
        desktop.goto(url, wait_until="networkidle")
    assert foreign == []
    assert failed == []


def test_language_switcher_is_labelled_and_keeps_the_page(desktop, site):
    desktop.goto(site.url + "policy/2-trends/")
    button = desktop.locator(".koho-language__button")
    assert "Language" in button.inner_text()
    button.focus()
    english = desktop.locator(".md-select__link[hreflang='en']")
    english.wait_for(state="visible")
    current = desktop.locator(".md-select__link[aria-current='true']")
    assert current.get_attribute("lang") == "ja"
    assert desktop.locator(".md-select__link[hreflang='zh-Hans']").get_attribute("lang") == "zh-Hans"
    english.click()
    desktop.wait_for_url(site.url + "en/policy/2-trends/")
    assert desktop.locator("html").get_attribute("lang") == "en"


def test_glossary_definition_shows_on_keyboard_focus_and_is_described(desktop, site):
    desktop.goto(site.url + "policy/1-approach/")
    link = desktop.locator(".koho-term a[href*='glossary/#open-data']").first
    tip_id = link.get_attribute("aria-describedby")
    tip = desktop.locator(f"#{tip_id}")
    assert not tip.is_visible()
    link.focus()
    assert tip.is_visible()
    assert "データ" in tip.inner_text()
    # Announced once, without the readings (hidden <rt>) that furigana may add.
    # (ruby boxes may be joined with spaces: compare the characters in order)
    characters = [re.escape(c) for c in tip.inner_text() if not c.isspace()]
    expect(link).to_have_accessible_description(re.compile(r"^\s*" + r"\s*".join(characters) + r"\s*$"))
    desktop.keyboard.press("Escape")
    assert not tip.is_visible()
    assert desktop.evaluate("() => document.activeElement.closest('.koho-term') !== null")


def test_glossary_definition_shows_on_hover(desktop, site):
    desktop.goto(site.url + "en/policy/1-approach/")
    term = desktop.locator(".koho-term").first
    term.locator("a").hover()
    assert term.locator(".koho-term__tip").is_visible()


def test_untranslated_page_reads_as_japanese_under_a_notice(phone, site):
    phone.goto(site.url + "zh/policy/5-initiatives/")
    assert phone.locator("html").get_attribute("lang") == "zh-Hans"
    notice = phone.locator(".koho-notice").first
    assert "本页尚未翻译" in notice.inner_text()
    heading_lang = phone.evaluate("() => document.querySelector('article h1').closest('[lang]').lang")
    assert heading_lang == "ja"
