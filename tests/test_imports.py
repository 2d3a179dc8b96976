"""Imports (kpi.transfer) on SQLite and PostgreSQL: a catalogue of bad files, each refused with its
exact messages and the store left byte for byte as it was; all-or-nothing writes, the audit
trail, approval of periods, speed at 100,000 rows, and the command line.

Each test gets its own store, copied from a store built once per session with the reference data
(``initialise(demo=False)``) or the demo data: a SQLite file, or a PostgreSQL database of its own
(``rbm_test_imports_*``, created from a template database) so that tests of other modules using
the shared test database cannot interfere.
"""
from __future__ import annotations

import csv
import getpass
import hashlib
import io
import os
import subprocess
import sys
import time

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kpi.store import models as m
from kpi.store.frames import data_version
from kpi.transfer import run_import, value_history
from kpi.transfer.approval import reopen_period, validate_period
from tests.access_support import writer
from tests.store_support import (
    BACKENDS, OBSERVATION_HEADER, PROJECT_DIR, STAFF_HEADER, USER, _obs, count, fingerprint, messages,
    observations_csv, staff_csv, xlsx_bytes,
)


# ---------------------------------------------------------------- the catalogue of bad files

OBS_COLUMNS = ("indicator, year, value, sector, region, country, grade, gender, duty_station, income_group, "
               "country_group, flag, note")
STATIONS = ("Addis Ababa, Bangkok, Brasilia, Bridgetown, Cairo, Dakar, Geneva, Harare, Jakarta, Moscow, New Delhi, "
            "New York, Riyadh, Santiago, Tegucigalpa, Vilnius, Yaounde")
NODES_2024 = ("D1, D1.O1, D2, D2.O1, D3, D3.O1, D4, D4.O1, D5, D5.O1, E1, G1, G2, R1, R1.O1, R2, R2.O1, T1, "
              "T1.O1")
GRADES = "G1, G2, G3, G4, G5, G6, G7, NOA, NOB, NOC, NOD, NOE, P1, P2, P3, P4, P5, D1, D2, ELECTED"

