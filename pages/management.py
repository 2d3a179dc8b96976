"""Management: budgets linked to results, risks, oversight, resolutions and retreat commitments."""
from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from kpi.charts.management import budget_bars, oversight_bars, risk_heatmap
from kpi.charts.theme import STATUS_STYLES
from kpi.formatting import format_chf
from kpi.management import (
    DONE_STATUS,
    HIGH_RISK_SCORE,
    MOVEMENTS,
    budget_by_output,
    filter_risks,
    commitment_standing,
    last_retreat,
    open_by_age,
    open_commitments,
    outstanding_recommendations,
    oversight_pipeline,
    oversight_summary,
    resolution_items,
    resolution_progress,
    risk_band_ranges,
    risk_filter_options,
    risk_matrix,
    risk_register,
    risk_summary,
    risk_table,
    top_risks,
)
from kpi.status import STATUSES
from kpi.text import markdown_text
from ui import cache, data as ui_data
from ui.auth import current_actor
from ui.filters import current_filters
from ui.urlstate import url_selectbox
from ui.widgets import chart, data_stamp, synthetic_notice


filters = current_filters()
results = ui_data.results()
data = cache.management()
year = filters.year

st.title("Management: budget, risks and oversight")
st.caption(f"{year} · {data_stamp(results.meta)}")
synthetic_notice()

# Risks, oversight and retreat commitments are internal management records: staff only (kpi.access).
INTERNAL_TABS = ("Risks", "Oversight", "Retreat commitments")
tab_names = [n for n in ("Budget and results", "Risks", "Oversight", "Resolutions", "Retreat commitments")
             if current_actor().is_staff or n not in INTERNAL_TABS]
tabs = dict(zip(tab_names, st.tabs(tab_names, key="tab", bind="query-params", on_change="rerun"), strict=True))
if not current_actor().is_staff:
    st.caption("Risks, oversight recommendations and retreat commitments are shown to signed-in staff.")

with tabs["Budget and results"]:
    statuses = cache.statuses(filters.cycle, year, filters.validated_only)
    nodes = results.nodes.filter(pl.col("cycle_code") == filters.cycle)
    table = budget_by_output(data.budget, statuses, nodes, year)
    if filters.sector:
        table = table.filter(pl.col("owner") == filters.sector)
    if table.is_empty():
        st.info(f"No budget lines for {year} in the plan cycle {markdown_text(filters.cycle)}: "
                "choose a year of the plan.")
    else:
        planned, actual = table["planned_chf"].sum(), table["actual_chf"].sum()
        cols = st.columns(3)
        cols[0].metric("Planned", format_chf(planned))
        cols[1].metric("Actual", format_chf(actual) if table["actual_chf"].null_count() < table.height else "–")
        cols[2].metric("Execution", f"{actual / planned * 100:.1f} %" if actual else "–")
        chart(budget_bars(table, projector=filters.projector), key="budget-bars", projector=filters.projector,
              config={"displaylogo": False})
        st.dataframe(table, hide_index=True, column_config={
            "node_code": "Output", "node_name": "Name", "owner": "Owner", "indicators": "Indicators",
            **{s: f"{STATUS_STYLES[s].icon} {STATUS_STYLES[s].label}" for s in STATUSES},
            "planned_chf": st.column_config.NumberColumn("Planned (CHF)", format="localized"),
            "actual_chf": st.column_config.NumberColumn("Actual (CHF)", format="localized"),
            "execution_pct": st.column_config.NumberColumn("Execution %", format="%.1f"),
        })
        st.caption("Each output's budget beside the statuses of its indicators (results-based budgeting).")


def risks_tab() -> None:
    """The risk register of the year: filters, the severity heat map, the top risks, the whole register."""
    register = risk_register(data.risks, year)
    if register.is_empty():
        st.info(f"No risk assessment recorded for {year}.")
        return
    owners, categories = risk_filter_options(register)
    owner_col, category_col = st.columns(2)
    owner = url_selectbox("Risk owner", ["", *owners], key="risk_owner", container=owner_col,
                          format_func=lambda o: o or "All owners")
    category = url_selectbox("Risk category", ["", *categories], key="risk_category", container=category_col,
                             format_func=lambda c: c or "All categories")
    shown = filter_risks(register, owner=owner, category=category)
    if shown.is_empty():
        st.info(f"No risk of this owner in this category was assessed in {year}.")
        return
    summary = risk_summary(shown)
    cols = st.columns(4)
    cols[0].metric("Risks assessed", summary["risks"])
    cols[1].metric(f"High after mitigation (score {HIGH_RISK_SCORE} or more)", summary["high"])
    cols[2].metric(f"{MOVEMENTS['up']}: worse since the last review", summary["up"])
    cols[3].metric(f"{MOVEMENTS['down']}: better since the last review", summary["down"])
    left, right = st.columns([3, 2])
    chart(risk_heatmap(risk_matrix(shown), projector=filters.projector), key="risk-map",
          projector=filters.projector, container=left, config={"displayModeBar": False})
    top = top_risks(shown)
    right.markdown(f"**The top {top.height} risks** (highest residual score) and their mitigation")
    for risk, row in zip(top.iter_rows(named=True), risk_table(top).iter_rows(named=True), strict=True):
        right.markdown(
            f"**{markdown_text(risk['code'])}** {markdown_text(risk['title'])}  \n"
            f"{row['band']} · residual score {risk['residual_score']} · {row['movement']}  \n"
            f"Mitigation (inherent score {risk['inherent_score']} down to {risk['residual_score']}): "
            f"{markdown_text(risk['mitigation']) or 'none recorded'}")
    st.dataframe(risk_table(shown), hide_index=True, column_config={
        "code": "Code", "title": "Risk", "category": "Category", "owner": "Owner",
        "inherent_score": st.column_config.NumberColumn("Inherent score", help="Likelihood × impact before "
                                                        "mitigation, 1 to 25"),
        "residual_score": st.column_config.NumberColumn("Residual score", help="Likelihood × impact after "
                                                        "mitigation, 1 to 25"),
        "band": "Severity", "movement": "Since the last review", "mitigation": "Mitigation"})
    st.caption("Severity of the residual score (likelihood × impact): " + ", ".join(
        f"{label.lower()} {lowest}–{high}" for _, label, lowest, high in risk_band_ranges())
        + ". Movement compares the residual score with the risk's previous assessment.")


