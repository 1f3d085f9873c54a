"""Phones first: the home page leads with the residents' top tasks (procedures by life
event, generated from the procedures; the latest notices; search) in every language, and
on a 375×667 phone with the emergency banner active a page's title and first paragraph
are on the first screen. On the town (every engine language) and on Akiruno (its five)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import LOCALES, TOWN_LOCALES, visible_text
from koho.notice_pages import split_lead
from koho.plugin import load_site_settings
from test_notices import ui_strings

# What the home pages said before the top tasks existed, in each language (Akiruno's).
BEING_PREPARED = ["この欄は準備中です", "This section is being prepared", "本栏目正在准备中",
                  "이 항목은 준비 중입니다", "準備しています"]


def life_events_with_procedures(project: Path) -> set[str]:
    """The life events named by the default language's procedures, from their front matter."""
    slugs: set[str] = set()
    for source in (project / "docs" / "ja" / "procedures").glob("*.md"):
        front = source.read_text("utf-8").split("---\n", 2)
        if len(front) == 3:
            slugs.update((yaml.safe_load(front[1]) or {}).get("life_events") or [])
    return slugs


def life_event_links(html: str) -> dict[str, str]:
    """slug -> link text of the home page's life-event list."""
    listed = re.search(r'<ul class="koho-life-events">(.*?)</ul>', html, re.S)
    assert listed, "no life-event list"
    links = re.finditer(r'<a href="procedures/#([\w-]+)">(.*?)</a>', listed[1])
    return {m[1]: visible_text(m[2]) for m in links}


@pytest.mark.parametrize(("fixture", "locales"), [("town", TOWN_LOCALES), ("site", LOCALES)])
def test_every_home_page_links_to_every_life_event_that_has_a_procedure(request, fixture, locales):
    built = request.getfixturevalue(fixture)
    settings = load_site_settings(built.source)
    slugs = life_events_with_procedures(built.source)
    assert slugs  # the site has procedures
    for locale in locales:
        home = built.html(built.prefix(locale))
        links = life_event_links(home)
        assert set(links) == slugs, locale
        for slug, text in links.items():
            assert text.startswith(settings.life_event_name(slug, locale)), (locale, text)
        # then the latest notices and the search box, in the language's own words
        t = ui_strings(locale)
        assert home.index('class="koho-life-events"') < home.index('class="koho-notices"') \
            < home.index('class="koho-search-form"'), locale
        form = visible_text(re.search(r'<form class="koho-search-form".*?</form>', home, re.S)[0])
        assert t["search.form.label"] in form and t["search.form.button"] in form, locale


def test_no_page_says_a_section_is_being_prepared(site):
    for page in site.path.rglob("*.html"):
        text = visible_text(page.read_text("utf-8"))
        assert not [phrase for phrase in BEING_PREPARED if phrase in text], page


FIRST_SCREEN = """() => {
  const top = el => el.getBoundingClientRect().top + window.scrollY
  const article = document.querySelector("article")
  const skip = ".koho-emergency, .koho-page-tools, .admonition, .koho-notice-facts, .koho-event, nav"
  const first = [...article.querySelectorAll("p")].find(p => p.offsetParent && !p.closest(skip))
  const banner = document.querySelector(".koho-emergency")
  return {h1: top(article.querySelector("h1")), paragraph: first && top(first),
          banner: banner && banner.getBoundingClientRect().toJSON(),
          header: document.querySelector(".md-header").getBoundingClientRect().top,
          bannerColour: banner && getComputedStyle(banner.closest(".md-banner")).backgroundColor}
}"""


@pytest.mark.browser
@pytest.mark.parametrize(("fixture", "path"), [
    ("town", ""), ("town", "procedures/resident-certificate/"), ("town", "notices/2026/11-01-library-hours/"),
    ("site", ""), ("site", "en/"), ("site", "ja-easy/"), ("site", "procedures/moving/"),
    ("site", "notices/2026/11-16-suspicious-email-warning/"),
    # Event notices: the lead paragraph comes before the event's facts.
    ("town", "notices/2026/10-01-autumn-festival/"), ("site", "notices/2026/11-10-smartphone-course/"),
])
def test_title_and_first_paragraph_on_the_first_screen_under_the_banner(request, phone, fixture, path):
    built = request.getfixturevalue(fixture)
    phone.goto(built.url + path)
    found = phone.evaluate(FIRST_SCREEN)
    assert found["banner"], "the tests' build time has an active emergency"
    # The banner stays first and red, above the header, whole on the screen.
    assert found["banner"]["top"] < 20 and found["banner"]["bottom"] <= found["header"]
    assert found["bannerColour"] == "rgb(164, 22, 26)"
    assert found["h1"] <= 260, found
    assert found["paragraph"] is not None and found["paragraph"] < 667, found


@pytest.mark.parametrize(("body", "lead"), [
    ('<h2 id="added">Added</h2>\n<p>One more day.</p>\n<p>Rest.</p>',
     '<h2 id="added">Added</h2>\n<p>One more day.</p>'),
    ('<p class="x">First.</p><p>Second.</p>', '<p class="x">First.</p>'),
    ("<h2>A</h2><h3>B</h3><p>b</p><p>c</p>", "<h2>A</h2><h3>B</h3><p>b</p>"),
    # Not a lead: a list or a box first, or a heading with no paragraph of its own.
    ("<ul><li>a</li></ul><p>b</p>", ""),
    ("<div><p>one</p></div>", ""),
    ("<h2>A</h2><ul><li>a</li></ul><h2>B</h2><p>b</p>", ""),
])
def test_an_events_facts_go_after_the_notices_lead(body, lead):
    found, rest = split_lead(body)
    assert (found, found + rest) == (lead, body)
