"""Approval of a year's values, and the history of a value.

A data steward validates a year (for every indicator, or one): its observations become
"validated" and the year is locked, so that imports may no longer add or change its values
(rows identical to the stored values still pass). Reopening the period (with a reason) lifts
the lock; values keep their approval until an import changes them (back to "provisional"), and
validating the year again validates them all. Every step is written to the change log.
"""
from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kpi import access
from kpi.access import Actor
from kpi.store import models as m
from kpi.store.bulk import insert_rows, serialise_writers, update_rows
from kpi.transfer.importing import CHANGE_LOG_COLUMNS, check_user, now_utc
from kpi.transfer.kinds import OBSERVATIONS
from kpi.transfer.values import YEAR_MAX, YEAR_MIN, format_value

VALIDATED = "validated"
PROVISIONAL = "provisional"
ALL_INDICATORS = "*"
PERIOD_TABLE = m.ValidatedPeriod.__tablename__
HISTORY_SCHEMA: dict[str, pl.DataType] = {
    "changed_at": pl.Datetime("us"), "user": pl.String(), "field": pl.String(), "old_value": pl.String(),
    "new_value": pl.String(), "batch_id": pl.Int64(), "file_name": pl.String(),
}


def observation_key(indicator_code: str, year: int, disaggregation: str = "") -> str:
    """The change log's ``record_key`` of an observation (as imports write it)."""
    return f"indicator={indicator_code}; year={year}; disaggregation={disaggregation}"


def period_key(year: int, indicator_code: str | None) -> str:
    """The change log's ``record_key`` of a validated period."""
    return f"year={year}; indicator={indicator_code or ALL_INDICATORS}"


