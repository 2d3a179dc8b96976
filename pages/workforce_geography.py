"""Geographical distribution: staff by nationality, by ITU administrative region and by country,
Member States with and without nationals on staff, and the trends."""
from __future__ import annotations

import polars as pl
import streamlit as st

from kpi import workforce as wf
from kpi.charts import workforce as charts
from kpi.charts.indicator import UN_MAP_DISCLAIMER
from kpi.charts.theme import SERIES_COLOURS
from kpi.formatting import format_value
from ui import data as ui_data
from ui import workforce as uw
from ui.filters import link_params
from ui.widgets import status_badge, synthetic_notice

TARGET_CODE = "E1.GEO"

st.title("Geographical distribution")
f = uw.page_filters()
sel, year = f.selection, f.year
results = ui_data.results()
st.caption(uw.selection_text(f) + " · nationality of staff in post")

years = sorted({*f.years, year})
tables = uw.page_view("geography", f)
coverage = tables["coverage"]
uw.guard(coverage)
if uw.hidden_view_warning(coverage, year):
    st.stop()
now = coverage.frame.filter(pl.col("year") == year).row(0, named=True)
targets = wf.indicator_targets(results.indicators, results.targets, TARGET_CODE)
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
st.page_link("pages/explorer.py", label=f"Open {TARGET_CODE} in the indicator explorer", icon=":material/query_stats:",
             query_params=link_params(indicator=TARGET_CODE))

st.subheader(f"Staff by nationality, {year}")
countries = tables["countries"]
frame = uw.guard(countries)
uw.plot("wf-map", lambda: charts.nationality_map(frame, countries.threshold, year, projector=f.projector),
        f"staff_nationality_map_{year}", f)
st.caption(f"Blue: staff of that nationality; grey: fewer than {countries.threshold}, or hidden to protect another "
           f"cell; pale: no national on staff. The table below gives the same figures. {UN_MAP_DISCLAIMER}")

left, right = st.columns(2)
with left:
    st.subheader(f"By ITU administrative region, {year}")
    regions = tables["regions"]
    uw.guard(regions)
    uw.plot("wf-regions", lambda: charts.count_bars(wf.cells(regions, year=year), regions.threshold,
                                                    colours=list(SERIES_COLOURS[:5]), projector=f.projector),
            f"staff_admin_region_{year}", f)
    st.caption("Regions of the Member State of nationality (A: Americas; B: Western Europe; C: Eastern Europe and "
               "Northern Asia; D: Africa; E: Asia and Australasia).")
with right:
    st.subheader("By region over time")
    trend = tables["trend"]
    uw.guard(trend)
    region_rows = trend.frame.filter(pl.col("total_over") == "")
    uw.plot("wf-region-trend", lambda: charts.trend_lines(region_rows, projector=f.projector),
            "staff_admin_region_over_time", f)

st.subheader("Member States with nationals on staff over time")
uw.plot("wf-coverage", lambda: charts.trend_lines(
    coverage.frame.with_columns(pl.lit("Member States with nationals").alias("label"),
                                (pl.col("share").round(1).cast(pl.String) + " %").fill_null(
                                    pl.col("with_nationals_display")).alias("share_display")),
    "share", "share_display", projector=f.projector, y_title="Member States with nationals (%)", percent=True,
    targets=targets.filter(pl.col("year").is_between(years[0], years[-1])), target_name=f"Target ({TARGET_CODE})"),
    "member_states_with_nationals", f)

st.subheader(f"Staff by nationality: table, {year}")
listing = frame.sort(pl.col("count").is_null(), pl.col("count"), descending=[False, True]).filter(
    (pl.col("count") != 0) | pl.col("count").is_null())
st.dataframe(listing.select(pl.col("label").alias("Nationality"), pl.col("nationality").alias("ISO-3"),
                            pl.col("admin_region").alias("Region"), pl.col("display").alias("Staff")),
             hide_index=True)
uw.download_csv(countries, listing.select("year", "nationality", "label", "admin_region", "member_state", "count",
                                          "suppressed", "display", *[c for c in countries.dims
                                                                     if c in frame.columns and c != "nationality"]),
                f"staff_by_nationality_{year}", key="wf-map-download")
uw.privacy_caption(countries)
st.info(uw.PRIVACY_NOTE, icon=":material/shield_person:")
synthetic_notice()
uw.other_pages("pages/workforce_geography.py")
