"""What the demo workforce is calibrated to: real anchors (CEB headcounts, duty stations, elected officials) and
the synthetic shares, rates and weights the simulation of :mod:`kpi.demo.workforce` steers towards.

Only parameters and the reference files they are read from live here; the simulation that uses them is in
:mod:`kpi.demo.workforce` and :mod:`kpi.demo.hiring`.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass

from kpi.config import DEMO_FIRST_YEAR, REFERENCE_DIR
from kpi.demo.common import YEARS
from kpi.reference import CONNECTIVITY_FILE

# ---------------------------------------------------------------- headcounts and staff movements

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


# ---------------------------------------------------------------- reference files


def populations() -> dict[str, float]:
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
