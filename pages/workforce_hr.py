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
from ui import workforce as uw
from ui.filters import link_params
from ui.widgets import status_badge

PAGE = "pages/workforce_hr.py"
RECRUIT, TRAIN = "E1.RECRUIT", "E1.TRAIN"
ALL_RECRUITMENTS = "All recruitments"
ALL = "ALL"
GROUP_COLOURS = {dims.CATEGORY_GROUPS[dims.PROFESSIONAL_AND_HIGHER]: SERIES_COLOURS[0],
                 dims.CATEGORY_GROUPS[dims.GENERAL_SERVICE_AND_NO]: SERIES_COLOURS[2],
                 ALL_RECRUITMENTS: HEADLINE_COLOUR, dims.ALL_STAFF: HEADLINE_COLOUR}
SECTOR_LABELS = dims.SECTOR_LABELS
GRADE, SECTOR = dims.DIMENSION_LABELS["grade"], dims.DIMENSION_LABELS["sector"]
COMPLETED, NOT_COMPLETED = (dims.TRAINING_LABELS[t] for t in (dims.TRAINING_COMPLETED, dims.TRAINING_NOT_COMPLETED))
#: The rows of the recruitment grid at each of its levels (code -> label, in order).
ROW_LABELS = {"grade": dict(dims.GRADE_LABELS), "grade_band": {b: b for b in dims.GRADE_BAND_ORDER},
              "category_group": dict(dims.CATEGORY_GROUPS)}


def selection_figure(table: wf.Protected, over: str, column: str) -> str:
    """An indicator's figure for the page's selection and year, as the page's protected ``table`` shows it: the
    ``column`` of its total row over ``over``."""
    row = table.frame.filter((pl.col("year") == year) & (pl.col("total_over") == over))
    return row[column][0] if row.height else "no records"


def indicator_header(code: str, figure: str) -> None:
    """Status, reason, latest value and target of an enabler indicator (whole organisation), and its ``figure``
    for the selection (which the filters change)."""
    view = uw.indicator(code, year)
    a, unit = view.assessment, view.sheet["unit"]
    st.markdown(f"{status_badge(a.status)} **{code}, whole organisation:** {a.explanation}")
    # The middle label is the longest ("Whole organisation (2025)"): it must not be cut at 1280 px.
    cols = st.columns([1, 1.4, 1, 1.6])
    cols[0].metric(f"This selection ({year})", figure,
                   help="For the Sector, duty station, grade category and gender chosen above.")
    cols[1].metric(f"Whole organisation ({a.latest_year or '–'})", format_value(a.latest_value, unit))
    cols[2].metric(f"Target ({a.target_year or '–'})", format_value(a.target_value, unit))
    cols[3].page_link("pages/explorer.py", label=f"Open {code} in the indicator explorer",
                      icon=":material/query_stats:", query_params=link_params(indicator=code))


def recruitment_grid() -> tuple[wf.Protected, pl.DataFrame, str]:
    """Mean recruitment days by grade (or the coarser grouping :mod:`kpi.coarsening` chooses, unless the reader
    asks for grades) and Sector, as a heat map; returns its table, the year's rows and the level shown."""
    chosen = uw.grouping(f, "grade", ("sector",), universe="recruitment", levels=RECRUITMENT_LEVELS)
    level = chosen.level
    st.subheader(f"By {GROUPING_NAMES[level]} and Sector, {year}")
    if uw.finer_toggle(chosen, GROUPING_NAMES, key="wf_finer_recruit"):
        level = "grade"
    grid = tables.recruitment(level)
    row_labels = ROW_LABELS[level]
    with_all = grid.frame.filter(pl.col("year") == year).with_columns(pl.col(level, "sector").fill_null(ALL))
    uw.plot("wf-recruit-grid", lambda: charts.value_heatmap(
        with_all, level, "sector", "days", "days_display", row_labels={**row_labels, ALL: "All grades"},
        column_labels={**SECTOR_LABELS, ALL: "All Sectors"}, row_order=[*reversed(list(row_labels)), ALL],
        column_order=[*dims.SECTOR_CODES, ALL], colour_title="Days", projector=f.projector, missing="no selection"),
        f"recruitment_days_{level}_sector_{year}", f, level)
    st.caption("Mean days, shown where the number of selections is (5 or more, and not hidden to protect another "
               "cell). Last row and column: all grades, all Sectors.")
    return grid, with_all, level


def recruitment_over_time(targets: pl.DataFrame) -> None:
    """Mean recruitment days by category group over the years shown, against the targets."""
    st.subheader("Over time")
    lines = tables.recruitment_trend().frame.with_columns(
        pl.when(pl.col("total_over") == "category_group").then(pl.lit(ALL_RECRUITMENTS)).otherwise(pl.col("label"))
        .alias("label"))
    uw.plot("wf-recruit-trend", lambda: charts.trend_lines(
        lines, "days", "days_display", colours=GROUP_COLOURS, projector=f.projector, y_title="Days",
        targets=f.in_trends(targets), target_name=f"Target ({RECRUIT})"),
        "recruitment_days_over_time", f)


