"""The data management page: upload with a preview, all-or-nothing import, problems shown in full."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from kpi.bootstrap import initialise
from kpi.store import columnar
from kpi.store.frames import data_version
from kpi.store.engine import make_engine
from tests.access_support import sign_in
from ui.demo_provider import grant_demo_roles

APP = str(Path(__file__).resolve().parent.parent / "app.py")
GOOD = b"indicator,year,value,sector,region,country,grade,gender,duty_station,flag,note\nD1.PROJ,2026,77.5,,,,,,,estimate,Q3\n"
BAD = b"indicator,year,value,sector,region,country,grade,gender,duty_station,flag,note\nD1.PROJ,2026,140,,,,,,,,\n"


@pytest.fixture
def fresh_store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine = make_engine(url)
    initialise(engine, demo=True)
    grant_demo_roles(url)
    monkeypatch.setenv("RBM_DATABASE_URL", url)
    yield engine
    engine.dispose()


def d1_proj_2026(engine) -> list[tuple]:
    with engine.connect() as c:
        return c.execute(text("SELECT o.value, o.flag, o.approval FROM observation o JOIN indicator i "
                              "ON i.id = o.indicator_id WHERE i.code = 'D1.PROJ' AND o.year = 2026 "
                              "AND o.disaggregation = ''")).all()


def open_import(kind: str = "observations", user: str = "steward@demo.invalid") -> AppTest:
    at = sign_in(AppTest.from_file(APP, default_timeout=120), user)
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    at.selectbox(key="import-kind").set_value(kind).run()
    return at


def test_upload_previews_then_imports(fresh_store):
    at = open_import()
    at.file_uploader(key="import-file").set_value(("values.csv", GOOD, "text/csv")).run()
    assert [e.value for e in at.exception] == []
    assert [i.value for i in at.info] == ["Preview of values.csv (1 rows): would add 1, change 0, leave 0 unchanged."]
    assert d1_proj_2026(fresh_store) == []  # a preview writes nothing
    at.button(key="import-now").click().run()
    assert [s.value for s in at.success][-1].startswith("values.csv: added 1, changed 0, left 0 unchanged (batch ")
    assert d1_proj_2026(fresh_store) == [(77.5, "estimate", "provisional")]
    with fresh_store.connect() as c:  # the verified identity, not a typed name
        assert c.execute(text("SELECT \"user\" FROM import_batch ORDER BY id DESC LIMIT 1")).scalar() == (
            "steward@demo.invalid")


@pytest.mark.slow
def test_an_import_prepares_the_workforce_records_of_the_new_version(fresh_store, tmp_path, monkeypatch):
    """After an import, the next visitor of a workforce page (on any server) finds the new data version's
    records prepared: the import starts it in the background and leaves their columnar copy."""
    monkeypatch.setenv(columnar.CACHE_DIR_ENV, str(tmp_path / "cache"))
    at = open_import()
    at.file_uploader(key="import-file").set_value(("values.csv", GOOD, "text/csv")).run()
    at.button(key="import-now").click().run()
    warming = [t for t in threading.enumerate() if t.name == "warm-workforce-frames"]
    assert warming  # started by the import
    for thread in warming:
        thread.join(timeout=120)
    version = data_version(fresh_store)
    cache = tmp_path / "cache"
    assert [p.name.split("-")[2] for p in cache.glob("workforce-*")] == [f"v{version}"]
    # ... and every workforce page's default view protected and kept, for any server to read.
    from kpi import workforce as wf
    from kpi.config import YEARS_SHOWN
    from kpi.workforce_pages import PAGES, kept_views, load_records

    records = load_records(fresh_store)
    kept = kept_views(records)
    years = [y for y in wf.staff_years(records.staff) if YEARS_SHOWN[0] <= y <= YEARS_SHOWN[1]]
    assert sorted(p.name for p in cache.glob("views-*")) == [kept.folder.name]
    assert sorted(p.name for p in kept.folder.iterdir()) == sorted(
        kept.path((page, year, wf.Selection(), True)).name for page in PAGES for year in years)


def test_a_bad_file_shows_every_problem_and_changes_nothing(fresh_store):
    at = open_import()
    at.file_uploader(key="import-file").set_value(("bad.csv", BAD, "text/csv")).run()
    assert [e.value for e in at.exception] == []
    assert [e.value for e in at.error] == ["bad.csv: 1 problem found: nothing was imported"]
    problems = at.dataframe[0].value
    assert problems.to_dict("records") == [{
        "file": "bad.csv", "row": 2, "column": "value", "found": "140",
        "expected": "a percentage between 0 and 100 (D1.PROJ is in %)",
    }]
    assert d1_proj_2026(fresh_store) == []
