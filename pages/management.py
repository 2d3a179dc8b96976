"""Management: budgets linked to results, risks, oversight, resolutions and retreat commitments."""
from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from kpi.charts.management import (accountability_heatmap, budget_bars, oversight_bars, plan_resources_bars,
                                   risk_heatmap)
from kpi.charts.theme import ACCOUNTABILITY_STYLES, STATUS_STYLES
from kpi import config
from kpi.dimensions import ACCOUNTABILITY_STATUSES
from kpi.formatting import format_chf
from kpi.management import (
    DONE_STATUS,
    HIGH_RISK_SCORE,
    MOVEMENTS,
    NO_INDICATOR,
    accountability_counts,
    accountability_grid,
    budget_by_output,
    commitment_table,
    filter_risks,
    commitment_standing,
    follow_up_notes,
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
    risk_history,
    risk_matrix,
    risk_register,
    risk_summary,
    risk_table,
    top_risks,
)
from kpi.results_chain import node_label, plan_resources, plan_table
from kpi.status import STATUSES
from kpi.text import markdown_text
from ui import cache, data as ui_data
from ui.auth import current_actor
from ui.filters import current_filters, link_params
from ui.tables import column_config
from ui.urlstate import url_selectbox
from ui.widgets import chart, data_stamp, status_text, synthetic_notice


filters = current_filters()
results = ui_data.results()
data = cache.management()
year = filters.year

st.title("Management: budget, risks and oversight")
# The as-of date of overdue commitments: the day the page is read (kpi.config.today: a test or a rehearsal sets it).
today = config.today()
st.caption(f"{year} · {data_stamp(results.meta)}")
synthetic_notice()

