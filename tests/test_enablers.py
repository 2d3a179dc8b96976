"""The enabler indicators (kpi.enablers): small hand-built records, expected frames worked out by hand."""
from __future__ import annotations

import datetime as dt
import inspect
import re

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import select
from sqlalchemy.orm import Session

from kpi import dimensions as dims
from kpi import enablers, reference
from kpi import workforce as wf
from kpi import workforce_pages as wp
from kpi.store import migrate
from kpi.store import models as m
from kpi.store.engine import make_engine

D = dt.date
OUT = enablers.OUTPUT_SCHEMA
S = enablers.RECORD_SCHEMAS


def records(kind: str, rows: list[tuple]) -> pl.DataFrame:
    """A record frame of ``kind`` (a key of RECORD_SCHEMAS) from row tuples in schema order."""
    return pl.DataFrame(rows, schema=S[kind], orient="row")


def expected(rows: list[tuple]) -> pl.DataFrame:
    """An output frame from (code, year, value, disaggregation, sector, grade, duty_station, gender, note)."""
    return pl.DataFrame(rows, schema=OUT, orient="row")


# ---------------------------------------------------------------- E1.RECRUIT


def test_recruitment_timeline_counts_selections_of_the_year():
    recruitment = records("recruitment", [
        # ref, grade, sector, duty station, posted, closed, selected           days to selection
        ("V1", "P4", "ITU-D", "Geneva", D(2024, 1, 1), D(2024, 1, 31), D(2024, 3, 1)),  # 31 + 29 = 60
        ("V2", "P4", "ITU-D", "Geneva", D(2024, 2, 1), D(2024, 2, 15), D(2024, 3, 2)),  # 29 + 1 = 30
        ("V3", "P4", "GS", "Geneva", D(2024, 3, 1), D(2024, 3, 20), D(2024, 4, 16)),  # 31 + 15 = 46
        ("V4", "G5", "GS", "Geneva", D(2024, 5, 1), D(2024, 5, 10), D(2024, 6, 1)),  # 31
        ("V5", "P4", "GS", "Geneva", D(2024, 6, 1), None, None),  # still open: not counted
        ("V6", "P3", "GS", "Cairo", D(2023, 11, 1), D(2023, 11, 10), D(2023, 12, 1)),  # 30, in 2023
        ("V7", "P4", "ITU-D", "Geneva", D(2024, 7, 1), D(2024, 7, 20), D(2024, 8, 10)),  # 30 + 10 = 40
        ("V8", "P4", "ITU-D", "Geneva", D(2024, 9, 1), D(2024, 9, 10), D(2024, 9, 21)),  # 20
    ])
    got = enablers.recruitment_timeline(recruitment)
    # 2024: (60 + 30 + 46 + 31 + 40 + 20) / 6 = 37.833 -> 37.83; 2023: one selection of 30 days. The headline only:
    # by Sector and grade, the recruitment page's figures (kpi.workforce_pages.INDICATOR_BREAKDOWNS).
    assert_frame_equal(got, expected([
        ("E1.RECRUIT", 2023, 30.0, "", None, None, None, None, "Mean over 1 selection."),
        ("E1.RECRUIT", 2024, 37.83, "", None, None, None, None, "Mean over 6 selections."),
    ]))


# ---------------------------------------------------------------- E1.TRAIN


def test_training_completion_counts_staff_without_records_as_not_completed():
    # 2024: 5 GS staff in Geneva completed both courses; 6 ITU-D staff completed nothing
    # complete (5 in Geneva, 1 in Cairo). 2023 has staff but no training records: no value.
    staff = records("staff", [
        *[(2024, f"g{i}", "P3", "F", "CHE", "Geneva", "GS") for i in range(1, 6)],
        *[(2024, f"d{i}", "P3", "M", "KEN", "Geneva", "ITU-D") for i in range(1, 6)],
        (2024, "d6", "P3", "M", "EGY", "Cairo", "ITU-D"),
        (2023, "g1", "P3", "F", "CHE", "Geneva", "GS"),
    ])
    training = records("training", [
        *[(2024, f"g{i}", course, True) for i in range(1, 6) for course in ("ethics", "security")],
        (2024, "d2", "ethics", True),  # security missing: not completed
        (2024, "d3", "ethics", True),
        (2024, "d3", "security", False),  # failed one: not completed
        (2024, "x9", "ethics", True),  # left before year end: not in post, ignored
        (2024, "x9", "security", True),
        # d1, d4, d5, d6 have no training row at all: not completed
    ])
    got = enablers.training_completion(training, staff)
    # 5 / 11 = 45.4545 -> 45.45; the headline only (by Sector: the training page's figures).
    assert_frame_equal(got, expected([("E1.TRAIN", 2024, 45.45, "", None, None, None, None, "")]))


