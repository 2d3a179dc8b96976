"""The workforce pages' Streamlit layer: records loaded once per data version, the workforce
filters (kept in the URL), protected tables cached per data version and filters, each page's tables
behind named methods that check them (:class:`PageTables`) before they are shown or downloaded, and
the header and footer every workforce page shares.
"""
from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Callable
from dataclasses import astuple, dataclass, field
from typing import ClassVar, Self, TypeVar

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.charts.theme import PLOTLY_CONFIG
from kpi.config import YEARS_SHOWN, database_url, reporting_year
from kpi.coarsening import MAX_HIDDEN_SHARE, Grouping, coarsening_sentence
from kpi import workforce_pages as wp
from kpi.explorer import IndicatorView, breakdown_account, group_labels, hidden_in_latest_year, indicator_view, \
    labelled_series
from kpi.disclosure import DEFAULT_RULE, SUPPRESSED_TEXT, fewer_than, range_of
from kpi.store import frames as frames_module
from kpi.store.columnar import cached_frames, source_files
from kpi.text import markdown_text
from kpi.workforce_pages import PageProtector, Records
from ui import data as ui_data
from ui.downloads import csv_bytes
from ui.filters import current_filters, link_params
from ui.urlstate import url_segmented, url_selectbox
from ui.widgets import chart, synthetic_notice

ALL = "All"
PRIVACY_NOTE = (
    f"To protect individuals, no count under {DEFAULT_RULE.min_count} people is shown (under "
    f"{DEFAULT_RULE.min_count_sensitive} where nationality is involved), and further numbers are hidden so that a "
    "hidden one cannot be worked out from the rest of the page or from the same page with one filter wider: such "
    f"numbers read **{fewer_than(DEFAULT_RULE.min_count)}** or **{SUPPRESSED_TEXT}**. Where a breakdown would hide more "
    f"than {MAX_HIDDEN_SHARE * 100:g} % of the people, the page shows the next coarser grouping."
)


@dataclass(frozen=True)
class WorkforceData:
    """The records of one data version, prepared for the workforce pages."""

    staff: pl.DataFrame
    recruitment: pl.DataFrame
    countries: pl.DataFrame
    duty_stations: pl.DataFrame
    units: pl.DataFrame
    years: tuple[int, ...]

    def year_with_records(self, wanted: int) -> int:
        """The year the pages show for ``wanted``: it, or the latest year with staff records before it."""
        return max((y for y in self.years if y <= wanted), default=self.years[0])

    def years_within(self, span: tuple[int, int]) -> tuple[int, ...]:
        """The years with staff records within ``span`` (first, last), or every year when none is."""
        return tuple(y for y in self.years if span[0] <= y <= span[1]) or self.years


#: The code that prepares the workforce frames: a change to it rebuilds their columnar copy (kpi.store.columnar).
PREPARING_CODE = source_files(wf, wp, frames_module)


def _prepared(url: str) -> dict[str, pl.DataFrame]:
    """The workforce records of the store, read and prepared as the pages use them
    (:func:`kpi.workforce_pages.load_records`), by name."""
    records = wp.load_records(ui_data.engine_for(url))
    return {"staff": records.staff, "recruitment": records.recruitment, "countries": records.countries,
            "duty_stations": records.duty_stations, "units": records.units}


@st.cache_resource(show_spinner="Loading the workforce records…", max_entries=2)
def _data(url: str, version: int) -> WorkforceData:
    # Read from the columnar copy of this data version when a process has written one (the first read of a
    # large store takes seconds; the copy a fraction of that).
    frames = cached_frames(ui_data.engine_for(url), "workforce", version, lambda: _prepared(url), PREPARING_CODE)
    return WorkforceData(
        staff=frames["staff"], recruitment=frames["recruitment"], countries=frames["countries"],
        duty_stations=frames["duty_stations"], units=frames["units"], years=tuple(wf.staff_years(frames["staff"])),
    )


STORE_KEY = "_workforce_store"


