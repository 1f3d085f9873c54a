"""Procedures (手続): records from the checked pages of type "procedure", and
the fixed layout rendered from them above each page's free Markdown body
(summary box, numbered steps, 持ち物 checklist, counter, contact) and the
index grouped by life event. Every label comes from the translation file."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from mkdocs.utils import get_relative_url

if TYPE_CHECKING:
    from .content import SourcePage

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


def render_page_top(procedure: Procedure, t: dict[str, str], lang_tag: str) -> str:
    """Markdown (with HTML blocks) placed above the page's own body."""
    online = (f'<a class="md-button md-button--primary koho-procedure__online" '
              f'href="{escape(procedure.online)}">{escape(t["procedure.online.button"])}</a>'
              if procedure.online else "")
    facts = [
        ("procedure.online", t["procedure.online.yes"] if procedure.online else t["procedure.online.no"]),
        ("procedure.mynumber_card", t[f"procedure.mynumber_card.{procedure.mynumber_card}"]),
        ("procedure.fee", fee_text(procedure, t)),
        ("procedure.who", procedure.who),
        ("procedure.when", procedure.when),
    ]
    rows = "".join(f"<dt>{escape(t[key])}</dt><dd>{escape(value)}</dd>" for key, value in facts)
    parts = [
        f"# {procedure.title}",
        f'<section class="koho-procedure-box" aria-label="{escape(t["procedure.box"])}">\n'
        f'<p class="koho-procedure-box__summary">{escape(procedure.summary)}</p>\n'
        f"<dl>{rows}</dl>\n{online}\n</section>",
    ]
    if procedure.sample:  # in the reader's language, also above a Japanese original
        parts.append(f'<div class="admonition warning koho-sample" role="note" lang="{lang_tag}">'
                     f'<p class="admonition-title">{escape(t["notices.sample"])}</p>'
                     f'<p>{escape(t["procedure.sample_note"])}</p></div>')
    parts.append(f'## {t["procedure.steps"]} {{#steps}}\n\n{steps_html(procedure.steps, t)}')
    parts.append(f'## {t["procedure.documents"]} {{#documents}}\n\n{checklist_html(procedure, t)}')
    if procedure.counter:
        c = procedure.counter
        parts.append(
            f'## {t["procedure.counter"]} {{#counter}}\n\n<dl class="koho-facts">'
            f'<dt>{escape(t["procedure.counter.department"])}</dt><dd>{escape(c["department"])}</dd>'
            f'<dt>{escape(t["procedure.counter.place"])}</dt><dd>{escape(c["place"])}</dd>'
            f'<dt>{escape(t["procedure.counter.hours"])}</dt><dd>{escape(c["hours"])}</dd></dl>'
        )
    parts.append(f'## {t["procedure.contact"]} {{#contact}}\n\n{contact_html(procedure.contact, t)}')
    if procedure.other_ways:
        ways = "".join(f"<li>{escape(t[f'procedure.way.{w}'])}</li>" for w in procedure.other_ways)
        parts.append(f'## {t["procedure.other_ways"]} {{#other-ways}}\n\n<ul>{ways}</ul>')
    checked = t["procedure.updated"].format(date=f"{procedure.updated:%Y-%m-%d}")
    parts.append(f'<p class="koho-procedure__updated">{escape(checked)}</p>')
    return "\n\n".join(parts) + "\n\n"


def _step_html(step: Step, t: dict[str, str]) -> str:
    where = (f'<span class="koho-where koho-where--{step.where}">{escape(t[f"procedure.where.{step.where}"])}'
             f"</span> " if step.where else "")
    text = escape(step.text or t["procedure.step.link"])
    body = f'<a href="{escape(step.link)}">{text}</a>' if step.link else text
    return f"{where}{body}"


def steps_html(steps: tuple[Step, ...], t: dict[str, str]) -> str:
    items = []
    for step in steps:
        html = _step_html(step, t)
        if step.alternatives:
            alternatives = "".join(f'<li><span class="koho-or">{escape(t["procedure.or"])}</span> '
                                   f"{_step_html(alt, t)}</li>" for alt in step.alternatives)
            html += f'<ul class="koho-steps__or">{alternatives}</ul>'
        items.append(f"<li>{html}</li>")
    return f'<ol class="koho-steps">{"".join(items)}</ol>'


