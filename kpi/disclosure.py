"""Statistical disclosure control for the workforce pages: no individual may ever be revealed.

The workforce pages show head counts of staff crossed by dimensions (year, grade, gender, duty
station, sector, nationality, region, contract type).  Small counts identify people ("the only
woman at D2 in Nairobi"), so every table goes through this module before it is rendered.

The rule
========

The thresholds are settings, :class:`DisclosureRule` (defaults ``min_count=5``,
``min_count_sensitive=10``).  :func:`threshold_for` picks one threshold per table:

* ``min_count`` (5): no count from 1 to 4 is ever shown.
* ``min_count_sensitive`` (10) when nationality, or a column derived from it (``country``,
  ``admin_region`` of nationality... see :data:`SENSITIVE_COLUMNS`; any column whose name starts
  with ``nationality`` counts too) is one of the dimensions.  ``year`` is not a dimension here:
  each year is a separate table (a separate time point).

Why 10 for nationality, and why not for three crossed dimensions
----------------------------------------------------------------

The threshold is about *re-identification*: could a reader who knows some colleagues recognise a
person in a published cell?  A cell of at least 5 people is a group of at least 5 who share every
attribute the cell is about; a reader learns nothing about any one of them that is not true of
the other four, however many dimensions the table crosses.  Grade, gender, Sector and duty
station are not secret either: the budget publishes posts by grade and Sector, the directory
gives everyone's duty station, and colleagues see each other's gender.  So crossing a third of
those dimensions makes cells smaller (more of them fall under 5 and are hidden) but does not make
a cell of 5 more identifying: an earlier rule here asked for 10 whenever three dimensions crossed,
which hid a Sector's whole grade-by-gender table (with Sector = ITU-R, 61 % of the people) and
protected nobody the rule of 5 does not.  (Derivation, a hidden cell worked out from others, is a
different risk, handled by complementary suppression and proved absent by
:mod:`kpi.disclosure_audit`; it does not depend on the threshold either.)

Nationality is different on two counts.  It is a special category of personal data in the sense
of the UN personal data protection principles, where a grade is not; and nationalities are many
and thin (most of the ~190 have 0 to 3 nationals on staff), so a nationality cell crossed with
anything a colleague can see (a Sector, a duty station, a gender) is one a reader can often
resolve to a person from outside knowledge of who comes from where, even at 5 to 9: "the six
nationals of X in the Sector" are known to their compatriots by name.  Hence 10 for every table
with nationality (or a column derived from it), crossed or not.

Cells with a count of zero are shown as 0: a zero is not a disclosure about anybody.  Cells absent
from a frame are zeros too (nobody with that combination), and are treated as known.

The steps and why each one exists
=================================

1. **Primary suppression.**  Each cell (and each total, see 3) with a count from 1 to
   ``threshold - 1`` is suppressed.  This is the rule itself.

2. **Complementary (secondary) suppression.**  A page that shows a row total (or a column total, or
   the grand total) gives away a single hidden cell of that row: it is the total minus the visible
   cells.  So in every *line* (the cells that differ only along one dimension, i.e. a row, a column,
   or a line of a higher-dimensional table) that has exactly one suppressed member, the next-smallest
   non-suppressed member with a count above zero is suppressed too ("hidden", protecting another
   cell); this may open a line along another dimension with a single suppressed member, so the step
   is iterated until stable.  For the same reason a line whose total is shown must not hide only
   1 .. threshold - 1 people in all (hidden 2 and 1 next to a shown total tell "3 people at P2 or
   P3"): such a line gets one more complement as well.  Zeros are never picked: a hidden zero
   protects nothing (hidden 3 and 0 next to a shown total still add up to 3).  Every complement is
   therefore a count of at least the threshold.

3. **Totals are cells too.**  Every table is treated together with all its margins (row totals,
   column totals, the grand total, and in three-dimensional tables the two-dimensional margins):
   a line is its member cells *plus* its total.  A total below the threshold is suppressed (it is a
   small count itself), and a hidden total must not be recoverable either, e.g. from the grand total
   minus the other row totals; putting the totals into the lines makes step 2 handle that.  The
   total of a line is always at least as large as any of its cells, so it is only chosen as a
   complement when nothing else can be.  A shown total over two or more dimensions (the grand total)
   is checked on the cells it covers too: the hidden ones among them must add up to 0 or at least
   the threshold.  Pages must take totals from :func:`protect_table` and never re-add the raw
   counts.

4. **Audit.**  Step 2 is a local rule; a global pattern can still pin a cell down (e.g. two blocks
   of suppressed cells linked by a single "bridge" cell: the bridge is the difference of two known
   block sums).  After step 2 the whole system of published totals is solved exactly (rational
   Gaussian elimination on the suppressed cells and totals); every suppressed cell or total that is
   uniquely determined gets one more complement from one of its lines, and steps 2-4 repeat until
   nothing is determined.

5. **Differencing.**  Two views of the same population can be subtracted: "all staff at duty
   station X" minus "staff at duty station X in sector S" is the number of people at X outside S.
   :func:`may_show_subset` decides whether a filtered view may be shown at all (the subset must
   reach the threshold and its complement must be 0 or reach it), and :func:`protect_filtered`
   suppresses every cell (and total) of a filtered view that differs from the unfiltered view by
   1 .. threshold - 1, then runs steps 2-4 on it, with the sum rule of steps 2 and 3 applied to
   the differences as well (complements with a difference are preferred there).

6. **Shares.**  A percentage near 0 % or 100 % reveals the one person on the other side, so
   :func:`protect_share` protects both the numerator (e.g. women) and its complement (denominator
   minus numerator, e.g. men), with the denominator as their total; the share is null whenever
   either part is hidden.

Suppressed cells have a null count and a ``display`` text: ``"fewer than 5"`` (``"fewer than 10"``
for sensitive tables) or ``"hidden"`` (protecting another cell); never 0 and never blank.
Columns derived from suppressed counts (shares, percentages) must be null as well
(``derived=`` in :func:`protect_counts`).  :func:`assert_no_disclosure` is the last guard the pages
call before rendering.

Primary and complementary suppression run independently within each ``by`` group (each year by
default): each year is its own table.

Known limits
============

* Complementary suppression is a heuristic in the style of tau-argus' "hypercube" method, lite: it
  is greedy (smallest complement first), not an optimal (minimum information loss) solver such as
  the tau-argus "optimal" or "modular" methods, so it may hide more cells than necessary, and the
  result depends on the order of the rows.
* The audit checks *exact* linear recovery only.  It ignores that counts are non-negative integers,
  so an attacker can still derive bounds for a hidden cell (e.g. "between 1 and 3"); there is no
  protection interval (the ``"fewer than 5"`` text already gives such a bound by design).
* Protection is per table.  Several tables of the same population shown side by side (grade x
  gender next to grade x duty station), views filtered in ways other than the one pair given to
  :func:`protect_filtered`, and year-to-year differences (who left, who joined) are not coordinated.
* Cells absent from a frame are known zeros.  For :func:`protect_filtered`, a cell absent from the
  filtered view while present in the full view shows the difference implicitly; give the filtered
  view explicit zero rows for such cells to have them suppressed.
* One threshold per table: totals of a sensitive (nationality) table use the table's
  threshold, which is conservative.
"""
from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

