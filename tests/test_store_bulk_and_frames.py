"""The store's rooms with one job: the bulk writer lives in kpi.store.bulk, and only there; the frames the pages
read are built from the models' columns (kpi.store.frames), on both databases."""
from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kpi.store import bulk, migrate
from kpi.store import models as m

KPI_DIR = Path(__file__).resolve().parent.parent / "kpi"
STORE_DIR = KPI_DIR / "store"
#: The bulk writer's public names: no module outside kpi/store/ may define them.
WRITER_NAMES = frozenset({"insert_rows", "insert_dicts", "update_rows", "serialise_writers"})
#: Bulk SQL: PostgreSQL's COPY (as SQL text or a driver's copy), or a driver's executemany.
BULK_SQL = re.compile(r"""["']\s*COPY\s|\.copy(_from|_expert)?\(|\bexecutemany\s*\(""")
#: Modules outside kpi/store/ that define one of the writer's names for another job, with what they define: exactly
#: these (the demo builder's chunked ORM insert, ``insert_rows(session, model, dicts)``, is another word).
OTHER_JOBS = {"demo/common.py": ["defines insert_rows"]}


def bulk_writer_findings(source: str) -> list[str]:
    """What in one module's source belongs to the store's bulk writer, in line order: a function or class defining
    one of its names (at any depth), a name of it assigned, or bulk SQL (COPY, executemany)."""
    findings: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in WRITER_NAMES:
            findings.append((node.lineno, f"defines {node.name}"))
        elif isinstance(node, ast.Assign):
            findings += [(node.lineno, f"defines {t.id}") for t in node.targets
                         if isinstance(t, ast.Name) and t.id in WRITER_NAMES]
    for number, line in enumerate(source.splitlines(), 1):
        if not line.lstrip().startswith("#") and BULK_SQL.search(line):
            findings.append((number, f"bulk SQL: {line.strip()}"))
    return [f"line {number}: {what}" for number, what in sorted(findings)]


def writers_outside_the_store(root: Path) -> dict[str, list[str]]:
    """Every module under ``root`` (a kpi/ tree) but its store/ folder with bulk-writer findings, by path."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith("store/"):
            continue
        if findings := bulk_writer_findings(path.read_text(encoding="utf-8")):
            found[relative] = findings
    return found


def test_only_the_store_writes_in_bulk():
    found = writers_outside_the_store(KPI_DIR)
    assert {path: [f.split(": ", 1)[1] for f in findings] for path, findings in found.items()} == OTHER_JOBS


def test_the_scan_finds_a_planted_writer_and_bulk_sql(tmp_path):
    root = tmp_path / "kpi"
    (root / "store").mkdir(parents=True)
    (root / "transfer").mkdir()
    (root / "store" / "bulk.py").write_text("def insert_rows(connection, table, names, rows):\n"
                                            "    cursor.executemany(sql, rows)\n")
    (root / "transfer" / "clean.py").write_text("# cursor.executemany(sql, rows) is the store's job\n"
                                                "def run_import():\n    return 'COPYRIGHT'\n")
    (root / "transfer" / "sneaky.py").write_text(
        "class Writer:\n"
        "    def update_rows(self, connection, rows):\n"
        "        connection.exec_driver_sql(\"COPY observation (value) FROM STDIN\")\n"
        "        cursor.executemany('UPDATE observation SET value = ?', rows)\n"
        "serialise_writers = print\n")
    (root / "views.py").write_text("with cursor.copy(sql) as copy:\n    copy.write(text)\n")
    assert writers_outside_the_store(root) == {
        "transfer/sneaky.py": [
            "line 2: defines update_rows",
            'line 3: bulk SQL: connection.exec_driver_sql("COPY observation (value) FROM STDIN")',
            "line 4: bulk SQL: cursor.executemany('UPDATE observation SET value = ?', rows)",
            "line 5: defines serialise_writers",
        ],
        "views.py": ["line 1: bulk SQL: with cursor.copy(sql) as copy:"],
    }


def test_the_writer_has_one_home():
    """The importer and the period validation use the store's writer itself, and no module keeps its old home."""
    from kpi.transfer import approval, importing

    for name in WRITER_NAMES:
        assert getattr(importing, name, None) in (None, getattr(bulk, name))
    assert (approval.insert_rows, approval.update_rows, approval.serialise_writers) == \
        (bulk.insert_rows, bulk.update_rows, bulk.serialise_writers)
    assert importing.StoreBusy is bulk.StoreBusy
    for private in ("_placeholder", "_driver_values", "_copy_text", "_copy", "_is_lock_timeout", "COPY_MIN_ROWS"):
        assert not hasattr(importing, private), private


