"""Council presentations: a stepped sequence of slides, and named sequences kept in the store."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kpi import access
from kpi.access import Actor
from kpi.store import models as m

#: The default sequence shows at most this many indicators needing attention.
MAX_ATTENTION_SLIDES = 6
ATTENTION_STATUSES = ("off_track", "at_risk")


@dataclass(frozen=True)
class Slide:
    """One step of a presentation: the scorecard, a goal, or an indicator."""

    kind: str  # "scorecard" | "goal" | "indicator"
    ref: str
    title: str


def build_sequence(statuses: pl.DataFrame, indicator_codes: list[str] | None = None) -> list[Slide]:
    """Scorecard, then each goal and enabler, then the chosen indicators.

    Without a chosen list, the indicators needing attention (off track first, then at risk) are shown.
    """
    slides = [Slide("scorecard", "", "Scorecard")]
    for root in statuses.select("root_code", "root_name", "root_kind").unique(maintain_order=True).iter_rows(named=True):
        kind = "Goal" if root["root_kind"] == "goal" else "Enabler"
        slides.append(Slide("goal", root["root_code"], f"{kind} {root['root_code']}: {root['root_name']}"))
    names = dict(zip(statuses["code"].to_list(), statuses["name"].to_list(), strict=True))
    if indicator_codes is None:
        order = {s: i for i, s in enumerate(ATTENTION_STATUSES)}
        attention = statuses.filter(pl.col("status").is_in(ATTENTION_STATUSES)).with_columns(
            pl.col("status").replace_strict(order, return_dtype=pl.Int64).alias("_rank")
        ).sort("_rank", maintain_order=True)
        indicator_codes = attention["code"].head(MAX_ATTENTION_SLIDES).to_list()
    slides += [Slide("indicator", code, names[code]) for code in indicator_codes if code in names]
    return slides


#: Longest name of a sequence (it is part of the link).
SEQUENCE_NAME_MAX = m.Presentation.__table__.c.name.type.length


def save_sequence(engine: Engine, name: str, *, title: str, cycle: str, year: int, indicator_codes: list[str],
                  actor: Actor) -> None:
    """Save (or replace) a named sequence: administrators only (an AccessDenied otherwise)."""
    access.require_role(actor, access.ADMINISTRATOR, "saving a Council sequence")
    if not name.strip():
        raise ValueError("A sequence needs a name.")
    if len(name.strip()) > SEQUENCE_NAME_MAX:
        raise ValueError(f"A sequence name has at most {SEQUENCE_NAME_MAX} characters.")
    if not indicator_codes:
        raise ValueError("A sequence needs at least one indicator.")
    with Session(engine) as session, session.begin():
        row = session.get(m.Presentation, name.strip())
        values = {"title": title, "cycle_code": cycle, "year": year, "indicator_codes": ",".join(indicator_codes),
                  "created_by": actor.audit_name, "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None)}
        if row is None:
            session.add(m.Presentation(name=name.strip(), **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)


def load_sequence(engine: Engine, name: str) -> dict | None:
    """A saved sequence as a dict (name, title, cycle, year, indicator_codes), or None."""
    with Session(engine) as session:
        row = session.get(m.Presentation, name)
        if row is None:
            return None
        return {"name": row.name, "title": row.title, "cycle": row.cycle_code, "year": row.year,
                "indicator_codes": [c for c in row.indicator_codes.split(",") if c]}


def sequence_names(engine: Engine) -> list[str]:
    """Names of the saved sequences, sorted."""
    with Session(engine) as session:
        return list(session.scalars(select(m.Presentation.name).order_by(m.Presentation.name)))


def delete_sequence(engine: Engine, name: str, *, actor: Actor) -> bool:
    """Delete a named sequence: administrators only. False if there was none of that name."""
    access.require_role(actor, access.ADMINISTRATOR, "deleting a Council sequence")
    with Session(engine) as session, session.begin():
        row = session.get(m.Presentation, name)
        if row is None:
            return False
        session.delete(row)
        return True
