"""Every filter on every page, in a real Chromium, as a public visitor: a filter a page does not apply is not
drawn there, and each one it applies changes the headline figure to what `kpi` computes for that selection
(a caption repeating the selection does not count). The selection is given by the link, as a shared link or a
followed navigation link gives it (the widgets are bound to the link)."""
from __future__ import annotations

import re

import polars as pl
import pytest

from kpi import workforce as wf
from kpi.explorer import indicator_view, region_series
from kpi.formatting import format_chf, format_value
from kpi.management import budget_by_output
from kpi.scorecard import indicator_status, status_counts
from kpi.store.engine import make_engine
from kpi.store.frames import load_management, load_results
from tests.browser_support import wait_idle
from ui.filters import PAGE_FILTERS

pytestmark = pytest.mark.browser

S = wf.Selection
YEAR = 2025
#: The label of each global filter in the sidebar.
LABELS = {"cycle": "Plan cycle", "year": "Year", "years": "Years shown", "sector": "Sector",
          "region": "Region (ITU-D)"}


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def results(demo_store_url):
    engine = make_engine(demo_store_url)
    data = load_results(engine), load_management(engine)
    engine.dispose()
    return data


def open_view(page, server: str, path: str) -> None:
    page.goto(f"{server}/{path}")
    # A bound, not a speed check: the first view of a workforce selection protects it beside its wider views.
    wait_idle(page, 300_000)


def sidebar_labels(page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stWidgetLabel]')]"
                         ".map(e => e.innerText.trim())")


def metric(page, label: str) -> str:
    """The value of the metric whose label is ``label`` (exactly)."""
    metrics = page.evaluate("() => [...document.querySelectorAll('[data-testid=stMetric]')].map(m => "
                            "[m.querySelector('[data-testid=stMetricLabel]').innerText.trim(), "
                            "m.querySelector('[data-testid=stMetricValue]').innerText.trim()])")
    found = [value for name, value in metrics if name == label]
    assert found, f"no metric {label!r} among {[n for n, _ in metrics]}"
    return found[0]


def goal_totals(page) -> list[int]:
    """The "N indicators" of each goal card (overview) or of the whole scorecard, in page order."""
    texts = page.locator("[data-testid=stMarkdownContainer]").all_inner_texts()
    return [int(m.group(1)) for t in texts if (m := re.match(r"(\d+) indicators ·", t.strip()))]


@pytest.mark.parametrize("path", list(PAGE_FILTERS))
def test_a_page_draws_the_global_filters_it_applies_and_no_other(server, page, path):
    open_view(page, server, "" if path == "overview" else path)
    shown = [label for label in sidebar_labels(page) if label in LABELS.values()]
    assert shown == [LABELS[f] for f in LABELS if f in PAGE_FILTERS[path]]


def test_overview_year_and_sector(server, page, results):
    data, _ = results
    for year, sector in [(2024, None), (YEAR, "ITU-D")]:
        open_view(page, server, f"?year={year}" + (f"&sector={sector}" if sector else ""))
        statuses = indicator_status(data, "2024-2027", year, validated_only=True)
        if sector:
            statuses = statuses.filter(pl.col("owner") == sector)
        expected = status_counts(statuses, ["root_code", "root_name", "root_kind"])
        assert goal_totals(page) == expected["total"].to_list()
        attention = page.evaluate("() => [...document.querySelectorAll('[class*=\"st-key-attention-\"]')].map(e => "
                                  "[...e.classList].find(c => c.startsWith('st-key-attention-')).slice(17))")
        needing = statuses.filter(pl.col("status").is_in(["off_track", "at_risk"]))["code"]
        assert sorted(attention) == sorted(c.replace(".", "-") for c in needing)  # a class name has no dot


def test_scorecard_cycle_year_and_sector(server, page, results):
    data, _ = results
    for cycle, year, sector in [("2020-2023", 2023, None), ("2024-2027", 2024, "ITU-R")]:
        open_view(page, server, f"scorecard?cycle={cycle}&year={year}" + (f"&sector={sector}" if sector else ""))
        statuses = indicator_status(data, cycle, year, validated_only=True)
        if sector:
            statuses = statuses.filter(pl.col("owner") == sector)
        assert goal_totals(page)[0] == statuses.height


def test_explorer_year_years_shown_and_region(server, page, results):
    data, _ = results
    open_view(page, server, "explorer?indicator=G1.INET&year=2021&years=2016&years=2019&region=AFR")
    view = indicator_view(data, "G1.INET", 2021, validated_only=True)
    flag = view.headline.filter(pl.col("year") == view.assessment.latest_year)["flag"][0]  # said beside the year
    label = f"Latest ({view.assessment.latest_year}{', ' + flag if flag else ''})"
    assert metric(page, label) == format_value(view.assessment.latest_value, "pct")
    africa = region_series(data, view.sheet["indicator_id"], "AFR", year_range=(2016, 2019),
                           validated_only=True).sort("year").row(-1, named=True)
    assert metric(page, f"Africa ({africa['year']})") == format_value(africa["value"], "pct")
    # Years shown: the chart (its table) draws 2016-2019 and no other year.
    chart_table = page.locator("[data-testid=stExpander]").filter(has_text="Table of this chart").first
    chart_table.locator("summary").click()
    rows = chart_table.locator("table").evaluate(
        "t => [...t.querySelectorAll('tr')].map(r => [...r.querySelectorAll('th, td')].map(c => c.innerText.trim()))")
    header, body = rows[0], rows[1:]
    actual = {int(r[0]) for r in body if r[header.index("Actual")] != "–"}
    assert actual == {2016, 2017, 2018, 2019}  # targets and the projection are drawn whatever the span


def test_management_year_and_sector(server, page, results):
    data, management = results
    for year, sector in [(2024, None), (YEAR, "ITU-T")]:
        open_view(page, server, f"management?year={year}" + (f"&sector={sector}" if sector else ""))
        statuses = indicator_status(data, "2024-2027", year, validated_only=True)
        nodes = data.nodes.filter(pl.col("cycle_code") == "2024-2027")
        table = budget_by_output(management.budget, statuses, nodes, year)
        if sector:
            table = table.filter(pl.col("owner") == sector)
        assert metric(page, "Planned") == format_chf(table["planned_chf"].sum())


def test_workforce_pages_year_and_sector(server, page, demo_protector):
    cases = [("workforce", "composition", "Staff in post",
              lambda t: wf.headline_figures(t["headcount"])["total"]),
             ("workforce-gender", "gender", "Women, all staff ({year})",
              lambda t: {r["label"]: r for r in t["shares"].frame.iter_rows(named=True)}["All staff"]["share_display"]),
             ("workforce-geography", "geography", "Member States with nationals on staff ({year})",
              lambda t: t["coverage"].frame.row(0, named=True)["with_nationals_display"])]
    for path, name, label, figure in cases:
        for year, sector in [(2019, None), (YEAR, "ITU-T")]:
            open_view(page, server, f"{path}?year={year}" + (f"&sector={sector}" if sector else ""))
            tables = demo_protector.page_year(name, year, S(sector=sector)).tables
            assert metric(page, label.format(year=year)) == figure(tables), (path, year, sector)
