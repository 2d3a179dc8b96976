"""kpi.demo: the synthetic demo data is deterministic, calibrated and plausible.

Stores are real SQLite files built once per module: the default seed at scale 1, a twin with the
same seed, another seed, and scale 2.
"""
from __future__ import annotations

import subprocess
import sys
from collections import Counter

import polars as pl
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kpi import demo
from kpi import dimensions as dims
from kpi import reference
from kpi.config import DEMO_SEED
from kpi.store import migrate
from kpi.store import models as m
from kpi.store.engine import make_engine

#: Tables the generator fills (and the indicator rows whose baselines it sets).
FILLED = (
    m.StaffSnapshot, m.TrainingCompletion, m.Recruitment, m.OversightRecommendation, m.Engagement,
    m.ProcurementSaving, m.BudgetLine, m.Risk, m.Resolution, m.ResolutionAction, m.Commitment, m.Membership,
    m.CommitmentFollowUp, m.AccountabilityComponent, m.AccountabilityAssessment, m.OperationalPlanItem, m.RecordLink,
    m.Observation, m.IndicatorTarget, m.Indicator, m.Meta,
)
CEB = {2015: 744, 2016: 744, 2017: 680, 2018: 727, 2019: 749}
HEADCOUNT = {**CEB, 2020: 752, 2021: 756, 2022: 759, 2023: 762, 2024: 765, 2025: 768}
YEARS = list(range(2015, 2026))
P_AND_HIGHER = sorted(dims.PROFESSIONAL_AND_HIGHER_CATEGORIES)


def _build(path, *, seed: int = DEMO_SEED, scale: int = 1) -> tuple[Engine, dict[str, int]]:
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        reference.load_dimensions(session)
        reference.load_framework(session)
        counts = demo.generate(session, scale=scale, seed=seed)
    return engine, counts


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    engine, counts = _build(tmp_path_factory.mktemp("demo") / "a.sqlite")
    yield engine, counts
    engine.dispose()


@pytest.fixture(scope="module")
def engine(built) -> Engine:
    return built[0]


@pytest.fixture(scope="module")
def staff(engine) -> pl.DataFrame:
    with engine.connect() as conn:
        frame = pl.read_database("SELECT * FROM staff_snapshot", conn, infer_schema_length=None)
    return frame.with_columns(pl.col("grade").replace_strict(dims.GRADE_CATEGORY).alias("category"))


def _read(engine: Engine, sql: str) -> pl.DataFrame:
    with engine.connect() as conn:
        return pl.read_database(sql, conn, infer_schema_length=None)


