"""Budgets linked to results, risks, oversight, resolutions and commitments, on hand-made frames."""
from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from kpi import config, management
from tests.store_support import raw_headers


def test_budget_by_output_sets_money_beside_statuses():
    budget = pl.DataFrame({"node_id": [1, 1, 2, 2], "year": [2025, 2025, 2025, 2026], "sector": ["GS", "ITU-D", "GS", "GS"],
                           "planned_chf": [100.0, 50.0, 80.0, 90.0], "actual_chf": [90.0, 45.0, None, None]})
    nodes = pl.DataFrame({"node_id": [1, 2], "node_code": ["O1", "O2"], "node_name": ["One", "Two"],
                          "owner": ["GS", "GS"], "sort_order": [2, 1]})
    statuses = pl.DataFrame({"node_id": [1, 1, 1], "status": ["achieved", "off_track", "off_track"]})
    got = management.budget_by_output(budget, statuses, nodes, 2025)
    # O1: 150 planned, 135 spent = 90 %; O2: no actual yet, no indicators
    expected = pl.DataFrame({
        "node_code": ["O2", "O1"], "node_name": ["Two", "One"], "owner": ["GS", "GS"],
        "planned_chf": [80.0, 150.0], "actual_chf": [None, 135.0], "execution_pct": [None, 90.0],
        "indicators": [0, 3], "achieved": [0, 1], "on_track": [0, 0], "at_risk": [0, 0], "off_track": [0, 2],
        "no_target": [0, 0], "no_data": [0, 0],
    }, schema_overrides={c: pl.Int64 for c in ["indicators", "achieved", "on_track", "at_risk", "off_track",
                                              "no_target", "no_data"]})
    assert_frame_equal(got, expected)


def test_risk_register_and_matrix():
    risks = pl.DataFrame({"code": ["R1", "R2", "R3"], "year": [2025, 2025, 2024], "title": ["a", "b", "c"],
                          "inherent_likelihood": [5, 3, 5], "inherent_impact": [5, 3, 5],
                          "residual_likelihood": [3, 3, 5], "residual_impact": [5, 2, 5]})
    register = management.risk_register(risks, 2025)
    assert register.select("code", "inherent_score", "residual_score", "high").rows() == [
        ("R1", 25, 15, True), ("R2", 9, 6, False)]
    matrix = management.risk_matrix(register)
    assert matrix.height == 25
    assert matrix.filter(pl.col("risks") > 0).rows() == [(3, 2, 1, "R2", 6, "medium", ["R2"]),
                                                         (3, 5, 1, "R1", 15, "high", ["R1"])]
    # every cell has the score and band of its place, empty or not
    assert matrix.select("likelihood", "impact", "score", "band").filter(pl.col("likelihood") == 5).rows() == [
        (5, 1, 5, "medium"), (5, 2, 10, "significant"), (5, 3, 15, "high"), (5, 4, 20, "critical"),
        (5, 5, 25, "critical")]


def test_risk_bands_cover_every_score_once_from_one_set_of_thresholds():
    assert management.risk_band_ranges() == [("low", "Low", 1, 4), ("medium", "Medium", 5, 9),
                                             ("significant", "Significant", 10, 14),
                                             ("high", "High", management.HIGH_RISK_SCORE, 19),
                                             ("critical", "Critical", 20, 25)]
    assert [management.risk_band(s) for s in (1, 4, 5, 9, 10, 14, 15, 19, 20, 25)] == [
        "low", "low", "medium", "medium", "significant", "significant", "high", "high", "critical", "critical"]
    # a risk flagged high is exactly one whose band is high or critical
    assert all((management.risk_band(s) in ("high", "critical")) == (s >= management.HIGH_RISK_SCORE)
               for s in range(1, 26))


def _assessments(rows: list[tuple]) -> pl.DataFrame:
    """Risk assessments from (code, year, residual likelihood, residual impact), inherent 5 x 5."""
    return pl.DataFrame(
        [(code, year, f"title {code}", "cat", "GS", 5, 5, lik, imp, "m") for code, year, lik, imp in rows],
        schema=["code", "year", "title", "category", "owner", "inherent_likelihood", "inherent_impact",
                "residual_likelihood", "residual_impact", "mitigation"], orient="row")


