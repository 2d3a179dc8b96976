"""Seeded, deterministic SYNTHETIC demo data for every record table of the store.

**Everything this module writes is synthetic** (invented for demonstration and benchmarks), with
a few real public facts used as anchors, each named below. The same ``seed`` and ``scale`` always
give the same rows, byte for byte: every draw comes from ``numpy.random.default_rng([seed,
stream])`` (one stream per section, so changing one section does not shift the others), every
list is built in a fixed order (reference rows sorted by their codes, never a set or a dict of
unknown order) and every date is fixed relative to its year (no wall clock).

:func:`generate` runs inside the caller's transaction (it never commits), after
:func:`kpi.reference.load_dimensions` and :func:`kpi.reference.load_framework`. It *replaces*
what it owns: every row of the record tables it fills (workforce, recruitment, training,
oversight, engagements, procurement, budget, risks, resolutions, commitments and their follow-ups,
membership, Accountability Framework, operational plans, links between records and the framework),
the observations of the synthetic reported indicators, and the targets of the synthetic
indicators; the real connectivity observations and published targets are left alone. It records
``meta`` rows ``demo_seed`` and ``demo_scale``.

``scale`` multiplies the number of staff and of the records that come in numbers (recruitments,
training records, oversight recommendations, internal audits, investigations, evaluations,
procurement actions). Structures that exist once (the 5 elected officials, one external audit a
year, budget lines per output, risks, resolutions, commitments, membership, indicator values)
do not scale.

What is generated, and how
==========================

Workforce (``staff_snapshot``), 2015-2025, one row per staff member and year (31 December)
    Real anchors: the CEB headcounts 2015-2019 (744, 744, 680, 727, 749; the yearly total is hit
    exactly at scale 1) and the CEB 2019 split by duty station (``staff_2019`` of
    ``duty_stations.csv``: Geneva 688 of 749, about 92 %). Later years drift from 752 to 768.
    New Delhi has no staff up to 2019 (as in the CEB 2019 figures), 2-4 from 2020.
    Real anchors also: the five elected officials of each term (2015-2018, 2019-2022, 2023-)
    with their public nationality and gender; the same person keeps the same ``staff_key``
    (the Director of BDT elected in 2018 became Secretary-General in 2023). Exactly 5 a year,
    at any scale: 2 in the General Secretariat, 1 per Bureau.
    Synthetic: everybody else. A staff member keeps an anonymised key ``S0000001``... for life;
    about 7 % leave each year (temporary staff and long service more often; more in 2017, when
    the CEB headcount fell) and are replaced by new hires so that the year's total is met;
    about 4 % a year are promoted one grade (G6, P4 and D1 half as often, P5 to D1 rarely).
    Field offices get the headcount of their CEB 2019 figure +/- 1 (several have 1-4 staff),
    mostly ITU-D staff of unit BDT-FIELD, some ITU-T and ITU-R; the New York liaison office is
    General Secretariat. Grades: the first year's Geneva staff follow :data:`GENEVA_GRADES`
    exactly and Geneva hires fill the grades short of it, giving about 44 % GS (G4-G6 most
    common), 48 % P (P3-P4 most), 5 % D and 1-2 % NO (national officers: field only, nationals
    of the duty station's country); Geneva hires likewise keep the Sector split.
    Gender: hires are drawn so that women are about 55 % of GS staff, 35 % of P staff in 2015
    rising one point a year to 45 % in 2025, and 22-28 % of D staff.
    Nationality: GS staff in Geneva are mostly French and Swiss (then neighbours); P and D staff
    come from Member States weighted by the square root of their population times a fixed
    lognormal "attractiveness" (Western Europe 3x), a weighting that flattens over the years
    (about 95 nationalities in 2015, 105 in 2025); field GS staff
    are mostly nationals of the duty station's country, field P staff often from its region.
    Palau (Member State since September 2024) has no nationals on staff.
    Sectors: about GS 45 %, ITU-R 17 %, ITU-T 10 %, ITU-D 28 %, units from ``units.csv``.
    Contracts: continuing (long service), fixed-term (most), temporary (about 1 in 6 hires).

Recruitment, about 60 vacancies a year x scale
    Posted on a day of the year, closed 30-45 days later, selected 95-260 days after posting:
    on average 195 days for P and D posts in 2015 falling 4.5 days a year, GS posts 30 days
    faster. Vacancies not closed or not selected by 31 December 2025 have no date (still open).

Training: every staff member in post, every year from 2018, three mandatory courses
    (:data:`MANDATORY_COURSES`). The share of staff completing all three rises from 60 % (2018)
    to 90 % (2025); new hires complete less often in their first year.

Oversight recommendations, about 40 a year x scale
    Sources: External Auditor, Internal Audit, JIU, Independent Management Advisory Committee,
    Evaluation. Accepted 85 % (2015) to 95 % (2025), otherwise rejected; most of those issued in
    the last quarter of 2025 await a decision (``accepted`` None). Accepted ones are implemented
    after a gamma-distributed delay (mean about 14 months; about 1 in 10 never), so older ones
    are more often implemented; nothing is dated after 31 December 2025.

Engagements
    One external audit of each year's financial statements 2015-2024, opinion "unqualified"
    (the External Auditor has given ITU unqualified opinions; no year is shown as a miss). The
    audit of the 2025 statements ends in 2026, after the demo's horizon, so it is not recorded
    and E1.AUDIT has no 2025 value (rather than a misleading 0). Per year x scale: about 6
    internal audits, 8 investigations and 3 evaluations, lasting 60-300 days and getting faster
    (on average 240, 210 and 270 days in 2015, falling 8-9 days a year); some started in 2025
    have not ended.

Procurement savings, about 50 actions a year x scale, 3 % more each year
    Reference cost lognormal (median CHF 120,000), savings 3-10 % in 2015 widening to 3-12 %.

Budget lines, 2024-2027
    One line per output of the Strategic Plan 2024-2027 (its owner Sector) and for the enabler
    E1 (General Secretariat), CHF 165 million a year in total (the enabler about 72 million);
    actuals 90-105 % of plan for 2024 and 2025, none for later years.

Risks: 15 risks of an illustrative register, assessed each year 2022-2025
    Inherent likelihood and impact 1-5, residual at most the inherent, falling as the mitigation
    matures; each linked to a node of the 2024-2027 framework.

Resolutions and actions
    Six real resolutions of the Plenipotentiary Conference (Bucharest, 2022) by code and title;
    their 2-4 actions each, reported 2023-2025 with progress advancing, are illustrative.

Commitments
    The four real commitments of the Senior Management Retreat of March 2024 (Council document
    C24/17, "One ITU" report), with illustrative statuses; three illustrative 2025 commitments.
    Each has illustrative dated follow-up notes (a mid-year review, the next retreat), the last
    one giving its current status.

Accountability Framework, 2022-2025
    Real: the nine components under the three pillars of the framework presented to Council in
    2018 (Council document C18/20, after the JIU benchmarks). Council endorsed a new framework in
    2022 (PP Resolution 151 (Rev. Bucharest, 2022), resolves vi), whose list may differ.
    Illustrative: every yearly status (in place, partly in place, not in place).

Operational plan items, 2024-2027
    Illustrative: 14 lines of the Sectors' and departments' rolling four-year plans, each with an
    output of the Strategic Plan 2024-2027, an expected result, a KPI (tied to an indicator where
    one fits), risk factors and resources growing from a fixed base with a little noise.

Links between records and the results framework (``record_link``)
    Illustrative: each resolution action and commitment tied to the node or indicator it bears on
    (the commitment "Bring the average recruitment time under 130 days" to E1.RECRUIT), the
    oversight recommendations issued from 2023 tied by their area (recruitment to E1.RECRUIT,
    procurement to E1.SAVINGS, field projects to D1.O1, ...), four risks tied to an indicator.

Membership, 2015-2025
    Real: Member States, 193 until 2023 and 194 from 2024 (Palau joined on 19 September 2024).
    Synthetic: Sector Members, Associates and Academia per Sector.

Indicator values and targets
    Every synthetic reported indicator (``is_synthetic`` and no ``computed_from``) gets a value
    for 2019-2025 (trend plus bounded noise, a few missing years before 2023, "estimate" flags,
    the last year flagged and approved "provisional", earlier years "validated"), and its
    ``baseline_value`` becomes its 2023 value. Sums are also split by ITU-D region or by Sector
    (parts add up to the headline). Targets are set from the generated values so that the
    indicators spread over the statuses of :mod:`kpi.status` (:data:`INDICATOR_DESIGNS`: three
    each achieved, on track, at risk and off track): "achieved" and "off track" indicators have
    yearly targets 2024-2027; "on track" and "at risk" ones an end-of-plan target for 2027 only
    (a yearly target for the latest year would settle the status as achieved or missed).
    The computed enabler indicators (E1.*) get illustrative targets 2024-2027 only; their values
    are computed from the records by :mod:`kpi.enablers`.

Where each part lives
=====================

:mod:`kpi.demo.common` (years, random streams, dates, draws, bulk inserts),
:mod:`kpi.demo.calibration` (the workforce's anchors and parameters), :mod:`kpi.demo.staff` (reference codes
and the columns of staff), :mod:`kpi.demo.hiring` (drawing new staff), :mod:`kpi.demo.workforce` (the
simulation), :mod:`kpi.demo.staffing` (training and recruitment), :mod:`kpi.demo.management` (oversight,
engagements, procurement, budget, risks), :mod:`kpi.demo.records` (resolutions, commitments, Accountability
Framework, membership), :mod:`kpi.demo.planning` (operational plans, record links) and :mod:`kpi.demo.results`
(indicator values and targets). This module puts them together (:func:`generate`) and keeps the names callers
used when it was a single module.
"""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kpi.config import DEMO_SEED
from kpi.demo.calibration import (
    ELECTED, ELECTED_PER_YEAR, FIELD_GRADES, GENEVA_GRADES, ceb_headcount, headcount_targets, women_target,
)
from kpi.demo.common import YEARS
from kpi.store.bulk import insert_in_chunks
from kpi.demo.management import (
    budget_rows, engagement_rows, oversight_rows, procurement_rows, risk_rows,
)
from kpi.demo.planning import link_rows, plan_rows
from kpi.demo.records import (
    accountability_rows, action_status, commitment_rows, follow_up_rows, membership_rows, resolution_rows,
)
from kpi.demo.results import INDICATOR_DESIGNS, IndicatorDesign, indicator_rows
from kpi.demo.staff import Reference
from kpi.demo.staffing import MANDATORY_COURSES, recruitment_rows, training_all_share, training_rows
from kpi.demo.workforce import Workforce
from kpi.store import models as m
from kpi.store.upsert import upsert

