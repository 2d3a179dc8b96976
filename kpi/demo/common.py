"""What every part of the demo generator shares: its years, its random streams, dates, draws and bulk inserts.

Every draw of :mod:`kpi.demo` comes from :func:`stream`, one ``numpy`` generator per section seeded with
``[seed, stream number]``: a section that changes the number of its draws does not shift any other section's
values. The stream numbers are part of the demo data's identity; never renumber them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from kpi.config import CURRENT_CYCLE, DEMO_FIRST_YEAR, DEMO_LAST_YEAR
from kpi.store import models as m

YEARS: tuple[int, ...] = tuple(range(DEMO_FIRST_YEAR, DEMO_LAST_YEAR + 1))
#: Vacancies posted and engagements started in this year are kept only if they end in the demo
#: years, so that the first year's timelines are not biased towards short ones.
CARRY_OVER_YEAR = DEMO_FIRST_YEAR - 1
HORIZON = dt.date(DEMO_LAST_YEAR, 12, 31)
#: Rows per bulk insert.
SYNTHETIC_SOURCE = "Synthetic demo data (kpi.demo)"
#: The cycle of the Strategic Plan whose framework nodes and indicators the budget lines, risks,
#: operational plans and record links name.
CYCLE = CURRENT_CYCLE

# ---------------------------------------------------------------- random streams

STREAMS = {
    "workforce": 1, "nationality_weights": 2, "recruitment": 3, "training": 4, "oversight": 5,
    "engagement": 6, "procurement": 7, "budget": 8, "risk": 9, "resolution": 10, "membership": 11,
    "observation": 12, "stations": 13, "accountability": 14, "operational_plan": 15,
}


def stream(seed: int, name: str) -> np.random.Generator:
    """The random generator of one section (:data:`STREAMS`) for ``seed``."""
    return np.random.default_rng([seed, STREAMS[name]])


# ---------------------------------------------------------------- dates and numbers


def day_of_year(year: int, offset: int) -> dt.date:
    """The day ``offset`` days after 1 January of ``year``."""
    return dt.date(year, 1, 1) + dt.timedelta(days=int(offset))


def by_horizon(day: dt.date) -> dt.date | None:
    """``day`` if it falls by the demo's horizon, else None (the event has not happened yet)."""
    return day if day <= HORIZON else None


def rounded(value: float, decimals: int) -> float:
    """``value`` rounded to ``decimals`` (negative: to tens, thousands...), as a plain float."""
    return float(round(float(value), decimals))


# ---------------------------------------------------------------- draws


def normalised(weights: Sequence[float]) -> np.ndarray:
    """``weights`` scaled to sum to 1 (probabilities for ``Generator.choice``)."""
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def exact_draw(rng: np.random.Generator, probs: np.ndarray, k: int) -> np.ndarray:
    """``k`` category indices in shuffled order, each category as close to ``probs * k`` as whole numbers allow."""
    raw = normalised(probs) * k
    counts = np.floor(raw).astype(np.int64)
    for i in np.argsort(-(raw - counts), kind="stable")[: k - int(counts.sum())]:
        counts[i] += 1
    return rng.permutation(np.repeat(np.arange(len(probs)), counts))


def weighted_sample_without_replacement(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of ``k`` items drawn without replacement with probability proportional to ``weights``."""
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    keys = np.log(rng.random(len(weights))) / weights  # Efraimidis-Spirakis
    return np.sort(np.argpartition(-keys, k - 1)[:k])


# ---------------------------------------------------------------- the store


def node_id_by_code(session: Session) -> dict[str, int]:
    """Node code -> id in the :data:`CYCLE` framework."""
    return dict(session.execute(
        select(m.FrameworkNode.code, m.FrameworkNode.id).where(m.FrameworkNode.cycle_code == CYCLE)).all())


def indicator_id_by_code(session: Session) -> dict[str, int]:
    """Indicator code -> id of the indicators of the :data:`CYCLE` framework."""
    return dict(session.execute(
        select(m.Indicator.code, m.Indicator.id).join(m.FrameworkNode, m.FrameworkNode.id == m.Indicator.node_id)
        .where(m.FrameworkNode.cycle_code == CYCLE)).all())
