"""The store's bulk writer: one writer at a time, and many rows written in few statements.

:func:`serialise_writers` makes a transaction the store's only writer (SQLite: ``BEGIN IMMEDIATE``;
PostgreSQL: a transaction-level advisory lock) or raises :class:`StoreBusy` after
:data:`WRITER_WAIT_SECONDS`; readers are never blocked. :func:`insert_rows`, :func:`insert_dicts` and
:func:`update_rows` write many rows of one table at once: PostgreSQL's ``COPY`` from
:data:`COPY_MIN_ROWS` rows, one ``executemany`` statement otherwise. Imports and period validation
(:mod:`kpi.transfer`) write through this module; no other module runs bulk SQL.
"""
from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterable, Iterator

from sqlalchemy import Connection, Table, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

#: Rows per statement of :func:`insert_in_chunks` (a generator of any length in bounded memory).
INSERT_CHUNK_ROWS = 20_000
#: PostgreSQL writes at least this many rows with COPY rather than INSERT or UPDATE statements.
COPY_MIN_ROWS = 2000
#: Rows per chunk of COPY text.
COPY_CHUNK_ROWS = 10_000
#: The advisory lock that serialises imports and period validation on PostgreSQL.
ADVISORY_LOCK_KEY = 0x6B70_6974  # "kpit"
#: How long a writer waits for another one to finish before it is told the store is busy.
WRITER_WAIT_SECONDS = 5.0
BUSY_MESSAGE = "an import is running, try again in a moment"
_temp_names = itertools.count(1)


class StoreBusy(RuntimeError):
    """Another write holds the store: nothing was done; try again in a moment."""

    def __init__(self) -> None:
        super().__init__(BUSY_MESSAGE)


def is_lock_timeout(error: OperationalError) -> bool:
    """Whether a database error means another writer holds the store (SQLite: "database is locked")."""
    message = str(error.orig).lower()
    return "database is locked" in message or "database is busy" in message


def serialise_writers(session: Session) -> None:
    """Make this transaction the store's only writer until it ends (readers go on).

    Waits at most :data:`WRITER_WAIT_SECONDS` for another writer, then raises :class:`StoreBusy`.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        from kpi.store.engine import SQLITE_BUSY_TIMEOUT_MS

        connection.exec_driver_sql(f"PRAGMA busy_timeout={int(WRITER_WAIT_SECONDS * 1000)}")
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError as error:
            if is_lock_timeout(error):
                raise StoreBusy() from None
            raise
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    elif connection.dialect.name == "postgresql":
        deadline = time.monotonic() + WRITER_WAIT_SECONDS
        lock = text("SELECT pg_try_advisory_xact_lock(:key)")
        while not connection.execute(lock, {"key": ADVISORY_LOCK_KEY}).scalar():
            if time.monotonic() > deadline:
                raise StoreBusy()
            time.sleep(0.1)


def _placeholder(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _driver_values(connection: Connection, table: Table, names: list[str], rows: list[tuple]) -> list[tuple]:
    """``rows`` with each value as the database driver takes it (SQLite: dates as text)."""
    dialect = connection.dialect
    processors = [(i, table.c[n].type.dialect_impl(dialect).bind_processor(dialect)) for i, n in enumerate(names)]
    processors = [(i, p, {}) for i, p in processors if p is not None]
    if not processors:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for i, process, done in processors:
            value = row[i]
            if value is not None:
                converted = done.get(value)  # the same dates and times recur: convert each once
                if converted is None:
                    converted = done[value] = process(value)
                row[i] = converted
        out.append(tuple(row))
    return out


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """``value`` in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if type(value) is str:
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _copy(connection: Connection, sql: str, rows: list[tuple]) -> None:
    """COPY ``rows`` in text format, written in chunks (much faster than one row at a time)."""
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
        for start in range(0, len(rows), COPY_CHUNK_ROWS):
            copy.write("".join("\t".join([_copy_text(v) for v in row]) + "\n"
                               for row in rows[start:start + COPY_CHUNK_ROWS]))


def insert_rows(connection: Connection, table: Table, names: list[str], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples of the ``names`` columns) fast: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in names)
    if connection.dialect.name == "postgresql" and len(rows) >= COPY_MIN_ROWS:
        _copy(connection, f"COPY {quote(table.name)} ({columns}) FROM STDIN", rows)
        return
    mark = _placeholder(connection)
    sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({', '.join([mark] * len(names))})"
    connection.exec_driver_sql(sql, _driver_values(connection, table, names, rows))


def insert_dicts(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts with the same keys), with the columns' Python-side defaults filled in."""
    if not rows:
        return
    defaults = {c.name: c.default.arg for c in table.columns
                if c.name not in rows[0] and c.default is not None and c.default.is_scalar}
    keys = list(rows[0])
    fixed = tuple(defaults.values())
    insert_rows(connection, table, [*keys, *defaults], [(*(r[k] for k in keys), *fixed) for r in rows])


def update_rows(connection: Connection, table: Table, names: list[str], rows: list[tuple]) -> None:
    """Update the ``names`` columns of the rows whose primary key is the last value of each tuple.

    The primary key is ``id`` for most tables, a code for the few records known by their code
    (resolutions, Accountability Framework components).
    """
    if not rows:
        return
    quote = connection.dialect.identifier_preparer.quote
    (pk,) = table.primary_key.columns
    key = quote(pk.name)
    if connection.dialect.name == "postgresql" and len(rows) >= COPY_MIN_ROWS:
        temp = f"kpi_update_{next(_temp_names)}"
        columns = ", ".join(quote(n) for n in names)
        connection.exec_driver_sql(f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS "
                                   f"SELECT {columns}, {key} AS kpi_key FROM {quote(table.name)} WITH NO DATA")
        _copy(connection, f"COPY {temp} ({columns}, kpi_key) FROM STDIN", rows)
        sets = ", ".join(f"{quote(n)} = u.{quote(n)}" for n in names)
        connection.exec_driver_sql(f"UPDATE {quote(table.name)} AS t SET {sets} FROM {temp} AS u "
                                   f"WHERE t.{key} = u.kpi_key")
        connection.exec_driver_sql(f"DROP TABLE {temp}")
        return
    mark = _placeholder(connection)
    sets = ", ".join(f"{quote(n)} = {mark}" for n in names)
    connection.exec_driver_sql(f"UPDATE {quote(table.name)} SET {sets} WHERE {key} = {mark}",
                               _driver_values(connection, table, [*names, pk.name], rows))


def insert_in_chunks(session: Session, model, rows: Iterable[dict]) -> int:
    """Insert ``rows`` (dicts, any iterable: a generator is read in chunks of :data:`INSERT_CHUNK_ROWS`, so that
    memory stays bounded) into ``model``'s table in ``session``'s transaction; returns how many. For building a
    store (the demo data), where nothing else writes."""
    table = model.__table__
    written = 0
    for chunk in _chunks(rows):
        session.execute(table.insert(), chunk)
        written += len(chunk)
    return written


def _chunks(rows: Iterable[dict]) -> Iterator[list[dict]]:
    """``rows`` in lists of :data:`INSERT_CHUNK_ROWS` (Python 3.12's itertools.batched)."""
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, INSERT_CHUNK_ROWS)):
        yield chunk
