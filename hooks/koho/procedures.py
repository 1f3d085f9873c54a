"""Procedures (手続): records from the checked pages of type "procedure", and
the fixed layout rendered from them above each page's free Markdown body
(summary box, numbered steps, 持ち物 checklist, counter, contact) and the
index grouped by life event, each from a partial (theme/partials/koho/procedure-*.html).
Every label comes from the translation file."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .content import SourcePage
    from .templates import Templates

INDEX_MARKER = re.compile(r"<!--\s*koho:procedures\s*-->")


@dataclass(frozen=True)
class Step:
    text: str | None
    link: str | None
    where: str | None
    alternatives: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Procedure:
    locale: str
    relative: str  # e.g. procedures/moving.md
    url: str  # site-relative page URL
    title: str
    summary: str
    who: str
    when: str
    life_events: tuple[str, ...]
    online: str | None  # URL of the online application
    mynumber_card: str  # required | optional | not-needed
    fee_amount: int | None
    payment: tuple[str, ...]
    documents: tuple[str, ...]
    steps: tuple[Step, ...]
    counter: dict | None
    contact: dict
    other_ways: tuple[str, ...]
    updated: dt.date
    sample: bool


def to_step(values: dict) -> Step:
    return Step(values.get("text"), values.get("link"), values.get("where"),
                tuple(to_step(alt) for alt in values.get("or", [])))


def procedures_from_pages(pages: list[SourcePage]) -> list[Procedure]:
    return [to_procedure(page) for page in pages if page.page_type == "procedure"]


def to_procedure(page: SourcePage) -> Procedure:
    v = page.values
    fee = v["fee"]
    return Procedure(
        locale=page.locale, relative=page.relative, url=page.url, title=v["title"],
        summary=v["summary"], who=v["who"], when=v["when"], life_events=tuple(v["life_events"]),
        online=None if v["online"] == "none" else v["online"], mynumber_card=v["mynumber_card"],
        fee_amount=None if fee.get("free") else fee.get("amount"),
        payment=tuple(fee.get("payment", [])), documents=tuple(v["documents"]),
        steps=tuple(to_step(step) for step in v["steps"]), counter=v.get("counter"),
        contact=v["contact"], other_ways=tuple(v.get("other_ways", [])), updated=v["updated"],
        sample=v.get("sample", False),
    )


def fee_text(procedure: Procedure, t: dict[str, str]) -> str:
    if procedure.fee_amount in (None, 0):
        return t["procedure.fee.free"]
    amount = t["procedure.fee.amount"].format(amount=f"{procedure.fee_amount:,}")
    if not procedure.payment:
        return amount
    methods = t["procedure.list_separator"].join(t[f"procedure.payment.{p}"] for p in procedure.payment)
    return f"{amount}{t['procedure.fee.paid_by'].format(methods=methods)}"


def render_page_top(templates: Templates, procedure: Procedure, t: dict[str, str], lang_tag: str) -> str:
    """Markdown placed above the page's own body: each section is a partial under a
    Markdown heading, which the table of contents lists."""
    def part(name: str, **context: Any) -> str:
        return templates.render(name, t=t, **context)

    parts = [f"# {procedure.title}",
             part("procedure-summary.html", procedure=procedure, fee=fee_text(procedure, t))]
    if procedure.sample:  # in the reader's language, also above a Japanese original
        parts.append(part("sample-note.html", title=t["notices.sample"], note=t["procedure.sample_note"],
                          lang=lang_tag))
    parts.append(_section(t["procedure.steps"], "steps", part("procedure-steps.html", steps=procedure.steps)))
    parts.append(_section(t["procedure.documents"], "documents",
                          part("procedure-checklist.html", procedure=procedure)))
    if procedure.counter:
        parts.append(_section(t["procedure.counter"], "counter",
                              part("procedure-counter.html", counter=procedure.counter)))
    parts.append(_section(t["procedure.contact"], "contact",
                          part("procedure-contact.html", contact=procedure.contact)))
    if procedure.other_ways:
        parts.append(_section(t["procedure.other_ways"], "other-ways",
                              part("procedure-other-ways.html", ways=procedure.other_ways)))
    parts.append(part("procedure-updated.html", procedure=procedure))
    return "\n\n".join(parts) + "\n\n"


def _section(heading: str, anchor: str, html: str) -> str:
    return f"## {heading} {{#{anchor}}}\n\n{html}"


def in_language(procedures: list[Procedure], locale: str, default_locale: str
                ) -> list[tuple[Procedure, bool]]:
    """Every procedure as a language shows it: its translation, or the original (False)."""
    translated = {p.relative: p for p in procedures if p.locale == locale}
    chosen = [(translated.get(p.relative, p), p.relative in translated)
              for p in procedures if p.locale == default_locale]
    return sorted(chosen, key=lambda pair: pair[0].title)


def render_index(templates: Templates, procedures: list[tuple[Procedure, bool]], url_prefix: str,
                 page_url: str, t: dict[str, str], life_events: dict[str, str], original_tag: str) -> str:
    """Procedures grouped by life event (slug -> name in the page's language)."""
    groups = [(slug, name, members) for slug, name in life_events.items()
              if (members := [pair for pair in procedures if slug in pair[0].life_events])]
    return templates.render("procedure-index.html", life_events=life_events, groups=groups,
                            url_prefix=url_prefix, page_url=page_url, t=t, original_tag=original_tag)


# <!-- koho:life-events -->: the life events that have procedures, each a link to its group on the
# procedures index (a top task on the home page; generated, so it never goes stale).
LIFE_EVENTS_MARKER = re.compile(r"<!--\s*koho:life-events\s*-->")


def render_life_events(templates: Templates, procedures: list[Procedure], index_url: str, page_url: str,
                       t: dict[str, str], life_events: dict[str, str]) -> str:
    """Links to `index_url#<slug>` for every life event (slug -> name) that has a procedure."""
    counts = {slug: sum(slug in p.life_events for p in procedures) for slug in life_events}
    links = [(slug, name, counts[slug]) for slug, name in life_events.items() if counts[slug]]
    return templates.render("procedure-life-events.html", links=links, index_url=index_url,
                            page_url=page_url, t=t)


def index_folder(procedures: list[Procedure]) -> str:
    """The folder of the procedures (and of their index page), e.g. `procedures/`."""
    folders = sorted({p.relative.rpartition("/")[0] for p in procedures})
    return f"{folders[0]}/" if folders and folders[0] else ""
