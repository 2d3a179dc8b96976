"""Scorecard: every goal with its outcomes, outputs and enablers, and their indicators' statuses."""
from __future__ import annotations

import polars as pl
import streamlit as st

from kpi.scorecard import status_counts
from kpi.text import markdown_text
from ui import cache, data as ui_data
from ui.filters import current_filters, link_params
from ui.urlstate import set_url_value, url_segmented
from ui.widgets import data_stamp, status_cell_style, status_counts_markdown, synthetic_notice

ALL_GOALS = "All"


def focus_on(code: str) -> None:
    """Drill into one goal (button callback: the goal selector and the URL take the new value)."""
    set_url_value("goal", code)


results = ui_data.results()
filters = current_filters()
statuses = cache.statuses(filters.cycle, filters.year, filters.validated_only)
if filters.sector:
    statuses = statuses.filter(pl.col("owner") == filters.sector)

cycle_name = results.cycles.filter(pl.col("cycle_code") == filters.cycle)["cycle_name"][0]
st.title("Scorecard")
st.caption(f"{markdown_text(cycle_name)} · status as of {filters.year}"
           + (f" · {filters.sector} only" if filters.sector else "") + f" · {data_stamp(results.meta)}")
synthetic_notice()

if statuses.is_empty():
    st.warning("No indicators match these filters: choose another plan cycle or Sector in the sidebar.")
    st.stop()

roots = statuses.select("root_code", "root_name", "root_kind").unique(maintain_order=True)
goal = url_segmented("Goal", [ALL_GOALS, *roots["root_code"].to_list()], key="goal", default=ALL_GOALS,
                     format_func=lambda c: "All goals" if c == ALL_GOALS else markdown_text(c))
shown = statuses if goal in (None, ALL_GOALS) else statuses.filter(pl.col("root_code") == goal)
overall = status_counts(shown, []).row(0, named=True) if not shown.is_empty() else {}
st.markdown(f"**{overall.get('total', 0)} indicators** · " + status_counts_markdown(overall))

TABLE_COLUMNS = {
    "Status": st.column_config.TextColumn("Status", width="medium"),  # "Off track" whole on a projector
    "Under": st.column_config.TextColumn("Under", width="small", help="The outcome or output it measures"),
    "Indicator": st.column_config.TextColumn("Indicator", width="large"),
    "Latest": st.column_config.TextColumn("Latest", width="medium"),
    "Target": st.column_config.TextColumn("Target", width="medium"),
    "Gap still open": st.column_config.NumberColumn(
        "Gap still open", format="%.0f %%", width="small",
        help="Share of the baseline-to-target gap still to close: 0 % reached, 100 % no progress since the "
             "baseline, more when it moved away. Click the header to sort."),
    "Trend": st.column_config.LineChartColumn("Trend", width="small"),
}
DISPLAY = list(TABLE_COLUMNS)
table_rows = cache.scorecard(filters.cycle, filters.year, filters.validated_only, filters.sector, filters.years)


def coloured(rows: pl.DataFrame):
    """The goal's table with each Status cell tinted in its status colour (the icon and word stay: colour is
    never the only cue)."""
    styles = dict(zip(rows["Status"].to_list(), (status_cell_style(s) for s in rows["status"].to_list()), strict=False))
    return rows.select(DISPLAY).to_pandas().style.map(lambda word: styles.get(word, ""), subset=["Status"])


for root in roots.iter_rows(named=True):
    if goal not in (None, ALL_GOALS) and root["root_code"] != goal:
        continue
    part = shown.filter(pl.col("root_code") == root["root_code"])
    counts = status_counts(part, []).row(0, named=True)
    kind = "Goal" if root["root_kind"] == "goal" else "Enabler"
    with st.container(border=True):
        head, action = st.columns([5, 1], vertical_alignment="center")
        head.subheader(f"{kind} {markdown_text(root['root_code'])}: {markdown_text(root['root_name'])}")
        if goal in (None, ALL_GOALS):
            action.button("Open goal", key=f"open-{root['root_code']}", on_click=focus_on, args=(root["root_code"],),
                          icon=":material/zoom_in:", help="Drill into this goal")
        else:
            action.button("All goals", key="back", on_click=focus_on, args=(ALL_GOALS,), icon=":material/arrow_back:")
        head.markdown(f"**{counts['total']} indicators** · " + status_counts_markdown(counts))
        head.page_link("pages/results_chain.py", query_params=link_params(node=root["root_code"]),
                       label=f"Results chain of {kind.lower()} {markdown_text(root['root_code'])}: budget, risks, "
                             "oversight, resolutions, commitments", icon=":material/account_tree:")
        # One table per goal: its outcomes' and outputs' indicators together, the level in a column.
        rows = table_rows.filter(pl.col("root_code") == root["root_code"]).with_columns(
            pl.when(pl.col("node_code") == root["root_code"]).then(pl.lit(kind))
            .otherwise(pl.col("kind").str.to_titlecase() + " " + pl.col("node_code")).alias("Under"))
        # No target, no gap: an empty cell reads "–" (Streamlit's default placeholder is the word "None").
        event = st.dataframe(coloured(rows), hide_index=True, column_config=TABLE_COLUMNS, on_select="rerun",
                             selection_mode="single-row", key=f"table-{root['root_code']}", placeholder="–")
        # What the outcomes and outputs of the "Under" column are, then the reasons in full (a table cell would
        # cut a sentence short).
        for node in rows.filter(pl.col("node_code") != root["root_code"]).select(
                "node_code", "node_name", "kind").unique(maintain_order=True).iter_rows(named=True):
            st.markdown(f"**{node['kind'].capitalize()} {markdown_text(node['node_code'])}: "
                        f"{markdown_text(node['node_name'])}**")
        st.markdown("\n".join(f"- **{markdown_text(c)}** {why}"
                               for c, why in rows.select("code", "Why this status").iter_rows()))
        if event.selection.rows:
            code = rows["code"][event.selection.rows[0]]
            st.switch_page("pages/explorer.py", query_params=link_params(indicator=code))
st.caption("Select a row to open the indicator. Statuses follow the method in the README: observed growth since "
           "the baseline against the growth needed to reach the target in time.")
