"""kpi.results_chain and the Results chain page: one node with its indicators, budget, risks, linked oversight
recommendations, resolution actions and commitments and its operational plan items, computed over its whole subtree;
the page shows kpi's figures (risks, recommendations and commitments to staff only)."""
from __future__ import annotations

import datetime as dt

import polars as pl
from streamlit.testing.v1 import AppTest

from kpi import results_chain
from kpi.formatting import format_chf
from kpi.management import risk_register, risk_table
from kpi.scorecard import indicator_status
from kpi.text import markdown_text
from kpi.store.engine import make_engine
from kpi.store.frames import load_management, load_results, management_data
from tests.access_support import sign_in
from tests.browser_support import PROJECT_DIR
from ui.widgets import status_text
from tests.store_support import raw_headers

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
    view = results_chain.node_view(NODES, statuses, management_data(budget=BUDGET, risks=risks), "O1", 2025,
                                   as_of=dt.date(2025, 12, 2), status_label=str)
    assert (view.node["node_code"], view.parent["node_code"]) == ("O1", "G1")
    assert view.children["node_code"].to_list() == ["O1.1", "O1.2"]
    assert view.indicators["code"].to_list() == ["A", "B"]
    assert view.budget_by_output.rows() == [("O1.1", "Output a", 120.0, None), ("O1.2", "Output b", 60.0, None)]
    assert view.risks.select("code", "residual_score", "movement").rows() == [
        ("R1", 9, "▲ Up from 4 (2024)"), ("R3", 1, "● New")]


def open_page(user: str | None, *, year: str | None = None, **params: str) -> AppTest:
    """The Results chain page as ``user`` sees it, for the sidebar's ``year`` (read from the first link) and the
    page's ``params``."""
    at = sign_in(AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=120), user)
    if year:
        at.query_params["year"] = year
    at.run()
    at.switch_page("pages/results_chain.py")
    for key, value in params.items():
        at.query_params[key] = value
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
    view = results_chain.node_view(nodes, statuses, management, "G1", filters.year, as_of=dt.date.today(),
                                   status_label=status_text)
    assert at.title[0].value == markdown_text("Goal G1: Universal connectivity")
    assert f"**{view.indicators.height} indicators** · " in [m.value[:len(f"**{view.indicators.height} indicators** · ")]
                                                            for m in at.markdown]
    this_year = view.budget.filter(pl.col("year") == filters.year).row(0, named=True)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[f"Planned ({filters.year})"] == format_chf(this_year["planned_chf"])
    assert metrics[f"Execution ({filters.year})"] == (
        f"{this_year['execution_pct']:.1f} %" if this_year["execution_pct"] is not None else "–")
    ids = results_chain.subtree(nodes, view.node["node_id"])
    linked = set(management.links.filter((pl.col("record_kind") == "risk") & pl.col("indicator_id").is_in(
        view.indicators["indicator_id"].to_list()))["record_ref"])
    expected = risk_table(risk_register(management.risks.filter(pl.col("node_id").is_in(ids)
                                                                | pl.col("code").is_in(linked)), filters.year))
    shown = [pl.from_pandas(t.value) for t in at.dataframe if "movement" in t.value.columns]
    assert len(shown) == 1 and shown[0].rows() == expected.rows() and expected.height > 0
    # Each risk opens in the register, on its own card.
    risk_links = [(e.proto.label, e.proto.query_string) for e in at.main.get("page_link")
                  if e.proto.page == "management" and "risk=" in e.proto.query_string]
    assert [label for label, _ in risk_links] == [f"{markdown_text(c)}: {markdown_text(t)}"
                                                  for c, t in expected.select("code", "title").iter_rows()]
    assert all(f"risk={code}" in query and "tab=Risks" in query
               for (_, query), code in zip(risk_links, expected["code"], strict=True))
    # The public sees the same node without its risks.
    public = open_page(None)
    assert [t for t in public.dataframe if "movement" in t.value.columns] == []
    assert "Risks are shown to signed-in staff." in [c.value for c in public.caption]


# ---------------------------------------------------------------- records linked to a node (issue 16, part 2)

STATUSES = pl.DataFrame({"indicator_id": [10, 11, 12], "code": ["O1.A", "O1.B", "G2.A"], "node_id": [3, 2, 5],
                         "status": ["off_track", "achieved", "on_track"], "latest_value": [141.0, 90.0, 5.0],
                         "latest_year": [2025, 2025, 2025], "latest_flag": [None, None, None],
                         "unit": ["days", "pct", "number"]})