__all__ = [
    "DEMO_SEED", "ELECTED", "ELECTED_PER_YEAR", "FIELD_GRADES", "GENEVA_GRADES", "INDICATOR_DESIGNS",
    "MANDATORY_COURSES", "OWNED_TABLES", "YEARS", "IndicatorDesign", "action_status", "ceb_headcount", "generate",
    "headcount_targets", "training_all_share", "women_target",
]

#: Record tables this module owns, children before parents (the order of deletion).
OWNED_TABLES = (
    m.StaffSnapshot, m.Recruitment, m.TrainingCompletion, m.OversightRecommendation, m.Engagement,
    m.ProcurementSaving, m.BudgetLine, m.Risk, m.ResolutionAction, m.Resolution,
    # children before the rows they name
    m.CommitmentFollowUp, m.Commitment, m.Membership, m.AccountabilityAssessment, m.AccountabilityComponent,
    m.OperationalPlanItem, m.RecordLink,
)


def _clear(session: Session) -> None:
    """Remove what a previous run wrote (record tables, synthetic observations and targets)."""
    for model in OWNED_TABLES:
        session.execute(delete(model), execution_options={"synchronize_session": False})
    synthetic = select(m.Indicator.id).where(m.Indicator.is_synthetic.is_(True))
    reported = synthetic.where(m.Indicator.computed_from == "")
    session.execute(delete(m.Observation).where(m.Observation.indicator_id.in_(reported)),
                    execution_options={"synchronize_session": False})
    session.execute(delete(m.IndicatorTarget).where(m.IndicatorTarget.indicator_id.in_(synthetic)),
                    execution_options={"synchronize_session": False})


