"""Prove that what a page publishes pins no hidden count down: the audit statistical offices run.

Every number a page shows for a selection is a linear constraint on the underlying cell counts
(non-negative): a shown count says "these cells add up to 12", a label says a range ("fewer than 5":
1 to 4; "hidden": 0 or more). With all of them together, a linear program (HiGHS, through
``highspy``) gives each hidden number's feasible minimum and maximum, as tau-ARGUS computes
protection intervals. A hidden number is *disclosed* when the program narrows it beyond what its
label states:

- a *sensitive* number, a count of 1 to T-1 people, labelled "fewer than T", must keep its whole
  protection interval, 1 to T-1, as tau-ARGUS requires: it is disclosed when the minimum is above 1
  or the maximum below T-1;
- a count of 1 to T-1 labelled "hidden" (a part of a "fewer than T" whole, or a "fewer than T" relabelled
  because its own "at least 1" narrowed a sibling: two "fewer than 5" beside a known 6 are 2 to 4 each) is
  disclosed when its minimum is above 1 (a reader learns that at least two people are there) or the
  program pins it to one value; how few at most is bounded by its whole's label anyway;
- the difference between a number and the same number one filter wider, when it counts 1 to T-1 people
  (:mod:`kpi.workforce_pages` adds those as sensitive numbers of their own; the difference of two "fewer
  than 5" is at most 3 whatever is hidden), is disclosed when the published numbers pin it to one value;
- a "hidden" count of T or more (a complement, hidden to protect another one) is not sensitive: what
  it may reveal is a count the rule would let a page show. A headline complement may be published as the
  ten it lies in ("130–139", :func:`kpi.disclosure.between`) when the audit still finds nothing: a range is
  a constraint like any label.

The privacy issue asked for more on "hidden" complements: a feasible range at least T wide. That cannot
hold beside any shown total: in a line "fewer than 5, hidden, total 12" the hidden cell is 12 minus 1..4,
a range 3 wide, whatever else is hidden, so the rule would hide every total on every page. What it
protects is the small count, and the rules above hold that one to its interval directly.

The linear relaxation ignores that counts are integers, so its ranges can only be wider than the
integer ones: bounds are rounded inwards (ceiling of the minimum, floor of the maximum), which is
exact for the sums of tables the pages publish (their constraint matrices are totally unimodular in
the common cases) and never reports a disclosure that is not there.

    cells = base_cells({"duty_station": offices, "sector": SECTOR_CODES},
                       derived={"office_region": ("duty_station", region_of_office)})
    published = publications(table.frame, ["duty_station"], cells, threshold=5, where="offices")
    findings = audit([*published, *more])      # [] when the page is safe

The workforce pages' tables (:class:`kpi.workforce.Protected`) turn into publications with
:func:`publications`; a whole page is audited by giving the publications of all its tables at once,
and two views that differ by one filter value by giving both pages' publications (over the cells of
the wider one).
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from kpi import disclosure

#: A hidden number's label when it protects another cell (kpi.disclosure's word for it).
HIDDEN_TEXT = disclosure.SUPPRESSED_TEXT
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Publication:
    """One published number: the base cells it adds up, and what the page says about their sum.

    ``shown`` is the count shown (None when hidden); a hidden one states ``low`` to ``high``
    (``high`` None: no upper bound, a "hidden" label). A *sensitive* one (a count of 1 to T-1 people:
    by default, one labelled "fewer than T") is protected when its feasible range still reaches from
    1 to T-1; others hidden (complements of T or more) need no range of their own.
    """

    where: str
    cells: frozenset[int]
    shown: int | None = None
    low: int = 0
    high: int | None = None
    threshold: int = disclosure.DEFAULT_RULE.min_count
    #: Whether the hidden count is 1 to T-1 (None: as its label says).
    sensitive: bool | None = None
    #: What its feasible range must reach (None: its label's when "fewer than T", else only not pinned).
    protect: tuple[int, int | None] | None = None

    @property
    def protection(self) -> tuple[int, int | None] | None:
        """The values a reader must not be able to rule out: 1 to T-1 for a "fewer than T" count; 1 (and
        below) for a count of 1 to T-1 labelled "hidden" (a reader may not learn that at least two people are
        there; how few at most is bounded by its whole's label anyway); None for a sensitive difference (the
        difference of two "fewer than 5" is at most 3 whatever is hidden), which only must not be pinned."""
        if self.protect is not None:
            return self.protect
        return (self.low, self.high) if self.small else None

    @property
    def is_sensitive(self) -> bool:
        """Whether the hidden count is one of 1 to T-1 people, to be kept in a range from 1 to T-1."""
        return self.hidden and (self.small if self.sensitive is None else self.sensitive)

    @property
    def hidden(self) -> bool:
        """Whether the number is not shown (only its label, if any, says something)."""
        return self.shown is None

    @property
    def small(self) -> bool:
        """Whether the label states "fewer than T" (rather than "hidden" or a range of larger counts)."""
        return self.hidden and self.high is not None and self.high < self.threshold


@dataclass(frozen=True)
class Finding:
    """A hidden number that the published ones narrow beyond its label."""

    where: str
    low: int
    high: int | None
    stated: str
    #: The position of the hidden number in the audited publications.
    index: int = -1

    def __str__(self) -> str:
        shown = f"exactly {self.low}" if self.low == self.high else (
            f"between {self.low} and {self.high}" if self.high is not None else f"at least {self.low}")
        return f"{self.where}: shown as {self.stated!r}, but the published numbers make it {shown}"


def label_bounds(display: str, threshold: int) -> tuple[int, int | None]:
    """What a hidden cell's label states: "fewer than T" is 1..T-1, a range "130–139" is itself, "hidden" is
    0 or more."""
    if display == disclosure.fewer_than(threshold):
        return 1, threshold - 1
    stated = disclosure.range_of(display)
    return stated if stated is not None else (0, None)


def base_cells(known: dict[str, Sequence[Hashable]],
               derived: dict[str, tuple[str, dict[Hashable, Hashable]]] | None = None) -> pl.DataFrame:
    """The audit's unknowns: every combination of the ``known`` values of each dimension, numbered ``cell``.

    ``known`` lists what a reader knows can exist (every Sector, every office), whether or not anybody
    is counted there; ``derived`` adds dimensions that follow from one of them (name -> (source,
    mapping)), such as an office's region.
    """
    names = list(known)
    grid = pl.DataFrame({names[0]: list(known[names[0]])})
    for name in names[1:]:
        grid = grid.join(pl.DataFrame({name: list(known[name])}), how="cross")
    for name, (source, mapping) in (derived or {}).items():
        grid = grid.with_columns(pl.col(source).replace_strict(mapping, default=None).alias(name))
    return grid.with_row_index("cell")


def publications(frame: pl.DataFrame, dims: Sequence[str], cells: pl.DataFrame, *, threshold: int,
                 where: str, fixed: dict[str, Hashable] | None = None) -> list[Publication]:
    """The publications of a protected table (``count``/``display`` rows, totals with null dims).

    Each row adds up the base cells whose ``dims`` equal the row's non-null values (a total row
    leaves the dimensions it sums over null); ``fixed`` narrows every row to a filter's value.
    """
    out = []
    fixed = fixed or {}
    for row in frame.iter_rows(named=True):
        match = pl.lit(True)
        for name in [*dims, *fixed]:
            value = fixed.get(name, row.get(name))
            if value is not None:
                match = match & (pl.col(name) == value)
        chosen = frozenset(cells.filter(match).get_column("cell").to_list())
        label = ", ".join(f"{d}={row[d]}" for d in dims if row.get(d) is not None) or "total"
        place = f"{where} · {label}"
        if row["count"] is not None:
            out.append(Publication(place, chosen, shown=int(row["count"]), threshold=threshold))
        else:
            low, high = label_bounds(row["display"], threshold)
            out.append(Publication(place, chosen, low=low, high=high, threshold=threshold))
    return out


Link = tuple[frozenset[int], frozenset[int]]


class _Program:
    """The linear program of a set of publications: one variable per base cell, one row per number and link."""

    def __init__(self, published: Sequence[Publication], links: Sequence[Link]) -> None:
        import highspy

        variables = sorted({c for p in published for c in p.cells} | {c for a, b in links for c in a | b})
        self.index = {c: i for i, c in enumerate(variables)}
        self.size = len(variables)
        self.solved = False
        self.highs = highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        # Without presolve, each solve after the first starts from the last optimal basis (only the costs
        # change between solves), a few pivots instead of a new presolve and a cold start.
        highs.setOptionValue("presolve", "off")
        highs.setOptionValue("simplex_strategy", 4)  # primal: the last basis stays feasible when costs change
        inf = highspy.kHighsInf
        highs.addVars(self.size, np.zeros(self.size), np.full(self.size, inf))
        lower, upper, starts, columns, values = [], [], [], [], []
        #: Each publication's row (those with cells), to open or restore its bounds.
        self.rows: dict[int, tuple[int, float, float]] = {}
        for k, p in enumerate(published):
            if not p.cells:
                continue
            low, high = (p.shown, p.shown) if not p.hidden else (p.low, inf if p.high is None else p.high)
            self.rows[k] = (len(lower), float(low), float(high))
            lower.append(low)
            upper.append(high)
            starts.append(len(columns))
            columns += [self.index[c] for c in p.cells]
            values += [1.0] * len(p.cells)
        for a, b in links:
            lower.append(0.0)
            upper.append(0.0)
            starts.append(len(columns))
            columns += [self.index[c] for c in a] + [self.index[c] for c in b]
            values += [1.0] * len(a) + [-1.0] * len(b)
        if lower:
            highs.addRows(len(lower), np.array(lower, dtype=float), np.array(upper, dtype=float), len(columns),
                          np.array(starts, dtype=np.int32), np.array(columns, dtype=np.int32),
                          np.array(values, dtype=float))
        self._columns: dict[int, np.ndarray] = {}

    def optimum(self, publication: Publication, minimise: bool) -> int | None:
        """The minimum (rounded up) or maximum (rounded down) of a publication's sum; None when unbounded."""
        import highspy

        highs, n = self.highs, self.size
        costs = [0.0] * n
        for c in publication.cells:
            costs[self.index[c]] = 1.0
        highs.changeColsCost(n, list(range(n)), costs)
        highs.changeObjectiveSense(highspy.ObjSense.kMinimize if minimise else highspy.ObjSense.kMaximize)
        highs.run()
        status = highs.getModelStatus()
        self.solved = status == highspy.HighsModelStatus.kOptimal
        if status == highspy.HighsModelStatus.kUnbounded:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise ValueError(f"the published numbers contradict each other ({highs.modelStatusToString(status)}): "
                             f"{publication.where}")
        value = highs.getInfo().objective_function_value
        return math.ceil(value - _TOLERANCE) if minimise else math.floor(value + _TOLERANCE)

    def open_rows(self, publications: Iterable[int], opened: bool) -> None:
        """Let the publications' sums be anything from 0 up (a "hidden" label), or restore their bounds."""
        import highspy

        for k in publications:
            if k not in self.rows:  # a number about no possible cell is no constraint
                continue
            row, low, high = self.rows[k]
            if opened:
                self.highs.changeRowBounds(row, 0.0, highspy.kHighsInf)
            else:
                self.highs.changeRowBounds(row, low, high)

    def frees(self, target: Publication, opened: Iterable[int]) -> bool:
        """Whether ``target`` is no longer disclosed once the publications ``opened`` say "hidden" (their
        bounds are restored after)."""
        opened = list(opened)
        self.open_rows(opened, True)
        try:
            low = self.optimum(target, True)
            return not _disclosed(target, low, self.optimum(target, False))
        finally:
            self.open_rows(opened, False)

    def sums(self, publications: Iterable[tuple[int, Publication]]) -> dict[int, float]:
        """Each publication's sum in the last solution (a feasible point of the program; none when the last
        program was unbounded)."""
        if not self.solved:
            return {}
        values = np.asarray(self.highs.getSolution().col_value)
        out = {}
        for i, p in publications:
            if i not in self._columns:
                self._columns[i] = np.fromiter((self.index[c] for c in p.cells), dtype=np.int64, count=len(p.cells))
            out[i] = float(values[self._columns[i]].sum())
        return out


