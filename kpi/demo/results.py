"""The demo values and targets of the synthetic indicators (the results side of the framework).

Each synthetic reported indicator gets a yearly series (trend plus bounded noise), split by region or Sector where
its design says so, and targets designed to give it a chosen status in :mod:`kpi.status`
(:data:`INDICATOR_DESIGNS`). The computed enabler indicators get illustrative targets only: their values are
computed from the records by :mod:`kpi.enablers`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kpi.config import DEMO_LAST_YEAR
from kpi.demo.common import rounded, stream
from kpi.store import models as m

# ---------------------------------------------------------------- indicator values and targets

OBSERVATION_FIRST_YEAR = 2019
BASELINE_YEAR = 2023
TARGET_YEARS: tuple[int, ...] = (2024, 2025, 2026, 2027)
END_OF_PLAN = 2027
TARGET_SOURCE = "Illustrative target (synthetic demo data)"
ESTIMATE_SHARE = 0.12
MISSING_YEAR_SHARE = 0.4
#: Observed growth divided by the required growth that an on-track / at-risk design aims at.
ON_TRACK_RATIO, AT_RISK_RATIO = 1.4, 0.7
#: Achieved: the latest-year target asks for this share of the change actually achieved.
ACHIEVED_SHARE = 0.8
#: Off track: the targets ask for this multiple of the change actually achieved.
OFF_TRACK_MULTIPLE = 2.5


@dataclass(frozen=True)
class IndicatorDesign:
    """How a synthetic reported indicator's values and targets are generated."""

    start: float  # value in 2019
    step: float  # yearly change: added ("add") or multiplied ("mul")
    mode: str
    decimals: int  # rounding of values (negative: to tens, thousands...)
    status: str  # the status the targets are designed to give: achieved, on_track, at_risk, off_track
    split: str = ""  # "region" or "sector": parts that add up to the headline
    cumulative: bool = False
    reverse_from: int | None = None  # from this year the trend turns the wrong way


#: By indicator code; an indicator not listed gets a flat generic design.
INDICATOR_DESIGNS: dict[str, IndicatorDesign] = {
    "G2.DIGSKILL": IndicatorDesign(42_000, 1.10, "mul", -1, "achieved", split="sector"),
    "D2.PROG": IndicatorDesign(78.0, 1.2, "add", 1, "achieved"),
    "R2.FILINGS": IndicatorDesign(84.0, 1.5, "add", 1, "achieved"),
    "G2.EGOV": IndicatorDesign(8, 2.0, "add", 0, "on_track", split="region"),
    "D3.REG": IndicatorDesign(1_150, 1.08, "mul", 0, "on_track", split="region"),
    "T1.RECS": IndicatorDesign(270, 1.04, "mul", 0, "on_track"),
    "D1.PROJ": IndicatorDesign(62.0, 2.0, "add", 1, "at_risk"),
    "D5.CIRT": IndicatorDesign(26, 2.5, "add", 0, "at_risk", split="region", cumulative=True),
    "T1.DEVPART": IndicatorDesign(36.0, 0.8, "add", 1, "at_risk"),
    "D1.AFFORD": IndicatorDesign(92, 3.0, "add", 0, "off_track", split="region"),
    "D4.FUNDS": IndicatorDesign(38_000_000, 1.05, "mul", -3, "off_track"),
    "R1.BACKLOG": IndicatorDesign(95.0, -4.0, "add", 1, "off_track", reverse_from=2024),
}
GENERIC_DESIGN = IndicatorDesign(100.0, 1.03, "mul", 1, "on_track")
#: Parts of the Sector split of an indicator (shares).
SECTOR_SPLIT: dict[str, float] = {"ITU-D": .72, "ITU-T": .16, "ITU-R": .12}
#: Regional shares of the region split (ITU-D regions).
REGION_SPLIT: dict[str, float] = {"AFR": .30, "AMS": .17, "ARB": .13, "ASP": .22, "CIS": .06, "EUR": .12}

#: Illustrative targets 2024-2027 of the computed enabler indicators (E1.SAVINGS is set from the
#: generated 2023 savings instead, as it grows with ``scale``).
ENABLER_TARGETS: dict[str, tuple[float, ...]] = {
    "E1.RECRUIT": (148, 140, 130, 120),
    "E1.TRAIN": (85, 88, 92, 95),
    "E1.WOMEN_P": (44, 46, 48, 50),
    "E1.GEO": (52, 54, 57, 60),
    "E1.AUDIT": (1, 1, 1, 1),
    "E1.OVERSIGHT": (90, 92, 94, 95),
    "E1.ENGAGE": (155, 145, 135, 120),
}
SAVINGS_TARGET_GROWTH = 0.05


