"""Every workforce page renders on demo data, and shows what kpi.workforce computes for the same filters."""
from __future__ import annotations


import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.explorer import indicator_view
from kpi.formatting import format_value
from kpi.store.engine import make_engine
from kpi.store.frames import load_results, load_workforce
from tests import access_support as support
from tests.access_support import STAFF

YEAR = 2025
PAGES = ["pages/workforce_composition.py", "pages/workforce_gender.py", "pages/workforce_geography.py",
         "pages/workforce_field.py", "pages/workforce_hr.py"]
S = wf.Selection


@pytest.fixture(scope="module")
def records(demo_store_url):
    engine = make_engine(demo_store_url)
    frames = load_workforce(engine)
    results = load_results(engine)
    engine.dispose()
    staff = wf.prepare_staff(frames["staff"], frames["training"], frames["courses"], frames["duty_stations"],
                             frames["countries"])
    return staff, wf.prepare_recruitment(frames["recruitment"], frames["duty_stations"]), frames["countries"], results


@pytest.fixture(scope="module")
def pages(demo_protector):
    """The pages as kpi.workforce_pages protects them (what the app must show, table by table)."""

    def tables(page: str, selection: wf.Selection = wf.Selection()) -> dict[str, wf.Protected]:
        return demo_protector.page_year(page, YEAR, selection).tables

    return tables


def open_page(page: str, user: str | None = STAFF) -> AppTest:
    # A bound on one run, not a speed check: the first view of a selection under three filters protects every
    # year shown beside each wider view (about a minute and a half for Gender balance on two quiet cores).
    return support.open_page(page, user, timeout=600)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table(at: AppTest, index: int = 0) -> pl.DataFrame:
    return pl.from_pandas(at.dataframe[index].value)


@pytest.mark.parametrize("page, title", [
    ("pages/workforce_composition.py", "Workforce composition"), ("pages/workforce_gender.py", "Gender balance"),
    ("pages/workforce_geography.py", "Geographical distribution"), ("pages/workforce_field.py", "Field presence"),
    ("pages/workforce_hr.py", "Recruitment and training"),
])
def test_each_workforce_page_renders_with_a_privacy_notice(demo_env, page, title):
    at = open_page(page)
    assert at.title[0].value == title
    assert any("To protect individuals" in i.value for i in at.info)
    assert any("synthetic" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) >= 2


def test_composition_shows_the_head_counts_and_the_grade_table_kpi_computes(demo_env, pages):
    at = open_page("pages/workforce_composition.py")
    figures = wf.headline_figures(pages("composition")["headcount"])
    assert metrics(at) == {"Staff in post": figures["total"], "Headquarters (Geneva)": figures["headquarters"],
                           "Regional and area offices": figures["field"], "Liaison offices": figures["liaison"]}
    expected = wf.cells(pages("composition")["pyramid:grade"], year=YEAR)
    shown = table(at)
    assert shown["Grade"].to_list() == expected["label"].to_list()
    assert shown["Women"].to_list() == expected["women_display"].to_list()
    assert shown["Men"].to_list() == expected["men_display"].to_list()
    assert shown["All"].to_list() == expected["total_display"].to_list()
    assert "fewer than 5" in shown["All"].to_list()


@pytest.mark.slow
def test_composition_follows_the_duty_station_and_sector_filters(demo_env, pages):
    at = open_page("pages/workforce_composition.py")
    at.selectbox(key="url:wf_station").set_value("Cairo").run()
    assert [e.value for e in at.exception] == []
    cairo = wf.headline_figures(pages("composition", S(duty_station="Cairo"))["headcount"])
    assert metrics(at)["Staff in post"] == cairo["total"] == "10"
    at.selectbox(key="url:wf_station").set_value("All").run()
    at.sidebar.selectbox(key="url:sector").set_value("ITU-D").run()
    itu_d = wf.headline_figures(pages("composition", S(sector="ITU-D"))["headcount"])
    assert metrics(at)["Staff in post"] == itu_d["total"]
    # By grade, ITU-D's pyramid would hide 17 % of its people: it is shown by grade band, and says so.
    expected = wf.cells(pages("composition", S(sector="ITU-D"))["pyramid:grade_band"], year=YEAR)
    assert table(at)["Grade band"].to_list() == expected["label"].to_list()
    assert table(at)["Women"].to_list() == expected["women_display"].to_list()
    assert any(c.value.startswith("Shown by grade band: by grade, cells of fewer people") for c in at.caption)
    at.toggle(key="wf_finer_grades").set_value(True).run()
    finer = wf.cells(pages("composition", S(sector="ITU-D"))["pyramid:grade"], year=YEAR)
    assert table(at)["Grade"].to_list() == finer["label"].to_list()
    assert table(at)["Women"].to_list() == finer["women_display"].to_list()
    assert "fewer than 10" not in table(at)["Women"].to_list()  # Sector x grade x gender: 5, not 10


