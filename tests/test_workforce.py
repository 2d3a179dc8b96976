"""The workforce tables: whole expected frames on small inline staff frames, and adversarial
disclosure tests (small duty stations, a lone woman at a grade, differencing two filtered views,
a filtered download, the nationality map) on every frame the pages receive."""
from __future__ import annotations

import io
from itertools import product

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.disclosure import SUPPRESSED_TEXT, DisclosureError
from kpi.store.engine import make_engine
from kpi.store.frames import load_workforce

YEAR = 2025
S = wf.Selection

STATIONS = pl.read_csv(io.StringIO("""code,name,country_iso3,kind,itu_d_region
Geneva,Geneva (headquarters),CHE,headquarters,
Cairo,Cairo,EGY,regional office,ARB
Dakar,Dakar,SEN,area office,AFR
New York,New York,USA,liaison office,
"""), schema_overrides={"itu_d_region": pl.String})
COUNTRIES = pl.read_csv(io.StringIO("""iso3,name,itu_d_region,admin_region,is_member_state
CHE,Switzerland,EUR,B,true
FRA,France,EUR,B,true
EGY,Egypt,ARB,D,true
SEN,Senegal,AFR,D,true
USA,United States,AMS,A,true
PLW,Palau,ASP,E,true
ABW,Aruba,AMS,A,false
"""))
NO_TRAINING = pl.DataFrame(schema={"year": pl.Int64, "staff_key": pl.String, "completed_courses": pl.Int64})
NO_COURSES = pl.DataFrame(schema={"year": pl.Int64, "courses": pl.Int64})


def staff_frame(groups: list[tuple[int, dict]], year: int = YEAR, training=NO_TRAINING, courses=NO_COURSES
                ) -> pl.DataFrame:
    """A prepared staff frame from (number of people, attributes) groups; unspecified attributes
    default to a Geneva P3 man of the General Secretariat, French, fixed-term."""
    base = {"grade": "P3", "gender": "M", "nationality": "FRA", "duty_station": "Geneva", "sector": "GS",
            "unit": "SGO", "contract_type": "fixed-term"}
    rows = []
    for n, attrs in groups:
        for _ in range(n):
            rows.append({"year": attrs.get("year", year), "staff_key": f"S{len(rows):07d}", **base,
                         **{k: v for k, v in attrs.items() if k != "year"}})
    raw = pl.DataFrame(rows, schema={"year": pl.Int64, "staff_key": pl.String, **{k: pl.String for k in base}})
    return wf.prepare_staff(raw, training, courses, STATIONS, COUNTRIES)


def visible(frame: pl.DataFrame, column: str = "count") -> list:
    return [v for v in frame.get_column(column).to_list() if v is not None]


def assert_safe(table: wf.Protected) -> None:
    """Every count column: no value from 1 to threshold - 1 is shown (the pages' guard)."""
    wf.check(table)
    for column in table.counts:
        assert all(v == 0 or v >= table.threshold for v in visible(table.frame, column)), column


def assert_no_small_difference(full: pl.DataFrame, part: pl.DataFrame, keys: list[str], column: str,
                               threshold: int) -> None:
    """An attacker subtracting the filtered view from the wider one learns no count from 1 to threshold - 1."""
    joined = full.join(part, on=keys, how="inner", nulls_equal=True, suffix="_part")
    for a, b in joined.select(column, f"{column}_part").iter_rows():
        if a is not None and b is not None:
            assert not 0 < a - b < threshold, (a, b)


# ---------------------------------------------------------------- whole expected frames


def test_composition_by_sector_suppresses_the_small_cell_and_its_complement():
    staff = staff_frame([(20, {"sector": "GS"}), (12, {"sector": "ITU-D"}), (3, {"sector": "ITU-R"}),
                         (40, {"sector": "GS", "year": 2024})])
    table = wf.composition(staff, YEAR, ["sector"])
    expected = pl.DataFrame({
        "year": [YEAR] * 4,
        "sector": ["GS", "ITU-R", "ITU-D", None],
        "count": [20, None, None, 35],
        "total_over": ["", "", "", "sector"],
        "suppressed": [False, True, True, False],
        "reason": ["", "primary", "complementary", ""],
        "display": ["20", "fewer than 5", SUPPRESSED_TEXT, "35"],
        "label": ["General Secretariat", "ITU-R (BR)", "ITU-D (BDT)", "All"],
    })
    assert_frame_equal(table.frame, expected)
    assert (table.dims, table.threshold, table.hidden_years) == (("sector",), 5, ())