def _store() -> tuple[str, int]:
    """The store URL and data version of this rerun (read once per rerun by :func:`page_filters`)."""
    store = st.session_state.get(STORE_KEY)
    return store if store is not None else (database_url(), ui_data.current_version())


def data() -> WorkforceData:
    """The workforce records of the current data version (shared by every session)."""
    return _data(*_store())


def warm(url: str, version: int) -> None:
    """Prepare what the first visitor of each workforce page would wait for: the records of data version
    ``version`` (read from their columnar copy, or from the store and then copied) and each page's default
    view protected (the latest reporting year, the default years, the whole organisation)."""
    records = _data(url, version)
    protector = _protector(url, version)
    year, shown = records.year_with_records(reporting_year()), records.years_within(YEARS_SHOWN)
    for page in wp.PAGES:
        protector.view(page, year, shown, wf.Selection())


def warm_in_background(url: str | None = None, version: int | None = None) -> threading.Thread:
    """:func:`warm` in a thread: after an import (the new data version), or at a server's start, so that the
    next visitor of a workforce page, on this server or, through the columnar copy, on another, does not wait
    for the store to be read and the page protected."""
    url = url or database_url()
    thread = threading.Thread(target=warm, args=(url, ui_data.current_version() if version is None else version),
                              daemon=True, name="warm-workforce-frames")
    _warming.difference_update([t for t in _warming if not t.is_alive()])  # a long-running server imports often
    _warming.add(thread)
    thread.start()
    return thread


#: How long a process that ends waits for a warm still running.
WARM_JOIN_AT_EXIT_S = 60.0
#: The warms started by this process and not yet seen finished.
_warming: set[threading.Thread] = set()


def finish_warming(timeout: float = WARM_JOIN_AT_EXIT_S) -> None:
    """Wait, at most ``timeout`` seconds in all, for the warms still running. Run at exit: a daemon thread stopped
    while HiGHS (the page audit's solver) runs its C++ threads for it aborts the process ("terminate called
    without an active exception", exit 134), which a server that stops, or a test run that ends, just after an
    import did one time in two."""
    deadline = time.monotonic() + timeout
    for thread in list(_warming):
        thread.join(max(0.0, deadline - time.monotonic()))
        if not thread.is_alive():
            _warming.discard(thread)


atexit.register(finish_warming)


# ---------------------------------------------------------------- protected pages


@st.cache_resource(show_spinner=False, max_entries=2)
def _protector(url: str, version: int) -> PageProtector:
    data_ = _data(url, version)
    records = Records(data_.staff, data_.recruitment, data_.countries, data_.duty_stations, data_.units)
    # Protected views are kept on disk by records fingerprint: another server, a restart or an import that
    # leaves the workforce records as they were reads them instead of protecting the pages again.
    return PageProtector(records, kept=wp.kept_views(records))


def page_view(page: str, filters: WorkforceFilters) -> dict[str, wf.Protected]:
    """Every table of workforce page ``page`` (:data:`kpi.workforce_pages.PAGES`) for the filters, protected
    together (:class:`kpi.workforce_pages.PageProtector`, shared by all sessions of a data version)."""
    with st.spinner("Protecting the page's figures…", show_time=True):
        return _protector(*_store()).view(page, filters.year, filters.years, filters.selection)


@dataclass(frozen=True)
class PageTables:
    """The protected tables of one workforce page for its filters, one named method per table.

    Each method returns its table already passed through :func:`kpi.workforce.check` (the last check before
    a table is shown or downloaded), so a page neither names its tables by string nor calls the check: one
    subclass per page, :meth:`of` reads it (:func:`page_view`).
    """

    #: The page of :data:`kpi.workforce_pages.PAGES` whose tables these are.
    PAGE: ClassVar[str]
    _tables: dict[str, wf.Protected]
    # Each table is checked once per rerun, not at every read: a fragment rerun or a second section reading
    # the same table would check the same immutable frame again.
    _checked: dict[str, wf.Protected] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, filters: WorkforceFilters) -> Self:
        """The page's tables for ``filters``, protected together (:func:`page_view`)."""
        return cls(page_view(cls.PAGE, filters))

    def _table(self, name: str) -> wf.Protected:
        """Table ``name`` of the page (the names of :mod:`kpi.workforce_pages`), checked."""
        if name not in self._checked:
            table = self._tables[name]
            wf.check(table)
            self._checked[name] = table
        return self._checked[name]


