"""A page's numbers as constraints: each number a page publishes as the predicate on the records it counts
(:class:`_Number`, :func:`_numbers`), and the unknowns they are about: the families of columns
(:data:`FAMILY_COLUMNS`, :func:`families`) and the grids of base cells crossed from them (:func:`_grid`)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.workforce_pages.records import Records

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
