"""Recruitment and training: the enabler indicators computed from the records, with targets and status."""
from __future__ import annotations

import polars as pl
import streamlit as st

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.charts import workforce as charts
from kpi.charts.theme import HEADLINE_COLOUR, SECTOR_COLOURS, SERIES_COLOURS
from kpi.formatting import format_value
from kpi.workforce_pages import GROUPING_NAMES, RECRUITMENT_LEVELS
from ui import data as ui_data
from ui import workforce as uw
from ui.filters import link_params
from ui.widgets import status_badge, synthetic_notice

RECRUIT, TRAIN = "E1.RECRUIT", "E1.TRAIN"
ALL_RECRUITMENTS = "All recruitments"
ALL = "ALL"
GROUP_COLOURS = {dims.CATEGORY_GROUPS[dims.PROFESSIONAL_AND_HIGHER]: SERIES_COLOURS[0],
                 dims.CATEGORY_GROUPS[dims.GENERAL_SERVICE_AND_NO]: SERIES_COLOURS[2],
                 ALL_RECRUITMENTS: HEADLINE_COLOUR, dims.ALL_STAFF: HEADLINE_COLOUR}

st.title("Recruitment and training")
f = uw.page_filters()
sel, year = f.selection, f.year
results = ui_data.results()
st.caption(uw.selection_text(f) + " · enabler indicators computed from the staff records")
years = sorted({*f.years, year})
tables = uw.page_view("hr", f)


#: Where each indicator's figure for the selection is: (table, the total row's "total_over", display column).
SELECTION_TOTALS = {RECRUIT: ("recruitment_trend", "category_group", "days_display"),
                    TRAIN: ("training", "sector", "share_display")}


def selection_figure(code: str) -> str:
    """The indicator's figure for the page's selection and year, as the page's protected table shows it."""
    name, over, column = SELECTION_TOTALS[code]
    row = tables[name].frame.filter((pl.col("year") == year) & (pl.col("total_over") == over))
    return row[column][0] if row.height else "no records"


def indicator_header(code: str) -> None:
    """Status, reason, latest value and target of an enabler indicator (whole organisation), and its figure
    for the selection (which the filters change)."""
    view = uw.indicator(code, year)
    a, unit = view.assessment, view.sheet["unit"]
    st.markdown(f"{status_badge(a.status)} **{code}, whole organisation:** {a.explanation}")
    # The middle label is the longest ("Whole organisation (2025)"): it must not be cut at 1280 px.
    cols = st.columns([1, 1.4, 1, 1.6])
    cols[0].metric(f"This selection ({year})", selection_figure(code),
                   help="For the Sector, duty station, grade category and gender chosen above.")
    cols[1].metric(f"Whole organisation ({a.latest_year or '–'})", format_value(a.latest_value, unit))
    cols[2].metric(f"Target ({a.target_year or '–'})", format_value(a.target_value, unit))
    cols[3].page_link("pages/explorer.py", label=f"Open {code} in the indicator explorer",
                      icon=":material/query_stats:", query_params=link_params(indicator=code))


st.header("Recruitment timeline")
st.caption("Days from the posting of a vacancy to the selection decision, by the year of the selection."
           + (" The gender filter does not apply to recruitments." if sel.gender else ""))
indicator_header(RECRUIT)
targets = wf.indicator_targets(results.indicators, results.targets, RECRUIT)
left, right = st.columns(2)
with left:
    chosen = uw.grouping(f, "grade", ("sector",), universe="recruitment", levels=RECRUITMENT_LEVELS)
    level = chosen.level
    st.subheader(f"By {GROUPING_NAMES[level]} and Sector, {year}")
    if uw.finer_toggle(chosen, GROUPING_NAMES, key="wf_finer_recruit"):
        level = "grade"
    grid = tables[f"recruitment:{level}"]
    frame = uw.guard(grid)
    sector_labels = {s: wf.label_of("sector", s) for s in dims.SECTOR_CODES}
    row_labels = {"grade": dict(dims.GRADE_LABELS), "grade_band": {b: b for b in dims.GRADE_BAND_ORDER},
                  "category_group": dict(dims.CATEGORY_GROUPS)}[level]
    row_order = list(row_labels)
    with_all = frame.filter(pl.col("year") == year).with_columns(pl.col(level, "sector").fill_null(ALL))
    uw.plot("wf-recruit-grid", lambda: charts.value_heatmap(
        with_all, level, "sector", "days", "days_display", row_labels={**row_labels, ALL: "All grades"},
        column_labels={**sector_labels, ALL: "All Sectors"}, row_order=[*reversed(row_order), ALL],
        column_order=[*dims.SECTOR_CODES, ALL], colour_title="Days", projector=f.projector, missing="no selection"),
        f"recruitment_days_{level}_sector_{year}", f, level)
    st.caption("Mean days, shown where the number of selections is (5 or more, and not hidden to protect another "
               "cell). Last row and column: all grades, all Sectors.")
