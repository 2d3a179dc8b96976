"""Results chain: one goal, outcome, output or enabler with its indicators, its budget over the years, its risks,
the oversight recommendations, resolution actions and retreat commitments linked to it and its operational plan
items: where the strategic, financial and operational plans meet (kpi.results_chain)."""
from __future__ import annotations

import polars as pl
import streamlit as st

from kpi import config
from kpi import dimensions as dims
from kpi.charts.management import budget_years
from kpi.formatting import format_chf
from kpi.results_chain import NOTHING_LINKED, node_view
from kpi.text import markdown_text
from ui import cache, data as ui_data
from ui.auth import current_actor
from ui.filters import current_filters, link_params
from ui.urlstate import url_selectbox
from ui.tables import column_config
from ui.widgets import chart, data_stamp, status_counts_markdown, status_text, synthetic_notice

#: Human labels of the node page's tables (a risk's or a recommendation's title says what it is).
COLUMNS = column_config(title="Risk", days_overdue=None)

filters = current_filters()
results = ui_data.results()
nodes = results.nodes.filter(pl.col("cycle_code") == filters.cycle)
if nodes.is_empty():
    st.warning(f"The plan cycle {markdown_text(filters.cycle)} has no goals yet.")
    st.stop()
names = dict(nodes.select("node_code", "node_name").iter_rows())
kinds = dict(nodes.select("node_code", "kind").iter_rows())
# A selectbox shows plain text: the names are not escaped here.
code = url_selectbox("Goal, outcome or output", list(names), key="node",
                     format_func=lambda c: f"{kinds[c].capitalize()} {c} · {names[c]}",
                     help="Type to search. The goals' cards on the overview and the scorecard open their goal here.")
management = cache.management()
statuses = cache.statuses(filters.cycle, filters.year, filters.validated_only)
# Overdue commitments are judged on the day the page is read.
view = node_view(nodes, statuses, management, code, filters.year, as_of=config.today(), status_label=status_text)
node = view.node

st.title(markdown_text(f"{node['kind'].capitalize()} {node['node_code']}: {node['node_name']}"))
st.caption(f"{markdown_text(node['statement'] or '')} · status as of {filters.year} · {data_stamp(results.meta)}")
synthetic_notice()
links = []
if view.parent is not None:
    links.append((f"Under: {view.parent['kind']} {view.parent['node_code']}", view.parent["node_code"]))
links += [(f"{c['kind'].capitalize()} {c['node_code']}", c["node_code"]) for c in view.children.iter_rows(named=True)]
if links:
    for column, (label, target) in zip(st.columns(min(len(links), 5)), links[:5]):
        column.page_link("pages/results_chain.py", label=markdown_text(label), query_params=link_params(node=target),
                         icon=":material/account_tree:")

st.subheader("Indicators")
counts = {s: int((view.indicators["status"] == s).sum()) for s in view.indicators["status"].unique().to_list()}
st.markdown(f"**{view.indicators.height} indicators** · " + status_counts_markdown(counts))
for row in view.indicators.iter_rows(named=True):
    with st.container(key=f"chain-indicator-{row['code']}", gap=None):
        st.page_link("pages/explorer.py", label=f"{status_text(row['status'])} · {markdown_text(row['code'])} "
                                                f"{markdown_text(row['name'])}",
                     query_params=link_params(indicator=row["code"]), width="stretch")
        st.caption(markdown_text(row["explanation"]))

st.subheader("Budget")
this_year = view.budget.filter(pl.col("year") == filters.year)
if view.budget.is_empty():
    st.info("No budget lines under this node.")
else:
    cols = st.columns(3)
    planned = this_year["planned_chf"].sum() if not this_year.is_empty() else None
    actual = this_year["actual_chf"].sum() if not this_year.is_empty() else None
    execution = this_year["execution_pct"].first() if not this_year.is_empty() else None
    cols[0].metric(f"Planned ({filters.year})", format_chf(planned) if planned else "–")
    cols[1].metric(f"Actual ({filters.year})", format_chf(actual) if actual else "–")
    cols[2].metric(f"Execution ({filters.year})", f"{execution:.1f} %" if execution is not None else "–")
    chart(budget_years(view.budget, projector=filters.projector), key="chain-budget", projector=filters.projector,
          config={"displaylogo": False})
    if view.budget_by_output.height > 1:
        st.markdown(f"**Cost per output, {filters.year}**")
        st.dataframe(view.budget_by_output, hide_index=True, column_config=COLUMNS)