# ---------------------------------------------------------------- E1.WOMEN_P


def test_women_professional_share_counts_the_professional_and_higher_categories():
    staff = records("staff", [
        # P5: 1 woman, 3 men (4 people): reveals individuals, dropped
        (2024, "a1", "P5", "F", "CHE", "Geneva", "ITU-R"),
        *[(2024, f"a{i}", "P5", "M", "FRA", "Geneva", "ITU-R") for i in range(2, 5)],
        # D1: 2 women, 2 men: dropped too
        *[(2024, f"b{i}", "D1", "F", "KEN", "Geneva", "ITU-R") for i in range(1, 3)],
        *[(2024, f"b{i}", "D1", "M", "BRA", "Geneva", "ITU-R") for i in range(3, 5)],
        # P3: 5 women, 5 men: shown, 50 %
        *[(2024, f"c{i}", "P3", "F", "IND", "Geneva", "ITU-R") for i in range(1, 6)],
        *[(2024, f"c{i}", "P3", "M", "USA", "Geneva", "ITU-R") for i in range(6, 11)],
        # P2: 6 women, no men: shown, 100 % (a zero reveals nobody)
        *[(2024, f"e{i}", "P2", "F", "CHN", "Geneva", "ITU-T") for i in range(1, 7)],
        # General Service: not in the Professional and higher categories
        *[(2024, f"f{i}", "G5", "F", "CHE", "Geneva", "GS") for i in range(1, 3)],
    ])
    got = enablers.women_professional_share(staff)
    # P and higher: 24 people, 1 + 2 + 5 + 6 = 14 women -> 58.333 -> 58.33; the General Service is not counted.
    # The headline only: by Sector, duty station and grade, the gender page's figures, protected with it.
    assert_frame_equal(got, expected([("E1.WOMEN_P", 2024, 58.33, "", None, None, None, None, "")]))


# ---------------------------------------------------------------- E1.GEO


def test_member_states_with_nationals_ignores_non_member_territories():
    countries = records("countries", [
        ("CHE", True), ("KEN", True), ("BRA", True),  # 3 Member States
        ("ABW", False), ("HKG", False),  # territories, not Member States
    ])
    staff = records("staff", [
        (2024, "s1", "P3", "F", "CHE", "Geneva", "GS"),
        (2024, "s2", "P4", "M", "CHE", "Geneva", "GS"),
        (2024, "s3", "P2", "F", "ABW", "Geneva", "GS"),
        (2024, "s4", "G4", "M", "HKG", "Geneva", "GS"),
        (2025, "s1", "P3", "F", "CHE", "Geneva", "GS"),
        (2025, "s5", "P3", "F", "KEN", "Nairobi", "ITU-D"),
        (2025, "s3", "P2", "F", "ABW", "Geneva", "GS"),
    ])
    got = enablers.member_states_with_nationals(staff, countries)
    # 2024: only CHE counts -> 1 / 3 = 33.33; 2025: CHE and KEN -> 2 / 3 = 66.67.
    assert_frame_equal(got, expected([
        ("E1.GEO", 2024, 33.33, "", None, None, None, None, "1 of 3 Member States."),
        ("E1.GEO", 2025, 66.67, "", None, None, None, None, "2 of 3 Member States."),
    ]))


# ---------------------------------------------------------------- E1.AUDIT and E1.ENGAGE