def test_risk_movement_compares_each_risk_with_its_previous_assessment():
    risks = _assessments([
        ("NEW", 2025, 3, 3),                                          # first assessed this year
        ("UP", 2024, 2, 2), ("UP", 2025, 3, 3),                       # 4 -> 9
        ("DOWN", 2023, 5, 5), ("DOWN", 2024, 4, 4), ("DOWN", 2025, 2, 4),  # 16 -> 8 (2023 is older)
        ("SAME", 2024, 2, 3), ("SAME", 2025, 3, 2),                   # 6 -> 6, likelihood and impact swapped
        ("GAP", 2022, 1, 1), ("GAP", 2025, 1, 2),                     # not assessed in 2023-2024: 1 -> 2
        ("GONE", 2024, 4, 4),                                         # not assessed this year: no row
        ("NEW", 2026, 5, 5),                                          # a later year changes nothing
    ])
    expected = pl.DataFrame({"code": ["DOWN", "GAP", "NEW", "SAME", "UP"],
                             "previous_year": [2024, 2022, None, 2024, 2024],
                             "previous_score": [16, 1, None, 6, 4],
                             "movement": ["down", "up", "new", "same", "up"]},
                            schema_overrides={"previous_year": pl.Int64, "previous_score": pl.Int64})
    assert_frame_equal(management.risk_movement(risks, 2025), expected)
    register = management.risk_register(risks, 2025)
    assert register.select("code", "residual_score", "band", "movement").rows() == [
        ("NEW", 9, "medium", "new"), ("UP", 9, "medium", "up"), ("DOWN", 8, "medium", "down"),
        ("SAME", 6, "medium", "same"), ("GAP", 2, "low", "up")]
    assert management.risk_table(register).select("code", "movement").rows() == [
        ("NEW", "● New"), ("UP", "▲ Up from 4 (2024)"), ("DOWN", "▼ Down from 16 (2024)"),
        ("SAME", "▶ Unchanged from 6 (2024)"), ("GAP", "▲ Up from 1 (2022)")]
    assert management.risk_summary(register) == {"risks": 5, "high": 0, "up": 2, "down": 1, "new": 1}


def test_oversight_summary_and_outstanding():
    recs = pl.DataFrame({
        "ref": ["a", "b", "c", "d", "e"], "source": ["IA"] * 5, "title": ["t"] * 5, "priority": ["high"] * 5,
        "owner": ["GS"] * 5,
        "issued_on": ["2021-03-01", "2021-05-01", "2021-06-01", "2024-01-01", "2024-02-01"],
        "accepted": [True, True, False, True, None],
        "implemented_on": ["2022-01-01", None, None, None, None],
    })
    summary = management.oversight_summary(recs)
    assert summary.rows() == [(2021, 3, 2, 0, 1, 1), (2024, 2, 1, 1, 0, 1)]
    outstanding = management.outstanding_recommendations(recs, dt.date(2025, 12, 31))
    assert outstanding["ref"].to_list() == ["b"]


def test_resolution_progress_and_open_commitments():
    actions = pl.DataFrame({"resolution_code": ["R151", "R151", "R71"], "resolution_title": ["RBM", "RBM", "Plan"],
                            "ref": ["A1", "A2", "A1"], "year": [2025, 2025, 2024],
                            "status": ["implemented", "ongoing", "ongoing"], "progress_pct": [100.0, 40.0, 10.0]})
    assert management.resolution_progress(actions, 2025).rows() == [("R151", "RBM", 2, 1, 70.0)]
    commitments = pl.DataFrame({"year": [2024, 2024, 2025], "text": ["x", "y", "z"], "due_on": ["2025-01-01"] * 3,
                                "status": ["implemented", "ongoing", "not started"]})
    assert management.open_commitments(commitments)["text"].to_list() == ["y", "z"]


