"""The workforce pages as sets of published numbers, protected together: a page, not a table.

Each workforce page shows several tables of the same people (a total, its split by location, a
grade-by-gender pyramid, a chart by Sector...). Protecting each table on its own (:mod:`kpi.workforce`)
leaves the page open: Field presence showed 64 staff in the regional offices, four regions and the
one office of the fifth, so the hidden region was their difference. Here a page is protected whole:

1. :func:`page_tables` computes every table a page can show for one year and one selection, each
   protected on its own (primary, complementary and differencing suppression, :mod:`kpi.workforce`),
   including every option of the page's "By" controls and the finer grouping a user may ask for.
2. Every number of those tables becomes a linear constraint on the counts of a grid of base cells
   (:mod:`kpi.disclosure_audit`): a shown count says "these cells add up to 12", a hidden one what
   its label says ("fewer than 5": 1 to 4). A number a reader can infer, an empty bar (0), is one too.
3. :func:`kpi.disclosure_audit.secure` hides more numbers until the linear program pins nothing
   down, for the page alone and beside each *wider* view (the same page with one filter widened:
   a Sector against all Sectors, an office against all regional offices, P against Professional
   and higher), as those views are themselves published. Views are protected from the widest down,
   so a view's protection never depends on a narrower one, and the same page-year is the same
   wherever it is shown (trend charts take each year from its own page-year).

:class:`PageProtector` does this with a cache per page, year and selection; the pages read their
tables from :meth:`PageProtector.view`. :meth:`PageProtector.audit` re-runs the audit over a view
and its wider neighbours, and with ``secured=False`` over the tables as protected one by one (what
the pages showed before), which is how the test suite shows the audit finds the old leaks.

What is not a count of people is outside the linear program, and said so: the number of Member States
with nationals on staff (it follows from the map's zeros, which are in it); recruitment timelines'
mean days (shown only where their count is, about vacancies rather than people).
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

import numpy as np
import polars as pl

from kpi import coarsening
from kpi import dimensions as dims
from kpi import disclosure
from kpi import disclosure_audit as disclosure_audit_module
from kpi import workforce as wf
from kpi.disclosure import DEFAULT_RULE, DisclosureRule
from kpi.disclosure_audit import Finding, Link, Publication, audit, label_bounds, secure
from kpi.store.columnar import KeptViews, code_digest, fingerprint, source_files

# ---------------------------------------------------------------- the records and the pages


@dataclass(frozen=True)
class Records:
    """What the workforce pages are computed from (:func:`kpi.workforce.prepare_staff` and friends)."""

    staff: pl.DataFrame
    recruitment: pl.DataFrame
    countries: pl.DataFrame
    duty_stations: pl.DataFrame
    units: pl.DataFrame

    def station_names(self) -> dict[str, str]:
        """Duty-station code -> name."""
        return dict(zip(self.duty_stations["code"].to_list(), self.duty_stations["name"].to_list()))

    def unit_names(self) -> dict[str, str]:
        """Unit code -> name."""
        return dict(zip(self.units["code"].to_list(), self.units["name"].to_list()))


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


def wider(selection: wf.Selection, duty_stations: pl.DataFrame) -> list[wf.Selection]:
    """The selections one filter wider than ``selection``: each filter's value replaced by the value
    that contains it (an office by all regional offices, or all liaison offices; P, D or elected by
    Professional and higher) or by all."""
    kinds = dict(zip(duty_stations["code"].to_list(), duty_stations["kind"].to_list()))
    out = []
    for name, value in selection.active().items():
        parent: str | None = None
        if name == "duty_station" and value not in dims.LOCATION_FILTERS:
            location = dims.LOCATION_OF_KIND.get(kinds.get(value, ""), "field")
            parent = {"field": dims.STATION_GROUP_FIELD, "liaison": dims.STATION_GROUP_LIAISON,
                      "headquarters": dims.STATION_GROUP_HQ}[location]
        elif name == "grade_category" and value in dims.PROFESSIONAL_AND_HIGHER_CATEGORIES:
            parent = dims.PROFESSIONAL_AND_HIGHER
        out.append(replace(selection, **{name: parent}))
    return out


def narrower(selection: wf.Selection, duty_stations: pl.DataFrame) -> list[wf.Selection]:
    """The selections one filter narrower than ``selection``: those whose :func:`wider` views include it (each
    Sector, category, gender or group of duty stations of all staff; each office of the regional offices)."""
    offices = duty_stations.filter(pl.col("kind") != "headquarters")["code"].to_list()
    values = {"sector": dims.SECTOR_CODES,
              "duty_station": [dims.STATION_GROUP_HQ, dims.STATION_GROUP_FIELD, dims.STATION_GROUP_LIAISON, *offices],
              "grade_category": [dims.PROFESSIONAL_AND_HIGHER, *dims.GRADE_CATEGORIES],
              "gender": list(dims.GENDERS)}
    out = []
    for name, options in values.items():
        for value in options:
            child = replace(selection, **{name: value})
            if child != selection and selection in wider(child, duty_stations):
                out.append(child)
    return out


# ---------------------------------------------------------------- numbers as constraints

Predicate = tuple[tuple[str, tuple], ...]


@dataclass(frozen=True)
class _Number:
    """One number a page publishes, as the predicate on the records it counts."""

    where: str
    predicate: Predicate
    shown: int | None
    display: str
    threshold: int
    universe: str
    #: (table, row, count column) in the page's tables.
    origin: tuple[str, int, str]
    #: The same number in another view of the page: (table, the row's values, count column).
    key: tuple[str, str, str] = ("", "", "")


def _display_column(frame: pl.DataFrame, column: str) -> str:
    return f"{column}_display" if f"{column}_display" in frame.columns else "display"


def _reason_column(frame: pl.DataFrame, column: str) -> str:
    return f"{column}_reason" if f"{column}_reason" in frame.columns else "reason"


def _numbers(tables: dict[str, wf.Protected], year: int, label: str) -> list[_Number]:
    """The numbers of one year of a page's tables (the count columns of every row)."""
    out: list[_Number] = []
    for name, table in tables.items():
        if table.universe not in ("staff", "recruitment"):
            continue
        frame = table.frame.with_row_index("_row").filter(pl.col("year") == year)
        base = tuple(table.population) + tuple(table.slices)
        for row in frame.iter_rows(named=True):
            here = tuple((d, (row[d],)) for d in table.row_dims if row.get(d) is not None)
            place = ", ".join(f"{d}={row[d]}" for d in table.row_dims if row.get(d) is not None) or "total"
            for column, split, value in table.parts:
                predicate = base + here + (((split, (value,)),) if split else ())
                shown = row[column]
                out.append(_Number(f"{label} · {name} · {place} · {column}", predicate,
                                   None if shown is None else int(shown),
                                   row[_display_column(frame, column)], table.threshold, table.universe,
                                   (name, row["_row"], column), (name, place, column)))
    return out