__all__ = [
    "COMPLEMENTARY",
    "DEFAULT_RULE",
    "DIFFERENCING",
    "DisclosureError",
    "DisclosureRule",
    "PRIMARY",
    "SENSITIVE_COLUMNS",
    "SUPPRESSED_TEXT",
    "ROUNDED",
    "ROUNDING_BASE",
    "rounded_range",
    "between",
    "range_of",
    "assert_no_disclosure",
    "fewer_than",
    "is_sensitive",
    "may_show_subset",
    "protect_counts",
    "protect_filtered",
    "protect_share",
    "protect_table",
    "threshold_for",
]


@dataclass(frozen=True)
class DisclosureRule:
    """The thresholds: no count under ``min_count`` is shown; under ``min_count_sensitive`` for
    nationality(-derived) tables."""

    min_count: int = 5
    min_count_sensitive: int = 10

    def __post_init__(self) -> None:
        for name in ("min_count", "min_count_sensitive"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"DisclosureRule.{name} must be a positive integer, got {value!r}")
        if self.min_count_sensitive < self.min_count:
            raise ValueError("DisclosureRule.min_count_sensitive must not be below min_count")


DEFAULT_RULE = DisclosureRule()

#: Nationality and the columns derived from it.  Any column whose name starts with
#: ``nationality`` is sensitive as well (see :func:`is_sensitive`).
SENSITIVE_COLUMNS: frozenset[str] = frozenset(
    {"nationality", "nationality_iso3", "country", "country_iso3", "nationality_region", "admin_region"}
)
#: Dimensions that are not counted as crossing: each year is a separate table.
TIME_COLUMNS: frozenset[str] = frozenset({"year"})

PRIMARY = "primary"
COMPLEMENTARY = "complementary"
DIFFERENCING = "differencing"
#: Display text of a cell hidden to protect another one (complementary or differencing).
#: The word for a count hidden to protect another one: the same in every chart, table and download
#: (a small count itself reads "fewer than 5", :func:`fewer_than`).
SUPPRESSED_TEXT = "hidden"