BAD_FILES = [
    pytest.param(
        "observations", "values.csv", b"indicator\tyear\tvalue\nD1.PROJ\t2024\t50\n",
        ["values.csv, row 1: expected columns separated by commas or semicolons, found tabs"],
        id="tab-delimiter"),
    pytest.param(
        "observations", "values.csv", "indicator,year,value,note\nD1.PROJ,2024,50,Côte d'Ivoire\n".encode("latin-1"),
        ['values.csv, row 2: expected UTF-8 text, found byte 0xF4 at byte offset 43, which is not UTF-8 '
         '(save the file as "CSV UTF-8")'],
        id="latin-1"),
    pytest.param(
        "observations", "values.csv", b"",
        ["values.csv: expected a header row naming the columns, then one row per record (the file is empty)"],
        id="empty-file"),
    pytest.param(
        "observations", "values.csv", OBSERVATION_HEADER.encode(),
        ["values.csv: expected at least one row of data below the header (row 1)"],
        id="header-only"),
    pytest.param(
        "observations", "values.csv", b"indicator,year,colour,note\nD1.PROJ,2024,red,x\n",
        [f'values.csv, row 1: found "colour", expected a column of observations: {OBS_COLUMNS}',
         'values.csv, row 1, column "value": expected this column, which is required'],
        id="missing-and-extra-columns"),
    pytest.param(
        "observations", "values.csv",
        _obs("XX.9,2024,1,,,,,,,,", "D1.PROJ,2024,1,ITU-X,MARS,ZZZ,P9,X,Atlantis,guess,"),
        ['values.csv, row 2, column "indicator": found "XX.9", expected an indicator code known to the store',
         'values.csv, row 3, column "sector": found "ITU-X", expected a Sector code (GS, ITU-R, ITU-T, ITU-D)',
         'values.csv, row 3, column "region": found "MARS", expected an ITU-D region code or WLD '
         '(AFR, AMS, ARB, ASP, CIS, EUR, WLD)',
         'values.csv, row 3, column "country": found "ZZZ", expected an ISO 3166-1 alpha-3 country code known to '
         'the store',
         f'values.csv, row 3, column "grade": found "P9", expected a grade ({GRADES})',
         'values.csv, row 3, column "gender": found "X", expected one of F, M',
         f'values.csv, row 3, column "duty_station": found "Atlantis", expected a duty station ({STATIONS})',
         'values.csv, row 3, column "flag": found "guess", expected one of estimate, provisional, break (or empty)'],
        id="unknown-codes"),
    pytest.param(
        "observations", "values.csv", _obs("D1.PROJ,2024,abc,,,,,,,,", "D1.PROJ,2025,,,,,,,,,"),
        ['values.csv, row 2, column "value": found "abc", expected a number',
         'values.csv, row 3, column "value": expected a value (this column may not be empty)'],
        id="text-in-number-column"),
    pytest.param(
        "observations", "values.csv", _obs("D1.PROJ,2024,140,,,,,,,,"),
        ['values.csv, row 2, column "value": found "140", expected a percentage between 0 and 100 '
         '(D1.PROJ is in %)'],
        id="percentage-140"),
    pytest.param(
        "observations", "values.csv", _obs("D1.PROJ,3024,50,,,,,,,,"),
        ['values.csv, row 2, column "year": found "3024", expected a year between 1990 and 2100'],
        id="year-3024"),
    pytest.param(
        "observations", "values.csv",
        _obs("D1.PROJ,2024,50,,AFR,,,,,,", "D1.PROJ,2024,51,,,,,,,,", "D1.PROJ,2024,52,,AFR,,,,,,"),
        ["values.csv, row 4: expected one row per indicator, year and disaggregation "
         "(row 2 has the same: D1.PROJ, 2024, region=AFR)"],
        id="duplicate-key"),
    pytest.param(
        "observations", "values.xlsx",
        xlsx_bytes({"Sheet1": [["indicator", "year", "value"]], "Notes": [["x"]]}),
        ['values.xlsx: found "Sheet1, Notes", expected a single sheet, or a sheet named "observations"'],
        id="xlsx-several-sheets"),
    pytest.param(
        "observations", "values.xlsx",
        xlsx_bytes({"values": [["indicator", "year", "value"], ["D1.PROJ", 2024, 50], ["D1.PROJ", 2025, "=C2*2"]]}),
        ['values.xlsx, row 3, column "value": found "=C2*2", expected a value, not a formula '
         '(cell C3: paste values only)'],
        id="xlsx-formula"),
    pytest.param(
        "observations", "values.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(64),
        ["values.xlsx: expected an Excel workbook (.xlsx), found a file that is not a spreadsheet"],
        id="png-named-xlsx"),
    pytest.param(
        "observations", "values.csv", b"\x89PNG\r\n\x1a\n" + bytes(64),
        ['values.csv, row 1: expected UTF-8 text, found byte 0x89 at byte offset 0, which is not UTF-8 '
         '(save the file as "CSV UTF-8")'],
        id="png-named-csv"),
    pytest.param(
        "observations", "values.csv",
        xlsx_bytes({"observations": [["indicator", "year", "value"], ["D1.PROJ", 2024, 50]]}),
        ["values.csv: expected CSV text (this file is a zip archive, probably an Excel workbook: name it .xlsx)"],
        id="xlsx-named-csv"),
    pytest.param(
        "observations", "values.ods", b"whatever",
        ['values.ods: expected a .csv or .xlsx file, not ".ods"'],
        id="other-extension"),
    pytest.param(
        "observations", "values.csv", _obs("D1.PROJ,2024,50,,,,,,,,,extra"),
        ["values.csv, row 2: expected at most 11 values, one per column of the header (found 12)"],
        id="too-many-values"),
    pytest.param(
        "observations", "values.csv", _obs('D1.PROJ,2024,50,,,,,,,,"unclosed'),
        ["values.csv, row 2: expected well-formed CSV (a quote is not closed or is misplaced: "
         "unexpected end of data)"],
        id="unclosed-quote"),
    pytest.param(
        "observations", "values.csv", _obs("E1.RECRUIT,2024,50,,,,,,,,", "D1.PROJ,2024,50,,EUR,KEN,,,,,"),
        ['values.csv, row 2, column "indicator": found "E1.RECRUIT", expected an indicator that is reported, not '
         'computed (E1.RECRUIT is computed from recruitment records: import those instead)',
         'values.csv, row 3, column "region": found "EUR", expected AFR (the ITU-D region of KEN) or empty'],
        id="computed-indicator-and-wrong-region"),
    pytest.param(
        "targets", "targets.csv", b"indicator,year,value\nG1.INET,2015,50\nE1.RECRUIT,2031,-5\n",
        ['targets.csv, row 2, column "year": found "2015", expected a year from 2024 onwards (the start of '
         "G1.INET's plan cycle 2024-2027)",
         'targets.csv, row 3, column "value": found "-5", expected a number of at least 0 '
         "(the limits of E1.RECRUIT)"],
        id="target-before-its-cycle"),
    pytest.param(
        "staff", "staff.csv",
        (STAFF_HEADER + "2024,S1,P4,F,KEN,Geneva,ITU-D,HRMD,fixed-term\n"
         + "2024,S2,P4,F,KEN,Geneva,ITU-D,BDT-DNE,permanent\n" + "2024," + "K" * 30
         + ",P4,F,KEN,Geneva,ITU-D,BDT-DNE,fixed-term\n").encode(),
        ['staff.csv, row 2, column "unit": found "HRMD", expected a unit of ITU-D '
         "(BDT-DDR, BDT-DKS, BDT-DNE, BDT-FIELD, BDT-PPS)",
         'staff.csv, row 3, column "contract_type": found "permanent", expected one of continuing, fixed-term, '
         "temporary",
         'staff.csv, row 4, column "staff_key": found "KKKKKKKKKKKKKKKKKKKKKKKKKKKKKK", expected at most 24 '
         "characters (this has 30)"],
        id="staff-unit-contract-length"),
    pytest.param(
        "recruitments", "vacancies.csv",
        b"vacancy_ref,grade,sector,duty_station,posted_on,closed_on,selected_on\n"
        b"V1,P3,GS,Geneva,2024-02-30,,\nV2,P3,GS,Geneva,2024-03-01,2024-02-01,\nV3,P3,GS,Geneva,01/03/2024,,\n",
        ['vacancies.csv, row 2, column "posted_on": found "2024-02-30", expected a date written YYYY-MM-DD '
         "(this day does not exist)",
         'vacancies.csv, row 3, column "closed_on": found "2024-02-01", expected a date on or after posted_on '
         "(2024-03-01)",
         'vacancies.csv, row 4, column "posted_on": found "01/03/2024", expected a date written YYYY-MM-DD'],
        id="bad-dates"),
    pytest.param(
        "nodes", "nodes.csv",
        b"cycle,code,kind,parent,owner,name\n2024-2027,A,output,B,ITU,a\n2024-2027,B,output,A,ITU,b\n"
        b"2024-2027,C,output,C,ITU,c\n2024-2027,D,output,NOPE,ITU,d\n",
        ['nodes.csv, row 2, column "parent": found "B", expected a parent that does not lead back to this node '
         "(the parents form a loop)",
         'nodes.csv, row 3, column "parent": found "A", expected a parent that does not lead back to this node '
         "(the parents form a loop)",
         'nodes.csv, row 4, column "parent": found "C", expected the code of another node '
         "(a node cannot be its own parent)",
         'nodes.csv, row 5, column "parent": found "NOPE", expected the code of a node of plan cycle 2024-2027, '
         "in the store or in this file"],
        id="node-parents"),
    pytest.param(
        "budget", "budget.csv",
        b"cycle,node,year,sector,planned_chf,actual_chf\n2024-2027,D1.O1,2030,ITU-D,100,\n"
        b"2024-2027,ZZ,2025,ITU-D,-1,5\n",
        ['budget.csv, row 2, column "year": found "2030", expected a year within plan cycle 2024-2027',
         f'budget.csv, row 3, column "node": found "ZZ", expected a node of plan cycle 2024-2027 ({NODES_2024})',
         'budget.csv, row 3, column "planned_chf": found "-1", expected a number of at least 0'],
        id="budget-node-and-year"),
    pytest.param(
        "risks", "risks.csv",
        b"code,year,title,category,owner,cycle,node,inherent_likelihood,inherent_impact,residual_likelihood,"
        b"residual_impact\nR1,2025,t,financial,GS,,E1,6,0,2.5,x\n",
        ['risks.csv, row 2, column "cycle": expected the plan cycle of node E1',
         'risks.csv, row 2, column "inherent_likelihood": found "6", expected a whole number between 1 and 5',
         'risks.csv, row 2, column "inherent_impact": found "0", expected a whole number between 1 and 5',
         'risks.csv, row 2, column "residual_likelihood": found "2.5", expected a whole number between 1 and 5',
         'risks.csv, row 2, column "residual_impact": found "x", expected a whole number between 1 and 5'],
        id="risk-scales"),
    pytest.param(
        "indicators", "indicators.csv",
        b"code,cycle,node,name,unit,direction,aggregation,owner,lower_limit,upper_limit,baseline_value\n"
        b"X.1,2024-2027,Q9,x,percent,up,sum,ITU,10,5,\nX.2,2024-2027,D1,x,pct,higher,mean,ITU,0,100,120\n",
        [f'indicators.csv, row 2, column "node": found "Q9", expected a node of plan cycle 2024-2027 ({NODES_2024})',
         'indicators.csv, row 2, column "unit": found "percent", expected one of pct, number, days, CHF, per100',
         'indicators.csv, row 2, column "direction": found "up", expected one of higher, lower',
         'indicators.csv, row 2, column "upper_limit": found "5", expected a number of at least the lower limit (10)',
         'indicators.csv, row 3, column "baseline_value": found "120", expected a percentage between 0 and 100 '
         "(the unit is pct)"],
        id="indicator-sheet"),
    pytest.param(
        "recommendations", "recs.csv",
        b"ref,source,title,priority,owner,issued_on,accepted,implemented_on\n"
        b"A-1,IMAC,t,urgent,GS,2025-03-01,no,2025-04-01\nA-2,JIU,t,high,GS,2025-03-01,maybe,2025-01-01\n",
        ['recs.csv, row 2, column "source": found "IMAC", expected one of External Auditor, Internal Audit, JIU, '
         "Independent Management Advisory Committee, Evaluation",
         'recs.csv, row 2, column "priority": found "urgent", expected one of high, medium, low',
         'recs.csv, row 2, column "implemented_on": found "2025-04-01", expected empty (the recommendation was not '
         "accepted)",
         'recs.csv, row 3, column "accepted": found "maybe", expected yes or no',
         'recs.csv, row 3, column "implemented_on": found "2025-01-01", expected a date on or after issued_on '
         "(2025-03-01)"],
        id="recommendation-codes-and-dates"),
]