def feasible_ranges(published: Sequence[Publication], links: Sequence[Link] = (), *, sensitive_only: bool = False,
                    among: set[int] | None = None) -> list[tuple[int, int | None] | None]:
    """Each hidden publication's integer range under all the others (None for shown ones, and with
    ``sensitive_only`` for hidden ones that are not sensitive).

    ``links`` are equalities between sums of cells (the same people counted in two grids); ``among``
    limits the ranges computed to those publications.
    """
    program = _Program(published, links)
    ranges: list[tuple[int, int | None] | None] = []
    for i, p in enumerate(published):
        if not p.hidden or (sensitive_only and not p.is_sensitive) or (among is not None and i not in among):
            ranges.append(None)
            continue
        ranges.append((program.optimum(p, True), program.optimum(p, False)))
    return ranges


def _safe(p: Publication, low: float, high: float) -> bool:
    """Whether a sensitive publication whose feasible range reaches at least from ``low`` to ``high`` (two
    feasible points seen) is protected whatever its exact range: it reaches what its protection asks
    (:attr:`Publication.protection`) and is not pinned (it reaches zero or two integers)."""
    protection = p.protection
    spans = protection is None or (low <= protection[0] + _TOLERANCE
                                   and (protection[1] is None or high >= protection[1] - _TOLERANCE))
    unpinned = low <= _TOLERANCE or math.ceil(low - _TOLERANCE) < math.floor(high + _TOLERANCE)
    return spans and unpinned