ENGAGEMENTS = [
    # ref, kind, year, started, ended, opinion                                        days
    ("EA-2023", "external audit", 2023, D(2024, 1, 10), D(2024, 5, 30), "unqualified"),  # not timed
    ("EA-2024", "external audit", 2024, D(2025, 1, 10), D(2025, 5, 30), "qualified"),
    ("IA-1", "internal audit", 2024, D(2024, 1, 1), D(2024, 3, 1), ""),  # 60
    ("INV-1", "investigation", 2024, D(2024, 2, 1), D(2024, 2, 21), ""),  # 20
    ("EV-1", "evaluation", 2023, D(2023, 11, 1), D(2024, 1, 2), ""),  # 30 + 31 + 1 = 62, ended 2024
    ("IA-2", "internal audit", 2025, D(2025, 2, 1), None, ""),  # not ended: not counted
    ("IA-3", "internal audit", 2025, D(2025, 1, 1), D(2025, 1, 11), ""),  # 10
]


def test_unqualified_audit_opinions_gives_zero_for_a_qualified_opinion():
    got = enablers.unqualified_audit_opinions(records("engagements", ENGAGEMENTS))
    # Counted by the engagement's year; internal work is not counted; 2025 has no external audit.
    assert_frame_equal(got, expected([
        ("E1.AUDIT", 2023, 1.0, "", None, None, None, None, "External audit opinion: unqualified."),
        ("E1.AUDIT", 2024, 0.0, "", None, None, None, None, "External audit opinion: qualified."),
    ]))


def test_engagement_timeline_excludes_external_audits_and_open_engagements():
    got = enablers.engagement_timeline(records("engagements", ENGAGEMENTS))
    # Ended in 2024: 60, 20, 62 -> 142 / 3 = 47.333 -> 47.33 (the external audit ended in 2024
    # is not counted); ended in 2025: IA-3, 10 days (IA-2 is still running, EA-2024 external).
    assert_frame_equal(got, expected([
        ("E1.ENGAGE", 2024, 47.33, "", None, None, None, None, "Mean over 3 engagements."),
        ("E1.ENGAGE", 2025, 10.0, "", None, None, None, None, "Mean over 1 engagement."),
    ]))


# ---------------------------------------------------------------- E1.SAVINGS


def test_procurement_savings_sums_by_year_and_sector_to_whole_francs():
    savings = records("savings", [
        (2024, "PR-1", "GS", 1000.4, 800.0),  # 200.4
        (2024, "PR-2", "GS", 300.0, 250.0),  # 50
        (2024, "PR-3", "ITU-D", 500.6, 400.0),  # 100.6
        (2025, "PR-4", "ITU-T", 1000.0, 1000.5),  # -0.5: awarded above the reference cost
    ])
    got = enablers.procurement_savings(savings)
    # 2024: 351.0 in all; GS 250.4 -> 250; ITU-D 100.6 -> 101 (rounded after summing).
    # 2025: -0.5 -> -1 (halves away from zero).
    assert_frame_equal(got, expected([
        ("E1.SAVINGS", 2024, 351.0, "", None, None, None, None, "3 procurement actions."),
        ("E1.SAVINGS", 2024, 250.0, "sector=GS", "GS", None, None, None, "2 procurement actions."),
        ("E1.SAVINGS", 2024, 101.0, "sector=ITU-D", "ITU-D", None, None, None, "1 procurement action."),
        ("E1.SAVINGS", 2025, -1.0, "", None, None, None, None, "1 procurement action."),
        ("E1.SAVINGS", 2025, -1.0, "sector=ITU-T", "ITU-T", None, None, None, "1 procurement action."),
    ]))


# ---------------------------------------------------------------- E1.OVERSIGHT


def test_oversight_accepted_leaves_pending_recommendations_out_of_the_denominator():
    recommendations = records("recommendations", [
        ("R1", D(2024, 2, 1), True),
        ("R2", D(2024, 5, 1), True),
        ("R3", D(2024, 7, 1), False),
        ("R4", D(2024, 11, 1), None),  # pending
        ("R5", D(2024, 12, 1), None),  # pending
        ("R6", D(2025, 1, 15), None),  # 2025: nothing decided yet, no value
    ])
    got = enablers.oversight_accepted(recommendations)
    # 2024: 2 accepted of 3 decided = 66.667 -> 66.67 (not 2 of 5 = 40).
    assert_frame_equal(got, expected([
        ("E1.OVERSIGHT", 2024, 66.67, "", None, None, None, None,
         "2 accepted of 3 decided; 2 pending a decision, not counted."),
    ]))


