"""Field presence: staff in the regional and area offices, by Sector and region, over time."""
from __future__ import annotations

import polars as pl
import streamlit as st

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.charts import workforce as charts
from kpi.charts.theme import HEADLINE_COLOUR, SECTOR_COLOURS, SERIES_COLOURS
from kpi.workforce_pages import GROUPING_NAMES
from ui import workforce as uw

PAGE = "pages/workforce_field.py"
ALL_SECTORS = "All Sectors"


def headline(presence: wf.Protected) -> None:
    """Staff in the regional and area offices in the year, all Sectors and each Sector."""
    now = presence.frame.filter(pl.col("year") == year)
    total = now.filter(pl.col("total_over") == "sector")["display"].to_list()
    by_sector = {row["sector"]: row["display"] for row in now.filter(pl.col("total_over") == "").iter_rows(named=True)}
    cols = st.columns(1 + len(dims.SECTOR_CODES))
    uw.metric(cols[0], f"Staff in regional and area offices ({year})", total[0] if total else "–")
    for col, code in zip(cols[1:], dims.SECTOR_CODES):
        uw.metric(col, wf.label_of("sector", code), by_sector.get(code, "0"))


def sectors_over_time(presence: wf.Protected) -> None:
    """Staff in the offices by Sector over the years shown."""
    st.subheader("By Sector over time")
    trend = presence.frame.with_columns(
        pl.when(pl.col("total_over") == "sector").then(pl.lit(ALL_SECTORS)).otherwise(pl.col("label")).alias("label"))
    colours = {wf.label_of("sector", s): c for s, c in SECTOR_COLOURS.items()} | {ALL_SECTORS: HEADLINE_COLOUR}
    uw.plot("wf-field-trend", lambda: charts.trend_lines(trend, colours=colours, projector=f.projector),
            "field_presence_by_sector", f)


def each_office() -> None:
    """Staff in each regional and area office (where offices would hide too many people, only on request)."""
    st.subheader(f"Each regional and area office, {year}")
    offices = tables.offices()
    chosen = uw.grouping(f, "duty_station", ())
    if chosen.level == "duty_station" or uw.finer_toggle(chosen, GROUPING_NAMES, key="wf_finer_offices"):
        uw.plot("wf-field-offices", lambda: charts.count_bars(wf.cells(offices, year=year), offices.threshold,
                                                              colours=SERIES_COLOURS[0], projector=f.projector),
                f"field_offices_{year}", f)


def by_region(regions: wf.Protected) -> pl.DataFrame:
    """Staff in the offices of each ITU-D region; returns the region totals (for the table)."""
    st.subheader(f"By ITU-D region, {year}")
    region_totals = regions.frame.filter((pl.col("year") == year) & (pl.col("total_over") == "sector")).with_columns(
        pl.col("office_region").replace_strict(dims.ITU_D_REGIONS, default=pl.col("office_region")).alias("label"))
    uw.plot("wf-field-regions", lambda: charts.count_bars(region_totals, regions.threshold, colours=SERIES_COLOURS[2],
                                                          projector=f.projector), f"field_regions_{year}", f)
    st.caption("The regional office and the area offices of each region together.")
    return region_totals


def region_sector_table(regions: wf.Protected, region_totals: pl.DataFrame) -> None:
    """Staff in the offices by ITU-D region and Sector as a table, with its download and its privacy rule."""
    st.subheader(f"Region and Sector: table, {year}")
    cells = wf.cells(regions, year=year).filter(pl.col("office_region").is_in(list(dims.ITU_D_REGIONS)))
    region, sector = dims.DIMENSION_LABELS["office_region"], dims.DIMENSION_LABELS["sector"]
    table = (
        cells.with_columns(pl.col("office_region").replace_strict(dims.ITU_D_REGIONS).alias(region),
                           pl.col("sector").replace_strict(dims.SECTOR_LABELS).alias(sector))
        .pivot(on=sector, index=region, values="display", aggregate_function="first")
        .join(region_totals.select(pl.col("label").alias(region), pl.col("display").alias("All Sectors")),
              on=region, how="left")
        .fill_null("0")
    )
    table = table.select(region, *[label for label in dims.SECTOR_LABELS.values() if label in table.columns],
                         "All Sectors")
    st.dataframe(table, hide_index=True)
    uw.download_csv(regions, wf.cells(regions, year=year).select(
        "year", *[c for c in regions.dims if c in regions.frame.columns], "count", "suppressed", "display"),
        f"field_presence_region_sector_{year}", key="wf-field-download")
    st.caption("“0”: no staff of that Sector in the region.")
    uw.privacy_caption(regions)


f, tables = uw.page_header("Field presence", uw.FieldTables, "staff in the regional and area offices")
year = f.year
presence = tables.presence()
if presence.note:
    st.info(f"{presence.note} Choose “All duty stations”, “All regional and area offices” or one of the offices.",
            icon=":material/location_off:")
    st.stop()
if uw.hidden_view_warning(presence, year):
    st.stop()
headline(presence)
sectors_over_time(presence)
left, right = st.columns(2)
with left:
    each_office()
with right:
    region_totals = by_region(tables.regions())
region_sector_table(tables.regions(), region_totals)
uw.page_footer(PAGE)
