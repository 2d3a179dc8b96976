"""Overview: the Strategic Plan's goals with the status counts of their indicators."""
from __future__ import annotations

import streamlit as st

from kpi.scorecard import indicator_status, status_counts
from ui import data as ui_data
from ui.widgets import data_stamp, status_counts_markdown, synthetic_notice

results = ui_data.results()
filters = st.session_state["filters"]
cycle = results.cycles.filter(results.cycles["cycle_code"] == filters.cycle).row(0, named=True)

st.title(cycle["cycle_name"])
st.caption(f"{cycle['instrument']} · status as of {filters.year} · {data_stamp(results.meta)}")
synthetic_notice()

statuses = indicator_status(results, filters.cycle, filters.year)
if statuses.is_empty():
    st.warning(f"No indicators are defined for the plan cycle {filters.cycle} yet.")
    st.stop()

by_root = status_counts(statuses, ["root_code", "root_name", "root_kind"])
nodes = results.nodes.filter(results.nodes["cycle_code"] == filters.cycle)
statements = dict(zip(nodes["node_code"].to_list(), nodes["statement"].to_list(), strict=True))

for row in by_root.iter_rows(named=True):
    with st.container(border=True):
        kind = "Goal" if row["root_kind"] == "goal" else "Enabler"
        st.subheader(f"{kind} {row['root_code']}: {row['root_name']}")
        st.caption(statements.get(row["root_code"], ""))
        st.markdown(f"**{row['total']} indicators** · " + status_counts_markdown(row))
