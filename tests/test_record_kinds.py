"""The kinds of the results chain's records (kpi.transfer.record_kinds) on SQLite and PostgreSQL.

Resolutions and their action items, commitments and their follow-ups, membership, the Accountability
Framework's components and assessments, operational plan items and links: bad files are refused with
their exact messages and the store left byte for byte as it was; good ones are written with their audit
trail; exports import back unchanged; only the roles that write these records may import them.

The stores start from the reference data with every template of ``data/templates`` imported, in the
order of the registry (so each kind finds the records it requires: RSK-90, R2025-91, AF-91, ...).
"""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kpi import access
from kpi import dimensions as dims
from kpi.config import REFERENCE_DIR
from kpi.store import models as m
from kpi.store.frames import data_version
from kpi.transfer import KINDS, run_export, run_import
from kpi.transfer import record_kinds
from tests.access_support import signed_in, writer
from tests.store_support import BACKENDS, PROJECT_DIR, USER, count, fingerprint, load_required, messages, xlsx_bytes

#: The kinds defined in kpi.transfer.record_kinds, in the order of the registry.
NEW_KINDS = [name for name, kind in KINDS.items() if any(kind is v for v in vars(record_kinds).values())]
RES_151 = "PP Res. 151 (Rev. Bucharest, 2022)"
LINK_HEADER = "record_kind,record_ref,cycle,node,indicator\n"
#: The nodes of 2024-2027 in the reference data and the nodes template (D1.O2, D1.O2.1).
NODES_2024 = ("D1, D1.O1, D1.O2, D1.O2.1, D2, D2.O1, D3, D3.O1, D4, D4.O1, D5, D5.O1, E1, G1, G2, R1, R1.O1, R2, "
              "R2.O1, T1, T1.O1")


def fill(engine: Engine) -> Engine:
    """Import every template into ``engine`` (a reference store), in the order of the registry."""
    for kind in KINDS:
        result = run_import(engine, kind, PROJECT_DIR / "data" / "templates" / f"{kind}.csv", actor=writer(USER))
        assert (kind, messages(result)) == (kind, [])
    return engine


@pytest.fixture(scope="module", params=BACKENDS)
def filled_store(request, stores) -> Engine:  # noqa: F811
    """One store per backend holding every template, for the tests that must leave it unchanged."""
    engine = fill(stores.new(request.param))
    yield engine
    stores.drop(engine)


@pytest.fixture(params=BACKENDS)
def store(request, stores) -> Engine:  # noqa: F811
    """A new store holding every template, on each backend, for the tests that write."""
    engine = fill(stores.new(request.param))
    yield engine
    stores.drop(engine)


def _plan_units() -> str:
    with (REFERENCE_DIR / "units.csv").open(encoding="utf-8") as fh:
        return ", ".join((*dims.SECTOR_CODES, *sorted(r["code"] for r in csv.DictReader(fh))))


def test_the_registry_holds_the_new_kinds_in_an_order_that_imports():
    """Each kind comes after the kinds it requires, so that templates and exports load in registry order."""
    order = list(KINDS)
    assert order[-len(NEW_KINDS):] == NEW_KINDS == [
        "resolutions", "resolution_actions", "commitments", "commitment_follow_ups", "membership",
        "accountability_components", "accountability_assessments", "operational_plan", "links"]
    assert {k: KINDS[k].requires for k in NEW_KINDS if KINDS[k].requires} == {
        "resolution_actions": ("resolutions",),
        "commitment_follow_ups": ("commitments",),
        "accountability_assessments": ("accountability_components",),
        "links": ("risks", "recommendations", "resolution_actions", "commitments"),
    }
    assert all(order.index(r) < order.index(k) for k in order for r in KINDS[k].requires)
    assert not any(KINDS[k].about_individuals for k in NEW_KINDS)  # data stewards write them


# ---------------------------------------------------------------- the catalogue of bad files

