"""Furigana on Akiruno's real text: the policy's many kanji, and やさしい日本語, whose
readings show by default (the engine's furigana is tested in test_furigana.py)."""

from __future__ import annotations

import pytest
from test_furigana import RUBY, readings_and_index_text


def test_readings_of_the_policy_stay_out_of_the_search_index(site):
    pairs, text = readings_and_index_text(site, "policy/1-approach")
    assert len(pairs) > 50
    assert not [f"{base}{reading}" for base, reading in pairs[:100] if f"{base}{reading}" in text]
    assert "方針" in text


@pytest.mark.browser
def test_readings_are_on_by_default_in_easy_japanese_only(phone, site):
    phone.goto(site.url + "ja-easy/")
    assert phone.locator("article rt").first.is_visible()
    assert phone.locator(".koho-furigana-toggle").get_attribute("aria-pressed") == "true"
    phone.goto(site.url)
    assert not phone.locator("article rt").first.is_visible()


@pytest.mark.browser
def test_screen_readers_get_the_kanji_once_without_the_reading(phone, site):
    phone.goto(site.url + "ja-easy/")
    heading = phone.locator("article h1")
    base, reading = RUBY.search(heading.inner_html()).groups()
    assert heading.locator("rt").first.is_visible()
    tree = heading.aria_snapshot()
    assert base in tree and reading not in tree
