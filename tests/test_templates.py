"""Koho's partials (theme/partials/koho/*.html), rendered in-process from records:
what each one writes, that every value is escaped as html.escape escapes it, and
that a site's own partial wins over Koho's."""

from __future__ import annotations

import datetime as dt
import shutil
from email.message import EmailMessage
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import pytest
from conftest import TOWN
from koho import a11y_report, mail, notice_pages, procedures, site_output
from koho.cli import mail_templates
from koho.languages import TRANSLATIONS_DIR, Strings
from koho.markdown_analysis import MarkdownSetup
from koho.notices import Category, Notice
from koho.plugin import KohoPlugin
from koho.templates import THEME_DIR, CompiledTemplates, Templates, relative_url
from markupsafe import Markup
from mkdocs.config.base import load_config
from mkdocs.utils import get_relative_url

TZ = ZoneInfo("Asia/Tokyo")
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=TZ)
NASTY = 'A <script>alert("x")</script> & \'quoted\''
STRINGS = Strings(TRANSLATIONS_DIR, None, "ja")
DIGITAL = Category("digital", {"ja": "デジタル", "en": "Digital"}, "ja")


@pytest.fixture(scope="module")
def templates() -> Templates:
    return Templates.from_folders([THEME_DIR])


def t(locale: str = "en") -> dict[str, str]:
    return STRINGS(locale)


def a_procedure(**changes) -> procedures.Procedure:
    values = dict(
        locale="en", relative="procedures/moving.md", url="en/procedures/moving/", title="Moving in",
        summary="Tell the city within 14 days.", who="Everyone who moves", when="Within 14 days",
        life_events=("moving",), online="https://apply.example/moving?a=1&b=2", mynumber_card="optional",
        fee_amount=300, payment=("cash",), documents=("Passport", "Card"),
        steps=(procedures.Step("Fill in the form", None, "counter",
                               (procedures.Step("Apply online", "https://apply.example/", "online"),)),
               procedures.Step(None, "https://apply.example/guide", None)),
        counter={"department": "Citizens", "place": "Floor 1", "hours": "8:30-17:15"},
        contact={"phone": "042-558-1111", "email": "info@example.org"}, other_ways=("post",),
        updated=dt.date(2026, 11, 1), sample=True,
    )
    return procedures.Procedure(**{**values, **changes})


def a_notice(**changes) -> Notice:
    values = dict(identity="notices/2026/11-27-course", locale="en", path="docs/en/notices/2026/x.md",
                  url="en/notices/2026/11-27-course/", title="Smartphone course",
                  date=dt.datetime(2026, 11, 27, 9, 0, tzinfo=TZ), category="digital",
                  summary="A free course.", body="Come **along**: [map](../map/).")
    return Notice(**{**values, **changes})


# -- the core helper that replaces mkdocs.utils.get_relative_url ------------------------

@pytest.mark.parametrize("url, page_url", [
    ("en/notices/2026/x/", "en/notices/"), ("en/notices/", "en/notices/2026/x/"),
    ("en/notices/", "en/notices/"), ("notices/categories/digital/", "notices/2026/x/"),
    ("en/feed.rss.xml", "en/notices/feeds/"), ("", "en/"), ("en/", ""), ("ja/x/", "404.html"),
    ("en/procedures/moving/", "en/procedures/"),
])
def test_relative_url_matches_mkdocs(url, page_url):
    assert relative_url(url, page_url) == get_relative_url(url, page_url)


# -- each partial from its record -----------------------------------------------------------

def test_procedure_top_is_markdown_headings_over_html_partials(templates):
    top = procedures.render_page_top(templates, a_procedure(), t(), "en")
    assert top.startswith("# Moving in\n\n<section class=\"koho-procedure-box\" aria-label=")
    assert '<p class="koho-procedure-box__summary">Tell the city within 14 days.</p>\n<dl><dt>' in top
    assert 'href="https://apply.example/moving?a=1&amp;b=2">' in top
    assert '<div class="admonition warning koho-sample" role="note" lang="en"><p class=' in top
    for key, anchor, html in [("steps", "steps", '<ol class="koho-steps"><li>'),
                              ("documents", "documents", '<div class="koho-checklist">'),
                              ("counter", "counter", '<dl class="koho-facts"><dt>'),
                              ("contact", "contact", '<dl class="koho-facts"><dt>'),
                              ("other_ways", "other-ways", "<ul><li>")]:
        assert f'\n\n## {t()[f"procedure.{key}"]} {{#{anchor}}}\n\n{html}' in top
    assert '<ul class="koho-steps__or"><li><span class="koho-or">' in top
    assert '<a href="https://apply.example/guide">' in top
    assert '<input type="checkbox" name="document-2"> Card</label>' in top
    assert '<a href="tel:0425581111">042-558-1111</a>' in top
    assert top.endswith('<p class="koho-procedure__updated">'
                        + escape(t()["procedure.updated"].format(date="2026-11-01")) + "</p>\n\n")


