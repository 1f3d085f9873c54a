"""The generated parts of the editors' guide (EDITING.md): field tables from
schemas.yml and the list of error messages from messages.yml, so the guide
cannot drift from what the checks do. `koho guide` rewrites them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .schema import schemas
from .validation import MESSAGES_FILE

_SECTION = re.compile(r"(<!-- koho:(?P<name>[\w-]+) -->\n)(?:.*?\n)?(<!-- /koho:(?P=name) -->)", re.S)
TYPE_NAMES = {"text": "文字", "date": "日付（2026-11-27）", "datetime": "日時（2026-11-27 09:00）",
              "bool": "true / false", "integer": "整数", "url": "URL（https://…）",
              "url_or_none": "URL または none", "phone": "電話番号", "email": "メールアドレス",
              "choice": "選択", "list": "リスト", "object": "項目の組",
              "yen_or_free": "金額（円、半角数字）または 無料"}


def field_rows(fields: dict, prefix: str = "") -> list[str]:
    rows = []
    for key, spec in fields.items():
        kind = TYPE_NAMES[spec["type"]]
        if spec["type"] == "choice":
            values = spec.get("values") or [f"mkdocs.yml の plugins.koho.{spec['values_from']}"]
            kind += "：" + " / ".join(f"`{v}`" if "mkdocs" not in v else v for v in values)
        required = "必須" if spec.get("required") else ""
        meaning = spec.get("ja", "") + (" ※翻訳" if spec.get("content") else "")  # counts for translations
        rows.append(f"| `{prefix}{key}` | {required} | {kind} | {meaning.strip()} |")
        if spec["type"] == "object":
            rows += field_rows(spec["fields"], f"{prefix}{key}.")
        if spec["type"] == "list" and spec["item"]["type"] == "object":
            rows += field_rows(spec["item"]["fields"], f"{prefix}{key}[].")
    return rows


def fields_section() -> str:
    parts = []
    for spec in schemas().values():
        where = f"`docs/<言語>/{spec['folder']}/`" if spec.get("folder") else "そのほかのページ"
        parts.append(f"### {spec['title']['ja']}（{where}）\n")
        parts.append("| 項目 | 必須 | 書き方 | 意味 |\n| --- | --- | --- | --- |")
        parts.extend(field_rows(spec["fields"]))
        parts.append("")
    return "\n".join(parts).rstrip()


def errors_section() -> str:
    messages = yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))
    rows = ["| 表示される内容 | 直し方 |", "| --- | --- |"]
    for words in messages.values():
        found = words["ja"]["found"].replace("（{found}）", "").replace("{found}", "…")
        rows.append(f"| {found} | {words['ja']['expected']} |")
    return "\n".join(rows)


def update(text: str) -> str:
    sections = {"fields": fields_section(), "errors": errors_section()}
    return _SECTION.sub(lambda m: f"{m[1]}{sections[m['name']]}\n{m[3]}", text)


def write(path: Path) -> bool:
    """Rewrite the generated sections; True if the file changed."""
    old = path.read_text(encoding="utf-8")
    new = update(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old
