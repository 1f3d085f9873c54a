"""Open data (オープンデータ): the records the build already holds — notices, events,
procedures, the glossary and the list of pages with their languages — as data sets
under /opendata/ (one place for every language), each as CSV and JSON, with a
machine-readable catalog (DCAT as JSON-LD) and a catalog page per language.

The data sets and their columns are defined once in opendata.yml; the events data set
follows the national standard's column list kept there with its source. A record is a
dict of plain JSON values (ISO 8601 text for dates), so one record reads back the same
from the CSV (`read_csv`) and from the JSON (`read_json`).

CSV files are UTF-8 *with* a byte order mark: Excel, which many people in Japan open CSV
with, reads a CSV without one as Shift_JIS and garbles every Japanese word; Python
(encoding "utf-8-sig"), pandas and R skip the mark. Lines end in CRLF (RFC 4180).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import events as event_records
from . import furigana
from .glossary import GLOSSARY_FILE, parse_glossary
from .templates import relative_url

if TYPE_CHECKING:
    from .content import SourcePage
    from .languages import Language
    from .notices import Notice
    from .procedures import Procedure, Step
    from .settings import Settings
    from .templates import Templates

DEFINITIONS_FILE = Path(__file__).with_name("opendata.yml")
DATA_DIR = "opendata"  # below the site root: one folder for every language
CATALOG_PAGE = "opendata/index.md"  # each language's catalog page, below its docs folder
CATALOG_FILE = "catalog.jsonld"
CATALOG_MARKER = re.compile(r"<!--\s*koho:opendata\s*-->")
CSV_ENCODING = "utf-8-sig"  # UTF-8 with a byte order mark, for Excel (see above)
DATASET_IDS = ("notices", "events", "procedures", "glossary", "pages")
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string, text, integer, number, boolean, datetime, date, time, url, lines, json
    lang: str | None  # text columns: "row", "content" or a language tag
    meaning: Mapping[str, str]  # "ja" / "en" -> what the column holds


@dataclass(frozen=True)
class Standard:
    id: str
    name: str
    publisher: str
    url: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Dataset:
    id: str
    columns: tuple[Column, ...]
    records: tuple[dict[str, Any], ...]
    standard: Standard | None = None

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


@dataclass(frozen=True)
class Sources:
    """What the build already holds, as the data sets are made from it."""
    settings: Settings
    notices: list[Notice]
    procedures: list[Procedure]
    pages: list[SourcePage]
    site_names: Mapping[str, str]  # locale -> the site's name in that language


# -- definitions ---------------------------------------------------------------------

@cache
def definitions() -> dict[str, Any]:
    return yaml.safe_load(DEFINITIONS_FILE.read_text(encoding="utf-8"))


def _columns(specs: list[dict]) -> tuple[Column, ...]:
    return tuple(Column(spec["name"], spec["type"], spec.get("lang"),
                        {"ja": spec.get("ja", ""), "en": spec.get("en", "")}) for spec in specs)


def standard(standard_id: str) -> Standard:
    spec = definitions()["standards"][standard_id]
    return Standard(standard_id, spec["name"], spec["publisher"], spec["url"], _columns(spec["columns"]))


def columns_of(dataset_id: str) -> tuple[Column, ...]:
    spec = definitions()["datasets"][dataset_id]
    if "standard" in spec:
        return standard(spec["standard"]).columns
    return _columns(spec["columns"])


def standard_of(dataset_id: str) -> Standard | None:
    spec = definitions()["datasets"][dataset_id]
    return standard(spec["standard"]) if "standard" in spec else None


# -- records -------------------------------------------------------------------------

def _iso(moment: dt.date | dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def absolute_url(site_url: str, url: str) -> str:
    """A site-relative URL ("en/notices/") on the site's address, or from its root."""
    return f"{site_url.rstrip('/')}/{url}" if site_url else f"/{url}"


def page_url(relative: str, url_prefix: str) -> str:
    """The built page's site-relative URL of a Markdown file below a language folder."""
    stem = relative.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index").rstrip("/")
    return f"{url_prefix}{stem}/" if stem else url_prefix


def _order(settings: Settings) -> dict[str, int]:
    return {locale: index for index, locale in enumerate(settings.locales)}


