"""Read the store into Polars frames (the only place the domain touches SQL for reading).

Every frame is a SQLAlchemy Core ``select`` over the models (:mod:`kpi.store.models`): a column is named by
the model's attribute, or by a label where the frame's name differs (a node's ``id`` is ``node_id``). The
frame's columns are the result's keys, and their Polars types follow the selected columns' SQL types
(:func:`frame_schema`), so a frame cannot put a column under another's name.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import polars as pl
from sqlalchemy import (Boolean, Connection, Dialect, Engine, Float, Integer, Select, String, cast, distinct, func,
                        select)

from kpi.store import models as m

#: Rows turned into a frame at a time by :func:`select_frame`.
READ_CHUNK_ROWS = 50_000
#: The Polars type of a frame column, by the SQL type of its select column (the first that matches). The classes,
#: not instances: Polars makes a frame of a few rows a tenth faster with them.
POLARS_TYPES: tuple[tuple[type, type[pl.DataType]], ...] = (
    (Boolean, pl.Boolean), (Integer, pl.Int64), (Float, pl.Float64), (String, pl.String),
)


def iso_text(column, length: int = 10):
    """``column`` (a date, or a time with ``length`` 32) as ISO text on every database ("2024-05-31"), under its
    own name: the domain parses it."""
    return cast(column, String(length)).label(column.key)


def frame_schema(query: Select) -> dict[str, type[pl.DataType]]:
    """The columns of the frame ``query`` reads: each select column's key (the model's attribute or its label),
    with the Polars type of its SQL type. A ValueError for a key twice, a TypeError for a type no frame holds."""
    schema: dict[str, type[pl.DataType]] = {}
    for key, column in query.selected_columns.items():
        if key != column.name:  # SQLAlchemy renames a second column of the same name ("code_1")
            raise ValueError(f"the frame column {column.name!r} is selected twice: label one of them")
        dtype = next((polars for sql, polars in POLARS_TYPES if isinstance(column.type, sql)), None)
        if dtype is None:
            raise TypeError(f"the frame column {key!r} is {column.type!r}, which no frame holds: select a boolean, "
                            "integer, float or text (dates and times as text: iso_text)")
        schema[key] = dtype
    return schema


#: The SQL of the selects whose result's columns were found to be their frame's: the same SQL names the same columns,
#: and reading a result's names again costs psycopg 11 us a read (a tenth of reading a small table).
_named: set[str] = set()


@functools.lru_cache(maxsize=256)
def _compiled(query: Select, dialect: Dialect) -> tuple[str, dict[str, type[pl.DataType]]]:
    """``query``'s SQL for ``dialect`` and its frame's columns, made once (a frame's select takes no parameters)."""
    compiled = query.compile(dialect=dialect)
    if compiled.params:
        raise ValueError(f"a frame's select takes no parameters, this one takes {sorted(compiled.params)}")
    return str(compiled), frame_schema(query)


def select_frame(connection: Connection, query: Select) -> pl.DataFrame:
    """Run ``query`` and return its rows as a frame: the result's keys name the columns, :func:`frame_schema` types
    them (also when empty).

    The select is compiled once per database, its result's column names checked on its first read; the rows
    come straight from the driver's cursor, in chunks that become frames as they arrive: at 100x demo size
    (820,600 staff-years) this reads the staff table in 3.6 s with a peak of 225 MB, where fetching every row
    as a SQLAlchemy ``Row`` first took 5.4 s and 700 MB (and ``Connection.execute``'s result costs some 30 us a
    select, a tenth of reading a small table). The cursor belongs to ``connection``, so the read stays
    inside its transaction (one consistent snapshot).
    """
    sql, schema = _compiled(query, connection.dialect)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        if sql not in _named:
            keys = [column[0] for column in cursor.description]
            if keys != list(schema):
                raise ValueError(f"the result's columns {keys} are not the select's {list(schema)}")
            _named.add(sql)
        chunks = []
        while rows := cursor.fetchmany(READ_CHUNK_ROWS):
            chunks.append(pl.DataFrame(rows, schema=schema, orient="row"))
    finally:
        cursor.close()
    return pl.concat(chunks, rechunk=True) if chunks else pl.DataFrame(schema=schema)


def _meta(connection: Connection) -> dict[str, str]:
    return dict(connection.execute(select(m.Meta.key, m.Meta.value)).all())


def data_version(engine: Engine) -> int:
    """The store's data version: it grows whenever the data changes (the cache key of the pages)."""
    with engine.connect() as connection:
        value = connection.execute(select(m.Meta.value).where(m.Meta.key == "data_version")).scalar()
    return int(value or 0)


def read_meta(engine: Engine) -> dict[str, str]:
    """All key-value facts of the ``meta`` table."""
    with engine.connect() as connection:
        return _meta(connection)


@dataclass(frozen=True)
class ResultsData:
    """Everything the results pages read: framework, indicators, targets and observations."""

    cycles: pl.DataFrame
    nodes: pl.DataFrame
    indicators: pl.DataFrame
    targets: pl.DataFrame
    observations: pl.DataFrame
    meta: dict[str, str]


_cycle, _node, _indicator, _target, _observation = (m.PlanCycle, m.FrameworkNode, m.Indicator, m.IndicatorTarget,
                                                     m.Observation)
#: Each results frame (a field of :class:`ResultsData`): its select.
RESULTS_QUERIES: dict[str, Select] = {
    "cycles": select(_cycle.code.label("cycle_code"), _cycle.name.label("cycle_name"), _cycle.start_year,
                     _cycle.end_year, _cycle.instrument).order_by(_cycle.start_year),
    "nodes": select(_node.id.label("node_id"), _node.cycle_code, _node.code.label("node_code"), _node.kind,
                    _node.name.label("node_name"), _node.statement, _node.parent_id, _node.owner, _node.sort_order,
                    _node.is_illustrative, _node.source).order_by(_node.cycle_code, _node.sort_order),
    "indicators": select(_indicator.id.label("indicator_id"), _indicator.code, _indicator.node_id, _indicator.name,
                         _indicator.definition, _indicator.unit, _indicator.direction, _indicator.aggregation,
                         _indicator.lower_limit, _indicator.upper_limit, _indicator.source, _indicator.frequency,
                         _indicator.owner, _indicator.baseline_year, _indicator.baseline_value,
                         _indicator.computed_from, _indicator.is_synthetic, _indicator.attribution,
                         _indicator.sort_order, iso_text(_indicator.updated_at, 32)).order_by(_indicator.sort_order),
    "targets": select(_target.indicator_id, _target.year, _target.value, _target.source)
    .order_by(_target.indicator_id, _target.year),
    "observations": select(_observation.indicator_id, _observation.year, _observation.value,
                           _observation.disaggregation, _observation.sector, _observation.region, _observation.country,
                           _observation.grade, _observation.gender, _observation.duty_station,
                           _observation.income_group, _observation.country_group, _observation.flag, _observation.note,
                           _observation.coverage_pct, _observation.imputed_pct, _observation.approval)
    .order_by(_observation.indicator_id, _observation.year, _observation.disaggregation),
}


def load_results(engine: Engine) -> ResultsData:
    """Load the results frames in one read transaction (a consistent snapshot)."""
    with engine.connect() as c:
        return ResultsData(**{name: select_frame(c, query) for name, query in RESULTS_QUERIES.items()}, meta=_meta(c))


_staff, _training, _recruitment = m.StaffSnapshot, m.TrainingCompletion, m.Recruitment
_station, _country, _unit, _sector = m.DutyStation, m.Country, m.Unit, m.Sector
#: Each workforce frame (a key of :func:`load_workforce`): its select.
WORKFORCE_QUERIES: dict[str, Select] = {
    "staff": select(_staff.year, _staff.staff_key, _staff.grade, _staff.gender, _staff.nationality,
                    _staff.duty_station, _staff.sector, _staff.unit, _staff.contract_type),
    # (year, staff_key, course) is unique, so counting completed rows counts completed courses.
    "training": select(_training.year, _training.staff_key, func.count().label("completed_courses"))
    .where(_training.completed).group_by(_training.year, _training.staff_key),
    "courses": select(_training.year, func.count(distinct(_training.course)).label("courses"))
    .group_by(_training.year),
    "recruitment": select(_recruitment.vacancy_ref, _recruitment.grade, _recruitment.sector,
                          _recruitment.duty_station, iso_text(_recruitment.posted_on),
                          iso_text(_recruitment.closed_on), iso_text(_recruitment.selected_on)),
    "duty_stations": select(_station.code, _station.name, _station.country_iso3, _station.kind, _station.itu_d_region)
    .order_by(_station.code),
    "countries": select(_country.iso3, _country.name, _country.itu_d_region, _country.admin_region,
                        _country.is_member_state).order_by(_country.iso3),
    "units": select(_unit.code, _unit.name, _unit.sector_code).order_by(_unit.code),
    "sectors": select(_sector.code, _sector.name, _sector.bureau_code, _sector.bureau).order_by(_sector.code),
}


def load_workforce(engine: Engine) -> dict[str, pl.DataFrame]:
    """Load the workforce records and their reference tables in one read transaction.

    Keys: ``staff`` (one row per staff member and year), ``training`` (per staff member and year,
    the number of mandatory courses completed), ``courses`` (per year, the number of mandatory
    courses), ``recruitment`` (dates as ISO text), ``duty_stations``, ``countries``, ``units``, ``sectors``.
    """
    with engine.connect() as c:
        return {name: select_frame(c, query) for name, query in WORKFORCE_QUERIES.items()}


@dataclass(frozen=True)
class ManagementData:
    """Risks, budget lines, oversight recommendations, resolutions' actions, commitments and their follow-ups, the
    Accountability Framework, operational plan items and the links between records and the results framework."""

    risks: pl.DataFrame
    budget: pl.DataFrame
    recommendations: pl.DataFrame
    actions: pl.DataFrame
    commitments: pl.DataFrame
    follow_ups: pl.DataFrame
    components: pl.DataFrame
    assessments: pl.DataFrame
    plan_items: pl.DataFrame
    links: pl.DataFrame


_risk, _budget, _recommendation = m.Risk, m.BudgetLine, m.OversightRecommendation
_action, _resolution, _commitment, _follow_up = m.ResolutionAction, m.Resolution, m.Commitment, m.CommitmentFollowUp
_component, _assessment, _plan_item, _link = (m.AccountabilityComponent, m.AccountabilityAssessment,
                                              m.OperationalPlanItem, m.RecordLink)
#: Each management frame (a field of :class:`ManagementData`): its select (dates as ISO text on every database).
MANAGEMENT_QUERIES: dict[str, Select] = {
    "risks": select(_risk.code, _risk.year, _risk.title, _risk.category, _risk.owner, _risk.node_id,
                    _risk.inherent_likelihood, _risk.inherent_impact, _risk.residual_likelihood,
                    _risk.residual_impact, _risk.mitigation).order_by(_risk.year, _risk.code),
    "budget": select(_budget.node_id, _budget.year, _budget.sector, _budget.planned_chf, _budget.actual_chf)
    .order_by(_budget.node_id, _budget.year, _budget.sector),
    "recommendations": select(_recommendation.ref, _recommendation.source, _recommendation.title,
                              _recommendation.priority, _recommendation.owner, iso_text(_recommendation.issued_on),
                              _recommendation.accepted, iso_text(_recommendation.implemented_on))
    .order_by(_recommendation.issued_on, _recommendation.ref),
    "actions": select(_action.resolution_code, _resolution.title.label("resolution_title"), _action.ref, _action.year,
                      _action.description, _action.owner, _action.status, _action.progress_pct)
    .join_from(_action, _resolution, _resolution.code == _action.resolution_code)
    .order_by(_action.resolution_code, _action.year, _action.ref),
    "commitments": select(_commitment.ref, _commitment.year, _commitment.forum, _commitment.text, _commitment.owner,
                          iso_text(_commitment.due_on), _commitment.status).order_by(_commitment.year, _commitment.id),
    "follow_ups": select(_follow_up.commitment_ref, iso_text(_follow_up.noted_on), _follow_up.status, _follow_up.note)
    .order_by(_follow_up.commitment_ref, _follow_up.noted_on),
    "components": select(_component.code, _component.pillar, _component.name, _component.position, _component.source)
    .order_by(_component.position, _component.code),
    "assessments": select(_assessment.component_code, _assessment.year, _assessment.status, _assessment.note)
    .order_by(_assessment.component_code, _assessment.year),
    "plan_items": select(_plan_item.ref, _plan_item.year, _plan_item.unit, _plan_item.node_id,
                         _plan_item.expected_result, _plan_item.kpi, _plan_item.indicator_id, _plan_item.risk_factors,
                         _plan_item.resources_chf).order_by(_plan_item.unit, _plan_item.ref, _plan_item.year),
    "links": select(_link.record_kind, _link.record_ref, _link.node_id, _link.indicator_id)
    .order_by(_link.record_kind, _link.record_ref, _link.id),
}


def load_management(engine: Engine) -> ManagementData:
    """Load the management records in one read transaction (a consistent snapshot)."""
    with engine.connect() as c:
        return ManagementData(**{name: select_frame(c, query) for name, query in MANAGEMENT_QUERIES.items()})


def management_data(**frames: pl.DataFrame) -> ManagementData:
    """Management data made of ``frames`` (by field name), every other frame empty with its columns: for
    computations on a few hand-made records."""
    return ManagementData(**{name: frames.get(name, pl.DataFrame(schema=frame_schema(query)))
                             for name, query in MANAGEMENT_QUERIES.items()})
