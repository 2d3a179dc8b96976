"""Stores and files for the tests of imports, exports and access: a factory of fresh stores copied from templates
(SQLite files and PostgreSQL databases), a store's fingerprint, valid files of any size, and small readers of
results. The fixtures built on them (``stores``, ``store``, ``reference_store``) are in ``conftest.py``."""
from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
import shutil
import tempfile
from pathlib import Path

import openpyxl
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from kpi import dimensions as dims
from kpi.bootstrap import initialise
from kpi.config import REFERENCE_DIR
from kpi.store import models as m
from kpi.store.engine import make_engine
from kpi.transfer import KINDS, run_export, run_import
from tests.access_support import writer

PROJECT_DIR = Path(__file__).resolve().parent.parent
POSTGRES_ENV = "RBM_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]
#: Prefix of the PostgreSQL databases these tests create (their own, beside the shared test database).
#: With the process id: two test runs on one PostgreSQL server (a developer's and a helper's) never share one.
PG_PREFIX = f"rbm_test_imports_{os.getpid()}"
USER = "tester"
OBSERVATION_HEADER = "indicator,year,value,sector,region,country,grade,gender,duty_station,flag,note\n"
STAFF_HEADER = "year,staff_key,grade,gender,nationality,duty_station,sector,unit,contract_type\n"
#: Reported (not computed) synthetic indicators, which the reference data holds no values of.
REPORTED = ("D1.AFFORD", "D1.PROJ", "D2.PROG", "D3.REG", "D4.FUNDS", "D5.CIRT", "G2.DIGSKILL", "G2.EGOV",
            "R1.BACKLOG", "R2.FILINGS", "T1.DEVPART", "T1.RECS")


# ---------------------------------------------------------------- stores


def pg_url(database: str) -> str:
    """The test server's URL for ``database`` (read when called: each xdist worker has its own database)."""
    return make_url(os.environ[POSTGRES_ENV]).set(database=database).render_as_string(hide_password=False)


def _pg_admin(*statements: str) -> None:
    engine = create_engine(os.environ[POSTGRES_ENV], isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for sql in statements:
                connection.exec_driver_sql(sql)
    finally:
        engine.dispose()


def reset_postgres(url: str) -> None:
    """Drop everything in the test database so each test starts from an empty store."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class Stores:
    """Fresh stores for tests, copied from templates built once per session."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="rbm_imports_"))
        self.templates: dict[tuple[str, str], str] = {}
        self.counter = itertools.count(1)

    def _template(self, backend: str, content: str) -> str:
        if (backend, content) not in self.templates:
            if backend == "sqlite":
                name = str(self.directory / f"template_{content}.sqlite")
                url = f"sqlite:///{name}"
            else:
                name = f"{PG_PREFIX}_template_{content}"
                _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
                url = pg_url(name)
            engine = make_engine(url)
            initialise(engine, demo=content == "demo")
            engine.dispose()
            self.templates[(backend, content)] = name
        return self.templates[(backend, content)]

    def new(self, backend: str, content: str = "reference") -> Engine:
        """An engine on a new store holding the reference data (or the demo data)."""
        template = self._template(backend, content)
        n = next(self.counter)
        if backend == "sqlite":
            path = self.directory / f"store_{n}.sqlite"
            shutil.copyfile(template, path)
            return make_engine(f"sqlite:///{path}")
        name = f"{PG_PREFIX}_{n}"
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name} TEMPLATE {template}")
        return make_engine(pg_url(name))

    def drop(self, engine: Engine) -> None:
        engine.dispose()
        if engine.dialect.name == "postgresql":
            _pg_admin(f"DROP DATABASE IF EXISTS {engine.url.database} WITH (FORCE)")
        else:
            Path(engine.url.database).unlink(missing_ok=True)


    def close(self) -> None:
        """Drop the template databases and files."""
        for (backend, _), name in self.templates.items():
            if backend == "postgresql":
                _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(self.directory, ignore_errors=True)