def _match(predicate: Predicate) -> pl.Expr:
    expr = pl.lit(True)
    for column, values in predicate:
        expr = expr & pl.col(column).is_in(list(values))
    return expr


# ---------------------------------------------------------------- the unknowns

#: The columns the numbers are about, in families: a family's columns follow from its first one (a
#: grade's band and category; a duty station's location and region; a unit's Sector).
FAMILY_COLUMNS: dict[str, tuple[str, ...]] = {
    "grade": ("grade", "grade_band", "grade_category", "category_group"),
    "station": ("duty_station", "station_kind", "location", "office_region"),
    "unit": ("unit", "sector"),
    "sector": ("sector",),
    "nationality": ("nationality", "admin_region", "member_state"),
    "gender": ("gender",),
    "contract_type": ("contract_type",),
    "training": ("training",),
}
_FAMILY_OF = {c: f for f, cs in FAMILY_COLUMNS.items() for c in cs if f != "unit" or c == "unit"}


def families(records: Records) -> dict[str, pl.DataFrame]:
    """Every value a reader knows each family of columns can take (the reference lists and the records)."""
    grades = pl.DataFrame({"grade": list(dims.GRADE_CODES)}).with_columns(
        pl.col("grade").replace_strict(dims.GRADE_BANDS).alias("grade_band"),
        pl.col("grade").replace_strict(dims.GRADE_CATEGORY).alias("grade_category"),
    ).with_columns(
        pl.when(pl.col("grade_category").is_in(sorted(dims.PROFESSIONAL_AND_HIGHER_CATEGORIES)))
        .then(pl.lit(dims.PROFESSIONAL_AND_HIGHER)).otherwise(pl.lit(dims.GENERAL_SERVICE_AND_NO))
        .alias("category_group"))
    stations = records.duty_stations.select(
        pl.col("code").alias("duty_station"), pl.col("kind").alias("station_kind"),
        pl.col("kind").replace_strict(dims.LOCATION_OF_KIND, default="field").alias("location"), "itu_d_region")
    stations = stations.select(
        "duty_station", "station_kind", "location",
        pl.when(pl.col("location") == "field").then(pl.col("itu_d_region").fill_null(dims.NOT_FIELD))
        .otherwise(pl.lit(dims.NOT_FIELD)).alias("office_region"))
    nations = records.countries.select(pl.col("iso3").alias("nationality"), "admin_region",
                                       pl.col("is_member_state").alias("member_state"))
    staff = records.staff
    return {
        "grade": grades,
        "station": pl.concat([stations, staff.select(stations.columns).unique()]).unique(),
        "unit": pl.concat([records.units.select(pl.col("code").alias("unit"), pl.col("sector_code").alias("sector")),
                           staff.select("unit", "sector").unique()]).unique(),
        "sector": pl.DataFrame({"sector": list(dims.SECTOR_CODES)}),
        "nationality": pl.concat([nations, staff.select(nations.columns).unique()]).unique(),
        "gender": pl.DataFrame({"gender": list(dims.GENDERS)}),
        "contract_type": pl.DataFrame({"contract_type": list(dims.CONTRACT_TYPES)}),
        "training": pl.DataFrame({"training": [dims.TRAINING_COMPLETED, dims.TRAINING_NOT_COMPLETED, None]},
                                 schema={"training": pl.String}),
    }