def test_risk_filters_by_owner_and_category_and_the_top_risks():
    risks = pl.DataFrame(
        [("A", "financial", "GS", 4, 4), ("B", "financial", "ITU-D", 2, 2), ("C", "operational", "GS", 3, 5),
         ("D", "operational", "GS", 1, 1), ("E", "strategic", "ITU-R", 5, 4), ("F", "operational", "ITU-D", 3, 3),
         ("G", "operational", "GS", 3, 3)],
        schema=["code", "category", "owner", "residual_likelihood", "residual_impact"], orient="row",
    ).with_columns(year=pl.lit(2025), title=pl.col("code"), mitigation=pl.lit(""), inherent_likelihood=pl.lit(5),
                   inherent_impact=pl.col("residual_impact"))
    register = management.risk_register(risks, 2025)
    assert management.risk_filter_options(register) == (["GS", "ITU-D", "ITU-R"],
                                                        ["financial", "operational", "strategic"])
    assert management.filter_risks(register)["code"].to_list() == ["E", "A", "C", "F", "G", "B", "D"]
    assert management.filter_risks(register, owner="GS")["code"].to_list() == ["A", "C", "G", "D"]
    assert management.filter_risks(register, category="operational")["code"].to_list() == ["C", "F", "G", "D"]
    assert management.filter_risks(register, owner="GS", category="operational")["code"].to_list() == ["C", "G", "D"]
    assert management.filter_risks(register, owner="ITU-R", category="financial").is_empty()
    # the top five by residual score; F and G tie on 9: the higher inherent score (5 x 3 both) then the code
    assert management.top_risks(register).select("code", "residual_score").rows() == [
        ("E", 20), ("A", 16), ("C", 15), ("F", 9), ("G", 9)]
    assert management.top_risks(management.filter_risks(register, owner="ITU-D"), 1)["code"].to_list() == ["F"]
    assert management.risk_summary(management.filter_risks(register, owner="GS")) == {
        "risks": 4, "high": 2, "up": 0, "down": 0, "new": 4}


def test_a_commitment_past_its_due_date_and_not_implemented_is_overdue_on_the_date_given():
    """Commitments due 2025-03-31 still read "ongoing", with no overdue flag."""
    commitments = pl.DataFrame({
        "year": [2024, 2024, 2025, 2025, 2025], "forum": ["Retreat 2024"] * 2 + ["Retreat 2025"] * 3,
        "text": ["a", "b", "c", "d", "e"],
        "due_on": ["2025-03-31", "2025-03-31", "2026-03-31", "2025-12-02", None],
        "status": ["implemented", "ongoing", "not started", "ongoing", "ongoing"]})
    standing = management.commitment_standing(commitments, dt.date(2025, 12, 2))
    assert standing.select("text", "overdue", "days_overdue", "standing").rows() == [
        ("a", False, 0, "Implemented"), ("b", True, 246, "Overdue by 246 days"),
        ("c", False, 0, "Due in 119 days"), ("d", False, 0, "Due today"), ("e", False, 0, "No due date")]
    # The same commitments a day before "b" was due: nothing overdue.
    assert not management.commitment_standing(commitments, dt.date(2025, 3, 30))["overdue"].any()
    assert management.last_retreat(commitments) == (2025, "Retreat 2025")
    assert management.last_retreat(commitments.clear()) is None


