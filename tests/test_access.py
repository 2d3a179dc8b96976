"""Roles: grants in the store, and every write refused for a role that does not allow it.

Each refusal is tried by direct calls of the kpi functions (the UI bypassed) and must leave the
store byte for byte as it was (SQLite file bytes; PostgreSQL rows of every table), while the
security log records the attempt with the identity that made it.
"""
from __future__ import annotations

import getpass
import json
import subprocess
import sys

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kpi import access, security_log
from kpi.access import ADMINISTRATOR, DATA_STEWARD, HR_ANALYST, STAFF, AccessDenied
from kpi.presentation import delete_sequence, save_sequence, sequence_names
from kpi.store import models as m
from kpi.transfer import export_frame, reopen_period, run_export, run_import, validate_period
from tests.access_support import signed_in, writer
from tests.store_support import PROJECT_DIR, _obs, fingerprint, staff_csv

PUBLIC = access.PUBLIC_ACTOR
VISITOR = signed_in("visitor@example.org")  # signed in, no grant: public
STAFF_USER = signed_in("staff@example.org", STAFF)
STEWARD = signed_in("steward@example.org", DATA_STEWARD)
ITU_R_STEWARD = signed_in("r.steward@example.org", DATA_STEWARD, sector="ITU-R")
HR = signed_in("hr@example.org", HR_ANALYST)
ADMIN = signed_in("admin@example.org", ADMINISTRATOR)


@pytest.fixture(autouse=True)
def security_log_file(tmp_path, monkeypatch):
    path = tmp_path / "security.log"
    monkeypatch.setenv(security_log.SECURITY_LOG_ENV, str(path))
    return path


