"""The store's rooms with one job: the bulk writer lives in kpi.store.bulk, and only there; the frames the pages
read are built from the models' columns (kpi.store.frames), on both databases."""
from __future__ import annotations

import ast
import datetime as dt
import re
from dataclasses import fields
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Select, String, literal_column, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Label

from kpi.store import bulk, frames, migrate
from kpi.store import models as m
from kpi.store.engine import make_engine

KPI_DIR = Path(__file__).resolve().parent.parent / "kpi"
STORE_DIR = KPI_DIR / "store"
#: The bulk writer's public names: no module outside kpi/store/ may define them.
WRITER_NAMES = frozenset({"insert_rows", "insert_dicts", "update_rows", "serialise_writers"})
#: Bulk SQL: PostgreSQL's COPY (as SQL text or a driver's copy), or a driver's executemany.
BULK_SQL = re.compile(r"""["']\s*COPY\s|\.copy(_from|_expert)?\(|\bexecutemany\s*\(""")
#: Modules outside kpi/store/ that define one of the writer's names for another job, with what they define: none
#: (the demo builder's chunked insert is kpi.store.bulk.insert_in_chunks).
OTHER_JOBS: dict[str, list[str]] = {}


def bulk_writer_findings(source: str) -> list[str]:
    """What in one module's source belongs to the store's bulk writer, in line order: a function or class defining
    one of its names (at any depth), a name of it assigned, or bulk SQL (COPY, executemany)."""
    findings: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in WRITER_NAMES:
            findings.append((node.lineno, f"defines {node.name}"))
        elif isinstance(node, ast.Assign):
            findings += [(node.lineno, f"defines {t.id}") for t in node.targets
                         if isinstance(t, ast.Name) and t.id in WRITER_NAMES]
    for number, line in enumerate(source.splitlines(), 1):
        if not line.lstrip().startswith("#") and BULK_SQL.search(line):
            findings.append((number, f"bulk SQL: {line.strip()}"))
    return [f"line {number}: {what}" for number, what in sorted(findings)]


def writers_outside_the_store(root: Path) -> dict[str, list[str]]:
    """Every module under ``root`` (a kpi/ tree) but its store/ folder with bulk-writer findings, by path."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith("store/"):
            continue
        if findings := bulk_writer_findings(path.read_text(encoding="utf-8")):
            found[relative] = findings
    return found


def test_only_the_store_writes_in_bulk():
    found = writers_outside_the_store(KPI_DIR)
    assert {path: [f.split(": ", 1)[1] for f in findings] for path, findings in found.items()} == OTHER_JOBS


def test_the_scan_finds_a_planted_writer_and_bulk_sql(tmp_path):
    root = tmp_path / "kpi"
    (root / "store").mkdir(parents=True)
    (root / "transfer").mkdir()
    (root / "store" / "bulk.py").write_text("def insert_rows(connection, table, names, rows):\n"
                                            "    cursor.executemany(sql, rows)\n")
    (root / "transfer" / "clean.py").write_text("# cursor.executemany(sql, rows) is the store's job\n"
                                                "def run_import():\n    return 'COPYRIGHT'\n")
    (root / "transfer" / "sneaky.py").write_text(
        "class Writer:\n"
        "    def update_rows(self, connection, rows):\n"
        "        connection.exec_driver_sql(\"COPY observation (value) FROM STDIN\")\n"
        "        cursor.executemany('UPDATE observation SET value = ?', rows)\n"
        "serialise_writers = print\n")
    (root / "views.py").write_text("with cursor.copy(sql) as copy:\n    copy.write(text)\n")
    assert writers_outside_the_store(root) == {
        "transfer/sneaky.py": [
            "line 2: defines update_rows",
            'line 3: bulk SQL: connection.exec_driver_sql("COPY observation (value) FROM STDIN")',
            "line 4: bulk SQL: cursor.executemany('UPDATE observation SET value = ?', rows)",
            "line 5: defines serialise_writers",
        ],
        "views.py": ["line 1: bulk SQL: with cursor.copy(sql) as copy:"],
    }


def test_the_writer_has_one_home():
    """The importer and the period validation use the store's writer itself, and no module keeps its old home."""
    from kpi.transfer import approval, importing

    for name in WRITER_NAMES:
        assert getattr(importing, name, None) in (None, getattr(bulk, name))
    assert (approval.insert_rows, approval.update_rows, approval.serialise_writers) == \
        (bulk.insert_rows, bulk.update_rows, bulk.serialise_writers)
    assert importing.StoreBusy is bulk.StoreBusy
    for private in ("_placeholder", "_driver_values", "_copy_text", "_copy", "_is_lock_timeout", "COPY_MIN_ROWS"):
        assert not hasattr(importing, private), private


