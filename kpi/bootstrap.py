"""``python -m kpi init``: create or migrate the store, load reference data and demo data.

Safe to run on an existing store: migrations only move forward, reference data is upserted
(and reloaded only when its files changed), and demo data is generated only into a store that
has none, so nothing is duplicated and nothing imported is lost.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kpi import reference
from kpi.config import DEMO_SEED
from kpi.store import migrate
from kpi.store import models as m


@dataclass
class InitReport:
    """What ``initialise`` did, for the command line to print."""

    revision: str = ""
    reference_loaded: bool = False
    demo_rows: dict[str, int] = field(default_factory=dict)
    computed_rows: int = 0
    data_version: int = 0


def get_meta(session: Session, key: str) -> str | None:
    """A value of the ``meta`` table, or None."""
    return session.scalar(select(m.Meta.value).where(m.Meta.key == key))


def set_meta(session: Session, key: str, value: str) -> None:
    """Set a value of the ``meta`` table."""
    row = session.get(m.Meta, key)
    if row is None:
        session.add(m.Meta(key=key, value=value))
    else:
        row.value = value


def bump_data_version(session: Session) -> int:
    """Mark that the data changed: caches keyed by the data version are then recomputed."""
    version = int(get_meta(session, "data_version") or 0) + 1
    set_meta(session, "data_version", str(version))
    set_meta(session, "data_updated_at", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    return version


def initialise(engine: Engine, *, demo: bool = True, scale: int = 1, seed: int = DEMO_SEED) -> InitReport:
    """Create or upgrade the schema, then load what is missing, in one transaction."""
    report = InitReport()
    migrate.upgrade(engine)
    report.revision = migrate.current_revision(engine) or ""
    with Session(engine) as session, session.begin():
        changed = False
        checksum = reference.reference_checksum()
        if get_meta(session, "reference_checksum") != checksum:
            reference.load_dimensions(session)
            reference.load_framework(session)
            reference.load_connectivity(session)
            set_meta(session, "reference_checksum", checksum)
            report.reference_loaded = changed = True
        if demo and get_meta(session, "demo_seed") is None:
            from kpi import demo as demo_data  # the generator is only needed for a new demo store

            report.demo_rows = demo_data.generate(session, scale=scale, seed=seed)
            changed = True
        if changed:
            from kpi import enablers

            report.computed_rows = enablers.materialise(session)
            report.data_version = bump_data_version(session)
        else:
            report.data_version = int(get_meta(session, "data_version") or 0)
    return report
