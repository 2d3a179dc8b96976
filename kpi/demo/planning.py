"""The demo's operational plan items and the links of records to the results framework (illustrative).

Both name nodes and indicators of the current Strategic Plan's framework by code; the codes are resolved to ids
in the store (:func:`kpi.demo.common.node_id_by_code`), so the framework must be loaded first.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from kpi import dimensions as dims
from kpi.demo.common import indicator_id_by_code, node_id_by_code, rounded, stream
from kpi.demo.management import BUDGET_YEARS

# ---------------------------------------------------------------- operational plans

PLAN_YEARS: tuple[int, ...] = BUDGET_YEARS


@dataclass(frozen=True)
class PlanItemDef:
    """A line of an operational plan: its unit, the output it delivers and the first year's resources."""

    unit: str  # a Sector's department or a General Secretariat department (units.csv)
    node: str  # the output (or the enabler) it delivers, 2024-2027
    expected_result: str
    kpi: str
    indicator: str | None  # the indicator its KPI is, if one fits
    risk_factors: str
    resources_mchf: float  # in the first year


#: Illustrative lines of the rolling four-year operational plans (the shape of the General Secretariat's plan:
#: outputs, expected results, KPIs, risk factors, resources per unit).
PLAN_ITEMS: tuple[PlanItemDef, ...] = (
    PlanItemDef("BR-TSD", "R1.O1", "Terrestrial notices examined and published without backlog",
                "Average time to process terrestrial notices", "R1.BACKLOG",
                "Workload after the World Radiocommunication Conference; legacy examination software", 9.5),
    PlanItemDef("BR-SSD", "R2.O1", "Satellite network filings processed within the regulatory time limits",
                "Share of satellite filings processed within the regulatory time limit", "R2.FILINGS",
                "Peaks of filings before conferences; staff turnover in specialised posts", 8.0),
    PlanItemDef("TSB-SGD", "T1.O1", "ITU-T Recommendations approved on schedule by the study groups",
                "ITU-T Recommendations approved", "T1.RECS", "Consensus delayed by geopolitical tensions", 7.5),
    PlanItemDef("TSB-PSC", "T1.O1", "More experts from developing countries take part in standardization",
                "Participation of developing countries in study groups", "T1.DEVPART",
                "Fellowship funding; remote participation capacity", 2.5),
    PlanItemDef("BDT-DNE", "D1.O1", "Connectivity projects delivered on time and within budget",
                "Connectivity projects delivered on time", "D1.PROJ",
                "Dependence on extrabudgetary funding; security in field locations", 6.0),
    PlanItemDef("BDT-DDR", "D3.O1", "Regulators trained in policy and regulatory tools",
                "Regulators trained", "D3.REG", "Turnover in national regulatory authorities", 4.0),
    PlanItemDef("BDT-DKS", "D2.O1", "Digital skills and transformation programmes scaled up",
                "Digital transformation programmes rated effective", "D2.PROG",
                "Partners' co-financing; uneven national digital strategies", 5.0),
    PlanItemDef("BDT-DKS", "D5.O1", "National computer incident response teams established and trained",
                "National CIRTs established with ITU support", "D5.CIRT",
                "Political commitment of host countries; retention of trained staff", 3.5),
    PlanItemDef("BDT-PPS", "D4.O1", "Partnerships and extrabudgetary resources mobilized",
                "Extrabudgetary funds mobilized", "D4.FUNDS", "Donor priorities shift; currency fluctuations", 4.5),
    PlanItemDef("HRMD", "E1", "Posts filled faster, with a gender-balanced and geographically diverse staff",
                "Average recruitment timeline", "E1.RECRUIT",
                "Competition for specialised profiles; length of assessment boards", 6.5),
    PlanItemDef("FRMD", "E1", "Goods and services procured at lower cost with sound financial controls",
                "Cost savings on goods and services procured", "E1.SAVINGS",
                "Market prices and inflation; vendor base in field locations", 5.0),
    PlanItemDef("OIA", "E1", "Oversight recommendations accepted and followed up to implementation",
                "Oversight recommendations accepted", "E1.OVERSIGHT", "Capacity of the units audited", 1.5),
    PlanItemDef("IS", "E1", "Core systems modernized and secured", "Core systems moved to the cloud (%)", None,
                "Cyber threats; dependence on a few suppliers", 12.0),
    PlanItemDef("CCD", "E1", "Conferences and meetings serviced on time, hybrid where asked",
                "Meetings serviced without a postponement", None,
                "Venue and security disruptions; interpretation capacity", 10.0),
)
#: Yearly growth of an item's resources and the spread of its noise (illustrative).
PLAN_GROWTH, PLAN_NOISE = 0.01, 0.03


def plan_rows(session: Session, seed: int) -> list[dict]:
    """Each plan item for each plan year, with its reference "OP-<unit>-<n>" (n counts the unit's items)."""
    rng = stream(seed, "operational_plan")
    node_ids = node_id_by_code(session)
    indicator_ids = indicator_id_by_code(session)
    numbers: dict[str, int] = {}
    rows = []
    for item in PLAN_ITEMS:
        numbers[item.unit] = numbers.get(item.unit, 0) + 1
        for year in PLAN_YEARS:
            resources = item.resources_mchf * 1e6 * (1 + PLAN_GROWTH) ** (year - PLAN_YEARS[0])
            rows.append({
                "ref": f"OP-{item.unit}-{numbers[item.unit]}", "year": year, "unit": item.unit,
                "node_id": node_ids[item.node], "expected_result": item.expected_result, "kpi": item.kpi,
                "indicator_id": indicator_ids[item.indicator] if item.indicator else None,
                "risk_factors": item.risk_factors, "resources_chf": rounded(resources * rng.normal(1.0, PLAN_NOISE), -3),
            })
    return rows