@pytest.fixture
def schema_engine(empty_engine):
    """An engine on an empty store with the newest schema (SQLite, then PostgreSQL when the run has one)."""
    migrate.upgrade(empty_engine)
    return empty_engine


@pytest.mark.parametrize("copy", [False, True], ids=["statements", "copy"])
def test_bulk_writes_round_trip(schema_engine, monkeypatch, copy):
    """insert_rows, insert_dicts (defaults filled in) and update_rows write exactly what they are given, with
    statements and (PostgreSQL, from COPY_MIN_ROWS rows) with COPY: text that needs escaping, nulls, dates. On
    SQLite, which has no COPY, "copy" checks that statements still write everything above COPY_MIN_ROWS."""
    monkeypatch.setattr(bulk, "COPY_MIN_ROWS", 1 if copy else 10**9)
    when = dt.datetime(2024, 5, 31, 12, 30, 15)
    logs = [(None, "observation", f"k{i}", "value", None if i % 2 else "tab\there\\back\nline", str(i), "u", when)
            for i in range(5)]
    names = ["batch_id", "table_name", "record_key", "field", "old_value", "new_value", "user", "changed_at"]
    with Session(schema_engine) as session, session.begin():
        bulk.serialise_writers(session)
        connection = session.connection()
        connection.execute(m.Sector.__table__.insert(), [{"code": "ITU-D", "name": "D", "bureau_code": "BDT",
                                                          "bureau": "B"}])
        bulk.insert_rows(connection, m.ChangeLog.__table__, names, logs)
        bulk.insert_dicts(connection, m.Unit.__table__, [{"code": f"U{i}", "name": f"Unit {i}", "sector_code": "ITU-D"}
                                                         for i in range(3)])
        bulk.insert_dicts(connection, m.Risk.__table__, [
            {"code": "R1", "year": 2024, "title": "t", "category": "c", "owner": "GS", "inherent_likelihood": 1,
             "inherent_impact": 2, "residual_likelihood": 3, "residual_impact": 4}])
        bulk.update_rows(connection, m.Unit.__table__, ["name"], [("Renamed 0", "U0"), ("Renamed 2", "U2")])
        bulk.update_rows(connection, m.ChangeLog.__table__, ["new_value", "changed_at"],
                         [("x", dt.datetime(2025, 1, 2, 3, 4, 5), 1)])
    with schema_engine.connect() as connection:
        stored = connection.execute(select(*(m.ChangeLog.__table__.c[n] for n in names)).order_by(m.ChangeLog.id)).all()
        units = connection.execute(select(m.Unit.code, m.Unit.name, m.Unit.sector_code).order_by(m.Unit.code)).all()
        risk = connection.execute(select(m.Risk.code, m.Risk.mitigation, m.Risk.batch_id)).all()
    assert [tuple(r) for r in stored] == [
        (None, "observation", "k0", "value", "tab\there\\back\nline", "x", "u", dt.datetime(2025, 1, 2, 3, 4, 5)),
        *logs[1:]]
    assert [tuple(r) for r in units] == [("U0", "Renamed 0", "ITU-D"), ("U1", "Unit 1", "ITU-D"),
                                         ("U2", "Renamed 2", "ITU-D")]
    assert [tuple(r) for r in risk] == [("R1", "", None)]  # mitigation's default filled in