def logged(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def a_who(actor) -> str:
    """How a refusal names the actor."""
    return actor.identity or "a visitor who is not signed in"


def refused_unchanged(engine, call, expected_message: str) -> None:
    """``call()`` raises AccessDenied with exactly ``expected_message`` and the store's bytes do not move."""
    before = fingerprint(engine)
    with pytest.raises(AccessDenied) as refused:
        call()
    assert str(refused.value) == expected_message
    assert fingerprint(engine) == before


def test_actor_roles_and_audit_names():
    assert (PUBLIC.signed_in, PUBLIC.is_staff, PUBLIC.sees_provisional, PUBLIC.role_label) == (False, False, False,
                                                                                               "Public")
    assert (VISITOR.signed_in, VISITOR.is_staff, VISITOR.role_label) == (True, False, "Public")
    assert (STAFF_USER.is_staff, STAFF_USER.sees_provisional, STAFF_USER.role_label) == (True, True, "Staff")
    assert (ITU_R_STEWARD.steward_sectors, ITU_R_STEWARD.role_label) == (frozenset({"ITU-R"}), "Data steward (ITU-R)")
    assert STEWARD.steward_sectors is None
    assert writer("w").role_label == "Staff, Data steward, HR analyst, Administrator"
    assert STEWARD.audit_name == "steward@example.org"
    cli = access.operator("Alice", os_user="alice")
    assert cli.audit_name == "Alice (command line, OS account alice)"
    assert cli.roles == frozenset(access.GRANTABLE_ROLES)
    with pytest.raises(AccessDenied, match="--user NAME"):
        access.operator("  ")


def test_grants_are_kept_per_verified_identity(store, security_log_file):
    assert access.grant(store, ADMIN, "Steward@Example.ORG", DATA_STEWARD) is True
    assert access.grant(store, ADMIN, "steward@example.org", DATA_STEWARD) is False  # already held
    assert access.grant(store, ADMIN, "r@example.org", DATA_STEWARD, "ITU-R") is True
    assert access.grant(store, ADMIN, "opaque-subject-42", STAFF) is True  # a subject keeps its case
    actor = access.actor_for(store, ["STEWARD@example.org", "sub-1"])
    assert (actor.identity, actor.grants) == ("steward@example.org", frozenset({access.Grant(DATA_STEWARD)}))
    assert access.actor_for(store, ["nobody@example.org"]).is_staff is False
    assert access.actor_for(store, ["r@example.org"]).steward_sectors == frozenset({"ITU-R"})
    assert access.actor_for(store, []) == PUBLIC
    assert access.list_grants(store).select("identity", "role", "sector", "granted_by").rows() == [
        ("opaque-subject-42", STAFF, None, "admin@example.org"),
        ("r@example.org", DATA_STEWARD, "ITU-R", "admin@example.org"),
        ("steward@example.org", DATA_STEWARD, None, "admin@example.org"),
    ]
    assert access.revoke(store, ADMIN, "steward@example.org", DATA_STEWARD) == 1
    assert access.actor_for(store, ["steward@example.org"]).is_staff is False  # at the next interaction
    with Session(store) as s:  # the history is kept, and the change log names who did it
        assert s.scalars(select(m.RoleGrant.revoked_by).where(m.RoleGrant.identity == "steward@example.org")
                         ).all() == ["admin@example.org"]
        assert s.execute(select(m.ChangeLog.record_key, m.ChangeLog.field, m.ChangeLog.user)
                         .where(m.ChangeLog.table_name == "role_grant").order_by(m.ChangeLog.id)).all()[-1] == (
            "identity=steward@example.org; role=data_steward; sector=", "revoked_by", "admin@example.org")
    assert [(e["event"], e["who"], e.get("identity"), e.get("role")) for e in logged(security_log_file)] == [
        ("grant", "admin@example.org", "steward@example.org", DATA_STEWARD),
        ("grant", "admin@example.org", "r@example.org", DATA_STEWARD),
        ("grant", "admin@example.org", "opaque-subject-42", STAFF),
        ("revoke", "admin@example.org", "steward@example.org", DATA_STEWARD),
    ]
    for bad, message in (((ADMIN, "x@example.org", "owner"), "unknown role 'owner'"),
                         ((ADMIN, "x@example.org", STAFF, "ITU-R"), "only a data steward role can be limited"),
                         ((ADMIN, "x@example.org", DATA_STEWARD, "ITU-X"), "unknown Sector 'ITU-X'"),
                         ((ADMIN, " ", STAFF), "an identity is an e-mail address")):
        with pytest.raises(ValueError, match=message):
            access.grant(store, *bad)


def test_only_an_administrator_grants(store, security_log_file):
    for actor in (PUBLIC, VISITOR, STAFF_USER, STEWARD, HR):
        refused_unchanged(store, lambda a=actor: access.grant(store, a, "me@example.org", ADMINISTRATOR),
                          f"granting a role needs the administrator role; {a_who(actor)} has "
                          f"{actor.role_label.lower()} access")
    refused_unchanged(store, lambda: access.revoke(store, STEWARD, "admin@example.org", ADMINISTRATOR),
                      "revoking a role needs the administrator role; steward@example.org has data steward access")
    assert [(e["event"], e["who"], e["action"]) for e in logged(security_log_file)] == [
        ("refused", "public", "granting a role"), ("refused", "visitor@example.org", "granting a role"),
        ("refused", "staff@example.org", "granting a role"), ("refused", "steward@example.org", "granting a role"),
        ("refused", "hr@example.org", "granting a role"), ("refused", "steward@example.org", "revoking a role"),
    ]


def test_imports_need_the_role_that_writes_the_kind(store, tmp_path):
    values = tmp_path / "values.csv"
    values.write_bytes(_obs("D4.FUNDS,2025,60000000,,,,,,,,"))  # the finding: D4.FUNDS off track -> achieved
    people = tmp_path / "staff.csv"
    people.write_bytes(staff_csv(40, per_year=40))
    for actor in (PUBLIC, VISITOR, STAFF_USER, HR, ADMIN):
        for dry_run in (True, False):
            refused_unchanged(store, lambda a=actor, d=dry_run: run_import(store, "observations", values, actor=a,
                                                                           dry_run=d),
                              f"importing observations needs the data steward role; {a_who(actor)} has "
                              f"{actor.role_label.lower()} access")
    refused_unchanged(store, lambda: run_import(store, "staff", people, actor=STEWARD),
                      "importing staff needs the hr analyst role; steward@example.org has data steward access")
    refused_unchanged(store, lambda: run_import(store, "budget", values, actor=ITU_R_STEWARD),
                      "importing budget needs a data steward for all Sectors; r.steward@example.org's role covers "
                      "ITU-R only (observations and targets of its indicators)")
    assert run_import(store, "observations", values, actor=STEWARD).summary() == "added 1, changed 0, left 0 unchanged"
    assert run_import(store, "staff", people, actor=HR).ok


def test_a_sector_steward_writes_only_its_sector(store, tmp_path):
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(_obs("R1.BACKLOG,2025,120,,,,,,,,", "D1.PROJ,2025,50,,,,,,,,"))
    before = fingerprint(store)
    result = run_import(store, "observations", mixed, actor=ITU_R_STEWARD)
    assert [str(p) for p in result.problems] == [
        'mixed.csv, row 3, column "indicator": found "D1.PROJ", expected an indicator of ITU-R (your data steward '
        "role covers ITU-R only; this one belongs to ITU-D)"]
    assert fingerprint(store) == before
    own = tmp_path / "own.csv"
    own.write_bytes(_obs("R1.BACKLOG,2025,120,,,,,,,,"))
    assert run_import(store, "observations", own, actor=ITU_R_STEWARD).summary() == (
        "added 1, changed 0, left 0 unchanged")
    assert validate_period(store, 2025, actor=ITU_R_STEWARD, indicator_code="R1.BACKLOG") == 1
    refused_unchanged(store, lambda: validate_period(store, 2025, actor=ITU_R_STEWARD, indicator_code="D1.PROJ"),
                      "validating 2025: the indicator belongs to ITU-D; r.steward@example.org's role covers ITU-R only")
    refused_unchanged(store, lambda: validate_period(store, 2025, actor=ITU_R_STEWARD),
                      "validating 2025 for all indicators needs a data steward for all Sectors; r.steward@example.org's "
                      "role covers ITU-R only: choose one of its indicators")


def test_validating_and_reopening_are_for_data_stewards(store, tmp_path):
    values = tmp_path / "values.csv"
    values.write_bytes(_obs("D1.PROJ,2025,50,,,,,,,,"))
    run_import(store, "observations", values, actor=STEWARD)
    for actor in (PUBLIC, STAFF_USER, HR, ADMIN):
        refused_unchanged(store, lambda a=actor: validate_period(store, 2025, actor=a),
                          f"validating 2025 needs the data steward role; {a_who(actor)} has {actor.role_label.lower()} access")
    assert validate_period(store, 2025, actor=STEWARD) == 1
    refused_unchanged(store, lambda: reopen_period(store, 2025, actor=STAFF_USER, reason="typo"),
                      "reopening 2025 needs the data steward role; staff@example.org has staff access")
    with Session(store) as s:
        assert s.scalar(select(m.ValidatedPeriod.validated_by)) == "steward@example.org"


def test_records_about_individuals_are_exported_to_hr_analysts_only(store, tmp_path):
    for actor in (PUBLIC, VISITOR, STAFF_USER, STEWARD, ADMIN):
        for kind in ("staff", "recruitments", "training"):
            refused_unchanged(store, lambda a=actor, k=kind: export_frame(store, k, actor=a),
                              f"exporting {kind} needs the hr analyst role; {a_who(actor)} has "
                              f"{actor.role_label.lower()} access")
    refused_unchanged(store, lambda: run_export(store, "staff", tmp_path / "staff.csv", actor=STEWARD),
                      "exporting staff needs the hr analyst role; steward@example.org has data steward access")
    assert not (tmp_path / "staff.csv").exists()
    refused_unchanged(store, lambda: export_frame(store, "observations", actor=VISITOR),
                      "exporting observations is for signed-in staff; visitor@example.org has public access")
    assert export_frame(store, "staff", actor=HR).columns[0] == "year"
    assert export_frame(store, "observations", actor=STAFF_USER).columns[0] == "indicator"


def test_council_sequences_are_managed_by_administrators(store):
    args = dict(title="Council 2026", cycle="2024-2027", year=2025, indicator_codes=["G1.INET"])
    for actor in (PUBLIC, STAFF_USER, STEWARD, HR):
        refused_unchanged(store, lambda a=actor: save_sequence(store, "c26", actor=a, **args),
                          f"saving a Council sequence needs the administrator role; {a_who(actor)} has "
                          f"{actor.role_label.lower()} access")
    with pytest.raises(ValueError, match="at least one indicator"):  # the finding: an empty sequence was saved
        save_sequence(store, "empty", actor=ADMIN, **{**args, "indicator_codes": []})
    save_sequence(store, "c26", actor=ADMIN, **args)
    refused_unchanged(store, lambda: delete_sequence(store, "c26", actor=STEWARD),
                      "deleting a Council sequence needs the administrator role; steward@example.org has data "
                      "steward access")
    assert sequence_names(store) == ["c26"]
    with Session(store) as s:
        assert s.scalar(select(m.Presentation.created_by)) == "admin@example.org"
    assert delete_sequence(store, "c26", actor=ADMIN) is True and sequence_names(store) == []


def run_cli(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                          env={"RBM_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "HOME": "/tmp",
                               security_log.SECURITY_LOG_ENV: "/dev/null"}, timeout=120)


def test_the_command_line_makes_the_first_administrator(store):
    url = store.url.render_as_string(hide_password=False)
    store.dispose()
    nameless = run_cli(url, "users", "grant", "first.admin@example.org", "administrator")
    assert nameless.returncode == 2 and "the following arguments are required: --user" in nameless.stderr
    done = run_cli(url, "users", "grant", "First.Admin@example.org", "administrator", "--user", "Ops")
    assert (done.returncode, done.stdout, done.stderr) == (0, "granted administrator to first.admin@example.org\n", "")
    sector = run_cli(url, "users", "grant", "d@example.org", "data_steward", "--sector", "ITU-D", "--user", "Ops")
    assert sector.returncode == 0, sector.stderr
    listing = run_cli(url, "users", "list")
    os_user = getpass.getuser()
    lines = listing.stdout.splitlines()
    assert [line.split("\t")[:2] for line in lines[:-1]] == [["d@example.org", "data_steward (ITU-D)"],
                                                             ["first.admin@example.org", "administrator"]]
    assert all(f"granted by Ops (command line, OS account {os_user}) on " in line for line in lines[:-1])
    assert lines[-1] == "2 role(s) in force"
    bad = run_cli(url, "users", "grant", "x@example.org", "owner", "--user", "Ops")
    assert bad.returncode == 2 and "invalid choice: 'owner'" in bad.stderr
    gone = run_cli(url, "users", "revoke", "d@example.org", "data_steward", "--user", "Ops")
    assert (gone.returncode, gone.stdout) == (0, "revoked 1 data_steward grant(s) of d@example.org\n")
    assert access.actor_for(store, ["first.admin@example.org"]).has(ADMINISTRATOR)