def _dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every filled table, sorted (ids included)."""
    out = {}
    with engine.connect() as conn:
        for model in FILLED:
            table = model.__table__
            columns = [c for c in table.c if c.name != "updated_at"]
            out[table.name] = [tuple(r) for r in conn.execute(select(*columns).order_by(*columns))]
    return out


# ---------------------------------------------------------------- API, determinism


def test_counts_are_the_rows_in_the_store(built):
    engine, counts = built
    with Session(engine) as session:
        for model in FILLED:
            query = select(func.count()).select_from(model)
            if model in (m.Indicator, m.Meta):
                continue
            if model in (m.Observation, m.IndicatorTarget):  # the published targets are not the generator's
                query = query.join(m.Indicator, m.Indicator.id == model.indicator_id).where(m.Indicator.is_synthetic)
            assert session.scalar(query) == counts[model.__tablename__], model
    # whole values where the design fixes them; ranges where they are drawn
    fixed = {k: counts[k] for k in ("staff_snapshot", "training_completion", "budget_line", "risk", "resolution",
                                    "resolution_action", "commitment", "membership", "indicator_target",
                                    "indicator", "meta", "commitment_follow_up", "accountability_component",
                                    "accountability_assessment", "operational_plan_item")}
    assert fixed == {
        "staff_snapshot": sum(HEADCOUNT.values()),  # 8206
        "training_completion": 3 * sum(HEADCOUNT[y] for y in range(2018, 2026)),  # 18114
        "budget_line": 9 * 4, "risk": 15 * 4, "resolution": 6, "resolution_action": 18 * 3, "commitment": 7,
        "membership": 11 + 3 * 3 * 11,
        "indicator_target": 6 * 4 + 6 * 1 + 8 * 4,  # yearly, end-of-plan, computed enablers
        "indicator": 12, "meta": 2,
        "commitment_follow_up": 13, "accountability_component": 9, "accountability_assessment": 9 * 4,
        "operational_plan_item": 14 * 4,
    }
    # 18 resolution actions, 9 links of 7 commitments, 4 risks; the recommendations issued from 2023, one each
    assert 18 + 9 + 4 + 80 <= counts["record_link"] <= 18 + 9 + 4 + 130
    assert 550 <= counts["recruitment"] <= 850
    assert 330 <= counts["oversight_recommendation"] <= 550
    assert 160 <= counts["engagement"] <= 260
    assert 500 <= counts["procurement_saving"] <= 800
    assert 200 <= counts["observation"] <= 320


def test_same_seed_same_rows_other_seed_other_rows(engine, tmp_path_factory):
    twin, _ = _build(tmp_path_factory.mktemp("demo") / "twin.sqlite")
    other, _ = _build(tmp_path_factory.mktemp("demo") / "other.sqlite", seed=DEMO_SEED + 1)
    try:
        first, second, third = _dump(engine), _dump(twin), _dump(other)
    finally:
        twin.dispose()
        other.dispose()
    assert first == second
    for table in ("staff_snapshot", "training_completion", "recruitment", "oversight_recommendation", "engagement",
                  "procurement_saving", "budget_line", "observation", "meta"):
        assert first[table] != third[table], table
    # the real facts do not depend on the seed
    for table in ("resolution", "commitment", "commitment_follow_up", "accountability_component"):
        assert first[table] == third[table], table


def test_meta_marks_the_store_as_demo(engine):
    assert dict(_read(engine, "SELECT key, value FROM meta").iter_rows()) == {
        "demo_seed": str(DEMO_SEED), "demo_scale": "1"}


def test_generate_runs_in_the_callers_transaction_and_replaces(engine):
    before = _dump(engine)
    with Session(engine) as session:
        session.begin()
        counts = demo.generate(session, scale=1, seed=DEMO_SEED + 7)
        session.flush()
        # a second run replaces the first instead of adding to it
        assert session.scalar(select(func.count()).select_from(m.StaffSnapshot)) == counts["staff_snapshot"]
        assert session.scalar(select(func.count()).select_from(m.Observation)) == counts["observation"]
        session.rollback()  # generate never commits: the caller's rollback undoes everything
    assert _dump(engine) == before


def test_scale_two_doubles_the_staff(engine, tmp_path_factory):
    double, counts = _build(tmp_path_factory.mktemp("demo") / "double.sqlite", scale=2)
    try:
        by_year = dict(_read(double, "SELECT year, COUNT(*) FROM staff_snapshot GROUP BY year").iter_rows())
        elected = _read(double, "SELECT COUNT(*) FROM staff_snapshot WHERE grade = 'ELECTED'").item()
    finally:
        double.dispose()
    single = sum(HEADCOUNT.values())
    assert abs(counts["staff_snapshot"] / (2 * single) - 1) < 0.05
    assert by_year == {y: 2 * n for y, n in HEADCOUNT.items()}
    assert elected == 5 * len(YEARS)  # the elected officials do not scale
    assert counts["recruitment"] > 1.6 * 600


def test_rejects_a_scale_below_one(engine):
    with Session(engine) as session, pytest.raises(ValueError, match="scale"):
        demo.generate(session, scale=0)


def test_the_module_does_not_import_streamlit():
    code = "import sys, kpi.demo; print('streamlit' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=str(demo.__file__).rsplit("/kpi/", 1)[0])
    assert result.stdout.strip() == "False"


# ---------------------------------------------------------------- workforce calibration


def test_headcount_is_the_ceb_figure_each_year(staff):
    by_year = dict(staff.group_by("year").len().iter_rows())
    assert by_year == HEADCOUNT
    for year, ceb in CEB.items():
        assert abs(by_year[year] / ceb - 1) <= 0.05


def test_geneva_holds_about_92_percent_in_2019(staff):
    y2019 = staff.filter(pl.col("year") == 2019)
    share = (y2019["duty_station"] == dims.HEADQUARTERS_STATION).mean() * 100
    assert 90 <= share <= 94
    # New Delhi has no staff up to 2019 (as in the CEB figures), a few afterwards
    delhi = dict(staff.filter(pl.col("duty_station") == "New Delhi").group_by("year").len().iter_rows())
    assert min(delhi) == 2020 and all(1 <= n <= 5 for n in delhi.values())


def test_exactly_five_elected_officials_each_year(staff):
    elected = staff.filter(pl.col("grade") == "ELECTED")
    per_year = {
        year: dict(Counter(group["sector"].to_list()))
        for (year,), group in elected.group_by("year")
    }
    assert per_year == {y: {"GS": 2, "ITU-R": 1, "ITU-T": 1, "ITU-D": 1} for y in YEARS}
    # the Director of BDT elected in 2018 is the Secretary-General from 2023: one staff key
    bdt_2019 = elected.filter((pl.col("year") == 2019) & (pl.col("sector") == "ITU-D"))["staff_key"].item()
    assert bdt_2019 in elected.filter((pl.col("year") == 2023) & (pl.col("sector") == "GS"))["staff_key"].to_list()
    assert elected.filter(pl.col("year") == 2015)["gender"].to_list() == ["M"] * 5


def test_grade_pyramid(staff):
    for (year,), group in staff.group_by("year"):
        share = {cat: n / group.height * 100 for cat, n in Counter(group["category"].to_list()).items()}
        assert 40 <= share["GS"] <= 50, year
        assert 44 <= share["P"] <= 54, year
        assert 3 <= share["D"] <= 6, year
        assert 0.5 <= share["NO"] <= 3, year
        gs = Counter(group.filter(pl.col("category") == "GS")["grade"].to_list())
        assert {g for g, _ in gs.most_common(3)} <= {"G4", "G5", "G6", "G7"}, year
        p = Counter(group.filter(pl.col("category") == "P")["grade"].to_list())
        assert {g for g, _ in p.most_common(2)} == {"P3", "P4"}, year


def test_national_officers_only_in_the_field_and_nationals_there(engine, staff):
    stations = dict(_read(engine, "SELECT code, country_iso3 FROM duty_station").iter_rows())
    officers = staff.filter(pl.col("category") == "NO")
    assert officers.height > 0
    assert dims.HEADQUARTERS_STATION not in officers["duty_station"].to_list()
    assert all(stations[s] == n for s, n in officers.select("duty_station", "nationality").iter_rows())


def test_small_field_offices_exist(staff):
    sizes = staff.filter(pl.col("duty_station") != dims.HEADQUARTERS_STATION).group_by("year", "duty_station").len()
    small = sizes.filter(pl.col("len").is_between(1, 4))
    assert small.height >= 10
    assert sizes["len"].max() <= 15


def test_field_staff_are_mostly_itu_d_field_unit(staff):
    field = staff.filter(~pl.col("duty_station").is_in([dims.HEADQUARTERS_STATION, "New York"]))
    assert (field["sector"] == "ITU-D").mean() >= 0.8
    assert set(field.filter(pl.col("sector") == "ITU-D")["unit"].to_list()) == {"BDT-FIELD"}


def test_sector_split_and_units_match_the_sector(engine, staff):
    units = dict(_read(engine, "SELECT code, sector_code FROM unit").iter_rows())
    assert all(units[u] == s for u, s in staff.select("unit", "sector").unique().iter_rows())
    expected = {"GS": 45, "ITU-R": 17, "ITU-T": 10, "ITU-D": 28}
    for (year,), group in staff.group_by("year"):
        shares = {s: n / group.height * 100 for s, n in Counter(group["sector"].to_list()).items()}
        for sector, share in expected.items():
            assert abs(shares[sector] - share) <= 3.5, (year, sector, shares[sector])


def test_at_least_80_nationalities_each_year_from_member_states(engine, staff):
    members = set(_read(engine, "SELECT iso3 FROM country WHERE is_member_state")["iso3"].to_list())
    per_year = dict(staff.group_by("year").agg(pl.col("nationality").n_unique()).iter_rows())
    assert all(n >= 80 for n in per_year.values()), per_year
    assert all(n <= 130 for n in per_year.values()), per_year
    assert set(staff["nationality"].to_list()) <= members
    assert "PLW" not in staff["nationality"].to_list()
    geneva_gs = staff.filter((pl.col("category") == "GS") & (pl.col("duty_station") == dims.HEADQUARTERS_STATION))
    top_two = {n for n, _ in Counter(geneva_gs["nationality"].to_list()).most_common(2)}
    assert top_two == {"FRA", "CHE"}


def test_women_share(staff):
    def women(categories, year):
        rows = staff.filter((pl.col("year") == year) & pl.col("category").is_in(categories))
        return (rows["gender"] == "F").mean() * 100

    p_plus = {y: women(P_AND_HIGHER, y) for y in YEARS}
    assert 30 <= p_plus[2015] <= 38
    assert 40 <= p_plus[2025] <= 48
    assert p_plus[2025] - p_plus[2015] >= 7
    assert sum(p_plus[y + 1] >= p_plus[y] for y in YEARS[:-1]) >= 8  # rising most years
    for y in YEARS:
        assert 50 <= women(["GS"], y) <= 60
        assert 15 <= women(["D"], y) <= 40


def test_staff_persist_with_about_seven_percent_turnover(staff):
    keys = {y: set(g["staff_key"].to_list()) for (y,), g in staff.group_by("year")}
    for year in YEARS[1:]:
        leavers = len(keys[year - 1] - keys[year]) / len(keys[year - 1]) * 100
        if year == 2017:  # the CEB headcount fell from 744 to 680
            assert 8 <= leavers <= 13
        else:
            assert 5 <= leavers <= 9.5, (year, leavers)
    assert all(k.startswith("S") and len(k) == 8 for k in keys[2025])
    contracts = set(staff["contract_type"].to_list())
    assert contracts == set(dims.CONTRACT_TYPES)


def test_some_staff_are_promoted(staff):
    grade_rank = {g.code: g.rank for g in dims.GRADES}
    ranks = staff.select("staff_key", "year", pl.col("grade").replace_strict(grade_rank).alias("rank")).sort(
        "staff_key", "year")
    moves = ranks.with_columns(pl.col("rank").diff().over("staff_key").alias("step")).drop_nulls("step")
    share = (moves["step"] > 0).mean()
    assert 0.02 <= share <= 0.06
    assert moves.filter(pl.col("step") < 0).height <= 1  # nobody goes down (BDT Director -> SG is "ELECTED" both)


# ---------------------------------------------------------------- other records


def test_training_completion_rises_from_60_to_90_percent(engine, staff):
    training = _read(engine, "SELECT year, staff_key, course, completed FROM training_completion")
    assert sorted(set(training["course"].to_list())) == sorted(demo.MANDATORY_COURSES)
    assert training["year"].min() == 2018
    all_done = (
        training.group_by("year", "staff_key").agg(pl.col("completed").all())
        .group_by("year").agg(pl.col("completed").mean() * 100).sort("year")
    )
    share = dict(all_done.iter_rows())
    assert 55 <= share[2018] <= 65
    assert 85 <= share[2025] <= 95
    # every staff member in post from 2018 has the three courses
    in_post = staff.filter(pl.col("year") >= 2018).height
    assert training.height == 3 * in_post


def test_recruitments(engine):
    rec = _read(engine, "SELECT * FROM recruitment").with_columns(
        pl.col("posted_on", "closed_on", "selected_on").str.to_date())
    closing = (rec["closed_on"] - rec["posted_on"]).dt.total_days().drop_nulls()
    assert closing.min() >= 30 and closing.max() <= 45
    selected = rec.drop_nulls("selected_on").with_columns(
        (pl.col("selected_on") - pl.col("posted_on")).dt.total_days().alias("days"),
        pl.col("selected_on").dt.year().alias("year"),
        pl.col("grade").replace_strict(dims.GRADE_CATEGORY).alias("category"),
    )
    assert selected["days"].min() >= 95 and selected["days"].max() <= 260
    mean = dict(selected.group_by("year").agg(pl.col("days").mean()).iter_rows())
    assert mean[2015] > mean[2025] + 25  # improving over the years
    assert 140 <= mean[2023] <= 165
    by_category = dict(selected.group_by("category").agg(pl.col("days").mean()).iter_rows())
    assert by_category["P"] > by_category["GS"] + 20  # P posts are slower
    still_open = rec.filter(pl.col("selected_on").is_null())
    assert still_open.height >= 5
    assert still_open["posted_on"].min().year == 2025


def test_oversight_recommendations(engine):
    recs = _read(engine, "SELECT * FROM oversight_recommendation").with_columns(
        pl.col("issued_on", "implemented_on").str.to_date(), pl.col("accepted").cast(pl.Boolean))
    assert set(recs["source"].to_list()) == {
        "External Auditor", "Internal Audit", "JIU", "Independent Management Advisory Committee", "Evaluation"}
    decided = recs.drop_nulls("accepted")
    assert 0.85 <= decided["accepted"].mean() <= 0.97
    pending = recs.filter(pl.col("accepted").is_null())
    assert pending.height >= 1 and {d.year for d in pending["issued_on"]} == {2025}
    implemented = recs.drop_nulls("implemented_on")
    assert implemented["accepted"].all()
    assert (implemented["implemented_on"] > implemented["issued_on"]).all()
    assert implemented["implemented_on"].max().year <= 2025
    rate = dict(recs.filter(pl.col("accepted")).group_by(pl.col("issued_on").dt.year())
                .agg(pl.col("implemented_on").is_not_null().mean()).iter_rows())
    assert rate[2016] > rate[2024] > rate[2025]  # older ones more often implemented


def test_engagements(engine):
    eng = _read(engine, "SELECT * FROM engagement").with_columns(pl.col("started_on", "ended_on").str.to_date())
    external = eng.filter(pl.col("kind") == "external audit")
    assert dict(external.select("year", "opinion").iter_rows()) == {y: "unqualified" for y in range(2015, 2025)}
    timed = eng.filter(pl.col("kind") != "external audit")
    assert set(timed["kind"].to_list()) == {"internal audit", "investigation", "evaluation"}
    done = timed.drop_nulls("ended_on").with_columns((pl.col("ended_on") - pl.col("started_on")).dt.total_days()
                                                     .alias("days"))
    assert done["days"].min() >= 60 and done["days"].max() <= 300
    first = done.filter(pl.col("year") <= 2016)["days"].mean()
    last = done.filter(pl.col("year") >= 2023)["days"].mean()
    assert first > last + 40
    open_ = timed.filter(pl.col("ended_on").is_null())
    assert open_.height >= 1 and set(open_["year"].to_list()) == {2025}
    per_year = Counter(timed.filter(pl.col("year") >= 2015)["year"].to_list())
    assert all(8 <= n <= 30 for n in per_year.values())


def test_procurement_savings(engine):
    proc = _read(engine, "SELECT * FROM procurement_saving").with_columns(
        (1 - pl.col("awarded_cost_chf") / pl.col("reference_cost_chf")).alias("saving"))
    assert proc["saving"].min() >= 0.0299 and proc["saving"].max() <= 0.1201
    assert set(proc["year"].to_list()) == set(YEARS)
    totals = dict(proc.group_by("year").agg((pl.col("reference_cost_chf") - pl.col("awarded_cost_chf")).sum())
                  .iter_rows())
    assert sum(totals[y] for y in (2023, 2024, 2025)) > sum(totals[y] for y in (2015, 2016, 2017))


def test_budget_lines(engine):
    budget = _read(engine, """
        SELECT b.year, b.sector, b.planned_chf, b.actual_chf, n.kind, n.cycle_code
        FROM budget_line b JOIN framework_node n ON n.id = b.node_id""")
    assert set(budget["cycle_code"].to_list()) == {"2024-2027"}
    assert Counter(budget["kind"].to_list()) == {"output": 32, "enabler": 4}
    planned = dict(budget.group_by("year").agg(pl.col("planned_chf").sum() / 1e6).iter_rows())
    assert all(160 <= planned[y] <= 170 for y in (2024, 2025, 2026, 2027)), planned
    enabler = budget.filter(pl.col("kind") == "enabler")
    assert set(enabler["sector"].to_list()) == {"GS"}
    assert enabler["planned_chf"].min() > budget.filter(pl.col("kind") == "output")["planned_chf"].max()
    past = budget.filter(pl.col("year") <= 2025)
    ratio = past["actual_chf"] / past["planned_chf"]
    assert ratio.min() >= 0.89 and ratio.max() <= 1.06
    assert budget.filter(pl.col("year") > 2025)["actual_chf"].null_count() == 18


def test_risks(engine):
    risks = _read(engine, "SELECT * FROM risk")
    assert risks.select("code").n_unique() == 15
    assert sorted(set(risks["year"].to_list())) == [2022, 2023, 2024, 2025]
    assert set(risks["category"].to_list()) == {
        "strategic", "financial", "operational", "reputational", "compliance", "ICT/cyber"}
    assert risks["node_id"].null_count() == 0
    for col in ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact"):
        assert risks[col].min() >= 1 and risks[col].max() <= 5
    assert (risks["residual_likelihood"] <= risks["inherent_likelihood"]).all()
    assert (risks["residual_impact"] <= risks["inherent_impact"]).all()
    assert (risks["mitigation"].str.len_chars() > 20).all()


def test_resolutions_and_actions(engine):
    codes = sorted(_read(engine, "SELECT code FROM resolution")["code"].to_list())
    assert codes == sorted(f"PP Res. {n} (Rev. Bucharest, 2022)" for n in (48, 70, 71, 151, 191, 200))
    actions = _read(engine, "SELECT * FROM resolution_action ORDER BY resolution_code, ref, year")
    per_resolution = actions.filter(pl.col("year") == 2023).group_by("resolution_code").len()["len"]
    assert per_resolution.min() >= 2 and per_resolution.max() <= 4
    for _, group in actions.group_by("resolution_code", "ref"):
        progress = group["progress_pct"].to_list()
        assert progress == sorted(progress) and group["year"].to_list() == [2023, 2024, 2025]
    assert all(s == demo.action_status(p) for s, p in actions.select("status", "progress_pct").iter_rows())


def test_commitments_of_the_2024_retreat(engine):
    rows = _read(engine, "SELECT year, forum, text FROM commitment WHERE year = 2024 ORDER BY id")
    assert rows.rows() == [
        (2024, "Senior Management Retreat 2024", "Prioritize and align resources to priorities"),
        (2024, "Senior Management Retreat 2024",
         "Define shared/deliberate values and make them visible across the organization"),
        (2024, "Senior Management Retreat 2024", "Speak with candor about uncomfortable and difficult topics"),
        (2024, "Senior Management Retreat 2024", "Empower staff through trust and proper people management"),
    ]
    statuses = set(_read(engine, "SELECT status FROM commitment")["status"].to_list())
    assert statuses <= {"not started", "ongoing", "implemented"} and len(statuses) >= 2


def test_membership(engine):
    member_states = dict(_read(
        engine, "SELECT year, count FROM membership WHERE category = 'Member States' AND sector = 'ITU'").iter_rows())
    assert member_states == {y: (194 if y >= 2024 else 193) for y in YEARS}
    sectors = _read(engine, "SELECT sector, category, COUNT(*) AS n FROM membership WHERE sector != 'ITU' "
                            "GROUP BY sector, category")
    assert sectors.height == 9 and set(sectors["n"].to_list()) == {11}


# ---------------------------------------------------------------- indicators


@pytest.fixture(scope="module")
def indicators(engine) -> pl.DataFrame:
    return _read(engine, "SELECT id AS indicator_id, code, direction, baseline_year, baseline_value, lower_limit, "
                         "upper_limit, unit, computed_from, aggregation FROM indicator WHERE is_synthetic")


def test_every_reported_synthetic_indicator_has_values_and_targets(engine, indicators):
    obs = _read(engine, "SELECT * FROM observation")
    targets = _read(engine, "SELECT indicator_id, year, value FROM indicator_target")
    reported = indicators.filter(pl.col("computed_from") == "")
    assert reported.height == 12
    for ind in reported.iter_rows(named=True):
        mine = obs.filter(pl.col("indicator_id") == ind["indicator_id"])
        headline = mine.filter(pl.col("disaggregation") == "")
        years = headline["year"].to_list()
        assert {2023, 2024, 2025} <= set(years) and min(years) <= 2020 and len(years) >= 6, ind["code"]
        assert ind["baseline_year"] == 2023
        assert ind["baseline_value"] == headline.filter(pl.col("year") == 2023)["value"].item()
        last = headline.filter(pl.col("year") == 2025).row(0, named=True)
        assert (last["flag"], last["approval"]) == ("provisional", "provisional")
        assert set(headline.filter(pl.col("year") < 2025)["approval"].to_list()) == {"validated"}
        assert targets.filter(pl.col("indicator_id") == ind["indicator_id"]).height in (1, 4), ind["code"]
    assert "estimate" in obs["flag"].to_list()


def test_disaggregated_parts_add_up_to_the_headline(engine, indicators):
    obs = _read(engine, "SELECT * FROM observation")
    split = obs.filter(pl.col("disaggregation") != "")
    assert set(split["disaggregation"].str.split("=").list.first().to_list()) == {"region", "sector"}
    assert (split.filter(pl.col("disaggregation").str.starts_with("region="))["region"]
            == split.filter(pl.col("disaggregation").str.starts_with("region="))["disaggregation"].str.slice(7)).all()
    assert set(split.filter(pl.col("disaggregation").str.starts_with("sector="))["sector"].to_list()) == {
        "ITU-D", "ITU-T", "ITU-R"}
    sums = split.group_by("indicator_id", "year").agg(pl.col("value").sum().alias("parts"))
    joined = sums.join(obs.filter(pl.col("disaggregation") == ""), on=["indicator_id", "year"])
    assert joined.height == sums.height
    assert ((joined["parts"] - joined["value"]).abs() < 1e-6).all()


def test_computed_enablers_get_targets_only(engine, indicators):
    computed = indicators.filter(pl.col("computed_from") != "")
    obs = _read(engine, "SELECT indicator_id FROM observation")
    targets = _read(engine, "SELECT indicator_id, year, value FROM indicator_target")
    ids = computed["indicator_id"].to_list()
    assert obs.filter(pl.col("indicator_id").is_in(ids)).height == 0  # kpi.enablers computes them
    by_code = {
        code: dict(targets.filter(pl.col("indicator_id") == iid).select("year", "value").iter_rows())
        for iid, code in computed.select("indicator_id", "code").iter_rows()
    }
    assert by_code["E1.RECRUIT"] == {2024: 148, 2025: 140, 2026: 130, 2027: 120}
    assert by_code["E1.AUDIT"] == {2024: 1, 2025: 1, 2026: 1, 2027: 1}
    assert by_code["E1.TRAIN"][2027] == 95 and by_code["E1.WOMEN_P"][2027] == 50
    savings = list(by_code["E1.SAVINGS"].values())
    assert savings == sorted(savings) and savings[0] > 500_000


def test_statuses_spread_over_the_four_outcomes(engine, indicators):
    from kpi import status
    reported = indicators.filter(pl.col("computed_from") == "")
    obs = _read(engine, "SELECT indicator_id, year, value FROM observation WHERE disaggregation = ''")
    targets = _read(engine, "SELECT indicator_id, year, value FROM indicator_target")
    for as_of in (None, 2025):
        result = status.assess_frame(reported, obs, targets, as_of_year=as_of).join(
            reported.select("indicator_id", "code"), on="indicator_id")
        got = dict(result.select("code", "status").iter_rows())
        expected = {code: d.status for code, d in demo.INDICATOR_DESIGNS.items()}
        assert got == expected, as_of
        assert Counter(got.values()) == {"achieved": 3, "on_track": 3, "at_risk": 3, "off_track": 3}


def test_targets_respect_natural_limits(engine, indicators):
    targets = _read(engine, "SELECT indicator_id, value FROM indicator_target").join(indicators, on="indicator_id")
    bounded = targets.drop_nulls("upper_limit")
    assert (bounded["value"] <= bounded["upper_limit"]).all()
    assert (targets["value"] >= 0).all()


def test_headcount_targets_are_the_ceb_figures_then_a_drift():
    assert demo.ceb_headcount()[2019] == 749
    assert demo.headcount_targets() == HEADCOUNT


def test_commitments_follow_ups_end_on_the_commitments_status(engine):
    """Each commitment's latest follow-up note gives the status the commitment has; every note names one."""
    latest = _read(engine, "SELECT f.commitment_ref, f.status, c.status AS now FROM commitment_follow_up f "
                           "JOIN commitment c ON c.ref = f.commitment_ref "
                           "WHERE f.noted_on = (SELECT MAX(noted_on) FROM commitment_follow_up g "
                           "WHERE g.commitment_ref = f.commitment_ref) ORDER BY f.commitment_ref")
    assert latest["commitment_ref"].to_list() == ["R2024-1", "R2024-2", "R2024-3", "R2024-4", "R2025-1", "R2025-2",
                                                  "R2025-3"]
    assert latest["status"].to_list() == latest["now"].to_list()