BAD_FILES = [
    pytest.param(
        "links", "links.csv",
        LINK_HEADER + "risk,RSK-99,2024-2027,E1,\ndecision,X,2024-2027,E1,\n"
        f'resolution_action,"{RES_151}/A1",,,E1.RECRUIT\ncommitment,R2025-91,2024-2027,E9,\n'
        "commitment,R2025-91,2024-2027,E1,E1.RECRUIT\ncommitment,R2025-91,,,\ncommitment,R2025-91,,E1,\n"
        "commitment,R2025-91,2024-2027,,E1.RECRUIT\ncommitment,R2025-91,,,XX.9\n",
        ['links.csv, row 2, column "record_ref": found "RSK-99", expected the risk\'s code (e.g. RSK-01) of a risk '
         "in the store",
         'links.csv, row 3, column "record_kind": found "decision", expected one of risk, recommendation, '
         "resolution_action, commitment",
         f'links.csv, row 4, column "record_ref": found "{RES_151}/A1", expected the resolution\'s code and the '
         f'action\'s ref joined by "|" (e.g. "{RES_151}|A1") of a resolution action in the store',
         f'links.csv, row 5, column "node": found "E9", expected a node of plan cycle 2024-2027 ({NODES_2024})',
         'links.csv, row 6, column "indicator": found "E1.RECRUIT", expected empty when the row names a node '
         "(one link per row: to a node or to an indicator)",
         'links.csv, row 7, column "node": expected the code of a framework node, or an indicator in the '
         "indicator column (the record's link)",
         'links.csv, row 8, column "cycle": expected the plan cycle of node E1',
         'links.csv, row 9, column "cycle": found "2024-2027", expected empty for a link to an indicator '
         "(an indicator's code names it in every cycle)",
         'links.csv, row 10, column "indicator": found "XX.9", expected an indicator code known to the store'],
        id="links-to-nothing"),
    pytest.param(
        "links", "links.csv",
        LINK_HEADER + "risk,RSK-90,2024-2027,E1,\nrisk,RSK-91,,,E1.RECRUIT\nrisk,RSK-90,2024-2027,E1,\n",
        ["links.csv, row 4: expected one row per record and node or indicator (row 2 has the same: risk, RSK-90, "
         "2024-2027, E1)"],
        id="links-duplicate"),
    pytest.param(
        "links", "links.csv", "record_kind,record_ref,indicator\nrisk,RSK-90,E1.RECRUIT\n",
        ['links.csv, row 1, column "cycle": expected this column, which is required',
         'links.csv, row 1, column "node": expected this column, which is required'],
        id="links-columns"),
    pytest.param(
        "commitment_follow_ups", "follow_ups.csv",
        "commitment,noted_on,status,note\nR2099-1,2025-01-01,ongoing,\nR2025-91,2024-12-31,done,\n"
        "R2025-91,2025-10-01,ongoing,a\nR2025-91,2025-10-01,implemented,b\n",
        ['follow_ups.csv, row 2, column "commitment": found "R2099-1", expected a commitment\'s ref '
         "(R2025-91, R2025-92)",
         'follow_ups.csv, row 3, column "noted_on": found "2024-12-31", expected a date in or after 2025 '
         "(commitment R2025-91 was made then)",
         'follow_ups.csv, row 3, column "status": found "done", expected one of not started, ongoing, implemented',
         "follow_ups.csv, row 5: expected one row per commitment and noted_on (row 4 has the same: R2025-91, "
         "2025-10-01)"],
        id="follow-ups"),
    pytest.param(
        "accountability_assessments", "assessments.csv",
        "component,year,status,note\nAF-99,2025,in place,\nAF-91,2025,green,\n",
        ['assessments.csv, row 2, column "component": found "AF-99", expected an Accountability Framework '
         "component code (AF-91, AF-92)",
         'assessments.csv, row 3, column "status": found "green", expected one of in place, partly in place, '
         "not in place"],
        id="assessments"),
    pytest.param(
        "resolution_actions", "actions.csv",
        "resolution,ref,year,description,owner,status,progress_pct\nPP Res. 999,A1,2025,x,GS,ongoing,10\n"
        f'"{RES_151}",A1,2021,x,GS,ongoing,10\n"{RES_151}",A2,2025,x,GS,implemented,80\n'
        f'"{RES_151}",A3,2025,x,GS,not started,120\n',
        [f'actions.csv, row 2, column "resolution": found "PP Res. 999", expected a resolution code ({RES_151}, '
         "PP Res. 71 (Rev. Bucharest, 2022))",
         f'actions.csv, row 3, column "year": found "2021", expected a year in or after 2022 (the year of {RES_151})',
         'actions.csv, row 4, column "progress_pct": found "80", expected 100 (the action is implemented)',
         'actions.csv, row 5, column "progress_pct": found "120", expected a number between 0 and 100'],
        id="resolution-actions"),
    pytest.param(
        "commitments", "commitments.csv",
        "ref,year,forum,text,owner,due_on,status\nR1,2025,Retreat,t,GS,2024-12-31,closed\nR2,2025,Retreat,t,BDT,,"
        "ongoing\n",
        ['commitments.csv, row 2, column "due_on": found "2024-12-31", expected a date in or after 2025 (the year '
         "the commitment was made)",
         'commitments.csv, row 2, column "status": found "closed", expected one of not started, ongoing, implemented',
         'commitments.csv, row 3, column "owner": found "BDT", expected a Sector code or ITU '
         "(GS, ITU-R, ITU-T, ITU-D, ITU)"],
        id="commitments"),
    pytest.param(
        "membership", "membership.csv",
        "sector,category,year,count\nITU-D,Member States,2025,194\nITU,Academia,2025,10\nGS,Sector Members,2025,5\n"
        "ITU-T,Observers,2025,-1\n",
        ['membership.csv, row 2, column "sector": found "ITU-D", expected ITU (Member States are members of the '
         "whole Union)",
         'membership.csv, row 3, column "sector": found "ITU", expected a Sector (ITU-R, ITU-T, ITU-D): Academia '
         "join a Sector",
         'membership.csv, row 4, column "sector": found "GS", expected one of ITU, ITU-R, ITU-T, ITU-D',
         'membership.csv, row 5, column "category": found "Observers", expected one of Member States, '
         "Sector Members, Associates, Academia",
         'membership.csv, row 5, column "count": found "-1", expected a whole number of at least 0'],
        id="membership"),
    pytest.param(
        "operational_plan", "plan.csv",
        "ref,year,unit,cycle,node,expected_result,indicator,resources_chf\nOP-1,2023,HRMX,2024-2027,E1,r,"
        "C30.INET.WLD,-5\nOP-2,2025,GS,2024-2027,Q1,r,,\n",
        ['plan.csv, row 2, column "year": found "2023", expected a year within plan cycle 2024-2027',
         f'plan.csv, row 2, column "unit": found "HRMX", expected a Sector or unit code ({_plan_units()})',
         'plan.csv, row 2, column "indicator": found "C30.INET.WLD", expected an indicator of plan cycle 2024-2027 '
         "(C30.INET.WLD is of 2020-2023)",
         'plan.csv, row 2, column "resources_chf": found "-5", expected a number of at least 0',
         f'plan.csv, row 3, column "node": found "Q1", expected a node of plan cycle 2024-2027 ({NODES_2024})'],
        id="operational-plan"),
    pytest.param(
        "commitments", "commitments.xlsx",
        xlsx_bytes({"commitments": [["ref", "year", "forum", "text", "owner", "status"],
                                    ["R9", 2025, "Retreat", '=HYPERLINK("http://127.0.0.1:8729/x","click")', "GS",
                                     "ongoing"]]}),
        ['commitments.xlsx, row 2, column "text": found "=HYPERLINK("http://127.0.0.1:8729/x","click")", expected a '
         "value, not a formula (cell D2: paste values only)"],
        id="xlsx-formula"),
]


