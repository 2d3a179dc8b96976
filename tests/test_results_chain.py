"""kpi.results_chain and the Results chain page: one node with its indicators, budget and risks, computed over its
whole subtree; the page shows kpi's figures (risks to staff only)."""
from __future__ import annotations

import polars as pl
from streamlit.testing.v1 import AppTest

from kpi import results_chain
from kpi.formatting import format_chf
from kpi.management import risk_register, risk_table
from kpi.scorecard import indicator_status
from kpi.text import markdown_text
from kpi.store.engine import make_engine
from kpi.store.frames import load_management, load_results
from tests.access_support import sign_in
from tests.browser_support import PROJECT_DIR

NODES = pl.DataFrame({"node_id": [1, 2, 3, 4, 5], "node_code": ["G1", "O1", "O1.1", "O1.2", "G2"],
                      "kind": ["goal", "outcome", "output", "output", "goal"],
                      "node_name": ["Goal", "Outcome", "Output a", "Output b", "Other goal"],
                      "statement": [""] * 5, "owner": ["GS"] * 5, "parent_id": [None, 1, 2, 2, None]})
BUDGET = pl.DataFrame({"node_id": [3, 3, 4, 4, 5], "year": [2024, 2025, 2024, 2025, 2025],
                       "sector": ["GS"] * 5, "planned_chf": [100.0, 120.0, 50.0, 60.0, 999.0],
                       "actual_chf": [90.0, None, 55.0, None, 1.0]})


def test_a_nodes_subtree_holds_every_node_under_it():
    assert sorted(results_chain.subtree(NODES, 1)) == [1, 2, 3, 4]
    assert sorted(results_chain.subtree(NODES, 2)) == [2, 3, 4]
    assert results_chain.subtree(NODES, 5) == [5]


def test_a_nodes_budget_sums_its_outputs_and_execution_waits_for_spending():
    budget = results_chain.budget_by_year(BUDGET, results_chain.subtree(NODES, 1))
    assert budget.rows() == [(2024, 150.0, 145.0, 145.0 / 150.0 * 100), (2025, 180.0, None, None)]


def test_a_node_view_gathers_its_subtrees_indicators_budget_and_risks():
    statuses = pl.DataFrame({"indicator_id": [1, 2, 3], "code": ["A", "B", "C"], "node_id": [2, 4, 5],
                             "status": ["on_track", "off_track", "achieved"]})
    risks = pl.DataFrame({"code": ["R1", "R1", "R2", "R3"], "year": [2024, 2025, 2025, 2025],
                          "title": ["t1", "t1", "t2", "t3"], "category": ["c"] * 4, "owner": ["GS"] * 4,
                          "node_id": [3, 3, 5, 4], "inherent_likelihood": [4, 4, 5, 2], "inherent_impact": [4, 4, 5, 2],
                          "residual_likelihood": [2, 3, 5, 1], "residual_impact": [2, 3, 5, 1],
                          "mitigation": ["m"] * 4})
    view = results_chain.node_view(NODES, statuses, BUDGET, risks, "O1", 2025)
    assert (view.node["node_code"], view.parent["node_code"]) == ("O1", "G1")
    assert view.children["node_code"].to_list() == ["O1.1", "O1.2"]
    assert view.indicators["code"].to_list() == ["A", "B"]
    assert view.budget_by_output.rows() == [("O1.1", "Output a", 120.0, None), ("O1.2", "Output b", 60.0, None)]
    assert view.risks.select("code", "residual_score", "movement").rows() == [
        ("R1", 9, "▲ Up from 4 (2024)"), ("R3", 1, "● New")]


def open_page(user: str | None) -> AppTest:
    at = sign_in(AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=120), user)
    at.run()
    at.switch_page("pages/results_chain.py")
    at.run()
    assert [e.value for e in at.exception] == []
    return at


def test_the_page_shows_kpis_figures_for_a_goal_and_its_risks_to_staff_only(demo_env):
    engine = make_engine(demo_env)
    results, management = load_results(engine), load_management(engine)
    engine.dispose()
    at = open_page("staff@demo.invalid")
    filters = at.session_state["filters"]
    statuses = indicator_status(results, filters.cycle, filters.year, validated_only=filters.validated_only)
    nodes = results.nodes.filter(pl.col("cycle_code") == filters.cycle)
    view = results_chain.node_view(nodes, statuses, management.budget, management.risks, "G1", filters.year)
    assert at.title[0].value == markdown_text("Goal G1: Universal connectivity")
    assert f"**{view.indicators.height} indicators** · " in [m.value[:len(f"**{view.indicators.height} indicators** · ")]
                                                            for m in at.markdown]
    this_year = view.budget.filter(pl.col("year") == filters.year).row(0, named=True)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[f"Planned ({filters.year})"] == format_chf(this_year["planned_chf"])
    assert metrics[f"Execution ({filters.year})"] == (
        f"{this_year['execution_pct']:.1f} %" if this_year["execution_pct"] is not None else "–")
    ids = results_chain.subtree(nodes, view.node["node_id"])
    expected = risk_table(risk_register(management.risks.filter(pl.col("node_id").is_in(ids)), filters.year))
    shown = [pl.from_pandas(t.value) for t in at.dataframe if "movement" in t.value.columns]
    assert len(shown) == 1 and shown[0].rows() == expected.rows() and expected.height > 0
    # The public sees the same node without its risks.
    public = open_page(None)
    assert [t for t in public.dataframe if "movement" in t.value.columns] == []
    assert "Risks are shown to signed-in staff." in [c.value for c in public.caption]