@pytest.fixture(scope="module", params=BACKENDS)
def shared_store(request, stores) -> Engine:
    """One reference store per backend for the tests that must leave it unchanged."""
    engine = stores.new(request.param)
    yield engine
    stores.drop(engine)


@pytest.mark.parametrize(("kind", "name", "content", "expected"), BAD_FILES)
def test_bad_file_is_refused_with_every_problem_and_changes_nothing(shared_store, tmp_path, kind, name, content,
                                                                    expected):
    before = fingerprint(shared_store)
    path = tmp_path / name
    path.write_bytes(content)
    for dry_run in (True, False):
        result = run_import(shared_store, kind, path, actor=writer(USER), dry_run=dry_run)
        assert messages(result) == expected
        assert (result.added, result.changed, result.unchanged, result.batch_id) == (0, 0, 0, None)
        assert result.summary().endswith("nothing was imported")
    assert fingerprint(shared_store) == before


# ---------------------------------------------------------------- what valid files do


@pytest.mark.parametrize(("name", "content"), [
    pytest.param("values.csv", b"\xef\xbb\xbf" + _obs("D1.PROJ,2024,50,,,,,,,,"), id="utf8-bom"),
    pytest.param("values.csv", b"indicator;year;value;note\r\nD1.PROJ;2024;50,5;caf\xc3\xa9\r\n", id="semicolon"),
    pytest.param("values.xlsx", xlsx_bytes({"README": [["see the other sheet"]],
                                           "Observations": [["Indicator", "year", "value"], ["D1.PROJ", 2024, 50.5]]}),
                 id="xlsx-sheet-named-after-kind"),
])
def test_accepted_variants_of_a_file(shared_store, tmp_path, name, content):
    before = fingerprint(shared_store)
    path = tmp_path / name
    path.write_bytes(content)
    result = run_import(shared_store, "observations", path, actor=writer(USER), dry_run=True)
    assert messages(result) == []
    assert (result.added, result.changed, result.unchanged, result.summary()) == (
        1, 0, 0, "would add 1, change 0, leave 0 unchanged")
    assert fingerprint(shared_store) == before