@pytest.mark.parametrize(("kind", "name", "content", "expected"), BAD_FILES)
def test_bad_record_file_is_refused_with_every_problem_and_changes_nothing(filled_store, tmp_path, kind, name,
                                                                           content, expected):
    before = fingerprint(filled_store)
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    for dry_run in (True, False):
        result = run_import(filled_store, kind, path, actor=writer(USER), dry_run=dry_run)
        assert messages(result) == expected
        assert (result.added, result.changed, result.unchanged, result.batch_id) == (0, 0, 0, None)
    assert fingerprint(filled_store) == before


# ---------------------------------------------------------------- what good files do


def _changes(engine: Engine, batch_id: int) -> list[tuple]:
    with Session(engine) as s:
        return s.execute(select(m.ChangeLog.table_name, m.ChangeLog.record_key, m.ChangeLog.field,
                                m.ChangeLog.old_value, m.ChangeLog.new_value, m.ChangeLog.user)
                         .where(m.ChangeLog.batch_id == batch_id).order_by(m.ChangeLog.id)).all()


def test_follow_ups_are_written_audited_and_updated_by_their_key(store, tmp_path):
    path = tmp_path / "follow_ups.csv"
    path.write_text("commitment,noted_on,status,note\nR2025-92,2025-06-30,not started,\n"
                    "R2025-92,2025-10-15,ongoing,=1+1 is a note\n", encoding="utf-8")
    version = data_version(store)
    first = run_import(store, "commitment_follow_ups", path, actor=writer("alice"))
    assert (messages(first), first.added, first.changed, data_version(store)) == ([], 2, 0, version + 1)
    key = "commitment=R2025-92; noted_on=2025-10-15"
    assert _changes(store, first.batch_id) == [
        ("commitment_follow_up", "commitment=R2025-92; noted_on=2025-06-30", "status", None, "not started", "alice"),
        ("commitment_follow_up", key, "status", None, "ongoing", "alice"),
        ("commitment_follow_up", key, "note", None, "=1+1 is a note", "alice"),
    ]

    path.write_text("commitment,noted_on,status\nR2025-92,2025-10-15,implemented\n", encoding="utf-8")
    second = run_import(store, "commitment_follow_ups", path, actor=writer("bob"))
    assert (second.added, second.changed, second.unchanged) == (0, 1, 0)
    assert _changes(store, second.batch_id) == [("commitment_follow_up", key, "status", "ongoing", "implemented",
                                                 "bob")]
    with Session(store) as s:
        rows = s.execute(select(m.CommitmentFollowUp.commitment_ref, m.CommitmentFollowUp.noted_on,
                                m.CommitmentFollowUp.status, m.CommitmentFollowUp.note,
                                m.CommitmentFollowUp.batch_id)
                         .where(m.CommitmentFollowUp.commitment_ref == "R2025-92")
                         .order_by(m.CommitmentFollowUp.noted_on)).all()
    assert rows == [("R2025-92", dt.date(2025, 6, 30), "not started", "", first.batch_id),
                    ("R2025-92", dt.date(2025, 10, 15), "implemented", "=1+1 is a note", second.batch_id)]


