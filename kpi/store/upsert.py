"""Idempotent writes: insert what is new, update what changed, leave the rest alone."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session


@dataclass
class UpsertResult:
    """How many rows an upsert added, changed and left unchanged."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0


def upsert(session: Session, model, rows: Iterable[Mapping], key: Sequence[str]) -> UpsertResult:
    """Insert or update ``rows`` of ``model`` matched on the ``key`` columns.

    Running it twice with the same rows changes nothing the second time.
    """
    rows = list(rows)
    result = UpsertResult()
    if not rows:
        return result
    key_cols = [getattr(model, k) for k in key]
    existing = {
        tuple(getattr(obj, k) for k in key): obj
        for obj in session.scalars(select(model).where(tuple_(*key_cols).in_([tuple(r[k] for k in key) for r in rows])))
    } if len(key) > 1 else {
        getattr(obj, key[0]): obj
        for obj in session.scalars(select(model).where(key_cols[0].in_([r[key[0]] for r in rows])))
    }
    for row in rows:
        ident = tuple(row[k] for k in key) if len(key) > 1 else row[key[0]]
        obj = existing.get(ident)
        if obj is None:
            session.add(model(**row))
            result.added += 1
            continue
        diff = {k: v for k, v in row.items() if getattr(obj, k) != v}
        if diff:
            for k, v in diff.items():
                setattr(obj, k, v)
            result.changed += 1
        else:
            result.unchanged += 1
    session.flush()
    return result