def test_a_second_writer_is_told_the_store_is_busy(schema_engine, monkeypatch):
    monkeypatch.setattr(bulk, "WRITER_WAIT_SECONDS", 0.3)
    with Session(schema_engine) as first, first.begin():
        bulk.serialise_writers(first)
        with Session(schema_engine) as second, second.begin(), \
                pytest.raises(bulk.StoreBusy, match="^an import is running, try again in a moment$"):
            bulk.serialise_writers(second)


# ---------------------------------------------------------------- the frames, built from the models

S, I, F, B = pl.String, pl.Int64, pl.Float64, pl.Boolean
#: Every frame the loaders return, with its columns and their types, as they were when the frames were read
#: with SQL text and columns named by position (the frames have not changed since).
EXPECTED_SCHEMAS: dict[tuple[str, str], dict[str, type[pl.DataType]]] = {
    ("results", "cycles"): {"cycle_code": S, "cycle_name": S, "start_year": I, "end_year": I, "instrument": S},
    ("results", "nodes"): {"node_id": I, "cycle_code": S, "node_code": S, "kind": S, "node_name": S, "statement": S,
                           "parent_id": I, "owner": S, "sort_order": I, "is_illustrative": B, "source": S},
    ("results", "indicators"): {
        "indicator_id": I, "code": S, "node_id": I, "name": S, "definition": S, "unit": S, "direction": S,
        "aggregation": S, "lower_limit": F, "upper_limit": F, "source": S, "frequency": S, "owner": S,
        "baseline_year": I, "baseline_value": F, "computed_from": S, "is_synthetic": B, "attribution": S,
        "sort_order": I, "updated_at": S},
    ("results", "targets"): {"indicator_id": I, "year": I, "value": F, "source": S},
    ("results", "observations"): {
        "indicator_id": I, "year": I, "value": F, "disaggregation": S, "sector": S, "region": S, "country": S,
        "grade": S, "gender": S, "duty_station": S, "income_group": S, "country_group": S, "flag": S, "note": S,
        "coverage_pct": F, "imputed_pct": F, "approval": S},
    ("workforce", "staff"): {"year": I, "staff_key": S, "grade": S, "gender": S, "nationality": S,
                             "duty_station": S, "sector": S, "unit": S, "contract_type": S},
    ("workforce", "training"): {"year": I, "staff_key": S, "completed_courses": I},
    ("workforce", "courses"): {"year": I, "courses": I},
    ("workforce", "recruitment"): {"vacancy_ref": S, "grade": S, "sector": S, "duty_station": S, "posted_on": S,
                                   "closed_on": S, "selected_on": S},
    ("workforce", "duty_stations"): {"code": S, "name": S, "country_iso3": S, "kind": S, "itu_d_region": S},
    ("workforce", "countries"): {"iso3": S, "name": S, "itu_d_region": S, "admin_region": S, "is_member_state": B},
    ("workforce", "units"): {"code": S, "name": S, "sector_code": S},
    ("workforce", "sectors"): {"code": S, "name": S, "bureau_code": S, "bureau": S},
    ("management", "risks"): {"code": S, "year": I, "title": S, "category": S, "owner": S, "node_id": I,
                              "inherent_likelihood": I, "inherent_impact": I, "residual_likelihood": I,
                              "residual_impact": I, "mitigation": S},
    ("management", "budget"): {"node_id": I, "year": I, "sector": S, "planned_chf": F, "actual_chf": F},
    ("management", "recommendations"): {"ref": S, "source": S, "title": S, "priority": S, "owner": S,
                                        "issued_on": S, "accepted": B, "implemented_on": S},
    ("management", "actions"): {"resolution_code": S, "resolution_title": S, "ref": S, "year": I,
                                "description": S, "owner": S, "status": S, "progress_pct": F},
    ("management", "commitments"): {"ref": S, "year": I, "forum": S, "text": S, "owner": S, "due_on": S,
                                    "status": S},
    ("management", "follow_ups"): {"commitment_ref": S, "noted_on": S, "status": S, "note": S},
    ("management", "components"): {"code": S, "pillar": S, "name": S, "position": I, "source": S},
    ("management", "assessments"): {"component_code": S, "year": I, "status": S, "note": S},
    ("management", "plan_items"): {"ref": S, "year": I, "unit": S, "node_id": I, "expected_result": S, "kpi": S,
                                   "indicator_id": I, "risk_factors": S, "resources_chf": F},
    ("management", "links"): {"record_kind": S, "record_ref": S, "node_id": I, "indicator_id": I},
    ("membership", "membership"): {"sector": S, "category": S, "year": I, "count": I},
    ("membership", "countries"): {"iso3": S, "itu_d_region": S, "admin_region": S, "is_member_state": B},
}
#: The frame columns that are not a model attribute of the same name: the label and what it stands for.
DECLARED_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("results", "cycles"): {"cycle_code": "plan_cycle.code", "cycle_name": "plan_cycle.name"},
    ("results", "nodes"): {"node_id": "framework_node.id", "node_code": "framework_node.code",
                           "node_name": "framework_node.name"},
    ("results", "indicators"): {"indicator_id": "indicator.id",
                                "updated_at": "CAST(indicator.updated_at AS VARCHAR(32))"},
    ("workforce", "training"): {"completed_courses": "count(*)"},
    ("workforce", "courses"): {"courses": "count(DISTINCT training_completion.course)"},
    ("workforce", "recruitment"): {f"{name}": f"CAST(recruitment.{name} AS VARCHAR(10))"
                                   for name in ("posted_on", "closed_on", "selected_on")},
    ("management", "recommendations"): {
        "issued_on": "CAST(oversight_recommendation.issued_on AS VARCHAR(10))",
        "implemented_on": "CAST(oversight_recommendation.implemented_on AS VARCHAR(10))"},
    ("management", "actions"): {"resolution_title": "resolution.title"},
    ("management", "commitments"): {"due_on": "CAST(commitment.due_on AS VARCHAR(10))"},
    ("management", "follow_ups"): {"noted_on": "CAST(commitment_follow_up.noted_on AS VARCHAR(10))"},
}


