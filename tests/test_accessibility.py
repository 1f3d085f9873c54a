"""The accessibility audit (`make a11y`, tests/a11y_audit.py) and its results page.

The audit itself runs axe-core, pa11y-ci, Lighthouse and the browser checks over every
page; these tests show that its parts can fail and that the build shows its results."""

from __future__ import annotations

import json

import pytest
from a11y_audit import AXE, Tally, is_ignored, read_pa11y_report
from conftest import ROOT
from koho import a11y_report

URLS = ["http://127.0.0.1:1/", "http://127.0.0.1:1/en/"]


def pa11y_tally(report: dict | str) -> Tally:
    tally = Tally("pa11y", "pa11y-ci", "test")
    read_pa11y_report(report if isinstance(report, str) else json.dumps(report), URLS, 375, tally)
    return tally


def test_a_page_that_pa11y_could_not_load_is_a_problem_even_when_it_exits_0():
    tally = pa11y_tally({"total": 2, "errors": 0, "results": {
        URLS[0]: [], URLS[1]: [{"message": "net::ERR_CONNECTION_REFUSED"}]}})
    assert tally.problems == [f"{URLS[1]} at 375 px: pa11y could not test it: net::ERR_CONNECTION_REFUSED"]


def test_a_page_missing_from_the_report_or_no_report_at_all_is_a_problem():
    assert len(pa11y_tally({"results": {URLS[0]: []}}).problems) == 1
    assert "no JSON report" in pa11y_tally("Error: could not launch Chrome").problems[0]


def test_only_the_listed_rule_on_the_listed_element_is_ignored():
    search = {"code": "WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2", "runner": "htmlcs",
              "context": '<form class="md-search__form" name="search">'}
    other_form = {**search, "context": '<form class="koho-procedure-filter">'}
    assert is_ignored(search)
    assert not is_ignored(other_form)
    tally = pa11y_tally({"results": {URLS[0]: [search], URLS[1]: [other_form]}})
    assert len(tally.problems) == 1 and "H32.2" in tally.problems[0]
    assert tally.criteria == {"3.2.2": 1}


def test_criteria_are_read_from_axe_tags_and_htmlcs_codes():
    assert a11y_report.criterion_of_axe_tag("wcag143") == "1.4.3"
    assert a11y_report.criterion_of_axe_tag("wcag1410") == "1.4.10"
    assert a11y_report.criterion_of_axe_tag("wcag21aa") is None
    code = "WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Fail"
    assert a11y_report.criterion_of_htmlcs_code(code) == "1.4.3"
    assert len(a11y_report.criteria()) == 56


def test_results_file_from_the_last_run_is_complete():
    results = a11y_report.load(ROOT / a11y_report.RESULTS_FILE)
    assert results is not None, "run make a11y"
    assert {tool["id"] for tool in results["tools"]} == {"axe", "pa11y", "lighthouse", "browser"}
    assert len(results["pages"]) > 150
    assert {"/", "/en/", "/zh/", "/ko/", "/ja-easy/"} <= set(results["pages"])


@pytest.mark.parametrize("locale, prefix", [("ja", ""), ("en", "en/"), ("zh", "zh/"), ("ko", "ko/"),
                                            ("ja-easy", "ja-easy/")])
def test_results_page_shows_the_last_run_in_every_language(site, locale, prefix):
    results = a11y_report.load(ROOT / a11y_report.RESULTS_FILE)
    page = (site.path / prefix / "accessibility" / "results" / "index.html").read_text("utf-8")
    for tool in results["tools"]:
        assert tool["name"] in page
    assert page.count('<li><a href="../../') == len(results["pages"])
    assert page.count("<td>2.4.7</td>") == 1 and page.count("<td>1.2.2</td>") == 1
    assert "koho:a11y-results" not in page


@pytest.mark.browser
def test_axe_catches_a_contrast_failure(browser, site):
    """axe-core can fail: a page made to break contrast is reported."""
    page = browser.new_page()
    page.goto(site.url)
    page.add_style_tag(content=".md-typeset p { color: #bbbbbb !important; }")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: "rule", values: ["color-contrast"]}}))
            .violations.map(v => v.id)"""
    )
    assert found == ["color-contrast"]
    page.close()
