"""Read-aloud with the browser's speech synthesis, in real Chromium (on the invented town).

A spy wraps speechSynthesis.speak (the real one still runs) to see what is
queued: which text, in which language."""

from __future__ import annotations

import pytest
from test_notices import ui_strings

pytestmark = pytest.mark.browser

SPY = """
window.__spoken = []
const speak = speechSynthesis.speak.bind(speechSynthesis)
speechSynthesis.speak = utterance => {
  window.__spoken.push([utterance.text, utterance.lang])
  speak(utterance)
}
"""


def spoken_after_play(page, url: str) -> list[list[str]]:
    page.add_init_script(SPY)
    page.goto(url)
    controls = page.get_by_role("group", name=page.locator(".koho-read-aloud").get_attribute("aria-label"))
    assert controls.is_visible()
    controls.locator("[data-action=play]").click()
    return page.evaluate("window.__spoken")


def test_reads_the_main_content_in_the_page_language(desktop, town):
    spoken = spoken_after_play(desktop, town.url + "en/procedures/resident-certificate/")
    texts = [text for text, _ in spoken]
    assert texts[0] == desktop.title().split(" - ")[0]  # the title first
    assert len(texts) > 10
    assert {lang for _, lang in spoken} <= {"en", "ja"}  # English, with the Japanese name marked
    assert sum(lang == "en" for _, lang in spoken) > 10
    assert not any(ui_strings("en")["read.play"] in text for text in texts)  # not its own buttons
    assert desktop.locator("[data-action=stop]").is_enabled()
    desktop.locator("[data-action=stop]").click()
    assert desktop.locator("[data-action=pause]").is_disabled()


def test_untranslated_content_is_read_as_japanese(desktop, town):
    spoken = spoken_after_play(desktop, town.url + "en/history/")
    langs = {text: lang for text, lang in spoken}
    assert langs[ui_strings("en")["untranslated.title"]] == "en"  # the notice, in the reader's language
    assert any(lang == "ja" and "見本町" in text for text, lang in spoken)


def test_pause_toggles_to_resume_and_is_keyboard_operable(desktop, town):
    spoken_after_play(desktop, town.url)
    ja = ui_strings("ja")
    pause = desktop.locator("[data-action=pause]")
    pause.focus()
    desktop.keyboard.press("Enter")
    assert pause.inner_text() == ja["read.resume"]
    desktop.keyboard.press("Enter")
    assert pause.inner_text() == ja["read.pause"]


def test_hidden_where_the_browser_has_no_speech_synthesis(browser, town):
    page = browser.new_page()
    page.add_init_script("delete window.speechSynthesis; delete Window.prototype.speechSynthesis")
    page.goto(town.url)
    assert page.evaluate("!('speechSynthesis' in window)")
    assert page.locator(".koho-read-aloud").is_hidden()
    page.close()


def test_one_button_until_reading_starts_and_keyboard_reaches_the_others(phone, town):
    """Pause and stop appear only while reading; stopping brings focus back to play."""
    phone.add_init_script(SPY)
    phone.goto(town.url + "procedures/resident-certificate/")
    group = phone.locator(".koho-read-aloud")
    visible = ("group => [...group.querySelectorAll('button')]"
               ".filter(b => b.offsetParent).map(b => b.dataset.action)")
    assert group.evaluate(visible) == ["play"]
    group.locator("[data-action=play]").focus()
    phone.keyboard.press("Enter")
    assert group.evaluate(visible) == ["play", "pause", "stop"]
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.dataset.action") == "pause"
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")  # stop
    assert group.evaluate(visible) == ["play"]
    assert phone.evaluate("document.activeElement.dataset.action") == "play"
