"""Reference data, real where it exists: organisation, countries, framework and connectivity data.

Everything here is read from the project's own ``data/`` folder (copied from public sources, see
``data/reference/SOURCES.md``). The country ICT indicators are real observations: by country, and
aggregated to ITU-D regions, income groups, LDCs and the world over all countries by the method of
:mod:`kpi.connectivity` (missing years interpolated or carried forward, weighted by population), each
aggregate with the share of the population that reported and the share imputed.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import polars as pl
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kpi import connectivity
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
REFERENCE_USER = "reference-loader"
#: The aggregates of each real indicator of the current plan besides the world: observation column -> the
#: column of :func:`connectivity_frame` holding each country's group.
GROUPINGS: dict[str, str] = {"region": "itu_d_region", "income_group": "income_group", "country_group": "country_group"}
#: Written beside every aggregate (the method itself is :mod:`kpi.connectivity`'s docstring).
AGGREGATE_NOTE = ("Population-weighted over all countries; missing years interpolated, carried forward "
                  f"(up to {connectivity.CARRY_FORWARD_YEARS} years) or moved with the region")
#: The ``meta`` key recording which aggregation method the stored aggregates come from.
METHOD_META_KEY = "connectivity_method"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _blank_to_none(value: str) -> str | None:
    return value if value not in ("", None) else None


def _float_or_none(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def reference_checksum() -> str:
    """A checksum over every reference and framework file and the aggregation method: it changes when any does."""
    digest = hashlib.sha256(connectivity.METHOD.encode())  # a new method recomputes the aggregates too
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
            "definition": r["definition"] if synthetic else f"{r['definition']}. {connectivity.method_sentence()}",
            "unit": r["unit"], "direction": r["direction"],
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
    """The country ICT indicators with each country's groups, long format, every country in every year.

    Columns: iso3, year, population, ldc, itu_d_region, income_group (code of kpi.dimensions.INCOME_GROUPS),
    country_group ("LDC" or null), measure (INET/FBB/MOB), value (null where the country did not report).
    """
    raw = pl.read_csv(CONNECTIVITY_FILE, infer_schema_length=None).with_columns(
        pl.col("income_group").replace_strict(dims.INCOME_GROUP_OF_FILE, default=None))
    regions = pl.read_csv(REFERENCE_DIR / "country_regions.csv").select("iso3", "itu_d_region")
    long = raw.join(regions, on="iso3", how="left").unpivot(
        index=["iso3", "year", "population", "un_ldc", "income_group", "itu_d_region"],
        on=list(CONNECTIVITY_COLUMNS.values()), variable_name="column", value_name="value",
    )
    measure_of = {col: measure for measure, col in CONNECTIVITY_COLUMNS.items()}
    return _complete_grid(long).with_columns(
        pl.col("column").replace_strict(measure_of).alias("measure"),
        (pl.col("un_ldc") == "yes").alias("ldc"),
        pl.when(pl.col("un_ldc") == "yes").then(pl.lit(dims.LDC)).alias("country_group"),
    ).drop("column", "un_ldc")


def _complete_grid(long: pl.DataFrame) -> pl.DataFrame:
    """Every country in every year, so that coverage is measured against the whole population.

    The source thins out in its last year (2024 has few countries); a country missing from a
    year keeps its latest known population and an empty value, so it counts as not reporting.
    """
    keys = long.select("iso3", "itu_d_region", "un_ldc", "income_group").unique()
    grid = keys.join(long.select("year").unique(), how="cross").join(
        long.select("column").unique(), how="cross")
    full = grid.join(long, on=["iso3", "itu_d_region", "un_ldc", "income_group", "year", "column"], how="left")
    return full.sort("iso3", "column", "year").with_columns(
        pl.col("population").forward_fill().over("iso3", "column")
    )


def _observation_row(indicator_id: int, r: dict, **columns) -> dict:
    """One observation row with every column set (the bulk insert needs the same keys in every row)."""
    row = {
        "indicator_id": indicator_id, "year": r["year"], "value": round(float(r["value"]), 4),
        "disaggregation": "", "region": None, "country": None, "income_group": None, "country_group": None,
        "coverage_pct": None, "imputed_pct": None, "flag": "", "approval": "validated", "note": "",
    }
    return {**row, **columns}


def _aggregate_rows(indicator_id: int, frame: pl.DataFrame, column: str | None) -> list[dict]:
    """Observation rows of aggregates: the headline (``column`` None) or by a column of :data:`GROUPINGS`."""
    rows = []
    for r in frame.iter_rows(named=True):
        by = {column: r[GROUPINGS[column]], "disaggregation": f"{column}={r[GROUPINGS[column]]}"} if column else {}
        rows.append(_observation_row(
            indicator_id, r, coverage_pct=round(r["coverage_pct"], 1), imputed_pct=round(r["imputed_pct"], 1),
            flag=r["flag"], note=AGGREGATE_NOTE, **by))
    return rows


def _country_rows(indicator_id: int, frame: pl.DataFrame) -> list[dict]:
    """Observation rows of what each country reported (imputed values are only inside the aggregates)."""
    return [_observation_row(indicator_id, r, country=r["iso3"], disaggregation=f"country={r['iso3']}")
            for r in frame.filter(pl.col("value").is_not_null()).iter_rows(named=True)]


def fill(data: pl.DataFrame, *, lower: float | None, upper: float | None) -> pl.DataFrame:
    """One measure's country frame with its missing years filled; past the carry limit a country moves
    with its ITU-D region (:func:`kpi.connectivity.fill_country_series`)."""
    return connectivity.fill_country_series(data, lower=lower, upper=upper, trend_by=GROUPINGS["region"])


def indicator_rows(indicator_id: int, code: str, data: pl.DataFrame, *, lower: float | None,
                   upper: float | None) -> list[dict]:
    """Every observation of one real indicator from its measure's country frame (``data``).

    A code ending in ``.LDC`` is the LDC aggregate alone, one ending in ``.WLD`` the world alone; the
    current plan's indicators (no scope) carry the world, each grouping of :data:`GROUPINGS` and the countries.
    """
    scope = code.split(".")[2] if code.count(".") == 2 else ""
    filled = fill(data, lower=lower, upper=upper)
    headline = filled.filter(pl.col("ldc")) if scope == dims.LDC else filled
    rows = _aggregate_rows(indicator_id, connectivity.aggregate(headline, ["year"]), None)
    if scope == "":
        for column, group in GROUPINGS.items():
            grouped = filled.filter(pl.col(group).is_not_null())
            rows += _aggregate_rows(indicator_id, connectivity.aggregate(grouped, [group, "year"]), column)
        rows += _country_rows(indicator_id, data)
    return rows


def load_connectivity(session: Session) -> int:
    """Replace the real connectivity observations; returns how many rows were written.

    On a store that held them already, every change to a stored value goes through a reopening of its
    year with a reason and the change log (:func:`_record_recomputation`), as any change to validated
    values does.
    """
    long = connectivity_frame()
    indicators = session.execute(
        select(m.Indicator.code, m.Indicator.id, m.Indicator.lower_limit, m.Indicator.upper_limit)
        .where(m.Indicator.is_synthetic.is_(False))).all()
    batch = m.ImportBatch(kind="reference", file_name=CONNECTIVITY_FILE.name, checksum=reference_checksum(),
                          rows=long.height, user=REFERENCE_USER, created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    session.add(batch)
    session.flush()
    rows: list[dict] = []
    for code, ind_id, lower, upper in indicators:
        data = long.filter(pl.col("measure") == code.split(".")[1])
        rows += indicator_rows(ind_id, code, data, lower=lower, upper=upper)
    for r in rows:
        r["batch_id"] = batch.id
    real_ids = [ind_id for _, ind_id, _, _ in indicators]
    before = _stored_values(session, real_ids)
    changes = _value_changes(before, rows)
    if before:  # a fresh store has nothing to reopen
        _record_recomputation(session, batch, {i: c for c, i, _, _ in indicators}, changes)
    session.execute(delete(m.Observation).where(m.Observation.indicator_id.in_(real_ids)))
    session.execute(m.Observation.__table__.insert(), rows)
    _count(batch, before, rows, changes)
    from kpi.bootstrap import set_meta  # bootstrap imports this module

    set_meta(session, METHOD_META_KEY, connectivity.METHOD)
    return len(rows)


def _count(batch: m.ImportBatch, before: dict[tuple, dict], rows: list[dict], changes: dict[tuple, list]) -> None:
    """The batch's added, changed and unchanged counts, as an import's."""
    after = {(r["indicator_id"], r["year"], r["disaggregation"]) for r in rows}
    batch.added = len(after - before.keys())
    batch.changed = sum(1 for key in changes if key in after and key in before)
    batch.unchanged = len(after & before.keys()) - batch.changed


# ---------------------------------------------------------------- recording a recomputation

#: The fields of an observation whose change the change log records when the aggregates are recomputed.
LOGGED_FIELDS = ("value", "flag", "coverage_pct", "imputed_pct")


def _stored_values(session: Session, indicator_ids: list[int]) -> dict[tuple, dict]:
    """The stored observations of ``indicator_ids``: (indicator_id, year, disaggregation) -> fields and approval."""
    o = m.Observation
    query = select(o.indicator_id, o.year, o.disaggregation, o.approval, *(getattr(o, f) for f in LOGGED_FIELDS))
    return {
        (r.indicator_id, r.year, r.disaggregation): r._asdict()
        for r in session.execute(query.where(o.indicator_id.in_(indicator_ids)))
    }


def recomputation_reason(session: Session) -> str:
    """Why the stored connectivity values change: a new aggregation method, or new reference data."""
    from kpi.bootstrap import get_meta  # bootstrap imports this module

    if get_meta(session, METHOD_META_KEY) != connectivity.METHOD:
        return (f"Connectivity aggregates recomputed by method {connectivity.METHOD} (kpi.connectivity): "
                f"{AGGREGATE_NOTE.lower()}; flagged estimate above {connectivity.ESTIMATE_IMPUTED_PCT:g} % imputed, "
                f"not published under {connectivity.MIN_REPORTED_PCT:g} % reported")
    return f"Connectivity values reloaded from a changed reference file ({CONNECTIVITY_FILE.name})"


def _value_changes(before: dict[tuple, dict], rows: list[dict]) -> dict[tuple, list[tuple]]:
    """Per observation key, the (field, old, new) of each logged field that differs (added and removed too)."""
    after = {(r["indicator_id"], r["year"], r["disaggregation"]): r for r in rows}
    changes = {}
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], k[1], k[2])):
        old, new = before.get(key, {}), after.get(key, {})
        diff = [(f, old.get(f), new.get(f)) for f in LOGGED_FIELDS if old.get(f) != new.get(f)
                and not (old.get(f) in (None, "") and new.get(f) in (None, ""))]
        if diff:
            changes[key] = diff
    return changes


def _record_recomputation(session: Session, batch: m.ImportBatch, codes: dict[int, str],
                          changes: dict[tuple, list[tuple]]) -> None:
    """Write to the change log how a reload changes the stored values, year by year, through a reopening.

    For each indicator and year whose values change, the change log records: the year reopened by the
    reference loader with the reason (:func:`recomputation_reason`); each changed field from old to new
    value; the year validated again. An active validated period (a data steward's lock) covering such a
    year is closed as reopened with the same reason, and an equal one opened by the loader, so the year
    stays locked against imports.
    """
    from kpi.transfer.approval import PERIOD_TABLE, observation_key, period_key  # the store's audit vocabulary
    from kpi.transfer.kinds import OBSERVATIONS
    from kpi.transfer.values import format_value

    when, user, reason = batch.created_at, REFERENCE_USER, recomputation_reason(session)
    log: list[dict] = []

    def line(table: str, key: str, field: str, old, new, batch_id=None) -> None:
        log.append({"batch_id": batch_id, "table_name": table, "record_key": key, "field": field,
                    "old_value": None if old is None else format_value(old),
                    "new_value": None if new is None else format_value(new), "user": user, "changed_at": when})

    def reopened(key: str) -> None:
        for field, old, new in (("reopened_by", None, user), ("reopened_at", None, when), ("reason", "", reason)):
            line(PERIOD_TABLE, key, field, old, new)

    def validated(key: str) -> None:
        for field, new in (("validated_by", user), ("validated_at", when)):
            line(PERIOD_TABLE, key, field, None, new)

    affected = sorted({(ind_id, year) for ind_id, year, _ in changes})
    locks = _relock(session, set(affected), user, when, reason)
    for lock_key in locks:
        reopened(lock_key)
    for ind_id, year in affected:
        reopened(period_key(year, codes[ind_id]))
        for (i, y, disaggregation), diff in changes.items():
            if (i, y) == (ind_id, year):
                for field, old, new in diff:
                    line(OBSERVATIONS.table_name, observation_key(codes[ind_id], year, disaggregation), field,
                         old, new, batch.id)
        validated(period_key(year, codes[ind_id]))
    for lock_key in locks:
        validated(lock_key)
    if log:
        session.execute(m.ChangeLog.__table__.insert(), log)


def _relock(session: Session, affected: set[tuple[int, int]], user: str, when: dt.datetime,
            reason: str) -> list[str]:
    """Reopen (with ``reason``) each active validated period covering an affected (indicator, year) and
    validate it again as ``user``; returns the change-log keys of the periods of all indicators so reopened.

    (A period of one indicator has the same key as the per-indicator lines the caller writes anyway.)
    """
    from kpi.transfer.approval import period_key

    period = m.ValidatedPeriod
    years = {year for _, year in affected}
    whole_years = []
    for lock in list(session.scalars(select(period).where(period.year.in_(years), period.reopened_at.is_(None)))):
        if lock.indicator_id is not None and (lock.indicator_id, lock.year) not in affected:
            continue
        lock.reopened_by, lock.reopened_at, lock.reason = user, when, reason
        session.add(period(year=lock.year, indicator_id=lock.indicator_id, validated_by=user, validated_at=when))
        if lock.indicator_id is None:
            whole_years.append(period_key(lock.year, None))
    session.flush()
    return whole_years
