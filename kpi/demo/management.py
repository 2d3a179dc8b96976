"""The management records of the demo data: oversight recommendations, engagements, procurement savings,
budget lines and the risk register (all synthetic or illustrative; see :mod:`kpi.demo`).

Each section draws from its own random stream (:func:`kpi.demo.common.stream`), so the sections can be built
in any order without changing one another's rows.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from kpi import dimensions as dims
from kpi.config import DEMO_FIRST_YEAR, DEMO_LAST_YEAR
from kpi.demo.common import (
    CARRY_OVER_YEAR, CYCLE, YEARS, by_horizon, day_of_year, node_id_by_code, normalised, rounded, stream,
)
from kpi.store import models as m

# ---------------------------------------------------------------- oversight

RECOMMENDATIONS_PER_YEAR = 40
OVERSIGHT_SOURCES: dict[str, tuple[str, float]] = {  # source -> (ref prefix, share)
    dims.SOURCE_EXTERNAL_AUDITOR: ("EA", .25),
    dims.SOURCE_INTERNAL_AUDIT: ("IA", .35),
    dims.SOURCE_JIU: ("JIU", .20),
    dims.SOURCE_IMAC: ("IMAC", .10),
    dims.SOURCE_EVALUATION: ("EVAL", .10),
}
RECOMMENDATION_VERBS = (
    "Strengthen the internal controls over", "Update the policy on", "Improve the monitoring of",
    "Formalize roles and responsibilities for", "Set key performance indicators for",
    "Review the risk assessment of", "Document the procedures for",
)
OVERSIGHT_AREAS = (
    "procurement", "official travel", "recruitment", "ICT security", "project management in regional offices",
    "extrabudgetary funds", "asset management", "conference services", "payroll", "business continuity",
    "results-based management", "data protection",
)
#: The share of each of :data:`kpi.dimensions.PRIORITIES` (high, medium, low).
PRIORITY_SHARES = (.25, .55, .2)
ACCEPTED_FIRST, ACCEPTED_GAIN = 0.85, 0.01
#: Recommendations issued after this day of the last year mostly await a decision.
PENDING_AFTER = dt.date(DEMO_LAST_YEAR, 10, 1)
PENDING_SHARE = 0.7
IMPLEMENTATION_GAMMA = (2.0, 210.0)  # shape, scale in days
NEVER_IMPLEMENTED = 0.1


def oversight_rows(scale: int, seed: int) -> list[dict]:
    """About :data:`RECOMMENDATIONS_PER_YEAR` x ``scale`` recommendations a year: accepted more often each year,
    the latest often awaiting a decision, implemented after a gamma-distributed delay (or never)."""
    rng = stream(seed, "oversight")
    sources = list(OVERSIGHT_SOURCES)
    source_p = normalised([share for _, share in OVERSIGHT_SOURCES.values()])
    owners = list(dims.SECTOR_CODES)
    rows: list[dict] = []
    for year in YEARS:
        n = int(rng.poisson(RECOMMENDATIONS_PER_YEAR * scale))
        issued = np.sort(rng.integers(0, 365, n))
        src = rng.choice(len(sources), size=n, p=source_p)
        owner = rng.choice(len(owners), size=n, p=normalised([.5, .15, .1, .25]))
        priority = rng.choice(len(dims.PRIORITIES), size=n, p=PRIORITY_SHARES)
        verb = rng.integers(0, len(RECOMMENDATION_VERBS), n)
        area = rng.integers(0, len(OVERSIGHT_AREAS), n)
        accept_draw = rng.random(n)
        pending_draw = rng.random(n)
        delay = rng.gamma(*IMPLEMENTATION_GAMMA, n)
        never = rng.random(n) < NEVER_IMPLEMENTED
        p_accept = ACCEPTED_FIRST + ACCEPTED_GAIN * (year - DEMO_FIRST_YEAR)
        numbers = {s: 0 for s in sources}
        for i in range(n):
            source = sources[src[i]]
            numbers[source] += 1
            issued_on = day_of_year(year, issued[i])
            accepted: bool | None = bool(accept_draw[i] < p_accept)
            if issued_on > PENDING_AFTER and pending_draw[i] < PENDING_SHARE:
                accepted = None
            implemented = None
            if accepted and not never[i]:
                implemented = by_horizon(issued_on + dt.timedelta(days=int(30 + delay[i])))
            rows.append({
                "ref": f"{OVERSIGHT_SOURCES[source][0]}-{year}-{numbers[source]:04d}", "source": source,
                "title": f"{RECOMMENDATION_VERBS[verb[i]]} {OVERSIGHT_AREAS[area[i]]}",
                "priority": dims.PRIORITIES[priority[i]], "owner": owners[owner[i]],
                "issued_on": issued_on, "accepted": accepted, "implemented_on": implemented,
            })
    return rows


# ---------------------------------------------------------------- engagements

EXTERNAL_AUDIT_OPINION = dims.UNQUALIFIED
#: kind -> (ref prefix, per year at scale 1, mean days in the first year, yearly gain in days)
ENGAGEMENT_KINDS: dict[str, tuple[str, int, float, float]] = {
    dims.INTERNAL_AUDIT: ("IA", 6, 240.0, 9.0),
    dims.INVESTIGATION: ("INV", 8, 210.0, 8.0),
    dims.EVALUATION: ("EVAL", 3, 270.0, 8.0),
}
ENGAGEMENT_DAYS_RANGE = (60, 300)
INTERNAL_AUDIT_AREAS = OVERSIGHT_AREAS
INVESTIGATION_MATTERS = (
    "fraud", "harassment", "misuse of ITU assets", "conflict of interest", "retaliation", "abuse of authority",
)
EVALUATION_SUBJECTS = (
    "the ITU Academy", "the regional initiatives", "the Centres of Excellence", "the Partner2Connect Digital Coalition",
    "the WSIS Forum", "the AI for Good Summit", "the Network of Women", "the ChangeMakers Programme",
    "the Cyber Drills", "the Girls in ICT Day",
)


def engagement_rows(scale: int, seed: int) -> list[dict]:
    """The yearly external audit (but the last year's, which ends after the horizon) and, per year x ``scale``,
    the internal audits, investigations and evaluations of :data:`ENGAGEMENT_KINDS`."""
    rng = stream(seed, "engagement")
    rows: list[dict] = []
    for year in (CARRY_OVER_YEAR, *YEARS):
        if DEMO_FIRST_YEAR <= year < DEMO_LAST_YEAR:  # the audit of the last year's statements ends after the horizon
            rows.append(_external_audit(year, rng))
        for kind, (prefix, per_year, mean0, gain) in ENGAGEMENT_KINDS.items():
            n = int(rng.poisson(per_year * scale))
            start = np.sort(rng.integers(0, 365, n))
            mean = mean0 - gain * (year - DEMO_FIRST_YEAR)
            days = np.clip(np.round(rng.normal(mean, 0.25 * mean, n)), *ENGAGEMENT_DAYS_RANGE).astype(int)
            subject = rng.integers(0, 60, n)
            for i in range(n):
                title = _engagement_title(kind, int(subject[i]))
                started = day_of_year(year, start[i])
                ended = started + dt.timedelta(days=int(days[i]))
                if year == CARRY_OVER_YEAR and ended.year < DEMO_FIRST_YEAR:
                    continue
                rows.append({
                    "ref": f"{prefix}-{year}-{i + 1:04d}", "kind": kind, "year": year, "title": title,
                    "started_on": started, "ended_on": by_horizon(ended),
                    "opinion": dims.NO_OPINION,
                })
    return rows


def _external_audit(year: int, rng: np.random.Generator) -> dict:
    """The audit of ``year``'s financial statements: from late ``year`` to the spring after."""
    return {
        "ref": f"EXT-{year}", "kind": dims.EXTERNAL_AUDIT, "year": year,
        "title": f"Audit of the financial statements for {year}",
        "started_on": day_of_year(year, 290 + int(rng.integers(0, 21))),
        "ended_on": day_of_year(year + 1, 100 + int(rng.integers(0, 31))),
        "opinion": EXTERNAL_AUDIT_OPINION,
    }


def _engagement_title(kind: str, subject: int) -> str:
    """The title of an engagement of ``kind``, its subject picked by the draw ``subject`` (0-59)."""
    if kind == dims.INTERNAL_AUDIT:
        return f"Internal audit of {INTERNAL_AUDIT_AREAS[subject % len(INTERNAL_AUDIT_AREAS)]}"
    if kind == dims.INVESTIGATION:
        return f"Investigation into allegations of {INVESTIGATION_MATTERS[subject % len(INVESTIGATION_MATTERS)]}"
    return f"Evaluation of {EVALUATION_SUBJECTS[subject % len(EVALUATION_SUBJECTS)]}"


# ---------------------------------------------------------------- procurement

PROCUREMENT_PER_YEAR = 50
PROCUREMENT_GROWTH = 0.03
PROCUREMENT_CATEGORIES: dict[str, float] = {
    "ICT equipment": .18, "Software licences": .14, "Conference services": .14, "Interpretation and translation": .08,
    "Facilities management": .12, "Consultancy services": .12, "Printing and publications": .06, "Travel services": .08,
    "Security services": .08,
}
PROCUREMENT_SECTORS: dict[str, float] = {"GS": .55, "ITU-R": .12, "ITU-T": .10, "ITU-D": .23}
REFERENCE_COST_MEDIAN, REFERENCE_COST_SIGMA = 120_000.0, 1.0
REFERENCE_COST_RANGE = (5_000.0, 5_000_000.0)
SAVINGS_LOW, SAVINGS_HIGH_FIRST, SAVINGS_HIGH_GAIN, SAVINGS_HIGH_MAX = 0.03, 0.10, 0.002, 0.12


def procurement_rows(scale: int, seed: int) -> list[dict]:
    """About :data:`PROCUREMENT_PER_YEAR` x ``scale`` actions a year (growing), each with its reference cost and
    the awarded cost after a saving of a few per cent."""
    rng = stream(seed, "procurement")
    categories, sectors = list(PROCUREMENT_CATEGORIES), list(PROCUREMENT_SECTORS)
    rows: list[dict] = []
    for year in YEARS:
        n = int(rng.poisson(PROCUREMENT_PER_YEAR * scale * (1 + PROCUREMENT_GROWTH) ** (year - DEMO_FIRST_YEAR)))
        cat = rng.choice(len(categories), size=n, p=normalised(list(PROCUREMENT_CATEGORIES.values())))
        sec = rng.choice(len(sectors), size=n, p=normalised(list(PROCUREMENT_SECTORS.values())))
        cost = np.clip(rng.lognormal(math.log(REFERENCE_COST_MEDIAN), REFERENCE_COST_SIGMA, n), *REFERENCE_COST_RANGE)
        high = min(SAVINGS_HIGH_FIRST + SAVINGS_HIGH_GAIN * (year - DEMO_FIRST_YEAR), SAVINGS_HIGH_MAX)
        saving = rng.uniform(SAVINGS_LOW, high, n)
        for i in range(n):
            reference_cost = round(float(cost[i]), -2)
            rows.append({
                "year": year, "ref": f"PRC-{year}-{i + 1:05d}", "category": categories[cat[i]],
                "sector": sectors[sec[i]], "reference_cost_chf": reference_cost,
                "awarded_cost_chf": round(reference_cost * (1 - float(saving[i])), 2),
            })
    return rows


# ---------------------------------------------------------------- budget

#: The budget lines are those of the current Strategic Plan's outputs.
BUDGET_CYCLE = CYCLE
BUDGET_YEARS: tuple[int, ...] = (2024, 2025, 2026, 2027)
#: Planned regular budget per node in 2024 (CHF million); 165 in total.
BUDGET_2024_MCHF: dict[str, float] = {
    "E1": 72.0, "R1.O1": 16.0, "R2.O1": 13.0, "T1.O1": 17.0,
    "D1.O1": 11.0, "D2.O1": 10.0, "D3.O1": 8.0, "D4.O1": 9.0, "D5.O1": 9.0,
}
BUDGET_DEFAULT_MCHF = 8.0
BUDGET_YEARLY_GROWTH = 0.005
ACTUAL_RANGE = (0.90, 1.05)


def budget_rows(session: Session, seed: int) -> list[dict]:
    """A line per output (and enabler) of the :data:`BUDGET_CYCLE` framework and year: plan, and actuals up to the
    last demo year."""
    rng = stream(seed, "budget")
    nodes = session.execute(
        select(m.FrameworkNode.id, m.FrameworkNode.code, m.FrameworkNode.owner)
        .where(m.FrameworkNode.cycle_code == BUDGET_CYCLE, m.FrameworkNode.kind.in_(["output", "enabler"]))
        .order_by(m.FrameworkNode.sort_order, m.FrameworkNode.code)
    ).all()
    rows: list[dict] = []
    for node_id, code, owner in nodes:
        sector = owner if owner in dims.SECTOR_CODES else "GS"
        base = BUDGET_2024_MCHF.get(code, BUDGET_DEFAULT_MCHF) * 1e6
        for year in BUDGET_YEARS:
            planned = rounded(base * (1 + BUDGET_YEARLY_GROWTH) ** (year - BUDGET_YEARS[0]) * rng.normal(1.0, 0.02), -3)
            actual_ratio = rng.uniform(*ACTUAL_RANGE)
            rows.append({
                "node_id": node_id, "year": year, "sector": sector, "planned_chf": planned,
                "actual_chf": rounded(planned * actual_ratio, -3) if year <= DEMO_LAST_YEAR else None,
            })
    return rows


# ---------------------------------------------------------------- risks

RISK_YEARS: tuple[int, ...] = (2022, 2023, 2024, 2025)


@dataclass(frozen=True)
class RiskDef:
    """A risk of the illustrative register: its node, and its first (inherent) assessment."""

    code: str
    title: str
    category: str
    owner: str
    node: str  # node code in the 2024-2027 cycle
    likelihood: int  # inherent, first assessment
    impact: int
    mitigation: str


#: An illustrative register (the categories of a UN-system risk register).
RISKS: tuple[RiskDef, ...] = (
    RiskDef("RSK-01", "Decline in contributory units and arrears threaten financial sustainability",
            dims.FINANCIAL_RISK, "GS", "E1", 4, 5,
            "Resource mobilization strategy; arrears plans with Member States; reserve fund policy."),
    RiskDef("RSK-02", "Cyberattack compromises ITU systems or data",
            dims.ICT_RISK, "GS", "E1", 4, 5,
            "Security operations centre; multi-factor authentication; mandatory security awareness training."),
    RiskDef("RSK-03", "Failure to attract and retain staff with the skills needed",
            dims.OPERATIONAL_RISK, "GS", "E1", 3, 4,
            "Faster recruitment; talent pipeline and young professionals; mobility policy."),
    RiskDef("RSK-04", "Misconduct or fraud damages ITU's reputation",
            dims.REPUTATIONAL_RISK, "GS", "E1", 3, 5,
            "Ethics office; investigation capacity; speak-up and protection against retaliation policy."),
    RiskDef("RSK-05", "Major conferences disrupted (pandemic, venue, security)",
            dims.OPERATIONAL_RISK, "GS", "E1", 2, 5,
            "Business continuity plans; hybrid meeting platform; host-country agreements."),
    RiskDef("RSK-06", "Dependence on extrabudgetary funding for development projects",
            dims.FINANCIAL_RISK, "ITU-D", "D4.O1", 4, 4,
            "Diversified donor base; Partner2Connect pledges; project cost recovery."),
    RiskDef("RSK-07", "Fraud in procurement or project implementation in the field",
            dims.COMPLIANCE_RISK, "ITU-D", "D1.O1", 3, 4,
            "Vendor due diligence; segregation of duties; field audits."),
    RiskDef("RSK-08", "Non-compliance with personal data protection principles",
            dims.COMPLIANCE_RISK, "GS", "E1", 3, 3,
            "Data protection policy; records of processing; privacy by design in new systems."),
    RiskDef("RSK-09", "Backlog in the processing of satellite network filings",
            dims.OPERATIONAL_RISK, "ITU-R", "R2.O1", 3, 4,
            "Software modernization of filing tools; temporary staff in peak periods."),
    RiskDef("RSK-10", "Workload after the World Radiocommunication Conference exceeds capacity",
            dims.OPERATIONAL_RISK, "ITU-R", "R1.O1", 4, 3,
            "Prioritized work plan; automation of terrestrial notice examination."),
    RiskDef("RSK-11", "Geopolitical tensions hinder consensus in study groups and conferences",
            dims.STRATEGIC_RISK, "ITU", "T1.O1", 4, 4,
            "Early consultations; regional preparatory meetings; neutral facilitation."),
    RiskDef("RSK-12", "Obsolete ICT infrastructure and legacy systems",
            dims.ICT_RISK, "GS", "E1", 3, 3,
            "Cloud migration roadmap; ERP upgrade; lifecycle replacement budget."),
    RiskDef("RSK-13", "Duplication of effort among Sectors (One ITU)",
            dims.STRATEGIC_RISK, "ITU", "E1", 3, 3,
            "Inter-Sectoral Coordination Task Force; joint planning; Coordination Committee."),
    RiskDef("RSK-14", "Results cannot be demonstrated for lack of reliable data",
            dims.STRATEGIC_RISK, "GS", "E1", 3, 4,
            "Results framework with enabler indicators; data stewardship; yearly validation of values."),
    RiskDef("RSK-15", "Health, safety and security of staff in field offices",
            dims.OPERATIONAL_RISK, "ITU-D", "D1.O1", 2, 4,
            "UNDSS security clearance; field security training; office security assessments."),
)


def risk_rows(session: Session, seed: int) -> list[dict]:
    """Each risk of :data:`RISKS` assessed each year of :data:`RISK_YEARS`: the inherent likelihood drifts, the
    residual level falls as the mitigation matures (never above the inherent one)."""
    rng = stream(seed, "risk")
    node_ids = node_id_by_code(session)
    rows: list[dict] = []
    for risk in RISKS:
        likelihood, impact = risk.likelihood, risk.impact
        reduction = int(rng.integers(0, 2))
        for i, year in enumerate(RISK_YEARS):
            if i:
                likelihood = int(min(5, max(1, likelihood + rng.choice([-1, 0, 0, 0, 1]))))
                reduction = min(reduction + int(rng.random() < 0.4), 3)
            res_l = max(1, likelihood - 1 - reduction // 2)
            res_i = max(1, impact - (reduction + 1) // 2)
            rows.append({
                "code": risk.code, "year": year, "title": risk.title, "category": risk.category, "owner": risk.owner,
                "node_id": node_ids.get(risk.node), "inherent_likelihood": likelihood, "inherent_impact": impact,
                "residual_likelihood": min(res_l, likelihood), "residual_impact": min(res_i, impact),
                "mitigation": risk.mitigation,
            })
    return rows
