"""Furigana: readings from SudachiPy, shown above kanji on demand, hidden (not absent)
otherwise, out of the search index and the accessibility tree. Built pages: the
invented town; Akiruno's real text and its やさしい日本語: test_akiruno_furigana.py."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from koho import furigana
from koho.inline_language import mark_inline_languages
from koho.search_bundle import BUNDLE_DIR, bundle_pages

GOLD = ROOT / "bench" / "furigana_gold.tsv"
RUBY = re.compile(r"<ruby>([^<]+)<rt [^>]*>([^<]+)</rt></ruby>")


def test_okurigana_stay_outside_the_reading():
    parts = furigana.split_token("取り組む", "トリクム")
    assert parts == [furigana.Segment("取", "と"), furigana.Segment("り"), furigana.Segment("組", "く"),
                     furigana.Segment("む")]


def test_a_reading_that_does_not_fit_the_kana_covers_the_whole_word():
    assert furigana.split_token("行う", "イク") == [furigana.Segment("行う", "いく")]
    assert furigana.split_token("明日", None) == [furigana.Segment("明日")]


def test_ruby_only_in_japanese_text_and_never_in_code():
    html = ('<p>市民の<code>手続</code>と<span lang="en">Open Data</span></p>'
            '<p lang="en">The form (<span lang="ja">申請書</span>)</p>')
    out = furigana.add_ruby(html, "ja")
    assert '<ruby>市民<rt aria-hidden="true" data-search-exclude>しみん</rt></ruby>' in out
    assert "<code>手続</code>" in out
    assert '<ruby>申請書<rt aria-hidden="true" data-search-exclude>しんせいしょ</rt></ruby>' in out
    assert furigana.add_ruby("<p>Tokyo 東京</p>", "en") == "<p>Tokyo 東京</p>"


def test_readings_written_by_hand_are_kept_and_hidden_like_generated_ones():
    out = furigana.add_ruby("<p><ruby>秋川<rt>あきがわ</rt></ruby></p>", "ja")
    assert out == '<p><ruby>秋川<rt aria-hidden="true" data-search-exclude>あきがわ</rt></ruby></p>'


def test_japanese_words_in_other_languages_get_their_lang_and_then_readings():
    marked = mark_inline_languages("<p>Bring the form (転入届).</p>", "en")
    assert marked == '<p>Bring the form (<span lang="ja">転入届</span>).</p>'
    assert "<ruby>転入届<rt" in furigana.add_ruby(marked, "en")


def test_sudachi_reads_at_least_95_percent_of_the_sample_words_right():
    """The measured choice (bench/furigana_accuracy.py): 200 hand-read words of the policy."""
    rows = [line.split("\t") for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    assert len(rows) == 200
    right = 0
    for word, reading, sentence in rows:
        start = next(m.start() for m in furigana.KANJI_RUN.finditer(sentence) if m.group() == word)
        parts = furigana.segments(sentence)
        right += furigana.reading_of_span(parts, start, start + len(word)) == reading
    assert right / len(rows) >= 0.95


def readings_and_index_text(site, page: str) -> tuple[list[tuple[str, str]], str]:
    """The (kanji, reading) pairs of a built page, and all the text of its language's search
    bundle (titles and content)."""
    pairs = RUBY.findall(site.html(page))
    pages = bundle_pages(site.path / BUNDLE_DIR)
    text = " ".join(page["meta"].get("title", "") + page["content"] for page in pages)
    return pairs, text.replace("\u200b", "")  # Pagefind keeps Japanese words apart with U+200B


def test_readings_stay_out_of_the_search_index(town):
    pairs, text = readings_and_index_text(town, "about")
    assert len(pairs) > 10
    assert not [f"{base}{reading}" for base, reading in pairs if f"{base}{reading}" in text]
    assert "町役場" in text


@pytest.mark.browser
def test_toggle_shows_readings_by_keyboard_and_the_choice_persists(phone, town):
    phone.goto(town.url + "about/")
    reading = phone.locator("article rt").first
    assert reading.count() == 1 and not reading.is_visible()  # hidden, not absent
    toggle = phone.locator(".koho-furigana-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.focus()
    phone.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert reading.is_visible()
    phone.goto(town.url + "procedures/resident-certificate/")
    assert phone.locator("article rt").first.is_visible()
    assert phone.locator(".koho-furigana-toggle").get_attribute("aria-pressed") == "true"
    phone.locator(".koho-furigana-toggle").focus()
    phone.keyboard.press(" ")
    assert not phone.locator("article rt").first.is_visible()


@pytest.mark.browser
def test_readings_are_off_by_default_unless_the_site_turns_them_on(phone, town):
    for path in ("", "en/history/"):
        phone.goto(town.url + path)
        assert phone.locator("article rt").count() > 0
        assert not phone.locator("article rt").first.is_visible()
        assert phone.locator(".koho-furigana-toggle").get_attribute("aria-pressed") == "false"