def _disclosed(p: Publication, low: int, high: int | None) -> bool:
    """Whether a sensitive publication with this integer feasible range is disclosed: pinned to one value, or
    narrowed inside its protection (:attr:`Publication.protection`)."""
    pinned = high is not None and high == low > 0
    protection = p.protection
    narrowed = protection is not None and (
        low > protection[0] or (protection[1] is not None and high is not None and high < protection[1]))
    return pinned or narrowed


def audit(published: Iterable[Publication], links: Sequence[Link] = (), *, among: set[int] | None = None
          ) -> list[Finding]:
    """Every hidden publication that the others narrow beyond its label (empty: nothing disclosed);
    ``among``: only those publications are checked.

    Each optimum solved is a feasible point of the whole program: the sums it gives every other sensitive
    publication widen what is known of their ranges, and one whose seen range already proves it protected
    (:func:`_safe`) needs no program of its own. On the pages' programs this saves most of the solves.
    """
    published = list(published)
    candidates = [(i, p) for i, p in enumerate(published)
                  if p.is_sensitive and (among is None or i in among)]
    if not candidates:
        return []
    program = _Program(published, links)
    seen: dict[int, tuple[float, float]] = {}

    def observe() -> None:
        for j, value in program.sums((j, q) for j, q in candidates if j not in done).items():
            low, high = seen.get(j, (value, value))
            seen[j] = (min(low, value), max(high, value))

    done: set[int] = set()
    findings = []
    for i, p in candidates:
        if i in seen and _safe(p, *seen[i]):
            done.add(i)
            continue
        low = program.optimum(p, True)
        observe()
        if _safe(p, *seen[i]):
            done.add(i)
            continue
        high = program.optimum(p, False)
        observe()
        done.add(i)
        if _disclosed(p, low, high):
            stated = disclosure.fewer_than(p.threshold) if p.small else HIDDEN_TEXT
            findings.append(Finding(p.where, low, high, stated, i))
    return findings