# ---------------------------------------------------------------- together


def test_compute_all_concatenates_every_indicator_sorted():
    frames = {kind: pl.DataFrame(schema=schema) for kind, schema in S.items()}
    frames["engagements"] = records("engagements", ENGAGEMENTS)
    got = enablers.compute_all(frames)
    assert_frame_equal(got, pl.concat([
        enablers.unqualified_audit_opinions(frames["engagements"]),
        enablers.engagement_timeline(frames["engagements"]),
    ]))
    assert got.schema == pl.Schema(OUT)
    assert enablers.compute_all({kind: pl.DataFrame(schema=schema) for kind, schema in S.items()}).is_empty()


def test_every_computed_indicator_has_a_definition():
    framework = pl.read_csv(reference.FRAMEWORK_DIR / "indicators.csv", infer_schema_length=0)
    computed = framework.filter(pl.col("computed_from").fill_null("") != "").get_column("code").to_list()
    definitions = enablers.definitions()
    assert sorted(definitions) == sorted(computed)
    assert definitions["E1.OVERSIGHT"].startswith(
        "The percentage of the oversight recommendations issued in the year that management accepted")


# ---------------------------------------------------------------- materialise


def _observations(session: Session, code: str) -> list[tuple]:
    return session.execute(
        select(m.Observation.year, m.Observation.disaggregation, m.Observation.value, m.Observation.sector,
               m.Observation.grade, m.Observation.duty_station, m.Observation.gender, m.Observation.flag,
               m.Observation.approval, m.Observation.note)
        .join(m.Indicator, m.Indicator.id == m.Observation.indicator_id)
        .where(m.Indicator.code == code)
        .order_by(m.Observation.year, m.Observation.disaggregation)
    ).all()


def _baselines(session: Session) -> dict[str, float | None]:
    return dict(session.execute(
        select(m.Indicator.code, m.Indicator.baseline_value).where(m.Indicator.code.like("E1.%"))).all())


def _staff(year: int, key: str, grade: str, gender: str) -> m.StaffSnapshot:
    return m.StaffSnapshot(year=year, staff_key=key, grade=grade, gender=gender, nationality="CHE",
                           duty_station="Geneva", sector="GS", unit="SGO", contract_type="fixed-term")


