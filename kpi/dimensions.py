"""The one definition of every dimension the dashboard slices by.

Sectors, regions, grades, genders, contract types and statuses are defined here once; the store,
the demo generator, the importers, the charts and the pages all read them from this module.
Colours live beside them in :mod:`kpi.charts.theme`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Sector:
    """A Sector of the Union (or the General Secretariat) with its Bureau."""

    code: str
    name: str
    bureau_code: str
    bureau: str


SECTORS: tuple[Sector, ...] = (
    Sector("GS", "General Secretariat", "GS", "General Secretariat"),
    Sector("ITU-R", "Radiocommunication Sector", "BR", "Radiocommunication Bureau"),
    Sector("ITU-T", "Telecommunication Standardization Sector", "TSB", "Telecommunication Standardization Bureau"),
    Sector("ITU-D", "Telecommunication Development Sector", "BDT", "Telecommunication Development Bureau"),
)
SECTOR_CODES: tuple[str, ...] = tuple(s.code for s in SECTORS)
#: Owner code for framework nodes and indicators that belong to the whole Union.
ITU_WIDE = "ITU"

#: ITU-D statistical regions (ITU Facts and Figures), code -> name.
ITU_D_REGIONS: dict[str, str] = {
    "AFR": "Africa",
    "AMS": "Americas",
    "ARB": "Arab States",
    "ASP": "Asia-Pacific",
    "CIS": "CIS",
    "EUR": "Europe",
}
WORLD = "WLD"

#: Income groups of the World Bank classification (as in ITU Facts and Figures), code -> name, richest first.
INCOME_GROUPS: dict[str, str] = {
    "HIC": "High income",
    "UMC": "Upper-middle income",
    "LMC": "Lower-middle income",
    "LIC": "Low income",
}
#: The reference connectivity file's ``income_group`` values -> income group code.
INCOME_GROUP_OF_FILE: dict[str, str] = {
    "high_income": "HIC", "upper_middle_income": "UMC", "lower_middle_income": "LMC", "low_income": "LIC",
}
#: Country groups by development status (UN designations), code -> name.
LDC = "LDC"
COUNTRY_GROUPS: dict[str, str] = {LDC: "Least developed countries"}

#: ITU administrative regions (Council elections), code -> name.
ADMIN_REGIONS: dict[str, str] = {
    "A": "The Americas",
    "B": "Western Europe",
    "C": "Eastern Europe and Northern Asia",
    "D": "Africa",
    "E": "Asia and Australasia",
}


@dataclass(frozen=True)
class Grade:
    """A grade with its category; ``rank`` gives the natural order G1 < ... < elected."""

    code: str
    category: str
    rank: int


GRADE_CATEGORIES: dict[str, str] = {
    "GS": "General Service",
    "NO": "National Professional Officer",
    "P": "Professional",
    "D": "Director",
    "ELECTED": "Elected official",
}
#: Categories counted as "Professional and higher" in gender and geography statistics.
PROFESSIONAL_AND_HIGHER_CATEGORIES: frozenset[str] = frozenset({"P", "D", "ELECTED"})

_GRADE_LIST = (
    [(f"G{i}", "GS") for i in range(1, 8)]
    + [(f"NO{c}", "NO") for c in "ABCDE"]
    + [(f"P{i}", "P") for i in range(1, 6)]
    + [("D1", "D"), ("D2", "D"), ("ELECTED", "ELECTED")]
)
GRADES: tuple[Grade, ...] = tuple(Grade(code, cat, rank) for rank, (code, cat) in enumerate(_GRADE_LIST))
GRADE_CODES: tuple[str, ...] = tuple(g.code for g in GRADES)
GRADE_CATEGORY: dict[str, str] = {g.code: g.category for g in GRADES}
GRADE_LABELS: dict[str, str] = {g.code: ("Elected" if g.code == "ELECTED" else g.code) for g in GRADES}

#: Grade bands, between a grade and its category: the grouping staff statistics fall back to when a
#: breakdown by grade would hide too many people (kpi.coarsening).
GRADE_BANDS: dict[str, str] = {
    **{f"G{i}": "G1-G4" for i in range(1, 5)}, **{f"G{i}": "G5-G7" for i in range(5, 8)},
    **{f"NO{c}": "NOA-NOE" for c in "ABCDE"},
    **{f"P{i}": "P1-P3" for i in range(1, 4)}, **{f"P{i}": "P4-P5" for i in range(4, 6)},
    "D1": "D1 and above", "D2": "D1 and above", "ELECTED": "D1 and above",
}
GRADE_BAND_ORDER: tuple[str, ...] = tuple(dict.fromkeys(GRADE_BANDS[g.code] for g in GRADES))

GENDERS: dict[str, str] = {"F": "Women", "M": "Men"}

CONTRACT_TYPES: tuple[str, ...] = ("continuing", "fixed-term", "temporary")

#: Where a duty station sits in the organisation.
DUTY_STATION_KINDS: tuple[str, ...] = ("headquarters", "regional office", "area office", "liaison office")
#: The headquarters duty station's code.
HEADQUARTERS_STATION = "Geneva"

#: Framework node kinds, from the top of the results chain down.
NODE_KINDS: tuple[str, ...] = ("goal", "target", "outcome", "output", "enabler")

DIRECTIONS: tuple[str, ...] = ("higher", "lower")
AGGREGATIONS: tuple[str, ...] = ("sum", "mean", "ratio")
UNITS: dict[str, str] = {"pct": "%", "number": "", "days": "days", "CHF": "CHF", "per100": "per 100"}

#: Observation flags and approval states.
FLAGS: tuple[str, ...] = ("estimate", "provisional", "break")
APPROVAL_STATES: tuple[str, ...] = ("provisional", "validated")

#: Observation disaggregation columns, in the order used to build the disaggregation key
#: (e.g. "region=AFR", "income_group=HIC", "country_group=LDC", "grade=P4|gender=F").
DISAGGREGATIONS: tuple[str, ...] = (
    "sector", "region", "country", "grade", "gender", "duty_station", "income_group", "country_group",
)
#: Readable names of the disaggregation columns.
DISAGGREGATION_LABELS: dict[str, str] = {
    "sector": "Sector", "region": "ITU-D region", "country": "Country", "grade": "Grade", "gender": "Gender",
    "duty_station": "Duty station", "income_group": "Income group", "country_group": "Country group",
}
#: The same in the plural, for sentences that account for a breakdown ("3 of 16 duty stations shown").
DISAGGREGATION_PLURALS: dict[str, str] = {
    "sector": "Sectors", "region": "ITU-D regions", "country": "countries", "grade": "grades", "gender": "genders",
    "duty_station": "duty stations", "income_group": "income groups", "country_group": "country groups",
}


# ---------------------------------------------------------------- allowed values of the records (issue 18)
# The fixed lists of the file columns that no reference table holds: the importers accept these values only
# (kpi.transfer.kinds), the demo draws from them, the enabler indicators test them.

#: How often an indicator is measured (``indicator.frequency``); annual unless a file says otherwise.
ANNUAL = "annual"
FREQUENCIES: tuple[str, ...] = (ANNUAL, "biennial", "quadrennial", "quarterly", "monthly")
#: The oversight bodies that issue recommendations (``oversight_recommendation.source``).
SOURCE_EXTERNAL_AUDITOR, SOURCE_INTERNAL_AUDIT, SOURCE_JIU = "External Auditor", "Internal Audit", "JIU"
SOURCE_IMAC, SOURCE_EVALUATION = "Independent Management Advisory Committee", "Evaluation"
RECOMMENDATION_SOURCES: tuple[str, ...] = (
    SOURCE_EXTERNAL_AUDITOR, SOURCE_INTERNAL_AUDIT, SOURCE_JIU, SOURCE_IMAC, SOURCE_EVALUATION,
)
#: A recommendation's priority, highest first.
HIGH_PRIORITY, MEDIUM_PRIORITY, LOW_PRIORITY = "high", "medium", "low"
PRIORITIES: tuple[str, ...] = (HIGH_PRIORITY, MEDIUM_PRIORITY, LOW_PRIORITY)
#: The categories of the risk register (those of a UN-system register).
STRATEGIC_RISK, OPERATIONAL_RISK, FINANCIAL_RISK = "strategic", "operational", "financial"
COMPLIANCE_RISK, REPUTATIONAL_RISK, ICT_RISK = "compliance", "reputational", "ICT/cyber"
RISK_CATEGORIES: tuple[str, ...] = (
    STRATEGIC_RISK, OPERATIONAL_RISK, FINANCIAL_RISK, COMPLIANCE_RISK, REPUTATIONAL_RISK, ICT_RISK,
)
#: What an oversight engagement is (``engagement.kind``).
EXTERNAL_AUDIT, INTERNAL_AUDIT, INVESTIGATION, EVALUATION = (
    "external audit", "internal audit", "investigation", "evaluation")
ENGAGEMENT_KINDS: tuple[str, ...] = (EXTERNAL_AUDIT, INTERNAL_AUDIT, INVESTIGATION, EVALUATION)
#: An audit's opinion (``engagement.opinion``); empty while none is given (and for other engagements).
NO_OPINION, UNQUALIFIED, QUALIFIED, ADVERSE = "", "unqualified", "qualified", "adverse"
OPINIONS: tuple[str, ...] = (NO_OPINION, UNQUALIFIED, QUALIFIED, ADVERSE)
#: A risk's likelihood and impact: 1 (lowest) to 5 (highest).
RISK_SCALE: tuple[int, int] = (1, 5)


# ---------------------------------------------------------------- workforce vocabulary

#: Duty-station filter values besides a duty station's code.
STATION_GROUP_HQ = "HQ"
STATION_GROUP_FIELD = "FIELD"
STATION_GROUP_LIAISON = "LIAISON"
#: The location of a duty station: headquarters, a regional or area office ("field"), a liaison office.
LOCATIONS: dict[str, str] = {
    "headquarters": "Headquarters (Geneva)",
    "field": "Regional and area offices",
    "liaison": "Liaison offices",
}
LOCATION_OF_KIND: dict[str, str] = {
    "headquarters": "headquarters", "regional office": "field", "area office": "field", "liaison office": "liaison",
}
LOCATION_FILTERS: dict[str, str] = {
    STATION_GROUP_HQ: "headquarters", STATION_GROUP_FIELD: "field", STATION_GROUP_LIAISON: "liaison",
}
#: ``office_region`` of staff outside the regional and area offices, and its label.
NOT_FIELD = "none"
NOT_FIELD_LABEL = "Headquarters and liaison offices"

#: Grade-category filter value for the Professional and higher categories.
PROFESSIONAL_AND_HIGHER = "P+"
GENERAL_SERVICE_AND_NO = "GS+NO"
CATEGORY_GROUPS: dict[str, str] = {
    PROFESSIONAL_AND_HIGHER: "Professional and higher",
    GENERAL_SERVICE_AND_NO: "General Service and National Professional Officers",
}
ALL_STAFF = "All staff"
#: What a share or a cell of a group with no one in it says.
NO_STAFF = "no staff"

FEMALE, MALE = "F", "M"
PARITY = 50.0
#: The band around 50 % counted as gender parity.
PARITY_BAND: tuple[float, float] = (47.0, 53.0)
#: The share of women as a column or an axis is titled.
WOMEN_SHARE_LABEL = f"{GENDERS[FEMALE]} (%)"
#: Parity and its band as the pages write them ("50 %", "47-53 %").
PARITY_TEXT = f"{PARITY:g} %"
PARITY_BAND_TEXT = f"{PARITY_BAND[0]:g}-{PARITY_BAND[1]:g} %"

TRAINING_COMPLETED = "completed"
TRAINING_NOT_COMPLETED = "not completed"
TRAINING_LABELS: dict[str, str] = {TRAINING_COMPLETED: "Completed", TRAINING_NOT_COMPLETED: "Not completed"}

#: Readable labels of the values of the workforce dimensions that have no names of their own above: a Sector
#: by its name where its Bureau is itself (the General Secretariat), else by its code and its Bureau's
#: ("ITU-R (BR)"); an administrative region by its letter and name; a contract type capitalised.
SECTOR_LABELS: dict[str, str] = {
    s.code: s.name if s.code == s.bureau_code else f"{s.code} ({s.bureau_code})" for s in SECTORS}
ADMIN_REGION_LABELS: dict[str, str] = {code: f"{code} · {name}" for code, name in ADMIN_REGIONS.items()}
OFFICE_REGION_LABELS: dict[str, str] = {**ITU_D_REGIONS, NOT_FIELD: NOT_FIELD_LABEL}
CONTRACT_TYPE_LABELS: dict[str, str] = {c: c.capitalize() for c in CONTRACT_TYPES}

#: The readable name of each workforce dimension: the title of its axis, its filter and its table column.
DIMENSION_LABELS: dict[str, str] = {
    **{d: DISAGGREGATION_LABELS[d] for d in ("grade", "gender", "sector", "duty_station")},
    "grade_band": "Grade band", "grade_category": "Grade category", "category_group": "Category group",
    "location": "Location", "admin_region": "Region", "office_region": "Region", "contract_type": "Contract type",
    "training": "Training", "nationality": "Nationality", "unit": "Department or unit",
}

#: Dimensions a dimension implies (a duty station has one location; a grade one category...):
#: a filter on one of them is a slice of the table's rows, not a narrower population.
IMPLIED_BY: dict[str, frozenset[str]] = {
    "grade": frozenset({"grade_band", "grade_category", "category_group"}),
    "grade_category": frozenset({"category_group"}),
    "duty_station": frozenset({"location", "office_region", "station_kind"}),
    "office_region": frozenset({"location"}),
    "unit": frozenset({"sector"}),
    "nationality": frozenset({"admin_region", "member_state"}),
}
#: The filters of a view, each with the staff column it is about (for the threshold).
FILTER_COLUMNS: dict[str, str] = {
    "sector": "sector", "duty_station": "duty_station", "grade_category": "grade_category", "gender": "gender",
}
#: Natural order of the values of a dimension (others sort alphabetically).
ORDER: dict[str, Sequence[str]] = {
    "grade": GRADE_CODES,
    "grade_band": GRADE_BAND_ORDER,
    "grade_category": tuple(GRADE_CATEGORIES),
    "category_group": (GENERAL_SERVICE_AND_NO, PROFESSIONAL_AND_HIGHER),
    "gender": (FEMALE, MALE),
    "sector": SECTOR_CODES,
    "location": tuple(LOCATIONS),
    "admin_region": tuple(ADMIN_REGIONS),
    "office_region": (*ITU_D_REGIONS, NOT_FIELD),
    "contract_type": CONTRACT_TYPES,
    "training": (TRAINING_COMPLETED, TRAINING_NOT_COMPLETED),
}

# ---------------------------------------------------------------- results-chain records (issue 16)
# One block for the words of the Accountability Framework, the operational plans and the links between records
# and the results framework; other vocabulary is added above or below this block, not inside it.

#: A component of the Accountability Framework in a year, best first: the yearly report's words.
ACCOUNTABILITY_STATUSES: tuple[str, ...] = ("in place", "partly in place", "not in place")
#: What a year without an assessment of a component shows.
NOT_ASSESSED = "not assessed"

#: The kinds of record a link ties to a framework node or an indicator (``record_link.record_kind``).
RECORD_KINDS: tuple[str, ...] = ("risk", "recommendation", "resolution_action", "commitment")
#: A resolution action's reference in a link: the resolution's code, this, the action's ref ("PP Res. 48 ...|A1").
ACTION_REF_SEPARATOR = "|"

#: The one set of human column labels of the management and results-chain tables (a table never shows a raw
#: field name such as ``due_on``). A page may override a label where its table says more ("Status 2025").
COLUMN_LABELS: dict[str, str] = {
    # framework and indicators
    "node_code": "Output", "node_name": "Name", "kind": "Level", "goal_code": "Goal", "outcome_code": "Outcome",
    "indicator_code": "Indicator", "indicator_name": "Indicator name", "indicator_status": "Indicator status",
    "indicators": "Indicators", "latest": "Latest value",
    # money
    "planned_chf": "Planned (CHF)", "actual_chf": "Actual (CHF)", "execution_pct": "Execution %",
    "resources_chf": "Resources (CHF)", "items": "Plan items",
    # risks
    "code": "Code", "title": "Title", "category": "Category", "owner": "Owner", "inherent_score": "Inherent score",
    "residual_score": "Residual score", "band": "Severity", "movement": "Since the last review",
    "mitigation": "Mitigation",
    # oversight
    "ref": "Reference", "source": "Source", "priority": "Priority", "issued_on": "Issued", "received": "Received",
    "accepted": "Accepted", "pending": "Awaiting a decision", "implemented": "Implemented", "open": "Open",
    "state": "Where it stands",
    # resolutions
    "resolution_code": "Resolution", "resolution_title": "Title", "description": "Resolves", "status": "Status",
    "previous_status": "Status the year before", "progress_pct": "Progress", "actions": "Items",
    "mean_progress_pct": "Mean progress", "year": "Year",
    # commitments
    "forum": "Meeting", "text": "Commitment", "due_on": "Due", "standing": "Where it stands", "overdue": "Overdue",
    "days_overdue": "Days overdue", "linked_indicators": "Linked indicators", "latest_note": "Latest follow-up",
    "noted_on": "Noted on", "note": "Note",
    # Accountability Framework and operational plans
    "pillar": "Pillar", "component": "Component", "unit": "Unit", "expected_result": "Expected result",
    "kpi": "Key performance indicator", "risk_factors": "Risk factors", "link": "Link",
}


# ---------------------------------------------------------------- statuses, membership, link references (issue 16)

#: Where a resolution action or a retreat commitment stands (and the status a commitment's follow-up gives),
#: from not started to implemented: the words of the yearly report to the Council.
NOT_STARTED, ONGOING, IMPLEMENTED = "not started", "ongoing", "implemented"
IMPLEMENTATION_STATUSES: tuple[str, ...] = (NOT_STARTED, ONGOING, IMPLEMENTED)
#: The progress (per cent) that each end of :data:`IMPLEMENTATION_STATUSES` means for a resolution action.
STATUS_PROGRESS: dict[str, float] = {NOT_STARTED: 0.0, IMPLEMENTED: 100.0}

#: Where an oversight recommendation stands (kpi.management.recommendation_states), in the words of every
#: table, chart and sentence; an implemented one also says when ("Implemented on 2024-03-01").
AWAITING_DECISION, ACCEPTED_OPEN, NOT_ACCEPTED = "Awaiting a decision", "Accepted, open", "Not accepted"
RECOMMENDATION_IMPLEMENTED = "Implemented"
RECOMMENDATION_STATES: tuple[str, ...] = (RECOMMENDATION_IMPLEMENTED, ACCEPTED_OPEN, AWAITING_DECISION, NOT_ACCEPTED)

#: Categories of membership, in the order the organisation reports them; Member States belong to the whole
#: Union (owner code :data:`ITU_WIDE`), the others to one of :data:`MEMBERSHIP_SECTORS`.
MEMBER_STATES = "Member States"
MEMBERSHIP_CATEGORIES: tuple[str, ...] = (MEMBER_STATES, "Sector Members", "Associates", "Academia")
#: The Sectors that have Sector Members, Associates and Academia (the General Secretariat has none).
MEMBERSHIP_SECTORS: tuple[str, ...] = ("ITU-R", "ITU-T", "ITU-D")

#: How a link's ``record_ref`` names a record of each of :data:`RECORD_KINDS`.
RECORD_REFS: dict[str, str] = {
    "risk": "the risk's code (e.g. RSK-01)",
    "recommendation": "the recommendation's ref",
    "resolution_action": f'the resolution\'s code and the action\'s ref joined by "{ACTION_REF_SEPARATOR}" '
                         f'(e.g. "PP Res. 151 (Rev. Bucharest, 2022){ACTION_REF_SEPARATOR}A1")',
    "commitment": "the commitment's ref (e.g. R2024-1)",
}