def _coarsest(family: pl.DataFrame, wanted: Sequence[str]) -> pl.DataFrame:
    """The family's values at the coarsest column that still tells every ``wanted`` column."""
    for column in sorted(family.columns, key=lambda c: family.get_column(c).n_unique()):
        part = family.select(list(dict.fromkeys([column, *wanted]))).unique()
        if part.get_column(column).n_unique() == part.height:
            return part
    return family


def _grid(known: dict[str, pl.DataFrame], names: Iterable[str], referenced: set[str]) -> pl.DataFrame:
    """Every combination of the families ``names`` (joined on the columns they share: a unit and its Sector)."""
    grid = pl.DataFrame({"_": [0]})
    for name in names:
        grid = _join(grid, _coarsest(known[name], [c for c in known[name].columns if c in referenced]))
    return grid


def _join(left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """``left`` and ``right`` joined on the columns they share, crossed if none."""
    right = right.drop("_", strict=False)
    shared = [c for c in right.columns if c in left.columns]
    if shared:
        return left.join(right, on=shared, how="inner", nulls_equal=True)
    return left.join(right, how="cross")


def _program(numbers: Sequence[_Number], known: dict[str, dict[str, pl.DataFrame]], separator: set[str],
             records: dict[str, pl.DataFrame]) -> tuple[list[Publication], list[Link], dict[int, int]]:
    """The numbers as publications over base cells, the links that make the grids one population, and
    the true count of each cell (from ``records``, the year's records of each universe: a hidden number
    is *sensitive* when it counts 1 to T-1 people).

    A page's tables cross unit, grade, duty station, gender and contract type, whose full product has
    tens of thousands of cells, too many for a program solved hundreds of times per page. But no number
    is about a grade and a unit at once: the families of columns fall into groups that meet only in the
    ``separator`` (the families the selection filters on: a Sector, a gender) and the grand total. Each
    group gets its own grid (its families crossed with the separator), and for each value of the
    separator the groups' sums are linked as equal: the same people. For such a star of groups around
    a separator the tables published over each group and the separator can always be put together into
    one table of the full product (a decomposable model), so the program is exact, not a shortcut.
    """
    publications: list[Publication | None] = [None] * len(numbers)
    links: list[Link] = []
    counts: dict[int, int] = {}
    offset = 0
    for universe in ("staff", "recruitment"):
        chosen = [i for i, n in enumerate(numbers) if n.universe == universe]
        if chosen:
            offset, found = _universe_program(numbers, chosen, known[universe], separator, records[universe],
                                              publications, counts, offset)
            links += found
    return _merged([p for p in publications if p is not None], links, counts)


def _universe_program(numbers: Sequence[_Number], chosen: list[int], fams_known: dict[str, pl.DataFrame],
                      separator: set[str], universe_records: pl.DataFrame, publications: list[Publication | None],
                      counts: dict[int, int], offset: int) -> tuple[int, list[Link]]:
    """:func:`_program` for the ``chosen`` numbers of one universe (staff or recruitment): sets their
    publications, adds their cells' true counts to ``counts`` (cells numbered from ``offset``), and returns the
    next free cell number and the links between its groups' grids."""
    referenced = {c for i in chosen for c, _ in numbers[i].predicate}
    has_unit = "unit" in referenced and "unit" in fams_known

    def family_set(n: _Number) -> set[str]:
        return {"unit" if c == "sector" and has_unit else _FAMILY_OF[c] for c, _ in n.predicate if c not in separator}

    # The separator at its coarsest (a Sector, a grade category), each group's families in full, joined
    # to it on the columns they share (a unit's Sector, a grade's category).
    cut = sorted(c for c in separator if c in referenced)
    sep_families = dict.fromkeys(_FAMILY_OF[c] for c in cut)
    sep_grid = _grid({f: _coarsest(fams_known[f], [c for c in cut if c in fams_known[f].columns])
                      for f in sep_families}, sep_families, referenced | set(cut))
    key = [c for c in sep_grid.columns if c != "_"] or ["_"]
    found = [family_set(numbers[i]) for i in chosen]
    sums: list[dict[tuple, frozenset[int]]] = []
    for group in _groups(list(dict.fromkeys(f for fs in found for f in fs)), found):
        grid = _join(sep_grid, _grid(fams_known, group, referenced | set(cut))).with_row_index(
            "_cell", offset=offset)
        offset += grid.height
        counts.update(_true_counts(grid, universe_records))
        cells_of = _CellIndex(grid)
        for i in chosen:
            if family_set(numbers[i]) <= set(group) and publications[i] is None:
                cells = cells_of(numbers[i].predicate)
                publications[i] = _publication(numbers[i], cells, sum(counts[c] for c in cells))
        sums.append({row[:-1]: frozenset(row[-1]) for row in grid.group_by(key).agg(pl.col("_cell")).iter_rows()})
    return offset, [(first[k], other.get(k, frozenset())) for first, other in zip(sums, sums[1:]) for k in first]


def _true_counts(grid: pl.DataFrame, records: pl.DataFrame) -> dict[int, int]:
    """How many of ``records`` each cell of ``grid`` (numbered ``_cell``) holds."""
    columns = [c for c in grid.columns if c not in ("_cell", "_")]
    if columns:
        truth = grid.join(records.group_by(columns).len(), on=columns, how="left", nulls_equal=True)
    else:
        truth = grid.with_columns(pl.lit(records.height).alias("len"))
    return dict(truth.select("_cell", pl.col("len").fill_null(0)).iter_rows())


class _CellIndex:
    """The cells of a grid that a predicate selects, by one ``group_by`` per set of columns (a page's numbers
    are a few hundred predicates over a few sets of columns) rather than one filter per number."""

    def __init__(self, grid: pl.DataFrame) -> None:
        self.grid = grid
        self.by_columns: dict[tuple[str, ...], dict[tuple, frozenset[int]]] = {}

    def __call__(self, predicate: Predicate) -> frozenset[int]:
        columns = tuple(c for c, _ in predicate)
        single = all(len(v) == 1 and v[0] is not None for _, v in predicate)
        if not single or len(set(columns)) != len(columns):
            return frozenset(self.grid.filter(_match(predicate)).get_column("_cell").to_list())
        if not columns:
            return frozenset(self.grid.get_column("_cell").to_list())
        key = tuple(sorted(columns))
        if key not in self.by_columns:
            self.by_columns[key] = {row[:-1]: frozenset(row[-1]) for row in
                                    self.grid.group_by(list(key)).agg(pl.col("_cell")).iter_rows()}
        values = dict((c, v[0]) for c, v in predicate)
        return self.by_columns[key].get(tuple(values[c] for c in key), frozenset())


def _merged(publications: list[Publication], links: list[Link], counts: dict[int, int]
            ) -> tuple[list[Publication], list[Link], dict[int, int]]:
    """The same program with the cells that every sum covers alike merged into one (only sums are ever
    published or linked, so this is exact; it makes the program several times smaller)."""
    sets = [p.cells for p in publications] + [side for link in links for side in link]
    member: dict[int, list[int]] = {}
    for k, cells in enumerate(sets):
        for c in cells:
            member.setdefault(c, []).append(k)
    atom_of: dict[tuple[int, ...], int] = {}
    atom = {c: atom_of.setdefault(tuple(ks), len(atom_of)) for c, ks in member.items()}
    merged_counts: dict[int, int] = {}
    for c, a in atom.items():
        merged_counts[a] = merged_counts.get(a, 0) + counts.get(c, 0)

    def translate(cells: frozenset[int]) -> frozenset[int]:
        return frozenset(atom[c] for c in cells)

    return ([replace(p, cells=translate(p.cells)) for p in publications],
            [(translate(a), translate(b)) for a, b in links], merged_counts)


def _groups(fams: list[str], found: Sequence[set[str]]) -> list[list[str]]:
    """The families that appear together in a number (union-find), apart from the separator's."""
    parent = {f: f for f in fams}

    def root(f: str) -> str:
        while parent[f] != f:
            f = parent[f]
        return f

    for present in found:
        present = [f for f in present if f in parent]
        for a, b in zip(present, present[1:]):
            parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for f in fams:
        groups.setdefault(root(f), []).append(f)
    return list(groups.values()) or [[]]


def _publication(n: _Number, cells: frozenset[int], true: int) -> Publication:
    if n.shown is not None:
        return Publication(n.where, cells, shown=n.shown, threshold=n.threshold)
    low, high = label_bounds(n.display, n.threshold)
    small = 0 < true < n.threshold
    # A count of 1 to T-1 labelled "hidden" (a part of a small whole, or relabelled so that its own "at least 1"
    # does not narrow a sibling) is protected as such (Publication.protection).
    return Publication(n.where, cells, low=low, high=high, threshold=n.threshold, sensitive=small,
                       protect=(1, None) if small and high is None else None)


def _differences(own: Sequence[_Number], mine: Sequence[Publication], theirs: Sequence[_Number],
                 published: Sequence[Publication], counts: dict[int, int]) -> list[Publication]:
    """The same number in a view and one filter wider: their difference, where it counts 1 to T-1 people,
    as a sensitive hidden number of its own (what differencing the two views would tell)."""
    index = {n.key: p for n, p in zip(own, mine)}
    out = []
    for n, wide in zip(theirs, published):
        narrow = index.get(n.key)
        if narrow is None or not narrow.cells < wide.cells:
            continue
        cells = wide.cells - narrow.cells
        if 0 < sum(counts[c] for c in cells) < n.threshold:
            out.append(Publication(f"{n.where} minus the narrower view", cells, threshold=n.threshold,
                                   sensitive=True))
    return out


# ---------------------------------------------------------------- hiding more, in the tables


def _hide(tables: dict[str, wf.Protected], hidden: Iterable[tuple[str, int, str]]) -> dict[str, wf.Protected]:
    """The tables with the numbers ``hidden`` (table, row, column) hidden as complements, and what is
    computed from them (shares, parity gaps, mean days) hidden with them."""
    by_table: dict[str, list[tuple[int, str]]] = {}
    for name, row, column in hidden:
        by_table.setdefault(name, []).append((row, column))
    out = dict(tables)
    for name, cells in by_table.items():
        table = tables[name]
        frame = table.frame.with_row_index("_row")
        for column in {c for _, c in cells}:
            rows = sorted(r for r, c in cells if c == column)
            hit = pl.col("_row").is_in(rows)
            display = _display_column(frame, column)
            reason = _reason_column(frame, column)
            frame = frame.with_columns(
                pl.when(hit).then(None).otherwise(pl.col(column)).alias(column),
                pl.when(hit).then(pl.lit(disclosure.SUPPRESSED_TEXT)).otherwise(pl.col(display)).alias(display),
                pl.when(hit & (pl.col(reason) == "")).then(pl.lit(disclosure.COMPLEMENTARY))
                .otherwise(pl.col(reason)).alias(reason))
            if "suppressed" in frame.columns and display == "display":
                frame = frame.with_columns((pl.col("suppressed") | hit).alias("suppressed"))
        out[name] = replace(table, frame=_recompute(frame.drop("_row"), table))
    return out


#: The tables whose hidden complements may be shown as a range of ten instead (the headline figures).
RANGED_TABLES: frozenset[str] = frozenset({"headcount"})
#: A complement is shown as a range only from this count up (a range of ten is then at most a third of it).
RANGED_FROM = 30


def _ranges(secured: list[Publication], tables: Sequence[str],
            contexts: Sequence[Sequence[Publication]], links: Sequence[Link], counts: dict[int, int]
            ) -> dict[int, tuple[int, int]]:
    """The hidden headline counts (complements) that can be shown as the ten they lie in (135 as "130–139") with
    the page still safe beside every context: coarsen the number before hiding it. A range of ten beside
    a shown total leaves the small part it protected anywhere from 0 to 9 more, which covers 1 to 4."""
    out: dict[int, tuple[int, int]] = {}
    for i, p in enumerate(secured):
        true = sum(counts[c] for c in p.cells)
        if tables[i] not in RANGED_TABLES or not p.hidden or p.is_sensitive or true < RANGED_FROM:
            continue
        low, high = disclosure.rounded_range(true)
        trial = [*secured[:i], Publication(p.where, p.cells, low=low, high=high, threshold=p.threshold),
                 *secured[i + 1:]]
        if all(not audit([*trial, *context], links) for context in contexts):
            secured, out[i] = trial, (low, high)
    return out


def _show_ranges(tables: dict[str, wf.Protected], ranges: dict[tuple[str, int, str], tuple[int, int]]
                 ) -> dict[str, wf.Protected]:
    """The tables with the counts of ``ranges`` (table, row, column) shown as their range."""
    out = dict(tables)
    for (name, row, column), (low, high) in ranges.items():
        frame = out[name].frame.with_row_index("_row")
        hit = pl.col("_row") == row
        display = _display_column(frame, column)
        reason = _reason_column(frame, column)
        frame = frame.with_columns(
            pl.when(hit).then(pl.lit(disclosure.between(low, high))).otherwise(pl.col(display)).alias(display),
            pl.when(hit).then(pl.lit(disclosure.ROUNDED)).otherwise(pl.col(reason)).alias(reason))
        out[name] = replace(out[name], frame=frame.drop("_row"))
    return out


def _show_derivable(tables: dict[str, wf.Protected]) -> dict[str, wf.Protected]:
    """The tables with each hidden count that the two others of its row tell exactly shown, and the shares
    computed again.

    In a row of women + men = total (or completed + not completed = total) with two shown, the third is
    known to every reader: hiding it protects nothing (the audit counts it as published either way) and
    only hid the row's share (P4 with 51 women of 121 read "hidden" on the gender page and in the explorer).
    """
    out = dict(tables)
    for name, table in tables.items():
        columns = [c for c, _, _ in table.parts]
        if len(columns) != 3 or not all(c in table.frame.columns for c in columns):
            continue
        part, other, total = columns
        exact = {part: pl.col(total) - pl.col(other), other: pl.col(total) - pl.col(part),
                 total: pl.col(part) + pl.col(other)}
        frame = table.frame
        for column, value in exact.items():
            derivable = pl.col(column).is_null() & pl.all_horizontal(
                *(pl.col(c).is_not_null() for c in exact if c != column))
            if frame.select(derivable.any()).item():
                frame = frame.with_columns(
                    pl.when(derivable).then(value).otherwise(pl.col(column)).alias(column),
                    pl.when(derivable).then(value.cast(pl.String)).otherwise(pl.col(f"{column}_display"))
                    .alias(f"{column}_display"),
                    pl.when(derivable).then(pl.lit("")).otherwise(pl.col(f"{column}_reason")).alias(f"{column}_reason"))
        if frame is not table.frame:
            out[name] = replace(table, frame=_recompute(frame, table))
    return out


def _recompute(frame: pl.DataFrame, table: wf.Protected) -> pl.DataFrame:
    """Shares, parity gaps and mean days again, from the counts as they are now shown."""
    columns = [c for c, _, _ in table.parts]
    if "share" in frame.columns and len(columns) == 3:
        part, other, total = columns
        frame = frame.with_columns(*wf.share_columns(part, other, total, table.threshold))
        if "women_needed" in frame.columns:
            frame = frame.with_columns(
                pl.when(pl.col("share").is_null()).then(None).otherwise(pl.col("women_needed")).alias("women_needed"),
                pl.when(pl.col("share").is_null()).then(None).otherwise(pl.col("men_needed")).alias("men_needed"),
            ).with_columns(*wf.parity_columns())
        if "within_band" in frame.columns:
            low, high = dims.PARITY_BAND
            frame = frame.with_columns(pl.col("share").is_between(low, high).alias("within_band"))
    if "days" in frame.columns:
        frame = frame.with_columns(
            pl.when(pl.col("count").is_null()).then(None).otherwise(pl.col("days")).alias("days"),
            pl.when(pl.col("count").is_null()).then(pl.col("display")).otherwise(pl.col("days_display"))
            .alias("days_display"))
    return frame


# ---------------------------------------------------------------- the protector


@dataclass(frozen=True)
class PageYear:
    """One page's tables for one year and selection, protected together, and what it publishes."""

    tables: dict[str, wf.Protected]
    numbers: tuple[_Number, ...]
    #: The numbers hidden by the page-level step (beyond each table's own protection).
    added: int


class PageProtector:
    """Protected workforce pages of one set of records, computed on demand and kept (thread-safe)."""

    def __init__(self, records: Records, rule: DisclosureRule = DEFAULT_RULE, *, secured: bool = True,
                 kept: KeptViews | None = None) -> None:
        """``kept``: page-years kept on disk for these records and ``rule`` (:func:`kept_views`), read before
        one is computed and written after."""
        self.records = records
        self.rule = rule
        self.secured = secured
        self.kept = kept
        self._done: dict[tuple, PageYear] = {}
        staff = families(records)
        self._known = {"staff": staff, "recruitment": {k: staff[k] for k in ("grade", "station", "sector")}}
        self._lock = threading.RLock()

    def page_year(self, page: str, year: int, selection: wf.Selection) -> PageYear:
        """``page``'s tables for ``year`` and ``selection``, protected together and beside its wider views.

        A page-year is protected whole, trend tables included, even for a year that a reader sees only in a
        trend: a year's trend points are then the same whichever year is selected, and a view one filter
        narrower is protected against everything its wider views publish for that year (a narrower view's
        trend, men by category, protected against the wider view's trend alone, could pin what the wider
        view's pyramid hides: D men minus all staff's D1 men gives D2 men, and D2 women with them).
        """
        key = (page, year, selection)
        with self._lock:
            if key not in self._done:
                self._done[key] = self._kept_or_computed(page, year, selection)
            return self._done[key]

    def _kept_or_computed(self, page: str, year: int, selection: wf.Selection) -> PageYear:
        """The page-year from the kept views, or computed (and then kept)."""
        if self.kept is None:
            return self._compute(page, year, selection)
        key = (page, year, selection, self.secured)
        found = self.kept.get(key)
        if isinstance(found, PageYear):
            return found
        computed = self._compute(page, year, selection)
        self.kept.put(key, computed)
        return computed

    def _label(self, page: str, year: int, selection: wf.Selection) -> str:
        chosen = ", ".join(f"{k}={v}" for k, v in selection.active().items()) or "all staff"
        return f"{page} ({chosen}) {year}"

    def _compute(self, page: str, year: int, selection: wf.Selection) -> PageYear:
        tables = page_tables(self.records, page, year, selection, self.rule)
        label = self._label(page, year, selection)
        numbers = _numbers(tables, year, label)
        if not self.secured:
            return PageYear(tables, tuple(numbers), 0)
        neighbours = [self.page_year(page, year, w) for w in wider(selection, self.records.duty_stations)]
        views = [tables, *(n.tables for n in neighbours)]
        others = [list(n.numbers) for n in neighbours]
        # The small totals of the views one filter narrower, which this view must not bound: those views are
        # protected after this one, against it, and cannot undo what it gives away (all staff's GS and
        # GS+NO women telling that the NO view's few women are at least 2).
        small = self._small_totals(page, year, selection)
        mine, contexts, links, counts = self._program(numbers, [*others, small] if small else others, views, year)
        secured, newly = secure(mine, contexts=contexts, links=links)
        # Newly hidden numbers, and "fewer than T" numbers relabelled "hidden"; then complements of the
        # headline figures shown as their ten where that is safe.
        tables = _hide(tables, [numbers[i].origin for i in newly])
        ranges = _ranges(secured, [n.origin[0] for n in numbers], contexts, links, counts)
        tables = _show_ranges(tables, {numbers[i].origin: bounds for i, bounds in ranges.items()})
        tables = _show_derivable(tables)
        return PageYear(tables, tuple(_numbers(tables, year, label)), len(newly))

    def _small_totals(self, page: str, year: int, selection: wf.Selection) -> list[_Number]:
        """The totals of each view one filter narrower (its people, its women, its men) that count 1 to T-1,
        as hidden numbers (what :func:`narrower` views show of them is at most "hidden" or "fewer than T")."""
        staff = self.records.staff.filter(pl.col("year") == year)
        threshold = self.rule.min_count
        out = []
        for child in narrower(selection, self.records.duty_stations):
            if child.duty_station not in (None, *dims.LOCATION_FILTERS):
                # A single office: its total is a row of the wider view's office tables, and its women and men
                # are cells of them where the page crosses offices with gender, so they are protected as such
                # (the audit over every office says so); adding them again made the regional offices' view
                # ten times slower to protect (7.9 s instead of 0.6 s for two years).
                continue
            base = tuple((c, (v,)) for c, v in (wf.filter_target(n, x) for n, x in child.active().items()))
            splits = {"total": ()} | ({} if child.gender else {g: (("gender", (g,)),) for g in dims.GENDERS})
            for name, split in splits.items():
                predicate = base + split
                if 0 < staff.filter(_match(predicate)).height < threshold:
                    out.append(_Number(f"{self._label(page, year, child)} · its total · {name}", predicate, None,
                                       disclosure.SUPPRESSED_TEXT, threshold, "staff", ("", -1, "")))
        return out

    def _program(self, numbers: Sequence[_Number], others: Sequence[Sequence[_Number]],
                 views: Sequence[dict[str, wf.Protected]], year: int
                 ) -> tuple[list[Publication], list[list[Publication]], list[Link], dict[int, int]]:
        """The view's publications, each wider view's (with the differences), the links and the cells' true
        counts (:func:`_program`, with the filters of the views as the separator)."""
        separator = {c for tables in views for t in tables.values() for c, _ in (*t.population, *t.slices)}
        separator |= {c for other in others for n in other if n.origin[0] == "" for c, _ in n.predicate}
        records = {"staff": self.records.staff.filter(pl.col("year") == year),
                   "recruitment": self.records.recruitment.filter(pl.col("year") == year)}
        published, links, counts = _program([*numbers, *(x for o in others for x in o)], self._known, separator,
                                            records)
        mine, start, contexts = published[:len(numbers)], len(numbers), []
        for other in others:
            theirs = published[start:start + len(other)]
            start += len(other)
            contexts.append([*theirs, *_differences(numbers, mine, other, theirs, counts)])
        return mine, contexts or [[]], links, counts

    def view(self, page: str, year: int, years: Sequence[int], selection: wf.Selection) -> dict[str, wf.Protected]:
        """The tables a page shows: those of ``year``, and its trend tables over ``years`` (and ``year``)."""
        tables = dict(self.page_year(page, year, selection).tables)
        span = sorted({*years, year})
        for name in TREND_TABLES[page]:
            parts = [self.page_year(page, y, selection).tables[name] for y in span]
            first = parts[0]
            frame = pl.concat([p.frame for p in parts], how="diagonal_relaxed")
            tables[name] = replace(first, frame=frame,
                                   hidden_years=tuple(y for p in parts for y in p.hidden_years))
        return tables

    def program(self, page: str, year: int, selection: wf.Selection
                ) -> tuple[list[Publication], list[list[Publication]], list[Link], dict[int, int]]:
        """What a view publishes as a linear program: its publications, each wider view's (with the
        differences), the links between grids and each cell's true count."""
        mine = self.page_year(page, year, selection)
        neighbours = [self.page_year(page, year, w) for w in wider(selection, self.records.duty_stations)]
        return self._program(list(mine.numbers), [list(n.numbers) for n in neighbours],
                             [mine.tables, *(n.tables for n in neighbours)], year)

    def audit(self, page: str, year: int, selection: wf.Selection) -> list[Finding]:
        """The audit of a view beside each wider view, or alone (:func:`kpi.disclosure_audit.audit`)."""
        own, contexts, links, _ = self.program(page, year, selection)
        findings = []
        for context in contexts:
            findings += audit([*own, *context], links)
        return findings

    def grouping(self, year: int, selection: wf.Selection, breakdown: str = "grade",
                 crossed: Sequence[str] = ("gender",), universe: str = "staff",
                 levels: Sequence[str] | None = None) -> coarsening.Grouping:
        """:func:`grouping` of these records."""
        return grouping(self.records, year, selection, breakdown, crossed, universe, levels, self.rule)


# ---------------------------------------------------------------- the computed E1 indicators' breakdowns


@dataclass(frozen=True)
class Breakdown:
    """Where a workforce page shows an E1 indicator by one dimension: the page, its selection, the table and
    the column of the value (a share, or mean days)."""

    page: str
    selection: wf.Selection
    table: str
    column: str


_PROFESSIONAL = wf.Selection(grade_category=dims.PROFESSIONAL_AND_HIGHER)
#: The breakdowns of the computed workforce indicators, each read from the page that shows it (kpi.enablers
#: stores their headlines only): the explorer shows what the page shows, protected with the page.
INDICATOR_BREAKDOWNS: dict[str, dict[str, Breakdown]] = {
    "E1.WOMEN_P": {by: Breakdown("gender", _PROFESSIONAL, f"gap:{by}", "share")
                   for by in ("sector", "duty_station", "grade")},
    "E1.TRAIN": {"sector": Breakdown("hr", wf.Selection(), "training", "share")},
    "E1.RECRUIT": {by: Breakdown("hr", wf.Selection(), "recruitment:grade", "days") for by in ("sector", "grade")},
}


def indicator_breakdown(protector: PageProtector, code: str, dimension: str, years: Sequence[int]) -> pl.DataFrame:
    """E1 indicator ``code`` by ``dimension`` over ``years`` as its page shows it: columns ``group``, ``year``,
    ``value`` (percent, or days; null where the page hides it, so that the reader is told which groups)."""
    where = INDICATOR_BREAKDOWNS[code][dimension]
    parts = []
    for year in years:
        table = protector.page_year(where.page, year, where.selection).tables[where.table]
        others = [d for d in table.row_dims if d != dimension and d in table.frame.columns]
        rows = table.frame.filter((pl.col("year") == year) & pl.col(dimension).is_not_null()
                                  & pl.all_horizontal(*(pl.col(d).is_null() for d in others), pl.lit(True)))
        parts.append(rows.select(pl.col(dimension).alias("group"), pl.col("year").cast(pl.Int64),
                                 pl.col(where.column).cast(pl.Float64).alias("value")))
    frame = pl.concat(parts) if parts else pl.DataFrame(schema={"group": pl.String, "year": pl.Int64,
                                                                "value": pl.Float64})
    return frame.sort("group", "year")


# ---------------------------------------------------------------- the audited space


def audited_selections(records: Records, *, combinations: bool = True) -> list[wf.Selection]:
    """The selections the audit covers: every value of each filter with the others at all and, with
    ``combinations``, every Sector x grade category x gender and every duty-station group x gender."""
    stations = [dims.STATION_GROUP_HQ, dims.STATION_GROUP_FIELD, dims.STATION_GROUP_LIAISON,
                *records.duty_stations.filter(pl.col("kind") != "headquarters")["code"].to_list()]
    categories = [dims.PROFESSIONAL_AND_HIGHER, *dims.GRADE_CATEGORIES]
    genders = list(dims.GENDERS)
    out = [wf.Selection()]
    out += [wf.Selection(sector=s) for s in dims.SECTOR_CODES]
    out += [wf.Selection(duty_station=d) for d in stations]
    out += [wf.Selection(grade_category=c) for c in categories]
    out += [wf.Selection(gender=g) for g in genders]
    if combinations:
        for sector in (None, *dims.SECTOR_CODES):
            for category in (None, *categories):
                for gender in (None, *genders):
                    out.append(wf.Selection(sector=sector, grade_category=category, gender=gender))
        for station in (None, dims.STATION_GROUP_HQ, dims.STATION_GROUP_FIELD, dims.STATION_GROUP_LIAISON):
            for gender in (None, *genders):
                out.append(wf.Selection(duty_station=station, gender=gender))
    return list(dict.fromkeys(out))


def audit_space(protector: PageProtector, years: Sequence[int], selections: Sequence[wf.Selection],
                pages: Sequence[str] = tuple(PAGES)) -> list[Finding]:
    """Every finding of :meth:`PageProtector.audit` over ``pages`` x ``years`` x ``selections`` (each view
    beside each view one filter wider)."""
    findings: list[Finding] = []
    for page in pages:
        for year in years:
            for selection in selections:
                findings += protector.audit(page, year, selection)
    return findings


#: The code that protects the pages: a change to it starts a new set of kept views.
PROTECTING_CODE = source_files(wf, disclosure, disclosure_audit_module, coarsening, dims) + (Path(__file__),)


def kept_views(records: Records, rule: DisclosureRule = DEFAULT_RULE) -> KeptViews | None:
    """The protected page-years kept on disk for these records, ``rule`` and the protecting code
    (:class:`kpi.store.columnar.KeptViews`; None when turned off)."""
    return KeptViews.open(fingerprint([getattr(records, f.name) for f in fields(records)], repr(rule).encode(),
                                      code_digest(PROTECTING_CODE).encode()))


def load_records(engine) -> Records:
    """The workforce records of a store, prepared as the pages use them."""
    from kpi.store.frames import load_workforce

    frames = load_workforce(engine)
    staff = wf.prepare_staff(frames["staff"], frames["training"], frames["courses"], frames["duty_stations"],
                             frames["countries"])
    return Records(staff, wf.prepare_recruitment(frames["recruitment"], frames["duty_stations"]),
                   frames["countries"], frames["duty_stations"], frames["units"])


def audit_command(*, years: int, pages: Sequence[str], combinations: bool) -> int:
    """``python -m kpi audit``: audit the store's workforce pages, print the findings and the figures."""
    import time

    from kpi.store.engine import make_engine

    engine = make_engine()
    records = load_records(engine)
    engine.dispose()
    protector = PageProtector(records)
    latest = wf.staff_years(records.staff)[-years:]
    selections = audited_selections(records, combinations=combinations)
    total = 0
    for page in pages:
        started = time.perf_counter()
        findings = audit_space(protector, latest, selections, [page])
        total += len(findings)
        print(f"{page}: {len(selections)} selections x {len(latest)} years, {len(findings)} findings, "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        for finding in findings:
            print(f"  {finding}")
    return 1 if total else 0
