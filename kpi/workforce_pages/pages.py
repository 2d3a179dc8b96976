"""The workforce pages' tables: what each page (:data:`PAGES`) shows for one year and one selection, each
table protected on its own (:func:`page_tables`), its "By" options (:data:`TREND_BY`, :data:`GAP_BY`), its
groupings (:data:`PYRAMID_LEVELS`, :data:`RECRUITMENT_LEVELS`, :func:`grouping`) and titles."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

from kpi import coarsening
from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.disclosure import DEFAULT_RULE, DisclosureRule
from kpi.workforce_pages.records import Records


#: The "By" options of the pages' trend and gap charts (code -> label), one home for both the pages and
#: the protection (every option is protected with the page: a reader can switch between them).
TREND_BY: dict[str, str] = {d: dims.DIMENSION_LABELS[d]
                            for d in ("sector", "grade_category", "location", "contract_type", "gender")}
GAP_BY: dict[str, str] = {d: dims.DIMENSION_LABELS[d] for d in ("grade", "sector", "duty_station", "location")}
#: The pyramid's groupings, finest first (:mod:`kpi.coarsening` picks one; the reader may ask for finer).
PYRAMID_LEVELS: tuple[str, ...] = ("grade", "grade_band")
#: The recruitment heat map's groupings (a year has about 60 recruitments: grades are thin).
RECRUITMENT_LEVELS: tuple[str, ...] = ("grade", "grade_band", "category_group")
GROUPING_NAMES: dict[str, str] = {"grade": "grade", "grade_band": "grade band", "grade_category": "category",
                                  "category_group": "category group", "location": "headquarters or field",
                                  "duty_station": "office", "office_region": "region"}


def grouping(records: Records, year: int, selection: wf.Selection, breakdown: str = "grade",
             crossed: Sequence[str] = ("gender",), universe: str = "staff", levels: Sequence[str] | None = None,
             rule: DisclosureRule = DEFAULT_RULE) -> coarsening.Grouping:
    """The grouping :mod:`kpi.coarsening` chooses for a breakdown of the selection's staff (or recruitments)
    in ``year``: a page shows it, and the finest one on request (both are protected with the page; a coarser
    one is on the page only when it is chosen, so that the finest is not hidden for a table nobody sees)."""
    rows = (records.staff if universe == "staff" else records.recruitment).filter(pl.col("year") == year)
    for name, value in selection.active().items():
        if (name != "gender" or "gender" not in crossed) and (universe == "staff" or name != "gender"):
            rows = rows.filter(wf.filter_expr(name, value))
    if breakdown == "duty_station":
        rows = rows.filter(pl.col("location") == "field")
    return coarsening.choose_grouping(rows, breakdown, rule.min_count, crossed=crossed, levels=levels)


def _composition(r: Records, year: int, sel: wf.Selection, rule: DisclosureRule) -> dict[str, wf.Protected]:
    tables = {
        "headcount": wf.headcount(r.staff, year, sel, rule=rule),
        "pyramid:grade": wf.gender_by_grade(r.staff, year, sel, rule=rule),
        "contracts": wf.composition(r.staff, year, ["contract_type"], sel, rule=rule),
        "sectors": wf.composition(r.staff, year, ["sector"], sel, rule=rule),
        "units": wf.composition(r.staff, year, ["sector", "unit"], sel, names=r.unit_names(), rule=rule),
        "stations": wf.composition(r.staff, year, ["location", "duty_station"], sel, names=r.station_names(),
                                   rule=rule),
    }
    if grouping(r, year, sel, rule=rule).level != "grade":
        tables["pyramid:grade_band"] = wf.gender_split(r.staff, year, ["grade_band"], sel, rule=rule)
    for by in TREND_BY:
        tables[f"trend:{by}"] = wf.over_time(r.staff, [year], by, sel, rule=rule)
    return tables


def _gender(r: Records, year: int, sel: wf.Selection, rule: DisclosureRule) -> dict[str, wf.Protected]:
    tables = {
        "shares": wf.women_share_over_time(r.staff, [year], sel, rule=rule),
        "grades": wf.gender_by_grade(r.staff, [year], sel, rule=rule),
    }
    for by in GAP_BY:
        names = r.station_names() if by == "duty_station" else None
        tables[f"gap:{by}"] = wf.parity_gap(r.staff, year, by, sel, names=names, rule=rule)
    if grouping(r, year, sel, rule=rule).level != "grade":
        # By grade the gap would hide too many people: by grade band, beside the finer one a reader may ask for.
        tables["gap:grade_band"] = wf.parity_gap(r.staff, year, "grade_band", sel, rule=rule)
    return tables


def _geography(r: Records, year: int, sel: wf.Selection, rule: DisclosureRule) -> dict[str, wf.Protected]:
    return {
        "coverage": wf.member_states_coverage(r.staff, r.countries, [year], sel, rule=rule),
        "countries": wf.nationality_by_country(r.staff, r.countries, year, sel, rule=rule),
        "regions": wf.nationality_by_region(r.staff, year, sel, rule=rule),
        "trend": wf.over_time(r.staff, [year], "admin_region", sel, rule=rule),
    }


def _field(r: Records, year: int, sel: wf.Selection, rule: DisclosureRule) -> dict[str, wf.Protected]:
    return {
        "presence": wf.field_presence(r.staff, [year], ["sector"], sel, rule=rule),
        "offices": wf.field_presence(r.staff, year, ["duty_station"], sel, names=r.station_names(), rule=rule),
        "regions": wf.field_presence(r.staff, year, ["office_region", "sector"], sel, rule=rule),
    }


def _hr(r: Records, year: int, sel: wf.Selection, rule: DisclosureRule) -> dict[str, wf.Protected]:
    level = grouping(r, year, sel, "grade", ("sector",), "recruitment", RECRUITMENT_LEVELS, rule).level
    grids = {f"recruitment:{by}": wf.recruitment_timeline(r.recruitment, year, [by, "sector"], sel, rule=rule)
             for by in dict.fromkeys(["grade", level])}
    return {
        **grids,
        "recruitment_trend": wf.recruitment_timeline(r.recruitment, [year], ["category_group"], sel, rule=rule),
        "training": wf.training_completion(r.staff, year, ["sector"], sel, rule=rule),
        "training_trend": wf.training_completion(r.staff, [year], ["category_group"], sel, rule=rule),
    }


#: Each workforce page: its tables for one year and one selection.
PAGES: dict[str, Callable[[Records, int, wf.Selection, DisclosureRule], dict[str, wf.Protected]]] = {
    "composition": _composition, "gender": _gender, "geography": _geography, "field": _field, "hr": _hr,
}
#: Each workforce page's title (the navigation's, and how other pages name it).
PAGE_TITLES: dict[str, str] = {"composition": "Composition", "gender": "Gender balance",
                               "geography": "Geographical distribution", "field": "Field presence",
                               "hr": "Recruitment and training"}
#: The tables a page shows over several years (each year from its own page-year).
TREND_TABLES: dict[str, tuple[str, ...]] = {
    "composition": tuple(f"trend:{by}" for by in TREND_BY),
    "gender": ("shares", "grades"),
    "geography": ("coverage", "trend"),
    "field": ("presence",),
    "hr": ("recruitment_trend", "training_trend"),
}


def page_tables(records: Records, page: str, year: int, selection: wf.Selection,
                rule: DisclosureRule = DEFAULT_RULE) -> dict[str, wf.Protected]:
    """Every table ``page`` can show for ``year`` and ``selection``, each protected on its own."""
    return PAGES[page](records, year, selection, rule)