def _hidden(q: Publication) -> Publication:
    """``q`` labelled "hidden" (0 or more), as sensitive as it was."""
    return Publication(q.where, q.cells, low=0, high=None, threshold=q.threshold, sensitive=q.is_sensitive,
                       protect=None if q.protection is None else (1, None))


def secure(published: Sequence[Publication], max_rounds: int = 200, *,
           contexts: Sequence[Sequence[Publication]] = ((),), links: Sequence[Link] = ()
           ) -> tuple[list[Publication], list[int]]:
    """Hide more published numbers until :func:`audit` finds nothing: the page-level complement.

    Each round, for every disclosed number, one more shown number is hidden: a sibling (another part of
    a shown total that contains it) if there is one, else a number that overlaps it; a count of at least
    its threshold (a hidden zero protects nothing), the smallest first (the least information lost),
    the narrower first (a cell before a total). First, the "fewer than T" parts of a "fewer than T" number
    are labelled "hidden" (0 or more) instead: each says "at least 1", and three of them would tell that
    the whole is at least 3. Returns the publications with those hidden ("hidden": 0 or more) and the
    indexes of the ones newly hidden or relabelled, in order.

    ``contexts`` are other views a reader can open beside this one (the same page with one filter
    wider): each is audited together with ``published``, and only ``published`` is changed, so that a
    view is protected against each of its neighbours as they are published. ``links`` as in
    :func:`feasible_ranges`.
    """
    current = list(published)
    newly: list[int] = []
    # The parts of a "fewer than T" number say "at least 1" each: three of them tell it is at least 3.
    wholes = [p for p in [*current, *(q for c in contexts for q in c)] if p.small]
    for i in sorted(_small_parts(current, wholes)):
        current[i] = _hidden(current[i])
        newly.append(i)
    own = len(current)
    # Hiding a number only widens the others' ranges: after the first round only what was found is checked again.
    suspects: list[set[int] | None] = [None] * len(contexts)
    for _ in range(max_rounds):
        chosen, found = _round(current, own, contexts, suspects, links)
        if not found:
            return current, newly
        if not chosen:
            # Nothing near the leak is left to hide: hide every number of the view (it then shows nothing,
            # which is safe whatever the wider views show).
            rest = [i for i, q in enumerate(current[:own]) if _can_hide(q, i, set(), own)]
            if not rest:  # the rest lies in the other views and the labels alone: the audit reports it
                return current, newly
            chosen = set(rest)
        for i in sorted(chosen):
            current[i] = _hidden(current[i])
            newly.append(i)
    raise ValueError(f"the page is still not protected after {max_rounds} rounds")


