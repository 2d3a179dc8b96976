"""Readers during an import, on SQLite (WAL) and PostgreSQL: no error, never half an import.

Reader threads loop over the observation count and sum while one writer imports 20,000 rows;
every read must see the store as it was before the import or as it is after, never between,
and none may fail (no "database is locked"). Everything runs in this process, in a few seconds.
"""
from __future__ import annotations

import threading
import time

from sqlalchemy import text

from kpi.transfer import run_import
from tests.access_support import writer
from tests.store_support import USER, messages, observations_csv

ROWS = 20_000
READERS = 4
#: Reads per thread after the import (so that every thread also sees the final state).
READS_AFTER = 20
#: No thread reads for longer than this, whatever happens.
DEADLINE_SECONDS = 60
SQL = "SELECT COUNT(*), COALESCE(SUM(value), 0) FROM observation"


def _state(engine) -> tuple[int, float]:
    with engine.connect() as connection:
        n, total = connection.execute(text(SQL)).one()
    return int(n), float(total)


def test_readers_see_the_store_before_or_after_an_import_never_half(store, tmp_path):  # noqa: F811
    path = tmp_path / "observations.csv"
    path.write_bytes(observations_csv(ROWS))
    file_sum = sum(float(line.split(",")[2]) for line in path.read_text().splitlines()[1:])
    n0, s0 = _state(store)

    reads: list[tuple[float, int, float]] = []
    errors: list[BaseException] = []
    started = threading.Barrier(READERS + 1)
    done = threading.Event()
    lock = threading.Lock()

    def reader() -> None:
        seen, after, deadline = [], 0, time.monotonic() + DEADLINE_SECONDS
        try:
            started.wait()
            while after < READS_AFTER and time.monotonic() < deadline:
                finished = done.is_set()
                with store.connect() as connection:
                    n, total = connection.execute(text(SQL)).one()
                seen.append((time.monotonic(), int(n), float(total)))
                after += finished
        except BaseException as error:  # noqa: BLE001 - every failure of a reader is a test failure
            errors.append(error)
        with lock:
            reads.extend(seen)

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    for t in threads:
        t.start()
    started.wait()
    began = time.monotonic()
    result = run_import(store, "observations", path, actor=writer(USER))
    ended = time.monotonic()
    done.set()
    for t in threads:
        t.join(DEADLINE_SECONDS + 5)

    assert (messages(result), result.added) == ([], ROWS)
    assert errors == []
    counts = {n for _, n, _ in reads}
    assert counts <= {n0, n0 + ROWS}, f"a reader saw part of the import: {sorted(counts)}"
    for _, n, total in reads:
        expected = s0 if n == n0 else s0 + file_sum
        assert abs(total - expected) <= 1e-6 * max(1.0, abs(expected))
    during = [n for t, n, _ in reads if began < t < ended]
    assert len(during) > 0, "no read happened while the import ran"
    assert n0 in counts and n0 + ROWS in counts
    assert _state(store)[0] == n0 + ROWS
