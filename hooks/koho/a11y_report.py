"""The accessibility test results (試験結果): the data `make a11y` writes, and the
tables the build puts on the results page in each language."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path

import yaml

from .notice_pages import format_date

RESULTS_FILE = "accessibility-results.json"  # next to mkdocs.yml
MARKER = re.compile(r"<!--\s*koho:a11y-results\s*-->")
_AXE_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")
_HTMLCS_CODE = re.compile(r"\.(\d)_(\d)_(\d{1,2})\.")


@dataclass(frozen=True)
class Criterion:
    number: str
    level: str
    names: dict[str, str]

    def name(self, locale: str) -> tuple[str, str]:
        """The name in this language (or its base language, else English), and its language."""
        for key in (locale, locale.split("-")[0]):
            if key in self.names:
                return self.names[key], key
        return self.names["en"], "en"


def criteria() -> list[Criterion]:
    data = yaml.safe_load(resources.files("koho").joinpath("wcag.yml").read_text("utf-8"))
    found = [Criterion(number, values["level"], {k: v for k, v in values.items() if k != "level"})
             for number, values in data.items()]
    return sorted(found, key=lambda c: tuple(int(part) for part in c.number.split(".")))


def criterion_of_axe_tag(tag: str) -> str | None:
    """axe-core tags a rule with its criteria: wcag143 is 1.4.3, wcag1410 is 1.4.10."""
    match = _AXE_TAG.match(tag)
    return ".".join(match.groups()) if match else None


def criterion_of_htmlcs_code(code: str) -> str | None:
    """HTML_CodeSniffer codes name the criterion: ...Guideline1_4.1_4_3.G18 is 1.4.3."""
    match = _HTMLCS_CODE.search(code)
    return ".".join(match.groups()) if match else None


def load(path: Path) -> dict | None:
    if not path.is_file():
        return None
    return json.loads(path.read_text("utf-8"))


def render(results: dict | None, strings: dict[str, str], locale: str,
           url_prefix: str) -> str:
    """Markdown with HTML tables for the results page."""
    if results is None:
        return f'<p class="koho-a11y-none">{escape(strings["a11y.none"])}</p>'
    return "\n\n".join([
        _summary(results, strings),
        _tools(results, strings),
        _criteria(results, strings, locale),
        _lighthouse(results, strings, url_prefix),
        _ignored(results, strings),
        _pages(results, strings, url_prefix),
    ])


def _heading(strings: dict[str, str], key: str, anchor: str) -> str:
    return f"## {strings[key]} {{#{anchor}}}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="koho-a11y-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _summary(results: dict, t: dict[str, str]) -> str:
    when = dt.datetime.fromisoformat(results["date"])
    problems = sum(tool["problems"] for tool in results["tools"])
    outcome = t["a11y.outcome.pass"] if problems == 0 else t["a11y.outcome.fail"].format(count=problems)
    rows = [
        [escape(t["a11y.date"]), f'<time datetime="{when.date().isoformat()}">'
                                 f"{escape(format_date(when, t))}</time>"],
        [escape(t["a11y.standard"]), escape(t["a11y.standard.value"])],
        [escape(t["a11y.widths"]), escape(", ".join(f"{w} CSS px" for w in results["widths"]))],
        [escape(t["a11y.pages"]), escape(t["a11y.pages.count"].format(count=len(results["pages"])))],
        [escape(t["a11y.outcome"]), escape(outcome)],
    ]
    return (_heading(t, "a11y.summary", "summary") + "\n\n"
            + _table([t["a11y.item"], t["a11y.value"]], rows))


def _tools(results: dict, t: dict[str, str]) -> str:
    rows = [[f'<span lang="en">{escape(tool["name"])}</span>', escape(tool["version"]),
             escape(t[f'a11y.tool.{tool["id"]}']), str(tool["runs"]), str(tool["problems"])]
            for tool in results["tools"]]
    headers = [t["a11y.tool"], t["a11y.version"], t["a11y.tool.what"], t["a11y.runs"], t["a11y.problems"]]
    return _heading(t, "a11y.tools", "tools") + "\n\n" + _table(headers, rows)


def _criteria(results: dict, t: dict[str, str], locale: str) -> str:
    covered = results["criteria"]
    every = criteria()
    rows = []
    for criterion in every:
        name, name_lang = criterion.name(locale)
        lang = "" if name_lang == locale.split("-")[0] else f' lang="{name_lang}"'
        found = covered.get(criterion.number)
        if found is None:
            tools, outcome = "", t["a11y.criterion.human"]
        elif found["problems"]:
            tools = ", ".join(found["tools"])
            outcome = t["a11y.criterion.fail"].format(count=found["problems"])
        else:
            tools, outcome = ", ".join(found["tools"]), t["a11y.criterion.pass"]
        rows.append([criterion.number, f"<span{lang}>{escape(name)}</span>", criterion.level,
                     f'<span lang="en">{escape(tools)}</span>' if tools else "", escape(outcome)])
    automated = sum(1 for c in every if c.number in covered)
    intro = t["a11y.criteria.intro"].format(automated=automated, total=len(every))
    headers = [t["a11y.criterion"], t["a11y.criterion.name"], t["a11y.level"], t["a11y.tested_by"],
               t["a11y.result"]]
    return (_heading(t, "a11y.criteria", "criteria") + f"\n\n<p>{escape(intro)}</p>\n\n"
            + _table(headers, rows))


def _lighthouse(results: dict, t: dict[str, str], url_prefix: str) -> str:
    rows = [[_page_link(item["page"], url_prefix), str(item["score"])] for item in results["lighthouse"]]
    return (_heading(t, "a11y.lighthouse", "lighthouse") + "\n\n"
            + _table([t["a11y.page"], t["a11y.score"]], rows))


def _ignored(results: dict, t: dict[str, str]) -> str:
    rows = [[f'<code>{escape(item["rule"])}</code>', f'<code>{escape(item["element"])}</code>',
             escape(t[f'a11y.ignored.{item["id"]}'])] for item in results["ignored"]]
    return (_heading(t, "a11y.ignored", "ignored") + "\n\n"
            + _table([t["a11y.rule"], t["a11y.element"], t["a11y.reason"]], rows))


def _pages(results: dict, t: dict[str, str], url_prefix: str) -> str:
    items = "".join(f"<li>{_page_link(page, url_prefix)}</li>" for page in results["pages"])
    summary = t["a11y.pages.count"].format(count=len(results["pages"]))
    return (_heading(t, "a11y.pages.list", "pages") + "\n\n"
            f"<details class=\"koho-a11y-pages\"><summary>{escape(summary)}</summary>"
            f"<ul>{items}</ul></details>")


def _page_link(path: str, url_prefix: str) -> str:
    """A site path (/en/glossary/) as a link that works from the results page."""
    depth = url_prefix.count("/") + len(["accessibility", "results"])
    href = "../" * depth + path.lstrip("/")
    return f'<a href="{escape(href)}"><code>{escape(path)}</code></a>'