with right:
    st.subheader("Over time")
    trend = tables["recruitment_trend"]
    uw.guard(trend)
    lines = trend.frame.with_columns(
        pl.when(pl.col("total_over") == "category_group").then(pl.lit(ALL_RECRUITMENTS)).otherwise(pl.col("label"))
        .alias("label"))
    uw.plot("wf-recruit-trend", lambda: charts.trend_lines(
        lines, "days", "days_display", colours=GROUP_COLOURS, projector=f.projector, y_title="Days",
        targets=targets.filter(pl.col("year").is_between(years[0], years[-1])), target_name=f"Target ({RECRUIT})"),
        "recruitment_days_over_time", f)
table = with_all.with_columns(
    pl.col(level).replace_strict({**row_labels, ALL: "All grades"}).alias("Grade"),
    pl.col("sector").replace_strict({**sector_labels, ALL: "All Sectors"}).alias("Sector"),
).pivot(on="Sector", index="Grade", values="days_display", aggregate_function="first")
table = table.select("Grade", *[c for c in [*sector_labels.values(), "All Sectors"] if c in table.columns])
with st.expander(f"Table: mean days by grade and Sector, {year}"):
    st.dataframe(table.fill_null("no selection"), hide_index=True)
    uw.download_csv(grid, frame.select("year", level, "sector", "total_over", "count", "display", "days",
                                       "days_display"), f"recruitment_days_{year}", key="wf-recruit-download")

st.header("Mandatory training")
st.caption("Staff in post at the end of the year who completed every mandatory course of the year.")
indicator_header(TRAIN)
train_targets = wf.indicator_targets(results.indicators, results.targets, TRAIN)
target_now = train_targets.filter(pl.col("year") == year)["target"].to_list()
training = tables["training"]
uw.guard(training)
if training.frame.filter(pl.col("year") == year).is_empty():
    st.info(f"No training records for {year}: mandatory-training completion is recorded from 2018.",
            icon=":material/event_busy:")
else:
    left, right = st.columns(2)
    with left:
        st.subheader(f"By Sector, {year}")
        rows = training.frame.filter(pl.col("year") == year).with_columns(
            pl.when(pl.col("total_over") == "sector").then(pl.lit(dims.ALL_STAFF)).otherwise(pl.col("label"))
            .alias("label"))
        uw.plot("wf-train-sector", lambda: charts.share_bars(
            rows, training.threshold, projector=f.projector, band=None, colour=SECTOR_COLOURS["ITU"],
            x_title="Completed (%)", target=target_now[0] if target_now else None), f"training_by_sector_{year}", f)
    with right:
        st.subheader("Over time")
        history = tables["training_trend"]
        uw.guard(history)
        lines = history.frame.with_columns(
            pl.when(pl.col("total_over") == "category_group").then(pl.lit(dims.ALL_STAFF)).otherwise(pl.col("label"))
            .alias("label"))
        uw.plot("wf-train-trend", lambda: charts.trend_lines(
            lines, "share", "share_display", colours=GROUP_COLOURS, projector=f.projector, y_title="Completed (%)",
            percent=True, targets=train_targets.filter(pl.col("year").is_between(years[0], years[-1])),
            target_name=f"Target ({TRAIN})"), "training_over_time", f)
    with st.expander(f"Table: mandatory training by Sector, {year}"):
        st.dataframe(rows.select(pl.col("label").alias("Sector"), pl.col("completed_display").alias("Completed"),
                                 pl.col("not_completed_display").alias("Not completed"),
                                 pl.col("total_display").alias("Staff"), pl.col("share_display").alias("Completed (%)")),
                     hide_index=True)
        uw.download_csv(training, rows.select("year", "label", "total_over", "completed", "not_completed", "total",
                                              "share", "completed_display", "not_completed_display", "total_display",
                                              "share_display"), f"training_by_sector_{year}", key="wf-train-download")
uw.privacy_caption(training)
st.info(uw.PRIVACY_NOTE, icon=":material/shield_person:")
synthetic_notice()
uw.other_pages("pages/workforce_hr.py")