def test_materialise_replaces_computed_observations_and_baselines(tmp_path):
    engine = make_engine("sqlite:///" + str(tmp_path / "t.sqlite"))
    migrate.upgrade(engine)
    with Session(engine) as s, s.begin():
        reference.load_dimensions(s)
        reference.load_framework(s)
        recruit_id = s.scalar(select(m.Indicator.id).where(m.Indicator.code == "E1.RECRUIT"))
        # A value typed in by hand is replaced; a reported indicator's value is left alone.
        s.add(m.Observation(indicator_id=recruit_id, year=2020, value=99.0, approval="provisional"))
        s.add(m.Observation(indicator_id=s.scalar(select(m.Indicator.id).where(m.Indicator.code == "D1.PROJ")),
                            year=2024, value=7.0))
        s.add_all([
            m.Recruitment(vacancy_ref="V1", grade="P4", sector="GS", duty_station="Geneva",
                          posted_on=D(2023, 1, 1), selected_on=D(2023, 2, 10)),  # 40
            m.Recruitment(vacancy_ref="V2", grade="P4", sector="GS", duty_station="Geneva",
                          posted_on=D(2023, 1, 1), selected_on=D(2023, 3, 2)),  # 31 + 28 + 1 = 60
            m.Recruitment(vacancy_ref="V3", grade="P4", sector="ITU-D", duty_station="Geneva",
                          posted_on=D(2023, 2, 1), selected_on=D(2023, 3, 3)),  # 28 + 2 = 30
            m.Recruitment(vacancy_ref="V4", grade="P2", sector="ITU-D", duty_station="Geneva",
                          posted_on=D(2024, 1, 1), selected_on=D(2024, 1, 31)),  # 30
            m.Recruitment(vacancy_ref="V5", grade="P2", sector="GS", duty_station="Geneva",
                          posted_on=D(2024, 2, 1)),  # open
        ])
        # 2023: P3 5 women 5 men, P5 1 woman; 2024: the P3 staff only. All GS, Geneva, Swiss.
        for year in (2023, 2024):
            s.add_all([_staff(year, f"w{i}", "P3", "F") for i in range(5)])
            s.add_all([_staff(year, f"m{i}", "P3", "M") for i in range(5)])
        s.add(_staff(2023, "p5", "P5", "F"))
        written = enablers.materialise(s)

    # RECRUIT 2023: (40 + 60 + 30) / 3 = 43.33; 2024: 30 (V4). WOMEN_P 2023: 6 of 11 = 54.545 -> 54.55; 2024: 5 of 10.
    recruit = [
        (2023, "", 43.33, None, None, None, None, "", "validated", "Mean over 3 selections."),
        (2024, "", 30.0, None, None, None, None, "", "validated", "Mean over 1 selection."),
    ]
    women = [
        (2023, "", 54.55, None, None, None, None, "", "validated", ""),
        (2024, "", 50.0, None, None, None, None, "", "validated", ""),
    ]
    # GEO: 1 of the 193 Member States of data/reference/country_regions.csv = 0.518 -> 0.52.
    geo = [
        (2023, "", 0.52, None, None, None, None, "", "validated", "1 of 193 Member States."),
        (2024, "", 0.52, None, None, None, None, "", "validated", "1 of 193 Member States."),
    ]
    baselines = {  # the 2023 headline values; nothing recorded for the others
        "E1.RECRUIT": 43.33, "E1.TRAIN": None, "E1.WOMEN_P": 54.55, "E1.GEO": 0.52, "E1.AUDIT": None,
        "E1.SAVINGS": None, "E1.OVERSIGHT": None, "E1.ENGAGE": None,
    }
    for run in (1, 2):  # the second run writes the same rows, and no duplicates
        if run == 2:
            with Session(engine) as s, s.begin():
                written = enablers.materialise(s)
        assert written == len(recruit) + len(women) + len(geo)
        with Session(engine) as s:
            assert _observations(s, "E1.RECRUIT") == recruit
            assert _observations(s, "E1.WOMEN_P") == women
            assert _observations(s, "E1.GEO") == geo
            assert _observations(s, "E1.TRAIN") == []
            assert [(year, value) for year, _, value, *_ in _observations(s, "D1.PROJ")] == [(2024, 7.0)]
            assert _baselines(s) == baselines
            computed_ids = select(m.Indicator.id).where(m.Indicator.computed_from != "")
            assert len(s.execute(select(m.Observation.id).where(
                m.Observation.indicator_id.in_(computed_ids))).all()) == written
    engine.dispose()


# ---------------------------------------------------------------- one source: the workforce pages' figures

PROFESSIONAL = wf.Selection(grade_category=dims.PROFESSIONAL_AND_HIGHER)
#: Each workforce E1 indicator: the page's unprotected figure by year (``year``, ``value``) from the records as
#: the pages prepare them, and the years it must cover (every year with records).
PAGE_FIGURES = {
    "E1.WOMEN_P": (lambda r: wf.women_share(r.staff, PROFESSIONAL).select("year", pl.col("share").alias("value")),
                   lambda r: r.staff.get_column("year")),
    "E1.TRAIN": (lambda r: wf.training_share(r.staff).select("year", pl.col("share").alias("value")),
                 lambda r: r.staff.filter(pl.col("training").is_not_null()).get_column("year")),
    "E1.RECRUIT": (lambda r: wf.mean_days(r.recruitment).select("year", pl.col("days").alias("value")),
                   lambda r: r.recruitment.get_column("year")),
}


def _stored_headlines(url: str, code: str) -> list[tuple[int, float]]:
    """The (year, value) of ``code``'s headline observations in the store at ``url``, by year."""
    engine = make_engine(url)
    with Session(engine) as s:
        rows = [(year, value) for year, key, value, *_ in _observations(s, code) if key == ""]
    engine.dispose()
    return rows


