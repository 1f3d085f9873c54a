"""Open data (/opendata/) on the invented town: every data set reads back, from its CSV
and from its JSON, as exactly the records of the source files; the events data set has
the national standard's columns in order; CSV survives commas, quotes and newlines in
Python's csv module and in pandas; the DCAT catalog lists exactly the files there are;
a bad `event:` block is explained with file and line."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import ROOT, TOWN_LOCALES, visible_text
from koho import content, opendata
from koho.cli import read_content
from koho.glossary import parse_glossary
from koho.notices import parse_date
from koho.plugin import load_site_settings
from koho.settings import local_government_code_check_digit

TZ = dt.timezone(dt.timedelta(hours=9))
EVENT_NOTICE = "notices/2026/10-01-autumn-festival"
# イベント一覧's columns in the standard's order, as checked against the sources named in
# hooks/koho/opendata.yml: written out here too, so an edit of that list shows.
STANDARD_EVENT_COLUMNS = [
    "全国地方公共団体コード", "ID", "地方公共団体名", "イベント名", "イベント名_カナ", "イベント名_英語",
    "開始日", "終了日", "開始時間", "終了時間", "開始日時特記事項", "説明", "料金(基本)", "料金(詳細)",
    "連絡先名称", "連絡先電話番号", "連絡先内線番号", "主催者", "場所名称", "住所", "方書", "緯度", "経度",
    "アクセス方法", "駐車場情報", "定員", "参加申込終了日", "参加申込終了時間", "参加申込方法", "URL", "備考",
]


def data_dir(town) -> Path:
    return town.path / opendata.DATA_DIR


def read_back(town, dataset_id: str) -> tuple[list[str], list[dict], list[dict]]:
    """The header and records of a data set's CSV, and the records of its JSON."""
    header, from_csv = opendata.read_csv(data_dir(town) / f"{dataset_id}.csv", dataset_id)
    return header, from_csv, opendata.read_json(data_dir(town) / f"{dataset_id}.json")


def source_pages(project: Path) -> list[content.SourcePage]:
    pages, _, problems = content.read_checked(load_site_settings(project), project / "docs")
    assert problems == []
    return pages


def moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


# -- the comparisons: every record of the sources, every field --------------------------------

def notice_differences(project: Path, rows: list[dict], site_url: str) -> list[str]:
    """What differs between the notices of the source files and the notices data set
    (an empty list when each notice is there once, with every field)."""
    notices, problems = read_content(project)
    assert problems == []
    by_key = {(row["language"], row["id"]): row for row in rows}
    differences = [f"extra {key}" for key in by_key.keys() - {(n.locale, n.identity) for n in notices}]
    for notice in notices:
        row = by_key.get((notice.locale, notice.identity))
        if row is None:
            differences.append(f"missing notice {notice.locale} {notice.identity}")
            continue
        expected = {
            "url": site_url + notice.url, "title": notice.title, "summary": notice.summary,
            "category": notice.category, "date": notice.date, "updated": notice.updated,
            "expires": notice.expires, "emergency": notice.emergency, "change": notice.change,
            "sample": notice.sample, "body": notice.body,
        }
        found = {**row, "date": moment(row["date"]), "updated": moment(row["updated"]),
                 "expires": moment(row["expires"])}
        differences += [f"{notice.identity} {notice.locale} {key}: {found[key]!r} != {value!r}"
                        for key, value in expected.items() if found[key] != value]
        written = _front_matter(project, notice.path).get("event")
        if (row["event"] is None) != (written is None):
            differences.append(f"{notice.identity} {notice.locale} event: {row['event']!r}")
        elif written is not None:
            differences += _event_differences(notice.identity, written, row["event"])
    return differences


