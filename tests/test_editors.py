"""Editors' tools, on the invented town: every mistake explained with file, line and
field; the build refuses the same; `koho new` writes pages that pass; the guide
follows the schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, build_site
from koho import guide

PROCEDURE = """---
title: テスト手続
summary: テストです。
who: 市民
when: いつでも
life_events: [moving]
online: none
mynumber_card: optional
fee:
  amount: 300
  payment: [cash]
documents:
  - 本人確認書類
steps:
  - text: 窓口に行きます。
    where: counter
contact:
  phone: 000-000-0000
updated: 2026-11-01
sample: true
---

本文です。
"""
NOTICE = """---
title: テストのお知らせ
date: 2026-11-27 09:00
category: procedures
summary: テストです。
sample: true
---

本文です。
"""
PAGE = """---
title: テストのページ
description: テストです。
---

本文です。
"""


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


P, N = "ja/procedures/bad.md", "ja/notices/2026/11-27-bad.md"
# (case, file below docs/, content, field, line)
CASES = [
    ("procedure-no-title", P, edit(PROCEDURE, "title: テスト手続\n", ""), "title", 1),
    ("unknown-life-event", P, edit(PROCEDURE, "[moving]", "[marriage]"), "life_events[1]", 6),
    ("no-life-event", P, edit(PROCEDURE, "[moving]", "[]"), "life_events", 6),
    ("online-not-url", P, edit(PROCEDURE, "online: none", "online: ぴったりサービス"), "online", 7),
    ("online-bad-scheme", P, edit(PROCEDURE, "online: none", "online: htp//example.jp"), "online", 7),
    ("card-unknown", P, edit(PROCEDURE, "optional", "maybe"), "mynumber_card", 8),
    ("negative-fee", P, edit(PROCEDURE, "amount: 300", "amount: -300"), "fee.amount", 10),
    ("fee-with-yen", P, edit(PROCEDURE, "amount: 300", "amount: 300円"), "fee.amount", 10),
    ("fee-neither", P, edit(PROCEDURE, "  amount: 300\n", ""), "fee", 9),
    ("payment-unknown", P, edit(PROCEDURE, "[cash]", "[paypay]"), "fee.payment[1]", 11),
    ("step-empty", P, edit(PROCEDURE, "  - text: 窓口に行きます。\n    where", "  - where"), "steps[1]", 15),
    ("step-link-not-url", P, edit(PROCEDURE, "    where: counter", "    link: example"),
     "steps[1].link", 16),
    ("step-where-unknown", P, edit(PROCEDURE, "where: counter", "where: home"), "steps[1].where", 16),
    ("documents-not-list", P, edit(PROCEDURE, "documents:\n  - 本人確認書類", "documents: 本人確認書類"),
     "documents", 12),
    ("phone-words", P, edit(PROCEDURE, "000-000-0000", "電話してください"), "contact.phone", 18),
    ("email-bad", P, edit(PROCEDURE, "  phone: 000-000-0000", "  email: shimin-at-example"),
     "contact.email", 18),
    ("contact-empty", P, edit(PROCEDURE, "contact:\n  phone: 000-000-0000", "contact: {}"), "contact", 17),
    ("updated-slashes", P, edit(PROCEDURE, "updated: 2026-11-01", "updated: 2026/11/01"), "updated", 19),
    ("typo-field", P, edit(PROCEDURE, "summary:", "summery:"), "summery", 3),
    ("sample-yes", P, edit(PROCEDURE, "sample: true", "sample: はい"), "sample", 20),
    ("wareki-date", N, edit(NOTICE, "2026-11-27 09:00", "令和8年11月27日"), "date", 3),
    ("month-13", N, edit(NOTICE, "2026-11-27 09:00", "2026/13/01"), "date", 3),
    ("february-30", N, edit(NOTICE, "2026-11-27 09:00", "2026-02-30"), "date", 3),
    ("unknown-category", N, edit(NOTICE, "category: procedures", "category: 防災"), "category", 4),
    ("emergency-yes", N, edit(NOTICE, "sample: true", 'sample: true\nemergency: "yes"'), "emergency", 7),
    ("expires-before", N, edit(NOTICE, "sample: true", "sample: true\nexpires: 2026-11-01"),
     "expires", 7),
    ("notice-no-summary", N, edit(NOTICE, "summary: テストです。\n", ""), "summary", 1),
    ("page-no-description", "ja/bad.md", edit(PAGE, "description: テストです。\n", ""), "description", 1),
    ("broken-link", "ja/bad.md", PAGE + "\n[手続の案内](procedures/nothing.md)\n", "link", 8),
    ("missing-anchor", "ja/bad.md", PAGE + "\n[用語](glossary.md#no-such-term)\n", "link", 8),
    ("image-no-alt", "ja/bad.md", PAGE + "\n![](logo.png)\n", "image", 8),
    ("image-missing", "ja/bad.md", PAGE + "\n![市役所の地図](map.png)\n", "image", 8),
    ("no-original", "en/only-english.md", PAGE, "file", 1),
    ("tab-in-yaml", "ja/bad.md", edit(PAGE, "description:", "\tdescription:"), "front matter", 3),
    ("broken-yaml", "ja/bad.md", edit(PAGE, "テストのページ", "テスト: ページ"), "front matter", 2),
    ("bom", "ja/bad.md", "\ufeff" + PAGE, "file", 1),
    ("shift-jis", "ja/bad.md", PAGE.encode("shift_jis"), "file", 2),  # the first byte that is not UTF-8
    # Accessibility lint of the Markdown itself
    ("vague-link", "ja/bad.md", PAGE + "\n詳しい説明は[こちら](glossary.md)です。\n", "link", 8),
    ("pdf-unsaid", "ja/bad.md", PAGE + "\n[申請書](https://example.jp/form.pdf)\n", "link", 8),
    ("colour-only", "ja/bad.md", PAGE + "\n赤字の項目は必ず書いてください。\n", "text", 8),
    ("table-no-header", "ja/bad.md", PAGE + "\n| 窓口 | 市民課 |\n| 電話 | 000-000-0000 |\n", "table", 8),
    ("heading-skip", "ja/bad.md", PAGE + "\n## 見出し\n\n#### 小見出し\n", "heading", 10),
    ("second-h1", "ja/bad.md", PAGE + "\n# 題名\n\n# もう一つの題名\n", "heading", 10),
    ("h1-in-notice", N, NOTICE + "\n# 見出し\n", "heading", 11),
]


def write_case(project: Path, relative: str, text: str | bytes) -> Path:
    path = project / "docs" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize(("case", "relative", "text", "field", "line"), CASES,
                         ids=[case[0] for case in CASES])
def test_each_mistake_names_file_line_and_field(town_copy, koho, case, relative, text, field, line):
    write_case(town_copy, relative, text)
    result = koho(town_copy, "check")
    assert result.returncode == 1
    mine = [m for m in result.stderr.splitlines() if m.startswith(f"docs/{relative}:")]
    # A misspelt field is also a missing one: both are said.
    assert len(mine) == (2 if case == "typo-field" else 1), mine
    assert mine[0].startswith(f"docs/{relative}:{line}: {field}: ") and "; " in mine[0], mine[0]
    assert len(result.stderr.splitlines()) == len(mine) + 1  # and a count, nothing else


def test_check_and_build_refuse_every_case_at_once(town_copy, koho):
    expected = []
    for index, (_, relative, text, field, line) in enumerate(CASES):
        renamed = relative.replace("bad", f"bad{index}")
        if relative.startswith("en/"):
            renamed = relative.replace(".md", f"{index}.md")
        write_case(town_copy, renamed, text)
        expected.append(f"docs/{renamed}:{line}: {field}: ")
    check = koho(town_copy, "check")
    assert check.returncode == 1
    assert [e for e in expected if e not in check.stderr] == []
    build = build_site(town_copy, town_copy / "site")
    assert build.returncode != 0
    assert [e for e in expected if e not in build.stderr] == []
    assert not (town_copy / "site").exists()


KINDS = ["notice", "procedure", "page"]


def new_page(koho, project: Path, kind: str) -> Path:
    result = koho(project, "new", kind, f"新しい{kind}")
    assert result.returncode == 0, result.stderr
    return project / result.stdout.strip()


@pytest.mark.parametrize("kind", KINDS)
def test_koho_new_writes_a_page_that_passes(town_copy, koho, kind):
    path = new_page(koho, town_copy, kind)
    assert path.exists() and path.is_relative_to(town_copy / "docs" / "ja")
    text = path.read_text("utf-8")
    assert f"title: 新しい{kind}" in text and "# 必須。" in text
    check = koho(town_copy, "check")
    assert check.returncode == 0, check.stderr


def test_pages_written_by_koho_new_build(town_copy, koho):
    paths = [new_page(koho, town_copy, kind) for kind in KINDS]
    build = build_site(town_copy, town_copy / "site")
    assert build.returncode == 0, build.stderr[-2000:]
    for path in paths:
        built = town_copy / "site" / path.relative_to(town_copy / "docs" / "ja").with_suffix("")
        assert (built / "index.html").exists(), built


def test_editors_guide_tables_follow_the_schema():
    text = (ROOT / "EDITING.md").read_text("utf-8")
    assert guide.update(text) == text, "run .venv/bin/koho guide"
    assert "| `fee.amount` |" in text and "| `steps[].or` |" in text
