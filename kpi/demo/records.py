"""The governance records of the demo data: resolutions and their actions, the Senior Management Retreat's
commitments and their follow-up notes, the Accountability Framework's yearly assessments, and membership.

Real where :mod:`kpi.demo` says so (resolution codes and titles, the 2024 commitments, the framework's components,
Member States); every status, progress figure and Sector membership count is illustrative or synthetic.
"""
from __future__ import annotations

import datetime as dt

from kpi import dimensions as dims
from kpi.config import DEMO_FIRST_YEAR
from kpi.demo.common import YEARS, normalised, stream

# ---------------------------------------------------------------- resolutions

RESOLUTION_YEARS: tuple[int, ...] = (2023, 2024, 2025)
#: Real resolutions of the Plenipotentiary Conference (Bucharest, 2022); their actions are illustrative.
RESOLUTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("PP Res. 71 (Rev. Bucharest, 2022)", "Strategic plan for the Union for 2024-2027", (
        ("GS", "Report yearly to Council on the implementation of the Strategic Plan"),
        ("GS", "Align the operational plans of the Sectors with the Strategic Plan"),
        ("ITU-D", "Link the regional initiatives to the thematic priorities"),
    )),
    ("PP Res. 151 (Rev. Bucharest, 2022)", "Improvement of results-based management in ITU", (
        ("GS", "Define an enabler outcome and performance indicators"),
        ("GS", "Publish a results dashboard with baselines, targets and actual values"),
        ("GS", "Link budget lines to outputs (results-based budgeting)"),
        ("GS", "Report yearly on the implementation of resolutions"),
    )),
    ("PP Res. 70 (Rev. Bucharest, 2022)",
     "Mainstreaming a gender perspective in ITU and promotion of gender equality and the empowerment of women "
     "through telecommunications/information and communication technologies", (
        ("GS", "Reach gender parity in the Professional and higher categories"),
        ("GS", "Report gender-disaggregated staff data to Council every year"),
        ("ITU-D", "Expand digital skills programmes for women and girls"),
    )),
    ("PP Res. 48 (Rev. Bucharest, 2022)", "Human resources management and development", (
        ("GS", "Shorten recruitment timelines"),
        ("GS", "Improve the geographical distribution of staff"),
        ("GS", "Launch a functional mobility policy"),
    )),
    ("PP Res. 191 (Rev. Bucharest, 2022)",
     "Strategy for the coordination of efforts among the three Sectors of the Union", (
        ("GS", "Run the Inter-Sectoral Coordination Task Force"),
        ("ITU-T", "Map the topics of common interest of the Sectors' study groups"),
    )),
    ("PP Res. 200 (Rev. Bucharest, 2022)",
     "Connect 2030 Agenda for global telecommunication/information and communication technology, including "
     "broadband, for sustainable development", (
        ("ITU-D", "Monitor the Connect 2030 targets with ITU statistics"),
        ("ITU-D", "Report progress on universal and meaningful connectivity"),
        ("ITU-R", "Support spectrum planning for universal connectivity"),
    )),
)
RESOLUTION_CONFERENCE, RESOLUTION_YEAR = "PP-22", 2022


def action_status(progress: float) -> str:
    """The status of a resolution action or commitment from its progress."""
    if progress <= 0:
        return dims.NOT_STARTED
    return dims.IMPLEMENTED if progress >= 100 else dims.ONGOING


def resolution_rows(seed: int) -> tuple[list[dict], list[dict]]:
    """The resolutions of :data:`RESOLUTIONS` and their actions each year of :data:`RESOLUTION_YEARS`, their
    progress only ever advancing."""
    rng = stream(seed, "resolution")
    resolutions, actions = [], []
    for code, title, items in RESOLUTIONS:
        resolutions.append({"code": code, "title": title, "conference": RESOLUTION_CONFERENCE, "year": RESOLUTION_YEAR})
        for i, (owner, description) in enumerate(items, start=1):
            progress = float(rng.choice([0, 10, 20, 30, 40]))
            for year in RESOLUTION_YEARS:
                if year > RESOLUTION_YEARS[0]:
                    progress = min(100.0, progress + float(rng.choice([10, 15, 20, 25, 30, 35])))
                actions.append({
                    "resolution_code": code, "ref": f"A{i}", "year": year, "description": description,
                    "owner": owner, "status": action_status(progress), "progress_pct": progress,
                })
    return resolutions, actions


