"""`koho new notice|procedure|page "タイトル"`: a new page that already passes
`koho check`, with every required field and a short comment for each, taken
from schemas.yml."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from .schema import schemas

KINDS = {"notice": "notice", "procedure": "procedure", "page": "page"}


def slug_of(title: str, kind: str) -> str:
    """An ASCII file name from the title, or the page type when the title has none."""
    ascii_words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(ascii_words)[:50] or kind


def target_path(docs_dir: Path, kind: str, title: str, now: dt.datetime, locale: str) -> Path:
    slug = slug_of(title, kind)
    if kind == "notice":
        folder = docs_dir / locale / "notices" / f"{now:%Y}"
        stem = f"{now:%m-%d}-{slug}"
    elif kind == "procedure":
        folder, stem = docs_dir / locale / "procedures", slug
    else:
        folder, stem = docs_dir / locale, slug
    path = folder / f"{stem}.md"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}.md"
        number += 1
    return path


def render(kind: str, title: str, now: dt.datetime) -> str:
    fields = schemas()[kind]["fields"]
    lines = ["---"]
    for key, spec in fields.items():
        if "example" not in spec and not spec.get("required"):
            continue
        value = title if key == "title" else _example(spec, now)
        dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False,
                                default_flow_style=False, width=1000).rstrip("\n").split("\n")
        comment = f"  # {'必須。' if spec.get('required') else ''}{spec.get('ja', '')}"
        lines.append(dumped[0] + comment)
        lines.extend(dumped[1:])
    lines.append("---")
    lines.append("")
    lines.append("ここに本文を書きます。見出しは「## 」から始めます。")
    return "\n".join(lines) + "\n"


def _example(spec: dict, now: dt.datetime):
    example = spec.get("example")
    if example == "{now}":
        return f"{now:%Y-%m-%d %H:%M}"
    if example == "{today}":
        return f"{now:%Y-%m-%d}"
    return example


def create(docs_dir: Path, kind: str, title: str, now: dt.datetime, locale: str) -> Path:
    """A new page in the site's default language (`locale`) that passes koho check."""
    path = target_path(docs_dir, kind, title, now, locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(kind, title, now), encoding="utf-8")
    return path
