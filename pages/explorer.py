"""Indicator explorer: one indicator's values, targets, projection, breakdowns, map and reference sheet."""
from __future__ import annotations

import polars as pl
import streamlit as st

from kpi.charts.indicator import UN_MAP_DISCLAIMER, country_map, coverage_words, indicator_figure
from kpi.charts.theme import GENDER_COLOURS, PLOTLY_CONFIG, SECTOR_COLOURS
from kpi import dimensions as dims
from kpi.explorer import DIMENSION_LABELS, MAX_COUNTRIES, MAX_SERIES, breakdown_account, breakdown_groups, \
    country_choices, country_values, default_countries, disaggregated_series, indicator_view, region_series, \
    table_with_targets
from kpi.formatting import format_value
from kpi.results_chain import node_label
from kpi.scorecard import cycle_indicators
from kpi.text import markdown_text
from kpi.transfer import value_history
from kpi.workforce_pages import INDICATOR_BREAKDOWNS, PAGE_TITLES
from ui import data as ui_data
from ui import workforce as uw
from ui.auth import current_actor
from ui.downloads import download_buttons
from ui.filters import current_filters, link_params
from ui.urlstate import url_multiselect, url_segmented, url_selectbox
from ui.widgets import attribution_line, chart, status_badge

NO_BREAKDOWN = "none"
#: Readable headers of the year-by-year table (the download keeps the field names).
TABLE_COLUMNS = {
    "year": st.column_config.NumberColumn("Year", format="%d"), "actual": "Actual", "target": "Target",
    "flag": "Flag", "note": "Note", "approval": "Approval",
    "coverage_pct": st.column_config.NumberColumn(
        "Population reporting (%)", format="%.1f",
        help="Share of the population of the countries that reported this year (an aggregate's coverage)."),
    "imputed_pct": st.column_config.NumberColumn(
        "Population imputed (%)", format="%.1f",
        help="Share of the population whose value was filled in (interpolated, or carried forward for at most "
             "three years): an aggregate with much imputed is flagged an estimate."),
}
DIMENSION_COLOURS = {"sector": SECTOR_COLOURS, "gender": GENDER_COLOURS}

results = ui_data.results()
filters = current_filters()
indicators = cycle_indicators(results, filters.cycle)
if indicators.is_empty():
    st.warning(f"The plan cycle {markdown_text(filters.cycle)} has no indicators yet.")
    st.stop()
names = dict(zip(indicators["code"].to_list(), indicators["name"].to_list(), strict=True))
# A selectbox shows its options as plain text (no Markdown): the names are not escaped here.
code = url_selectbox("Indicator", list(names), key="indicator", format_func=lambda c: f"{c} · {names[c]}",
                     help="Type to search by code or name.")
view = indicator_view(results, code, filters.year, validated_only=filters.validated_only)
sheet, a = view.sheet, view.assessment
unit = sheet["unit"]

st.title(markdown_text(sheet["name"]))
st.markdown(f"{status_badge(a.status)} **Why this status:** {a.explanation}")
if measured := node_label(results.nodes, sheet["node_id"]):  # where it sits in the chain, with money and risks
    st.page_link("pages/results_chain.py", label=f"Results chain of {markdown_text(measured[1])}: "
                 "budget, risks, oversight, resolutions, commitments", query_params=link_params(node=measured[0]),
                 icon=":material/account_tree:")
cols = st.columns(4)
latest_row = view.headline.filter(pl.col("year") == a.latest_year).to_dicts()
latest = latest_row[0] if latest_row else {}
cols[0].metric(f"Latest ({a.latest_year or '–'}{', ' + latest['flag'] if latest.get('flag') else ''})",
               format_value(a.latest_value, unit),
               help=coverage_words(latest.get("coverage_pct"), latest.get("imputed_pct")).capitalize() or None)
cols[1].metric(f"Target ({a.target_year or '–'})", format_value(a.target_value, unit))
cols[2].metric(f"Baseline ({sheet['baseline_year'] or '–'})",
               format_value(view.baseline[1] if view.baseline else None, unit))
cols[3].metric(f"Projected ({a.target_year or '–'})", format_value(a.projected_value, unit),
               help="Continuing the trend observed since the baseline.")

# The Region filter: the indicator's series for that region, beside the world's (if it has regional data).
regional = None
if filters.region:
    regional = region_series(results, sheet["indicator_id"], filters.region, year_range=filters.years,
                             validated_only=filters.validated_only)
    name = dims.ITU_D_REGIONS[filters.region]
    if regional.is_empty():
        st.caption(f"{markdown_text(code)} has no series by region: the Region filter ({name}) does not apply to it.")
        regional = None
    else:
        latest = regional.sort("year").row(-1, named=True)
        st.metric(f"{name} ({latest['year']})", format_value(latest["value"], unit),
                  help="The latest value of the region; the status and targets above are the whole world's.")

# The computed workforce indicators are broken down as their workforce page shows them, protected with it.
page_breakdowns = INDICATOR_BREAKDOWNS.get(code, {})
options = [NO_BREAKDOWN, *(page_breakdowns or view.dimensions)]
by = url_segmented("Break down by", options, key="by", default=NO_BREAKDOWN,
                   format_func=lambda d: "Headline only" if d == NO_BREAKDOWN else DIMENSION_LABELS[d])
