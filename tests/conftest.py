"""Shared fixtures: real SQLite files, the real PostgreSQL server of `make test`, a demo store."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kpi.bootstrap import initialise
from kpi.store.engine import make_engine
# BACKENDS: `make test` always sets the PostgreSQL URL (and fails if it cannot start the server); a bare `pytest`
# on a machine without PostgreSQL runs the SQLite half only.
from tests.store_support import BACKENDS, POSTGRES_ENV, Stores, reset_postgres
from ui.demo_provider import grant_demo_roles

# The columnar copies of the frames (kpi.store.columnar) go to a folder of this run, for the servers it starts
# too: a test never reads a copy an earlier run left.
os.environ.setdefault("RBM_FRAME_CACHE_DIR", tempfile.mkdtemp(prefix="rbm-frame-cache-"))
PROJECT_DIR = Path(__file__).resolve().parent.parent


def _worker_database() -> None:
    """Under pytest-xdist (``make test`` runs two workers), give each worker its own PostgreSQL database, made
    beside the test database, so that one worker's emptied store is never another's: ``rbm_test_gw0``..."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get(POSTGRES_ENV)
    if not worker or not url:
        return
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    os.environ[POSTGRES_ENV] = parsed.set(database=name).render_as_string(hide_password=False)


_worker_database()


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> str:
    """The URL of an empty store: a new SQLite file, or the emptied PostgreSQL test database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    url = os.environ[POSTGRES_ENV]
    reset_postgres(url)
    return url


@pytest.fixture
def empty_engine(store_url):
    """An engine on an empty store (schema not yet created)."""
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_store_url(tmp_path_factory) -> str:
    """A SQLite store with reference and demo data, built once per test session."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    initialise(engine, demo=True)
    grant_demo_roles(url)
    engine.dispose()
    return url


@pytest.fixture
def demo_env(demo_store_url, monkeypatch) -> str:
    """Point RBM_DATABASE_URL at the demo store (for the app and the command line)."""
    monkeypatch.setenv("RBM_DATABASE_URL", demo_store_url)
    return demo_store_url


@pytest.fixture(autouse=True, scope="session")
def _navigation_app_not_pages_folder():
    """Treat app.py as the st.navigation app it is, in AppTest as in ui.serve.

    AppTest resets ``PagesManager.uses_pages_directory`` before every run, and with a ``pages/``
    folder beside app.py it then reruns the current page file on its own (the old multipage
    mode): app.py's sidebar filters would not run on the second run of a test. Setting the flag
    after each PagesManager is made restores what a real server does once app.py has run.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    yield
    PagesManager.__init__ = original


@pytest.fixture(scope="session")
def server(demo_store_url):
    """The running app (``python -m ui.serve``) on the demo store, shared by the browser tests."""
    from tests.browser_support import streamlit_server

    with streamlit_server(demo_store_url) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, shared by the browser tests."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def demo_workforce_frames(demo_store_url) -> dict:
    """The demo store's workforce records and reference tables (kpi.store.frames.load_workforce)."""
    from kpi.store.frames import load_workforce

    engine = make_engine(demo_store_url)
    frames = load_workforce(engine)
    engine.dispose()
    return frames


@pytest.fixture(scope="session")
def demo_records(demo_store_url):
    """The demo store's workforce records as the pages use them (kpi.workforce_pages.load_records)."""
    from kpi.workforce_pages import load_records

    engine = make_engine(demo_store_url)
    records = load_records(engine)
    engine.dispose()
    return records


@pytest.fixture(scope="session")
def demo_protector(demo_records):
    """The workforce pages of the demo store as kpi.workforce_pages protects them (shared: its cache too, and
    the views it keeps on disk, which the pages and servers of the run read as a server reads another's)."""
    from kpi.workforce_pages import PageProtector, kept_views

    return PageProtector(demo_records, kept=kept_views(demo_records))


@pytest.fixture(scope="session")
def demo_staff(demo_workforce_frames):
    """The demo store's staff-years, prepared as the workforce pages use them."""
    from kpi import workforce as wf

    f = demo_workforce_frames
    return wf.prepare_staff(f["staff"], f["training"], f["courses"], f["duty_stations"], f["countries"])


# ---------------------------------------------------------------- stores copied from templates (tests.store_support)


@pytest.fixture(scope="session")
def stores():
    """The session's store factory: fresh stores copied from templates built once (tests.store_support.Stores)."""
    factory = Stores()
    yield factory
    factory.close()


@pytest.fixture(params=BACKENDS)
def store(request, stores):
    """A new store with the reference data, on each backend."""
    engine = stores.new(request.param)
    yield engine
    stores.drop(engine)


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory):
    """A SQLite store with the reference data only (no demo data), for a module's read-only tests."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.sqlite'}")
    initialise(engine, demo=False)
    yield engine
    engine.dispose()
