"""The accessibility test results (試験結果): the data `make a11y` writes, and the
tables the build puts on the results page in each language (a11y-results.html)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from .templates import Templates

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


def render(templates: Templates, results: dict | None, strings: dict[str, str], locale: str,
           url_prefix: str) -> str:
    """Markdown with HTML tables for the results page (partials/koho/a11y-results.html)."""
    if results is None:
        return templates.render("a11y-results.html", results=None, t=strings)
    every = criteria()
    return templates.render(
        "a11y-results.html", results=results, t=strings,
        when=dt.datetime.fromisoformat(results["date"]),
        problems=sum(tool["problems"] for tool in results["tools"]),
        criteria=[_criterion_row(c, results["criteria"].get(c.number), strings, locale) for c in every],
        automated=sum(1 for c in every if c.number in results["criteria"]),
        site_root="../" * (url_prefix.count("/") + len(["accessibility", "results"])),  # the page's place
    )


def _criterion_row(criterion: Criterion, found: dict | None, t: dict[str, str], locale: str) -> dict:
    """One row of the criteria table: the name in the reader's language (lang: its
    tag where it is another), and what the tools found, if they test it."""
    name, name_lang = criterion.name(locale)
    if found is None:
        tools, outcome = "", t["a11y.criterion.human"]
    elif found["problems"]:
        tools, outcome = ", ".join(found["tools"]), t["a11y.criterion.fail"].format(count=found["problems"])
    else:
        tools, outcome = ", ".join(found["tools"]), t["a11y.criterion.pass"]
    return {"number": criterion.number, "name": name, "level": criterion.level, "tools": tools,
            "lang": None if name_lang == locale.split("-")[0] else name_lang, "outcome": outcome}
