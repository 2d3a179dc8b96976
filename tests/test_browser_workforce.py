"""The workforce pages in a real Chromium: titles, values, a filter change each, screenshots at 1920x1080."""
from __future__ import annotations

import re

import polars as pl
import pytest
from playwright.sync_api import expect

from kpi import workforce as wf
from tests.browser_support import SCREENSHOT_DIR, wait_idle

pytestmark = pytest.mark.browser
YEAR = 2025
S = wf.Selection


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(server)  # the app's first run registers the pages of st.navigation
    wait_idle(page)
    yield page
    context.close()


@pytest.fixture(scope="module")
def staff(demo_staff, demo_workforce_frames):
    return demo_staff, demo_workforce_frames["countries"]


@pytest.fixture(scope="module")
def protector(demo_protector):
    """The pages as kpi.workforce_pages protects them: what the browser must draw."""
    return demo_protector


def open_page(page, server: str, path: str) -> None:
    page.goto(f"{server}/{path}")
    wait_idle(page)
    # A deep link works from the first request (ui.serve): no "Page not found" notice.
    assert page.get_by_role("dialog").count() == 0
    page.wait_for_timeout(500)  # let Plotly draw
    assert page.locator("[data-testid='stException']").count() == 0


def shot(page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"workforce-{name}.png"), full_page=False)


def h1(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def metric_value(page, label: str):
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return box.locator("[data-testid='stMetricValue']")


def metric(page, label: str) -> str:
    return metric_value(page, label).inner_text().strip()


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` and wait for the rerun."""
    page.get_by_role("combobox", name=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_timeout(300)  # the rerun starts: waiting for idle before it would see the old page
    # A bound, not a speed check: the first view of a selection protects every year shown beside its wider views.
    wait_idle(page, 300_000)
    page.wait_for_timeout(300)


def test_composition_page_and_duty_station_filter(server, page, staff, protector):
    staff_frame, _ = staff
    open_page(page, server, "workforce")
    assert h1(page) == "Workforce composition"
    assert metric(page, "Staff in post") == wf.headline_figures(wf.headcount(staff_frame, YEAR))["total"]
    shot(page, "composition")
    choose(page, "Duty station", "Cairo (regional office)")
    assert "wf_station=Cairo" in page.url
    expected = wf.headline_figures(protector.page_year("composition", YEAR, S(duty_station="Cairo")).tables["headcount"])
    assert expected["total"] == "10"
    # The first view of a selection protects it with its wider views (a few seconds on a busy machine).
    expect(metric_value(page, "Staff in post")).to_have_text(expected["total"], timeout=60_000)
    shot(page, "composition-cairo")
    choose(page, "Duty station", "Vilnius (liaison office)")
    assert "This selection is hidden" in page.locator("[data-testid='stAlert']").first.inner_text()
    shot(page, "composition-vilnius-hidden")


def test_composition_of_itu_r_shows_its_headquarters_as_a_range(server, page, protector):
    """ITU-R: 137 staff, 2 of them in the field. Headquarters is shown as the ten it lies in, in the metric and
    in the chart, and most of the grade-band pyramid is drawn."""
    open_page(page, server, "workforce?sector=ITU-R")
    tables = protector.page_year("composition", YEAR, S(sector="ITU-R")).tables
    figures = wf.headline_figures(tables["headcount"])
    assert (figures["total"], figures["headquarters"], figures["field"]) == ("137", "130–139", "fewer than 5")
    expect(metric_value(page, "Headquarters (Geneva)")).to_have_text("130–139", timeout=60_000)
    assert metric(page, "Regional and area offices") == "fewer than 5"
    chart = page.locator("[data-testid='stPlotlyChart']").filter(has_text="Regional and area offices").first
    assert "130–139" in chart.inner_text()
    shot(page, "composition-itu-r")


def test_gender_page_and_gap_by_sector(server, page, staff, protector):
    staff_frame, _ = staff
    open_page(page, server, "workforce-gender")
    assert h1(page) == "Gender balance"
    shares = {r["label"]: r for r in wf.women_share_over_time(staff_frame, [YEAR]).frame.iter_rows(named=True)}
    assert metric(page, "Women, Professional and higher") == shares["Professional and higher"]["share_display"]
    shot(page, "gender")
    page.get_by_role("radio", name="Sector", exact=True).click()
    # The click starts a rerun: wait for its result (the URL, then the chart's new labels), not only for idle.
    page.wait_for_url(re.compile(r".*wf_gap_by=sector.*"), timeout=60_000)
    wait_idle(page)
    gap = protector.page_year("gender", YEAR, S()).tables["gap:sector"].frame
    chart = page.locator("[data-testid='stPlotlyChart']").last
    chart.scroll_into_view_if_needed()
    for row in gap.iter_rows(named=True):
        expect(chart).to_contain_text(row["label"], timeout=60_000)
        expect(chart).to_contain_text(row["share_display"], timeout=60_000)
    shot(page, "gender-gap-by-sector")


def test_geography_page_and_gender_filter(server, page, staff):
    staff_frame, countries = staff
    open_page(page, server, "workforce-geography")
    assert h1(page) == "Geographical distribution"
    coverage = wf.member_states_coverage(staff_frame, countries, [YEAR]).frame.row(0, named=True)
    assert metric(page, "Member States with nationals on staff") == coverage["with_nationals_display"]
    shot(page, "geography")
    choose(page, "Gender", "Women")
    assert "wf_gender=F" in page.url
    women = wf.member_states_coverage(staff_frame, countries, [YEAR], S(gender="F")).frame.row(0, named=True)
    assert metric(page, "Member States with nationals on staff") == women["with_nationals_display"]
    page.locator("[data-testid='stPlotlyChart']").first.scroll_into_view_if_needed()
    shot(page, "geography-women-map")


def test_field_page_and_year_filter(server, page, staff):
    staff_frame, _ = staff
    open_page(page, server, "workforce-field")
    assert h1(page) == "Field presence"
    shot(page, "field")
    choose(page, "Year", "2019")  # the sidebar's year: one year for every page
    assert "year=2019" in page.url
    presence = wf.field_presence(staff_frame, [2019], ["sector"]).frame
    total = presence.filter(pl.col("total_over") == "sector")["display"][0]
    assert metric(page, "Staff in regional and area offices (2019)") == total
    shot(page, "field-2019")


def test_recruitment_and_training_page_and_grade_category_filter(server, page):
    open_page(page, server, "workforce-hr")
    assert h1(page) == "Recruitment and training"
    assert "E1.RECRUIT, whole organisation" in page.locator("[data-testid='stMarkdownContainer']").all_inner_texts().__str__()
    shot(page, "hr")
    choose(page, "Grade category", "Professional and higher (P, D, elected)")
    assert "wf_category=P%2B" in page.url or "wf_category=P+" in page.url
    assert page.locator("[data-testid='stException']").count() == 0
    shot(page, "hr-professional")