RECOMMENDATIONS = pl.DataFrame({
    "ref": ["IA-1", "IA-2", "JIU-1", "EA-1"], "source": ["Internal Audit", "Internal Audit", "JIU", "External Auditor"],
    "title": ["t1", "t2", "t3", "t4"], "priority": ["high"] * 4, "owner": ["GS"] * 4,
    "issued_on": ["2024-01-10", "2023-05-01", "2025-02-01", "2024-03-01"], "accepted": [True, True, None, True],
    "implemented_on": [None, "2024-06-30", None, None]})
ACTIONS = pl.DataFrame({
    "resolution_code": ["Res 48", "Res 48", "Res 71"], "resolution_title": ["HR", "HR", "Plan"],
    "ref": ["A1", "A1", "A1"], "year": [2024, 2025, 2025], "description": ["Shorten recruitment"] * 2 + ["Report"],
    "owner": ["GS", "GS", "GS"], "status": ["ongoing", "implemented", "ongoing"], "progress_pct": [60.0, 100.0, 50.0]})
COMMITMENTS = pl.DataFrame({
    "ref": ["R1", "R2", "R3"], "year": [2024, 2025, 2025], "forum": ["Retreat 2024", "Retreat 2025", "Retreat 2025"],
    "text": ["Recruit faster", "Report better", "Elsewhere"], "owner": ["GS", "GS", "ITU"],
    "due_on": ["2025-03-31", "2026-03-31", "2025-01-01"], "status": ["ongoing", "ongoing", "ongoing"]})
FOLLOW_UPS = pl.DataFrame({"commitment_ref": ["R1", "R1", "GONE"], "noted_on": ["2024-09-30", "2025-03-20", "2025-01-01"],
                           "status": ["not started", "ongoing", "ongoing"], "note": ["nothing yet", "started", "x"]})
PLAN = pl.DataFrame({"ref": ["OP-1", "OP-1", "OP-2", "OP-3"], "year": [2025, 2026, 2025, 2025],
                     "unit": ["HRMD", "HRMD", "FRMD", "BDT"], "node_id": [3, 3, 4, 5],
                     "expected_result": ["Faster", "Faster", "Cheaper", "Elsewhere"], "kpi": ["days", "days", "CHF", "x"],
                     "indicator_id": [10, 10, None, 12], "risk_factors": ["r1", "r1", "r2", "r3"],
                     "resources_chf": [100.0, 110.0, 50.0, 70.0]})


def _links(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"record_kind": pl.String, "record_ref": pl.String, "node_id": pl.Int64,
                                      "indicator_id": pl.Int64}, orient="row")


LINKS = _links([
    ("recommendation", "IA-1", 3, None), ("recommendation", "IA-2", None, 11), ("recommendation", "EA-1", 5, None),
    ("recommendation", "DELETED-REC", 3, None),                    # names a recommendation that no longer exists
    ("resolution_action", "Res 48|A1", None, 10), ("resolution_action", "Res 71|A1", 5, None),
    ("resolution_action", "Res 99|A1", 2, None),                    # a resolution that no longer exists
    ("commitment", "R1", None, 10), ("commitment", "R2", 2, None), ("commitment", "R3", 5, None),
    ("commitment", "GONE", 2, None),                                # a commitment that no longer exists
    ("commitment", "R2", None, 999),                                # an indicator that no longer exists
    ("risk", "R9", None, 11),
])
RISKS = pl.DataFrame({"code": ["R8", "R9"], "year": [2025, 2025], "title": ["own node", "linked"], "category": ["c"] * 2,
                      "owner": ["GS"] * 2, "node_id": [5, 5], "inherent_likelihood": [3, 4], "inherent_impact": [3, 4],
                      "residual_likelihood": [2, 3], "residual_impact": [2, 3], "mitigation": ["m"] * 2})


def _records(**frames: pl.DataFrame):
    return management_data(**{"recommendations": RECOMMENDATIONS, "actions": ACTIONS, "commitments": COMMITMENTS,
                              "follow_ups": FOLLOW_UPS, "plan_items": PLAN, "links": LINKS, "risks": RISKS, **frames})