def _series(design: IndicatorDesign, rng: np.random.Generator) -> dict[int, float]:
    """Trend plus noise bounded to +/- 40 % of a year's change, 2019-2025."""
    years = range(OBSERVATION_FIRST_YEAR, DEMO_LAST_YEAR + 1)
    values: dict[int, float] = {}
    level = design.start
    for y in years:
        if y > OBSERVATION_FIRST_YEAR:
            step = design.step
            if design.reverse_from and y >= design.reverse_from:
                step = -2 * step if design.mode == "add" else 1 / step ** 2
            if design.cumulative:
                level = level + max(1.0, step + rng.normal(0.0, 0.4 * abs(step)))
            elif design.mode == "add":
                level = level + step
            else:
                level = level * step
        if design.cumulative:
            values[y] = float(math.floor(level + 0.5))
            continue
        change = abs(design.step) if design.mode == "add" else abs(level * (design.step - 1))
        noise = float(np.clip(rng.normal(0.0, 0.2), -0.4, 0.4)) * change
        values[y] = rounded(level + noise, design.decimals)
    return values


def _limited(value: float, indicator: m.Indicator) -> float:
    """``value`` kept within the indicator's limits (half a unit under an upper limit: a target can be missed)."""
    if indicator.upper_limit is not None:
        value = min(value, indicator.upper_limit - 0.5)
    if indicator.lower_limit is not None:
        value = max(value, indicator.lower_limit)
    return value


def _growth_target(indicator: m.Indicator, baseline: float, latest: float, ratio: float) -> float:
    """The 2027 target whose required yearly growth is the observed growth divided by ``ratio``.

    Mirrors :mod:`kpi.status`: growth on the gap to the upper limit for a bounded share, else
    compound growth of the value itself (lower limit 0).
    """
    observed_years = DEMO_LAST_YEAR - BASELINE_YEAR
    target_years = END_OF_PLAN - BASELINE_YEAR
    upper = indicator.upper_limit
    if upper is not None and indicator.direction == "higher":
        g0, g1 = upper - baseline, upper - latest
        rate = ((g1 / g0) ** (1 / observed_years) - 1) / ratio
        return upper - g0 * (1 + rate) ** target_years
    rate = ((latest / baseline) ** (1 / observed_years) - 1) / ratio
    return baseline * (1 + rate) ** target_years


def _targets(indicator: m.Indicator, design: IndicatorDesign, values: dict[int, float]) -> dict[int, float]:
    """The targets that give ``indicator`` its designed status: one end-of-plan target for "on track" and "at
    risk" (a yearly one for the latest year would settle it), yearly targets for "achieved" and "off track"."""
    baseline, latest = values[BASELINE_YEAR], values[DEMO_LAST_YEAR]
    decimals = design.decimals
    sign = 1 if indicator.direction == "higher" else -1
    if design.status in ("on_track", "at_risk"):
        ratio = ON_TRACK_RATIO if design.status == "on_track" else AT_RISK_RATIO
        target = _growth_target(indicator, baseline, latest, ratio)
        return {END_OF_PLAN: rounded(_limited(target, indicator), decimals)}
    change = (latest - baseline) / (DEMO_LAST_YEAR - BASELINE_YEAR)
    if design.status == "achieved":
        slope = ACHIEVED_SHARE * change
    else:  # off track: asks for much more than was achieved, in the good direction
        wanted = abs(design.step) if design.mode == "add" else abs(baseline * (design.step - 1))
        slope = sign * max(OFF_TRACK_MULTIPLE * sign * change, wanted)
    return {y: rounded(_limited(baseline + slope * (y - BASELINE_YEAR), indicator), decimals) for y in TARGET_YEARS}


def _split(total: float, shares: dict[str, float], rng: np.random.Generator, decimals: int) -> dict[str, float]:
    """Parts of ``total`` by key (shares perturbed), rounded so that they add up to the total."""
    keys = list(shares)
    weights = rng.dirichlet(np.array([shares[k] for k in keys]) * 200)
    unit = 10.0 ** (-decimals)
    units = round(total / unit)
    raw = weights * units
    parts = np.floor(raw).astype(np.int64)
    remainder = int(units - parts.sum())
    for i in np.argsort(-(raw - parts), kind="stable")[:remainder]:
        parts[i] += 1
    return {k: rounded(float(p) * unit, decimals) for k, p in zip(keys, parts)}