# Risks, oversight and retreat commitments are internal management records: staff only (kpi.access).
INTERNAL_TABS = ("Risks", "Oversight", "Retreat commitments")
tab_names = [n for n in ("Budget and results", "Risks", "Oversight", "Resolutions", "Retreat commitments",
                         "Accountability framework", "Operational plans")
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
        st.dataframe(table, hide_index=True, column_config=column_config(
            **{s: f"{STATUS_STYLES[s].icon} {STATUS_STYLES[s].label}" for s in STATUSES}))
        st.caption("Each output's budget beside the statuses of its indicators (results-based budgeting).")


def risk_card(risk: dict) -> None:
    """One risk of the register: what it is, who owns it, the node it threatens, every assessment of it."""
    with st.container(border=True, key="risk-card"):
        st.markdown(f"**{markdown_text(risk['code'])}** {markdown_text(risk['title'])}")
        st.caption(f"{markdown_text(risk['category'].capitalize())} risk · owner {markdown_text(risk['owner'])} · "
                   f"residual score {risk['residual_score']} in {year}")
        st.dataframe(risk_history(data.risks, risk["code"]), hide_index=True, column_config=column_config())
        if node := node_label(results.nodes, risk["node_id"]):
            st.page_link("pages/results_chain.py", label=f"Results chain of {markdown_text(node[1])}",
                         query_params=link_params(node=node[0]), icon=":material/account_tree:")


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
    titles = dict(register.select("code", "title").iter_rows())
    # A selectbox shows its options as plain text (no Markdown): the titles are not escaped here.
    focus = url_selectbox("Risk", ["", *sorted(titles)], key="risk", help="One risk: its assessments over the years",
                          format_func=lambda c: f"{c} · {titles[c]}" if c else "All risks")
    if focus:
        risk_card(register.filter(pl.col("code") == focus).row(0, named=True))
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
    st.dataframe(risk_table(shown), hide_index=True, column_config=column_config(
        title="Risk",
        inherent_score=st.column_config.NumberColumn("Inherent score", help="Likelihood × impact before "
                                                     "mitigation, 1 to 25"),
        residual_score=st.column_config.NumberColumn("Residual score", help="Likelihood × impact after "
                                                     "mitigation, 1 to 25")))
    st.caption("Severity of the residual score (likelihood × impact): " + ", ".join(
        f"{label.lower()} {lowest}–{high}" for _, label, lowest, high in risk_band_ranges())
        + ". Movement compares the residual score with the risk's previous assessment.")


#: The oversight tables' columns: a recommendation's title is "Recommendation".
OVERSIGHT_COLUMNS = column_config(title="Recommendation")


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
        st.dataframe(progress, hide_index=True, column_config=column_config())
        # As the yearly report to the Council: each resolution, its items, who is responsible, where each stands.
        items = resolution_items(data.actions, year)
        for (code, title), part in items.group_by("resolution_code", "resolution_title", maintain_order=True):
            st.markdown(f"**{markdown_text(code)}**: {markdown_text(title)}")
            st.dataframe(part.drop("resolution_code", "resolution_title"), hide_index=True,
                         column_config=column_config(ref="Item", owner="Responsible", status=f"Status {year}",
                                                     previous_status=f"Status {year - 1}"))


#: The commitments' columns: the days overdue are said in "Where it stands".
COMMITMENT_COLUMNS = column_config(days_overdue=None)
#: The columns of a retreat's commitments, in order: where each stands and its indicators first (seen on a narrow
#: screen too).
RETREAT_COLUMNS = ("text", "standing", "overdue", "linked_indicators", "owner", "due_on", "status", "latest_note")


def commitment_card(row: dict) -> None:
    """One commitment as the retreat reads it: what, who, by when and where it stands (overdue in red, with its
    word), its linked indicators with their status, its follow-up notes latest first."""
    with st.container(border=True, key=f"commitment-{row['ref']}"):
        standing = f":red-badge[:material/schedule: {row['standing']}]" if row["overdue"] else row["standing"]
        st.markdown(f"**{markdown_text(row['text'])}** · {markdown_text(row['owner'])} · due "
                    f"{markdown_text(row['due_on'] or '–')} · {standing}")
        st.markdown(f"Linked indicators: {markdown_text(row['linked_indicators'])}"
                    if row["linked_indicators"] != NO_INDICATOR else "No indicator is linked to this commitment.")
        notes = follow_up_notes(data.follow_ups, row["ref"])
        st.markdown("  \n".join(f"{markdown_text(n['noted_on'])} ({markdown_text(n['status'])}): "
                                 f"{markdown_text(n['note'])}" for n in notes.iter_rows(named=True))
                    if not notes.is_empty() else "No follow-up note yet.")


def commitments_tab() -> None:
    """The retreat view: what was committed to last time and where each stands today (its linked indicators, its
    follow-up notes), then what is still open from earlier meetings (overdue judged on today's date)."""
    statuses = cache.statuses(filters.cycle, year, filters.validated_only)
    standing = commitment_table(commitment_standing(data.commitments, today), data.follow_ups, data.links,
                                statuses, status_text)
    last = last_retreat(standing)
    if last is None:
        st.info("No commitments recorded.")
        return
    retreat_year, forum = last
    latest = standing.filter((pl.col("year") == retreat_year) & (pl.col("forum") == forum))
    st.markdown(f"**What we committed to at {markdown_text(forum)}, and where each stands on {today:%d %B %Y}**")
    cols = st.columns(3)
    cols[0].metric("Commitments", latest.height)
    cols[1].metric("Implemented", int((latest["status"] == DONE_STATUS).sum()))
    cols[2].metric("Overdue", int(latest["overdue"].sum()))
    st.dataframe(latest.select(*RETREAT_COLUMNS), hide_index=True, column_config=COMMITMENT_COLUMNS)
    for row in latest.iter_rows(named=True):
        commitment_card(row)
    earlier = open_commitments(standing.filter(pl.col("year") < retreat_year))
    st.markdown(f"**Still open from earlier meetings:** {earlier.height}, of which "
                f"{int(earlier['overdue'].sum())} overdue.")
    for row in earlier.iter_rows(named=True):
        commitment_card(row)
    with st.expander("All commitments"):
        st.dataframe(standing.select("year", "forum", *RETREAT_COLUMNS), hide_index=True,
                     column_config=COMMITMENT_COLUMNS)


def accountability_tab() -> None:
    """The Accountability Framework: each component's status by year, pillar by pillar, with where the components
    come from (the statuses of the demo are illustrative)."""
    grid = accountability_grid(data.components, data.assessments)
    years = [int(c) for c in grid.columns if c.isdigit()]
    if grid.is_empty() or not years:
        st.info("No component of the Accountability Framework, or no yearly assessment, is recorded.")
        return
    shown_year = max([y for y in years if y <= year] or years)
    counts = accountability_counts(grid, shown_year)
    st.markdown(f"**The Accountability Framework: {grid.height} components under "
                f"{grid['pillar_number'].n_unique()} pillars, their status each year**")
    cols = st.columns(len(ACCOUNTABILITY_STATUSES))
    for col, status in zip(cols, ACCOUNTABILITY_STATUSES, strict=True):
        style = ACCOUNTABILITY_STYLES[status]
        col.metric(f"{style.icon} {style.label} ({shown_year})", counts[status])
    chart(accountability_heatmap(grid, projector=filters.projector), key="accountability-map",
          projector=filters.projector, config={"displayModeBar": False})
    pillars = grid.select("pillar_number", "pillar").unique(maintain_order=True)
    st.markdown("  \n".join(f"**Pillar {n}**: {markdown_text(p)}" for n, p in pillars.iter_rows()))
    sources = ", ".join(markdown_text(s) for s in grid["source"].unique(maintain_order=True).to_list() if s)
    note = (" The yearly statuses are illustrative (synthetic demo data)." if "demo_seed" in results.meta else "")
    st.caption(f"Components and pillars: {sources or 'source not recorded'}. Council endorsed a new Accountability "
               "Framework in 2022 (PP Resolution 151 (Rev. Bucharest, 2022), resolves vi), whose components may "
               f"differ.{note}")


def operational_plans_tab() -> None:
    """The rolling operational plans: per unit and year the items with their output, goal, KPI and its indicator,
    risk factors and resources; the resources by unit over the plan's years."""
    statuses = cache.statuses(filters.cycle, year, filters.validated_only)
    table = plan_table(data.plan_items, results.nodes.filter(pl.col("cycle_code") == filters.cycle), statuses,
                       status_text)
    if table.is_empty():
        st.info(f"No operational plan item delivers an output of the plan cycle {markdown_text(filters.cycle)}.")
        return
    units = sorted(table["unit"].unique().to_list())
    unit = url_selectbox("Unit", ["", *units], key="plan_unit", format_func=lambda u: u or "All units")
    if unit:
        table = table.filter(pl.col("unit") == unit)
    this_year = table.filter(pl.col("year") == year)
    plan_years = sorted(table["year"].unique().to_list())
    cols = st.columns(3)
    cols[0].metric(f"Plan items ({year})", this_year.height)
    cols[1].metric(f"Units ({year})", this_year["unit"].n_unique())
    cols[2].metric(f"Resources ({year})", format_chf(this_year["resources_chf"].sum()) if this_year.height else "–")
    if this_year.is_empty():
        st.info(f"No operational plan item for {year}: the plans cover {plan_years[0]}–{plan_years[-1]}.")
    else:
        chart(plan_resources_bars(this_year, year, projector=filters.projector), key="plan-resources",
              projector=filters.projector, config={"displaylogo": False})
    st.markdown(f"**Resources of the rolling plan by unit, {plan_years[0]}–{plan_years[-1]} (CHF)**")
    resources = plan_resources(table)
    st.dataframe(resources, hide_index=True, column_config=column_config(
        **{str(y): st.column_config.NumberColumn(str(y), format="localized") for y in plan_years}))
    if this_year.is_empty():
        return
    st.markdown(f"**Plan items {year}**: each output of the Strategic Plan with its expected result, its key "
                "performance indicator and the status of the indicator it is")
    st.dataframe(this_year.drop("year"), hide_index=True, column_config=column_config(goal_code="Goal or enabler"))
    outputs = this_year.select("node_code", "node_name").unique(maintain_order=True).sort("node_code")
    for column, (code, _) in zip(st.columns(min(outputs.height, 6)), outputs.head(6).iter_rows()):
        column.page_link("pages/results_chain.py", label=f"Results chain of {markdown_text(code)}",
                         query_params=link_params(node=code), icon=":material/account_tree:")


for tab_name, draw in (("Risks", risks_tab), ("Oversight", oversight_tab), ("Retreat commitments", commitments_tab),
                       ("Accountability framework", accountability_tab), ("Operational plans", operational_plans_tab)):
    if tab_name in tabs:
        with tabs[tab_name]:
            draw()
