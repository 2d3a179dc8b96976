"""Reference data, real where it exists: organisation, countries, framework and connectivity data.

Everything here is read from the project's own ``data/`` folder (copied from public sources, see
``data/reference/SOURCES.md``). The country ICT indicators are real observations: by country, and
aggregated to ITU-D regions, LDCs and the world, weighted by population over the reporting
countries, with the share of the population those countries cover.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import polars as pl
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kpi import dimensions as dims
from kpi.config import DATA_DIR, REFERENCE_DIR
from kpi.store import models as m
from kpi.store.upsert import upsert

FRAMEWORK_DIR = DATA_DIR / "framework"
CONNECTIVITY_FILE = REFERENCE_DIR / "ict_indicators_by_country_2000_2024_gapminder.csv"
#: Shown wherever the real connectivity data is shown (CC BY 4.0 asks for it).
CONNECTIVITY_ATTRIBUTION = "ITU via World Bank WDI, compiled by Gapminder (CC BY 4.0)"
#: Columns of the connectivity file feeding each real indicator (by code suffix).
CONNECTIVITY_COLUMNS = {
    "INET": "internet_users_pct",
    "FBB": "fixed_broadband_subs_per_100",
    "MOB": "mobile_cellular_subs_per_100",
}
#: Aggregates are shown only where the reporting countries cover at least this share of the population.
MIN_COVERAGE_PCT = 50.0
REFERENCE_USER = "reference-loader"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _blank_to_none(value: str) -> str | None:
    return value if value not in ("", None) else None


def _float_or_none(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def reference_checksum() -> str:
    """A checksum over every reference and framework file: it changes when any of them does."""
    digest = hashlib.sha256()
    for path in sorted([*REFERENCE_DIR.glob("*.csv"), *FRAMEWORK_DIR.glob("*.csv")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_dimensions(session: Session) -> None:
    """Sectors, regions, grades, countries, duty stations and units."""
    upsert(session, m.Sector, [
        {"code": s.code, "name": s.name, "bureau_code": s.bureau_code, "bureau": s.bureau} for s in dims.SECTORS
    ], ["code"])
    upsert(session, m.ItuDRegion, [{"code": c, "name": n} for c, n in dims.ITU_D_REGIONS.items()], ["code"])
    upsert(session, m.AdminRegion, [{"code": c, "name": n} for c, n in dims.ADMIN_REGIONS.items()], ["code"])
    upsert(session, m.Grade, [{"code": g.code, "category": g.category, "rank": g.rank} for g in dims.GRADES], ["code"])
    ldc_income = {
        r["iso3"]: (r["un_ldc"] == "yes", r["income_group"]) for r in _read_csv(CONNECTIVITY_FILE)
    }
    upsert(session, m.Country, [
        {
            "iso3": r["iso3"], "name": r["name"], "itu_d_region": r["itu_d_region"],
            "admin_region": r["admin_region"], "un_sdg_region": r["un_sdg_region"],
            "is_member_state": r["is_member_state"] == "yes",
            "ldc": ldc_income.get(r["iso3"], (False, ""))[0],
            "income_group": ldc_income.get(r["iso3"], (False, ""))[1],
        }
        for r in _read_csv(REFERENCE_DIR / "country_regions.csv")
    ], ["iso3"])
    upsert(session, m.DutyStation, [
        {"code": r["code"], "name": r["name"], "country_iso3": r["country_iso3"], "kind": r["kind"],
         "itu_d_region": _blank_to_none(r["itu_d_region"])}
        for r in _read_csv(REFERENCE_DIR / "duty_stations.csv")
    ], ["code"])
    upsert(session, m.Unit, _read_csv(REFERENCE_DIR / "units.csv"), ["code"])


def load_framework(session: Session) -> None:
    """Plan cycles, framework nodes, indicators (reference sheets) and published targets."""
    upsert(session, m.PlanCycle, [
        {**r, "start_year": int(r["start_year"]), "end_year": int(r["end_year"])}
        for r in _read_csv(FRAMEWORK_DIR / "cycles.csv")
    ], ["code"])
    node_rows = _read_csv(FRAMEWORK_DIR / "nodes.csv")
    # Parents first: a node's parent must have an id before the child can point at it.
    for order, r in enumerate(node_rows):
        parent_id = None
        if r["parent"]:
            parent_id = session.scalar(select(m.FrameworkNode.id).where(
                m.FrameworkNode.cycle_code == r["cycle"], m.FrameworkNode.code == r["parent"]))
        upsert(session, m.FrameworkNode, [{
            "cycle_code": r["cycle"], "code": r["code"], "kind": r["kind"], "parent_id": parent_id,
            "owner": r["owner"], "name": r["name"], "statement": r["statement"], "sort_order": order,
            "is_illustrative": r["is_illustrative"] == "yes", "source": r["source"],
        }], ["cycle_code", "code"])
    node_ids = {(n.cycle_code, n.code): n.id for n in session.scalars(select(m.FrameworkNode))}
    indicator_rows = []
    for order, r in enumerate(_read_csv(FRAMEWORK_DIR / "indicators.csv")):
        synthetic = r["is_synthetic"] == "yes"
        indicator_rows.append({
            "code": r["code"], "node_id": node_ids[(r["cycle"], r["node"])], "name": r["name"],
            "definition": r["definition"], "unit": r["unit"], "direction": r["direction"],
            "aggregation": r["aggregation"], "lower_limit": _float_or_none(r["lower_limit"]),
            "upper_limit": _float_or_none(r["upper_limit"]), "source": r["source"],
            "frequency": r["frequency"], "owner": r["owner"],
            "baseline_year": int(r["baseline_year"]) if r["baseline_year"] else None,
            "baseline_value": _float_or_none(r["baseline_value"]), "computed_from": r["computed_from"],
            "is_synthetic": synthetic, "attribution": "" if synthetic else CONNECTIVITY_ATTRIBUTION,
            "sort_order": order,
        })
    upsert(session, m.Indicator, indicator_rows, ["code"])
    indicator_ids = dict(session.execute(select(m.Indicator.code, m.Indicator.id)).all())
    upsert(session, m.IndicatorTarget, [
        {"indicator_id": indicator_ids[r["indicator"]], "year": int(r["year"]), "value": float(r["value"]),
         "source": r["source"]}
        for r in _read_csv(FRAMEWORK_DIR / "targets.csv")
    ], ["indicator_id", "year"])


def connectivity_frame() -> pl.DataFrame:
    """The country ICT indicators joined with each country's ITU-D region, long format.

    Columns: iso3, year, population, ldc, itu_d_region, measure (INET/FBB/MOB), value.
    """
    raw = pl.read_csv(CONNECTIVITY_FILE, infer_schema_length=None)
    regions = pl.read_csv(REFERENCE_DIR / "country_regions.csv").select("iso3", "itu_d_region")
    long = raw.join(regions, on="iso3", how="left").unpivot(
        index=["iso3", "year", "population", "un_ldc", "itu_d_region"],
        on=list(CONNECTIVITY_COLUMNS.values()), variable_name="column", value_name="value",
    )
    measure_of = {col: measure for measure, col in CONNECTIVITY_COLUMNS.items()}
    return _complete_grid(long).with_columns(
        pl.col("column").replace_strict(measure_of).alias("measure"),
        (pl.col("un_ldc") == "yes").alias("ldc"),
    ).drop("column", "un_ldc")


def _complete_grid(long: pl.DataFrame) -> pl.DataFrame:
    """Every country in every year, so that coverage is measured against the whole population.

    The source thins out in its last year (2024 has few countries); a country missing from a
    year keeps its latest known population and an empty value, so it counts as not reporting.
    """
    keys = long.select("iso3", "itu_d_region", "un_ldc").unique()
    grid = keys.join(long.select("year").unique(), how="cross").join(
        long.select("column").unique(), how="cross")
    full = grid.join(long, on=["iso3", "itu_d_region", "un_ldc", "year", "column"], how="left")
    return full.sort("iso3", "column", "year").with_columns(
        pl.col("population").forward_fill().over("iso3", "column")
    )


def weighted_aggregate(frame: pl.DataFrame, group: list[str]) -> pl.DataFrame:
    """Population-weighted mean of ``value`` by ``group`` with the population coverage in %.

    A regional percentage must be weighted by population, and must say how much of the
    population the reporting countries cover (about 80 % of the world in 2023 for Internet use).
    """
    return (
        frame.group_by(group)
        .agg(
            ((pl.col("value") * pl.col("population")).filter(pl.col("value").is_not_null()).sum()
             / pl.col("population").filter(pl.col("value").is_not_null()).sum()).alias("value"),
            (pl.col("population").filter(pl.col("value").is_not_null()).sum()
             / pl.col("population").sum() * 100).alias("coverage_pct"),
        )
        .filter(pl.col("coverage_pct") >= MIN_COVERAGE_PCT)
        .sort(group)
    )


def _observation_rows(indicator_id: int, frame: pl.DataFrame, level: str) -> list[dict]:
    """Observation rows for ``level`` "headline" (world or LDC aggregate), "region" or "country"."""
    rows = []
    for r in frame.iter_rows(named=True):
        if r["value"] is None:
            continue
        region = r["itu_d_region"] if level == "region" else None
        country = r["iso3"] if level == "country" else None
        disaggregation = f"region={region}" if region else (f"country={country}" if country else "")
        rows.append({
            "indicator_id": indicator_id, "year": r["year"], "value": round(float(r["value"]), 4),
            "disaggregation": disaggregation, "country": country, "region": region,
            "coverage_pct": round(r["coverage_pct"], 1) if level != "country" else None,
            "approval": "validated",
            "note": "" if level == "country" else "Population-weighted over reporting countries",
        })
    return rows


def load_connectivity(session: Session) -> int:
    """Replace the real connectivity observations; returns how many rows were written."""
    long = connectivity_frame()
    indicators = {
        code: (ind_id, synthetic)
        for code, ind_id, synthetic in session.execute(
            select(m.Indicator.code, m.Indicator.id, m.Indicator.is_synthetic))
    }
    batch = m.ImportBatch(kind="reference", file_name=CONNECTIVITY_FILE.name, checksum=reference_checksum(),
                          rows=long.height, user=REFERENCE_USER, created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    session.add(batch)
    session.flush()
    rows: list[dict] = []
    for code, (ind_id, synthetic) in indicators.items():
        if synthetic:
            continue
        measure = code.split(".")[1]
        data = long.filter(pl.col("measure") == measure)
        scope = code.split(".")[2] if code.count(".") == 2 else ""
        headline = data.filter(pl.col("ldc")) if scope == "LDC" else data
        rows += _observation_rows(ind_id, weighted_aggregate(headline, ["year"]), "headline")
        if scope == "":  # the current plan's indicators also carry regions and countries
            with_region = data.filter(pl.col("itu_d_region").is_not_null())
            rows += _observation_rows(ind_id, weighted_aggregate(with_region, ["itu_d_region", "year"]), "region")
            rows += _observation_rows(ind_id, data.filter(pl.col("value").is_not_null()), "country")
    for r in rows:
        r["batch_id"] = batch.id
    real_ids = [ind_id for ind_id, synthetic in indicators.values() if not synthetic]
    session.execute(delete(m.Observation).where(m.Observation.indicator_id.in_(real_ids)))
    session.execute(m.Observation.__table__.insert(), rows)
    batch.added = len(rows)
    return len(rows)
