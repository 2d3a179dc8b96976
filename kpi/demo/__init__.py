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
"""
from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kpi import dimensions as dims
from kpi.config import DEMO_FIRST_YEAR, DEMO_LAST_YEAR, DEMO_SEED, REFERENCE_DIR
from kpi.reference import CONNECTIVITY_FILE
from kpi.store import models as m
from kpi.store.upsert import upsert

__all__ = ["DEMO_SEED", "generate"]

YEARS: tuple[int, ...] = tuple(range(DEMO_FIRST_YEAR, DEMO_LAST_YEAR + 1))
#: Vacancies posted and engagements started in this year are kept only if they end in the demo
#: years, so that the first year's timelines are not biased towards short ones.
CARRY_OVER_YEAR = DEMO_FIRST_YEAR - 1
HORIZON = dt.date(DEMO_LAST_YEAR, 12, 31)
#: Rows per bulk insert.
CHUNK_ROWS = 20_000
SYNTHETIC_SOURCE = "Synthetic demo data (kpi.demo)"

# ---------------------------------------------------------------- random streams

_STREAMS = {
    "workforce": 1, "nationality_weights": 2, "recruitment": 3, "training": 4, "oversight": 5,
    "engagement": 6, "procurement": 7, "budget": 8, "risk": 9, "resolution": 10, "membership": 11,
    "observation": 12, "stations": 13, "accountability": 14, "operational_plan": 15,
}


def _rng(seed: int, stream: str) -> np.random.Generator:
    return np.random.default_rng([seed, _STREAMS[stream]])


# ---------------------------------------------------------------- workforce parameters

CEB_HEADCOUNT_FILE = REFERENCE_DIR / "itu_staff_headcount_2014_2019_ceb.csv"
DUTY_STATIONS_FILE = REFERENCE_DIR / "duty_stations.csv"
#: Synthetic headcounts after the last CEB year (a slow drift, as in the later public reports).
LATER_HEADCOUNT: dict[int, int] = {2020: 752, 2021: 756, 2022: 759, 2023: 762, 2024: 765, 2025: 768}
#: The CEB year whose duty-station split calibrates the field offices.
CALIBRATION_YEAR = 2019
#: New Delhi (0 staff in the CEB 2019 figures): staff per year at scale 1 from 2020.
NEW_DELHI_STAFF: dict[int, int] = {2020: 2, 2021: 2, 2022: 3, 2023: 3, 2024: 4, 2025: 4}
TURNOVER = 0.07
#: At least this share of staff is hired every year, even when the headcount falls.
MIN_HIRING = 0.015
PROMOTION = 0.04
P5_TO_D1 = 0.006
#: Fixed-term staff with this many years of service may be given a continuing appointment.
CONTINUING_AFTER_YEARS = 5
CONTINUING_CONVERSION = 0.08
TEMPORARY_TO_FIXED = 0.25

#: Grade shares of non-elected staff in Geneva and in the field offices (each sums to 1).
GENEVA_GRADES: dict[str, float] = {
    "G1": .005, "G2": .02, "G3": .05, "G4": .105, "G5": .125, "G6": .115, "G7": .05,
    "P1": .005, "P2": .07, "P3": .145, "P4": .155, "P5": .11, "D1": .033, "D2": .012,
}
FIELD_GRADES: dict[str, float] = {
    "G3": .05, "G4": .08, "G5": .10, "G6": .07, "G7": .03,
    "NOA": .04, "NOB": .07, "NOC": .06, "NOD": .03,
    "P2": .04, "P3": .12, "P4": .15, "P5": .13, "D1": .03,
}
#: Sector shares of non-elected staff in Geneva (the field is mostly ITU-D).
GENEVA_SECTORS: dict[str, float] = {"GS": .49, "ITU-R": .183, "ITU-T": .102, "ITU-D": .225}
FIELD_SECTORS: dict[str, float] = {"ITU-D": .88, "ITU-T": .08, "ITU-R": .04}
#: Units of each Sector in Geneva, with their shares; the unit of field staff per Sector.
GENEVA_UNITS: dict[str, dict[str, float]] = {
    "GS": {"SGO": .12, "HRMD": .15, "FRMD": .15, "IS": .22, "CCD": .32, "OIA": .04},
    "ITU-R": {"BR-TSD": .4, "BR-SSD": .4, "BR-SGD": .2},
    "ITU-T": {"TSB-SGD": .75, "TSB-PSC": .25},
    "ITU-D": {"BDT-DNE": .25, "BDT-DKS": .25, "BDT-PPS": .25, "BDT-DDR": .25},
}
FIELD_UNITS: dict[str, str] = {"ITU-D": "BDT-FIELD", "ITU-T": "TSB-PSC", "ITU-R": "BR-TSD", "GS": "SGO"}
#: The unit of each Sector's elected official.
ELECTED_UNITS: dict[str, str] = {"GS": "SGO", "ITU-R": "BR-SGD", "ITU-T": "TSB-PSC", "ITU-D": "BDT-DDR"}


def women_target(category: str, year: int) -> float:
    """The share of women that hiring steers each grade category towards."""
    if category == "P":
        return 0.35 + 0.01 * (year - DEMO_FIRST_YEAR)
    if category == "D":
        return 0.22 + 0.006 * (year - DEMO_FIRST_YEAR)
    if category == "NO":
        return 0.45
    return 0.55  # GS


#: Nationalities of General Service staff recruited locally in Geneva (the rest: all Member States).
GENEVA_LOCAL_NATIONALITIES: dict[str, float] = {
    "FRA": .38, "CHE": .22, "ITA": .05, "ESP": .04, "PRT": .03, "GBR": .03, "DEU": .02, "BEL": .02,
}
#: Share of Geneva GS hires drawn from all Member States instead.
GENEVA_LOCAL_OTHER = 1 - sum(GENEVA_LOCAL_NATIONALITIES.values())
#: A Member State's weight in international recruitment: population (millions) to this power,
#: times a lognormal "attractiveness" with this sigma, times 3 for Western Europe.
POPULATION_EXPONENT = 0.5
POPULATION_YEAR = 2019
NATIONALITY_SIGMA = 1.4
WESTERN_EUROPE_WEIGHT = 3.0
#: Nationality weights are raised to this power, falling a little each year (a wider spread).
NATIONALITY_FLATTENING = 0.03
#: Not drawn as a nationality: joined ITU in September 2024.
NO_NATIONALS: frozenset[str] = frozenset({"PLW"})


@dataclass(frozen=True)
class ElectedTerm:
    """An elected official (public facts): nationality, gender, and Sector per period."""

    role: str
    nationality: str
    gender: str
    periods: tuple[tuple[int, int, str], ...]  # (first year, last year, Sector)


#: The elected officials 2015-2025 (Busan 2014, Dubai 2018 and Bucharest 2022 elections).
ELECTED: tuple[ElectedTerm, ...] = (
    ElectedTerm("Secretary-General 2015-2022", "CHN", "M", ((2015, 2022, "GS"),)),
    ElectedTerm("Deputy Secretary-General 2015-2022", "GBR", "M", ((2015, 2022, "GS"),)),
    ElectedTerm("Director BR 2015-2018", "FRA", "M", ((2015, 2018, "ITU-R"),)),
    ElectedTerm("Director TSB 2015-2022", "KOR", "M", ((2015, 2022, "ITU-T"),)),
    ElectedTerm("Director BDT 2015-2018", "BFA", "M", ((2015, 2018, "ITU-D"),)),
    ElectedTerm("Director BR 2019-", "URY", "M", ((2019, 2030, "ITU-R"),)),
    ElectedTerm("Director BDT 2019-2022, Secretary-General 2023-", "USA", "F",
                ((2019, 2022, "ITU-D"), (2023, 2030, "GS"))),
    ElectedTerm("Deputy Secretary-General 2023-", "LTU", "M", ((2023, 2030, "GS"),)),
    ElectedTerm("Director TSB 2023-", "JPN", "M", ((2023, 2030, "ITU-T"),)),
    ElectedTerm("Director BDT 2023-", "ZWE", "M", ((2023, 2030, "ITU-D"),)),
)
ELECTED_PER_YEAR = 5

MANDATORY_COURSES: tuple[str, ...] = (
    "Ethics and integrity", "Information security awareness", "Prevention of harassment",
)
TRAINING_FIRST_YEAR = 2018
#: Share of staff completing every mandatory course in the first and the last training year.
TRAINING_ALL_FIRST, TRAINING_ALL_LAST = 0.60, 0.90
#: Staff who are not "compliant" complete each course with this probability.
TRAINING_PARTIAL = 0.5
#: In their year of hire staff are compliant this much less often.
TRAINING_NEW_HIRE_FACTOR = 0.75


# ---------------------------------------------------------------- reference read from the store


@dataclass
class _Reference:
    grades: list[str]
    grade_category: dict[str, str]
    stations: list[str]
    station_country: dict[str, str]
    station_region: dict[str, str | None]
    station_kind: dict[str, str]
    staff_2019: dict[str, int]
    members: list[str]  # Member States that can be nationalities, sorted
    member_region: dict[str, str]
    member_admin: dict[str, str]
    units: list[str]

    @classmethod
    def load(cls, session: Session) -> _Reference:
        stations = session.execute(select(m.DutyStation).order_by(m.DutyStation.code)).scalars().all()
        with DUTY_STATIONS_FILE.open(encoding="utf-8-sig", newline="") as fh:
            staff_2019 = {r["code"]: int(r["staff_2019"]) for r in csv.DictReader(fh)}
        countries = session.execute(
            select(m.Country).where(m.Country.is_member_state.is_(True)).order_by(m.Country.iso3)).scalars().all()
        members = [c for c in countries if c.iso3 not in NO_NATIONALS]
        return cls(
            grades=list(dims.GRADE_CODES),
            grade_category=dict(dims.GRADE_CATEGORY),
            stations=[s.code for s in stations],
            station_country={s.code: s.country_iso3 for s in stations},
            station_region={s.code: s.itu_d_region for s in stations},
            station_kind={s.code: s.kind for s in stations},
            staff_2019={s.code: staff_2019.get(s.code, 0) for s in stations},
            members=[c.iso3 for c in members],
            member_region={c.iso3: c.itu_d_region for c in members},
            member_admin={c.iso3: c.admin_region for c in members},
            units=list(session.scalars(select(m.Unit.code).order_by(m.Unit.code))),
        )


def _populations() -> dict[str, float]:
    """Population of each country in :data:`POPULATION_YEAR` (the reference connectivity file)."""
    with CONNECTIVITY_FILE.open(encoding="utf-8-sig", newline="") as fh:
        return {r["iso3"]: float(r["population"]) for r in csv.DictReader(fh)
                if r["year"] == str(POPULATION_YEAR) and r["population"]}


def ceb_headcount() -> dict[int, int]:
    """The CEB headcounts of ITU by year (real, 2014-2019)."""
    with CEB_HEADCOUNT_FILE.open(encoding="utf-8-sig", newline="") as fh:
        return {int(r["year"]): int(r["staff_count"]) for r in csv.DictReader(fh) if r["org"] == "ITU"}


def headcount_targets() -> dict[int, int]:
    """The headcount the workforce is calibrated to at scale 1, each demo year."""
    ceb = ceb_headcount()
    return {y: ceb.get(y, LATER_HEADCOUNT.get(y, 0)) for y in YEARS}


# ---------------------------------------------------------------- helpers


def _day(year: int, offset: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=int(offset))


def _or_none(day: dt.date) -> dt.date | None:
    return day if day <= HORIZON else None


def _probs(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def _exact_draw(rng: np.random.Generator, probs: np.ndarray, k: int) -> np.ndarray:
    """``k`` category indices in shuffled order, each category as close to ``probs * k`` as whole numbers allow."""
    raw = _probs(probs) * k
    counts = np.floor(raw).astype(np.int64)
    for i in np.argsort(-(raw - counts), kind="stable")[: k - int(counts.sum())]:
        counts[i] += 1
    return rng.permutation(np.repeat(np.arange(len(probs)), counts))


def _weighted_sample_without_replacement(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of ``k`` items drawn without replacement with probability proportional to ``weights``."""
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    keys = np.log(rng.random(len(weights))) / weights  # Efraimidis-Spirakis
    return np.sort(np.argpartition(-keys, k - 1)[:k])