def _front_matter(project: Path, shown: str) -> dict:
    text = (project / shown).read_text("utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def _event_differences(identity: str, written: dict, exported: dict) -> list[str]:
    tz = TZ
    contact = written.get("contact", {})
    expected = {
        "start": parse_date(str(written["start"]), tz),
        "end": parse_date(str(written["end"]), tz, end_of_day=True) if "end" in written else None,
        "place": written["place"], "address": written.get("address"),
        "fee": 0 if written.get("fee") == "無料" else written.get("fee"),
        "capacity": written.get("capacity"), "apply": written.get("apply"),
        "deadline": parse_date(str(written["deadline"]), tz, end_of_day=True) if "deadline" in written
        else None,
        "organiser": written.get("organiser"),
        "contact": {key: contact.get(key) for key in ("name", "phone", "email")},
    }
    found = {**exported, "start": moment(exported["start"]), "end": moment(exported["end"]),
             "deadline": moment(exported["deadline"])}
    return [f"{identity} event.{key}: {found[key]!r} != {value!r}" for key, value in expected.items()
            if found[key] != value]


def _steps(steps: list[dict]) -> list[dict]:
    return [{"text": s.get("text"), "link": s.get("link"), "where": s.get("where"),
             **({"or": _steps(s["or"])} if s.get("or") else {})} for s in steps]


def procedure_differences(project: Path, rows: list[dict], site_url: str) -> list[str]:
    procedures = [p for p in source_pages(project) if p.page_type == "procedure"]
    by_key = {(row["language"], row["id"]): row for row in rows}
    differences = [f"extra {key}" for key in
                   by_key.keys() - {(p.locale, p.relative.removesuffix(".md")) for p in procedures}]
    for page in procedures:
        row = by_key.get((page.locale, page.relative.removesuffix(".md")))
        if row is None:
            differences.append(f"missing procedure {page.locale} {page.relative}")
            continue
        v = page.values
        counter = v.get("counter", {})
        expected = {
            "url": site_url + page.url, "title": v["title"], "summary": v["summary"], "who": v["who"],
            "when": v["when"], "life_events": v["life_events"],
            "online": None if v["online"] == "none" else v["online"], "mynumber_card": v["mynumber_card"],
            "fee_amount": None if v["fee"].get("free") else v["fee"].get("amount"),
            "fee_free": bool(v["fee"].get("free")), "payment": v["fee"].get("payment", []),
            "documents": v["documents"], "steps": _steps(v["steps"]),
            "counter_department": counter.get("department"), "counter_place": counter.get("place"),
            "counter_hours": counter.get("hours"), "contact_phone": v["contact"].get("phone"),
            "contact_email": v["contact"].get("email"), "other_ways": v.get("other_ways", []),
            "updated": v["updated"].isoformat(), "sample": v.get("sample", False),
        }
        differences += [f"{page.relative} {page.locale} {key}: {row[key]!r} != {value!r}"
                        for key, value in expected.items() if row[key] != value]
    return differences


# -- round trips -------------------------------------------------------------------------------

@pytest.mark.parametrize("dataset_id", opendata.DATASET_IDS)
def test_csv_and_json_hold_the_same_records_under_the_defined_columns(town, dataset_id):
    header, from_csv, from_json = read_back(town, dataset_id)
    assert header == opendata.columns_names(dataset_id)
    assert from_csv == from_json
    assert len(from_csv) >= 1
    raw = (data_dir(town) / f"{dataset_id}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # UTF-8 with BOM, CRLF (see catalog)
    assert not (data_dir(town) / f"{dataset_id}.json").read_bytes().startswith(b"\xef\xbb\xbf")


def test_notices_read_back_as_the_source_notices(town):
    _, from_csv, from_json = read_back(town, "notices")
    assert notice_differences(town.source, from_csv, town.url) == []
    assert notice_differences(town.source, from_json, town.url) == []


def test_procedures_read_back_as_the_source_procedures(town):
    _, from_csv, from_json = read_back(town, "procedures")
    assert procedure_differences(town.source, from_csv, town.url) == []
    assert procedure_differences(town.source, from_json, town.url) == []


def test_a_missing_notice_or_procedure_is_caught(town):
    _, notices, _ = read_back(town, "notices")
    _, procedures, _ = read_back(town, "procedures")
    gone = notices[0]
    assert notice_differences(town.source, notices[1:], town.url) == [
        f"missing notice {gone['language']} {gone['id']}"]
    changed = [{**procedures[0], "fee_amount": 999}, *procedures[2:]]
    found = procedure_differences(town.source, changed, town.url)
    assert f"missing procedure {procedures[1]['language']} {procedures[1]['id']}.md" in found
    assert any("fee_amount: 999" in line for line in found)


def test_glossary_reads_back_as_each_languages_glossary(town):
    _, rows, from_json = read_back(town, "glossary")
    assert rows == from_json
    expected = []
    for locale in TOWN_LOCALES:
        text = (town.source / "docs" / locale / "glossary.md").read_text("utf-8")
        body = text.split("---\n", 2)[2]
        expected += [(locale, e.id, e.term, e.definition) for e in parse_glossary(body)]
    assert [(r["language"], r["id"], r["term"], r["definition"]) for r in rows] == expected
    for row in rows:
        assert row["url"].startswith(town.url) and row["url"].endswith(f"glossary/#{row['id']}")
        if row["language"] == "ja":  # a reading in kana, no kanji left
            assert row["reading"] and not any("\u4e00" <= c <= "\u9fff" for c in row["reading"])
        else:
            assert row["reading"] is None
    assert {r["term"]: r["reading"] for r in rows if r["language"] == "ja"}["窓口"] == "まどぐち"


def test_pages_list_every_page_in_every_language_with_its_translation_status(town):
    _, rows, from_json = read_back(town, "pages")
    assert rows == from_json
    docs = town.source / "docs"
    originals = sorted(p.relative_to(docs / "ja").as_posix() for p in (docs / "ja").rglob("*.md"))
    expected = [(path, lang) for path in originals for lang in TOWN_LOCALES]
    assert [(r["path"], r["language"]) for r in rows] == expected
    for row in rows:
        translated = (docs / row["language"] / row["path"]).exists()
        assert row["translated"] == translated, row
        shown = row["language"] if translated else "ja"
        assert row["content_language"] == shown
        assert row["title"] == _front_matter(town.source, f"docs/{shown}/{row['path']}")["title"]
        built = town.path / row["url"].removeprefix(town.url) / "index.html"
        assert built.exists(), row["url"]
    untranslated = {r["path"] for r in rows if r["language"] == "en" and not r["translated"]}
    assert "history.md" in untranslated and "about.md" not in untranslated


# -- events: the national standard ------------------------------------------------------------

def test_the_standard_column_list_is_kept_with_its_source():
    kept = yaml.safe_load((ROOT / "hooks" / "koho" / "opendata.yml").read_text("utf-8"))
    standard = kept["standards"]["event-list"]
    assert "イベント一覧" in standard["name"] and standard["url"].startswith("https://www.digital.go.jp/")
    names = [column["name"] for column in standard["columns"]]
    assert names == STANDARD_EVENT_COLUMNS and len(set(names)) == 31
    assert standard["checked"]
    assert "NEC-FIWARE/smart-data-models" in opendata.DEFINITIONS_FILE.read_text("utf-8")
    for spec in [*standard["columns"], *(c for d in kept["datasets"].values() for c in d.get("columns", []))]:
        assert set(spec) <= {"name", "type", "lang", "ja", "en"} and spec["ja"] and spec["en"], spec


def test_events_csv_header_is_the_standards_column_list_in_order(town):
    header, rows, _ = read_back(town, "events")
    assert header == [c.name for c in opendata.standard("event-list").columns] == STANDARD_EVENT_COLUMNS
    raw = (data_dir(town) / "events.csv").read_bytes().decode("utf-8-sig")
    assert raw.split("\r\n", 1)[0] == ",".join(header)
    assert len(rows) == 1  # the town's one event notice


def test_the_event_row_holds_the_notices_facts_and_leaves_the_rest_empty(town):
    _, rows, _ = read_back(town, "events")
    row = rows[0]
    written = _front_matter(town.source, f"docs/ja/{EVENT_NOTICE}.md")
    english = _front_matter(town.source, f"docs/en/{EVENT_NOTICE}.md")
    settings = load_site_settings(town.source)
    assert row["全国地方公共団体コード"] == settings.opendata.municipality_code == "990019"
    assert (row["ID"], row["地方公共団体名"]) == (EVENT_NOTICE, "見本町")
    assert (row["イベント名"], row["イベント名_英語"]) == (written["title"], english["title"])
    assert (row["開始日"], row["開始時間"], row["終了日"], row["終了時間"]) == (
        "2026-10-25", "10:00", "2026-10-25", "15:00")
    assert row["説明"] == written["summary"] and row["料金(基本)"] == 0
    assert (row["場所名称"], row["住所"], row["参加申込方法"]) == (
        written["event"]["place"], written["event"]["address"], written["event"]["apply"])
    event = written["event"]
    assert (row["主催者"], row["連絡先名称"], row["連絡先電話番号"]) == (
        event["organiser"], event["contact"]["name"], event["contact"]["phone"])
    assert row["URL"] == f"{town.url}{EVENT_NOTICE}/"
    for column in ("イベント名_カナ", "開始日時特記事項", "料金(詳細)", "連絡先内線番号", "方書",
                   "緯度", "経度", "アクセス方法", "駐車場情報", "定員", "参加申込終了日",
                   "参加申込終了時間", "備考"):
        assert row[column] is None, column


# -- CSV with commas, quotes and newlines --------------------------------------------------------

def test_csv_fields_with_commas_quotes_and_newlines_read_back_with_csv_and_pandas(tmp_path):
    columns = (opendata.Column("id", "string", None, {}), opendata.Column("text", "text", "row", {}),
               opendata.Column("items", "lines", None, {}), opendata.Column("count", "integer", None, {}))
    records = (
        {"id": "a", "text": 'Central Park, "Lawn Square"\nsecond line', "items": ["x, y", 'say "hi"'],
         "count": 3},
        {"id": "b", "text": "中央公園、「芝生広場」\r\n二行目,", "items": [], "count": None},
        {"id": "c", "text": '"', "items": ["only"], "count": 0},
    )
    path = tmp_path / "tricky.csv"
    path.write_bytes(opendata.csv_bytes(opendata.Dataset("tricky", columns, records)))
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    kinds = {c.name: c.type for c in columns}
    assert [{k: opendata.from_cell(v, kinds[k]) for k, v in row.items()} for row in rows] == list(records)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(frame.columns) == ["id", "text", "items", "count"]
    assert frame["text"].tolist() == [r["text"] for r in records]
    assert frame["items"].tolist() == ["x, y\nsay \"hi\"", "", "only"]


def test_the_towns_csv_files_read_back_the_same_with_pandas(town):
    for dataset_id in opendata.DATASET_IDS:
        _, from_csv, _ = read_back(town, dataset_id)
        frame = pd.read_csv(data_dir(town) / f"{dataset_id}.csv", dtype=str, keep_default_na=False)
        assert list(frame.columns) == opendata.columns_names(dataset_id)  # pandas skipped the BOM
        kinds = {c.name: c.type for c in opendata.columns_of(dataset_id)}
        records = [{k: opendata.from_cell(v, kinds[k]) for k, v in row.items()}
                   for row in frame.to_dict("records")]
        assert records == from_csv, dataset_id
    cells = [cell for row in read_back(town, "notices")[1] for cell in map(str, row.values())]
    assert any("," in c for c in cells) and any('"' in c for c in cells) and any("\n" in c for c in cells)


# -- the catalog ------------------------------------------------------------------------------

def test_catalog_json_ld_lists_exactly_the_data_files_with_the_configured_licence_and_publisher(town):
    catalog = json.loads((data_dir(town) / opendata.CATALOG_FILE).read_text("utf-8"))
    assert catalog["@type"] == "dcat:Catalog" and catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    settings = load_site_settings(town.source)
    listed = set()
    for dataset in catalog["dcat:dataset"]:
        assert dataset["@type"] == "dcat:Dataset"
        assert dataset["dct:license"]["@id"] == settings.opendata.licence_url
        names = {n["@value"] for n in dataset["dct:publisher"]["foaf:name"]}
        assert names == {"見本町役場", "Mihon Town Office"}
        assert {t["@language"] for t in dataset["dct:title"]} == {"ja", "en"}
        for distribution in dataset["dcat:distribution"]:
            url = distribution["dcat:downloadURL"]["@id"]
            assert url.startswith(f"{town.url}{opendata.DATA_DIR}/")
            path = town.path / url.removeprefix(town.url)
            assert path.is_file(), url
            assert int(distribution["dcat:byteSize"]["@value"]) == path.stat().st_size
            listed.add(path.name)
    on_disk = {p.name for p in data_dir(town).iterdir() if p.suffix in (".csv", ".json")}
    assert listed == on_disk == {f"{d}.{k}" for d in opendata.DATASET_IDS for k in ("csv", "json")}
    assert catalog["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert catalog["dct:publisher"]["dct:identifier"] == "990019"
    assert {r["@value"] for r in catalog["dct:rights"]} == set(settings.opendata.attribution.values())
    events = next(d for d in catalog["dcat:dataset"] if d["dct:identifier"] == "events")
    assert events["dct:conformsTo"]["@id"] == opendata.standard("event-list").url


@pytest.mark.parametrize("locale", TOWN_LOCALES)
def test_catalog_page_describes_every_data_set_and_links_its_files(town, locale):
    relative = f"{town.prefix(locale)}opendata/"
    page = town.html(relative)
    text = visible_text(page)
    assert "CC BY 4.0" in text and "990019" in text and "BOM" in text
    for dataset_id in opendata.DATASET_IDS:
        assert f'<h2 id="{dataset_id}">' in page
        for column in opendata.columns_of(dataset_id):
            assert f"<code>{column.name}</code>" in page
    assert page.count("<table") == len(opendata.DATASET_IDS) + 1  # + the languages table
    links = re.findall(r'href="([^"]+\.(?:csv|json|jsonld))"', page)
    targets = {path for link in links
               if (path := (town.page(relative).parent / link).resolve()).parent == data_dir(town).resolve()}
    assert targets == {path.resolve() for path in data_dir(town).iterdir() if path.suffix != ".html"}


def test_pages_whose_facts_are_data_link_to_their_data_set(town):
    for relative, dataset_id in ((f"{EVENT_NOTICE}/", "events"), (f"en/{EVENT_NOTICE}/", "events"),
                                 ("procedures/resident-certificate/", "procedures"),
                                 ("glossary/", "glossary"), ("en/glossary/", "glossary")):
        page = town.html(relative)
        assert 'class="koho-opendata-link"' in page, relative
        for kind in ("csv", "json"):
            link = next(part.split('"')[0] for part in page.split('href="')
                        if part.split('"')[0].endswith(f"opendata/{dataset_id}.{kind}"))
            target = (town.page(relative).parent / link).resolve()
            assert target == (data_dir(town) / f"{dataset_id}.{kind}").resolve(), (relative, link)


def test_the_event_notice_shows_its_event_in_one_box(town):
    ja = visible_text(town.html(f"{EVENT_NOTICE}/"))
    en = visible_text(town.html(f"en/{EVENT_NOTICE}/"))
    assert "催しの詳細" in ja and "10時00分 ～ 15時00分" in ja and "無料" in ja and "中央公園" in ja
    assert "Event details" in en and "10:00 to 15:00" in en and "Free" in en and "Lawn Square" in en
    assert "Event details" not in visible_text(town.html("en/notices/2026/11-01-library-hours/"))


# -- editors' mistakes ------------------------------------------------------------------------

EVENT_NOTICE_TEXT = """---
title: 体操教室を開きます
date: 2026-11-20 09:00
category: {category}
summary: 町民体育館で体操教室を開きます。
sample: true
event:
  start: {start}
  end: {end}
  place: 町民体育館
  fee: {fee}
---

本文です。
"""


def test_bad_event_blocks_are_explained_with_file_line_and_field(town_copy, koho):
    folder = town_copy / "docs" / "ja" / "notices" / "2026"
    cases = {
        "end-before-start": ("events", "2026-12-05 10:00", "2026-12-05 09:00", 500, 9, "event.end",
                             "終わりの日時が始まりの日時より後ではありません"),
        "impossible-date": ("events", "2026-02-30 10:00", "2026-03-01 12:00", 500, 8, "event.start",
                            "日付として読めません（2026-02-30 10:00）"),
        "fee-words": ("events", "2026-12-05 10:00", "2026-12-05 12:00", "500円", 11, "event.fee",
                      "料金として読めません（500円）"),
        "fee-negative": ("events", "2026-12-05 10:00", "2026-12-05 12:00", -100, 11, "event.fee",
                         "料金として読めません（-100）"),
        "not-an-event": ("procedures", "2026-12-05 10:00", "2026-12-05 12:00", "無料", 7, "event",
                         "category: procedures; events"),
    }
    for name, (category, start, end, fee, *_) in cases.items():
        (folder / f"11-20-{name}.md").write_text(
            EVENT_NOTICE_TEXT.format(category=category, start=start, end=end, fee=fee), "utf-8")
    good = EVENT_NOTICE_TEXT.format(category="events", start="2026-12-05", end="2026-12-05", fee="無料")
    (folder / "11-20-good.md").write_text(good, "utf-8")
    result = koho(town_copy, "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    for name, (*_, line, field, words) in cases.items():
        prefix = f"docs/ja/notices/2026/11-20-{name}.md:{line}: {field}: "
        found = [entry for entry in lines if entry.startswith(prefix)]
        assert len(found) == 1 and words in found[0] and "; " in found[0], (name, lines)
    assert not any("11-20-good.md" in entry for entry in lines)
    assert f"{len(cases)} 件の問題があります。" in result.stderr
    english = koho(town_copy, "check", "--lang", "en").stderr
    assert "11-20-fee-words.md:11: event.fee: not a fee (500円); write the amount in yen" in english


# -- the municipality's identity --------------------------------------------------------------

def test_local_government_codes_and_akirunos_settings():
    for code in ("132284", "131016", "011002", "132012"):  # Akiruno, Chiyoda, Sapporo, Hachioji
        assert local_government_code_check_digit(code[:5]) == int(code[5]), code
    akiruno = load_site_settings(ROOT).opendata
    assert akiruno.municipality_code == "132284"
    assert akiruno.municipality_name("ja", "ja") == "あきる野市"
    assert akiruno.licence_name == "CC BY 4.0"
    assert akiruno.licence_url == "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.parametrize(("old", "new", "words"), [
    ('code: "990019"', 'code: "990010"',
     "municipality.code: '990010' has a wrong check digit; expected 990019"),
    ('code: "990019"', "code: 990019", "municipality.code: found 990019; write the 6-digit code in quotes"),
    ('code: "990019"', 'code: "99001"', "municipality.code: '99001' is not a 全国地方公共団体コード"),
    ("names: {ja: 見本町, en: Mihon Town}", "names: {ja: 見本町, fr: Mihon}",
     "municipality.names: unknown language 'fr'"),
    ("      opendata:\n", "      opendata:\n        licence_link: x\n", "unknown setting 'licence_link'"),
])
def test_bad_opendata_settings_name_the_key(town_copy, koho, caplog, old, new, words):
    config = town_copy / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), "utf-8")
    result = koho(town_copy, "check")
    assert result.returncode != 0
    shown = result.stderr + caplog.text  # MkDocs logs its own config errors
    assert f"plugins.koho.{words}" in shown or words in caplog.text, shown


# -- in a real browser ------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize(("path", "lang"), [("opendata/", "ja"), ("en/opendata/", "en"),
                                            (f"{EVENT_NOTICE}/", "ja")])
def test_catalog_and_event_pages_reflow_and_pass_the_browser_checks(browser, town, path, lang):
    from a11y_checks import languages, overflow, target_size, text_200

    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(town.url + path)
    assert overflow(page, 320) + target_size(page) + languages(page, lang) == []
    page.set_viewport_size({"width": 640, "height": 800})
    assert text_200(page, 640) == []
    page.close()