def frame_queries() -> dict[tuple[str, str], Select]:
    """Every select a frame is read with: the results, workforce and management frames, and the membership's."""
    from kpi import membership

    return {**{("results", n): q for n, q in frames.RESULTS_QUERIES.items()},
            **{("workforce", n): q for n, q in frames.WORKFORCE_QUERIES.items()},
            **{("management", n): q for n, q in frames.MANAGEMENT_QUERIES.items()},
            ("membership", "membership"): membership.MEMBERSHIP_QUERY,
            ("membership", "countries"): membership.COUNTRY_QUERY}


def column_sources(query: Select) -> tuple[dict[str, str], dict[str, str]]:
    """Where each frame column of ``query`` comes from: ``{name: "Model.attribute"}`` for a model's column read under
    its attribute's name, and ``{label: "the SQL it labels"}`` for the rest. An AssertionError for a column that is
    neither (a bare column, or a model column under another name without a label)."""
    mappers = {mapper.local_table: mapper for mapper in m.Base.registry.mappers}
    attributes, labels = {}, {}
    for name, column in query.selected_columns.items():
        if isinstance(column, Label):
            labels[name] = str(column.element.compile(dialect=sqlite.dialect()))
            continue
        mapper = mappers.get(getattr(column, "table", None))
        assert mapper is not None, f"{name}: not a column of a model"
        attribute = mapper.get_property_by_column(column).key
        assert attribute == name, f"{name}: the model calls it {attribute}"
        attributes[name] = f"{mapper.class_.__name__}.{attribute}"
    return attributes, labels


