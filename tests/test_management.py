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
    assert matrix.filter(pl.col("risks") > 0).rows() == [(3, 2, 1, "R2"), (3, 5, 1, "R1")]


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
