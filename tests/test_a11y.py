"""WCAG 2.1 A and AA on every page, in a real Chromium, by axe-core (the npm package, installed by `make test`):
as a public visitor, in projector mode, and as a data steward; no rule disabled, no element excluded. Each page
also loads without a failed request (no 404) and without a console error, and each of its charts has a table
alternative."""
from __future__ import annotations

import json
import re

import pytest

from tests.browser_support import PROJECT_DIR, on_localhost, sign_in, wait_idle

pytestmark = pytest.mark.browser

AXE = PROJECT_DIR / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = ["/", "/scorecard", "/explorer", "/results-chain", "/present", "/management", "/membership", "/workforce", "/workforce-gender",
         "/workforce-geography", "/workforce-field", "/workforce-hr"]
#: Where the "incomplete" results (what axe-core could not decide, mostly text over charts) are written.
INCOMPLETE = PROJECT_DIR / "artifacts" / "axe-incomplete.json"

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  const brief = (list) => list.map(r => ({id: r.id, impact: r.impact, nodes: r.nodes.map(n => n.target.join(' '))}));
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]').length;
  const tables = [...document.querySelectorAll('[data-testid="stExpander"]')]
    .filter(e => e.querySelector('summary').innerText.includes('Table of this chart')).length
    + document.querySelectorAll('div[class*="st-key-sr-only"]').length;
  return {violations: brief(result.violations), incomplete: brief(result.incomplete), charts, tables};
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.is_file(), f"{AXE} is missing: `make test` installs it (npm install in tests/a11y)"
    return AXE.read_text()


@pytest.fixture(scope="module")
def incomplete():
    found: dict[str, list] = {}
    yield found
    INCOMPLETE.parent.mkdir(parents=True, exist_ok=True)
    INCOMPLETE.write_text(json.dumps(found, indent=1))


def watch_failures(page) -> list:
    """Every answer of 400 or more and every console error of ``page``, as they come (the front end's probes
    of ``/<page>/_stcore/health`` and ``host-config`` were two 404s on every page load)."""
    failures: list = []
    page.on("response", lambda r: failures.append((r.status, r.url)) if r.status >= 400 else None)
    page.on("console", lambda m: failures.append((m.type, m.text)) if m.type == "error" else None)
    return failures


def audit(page, url: str, axe_source: str, failures: list) -> dict:
    """axe-core's violations and incomplete results on ``url``, and the failed requests and console errors."""
    failures.clear()
    page.goto(url)
    wait_idle(page, 300_000)
    page.add_script_tag(content=axe_source)
    result = page.evaluate(RUN_AXE, TAGS)
    # Every chart has its table alternative (ui.widgets.chart): on screen in an expander, on the projector
    # for a screen reader only.
    missing = [f"{result['charts'] - result['tables']} chart(s) without a table"] if result["charts"] != \
        result["tables"] else []
    return {**result, "failures": list(failures) + missing}


@pytest.mark.parametrize("projector", [False, True], ids=["screen", "projector"])
def test_every_page_has_no_wcag_violation_for_a_visitor(server, browser, axe_source, incomplete, projector):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    failures = watch_failures(page)
    violations = {}
    for path in PAGES:
        url = f"{server}{path}" + ("?projector=true" if projector else "")
        result = audit(page, url, axe_source, failures)
        violations[path] = result["violations"] + result["failures"]
        incomplete[f"visitor {'projector' if projector else 'screen'} {path}"] = result["incomplete"]
    context.close()
    assert violations == {path: [] for path in PAGES}


def test_every_page_has_no_wcag_violation_for_a_data_steward(server, browser, axe_source, incomplete):
    app = on_localhost(server)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    sign_in(page, app, "steward@demo.invalid")
    failures = watch_failures(page)
    violations = {}
    for path in [*PAGES, "/data"]:
        result = audit(page, f"{app}{path}", axe_source, failures)
        violations[path] = result["violations"] + result["failures"]
        incomplete[f"data steward {path}"] = result["incomplete"]
    context.close()
    assert violations == {path: [] for path in [*PAGES, "/data"]}


def tab_to(page, wanted: str, limit: int = 200) -> None:
    """Press Tab until the focused element's text (or label) is ``wanted``; fail after ``limit`` presses."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("() => { const e = document.activeElement; return ((e && (e.innerText || "
                             "e.getAttribute('aria-label'))) || '').trim(); }")
        seen.append(text)
        if text.endswith(wanted):  # a link's text starts with its icon's ligature
            return
    raise AssertionError(f"{wanted!r} never took the focus; focused in turn: {seen}")


def test_the_dashboard_is_used_with_the_keyboard_alone(server, browser):
    """Full keyboard use: the navigation, a chart's table and a goal's link, each reached by Tab and followed by
    Enter, without a mouse."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{server}/")
    wait_idle(page)
    tab_to(page, "Table of this chart")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('details') && "
                           "document.activeElement.closest('details').open", timeout=30_000)
    tab_to(page, "Open goal G1 in the scorecard")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/scorecard\?.*goal=G1.*"), timeout=30_000)
    wait_idle(page)
    assert page.locator("h3").all_inner_texts() == ["Goal G1: Universal connectivity"]
    tab_to(page, "Indicator explorer")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/explorer.*"), timeout=30_000)
    wait_idle(page)
    assert page.locator("h1").first.inner_text() == "Individuals using the Internet (%)"
    context.close()