def test_gender_by_grade_whole_frame_with_shares_and_parity_in_people():
    staff = staff_frame([(20, {"grade": "P4", "gender": "F"}), (44, {"grade": "P4", "gender": "M"}),
                         (30, {"grade": "G5", "gender": "F"}), (30, {"grade": "G5", "gender": "M"})])
    table = wf.gender_by_grade(staff, YEAR)
    got = table.frame.select("grade", "total_over", "women", "men", "total", "share", "women_needed", "men_needed",
                             "label", "parity", "parity_short")
    expected = pl.DataFrame({
        "grade": ["G5", "P4", None],
        "total_over": ["", "", "grade"],
        "women": [30, 20, 50], "men": [30, 44, 74], "total": [60, 64, 124],
        "share": [50.0, 31.25, 100 * 50 / 124],
        "women_needed": [0, 12, 12], "men_needed": [0, 0, 0],
        "label": ["G5", "P4", "All"],
        "parity": ["at 50 %", "12 more women at P4 would reach 50 %", "12 more women would reach 50 %"],
        "parity_short": ["at 50 %", "12 more women", "12 more women"],
    })
    assert_frame_equal(got, expected)
    assert table.counts == ("women", "men", "total")


def test_women_share_over_time_has_all_staff_and_both_category_groups():
    staff = staff_frame([(6, {"grade": "P4", "gender": "F"}), (14, {"grade": "P4", "gender": "M"}),
                         (10, {"grade": "G5", "gender": "F"}), (10, {"grade": "G5", "gender": "M"}),
                         (5, {"grade": "P4", "gender": "F", "year": 2024}), (5, {"grade": "P4", "year": 2024})])
    frame = wf.women_share_over_time(staff, None).frame.select("year", "label", "share", "share_display")
    # 2024 has Professional staff only: no General Service row (nobody), the P+ row and all staff.
    expected = pl.DataFrame({
        "year": [2024, 2024, 2025, 2025, 2025],
        "label": ["Professional and higher", "All staff", "General Service and National Professional Officers",
                  "Professional and higher", "All staff"],
        "share": [50.0, 50.0, 50.0, 30.0, 40.0],
        "share_display": ["50.0 %", "50.0 %", "50.0 %", "30.0 %", "40.0 %"],
    })
    assert_frame_equal(frame, expected)


def test_training_completion_whole_frame():
    # S0..S6 completed the 3 courses of the year, S7..S11 two of them; the ITU-D staff S12..S21 all 3.
    training = pl.DataFrame({"year": [YEAR] * 22, "staff_key": [f"S{i:07d}" for i in range(22)],
                             "completed_courses": [3] * 7 + [2] * 5 + [3] * 10})
    courses = pl.DataFrame({"year": [YEAR], "courses": [3]})
    staff = staff_frame([(12, {"sector": "GS"}), (10, {"sector": "ITU-D"}), (4, {"sector": "ITU-D", "year": 2017})],
                        training=training, courses=courses)
    table = wf.training_completion(staff, None, ["sector"])
    got = table.frame.select("year", "sector", "completed", "not_completed", "total", "share", "share_display")
    expected = pl.DataFrame({
        "year": [YEAR] * 3,
        "sector": ["GS", "ITU-D", None],
        "completed": [7, 10, 17], "not_completed": [5, 0, 5], "total": [12, 10, 22],
        "share": [100 * 7 / 12, 100.0, 100 * 17 / 22],
        "share_display": ["58.3 %", "100.0 %", "77.3 %"],
    })
    assert_frame_equal(got, expected)  # 2017 has no training records: no row


def test_recruitment_means_are_shown_only_where_the_number_of_selections_is():
    raw = pl.DataFrame({
        "vacancy_ref": [f"V{i}" for i in range(9)],
        "grade": ["P3"] * 6 + ["D1"] * 3, "sector": ["ITU-D"] * 9, "duty_station": ["Geneva"] * 9,
        "posted_on": ["2025-01-01"] * 9, "closed_on": ["2025-02-01"] * 9,
        "selected_on": ["2025-05-01"] * 6 + ["2025-07-01"] * 3,
    })
    recruitment = wf.prepare_recruitment(raw, STATIONS)
    table = wf.recruitment_timeline(recruitment, YEAR, ["grade"])
    got = table.frame.select("grade", "count", "days", "days_display")
    # D1 (3 selections) is hidden, and P3 with it, or the total would give D1 away; the mean over all
    # 9 selections, (6 x 120 + 3 x 181) / 9 days, is shown with its count.
    expected = pl.DataFrame({"grade": ["P3", "D1", None], "count": [None, None, 9], "days": [None, None, 140.0],
                             "days_display": [SUPPRESSED_TEXT, "fewer than 5", "140 days"]},
                            schema_overrides={"count": pl.Int64})
    assert_frame_equal(got, expected)