def test_every_frame_column_is_a_model_attribute_or_a_declared_label():
    queries = frame_queries()
    sources = {frame: column_sources(query) for frame, query in queries.items()}
    assert {frame: labels for frame, (_, labels) in sources.items() if labels} == DECLARED_LABELS
    assert {frame: frames.frame_schema(query) for frame, query in queries.items()} == EXPECTED_SCHEMAS
    assert {frame: sorted([*attributes, *labels]) for frame, (attributes, labels) in sources.items()} == \
        {frame: sorted(schema) for frame, schema in EXPECTED_SCHEMAS.items()}


def test_the_loaded_frames_are_named_by_their_selects(demo_store_url):
    """On the demo store, each loaded frame has exactly its select's columns, in order, with the expected types."""
    from kpi import membership

    engine = make_engine(demo_store_url)
    try:
        results, management = frames.load_results(engine), frames.load_management(engine)
        loaded = {**{("results", f.name): getattr(results, f.name) for f in fields(results) if f.name != "meta"},
                  **{("workforce", n): frame for n, frame in frames.load_workforce(engine).items()},
                  **{("management", f.name): getattr(management, f.name) for f in fields(management)},
                  ("membership", "membership"): membership.load_membership(engine),
                  ("membership", "countries"): membership.load_countries(engine)}
        empty = frames.management_data()
    finally:
        engine.dispose()
    assert {frame: dict(data.schema) for frame, data in loaded.items()} == EXPECTED_SCHEMAS
    assert all(data.height for data in loaded.values())
    assert {f.name: dict(getattr(empty, f.name).schema) for f in fields(empty)} == \
        {name: schema for (group, name), schema in EXPECTED_SCHEMAS.items() if group == "management"}


def test_no_frame_is_read_by_position():
    """No SQL text mapped to columns by position is left: no read_frame, no SQL string in kpi.store.frames."""
    project = KPI_DIR.parent
    sources = [*KPI_DIR.rglob("*.py"), *(project / "ui").rglob("*.py"), *(project / "pages").rglob("*.py"),
               *(project / "tools").rglob("*.py"), *(project / "scripts").rglob("*.py"), project / "app.py"]
    assert [str(p.relative_to(project)) for p in sources if "read_frame" in p.read_text(encoding="utf-8")] == []
    frames_source = (STORE_DIR / "frames.py").read_text(encoding="utf-8")
    assert re.findall(r"""["'](?:SELECT|select)\s""", frames_source) == []
    assert re.findall(r"(?<![\w.])text\(", frames_source) == []


def test_a_select_that_cannot_name_its_frame_is_refused(schema_engine):
    with pytest.raises(ValueError, match="^the frame column 'code' is selected twice: label one of them$"):
        frames.frame_schema(select(m.Sector.code, m.Unit.code))
    with pytest.raises(ValueError, match="^the frame column 'code' is selected twice: label one of them$"):
        frames.frame_schema(select(m.Sector.code, m.Unit.name.label("code")))
    date = "the frame column 'posted_on' is Date(), which no frame holds: select a boolean, integer, float or text"
    with pytest.raises(TypeError, match=re.escape(f"{date} (dates and times as text: iso_text)")):
        frames.frame_schema(select(m.Recruitment.posted_on))
    with schema_engine.connect() as connection:
        with pytest.raises(ValueError,
                           match=r"^the result's columns \['other'\] are not the select's \['code AS other'\]$"):
            frames.select_frame(connection, select(literal_column("code AS other", String)).select_from(m.Sector))
        with pytest.raises(ValueError, match=r"^a frame's select takes no parameters, this one takes \['code_1'\]$"):
            frames.select_frame(connection, select(m.Sector.name).where(m.Sector.code == "ITU-D"))
        assert frames.select_frame(connection, select(m.Sector.name.label("sector_name"))).equals(
            pl.DataFrame(schema={"sector_name": pl.String}))