def checklist_html(procedure: Procedure, t: dict[str, str]) -> str:
    if not procedure.documents:
        return f"<p>{escape(t['procedure.documents.none'])}</p>"
    items = "".join(
        f'<li><label><input type="checkbox" name="document-{index}"> {escape(document)}</label></li>'
        for index, document in enumerate(procedure.documents, start=1)
    )
    return (f'<div class="koho-checklist"><p class="koho-checklist__title">'
            f'{escape(t["procedure.checklist"].format(title=procedure.title))}</p>'
            f'<ul class="koho-checklist__items">{items}</ul></div>')


def contact_html(contact: dict, t: dict[str, str]) -> str:
    rows = []
    if contact.get("phone"):
        phone = contact["phone"]
        rows.append(f'<dt>{escape(t["procedure.contact.phone"])}</dt>'
                    f'<dd><a href="tel:{escape(phone.replace("-", ""))}">{escape(phone)}</a></dd>')
    if contact.get("email"):
        mail = contact["email"]
        rows.append(f'<dt>{escape(t["procedure.contact.email"])}</dt>'
                    f'<dd><a href="mailto:{escape(mail)}">{escape(mail)}</a></dd>')
    return f'<dl class="koho-facts">{"".join(rows)}</dl>'


def in_language(procedures: list[Procedure], locale: str, default_locale: str
                ) -> list[tuple[Procedure, bool]]:
    """Every procedure as a language shows it: its translation, or the original (False)."""
    translated = {p.relative: p for p in procedures if p.locale == locale}
    chosen = [(translated.get(p.relative, p), p.relative in translated)
              for p in procedures if p.locale == default_locale]
    return sorted(chosen, key=lambda pair: pair[0].title)


def render_index(procedures: list[tuple[Procedure, bool]], url_prefix: str, page_url: str,
                 t: dict[str, str], life_events: dict[str, dict[str, str]], locale: str,
                 original_tag: str) -> str:
    """Procedures grouped by life event; works without JavaScript, filters with it."""
    options = "".join(f'<option value="{slug}">{escape(names.get(locale, names["ja"]))}</option>'
                      for slug, names in life_events.items())
    form = (f'<form class="koho-procedure-filter" hidden>'
            f'<label>{escape(t["procedure.filter.event"])} <select name="event">'
            f'<option value="">{escape(t["procedure.filter.all"])}</option>{options}</select></label> '
            f'<label><input type="checkbox" name="online"> {escape(t["procedure.filter.online"])}'
            f'</label> <button type="submit" class="md-button">{escape(t["procedure.filter.apply"])}</button>'
            f"</form>")
    groups = []
    for slug, names in life_events.items():
        members = [pair for pair in procedures if slug in pair[0].life_events]
        if not members:
            continue
        items = "".join(_index_item(p, translated, url_prefix, page_url, t, original_tag)
                        for p, translated in members)
        groups.append(f'<section class="koho-procedure-group" data-event="{slug}">'
                      f'<h2 id="{slug}">{escape(names.get(locale, names["ja"]))}</h2>'
                      f'<ul class="koho-procedure-list">{items}</ul></section>')
    return form + "".join(groups)


def _index_item(procedure: Procedure, translated: bool, url_prefix: str, page_url: str,
                t: dict[str, str], original_tag: str) -> str:
    href = get_relative_url(url_prefix + procedure.relative.removesuffix(".md") + "/", page_url)
    lang = "" if translated else f' lang="{original_tag}"'
    online = (f' <strong class="koho-flag koho-flag--online">{escape(t["procedure.online.badge"])}</strong>'
              if procedure.online else "")
    sample = (f' <span class="koho-flag koho-flag--sample">{escape(t["notices.sample"])}</span>'
              if procedure.sample else "")
    return (f'<li data-online="{"yes" if procedure.online else "no"}">'
            f'<a class="koho-procedure-list__title" href="{escape(href)}"{lang}>'
            f"{escape(procedure.title)}</a>{online}{sample}<br>"
            f"<span{lang}>{escape(procedure.summary)}</span></li>")
