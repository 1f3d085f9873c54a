"""Checks of the editors' Markdown files, before anything is built.

Every problem is a plain record naming the file, the line, the field, what was
found and what is expected; `format_problem` words it for an editor in
Japanese (default) or English. The build, `koho check` and the tests all call
`check_docs`.
"""

from __future__ import annotations

import re
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
    node: yaml.Node | None = None  # the composed YAML, for the lines of keys and values


def shown_path(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def check_file(raw: bytes, shown_path: str) -> list[Problem]:
    text, problems = decode_text(raw, shown_path)
    if text is None:
        return problems
    _, problems = parse_front_matter(text, shown_path)
    return problems


MAX_PAGE_BYTES = 1_000_000  # ten times the largest real page; Markdown takes ~10 s a megabyte
# Invisible control characters (C0 but tab and line ends, DEL, C1): invalid in HTML and XML feeds.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def decode_file(path: Path, folder: Path, shown_path: str) -> tuple[str | None, list[Problem]]:
    """A page's text, or the problems that keep it from being read: a link that leads out
    of the docs folder, a file that cannot be read, is too large, or is not clean UTF-8."""
    docs = folder.parent.resolve()
    if not path.resolve().is_relative_to(docs):
        return None, [Problem(shown_path, 1, "file", "outside_docs", str(path.resolve()))]
    try:
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            return None, [Problem(shown_path, 1, "file", "too_large", f"{size:,} bytes")]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(shown_path, 1, "file", "unreadable", error.strerror or type(error).__name__)]
    return decode_text(raw, shown_path)


def decode_text(raw: bytes, shown_path: str) -> tuple[str | None, list[Problem]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(shown_path, 1, "file", "bom")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(shown_path, line, "file", "not_utf8")]
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        return None, [Problem(shown_path, line, "file", "control_character", f"U+{ord(control[0]):04X}")]
    return text, []


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
    loader = TextDatesLoader("\n".join(block))
    try:  # one parse: compose the nodes, check them, then build the values from them
        node = loader.get_single_node()
        duplicates = duplicate_keys(node, shown_path)
        if duplicates:
            return FrontMatter({}, 1), duplicates
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        reason = getattr(error, "problem", None) or str(error)
        return FrontMatter({}, 1), [Problem(shown_path, line, "front matter", "yaml", reason)]
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter({}, 1), [
            Problem(shown_path, 2, "front matter", "not_mapping", type(data).__name__)
        ]
    return FrontMatter(data, closing + 2, "\n".join(block), node), []


def duplicate_keys(node: yaml.Node | None, shown_path: str, first_line: int = 2) -> list[Problem]:
    """A key written twice in one mapping, at any depth: YAML would keep the last value
    silently. One problem at the second key, naming both lines."""
    problems: list[Problem] = []
    pending = [node] if node is not None else []
    visited: set[int] = set()  # an alias shares its node: each is checked once
    while pending:
        current = pending.pop()
        if id(current) in visited:
            continue
        visited.add(id(current))
        if isinstance(current, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key, value in current.value:
                line = key.start_mark.line + first_line
                name = key.value if isinstance(key, yaml.ScalarNode) else None
                if name is not None and name in seen:
                    problems.append(Problem(shown_path, line, str(name), "duplicate_key",
                                            f"{name}: {seen[name]}, {line}"))
                elif name is not None:
                    seen[name] = line
                pending.append(value)
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)
    return sorted(problems, key=lambda problem: problem.line)


@cache
def _messages() -> dict[str, dict[str, dict[str, str]]]:
    return yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))


def format_problem(problem: Problem, lang: str = "ja") -> str:
    """'path:line: field: what was found; what is expected' in the editor's language."""
    message = _messages()[problem.code]
    words = message.get(lang) or message["ja"]
    found = words["found"].format(found=problem.found)
    return f"{problem.path}:{problem.line}: {problem.field}: {found}; {words['expected']}"