#: A count shown as the ten it lies in ("130-139") rather than hidden, where that range protects the cells
#: it was hidden for (a Sector's headquarters staff beside its two in the field): coarsen before you hide.
ROUNDED = "rounded"
#: The width of such a range.
ROUNDING_BASE = 10


def rounded_range(value: int, base: int = ROUNDING_BASE) -> tuple[int, int]:
    """The range of ``base`` values that holds ``value`` (135 -> 130, 139)."""
    low = value // base * base
    return low, low + base - 1


def between(low: int, high: int) -> str:
    """Display text of a count shown as a range: ``"130–139"``."""
    return f"{low:,}–{high:,}"


def range_of(display: str) -> tuple[int, int] | None:
    """The range a display text of :func:`between` states (``"1,230–1,239"`` -> (1230, 1239)), else None."""
    low, dash, high = display.partition("–")
    low, high = low.replace(",", ""), high.replace(",", "")
    return (int(low), int(high)) if dash and low.isdigit() and high.isdigit() else None


class DisclosureError(ValueError):
    """A frame about to be rendered would show a count below the threshold."""


def fewer_than(threshold: int) -> str:
    """Display text of a primary-suppressed cell: ``"fewer than 5"``."""
    return f"fewer than {threshold}"


def is_sensitive(column: str) -> bool:
    """Whether a dimension is nationality or derived from it."""
    return column in SENSITIVE_COLUMNS or column.startswith("nationality")


def _names(dims: str | Iterable[str]) -> list[str]:
    """The dimension names as a list (a single string is one name, not its characters)."""
    if isinstance(dims, str):
        return [dims]
    names = list(dims)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"dimension names must be strings, got {name!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"repeated dimension in {names}")
    return names


def threshold_for(dims: Sequence[str], rule: DisclosureRule = DEFAULT_RULE) -> int:
    """The smallest count that may be shown in a table crossing ``dims``.

    ``rule.min_count_sensitive`` if a dimension is nationality(-derived); ``rule.min_count``
    otherwise, however many dimensions cross (the module's docstring says why).
    """
    names = [d for d in dict.fromkeys(_names(dims)) if d not in TIME_COLUMNS]
    if any(is_sensitive(d) for d in names):
        return rule.min_count_sensitive
    return rule.min_count


