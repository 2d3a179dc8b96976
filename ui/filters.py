"""Global filters, kept in the URL so that a link reproduces the exact view."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from kpi.store.frames import ResultsData

CURRENT_CYCLE = "2024-2027"


@dataclass(frozen=True)
class Filters:
    """The global filter values of this rerun."""

    cycle: str
    year: int


def global_filters(data: ResultsData) -> Filters:
    """Draw the global filters in the sidebar and return their values."""
    cycles = data.cycles["cycle_code"].to_list()
    names = dict(zip(cycles, data.cycles["cycle_name"].to_list(), strict=True))
    default_cycle = cycles.index(CURRENT_CYCLE) if CURRENT_CYCLE in cycles else len(cycles) - 1
    cycle = st.sidebar.selectbox("Plan cycle", cycles, index=default_cycle, format_func=lambda c: names[c],
                                 key="cycle", bind="query-params")
    years = sorted(set(data.observations["year"].to_list()) | set(data.targets["year"].to_list()))
    row = data.cycles.filter(data.cycles["cycle_code"] == cycle).row(0, named=True)
    report_years = [y for y in years if y <= max(row["end_year"], 2025)]
    default_year = min(max(row["end_year"], row["start_year"]), 2025)
    year = st.sidebar.selectbox("Reporting year", report_years[::-1],
                                index=report_years[::-1].index(default_year) if default_year in report_years else 0,
                                key="year", bind="query-params")
    return Filters(cycle=cycle, year=int(year))