def test_procedure_without_documents_counter_or_other_ways(templates):
    top = procedures.render_page_top(templates, a_procedure(documents=(), counter=None, other_ways=(),
                                                            online=None, sample=False), t(), "en")
    assert f'<p>{escape(t()["procedure.documents.none"])}</p>' in top
    assert "{#counter}" not in top and "{#other-ways}" not in top and "koho-sample" not in top
    assert "</dl>\n\n</section>" in top


def test_procedure_index_groups_and_marks_untranslated_titles(templates):
    untranslated = a_procedure(locale="ja", title="転入届", online=None, sample=False)
    html = procedures.render_index(templates, [(a_procedure(), True), (untranslated, False)], "en/",
                                   "en/procedures/", t(), {"moving": "Moving", "birth": "Birth"}, "ja")
    assert html.startswith('<form class="koho-procedure-filter" hidden>')
    assert '<option value="birth">Birth</option></select>' in html
    assert html.count('<section class="koho-procedure-group"') == 1  # no procedure for "birth"
    assert '<a class="koho-procedure-list__title" href="moving/">Moving in</a> <strong' in html
    assert '<a class="koho-procedure-list__title" href="moving/" lang="ja">転入届</a><br>' in html
    assert '<li data-online="no">' in html and '<li data-online="yes">' in html


def test_notice_list_by_year_with_flags_and_update(templates):
    older = a_notice(identity="b", date=dt.datetime(2025, 3, 1, tzinfo=TZ), emergency=True, sample=True,
                     updated=dt.datetime(2025, 3, 2, tzinfo=TZ))
    html = notice_pages.render_list(templates, [a_notice(), older], "en/notices/", t(),
                                    {"digital": DIGITAL}, "en", by_year=True)
    assert html.startswith('<h2 id="year-2026">2026</h2>\n<ul class="koho-notices"><li')
    assert '</ul>\n<h2 id="year-2025">' in html
    assert ('<span class="koho-notices__meta"><time datetime="2026-11-27T09:00:00+09:00">'
            in html)
    assert '<span class="koho-notices__category">Digital</span></span> <a class="koho-notices__title" ' \
           'href="2026/11-27-course/">Smartphone course</a></li>' in html
    assert ' <span class="koho-notices__updated">Updated <time datetime="2025-03-02T00:00:00+09:00">' in html
    assert '</span> <strong class="koho-flag koho-flag--emergency">' in html
    assert '</strong> <span class="koho-flag koho-flag--sample">Sample</span></span>' in html


def test_notice_list_latest_and_empty(templates):
    latest = notice_pages.render_list(templates, [a_notice()], "en/", t(), {"digital": DIGITAL}, "en",
                                      by_year=False)
    assert latest.startswith('<ul class="koho-notices">') and "<h2" not in latest
    assert 'href="notices/2026/11-27-course/"' in latest
    none = notice_pages.render_list(templates, [], "en/", t(), {}, "en", by_year=True)
    assert none == f'<p class="koho-notices__none">{escape(t()["notices.none"])}</p>'


def test_notice_header_with_sample_ended_and_updated(templates):
    notice = a_notice(sample=True, expires=NOW, updated=dt.datetime(2026, 11, 28, 8, 5, tzinfo=TZ))
    html = notice_pages.notice_header(templates, notice, t(), DIGITAL, "en", NOW, "../../categories/digital/",
                                      "ja")
    lines = html.split("\n")
    assert lines[0] == '<h1 lang="ja">Smartphone course</h1>'
    assert lines[1].startswith('<div class="admonition warning koho-sample" role="note"><p ')
    assert lines[2] == f'<p class="koho-ended"><strong>{escape(t()["notices.ended"])}</strong></p>'
    assert lines[3].startswith('<dl class="koho-notice-facts"><dt>')
    assert lines[3].endswith('<dd><a href="../../categories/digital/">Digital</a></dd></dl>')
    assert lines[3].count("<time ") == 2 and len(lines) == 4