def generate(session: Session, *, scale: int = 1, seed: int = DEMO_SEED) -> dict[str, int]:
    """Write the synthetic demo data into the store; returns the rows written per table.

    Runs in the caller's transaction (no commit), after the reference dimensions and the
    framework are loaded. Replaces any demo data written before (see the module docstring).
    """
    if scale < 1:
        raise ValueError(f"scale must be a positive whole number, not {scale!r}")
    session.flush()
    ref = Reference.load(session)
    _clear(session)
    counts: dict[str, int] = {}
    _write_staff(session, ref, scale, seed, counts)
    recommendations = oversight_rows(scale, seed)
    counts["oversight_recommendation"] = insert_in_chunks(session, m.OversightRecommendation, recommendations)
    counts["engagement"] = insert_in_chunks(session, m.Engagement, engagement_rows(scale, seed))
    savings = procurement_rows(scale, seed)
    counts["procurement_saving"] = insert_in_chunks(session, m.ProcurementSaving, savings)
    counts["budget_line"] = insert_in_chunks(session, m.BudgetLine, budget_rows(session, seed))
    counts["risk"] = insert_in_chunks(session, m.Risk, risk_rows(session, seed))
    _write_records(session, seed, recommendations, counts)
    observations, targets, baselines = indicator_rows(session, seed, savings)
    counts["observation"] = insert_in_chunks(session, m.Observation, observations)
    counts["indicator_target"] = insert_in_chunks(session, m.IndicatorTarget, targets)
    counts["indicator"] = baselines  # baseline values set
    upsert(session, m.Meta, [{"key": "demo_seed", "value": str(seed)}, {"key": "demo_scale", "value": str(scale)}],
           ["key"])
    counts["meta"] = 2
    session.flush()
    return counts