def _records(session: Session) -> None:
    """A few hand-made records of every table a frame reads (ids given, so that they are the same on every
    database)."""
    d = dt.date
    session.add_all([
        m.Sector(code="ITU-R", name="Radiocommunication Sector", bureau_code="BR", bureau="Radiocommunication Bureau"),
        m.Sector(code="ITU-D", name="Telecommunication Development Sector", bureau_code="BDT",
                 bureau="Telecommunication Development Bureau"),
        m.ItuDRegion(code="AFR", name="Africa"), m.AdminRegion(code="D", name="Africa"),
        m.Grade(code="P4", category="P", rank=4),
        m.PlanCycle(code="2024-2027", name="Strategic plan 2024-2027", start_year=2024, end_year=2027),
        m.Resolution(code="PP Res. 1", title="Tabs\tand \\ backslashes", conference="PP-22", year=2022),
        m.AccountabilityComponent(code="C2", pillar="Oversight", name="Audit", position=1),
        m.AccountabilityComponent(code="C1", pillar="Ethics", name="Code", position=1, source="illustrative"),
        m.Meta(key="data_version", value="7"), m.Meta(key="data_as_of", value="2024-12-31"),
    ])
    session.flush()
    session.add_all([
        m.Unit(code="BDT-DDR", name="Digital Development", sector_code="ITU-D"),
        m.Country(iso3="KEN", name="Kenya", itu_d_region="AFR", admin_region="D"),
        m.Country(iso3="ATA", name="Antarctica", itu_d_region="AFR", admin_region="D", is_member_state=False),
        m.FrameworkNode(id=10, cycle_code="2024-2027", code="G1", kind="goal", name="Connect", sort_order=1),
        m.FrameworkNode(id=11, cycle_code="2024-2027", code="O1", kind="outcome", name="Coverage", parent_id=10,
                        owner="ITU-D", sort_order=2, is_illustrative=True, source="Res. 71"),
    ])
    session.flush()
    session.add_all([
        m.DutyStation(code="Nairobi", name="Nairobi", country_iso3="KEN", kind="regional", itu_d_region="AFR"),
        m.DutyStation(code="Field", name="Field", country_iso3="KEN", kind="field"),
        m.Indicator(id=20, code="X.1", node_id=11, name="Coverage", unit="pct", lower_limit=0.0, upper_limit=100.0,
                    baseline_year=2023, baseline_value=41.5, is_synthetic=False, sort_order=1,
                    updated_at=dt.datetime(2024, 5, 31, 12, 30, 15)),
    ])
    session.flush()
    session.add_all([
        m.IndicatorTarget(indicator_id=20, year=2027, value=60.0, source="plan"),
        m.Observation(indicator_id=20, year=2024, value=44.25, disaggregation="sector=ITU-D", sector="ITU-D",
                      flag="estimate", note="n", coverage_pct=80.0, approval="validated"),
        m.Observation(indicator_id=20, year=2023, value=None, disaggregation=""),
        m.StaffSnapshot(year=2024, staff_key="S1", grade="P4", gender="F", nationality="KEN", duty_station="Nairobi",
                        sector="ITU-D", unit="BDT-DDR", contract_type="fixed-term"),
        m.StaffSnapshot(year=2023, staff_key="S1", grade="P4", gender="F", nationality="KEN", duty_station="Field",
                        sector="ITU-D", unit="BDT-DDR", contract_type="temporary"),
        m.TrainingCompletion(year=2024, staff_key="S1", course="ethics", completed=True),
        m.TrainingCompletion(year=2024, staff_key="S1", course="security", completed=False),
        m.TrainingCompletion(year=2023, staff_key="S1", course="ethics", completed=True),
        m.Recruitment(vacancy_ref="VA-1", grade="P4", sector="ITU-D", duty_station="Nairobi",
                      posted_on=d(2024, 1, 15), closed_on=d(2024, 2, 15)),
        m.Risk(code="R1", year=2024, title="Outage", category="operational", owner="BDT", node_id=11,
               inherent_likelihood=3, inherent_impact=4, residual_likelihood=2, residual_impact=2),
        m.BudgetLine(node_id=11, year=2024, sector="ITU-D", planned_chf=1000.0),
        m.OversightRecommendation(ref="EA-1", source="External Auditor", title="Close the gap", priority="high",
                                  owner="BDT", issued_on=d(2024, 3, 1), accepted=True),
        m.ResolutionAction(resolution_code="PP Res. 1", ref="A1", year=2024, description="Do", owner="BDT",
                           status="ongoing", progress_pct=50.0),
        m.Commitment(id=1, ref="R2024-1", year=2024, forum="retreat", text="Publish", owner="BDT",
                     due_on=d(2024, 12, 31), status="open"),
        m.AccountabilityAssessment(component_code="C1", year=2024, status="in place"),
        m.OperationalPlanItem(ref="OP-1", year=2024, unit="ITU-D", node_id=11, expected_result="More coverage",
                              indicator_id=20, resources_chf=5000.0),
        m.RecordLink(record_kind="risk", record_ref="R1", node_id=11),
        m.Membership(sector="ITU-D", category="Sector Members", year=2024, count=12),
    ])
    session.flush()
    session.add(m.CommitmentFollowUp(commitment_ref="R2024-1", noted_on=d(2024, 6, 30), status="on track", note="ok"))


