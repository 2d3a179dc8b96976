"""The staff records of the demo data besides the workforce itself: the mandatory training of the simulated
staff, and the recruitment (vacancy) records, whose timelines shorten over the years (see :mod:`kpi.demo`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np

from kpi import dimensions as dims
from kpi.config import DEMO_FIRST_YEAR, DEMO_LAST_YEAR
from kpi.demo.calibration import GENEVA_SECTORS, NEW_DELHI_STAFF
from kpi.demo.common import CARRY_OVER_YEAR, YEARS, by_horizon, day_of_year, normalised, stream
from kpi.demo.staff import Reference
from kpi.demo.workforce import Workforce

# ---------------------------------------------------------------- training

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


def training_all_share(year: int) -> float:
    """Share of staff meant to complete every mandatory course in ``year``."""
    span = DEMO_LAST_YEAR - TRAINING_FIRST_YEAR
    return TRAINING_ALL_FIRST + (TRAINING_ALL_LAST - TRAINING_ALL_FIRST) * (year - TRAINING_FIRST_YEAR) / span


def training_rows(workforce: Workforce, seed: int) -> Iterator[dict]:
    """Each mandatory course of each staff member in post, every year from :data:`TRAINING_FIRST_YEAR`:
    "compliant" staff complete them all, the others each with :data:`TRAINING_PARTIAL`."""
    rng = stream(seed, "training")
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


def recruitment_rows(ref: Reference, scale: int, seed: int) -> list[dict]:
    """About :data:`RECRUITMENTS_PER_YEAR` x ``scale`` vacancies a year (and those of the year before that end
    in the demo years); closing and selection dates after the horizon are left empty (still open)."""
    rng = stream(seed, "recruitment")
    grade_codes = list(RECRUITMENT_GRADES)
    grade_p = normalised(list(RECRUITMENT_GRADES.values()))
    field = [s for s in ref.stations if s != dims.HEADQUARTERS_STATION]
    sectors = list(dims.SECTOR_CODES)
    rows: list[dict] = []
    for year in (CARRY_OVER_YEAR, *YEARS):
        n = int(rng.poisson(RECRUITMENTS_PER_YEAR * scale))
        posted = np.sort(rng.integers(0, 365, n))
        grades = rng.choice(len(grade_codes), size=n, p=grade_p)
        in_field = rng.random(n) < RECRUITMENT_FIELD_SHARE
        field_w = [ref.staff_2019[s] + (NEW_DELHI_STAFF.get(year, 0) if s == "New Delhi" else 0) for s in field]
        field_pick = rng.choice(len(field), size=n, p=normalised(field_w))
        geneva_sector = rng.choice(len(sectors), size=n, p=normalised([GENEVA_SECTORS[s] for s in sectors]))
        closing = rng.integers(CLOSING_DAYS[0], CLOSING_DAYS[1] + 1, n)
        noise = rng.normal(0.0, SELECTION_DAYS_SD, n)
        for i in range(n):
            grade = grade_codes[grades[i]]
            station = field[field_pick[i]] if in_field[i] else dims.HEADQUARTERS_STATION
            sector = ("GS" if station == "New York" else "ITU-D") if in_field[i] else sectors[geneva_sector[i]]
            posted_on = day_of_year(year, posted[i])
            selected_on = posted_on + dt.timedelta(days=_selection_days(year, grade, noise[i]))
            if year == CARRY_OVER_YEAR and selected_on.year < DEMO_FIRST_YEAR:
                continue
            rows.append({
                "vacancy_ref": f"VAC-{year}-{i + 1:05d}", "grade": grade, "sector": sector, "duty_station": station,
                "posted_on": posted_on, "closed_on": by_horizon(posted_on + dt.timedelta(days=int(closing[i]))),
                "selected_on": by_horizon(selected_on),
            })
    return rows


def _selection_days(year: int, grade: str, noise: float) -> int:
    """Days from posting to selection: fewer each year, fewer still for GS posts, within
    :data:`SELECTION_DAYS_RANGE`."""
    mean = SELECTION_DAYS_FIRST - SELECTION_DAYS_GAIN * (year - DEMO_FIRST_YEAR)
    if dims.GRADE_CATEGORY[grade] == "GS":
        mean -= GS_FASTER_DAYS
    return int(round(min(max(mean + noise, SELECTION_DAYS_RANGE[0]), SELECTION_DAYS_RANGE[1])))