def test_member_states_coverage_counts_member_states_only():
    staff = staff_frame([(20, {"nationality": "FRA"}), (15, {"nationality": "CHE"}), (12, {"nationality": "ABW"})])
    table = wf.member_states_coverage(staff, COUNTRIES, [YEAR])
    # 6 Member States, 2 with nationals: fewer than 10 on both sides, so both are hidden.
    assert table.frame.row(0, named=True) == {
        "year": YEAR, "member_states": 6, "with_nationals": None, "without_nationals": None, "share": None,
        "with_nationals_display": "fewer than 10", "without_nationals_display": "fewer than 10"}
    assert_safe(table)


# ---------------------------------------------------------------- adversarial disclosure tests


def test_a_duty_station_with_one_to_four_staff_is_never_shown_as_a_number():
    for n in range(1, 5):
        staff = staff_frame([(60, {}), (n, {"duty_station": "Dakar", "sector": "ITU-D", "grade": "P4"})])
        by_station = wf.composition(staff, YEAR, ["location", "duty_station"])
        dakar = by_station.frame.filter(pl.col("duty_station") == "Dakar").row(0, named=True)
        assert (dakar["count"], dakar["display"]) == (None, "fewer than 5")
        assert_safe(by_station)
        # Filtering on the duty station hides the whole view: every cell, zeros too.
        view = wf.composition(staff, YEAR, ["grade"], S(duty_station="Dakar"))
        assert view.hidden_years == (YEAR,)
        assert view.frame["count"].null_count() == view.frame.height
        # The view's total reads "fewer than 5"; its parts "hidden" (any of them may be 0).
        assert dict(view.frame.select("total_over", "display").unique().iter_rows()) == {
            "": "hidden", "grade": "fewer than 5"}
        for table in (wf.gender_by_grade(staff, YEAR, S(duty_station="Dakar")),
                      wf.field_presence(staff, YEAR, ["sector"], S(duty_station="Dakar")),
                      wf.headcount(staff, YEAR, S(duty_station="Dakar"))):
            assert_safe(table)
            assert YEAR in table.hidden_years


def test_a_grade_with_one_woman_hides_her_and_every_cell_that_would_give_her_away():
    staff = staff_frame([(1, {"grade": "D2", "gender": "F"}), (9, {"grade": "D2", "gender": "M"}),
                         (30, {"grade": "P4", "gender": "F"}), (30, {"grade": "P4", "gender": "M"}),
                         (12, {"grade": "P5", "gender": "F"}), (20, {"grade": "P5", "gender": "M"})])
    table = wf.gender_by_grade(staff, YEAR)
    assert_safe(table)
    d2 = table.frame.filter(pl.col("grade") == "D2").row(0, named=True)
    assert (d2["women"], d2["women_display"]) == (None, "fewer than 5")
    assert d2["men"] is None and d2["share"] is None and d2["share_display"] == "fewer than 5"
    # Her cell cannot be worked out from the women of the other grades and the women's total ...
    women = table.frame.select("women").to_series().to_list()
    assert women.count(None) >= 2
    # ... nor from the D2 total and the D2 men.
    assert d2["total"] is None or d2["men"] is None
    # The pyramid the page draws reads "fewer than 5", never 0.
    assert "0" not in table.frame.filter(pl.col("grade") == "D2")["women_display"].to_list()


@pytest.mark.parametrize("function, args", [
    ("composition", (YEAR, ["duty_station"])),
    ("composition", (YEAR, ["grade"])),
    ("headcount", (YEAR,)),
    ("gender_by_grade", (YEAR,)),
])
def test_two_views_differing_by_one_person_do_not_reveal_the_person(function, args):
    # One ITU-T P4 man in Cairo among 30 ITU-D staff there: "all Sectors" minus "ITU-D" would be him.
    staff = staff_frame([(200, {}), (30, {"duty_station": "Cairo", "sector": "ITU-D", "grade": "P4"}),
                         (20, {"duty_station": "Cairo", "sector": "ITU-D", "grade": "P3", "gender": "F"}),
                         (1, {"duty_station": "Cairo", "sector": "ITU-T", "grade": "P4"}),
                         (40, {"sector": "ITU-T", "grade": "P2"})])
    full = getattr(wf, function)(staff, *args)
    part = getattr(wf, function)(staff, *args, S(sector="ITU-D"))
    cairo = getattr(wf, function)(staff, *args, S(duty_station="Cairo"))
    both = getattr(wf, function)(staff, *args, S(sector="ITU-D", duty_station="Cairo"))
    for table in (full, part, cairo, both):
        assert_safe(table)
    keys = ["year", *[c for c in full.frame.columns if c in ("grade", "duty_station", "location")], "total_over"]
    for column in full.counts:
        for wide, narrow in ((full, part), (full, cairo), (full, both), (part, both), (cairo, both)):
            threshold = max(wide.threshold, narrow.threshold)
            assert_no_small_difference(wide.frame, narrow.frame, keys, column, threshold)


