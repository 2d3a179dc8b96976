"""Read the store into Polars frames (the only place the domain touches SQL for reading)."""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, Engine, text


def read_frame(connection: Connection, sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Run ``sql`` and return its rows as a frame with exactly ``schema`` (also when empty)."""
    result = connection.execute(text(sql))
    rows = result.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def data_version(engine: Engine) -> int:
    """The store's data version: it grows whenever the data changes (the cache key of the pages)."""
    with engine.connect() as connection:
        value = connection.execute(text("SELECT value FROM meta WHERE key = 'data_version'")).scalar()
    return int(value or 0)


def read_meta(engine: Engine) -> dict[str, str]:
    """All key-value facts of the ``meta`` table."""
    with engine.connect() as connection:
        return dict(connection.execute(text("SELECT key, value FROM meta")).all())


@dataclass(frozen=True)
class ResultsData:
    """Everything the results pages read: framework, indicators, targets and observations."""

    cycles: pl.DataFrame
    nodes: pl.DataFrame
    indicators: pl.DataFrame
    targets: pl.DataFrame
    observations: pl.DataFrame
    meta: dict[str, str]


CYCLE_SCHEMA = {"cycle_code": pl.String, "cycle_name": pl.String, "start_year": pl.Int64, "end_year": pl.Int64,
                "instrument": pl.String}
NODE_SCHEMA = {"node_id": pl.Int64, "cycle_code": pl.String, "node_code": pl.String, "kind": pl.String,
               "node_name": pl.String, "statement": pl.String, "parent_id": pl.Int64, "owner": pl.String,
               "sort_order": pl.Int64, "is_illustrative": pl.Boolean, "source": pl.String}
INDICATOR_SCHEMA = {
    "indicator_id": pl.Int64, "code": pl.String, "node_id": pl.Int64, "name": pl.String, "definition": pl.String,
    "unit": pl.String, "direction": pl.String, "aggregation": pl.String, "lower_limit": pl.Float64,
    "upper_limit": pl.Float64, "source": pl.String, "frequency": pl.String, "owner": pl.String,
    "baseline_year": pl.Int64, "baseline_value": pl.Float64, "computed_from": pl.String,
    "is_synthetic": pl.Boolean, "attribution": pl.String, "sort_order": pl.Int64, "updated_at": pl.String,
}
TARGET_SCHEMA = {"indicator_id": pl.Int64, "year": pl.Int64, "value": pl.Float64, "source": pl.String}
OBSERVATION_SCHEMA = {
    "indicator_id": pl.Int64, "year": pl.Int64, "value": pl.Float64, "disaggregation": pl.String,
    "sector": pl.String, "region": pl.String, "country": pl.String, "grade": pl.String, "gender": pl.String,
    "duty_station": pl.String, "flag": pl.String, "note": pl.String, "coverage_pct": pl.Float64,
    "approval": pl.String,
}


def load_results(engine: Engine) -> ResultsData:
    """Load the results frames in one read transaction (a consistent snapshot)."""
    with engine.connect() as c:
        return ResultsData(
            cycles=read_frame(c, "SELECT code, name, start_year, end_year, instrument FROM plan_cycle "
                                 "ORDER BY start_year", CYCLE_SCHEMA),
            nodes=read_frame(c, "SELECT id, cycle_code, code, kind, name, statement, parent_id, owner, sort_order, "
                                "is_illustrative, source FROM framework_node ORDER BY cycle_code, sort_order",
                             NODE_SCHEMA),
            indicators=read_frame(c, "SELECT id, code, node_id, name, definition, unit, direction, aggregation, "
                                     "lower_limit, upper_limit, source, frequency, owner, baseline_year, "
                                     "baseline_value, computed_from, is_synthetic, attribution, sort_order, "
                                     "CAST(updated_at AS VARCHAR(32)) FROM indicator ORDER BY sort_order",
                                  INDICATOR_SCHEMA),
            targets=read_frame(c, "SELECT indicator_id, year, value, source FROM indicator_target "
                                  "ORDER BY indicator_id, year", TARGET_SCHEMA),
            observations=read_frame(c, "SELECT indicator_id, year, value, disaggregation, sector, region, country, "
                                       "grade, gender, duty_station, flag, note, coverage_pct, approval "
                                       "FROM observation ORDER BY indicator_id, year, disaggregation",
                                    OBSERVATION_SCHEMA),
            meta=dict(c.execute(text("SELECT key, value FROM meta")).all()),
        )