def test_links_store_ids_and_log_what_they_tie(store, tmp_path):
    path = tmp_path / "links.csv"
    path.write_text(LINK_HEADER + f'resolution_action,"{RES_151}|A1",2024-2027,E1,\n'
                    "recommendation,JIU-2025-9002,,,E1.OVERSIGHT\nrisk,RSK-90,2024-2027,E1,\n", encoding="utf-8")
    result = run_import(store, "links", path, actor=writer(USER))
    assert (messages(result), result.added, result.unchanged) == ([], 2, 1)  # RSK-90 -> E1 is in the template
    action_key = f"record_kind=resolution_action; record_ref={RES_151}|A1; cycle=2024-2027; node=E1; indicator="
    rec_key = "record_kind=recommendation; record_ref=JIU-2025-9002; cycle=; node=; indicator=E1.OVERSIGHT"
    assert _changes(store, result.batch_id) == [
        ("record_link", action_key, "cycle", None, "2024-2027", USER),
        ("record_link", action_key, "node", None, "E1", USER),
        ("record_link", rec_key, "indicator", None, "E1.OVERSIGHT", USER),
    ]
    with Session(store) as s:
        stored = s.execute(select(m.RecordLink.record_kind, m.RecordLink.record_ref, m.FrameworkNode.code,
                                  m.Indicator.code)
                           .outerjoin(m.FrameworkNode, m.RecordLink.node_id == m.FrameworkNode.id)
                           .outerjoin(m.Indicator, m.RecordLink.indicator_id == m.Indicator.id)
                           .where(m.RecordLink.batch_id == result.batch_id).order_by(m.RecordLink.id)).all()
    assert stored == [("resolution_action", f"{RES_151}|A1", "E1", None),
                      ("recommendation", "JIU-2025-9002", None, "E1.OVERSIGHT")]


def test_records_known_by_their_code_are_updated_in_place(store, tmp_path):
    """Resolutions and components have their code as primary key: an import updates them by it."""
    path = tmp_path / "resolutions.csv"
    path.write_text(f'code,title,conference,year\n"{RES_151}",Results-based management,PP-22,2022\n',
                    encoding="utf-8")
    result = run_import(store, "resolutions", path, actor=writer(USER))
    assert (messages(result), result.added, result.changed) == ([], 0, 1)
    assert _changes(store, result.batch_id) == [
        ("resolution", f"code={RES_151}", "title", "Improvement of results-based management in ITU",
         "Results-based management", USER)]
    with Session(store) as s:
        assert s.get(m.Resolution, RES_151).title == "Results-based management"