# ---------------------------------------------------------------- commitments

RETREAT_2024 = "Senior Management Retreat 2024"
RETREAT_2025 = "Senior Management Retreat 2025 (illustrative)"
#: (year, forum, text, owner, due on, status). The 2024 texts are real (Council document C24/17);
#: every status and the 2025 commitments are illustrative.
COMMITMENTS: tuple[tuple[int, str, str, str, dt.date, str], ...] = (
    (2024, RETREAT_2024, "Prioritize and align resources to priorities", dims.ITU_WIDE, dt.date(2025, 3, 31),
     dims.IMPLEMENTED),
    (2024, RETREAT_2024, "Define shared/deliberate values and make them visible across the organization",
     dims.ITU_WIDE, dt.date(2025, 3, 31), dims.ONGOING),
    (2024, RETREAT_2024, "Speak with candor about uncomfortable and difficult topics", dims.ITU_WIDE,
     dt.date(2025, 3, 31), dims.ONGOING),
    (2024, RETREAT_2024, "Empower staff through trust and proper people management", dims.ITU_WIDE,
     dt.date(2025, 3, 31), dims.IMPLEMENTED),
    (2025, RETREAT_2025, "Review the enabler indicators with the Coordination Committee every quarter", "GS",
     dt.date(2026, 3, 31), dims.ONGOING),
    (2025, RETREAT_2025, "Bring the average recruitment time under 130 days", "GS", dt.date(2026, 3, 31), dims.ONGOING),
    (2025, RETREAT_2025, "Close every oversight recommendation older than three years", dims.ITU_WIDE,
     dt.date(2026, 3, 31), dims.NOT_STARTED),
)


def commitment_rows() -> list[dict]:
    """The commitments, each with its reference: "R" + the retreat's year + its number there ("R2024-1")."""
    numbers: dict[int, int] = {}
    rows = []
    for y, forum, text, owner, due, status in COMMITMENTS:
        numbers[y] = numbers.get(y, 0) + 1
        rows.append({"ref": f"R{y}-{numbers[y]}", "year": y, "forum": forum, "text": text, "owner": owner,
                     "due_on": due, "status": status})
    return rows


#: Follow-up notes of the commitments: (commitment ref, noted on, status given, note). Illustrative; the last
#: note of each commitment gives its status in ``COMMITMENTS``.
FOLLOW_UPS: tuple[tuple[str, dt.date, str, str], ...] = (
    ("R2024-1", dt.date(2024, 9, 30), dims.ONGOING,
     "Budget proposal for 2025 aligned with the thematic priorities; reallocations under review."),
    ("R2024-1", dt.date(2025, 3, 20), dims.IMPLEMENTED, "Resources realigned in the 2025 budget, reported at the retreat."),
    ("R2024-2", dt.date(2024, 9, 30), dims.ONGOING, "Staff consultations on shared values held at every duty station."),
    ("R2024-2", dt.date(2025, 3, 20), dims.ONGOING,
     "Values drafted; the campaign to make them visible moves to the second half of 2025."),
    ("R2024-3", dt.date(2024, 9, 30), dims.NOT_STARTED, "No action reported yet."),
    ("R2024-3", dt.date(2025, 3, 20), dims.ONGOING, "Leadership dialogue sessions started for directors and chiefs."),
    ("R2024-4", dt.date(2024, 9, 30), dims.ONGOING, "People-management training launched for supervisors."),
    ("R2024-4", dt.date(2025, 3, 20), dims.IMPLEMENTED,
     "Delegation of authority framework issued; every supervisor trained."),
    ("R2025-1", dt.date(2025, 6, 30), dims.ONGOING, "First quarterly review held by the Coordination Committee."),
    ("R2025-1", dt.date(2025, 10, 15), dims.ONGOING,
     "Second review: recruitment time and long-open recommendations flagged."),
    ("R2025-2", dt.date(2025, 6, 30), dims.ONGOING, "Recruitment workflow simplified; shortlisting two weeks shorter."),
    ("R2025-2", dt.date(2025, 10, 15), dims.ONGOING,
     "Average still above the 130-day aim: assessment boards to be scheduled when a post is advertised."),
    ("R2025-3", dt.date(2025, 10, 15), dims.NOT_STARTED,
     "Owners asked for a closure plan of each recommendation older than three years."),
)


