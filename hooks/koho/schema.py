"""Page types and their front matter, from schemas.yml: one definition that
drives the checks, the skeletons of `koho new` and the editors' guide.

`check_front_matter` walks the YAML nodes (so every problem has its exact
line) alongside the schema and returns the values and the problems.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml

from .safe_content import markup_in_text
from .validation import FrontMatter, Problem

SCHEMAS_FILE = Path(__file__).with_name("schemas.yml")
_PHONE = re.compile(r"^[0-9０-９+][0-9０-９-]{5,}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Front matter keys that Material for MkDocs or Koho's templates read on any page.
THEME_FIELDS = {"hide", "search", "tags", "template", "icon", "status", "document", "comments"}
# Kinds whose value is text: a plain YAML scalar that YAML reads as something else
# (no -> false, 0120123456 -> an octal number, 2026-11-27 -> a date) is refused.
_TEXT_KINDS = {"text", "phone", "email", "url"}
_IMPLICIT_KINDS = {"tag:yaml.org,2002:bool": "bool", "tag:yaml.org,2002:int": "number",
                   "tag:yaml.org,2002:float": "number", "tag:yaml.org,2002:timestamp": "date",
                   "tag:yaml.org,2002:null": "empty"}


@cache
def schemas() -> dict[str, dict]:
    return yaml.safe_load(SCHEMAS_FILE.read_text(encoding="utf-8"))


def page_type_of(relative: str) -> str:
    """The page type of a file, from its path below the language folder."""
    parts = PurePosixPath(relative).parts
    for name, spec in schemas().items():
        folder = spec.get("folder")
        if folder and parts[0] == folder and parts[-1] != "index.md" and "categories" not in parts:
            return name
    return "page"


@dataclass(frozen=True)
class Context:
    shown: str  # the file as editors see it
    first_line: int  # line of the front matter's first key (2 after the opening ---)
    choices: dict[str, dict[str, str]]  # configured lists: name -> {slug: Japanese name}
    tz: ZoneInfo


def check_front_matter(front: FrontMatter, page_type: str, context: Context
                       ) -> tuple[dict, list[Problem]]:
    """The values of a page's front matter (parsed once, validation.parse_front_matter)
    as its page type defines them, and every problem."""
    checker = _Checker(context)
    spec = schemas()[page_type]
    values = checker.mapping(front.data or {}, front.node, spec["fields"], "", context.first_line - 1,
                             allow_others=THEME_FIELDS)
    return values, checker.problems


def implicit_kind(written: str) -> str | None:
    """What YAML (PyYAML's safe schema, as MkDocs reads front matter) makes of a plain,
    unquoted scalar when it is not text: "bool", "number", "date" or "empty"."""
    resolvers = yaml.SafeLoader.yaml_implicit_resolvers
    for tag, pattern in [*resolvers.get(written[:1], []), *resolvers.get(None, [])]:
        if pattern.match(written):
            return _IMPLICIT_KINDS.get(tag)
    return "empty" if written == "" else None


class _Checker:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.problems: list[Problem] = []

    def add(self, line: int, field: str, code: str, found: str = "") -> None:
        self.problems.append(Problem(self.context.shown, line, field, code, found))

    def line(self, node: yaml.Node | None, fallback: int) -> int:
        return node.start_mark.line + self.context.first_line if node is not None else fallback

    def mapping(self, data: dict, node: yaml.Node | None, fields: dict, path: str, line: int,
                allow_others: set[str] = frozenset(), one_of: list[str] | None = None) -> dict:
        nodes = {k.value: (k, v) for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}
        values: dict = {}
        for key, raw in data.items():
            key_node, value_node = nodes.get(key, (None, None))
            name = f"{path}{key}"
            if key not in fields:
                if key not in allow_others:
                    known = ", ".join(fields)
                    self.add(self.line(key_node, line), name, "unknown_field", f"{key}; {known}")
                continue
            value = self.value(raw, value_node, fields[key], name, self.line(key_node, line))
            if value is not None:
                values[key] = value
        for key, spec in fields.items():
            if spec.get("required") and key not in data:
                self.add(line if path else 1, f"{path}{key}", "missing")
        if one_of and not any(key in data for key in one_of):
            self.add(line, path.rstrip(".") or one_of[0], "one_of_missing", " / ".join(one_of))
        self.relations(values, data, fields, nodes, path, line)
        return values

    def relations(self, values: dict, data: dict, fields: dict, nodes: dict, path: str,
                  line: int) -> None:
        for key, spec in fields.items():
            category = spec.get("only_in_category")  # e.g. `event:` only on notices of events
            if category and key in values and values.get("category") not in (None, category):
                self.add(self.line(nodes.get(key, (None, None))[0], line), f"{path}{key}",
                         "only_in_category", f"category: {data.get('category')}; {category}")
            for rule, code in (("after", "not_after"), ("not_before", "before")):
                other = spec.get(rule)
                if other and key in values and other in values:
                    later, earlier = values[key], values[other]
                    if (later <= earlier) if rule == "after" else (later < earlier):
                        key_line = self.line(nodes.get(key, (None, None))[0], line)
                        self.add(key_line, f"{path}{key}", code,
                                 f"{key}: {data[key]}, {other}: {data[other]}")

    def value(self, raw, node, spec: dict, name: str, line: int):
        kind = spec["type"]
        if kind == "object":
            if not isinstance(raw, dict):
                return self.add(line, name, "not_object", repr(raw))
            return self.mapping(raw, node, spec["fields"], f"{name}.", line,
                                one_of=spec.get("one_of"))
        if kind == "list":
            return self.items(raw, node, spec, name, line)
        if kind in _TEXT_KINDS and isinstance(node, yaml.ScalarNode) and node.style is None:
            read_as = implicit_kind(node.value)
            if read_as:
                return self.add(line, name, f"yaml_{read_as}", node.value)
        checker = getattr(self, f"scalar_{kind}")
        value = checker(raw, spec)
        if kind == "text" and value is not None:
            markup = markup_in_text(value)
            if markup:
                return self.add(line, name, "markup_in_text", markup)
        if value is None:
            found = raw if isinstance(raw, str) else repr(raw)
            code = {"choice": "not_choice"}.get(kind, f"not_{kind}")
            if kind == "choice":
                found = f"{found!s}; {' / '.join(self.allowed(spec))}"
            elif kind == "integer" and isinstance(raw, int) and not isinstance(raw, bool):
                code, found = "too_small", f"{raw} < {spec.get('min')}"
            self.add(line, name, code, str(found))
        return value

    def items(self, raw, node, spec: dict, name: str, line: int) -> list | None:
        if not isinstance(raw, list):
            return self.add(line, name, "not_list", repr(raw))
        if len(raw) < spec.get("min_items", 0):
            return self.add(line, name, "too_few", f"{len(raw)} < {spec['min_items']}")
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [None] * len(raw)
        values = []
        for index, (item, item_node) in enumerate(zip(raw, nodes, strict=False), start=1):
            value = self.value(item, item_node, spec["item"], f"{name}[{index}]",
                               self.line(item_node, line))
            if value is not None:
                values.append(value)
        return values

    def allowed(self, spec: dict) -> list[str]:
        if "values_from" in spec:
            names = self.context.choices.get(spec["values_from"], {})
            return [f"{slug}（{name}）" for slug, name in names.items()]
        return list(spec["values"])

    def scalar_choice(self, raw, spec: dict) -> str | None:
        if "values_from" in spec:
            names = self.context.choices.get(spec["values_from"], {})
            for slug, japanese in names.items():
                if raw in (slug, japanese):
                    return slug
            return None
        return raw if raw in spec["values"] else None

    def scalar_text(self, raw, spec: dict) -> str | None:
        return raw.strip() if isinstance(raw, str) and raw.strip() else None

    def scalar_bool(self, raw, spec: dict) -> bool | None:
        return raw if isinstance(raw, bool) else None

    def scalar_integer(self, raw, spec: dict) -> int | None:
        if isinstance(raw, bool) or not isinstance(raw, int):
            return None
        return raw if raw >= spec.get("min", raw) else None

    def scalar_yen_or_free(self, raw, spec: dict) -> int | None:
        """An amount in yen (0 or more), or 無料 (free), which is 0."""
        if raw == "無料":
            return 0
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            return None
        return raw

    def scalar_url(self, raw, spec: dict) -> str | None:
        if not isinstance(raw, str):
            return None
        parts = urlsplit(raw.strip())
        return raw.strip() if parts.scheme in ("http", "https") and parts.netloc else None

    def scalar_url_or_none(self, raw, spec: dict) -> str | None:
        return "none" if raw in ("none", None) else self.scalar_url(raw, spec)

    def scalar_phone(self, raw, spec: dict) -> str | None:
        return raw if isinstance(raw, str) and _PHONE.match(raw.strip()) else None

    def scalar_email(self, raw, spec: dict) -> str | None:
        return raw if isinstance(raw, str) and _EMAIL.match(raw.strip()) else None

    def scalar_date(self, raw, spec: dict) -> dt.date | None:
        if not isinstance(raw, str) or not _DAY.match(raw):
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return None

    def scalar_datetime(self, raw, spec: dict) -> dt.datetime | None:
        from .notices import parse_date

        return parse_date(raw, self.context.tz, spec.get("end_of_day", False))
