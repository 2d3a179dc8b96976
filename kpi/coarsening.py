"""Coarsen before you hide: the grouping of a breakdown that answers the question without walls of blanks.

A breakdown by grade, or by duty station, of a small population hides most of its cells (no count
under 5 is shown). Statistical offices then publish the next coarser grouping rather than a table of
blanks: grade -> grade band (P1-P3, P4-P5, D1 and above, G1-G4, G5-G7) -> category; duty station ->
region of the office -> headquarters or field. :func:`choose_grouping` picks, for a set of records and a
threshold, the finest grouping that hides at most :data:`MAX_HIDDEN_SHARE` of the people it covers
(counting the people in cells of 1 to threshold - 1: the cells primary suppression hides), and says
what each level would have hidden, so that the page can say so in one line and offer the finer one.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from kpi import dimensions as dims

#: A breakdown that would hide more than this share of the people it covers is shown coarser.
MAX_HIDDEN_SHARE = 0.10
#: Each breakdown's groupings, finest first (derived columns the records carry or get here).
LEVELS: dict[str, tuple[str, ...]] = {
    "grade": ("grade", "grade_band", "grade_category"),
    "duty_station": ("duty_station", "office_region", "location"),
}


@dataclass(frozen=True)
class Grouping:
    """The grouping chosen for a breakdown, and the share of people each level would hide."""

    level: str
    hidden_shares: dict[str, float]

    @property
    def coarsened(self) -> bool:
        """Whether a coarser grouping than the finest was chosen."""
        return self.level != next(iter(self.hidden_shares))


def with_grade_band(records: pl.DataFrame) -> pl.DataFrame:
    """``records`` with a ``grade_band`` column (:data:`kpi.dimensions.GRADE_BANDS`)."""
    return records.with_columns(pl.col("grade").replace_strict(dims.GRADE_BANDS, default=None).alias("grade_band"))


def hidden_share(records: pl.DataFrame, by: Sequence[str], threshold: int) -> float:
    """The share of the people of ``records`` in cells of ``by`` counting 1 to ``threshold`` - 1."""
    total = records.height
    if total == 0:
        return 0.0
    counts = records.group_by(list(by)).len()
    hidden = counts.filter(pl.col("len") < threshold)["len"].sum()
    return hidden / total


def choose_grouping(records: pl.DataFrame, breakdown: str, threshold: int, *, crossed: Sequence[str] = (),
                    max_hidden: float = MAX_HIDDEN_SHARE, levels: Sequence[str] | None = None) -> Grouping:
    """The finest level of ``breakdown`` (crossed with ``crossed``, e.g. gender) hiding at most ``max_hidden``.

    ``levels`` replaces :data:`LEVELS` (finest first). When every level hides more, the coarsest is
    chosen (the page then says how much stays hidden).
    """
    levels = tuple(levels or LEVELS[breakdown])
    if "grade_band" in levels and "grade_band" not in records.columns:
        records = with_grade_band(records)
    shares = {level: hidden_share(records, [level, *crossed], threshold) for level in levels}
    chosen = next((level for level in levels if shares[level] <= max_hidden), levels[-1])
    return Grouping(chosen, shares)


def coarsening_sentence(grouping: Grouping, names: dict[str, str]) -> str | None:
    """One line for the page when a coarser grouping was chosen, or None."""
    if not grouping.coarsened:
        return None
    finest = next(iter(grouping.hidden_shares))
    return (f"Shown by {names[grouping.level]}: by {names[finest]}, cells of fewer people than the threshold "
            f"would hide {grouping.hidden_shares[finest]:.0%} of the staff.")