def test_import_writes_all_rows_and_a_second_import_changes_nothing(store, tmp_path):
    path = tmp_path / "values.csv"
    path.write_bytes(_obs("D1.PROJ,2024,50,,,,,,,estimate,first", "D1.PROJ,2024,40,ITU-D,,,,,,,",
                          "D1.PROJ,2024,45,,AFR,,,,,,", "D1.AFFORD,2023,12,,,,P4,F,,,"))
    version = data_version(store)
    dry = run_import(store, "observations", path, actor=writer(USER), dry_run=True)
    assert (dry.added, dry.changed, dry.unchanged, dry.batch_id) == (4, 0, 0, None)
    assert data_version(store) == version

    first = run_import(store, "observations", path, actor=writer(USER))
    assert (first.added, first.changed, first.unchanged, first.summary()) == (
        4, 0, 0, "added 4, changed 0, left 0 unchanged")
    assert data_version(store) == version + 1
    with Session(store) as s:
        rows = s.execute(
            select(m.Indicator.code, m.Observation.year, m.Observation.disaggregation, m.Observation.value,
                   m.Observation.sector, m.Observation.region, m.Observation.grade, m.Observation.gender,
                   m.Observation.flag, m.Observation.note, m.Observation.approval, m.Observation.batch_id)
            .join(m.Indicator).where(m.Observation.batch_id == first.batch_id)
            .order_by(m.Indicator.code, m.Observation.disaggregation)).all()
        batch = s.get(m.ImportBatch, first.batch_id)
        logs = s.execute(select(m.ChangeLog.record_key, m.ChangeLog.field, m.ChangeLog.old_value,
                                m.ChangeLog.new_value, m.ChangeLog.user)
                         .where(m.ChangeLog.batch_id == first.batch_id).order_by(m.ChangeLog.id)).all()
    b = first.batch_id
    assert rows == [
        ("D1.AFFORD", 2023, "grade=P4|gender=F", 12.0, None, None, "P4", "F", "", "", "provisional", b),
        ("D1.PROJ", 2024, "", 50.0, None, None, None, None, "estimate", "first", "provisional", b),
        ("D1.PROJ", 2024, "region=AFR", 45.0, None, "AFR", None, None, "", "", "provisional", b),
        ("D1.PROJ", 2024, "sector=ITU-D", 40.0, "ITU-D", None, None, None, "", "", "provisional", b),
    ]
    assert (batch.kind, batch.file_name, batch.rows, batch.added, batch.changed, batch.unchanged, batch.user) == (
        "observations", "values.csv", 4, 4, 0, 0, USER)
    assert batch.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert logs == [
        ("indicator=D1.PROJ; year=2024; disaggregation=", "value", None, "50", USER),
        ("indicator=D1.PROJ; year=2024; disaggregation=", "flag", None, "estimate", USER),
        ("indicator=D1.PROJ; year=2024; disaggregation=", "note", None, "first", USER),
        ("indicator=D1.PROJ; year=2024; disaggregation=sector=ITU-D", "value", None, "40", USER),
        ("indicator=D1.PROJ; year=2024; disaggregation=region=AFR", "value", None, "45", USER),
        ("indicator=D1.AFFORD; year=2023; disaggregation=grade=P4|gender=F", "value", None, "12", USER),
    ]

    logged = count(store, m.ChangeLog)
    again = run_import(store, "observations", path, actor=writer(USER))
    assert (again.added, again.changed, again.unchanged) == (0, 0, 4)
    assert again.batch_id is not None and again.batch_id != first.batch_id  # the batch is still recorded
    assert count(store, m.ChangeLog) == logged
    assert data_version(store) == version + 1  # nothing changed: caches stay valid