def test_recommendations_by_source_from_received_to_implemented_and_open_ones_by_age():
    recs = pl.DataFrame({
        "ref": ["a", "b", "c", "d", "e", "f"], "source": ["JIU", "JIU", "JIU", "External Auditor", "IMAC", "IMAC"],
        "title": ["t"] * 6, "priority": ["high"] * 6, "owner": ["GS", "BDT", "GS", "GS", "TSB", "GS"],
        "issued_on": ["2021-06-30", "2024-01-15", "2025-03-01", "2023-12-31", "2022-12-30", "2026-01-01"],
        "accepted": [True, True, None, True, False, True],
        "implemented_on": [None, "2025-01-01", None, None, None, None]})
    assert management.oversight_pipeline(recs, "source").rows() == [
        ("External Auditor", 1, 1, 0, 0, 1), ("IMAC", 2, 1, 0, 0, 1), ("JIU", 3, 2, 1, 1, 1)]
    # On 2025-12-31: JIU "a" is 4.5 years old, the External Auditor's "d" 2 years; IMAC's "f" is not issued yet.
    assert management.open_by_age(recs, dt.date(2025, 12, 31)).rows() == [
        ("External Auditor", 0, 0, 1, 0, 1), ("IMAC", 0, 0, 0, 0, 0), ("JIU", 0, 0, 0, 1, 1)]
    assert management.oversight_summary(recs)["received"].to_list() == [1, 1, 1, 1, 1, 1]


def test_a_resolutions_items_give_this_years_status_beside_last_years():
    actions = pl.DataFrame({
        "resolution_code": ["R151"] * 4 + ["R71"], "resolution_title": ["RBM"] * 4 + ["Plan"],
        "ref": ["A1", "A1", "A2", "A3", "A1"], "year": [2024, 2025, 2025, 2024, 2025],
        "description": ["d1", "d1", "d2", "d3", "p1"], "owner": ["GS", "GS", "BDT", "TSB", "GS"],
        "status": ["ongoing", "implemented", "not started", "ongoing", "ongoing"],
        "progress_pct": [50.0, 100.0, 0.0, 10.0, 30.0]})
    assert management.resolution_items(actions, 2025).rows() == [
        ("R151", "RBM", "A1", "d1", "GS", "implemented", 100.0, "ongoing"),
        ("R151", "RBM", "A2", "d2", "BDT", "not started", 0.0, None),
        ("R71", "Plan", "A1", "p1", "GS", "ongoing", 30.0, None)]


# ---------------------------------------------------------------- issue 16: links, the retreat, the framework

LINK_SCHEMA = {"record_kind": pl.String, "record_ref": pl.String, "node_id": pl.Int64, "indicator_id": pl.Int64}


def test_linked_refs_take_links_to_the_nodes_or_their_indicators_once():
    links = pl.DataFrame([("commitment", "R1", 1, None), ("commitment", "R1", None, 7), ("commitment", "R2", 2, None),
                          ("risk", "R1", 1, None), ("commitment", "R3", None, 8)], schema=LINK_SCHEMA, orient="row")
    assert management.linked_refs(links, "commitment", [1], [7, 8]) == ["R1", "R3"]
    assert management.linked_refs(links, "commitment", [], []) == []


def test_the_retreat_table_gives_each_commitment_its_indicators_status_and_latest_note():
    """Commitments due 2025-03-31 still read "ongoing", tied to no indicator: now overdue, with the indicator's
    status beside them; follow-ups and links naming no commitment, or an indicator gone, are ignored."""
    commitments = pl.DataFrame({"ref": ["R1", "R2"], "year": [2025, 2025], "forum": ["Retreat"] * 2,
                                "text": ["Recruit in under 130 days", "Values"], "owner": ["GS", "ITU"],
                                "due_on": ["2025-03-31", "2026-03-31"], "status": ["ongoing", "implemented"]})
    follow_ups = pl.DataFrame({"commitment_ref": ["R1", "R1", "GONE"], "noted_on": ["2025-10-15", "2025-06-30", "2025-01-01"],
                               "status": ["ongoing", "not started", "ongoing"], "note": ["still 141", "begun", "x"]})
    links = pl.DataFrame([("commitment", "R1", None, 7), ("commitment", "R1", None, 99), ("commitment", "GONE", None, 7),
                          ("commitment", "R1", 3, None)], schema=LINK_SCHEMA, orient="row")
    statuses = pl.DataFrame({"indicator_id": [7], "code": ["E1.RECRUIT"], "status": ["off_track"],
                             "latest_value": [141.0], "latest_year": [2025], "latest_flag": [None], "unit": ["days"]})
    standing = management.commitment_standing(commitments, dt.date(2025, 12, 2))
    table = management.commitment_table(standing, follow_ups, links, statuses, lambda s: s.replace("_", " "))
    assert table.select("ref", "overdue", "standing", "linked_indicators", "latest_note").rows() == [
        ("R1", True, "Overdue by 246 days", "off track · E1.RECRUIT 141 days (2025)", "2025-10-15: still 141"),
        ("R2", False, "Implemented", management.NO_INDICATOR, management.NO_NOTE)]
    assert management.follow_up_notes(follow_ups, "R1").rows() == [("2025-10-15", "ongoing", "still 141"),
                                                                   ("2025-06-30", "not started", "begun")]
    assert management.follow_up_notes(follow_ups, "R2").is_empty()