class CompositionTables(PageTables):
    """The tables of the Composition page."""

    PAGE = "composition"

    def headcount(self) -> wf.Protected:
        """Staff in post by location, with the total (the headline figures)."""
        return self._table("headcount")

    def pyramid(self, level: str) -> wf.Protected:
        """Staff by gender and ``level`` (:data:`kpi.workforce_pages.PYRAMID_LEVELS`)."""
        return self._table(f"pyramid:{level}")

    def contracts(self) -> wf.Protected:
        """Staff by contract type."""
        return self._table("contracts")

    def sectors(self) -> wf.Protected:
        """Staff by Sector."""
        return self._table("sectors")

    def units(self) -> wf.Protected:
        """Staff by Sector and unit."""
        return self._table("units")

    def stations(self) -> wf.Protected:
        """Staff by location and duty station."""
        return self._table("stations")

    def trend(self, by: str) -> wf.Protected:
        """Staff over the years by ``by`` (:data:`kpi.workforce_pages.TREND_BY`)."""
        return self._table(f"trend:{by}")


class GenderTables(PageTables):
    """The tables of the Gender balance page."""

    PAGE = "gender"

    def shares(self) -> wf.Protected:
        """The share of women over the years, all staff and by category group."""
        return self._table("shares")

    def grades(self) -> wf.Protected:
        """Women and men at each grade over the years."""
        return self._table("grades")

    def gap(self, by: str) -> wf.Protected:
        """The gap to parity by ``by`` (:data:`kpi.workforce_pages.GAP_BY`, or ``grade_band`` where grades are
        shown coarser)."""
        return self._table(f"gap:{by}")


class GeographyTables(PageTables):
    """The tables of the Geographical distribution page."""

    PAGE = "geography"

    def coverage(self) -> wf.Protected:
        """Member States with and without nationals on staff, over the years."""
        return self._table("coverage")

    def countries(self) -> wf.Protected:
        """Staff by nationality."""
        return self._table("countries")

    def regions(self) -> wf.Protected:
        """Staff by ITU administrative region of nationality."""
        return self._table("regions")

    def trend(self) -> wf.Protected:
        """Staff by administrative region over the years."""
        return self._table("trend")


class FieldTables(PageTables):
    """The tables of the Field presence page."""

    PAGE = "field"

    def presence(self) -> wf.Protected:
        """Staff in the regional and area offices by Sector, over the years."""
        return self._table("presence")

    def offices(self) -> wf.Protected:
        """Staff in each regional and area office."""
        return self._table("offices")

    def regions(self) -> wf.Protected:
        """Staff in the offices by ITU-D region and Sector."""
        return self._table("regions")


class HrTables(PageTables):
    """The tables of the Recruitment and training page."""

    PAGE = "hr"

    def recruitment(self, level: str) -> wf.Protected:
        """Mean recruitment days by ``level`` (:data:`kpi.workforce_pages.RECRUITMENT_LEVELS`) and Sector."""
        return self._table(f"recruitment:{level}")

    def recruitment_trend(self) -> wf.Protected:
        """Mean recruitment days by category group over the years."""
        return self._table("recruitment_trend")

    def training(self) -> wf.Protected:
        """Mandatory-training completion by Sector."""
        return self._table("training")

    def training_trend(self) -> wf.Protected:
        """Mandatory-training completion by category group over the years."""
        return self._table("training_trend")