def follow_up_rows() -> list[dict]:
    """The follow-up notes of :data:`FOLLOW_UPS`."""
    return [{"commitment_ref": ref, "noted_on": day, "status": status, "note": note}
            for ref, day, status, note in FOLLOW_UPS]


# ---------------------------------------------------------------- Accountability Framework

ACCOUNTABILITY_SOURCE = "Council document C18/20 (2018)"
#: The framework's pillars and components, real (Council document C18/20, "Accountability and transparency
#: framework", Council 2018, after the JIU benchmarks). Council endorsed a new framework in 2022 (PP Resolution 151
#: (Rev. Bucharest, 2022), resolves vi, in ../shared/seeds/), whose component list may differ.
ACCOUNTABILITY_PILLARS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Covenant with Member States, Sector Members, Associates, Academia and users of ITU's services", (
        "ITU's Basic Instruments, relevant agreements and treaties", "ITU's Results Framework")),
    ("Internal controls and risk management", (
        "Control environment", "Control activities", "Risk assessment", "Monitoring")),
    ("Complaints and response mechanism", (
        "Procurement", "ITU's staff", "Membership and other users of ITU services")),
)
ACCOUNTABILITY_YEARS: tuple[int, ...] = (2022, 2023, 2024, 2025)
#: Chances of each status (best first) in the first year, and that a component not yet in place moves one step
#: up in a year (illustrative).
ACCOUNTABILITY_START: tuple[float, ...] = (0.35, 0.5, 0.15)
ACCOUNTABILITY_PROGRESS = 0.35


def accountability_rows(seed: int) -> tuple[list[dict], list[dict]]:
    """The components (codes "AF1.1"..., pillar by pillar) and their illustrative yearly statuses, which only
    ever improve, one step at a time."""
    rng = stream(seed, "accountability")
    statuses = dims.ACCOUNTABILITY_STATUSES  # best first
    components, assessments = [], []
    for p, (pillar, names) in enumerate(ACCOUNTABILITY_PILLARS, start=1):
        for c, name in enumerate(names, start=1):
            code = f"AF{p}.{c}"
            components.append({"code": code, "pillar": pillar, "name": name, "position": len(components) + 1,
                               "source": ACCOUNTABILITY_SOURCE})
            level = int(rng.choice(len(statuses), p=normalised(ACCOUNTABILITY_START)))  # index: 0 is "in place"
            for i, year in enumerate(ACCOUNTABILITY_YEARS):
                if i and level > 0 and rng.random() < ACCOUNTABILITY_PROGRESS:
                    level -= 1
                assessments.append({"component_code": code, "year": year, "status": statuses[level], "note": ""})
    return components, assessments


# ---------------------------------------------------------------- membership

MEMBER_STATES_BEFORE_PALAU, MEMBER_STATES_FROM_PALAU, PALAU_YEAR = 193, 194, 2024
#: Sector -> category -> (count in the first year, change per year): synthetic.
SECTOR_MEMBERSHIP: dict[str, dict[str, tuple[float, float]]] = {
    "ITU-R": {"Sector Members": (262, 1.0), "Associates": (24, 0.5), "Academia": (58, 6.0)},
    "ITU-T": {"Sector Members": (272, -1.0), "Associates": (142, -2.0), "Academia": (108, 7.0)},
    "ITU-D": {"Sector Members": (298, 2.0), "Associates": (26, 1.0), "Academia": (94, 7.0)},
}


def membership_rows(seed: int) -> list[dict]:
    """Member States each year (the real count), then each Sector's categories: a trend plus a little noise."""
    rng = stream(seed, "membership")
    rows = [
        {"sector": dims.ITU_WIDE, "category": dims.MEMBER_STATES, "year": y,
         "count": MEMBER_STATES_FROM_PALAU if y >= PALAU_YEAR else MEMBER_STATES_BEFORE_PALAU}
        for y in YEARS
    ]
    for sector, categories in SECTOR_MEMBERSHIP.items():
        for category, (first, change) in categories.items():
            for y in YEARS:
                count = first + change * (y - DEMO_FIRST_YEAR) + rng.normal(0.0, 2.0)
                rows.append({"sector": sector, "category": category, "year": y, "count": max(0, int(round(count)))})
    return rows