def notice_records(sources: Sources) -> list[dict[str, Any]]:
    order = _order(sources.settings)
    chosen = sorted(sources.notices, key=lambda n: (n.date, n.identity, order.get(n.locale, 99)))
    return [{
        "id": n.identity, "language": n.locale, "url": absolute_url(sources.settings.site_url, n.url),
        "title": n.title, "summary": n.summary, "category": n.category, "date": _iso(n.date),
        "updated": _iso(n.updated), "expires": _iso(n.expires), "emergency": n.emergency,
        "change": n.change, "sample": n.sample,
        "event": event_records.as_json(n.event) if n.event else None, "body": n.body,
    } for n in chosen]


def event_records_of(sources: Sources) -> list[dict[str, Any]]:
    """One row per event notice of the default language, in the standard's columns;
    the columns Koho holds no fact for stay empty."""
    settings = sources.settings
    default = settings.default_language.locale
    tz = settings.timezone
    english = [lang.locale for lang in settings.languages if lang.tag.split("-")[0] == "en"]
    titles_en = {n.identity: n.title for n in sources.notices if english and n.locale == english[0]}
    names = settings.opendata
    municipality = names.municipality_name(default, default, sources.site_names.get(default, ""))
    rows = []
    chosen = [n for n in sources.notices if n.locale == default and n.event is not None]
    for notice in sorted(chosen, key=lambda n: (n.event.start, n.identity)):
        event = notice.event
        start_day, start_time = event_records.day_and_time(event.start, tz)
        end_day, end_time = event_records.day_and_time(event.end, tz, is_end=True) if event.end \
            else (None, None)
        deadline_day, deadline_time = event_records.day_and_time(event.deadline, tz, is_end=True) \
            if event.deadline else (None, None)
        row: dict[str, Any] = dict.fromkeys(columns_names("events"))
        row.update({
            "全国地方公共団体コード": names.municipality_code, "ID": notice.identity,
            "地方公共団体名": municipality or None, "イベント名": notice.title,
            "イベント名_英語": titles_en.get(notice.identity),
            "開始日": _iso(start_day), "終了日": _iso(end_day),
            "開始時間": _clock(start_time), "終了時間": _clock(end_time),
            "説明": notice.summary, "料金(基本)": event.fee,
            "連絡先名称": event.contact_name, "連絡先電話番号": event.contact_phone,
            "主催者": event.organiser, "場所名称": event.place, "住所": event.address,
            "定員": event.capacity, "参加申込終了日": _iso(deadline_day),
            "参加申込終了時間": _clock(deadline_time), "参加申込方法": event.apply,
            "URL": absolute_url(settings.site_url, notice.url),
        })
        rows.append(row)
    return rows


def columns_names(dataset_id: str) -> list[str]:
    return [column.name for column in columns_of(dataset_id)]


def _clock(moment: dt.time | None) -> str | None:
    return f"{moment.hour:02d}:{moment.minute:02d}" if moment else None


def _step(step: Step) -> dict[str, Any]:
    record: dict[str, Any] = {"text": step.text, "link": step.link, "where": step.where}
    if step.alternatives:
        record["or"] = [_step(alternative) for alternative in step.alternatives]
    return record


def procedure_records(sources: Sources) -> list[dict[str, Any]]:
    order = _order(sources.settings)
    site_url = sources.settings.site_url
    chosen = sorted(sources.procedures, key=lambda p: (p.relative, order.get(p.locale, 99)))
    records = []
    for p in chosen:
        counter = p.counter or {}
        records.append({
            "id": p.relative.removesuffix(".md"), "language": p.locale, "url": absolute_url(site_url, p.url),
            "title": p.title, "summary": p.summary, "who": p.who, "when": p.when,
            "life_events": list(p.life_events), "online": p.online, "mynumber_card": p.mynumber_card,
            "fee_amount": p.fee_amount, "fee_free": p.fee_amount is None, "payment": list(p.payment),
            "documents": list(p.documents), "steps": [_step(step) for step in p.steps],
            "counter_department": counter.get("department"), "counter_place": counter.get("place"),
            "counter_hours": counter.get("hours"), "contact_phone": p.contact.get("phone"),
            "contact_email": p.contact.get("email"), "other_ways": list(p.other_ways),
            "updated": _iso(p.updated), "sample": p.sample,
        })
    return records