def _insert(session: Session, model, rows: Iterable[dict]) -> int:
    """Bulk insert ``rows`` in chunks; returns how many."""
    table = model.__table__
    written = 0
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            session.execute(table.insert(), chunk)
            written += len(chunk)
            chunk = []
    if chunk:
        session.execute(table.insert(), chunk)
        written += len(chunk)
    return written


# ---------------------------------------------------------------- workforce simulation


@dataclass
class _People:
    """Columns of a set of staff members (numpy arrays of equal length)."""

    pid: np.ndarray
    grade: np.ndarray
    gender: np.ndarray  # 1 = woman
    nat: np.ndarray
    station: np.ndarray
    sector: np.ndarray
    unit: np.ndarray
    contract: np.ndarray
    hired: np.ndarray

    FIELDS = ("pid", "grade", "gender", "nat", "station", "sector", "unit", "contract", "hired")

    def take(self, index: np.ndarray) -> _People:
        return _People(*(getattr(self, f)[index] for f in self.FIELDS))

    def __len__(self) -> int:
        return len(self.pid)

    @staticmethod
    def concat(parts: Sequence[_People]) -> _People:
        return _People(*(np.concatenate([getattr(p, f) for p in parts]) for f in _People.FIELDS))


class _Workforce:
    """Simulates the staff year by year; ``snapshots[year]`` are the people in post at year end."""

    def __init__(self, ref: _Reference, scale: int, seed: int):
        self.ref = ref
        self.scale = scale
        self.rng = _rng(seed, "workforce")
        self.next_pid = 1
        g = ref.grades
        self.gi = {code: i for i, code in enumerate(g)}
        self.si = {code: i for i, code in enumerate(ref.stations)}
        self.ni = {code: i for i, code in enumerate(ref.members)}
        self.ui = {code: i for i, code in enumerate(ref.units)}
        self.sectors = list(dims.SECTOR_CODES)
        self.seci = {code: i for i, code in enumerate(self.sectors)}
        self.contracts = list(dims.CONTRACT_TYPES)
        self.ci = {code: i for i, code in enumerate(self.contracts)}
        self.category_of = np.array([ref.grade_category[c] for c in g])
        self.geneva = self.si[dims.HEADQUARTERS_STATION]
        self.elected_grade = self.gi["ELECTED"]
        # grade shares as vectors over all grades
        self.geneva_grades = np.array([GENEVA_GRADES.get(c, 0.0) for c in g])
        self.field_grades = np.array([FIELD_GRADES.get(c, 0.0) for c in g])
        no_grades = np.array([ref.grade_category[c] == "NO" for c in g])
        self.liaison_grades = np.where(no_grades, 0.0, self.field_grades)
        # promotions: probability of moving to the next grade index
        promote = np.zeros(len(g))
        for code in ("G1", "G2", "G3", "G4", "G5", "NOA", "NOB", "NOC", "P1", "P2", "P3"):
            promote[self.gi[code]] = PROMOTION
        for code in ("G6", "P4", "D1"):  # fewer posts above: half as often
            promote[self.gi[code]] = PROMOTION / 2
        promote[self.gi["P5"]] = P5_TO_D1
        self.promote = promote
        self._nationality_weights(seed)
        self._station_plan(seed)
        self.elected_pid: dict[int, int] = {}
        self.snapshots: dict[int, _People] = {}
        #: While hiring: the staff who stay (None for the first year's staff).
        self._stayers: _People | None = None

    # -- calibration plans

    def _nationality_weights(self, seed: int) -> None:
        rng = _rng(seed, "nationality_weights")
        attract = rng.lognormal(0.0, NATIONALITY_SIGMA, len(self.ref.members))
        population = _populations()
        known = sorted(population.values())
        median = known[len(known) // 2] if known else 1e6
        attract = attract * np.array([(population.get(c, median) / 1e6) ** POPULATION_EXPONENT
                                      for c in self.ref.members])
        western = np.array([self.ref.member_admin[c] == "B" for c in self.ref.members])
        self.attract = attract * np.where(western, WESTERN_EUROPE_WEIGHT, 1.0)
        regions = np.array([self.ref.member_region[c] for c in self.ref.members])
        self.region_members = {r: np.flatnonzero(regions == r) for r in dims.ITU_D_REGIONS}
        local = np.zeros(len(self.ref.members))
        for iso3, share in GENEVA_LOCAL_NATIONALITIES.items():
            local[self.ni[iso3]] = share
        self.geneva_local = local

    def global_weights(self, year: int) -> np.ndarray:
        power = 1.0 - NATIONALITY_FLATTENING * (year - DEMO_FIRST_YEAR)
        return _probs(self.attract ** power)

    def _station_plan(self, seed: int) -> None:
        """Non-elected staff wanted in each field office, each year (Geneva takes the rest)."""
        rng = _rng(seed, "stations")
        field = [s for s in self.ref.stations if s != dims.HEADQUARTERS_STATION]
        totals = headcount_targets()
        self.total = {y: round(totals[y] * self.scale) - ELECTED_PER_YEAR for y in YEARS}
        calibration_total = totals[CALIBRATION_YEAR]
        plan: dict[int, dict[str, int]] = {}
        for y in YEARS:
            wanted = {}
            for s in field:
                base = self.ref.staff_2019[s]
                if base == 0:
                    wanted[s] = round(NEW_DELHI_STAFF.get(y, 0) * self.scale) if s == "New Delhi" else 0
                    continue
                expected = base * self.scale * totals[y] / calibration_total
                noise = 0.0 if y == CALIBRATION_YEAR else rng.normal(0.0, 0.6 * math.sqrt(self.scale))
                wanted[s] = max(1, round(expected + noise))
            plan[y] = wanted
        self.station_plan = plan

    # -- drawing new people

    def _new(self, year: int, stations: np.ndarray) -> _People:
        """New staff at the given duty stations (grades, sectors, gender and nationality drawn)."""
        rng, ref, n = self.rng, self.ref, len(stations)
        pid = np.arange(self.next_pid, self.next_pid + n)
        self.next_pid += n
        grade = np.zeros(n, dtype=np.int64)
        sector = np.zeros(n, dtype=np.int64)
        unit = np.zeros(n, dtype=np.int64)
        at_geneva = stations == self.geneva
        # Geneva grades: steer towards the Geneva pyramid (fill the grades short of their share)
        k = int(at_geneva.sum())
        if k:
            if self._stayers is None:  # the first year: the Geneva pyramid exactly
                grade[at_geneva] = _exact_draw(rng, self.geneva_grades, k)
            else:
                grade[at_geneva] = rng.choice(len(ref.grades), size=k, p=self._geneva_hire_probs(k))
            sec = rng.choice(len(self.sectors), size=k, p=self._geneva_sector_probs(k))
            sector[at_geneva] = sec
            units = np.zeros(k, dtype=np.int64)
            for si, s in enumerate(self.sectors):
                pick = sec == si
                if pick.any():
                    codes = list(GENEVA_UNITS[s])
                    chosen = rng.choice(len(codes), size=int(pick.sum()), p=_probs(list(GENEVA_UNITS[s].values())))
                    units[pick] = [self.ui[codes[c]] for c in chosen]
            unit[at_geneva] = units
        for code in ref.stations:
            if code == dims.HEADQUARTERS_STATION:
                continue
            pick = stations == self.si[code]
            k = int(pick.sum())
            if not k:
                continue
            liaison = ref.station_kind[code] == "liaison office"
            shares = self.liaison_grades if liaison else self.field_grades
            grade[pick] = rng.choice(len(ref.grades), size=k, p=_probs(shares))
            if code == "New York":
                sec = np.full(k, self.seci["GS"])
            else:
                field_codes = list(FIELD_SECTORS)
                chosen = rng.choice(len(field_codes), size=k, p=_probs(list(FIELD_SECTORS.values())))
                sec = np.array([self.seci[field_codes[c]] for c in chosen])
            sector[pick] = sec
            unit[pick] = [self.ui[FIELD_UNITS[self.sectors[s]]] for s in sec]
        category = self.category_of[grade]
        gender = self._genders(year, category)
        nat = self._nationalities(year, stations, category)
        contract = np.where(rng.random(n) < 1 / 6, self.ci["temporary"], self.ci["fixed-term"])
        hired = np.full(n, year)
        return _People(pid, grade, gender, nat, stations, sector, unit, contract, hired)

    def _geneva_hire_probs(self, hires: int) -> np.ndarray:
        current = self._stayers
        if current is None:
            return self.geneva_grades
        here = (current.station == self.geneva) & (current.grade != self.elected_grade)
        in_geneva = current.take(np.flatnonzero(here))
        have = np.bincount(in_geneva.grade, minlength=len(self.ref.grades))
        wanted = self.geneva_grades * (len(in_geneva) + hires)
        deficit = np.clip(wanted - have, 0, None) + 0.1 * self.geneva_grades * hires
        return _probs(deficit)

    def _geneva_sector_probs(self, hires: int) -> np.ndarray:
        shares = _probs([GENEVA_SECTORS[s] for s in self.sectors])
        current = self._stayers
        if current is None:
            return shares
        in_geneva = current.sector[(current.station == self.geneva) & (current.grade != self.elected_grade)]
        have = np.bincount(in_geneva, minlength=len(self.sectors))
        deficit = np.clip(shares * (len(in_geneva) + hires) - have, 0, None) + 0.1 * shares * hires
        return _probs(deficit)

    def _genders(self, year: int, category: np.ndarray) -> np.ndarray:
        """1 for a woman: hires tilt each category towards its target share of women."""
        gender = np.zeros(len(category), dtype=np.int64)
        current = self._stayers
        for cat in ("GS", "NO", "P", "D"):
            pick = category == cat
            k = int(pick.sum())
            if not k:
                continue
            target = women_target(cat, year)
            if current is None:  # the first year's staff: the target share exactly
                n_women = round(target * k)
            else:  # as many women as bring the category to its target (15-85 % of the hires)
                same = self.category_of[current.grade] == cat
                women, people = int(current.gender[same].sum()), int(same.sum())
                wanted = round(target * (people + k) - women)
                n_women = min(max(wanted, round(0.15 * k)), round(0.85 * k))
            gender[pick] = (self.rng.permutation(k) < n_women).astype(np.int64)
        return gender

    def _nationalities(self, year: int, stations: np.ndarray, category: np.ndarray) -> np.ndarray:
        rng, ref = self.rng, self.ref
        n_members = len(ref.members)
        nat = np.zeros(len(stations), dtype=np.int64)
        glob = self.global_weights(year)
        international = np.isin(category, ["P", "D"])
        # Geneva
        geneva = stations == self.geneva
        pick = geneva & international
        if pick.any():
            nat[pick] = rng.choice(n_members, size=int(pick.sum()), p=glob)
        pick = geneva & ~international
        if pick.any():
            local = _probs(self.geneva_local + GENEVA_LOCAL_OTHER * glob)
            nat[pick] = rng.choice(n_members, size=int(pick.sum()), p=local)
        # field: national officers are nationals; GS mostly nationals; P often from the region
        for code in ref.stations:
            if code == dims.HEADQUARTERS_STATION:
                continue
            here = stations == self.si[code]
            if not here.any():
                continue
            country = self.ni.get(ref.station_country[code])
            region = ref.station_region[code]
            region_w = np.zeros(n_members)
            if region:
                region_w[self.region_members[region]] = glob[self.region_members[region]]
            else:
                region_w = glob
            region_w = _probs(region_w)
            for idx in np.flatnonzero(here):
                cat = category[idx]
                if cat == "NO" and country is not None:
                    nat[idx] = country
                elif cat in ("P", "D"):
                    nat[idx] = rng.choice(n_members, p=region_w if rng.random() < 0.5 else glob)
                else:
                    local = country is not None and rng.random() < 0.8
                    nat[idx] = country if local else rng.choice(n_members, p=region_w)
        return nat

    # -- elected officials

    def _elected(self, year: int) -> _People:
        rows = []
        for i, term in enumerate(ELECTED):
            for first, last, sector in term.periods:
                if first <= year <= last:
                    if i not in self.elected_pid:
                        self.elected_pid[i] = self.next_pid
                        self.next_pid += 1
                    rows.append((self.elected_pid[i], int(term.gender == "F"), self.ni[term.nationality],
                                 self.seci[sector], self.ui[ELECTED_UNITS[sector]]))
        if len(rows) != ELECTED_PER_YEAR:
            raise AssertionError(f"{len(rows)} elected officials in {year}, expected {ELECTED_PER_YEAR}")
        pid, gender, nat, sector, unit = (np.array(c) for c in zip(*rows))
        n = len(rows)
        return _People(pid, np.full(n, self.elected_grade), gender, nat, np.full(n, self.geneva), sector, unit,
                       np.full(n, self.ci["fixed-term"]), np.full(n, year))

    # -- the years

    def _station_hires(self, year: int, stayers: _People, hires: int) -> np.ndarray:
        """The duty station of each hire: field offices short of their plan first, then Geneva."""
        counts = np.bincount(stayers.station, minlength=len(self.ref.stations))
        stations: list[int] = []
        for code, wanted in self.station_plan[year].items():
            short = max(0, wanted - int(counts[self.si[code]]))
            take = min(short, hires - len(stations))
            stations += [self.si[code]] * take
        stations += [self.geneva] * (hires - len(stations))
        return np.array(stations, dtype=np.int64)

    def run(self) -> None:
        first = YEARS[0]
        stations = self._station_hires(first, _People(*(np.zeros(0, dtype=np.int64) for _ in _People.FIELDS)),
                                       self.total[first])
        people = self._new(first, stations)
        # the first year's staff were hired over the past decades
        service = np.minimum(self.rng.geometric(0.08, len(people)) - 1, 30)
        people.hired = first - service
        draw = self.rng.random(len(people))
        contract = np.full(len(people), self.ci["fixed-term"])
        contract[(service >= 8) & (draw < 0.75)] = self.ci["continuing"]
        contract[(service < 8) & (draw >= 0.85)] = self.ci["temporary"]
        people.contract = contract
        self.snapshots[first] = _People.concat([people, self._elected(first)])
        for year in YEARS[1:]:
            people = self._next_year(year, people)
            self.snapshots[year] = _People.concat([people, self._elected(year)])

    def _next_year(self, year: int, people: _People) -> _People:
        rng = self.rng
        n = len(people)
        target = self.total[year]
        rate = TURNOVER + rng.normal(0.0, 0.005)
        leavers = max(round(rate * n), n - target + round(MIN_HIRING * n))
        weights = np.where(people.contract == self.ci["temporary"], 4.0,
                           np.where(people.contract == self.ci["continuing"], 0.9, 1.0))
        weights = weights * np.where(year - people.hired >= 25, 2.0, 1.0)
        leaving = _weighted_sample_without_replacement(rng, weights, leavers)
        keep = np.ones(n, dtype=bool)
        keep[leaving] = False
        stayers = people.take(np.flatnonzero(keep))
        # promotions and contract changes
        promoted = rng.random(len(stayers)) < self.promote[stayers.grade]
        stayers.grade = stayers.grade + promoted.astype(np.int64)
        service = year - stayers.hired
        draw = rng.random(len(stayers))
        fixed = stayers.contract == self.ci["fixed-term"]
        stayers.contract = np.where(fixed & (service >= CONTINUING_AFTER_YEARS) & (draw < CONTINUING_CONVERSION),
                                    self.ci["continuing"], stayers.contract)
        temporary = stayers.contract == self.ci["temporary"]
        stayers.contract = np.where(temporary & (draw < TEMPORARY_TO_FIXED), self.ci["fixed-term"], stayers.contract)
        # hires
        self._stayers = stayers
        hires = target - len(stayers)
        new = self._new(year, self._station_hires(year, stayers, hires))
        self._stayers = None
        return _People.concat([stayers, new])

    # -- rows

    def staff_rows(self) -> Iterator[dict]:
        ref = self.ref
        grades, members, stations, units = ref.grades, ref.members, ref.stations, ref.units
        sectors, contracts = self.sectors, self.contracts
        for year in YEARS:
            p = self.snapshots[year]
            order = np.argsort(p.pid, kind="stable")
            p = p.take(order)
            for pid, g, w, nat, st, sec, un, con in zip(
                p.pid.tolist(), p.grade.tolist(), p.gender.tolist(), p.nat.tolist(), p.station.tolist(),
                p.sector.tolist(), p.unit.tolist(), p.contract.tolist(),
            ):
                yield {
                    "year": year, "staff_key": f"S{pid:07d}", "grade": grades[g], "gender": "F" if w else "M",
                    "nationality": members[nat], "duty_station": stations[st], "sector": sectors[sec],
                    "unit": units[un], "contract_type": contracts[con],
                }


# ---------------------------------------------------------------- training


def training_all_share(year: int) -> float:
    """Share of staff meant to complete every mandatory course in ``year``."""
    span = DEMO_LAST_YEAR - TRAINING_FIRST_YEAR
    return TRAINING_ALL_FIRST + (TRAINING_ALL_LAST - TRAINING_ALL_FIRST) * (year - TRAINING_FIRST_YEAR) / span


def _training_rows(workforce: _Workforce, seed: int) -> Iterator[dict]:
    rng = _rng(seed, "training")
    n_courses = len(MANDATORY_COURSES)
    chance_all = TRAINING_PARTIAL ** n_courses
    for year in YEARS:
        if year < TRAINING_FIRST_YEAR:
            continue
        p = workforce.snapshots[year]
        p = p.take(np.argsort(p.pid, kind="stable"))
        compliant_p = (training_all_share(year) - chance_all) / (1 - chance_all)
        compliant_p = np.where(p.hired == year, compliant_p * TRAINING_NEW_HIRE_FACTOR, compliant_p)
        compliant = rng.random(len(p)) < compliant_p
        done = compliant[:, None] | (rng.random((len(p), n_courses)) < TRAINING_PARTIAL)
        for pid, row in zip(p.pid.tolist(), done.tolist()):
            key = f"S{pid:07d}"
            for course, completed in zip(MANDATORY_COURSES, row):
                yield {"year": year, "staff_key": key, "course": course, "completed": completed}


# ---------------------------------------------------------------- recruitment

RECRUITMENTS_PER_YEAR = 60
RECRUITMENT_GRADES: dict[str, float] = {
    "G3": .04, "G4": .10, "G5": .12, "G6": .10, "G7": .04,
    "P2": .10, "P3": .18, "P4": .17, "P5": .10, "D1": .04, "D2": .01,
}
RECRUITMENT_FIELD_SHARE = 0.12
#: Mean days from posting to selection for P and D posts in the first year, and the yearly gain.
SELECTION_DAYS_FIRST, SELECTION_DAYS_GAIN = 195.0, 4.5
GS_FASTER_DAYS = 30.0
SELECTION_DAYS_SD = 22.0
SELECTION_DAYS_RANGE = (95, 260)
CLOSING_DAYS = (30, 45)


def _recruitment_rows(ref: _Reference, scale: int, seed: int) -> list[dict]:
    rng = _rng(seed, "recruitment")
    grade_codes = list(RECRUITMENT_GRADES)
    grade_p = _probs(list(RECRUITMENT_GRADES.values()))
    field = [s for s in ref.stations if s != dims.HEADQUARTERS_STATION]
    sectors = list(dims.SECTOR_CODES)
    rows: list[dict] = []
    for year in (CARRY_OVER_YEAR, *YEARS):
        n = int(rng.poisson(RECRUITMENTS_PER_YEAR * scale))
        posted = np.sort(rng.integers(0, 365, n))
        grades = rng.choice(len(grade_codes), size=n, p=grade_p)
        in_field = rng.random(n) < RECRUITMENT_FIELD_SHARE
        field_w = [ref.staff_2019[s] + (NEW_DELHI_STAFF.get(year, 0) if s == "New Delhi" else 0) for s in field]
        field_pick = rng.choice(len(field), size=n, p=_probs(field_w))
        geneva_sector = rng.choice(len(sectors), size=n, p=_probs([GENEVA_SECTORS[s] for s in sectors]))
        closing = rng.integers(CLOSING_DAYS[0], CLOSING_DAYS[1] + 1, n)
        noise = rng.normal(0.0, SELECTION_DAYS_SD, n)
        for i in range(n):
            grade = grade_codes[grades[i]]
            station = field[field_pick[i]] if in_field[i] else dims.HEADQUARTERS_STATION
            sector = ("GS" if station == "New York" else "ITU-D") if in_field[i] else sectors[geneva_sector[i]]
            mean = SELECTION_DAYS_FIRST - SELECTION_DAYS_GAIN * (year - DEMO_FIRST_YEAR)
            if dims.GRADE_CATEGORY[grade] == "GS":
                mean -= GS_FASTER_DAYS
            days = int(round(min(max(mean + noise[i], SELECTION_DAYS_RANGE[0]), SELECTION_DAYS_RANGE[1])))
            posted_on = _day(year, posted[i])
            selected_on = posted_on + dt.timedelta(days=days)
            if year == CARRY_OVER_YEAR and selected_on.year < DEMO_FIRST_YEAR:
                continue
            rows.append({
                "vacancy_ref": f"VAC-{year}-{i + 1:05d}", "grade": grade, "sector": sector, "duty_station": station,
                "posted_on": posted_on, "closed_on": _or_none(posted_on + dt.timedelta(days=int(closing[i]))),
                "selected_on": _or_none(selected_on),
            })
    return rows


# ---------------------------------------------------------------- oversight

RECOMMENDATIONS_PER_YEAR = 40
OVERSIGHT_SOURCES: dict[str, tuple[str, float]] = {  # source -> (ref prefix, share)
    "External Auditor": ("EA", .25),
    "Internal Audit": ("IA", .35),
    "JIU": ("JIU", .20),
    "Independent Management Advisory Committee": ("IMAC", .10),
    "Evaluation": ("EVAL", .10),
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
ACCEPTED_FIRST, ACCEPTED_GAIN = 0.85, 0.01
#: Recommendations issued after this day of the last year mostly await a decision.
PENDING_AFTER = dt.date(DEMO_LAST_YEAR, 10, 1)
PENDING_SHARE = 0.7
IMPLEMENTATION_GAMMA = (2.0, 210.0)  # shape, scale in days
NEVER_IMPLEMENTED = 0.1


def _oversight_rows(scale: int, seed: int) -> list[dict]:
    rng = _rng(seed, "oversight")
    sources = list(OVERSIGHT_SOURCES)
    source_p = _probs([share for _, share in OVERSIGHT_SOURCES.values()])
    owners = list(dims.SECTOR_CODES)
    rows: list[dict] = []
    for year in YEARS:
        n = int(rng.poisson(RECOMMENDATIONS_PER_YEAR * scale))
        issued = np.sort(rng.integers(0, 365, n))
        src = rng.choice(len(sources), size=n, p=source_p)
        owner = rng.choice(len(owners), size=n, p=_probs([.5, .15, .1, .25]))
        priority = rng.choice(3, size=n, p=[.25, .55, .2])
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
            issued_on = _day(year, issued[i])
            accepted: bool | None = bool(accept_draw[i] < p_accept)
            if issued_on > PENDING_AFTER and pending_draw[i] < PENDING_SHARE:
                accepted = None
            implemented = None
            if accepted and not never[i]:
                implemented = _or_none(issued_on + dt.timedelta(days=int(30 + delay[i])))
            rows.append({
                "ref": f"{OVERSIGHT_SOURCES[source][0]}-{year}-{numbers[source]:04d}", "source": source,
                "title": f"{RECOMMENDATION_VERBS[verb[i]]} {OVERSIGHT_AREAS[area[i]]}",
                "priority": ("high", "medium", "low")[priority[i]], "owner": owners[owner[i]],
                "issued_on": issued_on, "accepted": accepted, "implemented_on": implemented,
            })
    return rows


# ---------------------------------------------------------------- engagements

EXTERNAL_AUDIT_OPINION = "unqualified"
#: kind -> (ref prefix, per year at scale 1, mean days in the first year, yearly gain in days)
ENGAGEMENT_KINDS: dict[str, tuple[str, int, float, float]] = {
    "internal audit": ("IA", 6, 240.0, 9.0),
    "investigation": ("INV", 8, 210.0, 8.0),
    "evaluation": ("EVAL", 3, 270.0, 8.0),
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


def _engagement_rows(scale: int, seed: int) -> list[dict]:
    rng = _rng(seed, "engagement")
    rows: list[dict] = []
    for year in (CARRY_OVER_YEAR, *YEARS):
        if DEMO_FIRST_YEAR <= year < DEMO_LAST_YEAR:  # the audit of the last year's statements ends after the horizon
            rows.append({
                "ref": f"EXT-{year}", "kind": "external audit", "year": year,
                "title": f"Audit of the financial statements for {year}",
                "started_on": _day(year, 290 + int(rng.integers(0, 21))),
                "ended_on": _day(year + 1, 100 + int(rng.integers(0, 31))),
                "opinion": EXTERNAL_AUDIT_OPINION,
            })
        for kind, (prefix, per_year, mean0, gain) in ENGAGEMENT_KINDS.items():
            n = int(rng.poisson(per_year * scale))
            start = np.sort(rng.integers(0, 365, n))
            mean = mean0 - gain * (year - DEMO_FIRST_YEAR)
            days = np.clip(np.round(rng.normal(mean, 0.25 * mean, n)), *ENGAGEMENT_DAYS_RANGE).astype(int)
            subject = rng.integers(0, 60, n)
            for i in range(n):
                if kind == "internal audit":
                    title = f"Internal audit of {INTERNAL_AUDIT_AREAS[subject[i] % len(INTERNAL_AUDIT_AREAS)]}"
                elif kind == "investigation":
                    matter = INVESTIGATION_MATTERS[subject[i] % len(INVESTIGATION_MATTERS)]
                    title = f"Investigation into allegations of {matter}"
                else:
                    title = f"Evaluation of {EVALUATION_SUBJECTS[subject[i] % len(EVALUATION_SUBJECTS)]}"
                started = _day(year, start[i])
                ended = started + dt.timedelta(days=int(days[i]))
                if year == CARRY_OVER_YEAR and ended.year < DEMO_FIRST_YEAR:
                    continue
                rows.append({
                    "ref": f"{prefix}-{year}-{i + 1:04d}", "kind": kind, "year": year, "title": title,
                    "started_on": started, "ended_on": _or_none(ended),
                    "opinion": "",
                })
    return rows


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


def _procurement_rows(scale: int, seed: int) -> list[dict]:
    rng = _rng(seed, "procurement")
    categories, sectors = list(PROCUREMENT_CATEGORIES), list(PROCUREMENT_SECTORS)
    rows: list[dict] = []
    for year in YEARS:
        n = int(rng.poisson(PROCUREMENT_PER_YEAR * scale * (1 + PROCUREMENT_GROWTH) ** (year - DEMO_FIRST_YEAR)))
        cat = rng.choice(len(categories), size=n, p=_probs(list(PROCUREMENT_CATEGORIES.values())))
        sec = rng.choice(len(sectors), size=n, p=_probs(list(PROCUREMENT_SECTORS.values())))
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

BUDGET_CYCLE = "2024-2027"
BUDGET_YEARS: tuple[int, ...] = (2024, 2025, 2026, 2027)
#: Planned regular budget per node in 2024 (CHF million); 165 in total.
BUDGET_2024_MCHF: dict[str, float] = {
    "E1": 72.0, "R1.O1": 16.0, "R2.O1": 13.0, "T1.O1": 17.0,
    "D1.O1": 11.0, "D2.O1": 10.0, "D3.O1": 8.0, "D4.O1": 9.0, "D5.O1": 9.0,
}
BUDGET_DEFAULT_MCHF = 8.0
BUDGET_YEARLY_GROWTH = 0.005
ACTUAL_RANGE = (0.90, 1.05)


def _budget_rows(session: Session, seed: int) -> list[dict]:
    rng = _rng(seed, "budget")
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
            planned = _round(base * (1 + BUDGET_YEARLY_GROWTH) ** (year - BUDGET_YEARS[0]) * rng.normal(1.0, 0.02), -3)
            actual_ratio = rng.uniform(*ACTUAL_RANGE)
            rows.append({
                "node_id": node_id, "year": year, "sector": sector, "planned_chf": planned,
                "actual_chf": _round(planned * actual_ratio, -3) if year <= DEMO_LAST_YEAR else None,
            })
    return rows


# ---------------------------------------------------------------- risks

RISK_YEARS: tuple[int, ...] = (2022, 2023, 2024, 2025)


@dataclass(frozen=True)
class RiskDef:
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
    RiskDef("RSK-01", "Decline in contributory units and arrears threaten financial sustainability", "financial", "GS",
            "E1", 4, 5, "Resource mobilization strategy; arrears plans with Member States; reserve fund policy."),
    RiskDef("RSK-02", "Cyberattack compromises ITU systems or data", "ICT/cyber", "GS", "E1", 4, 5,
            "Security operations centre; multi-factor authentication; mandatory security awareness training."),
    RiskDef("RSK-03", "Failure to attract and retain staff with the skills needed", "operational", "GS", "E1", 3, 4,
            "Faster recruitment; talent pipeline and young professionals; mobility policy."),
    RiskDef("RSK-04", "Misconduct or fraud damages ITU's reputation", "reputational", "GS", "E1", 3, 5,
            "Ethics office; investigation capacity; speak-up and protection against retaliation policy."),
    RiskDef("RSK-05", "Major conferences disrupted (pandemic, venue, security)", "operational", "GS", "E1", 2, 5,
            "Business continuity plans; hybrid meeting platform; host-country agreements."),
    RiskDef("RSK-06", "Dependence on extrabudgetary funding for development projects", "financial", "ITU-D", "D4.O1",
            4, 4, "Diversified donor base; Partner2Connect pledges; project cost recovery."),
    RiskDef("RSK-07", "Fraud in procurement or project implementation in the field", "compliance", "ITU-D", "D1.O1",
            3, 4, "Vendor due diligence; segregation of duties; field audits."),
    RiskDef("RSK-08", "Non-compliance with personal data protection principles", "compliance", "GS", "E1", 3, 3,
            "Data protection policy; records of processing; privacy by design in new systems."),
    RiskDef("RSK-09", "Backlog in the processing of satellite network filings", "operational", "ITU-R", "R2.O1", 3, 4,
            "Software modernization of filing tools; temporary staff in peak periods."),
    RiskDef("RSK-10", "Workload after the World Radiocommunication Conference exceeds capacity", "operational", "ITU-R",
            "R1.O1", 4, 3, "Prioritized work plan; automation of terrestrial notice examination."),
    RiskDef("RSK-11", "Geopolitical tensions hinder consensus in study groups and conferences", "strategic", "ITU",
            "T1.O1", 4, 4, "Early consultations; regional preparatory meetings; neutral facilitation."),
    RiskDef("RSK-12", "Obsolete ICT infrastructure and legacy systems", "ICT/cyber", "GS", "E1", 3, 3,
            "Cloud migration roadmap; ERP upgrade; lifecycle replacement budget."),
    RiskDef("RSK-13", "Duplication of effort among Sectors (One ITU)", "strategic", "ITU", "E1", 3, 3,
            "Inter-Sectoral Coordination Task Force; joint planning; Coordination Committee."),
    RiskDef("RSK-14", "Results cannot be demonstrated for lack of reliable data", "strategic", "GS", "E1", 3, 4,
            "Results framework with enabler indicators; data stewardship; yearly validation of values."),
    RiskDef("RSK-15", "Health, safety and security of staff in field offices", "operational", "ITU-D", "D1.O1", 2, 4,
            "UNDSS security clearance; field security training; office security assessments."),
)


def _risk_rows(session: Session, seed: int) -> list[dict]:
    rng = _rng(seed, "risk")
    node_ids = _node_ids(session)
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


def _resolution_rows(seed: int) -> tuple[list[dict], list[dict]]:
    rng = _rng(seed, "resolution")
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


def _commitment_rows() -> list[dict]:
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


def _follow_up_rows() -> list[dict]:
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


def _accountability_rows(seed: int) -> tuple[list[dict], list[dict]]:
    """The components (codes "AF1.1"..., pillar by pillar) and their illustrative yearly statuses, which only
    ever improve, one step at a time."""
    rng = _rng(seed, "accountability")
    statuses = dims.ACCOUNTABILITY_STATUSES  # best first
    components, assessments = [], []
    for p, (pillar, names) in enumerate(ACCOUNTABILITY_PILLARS, start=1):
        for c, name in enumerate(names, start=1):
            code = f"AF{p}.{c}"
            components.append({"code": code, "pillar": pillar, "name": name, "position": len(components) + 1,
                               "source": ACCOUNTABILITY_SOURCE})
            level = int(rng.choice(len(statuses), p=_probs(ACCOUNTABILITY_START)))  # index: 0 is "in place"
            for i, year in enumerate(ACCOUNTABILITY_YEARS):
                if i and level > 0 and rng.random() < ACCOUNTABILITY_PROGRESS:
                    level -= 1
                assessments.append({"component_code": code, "year": year, "status": statuses[level], "note": ""})
    return components, assessments


# ---------------------------------------------------------------- operational plans

PLAN_YEARS: tuple[int, ...] = BUDGET_YEARS


@dataclass(frozen=True)
class PlanItemDef:
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


def _plan_rows(session: Session, seed: int) -> list[dict]:
    """Each plan item for each plan year, with its reference "OP-<unit>-<n>" (n counts the unit's items)."""
    rng = _rng(seed, "operational_plan")
    node_ids = _node_ids(session)
    indicator_ids = _indicator_ids(session)
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
                "risk_factors": item.risk_factors, "resources_chf": _round(resources * rng.normal(1.0, PLAN_NOISE), -3),
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


def _node_ids(session: Session) -> dict[str, int]:
    """Node code -> id in the 2024-2027 framework."""
    return dict(session.execute(
        select(m.FrameworkNode.code, m.FrameworkNode.id).where(m.FrameworkNode.cycle_code == BUDGET_CYCLE)).all())


def _indicator_ids(session: Session) -> dict[str, int]:
    """Indicator code -> id of the indicators of the 2024-2027 framework."""
    return dict(session.execute(
        select(m.Indicator.code, m.Indicator.id).join(m.FrameworkNode, m.FrameworkNode.id == m.Indicator.node_id)
        .where(m.FrameworkNode.cycle_code == BUDGET_CYCLE)).all())


def _link_rows(session: Session, recommendations: list[dict]) -> list[dict]:
    """Links of resolution actions, commitments, risks and recent recommendations to a node or an indicator
    (a target code is a node's if a node has it, else an indicator's)."""
    node_ids, indicator_ids = _node_ids(session), _indicator_ids(session)

    def link(kind: str, ref: str, target: str) -> dict:
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


# ---------------------------------------------------------------- membership

MEMBER_STATES_BEFORE_PALAU, MEMBER_STATES_FROM_PALAU, PALAU_YEAR = 193, 194, 2024
#: Sector -> category -> (count in the first year, change per year): synthetic.
SECTOR_MEMBERSHIP: dict[str, dict[str, tuple[float, float]]] = {
    "ITU-R": {"Sector Members": (262, 1.0), "Associates": (24, 0.5), "Academia": (58, 6.0)},
    "ITU-T": {"Sector Members": (272, -1.0), "Associates": (142, -2.0), "Academia": (108, 7.0)},
    "ITU-D": {"Sector Members": (298, 2.0), "Associates": (26, 1.0), "Academia": (94, 7.0)},
}


def _membership_rows(seed: int) -> list[dict]:
    rng = _rng(seed, "membership")
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


def _round(value: float, decimals: int) -> float:
    return float(round(float(value), decimals))


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
        values[y] = _round(level + noise, design.decimals)
    return values


def _limited(value: float, indicator: m.Indicator) -> float:
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
    baseline, latest = values[BASELINE_YEAR], values[DEMO_LAST_YEAR]
    decimals = design.decimals
    sign = 1 if indicator.direction == "higher" else -1
    if design.status in ("on_track", "at_risk"):
        ratio = ON_TRACK_RATIO if design.status == "on_track" else AT_RISK_RATIO
        target = _growth_target(indicator, baseline, latest, ratio)
        return {END_OF_PLAN: _round(_limited(target, indicator), decimals)}
    change = (latest - baseline) / (DEMO_LAST_YEAR - BASELINE_YEAR)
    if design.status == "achieved":
        slope = ACHIEVED_SHARE * change
    else:  # off track: asks for much more than was achieved, in the good direction
        wanted = abs(design.step) if design.mode == "add" else abs(baseline * (design.step - 1))
        slope = sign * max(OFF_TRACK_MULTIPLE * sign * change, wanted)
    return {y: _round(_limited(baseline + slope * (y - BASELINE_YEAR), indicator), decimals) for y in TARGET_YEARS}


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
    return {k: _round(float(p) * unit, decimals) for k, p in zip(keys, parts)}


def _observation_rows(indicator: m.Indicator, design: IndicatorDesign, values: dict[int, float],
                      rng: np.random.Generator) -> list[dict]:
    missing: set[int] = set()
    if rng.random() < MISSING_YEAR_SHARE:
        missing.add(int(rng.integers(OBSERVATION_FIRST_YEAR, BASELINE_YEAR)))
    estimate_draws = rng.random(len(values))
    parts_by_year: dict[int, dict[str, float]] = {}
    if design.split:
        shares = REGION_SPLIT if design.split == "region" else SECTOR_SPLIT
        decimals = design.decimals
        if design.cumulative:  # split the yearly increments, then add them up
            running = {k: 0.0 for k in shares}
            previous = 0.0
            for y in sorted(values):
                increment = _split(values[y] - previous, shares, rng, decimals)
                running = {k: running[k] + increment[k] for k in shares}
                parts_by_year[y] = dict(running)
                previous = values[y]
        else:
            parts_by_year = {y: _split(v, shares, rng, decimals) for y, v in sorted(values.items())}
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


def _indicator_rows(session: Session, seed: int, savings_rows: list[dict]) -> tuple[list[dict], list[dict], int]:
    """Observations and targets of the synthetic indicators; sets the reported ones' baselines."""
    rng = _rng(seed, "observation")
    indicators = session.scalars(
        select(m.Indicator).where(m.Indicator.is_synthetic.is_(True)).order_by(m.Indicator.code)).all()
    observations: list[dict] = []
    targets: list[dict] = []
    baselines = 0
    savings_2023 = sum(r["reference_cost_chf"] - r["awarded_cost_chf"]
                       for r in savings_rows if r["year"] == BASELINE_YEAR)
    for ind in indicators:
        if ind.computed_from:
            if ind.code == "E1.SAVINGS":
                goal = {y: float(round(savings_2023 * (1 + SAVINGS_TARGET_GROWTH * (y - BASELINE_YEAR)), -4))
                        for y in TARGET_YEARS}
            elif ind.code in ENABLER_TARGETS:
                goal = dict(zip(TARGET_YEARS, (float(v) for v in ENABLER_TARGETS[ind.code])))
            else:
                continue
            targets += [{"indicator_id": ind.id, "year": y, "value": v, "source": TARGET_SOURCE}
                        for y, v in goal.items()]
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


# ---------------------------------------------------------------- the whole


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
    ref = _Reference.load(session)
    _clear(session)
    counts: dict[str, int] = {}
    workforce = _Workforce(ref, scale, seed)
    workforce.run()
    counts["staff_snapshot"] = _insert(session, m.StaffSnapshot, workforce.staff_rows())
    counts["training_completion"] = _insert(session, m.TrainingCompletion, _training_rows(workforce, seed))
    del workforce
    counts["recruitment"] = _insert(session, m.Recruitment, _recruitment_rows(ref, scale, seed))
    recommendations = _oversight_rows(scale, seed)
    counts["oversight_recommendation"] = _insert(session, m.OversightRecommendation, recommendations)
    counts["engagement"] = _insert(session, m.Engagement, _engagement_rows(scale, seed))
    savings = _procurement_rows(scale, seed)
    counts["procurement_saving"] = _insert(session, m.ProcurementSaving, savings)
    counts["budget_line"] = _insert(session, m.BudgetLine, _budget_rows(session, seed))
    counts["risk"] = _insert(session, m.Risk, _risk_rows(session, seed))
    resolutions, actions = _resolution_rows(seed)
    counts["resolution"] = _insert(session, m.Resolution, resolutions)
    counts["resolution_action"] = _insert(session, m.ResolutionAction, actions)
    counts["commitment"] = _insert(session, m.Commitment, _commitment_rows())
    counts["commitment_follow_up"] = _insert(session, m.CommitmentFollowUp, _follow_up_rows())
    components, assessments = _accountability_rows(seed)
    counts["accountability_component"] = _insert(session, m.AccountabilityComponent, components)
    counts["accountability_assessment"] = _insert(session, m.AccountabilityAssessment, assessments)
    counts["operational_plan_item"] = _insert(session, m.OperationalPlanItem, _plan_rows(session, seed))
    counts["record_link"] = _insert(session, m.RecordLink, _link_rows(session, recommendations))
    counts["membership"] = _insert(session, m.Membership, _membership_rows(seed))
    observations, targets, baselines = _indicator_rows(session, seed, savings)
    counts["observation"] = _insert(session, m.Observation, observations)
    counts["indicator_target"] = _insert(session, m.IndicatorTarget, targets)
    counts["indicator"] = baselines  # baseline values set
    upsert(session, m.Meta, [{"key": "demo_seed", "value": str(seed)}, {"key": "demo_scale", "value": str(scale)}],
           ["key"])
    counts["meta"] = 2
    session.flush()
    return counts
