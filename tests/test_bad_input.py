"""Bad input from editors: a clear message naming file and line, a non-zero exit,
and the last good site left as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import add_last_site, build_site
from koho.content import read_page
from koho.validation import format_problem

GOOD = "---\ntitle: お知らせ\ndescription: 説明です。\n---\n\n# 見出し\n"


@pytest.mark.parametrize(
    ("raw", "line", "field", "words"),
    [
        (b"---\ntitle: a\ndescription: Policy: the plan\n---\n", 3, "front matter", "YAML"),
        (b"---\ntitle: [unclosed\n---\n", 2, "front matter", "YAML"),
        (b"---\ntitle: a\n\tdescription: b\n---\n", 3, "front matter", "タブ"),
        (b"---\ntitle: a\n", 1, "front matter", "閉じ"),
        (b"\xef\xbb\xbf" + GOOD.encode(), 1, "file", "BOM"),
        (b"---\ntitle: ok\n---\n\n" + "申請".encode("shift_jis"), 5, "file", "UTF-8"),
        (b"---\n- title\n- description\n---\n", 2, "front matter", "キー: 値"),
        (b"---\ntitle: 12\ndescription: d\n---\n", 2, "title", "文字列"),
        (b"---\ntitle: ''\ndescription: d\n---\n", 2, "title", "文字列"),
        # YAML that PyYAML accepts but an editor would not mean.
        (b"---\ntitle: a\ndescription: d\ntitle: b\n---\n", 4, "title", "title: 2, 4 行目"),
        (b"---\ntitle: no\ndescription: d\n---\n", 2, "title", "true/false"),
        (b"---\ntitle: 2026-11-27\ndescription: d\n---\n", 2, "title", "日付"),
        (b"---\ntitle: 9:30\ndescription: d\n---\n", 2, "title", "数"),
        (b"---\ntitle: a\ndescription:\n---\n", 3, "description", "空"),
    ],
)
def test_each_mistake_names_the_line_and_the_fix(tmp_path, raw, line, field, words):
    problems = page_problems(tmp_path, raw)
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.path, problem.line, problem.field) == ("docs/ja/page.md", line, field)
    message = format_problem(problem)
    assert message.startswith(f"docs/ja/page.md:{line}: {field}: ")
    assert words in message and "; " in message
    english = format_problem(problem, "en")
    assert english.startswith(f"docs/ja/page.md:{line}: {field}: ") and english != message


def page_problems(root: Path, raw: bytes, name: str = "page.md"):
    folder = root / "docs" / "ja"
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    _, problems = read_page(path, folder, root, "ja", {}, ZoneInfo("Asia/Tokyo"))
    return problems


def test_a_correct_page_has_no_problem(tmp_path):
    assert page_problems(tmp_path, GOOD.encode()) == []


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_broken_front_matter_stops_the_build_and_keeps_the_last_good_site(town, town_copy):
    site_dir = add_last_site(town_copy, town)
    before = tree_digest(site_dir)

    page = town_copy / "docs" / "en" / "glossary.md"
    page.write_text(page.read_text("utf-8").replace("title: ", "title: Glossary: terms\nx ", 1),
                    encoding="utf-8")
    second = build_site(town_copy, site_dir)
    assert second.returncode != 0
    assert "docs/en/glossary.md:2: front matter:" in second.stderr
    assert tree_digest(site_dir) == before
    assert not (town_copy / ".site.building").exists()


def test_a_search_that_cannot_be_written_stops_the_build_and_keeps_the_last_good_site(
        town, town_copy, monkeypatch):
    site_dir = add_last_site(town_copy, town)
    before = tree_digest(site_dir)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(town_copy / "no-pagefind-here"))
    second = build_site(town_copy, site_dir)
    assert second.returncode != 0
    assert "Pagefind could not write the search of the site" in second.stderr
    assert "pagefind[extended]" in second.stderr
    assert tree_digest(site_dir) == before
    assert not (town_copy / ".site.building").exists()


def test_koho_check_reports_every_problem_and_exits_non_zero(town_copy, koho):
    (town_copy / "docs" / "ja" / "bad1.md").write_bytes(b"---\ntitle: a: b\n---\n")
    (town_copy / "docs" / "en" / "bad2.md").write_bytes("---\ntitle: x\n---\n한".encode("cp949"))
    result = koho(town_copy, "check", "--lang", "en")
    assert result.returncode == 1
    assert "docs/ja/bad1.md:2: front matter: this is not valid YAML" in result.stderr
    assert "docs/en/bad2.md:4: file: the file is not in UTF-8" in result.stderr
    assert "docs/en/bad2.md:1: file: this translation has no Japanese original" in result.stderr
    assert "3 problem(s) found." in result.stderr


def test_koho_check_passes_on_the_town(town_copy, koho):
    result = koho(town_copy, "check")
    assert result.returncode == 0, result.stderr
    assert "問題はありません。" in result.stdout


def test_koho_check_outside_a_site_says_where_to_run_it(tmp_path, koho):
    result = koho(tmp_path, "check")
    assert result.returncode == 1
    assert "mkdocs.yml" in result.stderr or "mkdocs.yml" in result.stdout