def fingerprint(engine: Engine) -> str:
    """SQLite: a digest of the database file's bytes; PostgreSQL: of every row of every table."""
    digest = hashlib.sha256()
    if engine.dialect.name == "sqlite":
        engine.dispose()  # closing the last connection checkpoints the WAL into the file
        assert not Path(engine.url.database + "-wal").exists()
        digest.update(Path(engine.url.database).read_bytes())
        return digest.hexdigest()
    with engine.connect() as connection:
        for table in m.Base.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(f"{table.name}:{rows!r}".encode())
    return digest.hexdigest()


def count(engine: Engine, model, *where) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


# ---------------------------------------------------------------- file makers


def _countries() -> list[str]:
    with (REFERENCE_DIR / "country_regions.csv").open(encoding="utf-8") as fh:
        return sorted(r["iso3"] for r in csv.DictReader(fh))


def observations_csv(n: int, *, years=range(1995, 2026), offset: float = 0.0) -> bytes:
    """``n`` distinct, valid observation rows of the reported indicators, by country and gender."""
    out = io.StringIO()
    out.write(OBSERVATION_HEADER)
    writer = csv.writer(out, lineterminator="\n")
    cells = itertools.product(("", "F", "M"), REPORTED, years, _countries())
    for i, (gender, indicator, year, country) in enumerate(itertools.islice(cells, n)):
        writer.writerow([indicator, year, (i % 1000) / 10 + offset, "", "", country, "", gender, "", "", ""])
    return out.getvalue().encode()


def staff_csv(n: int, *, per_year: int = 4000) -> bytes:
    """``n`` valid staff-year rows: ``per_year`` people a year from 2000."""
    with (REFERENCE_DIR / "units.csv").open(encoding="utf-8") as fh:
        units = list(csv.DictReader(fh))
    with (REFERENCE_DIR / "duty_stations.csv").open(encoding="utf-8") as fh:
        stations = [r["code"] for r in csv.DictReader(fh)]
    countries = _countries()
    grades = ("G4", "G5", "G6", "P2", "P3", "P4", "P5", "D1")
    out = io.StringIO()
    out.write(STAFF_HEADER)
    writer = csv.writer(out, lineterminator="\n")
    for i in range(n):
        year, k = 2000 + i // per_year, i % per_year
        unit = units[k % len(units)]
        writer.writerow([year, f"T{k:07d}", grades[k % len(grades)], "FM"[k % 2], countries[k % len(countries)],
                         stations[k % len(stations)], unit["sector_code"], unit["code"],
                         dims.CONTRACT_TYPES[k % len(dims.CONTRACT_TYPES)]])
    return out.getvalue().encode()


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with one sheet per entry (rows of cell values; strings starting "=" are formulas)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _obs(*rows: str) -> bytes:
    return (OBSERVATION_HEADER + "".join(r + "\n" for r in rows)).encode()


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def required_kinds(kind: str) -> list[str]:
    """The kinds whose records ``kind``'s rows name, directly or not, in the order of the registry."""
    needed, todo = set(), list(KINDS[kind].requires)
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo.extend(KINDS[name].requires)
    return [k for k in KINDS if k in needed]


def load_required(source, target, kind: str, directory) -> None:
    """Copy the records ``kind`` requires from store ``source`` to store ``target`` (by export and import)."""
    for name in required_kinds(kind):
        path = directory / f"required_{name}.csv"
        run_export(source, name, path, actor=writer(USER))
        loaded = run_import(target, name, path, actor=writer(USER))
        assert (name, messages(loaded)) == (name, [])


def raw_headers(at: AppTest) -> list[str]:
    """Column headers of the page's tables that show a raw field name (no label set, and the name has a "_")."""
    raw = []
    for table in at.dataframe:
        config = json.loads(table.proto.columns or "{}")
        raw += [c for c in table.value.columns if not (config.get(c) or {}).get("label") and "_" in c]
    return raw