@pytest.fixture
def schema_engine(empty_engine):
    """An engine on an empty store with the newest schema (SQLite, then PostgreSQL when the run has one)."""
    migrate.upgrade(empty_engine)
    return empty_engine


@pytest.mark.parametrize("copy", [False, True], ids=["statements", "copy"])
def test_bulk_writes_round_trip(schema_engine, monkeypatch, copy):
    """insert_rows, insert_dicts (defaults filled in) and update_rows write exactly what they are given, with
    statements and (PostgreSQL, from COPY_MIN_ROWS rows) with COPY: text that needs escaping, nulls, dates."""
    if copy and schema_engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    monkeypatch.setattr(bulk, "COPY_MIN_ROWS", 1 if copy else 10**9)
    when = dt.datetime(2024, 5, 31, 12, 30, 15)
    logs = [(None, "observation", f"k{i}", "value", None if i % 2 else "tab\there\\back\nline", str(i), "u", when)
            for i in range(5)]
    names = ["batch_id", "table_name", "record_key", "field", "old_value", "new_value", "user", "changed_at"]
    with Session(schema_engine) as session, session.begin():
        bulk.serialise_writers(session)
        connection = session.connection()
        connection.execute(m.Sector.__table__.insert(), [{"code": "ITU-D", "name": "D", "bureau_code": "BDT",
                                                          "bureau": "B"}])
        bulk.insert_rows(connection, m.ChangeLog.__table__, names, logs)
        bulk.insert_dicts(connection, m.Unit.__table__, [{"code": f"U{i}", "name": f"Unit {i}", "sector_code": "ITU-D"}
                                                         for i in range(3)])
        bulk.insert_dicts(connection, m.Risk.__table__, [
            {"code": "R1", "year": 2024, "title": "t", "category": "c", "owner": "GS", "inherent_likelihood": 1,
             "inherent_impact": 2, "residual_likelihood": 3, "residual_impact": 4}])
        bulk.update_rows(connection, m.Unit.__table__, ["name"], [("Renamed 0", "U0"), ("Renamed 2", "U2")])
        bulk.update_rows(connection, m.ChangeLog.__table__, ["new_value", "changed_at"],
                         [("x", dt.datetime(2025, 1, 2, 3, 4, 5), 1)])
    with schema_engine.connect() as connection:
        stored = connection.execute(select(*(m.ChangeLog.__table__.c[n] for n in names)).order_by(m.ChangeLog.id)).all()
        units = connection.execute(select(m.Unit.code, m.Unit.name, m.Unit.sector_code).order_by(m.Unit.code)).all()
        risk = connection.execute(select(m.Risk.code, m.Risk.mitigation, m.Risk.batch_id)).all()
    assert [tuple(r) for r in stored] == [
        (None, "observation", "k0", "value", "tab\there\\back\nline", "x", "u", dt.datetime(2025, 1, 2, 3, 4, 5)),
        *logs[1:]]
    assert [tuple(r) for r in units] == [("U0", "Renamed 0", "ITU-D"), ("U1", "Unit 1", "ITU-D"),
                                         ("U2", "Renamed 2", "ITU-D")]
    assert [tuple(r) for r in risk] == [("R1", "", None)]  # mitigation's default filled in


def test_a_second_writer_is_told_the_store_is_busy(schema_engine, monkeypatch):
    monkeypatch.setattr(bulk, "WRITER_WAIT_SECONDS", 0.3)
    with Session(schema_engine) as first, first.begin():
        bulk.serialise_writers(first)
        with Session(schema_engine) as second, second.begin(), \
                pytest.raises(bulk.StoreBusy, match="^an import is running, try again in a moment$"):
            bulk.serialise_writers(second)