def test_a_recommendation_says_where_it_stands_open_ones_first():
    recs = pl.DataFrame({"ref": ["a", "b", "c", "d"], "source": ["JIU"] * 4, "title": ["t"] * 4,
                         "priority": ["high"] * 4, "owner": ["GS"] * 4,
                         "issued_on": ["2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01"],
                         "accepted": [True, True, None, False], "implemented_on": ["2021-06-30", None, None, None]})
    assert management.recommendation_states(recs).select("ref", "state").rows() == [
        ("b", "Accepted, open"), ("c", "Awaiting a decision"), ("d", "Not accepted"), ("a", "Implemented on 2021-06-30")]


def test_the_accountability_grid_puts_each_components_status_under_its_year():
    components = pl.DataFrame({"code": ["B1", "A1", "A2"], "pillar": ["Two", "One", "One"],
                               "name": ["Control environment", "Basic Instruments", "Results Framework"],
                               "position": [3, 1, 2], "source": ["C18/20"] * 3})
    assessments = pl.DataFrame({"component_code": ["A1", "A1", "A2", "B1", "GONE"], "year": [2024, 2025, 2025, 2024, 2023],
                                "status": ["partly in place", "in place", "not in place", "in place", "in place"],
                                "note": [""] * 5})
    grid = management.accountability_grid(components, assessments)
    # the assessment of a component no longer listed adds no year; a year not assessed says so
    assert grid.rows() == [
        (1, "One", "A1", "Basic Instruments", "C18/20", "partly in place", "in place"),
        (1, "One", "A2", "Results Framework", "C18/20", "not assessed", "not in place"),
        (2, "Two", "B1", "Control environment", "C18/20", "in place", "not assessed")]
    assert grid.columns[-2:] == ["2024", "2025"]
    assert management.accountability_counts(grid, 2025) == {"in place": 1, "partly in place": 0, "not in place": 1,
                                                            "not assessed": 1}
    assert management.accountability_counts(grid, 2030) == {"in place": 0, "partly in place": 0, "not in place": 0,
                                                            "not assessed": 3}


def test_the_accountability_heat_table_colours_and_words_follow_the_status():
    from kpi.charts.management import accountability_heatmap
    from kpi.charts.table import figure_table
    from kpi.charts.theme import ACCOUNTABILITY_STYLES
    from kpi.dimensions import ACCOUNTABILITY_STATUSES, NOT_ASSESSED

    assert list(ACCOUNTABILITY_STYLES) == [*ACCOUNTABILITY_STATUSES, NOT_ASSESSED]
    grid = pl.DataFrame({"pillar_number": [1, 2], "pillar": ["One", "Two"], "code": ["A1", "B1"],
                         "component": ["Basic Instruments", "Monitoring"], "source": ["s", "s"],
                         "2024": ["not in place", "not assessed"], "2025": ["in place", "partly in place"]})
    fig = accountability_heatmap(grid)
    heat = fig.data[0]
    assert [list(r) for r in heat.z] == [[1, 3], [0, 2]]
    colours = dict((round(v * 3), c) for v, c in heat.colorscale)
    assert [colours[z] for row in heat.z for z in row] == [ACCOUNTABILITY_STYLES[s].colour for s in (
        "not in place", "in place", "not assessed", "partly in place")]
    assert figure_table(fig).rows() == [("1 · Basic Instruments", "✖ Not in place", "✔ In place"),
                                        ("2 · Monitoring", "– Not assessed", "◐ Partly in place")]