def test_the_accountability_framework_has_the_components_of_council_document_c18_20(engine):
    components = _read(engine, "SELECT code, pillar, name, source FROM accountability_component ORDER BY position")
    assert components.select("code", "name").rows() == [
        ("AF1.1", "ITU's Basic Instruments, relevant agreements and treaties"), ("AF1.2", "ITU's Results Framework"),
        ("AF2.1", "Control environment"), ("AF2.2", "Control activities"), ("AF2.3", "Risk assessment"),
        ("AF2.4", "Monitoring"), ("AF3.1", "Procurement"), ("AF3.2", "ITU's staff"),
        ("AF3.3", "Membership and other users of ITU services")]
    assert components["pillar"].unique(maintain_order=True).to_list() == [
        "Covenant with Member States, Sector Members, Associates, Academia and users of ITU's services",
        "Internal controls and risk management", "Complaints and response mechanism"]
    assert set(components["source"]) == {"Council document C18/20 (2018)"}
    assessments = _read(engine, "SELECT component_code, year, status FROM accountability_assessment "
                                "ORDER BY component_code, year")
    assert set(assessments["status"]) <= set(dims.ACCOUNTABILITY_STATUSES)
    # illustrative statuses only ever improve (best first in ACCOUNTABILITY_STATUSES)
    rank = {s: i for i, s in enumerate(dims.ACCOUNTABILITY_STATUSES)}
    for _, part in assessments.group_by("component_code"):
        ranks = [rank[s] for s in part["status"]]
        assert part["year"].to_list() == [2022, 2023, 2024, 2025] and ranks == sorted(ranks, reverse=True)


