"""Reference data: population-weighted aggregates with coverage, real observations as loaded."""
from __future__ import annotations

import csv

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import text

from kpi import reference
from kpi.bootstrap import initialise
from kpi.store.engine import make_engine


def test_weighted_aggregate_weights_by_population_and_reports_coverage():
    frame = pl.DataFrame({
        "g": ["x", "x", "x", "y", "y"],
        "population": [100, 300, 100, 10, 90],
        "value": [10.0, 50.0, None, 20.0, None],
    })
    # x: (10*100 + 50*300) / 400 = 40.0, covering 400 of 500 people = 80 %
    # y: only 10 of 100 people report (10 %), below the 50 % minimum: not shown
    expected = pl.DataFrame({"g": ["x"], "value": [40.0], "coverage_pct": [80.0]})
    assert_frame_equal(reference.weighted_aggregate(frame, ["g"]), expected)


def _world_internet_from_csv(year: int) -> float:
    """The same aggregate computed independently with the csv module."""
    num = den = 0.0
    with reference.CONNECTIVITY_FILE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if int(row["year"]) == year and row["internet_users_pct"] and row["population"]:
                num += float(row["internet_users_pct"]) * float(row["population"])
                den += float(row["population"])
    return round(num / den, 4)


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.sqlite'}")
    initialise(engine, demo=False)
    yield engine
    engine.dispose()


def test_world_internet_use_matches_an_independent_computation(reference_store):
    with reference_store.connect() as c:
        rows = c.execute(text(
            "SELECT o.year, o.value FROM observation o JOIN indicator i ON i.id = o.indicator_id "
            "WHERE i.code = 'G1.INET' AND o.disaggregation = '' AND o.year IN (2010, 2019)")).all()
    assert dict(rows) == {2010: _world_internet_from_csv(2010), 2019: _world_internet_from_csv(2019)}


def test_real_observations_carry_regions_countries_and_attribution(reference_store):
    with reference_store.connect() as c:
        regions = c.execute(text(
            "SELECT DISTINCT o.region FROM observation o JOIN indicator i ON i.id = o.indicator_id "
            "WHERE i.code = 'G1.INET' AND o.region IS NOT NULL ORDER BY 1")).scalars().all()
        countries = c.execute(text(
            "SELECT COUNT(DISTINCT o.country) FROM observation o JOIN indicator i ON i.id = o.indicator_id "
            "WHERE i.code = 'G1.INET'")).scalar()
        attribution = c.execute(text("SELECT DISTINCT attribution FROM indicator WHERE NOT is_synthetic")).scalars().all()
        thin_year = c.execute(text(
            "SELECT COUNT(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id "
            "WHERE i.code = 'G1.INET' AND o.disaggregation = '' AND o.year = 2024")).scalar()
    assert regions == ["AFR", "AMS", "ARB", "ASP", "CIS", "EUR"]
    with reference.CONNECTIVITY_FILE.open(encoding="utf-8") as fh:
        reporting = {row["iso3"] for row in csv.DictReader(fh) if row["internet_users_pct"]}
    assert countries == len(reporting) == 208
    assert attribution == [reference.CONNECTIVITY_ATTRIBUTION]
    # 2024 is sparse in the source: the reporting countries cover under half the world, so no world value.
    assert thin_year == 0