def test_changed_values_are_logged_and_make_a_history(store, tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_bytes(_obs("D1.PROJ,2024,50,,,,,,,,", "D1.PROJ,2025,55,,,,,,,,"))
    second.write_bytes(b"indicator,year,value,note\nD1.PROJ,2024,52.5,revised\nD1.PROJ,2025,55,\n"
                       b"D1.PROJ,2026,60,new\n")
    a = run_import(store, "observations", first, actor=writer("alice"))
    b = run_import(store, "observations", second, actor=writer("bob"))
    assert (b.added, b.changed, b.unchanged) == (1, 1, 1)
    history = value_history(store, "D1.PROJ", 2024)
    assert history.select("user", "field", "old_value", "new_value", "batch_id", "file_name").rows() == [
        ("alice", "value", None, "50", a.batch_id, "first.csv"),
        ("bob", "value", "50", "52.5", b.batch_id, "second.csv"),
        ("bob", "note", "", "revised", b.batch_id, "second.csv"),
    ]
    assert history.columns == ["changed_at", "user", "field", "old_value", "new_value", "batch_id", "file_name"]
    assert value_history(store, "D1.PROJ", 2024, "region=AFR").height == 0


def test_a_validated_year_refuses_changes_until_reopened(store, tmp_path):
    path = tmp_path / "values.csv"
    path.write_bytes(_obs("D1.PROJ,2024,50,,,,,,,,", "D1.PROJ,2024,45,,AFR,,,,,,", "D2.PROG,2024,30,,,,,,,,"))
    run_import(store, "observations", path, actor=writer("alice"))

    assert validate_period(store, 2024, actor=writer("steward"), indicator_code="D1.PROJ") == 2
    assert validate_period(store, 2024, actor=writer("steward"), indicator_code="D1.PROJ") == 0  # already validated
    with Session(store) as s:
        approvals = dict(s.execute(select(m.Observation.disaggregation + ":" + m.Indicator.code,
                                          m.Observation.approval).join(m.Indicator)
                                   .where(m.Observation.year == 2024, m.Indicator.code.in_(["D1.PROJ", "D2.PROG"])))
                         .all())
    assert approvals == {":D1.PROJ": "validated", "region=AFR:D1.PROJ": "validated", ":D2.PROG": "provisional"}

    # rows equal to the validated values pass; new or changed ones are refused, one problem per row
    unchanged = run_import(store, "observations", path, actor=writer("alice"), dry_run=True)
    assert (messages(unchanged), unchanged.unchanged) == ([], 3)
    changed = tmp_path / "changed.csv"
    changed.write_bytes(_obs("D1.PROJ,2024,51,,,,,,,,", "D1.PROJ,2024,45,,AFR,,,,,,", "D1.PROJ,2024,20,,ASP,,,,,,",
                             "D2.PROG,2024,31,,,,,,,,"))
    before = fingerprint(store)
    refused = run_import(store, "observations", changed, actor=writer("alice"))
    day = f"{validated_on(store):%Y-%m-%d}"
    assert messages(refused) == [
        f'changed.csv, row 2, column "value": found "51", expected the validated value "50" (2024 was validated '
        f"by steward on {day}: reopen it to change values)",
        f'changed.csv, row 4, column "year": found "2024", expected a year that is not validated (2024 was '
        f"validated by steward on {day}: reopen it to add values)",
    ]
    assert fingerprint(store) == before

    with pytest.raises(ValueError, match="a reason is required"):
        reopen_period(store, 2024, actor=writer("steward"), reason=" ")
    with pytest.raises(ValueError, match="2023 is not validated"):
        reopen_period(store, 2023, actor=writer("steward"), reason="typo")
    assert reopen_period(store, 2024, actor=writer("steward"), reason="late revision", indicator_code="D1.PROJ") == 1
    accepted = run_import(store, "observations", changed, actor=writer("alice"))
    assert (messages(accepted), accepted.added, accepted.changed, accepted.unchanged) == ([], 1, 2, 1)
    history = value_history(store, "D1.PROJ", 2024)
    assert history.select("user", "field", "old_value", "new_value").rows() == [
        ("alice", "value", None, "50"),
        ("steward", "approval", "provisional", "validated"),
        ("alice", "value", "50", "51"),
        ("alice", "approval", "validated", "provisional"),
    ]
    with Session(store) as s:
        period = s.scalar(select(m.ValidatedPeriod))
        period_log = s.execute(select(m.ChangeLog.record_key, m.ChangeLog.field, m.ChangeLog.new_value)
                               .where(m.ChangeLog.table_name == "validated_period", m.ChangeLog.field != "validated_at",
                                      m.ChangeLog.field != "reopened_at").order_by(m.ChangeLog.id)).all()
    assert (period.year, period.validated_by, period.reopened_by, period.reason) == (
        2024, "steward", "steward", "late revision")
    assert period_log == [
        ("year=2024; indicator=D1.PROJ", "validated_by", "steward"),
        ("year=2024; indicator=D1.PROJ", "reopened_by", "steward"),
        ("year=2024; indicator=D1.PROJ", "reason", "late revision"),
    ]


def validated_on(engine: Engine):
    with Session(engine) as s:
        return s.scalar(select(m.ValidatedPeriod.validated_at))


def test_a_year_validated_for_all_indicators_locks_every_indicator(store, tmp_path):
    path = tmp_path / "values.csv"
    path.write_bytes(_obs("D2.PROG,2023,30,,,,,,,,"))
    run_import(store, "observations", path, actor=writer(USER))
    validate_period(store, 2023, actor=writer("steward"))
    path.write_bytes(_obs("D2.PROG,2023,31,,,,,,,,", "D3.REG,2023,4,,,,,,,,", "D3.REG,2022,4,,,,,,,,"))
    assert [p.row for p in run_import(store, "observations", path, actor=writer(USER)).problems] == [2, 3]
    with pytest.raises(ValueError, match="validated for all indicators"):
        reopen_period(store, 2023, actor=writer("steward"), reason="x", indicator_code="D2.PROG")
    assert reopen_period(store, 2023, actor=writer("steward"), reason="x") == 1
    assert run_import(store, "observations", path, actor=writer(USER)).summary() == "added 2, changed 1, left 0 unchanged"


def test_records_of_computed_indicators_recompute_them(store, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(staff_csv(400, per_year=100))
    women = (m.Indicator.code == "E1.WOMEN_P", m.Observation.indicator_id == m.Indicator.id)
    assert count(store, m.Observation, *women) == 0
    version = data_version(store)
    result = run_import(store, "staff", path, actor=writer(USER))
    assert (result.added, messages(result)) == (400, [])
    assert count(store, m.Observation, *women) > 0
    assert data_version(store) == version + 1


def test_nodes_may_name_a_parent_that_comes_later_in_the_file(store, tmp_path):
    path = tmp_path / "nodes.csv"
    path.write_bytes(b"cycle,code,kind,parent,owner,name\n2024-2027,X.O1.1,output,X.O1,ITU-D,child\n"
                     b"2024-2027,X.O1,output,D1,ITU-D,parent\n")
    result = run_import(store, "nodes", path, actor=writer(USER))
    assert (messages(result), result.added) == ([], 2)
    with Session(store) as s:
        node = s.scalar(select(m.FrameworkNode).where(m.FrameworkNode.code == "X.O1.1"))
        assert (node.parent.code, node.parent.parent.code, node.is_illustrative, node.statement) == (
            "X.O1", "D1", False, "")


def test_templates_import_cleanly(store):
    from kpi.transfer import KINDS

    for kind in KINDS:
        result = run_import(store, kind, PROJECT_DIR / "data" / "templates" / f"{kind}.csv", actor=writer(USER))
        assert (kind, messages(result), result.added) == (kind, [], 2)


def test_templates_are_generated_from_the_registry():
    from kpi.transfer.templates import TEMPLATES_DIR, expected_files

    files = expected_files()
    assert sorted(p.name for p in TEMPLATES_DIR.iterdir()) == sorted(files)
    for name, text in files.items():
        assert (TEMPLATES_DIR / name).read_text(encoding="utf-8") == text, f"regenerate data/templates ({name})"


# ---------------------------------------------------------------- speed


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["observations", "staff"])
def test_import_speed_at_100000_rows(store, tmp_path, capsys, kind):
    """A valid file of 100,000 rows imports; the speed is printed (no timing assertion)."""
    rows = 100_000
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(observations_csv(rows) if kind == "observations" else staff_csv(rows))
    before = count(store, m.ChangeLog)
    started = time.perf_counter()
    result = run_import(store, kind, path, actor=writer(USER))
    took = time.perf_counter() - started
    assert (messages(result), result.added, result.changed) == ([], rows, 0)
    assert count(store, m.ChangeLog) - before == rows * (1 if kind == "observations" else 7)
    with capsys.disabled():
        print(f"\n[import speed] {kind} on {store.dialect.name}: {rows:,} rows in {took:.1f} s = "
              f"{rows / took:,.0f} rows/s")


# ---------------------------------------------------------------- command line


def run_cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "RBM_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=PROJECT_DIR, env=env, capture_output=True,
                          text=True, timeout=120)


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_cli_import_and_export(store, tmp_path):
    url = _url(store)
    good = tmp_path / "values.csv"
    good.write_bytes(_obs("D1.PROJ,2024,50,,,,,,,,", "D1.PROJ,2025,55,,,,,,,,"))
    store.dispose()

    nameless = run_cli(url, "import", "observations", str(good), "--dry-run")
    assert nameless.returncode == 2 and "the following arguments are required: --user" in nameless.stderr
    dry = run_cli(url, "import", "observations", str(good), "--dry-run", "--user", "carol")
    assert (dry.returncode, dry.stderr) == (0, "")
    assert "values.csv (observations, 2 rows): would add 2, change 0, leave 0 unchanged" in dry.stdout

    done = run_cli(url, "import", "observations", str(good), "--user", "carol")
    assert (done.returncode, done.stderr) == (0, "")
    assert "values.csv (observations, 2 rows): added 2, changed 0, left 0 unchanged; batch" in done.stdout
    with Session(store) as s:
        assert s.scalar(select(m.ImportBatch.user).order_by(m.ImportBatch.id.desc()).limit(1)) == (
            f"carol (command line, OS account {getpass.getuser()})")
    store.dispose()

    bad = tmp_path / "bad.csv"
    bad.write_bytes(_obs("D1.PROJ,2024,abc,,,,,,,,", "D1.PROJ,3024,50,,,,,,,,"))
    refused = run_cli(url, "import", "observations", str(bad), "--user", "carol")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.splitlines() == [
        'bad.csv, row 2, column "value": found "abc", expected a number',
        'bad.csv, row 3, column "year": found "3024", expected a year between 1990 and 2100',
        "bad.csv (observations, 2 rows): 2 problems found: nothing was imported",
    ]

    out = tmp_path / "export.csv"
    exported = run_cli(url, "export", "observations", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "exported" in exported.stdout and out.exists()
    assert "D1.PROJ,2024,50,,,,,,,,,," in out.read_text(encoding="utf-8-sig").splitlines()


def test_cli_usage_errors(store, tmp_path, monkeypatch, capsys):
    url = _url(store)
    store.dispose()
    unknown = run_cli(url, "import", "colours", str(tmp_path / "x.csv"))
    assert unknown.returncode == 2 and "invalid choice: 'colours'" in unknown.stderr

    from kpi.cli import main  # the same parser in this process: quicker than a process per case

    monkeypatch.setenv("RBM_DATABASE_URL", url)
    with pytest.raises(SystemExit) as shown:
        main(["import", "--help"])
    assert shown.value.code == 0
    assert "nodes, indicators, targets, observations, staff, recruitments" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit) as shown:
        main(["--help"])
    assert shown.value.code == 0 and "import" in capsys.readouterr().out
    assert main(["import", "observations", str(tmp_path / "missing.csv"), "--user", "x"]) == 2
    assert capsys.readouterr().err.strip() == f"error: no such file: {tmp_path / 'missing.csv'}"
    with pytest.raises(SystemExit) as shown:
        main(["export", "observations"])
    assert shown.value.code == 2 and "--out" in capsys.readouterr().err
    assert main(["export", "observations", "--out", str(tmp_path / "x.json")]) == 2
    assert "must end in .csv or .xlsx" in capsys.readouterr().err
    monkeypatch.setenv("RBM_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert main(["import", "observations", str(PROJECT_DIR / "data" / "templates" / "observations.csv"),
                 "--user", "x"]) == 2
    assert "run `python -m kpi init` first" in capsys.readouterr().err


def test_bulk_writes_keep_every_character(store, tmp_path):
    """Large imports go through COPY on PostgreSQL: text with tabs, newlines, backslashes survives."""
    note = 'tab\there, line\nbreak, back\\slash \\N, "quoted", Genève, 東京'
    lines = observations_csv(2500).decode().splitlines()
    out = io.StringIO()
    rows = csv.writer(out, lineterminator="\n")
    rows.writerows(csv.reader(lines[:2]))
    first = next(csv.reader(lines[2:3]))
    first[-1] = note
    rows.writerow(first)
    rows.writerows(csv.reader(lines[3:]))
    path = tmp_path / "values.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = run_import(store, "observations", path, actor=writer("Zoë"))
    assert (messages(result), result.added) == ([], 2500)
    with Session(store) as s:
        assert s.scalar(select(func.count()).where(m.Observation.note == note)) == 1
        assert s.scalar(select(func.count()).where(m.ChangeLog.new_value == note, m.ChangeLog.user == "Zoë")) == 1
    again = run_import(store, "observations", path, actor=writer("Zoë"))
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2500)
