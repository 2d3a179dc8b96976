"""Budgets linked to results, risks, oversight, resolutions and commitments, on hand-made frames."""
from __future__ import annotations

import datetime as dt

import polars as pl
from polars.testing import assert_frame_equal

from kpi import management


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
