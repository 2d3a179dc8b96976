"""The vocabulary of the kinds: columns, kinds, and the store's codes they are checked against."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select, String, func, select
from sqlalchemy.orm import Session, aliased

from kpi import dimensions as dims
from kpi.store import models as m
from kpi.transfer.values import (
    YEAR_MAX,
    YEAR_MIN,
    Invalid,
    format_value,
    parse_bool,
    parse_date,
    parse_int,
    parse_number,
    parse_year,
)

TEXT, CODE, INT, YEAR, NUMBER, DATE, BOOL = "text", "code", "int", "year", "number", "date", "bool"
TYPE_NAMES: dict[str, str] = {
    TEXT: "text", CODE: "code", INT: "whole number", YEAR: f"year ({YEAR_MIN}-{YEAR_MAX})", NUMBER: "number",
    DATE: "date (YYYY-MM-DD)", BOOL: "yes/no",
}
#: Code sets read from the store's reference tables, and how messages name them.
CODE_SET_LABELS: dict[str, str] = {
    "sector": "a Sector code",
    "owner": f"a Sector code or {dims.ITU_WIDE}",
    "region": f"an ITU-D region code or {dims.WORLD}",
    "country": "an ISO 3166-1 alpha-3 country code",
    "grade": "a grade",
    "duty_station": "a duty station",
    "unit": "a unit code",
    "cycle": "a plan cycle",
    "indicator": "an indicator code",
    "resolution": "a resolution code",
    "commitment": "a commitment's ref",
    "component": "an Accountability Framework component code",
    "plan_unit": "a Sector or unit code",
}
#: A message lists the allowed codes when there are at most this many.
MAX_LISTED_CODES = 25
_SAME = "="  # Column.attr default: the model attribute has the column's name


@dataclass(frozen=True)
class Column:
    """One column of a kind's file.

    ``required``: the header must have it. ``nullable``: a cell may be empty (default: when
    the column is optional); an empty cell then means ``empty``. ``codes`` names a code set of
    the store (:data:`CODE_SET_LABELS`), ``choices`` a fixed list. ``attr`` is the model
    attribute the value goes to (None: the kind's ``resolve`` maps it, e.g. a code to an id).
    """

    name: str
    type: str
    description: str
    required: bool = False
    nullable: bool | None = None
    codes: str | None = None
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    empty: Any = None
    attr: str | None = _SAME
    max_length: int | None = None

    @property
    def allows_empty(self) -> bool:
        """Whether a cell of this column may be empty (by default, when the column is not required)."""
        return (not self.required) if self.nullable is None else self.nullable

    @property
    def model_attr(self) -> str | None:
        """The model attribute this column fills: its own name, another, or None (a lookup column)."""
        return self.name if self.attr == _SAME else self.attr


@dataclass(frozen=True)
class IndicatorInfo:
    """What checks need to know about an indicator."""

    id: int
    code: str
    unit: str
    lower_limit: float | None
    upper_limit: float | None
    computed_from: str
    cycle: str
    cycle_start: int
    cycle_end: int


@dataclass(frozen=True)
class Lock:
    """An active validated period: ``indicator_id`` None covers every indicator of the year."""

    year: int
    indicator_id: int | None
    validated_by: str
    validated_at: dt.datetime

    def describe(self) -> str:
        """The lock in words, for a refused change ("2024 was validated by ... on ...")."""
        return f"{self.year} was validated by {self.validated_by} on {self.validated_at:%Y-%m-%d}"


@dataclass
class Lookups:
    """The store's codes and facts that checks need, read once per import."""

    codes: dict[str, tuple[str, ...]]
    unit_sector: dict[str, str]
    country_region: dict[str, str]
    cycles: dict[str, tuple[int, int]]
    nodes: dict[tuple[str, str], int]
    node_parents: dict[tuple[str, str], str | None]
    indicators: dict[str, IndicatorInfo]
    locks: dict[int, list[Lock]]
    next_sort_order: dict[str, int] = field(default_factory=dict)
    #: Year of each resolution, by code; year each commitment was made, by ref.
    resolutions: dict[str, int] = field(default_factory=dict)
    commitments: dict[str, int] = field(default_factory=dict)
    #: The references of the stored records that links may name, by kind (kpi.dimensions.RECORD_KINDS).
    records: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Lookups:
        """Read every lookup an import checks against from the store (Sectors in their natural order first)."""
        sectors = tuple(session.scalars(select(m.Sector.code)).all())
        sectors = tuple(s for s in dims.SECTOR_CODES if s in sectors) + tuple(
            sorted(s for s in sectors if s not in dims.SECTOR_CODES))
        regions = tuple(sorted(session.scalars(select(m.ItuDRegion.code))))
        grades = tuple(session.scalars(select(m.Grade.code).order_by(m.Grade.rank)))
        country_region = dict(session.execute(select(m.Country.iso3, m.Country.itu_d_region)).all())
        unit_sector = dict(session.execute(select(m.Unit.code, m.Unit.sector_code)).all())
        stations = tuple(session.scalars(select(m.DutyStation.code).order_by(m.DutyStation.code)))
        cycles = {code: (start, end) for code, start, end in session.execute(
            select(m.PlanCycle.code, m.PlanCycle.start_year, m.PlanCycle.end_year).order_by(m.PlanCycle.start_year))}
        parent = aliased(m.FrameworkNode)
        node_rows = session.execute(
            select(m.FrameworkNode.id, m.FrameworkNode.cycle_code, m.FrameworkNode.code, parent.code)
            .select_from(m.FrameworkNode).outerjoin(parent, m.FrameworkNode.parent_id == parent.id)).all()
        nodes = {(c, code): i for i, c, code, _ in node_rows}
        node_parents = {(c, code): p for _, c, code, p in node_rows}
        indicators = {
            r.code: IndicatorInfo(r.id, r.code, r.unit, r.lower_limit, r.upper_limit, r.computed_from or "",
                                  r.cycle_code, r.start_year, r.end_year)
            for r in session.execute(
                select(m.Indicator.id, m.Indicator.code, m.Indicator.unit, m.Indicator.lower_limit,
                       m.Indicator.upper_limit, m.Indicator.computed_from, m.PlanCycle.code.label("cycle_code"),
                       m.PlanCycle.start_year, m.PlanCycle.end_year)
                .join(m.FrameworkNode, m.Indicator.node_id == m.FrameworkNode.id)
                .join(m.PlanCycle, m.FrameworkNode.cycle_code == m.PlanCycle.code))
        }
        locks: dict[int, list[Lock]] = {}
        for p in session.scalars(select(m.ValidatedPeriod).where(m.ValidatedPeriod.reopened_at.is_(None))):
            locks.setdefault(p.year, []).append(Lock(p.year, p.indicator_id, p.validated_by, p.validated_at))
        resolutions = dict(session.execute(select(m.Resolution.code, m.Resolution.year)).all())
        commitments = dict(session.execute(select(m.Commitment.ref, m.Commitment.year)
                                           .where(m.Commitment.ref.is_not(None))).all())
        components = tuple(session.scalars(select(m.AccountabilityComponent.code)
                                           .order_by(m.AccountabilityComponent.code)))
        next_sort = {
            model.__tablename__: (session.scalar(select(func.max(model.sort_order))) or 0) + 1
            for model in (m.FrameworkNode, m.Indicator)
        }
        return cls(
            codes={
                "sector": sectors, "owner": (*sectors, dims.ITU_WIDE), "region": (*regions, dims.WORLD),
                "country": tuple(sorted(country_region)), "grade": grades, "duty_station": stations,
                "unit": tuple(sorted(unit_sector)), "cycle": tuple(cycles), "indicator": tuple(sorted(indicators)),
                "resolution": tuple(sorted(resolutions)), "commitment": tuple(sorted(commitments)),
                "component": components, "plan_unit": (*sectors, *sorted(unit_sector)),
            },
            unit_sector=unit_sector, country_region=country_region, cycles=cycles, nodes=nodes,
            node_parents=node_parents,
            indicators=indicators, locks=locks, next_sort_order=next_sort,
            resolutions=resolutions, commitments=commitments, records=_record_refs(session),
        )

    def lock_for(self, indicator_id: int, year: int) -> Lock | None:
        """The active validated period covering ``indicator_id`` in ``year``, if any."""
        for lock in self.locks.get(year, ()):
            if lock.indicator_id is None or lock.indicator_id == indicator_id:
                return lock
        return None

    def take_sort_order(self, table: str) -> int:
        """The next free ``sort_order`` of ``table`` (for records added by an import)."""
        value = self.next_sort_order[table]
        self.next_sort_order[table] = value + 1
        return value


def _record_refs(session: Session) -> dict[str, frozenset[str]]:
    """The references of the stored records that links may name, by kind of record."""
    action_ref = m.ResolutionAction.resolution_code + dims.ACTION_REF_SEPARATOR + m.ResolutionAction.ref
    queries = {
        "risk": select(m.Risk.code), "recommendation": select(m.OversightRecommendation.ref),
        "resolution_action": select(action_ref), "commitment": select(m.Commitment.ref),
    }
    return {kind: frozenset(r for r in session.scalars(queries[kind].distinct()) if r is not None)
            for kind in dims.RECORD_KINDS}


def _listing(codes: Iterable[str]) -> str:
    return ", ".join(codes)


def describe_codes(column: Column, lookups: Lookups | None) -> str:
    """What a code column expects, listing the codes when they are few."""
    if column.choices is not None:
        shown = [c for c in column.choices if c != ""]
        return "one of " + _listing(shown) + (" (or empty)" if "" in column.choices else "")
    label = CODE_SET_LABELS[column.codes]
    if lookups is None:
        return f"{label} known to the store"
    codes = lookups.codes[column.codes]
    if not codes:
        return f"{label} known to the store (it has none yet)"
    if len(codes) <= MAX_LISTED_CODES:
        return f"{label} ({_listing(codes)})"
    return f"{label} known to the store"


def _range_text(column: Column, noun: str) -> str:
    fmt = format_value
    lo, hi = column.minimum, column.maximum
    if lo is not None and hi is not None:
        return f"{noun} between {fmt(float(lo))} and {fmt(float(hi))}"
    if lo is not None:
        return f"{noun} of at least {fmt(float(lo))}"
    if hi is not None:
        return f"{noun} of at most {fmt(float(hi))}"
    return noun


def make_parser(column: Column, lookups: Lookups | None, *, decimal_comma: bool = False) -> Callable[[str], Any]:
    """A function from a cell's text to the column's value, raising :class:`Invalid`."""
    kind = column.type
    if kind == TEXT:
        limit = column.max_length

        def parse(text: str):
            if limit is not None and len(text) > limit:
                raise Invalid(f"at most {limit} characters (this has {len(text)})")
            return text
    elif kind == CODE:
        allowed = frozenset(column.choices if column.choices is not None else lookups.codes[column.codes])
        expected = describe_codes(column, lookups)

        def parse(text: str):
            code = text.strip()
            if code not in allowed:
                raise Invalid(expected)
            return code
    elif kind in (INT, NUMBER):
        base = parse_int if kind == INT else (lambda t: parse_number(t, decimal_comma=decimal_comma))
        noun = "a whole number" if kind == INT else "a number"
        expected = _range_text(column, noun)
        lo, hi = column.minimum, column.maximum

        def parse(text: str):
            try:
                value = base(text)
            except Invalid:
                raise Invalid(expected) from None
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                raise Invalid(expected)
            return value
    elif kind == YEAR:
        parse = parse_year
    elif kind == DATE:
        parse = parse_date
    elif kind == BOOL:
        parse = parse_bool
    else:  # pragma: no cover - a programming error in a kind
        raise ValueError(f"unknown column type {kind!r}")

    if not column.allows_empty:
        def parse_required(text: str, _parse=parse):
            if not text.strip():
                raise Invalid("a value (this column may not be empty)")
            return _parse(text)
        return parse_required

    empty = column.empty

    def parse_optional(text: str, _parse=parse):
        if not text or not text.strip():
            return empty
        return _parse(text)
    return parse_optional


#: A check's finding: (column, expected); the message quotes the column's raw text.
Finding = tuple[str | None, str]


@dataclass(frozen=True)
class Kind:
    """A kind of record that can be imported and exported.

    ``key`` names the record fields (columns, or fields ``derive`` adds) that identify a
    record: a file row with the key of a stored record updates it, else adds one. ``query``
    selects the stored records in the file's terms: one labelled column per file column, the
    key fields, and ``_id`` (the primary key). ``resolve(record, lookups, new)`` gives the
    model attributes that are not plain copies of a column (ids behind codes, defaults of new
    records). ``check(record, lookups)`` yields findings on one record (its fields that parsed);
    ``check_file(records, lookups)`` yields (row, column, expected) across records.
    """

    name: str
    title: str
    description: str
    model: type
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    query: Callable[[], Select]
    resolve: Callable[[dict, Lookups, bool], dict] | None = None
    check: Callable[[dict, Lookups], Iterator[Finding]] | None = None
    check_file: Callable[[list[tuple[int, dict]], Lookups], Iterator[tuple[int, str | None, str]]] | None = None
    derive: Callable[[dict], None] | None = None
    #: A filter on ``query``'s subquery columns for what an export writes (None: everything).
    export_filter: Callable[[Any], Any] | None = None
    #: Why a new (existing None) or changed record may not be written, as a finding, or None.
    guard: Callable[[dict, dict | None, list[tuple[str, Any, Any]], Lookups], Finding | None] | None = None
    #: Changes beyond the file's columns that writing a changed record makes: (field, old, new).
    side_changes: Callable[[dict], list[tuple[str, Any, Any]]] | None = None
    #: Runs after the records (added and changed, in file order) are written.
    after_write: Callable[[Session, list[dict]], None] | None = None
    #: Whether computed indicators (kpi.enablers) are recomputed after an import of this kind.
    feeds_enablers: bool = False
    #: Whether its records are about individuals (only HR analysts import and export them: kpi.access).
    about_individuals: bool = False
    #: How a message names the key ("indicator, year and disaggregation").
    key_label: str = ""
    #: The columns whose values make up the key (default: the key's columns). They are never
    #: compared nor logged as fields: a record's key says them already.
    identity: tuple[str, ...] = ()
    #: Kinds whose records this kind's rows name, beyond the reference data: import those first.
    requires: tuple[str, ...] = ()

    def __post_init__(self):
        table = self.model.__table__
        cols = []
        for col in self.columns:
            attr = col.model_attr
            if col.type == TEXT and col.max_length is None and attr in table.c:
                length = getattr(table.c[attr].type, "length", None)
                if isinstance(table.c[attr].type, String) and length:
                    col = replace(col, max_length=length)
            cols.append(col)
        object.__setattr__(self, "columns", tuple(cols))
        if not self.identity:
            object.__setattr__(self, "identity", tuple(k for k in self.key if k in self.column_names))
        if not self.key_label:
            names = list(self.key)
            label = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            object.__setattr__(self, "key_label", label)

    @property
    def column_names(self) -> list[str]:
        """The file's column names, in order."""
        return [c.name for c in self.columns]

    @property
    def table_name(self) -> str:
        """The store table this kind writes."""
        return self.model.__tablename__

    def column(self, name: str) -> Column:
        """The column named ``name`` (a KeyError if the kind has none)."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)