def test_a_node_gathers_the_records_linked_to_its_subtree_and_ignores_links_to_records_gone():
    view = results_chain.node_view(NODES, STATUSES, _records(), "O1", 2025, as_of=dt.date(2025, 12, 2),
                                   status_label=lambda s: f"<{s}>")
    # IA-1 by a node under O1, IA-2 by an indicator of O1; EA-1 is G2's; DELETED-REC is not a recommendation
    assert view.recommendations.select("ref", "state").rows() == [("IA-1", "Accepted, open"),
                                                                  ("IA-2", "Implemented on 2024-06-30")]
    assert view.actions.select("resolution_code", "ref", "status", "progress_pct", "previous_status").rows() == [
        ("Res 48", "A1", "implemented", 100.0, "ongoing")]
    assert view.commitments.select("ref", "overdue", "standing", "linked_indicators", "latest_note").rows() == [
        ("R1", True, "Overdue by 246 days", "<off_track> · O1.A 141 days (2025)", "2025-03-20: started"),
        ("R2", False, "Due in 119 days", "No indicator linked", "No follow-up yet")]
    assert view.plan_items.select("ref", "unit", "goal_code", "node_code", "indicator_code", "indicator_status",
                                  "resources_chf").rows() == [
        ("OP-2", "FRMD", "G1", "O1.2", None, None, 50.0), ("OP-1", "HRMD", "G1", "O1.1", "O1.A", "<off_track>", 100.0)]
    # a risk is the node's by its own node or by a link to an indicator of the node: R9 (G2's) through O1.B
    assert view.risks["code"].to_list() == ["R9"]


def test_a_node_with_nothing_linked_has_empty_records():
    view = results_chain.node_view(NODES, STATUSES, _records(links=LINKS.clear(), plan_items=PLAN.clear()), "O1",
                                   2025, as_of=dt.date(2025, 12, 2), status_label=str)
    assert [f.height for f in (view.risks, view.recommendations, view.actions, view.commitments,
                               view.plan_items)] == [0, 0, 0, 0, 0]


def test_the_operational_plan_links_items_to_their_output_goal_and_indicator_and_sums_resources():
    table = results_chain.plan_table(PLAN, NODES, STATUSES, str)
    assert table.select("ref", "year", "goal_code", "node_code", "indicator_code").rows() == [
        ("OP-3", 2025, "G2", "G2", "G2.A"), ("OP-2", 2025, "G1", "O1.2", None), ("OP-1", 2025, "G1", "O1.1", "O1.A"),
        ("OP-1", 2026, "G1", "O1.1", "O1.A")]
    assert results_chain.plan_resources(table).rows() == [
        ("BDT", 1, 70.0, None), ("FRMD", 1, 50.0, None), ("HRMD", 1, 100.0, 110.0), ("Total", 3, 220.0, 110.0)]
    # an item delivering a node of another plan cycle (not among the nodes) is left out
    assert results_chain.plan_table(PLAN.with_columns(node_id=pl.lit(99)), NODES, STATUSES, str).is_empty()


# ---------------------------------------------------------------- the node page shows them

def test_the_enabler_page_shows_its_linked_records_as_kpi_computes_them(demo_env):
    engine = make_engine(demo_env)
    results, management = load_results(engine), load_management(engine)
    engine.dispose()
    at = open_page("staff@demo.invalid", node="E1")
    filters = at.session_state["filters"]
    statuses = indicator_status(results, filters.cycle, filters.year, validated_only=filters.validated_only)
    nodes = results.nodes.filter(pl.col("cycle_code") == filters.cycle)
    view = results_chain.node_view(nodes, statuses, management, "E1", filters.year, as_of=dt.date.today(),
                                   status_label=status_text)
    tables = {tuple(t.value.columns): pl.from_pandas(t.value) for t in at.dataframe}
    recs = tables[tuple(view.recommendations.columns)]
    assert recs.rows() == view.recommendations.rows() and recs.height > 20
    commitments = next(t for cols, t in tables.items() if "linked_indicators" in cols)
    assert commitments.rows() == view.commitments.select(commitments.columns).rows()
    recruit = commitments.filter(pl.col("text") == "Bring the average recruitment time under 130 days").row(
        0, named=True)
    latest = statuses.filter(pl.col("code") == "E1.RECRUIT").row(0, named=True)
    assert recruit["linked_indicators"] == f"{status_text(latest['status'])} · E1.RECRUIT 141 days ({latest['latest_year']})"
    plan = next(t for cols, t in tables.items() if "expected_result" in cols)
    assert plan.rows() == view.plan_items.select(plan.columns).rows() and plan.height == 5
    actions = next(t for cols, t in tables.items() if "previous_status" in cols)
    assert actions.rows() == view.actions.drop("resolution_title").rows()
    assert raw_headers(at) == []


def test_a_node_with_nothing_linked_says_so(demo_env):
    """D3 in 2023, seen by the public: no plan item (the plans start in 2024), no resolution action linked."""
    at = open_page(None, year="2023", node="D3")
    assert at.title[0].value.startswith(markdown_text("Outcome D3"))
    assert [i.value for i in at.info if i.value == results_chain.NOTHING_LINKED] == [results_chain.NOTHING_LINKED]
    assert "No operational plan item delivers this node's outputs in 2023." in [c.value for c in at.caption]