def _check_year(year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(f"year {year} is outside {YEAR_MIN}-{YEAR_MAX}")


def _indicator(session: Session, code: str | None) -> m.Indicator | None:
    if code is None:
        return None
    indicator = session.scalar(select(m.Indicator).where(m.Indicator.code == code))
    if indicator is None:
        raise ValueError(f"unknown indicator {code!r}")
    return indicator


def _require_steward(engine: Engine, actor: Actor, action: str, indicator_code: str | None) -> None:
    """Refuse (kpi.access) before any write unless a data steward whose Sectors cover the indicator."""
    owner = None
    if indicator_code is not None:
        with engine.connect() as connection:
            owner = connection.scalar(select(m.Indicator.owner).where(m.Indicator.code == indicator_code))
        if owner is None:
            access.require_role(actor, access.DATA_STEWARD, action)
            raise ValueError(f"unknown indicator {indicator_code!r}")
    access.require_approval(actor, action, owner)


def _log(user: str, when, key: str, table: str, changes: list[tuple[str, object, object]]) -> list[tuple]:
    return [
        (None, table, key, name, None if old is None else format_value(old), None if new is None else format_value(new),
         user, when)
        for name, old, new in changes
    ]


def _bump(session: Session) -> None:
    from kpi.bootstrap import bump_data_version

    bump_data_version(session)


def _write_log(session: Session, logs: list[tuple]) -> None:
    insert_rows(session.connection(), m.ChangeLog.__table__, list(CHANGE_LOG_COLUMNS), logs)


def validate_period(engine: Engine, year: int, *, actor: Actor, indicator_code: str | None = None) -> int:
    """Validate the observations of ``year`` (of one indicator, or all) and lock the period.

    Returns how many observations became validated. Validating a period that is already
    validated (and not reopened) records nothing new. Only a data steward (of the indicator's
    Sector, or of all Sectors for all indicators) may: an AccessDenied otherwise.
    """
    _check_year(year)
    _require_steward(engine, actor, f"validating {year}", indicator_code)
    user = actor.audit_name
    check_user(user)
    with Session(engine) as session, session.begin():
        serialise_writers(session)
        indicator = _indicator(session, indicator_code)
        ind_id = indicator.id if indicator else None
        active = session.scalar(select(m.ValidatedPeriod).where(
            m.ValidatedPeriod.year == year, m.ValidatedPeriod.reopened_at.is_(None),
            m.ValidatedPeriod.indicator_id.is_(None) if ind_id is None else m.ValidatedPeriod.indicator_id == ind_id))
        query = (select(m.Observation.id, m.Indicator.code, m.Observation.disaggregation, m.Observation.approval)
                 .join(m.Indicator, m.Observation.indicator_id == m.Indicator.id)
                 .where(m.Observation.year == year, m.Observation.approval != VALIDATED))
        if ind_id is not None:
            query = query.where(m.Observation.indicator_id == ind_id)
        pending = session.execute(query).all()
        if active is not None and not pending:
            return 0
        when = now_utc()
        logs: list[tuple] = []
        if pending:
            update_rows(session.connection(), m.Observation.__table__, ["approval"],
                        [(VALIDATED, i) for i, _, _, _ in pending])
            for _, code, disaggregation, approval in pending:
                logs += _log(user, when, observation_key(code, year, disaggregation), OBSERVATIONS.table_name,
                             [("approval", approval, VALIDATED)])
        if active is None:
            session.add(m.ValidatedPeriod(year=year, indicator_id=ind_id, validated_by=user, validated_at=when))
            logs += _log(user, when, period_key(year, indicator_code), PERIOD_TABLE,
                         [("validated_by", None, user), ("validated_at", None, when)])
        session.flush()
        _write_log(session, logs)
        _bump(session)
        return len(pending)


def reopen_period(engine: Engine, year: int, *, actor: Actor, reason: str, indicator_code: str | None = None) -> int:
    """Reopen the validated period ``year`` so that imports may change it again.

    Without ``indicator_code`` every validated period of the year is reopened; with it, that
    indicator's (a year validated for all indicators must be reopened as a whole). ``reason``
    is required. Returns how many periods were reopened; a ValueError if none was validated.
    Only a data steward may (as for :func:`validate_period`).
    """
    _check_year(year)
    _require_steward(engine, actor, f"reopening {year}", indicator_code)
    user = actor.audit_name
    check_user(user)
    if not reason or not reason.strip():
        raise ValueError("a reason is required to reopen a validated period")
    with Session(engine) as session, session.begin():
        serialise_writers(session)
        indicator = _indicator(session, indicator_code)
        active = list(session.scalars(select(m.ValidatedPeriod).where(
            m.ValidatedPeriod.year == year, m.ValidatedPeriod.reopened_at.is_(None))))
        if indicator is not None:
            if any(p.indicator_id is None for p in active):
                raise ValueError(f"{year} is validated for all indicators: reopen the whole year "
                                 "(without an indicator)")
            active = [p for p in active if p.indicator_id == indicator.id]
        if not active:
            scope = f" for {indicator_code}" if indicator_code else ""
            raise ValueError(f"{year} is not validated{scope}: nothing to reopen")
        codes = dict(session.execute(select(m.Indicator.id, m.Indicator.code)).all())
        when = now_utc()
        logs: list[tuple] = []
        for period in active:
            period.reopened_by, period.reopened_at, period.reason = user, when, reason
            logs += _log(user, when, period_key(year, codes.get(period.indicator_id)), PERIOD_TABLE,
                         [("reopened_by", None, user), ("reopened_at", None, when), ("reason", "", reason)])
        session.flush()
        _write_log(session, logs)
        _bump(session)
        return len(active)


def value_history(engine: Engine, indicator_code: str, year: int, disaggregation: str = "") -> pl.DataFrame:
    """Every change of one observation, oldest first: when, who, which field, from what to what.

    Columns: changed_at, user, field, old_value, new_value, batch_id, file_name (the imported
    file; null for approval steps).
    """
    log, batch = m.ChangeLog, m.ImportBatch
    query = (
        select(log.changed_at, log.user, log.field, log.old_value, log.new_value, log.batch_id, batch.file_name)
        .outerjoin(batch, log.batch_id == batch.id)
        .where(log.table_name == OBSERVATIONS.table_name,
               log.record_key == observation_key(indicator_code, year, disaggregation))
        .order_by(log.changed_at, log.id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return pl.DataFrame(rows, schema=HISTORY_SCHEMA, orient="row")


BATCH_SCHEMA: dict[str, pl.DataType] = {
    "batch": pl.Int64(), "kind": pl.String(), "file": pl.String(), "rows": pl.Int64(), "added": pl.Int64(),
    "changed": pl.Int64(), "unchanged": pl.Int64(), "user": pl.String(), "when": pl.Datetime("us"),
}


def import_batches(engine: Engine) -> pl.DataFrame:
    """Every import batch, newest first: batch, kind, file, rows, added, changed, unchanged, user, when."""
    b = m.ImportBatch
    query = select(b.id, b.kind, b.file_name, b.rows, b.added, b.changed, b.unchanged, b.user, b.created_at
                   ).order_by(b.id.desc())
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return pl.DataFrame(rows, schema=BATCH_SCHEMA, orient="row")
