"""Checks of the editors' Markdown files, before anything is built.

Every problem is a plain record naming the file, the line, the field, what was
found and what is expected; `format_problem` words it for an editor in
Japanese (default) or English. The build, `koho check` and the tests all call
`check_docs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

MESSAGES_FILE = Path(__file__).with_name("messages.yml")


class TextDatesLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text: an impossible date such as 2026-02-30
    becomes a message about that field, not a crash of the YAML parser."""


TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Problem:
    path: str  # as the editor sees it, e.g. docs/ja/index.md
    line: int  # 1-based line in the file
    field: str  # front matter key, or a part of the file such as "front matter"
    code: str  # message key in messages.yml
    found: str = ""


@dataclass(frozen=True)
class FrontMatter:
    data: dict
    body_line: int  # 1-based line where the Markdown body starts
    block: str = ""  # the YAML text between the '---' lines


def shown_path(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def check_file(raw: bytes, shown_path: str) -> list[Problem]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return [Problem(shown_path, 1, "file", "bom")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [Problem(shown_path, line, "file", "not_utf8")]
    _, problems = parse_front_matter(text, shown_path)
    return problems


def parse_front_matter(text: str, shown_path: str) -> tuple[FrontMatter, list[Problem]]:
    """Split off the YAML front matter between '---' lines and check its syntax."""
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter({}, 1), []
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        return FrontMatter({}, 1), [Problem(shown_path, 1, "front matter", "unclosed")]
    block = lines[1:closing]
    for offset, line in enumerate(block):
        if "\t" in line[: len(line) - len(line.lstrip())]:
            return FrontMatter({}, 1), [Problem(shown_path, offset + 2, "front matter", "tab")]
    try:
        data = yaml.load("\n".join(block), Loader=TextDatesLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        reason = getattr(error, "problem", None) or str(error)
        return FrontMatter({}, 1), [Problem(shown_path, line, "front matter", "yaml", reason)]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter({}, 1), [
            Problem(shown_path, 2, "front matter", "not_mapping", type(data).__name__)
        ]
    return FrontMatter(data, closing + 2, "\n".join(block)), []


@cache
def _messages() -> dict[str, dict[str, dict[str, str]]]:
    return yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))


def format_problem(problem: Problem, lang: str = "ja") -> str:
    """'path:line: field: what was found; what is expected' in the editor's language."""
    message = _messages()[problem.code]
    words = message.get(lang) or message["ja"]
    found = words["found"].format(found=problem.found)
    return f"{problem.path}:{problem.line}: {problem.field}: {found}; {words['expected']}"
