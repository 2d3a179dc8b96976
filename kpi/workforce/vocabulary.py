"""The workforce vocabulary: a view's filters (:class:`Selection`), what each filter tests on the staff frame,
the order of a dimension's values and their readable labels.

Every other module of :mod:`kpi.workforce` speaks it: the unprotected figures and the protected tables filter
with :func:`filter_expr`, sort with :func:`_order_keys` and label with :func:`_with_label`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import polars as pl

from kpi import dimensions as dims


@dataclass(frozen=True)
class Selection:
    """The filters of a workforce view; ``None`` means all.

    ``duty_station`` is a duty station's code or a group of them: :data:`dims.STATION_GROUP_HQ`,
    :data:`dims.STATION_GROUP_FIELD` (regional and area offices), :data:`dims.STATION_GROUP_LIAISON`;
    ``grade_category`` a code of
    :data:`kpi.dimensions.GRADE_CATEGORIES` or :data:`dims.PROFESSIONAL_AND_HIGHER`; ``gender`` F or M.
    """

    sector: str | None = None
    duty_station: str | None = None
    grade_category: str | None = None
    gender: str | None = None

    def active(self) -> dict[str, str]:
        """The filters that are set, by name."""
        return {name: getattr(self, name) for name in dims.FILTER_COLUMNS if getattr(self, name) is not None}

    def without(self, *names: str) -> Selection:
        """The same selection with the filters ``names`` cleared."""
        return replace(self, **{name: None for name in names})


def filter_expr(name: str, value: str) -> pl.Expr:
    """The test a filter of :class:`Selection` (``name``, ``value``) makes on the staff frame."""
    if name == "duty_station":
        if value in dims.LOCATION_FILTERS:
            return pl.col("location") == dims.LOCATION_FILTERS[value]
        return pl.col("duty_station") == value
    if name == "grade_category":
        if value in dims.CATEGORY_GROUPS:
            return pl.col("category_group") == value
        return pl.col("grade_category") == value
    return pl.col(dims.FILTER_COLUMNS[name]) == value


def filter_target(name: str, value: str) -> tuple[str, str]:
    """The column a filter tests and the value it keeps."""
    if name == "duty_station" and value in dims.LOCATION_FILTERS:
        return "location", dims.LOCATION_FILTERS[value]
    if name == "grade_category" and value in dims.CATEGORY_GROUPS:
        return "category_group", value
    return dims.FILTER_COLUMNS[name], value


def _order_keys(columns: Sequence[str]) -> list[pl.Expr]:
    """Sort keys for ``columns``: each dimension with a natural order (:data:`dims.ORDER`) by its rank, then
    by value."""
    keys: list[pl.Expr] = []
    for c in columns:
        if c in dims.ORDER:
            rank = {v: i for i, v in enumerate(dims.ORDER[c])}
            keys.append(pl.col(c).replace_strict(rank, default=len(rank), return_dtype=pl.Int64))
        keys.append(pl.col(c))
    return keys


def _labels(staff: pl.DataFrame | None = None) -> dict[str, dict[str, str]]:
    """Readable labels of the values of each dimension the pages show, by dimension."""
    return {
        "grade": dict(dims.GRADE_LABELS),
        "grade_band": {b: b for b in dims.GRADE_BAND_ORDER},
        "grade_category": dict(dims.GRADE_CATEGORIES),
        "category_group": dict(dims.CATEGORY_GROUPS),
        "gender": dict(dims.GENDERS),
        "sector": dict(dims.SECTOR_LABELS),
        "location": dict(dims.LOCATIONS),
        "admin_region": dict(dims.ADMIN_REGION_LABELS),
        "office_region": dict(dims.OFFICE_REGION_LABELS),
        "contract_type": dict(dims.CONTRACT_TYPE_LABELS),
        "training": dict(dims.TRAINING_LABELS),
    }


def label_of(dimension: str, value: str | None, names: dict[str, str] | None = None) -> str:
    """A readable label of a dimension's value; ``"All"`` for a total (None)."""
    if value is None:
        return "All"
    labels = {**_labels().get(dimension, {}), **(names or {})}
    return labels.get(value, value)


def _with_label(frame: pl.DataFrame, dimension: str, names: dict[str, str] | None = None) -> pl.DataFrame:
    """``frame`` with ``label``: the readable label of its ``dimension`` column (``names`` adds labels), "All"
    for a total."""
    labels = {**_labels().get(dimension, {}), **(names or {})}
    return frame.with_columns(
        pl.col(dimension).replace_strict(labels, default=pl.col(dimension), return_dtype=pl.String)
        .fill_null("All").alias("label"))
