"""The store on both databases: migrations from empty, idempotent init, a round trip."""
from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from kpi.bootstrap import initialise
from kpi.store import migrate
from kpi.store import models as m
from kpi.store.frames import RESULTS_QUERIES, frame_schema, load_results

EXPECTED_TABLES = {
    "accountability_assessment", "accountability_component", "admin_region", "alembic_version", "budget_line",
    "change_log", "commitment", "commitment_follow_up", "country", "duty_station",
    "engagement", "framework_node", "grade", "import_batch", "indicator", "indicator_target", "itu_d_region",
    "membership", "meta", "observation", "operational_plan_item", "oversight_recommendation", "plan_cycle",
    "presentation", "procurement_saving", "record_link",
    "recruitment", "resolution", "resolution_action", "risk", "role_grant", "sector", "snapshot", "staff_snapshot",
    "training_completion",
    "unit", "validated_period",
}


def test_migrations_create_every_table_from_empty(empty_engine):
    assert migrate.current_revision(empty_engine) is None
    migrate.upgrade(empty_engine)
    assert set(inspect(empty_engine).get_table_names()) == EXPECTED_TABLES
    assert migrate.current_revision(empty_engine) == migrate.head_revision() == "0006"


def test_migrated_schema_matches_the_models(empty_engine):
    """Autogenerate finds nothing to add: the migrations and the models agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    migrate.upgrade(empty_engine)
    with empty_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), m.Base.metadata)
    assert diff == []


def test_upgrade_from_first_revision_keeps_data(empty_engine):
    from alembic import command

    cfg = migrate.alembic_config(empty_engine)
    with empty_engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0001")
    with Session(empty_engine) as s, s.begin():
        s.add(m.PlanCycle(code="2024-2027", name="Plan", start_year=2024, end_year=2027))
    migrate.upgrade(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.head_revision() == "0006"
    with Session(empty_engine) as s:
        assert s.scalars(select(m.PlanCycle.code)).all() == ["2024-2027"]
        assert s.scalars(select(m.Presentation)).all() == []


def _row_counts(engine) -> dict[str, int]:
    with Session(engine) as s:
        return {
            table.name: s.scalar(select(func.count()).select_from(table))
            for table in m.Base.metadata.sorted_tables
        }


def test_init_twice_changes_nothing(empty_engine):
    first = initialise(empty_engine, demo=False)
    counts = _row_counts(empty_engine)
    second = initialise(empty_engine, demo=False)
    assert (first.reference_loaded, second.reference_loaded) == (True, False)
    assert _row_counts(empty_engine) == counts
    assert counts["indicator"] == 27
    assert counts["plan_cycle"] == 3
    assert counts["country"] == 212
    assert counts["duty_station"] == 17
    assert second.data_version == first.data_version == 1


def test_observation_round_trip(empty_engine):
    migrate.upgrade(empty_engine)
    with Session(empty_engine) as s, s.begin():
        s.add(m.PlanCycle(code="2024-2027", name="Plan", start_year=2024, end_year=2027))
        s.add(m.Sector(code="ITU-D", name="Development", bureau_code="BDT", bureau="BDT"))
        s.flush()
        node = m.FrameworkNode(cycle_code="2024-2027", code="G1", kind="goal", name="Goal")
        s.add(node)
        s.flush()
        ind = m.Indicator(code="X.1", node_id=node.id, name="X", unit="pct", direction="higher")
        s.add(ind)
        s.flush()
        s.add_all([
            m.Observation(indicator_id=ind.id, year=2023, value=41.5, disaggregation=""),
            m.Observation(indicator_id=ind.id, year=2024, value=44.25, disaggregation="sector=ITU-D",
                          sector="ITU-D", flag="estimate", note="n", approval="validated"),
        ])
    data = load_results(empty_engine)
    expected = pl.DataFrame(
        {
            "indicator_id": [1, 1], "year": [2023, 2024], "value": [41.5, 44.25],
            "disaggregation": ["", "sector=ITU-D"], "sector": [None, "ITU-D"], "region": [None, None],
            "country": [None, None], "grade": [None, None], "gender": [None, None], "duty_station": [None, None],
            "income_group": [None, None], "country_group": [None, None],
            "flag": ["", "estimate"], "note": ["", "n"], "coverage_pct": [None, None], "imputed_pct": [None, None],
            "approval": ["provisional", "validated"],
        },
        schema=frame_schema(RESULTS_QUERIES["observations"]),
    )
    assert_frame_equal(data.observations, expected)
    assert data.indicators.select("code", "unit", "direction").rows() == [("X.1", "pct", "higher")]