# ---------------------------------------------------------------- the management page shows them

def _open(user: str | None = "staff@demo.invalid"):
    from tests.access_support import open_page

    return open_page("pages/management.py", user)


def _demo(url: str):
    from kpi.scorecard import indicator_status
    from kpi.store.engine import make_engine
    from kpi.store.frames import load_management, load_results

    engine = make_engine(url)
    results, data = load_results(engine), load_management(engine)
    engine.dispose()
    return results, data, indicator_status(results, "2024-2027", 2025, validated_only=False)


def test_the_retreat_view_sets_each_commitment_beside_its_indicators_and_follow_ups(demo_env, monkeypatch):
    from kpi.text import markdown_text
    from ui.widgets import status_text

    _, data, statuses = _demo(demo_env)
    # Overdue is judged against the injected date, not the machine's: the day after the 2025 retreat's due date.
    monkeypatch.setenv(config.TODAY_ENV, "2026-04-01")
    at = _open()
    today = dt.date(2026, 4, 1)
    table = management.commitment_table(management.commitment_standing(data.commitments, today), data.follow_ups,
                                        data.links, statuses, status_text)
    latest = table.filter(pl.col("year") == 2025)
    shown = next(pl.from_pandas(t.value) for t in at.dataframe if "linked_indicators" in t.value.columns)
    assert shown.rows() == latest.select(shown.columns).rows()
    recruit = shown.filter(pl.col("text") == "Bring the average recruitment time under 130 days").row(0, named=True)
    assert recruit["linked_indicators"] == "✖ Off track · E1.RECRUIT 141 days (2025)"
    markdown = [m.value for m in at.markdown]
    assert f"Linked indicators: {markdown_text('✖ Off track · E1.RECRUIT 141 days (2025)')}" in markdown
    notes = management.follow_up_notes(data.follow_ups, "R2025-2")
    assert "  \n".join(f"{markdown_text(d)} ({markdown_text(s)}): {markdown_text(n)}" for d, s, n in notes.rows()) \
        in markdown and notes["noted_on"].to_list() == ["2025-10-15", "2025-06-30"]
    # the 2024 retreat's commitments due 2025-03-31 and still ongoing are overdue, with the word and the badge
    overdue = table.filter(pl.col("overdue"))
    assert overdue["ref"].to_list() == [ref for ref, due, status in data.commitments.select("ref", "due_on", "status")
                                        .iter_rows() if due < today.isoformat() and status != "implemented"]
    assert dict(overdue.select("ref", "standing").iter_rows()) == {
        "R2024-2": "Overdue by 366 days", "R2024-3": "Overdue by 366 days",  # due 2025-03-31, still ongoing
        "R2025-1": "Overdue by 1 day", "R2025-2": "Overdue by 1 day", "R2025-3": "Overdue by 1 day"}
    for row in overdue.iter_rows(named=True):
        assert any(m.startswith(f"**{markdown_text(row['text'])}**") and f":red-badge[:material/schedule: "
                   f"{row['standing']}]" in m for m in markdown)


def test_a_commitment_not_yet_due_on_the_injected_date_is_not_overdue(demo_env, monkeypatch):
    monkeypatch.setenv(config.TODAY_ENV, "2026-03-31")  # the 2025 retreat's commitments are due that day
    at = _open()
    shown = next(pl.from_pandas(t.value) for t in at.dataframe if "linked_indicators" in t.value.columns)
    assert dict(shown.select("text", "standing").iter_rows()) == {
        "Review the enabler indicators with the Coordination Committee every quarter": "Due today",
        "Bring the average recruitment time under 130 days": "Due today",
        "Close every oversight recommendation older than three years": "Due today"}
    cards = [m.value for m in at.markdown if m.value.startswith(("**Review the enabler", "**Bring the average",
                                                                 "**Close every oversight"))]
    assert len(cards) == 3 and not any(":red-badge[" in card for card in cards)


