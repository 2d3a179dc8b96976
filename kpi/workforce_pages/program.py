"""A page's numbers as a linear program (:mod:`kpi.disclosure_audit`): publications over base cells, one grid
per group of families around the selection's separator, the links that make the grids one population, each
cell's true count (:func:`_program`), and the differences with a wider view (:func:`_differences`)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import polars as pl

from kpi.disclosure_audit import Link, Publication, label_bounds
from kpi.workforce_pages.numbers import _FAMILY_OF, Predicate, _coarsest, _grid, _join, _match, _Number


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