#: Human labels of the oversight tables' columns.
OVERSIGHT_COLUMNS = {
    "source": "Source", "received": "Received", "accepted": "Accepted", "pending": "Awaiting a decision",
    "implemented": "Implemented", "open": "Open", "ref": "Reference", "title": "Recommendation",
    "priority": "Priority", "owner": "Owner", "issued_on": "Issued",
}


def oversight_tab() -> None:
    """Recommendations by year and status, and the accepted ones long outstanding."""
    summary = oversight_summary(data.recommendations)
    chart(oversight_bars(summary, projector=filters.projector), key="oversight-bars", projector=filters.projector,
          config={"displaylogo": False})
    as_of = dt.date(year, 12, 31)
    left, right = st.columns(2)
    with left:
        st.markdown("**By source**, from received to implemented:")
        st.dataframe(oversight_pipeline(data.recommendations, "source"), hide_index=True,
                     column_config=OVERSIGHT_COLUMNS)
    with right:
        st.markdown(f"**Accepted and still open on {as_of:%d %B %Y}**, by age:")
        st.dataframe(open_by_age(data.recommendations, as_of), hide_index=True, column_config=OVERSIGHT_COLUMNS)
    overdue = outstanding_recommendations(data.recommendations, as_of)
    st.markdown(f"**{overdue.height} accepted recommendations** issued before {year - 1} are still open, each with "
                "its owner:")
    st.dataframe(overdue, hide_index=True, column_config=OVERSIGHT_COLUMNS)

with tabs["Resolutions"]:
    progress = resolution_progress(data.actions, year)
    if progress.is_empty():
        st.info(f"No actions on resolutions reported for {year}.")
    else:
        st.dataframe(progress, hide_index=True, column_config={
            "resolution_code": "Resolution", "resolution_title": "Title", "actions": "Items",
            "implemented": "Implemented", "mean_progress_pct": st.column_config.ProgressColumn("Mean progress", min_value=0, max_value=100,
                                                                 format="%.0f %%")})
        # As the yearly report to the Council: each resolution, its items, who is responsible, where each stands.
        items = resolution_items(data.actions, year)
        for (code, title), part in items.group_by("resolution_code", "resolution_title", maintain_order=True):
            st.markdown(f"**{markdown_text(code)}**: {markdown_text(title)}")
            st.dataframe(part.drop("resolution_code", "resolution_title"), hide_index=True, column_config={
                "ref": "Item", "description": "Resolves", "owner": "Responsible", "status": f"Status {year}",
                "previous_status": f"Status {year - 1}",
                "progress_pct": st.column_config.ProgressColumn("Progress", min_value=0, max_value=100,
                                                                format="%.0f %%")})


#: Human labels of the commitments' columns.
COMMITMENT_COLUMNS = {
    "year": st.column_config.NumberColumn("Year", format="%d"), "forum": "Meeting", "text": "Commitment",
    "owner": "Owner", "due_on": "Due", "status": "Status", "standing": "Where it stands",
    "overdue": st.column_config.CheckboxColumn("Overdue"), "days_overdue": None,
}


def commitments_tab() -> None:
    """The retreat view: what was committed to last time and where each stands today, then what is still open
    from earlier meetings (overdue judged on today's date)."""
    today = dt.date.today()
    standing = commitment_standing(data.commitments, today)
    last = last_retreat(standing)
    if last is None:
        st.info("No commitments recorded.")
        return
    year, forum = last
    latest = standing.filter((pl.col("year") == year) & (pl.col("forum") == forum))
    st.markdown(f"**What we committed to at {markdown_text(forum)}, and where each stands on {today:%d %B %Y}**")
    cols = st.columns(3)
    cols[0].metric("Commitments", latest.height)
    cols[1].metric("Implemented", int((latest["status"] == DONE_STATUS).sum()))
    cols[2].metric("Overdue", int(latest["overdue"].sum()))
    st.dataframe(latest.select("text", "owner", "due_on", "status", "standing"), hide_index=True,
                 column_config=COMMITMENT_COLUMNS)
    earlier = open_commitments(standing.filter(pl.col("year") < year))
    st.markdown(f"**Still open from earlier meetings:** {earlier.height}, of which "
                f"{int(earlier['overdue'].sum())} overdue.")
    if not earlier.is_empty():
        st.dataframe(earlier.select("year", "forum", "text", "owner", "due_on", "status", "standing"),
                     hide_index=True, column_config=COMMITMENT_COLUMNS)
    with st.expander("All commitments"):
        st.dataframe(standing.drop("days_overdue"), hide_index=True, column_config=COMMITMENT_COLUMNS)


for tab_name, draw in (("Risks", risks_tab), ("Oversight", oversight_tab), ("Retreat commitments", commitments_tab)):
    if tab_name in tabs:
        with tabs[tab_name]:
            draw()
