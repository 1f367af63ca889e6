"""WCAG 2.1 A and AA, as axe-core checks them, on the reporter's pages in light and dark."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import outbox_rows

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => ({
      target: node.target.join(' '),
      html: node.html,
      summary: node.failureSummary,
    })),
  }));
}"""


TEXT_LIGHTNESS = """() => {
  const [r, g, b] = getComputedStyle(document.body).color.match(/\\d+/g).map(Number);
  return (r + g + b) / 3;
}"""


def assert_colour_scheme(page, scheme: str) -> None:
    """Check that the page follows the scheme: light text on dark, or dark text on light."""
    lightness = page.evaluate(TEXT_LIGHTNESS)
    assert lightness > 128 if scheme == "dark" else lightness < 128, (scheme, lightness)


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page (evaluated, since the CSP refuses an injected script tag)."""
    page.evaluate(AXE.read_text())
    return page.evaluate(RUN_AXE, WCAG_21_AA)


def explain(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def test_axe_finds_violations_on_a_broken_page(page):
    page.set_content(
        "<!doctype html><html lang='sv'><title>Trasig</title>"
        "<main><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='><input type='text'></main>"
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "label"} <= found, json.dumps(found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reporter_pages_meet_wcag_21_aa(page, reporter_with_outbox, scheme):
    page.emulate_media(color_scheme=scheme)
    for path in ("/rapport/ny", "/mina-rapporter"):
        page.goto(path)
        if path == "/mina-rapporter":
            expect(outbox_rows(page)).to_have_count(2)
        assert_colour_scheme(page, scheme)
        violations = axe_violations(page)
        assert not violations, f"{path} in {scheme}:\n{explain(violations)}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_login_page_meets_wcag_21_aa(page, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto("/login")
    assert_colour_scheme(page, scheme)
    violations = axe_violations(page)
    assert not violations, f"/login in {scheme}:\n{explain(violations)}"


PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def test_reporter_pages_reflow_at_320_px(page, reporter_with_outbox):
    """WCAG 1.4.10: at 320 CSS px nothing needs sideways scrolling."""
    page.set_viewport_size({"width": 320, "height": 700})
    too_wide = {}
    for path in ("/rapport/ny", "/mina-rapporter"):
        page.goto(path)
        if path == "/mina-rapporter":
            expect(outbox_rows(page)).to_have_count(2)
        width = page.evaluate(PAGE_WIDTH)
        if width > 320:
            too_wide[path] = width
    assert not too_wide, f"pages wider than the screen: {too_wide}"