#: The datetime an indicator was updated at, as text: each database writes its own (the domain reads the date part).
UPDATED_AT_TEXT = {"sqlite": "2024-05-31 12:30:15.000000", "postgresql": "2024-05-31 12:30:15"}
#: The frames read without an order (the domain orders them): compared sorted.
UNORDERED = {("workforce", "staff"), ("workforce", "training"), ("workforce", "courses"), ("workforce", "recruitment")}


def expected_frames(dialect: str) -> dict[tuple[str, str], pl.DataFrame]:
    """What the loaders read from :func:`_records`, frame by frame."""
    rows: dict[tuple[str, str], list[tuple]] = {
        ("results", "cycles"): [("2024-2027", "Strategic plan 2024-2027", 2024, 2027, "")],
        ("results", "nodes"): [(10, "2024-2027", "G1", "goal", "Connect", "", None, "ITU", 1, False, ""),
                               (11, "2024-2027", "O1", "outcome", "Coverage", "", 10, "ITU-D", 2, True, "Res. 71")],
        ("results", "indicators"): [(20, "X.1", 11, "Coverage", "", "pct", "higher", "sum", 0.0, 100.0, "", "annual",
                                     "ITU", 2023, 41.5, "", False, "", 1, UPDATED_AT_TEXT[dialect])],
        ("results", "targets"): [(20, 2027, 60.0, "plan")],
        ("results", "observations"): [
            (20, 2023, None, "", None, None, None, None, None, None, None, None, "", "", None, None, "provisional"),
            (20, 2024, 44.25, "sector=ITU-D", "ITU-D", None, None, None, None, None, None, None, "estimate", "n",
             80.0, None, "validated")],
        ("workforce", "staff"): [(2023, "S1", "P4", "F", "KEN", "Field", "ITU-D", "BDT-DDR", "temporary"),
                                 (2024, "S1", "P4", "F", "KEN", "Nairobi", "ITU-D", "BDT-DDR", "fixed-term")],
        ("workforce", "training"): [(2023, "S1", 1), (2024, "S1", 1)],
        ("workforce", "courses"): [(2023, 1), (2024, 2)],
        ("workforce", "recruitment"): [("VA-1", "P4", "ITU-D", "Nairobi", "2024-01-15", "2024-02-15", None)],
        ("workforce", "duty_stations"): [("Field", "Field", "KEN", "field", None),
                                         ("Nairobi", "Nairobi", "KEN", "regional", "AFR")],
        ("workforce", "countries"): [("ATA", "Antarctica", "AFR", "D", False), ("KEN", "Kenya", "AFR", "D", True)],
        ("workforce", "units"): [("BDT-DDR", "Digital Development", "ITU-D")],
        ("workforce", "sectors"): [
            ("ITU-D", "Telecommunication Development Sector", "BDT", "Telecommunication Development Bureau"),
            ("ITU-R", "Radiocommunication Sector", "BR", "Radiocommunication Bureau")],
        ("management", "risks"): [("R1", 2024, "Outage", "operational", "BDT", 11, 3, 4, 2, 2, "")],
        ("management", "budget"): [(11, 2024, "ITU-D", 1000.0, None)],
        ("management", "recommendations"): [("EA-1", "External Auditor", "Close the gap", "high", "BDT", "2024-03-01",
                                             True, None)],
        ("management", "actions"): [("PP Res. 1", "Tabs\tand \\ backslashes", "A1", 2024, "Do", "BDT", "ongoing",
                                     50.0)],
        ("management", "commitments"): [("R2024-1", 2024, "retreat", "Publish", "BDT", "2024-12-31", "open")],
        ("management", "follow_ups"): [("R2024-1", "2024-06-30", "on track", "ok")],
        ("management", "components"): [("C1", "Ethics", "Code", 1, "illustrative"),
                                       ("C2", "Oversight", "Audit", 1, "")],
        ("management", "assessments"): [("C1", 2024, "in place", "")],
        ("management", "plan_items"): [("OP-1", 2024, "ITU-D", 11, "More coverage", "", 20, "", 5000.0)],
        ("management", "links"): [("risk", "R1", 11, None)],
        ("membership", "membership"): [("ITU-D", "Sector Members", 2024, 12)],
        ("membership", "countries"): [("ATA", "AFR", "D", False), ("KEN", "AFR", "D", True)],
    }
    return {frame: pl.DataFrame(r, schema=EXPECTED_SCHEMAS[frame], orient="row") for frame, r in rows.items()}


