"""Snapshots: what a Council sequence showed, frozen under a name, citable later exactly as shown.

A snapshot keeps everything the slides showed (:func:`kpi.presentation.sequence_content`: figures,
statuses and their reasons, the charts' series, sources, the data version and time). It is written once and
never changed: freezing under a name that exists is refused, and nothing here updates or deletes one, so a
later import changes the live views and never the snapshot. :func:`changes` lists what changed since.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kpi import access
from kpi.access import Actor
from kpi.charts.theme import STATUS_STYLES
from kpi.store import models as m

#: Longest name of a snapshot (it is part of the link).
SNAPSHOT_NAME_MAX = m.Snapshot.__table__.c.name.type.length
#: Characters a snapshot's name may hold besides letters and digits (it is part of the link).
NAME_CHARACTERS = " -_().,"


@dataclass(frozen=True)
class Frozen:
    """A snapshot as stored: its name, title, when and by whom it was frozen, and what it showed."""

    name: str
    title: str
    sequence: str
    cycle: str
    year: int
    provisional: bool
    data_version: int
    created_by: str
    created_at: dt.datetime
    content: dict

    @property
    def presented_on(self) -> str:
        """The date it was frozen, as every slide says it ("as presented on 3 December 2026")."""
        return f"{self.created_at.day} {self.created_at:%B %Y}"


def freeze(engine: Engine, name: str, *, title: str, sequence: str, cycle: str, year: int, content: dict,
           actor: Actor) -> Frozen:
    """Store ``content`` (:func:`kpi.presentation.sequence_content`) under ``name``, once: administrators only
    (an AccessDenied otherwise); a ValueError for a name that is empty, too long, unusual or already taken."""
    access.require_role(actor, access.ADMINISTRATOR, "freezing a Council snapshot")
    name = name.strip()
    if not name:
        raise ValueError("A snapshot needs a name, such as “Council 2026 (C26)”.")
    if len(name) > SNAPSHOT_NAME_MAX:
        raise ValueError(f"A snapshot name has at most {SNAPSHOT_NAME_MAX} characters.")
    if not all(c.isalnum() or c in NAME_CHARACTERS for c in name):
        raise ValueError(f"A snapshot name has letters, digits, spaces and {NAME_CHARACTERS.strip()} only.")
    provisional = not content["validated_only"] or any(
        row.get("approval") not in (None, "validated") for s in content["slides"] for row in s.get("headline", []))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with Session(engine) as session, session.begin():
        if session.get(m.Snapshot, name) is not None:
            raise ValueError(f"A snapshot named “{name}” exists and is never replaced: choose another name.")
        session.add(m.Snapshot(name=name, title=title.strip() or name, sequence=sequence, cycle_code=cycle,
                               year=year, provisional=provisional, data_version=int(content["data_version"]),
                               content=json.dumps(content, sort_keys=True), created_by=actor.audit_name,
                               created_at=now))
    return load_snapshot(engine, name)


def load_snapshot(engine: Engine, name: str, *, validated_only: bool = False) -> Frozen | None:
    """The snapshot ``name``, or None (also for one holding provisional values when ``validated_only``)."""
    with Session(engine) as session:
        row = session.get(m.Snapshot, name)
        if row is None or (validated_only and row.provisional):
            return None
        return Frozen(row.name, row.title, row.sequence, row.cycle_code, row.year, row.provisional,
                      row.data_version, row.created_by, row.created_at, json.loads(row.content))


def snapshot_names(engine: Engine, *, validated_only: bool = False) -> list[str]:
    """The snapshots' names, newest first (only those of validated data when ``validated_only``)."""
    query = select(m.Snapshot.name).order_by(m.Snapshot.created_at.desc(), m.Snapshot.name)
    if validated_only:
        query = query.where(m.Snapshot.provisional.is_(False))
    with Session(engine) as session:
        return list(session.scalars(query))


#: What :func:`changes` compares on each indicator: its status, latest value (and year) and target.
COMPARED = (("status", "Status"), ("latest", "Latest value"), ("target", "Target"))


def changes(frozen: dict, live: dict) -> pl.DataFrame:
    """What changed since the snapshot: for every indicator it showed (on a goal's table or its own slide),
    each compared figure that differs now, and the indicators no longer there. Columns ``indicator``,
    ``what``, ``then``, ``now``."""
    then, now = _indicators(frozen), _indicators(live)
    rows = []
    for code, before in then.items():
        after = now.get(code)
        if after is None:
            rows.append({"indicator": code, "what": "Indicator", "then": before["name"], "now": "no longer shown"})
            continue
        for key, label in COMPARED:
            if before.get(key) != after.get(key):
                rows.append({"indicator": code, "what": label, "then": _shown(key, before), "now": _shown(key, after)})
    return pl.DataFrame(rows, schema={"indicator": pl.String, "what": pl.String, "then": pl.String, "now": pl.String})


def _indicators(content: dict) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for slide in content["slides"]:
        for row in slide.get("rows", []):
            out.setdefault(row["code"], row)
        if slide["kind"] == "indicator":
            out[slide["code"]] = {**out.get(slide["code"], {}), **slide}
    return out


def _shown(key: str, row: dict) -> str:
    if key == "status":
        return STATUS_STYLES[row[key] or "no_data"].label
    return str(row.get(key, "–"))
