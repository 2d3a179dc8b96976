"""The protection core of the workforce tables: head counts by year and dimensions, filtered by a
:class:`~kpi.workforce.vocabulary.Selection`, protected (:func:`_protect`), in a :class:`Protected` table.

Thresholds, primary and complementary suppression (:func:`kpi.disclosure.protect_table`), differencing
against every wider view the filters allow (the runs united by :func:`_union`; a whole view hidden for a
year: :data:`VIEW`), and filters on a dimension the table shows turned into slices (:func:`_slice_expr`).
The public tables (:mod:`kpi.workforce.tables`) are built on it.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from kpi import dimensions as dims
from kpi import disclosure
from kpi.disclosure import DEFAULT_RULE, DisclosureRule
from kpi.workforce.figures import tally
from kpi.workforce.vocabulary import Selection, _order_keys, filter_expr, filter_target


#: Why a row is hidden, besides kpi.disclosure's reasons: its whole view is hidden that year.
VIEW = "view"
_REASON_RANK = {"": 0, disclosure.COMPLEMENTARY: 1, disclosure.DIFFERENCING: 2, VIEW: 3, disclosure.PRIMARY: 4}


@dataclass(frozen=True)
class Protected:
    """A protected table, ready to show: no count in ``counts`` is between 1 and ``threshold`` - 1.

    ``dims`` are the dimension columns of ``frame`` (for :func:`kpi.workforce.checks.check`); ``threshold`` is the
    table's threshold (its own dimensions and its filters); ``hidden_years`` the years whose
    whole view is hidden; ``note`` says what a reader needs to know (an empty view, an ignored
    filter).
    """

    frame: pl.DataFrame
    dims: tuple[str, ...]
    counts: tuple[str, ...] = ("count",)
    threshold: int = DEFAULT_RULE.min_count
    hidden_years: tuple[int, ...] = ()
    note: str = ""
    #: What the numbers count, for the page-level audit (:mod:`kpi.workforce_pages`): the records
    #: (``"staff"``, ``"recruitment"``), the table's own dimensions (a row's non-null values), the
    #: filters that narrow the population and those that select rows, each (column, values), and
    #: for each count column the value of the dimension it splits by (``women``: gender F), if any.
    universe: str = "staff"
    row_dims: tuple[str, ...] = ()
    population: tuple[tuple[str, tuple[str, ...]], ...] = ()
    slices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    parts: tuple[tuple[str, str | None, str | None], ...] = (("count", None, None),)


def _mapping(staff: pl.DataFrame, source: str, target: str) -> dict | None:
    """``source`` value -> ``target`` value, if ``target`` is a function of ``source`` in ``staff``."""
    pairs = staff.select(source, target).unique()
    if pairs.get_column(source).n_unique() != pairs.height:
        return None
    return dict(pairs.iter_rows())


def _slice_expr(staff: pl.DataFrame, name: str, value: str, table_dims: Sequence[str]) -> pl.Expr | None:
    """The filter as a test on the table's own dimensions, or None if it narrows the population."""
    column, kept = filter_target(name, value)
    if column in table_dims:
        return pl.col(column) == kept
    for source in table_dims:
        if column in dims.IMPLIED_BY.get(source, ()):
            mapping = _mapping(staff, source, column)
            if mapping is not None:
                return pl.col(source).replace_strict(mapping, default=None) == kept
    return None


def _independent(columns: Iterable[str]) -> list[str]:
    """The columns not implied by another one (for the threshold)."""
    names = list(dict.fromkeys(columns))
    return [c for c in names if not any(c in dims.IMPLIED_BY.get(other, ()) for other in names if other != c)]


def _split_filters(records: pl.DataFrame, selection: Selection, table_dims: Sequence[str],
                   ignore: Sequence[str]) -> tuple[dict[str, pl.Expr], list[pl.Expr]]:
    """The selection's filters that narrow the population (by name, with their test) and those that only slice
    the table's rows (a filter on a dimension the table shows or implies); ``ignore`` is left out."""
    population: dict[str, pl.Expr] = {}
    slices: list[pl.Expr] = []
    for name, value in selection.active().items():
        if name in ignore:
            continue
        as_slice = _slice_expr(records, name, value, table_dims)
        if as_slice is None:
            population[name] = filter_expr(name, value)
        else:
            slices.append(as_slice)
    return population, slices


def _years_hidden_whole(mine: dict[int, int], wider: Sequence[pl.DataFrame], rule: DisclosureRule) -> list[int]:
    """The years whose whole view is hidden: its total that year (``mine``) counts 1 .. threshold - 1 people or
    differs by that many from a wider view's."""
    hidden = []
    for year in sorted(mine):
        subset = mine[year]
        for w in wider:
            total = int(w.filter(pl.col("year") == year).get_column("count").sum())
            if subset and not disclosure.may_show_subset(total, int(subset), rule=rule):
                hidden.append(year)
                break
    return hidden


def _hide_years(frame: pl.DataFrame, years: list[int], small: set[int], table_dims: Sequence[str],
                threshold: int) -> pl.DataFrame:
    """``frame`` with every row of ``years`` hidden as a whole view; the view's total of a ``small`` year says
    "fewer than" (only it is small: its parts may be anything down to 0)."""
    hide = pl.col("year").is_in(years)
    return frame.with_columns(
        pl.when(hide).then(pl.lit(None, pl.Int64)).otherwise(pl.col("count")).alias("count"),
        (pl.col("suppressed") | hide).alias("suppressed"),
        pl.when(hide).then(pl.lit(VIEW)).otherwise(pl.col("reason")).alias("reason"),
        pl.when(pl.col("year").is_in(sorted(small)) & (pl.col("total_over") == ",".join(table_dims)))
        .then(pl.lit(disclosure.fewer_than(threshold)))
        .when(hide).then(pl.lit(disclosure.SUPPRESSED_TEXT)).otherwise(pl.col("display")).alias("display"),
    )


