"""What the pages read off a protected workforce table: its cells, its totals, the headline figures, and
a readable frame for showing and downloading (hidden counts as their display texts).
"""
from __future__ import annotations

import polars as pl

from kpi.workforce.protection import Protected


def _cells_only(frame: pl.DataFrame) -> pl.DataFrame:
    """The cells of a protected frame: its rows that are no total."""
    return frame.filter(pl.col("total_over") == "")


def headline_figures(table: Protected) -> dict[str, str]:
    """The display texts of :func:`kpi.workforce.tables.headcount`: ``total`` and one per location shown
    (``headquarters``, ``field``, ``liaison``); a location a filter leaves out is absent."""
    frame = table.frame
    out = {row["location"]: row["display"] for row in _cells_only(frame).iter_rows(named=True)}
    totals = frame.filter(pl.col("total_over") == "location")
    if totals.height:
        out["total"] = totals.get_column("display")[0]
    elif len(out) == 1:
        out["total"] = next(iter(out.values()))
    return out


def cells(table: Protected, *, year: int | None = None) -> pl.DataFrame:
    """The cells of a protected table (no totals), of one ``year`` if given."""
    frame = _cells_only(table.frame)
    return frame if year is None else frame.filter(pl.col("year") == year)


def totals(table: Protected, over: str, *, year: int | None = None) -> pl.DataFrame:
    """The totals of a protected table over the dimensions ``over`` (e.g. ``"grade"``, ``"unit"``)."""
    frame = table.frame.filter(pl.col("total_over") == over)
    return frame if year is None else frame.filter(pl.col("year") == year)


def readable(table: Protected, columns: dict[str, str]) -> pl.DataFrame:
    """The table for reading and downloading: ``columns`` (frame column -> heading), counts as their
    display texts (so that a hidden count reads "fewer than 5", never blank or 0)."""
    frame = table.frame
    return frame.select([pl.col(c).alias(h) for c, h in columns.items() if c in frame.columns])