def indicator_breakdown(code: str, dimension: str, years: tuple[int, int]) -> tuple[pl.DataFrame, str]:
    """E1 indicator ``code`` by ``dimension`` as its workforce page shows it (:func:`kpi.workforce_pages.
    indicator_breakdown`), labelled for the explorer's chart and table, and the sentence that says which
    groups the page hides in the latest year (:func:`kpi.explorer.breakdown_account`)."""
    protector = _protector(*_store())
    wanted = [y for y in wf.staff_years(protector.records.staff) if years[0] <= y <= years[1]]
    with st.spinner("Reading the breakdown from the workforce page, protected with it…", show_time=True):
        frame = wp.indicator_breakdown(protector, code, dimension, wanted)
    names = protector.records.station_names() if dimension == "duty_station" else group_labels(dimension)
    year, hidden = hidden_in_latest_year(frame)
    # Every group the page shows is drawn (a page breakdown has at most a few): the sentence is exact.
    series = labelled_series(frame.drop_nulls("value"), dimension, max_series=frame["group"].n_unique() or 1,
                             labels=names)
    shown = frame.filter((pl.col("year") == year) & pl.col("value").is_not_null()).height
    account = breakdown_account(dimension, shown, shown + len(hidden), hidden=[names.get(g, g) for g in hidden],
                                hidden_year=year)
    return series, account


def grouping(filters: WorkforceFilters, breakdown: str, crossed: tuple[str, ...] = ("gender",),
             universe: str = "staff", levels: tuple[str, ...] | None = None) -> Grouping:
    """The grouping :mod:`kpi.coarsening` chooses for a breakdown of the selection (grade or duty station)."""
    return _protector(*_store()).grouping(filters.year, filters.selection, breakdown, crossed, universe, levels)


def finer_toggle(grouping_: Grouping, names: dict[str, str], *, key: str) -> bool:
    """Say in one line that a breakdown is shown coarser, and offer the finer one; whether it is asked for."""
    sentence = coarsening_sentence(grouping_, names)
    if sentence is None:
        return False
    finest = next(iter(grouping_.hidden_shares))
    st.caption(sentence)
    return st.toggle(f"Show by {names[finest]} (more cells hidden)", key=key)


# ---------------------------------------------------------------- filters