def test_an_injected_date_that_is_not_a_date_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv(config.TODAY_ENV, "31/03/2026")
    with pytest.raises(ValueError) as refused:
        config.today()
    assert str(refused.value) == "RBM_TODAY='31/03/2026' is not a date (expected YYYY-MM-DD)"


def test_the_accountability_tab_draws_the_grid_kpi_computes_with_its_source(demo_env):
    import json

    _, data, _ = _demo(demo_env)
    at = _open(None)  # public: the framework's status is reported to the Council
    grid = management.accountability_grid(data.components, data.assessments)
    heat = next(t for c in at.get("plotly_chart") for t in json.loads(c.proto.spec)["data"]
                if t["type"] == "heatmap" and t["x"] == ["2022", "2023", "2024", "2025"])
    assert heat["text"] == [[f"{'✔ In place' if s == 'in place' else '◐ Partly in place' if s == 'partly in place' else '✖ Not in place'}"
                             for s in row[5:]] for row in grid.rows()]
    counts = management.accountability_counts(grid, 2025)
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["✔ In place (2025)"], metrics["◐ Partly in place (2025)"], metrics["✖ Not in place (2025)"]) == (
        str(counts["in place"]), str(counts["partly in place"]), str(counts["not in place"]))
    assert any(c.value.startswith("Components and pillars: Council document C18\\/20 \\(2018\\).")
               and c.value.endswith("The yearly statuses are illustrative (synthetic demo data).") for c in at.caption)


def test_the_operational_plans_tab_shows_items_and_resources_kpi_computes(demo_env):
    from kpi.results_chain import plan_resources, plan_table
    from kpi.scorecard import indicator_status
    from ui.widgets import status_text

    results, data, statuses = _demo(demo_env)
    at = _open(None)
    table = plan_table(data.plan_items, results.nodes.filter(pl.col("cycle_code") == "2024-2027"),
                       indicator_status(results, "2024-2027", 2025, validated_only=True), status_text)
    tables = [pl.from_pandas(t.value) for t in at.dataframe]
    resources = plan_resources(table)
    assert any(t.columns == resources.columns and t.rows() == resources.rows() for t in tables)
    items = table.filter(pl.col("year") == 2025).drop("year")
    assert any(t.columns == items.columns and t.rows() == items.rows() for t in tables) and items.height == 14
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Plan items (2025)"] == "14"


def test_no_table_of_the_management_page_shows_a_raw_field_name(demo_env):
    """Column headers were raw field names (due_on, inherent_score)."""

    at = _open()
    assert raw_headers(at) == [] and len(at.dataframe) > 10


def test_a_risk_opened_from_its_node_shows_every_assessment_of_it(demo_env):
    """The node page links each risk to the register (?tab=Risks&risk=CODE): the risk's card gives its
    assessments year by year as kpi computes them, and the node it threatens."""
    from kpi.text import markdown_text

    results, data, _ = _demo(demo_env)
    register = management.risk_register(data.risks, 2025)
    risk = register.filter(pl.col("node_id").is_not_null()).row(0, named=True)
    at = _open()
    at.query_params["tab"], at.query_params["risk"] = "Risks", risk["code"]
    at.run()
    assert [e.value for e in at.exception] == []
    assert at.selectbox(key="url:risk").value == risk["code"]
    assert f"**{markdown_text(risk['code'])}** {markdown_text(risk['title'])}" in [m.value for m in at.markdown]
    history = management.risk_history(data.risks, risk["code"])
    shown = [pl.from_pandas(t.value) for t in at.dataframe if list(t.value.columns) == history.columns]
    assert len(shown) == 1 and shown[0].rows() == history.rows() and history.height >= 2
    node = results.nodes.filter(pl.col("node_id") == risk["node_id"]).row(0, named=True)
    assert (f"Results chain of {markdown_text(node['kind'].capitalize() + ' ' + node['node_code'])}", "results-chain") \
        in [(e.proto.label, e.proto.page) for e in at.main.get("page_link")]
