"""Akiruno's own pages in a real headless Chromium: its brand and its languages that
the invented town does not have (Chinese, Korean, やさしい日本語). That no page requests
another host, and that every page reflows, `make a11y` checks on every page."""

from __future__ import annotations

import pytest
from conftest import LANG_TAGS
from test_notices import ui_strings
from test_read_aloud import spoken_after_play

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["zh", "ko", "ja-easy"])
def test_emergency_banner_is_labelled_in_each_language(phone, site, locale):
    label = ui_strings(locale)["emergency.label"]
    phone.goto(site.url + site.prefix(locale) + "policy/2-trends/")
    region = phone.get_by_role("region", name=label)
    assert region.count() == 1 and region.is_visible()
    assert region.get_by_role("link").count() == 1


def test_untranslated_chinese_page_reads_as_japanese_under_a_chinese_notice(phone, site):
    phone.goto(site.url + "zh/policy/5-initiatives/")
    assert phone.locator("html").get_attribute("lang") == LANG_TAGS["zh"]
    notice = phone.locator(".koho-notice").first
    assert ui_strings("zh")["untranslated.title"] in notice.inner_text()
    heading_lang = phone.evaluate("() => document.querySelector('article h1').closest('[lang]').lang")
    assert heading_lang == "ja"


def test_untranslated_chinese_page_is_read_aloud_in_japanese(desktop, site):
    spoken = spoken_after_play(desktop, site.url + "zh/policy/5-initiatives/")
    langs = {text: lang for text, lang in spoken}
    assert langs[ui_strings("zh")["untranslated.title"]] == "zh-Hans"
    assert any(lang == "ja" and "マイナンバーカード" in text for text, lang in spoken)
