"""Sector membership: Member States, Sector Members, Associates and Academia by Sector, category, region and year."""
from __future__ import annotations

import streamlit as st

from kpi import dimensions as dims
from kpi import membership as kpi_membership
from kpi.charts.membership import members_by_sector, members_over_time
from kpi.formatting import format_number
from kpi.text import markdown_text
from ui import cache, data as ui_data
from ui.filters import current_filters
from ui.widgets import chart, data_stamp, synthetic_notice


filters = current_filters()
results = ui_data.results()
membership, countries = cache.membership()
year, sector = filters.year, filters.sector

st.title("Sector membership")
scope = f" · {markdown_text(sector)} and the Member States" if sector else ""
st.caption(f"{year}{scope} · {data_stamp(results.meta)}")
demo = kpi_membership.is_demo(results.meta)
if demo:
    synthetic_notice()
st.caption(f"Source: {markdown_text(kpi_membership.source_note(membership, demo))}")

counts = kpi_membership.by_category(membership, sector)
summary = kpi_membership.year_summary(membership, year, sector)
if summary.is_empty():
    known = kpi_membership.years(membership)
    st.info(f"No membership counts for {year}"
            + (f": they cover {known[0]} to {known[-1]}. Choose one of those years." if known else "."))
    st.stop()

for column, row in zip(st.columns(len(summary)), summary.iter_rows(named=True)):
    previous = row["change_previous"]
    column.metric(markdown_text(row["category"]), format_number(row["count"]),
                  delta=None if previous is None else f"{previous:+,} since {year - 1}",
                  delta_arrow="off" if not previous else "auto",
                  help=f"{row['change_first']:+,} since {row['first_year']}")
# No sparkline in the metrics: Streamlit draws it as an image without a text alternative (axe-core svg-img-alt);
# the chart below gives the same years, with its table.
st.caption("Sector Members, Associates and Academia are counted once for each Sector they join; "
           "Member States are members of every Sector.")

st.subheader("Members over the years")
chart(members_over_time(counts, projector=filters.projector),
      key="membership-trend", projector=filters.projector, config={"displaylogo": False})

st.subheader(f"By Sector and category, {year}")
table = kpi_membership.by_sector_and_category(membership, year, sector)
chart(members_by_sector(table, projector=filters.projector), key="membership-sectors", projector=filters.projector,
      config={"displaylogo": False})
st.dataframe(table, hide_index=True, column_config={
    "sector": dims.DIMENSION_LABELS["sector"], "name": "Name",
    **{c: st.column_config.NumberColumn(c, format="localized") for c in table.columns[2:]},
})

st.subheader(f"Member States by region, {year}")
for column, region in zip(st.columns(len(kpi_membership.REGION_KINDS)), kpi_membership.REGION_KINDS):
    column.dataframe(kpi_membership.member_states_by_region(countries, year, region), hide_index=True,
                     column_config={"region": "Code", "name": kpi_membership.REGION_KINDS[region][0],
                                    "count": st.column_config.NumberColumn("Member States", format="localized")})
st.caption("From the country list of data/reference/country\\_regions.csv (compiled by the project from ITU's "
           "regional groupings: check it against ITU's official lists), with the Holy See, missing from it; "
           "South Sudan from 2011, Palau from 2024.")