def _parts_by_year(design: IndicatorDesign, values: dict[int, float],
                   rng: np.random.Generator) -> dict[int, dict[str, float]]:
    """The parts of each year's value by region or Sector (none if the design has no split)."""
    if not design.split:
        return {}
    shares = REGION_SPLIT if design.split == "region" else SECTOR_SPLIT
    decimals = design.decimals
    if not design.cumulative:
        return {y: _split(v, shares, rng, decimals) for y, v in sorted(values.items())}
    # a running total: split the yearly increments, then add them up, so that no part ever falls
    parts_by_year: dict[int, dict[str, float]] = {}
    running = {k: 0.0 for k in shares}
    previous = 0.0
    for y in sorted(values):
        increment = _split(values[y] - previous, shares, rng, decimals)
        running = {k: running[k] + increment[k] for k in shares}
        parts_by_year[y] = dict(running)
        previous = values[y]
    return parts_by_year


def _observation_rows(indicator: m.Indicator, design: IndicatorDesign, values: dict[int, float],
                      rng: np.random.Generator) -> list[dict]:
    """The headline observation of each year (one year may be missing before the baseline) and its parts."""
    missing: set[int] = set()
    if rng.random() < MISSING_YEAR_SHARE:
        missing.add(int(rng.integers(OBSERVATION_FIRST_YEAR, BASELINE_YEAR)))
    estimate_draws = rng.random(len(values))
    parts_by_year = _parts_by_year(design, values, rng)
    rows = []
    for (year, value), draw in zip(sorted(values.items()), estimate_draws):
        if year in missing:
            continue
        last = year == DEMO_LAST_YEAR
        flag = "provisional" if last else ("estimate" if draw < ESTIMATE_SHARE else "")
        common = {
            "indicator_id": indicator.id, "year": year, "flag": flag,
            "note": "Synthetic demo value" + (" (estimate)" if flag == "estimate" else ""),
            "approval": "provisional" if last else "validated", "coverage_pct": None, "country": None,
            "grade": None, "gender": None, "duty_station": None, "batch_id": None,
        }
        rows.append({**common, "value": value, "disaggregation": "", "sector": None, "region": None})
        for key, part in parts_by_year.get(year, {}).items():
            rows.append({
                **common, "value": part, "disaggregation": f"{design.split}={key}",
                "sector": key if design.split == "sector" else None,
                "region": key if design.split == "region" else None,
            })
    return rows


def _enabler_goal(code: str, savings_2023: float) -> dict[int, float]:
    """The illustrative targets of a computed enabler indicator by year (none for one not in
    :data:`ENABLER_TARGETS`). E1.SAVINGS grows from the generated 2023 savings, which grow with ``scale``."""
    if code == "E1.SAVINGS":
        return {y: float(round(savings_2023 * (1 + SAVINGS_TARGET_GROWTH * (y - BASELINE_YEAR)), -4))
                for y in TARGET_YEARS}
    if code in ENABLER_TARGETS:
        return dict(zip(TARGET_YEARS, (float(v) for v in ENABLER_TARGETS[code])))
    return {}


def indicator_rows(session: Session, seed: int, savings_rows: list[dict]) -> tuple[list[dict], list[dict], int]:
    """Observations and targets of the synthetic indicators; sets the reported ones' baselines."""
    rng = stream(seed, "observation")
    indicators = session.scalars(
        select(m.Indicator).where(m.Indicator.is_synthetic.is_(True)).order_by(m.Indicator.code)).all()
    observations: list[dict] = []
    targets: list[dict] = []
    baselines = 0
    savings_2023 = sum(r["reference_cost_chf"] - r["awarded_cost_chf"]
                       for r in savings_rows if r["year"] == BASELINE_YEAR)
    for ind in indicators:
        if ind.computed_from:  # computed from the records: targets only, no draw
            targets += [{"indicator_id": ind.id, "year": y, "value": v, "source": TARGET_SOURCE}
                        for y, v in _enabler_goal(ind.code, savings_2023).items()]
            continue
        design = INDICATOR_DESIGNS.get(ind.code, GENERIC_DESIGN)
        values = _series(design, rng)
        observations += _observation_rows(ind, design, values, rng)
        targets += [
            {"indicator_id": ind.id, "year": y, "value": v, "source": TARGET_SOURCE}
            for y, v in sorted(_targets(ind, design, values).items())
        ]
        session.execute(
            update(m.Indicator).where(m.Indicator.id == ind.id).values(baseline_value=values[BASELINE_YEAR]),
            execution_options={"synchronize_session": False})
        baselines += 1
    return observations, targets, baselines