@pytest.mark.parametrize("code", sorted(PAGE_FIGURES))
def test_stored_workforce_headlines_are_the_pages_unprotected_figures(demo_store_url, demo_records, code):
    # The demo store's E1 values were computed from the record tables (kpi.enablers.load_record_frames); the page
    # figures come from the pages' own reading of them (kpi.store.frames.load_workforce): the same, year by year.
    figure, years = PAGE_FIGURES[code]
    page = figure(demo_records).sort("year").select(
        "year", pl.col("value").round(2, mode="half_away_from_zero"))  # stored to 2 decimals, halves away
    stored = _stored_headlines(demo_store_url, code)
    assert stored == list(page.iter_rows())
    assert [year for year, _ in stored] == sorted(set(years(demo_records).to_list()))


def _page_headline(records: wp.Records, page: str, selection: wf.Selection, table: str, over: str,
                   column: str) -> list[tuple[int, float]]:
    """The Union's figure (the total over ``over``) that ``page`` shows each year, where it shows it."""
    rows = []
    for year in wf.staff_years(records.staff):
        frame = wp.page_tables(records, page, year, selection)[table].frame
        rows += frame.filter((pl.col("total_over") == over) & pl.col(column).is_not_null()).select(
            "year", column).rows()
    return rows


def test_the_pages_show_the_stored_workforce_headlines(demo_store_url, demo_records):
    # The pages' shares come from protected counts (kpi.workforce.share_columns), not from the unprotected figures:
    # where a page shows the Union's figure, it is the stored one (the recruitment page in whole days).
    women = _page_headline(demo_records, "gender", PROFESSIONAL, "gap:sector", "sector", "share")
    assert [(y, round(v, 2)) for y, v in women] == _stored_headlines(demo_store_url, "E1.WOMEN_P")
    training = _page_headline(demo_records, "hr", wf.Selection(), "training", "sector", "share")
    assert [(y, round(v, 2)) for y, v in training] == _stored_headlines(demo_store_url, "E1.TRAIN")
    days = dict(_page_headline(demo_records, "hr", wf.Selection(), "recruitment:grade", "grade,sector", "days"))
    stored = dict(_stored_headlines(demo_store_url, "E1.RECRUIT"))
    assert sorted(days) == sorted(stored)
    assert all(abs(days[year] - stored[year]) <= 0.5 for year in stored), (days, stored)


def test_enablers_store_the_workforce_figures_and_count_nothing_again(monkeypatch):
    # The code of the three indicators (after the docstring) neither groups, counts, averages nor divides:
    for fn in (enablers.women_professional_share, enablers.training_completion, enablers.recruitment_timeline):
        code = inspect.getsource(fn).split('"""')[2]
        for counting in ("group_by", ".mean(", ".sum(", "pl.len(", "100", '"gender"', "FEMALE", '"completed"'):
            assert counting not in code, (fn.__name__, counting)
    assert not re.search(r"group_by\([^)]*(gender|training|days)", inspect.getsource(enablers))
    # ... and what kpi.workforce's unprotected figures say is what they store: move those, the indicators move.
    staff = records("staff", [(2024, f"s{i}", "P3", "F" if i < 3 else "M", "CHE", "Geneva", "GS") for i in range(8)])
    training = records("training", [(2024, f"s{i}", "ethics", i < 2) for i in range(8)])
    recruitment = records("recruitment", [("V1", "P4", "GS", "Geneva", D(2024, 1, 1), None, D(2024, 1, 11))])
    before = [enablers.women_professional_share(staff), enablers.training_completion(training, staff),
              enablers.recruitment_timeline(recruitment)]
    assert [f.get_column("value").to_list() for f in before] == [[37.5], [25.0], [10.0]]
    for name, column in (("women_share", "share"), ("training_share", "share"), ("mean_days", "days")):
        original = getattr(wf, name)
        monkeypatch.setattr(wf, name, lambda *a, _f=original, _c=column, **k: _f(*a, **k).with_columns(
            pl.col(_c) + 1000))
    after = [enablers.women_professional_share(staff), enablers.training_completion(training, staff),
             enablers.recruitment_timeline(recruitment)]
    assert [f.get_column("value").to_list() for f in after] == [[1037.5], [1025.0], [1010.0]]