def test_frames_round_trip_on_both_databases(schema_engine):
    """Records written on SQLite or PostgreSQL come back as the same frames (but the text of a datetime)."""
    from kpi import membership

    with Session(schema_engine) as session, session.begin():
        _records(session)
    results = frames.load_results(schema_engine)
    management = frames.load_management(schema_engine)
    loaded = {**{("results", f.name): getattr(results, f.name) for f in fields(results) if f.name != "meta"},
              **{("workforce", n): frame for n, frame in frames.load_workforce(schema_engine).items()},
              **{("management", f.name): getattr(management, f.name) for f in fields(management)},
              ("membership", "membership"): membership.load_membership(schema_engine),
              ("membership", "countries"): membership.load_countries(schema_engine)}
    loaded = {frame: data.sort(data.columns) if frame in UNORDERED else data for frame, data in loaded.items()}
    expected = expected_frames(schema_engine.dialect.name)
    assert {frame: dict(data.schema) for frame, data in loaded.items()} == \
        {frame: dict(data.schema) for frame, data in expected.items()}
    assert {frame: data.rows() for frame, data in loaded.items()} == \
        {frame: data.rows() for frame, data in expected.items()}
    assert all(data.equals(expected[frame]) for frame, data in loaded.items())
    meta = {"data_version": "7", "data_as_of": "2024-12-31"}
    assert (results.meta, frames.read_meta(schema_engine), frames.data_version(schema_engine)) == (meta, meta, 7)
