"""The year the pages open on (RBM_REPORTING_YEAR) and the years a reader may choose: a year's values imported
before the reporting year moves on can be looked at, and a site moves the reporting year without a code change."""
from __future__ import annotations

import dataclasses
import subprocess
import sys

import polars as pl
import pytest

from kpi.config import LATEST_REPORTING_YEAR, REPORTING_YEAR_ENV, YEAR_RANGE, reporting_year
from kpi.store.engine import make_engine
from kpi.store.frames import load_results
from tests.access_support import open_page
from tests.store_support import PROJECT_DIR
from ui.filters import year_choices
from ui.processes import free_port, start_dashboard


def test_the_reporting_year_is_the_configured_one_or_the_demo_default(monkeypatch):
    monkeypatch.delenv(REPORTING_YEAR_ENV, raising=False)
    assert reporting_year() == LATEST_REPORTING_YEAR == 2025
    monkeypatch.setenv(REPORTING_YEAR_ENV, "2026")
    assert reporting_year() == 2026


@pytest.mark.parametrize("value", ["next year", "2026.5", "1999", "2031", "-2025"])
def test_a_reporting_year_that_is_not_a_year_is_refused_clearly(monkeypatch, value):
    monkeypatch.setenv(REPORTING_YEAR_ENV, value)
    with pytest.raises(ValueError) as caught:
        reporting_year()
    assert str(caught.value) == f"RBM_REPORTING_YEAR={value!r} is not a year from 2000 to 2030"


@pytest.fixture(scope="module")
def results(demo_store_url):
    engine = make_engine(demo_store_url)
    try:
        return load_results(engine)
    finally:
        engine.dispose()


def _with_last_year(results, year: int | None):
    """The results with their observations ending in ``year`` (None: no observation at all)."""
    observations = results.observations.clear() if year is None else pl.concat([
        results.observations, results.observations.head(1).with_columns(pl.lit(year, pl.Int64).alias("year"))])
    return dataclasses.replace(results, observations=observations)


def test_the_year_filter_offers_a_later_year_once_its_values_are_in_the_store(results):
    assert year_choices(results, 2025)[:3] == [2025, 2024, 2023]
    assert year_choices(results, 2025)[-1] == YEAR_RANGE[0]
    assert year_choices(_with_last_year(results, 2027), 2025)[:4] == [2027, 2026, 2025, 2024]
    assert year_choices(_with_last_year(results, 2040), 2025)[0] == YEAR_RANGE[1]  # a typo's year stays out
    assert year_choices(_with_last_year(results, None), 2025)[0] == 2025
    assert year_choices(results, 2027)[0] == 2027  # a reporting year past the data is offered all the same


def test_every_page_opens_on_the_configured_reporting_year(demo_env, monkeypatch):
    monkeypatch.setenv(REPORTING_YEAR_ENV, "2023")
    at = open_page("pages/scorecard.py")
    year = at.sidebar.selectbox(key="year")
    assert (year.value, year.options[:3]) == (2023, ["2025", "2024", "2023"])
    assert any("status as of 2023" in c.value for c in at.caption)


def test_the_deck_command_defaults_to_the_reporting_year(demo_env):
    env = {"RBM_REPORTING_YEAR": "2024", "PATH": "/usr/bin:/bin"}
    text = subprocess.run([sys.executable, "-m", "kpi", "export-deck", "--help"], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, check=True).stdout
    assert "status as of (default 2024, the reporting year)" in " ".join(text.split())


def test_a_bad_reporting_year_stops_only_the_deck_with_a_clear_message(demo_env, tmp_path):
    """The setting is read where it is used: a typo must not turn every command into a traceback."""
    env = {"RBM_REPORTING_YEAR": "twenty", "PATH": "/usr/bin:/bin", "RBM_DATABASE_URL": demo_env}
    help_run = subprocess.run([sys.executable, "-m", "kpi", "--help"], cwd=PROJECT_DIR, env=env,
                              capture_output=True, text=True)
    deck = subprocess.run([sys.executable, "-m", "kpi", "export-deck", "--out", str(tmp_path / "deck.pdf")],
                          cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    assert (help_run.returncode, deck.returncode, deck.stderr) == (
        0, 2, "error: RBM_REPORTING_YEAR='twenty' is not a year from 2000 to 2030\n")
    assert not (tmp_path / "deck.pdf").exists()


def test_a_server_with_a_bad_setting_does_not_start_and_says_why(tmp_path):
    for name, value, message in (
            ("RBM_REPORTING_YEAR", "20255", "RBM_REPORTING_YEAR='20255' is not a year from 2000 to 2030"),
            ("RBM_TODAY", "31/12/2025", "RBM_TODAY='31/12/2025' is not a date (expected YYYY-MM-DD)")):
        env = {name: value, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RBM_DEMO_SIGN_IN": "0"}
        server = start_dashboard(free_port(), env, output=subprocess.PIPE)
        output, _ = server.communicate(timeout=120)
        assert (server.returncode, output.decode()) == (2, f"error: {message}\n")
