"""Global filters, drawn once in app.py and kept in the URL so that a link reproduces the view.

Every widget here keeps its value in a query parameter (``bind="query-params"``, or ui.urlstate for
widgets showing labels for codes): the page, the
filters and the page's own selections (indicator, goal...) all live in the link.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from kpi import dimensions as dims
from kpi.access import PUBLIC_ACTOR, Actor
from kpi.config import CURRENT_CYCLE, YEAR_RANGE, YEARS_SHOWN, reporting_year
from kpi.store.frames import ResultsData
from ui.urlstate import url_selectbox

ALL = "All"
#: The sidebar's year: the statuses' "as of" year and the workforce pages' year alike.
YEAR_LABEL = "Year"
#: Query parameters that belong to the global filters (carried by every internal link).
GLOBAL_KEYS = ("cycle", "year", "years", "sector", "region", "projector", "provisional")
#: Those of the widgets bound to the URL (``bind="query-params"``), which Streamlit itself keeps when the page
#: changes; the others (ui.urlstate's) a navigation link must carry.
BOUND_KEYS = ("year", "years", "projector", "provisional")


@dataclass(frozen=True)
class Filters:
    """The global filter values of this rerun."""

    cycle: str
    year: int
    years: tuple[int, int]
    sector: str | None
    region: str | None
    projector: bool
    validated_only: bool


_WORKFORCE_FILTERS = frozenset({"year", "years", "sector"})
#: The global filters each page applies. A filter a page does not apply is not drawn there (it would change
#: nothing); its value stays in the link for the pages that apply it. Pages not listed (data management,
#: roles) draw them all but the Region.
PAGE_FILTERS: dict[str, frozenset[str]] = {
    "overview": frozenset({"cycle", "year", "sector"}),
    "scorecard": frozenset({"cycle", "year", "years", "sector"}),
    # The explorer's Sector would pick indicators, which the indicator picker does: "Region" gives an
    # indicator's regional series.
    "explorer": frozenset({"cycle", "year", "years", "region"}),
    "present": frozenset({"cycle", "year", "years"}),  # the Council sees the whole organisation
    "results-chain": frozenset({"cycle", "year"}),  # the node picked on the page is the selection
    "management": frozenset({"cycle", "year", "sector"}),
    "membership": frozenset({"year", "sector"}),
    **{page: _WORKFORCE_FILTERS for page in ("workforce", "workforce-gender", "workforce-geography",
                                             "workforce-field", "workforce-hr")},
}
_OTHER_PAGES = frozenset({"cycle", "year", "years", "sector"})


def page_filters(page: str) -> frozenset[str]:
    """The global filters page ``page`` (its URL path; the default page's is empty) applies: :data:`PAGE_FILTERS`."""
    return PAGE_FILTERS.get(page or "overview", _OTHER_PAGES)


def _years_in_link() -> tuple[int, int]:
    """The "Years shown" of the link (``?years=2015&years=2027``), or the default."""
    try:
        first, last = (int(v) for v in st.query_params.get_all("years"))
    except ValueError:
        return YEARS_SHOWN
    return (first, last) if YEAR_RANGE[0] <= first <= last <= YEAR_RANGE[1] else YEARS_SHOWN


def year_choices(data: ResultsData, default_year: int) -> list[int]:
    """The years the Year filter offers, latest first: down to the first year a reader may choose, up to the
    reporting year or, when the store holds values of a later year (a year's figures imported before the
    reporting year moves on), that year."""
    observed = data.observations["year"].max() if not data.observations.is_empty() else None
    last = min(YEAR_RANGE[1], max(default_year, observed or default_year))
    return list(range(last, YEAR_RANGE[0] - 1, -1))


def global_filters(data: ResultsData, actor: Actor = PUBLIC_ACTOR, page: str = "explorer") -> Filters:
    """Draw the global filters in the sidebar and return their values.

    Provisional figures are for staff (kpi.access): for anyone else the toggle is not drawn and
    ``validated_only`` is true whatever the link says, so every cached computation keyed by it
    holds validated values only.
    """
    sidebar = st.sidebar
    cycles = data.cycles["cycle_code"].to_list()
    names = dict(zip(cycles, data.cycles["cycle_name"].to_list(), strict=True))
    default_cycle = cycles.index(CURRENT_CYCLE) if CURRENT_CYCLE in cycles else len(cycles) - 1
    shown = page_filters(page)
    if "cycle" in shown:
        cycle = url_selectbox("Plan cycle", cycles, key="cycle", default=cycles[default_cycle],
                              format_func=lambda c: names[c], container=sidebar)
    else:
        cycle = st.query_params.get("cycle") if st.query_params.get("cycle") in cycles else cycles[default_cycle]
    row = data.cycles.filter(data.cycles["cycle_code"] == cycle).row(0, named=True)
    default_year = min(row["end_year"], reporting_year())
    report_years = year_choices(data, default_year)
    year = sidebar.selectbox(YEAR_LABEL, report_years, index=report_years.index(default_year),
                             key="year", bind="query-params",
                             help="One year for every page: statuses compare the values up to this year with the "
                                  "targets; the workforce pages show the staff in post on 31 December of it.")
    if "years" in shown:
        years = sidebar.slider("Years shown", *YEAR_RANGE, YEARS_SHOWN, key="years", bind="query-params")
    else:  # not drawn where it changes nothing; its value stays in the link for the pages where it applies
        years = _years_in_link()
    sector = region = ALL
    if "sector" in shown:
        sector = url_selectbox(dims.DIMENSION_LABELS["sector"], [ALL, *dims.SECTOR_CODES], key="sector", container=sidebar,
                               format_func=lambda c: c if c == ALL else f"{c} · {_sector_name(c)}")
    if "region" in shown:
        region = url_selectbox("Region (ITU-D)", [ALL, *dims.ITU_D_REGIONS], key="region", container=sidebar,
                               format_func=lambda c: c if c == ALL else dims.ITU_D_REGIONS[c],
                               help="The indicator's series for this region, beside the whole world's.")
    projector = sidebar.toggle("Projector mode", key="projector", bind="query-params",
                               help="Large type, high contrast, no sidebar: for a Council session.")
    provisional = actor.sees_provisional and sidebar.toggle(
        "Include provisional data", value=True, key="provisional", bind="query-params",
        help="Off: validated data only (the default in projector mode).")
    return Filters(
        cycle=cycle, year=int(year), years=(int(years[0]), int(years[1])),
        sector=None if sector == ALL else sector, region=None if region == ALL else region,
        projector=bool(projector), validated_only=not provisional or bool(projector),
    )


def _sector_name(code: str) -> str:
    return next(s.name for s in dims.SECTORS if s.code == code)


def current_filters() -> Filters:
    """The filters app.py drew for this rerun."""
    return st.session_state["filters"]


def link_params(**extra: str | list[str] | None) -> dict[str, str | list[str]]:
    """The global filters as query parameters (for an internal link), plus ``extra`` page parameters."""
    params: dict[str, str | list[str]] = {}
    for key in GLOBAL_KEYS:
        if key in st.query_params:
            values = st.query_params.get_all(key)
            params[key] = values if len(values) > 1 else values[0]
    for key, value in extra.items():
        if value is not None:
            params[key] = value
    return params
