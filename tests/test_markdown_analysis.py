"""One Python-Markdown reading of each page (koho.markdown_analysis), and the link
and accessibility checks that use it: fast, in-process, no build."""

from __future__ import annotations

from pathlib import Path

import pytest
from koho import a11y_lint, links
from koho.content import SourcePage
from koho.markdown_analysis import MarkdownSetup, analyse, render_html

SETUP = MarkdownSetup.default()
BODY_LINE = 5  # as if four lines of front matter came first


def page(body: str, page_type: str = "page", relative: str = "bad.md") -> SourcePage:
    return SourcePage("ja", relative, f"docs/ja/{relative}", page_type, {}, body, BODY_LINE)


def lint(body: str, page_type: str = "page") -> list[tuple[int, str, str]]:
    problems = a11y_lint.lint(page(body, page_type), analyse(body, SETUP))
    return [(problem.line, problem.code, problem.found) for problem in problems]


def file_line(body_line: int) -> int:
    return BODY_LINE + body_line - 1


SHELL_EXAMPLE = """## 使い方

```sh
# 確認する
koho check
# 作る
koho build
```

    # indented code is code too
"""


def test_comment_lines_in_code_are_no_headings():
    assert analyse(SHELL_EXAMPLE, SETUP).headings[0].text == "使い方"
    assert len(analyse(SHELL_EXAMPLE, SETUP).headings) == 1
    assert lint(SHELL_EXAMPLE, "notice") == []


def test_links_in_code_are_not_checked(tmp_path: Path):
    body = "```md\n[手続](nothing.md)\n![](logo.png)\n```\n\n`[こちら](nothing.md)` と書かないでください。\n"
    analysis = analyse(body, SETUP)
    assert analysis.links == () and analysis.images == ()
    assert links.check_links([page(body)], tmp_path, "ja", {("ja", "bad.md"): analysis}) == []
    assert lint(body) == []


@pytest.mark.parametrize(("body", "line", "code", "found"), [
    ("本文です。\n\n## 見出し\n\n#### 小見出し\n", 5, "heading_skip", "h2 → h4"),
    ("本文です。\n\n# 題名\n\n# もう一つの題名\n", 5, "heading_many_h1", "#"),
    ("詳しい説明は[こちら](glossary.md)です。\n", 1, "vague_link", "こちら"),
    ("一行目\n\n[申請書](https://example.jp/form.pdf)\n", 3, "pdf_unsaid", "申請書"),
    ("一行目\n二行目の赤字の項目は必ず書いてください。\n", 2, "colour_only", "赤字の項目"),
    ("表です。\n\n| 窓口 | 市民課 |\n| 電話 | 000-000-0000 |\n", 3, "table_no_header", "| 窓口 | 市民課 |"),
])
def test_each_rule_fires_on_its_line(body, line, code, found):
    assert lint(body) == [(file_line(line), code, found)]


def test_an_h1_in_a_notice_names_the_heading_as_written():
    assert lint("本文です。\n\n# 見出し {#top}\n", "notice") == [
        (file_line(3), "heading_h1", "# 見出し {#top}")]


def test_a_table_with_a_header_row_passes():
    assert lint("| 項目 | 内容 |\n| --- | --- |\n| 窓口 | 市民課 |\n") == []


def test_repeated_items_get_their_own_lines():
    body = "[こちら](a.md)\n\n[こちら](a.md)\n\n赤字の項目\n\n赤字の項目 [こちら](a.md)\n"
    assert [line for line, _, _ in lint(body)] == [file_line(n) for n in (1, 3, 5, 7, 7)]


def test_headings_carry_the_ids_links_point_at():
    body = "## 手続の流れ\n\n## Scope {#scope}\n\nSetext\n------\n\n<span id=\"raw\">x</span>\n"
    analysis = analyse(body, SETUP)
    assert [(h.line, h.level, h.id) for h in analysis.headings] == [
        (1, 2, "手続の流れ"), (3, 2, "scope"), (5, 2, "setext")]
    assert {"手続の流れ", "scope", "setext", "raw"} <= analysis.ids


def test_links_images_and_anchors_are_checked(tmp_path: Path):
    (tmp_path / "ja").mkdir()
    (tmp_path / "ja" / "other.md").write_text("## 用語\n", "utf-8")
    other = page("## 用語\n", relative="other.md")
    body = ("## ここから\n\n[用語](other.md#用語) [ない](other.md#nothing)\n"
            "[戻る](#ここから) [ない](#nowhere)\n\n![](map.png)\n![地図](map.png)\n[ない](gone.md)\n")
    this = page(body)
    analyses = {("ja", "bad.md"): analyse(body, SETUP), ("ja", "other.md"): analyse(other.body, SETUP)}
    problems = links.check_links([this, other], tmp_path, "ja", analyses)
    assert [(p.line, p.code, p.found) for p in problems] == [
        (file_line(3), "missing_anchor", "other.md#nothing"),
        (file_line(4), "missing_anchor", "#nowhere"),
        (file_line(6), "image_no_alt", "map.png"),
        (file_line(7), "image_missing", "map.png"),
        (file_line(8), "missing_page", "gone.md"),
    ]


def test_footnotes_and_permalinks_are_not_editors_links():
    body = "本文[^1]です。\n\n## 見出し\n\n[^1]: 注の[こちら](a.md)\n"
    analysis = analyse(body, SETUP)
    assert [(link.line, link.href) for link in analysis.links] == [(5, "a.md")]


def test_the_site_setup_is_read_from_mkdocs_yml_as_written():
    setup = MarkdownSetup.from_config({"markdown_extensions": ["tables", {"toc": {"permalink": True}}]})
    assert setup.extensions == ("tables", "toc") and setup.configs == {"toc": {"permalink": True}}
    assert "<table>" in render_html("| a | b |\n| - | - |\n| 1 | 2 |\n", setup)


def test_render_html_uses_the_site_extensions():
    assert '<h2 id="手続の流れ">' in render_html("## 手続の流れ\n", SETUP)
    assert 'class="admonition note"' in render_html('!!! note "注意"\n    本文\n', SETUP)


def test_a_blank_page_has_nothing_left_from_the_page_before():
    analyse("## 前のページ\n\n[こちら](a.md)\n", SETUP)
    assert analyse("\n  \n", SETUP) == analyse("", SETUP)
    assert analyse("", SETUP).links == () and analyse("", SETUP).headings == ()
