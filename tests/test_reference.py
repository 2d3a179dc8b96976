"""Reference data: population-weighted aggregates over all countries, real observations as loaded."""
from __future__ import annotations

import csv

import pytest
from sqlalchemy import text

from kpi import connectivity, reference
from kpi.bootstrap import initialise
from kpi.store.engine import make_engine


def _world_internet_from_csv(year: int) -> float:
    """The world aggregate computed independently with the csv module, by the method of kpi.connectivity.

    Each country's value for ``year``: its report; else linear between the reports around the year; else its
    last report if at most CARRY_FORWARD_YEARS years old; else none. Its population: the latest known.
    """
    values: dict[str, dict[int, float]] = {}
    population: dict[str, dict[int, float]] = {}
    with reference.CONNECTIVITY_FILE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["internet_users_pct"]:
                values.setdefault(row["iso3"], {})[int(row["year"])] = float(row["internet_users_pct"])
            if row["population"]:
                population.setdefault(row["iso3"], {})[int(row["year"])] = float(row["population"])
    num = den = 0.0
    for iso3, series in values.items():
        before = [y for y in series if y <= year]
        after = [y for y in series if y >= year]
        known_pop = [y for y in population.get(iso3, {}) if y <= year]
        if not before or not known_pop:
            continue  # nothing before the first report, nor without a population
        prev = max(before)
        if after:
            nxt = min(after)
            value = series[prev] if nxt == prev else (
                series[prev] + (series[nxt] - series[prev]) * (year - prev) / (nxt - prev))
        elif year - prev <= connectivity.CARRY_FORWARD_YEARS:
            value = series[prev]
        else:
            continue
        pop = population[iso3][max(known_pop)]
        num += value * pop
        den += pop
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
            "WHERE i.code = 'G1.INET' AND o.disaggregation = '' AND o.year IN (2010, 2019, 2021, 2023)")).all()
    # 2021 has India interpolated between 2020 and 2022, 2023 India's 2022 value carried forward.
    assert dict(rows) == pytest.approx({y: _world_internet_from_csv(y) for y in (2010, 2019, 2021, 2023)}, abs=1e-4)


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
        groups = c.execute(text(
            "SELECT DISTINCT COALESCE(o.income_group, o.country_group) FROM observation o JOIN indicator i "
            "ON i.id = o.indicator_id WHERE i.code = 'G1.INET' AND o.disaggregation LIKE '%group=%' "
            "ORDER BY 1")).scalars().all()
    assert regions == ["AFR", "AMS", "ARB", "ASP", "CIS", "EUR"]
    assert groups == sorted(["HIC", "UMC", "LMC", "LIC", "LDC"])
    with reference.CONNECTIVITY_FILE.open(encoding="utf-8") as fh:
        reporting = {row["iso3"] for row in csv.DictReader(fh) if row["internet_users_pct"]}
    assert countries == len(reporting) == 208
    assert attribution == [reference.CONNECTIVITY_ATTRIBUTION]
    # 2024 is sparse in the source: the reporting countries cover under half the world, so no world value.
    assert thin_year == 0