def reading(term: str) -> str:
    """The reading of a Japanese term: its kanji in hiragana (by SudachiPy), the rest as written."""
    return "".join(segment.reading or segment.text for segment in furigana.segments(term))


def glossary_records(sources: Sources) -> list[dict[str, Any]]:
    """Each language's own glossary entries (a language without its own glossary has none)."""
    settings = sources.settings
    records = []
    for lang in settings.languages:
        page = next((p for p in sources.pages if p.locale == lang.locale and p.relative == GLOSSARY_FILE),
                    None)
        if page is None:
            continue
        japanese = lang.tag.split("-")[0] == "ja"
        url = absolute_url(settings.site_url, page_url(GLOSSARY_FILE, lang.url_prefix))
        for entry in parse_glossary(page.body):
            records.append({"id": entry.id, "language": lang.locale, "term": entry.term,
                            "reading": reading(entry.term) if japanese else None,
                            "definition": entry.definition, "url": f"{url}#{entry.id}"})
    return records


def page_records(sources: Sources) -> list[dict[str, Any]]:
    """Every page of the default language, once per language, and whether it is translated."""
    settings = sources.settings
    default = settings.default_language.locale
    by_key = {(p.locale, p.relative): p for p in sources.pages}
    records = []
    for original in sorted((p for p in sources.pages if p.locale == default), key=lambda p: p.relative):
        for lang in settings.languages:
            own = by_key.get((lang.locale, original.relative))
            shown = own or original
            records.append({
                "path": original.relative, "language": lang.locale, "translated": own is not None,
                "content_language": shown.locale, "title": shown.values.get("title"),
                "page_type": original.page_type,
                "url": absolute_url(settings.site_url, page_url(original.relative, lang.url_prefix)),
            })
    return records


def build_datasets(sources: Sources) -> tuple[Dataset, ...]:
    made = {
        "notices": notice_records(sources), "events": event_records_of(sources),
        "procedures": procedure_records(sources), "glossary": glossary_records(sources),
        "pages": page_records(sources),
    }
    datasets = []
    for dataset_id in DATASET_IDS:
        columns = columns_of(dataset_id)
        names = [column.name for column in columns]
        for record in made[dataset_id]:
            if list(record) != names:  # a record must have exactly the defined columns, in order
                raise ValueError(f"{dataset_id}: record columns {list(record)} differ from {names}")
        datasets.append(Dataset(dataset_id, columns, tuple(made[dataset_id]), standard_of(dataset_id)))
    return tuple(datasets)


# -- files ---------------------------------------------------------------------------

def to_cell(value: Any, kind: str) -> str:
    """A JSON value as CSV text: empty for none, true/false, one list item per line,
    nested records as JSON."""
    if value is None:
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "lines":
        return "\n".join(value)
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def from_cell(text: str, kind: str) -> Any:
    """The JSON value of a CSV cell (to_cell's inverse)."""
    if kind == "lines":
        return text.split("\n") if text else []
    if text == "":
        return None
    if kind == "boolean":
        return {"true": True, "false": False}[text]
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "json":
        return json.loads(text)
    return text


def csv_bytes(dataset: Dataset) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(dataset.column_names)
    for record in dataset.records:
        writer.writerow([to_cell(record[c.name], c.type) for c in dataset.columns])
    return buffer.getvalue().encode(CSV_ENCODING)