def recruitment_table(grid: wf.Protected, with_all: pl.DataFrame, level: str) -> None:
    """The heat map's figures as a table (in an expander), with its download."""
    table = with_all.with_columns(
        pl.col(level).replace_strict({**ROW_LABELS[level], ALL: "All grades"}).alias(GRADE),
        pl.col("sector").replace_strict({**SECTOR_LABELS, ALL: "All Sectors"}).alias(SECTOR),
    ).pivot(on=SECTOR, index=GRADE, values="days_display", aggregate_function="first")
    table = table.select(GRADE, *[c for c in [*SECTOR_LABELS.values(), "All Sectors"] if c in table.columns])
    with st.expander(f"Table: mean days by grade and Sector, {year}"):
        st.dataframe(table.fill_null("no selection"), hide_index=True)
        uw.download_csv(grid, grid.frame.select("year", level, "sector", "total_over", "count", "display", "days",
                                                "days_display"), f"recruitment_days_{year}", key="wf-recruit-download")


def recruitment() -> None:
    """The recruitment timeline: the indicator, the grid by grade and Sector, the trend and the table."""
    st.header("Recruitment timeline")
    st.caption("Days from the posting of a vacancy to the selection decision, by the year of the selection."
               + (" The gender filter does not apply to recruitments." if sel.gender else ""))
    indicator_header(RECRUIT, selection_figure(tables.recruitment_trend(), "category_group", "days_display"))
    targets = uw.targets(RECRUIT)
    left, right = st.columns(2)
    with left:
        grid, with_all, level = recruitment_grid()
    with right:
        recruitment_over_time(targets)
    recruitment_table(grid, with_all, level)


def training_by_sector(training: wf.Protected, targets: pl.DataFrame) -> pl.DataFrame:
    """Mandatory-training completion by Sector in the year, against the year's target; returns its rows."""
    target_now = targets.filter(pl.col("year") == year)["target"].to_list()
    st.subheader(f"By Sector, {year}")
    rows = training.frame.filter(pl.col("year") == year).with_columns(
        pl.when(pl.col("total_over") == "sector").then(pl.lit(dims.ALL_STAFF)).otherwise(pl.col("label"))
        .alias("label"))
    uw.plot("wf-train-sector", lambda: charts.share_bars(
        rows, training.threshold, projector=f.projector, band=None, colour=SECTOR_COLOURS["ITU"],
        x_title="Completed (%)", target=target_now[0] if target_now else None), f"training_by_sector_{year}", f)
    return rows


def training_over_time(targets: pl.DataFrame) -> None:
    """Mandatory-training completion by category group over the years shown, against the targets."""
    st.subheader("Over time")
    lines = tables.training_trend().frame.with_columns(
        pl.when(pl.col("total_over") == "category_group").then(pl.lit(dims.ALL_STAFF)).otherwise(pl.col("label"))
        .alias("label"))
    uw.plot("wf-train-trend", lambda: charts.trend_lines(
        lines, "share", "share_display", colours=GROUP_COLOURS, projector=f.projector, y_title="Completed (%)",
        percent=True, targets=f.in_trends(targets), target_name=f"Target ({TRAIN})"), "training_over_time", f)


def training_table(training: wf.Protected, rows: pl.DataFrame) -> None:
    """Completion by Sector as a table (in an expander), with its download."""
    with st.expander(f"Table: mandatory training by Sector, {year}"):
        st.dataframe(rows.select(pl.col("label").alias(SECTOR),
                                 pl.col("completed_display").alias(COMPLETED),
                                 pl.col("not_completed_display").alias(NOT_COMPLETED),
                                 pl.col("total_display").alias("Staff"), pl.col("share_display").alias("Completed (%)")),
                     hide_index=True)
        uw.download_csv(training, rows.select("year", "label", "total_over", "completed", "not_completed", "total",
                                              "share", "completed_display", "not_completed_display", "total_display",
                                              "share_display"), f"training_by_sector_{year}", key="wf-train-download")


def mandatory_training() -> None:
    """Mandatory training: the indicator, completion by Sector and over time, the table and the privacy rule
    (training is recorded from 2018: before, a note instead)."""
    st.header("Mandatory training")
    st.caption("Staff in post at the end of the year who completed every mandatory course of the year.")
    training = tables.training()
    indicator_header(TRAIN, selection_figure(training, "sector", "share_display"))
    targets = uw.targets(TRAIN)
    if training.frame.filter(pl.col("year") == year).is_empty():
        st.info(f"No training records for {year}: mandatory-training completion is recorded from 2018.",
                icon=":material/event_busy:")
    else:
        left, right = st.columns(2)
        with left:
            rows = training_by_sector(training, targets)
        with right:
            training_over_time(targets)
        training_table(training, rows)
    uw.privacy_caption(training)


f, tables = uw.page_header("Recruitment and training", uw.HrTables,
                           "enabler indicators computed from the staff records")
sel, year = f.selection, f.year
recruitment()
mandatory_training()
uw.page_footer(PAGE)