def _protect_narrowed(base: pl.DataFrame, widest: pl.DataFrame, population: dict[str, pl.Expr],
                      table_dims: list[str], count: pl.Expr, threshold: int) -> tuple[pl.DataFrame, list[int]]:
    """The view of ``base`` narrowed by the ``population`` filters, protected against every wider view (each
    subset of the filters, and none) and with the years hidden whose whole view would tell a count."""
    flat = DisclosureRule(threshold, threshold)
    grid = widest.select("year", *table_dims)
    keys = ["year", *table_dims]

    def on_grid(filters: Sequence[str]) -> pl.DataFrame:
        part = base.filter(*(population[n] for n in filters)) if filters else base
        return grid.join(tally(part, table_dims, count), on=keys, how="left", nulls_equal=True,
                         maintain_order="left").with_columns(pl.col("count").fill_null(0))

    names = list(population)
    filtered = on_grid(names)
    wider = [widest] + [on_grid(list(s)) for k in range(1, len(names)) for s in itertools.combinations(names, k)]
    runs = [disclosure.protect_table(filtered, table_dims, by=("year",), rule=flat, full=w) for w in wider]
    frame = _union(runs, threshold)
    totals = dict(filtered.group_by("year").agg(pl.col("count").sum()).iter_rows())
    hidden_years = _years_hidden_whole(totals, wider, flat)
    if hidden_years:
        small = {y for y in hidden_years if totals[y] < threshold}
        frame = _hide_years(frame, hidden_years, small, table_dims, threshold)
    return frame, hidden_years


def _protect(
    records: pl.DataFrame,
    table_dims: Sequence[str],
    selection: Selection,
    years: Sequence[int],
    *,
    rule: DisclosureRule = DEFAULT_RULE,
    count: pl.Expr | None = None,
    ignore: Sequence[str] = (),
) -> Protected:
    """Head counts of ``records`` by year and ``table_dims``, filtered by ``selection``, protected.

    Returns the cells and every total (:func:`kpi.disclosure.protect_table` columns) plus one
    constant column per filter that narrows the population; rows of a slice filter kept only.
    ``ignore`` names filters that do not apply to these records.
    """
    table_dims = list(table_dims)
    count = pl.len() if count is None else count
    base = records.filter(pl.col("year").is_in(list(years)))
    population, slices = _split_filters(records, selection, table_dims, ignore)
    threshold = disclosure.threshold_for(
        _independent([*table_dims, *(dims.FILTER_COLUMNS[n] for n in population)]), rule)
    widest = tally(base, table_dims, count).sort("year", *_order_keys(table_dims))
    hidden_years: list[int] = []
    if not population:
        frame = disclosure.protect_table(widest, table_dims, by=("year",), rule=DisclosureRule(threshold, threshold))
    else:
        frame, hidden_years = _protect_narrowed(base, widest, population, table_dims, count, threshold)
        frame = frame.with_columns(*(pl.lit(selection.active()[n]).alias(dims.FILTER_COLUMNS[n]) for n in population
                                     if dims.FILTER_COLUMNS[n] not in table_dims))
    if slices:
        frame = frame.filter(*[s.fill_null(False) for s in slices])
    filter_columns = tuple(dims.FILTER_COLUMNS[n] for n in population if dims.FILTER_COLUMNS[n] not in table_dims)
    narrowing = tuple(filter_target(n, v) for n, v in selection.active().items() if n in population)
    sliced = tuple(filter_target(n, v) for n, v in selection.active().items()
                   if n not in population and n not in ignore)
    return Protected(frame=frame, dims=(*table_dims, *filter_columns), threshold=threshold,
                     hidden_years=tuple(hidden_years), row_dims=tuple(table_dims),
                     population=tuple((c, (v,)) for c, v in narrowing), slices=tuple((c, (v,)) for c, v in sliced))


def _union(runs: list[pl.DataFrame], threshold: int) -> pl.DataFrame:
    """Rows hidden in any run are hidden (the runs protect the same rows against different views)."""
    first = runs[0]
    if len(runs) == 1:
        return first
    suppressed = pl.Series([any(v) for v in zip(*(r.get_column("suppressed").to_list() for r in runs))])
    reasons = [max(v, key=_REASON_RANK.__getitem__) for v in zip(*(r.get_column("reason").to_list() for r in runs))]
    values = [next((x for x in v if x is not None), None) for v in zip(*(r.get_column("count").to_list() for r in runs))]
    display = [
        disclosure.fewer_than(threshold) if reason == disclosure.PRIMARY
        else disclosure.SUPPRESSED_TEXT if hidden else f"{value:,}"
        for value, reason, hidden in zip(values, reasons, suppressed.to_list())
    ]
    return first.with_columns(
        pl.Series("count", [None if h else v for v, h in zip(values, suppressed.to_list())], dtype=pl.Int64),
        suppressed.alias("suppressed"),
        pl.Series("reason", reasons, dtype=pl.String),
        pl.Series("display", display, dtype=pl.String),
    )