def test_a_filtered_view_whose_total_differs_by_a_few_people_is_hidden_whole():
    staff = staff_frame([(50, {"sector": "ITU-D"}), (2, {"sector": "ITU-T"})])
    view = wf.composition(staff, YEAR, ["grade"], S(sector="ITU-D"))
    assert view.hidden_years == (YEAR,)
    assert set(view.frame["reason"]) == {wf.VIEW}
    assert set(view.frame["display"]) == {SUPPRESSED_TEXT}
    assert_safe(view)


def test_download_of_a_filtered_table_holds_no_small_count_and_no_blank_hidden_cell():
    staff = staff_frame([(40, {"sector": "ITU-D", "grade": "P4", "gender": "F"}),
                         (38, {"sector": "ITU-D", "grade": "P4"}), (3, {"sector": "ITU-D", "grade": "D1", "gender": "F"}),
                         (12, {"sector": "ITU-D", "grade": "D1"}), (2, {"sector": "GS", "grade": "P4", "gender": "F"}),
                         (60, {"sector": "GS", "grade": "G5"})])
    table = wf.parity_gap(staff, YEAR, "grade", S(sector="ITU-D"))
    # What the page offers for download (ui.workforce.download_csv writes the protected frame as it is).
    columns = ["year", "sector", "label", "total_over", "women", "men", "total", "share", "women_needed",
               "men_needed", "women_display", "men_display", "total_display", "share_display", "parity"]
    assert_safe(wf.Protected(frame=table.frame.select(columns), dims=table.dims, counts=table.counts,
                             threshold=table.threshold))
    downloaded = pl.read_csv(io.StringIO(table.frame.select(columns).write_csv()))
    for column in ("women", "men", "total"):
        for value, text in downloaded.select(column, f"{column}_display").iter_rows():
            if value is None:
                assert text in ("fewer than 5", SUPPRESSED_TEXT), text  # a Sector filter: 3 dimensions, still 5
            else:
                assert value == 0 or value >= table.threshold
                assert text == f"{value:,}"
    assert table.threshold == 5
    # The same table unfiltered, subtracted from the download, reveals no small count either.
    full = wf.parity_gap(staff, YEAR, "grade")
    for column in ("women", "men", "total"):
        assert_no_small_difference(full.frame, table.frame, ["year", "grade", "total_over"], column, 10)


def test_the_nationality_map_uses_the_threshold_of_ten():
    staff = staff_frame([(12, {"nationality": "FRA"}), (7, {"nationality": "CHE"}), (25, {"nationality": "EGY"}),
                         (30, {"nationality": "SEN"})])
    table = wf.nationality_by_country(staff, COUNTRIES, YEAR)
    assert table.threshold == 10
    assert_safe(table)
    by_country = {r["nationality"]: (r["count"], r["display"]) for r in table.frame.iter_rows(named=True)}
    assert by_country["CHE"] == (None, "fewer than 10")
    assert by_country["FRA"] == (None, SUPPRESSED_TEXT)  # complement: France + Switzerland would give it away
    assert by_country["EGY"] == (25, "25") and by_country["SEN"] == (30, "30")
    # Member States with no national on staff are 0 (a zero reveals nobody); Aruba is no Member State.
    assert by_country["PLW"] == (0, "0") and by_country["USA"] == (0, "0") and "ABW" not in by_country
    regions = wf.nationality_by_region(staff, YEAR)
    assert regions.threshold == 10
    assert_safe(regions)
    # A selection of 9 people is hidden whole on the map.
    small = wf.nationality_by_country(staff_frame([(9, {"nationality": "SEN", "duty_station": "Dakar"}), (50, {})]),
                                      COUNTRIES, YEAR, S(duty_station="Dakar"))
    assert small.hidden_years == (YEAR,) and visible(small.frame) == []