def test_a_duty_station_with_a_handful_of_staff_is_hidden_with_a_warning(demo_env):
    at = open_page("pages/workforce_composition.py")
    at.selectbox(key="url:wf_station").set_value("Vilnius").run()
    assert [e.value for e in at.exception] == []
    assert any("This selection is hidden" in w.value for w in at.warning)
    assert at.metric == [] or all(m.value != "1" for m in at.metric)


def test_gender_page_shows_the_shares_target_and_gap_kpi_computes(demo_env, records, pages):
    _, _, _, results = records
    at = open_page("pages/workforce_gender.py")
    shares = pages("gender")["shares"].frame
    by_label = {r["label"]: r for r in shares.iter_rows(named=True)}
    professional = by_label["Professional and higher"]
    target = wf.indicator_targets(results.indicators, results.targets, "E1.WOMEN_P")
    assert metrics(at) == {
        f"Women, all staff ({YEAR})": by_label["All staff"]["share_display"],
        f"Women, Professional and higher ({YEAR})": professional["share_display"],
        f"Target {YEAR}, Professional and higher": format_value(target.filter(pl.col("year") == YEAR)["target"][0],
                                                                 "pct"),
        "To reach 50 %, Professional and higher": professional["parity_short"],
    }
    view = indicator_view(results, "E1.WOMEN_P", YEAR)
    assert any(view.assessment.explanation in m.value for m in at.markdown)
    gap = pages("gender")["gap:grade"].frame
    shown = table(at)
    assert shown["Grade"].to_list() == gap["label"].to_list()
    assert shown["To reach 50 %"].to_list() == gap["parity_short"].to_list()
    assert shown["Women (%)"].to_list() == gap["share_display"].to_list()


def test_gender_gap_by_sector_panel(demo_env, pages):
    at = open_page("pages/workforce_gender.py")
    at.segmented_control(key="url:wf_gap_by").set_value("sector").run()
    assert [e.value for e in at.exception] == []
    gap = pages("gender")["gap:sector"].frame
    assert table(at)["To reach 50 %"].to_list() == gap["parity_short"].to_list()


def test_the_gap_by_grade_is_shown_by_grade_band_where_grades_would_hide_too_many(demo_env, pages):
    """ITU-T's staff by grade and gender: cells under 5 would hide 46 % of them (the standard: coarsen before
    hiding). The gap is shown by grade band, the page says why, and the grades are there on request."""
    at = open_page("pages/workforce_gender.py")
    at.sidebar.selectbox(key="url:sector").set_value("ITU-T").run()
    assert [e.value for e in at.exception] == []
    itu_t = pages("gender", S(sector="ITU-T"))
    bands = itu_t["gap:grade_band"].frame
    assert table(at)["Grade band"].to_list() == bands["label"].to_list() == [
        "G1-G4", "G5-G7", "NOA-NOE", "P1-P3", "P4-P5", "D1 and above", "All"]
    assert table(at)["To reach 50 %"].to_list() == bands["parity_short"].to_list()
    assert any(c.value == "Shown by grade band: by grade, cells of fewer people than the threshold would hide 46% "
                          "of the staff." for c in at.caption)
    at.toggle(key="wf_finer_gap_grades").set_value(True).run()
    grades = itu_t["gap:grade"].frame
    assert table(at)["Grade"].to_list() == grades["label"].to_list()
    assert table(at)["To reach 50 %"].to_list() == grades["parity_short"].to_list()
    # The whole organisation's grades hide 3 %: no grade band table, no toggle.
    assert "gap:grade_band" not in pages("gender")


def test_geography_page_shows_member_states_and_the_nationality_table(demo_env, pages):
    at = open_page("pages/workforce_geography.py")
    coverage = pages("geography")["coverage"].frame.row(0, named=True)
    shown = metrics(at)
    assert shown[f"Member States with nationals on staff ({YEAR})"] == coverage["with_nationals_display"]
    assert shown["Member States without nationals on staff"] == coverage["without_nationals_display"]
    assert shown["Share of Member States with nationals"] == format_value(coverage["share"], "pct")
    nations = pages("geography")["countries"].frame
    listing = table(at)
    expected = dict(nations.select("nationality", "display").iter_rows())
    assert dict(listing.select("ISO-3", "Staff").iter_rows()) == {k: v for k, v in expected.items() if v != "0"}
    assert "fewer than 10" in listing["Staff"].to_list()
    assert not any(v in {str(n) for n in range(1, 10)} for v in listing["Staff"].to_list())
    assert any("do not imply official endorsement" in c.value for c in at.caption)


def test_geography_with_a_selection_sets_the_whole_organisations_figure_beside_its_target(demo_env):
    """With Women selected, the share of the selection sat beside the whole organisation's target."""
    from kpi.explorer import indicator_view
    from kpi.store.engine import make_engine
    from kpi.store.frames import load_results

    engine = make_engine(demo_env)
    data = load_results(engine)
    engine.dispose()
    at = open_page("pages/workforce_geography.py")
    at.selectbox(key="url:wf_gender").set_value("F").run()
    assert [e.value for e in at.exception] == []
    whole = indicator_view(data, "E1.GEO", YEAR).assessment
    shown = metrics(at)
    assert f"Target {YEAR} (E1.GEO)" not in shown
    assert shown[f"Whole organisation ({whole.latest_year})"] == format_value(whole.latest_value, "pct")