def _round(current: list[Publication], own: int, contexts: Sequence[Sequence[Publication]],
           suspects: list[set[int] | None], links: Sequence[Link]) -> tuple[set[int], list[str]]:
    """One round of :func:`secure`: audit the view with each context in turn (only the numbers found last round,
    ``suspects``, updated here) and choose what to hide for the first context with findings. Returns the indexes
    chosen and where every finding of the round was."""
    chosen: set[int] = set()
    found: list[str] = []
    for k, context in enumerate(contexts):
        together = [*current, *context]
        # One program for every trial of this round: what is chosen is applied after the round.
        program = functools.cache(lambda together=together: _Program(together, links))
        findings = audit(together, links, among=suspects[k]) if suspects[k] != set() else []
        suspects[k] = {f.index for f in findings}
        relabelled = _relabelled(together, findings, own, links)
        for finding in findings:
            found.append(finding.where)
            chosen |= _to_hide(finding.index, together, own, program, chosen, relabelled)
        if chosen:
            break  # hide these first: they may protect the other contexts too
    return chosen, found


def _to_hide(index: int, together: list[Publication], own: int, program: Callable[[], _Program], chosen: set[int],
             relabelled: set[int]) -> set[int]:
    """What to hide (or say "hidden" of) for the finding on ``together[index]``, given what is ``chosen``."""
    p = together[index]
    if index in relabelled:
        return {index}
    if index >= own:
        # A wider view's hidden count bounded by this view's "fewer than T" (7 in a Sector, 1 to 4 of them
        # professionals here: the others are 3 to 6): they say "hidden" instead.
        freeing = _freeing_labels(index, together, own, program, chosen)
        if freeing:
            return set(freeing)
    candidates = _siblings(p, together, chosen, own) or _overlapping(p, together, chosen, own)
    if candidates:
        return {_freeing_complement(p, program, sorted(candidates))}
    if index < own and p.small:
        # What pins it is fixed (a wider view's total): say "hidden" instead of "fewer than T", whose "at least
        # 1" is what pins it (two "fewer than 5" beside a known 8 are 4 and 4).
        return {index}
    return set()


#: How many complement candidates are tried, smallest first, for one that frees a finding on its own.
COMPLEMENT_TRIALS = 12


def _freeing_complement(target: Publication, program: Callable[[], _Program],
                        ranked: Sequence[tuple[int, int, int, int]]) -> int:
    """The first of the ranked candidates (smallest first) whose hiding alone frees ``target``; the first
    candidate when none of the first :data:`COMPLEMENT_TRIALS` does (the next rounds go on)."""
    if len(ranked) == 1:
        return ranked[0][3]
    return next((rank[3] for rank in ranked[:COMPLEMENT_TRIALS] if program().frees(target, [rank[3]])),
                ranked[0][3])


