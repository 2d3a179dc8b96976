"""Import a file of one kind: validate everything first, then write all of it or nothing.

:func:`run_import` reads the file (:mod:`kpi.transfer.reading`), checks every cell and row
against the kind (:mod:`kpi.transfer.kinds`) and the store's reference codes, compares each
row with the stored record of the same natural key, and only when there is no problem at all
writes, in one transaction: the new and changed records, an ``ImportBatch``, a ``ChangeLog`` row
per field written (a new record logs each of its fields that has a value, with old value None;
the key's own columns are in the log's ``record_key``), a new data version, and, for records
that computed indicators are made from, the recomputed values (:func:`kpi.enablers.materialise`).

Re-importing a file changes nothing: its rows are all unchanged, so no record and no change-log
row is written and the data version stays; the ``ImportBatch`` is still recorded (0 added,
0 changed) as the trace that the file was loaded and found identical.

Imports of one store are serialised (:func:`kpi.store.bulk.serialise_writers`), so that what is
validated is what is written, and written by the store's bulk writer (:mod:`kpi.store.bulk`); readers
are never blocked (WAL on SQLite, MVCC on PostgreSQL) and see the store either before or after an
import. A writer that cannot get the lock within :data:`kpi.store.bulk.WRITER_WAIT_SECONDS` gets
:class:`~kpi.store.bulk.StoreBusy` ("an import is running, try again in a moment"), never a database
error. A preview (``dry_run``) reads a snapshot without the lock, except for the records that computed
indicators are made from: those are written and rolled back, so that the preview can say which
validated computed value the file would change.

Every file is checked within :class:`~kpi.transfer.limits.ImportLimits` (bytes, unpacked size, rows,
cell length, at most ``max_problems`` problems, ``max_seconds`` of checking).
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from kpi import access
from kpi.access import Actor
from kpi.store import models as m
from kpi.store.bulk import StoreBusy, insert_dicts, insert_rows, is_lock_timeout, serialise_writers, update_rows
from kpi.transfer.kinds import get_kind
from kpi.transfer.limits import DEFAULT_LIMITS, ImportLimits, shortened
from kpi.transfer.problems import Problem
from kpi.transfer.reading import RawTable, read_table, too_large
from kpi.transfer.schema import Column, Kind, Lookups, make_parser
from kpi.transfer.values import Invalid, format_value, same_value

#: A key field's values filter the stored records read for comparison when at most this many.
MAX_IN_VALUES = 1000
#: Longest user name the store keeps (ImportBatch.user, ChangeLog.user).
USER_MAX_LENGTH = m.ImportBatch.__table__.c.user.type.length
CHANGE_LOG_COLUMNS = ("batch_id", "table_name", "record_key", "field", "old_value", "new_value", "user",
                      "changed_at")


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do), or why it did nothing."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    batch_id: int | None = None
    kind: str = ""
    file: str = ""
    rows: int = 0
    dry_run: bool = False
    #: Whether checking stopped at the limit of problems (or of time): there may be more.
    stopped: bool = False

    @property
    def ok(self) -> bool:
        """Whether the file was accepted: no problem found."""
        return not self.problems

    def summary(self) -> str:
        """One line: "would add 3, change 1, leave 10 unchanged", or the number of problems."""
        if self.problems:
            n = len(self.problems)
            more = " (checking stopped there: there may be more)" if self.stopped else ""
            return f"{n} problem{'s' if n != 1 else ''} found{more}: nothing was imported"
        if self.dry_run:
            return f"would add {self.added}, change {self.changed}, leave {self.unchanged} unchanged"
        return f"added {self.added}, changed {self.changed}, left {self.unchanged} unchanged"


@dataclass
class _Row:
    row: int
    record: dict
    cells: list[str]


@dataclass
class _Plan:
    file: str
    present: list[Column] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    rows: list[_Row] = field(default_factory=list)
    added: list[_Row] = field(default_factory=list)
    changed: list[tuple[_Row, dict, list[tuple[str, object, object]]]] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    limits: ImportLimits = DEFAULT_LIMITS
    started: float = field(default_factory=time.monotonic)
    stopped: bool = False

    def add(self, problem: Problem) -> None:
        """Keep ``problem`` unless the limit is reached (then checking stops: see :meth:`must_stop`)."""
        if len(self.problems) < self.limits.max_problems:
            self.problems.append(problem)
        else:
            self.stopped = True

    def problem(self, row: _Row | int | None, column: str | None, expected: str) -> None:
        """Record a problem, quoting the raw text of ``column`` in ``row`` when there is some."""
        value = None
        if isinstance(row, _Row):
            i = self.index.get(column) if column else None
            if i is not None and i < len(row.cells) and row.cells[i].strip():
                value = shortened(row.cells[i], 200)
            row = row.row
        self.add(Problem(self.file, row, column, value, expected))

    def must_stop(self) -> bool:
        """Whether checking should stop: the problems or the time allowed are used up."""
        if len(self.problems) >= self.limits.max_problems:
            self.stopped = True
        elif time.monotonic() - self.started > self.limits.max_seconds:
            self.stopped = True
            self.problems.append(Problem(self.file, None, None, None,
                                         f"a file that can be checked within {self.limits.max_seconds:g} s "
                                         "(this one takes longer): split it into several files"))
        return self.stopped


def now_utc() -> dt.datetime:
    """The current time in UTC, naive (as the store's DateTime columns keep it)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def check_user(user: str) -> None:
    """A ValueError unless ``user`` is a name the store can keep."""
    if not isinstance(user, str) or not user.strip() or len(user) > USER_MAX_LENGTH:
        raise ValueError(f"user must be a name of 1 to {USER_MAX_LENGTH} characters, not {user!r}")


def _text(value) -> str:
    return value if type(value) is str else format_value(value)


def record_key(kind: Kind, record: dict) -> str:
    """The change log's key of a record: ``name=value`` of its natural key, joined by "; "."""
    return "; ".join(f"{name}={_text(record[name])}" for name in kind.key)


# ---------------------------------------------------------------- validation and comparison


def _header(kind: Kind, table: RawTable, plan: _Plan) -> None:
    row = table.header_row
    known = {c.name for c in kind.columns}
    for i, raw_name in enumerate(table.header):
        name = raw_name.strip().lower()
        if not name:
            if any(i < len(cells) and cells[i].strip() for _, cells in table.rows):
                plan.problem(row, None, f"a name for column {i + 1}, which has values below it")
            continue
        if name in plan.index:
            plan.add(Problem(table.file, row, name, raw_name, "each column once (this one is repeated)"))
        elif name not in known:
            plan.add(Problem(table.file, row, None, raw_name,
                                         f"a column of {kind.name}: {', '.join(kind.column_names)}"))
        else:
            plan.index[name] = i
    for col in kind.columns:
        if col.required and col.name not in plan.index:
            plan.problem(row, col.name, "this column, which is required")


def _validate(kind: Kind, table: RawTable, lk: Lookups, plan: _Plan) -> None:
    if not table.header:
        plan.problem(None, None, "a header row naming the columns, then one row per record (the file is empty)")
        return
    _header(kind, table, plan)
    if not table.rows:
        plan.problem(None, None, f"at least one row of data below the header (row {table.header_row})")
    index = plan.index
    plan.present = [c for c in kind.columns if c.name in index]
    parsers = [(c.name, index[c.name], make_parser(c, lk, decimal_comma=table.decimal_comma)) for c in plan.present]
    width = len(table.header)
    needed = max(index.values(), default=-1) + 1
    # Rows are compared by key only when the header has every required column the key is made of.
    complete = all(name in index for name in {*kind.identity, *kind.key} & set(kind.column_names)
                   if kind.column(name).required)
    check, derive, skip = kind.check, kind.derive, table.skip
    keep = plan.rows.append
    for position, (number, cells) in enumerate(table.rows):
        if position % 1024 == 0 and plan.must_stop():
            return
        n = len(cells)
        if n > width and any(c.strip() for c in cells[width:]):
            plan.problem(number, None, f"at most {width} values, one per column of the header (found {n})")
        if n < needed:
            cells = cells + [""] * (needed - n)
        record, ok = {}, True
        for name, i, parse in parsers:
            if skip and (number, i) in skip:
                ok = False
                continue
            try:
                record[name] = parse(cells[i])
            except Invalid as error:
                ok = False
                cell = cells[i]
                plan.add(Problem(plan.file, number, name, shortened(cell, 200) if cell.strip() else None,
                                 error.expected))
        row = _Row(number, record, cells)
        if check is not None:
            for column, expected in check(record, lk):
                ok = False
                plan.problem(row, column, expected)
        if ok and complete:
            if derive is not None:
                derive(record)
            keep(row)


def _duplicates(kind: Kind, plan: _Plan) -> None:
    first: dict[tuple, int] = {}
    unique: list[_Row] = []
    key = kind.key
    for r in plan.rows:
        ident = tuple(r.record[k] for k in key)
        if ident in first:
            shown = ", ".join(_text(v) for v in ident if v not in (None, ""))  # an empty part says nothing
            plan.problem(r.row, None, f"one row per {kind.key_label} (row {first[ident]} has the same: {shown})")
        else:
            first[ident] = r.row
            unique.append(r)
    plan.rows = unique


def _stored(session: Session, kind: Kind, rows: list[_Row]) -> tuple[dict[tuple, tuple], dict[str, int]]:
    """The stored records that ``rows`` may match, by key, as tuples; and each field's position."""
    if not rows:
        return {}, {}
    sub = kind.query().subquery()
    stmt = select(sub)
    for name in kind.key:
        values = {r.record[name] for r in rows}
        if len(values) <= MAX_IN_VALUES:
            stmt = stmt.where(sub.c[name].in_(sorted(values)))
    result = session.connection().execute(stmt)
    position = {name: i for i, name in enumerate(result.keys())}
    key = [position[k] for k in kind.key]
    if len(key) == 1:
        k0 = key[0]
        return {(row[k0],): tuple(row) for row in result}, position
    return {tuple(row[p] for p in key): tuple(row) for row in result}, position


def _compare(session: Session, kind: Kind, plan: _Plan, lk: Lookups) -> None:
    stored, position = _stored(session, kind, plan.rows)
    fields = [(c.name, position.get(c.name)) for c in plan.present if c.name not in kind.identity]
    key, guard = kind.key, kind.guard
    for r in plan.rows:
        record = r.record
        found = stored.get(tuple(record[k] for k in key))
        if found is None:
            existing, changes = None, []
        else:
            changes = [(f, found[i], record[f]) for f, i in fields if not same_value(found[i], record[f])]
            if not changes:
                plan.unchanged += 1
                continue
            existing = dict(zip(position, found))  # by name, only for records that change
        if guard is not None and (finding := guard(record, existing, changes, lk)):
            plan.problem(r, *finding)
            continue
        if existing is None:
            plan.added.append(r)
        else:
            plan.changed.append((r, existing, changes))


def _sort_problems(plan: _Plan) -> None:
    index = plan.index
    plan.problems.sort(key=lambda p: (p.row or 0, index.get(p.column, -1) if p.column else -1))


def _plan(session: Session, kind: Kind, table: RawTable, lk: Lookups, problems: list[Problem],
          limits: ImportLimits = DEFAULT_LIMITS) -> _Plan:
    plan = _Plan(table.file, problems=list(problems)[:limits.max_problems], limits=limits,
                 stopped=len(problems) > limits.max_problems)
    _validate(kind, table, lk, plan)
    if plan.stopped:  # the rows after the stop were not checked: comparing the rest would say little
        _sort_problems(plan)
        return plan
    _duplicates(kind, plan)
    if kind.check_file is not None:
        rows = {r.row: r for r in plan.rows}
        bad = set()
        for number, column, expected in kind.check_file([(r.row, r.record) for r in plan.rows], lk):
            plan.problem(rows[number], column, expected)
            bad.add(number)
        plan.rows = [r for r in plan.rows if r.row not in bad]
    _compare(session, kind, plan, lk)
    _sort_problems(plan)
    return plan


# ---------------------------------------------------------------- writing


def _change_log(kind: Kind, plan: _Plan, batch_id: int, user: str, when: dt.datetime) -> list[tuple]:
    fields = [c.name for c in plan.present if c.name not in kind.identity]
    table = kind.table_name
    logs = []
    add = logs.append
    for r in plan.added:
        key = record_key(kind, r.record)
        for name in fields:
            value = r.record[name]
            if value is not None and value != "":
                add((batch_id, table, key, name, None, _text(value), user, when))
    for r, existing, changes in plan.changed:
        key = record_key(kind, r.record)
        for name, old, new in changes + (kind.side_changes(existing) if kind.side_changes else []):
            add((batch_id, table, key, name, None if old is None else _text(old), None if new is None else _text(new),
                 user, when))
    return logs


def _write(session: Session, kind: Kind, plan: _Plan, lk: Lookups, batch_id: int, user: str,
           when: dt.datetime) -> None:
    connection = session.connection()
    table = kind.model.__table__
    copies = [(c.name, c.model_attr) for c in plan.present if c.model_attr is not None]
    stamp = {"batch_id": batch_id} if "batch_id" in table.c else {}
    resolve = kind.resolve

    def model_row(record: dict, new: bool) -> dict:
        row = {attr: record[name] for name, attr in copies}
        if resolve is not None:
            row.update(resolve(record, lk, new))
        row.update(stamp)
        return row

    insert_dicts(connection, table, [model_row(r.record, True) for r in plan.added])
    if plan.changed:
        updates = [model_row(r.record, False) for r, _, _ in plan.changed]
        names = list(updates[0])
        update_rows(connection, table, names, [(*(u[n] for n in names), existing["_id"])
                                               for u, (_, existing, _) in zip(updates, plan.changed)])
    if kind.after_write is not None:
        written = {r.row for r in plan.added} | {r.row for r, _, _ in plan.changed}
        kind.after_write(session, [r.record for r in plan.rows if r.row in written])
    insert_rows(connection, m.ChangeLog.__table__, list(CHANGE_LOG_COLUMNS),
                _change_log(kind, plan, batch_id, user, when))


def run_import(engine: Engine, kind: str, path: str | Path, *, actor: Actor, dry_run: bool = False,
               content: bytes | None = None, limits: ImportLimits = DEFAULT_LIMITS) -> ImportResult:
    """Import the file at ``path`` as records of ``kind``: all of it, or nothing if any problem.

    ``content`` gives the file's bytes when they are not on disk (an upload): ``path`` then only
    names the file (its extension says CSV or XLSX). With ``dry_run`` everything is checked and
    counted but nothing is written. Returns the counts and every problem found; the store is
    left exactly as it was unless the result has no problem and ``dry_run`` is false.

    ``actor`` must hold the role that writes ``kind`` (:func:`kpi.access.require_import`, an
    AccessDenied otherwise, before the file is read); a Sector-limited data steward's rows for
    another Sector's indicators are problems like any other. The audit records ``actor.audit_name``.
    The file is checked within ``limits``; a write that meets another raises :class:`StoreBusy`.
    """
    spec = get_kind(kind)
    access.require_import(actor, spec.name, spec.about_individuals)
    user = actor.audit_name
    check_user(user)
    path = Path(path)
    result = ImportResult(kind=spec.name, file=path.name, dry_run=dry_run)
    size = len(content) if content is not None else path.stat().st_size
    if size > limits.max_bytes:  # refused before a file is read into memory
        result.problems = [too_large(path.name, size, limits)]
        return result
    data = path.read_bytes() if content is None else content
    table, problems = read_table(data, path.name, spec.name, limits)
    if table is None:
        result.problems = problems
        return result
    result.rows = len(table.rows)
    collecting = gc.isenabled()
    gc.disable()  # a bulk load makes many objects that live to the end: collections would only slow it
    try:
        _import(engine, spec, table, problems, data, path.name, actor, dry_run, result, limits)
    except OperationalError as error:
        if is_lock_timeout(error):
            raise StoreBusy() from None
        raise
    finally:
        if collecting:
            gc.enable()
    return result


def _outside_sector(session: Session, actor: Actor, spec: Kind, plan: _Plan) -> None:
    """A problem for each row of a Sector-limited steward's file that names another Sector's indicator."""
    if actor.steward_sectors is None or "indicator" not in plan.index:
        return
    owners = dict(session.execute(select(m.Indicator.code, m.Indicator.owner)).all())
    allowed = ", ".join(sorted(actor.steward_sectors))
    for row in plan.rows:
        owner = owners.get(row.record.get("indicator"))
        if owner is not None and not access.steward_may_write(actor, owner):
            plan.problem(row, "indicator", f"an indicator of {allowed} (your data steward role covers {allowed} "
                                           f"only; this one belongs to {owner})")


def _computed_in_locked_years(session: Session, lookups: Lookups) -> dict[tuple[int, int, str], float | None]:
    """The stored values of computed indicators in validated (locked) years, by (indicator, year, disaggregation)."""
    computed = {info.id for info in lookups.indicators.values() if info.computed_from}
    if not computed or not lookups.locks:
        return {}
    rows = session.execute(select(m.Observation.indicator_id, m.Observation.year, m.Observation.disaggregation,
                                  m.Observation.value)
                           .where(m.Observation.indicator_id.in_(computed),
                                  m.Observation.year.in_(list(lookups.locks)))).all()
    return {(i, y, d): v for i, y, d, v in rows if lookups.lock_for(i, y) is not None}


def _locked_changes(before: dict, after: dict, lookups: Lookups, plan: _Plan) -> None:
    """A problem for each computed value of a validated year that the file would change (headline first)."""
    codes = {info.id: info.code for info in lookups.indicators.values()}
    for key in sorted(set(before) | set(after), key=lambda k: (k[2] != "", k[1], codes[k[0]], k[2])):
        old, new = before.get(key), after.get(key)
        if old == new or (old is not None and new is not None and abs(old - new) < 1e-9):
            continue
        indicator_id, year, disaggregation = key
        lock = lookups.lock_for(indicator_id, year)
        part = f" ({disaggregation})" if disaggregation else ""
        plan.add(Problem(plan.file, None, None, None,
                         f"no change to the validated values of {year}: this file changes {codes[indicator_id]}{part} "
                         f"for {year} from {_shown(old)} to {_shown(new)} ({lock.describe()}); "
                         f"a data steward must reopen {year} first"))


def _shown(value: float | None) -> str:
    return "no value" if value is None else format_value(value)


def _import(engine: Engine, spec: Kind, table: RawTable, problems: list[Problem], data: bytes, file_name: str,
            actor: Actor, dry_run: bool, result: ImportResult, limits: ImportLimits = DEFAULT_LIMITS) -> None:
    user = actor.audit_name
    # A preview reads a snapshot without the writer lock, unless it must write (and roll back) records
    # that computed indicators are made from, to see which validated computed values they would change.
    writes = not dry_run or spec.feeds_enablers
    with Session(engine) as session:
        transaction = session.begin()
        try:
            if writes:
                serialise_writers(session)
            lookups = Lookups.load(session)
            plan = _plan(session, spec, table, lookups, problems, limits)
            _outside_sector(session, actor, spec, plan)
            _sort_problems(plan)
            if plan.problems:
                result.problems, result.stopped = plan.problems, plan.stopped
                transaction.rollback()
                return
            result.added, result.changed, result.unchanged = len(plan.added), len(plan.changed), plan.unchanged
            if not writes:
                transaction.rollback()
                return
            when = now_utc()
            batch = m.ImportBatch(kind=spec.name, file_name=file_name[:255], checksum=hashlib.sha256(data).hexdigest(),
                                  rows=result.rows, added=result.added, changed=result.changed,
                                  unchanged=result.unchanged, user=user, created_at=when)
            session.add(batch)
            session.flush()
            result.batch_id = None if dry_run else batch.id
            if plan.added or plan.changed:
                before = _computed_in_locked_years(session, lookups) if spec.feeds_enablers else {}
                _write(session, spec, plan, lookups, batch.id, user, when)
                if spec.feeds_enablers:
                    from kpi import enablers

                    enablers.materialise(session)
                    _locked_changes(before, _computed_in_locked_years(session, lookups), lookups, plan)
                    if plan.problems:
                        result.problems, result.stopped = plan.problems, plan.stopped
                        transaction.rollback()
                        return
                from kpi.bootstrap import bump_data_version

                bump_data_version(session)
            if dry_run:
                transaction.rollback()
                return
            transaction.commit()
        except BaseException:
            if transaction.is_active:
                transaction.rollback()
            raise
