"""Overview: the Strategic Plan's goals with the status counts of their indicators, and what needs attention."""
from __future__ import annotations

import polars as pl
import streamlit as st

from kpi.charts.status import short_label, status_bars
from kpi.presentation import ATTENTION_STATUSES
from kpi.python_columns import python_column
from kpi.scorecard import status_counts
from kpi.text import markdown_text
from ui import cache, data as ui_data
from ui.filters import current_filters, link_params
from ui.widgets import chart, data_stamp, status_counts_markdown, status_text, synthetic_notice

results = ui_data.results()
filters = current_filters()
cycle = results.cycles.filter(pl.col("cycle_code") == filters.cycle).row(0, named=True)

st.title(markdown_text(cycle["cycle_name"]))
scope = f" · {markdown_text(filters.sector)} only" if filters.sector else ""
st.caption(f"{markdown_text(cycle['instrument'])} · status as of {filters.year}{scope} · {data_stamp(results.meta)}")
synthetic_notice()

statuses = cache.statuses(filters.cycle, filters.year, filters.validated_only)
if filters.sector:  # the Sector filter: the indicators that Sector owns, as on the scorecard
    statuses = statuses.filter(pl.col("owner") == filters.sector)
if statuses.is_empty():
    st.warning(f"No indicators are defined for the plan cycle {markdown_text(filters.cycle)} yet.")
    st.stop()

by_root = status_counts(statuses, ["root_code", "root_name", "root_kind"])
nodes = results.nodes.filter(pl.col("cycle_code") == filters.cycle)
statements = dict(zip(nodes["node_code"].to_list(), nodes["statement"].to_list(), strict=True))

chart_col, attention_col = st.columns([3, 2], gap="large")
with chart_col:
    labelled = by_root.with_columns(python_column(
        by_root, ["root_code", "root_name"], lambda r: short_label(r["root_code"], r["root_name"]), "label", pl.String))
    chart(status_bars(labelled, projector=filters.projector), key="overview-bars", projector=filters.projector,
          config={"displayModeBar": False})
with attention_col:
    st.subheader("Needs attention")
    attention = statuses.filter(pl.col("status").is_in(ATTENTION_STATUSES))
    if attention.is_empty():
        st.success("No indicator is off track or at risk.")
    for row in attention.sort(pl.col("status") != "off_track", maintain_order=True).iter_rows(named=True):
        with st.container(key=f"attention-{row['code']}", gap=None):
            st.page_link("pages/explorer.py",
                         label=f"{status_text(row['status'])} · {markdown_text(row['code'])} {markdown_text(row['name'])}",
                         query_params=link_params(indicator=row["code"]), width="stretch")
            st.caption(markdown_text(row["explanation"]))  # why, beside each

for row in by_root.iter_rows(named=True):
    with st.container(border=True):
        kind = "Goal" if row["root_kind"] == "goal" else "Enabler"
        st.subheader(f"{kind} {markdown_text(row['root_code'])}: {markdown_text(row['root_name'])}")
        st.caption(markdown_text(statements.get(row["root_code"], "")))
        st.markdown(f"**{row['total']} indicators** · " + status_counts_markdown(row))
        st.page_link("pages/scorecard.py", label=f"Open {kind.lower()} {markdown_text(row['root_code'])} in the scorecard",
                     query_params=link_params(goal=row["root_code"]), icon=":material/arrow_forward:")
        st.page_link("pages/results_chain.py",
                     label=f"Its results chain: indicators, budget, risks of {markdown_text(row['root_code'])}",
                     query_params=link_params(node=row["root_code"]), icon=":material/account_tree:")
