"""Geographical distribution: staff by nationality, by ITU administrative region and by country,
Member States with and without nationals on staff, and the trends."""
from __future__ import annotations

import polars as pl
import streamlit as st

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.charts import workforce as charts
from kpi.charts.indicator import UN_MAP_DISCLAIMER
from kpi.charts.theme import SERIES_COLOURS
from kpi.formatting import format_value
from ui import workforce as uw
from ui.filters import link_params
from ui.widgets import status_badge

PAGE = "pages/workforce_geography.py"
TARGET_CODE = "E1.GEO"


def headline(coverage: wf.Protected, targets: pl.DataFrame) -> None:
    """Member States with and without nationals on staff, the share, and the target (beside a selection, the
    whole organisation's figure, whose target it is)."""
    now = coverage.frame.filter(pl.col("year") == year).row(0, named=True)
    target_now = targets.filter(pl.col("year") == year)["target"].to_list()
    cols = st.columns(4)
    uw.metric(cols[0], f"Member States with nationals on staff ({year})", now["with_nationals_display"],
              help=f"Of {now['member_states']} Member States.")
    uw.metric(cols[1], "Member States without nationals on staff", now["without_nationals_display"])
    uw.metric(cols[2], "Share of Member States with nationals",
              format_value(now["share"], "pct") if now["share"] is not None else now["with_nationals_display"])
    target_words = format_value(target_now[0], "pct") if target_now else "–"
    if sel.active():  # a selection has no target of its own: beside it, the whole organisation's figure, and its target
        whole = uw.indicator(TARGET_CODE, year).assessment
        cols[3].metric(f"Whole organisation ({whole.latest_year or '–'})", format_value(whole.latest_value, "pct"),
                       help=f"The target ({TARGET_CODE}, {year}: {target_words}) is the whole organisation's; the "
                            "figures beside it are the selection's.")
    else:
        cols[3].metric(f"Target {year} ({TARGET_CODE})", target_words)
    if not sel.active():
        view = uw.indicator(TARGET_CODE, year)
        st.markdown(f"{status_badge(view.assessment.status)} **{TARGET_CODE}:** {view.assessment.explanation}")
    st.page_link("pages/explorer.py", label=f"Open {TARGET_CODE} in the indicator explorer",
                 icon=":material/query_stats:", query_params=link_params(indicator=TARGET_CODE))


def nationality_map(countries: wf.Protected) -> None:
    """Staff by nationality on the world map."""
    st.subheader(f"Staff by nationality, {year}")
    uw.plot("wf-map", lambda: charts.nationality_map(countries.frame, countries.threshold, year,
                                                     projector=f.projector), f"staff_nationality_map_{year}", f)
    st.caption(f"Blue: staff of that nationality; grey: fewer than {countries.threshold}, or hidden to protect "
               f"another cell; pale: no national on staff. The table below gives the same figures. {UN_MAP_DISCLAIMER}")


def regions() -> None:
    """Staff by ITU administrative region of nationality, in the year and over the years."""
    left, right = st.columns(2)
    with left:
        st.subheader(f"By ITU administrative region, {year}")
        by_region = tables.regions()
        uw.plot("wf-regions", lambda: charts.count_bars(wf.cells(by_region, year=year), by_region.threshold,
                                                        colours=list(SERIES_COLOURS[:5]), projector=f.projector),
                f"staff_admin_region_{year}", f)
        st.caption("Regions of the Member State of nationality (A: Americas; B: Western Europe; C: Eastern Europe and "
                   "Northern Asia; D: Africa; E: Asia and Australasia).")
    with right:
        st.subheader("By region over time")
        region_rows = tables.trend().frame.filter(pl.col("total_over") == "")
        uw.plot("wf-region-trend", lambda: charts.trend_lines(region_rows, projector=f.projector),
                "staff_admin_region_over_time", f)


def coverage_over_time(coverage: wf.Protected, targets: pl.DataFrame) -> None:
    """The share of Member States with nationals on staff over the years shown, against the targets."""
    st.subheader("Member States with nationals on staff over time")
    uw.plot("wf-coverage", lambda: charts.trend_lines(
        coverage.frame.with_columns(pl.lit("Member States with nationals").alias("label"),
                                    (pl.col("share").round(1).cast(pl.String) + " %").fill_null(
                                        pl.col("with_nationals_display")).alias("share_display")),
        "share", "share_display", projector=f.projector, y_title="Member States with nationals (%)", percent=True,
        targets=f.in_trends(targets), target_name=f"Target ({TARGET_CODE})"),
        "member_states_with_nationals", f)


def nationality_table(countries: wf.Protected) -> None:
    """Staff by nationality as a table (most first, nationalities without staff left out), with its download
    and its privacy rule."""
    st.subheader(f"Staff by nationality: table, {year}")
    frame = countries.frame
    listing = frame.sort(pl.col("count").is_null(), pl.col("count"), descending=[False, True]).filter(
        (pl.col("count") != 0) | pl.col("count").is_null())
    st.dataframe(listing.select(pl.col("label").alias(dims.DIMENSION_LABELS["nationality"]),
                                pl.col("nationality").alias("ISO-3"),
                                pl.col("admin_region").alias(dims.DIMENSION_LABELS["admin_region"]),
                                pl.col("display").alias("Staff")),
                 hide_index=True)
    uw.download_csv(countries, listing.select("year", "nationality", "label", "admin_region", "member_state", "count",
                                              "suppressed", "display", *[c for c in countries.dims
                                                                         if c in frame.columns and c != "nationality"]),
                    f"staff_by_nationality_{year}", key="wf-map-download")
    uw.privacy_caption(countries)


f, tables = uw.page_header("Geographical distribution", uw.GeographyTables, "nationality of staff in post")
sel, year = f.selection, f.year
coverage_table = tables.coverage()
if uw.hidden_view_warning(coverage_table, year):
    st.stop()
geo_targets = uw.targets(TARGET_CODE)
headline(coverage_table, geo_targets)
nationality_map(tables.countries())
regions()
coverage_over_time(coverage_table, geo_targets)
nationality_table(tables.countries())
uw.page_footer(PAGE)