st.subheader("Risks")
if not current_actor().is_staff:  # risks are internal management records (kpi.access)
    st.caption("Risks are shown to signed-in staff.")
elif view.risks.is_empty():
    st.caption(f"No risk linked to this node was assessed in {filters.year}.")
else:
    st.dataframe(view.risks, hide_index=True, column_config=COLUMNS)
    # Each risk opens in the register: its assessments over the years and its mitigation.
    for risk, title in view.risks.select("code", "title").iter_rows():
        st.page_link("pages/management.py", label=f"{markdown_text(risk)}: {markdown_text(title)}",
                     icon=":material/warning:", query_params=link_params(tab="Risks", risk=risk))


def oversight_section() -> None:
    """The oversight recommendations linked to the node's subtree, open ones first (staff only)."""
    st.subheader("Oversight recommendations")
    recs = view.recommendations
    if not staff:
        st.caption("Oversight recommendations are shown to signed-in staff.")
    elif recs.is_empty():
        st.caption("No oversight recommendation is linked to this node.")
    else:
        states = recs["state"]
        st.markdown(f"**{recs.height} linked recommendations**: {int((states == dims.ACCEPTED_OPEN).sum())} accepted "
                    f"and open, {int((states == dims.AWAITING_DECISION).sum())} awaiting a decision, "
                    f"{int(states.str.starts_with(dims.RECOMMENDATION_IMPLEMENTED).sum())} implemented, "
                    f"{int((states == dims.NOT_ACCEPTED).sum())} not accepted.")
        st.dataframe(recs, hide_index=True, column_config=column_config(title="Recommendation"))


def resolutions_section() -> None:
    """The resolution actions linked to the node's subtree, as reported for the year."""
    st.subheader("Resolutions")
    if view.actions.is_empty():
        st.caption(f"No action on a resolution linked to this node was reported for {filters.year}.")
        return
    st.dataframe(view.actions.drop("resolution_title"), hide_index=True, column_config=column_config(
        ref="Item", owner="Responsible", status=f"Status {filters.year}",
        previous_status=f"Status {filters.year - 1}"))


def commitments_section() -> None:
    """The retreat commitments linked to the node's subtree, with their overdue flag and their linked indicators'
    status (staff only)."""
    st.subheader("Retreat commitments")
    if not staff:
        st.caption("Retreat commitments are shown to signed-in staff.")
    elif view.commitments.is_empty():
        st.caption("No retreat commitment is linked to this node.")
    else:
        # Where each stands and its indicators first: what a reader looks for, visible on a narrow screen too.
        st.dataframe(view.commitments.select("text", "standing", "overdue", "linked_indicators", "owner", "due_on",
                                             "status", "latest_note", "forum"),
                     hide_index=True, column_config=COLUMNS)
        st.page_link("pages/management.py", label="Open the retreat view", icon=":material/groups:",
                     query_params=link_params(tab="Retreat commitments"))


def plans_section() -> None:
    """The operational plan items that deliver the node's outputs in the year."""
    st.subheader("Operational plans")
    items = view.plan_items
    if items.is_empty():
        st.caption(f"No operational plan item delivers this node's outputs in {filters.year}.")
        return
    st.markdown(f"**{items.height} plan items** in {filters.year}, "
                f"{format_chf(items['resources_chf'].sum())} of resources")
    st.dataframe(items.select("unit", "node_code", "expected_result", "kpi", "indicator_code", "indicator_status",
                              "risk_factors", "resources_chf"), hide_index=True, column_config=COLUMNS)
    st.page_link("pages/management.py", label="Open the operational plans", icon=":material/event_note:",
                 query_params=link_params(tab="Operational plans"))


staff = current_actor().is_staff
# Said once in words when none of what bears on a node (that this reader may see) is linked to it.
if all(frame.is_empty() for frame in (view.actions, view.plan_items,
                                      *((view.risks, view.recommendations, view.commitments) if staff else ()))):
    st.info(NOTHING_LINKED, icon=":material/link_off:")
oversight_section()
resolutions_section()
commitments_section()
plans_section()