def test_feed_list_links_each_format_from_the_page(templates):
    html = notice_pages.render_feed_list(
        templates, "en/", "en/notices/feeds/", t(), [DIGITAL], "en",
        {"rss": "feed.rss.xml", "atom": "feed.atom.xml"},
        {"digital": {"rss": "feed-digital.rss.xml", "atom": "feed-digital.atom.xml"}})
    assert html.startswith('<table class="koho-feeds"><thead><tr><th scope="col">')
    assert '<tr><th scope="row">Digital</th><td><a href="../../feed-digital.rss.xml">' in html
    assert '</a> <a href="../../feed-digital.atom.xml">' in html
    assert html.endswith("</td></tr></tbody></table>")


def test_time_element_in_the_languages_format(templates):
    moment = dt.datetime(2026, 11, 28, 6, 5, tzinfo=TZ)
    assert notice_pages.time_element(templates, moment, t("ja"), with_time=True) == \
        f'<time datetime="2026-11-28T06:05:00+09:00">{notice_pages.format_date(moment, t("ja"), True)}</time>'


def test_accessibility_results_are_markdown_headings_over_tables(templates):
    results = {
        "date": "2026-11-20T10:00:00+09:00", "widths": [320, 1280], "pages": ["/", "/en/glossary/"],
        "tools": [{"id": "axe", "name": "axe-core", "version": "4.10", "runs": 4, "problems": 0}],
        "criteria": {"1.4.3": {"tools": ["axe-core"], "problems": 0}},
        "lighthouse": [{"page": "/en/", "score": 100}],
        "ignored": [{"rule": "region", "element": '<div class="x">', "id": "toc_toggle"}],
    }
    strings = t()
    text = a11y_report.render(templates, results, strings, "en", "en/")
    assert text.startswith(f'## {strings["a11y.summary"]} {{#summary}}\n\n<table class="koho-a11y-table">')
    assert '<td><time datetime="2026-11-20">' in text and "<td>320 CSS px, 1280 CSS px</td>" in text
    assert f'</table>\n\n## {strings["a11y.criteria"]} {{#criteria}}\n\n<p>' in text
    assert '<td>1.4.3</td><td><span>Contrast (Minimum)</span></td><td>AA</td>' \
           '<td><span lang="en">axe-core</span></td>' in text
    assert '<a href="../../../en/"><code>/en/</code></a>' in text
    assert "<code>&lt;div class=&quot;x&quot;&gt;</code>" in text
    assert text.endswith("</li></ul></details>")
    assert a11y_report.render(templates, None, strings, "en", "en/") == \
        f'<p class="koho-a11y-none">{escape(strings["a11y.none"])}</p>'


def test_sample_note_under_the_first_title(templates):
    note = templates.render("sample-note.html", title="Sample", note="Invented.", lang=None)
    assert note == ('<div class="admonition warning koho-sample" role="note"><p class="admonition-title">'
                    "Sample</p><p>Invented.</p></div>")
    assert site_output.add_sample_note("# Title\n\nBody", note) == f"# Title\n\n{note}\n\n\nBody"
    assert site_output.add_sample_note("Body", note) == f"{note}\n\nBody"


def test_page_wrappers_keep_the_content_as_html(templates):
    content = '<p lang="en">a &amp; b</p>'
    assert templates.render("untranslated.html", lang="ja", content=Markup(content)) == \
        f'<div lang="ja" class="koho-untranslated">{content}</div>'
    assert templates.render("furigana-default.html", content=Markup(content)) == \
        f'<div class="koho-furigana-default">{content}</div>'


def test_mail_html_part(templates):
    settings = mail.MailSettings("127.0.0.1", 25, False, None, None, "noreply@example.org", {"en": "l@x"},
                                 "https://town.example/subscribe/?a=1&b=2", Path("state.json"),
                                 "https://town.example/", "town.example")
    message = mail.compose(mail.Delivery(a_notice(title=NASTY), "l@x", False), settings, t(), "en", NOW,
                           templates, MarkdownSetup.default())
    html = _html_part(message)
    assert html.startswith(f'<!DOCTYPE html><html lang="en"><body><h1>{escape(NASTY)}</h1>')
    assert '<a href="https://town.example/en/notices/2026/map/">map</a>' in html
    assert "<strong>along</strong>" in html
    assert '<a href="https://town.example/subscribe/?a=1&amp;b=2">' in html
    assert NASTY in message.get_body(("plain",)).get_content()


