"""Hiding more, in the tables: the numbers the page-level audit hides (:func:`_hide`), the headline complements
shown as a range of ten where that is safe (:func:`_ranges`, :func:`_show_ranges`), the counts a row tells
exactly shown again (:func:`_show_derivable`), and the shares, gaps and mean days computed again from what is
shown (:func:`_recompute`)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import polars as pl

from kpi import dimensions as dims
from kpi import disclosure
from kpi import workforce as wf
from kpi.disclosure_audit import Link, Publication, audit
from kpi.workforce_pages.numbers import _display_column, _reason_column


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