def test_field_page_shows_field_presence_kpi_computes(demo_env, pages):
    at = open_page("pages/workforce_field.py")
    presence = pages("field")["presence"].frame
    total = presence.filter(pl.col("total_over") == "sector")["display"][0]
    assert metrics(at)[f"Staff in regional and area offices ({YEAR})"] == total
    itu_d = presence.filter(pl.col("sector") == "ITU-D")["display"][0]
    assert metrics(at)["ITU-D (BDT)"] == (itu_d if itu_d[0].isdigit() or itu_d.startswith("fewer") else "hidden")
    at.selectbox(key="url:wf_station").set_value(dims.STATION_GROUP_HQ).run()
    assert any("selects no regional or area office" in i.value for i in at.info)


def test_hr_page_shows_the_enabler_status_and_the_training_table(demo_env, records, pages):
    _, _, _, results = records
    at = open_page("pages/workforce_hr.py")
    for code in ("E1.RECRUIT", "E1.TRAIN"):
        view = indicator_view(results, code, YEAR)
        assert any(m.value.endswith(view.assessment.explanation) for m in at.markdown)
    training = pages("hr")["training"].frame
    shown = table(at, 1)
    assert shown["Completed (%)"].to_list() == training["share_display"].to_list()
    at.toggle(key="wf_finer_recruit").set_value(True).run()  # by grade (the page shows grade bands first)
    days = pages("hr")["recruitment:grade"].frame
    grid = table(at, 0)
    assert grid.columns == ["Grade", "General Secretariat", "ITU-R (BR)", "ITU-T (TSB)", "ITU-D (BDT)", "All Sectors"]
    for row in days.iter_rows(named=True):
        grade = "All grades" if row["grade"] is None else wf.label_of("grade", row["grade"])
        sector = "All Sectors" if row["sector"] is None else wf.label_of("sector", row["sector"])
        assert grid.filter(pl.col("Grade") == grade)[sector][0] == row["days_display"]
    headline = days.filter(pl.col("total_over") == "grade,sector").row(0, named=True)
    assert headline["days_display"].endswith(" days")


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_every_page_passes_the_guard_under_a_combination_of_filters(demo_env, page):
    at = open_page(page)
    at.sidebar.selectbox(key="url:sector").set_value("ITU-D").run()
    at.selectbox(key="url:wf_station").set_value(dims.STATION_GROUP_FIELD).run()
    at.selectbox(key="url:wf_category").set_value(dims.PROFESSIONAL_AND_HIGHER).run()
    assert [e.value for e in at.exception] == []


def test_the_hr_headline_follows_the_duty_station_filter(demo_env, pages):
    """The Gender and Duty station filters did not change the headline figures: each indicator now has its figure
    for the selection beside the whole organisation's, equal to the page's protected total."""
    at = open_page("pages/workforce_hr.py")
    whole = [m.value for m in at.metric if m.label == f"This selection ({YEAR})"]
    at.selectbox(key="url:wf_station").set_value(dims.STATION_GROUP_HQ).run()
    assert [e.value for e in at.exception] == []
    hq = pages("hr", wf.Selection(duty_station=dims.STATION_GROUP_HQ))
    expected = [hq["recruitment_trend"].frame.filter((pl.col("year") == YEAR)
                                                     & (pl.col("total_over") == "category_group"))["days_display"][0],
                hq["training"].frame.filter((pl.col("year") == YEAR)
                                            & (pl.col("total_over") == "sector"))["share_display"][0]]
    shown = [m.value for m in at.metric if m.label == f"This selection ({YEAR})"]
    assert shown == expected
    assert shown != whole


@pytest.mark.parametrize("page", ["gender", "hr"])
def test_a_count_the_two_others_of_its_row_tell_is_shown_with_its_share(pages, page):
    """P4 read 51 women of 121 with men and the share "hidden": a reader has men = 70 anyway. In a row of
    part + other = total, two shown numbers show the third, and the share computed from them."""
    checked = 0
    for name, table in pages(page, wf.Selection(grade_category=dims.PROFESSIONAL_AND_HIGHER)
                             if page == "gender" else wf.Selection()).items():
        columns = [c for c, _, _ in table.parts]
        if len(columns) != 3 or "share" not in table.frame.columns:
            continue
        part, other, total = columns
        for row in table.frame.iter_rows(named=True):
            known = [row[c] is not None for c in columns]
            assert sum(known) != 2, (name, row)  # never exactly two: the third follows from them
            if all(known):
                assert row[part] + row[other] == row[total], (name, row)
                expected = "no staff" if row[total] == 0 else f"{round(100 * row[part] / row[total], 1)} %"
                assert row["share_display"] == expected, (name, row)
                checked += 1
    assert checked > 0
