"""Hostile and broken input: each gives a clear refusal naming the file and line, or
safe output; never a traceback, never script on the site's domain, in a feed or in a mail.

`koho check` runs in-process on a copy of the fixture town for each input; two real
builds show that the build refuses the same and that what it accepts comes out safe;
feeds and mail are sanitised (nh3) even for HTML that never passed the check."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from conftest import build_site
from koho import feeds, mail
from koho.markdown_analysis import MarkdownSetup
from koho.notices import Notice
from koho.templates import THEME_DIR, Templates
from test_notices import ui_strings

FRONT = "---\ntitle: 町からのお知らせ\ndescription: 試験のためのページです。\n---\n\n"  # body from line 6
PAGE = "docs/ja/hostile.md"


def body(text: str) -> bytes:
    return (FRONT + text + "\n").encode()


def front(lines: str) -> bytes:
    return f"---\n{lines}\n---\n\n本文です。\n".encode()


def nested_list(levels: int) -> bytes:
    return body("\n".join("    " * level + "- 項目" for level in range(levels)))


def symlink_out(project: Path) -> None:
    outside = project.parent / "outside.md"
    outside.write_bytes(body("docs の外のファイルです。"))
    (project / PAGE).symlink_to(outside)


def symlink_loop(project: Path) -> None:
    (project / "docs" / "ja" / "loop").symlink_to(project / "docs" / "ja", target_is_directory=True)


Setup = bytes | Callable[[Path], None]

# (id, the page or what to do to the town, file:line expected, words of the English message)
REFUSED: list[tuple[str, Setup, str, str]] = [
    ("script-block", body("段落です。\n\n<script>alert(1)</script>"), f"{PAGE}:8", "(<script>)"),
    ("script-inline", body("文の中に<script>alert(1)</script>があります。"), f"{PAGE}:6", "(<script>)"),
    ("script-in-svg", body("<svg><script>alert(1)</script></svg>"), f"{PAGE}:6", "(<script>)"),
    ("onerror", body('画像 <img src="x.png" alt="地図" onerror="alert(1)"> です。'), f"{PAGE}:6",
     "runs script (onerror=)"),
    ("onload-svg", body('<svg onload="alert(1)"></svg>'), f"{PAGE}:6", "runs script (onload=)"),
    ("attr-list-onclick", body('段落です。\n{: onclick="alert(1)" }'), f"{PAGE}:7",
     "runs script (onclick=)"),
    ("md-in-html-handler", body('<div markdown="1" onmouseover="alert(1)">\n*強調*\n</div>'),
     f"{PAGE}:6", "runs script (onmouseover=)"),
    ("javascript-link", body("まえ\n\n[町の案内](javascript:alert(1))"), f"{PAGE}:8",
     "link address runs script (javascript:alert(1))"),
    ("javascript-entity", body('<a href="&#106;avascript:alert(1)">町の案内</a>'), f"{PAGE}:6",
     "link address runs script (javascript:alert(1))"),
    ("javascript-tab", body("[町の案内](JaVa&#x09;Script:alert(1))"), f"{PAGE}:6",
     "link address runs script"),
    ("data-html-link", body("[町の案内](data:text/html;base64,PHNjcmlwdD4=)"), f"{PAGE}:6",
     "link address runs script"),
    ("iframe", body('<iframe src="https://evil.example/"></iframe>'), f"{PAGE}:6", "(<iframe>)"),
    ("object", body('<object data="movie.swf"></object>'), f"{PAGE}:6", "(<object>)"),
    ("embed", body('段落です。\n\n<embed src="movie.swf">'), f"{PAGE}:8", "(<embed>)"),
    ("meta-refresh", body('<meta http-equiv="refresh" content="0;url=https://evil.example/">'),
     f"{PAGE}:6", "(<meta>)"),
    ("title-closing-title", front("title: 町</title><script>alert(1)</script>\ndescription: d"),
     f"{PAGE}:2: title:", "HTML markup (</title>)"),
    ("control-character", body("見えない\x07文字です。"), f"{PAGE}:6", "control character (U+0007)"),
    ("nul-in-front-matter", front("title: a\x00b\ndescription: d"), f"{PAGE}:2", "(U+0000)"),
    ("ten-megabytes", body("あいうえお。\n" * 560_000), f"{PAGE}:1", "too large (10,"),
    ("nested-list", nested_list(300), f"{PAGE}:{6 + 17}", "nested too deeply (17 > 16)"),
    ("nested-quotes", body(">" * 5000 + " 引用"), f"{PAGE}:6", "nested too deeply (5000 > 16)"),
    ("emphasis-run", body("*" * 2000 + "強調" + "*" * 2000), f"{PAGE}:6", "nested too deeply (* ×"),
    ("symlink-out-of-docs", symlink_out, f"{PAGE}:1", "leading out of the docs folder"),
    ("symlink-folder-loop", symlink_loop, "docs/ja/loop:1", "symbolic link to a folder"),
    ("invalid-utf8", body("正しい行\n\n") + b"\xff\xfe\x80 bad\n", f"{PAGE}:9", "not in UTF-8"),
    ("bom", b"\xef\xbb\xbf" + body("本文"), f"{PAGE}:1", "byte order mark"),
    ("duplicate-key", front("title: 一つ目\ndescription: d\ntitle: 二つ目"), f"{PAGE}:4: title:",
     "written twice (key: lines title: 2, 4)"),
    ("yes-as-title", front("title: yes\ndescription: d"), f"{PAGE}:2: title:", "YAML reads yes as a yes/no"),
    ("octal-phone-like-title", front("title: 0120123456\ndescription: d"), f"{PAGE}:2: title:",
     "YAML reads 0120123456 as a number"),
    ("python-tag", front("title: !!python/object/apply:os.system ['echo owned']\ndescription: d"),
     f"{PAGE}:2: front matter:", "not valid YAML"),
    ("billion-laughs", front('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
                             + "".join(f"{x}: &{x} [{', '.join(['*' + p] * 9)}]\n"
                                       for p, x in zip("abcdefgh", "bcdefghi", strict=True))
                             + "title: t\ndescription: d"), f"{PAGE}:2: a:", "unknown field"),
]

# Written as text or code, these are no threat: the check accepts them.
ACCEPTED = [
    ("script-in-fenced-code", body("```html\n<script>alert(1)</script>\n```")),
    ("script-in-inline-code", body("`<script>` と `onerror=` と `javascript:` は書けません。")),
    ("escaped-markup", body("1 &lt; 2 です。&lt;script&gt; は文字です。")),
    ("javascript-as-words", body("javascript: という言葉と on のつく言葉。")),
    ("a-few-levels-of-list", nested_list(6)),
]


def setup_page(project: Path, setup: Setup) -> None:
    if callable(setup):
        setup(project)
    else:
        (project / PAGE).write_bytes(setup)


@pytest.mark.parametrize(("setup", "where", "words"), [case[1:] for case in REFUSED],
                         ids=[case[0] for case in REFUSED])
def test_hostile_input_is_refused_with_file_and_line(town_copy, koho, setup, where, words):
    setup_page(town_copy, setup)
    result = koho(town_copy, "check", "--lang", "en")
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"{where}")]
    assert any(words in line for line in lines), result.stderr[-2000:]


@pytest.mark.parametrize("setup", [case[1] for case in ACCEPTED], ids=[case[0] for case in ACCEPTED])
def test_harmless_text_about_markup_is_accepted(town_copy, koho, setup):
    setup_page(town_copy, setup)
    result = koho(town_copy, "check", "--lang", "en")
    assert result.returncode == 0, result.stderr


def test_fifteen_or_more_hostile_inputs():
    assert len(REFUSED) >= 15


# -- Through the real build --------------------------------------------------------------------

def test_the_build_refuses_hostile_content_and_writes_nothing(town_copy, tmp_path):
    pages = {"script.md": body("<script>alert(1)</script>"),
             "link.md": body("[案内](javascript:alert(1))"),
             "twice.md": front("title: a\ndescription: d\ntitle: b")}
    for name, raw in pages.items():
        (town_copy / "docs" / "ja" / name).write_bytes(raw)
    result = build_site(town_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for where in ("docs/ja/script.md:6: content:", "docs/ja/link.md:6: content:",
                  "docs/ja/twice.md:4: title:"):
        assert where in result.stderr
    assert not (tmp_path / "site").exists()


def test_odd_but_accepted_content_builds_to_safe_pages_and_feeds(town_copy, tmp_path):
    docs = town_copy / "docs" / "ja"
    (docs / "odd.md").write_text(
        '---\ntitle: A & B "quoted"\ndescription: \'Say "hi" onmouseover=alert(1) & <3\'\n---\n\n'
        "1 &lt; 2 & 3 > 2 です。\n\n```html\n<script>alert(1)</script>\n```\n\n"
        + "\n".join("    " * level + "- 項目" for level in range(12)) + "\n", encoding="utf-8")
    notice = docs / "notices" / "2026" / "11-28-odd.md"
    notice.write_text("---\ntitle: 大雨 & 強風 <注意>\ndate: 2026-11-28 09:00\ncategory: emergency\n"
                      "summary: 風が強い & 雨も降ります。\n---\n\n`<script>alert(1)</script>` は文字です。\n",
                      encoding="utf-8")
    result = build_site(town_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    site = tmp_path / "site"
    page = (site / "odd" / "index.html").read_text("utf-8")
    description = re.search(r'<meta name="description" content="([^"]*)">', page)
    assert description and "onmouseover" in description[1]  # inside the attribute, not an attribute
    assert 'onmouseover="' not in page and "onmouseover=alert" not in page.replace(description[1], "")
    assert "<script>alert" not in page and "alert(1)" in page  # the code block, as text
    notice_page = (site / "notices" / "2026" / "11-28-odd" / "index.html").read_text("utf-8")
    assert "&lt;<ruby>注意" in notice_page and "<script>alert" not in notice_page
    for name in ("feed.rss.xml", "feed.atom.xml"):
        parsed = feedparser.parse((site / name).read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        assert any("大雨" in entry.title for entry in parsed.entries)
    feed = json.loads((site / "feed.json").read_text("utf-8"))
    item = next(i for i in feed["items"] if "大雨" in i["title"])
    assert "<script" not in item["content_html"] and "&lt;script&gt;" in item["content_html"]


# -- Sanitised on the way out, whatever the check let through ----------------------------------

HOSTILE_HTML = ('<p>本文</p><script>alert(1)</script><img src="x.png" alt="地図" onerror="alert(1)">'
                '<a href="javascript:alert(1)">案内</a><iframe src="https://evil.example/"></iframe>'
                '<a href="https://town.example/" onclick="alert(1)">町</a><style>p{}</style>')
UNSAFE_WORDS = ("<script", "alert(1)", "onerror", "onclick", "javascript:", "<iframe", "<style")


def hostile_notice(body_text: str) -> Notice:
    moment = dt.datetime(2026, 11, 28, 9, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    return Notice(identity="notices/2026/11-28-x", locale="ja", path="docs/ja/notices/2026/11-28-x.md",
                  url="notices/2026/11-28-x/", title="お知らせ", date=moment, category="events",
                  summary="要約です。", body=body_text)


def test_feed_items_are_sanitised():
    spec = feeds.FeedSpec("町", "説明", "ja", "", "feed", "notices/")
    item = feeds.FeedItem(hostile_notice(""), HOSTILE_HTML)
    rendered = feeds.render_feeds(spec, [item], "https://town.example/", "town.example", "2026", {})
    for kind, text in rendered.items():
        content = json.loads(text)["items"][0]["content_html"] if kind == "json" else text
        if kind != "json":  # feedgen escapes the HTML into the XML text
            content = feedparser.parse(text).entries[0].content[0].value
        assert "本文" in content and 'href="https://town.example/"' in content, kind
        for word in UNSAFE_WORDS:
            assert word not in content, (kind, word)


def test_mail_is_sanitised_in_both_parts():
    settings = mail.MailSettings(host="127.0.0.1", port=25, starttls=False, user=None, password=None,
                                 sender="町 <noreply@town.example>", lists={"ja": "ja@town.example"},
                                 unsubscribe="https://town.example/subscribe/",
                                 state_file=Path("state.json"), site_url="https://town.example/",
                                 authority="town.example")
    delivery = mail.Delivery(hostile_notice(HOSTILE_HTML), "ja@town.example", updated=False)
    message = mail.compose(delivery, settings, ui_strings("ja"), "ja", dt.datetime.now(dt.UTC),
                           Templates.from_folders([THEME_DIR]), MarkdownSetup.default())
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "本文" in html and "町 (https://town.example/)" in text
    for word in UNSAFE_WORDS:
        assert word not in html and word not in text, word


def test_symlinks_inside_docs_to_files_inside_docs_are_fine(town_copy, koho):
    os.symlink(town_copy / "docs" / "ja" / "about.md", town_copy / "docs" / "ja" / "about-copy.md")
    result = koho(town_copy, "check")
    assert result.returncode == 0, result.stderr
