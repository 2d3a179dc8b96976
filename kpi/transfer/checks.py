"""Pieces that several kinds share: the owner column, checks across a record's fields, plain queries."""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from kpi import dimensions as dims
from kpi.transfer.schema import CODE, Column, Finding, Lookups
from kpi.transfer.values import format_value


def owner_column() -> Column:
    """The ``owner`` column: a Sector code or the whole Union."""
    return Column("owner", CODE, f"Who owns it: a Sector code ({', '.join(dims.SECTOR_CODES)}) or "
                                 f"{dims.ITU_WIDE} for the whole Union.", required=True, codes="owner")


def not_before(later: str, earlier: str, record: dict, what: str) -> Iterator[Finding]:
    """A finding on ``later`` when the record's date ``later`` comes before its date ``earlier``."""
    if record.get(later) is not None and record.get(earlier) is not None and record[later] < record[earlier]:
        yield later, f"a date on or after {what} ({format_value(record[earlier])})"


def node_exists(record: dict, lk: Lookups) -> Iterator[Finding]:
    """A finding on ``node`` when the record's cycle and node name no stored framework node."""
    cycle, node = record.get("cycle"), record.get("node")
    if cycle is not None and node is not None and (cycle, node) not in lk.nodes:
        codes = sorted(code for c, code in lk.nodes if c == cycle)
        yield "node", f"a node of plan cycle {cycle} ({', '.join(codes)})"


def year_in_cycle(record: dict, lk: Lookups) -> Iterator[Finding]:
    """A finding on ``year`` when the record's year lies outside its plan cycle."""
    cycle, year = record.get("cycle"), record.get("year")
    if cycle is not None and year is not None:
        start, end = lk.cycles[cycle]
        if not start <= year <= end:
            yield "year", f"a year within plan cycle {cycle}"


def plain_query(model, names: tuple[str, ...], attrs: dict[str, str] | None = None):
    """The model's primary key as ``_id`` and its attributes as the file's columns ``names``.

    ``attrs`` maps a column to the attribute it is stored in when their names differ.
    """
    (pk,) = model.__table__.primary_key.columns
    attrs = attrs or {}
    return select(pk.label("_id"), *(getattr(model, attrs.get(n, n)).label(n) for n in names))
