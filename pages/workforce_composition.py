"""Workforce composition: staff by grade and gender, Sector and unit, duty station and contract type."""
from __future__ import annotations

import polars as pl
import streamlit as st

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.charts import workforce as charts
from kpi.charts.theme import HEADLINE_COLOUR, SECTOR_COLOURS, SERIES_COLOURS
from kpi.workforce_pages import GROUPING_NAMES, TREND_BY
from ui import workforce as uw

PAGE = "pages/workforce_composition.py"


def headline(head: wf.Protected) -> None:
    """The head counts: all staff, headquarters, the regional and area offices, the liaison offices."""
    figures = wf.headline_figures(head)
    cols = st.columns(4)
    uw.metric(cols[0], "Staff in post", figures.get("total"))
    uw.metric(cols[1], dims.LOCATIONS["headquarters"], figures.get("headquarters"))
    uw.metric(cols[2], dims.LOCATIONS["field"], figures.get("field"))
    uw.metric(cols[3], dims.LOCATIONS["liaison"], figures.get("liaison"))


def grade_pyramid() -> tuple[wf.Protected, pl.DataFrame, str]:
    """The grade and gender pyramid, by grade or by grade band (the coarser one where grades would hide too
    many people, unless the reader asks for the finer); returns its table, its cells and the level shown."""
    st.subheader("Grade and gender")
    chosen = uw.grouping(f, "grade")
    finer = uw.finer_toggle(chosen, GROUPING_NAMES, key="wf_finer_grades")
    level = "grade" if finer or chosen.level == "grade" else "grade_band"
    grades = tables.pyramid(level)
    pyramid = wf.cells(grades, year=year)
    uw.plot("wf-pyramid", lambda: charts.pyramid(pyramid, grades.threshold, projector=f.projector),
            f"staff_grade_gender_{year}", f, level)
    st.caption("Grades from G1 (bottom) to elected officials (top); men left, women right."
               + (" The pyramid shows both genders: the gender filter does not apply to it." if sel.gender else ""))
    return grades, pyramid, level


def contracts_and_locations(head: wf.Protected) -> None:
    """Staff by contract type, and at headquarters and in the field."""
    st.subheader(dims.DIMENSION_LABELS["contract_type"])
    contracts = tables.contracts()
    uw.plot("wf-contracts", lambda: charts.count_bars(wf.cells(contracts, year=year), contracts.threshold,
                                                      colours=SECTOR_COLOURS["ITU"], projector=f.projector),
            f"staff_contract_{year}", f)
    st.subheader("Headquarters and field")
    uw.plot("wf-locations", lambda: charts.count_bars(wf.cells(head, year=year), head.threshold,
                                                      colours=SECTOR_COLOURS["ITU"], projector=f.projector),
            f"staff_location_{year}", f)


def sector_coloured_bars(key: str, table: wf.Protected, filename: str) -> None:
    """The year's cells of ``table`` as bars, each in the colour of its row's Sector."""
    rows = wf.cells(table, year=year)
    uw.plot(key, lambda: charts.count_bars(rows, table.threshold, projector=f.projector,
                                           colours=[SECTOR_COLOURS[s] for s in rows["sector"].to_list()]),
            filename, f)


def sectors_and_units() -> None:
    """Staff by Sector, and by department or unit in the colour of its Sector."""
    left, right = st.columns(2)
    with left:
        st.subheader(dims.DIMENSION_LABELS["sector"])
        sector_coloured_bars("wf-sectors", tables.sectors(), f"staff_sector_{year}")
    with right:
        st.subheader(dims.DIMENSION_LABELS["unit"])
        sector_coloured_bars("wf-units", tables.units(), f"staff_unit_{year}")
        st.caption("Bars in the colour of the unit's Sector.")


def offices() -> None:
    """Staff in each regional, area and liaison office (none when the filter selects headquarters)."""
    st.subheader("Outside headquarters: each regional, area and liaison office")
    stations = tables.stations()
    outside = wf.cells(stations, year=year).filter(pl.col("location") != "headquarters")
    if outside.is_empty():
        st.info("The duty-station filter selects headquarters only: no office outside Geneva in this selection.")
        return
    colours = [SECTOR_COLOURS["ITU"] if loc == "field" else SERIES_COLOURS[4] for loc in outside["location"].to_list()]
    uw.plot("wf-stations", lambda: charts.count_bars(outside, stations.threshold, colours=colours,
                                                     projector=f.projector), f"staff_duty_station_{year}", f)
    st.caption("Dark blue: regional and area offices; light blue: liaison offices.")


@st.fragment
def trend() -> None:
    """Staff over the years, by the dimension chosen here (reruns alone)."""
    st.subheader("Over time")
    by = uw.segmented("By", TREND_BY, key="wf_trend_by")
    series = tables.trend(by)
    frame = series.frame.with_columns(
        pl.when(pl.col("total_over") == by).then(pl.lit(dims.ALL_STAFF)).otherwise(pl.col("label")).alias("label"))
    colours = {wf.label_of("sector", s): c for s, c in SECTOR_COLOURS.items()} | {dims.ALL_STAFF: HEADLINE_COLOUR}
    uw.plot("wf-trend", lambda: charts.trend_lines(frame, colours=colours, projector=f.projector),
            f"staff_by_{by}", f, by)


def grade_table(grades: wf.Protected, pyramid: pl.DataFrame, level: str) -> None:
    """The pyramid's figures as a table, with its download and its privacy rule."""
    st.subheader("Grade and gender: table")
    table = pyramid.select("label", "women_display", "men_display", "total_display", "share_display").rename({
        "label": dims.DIMENSION_LABELS[level], "women_display": dims.GENDERS[dims.FEMALE],
        "men_display": dims.GENDERS[dims.MALE], "total_display": "All", "share_display": dims.WOMEN_SHARE_LABEL})
    st.dataframe(table, hide_index=True)
    uw.download_csv(grades, grades.frame.select(
        "year", *[c for c in grades.dims if c in grades.frame.columns], "label", "total_over", "women", "men", "total",
        "share", "women_display", "men_display", "total_display", "share_display"),
        f"staff_{level}_gender_{year}", key="wf-download")
    uw.privacy_caption(grades)


f, tables = uw.page_header("Workforce composition", uw.CompositionTables)
sel, year = f.selection, f.year
head = tables.headcount()
if uw.hidden_view_warning(head, year):
    st.stop()
headline(head)
left, right = st.columns([3, 2])
with left:
    pyramid_shown = grade_pyramid()
with right:
    contracts_and_locations(head)
sectors_and_units()
offices()
trend()
grade_table(*pyramid_shown)
uw.page_footer(PAGE)
