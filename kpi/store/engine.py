"""Engine creation: one place decides how every database is opened."""
from __future__ import annotations

import functools

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from kpi.config import database_url

#: How long a SQLite connection waits for a writer before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets dashboard readers go on while an import writes; foreign keys are off by
    # default in SQLite and must be asked for on every connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """A new engine for ``url`` (default: :func:`kpi.config.database_url`)."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


@functools.lru_cache(maxsize=8)
def shared_engine(url: str | None = None) -> Engine:
    """One engine per URL for the whole process (the pool is shared by all sessions)."""
    return make_engine(url)