@dataclass(frozen=True)
class WorkforceFilters:
    """The filters of a workforce page: the year, the years of the trends, the selection."""

    year: int
    years: tuple[int, ...]
    selection: wf.Selection
    projector: bool

    def in_trends(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The rows of ``frame`` (by ``year``) from the first to the last year the trends show, the page's
        year included (a target line spans the trend it is drawn on)."""
        span = sorted({*self.years, self.year})
        return frame.filter(pl.col("year").is_between(span[0], span[-1]))


def _station_options(records: WorkforceData) -> tuple[list[str], dict[str, str]]:
    stations = records.duty_stations.sort(
        pl.col("kind").replace_strict({k: i for i, k in enumerate(dims.DUTY_STATION_KINDS)}, default=9), "name")
    labels = {ALL: "All duty stations", dims.STATION_GROUP_HQ: dims.LOCATIONS["headquarters"],
              dims.STATION_GROUP_FIELD: "All regional and area offices",
              dims.STATION_GROUP_LIAISON: "All liaison offices"}
    options = [ALL, dims.STATION_GROUP_HQ, dims.STATION_GROUP_FIELD, dims.STATION_GROUP_LIAISON]
    for row in stations.filter(pl.col("kind") != "headquarters").iter_rows(named=True):
        options.append(row["code"])
        labels[row["code"]] = f"{row['name']} ({row['kind']})"
    return options, labels


CATEGORY_LABELS = {ALL: "All grades",
                   dims.PROFESSIONAL_AND_HIGHER: f"{dims.CATEGORY_GROUPS[dims.PROFESSIONAL_AND_HIGHER]} (P, D, elected)",
                   **dims.GRADE_CATEGORIES}
GENDER_LABELS = {ALL: "All", **dims.GENDERS}


def page_filters(*, gender: bool = True, category: bool = True, station: bool = True) -> WorkforceFilters:
    """Draw the workforce filters at the top of the page (kept in the URL as codes: ``wf_station``,
    ``wf_category``, ``wf_gender``) and return them.

    The year and the Sector come from the sidebar's global filters (one year everywhere); the years of the
    trends from its "Years shown" range.
    """
    st.session_state[STORE_KEY] = (database_url(), ui_data.current_version())
    records = data()
    glob = current_filters()
    # One year everywhere: the sidebar's, or the latest year with staff records before it.
    year = records.year_with_records(glob.year)
    if year != glob.year:
        st.info(f"No staff records for {glob.year}: the figures are those of 31 December {year}.",
                icon=":material/event:")
    cols = st.columns(3)
    chosen_station = chosen_category = chosen_gender = ALL
    if station:
        options, labels = _station_options(records)
        chosen_station = url_selectbox(dims.DIMENSION_LABELS["duty_station"], options, key="wf_station",
                                       container=cols[0], format_func=labels.__getitem__)
    if category:
        chosen_category = url_selectbox(dims.DIMENSION_LABELS["grade_category"], list(CATEGORY_LABELS),
                                        key="wf_category", container=cols[1], format_func=CATEGORY_LABELS.__getitem__)
    if gender:
        chosen_gender = url_selectbox(dims.DIMENSION_LABELS["gender"], list(GENDER_LABELS), key="wf_gender",
                                      container=cols[2], format_func=GENDER_LABELS.__getitem__)
    selection = wf.Selection(
        sector=glob.sector,
        duty_station=None if chosen_station == ALL else chosen_station,
        grade_category=None if chosen_category == ALL else chosen_category,
        gender=None if chosen_gender == ALL else chosen_gender,
    )
    return WorkforceFilters(year=int(year), years=records.years_within(glob.years), selection=selection,
                            projector=glob.projector)


def selection_text(filters: WorkforceFilters) -> str:
    """The selection in words, for the caption under the title (Markdown: a duty station's name is
    imported text, escaped)."""
    s = filters.selection
    parts = [f"31 December {filters.year}", f"Sector: {s.sector}" if s.sector else "all Sectors"]
    if s.duty_station:
        parts.append(markdown_text(_station_options(data())[1][s.duty_station]))
    if s.grade_category:
        parts.append(CATEGORY_LABELS[s.grade_category])
    if s.gender:
        parts.append(GENDER_LABELS[s.gender])
    return " · ".join(parts)


def hidden_view_warning(protected: wf.Protected, year: int) -> bool:
    """Say so when the selection is hidden for ``year``; returns whether it is."""
    if year in protected.hidden_years:
        st.warning(
            f"This selection is hidden for {year}: it counts fewer than {protected.threshold} people, or differs "
            f"from a wider selection by fewer than {protected.threshold}. Widen the filters (duty station, grade "
            "category, gender or the Sector in the sidebar).", icon=":material/visibility_off:")
        return True
    return False


def privacy_caption(protected: wf.Protected) -> None:
    """The rule of the table in one line."""
    st.caption(f"Cells under {protected.threshold} people are hidden (*fewer than {protected.threshold}*), and "
               "so are cells that would let a hidden one be worked out (*hidden*).")


def download_csv(protected: wf.Protected, frame: pl.DataFrame, name: str, key: str) -> None:
    """A CSV download of ``frame``, a protected table (checked again here)."""
    wf.check(wf.Protected(frame=frame, dims=tuple(d for d in protected.dims if d in frame.columns),
                       counts=tuple(c for c in protected.counts if c in frame.columns), threshold=protected.threshold))
    st.download_button("Download CSV", csv_bytes(frame), file_name=f"{name}.csv", mime="text/csv",
                       key=key, icon=":material/download:", on_click="ignore")


@st.cache_resource(show_spinner=False, max_entries=1024)
def _figure(url: str, version: int, key: str, depends: tuple, _build: Callable[[], go.Figure]) -> go.Figure:
    return _build()


def plot(key: str, build: Callable[[], go.Figure], filename: str, filters: WorkforceFilters, *extra) -> None:
    """Draw the figure ``build()`` makes, cached per data version, page filters and ``extra`` (every
    other value the figure depends on): building a Plotly figure costs more than the data work.
    The figure is shared by all sessions and never modified after it is built.
    """
    figure = _figure(*_store(), key, (astuple(filters), extra), build)
    chart(figure, key=key, projector=filters.projector, config={**PLOTLY_CONFIG, "toImageButtonOptions": {
        **PLOTLY_CONFIG["toImageButtonOptions"], "filename": filename}})


def metric(column, label: str, display: str | None, help: str | None = None) -> None:
    """A metric showing a protected display text ("fewer than 5"; "hidden" for a cell hidden to
    protect another one, explained in the help)."""
    if display == SUPPRESSED_TEXT:
        column.metric(label, "hidden", help="Suppressed to protect another cell.")
    elif display is not None and range_of(display) is not None:
        column.metric(label, display, help="Shown as the ten it lies in: the exact figure, beside the others on "
                                           "this page and the page one filter wider, would give away a small count.")
    else:
        column.metric(label, display if display is not None else "–", help=help)


def segmented(label: str, options: dict[str, str], *, key: str) -> str:
    """A segmented control of ``options`` (code -> label), its code kept in the URL under ``key``."""
    return url_segmented(label, list(options), key=key, format_func=options.__getitem__)


WORKFORCE_PAGES = {
    "pages/workforce_composition.py": "Composition", "pages/workforce_gender.py": "Gender balance",
    "pages/workforce_geography.py": "Geographical distribution", "pages/workforce_field.py": "Field presence",
    "pages/workforce_hr.py": "Recruitment and training",
}
FILTER_KEYS = ("wf_station", "wf_category", "wf_gender")


def other_pages(current: str) -> None:
    """Links to the other workforce pages with the same selection (the filters travel in the link)."""
    extra = {key: st.query_params.get(key) for key in FILTER_KEYS}
    cols = st.columns(len(WORKFORCE_PAGES) - 1)
    for col, (page, title) in zip(cols, [(p, t) for p, t in WORKFORCE_PAGES.items() if p != current]):
        col.page_link(page, label=f"{title}, same selection", icon=":material/arrow_forward:",
                      query_params=link_params(**extra))


Tables = TypeVar("Tables", bound=PageTables)


def page_header(title: str, tables: type[Tables], note: str = "", *, gender: bool = True, category: bool = True,
                station: bool = True) -> tuple[WorkforceFilters, Tables]:
    """The top of a workforce page: its title, the workforce filters (:func:`page_filters`) and the selection
    in words with the page's ``note``. Returns the filters and the page's ``tables`` for them."""
    st.title(title)
    filters = page_filters(gender=gender, category=category, station=station)
    st.caption(selection_text(filters) + (f" · {note}" if note else ""))
    return filters, tables.of(filters)


def page_footer(current: str) -> None:
    """The end of a workforce page: the privacy rule, the synthetic-data label and the links to the other
    workforce pages with the same selection."""
    st.info(PRIVACY_NOTE, icon=":material/shield_person:")
    synthetic_notice()
    other_pages(current)


@st.cache_resource(show_spinner=False, max_entries=256)
def _indicator(url: str, version: int, code: str, year: int, validated_only: bool) -> IndicatorView:
    return indicator_view(ui_data.results(), code, year, validated_only=validated_only)


def targets(code: str) -> pl.DataFrame:
    """The organisation's targets of indicator ``code`` by year (:func:`kpi.workforce.indicator_targets`), of the
    current data version."""
    results = ui_data.results()
    return wf.indicator_targets(results.indicators, results.targets, code)


def indicator(code: str, year: int) -> IndicatorView:
    """:func:`kpi.explorer.indicator_view` of an enabler indicator (status, targets), cached per data
    version, year and the global "provisional data" switch."""
    return _indicator(*_store(), code, year, current_filters().validated_only)