def _write_staff(session: Session, ref: Reference, scale: int, seed: int, counts: dict[str, int]) -> None:
    """The workforce, its training and the recruitment records; the simulation is dropped as soon as its rows
    are written (at 100x it holds millions of values)."""
    workforce = Workforce(ref, scale, seed)
    workforce.run()
    counts["staff_snapshot"] = insert_in_chunks(session, m.StaffSnapshot, workforce.staff_rows())
    counts["training_completion"] = insert_in_chunks(session, m.TrainingCompletion, training_rows(workforce, seed))
    del workforce
    counts["recruitment"] = insert_in_chunks(session, m.Recruitment, recruitment_rows(ref, scale, seed))


def _write_records(session: Session, seed: int, recommendations: list[dict], counts: dict[str, int]) -> None:
    """Resolutions, commitments, the Accountability Framework, operational plans, record links and membership."""
    resolutions, actions = resolution_rows(seed)
    counts["resolution"] = insert_in_chunks(session, m.Resolution, resolutions)
    counts["resolution_action"] = insert_in_chunks(session, m.ResolutionAction, actions)
    counts["commitment"] = insert_in_chunks(session, m.Commitment, commitment_rows())
    counts["commitment_follow_up"] = insert_in_chunks(session, m.CommitmentFollowUp, follow_up_rows())
    components, assessments = accountability_rows(seed)
    counts["accountability_component"] = insert_in_chunks(session, m.AccountabilityComponent, components)
    counts["accountability_assessment"] = insert_in_chunks(session, m.AccountabilityAssessment, assessments)
    counts["operational_plan_item"] = insert_in_chunks(session, m.OperationalPlanItem, plan_rows(session, seed))
    counts["record_link"] = insert_in_chunks(session, m.RecordLink, link_rows(session, recommendations))
    counts["membership"] = insert_in_chunks(session, m.Membership, membership_rows(seed))
