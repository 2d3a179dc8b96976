"""The protector: :class:`PageProtector` protects a page-year whole, beside its wider views, with a cache per
page, year and selection (:class:`PageYear`), kept on disk by :func:`kept_views` under the digest of the
protecting code (:data:`PROTECTING_CODE`, every file of this package included)."""
from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import polars as pl

from kpi import coarsening
from kpi import dimensions as dims
from kpi import disclosure
from kpi import disclosure_audit as disclosure_audit_module
from kpi import workforce as wf
from kpi.disclosure import DEFAULT_RULE, DisclosureRule
from kpi.disclosure_audit import Finding, Link, Publication, audit, secure
from kpi.store.columnar import KeptViews, code_digest, fingerprint, source_files
from kpi.workforce_pages.hiding import _hide, _ranges, _show_derivable, _show_ranges
from kpi.workforce_pages.numbers import _match, _Number, _numbers, families
from kpi.workforce_pages.pages import TREND_TABLES, grouping, page_tables
from kpi.workforce_pages.program import _differences, _program
from kpi.workforce_pages.records import Records
from kpi.workforce_pages.selections import narrower, wider


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


#: The code that protects the pages: a change to it starts a new set of kept views. This package is every
#: file of it (:func:`kpi.store.columnar.source_files` reads a package's folder), not this module alone.
PROTECTING_CODE = source_files(wf, disclosure, disclosure_audit_module, coarsening, dims, sys.modules[__package__])


def kept_views(records: Records, rule: DisclosureRule = DEFAULT_RULE) -> KeptViews | None:
    """The protected page-years kept on disk for these records, ``rule`` and the protecting code
    (:class:`kpi.store.columnar.KeptViews`; None when turned off)."""
    return KeptViews.open(fingerprint([getattr(records, f.name) for f in fields(records)], repr(rule).encode(),
                                      code_digest(PROTECTING_CODE).encode()))
