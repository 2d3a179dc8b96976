"""Reference data: population-weighted aggregates over all countries, real observations as loaded."""
from __future__ import annotations

import csv

import pytest
from sqlalchemy import text

from kpi import connectivity, reference


def _internet_from_csv() -> tuple[dict[str, dict[int, float]], dict[str, dict[int, float]]]:
    """Each country's reported Internet use and population by year, read with the csv module."""
    values: dict[str, dict[int, float]] = {}
    population: dict[str, dict[int, float]] = {}
    with reference.CONNECTIVITY_FILE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["internet_users_pct"]:
                values.setdefault(row["iso3"], {})[int(row["year"])] = float(row["internet_users_pct"])
            if row["population"]:
                population.setdefault(row["iso3"], {})[int(row["year"])] = float(row["population"])
    return values, population


def _own_value(series: dict[int, float], year: int) -> float | None:
    """A country's report for ``year``; else linear between the reports around it; else its last report if
    at most CARRY_FORWARD_YEARS years old; else none."""
    before = [y for y in series if y <= year]
    after = [y for y in series if y >= year]
    if not before:
        return None
    prev = max(before)
    if after:
        nxt = min(after)
        return series[prev] if nxt == prev else series[prev] + (series[nxt] - series[prev]) * (year - prev) / (nxt - prev)
    return series[prev] if year - prev <= connectivity.CARRY_FORWARD_YEARS else None


def _world_internet_from_csv(year: int) -> float:
    """The world aggregate computed independently with the csv module, by the method of kpi.connectivity.

    A country's own value (:func:`_own_value`), or past the carry limit its last carried value moved by its
    ITU-D region's mean change each year (the world's where it has no region), within 0-100; its population
    is the latest known.
    """
    values, population = _internet_from_csv()
    with (reference.REFERENCE_DIR / "country_regions.csv").open(encoding="utf-8") as fh:
        region_of = {r["iso3"]: r["itu_d_region"] or None for r in csv.DictReader(fh)}

    def pop(iso3: str, y: int) -> float | None:
        known = [k for k in population.get(iso3, {}) if k <= y]
        return population[iso3][max(known)] if known else None

    def change(y: int, region: str | None) -> float:
        """The population-weighted mean change y-1 -> y of the countries with their own value in both years."""
        num = den = 0.0
        for iso3, series in values.items():
            now, before, weight = _own_value(series, y), _own_value(series, y - 1), pop(iso3, y)
            if now is None or before is None or weight is None or (region and region_of.get(iso3) != region):
                continue
            num, den = num + (now - before) * weight, den + weight
        return num / den if den else (change(y, None) if region else 0.0)

    num = den = 0.0
    for iso3, series in values.items():
        weight = pop(iso3, year)
        if weight is None or not [y for y in series if y <= year]:
            continue  # nothing before the first report, nor without a population
        value = _own_value(series, year)
        if value is None:  # past the carry limit: moved with the region from the last carried year
            anchor = max(series) + connectivity.CARRY_FORWARD_YEARS
            value = series[max(series)] + sum(change(y, region_of.get(iso3)) for y in range(anchor + 1, year + 1))
            value = min(max(value, 0.0), 100.0)
        num, den = num + value * weight, den + weight
    return round(num / den, 4)


def test_world_internet_use_matches_an_independent_computation(reference_store):
    with reference_store.connect() as c:
        rows = c.execute(text(
            "SELECT o.year, o.value FROM observation o JOIN indicator i ON i.id = o.indicator_id "
            "WHERE i.code = 'G1.INET' AND o.disaggregation = '' AND o.year IN (2010, 2019, 2021, 2023)")).all()
    # 2021 has India interpolated between 2020 and 2022, 2023 India's 2022 value carried forward, and in each
    # year the countries whose last report is over 3 years old move with their region.
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