def may_show_subset(
    total_count: int, subset_count: int, dims: Sequence[str] = (), rule: DisclosureRule = DEFAULT_RULE
) -> bool:
    """Whether a filtered view (``subset_count`` people out of ``total_count``) may be shown.

    The subset must reach the threshold, and its complement ``total_count - subset_count`` must be
    0 (the filter removes nobody) or reach the threshold: otherwise the difference between the
    two views counts fewer than threshold people.
    """
    for name, value in (("total_count", total_count), ("subset_count", subset_count)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    if subset_count > total_count:
        raise ValueError(f"subset_count {subset_count} exceeds total_count {total_count}")
    threshold = threshold_for(dims, rule)
    complement = total_count - subset_count
    return subset_count >= threshold and (complement == 0 or complement >= threshold)


# --------------------------------------------------------------------------------------------
# The engine: a table with all its margins, as plain Python dictionaries.


class _AllType:
    """The value of a dimension in a total ("all grades")."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ALL"


_ALL = _AllType()

Key = tuple[Hashable, ...]


class _Table:
    """One table (one ``by`` group) with all its margins.

    ``values`` maps every extended key (cell keys, and keys with ``_ALL`` in the aggregated
    positions) to its count; ``lines`` lists (total key, member keys) for every line along every
    dimension.
    """

    def __init__(self, cells: Sequence[tuple[Key, int]], ndims: int) -> None:
        self.values: dict[Key, int] = {}
        self.order: dict[Key, int] = {}
        self.level: dict[Key, int] = {}
        #: For each total, the cells it covers.
        self.cells_of: dict[Key, list[Key]] = {}
        masks = sorted(itertools.product((False, True), repeat=ndims), key=sum)
        for mask in masks:
            for key, value in cells:
                ext = tuple(_ALL if m else k for k, m in zip(key, mask))
                self.values[ext] = self.values.get(ext, 0) + value
                if ext not in self.order:
                    self.order[ext] = len(self.order)
                    self.level[ext] = sum(mask)
                if any(mask):
                    self.cells_of.setdefault(ext, []).append(key)
        lines: dict[tuple[int, Key], list[Key]] = {}
        for ext in self.order:  # insertion order = order of first appearance
            for i, part in enumerate(ext):
                if part is _ALL:
                    continue
                lines.setdefault((i, ext[:i] + (_ALL,) + ext[i + 1 :]), []).append(ext)
        self.lines: list[tuple[Key, list[Key]]] = [(total, members) for (_, total), members in lines.items()]
        self.lines_of: dict[Key, list[int]] = {}
        for index, (total, members) in enumerate(self.lines):
            for key in (*members, total):
                self.lines_of.setdefault(key, []).append(index)

    def rank(self, key: Key) -> tuple[int, int, int]:
        """Complement preference: smallest count, then cells before totals, then first seen."""
        return (self.values[key], self.level[key], self.order[key])

    def candidates(self, line_indices: Iterable[int], status: dict[Key, str]) -> list[Key]:
        found: dict[Key, None] = {}
        for index in line_indices:
            total, members = self.lines[index]
            for key in (*members, total):
                if key not in status and self.values[key] > 0:
                    found[key] = None
        return list(found)


def _hypercube(
    table: _Table, status: dict[Key, str], threshold: int, difference: dict[Key, int] | None = None
) -> None:
    """Complementary suppression, until every line is safe.

    A line is unsafe when it has exactly one suppressed member, or when its total is shown and the
    suppressed members add up to 1 .. threshold - 1 (that sum is the total minus the visible
    members).  With ``difference`` (full minus filtered, per key) a line is also unsafe when its
    total is shown and the differences of its suppressed members add up to 1 .. threshold - 1.
    An unsafe line gets its smallest non-suppressed member above zero suppressed (for a
    difference sum, members with a difference first).
    """
    changed = True
    while changed:
        changed = False
        for total, members in table.lines:
            group = (*members, total)
            hidden = [key for key in group if key in status]
            if not hidden:
                continue
            prefer_difference = False
            if len(hidden) == 1:
                unsafe = True
            elif total in status:
                unsafe = False
            else:
                unsafe = 0 < sum(table.values[key] for key in hidden) < threshold
                if not unsafe and difference is not None:
                    unsafe = prefer_difference = 0 < sum(difference[key] for key in hidden) < threshold
            if not unsafe:
                continue
            candidates = [key for key in group if key not in status and table.values[key] > 0]
            if not candidates:
                continue
            if prefer_difference:
                rank = lambda key: (difference[key] == 0, *table.rank(key))  # noqa: E731
            else:
                rank = table.rank
            status[min(candidates, key=rank)] = COMPLEMENTARY
            changed = True


def _determined(table: _Table, status: dict[Key, str]) -> list[Key]:
    """The suppressed keys that the published line totals and visible cells pin down exactly.

    Unknowns are the suppressed keys; every line gives one equation (sum of members = total).
    A reduced row echelon form over the rationals is built incrementally; an unknown is determined
    exactly when it is a pivot whose row has no other (free) entry.
    """
    if not status:
        return []
    unknowns = sorted(status, key=table.order.__getitem__)
    column = {key: i for i, key in enumerate(unknowns)}
    equations: list[dict[int, Fraction]] = []
    for total, members in table.lines:
        row: dict[int, Fraction] = {column[key]: Fraction(1) for key in members if key in status}
        if total in status:
            row[column[total]] = Fraction(-1)
        if row:
            equations.append(row)
    equations.sort(key=len)  # short lines first: keeps the fill-in (and the time) small
    pivots: dict[int, dict[int, Fraction]] = {}
    for row in equations:
        for p in [c for c in row if c in pivots]:
            coef = row.pop(p)
            for c, v in pivots[p].items():
                if c != p:
                    new = row.get(c, 0) - coef * v
                    if new:
                        row[c] = new
                    else:
                        row.pop(c, None)
        if not row:
            continue
        p = min(row)
        inverse = 1 / row[p]
        row = {c: v * inverse for c, v in row.items()}
        for other in pivots.values():
            coef = other.get(p)
            if coef:
                for c, v in row.items():
                    new = other.get(c, 0) - coef * v
                    if new:
                        other[c] = new
                    else:
                        other.pop(c, None)
        pivots[p] = row
    return [unknowns[p] for p in sorted(pivots) if len(pivots[p]) == 1]


def _fix_covered_sums(
    table: _Table, status: dict[Key, str], threshold: int, difference: dict[Key, int] | None = None
) -> bool:
    """Suppress one more member where a shown total hides 1 .. threshold - 1 people.

    The cells a shown total covers that are hidden add up to the total minus the visible cells
    it covers: that sum (and, with ``difference``, the sum of their differences) must be 0 or at
    least the threshold.  Lines are checked by :func:`_hypercube`; this checks totals over two
    or more dimensions, whose hidden cells may sit behind shown lower totals.  Returns whether a
    suppression was added.
    """
    for total, cells in table.cells_of.items():
        if total in status or table.level[total] < 2:
            continue
        hidden = [key for key in cells if key in status]
        if not hidden:
            continue
        if 0 < sum(table.values[key] for key in hidden) < threshold:
            rank = table.rank
        elif difference is not None and 0 < sum(difference[key] for key in hidden) < threshold:
            rank = lambda key: (difference[key] == 0, *table.rank(key))  # noqa: E731
        else:
            continue
        candidates = [key for key in cells if key not in status and table.values[key] > 0] or [total]
        status[min(candidates, key=rank)] = COMPLEMENTARY
        return True
    return False


def _secure(
    table: _Table, status: dict[Key, str], threshold: int, difference: dict[Key, int] | None = None
) -> None:
    """Steps 2-4: hypercube complements, then the exact audit, until nothing is recoverable."""
    while True:
        _hypercube(table, status, threshold, difference)
        if _fix_covered_sums(table, status, threshold, difference):
            continue
        fixed = False
        for key in _determined(table, status):
            candidates = table.candidates(table.lines_of[key], status)
            if not candidates and table.values[key] > 0:
                touched = {i for k in status for i in table.lines_of[k]}
                candidates = table.candidates(sorted(touched), status) or [
                    k for k in table.order if k not in status and table.values[k] > 0
                ]
            if candidates:
                status[min(candidates, key=table.rank)] = COMPLEMENTARY
                fixed = True
                break
        if not fixed:
            return


def _primary(table: _Table, threshold: int) -> dict[Key, str]:
    return {key: PRIMARY for key, value in table.values.items() if 0 < value < threshold}


# --------------------------------------------------------------------------------------------
# Frame handling.


def _by_columns(frame: pl.DataFrame, dims: list[str], by: str | Iterable[str]) -> list[str]:
    """The ``by`` columns present in the frame (absent ones, e.g. no ``year``, are ignored)."""
    by_names = _names(by)
    overlap = [c for c in by_names if c in dims]
    if overlap:
        raise ValueError(
            f"columns {overlap} are both dimensions and by-groups; name each in one of them"
            " (the default by=('year',) protects each year as its own table)"
        )
    return [c for c in by_names if c in frame.columns]


def _require(frame: pl.DataFrame, columns: Iterable[str], what: str = "frame") -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} has no column(s) {missing}; columns are {frame.columns}")


def _counts(frame: pl.DataFrame, column: str) -> list[int]:
    """The count column as non-negative Python ints (null or fractional counts are errors)."""
    series = frame.get_column(column)
    if not series.dtype.is_numeric():
        raise ValueError(f"count column {column!r} must be numeric, not {series.dtype}")
    values = series.to_list()
    out: list[int] = []
    for i, value in enumerate(values):
        if value is None:
            raise ValueError(f"count column {column!r} is null in row {i} (already protected?)")
        if value != value or value < 0 or int(value) != value:  # NaN, negative, fractional
            raise ValueError(f"count column {column!r} has {value!r} in row {i}; counts are non-negative integers")
        out.append(int(value))
    return out


def _group_rows(frame: pl.DataFrame, dims: list[str], by_cols: list[str]) -> dict[Key, list[tuple[int, Key]]]:
    """Row indices with their cell keys, per ``by`` group; a cell may appear only once."""
    by_values = frame.select(by_cols).rows() if by_cols else [()] * frame.height
    dim_values = frame.select(dims).rows() if dims else [()] * frame.height
    groups: dict[Key, list[tuple[int, Key]]] = {}
    seen: set[tuple[Key, Key]] = set()
    for i, (group, key) in enumerate(zip(by_values, dim_values)):
        if (group, key) in seen:
            cell = dict(zip(by_cols + dims, group + key))
            raise ValueError(f"cell {cell} appears more than once; give one row per cell")
        seen.add((group, key))
        groups.setdefault(group, []).append((i, key))
    return groups


def _display(value: int | None, status: str | None, threshold: int) -> str:
    if status is None:
        return f"{value:,}"
    if status == PRIMARY:
        return fewer_than(threshold)
    return SUPPRESSED_TEXT


def _null_where(frame: pl.DataFrame, column: str, hidden: list[bool]) -> pl.Series:
    """``column`` with nulls where ``hidden``, keeping its dtype."""
    series = frame.get_column(column)
    values = [None if h else v for v, h in zip(series.to_list(), hidden)]
    return pl.Series(column, values, dtype=series.dtype)


def _protect_cells(
    frame: pl.DataFrame,
    dims: list[str],
    by_cols: list[str],
    counts: list[int],
    threshold: int,
    full: tuple[pl.DataFrame, list[int]] | None = None,
) -> tuple[list[str | None], dict[Key, tuple[_Table, dict[Key, str]]]]:
    """Status of every row, and each group's table with the status of all its keys.

    ``full`` (the unfiltered frame and its counts) adds differencing suppression.
    """
    full_groups = _group_rows(full[0], dims, by_cols) if full is not None else {}
    statuses: list[str | None] = [None] * frame.height
    tables: dict[Key, tuple[_Table, dict[Key, str]]] = {}
    for group, rows in _group_rows(frame, dims, by_cols).items():
        table = _Table([(key, counts[i]) for i, key in rows], len(dims))
        status = _primary(table, threshold)
        difference: dict[Key, int] | None = None
        if full is not None:
            full_counts = full[1]
            full_values = _Table([(key, full_counts[i]) for i, key in full_groups.get(group, [])], len(dims)).values
            difference = {}
            for key, value in table.values.items():
                difference[key] = full_values.get(key, 0) - value
                if difference[key] < 0:
                    cell = {**dict(zip(by_cols, group)), **{d: ("all" if p is _ALL else p) for d, p in zip(dims, key)}}
                    raise ValueError(f"filtered count {value} exceeds the full count at {cell}")
                if 0 < difference[key] < threshold and key not in status:
                    status[key] = DIFFERENCING
        _secure(table, status, threshold, difference)
        tables[group] = (table, status)
        for i, key in rows:
            statuses[i] = status.get(key)
    return statuses, tables


def _with_protection(
    frame: pl.DataFrame,
    count: str,
    counts: list[int],
    statuses: list[str | None],
    threshold: int,
    derived: Sequence[str] = (),
) -> pl.DataFrame:
    hidden = [s is not None for s in statuses]
    return frame.with_columns(
        _null_where(frame, count, hidden),
        *(_null_where(frame, c, hidden) for c in derived),
        pl.Series("suppressed", hidden, dtype=pl.Boolean),
        pl.Series("reason", [s or "" for s in statuses], dtype=pl.String),
        pl.Series("display", [_display(v, s, threshold) for v, s in zip(counts, statuses)], dtype=pl.String),
    )


def _prepare(
    frame: pl.DataFrame, dims: Sequence[str], count: str, by: Sequence[str], rule: DisclosureRule, full: pl.DataFrame | None
) -> tuple[list[str], list[str], list[int], int, tuple[pl.DataFrame, list[int]] | None]:
    dims = _names(dims)
    by_cols = _by_columns(frame, dims, by)
    _require(frame, [*dims, *by_cols, count], "filtered" if full is not None else "frame")
    counts = _counts(frame, count)
    threshold = threshold_for([*by_cols, *dims], rule)
    if full is None:
        return dims, by_cols, counts, threshold, None
    _require(full, [*dims, *by_cols, count], "full")
    return dims, by_cols, counts, threshold, (full, _counts(full, count))


def protect_counts(
    frame: pl.DataFrame,
    dims: Sequence[str],
    count: str = "count",
    *,
    by: Sequence[str] = ("year",),
    rule: DisclosureRule = DEFAULT_RULE,
    derived: Sequence[str] = (),
) -> pl.DataFrame:
    """Protect a table of head counts: primary and complementary suppression (see the module doc).

    ``frame`` has one row per cell: the ``dims`` columns, the ``by`` columns (absent ones are
    ignored) and an integer ``count``.  Returns the same rows in the same order with the same
    columns, ``count`` null where suppressed, and ``suppressed`` (bool), ``reason`` (``""``,
    ``"primary"``, ``"complementary"``) and ``display`` (``"1,234"``, ``"fewer than 5"`` or
    ``"hidden"``).  Columns named in ``derived`` (shares,
    percentages) are nulled where the count is.  Each ``by`` group (each year) is protected on its
    own, as if all its totals were published (take them from :func:`protect_table`).
    """
    derived = _names(derived)
    _require(frame, derived)
    dims, by_cols, counts, threshold, _ = _prepare(frame, dims, count, by, rule, None)
    statuses, _ = _protect_cells(frame, dims, by_cols, counts, threshold)
    return _with_protection(frame, count, counts, statuses, threshold, derived)


def protect_filtered(
    full: pl.DataFrame,
    filtered: pl.DataFrame,
    dims: Sequence[str],
    count: str = "count",
    *,
    by: Sequence[str] = ("year",),
    rule: DisclosureRule = DEFAULT_RULE,
) -> pl.DataFrame:
    """Protect a filtered view (e.g. sector = X) against differencing with the unfiltered ``full``.

    Both frames have the same ``dims`` (and ``by``) columns; ``full`` counts the population
    before the filter.  Every cell or total of ``filtered`` below the threshold is suppressed
    (``"primary"``), every one whose difference from ``full`` is 1 to threshold - 1 too
    (``"differencing"``, displayed as ``"hidden"``), then
    complementary suppression runs as in :func:`protect_counts`.  Returns ``filtered`` as
    :func:`protect_counts` would; ``protect_table(filtered, ..., full=full)`` gives its totals.
    ``full`` itself is shown through :func:`protect_counts`.
    """
    dims, by_cols, counts, threshold, pair = _prepare(filtered, dims, count, by, rule, full)
    statuses, _ = _protect_cells(filtered, dims, by_cols, counts, threshold, pair)
    return _with_protection(filtered, count, counts, statuses, threshold)


def _totals_frame(
    frame: pl.DataFrame,
    dims: list[str],
    by_cols: list[str],
    count: str,
    threshold: int,
    tables: dict[Key, tuple[_Table, dict[Key, str]]],
) -> pl.DataFrame:
    """One row per total (dims aggregated over are null; ``total_over`` names them)."""
    rows: list[tuple] = []
    for group, (table, status) in tables.items():
        for key in table.order:
            if table.level[key] == 0:
                continue
            value = table.values[key]
            state = status.get(key)
            rows.append(
                (
                    *group,
                    *(None if part is _ALL else part for part in key),
                    None if state else value,
                    ",".join(d for d, part in zip(dims, key) if part is _ALL),
                    state is not None,
                    state or "",
                    _display(value, state, threshold),
                )
            )
    schema = {c: frame.schema[c] for c in [*by_cols, *dims, count]}
    schema.update({"total_over": pl.String, "suppressed": pl.Boolean, "reason": pl.String, "display": pl.String})
    return pl.DataFrame(rows, schema=schema, orient="row")


def protect_table(
    frame: pl.DataFrame,
    dims: Sequence[str],
    count: str = "count",
    *,
    by: Sequence[str] = ("year",),
    rule: DisclosureRule = DEFAULT_RULE,
    full: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """:func:`protect_counts` plus the protected totals, for pages that show totals.

    Columns: the ``by`` columns, ``dims``, ``count``, ``total_over`` (``""`` for cells; for a total
    the comma-separated dimensions it sums over, which are null in that row: ``"grade"`` is the
    total of all grades, all dimensions is the grand total), ``suppressed``, ``reason``,
    ``display``.  Cells come first in the frame's order, then per ``by`` group the totals from
    one-dimension sums up to the grand total.  Show totals from here only: a total re-added from
    the raw counts can reveal a hidden cell.  With ``full``, ``frame`` is a filtered view protected
    as in :func:`protect_filtered` (same cells), totals included.
    """
    dims, by_cols, counts, threshold, pair = _prepare(frame, dims, count, by, rule, full)
    statuses, tables = _protect_cells(frame, dims, by_cols, counts, threshold, pair)
    cells = _with_protection(frame.select([*by_cols, *dims, count]), count, counts, statuses, threshold)
    cells = cells.with_columns(pl.lit("", dtype=pl.String).alias("total_over")).select(
        [*by_cols, *dims, count, "total_over", "suppressed", "reason", "display"]
    )
    return pl.concat([cells, _totals_frame(frame, dims, by_cols, count, threshold, tables)], how="vertical")


def protect_share(
    frame: pl.DataFrame,
    dims: Sequence[str],
    numerator: str,
    denominator: str,
    *,
    by: Sequence[str] = ("year",),
    rule: DisclosureRule = DEFAULT_RULE,
) -> pl.DataFrame:
    """Protect a share such as women / all staff by grade.

    The numerator (women) and its complement (denominator - numerator: men) are protected as one
    table with an extra dimension, whose total over that dimension is the denominator: so a share
    of 0 % or 100 % plus one person cannot reveal the person, the denominator is hidden when it is
    itself small, and no hidden part can be recovered from the totals.  The extra dimension counts
    as a dimension of the table.

    Returns the same rows and columns, with ``numerator`` / ``denominator`` null where
    suppressed, plus ``complement`` (Int64, null where suppressed), ``share`` (Float64,
    100 * numerator / denominator; null where the numerator or the complement is suppressed, or the
    denominator is 0), ``suppressed`` (the share is hidden), ``reason`` (``"primary"`` if a part is
    below the threshold, else ``"complementary"``, else ``""``), ``display`` (``"42.9%"``,
    ``"fewer than 5"``, ``"hidden"``, or ``"n/a"`` for a 0
    denominator), and ``numerator_display``, ``complement_display``, ``denominator_display``.
    """
    dims = _names(dims)
    by_cols = _by_columns(frame, dims, by)
    nums, dens = _share_counts(frame, [*dims, *by_cols], numerator, denominator)
    threshold = threshold_for([*by_cols, *dims, numerator], rule)
    num_status, comp_status, den_status = _share_part_statuses(frame, dims, by_cols, nums, dens, threshold)
    comps = [d - n for n, d in zip(nums, dens)]
    shown = [_share_shown(n, d, s_num, s_comp, threshold)
             for n, d, s_num, s_comp in zip(nums, dens, num_status, comp_status)]
    share_status = [state for state, _, _ in shown]
    return frame.with_columns(
        _null_where(frame, numerator, [s is not None for s in num_status]),
        _null_where(frame, denominator, [s is not None for s in den_status]),
        pl.Series("complement", [None if s else c for c, s in zip(comps, comp_status)], dtype=pl.Int64),
        pl.Series("share", [share for _, share, _ in shown], dtype=pl.Float64),
        pl.Series("suppressed", [s is not None for s in share_status], dtype=pl.Boolean),
        pl.Series("reason", [s or "" for s in share_status], dtype=pl.String),
        pl.Series("display", [words for _, _, words in shown], dtype=pl.String),
        pl.Series("numerator_display", [_display(v, s, threshold) for v, s in zip(nums, num_status)], dtype=pl.String),
        pl.Series("complement_display", [_display(v, s, threshold) for v, s in zip(comps, comp_status)], dtype=pl.String),
        pl.Series("denominator_display", [_display(v, s, threshold) for v, s in zip(dens, den_status)], dtype=pl.String),
    )


def _share_counts(frame: pl.DataFrame, keys: list[str], numerator: str, denominator: str) -> tuple[list[int], list[int]]:
    """The numerators and denominators of :func:`protect_share`, checked: two columns, each part at most its whole."""
    if numerator == denominator:
        raise ValueError("numerator and denominator must be different columns")
    _require(frame, [*keys, numerator, denominator])
    nums = _counts(frame, numerator)
    dens = _counts(frame, denominator)
    for i, (n, d) in enumerate(zip(nums, dens)):
        if n > d:
            raise ValueError(f"row {i}: {numerator} {n} exceeds {denominator} {d}")
    return nums, dens


def _share_part_statuses(frame: pl.DataFrame, dims: list[str], by_cols: list[str], nums: list[int], dens: list[int],
                         threshold: int) -> tuple[list[str | None], list[str | None], list[str | None]]:
    """Each row's numerator, complement and denominator status: the numerator and the complement protected as
    one table with an extra dimension, whose total over it is the denominator."""
    num_status: list[str | None] = [None] * frame.height
    comp_status: list[str | None] = [None] * frame.height
    den_status: list[str | None] = [None] * frame.height
    for rows in _group_rows(frame, dims, by_cols).values():
        cells: list[tuple[Key, int]] = []
        for i, key in rows:
            cells.append(((*key, "numerator"), nums[i]))
            cells.append(((*key, "complement"), dens[i] - nums[i]))
        table = _Table(cells, len(dims) + 1)
        status = _primary(table, threshold)
        _secure(table, status, threshold)
        for i, key in rows:
            num_status[i] = status.get((*key, "numerator"))
            comp_status[i] = status.get((*key, "complement"))
            den_status[i] = status.get((*key, _ALL))
    return num_status, comp_status, den_status


def _share_shown(n: int, d: int, num_status: str | None, comp_status: str | None,
                 threshold: int) -> tuple[str | None, float | None, str]:
    """A share's status, value and words: hidden (primary before complementary) if a part is, "n/a" for no one."""
    parts = {num_status, comp_status} - {None}
    state = PRIMARY if PRIMARY in parts else (COMPLEMENTARY if parts else None)
    if state is not None:
        return state, None, _display(None, state, threshold)
    if d == 0:
        return None, None, "n/a"
    return None, 100.0 * n / d, f"{100.0 * n / d:.1f}%"


def assert_no_disclosure(
    frame: pl.DataFrame, dims: Sequence[str], count: str = "count", rule: DisclosureRule = DEFAULT_RULE
) -> None:
    """Raise :class:`DisclosureError` naming the first cell that shows a count from 1 to threshold - 1.

    The guard the pages call before rendering.  ``dims`` are all the dimensions the table crosses
    (add any by-group other than ``year``).  Also raises if a row marked ``suppressed`` still shows
    its count.
    """
    dims = _names(dims)
    _require(frame, [*dims, count])
    threshold = threshold_for(dims, rule)
    named = [*[c for c in TIME_COLUMNS if c in frame.columns and c not in dims], *dims]
    flags = frame.get_column("suppressed").to_list() if "suppressed" in frame.columns else [None] * frame.height
    for i, (value, flag, cell) in enumerate(
        zip(frame.get_column(count).to_list(), flags, frame.select(named).iter_rows(named=True))
    ):
        if value is None:
            continue
        if 0 < value < threshold:
            raise DisclosureError(
                f"row {i}, cell {cell}: {count} = {value} would be shown; counts below {threshold} must be suppressed"
            )
        if flag:
            raise DisclosureError(f"row {i}, cell {cell}: marked suppressed but {count} = {value} is still shown")