def test_the_recruitment_commitment_is_linked_to_the_recruitment_indicator(engine):
    links = _read(engine, "SELECT l.record_ref, i.code FROM record_link l JOIN indicator i ON i.id = l.indicator_id "
                          "WHERE l.record_kind = 'commitment' ORDER BY l.record_ref")
    assert links.rows() == [("R2024-4", "E1.TRAIN"), ("R2025-2", "E1.RECRUIT"), ("R2025-3", "E1.OVERSIGHT")]
    text = _read(engine, "SELECT text FROM commitment WHERE ref = 'R2025-2'")["text"].to_list()
    assert text == ["Bring the average recruitment time under 130 days"]


def test_every_link_names_an_existing_record_and_one_node_or_indicator(engine):
    links = _read(engine, "SELECT record_kind, record_ref, node_id, indicator_id FROM record_link")
    assert set(links["record_kind"]) == set(dims.RECORD_KINDS)
    assert (links["node_id"].is_null() != links["indicator_id"].is_null()).all()
    refs = {
        "risk": set(_read(engine, "SELECT code FROM risk")["code"]),
        "recommendation": set(_read(engine, "SELECT ref FROM oversight_recommendation")["ref"]),
        "commitment": set(_read(engine, "SELECT ref FROM commitment")["ref"]),
        "resolution_action": {f"{c}{dims.ACTION_REF_SEPARATOR}{r}" for c, r in _read(
            engine, "SELECT resolution_code, ref FROM resolution_action").iter_rows()},
    }
    for kind, ref in links.select("record_kind", "record_ref").iter_rows():
        assert ref in refs[kind], (kind, ref)


def test_operational_plan_items_deliver_outputs_of_the_plan_with_their_resources(engine):
    items = _read(engine, "SELECT p.ref, p.year, p.unit, n.code AS node, n.kind, n.cycle_code, i.code AS indicator, "
                          "p.resources_chf FROM operational_plan_item p JOIN framework_node n ON n.id = p.node_id "
                          "LEFT JOIN indicator i ON i.id = p.indicator_id")
    assert set(items["cycle_code"]) == {"2024-2027"} and set(items["kind"]) == {"output", "enabler"}
    assert items.group_by("ref").agg(pl.col("year").sort()).sort("ref")["year"].to_list() == [
        [2024, 2025, 2026, 2027]] * 14
    units = set(_read(engine, "SELECT code FROM unit")["code"])
    assert set(items["unit"]) <= units
    assert items.filter(pl.col("ref") == "OP-HRMD-1")["indicator"].unique().to_list() == ["E1.RECRUIT"]
    assert items["indicator"].null_count() == 2 * 4
    assert (items["resources_chf"] > 1e6).all()