series, account = None, None
if by not in (None, NO_BREAKDOWN) and by in page_breakdowns:
    series, account = uw.indicator_breakdown(code, by, filters.years)
    account = (f"By {DIMENSION_LABELS[by].lower()}: the figures of the workforce page "
               f"“{PAGE_TITLES[page_breakdowns[by].page]}”, protected with that page. {account}")
elif by == "country":
    choices = country_choices(results, sheet["indicator_id"], year_range=filters.years,
                              validated_only=filters.validated_only)
    country_names = dict(choices.select("country", "name").iter_rows())
    chosen = url_multiselect(
        "Countries", list(country_names), key="countries", format_func=country_names.get,
        default=default_countries(choices, filters.region), max_selections=MAX_COUNTRIES,
        help=f"At most {MAX_COUNTRIES}. At first the {MAX_SERIES} most populous"
             + (f" of {dims.ITU_D_REGIONS[filters.region]} (the Region filter)." if filters.region else "."))
    series = disaggregated_series(results, sheet["indicator_id"], by, year_range=filters.years,
                                  validated_only=filters.validated_only, groups=chosen)
    account = breakdown_account(by, len(chosen), len(country_names), chosen=True)
elif by not in (None, NO_BREAKDOWN):
    series = disaggregated_series(results, sheet["indicator_id"], by, year_range=filters.years,
                                  validated_only=filters.validated_only)
    available = breakdown_groups(results, sheet["indicator_id"], by, year_range=filters.years,
                                 validated_only=filters.validated_only)
    account = breakdown_account(by, series["group"].n_unique(), len(available))
elif regional is not None:  # no breakdown chosen: the chosen region's line beside the headline
    series = regional
if account:
    st.caption(account)

headline = view.headline.filter(pl.col("year").is_between(*filters.years))


def value_history_expander() -> None:
    """Who changed a value of this indicator, from what, when."""
    with st.expander("History of a value (who changed it, from what, when)"):
        years_with_values = view.headline["year"].to_list()[::-1]
        if years_with_values:
            history_year = st.selectbox("Year", years_with_values, key="history-year")
            history = value_history(ui_data.engine(), code, int(history_year))
            if history.is_empty():
                st.caption("No change recorded: this value came with the reference or demo data.")
            else:
                st.dataframe(history, hide_index=True)


tab_names = ["Chart", "Table"] + (["Map"] if "country" in view.dimensions else []) + ["Reference sheet"]
# The chosen tab is part of the link (a shared link to the map opens on the map).
tabs = dict(zip(tab_names, st.tabs(tab_names, key="tab", bind="query-params", on_change="rerun"), strict=True))
with tabs["Chart"]:
    if headline.is_empty() and (series is None or series.is_empty()):
        st.info(f"No values reported for {markdown_text(code)} between {filters.years[0]} and {filters.years[1]}.")
    else:
        fig = indicator_figure(sheet, headline, view.targets, view.projection, view.baseline, series,
                               projector=filters.projector, colours=DIMENSION_COLOURS.get(by))
        chart(fig, key="indicator-chart", projector=filters.projector, config={**PLOTLY_CONFIG, "toImageButtonOptions": {
            **PLOTLY_CONFIG["toImageButtonOptions"], "filename": code}})
        st.caption("Open circles: estimates; open diamonds: provisional; ×: break in series. "
                   "The camera icon of the chart downloads it as PNG.")
with tabs["Table"]:
    if by not in (None, NO_BREAKDOWN) and series is not None:
        table = series.select("label", "year", "value").rename({"label": DIMENSION_LABELS[by]})
    else:
        table = table_with_targets(view, filters.years)
        if regional is not None:  # the region's value beside the world's, year by year
            table = table.join(regional.select("year", pl.col("value").alias(dims.ITU_D_REGIONS[filters.region])),
                               on="year", how="left")
    st.dataframe(table, hide_index=True, column_config=TABLE_COLUMNS, placeholder="–")
    download_buttons(table, f"{code}_{by or NO_BREAKDOWN}_{filters.years[0]}-{filters.years[1]}", sheet["name"],
                     key="table")
    if current_actor().is_staff:  # who changed a value names staff: internal (kpi.access)
        value_history_expander()
if "Map" in tabs:
    with tabs["Map"]:
        map_year = min(filters.year, filters.years[1])
        values = country_values(results, sheet["indicator_id"], map_year, validated_only=filters.validated_only)
        chart(country_map(values, sheet, map_year, projector=filters.projector), config=PLOTLY_CONFIG,
              key="indicator-map", projector=filters.projector)
        st.caption(f"Latest value up to {map_year} by country. {UN_MAP_DISCLAIMER}")
with tabs["Reference sheet"]:
    reference = {
        "Code": sheet["code"], "Definition": sheet["definition"], "Unit": unit,
        "Direction": "higher is better" if sheet["direction"] == "higher" else "lower is better",
        "Aggregation": sheet["aggregation"], "Source": sheet["source"], "Frequency": sheet["frequency"],
        "Owner": sheet["owner"], "Computed from": sheet["computed_from"] or "reported values",
        "Last updated": sheet["updated_at"],
    }
    # st.table renders Markdown in its cells: each value is escaped (one cell, one line of text).
    st.table(pl.DataFrame({"Field": list(reference), "Value": [markdown_text(v) for v in reference.values()]}),
             hide_index=True, hide_header=True)
st.caption(attribution_line(sheet))