def json_bytes(dataset: Dataset, modified: dt.datetime, licence_url: str) -> bytes:
    document = {"dataset": dataset.id, "modified": modified.isoformat(), "license": licence_url,
                "columns": dataset.column_names, "records": list(dataset.records)}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def read_csv(path: Path, dataset_id: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The header and the records of a data set's CSV file, as JSON values."""
    kinds = {column.name: column.type for column in columns_of(dataset_id)}
    with path.open(encoding=CSV_ENCODING, newline="") as file:
        rows = list(csv.reader(file))
    header = rows[0]
    return header, [{name: from_cell(cell, kinds[name]) for name, cell in zip(header, row, strict=True)}
                    for row in rows[1:]]


def read_json(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["records"]


def file_name(dataset_id: str, kind: str) -> str:
    return f"{dataset_id}.{kind}"


def write(folder: Path, datasets: Iterable[Dataset], sources: Sources, modified: dt.datetime) -> list[Path]:
    """Write every data set as CSV and JSON, and the DCAT catalog, into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    licence_url = sources.settings.opendata.licence_url
    sizes: dict[str, int] = {}
    written = []
    for dataset in datasets:
        for kind, data in (("csv", csv_bytes(dataset)), ("json", json_bytes(dataset, modified, licence_url))):
            path = folder / file_name(dataset.id, kind)
            path.write_bytes(data)
            sizes[path.name] = len(data)
            written.append(path)
    catalog = catalog_jsonld(list(datasets), sources, modified, sizes)
    path = folder / CATALOG_FILE
    path.write_text(json.dumps(catalog, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [*written, path]


# -- the catalog ---------------------------------------------------------------------

def has_catalog_page(sources: Sources) -> bool:
    default = sources.settings.default_language.locale
    return any(p.locale == default and p.relative == CATALOG_PAGE for p in sources.pages)


def _each_language(settings: Settings, text: Any) -> list[dict[str, str]]:
    """[{"@value": ..., "@language": tag}] for each language, from text(locale)."""
    values, seen = [], set()
    for lang in settings.languages:
        value = text(lang)
        if value and (value, lang.tag) not in seen:
            seen.add((value, lang.tag))
            values.append({"@value": value, "@language": lang.tag})
    return values


def attribution(sources: Sources, locale: str) -> str:
    settings = sources.settings
    default = settings.default_language.locale
    configured = settings.opendata.attribution
    if configured.get(locale) or configured.get(default):
        return configured.get(locale) or configured[default]
    publisher = settings.opendata.publisher_name(locale, default, sources.site_names.get(locale, ""))
    return settings.strings(locale)["opendata.attribution.default"].format(
        publisher=publisher, licence=settings.opendata.licence_name)


def catalog_jsonld(datasets: list[Dataset], sources: Sources, modified: dt.datetime,
                   sizes: Mapping[str, int]) -> dict[str, Any]:
    """The data sets as a DCAT catalog in JSON-LD: titles and descriptions in every
    language, the publisher and licence from the site's settings, one distribution per file."""
    settings = sources.settings
    opendata = settings.opendata
    default = settings.default_language.locale
    base = absolute_url(settings.site_url, f"{DATA_DIR}/")

    def strings(lang: Language) -> dict[str, str]:
        return settings.strings(lang.locale)

    def publisher_of(lang: Language) -> str:
        return opendata.publisher_name(lang.locale, default, sources.site_names.get(lang.locale, ""))

    def translated(key: str) -> list[dict[str, str]]:
        return _each_language(settings, lambda lang: strings(lang)[key])

    publisher: dict[str, Any] = {"@type": "foaf:Organization",
                                 "foaf:name": _each_language(settings, publisher_of)}
    if opendata.municipality_code:
        publisher["dct:identifier"] = opendata.municipality_code
    if opendata.publisher_url:
        publisher["foaf:homepage"] = {"@id": opendata.publisher_url}
    licence = {"@id": opendata.licence_url}
    stamp = {"@value": modified.isoformat(), "@type": "xsd:dateTime"}
    rights = _each_language(settings, lambda lang: attribution(sources, lang.locale))
    entries = []
    for dataset in datasets:
        distributions = []
        for kind in ("csv", "json"):
            name = file_name(dataset.id, kind)
            distribution: dict[str, Any] = {
                "@type": "dcat:Distribution", "dct:title": name,
                "dcat:downloadURL": {"@id": base + name}, "dcat:accessURL": {"@id": base + name},
                "dcat:mediaType": MEDIA_TYPES[kind], "dct:format": kind.upper(), "dct:license": licence,
            }
            if name in sizes:
                distribution["dcat:byteSize"] = {"@value": str(sizes[name]),
                                                 "@type": "xsd:nonNegativeInteger"}
            distributions.append(distribution)
        entry: dict[str, Any] = {
            "@id": f"{base}{CATALOG_FILE}#{dataset.id}", "@type": "dcat:Dataset",
            "dct:identifier": dataset.id,
            "dct:title": translated(f"opendata.{dataset.id}.title"),
            "dct:description": translated(f"opendata.{dataset.id}.description"),
            "dct:publisher": publisher, "dct:license": licence, "dct:rights": rights,
            "dct:modified": stamp, "dcat:distribution": distributions,
        }
        if has_catalog_page(sources):
            entry["dcat:landingPage"] = {"@id": f"{base}#{dataset.id}"}
        if dataset.standard:
            entry["dct:conformsTo"] = {"@id": dataset.standard.url, "dct:title": dataset.standard.name}
        entries.append(entry)
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/", "xsd": "http://www.w3.org/2001/XMLSchema#"},
        "@id": base + CATALOG_FILE, "@type": "dcat:Catalog",
        "dct:title": _each_language(settings, lambda lang: strings(lang)["opendata.catalog.title"].format(
            publisher=publisher_of(lang))),
        "dct:publisher": publisher, "dct:license": licence, "dct:rights": rights, "dct:modified": stamp,
        "foaf:homepage": {"@id": base}, "dcat:dataset": entries,
    }


def _meaning(column: Column, lang_tag: str) -> tuple[str, str | None]:
    """The column's meaning in the page's language if Koho has it (ja, en), else in English."""
    base_language = lang_tag.split("-")[0]
    if base_language in column.meaning and column.meaning[base_language]:
        return column.meaning[base_language], None
    return column.meaning["en"], "en"


def _language_label(column: Column, t: dict[str, str]) -> str:
    if column.lang == "row":
        return t["opendata.column.lang.row"]
    if column.lang == "content":
        return t["opendata.column.lang.content"]
    return column.lang or t["opendata.column.lang.none"]


def render_catalog(templates: Templates, datasets: Iterable[Dataset], sources: Sources, lang: Language,
                   page: str, t: dict[str, str], modified: dt.datetime) -> str:
    """The catalog page's content (Markdown headings over partials) in one language;
    `page` is the page's site-relative URL."""
    settings = sources.settings
    opendata = settings.opendata
    default = settings.default_language.locale
    datasets = list(datasets)

    def href(name: str) -> str:
        return relative_url(f"{DATA_DIR}/{name}", page)

    parts = [templates.render(
        "opendata-catalog.html", t=t, modified=modified,
        publisher=opendata.publisher_name(lang.locale, default, sources.site_names.get(lang.locale, "")),
        municipality_code=opendata.municipality_code, licence_name=opendata.licence_name,
        licence_url=opendata.licence_url, attribution=attribution(sources, lang.locale),
        jsonld_href=href(CATALOG_FILE),
        languages=[(each.locale, each.name, each.tag) for each in settings.languages],
        dataset_links=[(d.id, t[f"opendata.{d.id}.title"]) for d in datasets],
    )]
    for dataset in datasets:
        columns = [(c.name, *_meaning(c, lang.tag), t[f"opendata.type.{c.type}"], _language_label(c, t))
                   for c in dataset.columns]
        standard_link = (dataset.standard.name, dataset.standard.url) if dataset.standard else None
        html = templates.render("opendata-dataset.html", t=t, dataset={
            "id": dataset.id, "description": t[f"opendata.{dataset.id}.description"],
            "count": len(dataset.records), "csv_href": href(file_name(dataset.id, "csv")),
            "json_href": href(file_name(dataset.id, "json")), "standard": standard_link, "columns": columns,
        })
        parts.append(f"## {t[f'opendata.{dataset.id}.title']} {{#{dataset.id}}}\n\n{html}")
    return "\n\n".join(parts) + "\n"


def render_link(templates: Templates, dataset_id: str, t: dict[str, str], lang: Language, page: str,
                with_catalog: bool) -> str:
    """The line under facts that a data set holds: its name, linking to its part of the
    catalog page in the reader's language, and its CSV and JSON files."""
    catalog = relative_url(page_url(CATALOG_PAGE, lang.url_prefix), page) + f"#{dataset_id}"
    return templates.render(
        "opendata-link.html", t=t, dataset_title=t[f"opendata.{dataset_id}.title"],
        catalog_href=catalog if with_catalog else None,
        csv_href=relative_url(f"{DATA_DIR}/{file_name(dataset_id, 'csv')}", page),
        json_href=relative_url(f"{DATA_DIR}/{file_name(dataset_id, 'json')}", page),
    )