# ---------------------------------------------------------------- links between records and the framework

#: Resolution actions -> the node or indicator each bears on: ((resolution code, action ref), target code).
ACTION_LINKS: tuple[tuple[tuple[str, str], str], ...] = (
    (("PP Res. 71 (Rev. Bucharest, 2022)", "A1"), "E1"), (("PP Res. 71 (Rev. Bucharest, 2022)", "A2"), "E1"),
    (("PP Res. 71 (Rev. Bucharest, 2022)", "A3"), "D1"),
    (("PP Res. 151 (Rev. Bucharest, 2022)", "A1"), "E1"), (("PP Res. 151 (Rev. Bucharest, 2022)", "A2"), "E1"),
    (("PP Res. 151 (Rev. Bucharest, 2022)", "A3"), "E1"), (("PP Res. 151 (Rev. Bucharest, 2022)", "A4"), "E1"),
    (("PP Res. 70 (Rev. Bucharest, 2022)", "A1"), "E1.WOMEN_P"),
    (("PP Res. 70 (Rev. Bucharest, 2022)", "A2"), "E1.WOMEN_P"),
    (("PP Res. 70 (Rev. Bucharest, 2022)", "A3"), "D2.O1"),
    (("PP Res. 48 (Rev. Bucharest, 2022)", "A1"), "E1.RECRUIT"), (("PP Res. 48 (Rev. Bucharest, 2022)", "A2"), "E1.GEO"),
    (("PP Res. 48 (Rev. Bucharest, 2022)", "A3"), "E1"),
    (("PP Res. 191 (Rev. Bucharest, 2022)", "A1"), "E1"), (("PP Res. 191 (Rev. Bucharest, 2022)", "A2"), "T1"),
    (("PP Res. 200 (Rev. Bucharest, 2022)", "A1"), "G1.INET"), (("PP Res. 200 (Rev. Bucharest, 2022)", "A2"), "G1"),
    (("PP Res. 200 (Rev. Bucharest, 2022)", "A3"), "R1.O1"),
)
#: Commitments -> the nodes or indicators each bears on.
COMMITMENT_LINKS: tuple[tuple[str, str], ...] = (
    ("R2024-1", "E1"), ("R2024-2", "E1"), ("R2024-3", "E1"), ("R2024-4", "E1"), ("R2024-4", "E1.TRAIN"),
    ("R2025-1", "E1"), ("R2025-2", "E1.RECRUIT"), ("R2025-3", "E1"), ("R2025-3", "E1.OVERSIGHT"),
)
#: Risks -> an indicator that shows the risk materializing (each risk's node is on the risk itself).
RISK_LINKS: tuple[tuple[str, str], ...] = (
    ("RSK-03", "E1.RECRUIT"), ("RSK-06", "D4.FUNDS"), ("RSK-09", "R2.FILINGS"), ("RSK-10", "R1.BACKLOG"),
)
#: Oversight recommendations are tied by the area their title names (``OVERSIGHT_AREAS``): to an indicator
#: where one measures it, else to a node; those issued from this year only (the current plan's).
RECOMMENDATION_AREA_LINKS: dict[str, str] = {
    "procurement": "E1.SAVINGS", "official travel": "E1", "recruitment": "E1.RECRUIT", "ICT security": "E1",
    "project management in regional offices": "D1.O1", "extrabudgetary funds": "D4.O1", "asset management": "E1",
    "conference services": "E1", "payroll": "E1", "business continuity": "E1", "results-based management": "E1",
    "data protection": "E1",
}
RECOMMENDATION_LINKS_FROM = 2023


def link_rows(session: Session, recommendations: list[dict]) -> list[dict]:
    """Links of resolution actions, commitments, risks and recent recommendations to a node or an indicator
    (a target code is a node's if a node has it, else an indicator's)."""
    node_ids, indicator_ids = node_id_by_code(session), indicator_id_by_code(session)

    def link(kind: str, ref: str, target: str) -> dict:
        """The link of one record to ``target``."""
        return {"record_kind": kind, "record_ref": ref, "node_id": node_ids.get(target),
                "indicator_id": None if target in node_ids else indicator_ids[target]}

    by_area = sorted(RECOMMENDATION_AREA_LINKS, key=len, reverse=True)  # the longest area a title ends with
    rows = [link("resolution_action", f"{code}{dims.ACTION_REF_SEPARATOR}{ref}", target)
            for (code, ref), target in ACTION_LINKS]
    rows += [link("commitment", ref, target) for ref, target in COMMITMENT_LINKS]
    rows += [link("risk", code, target) for code, target in RISK_LINKS]
    for rec in recommendations:
        if rec["issued_on"].year >= RECOMMENDATION_LINKS_FROM:
            area = next(a for a in by_area if rec["title"].endswith(a))
            rows.append(link("recommendation", rec["ref"], RECOMMENDATION_AREA_LINKS[area]))
    return rows