def test_the_guard_refuses_a_table_showing_a_small_count():
    staff = staff_frame([(3, {"sector": "ITU-R"}), (20, {})])
    table = wf.composition(staff, YEAR, ["sector"])
    leaked = wf.Protected(frame=table.frame.with_columns(pl.lit(3, pl.Int64).alias("count"),
                                                         pl.lit(False).alias("suppressed")),
                          dims=table.dims, threshold=table.threshold)
    with pytest.raises(DisclosureError):
        wf.check(leaked)


def test_field_presence_under_a_headquarters_filter_is_empty_with_a_note():
    staff = staff_frame([(20, {"duty_station": "Cairo", "sector": "ITU-D"}), (50, {})])
    table = wf.field_presence(staff, None, ["sector"], S(duty_station=dims.STATION_GROUP_HQ))
    assert table.frame.is_empty() and "no regional or area office" in table.note
    shown = wf.field_presence(staff, None, ["sector"])
    assert shown.frame.filter(pl.col("total_over") == "sector")["count"].to_list() == [20]


# ---------------------------------------------------------------- the demo store


SELECTIONS = [
    S(), S(sector="ITU-D"), S(duty_station="Cairo"), S(duty_station="Vilnius"), S(duty_station=dims.STATION_GROUP_HQ),
    S(duty_station=dims.STATION_GROUP_FIELD), S(grade_category=dims.PROFESSIONAL_AND_HIGHER), S(grade_category="D"),
    S(gender="F"),
    S(sector="ITU-D", duty_station=dims.STATION_GROUP_FIELD, gender="F"),
]


@pytest.fixture(scope="module")
def demo(demo_store_url):
    engine = make_engine(demo_store_url)
    frames = load_workforce(engine)
    engine.dispose()
    staff = wf.prepare_staff(frames["staff"], frames["training"], frames["courses"], frames["duty_stations"],
                             frames["countries"])
    return staff, wf.prepare_recruitment(frames["recruitment"], frames["duty_stations"]), frames["countries"]


def _calls(staff, recruitment, countries, selection):
    years = wf.staff_years(staff)
    return {
        "composition": lambda: wf.composition(staff, YEAR, ["grade", "gender"], selection),
        "composition 3 dims": lambda: wf.composition(staff, YEAR, ["grade", "gender", "duty_station"], selection),
        "headcount": lambda: wf.headcount(staff, YEAR, selection),
        "over_time": lambda: wf.over_time(staff, years, "sector", selection),
        "gender_split": lambda: wf.gender_split(staff, YEAR, ["duty_station"], selection),
        "gender_by_grade": lambda: wf.gender_by_grade(staff, years, selection),
        "parity_gap": lambda: wf.parity_gap(staff, YEAR, "sector", selection),
        "women_share_over_time": lambda: wf.women_share_over_time(staff, years, selection),
        "nationality_by_region": lambda: wf.nationality_by_region(staff, years, selection),
        "nationality_by_country": lambda: wf.nationality_by_country(staff, countries, YEAR, selection),
        "member_states_coverage": lambda: wf.member_states_coverage(staff, countries, years, selection),
        "field_presence": lambda: wf.field_presence(staff, years, ["office_region", "sector"], selection),
        "recruitment_timeline": lambda: wf.recruitment_timeline(recruitment, YEAR, ["grade", "sector"], selection),
        "training_completion": lambda: wf.training_completion(staff, years, ["duty_station"], selection),
    }


def test_every_public_table_on_the_demo_store_shows_no_small_count(demo):
    staff, recruitment, countries = demo
    names = set()
    for selection in SELECTIONS:
        for name, call in _calls(staff, recruitment, countries, selection).items():
            table = call()
            assert_safe(table)
            names.add(name.split()[0])
            if name.startswith("nationality") or name == "member_states_coverage":
                assert table.threshold == 10, name
            elif name == "composition 3 dims":
                assert table.threshold == 5, name
    assert names == set(wf.PROTECTED_FUNCTIONS)


@pytest.mark.parametrize("by", [["sector"], ["duty_station"], ["grade"], ["admin_region"]])
def test_demo_views_filtered_by_sector_and_station_do_not_difference(demo, by):
    staff, _, _ = demo
    full = wf.composition(staff, YEAR, by)
    for sector, station in product([None, "ITU-D", "ITU-T"], [None, "Cairo", dims.STATION_GROUP_FIELD]):
        part = wf.composition(staff, YEAR, by, S(sector=sector, duty_station=station))
        assert_safe(part)
        if YEAR not in part.hidden_years:
            assert_no_small_difference(full.frame, part.frame, ["year", *by, "total_over"], "count",
                                       max(full.threshold, part.threshold))