# -- escaping ------------------------------------------------------------------------------------

def test_front_matter_values_are_escaped_as_html_escape_does(templates):
    html = notice_pages.notice_header(templates, a_notice(title=NASTY), t(), DIGITAL, "en", NOW, "x/", None)
    assert f"<h1>{escape(NASTY)}</h1>" in html and "<script>" not in html
    assert "&quot;x&quot;" in html and "&#x27;quoted&#x27;" in html
    procedure = a_procedure(title=NASTY, summary=NASTY, documents=(NASTY,), online='https://x/"><script>',
                            steps=(procedures.Step(NASTY, 'https://x/"onmouseover="y', None),))
    top = procedures.render_page_top(templates, procedure, t(), "en")
    assert "<script>" not in top.removeprefix(f"# {NASTY}")  # the title heading itself is Markdown
    assert f'<a href="https://x/&quot;onmouseover=&quot;y">{escape(NASTY)}</a>' in top
    assert f'href="{escape(procedure.online)}"' in top
    assert escape(t()["procedure.checklist"].format(title=NASTY)) in top


# -- a site's own partials win -------------------------------------------------------------------

OVERRIDE = '<p class="city-sample">{{ title }}: {{ note }}</p>'


def test_a_sites_partial_wins_over_koho_s_also_when_included(tmp_path):
    overrides = tmp_path / "overrides"
    (overrides / "partials" / "koho").mkdir(parents=True)
    (overrides / "partials" / "koho" / "sample-note.html").write_text(OVERRIDE, "utf-8")
    templates = Templates.from_folders([overrides, THEME_DIR])
    html = notice_pages.notice_header(templates, a_notice(sample=True, title="T"), t(), DIGITAL, "en", NOW,
                                      "x/", None)
    assert f'<p class="city-sample">Sample: {escape(t()["notices.sample_note"])}</p>' in html
    assert html.startswith("<h1>T</h1>")  # the rest is still Koho's notice-header.html


def test_the_build_and_koho_mail_find_the_sites_overrides(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(TOWN, site)
    config_file = site / "mkdocs.yml"
    config_file.write_text(config_file.read_text("utf-8").replace(
        "  name: material\n", "  name: material\n  custom_dir: city\n", 1), "utf-8")
    (site / "city" / "partials" / "koho").mkdir(parents=True)
    (site / "city" / "partials" / "koho" / "sample-note.html").write_text(OVERRIDE, "utf-8")
    config = load_config(str(config_file))
    plugin = config.plugins["koho"]
    assert isinstance(plugin, KohoPlugin)
    plugin.on_config(config)
    for templates in (Templates(config.theme.get_env().loader), mail_templates(site)):
        assert templates.render("sample-note.html", title="S", note="N", lang=None) == \
            '<p class="city-sample">S: N</p>'
        assert templates.render("time.html", moment=NOW, t=t(), with_time=False).startswith("<time ")


def _html_part(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content().strip()


def test_compiled_templates_are_reused_across_environments_until_the_source_changes():
    """Each language's build makes a new environment; they share what was compiled,
    and a template edited between two builds (make serve) is compiled again."""
    cache = CompiledTemplates()
    compiled: list[str] = []

    class CountingEnvironment(jinja2.Environment):
        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
            compiled.append(name)
            return super().compile(source, name, filename, raw, defer_init)

    def render(source: str) -> str:
        loader = jinja2.FunctionLoader(lambda name: (source, f"/theme/{name}", lambda: True))
        env = CountingEnvironment(loader=loader, bytecode_cache=cache)
        return env.get_template("main.html").render(lang="ja")

    assert render("<html lang={{ lang }}>") == "<html lang=ja>"
    assert render("<html lang={{ lang }}>") == "<html lang=ja>"
    assert compiled == ["main.html"]
    assert render("<html lang={{ lang }} dir=ltr>") == "<html lang=ja dir=ltr>"
    assert compiled == ["main.html", "main.html"]