def test_many_components_are_added_then_renamed(store, tmp_path):
    """2,100 rows: on PostgreSQL the update goes through COPY into a table keyed by the component's code."""
    n = 2100
    path = tmp_path / "components.csv"
    path.write_text("code,pillar,name\n" + "".join(f"C{i:05d},P,name {i}\n" for i in range(n)), encoding="utf-8")
    added = run_import(store, "accountability_components", path, actor=writer(USER))
    assert (messages(added), added.added) == ([], n)
    path.write_text("code,pillar,name\n" + "".join(f"C{i:05d},P,renamed {i}\n" for i in range(n)), encoding="utf-8")
    renamed = run_import(store, "accountability_components", path, actor=writer(USER))
    assert (messages(renamed), renamed.changed, count(store, m.ChangeLog, m.ChangeLog.batch_id == renamed.batch_id)) \
        == ([], n, n)
    with Session(store) as s:
        names = dict(s.execute(select(m.AccountabilityComponent.code, m.AccountabilityComponent.name)
                               .where(m.AccountabilityComponent.code.like("C%"))).all())
    assert names == {f"C{i:05d}": f"renamed {i}" for i in range(n)}


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_each_record_kind_makes_a_round_trip_without_the_demo(store, stores, tmp_path, kind):  # noqa: F811
    """Export then import changes nothing; into a reference store (with what it requires), the same file again."""
    exported = tmp_path / f"{kind}.csv"
    rows = run_export(store, kind, exported, actor=writer(USER))
    logged = count(store, m.ChangeLog)
    again = run_import(store, kind, exported, actor=writer(USER))
    assert (messages(again), again.added, again.changed, again.unchanged, count(store, m.ChangeLog)) == (
        [], 0, 0, rows, logged)
    fresh = stores.new(store.dialect.name)
    try:
        load_required(store, fresh, kind, tmp_path)
        loaded = run_import(fresh, kind, exported, actor=writer(USER))
        assert (messages(loaded), loaded.added) == ([], rows)
        copy = tmp_path / f"{kind}_again.csv"
        run_export(fresh, kind, copy, actor=writer(USER))
        assert copy.read_bytes() == exported.read_bytes()
    finally:
        stores.drop(fresh)


def test_a_formula_text_is_stored_as_text_and_exported_neutralised(store, tmp_path):
    hostile = '=HYPERLINK("http://127.0.0.1:8729/x","click")'
    path = tmp_path / "assessments.csv"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["component", "year", "status", "note"],
                                                    ["AF-91", "2024", "not in place", hostile]])
    path.write_text(out.getvalue(), encoding="utf-8")
    assert messages(run_import(store, "accountability_assessments", path, actor=writer(USER))) == []
    exported = tmp_path / "export.csv"
    run_export(store, "accountability_assessments", exported, actor=writer(USER))
    assert exported.read_text(encoding="utf-8-sig").splitlines()[1] == (
        'AF-91,2024,not in place,"\'=HYPERLINK(""http://127.0.0.1:8729/x"",""click"")"')
    again = run_import(store, "accountability_assessments", exported, actor=writer(USER))
    assert (messages(again), again.changed, again.unchanged) == ([], 0, 3)
    with Session(store) as s:
        assert s.scalar(select(m.AccountabilityAssessment.note)
                        .where(m.AccountabilityAssessment.year == 2024)) == hostile


# ---------------------------------------------------------------- who may write them


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_only_a_data_steward_for_all_sectors_imports_them(filled_store, tmp_path, kind):
    path = PROJECT_DIR / "data" / "templates" / f"{kind}.csv"
    before = fingerprint(filled_store)
    refusals = {
        "staff": signed_in("staff@example.org", access.STAFF),
        "hr": signed_in("hr@example.org", access.HR_ANALYST),
        "sector": signed_in("d.steward@example.org", access.DATA_STEWARD, sector="ITU-D"),
    }
    for who, actor in refusals.items():
        with pytest.raises(access.AccessDenied, match=f"importing {kind} needs"):
            run_import(filled_store, kind, path, actor=actor, dry_run=True)
    steward = signed_in("steward@example.org", access.DATA_STEWARD)
    assert messages(run_import(filled_store, kind, path, actor=steward, dry_run=True)) == []
    assert fingerprint(filled_store) == before
