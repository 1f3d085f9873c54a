"""axe-core in a real Chromium: WCAG 2.0–2.2 A and AA rules plus best practices,
on every page of every language, at phone and desktop widths."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VIEWPORTS = {"phone": {"width": 375, "height": 667}, "desktop": {"width": 1280, "height": 800}}


def every_page(site) -> list[str]:
    sitemap = (site.path / "sitemap.xml").read_text("utf-8")
    pages = sorted(set(re.findall(r"<loc>([^<]+)</loc>", sitemap)))
    not_found = [f"{site.url}{prefix}404.html" for prefix in ("", "en/", "zh/", "ko/", "ja-easy/")]
    return pages + not_found


def violations(page, url: str) -> list[str]:
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async tags => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}})
            return result.violations.map(v =>
                `${v.id}: ${v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", ")}`)
        }""",
        TAGS,
    )
    return [f"{url} {item}" for item in found]


@pytest.mark.parametrize("width", VIEWPORTS)
def test_no_axe_violation_on_any_page(browser, site, width):
    assert AXE.exists(), "axe-core is missing: run 'make test' (npm ci)"
    context = browser.new_context(viewport=VIEWPORTS[width])
    page = context.new_page()
    pages = every_page(site)
    found = [item for url in pages for item in violations(page, url)]
    context.close()
    print(f"axe: {len(pages)} pages checked at {width} width")
    assert found == []


def test_axe_catches_a_contrast_failure(browser, site):
    """The check can fail: a page made to break contrast is reported."""
    page = browser.new_page()
    page.goto(site.url)
    page.add_style_tag(content=".md-typeset p { color: #bbbbbb !important; }")
    assert any("color-contrast" in item for item in violations_after_style(page))
    page.close()


def violations_after_style(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: "rule", values: ["color-contrast"]}}))
            .violations.map(v => v.id)"""
    )