def _freeing_labels(index: int, together: Sequence[Publication], own: int, program: Callable[[], _Program],
                    chosen: set[int]) -> set[int]:
    """The view's own "fewer than T" numbers whose saying "hidden" frees the publication ``index`` (one if one
    does, else all of them if that does; else none). The numbers of a page lie on several grids linked by
    equalities, so which labels bound it is not read from the cells: it is tried, on the round's program."""
    small = [i for i, q in enumerate(together[:own]) if q.small and i not in chosen]
    target = together[index]
    if not small or not program().frees(target, small):
        return set()
    return next(({i} for i in small if program().frees(target, [i])), set(small))


def _relabelled(together: Sequence[Publication], findings: Sequence[Finding], own: int,
                links: Sequence[Link]) -> set[int]:
    """The view's own "fewer than T" numbers found that saying "hidden" instead protects: their labels' bounds
    are what narrowed them (two "fewer than 5" beside a known 6 are 2 to 4 each, beside a known 8 are 4 each).
    A relabelled count keeps its protection of 1 to T-1, and no other number is lost."""
    small = {f.index for f in findings if f.index < own and together[f.index].small}
    if not small:
        return set()
    trial = [_hidden(q) if i in small else q for i, q in enumerate(together)]
    return small - {f.index for f in audit(trial, links, among=small)}


def _can_hide(q: Publication, i: int, chosen: set[int], own: int) -> bool:
    """Whether ``q`` may be hidden now: one of the first ``own`` (the others are fixed), shown, and a count
    of at least its threshold or a zero (a shown zero pins its cells; hiding it frees them)."""
    return i < own and not q.hidden and i not in chosen and (q.shown >= q.threshold or q.shown == 0)


def _rank(q: Publication, i: int) -> tuple[int, int, int, int]:
    """Complement preference: counts before zeros (a hidden zero reads as if somebody were there), then
    the smallest (the least information lost), then the narrowest (a cell before a total)."""
    return (int(q.shown == 0), q.shown, len(q.cells), i)


def _siblings(p: Publication, current: Sequence[Publication], chosen: set[int],
              own: int) -> list[tuple[int, int, int, int]]:
    """The ranks of the shown parts of the narrowest shown totals that contain ``p`` (the lines that pin it
    most directly: a row of two before the grand total), apart from ``p``."""
    totals = sorted((r for r in current if not r.hidden and r.cells > p.cells), key=lambda r: len(r.cells))
    for width in dict.fromkeys(len(r.cells) for r in totals):
        lines = [r for r in totals if len(r.cells) == width]
        found = [_rank(q, i) for i, q in enumerate(current) if _can_hide(q, i, chosen, own)
                 and q.cells.isdisjoint(p.cells) and any(q.cells < r.cells for r in lines)]
        if found:
            return found
        # A line whose hidden parts all read "fewer than T" pins them by their labels alone (two "fewer than 5"
        # beside a shown 6 are 2 to 4 each): its total is what to hide.
        found = [_rank(q, i) for i, q in enumerate(current) if _can_hide(q, i, chosen, own) and q in lines
                 and all(h.small for h in current if h.hidden and h.cells < q.cells)]
        if found:
            return found
    # No part of any line left to hide: the narrowest line's total itself (two "fewer than 5" beside a shown 6
    # need the 6 hidden, not a cell of another line).
    narrowest = sorted((len(q.cells), _rank(q, i)) for i, q in enumerate(current)
                       if _can_hide(q, i, chosen, own) and q in totals)
    return [narrowest[0][1]] if narrowest else []


def _overlapping(p: Publication, current: Sequence[Publication], chosen: set[int],
                 own: int) -> list[tuple[int, int, int, int]]:
    """The ranks of the shown numbers that share base cells with ``p``."""
    return [_rank(q, i) for i, q in enumerate(current) if _can_hide(q, i, chosen, own) and q.cells & p.cells]


def _small_parts(current: Sequence[Publication], wholes: Sequence[Publication]) -> set[int]:
    """The "fewer than T" numbers of ``current`` that are parts of a "fewer than T" whole (their "at least 1"
    narrows it)."""
    return {i for i, q in enumerate(current) if q.small and any(q.cells < p.cells for p in wholes)}
