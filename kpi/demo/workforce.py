"""The demo workforce: a year-by-year simulation of ITU's staff, 2015-2025 (see :mod:`kpi.demo`, "Workforce").

The first year's staff are drawn whole; each later year some staff leave (temporary staff and long service more
often), the others may be promoted or change contract, and new hires (:mod:`kpi.demo.hiring`) bring the year to
its headcount and each field office to its plan. The five elected officials are added to every year's staff.
Everything is drawn from one random stream, in a fixed order.
"""
from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from kpi import dimensions as dims
from kpi.demo.calibration import (
    CALIBRATION_YEAR, CONTINUING_AFTER_YEARS, CONTINUING_CONVERSION, ELECTED, ELECTED_PER_YEAR, ELECTED_UNITS,
    MIN_HIRING, NEW_DELHI_STAFF, P5_TO_D1, PROMOTION, TEMPORARY_TO_FIXED, TURNOVER, headcount_targets,
)
from kpi.demo.common import YEARS, stream, weighted_sample_without_replacement
from kpi.demo.hiring import Hiring
from kpi.demo.staff import Codes, People, Reference


def station_plan(ref: Reference, scale: int, seed: int) -> tuple[dict[int, int], dict[int, dict[str, int]]]:
    """Non-elected staff wanted in all, and in each field office, each year (Geneva takes the rest).

    The field offices follow their CEB 2019 headcount, moved with the year's total and a little noise (none in
    the calibration year itself); New Delhi, empty in 2019, follows :data:`NEW_DELHI_STAFF`.
    """
    rng = stream(seed, "stations")
    field = [s for s in ref.stations if s != dims.HEADQUARTERS_STATION]
    totals = headcount_targets()
    total = {y: round(totals[y] * scale) - ELECTED_PER_YEAR for y in YEARS}
    calibration_total = totals[CALIBRATION_YEAR]
    plan: dict[int, dict[str, int]] = {}
    for y in YEARS:
        wanted = {}
        for s in field:
            base = ref.staff_2019[s]
            if base == 0:
                wanted[s] = round(NEW_DELHI_STAFF.get(y, 0) * scale) if s == "New Delhi" else 0
                continue
            expected = base * scale * totals[y] / calibration_total
            noise = 0.0 if y == CALIBRATION_YEAR else rng.normal(0.0, 0.6 * math.sqrt(scale))
            wanted[s] = max(1, round(expected + noise))
        plan[y] = wanted
    return total, plan


def promotion_chances(codes: Codes) -> np.ndarray:
    """The yearly chance of moving to the next grade, by grade index."""
    promote = np.zeros(len(codes.ref.grades))
    for code in ("G1", "G2", "G3", "G4", "G5", "NOA", "NOB", "NOC", "P1", "P2", "P3"):
        promote[codes.grade[code]] = PROMOTION
    for code in ("G6", "P4", "D1"):  # fewer posts above: half as often
        promote[codes.grade[code]] = PROMOTION / 2
    promote[codes.grade["P5"]] = P5_TO_D1
    return promote


class Workforce:
    """Simulates the staff year by year; ``snapshots[year]`` are the people in post at year end."""

    def __init__(self, ref: Reference, scale: int, seed: int):
        self.ref = ref
        self.scale = scale
        self.rng = stream(seed, "workforce")
        self.codes = Codes.of(ref)
        self.hiring = Hiring(self.codes, self.rng, seed)  # shares the stream: hires are drawn in the years' order
        self.promote = promotion_chances(self.codes)
        self.total, self.station_plan = station_plan(ref, scale, seed)
        self.next_pid = 1
        self.elected_pid: dict[int, int] = {}
        self.snapshots: dict[int, People] = {}

    def run(self) -> None:
        """Simulate every demo year, filling :attr:`snapshots`."""
        first = YEARS[0]
        people = self._first_staff(first)
        self.snapshots[first] = People.concat([people, self._elected(first)])
        for year in YEARS[1:]:
            people = self._next_year(year, people)
            self.snapshots[year] = People.concat([people, self._elected(year)])

    # -- the years

    def _first_staff(self, year: int) -> People:
        """The non-elected staff of the first year, hired over the past decades."""
        codes = self.codes
        people = self._hire(year, self._station_hires(year, People.empty(), self.total[year]), None)
        service = np.minimum(self.rng.geometric(0.08, len(people)) - 1, 30)
        people.hired = year - service
        draw = self.rng.random(len(people))
        contract = np.full(len(people), codes.contract["fixed-term"])
        contract[(service >= 8) & (draw < 0.75)] = codes.contract["continuing"]
        contract[(service < 8) & (draw >= 0.85)] = codes.contract["temporary"]
        people.contract = contract
        return people

    def _next_year(self, year: int, people: People) -> People:
        """The non-elected staff at the end of ``year``, from those of the year before."""
        stayers = self._stayers(year, people)
        self._promote(stayers)
        self._change_contracts(year, stayers)
        hires = self.total[year] - len(stayers)
        new = self._hire(year, self._station_hires(year, stayers, hires), stayers)
        return People.concat([stayers, new])

    def _stayers(self, year: int, people: People) -> People:
        """Those of ``people`` who do not leave in ``year``: about :data:`TURNOVER` leave, at least enough for
        :data:`MIN_HIRING` when the headcount falls; temporary staff and long service leave more often."""
        rng, contract = self.rng, self.codes.contract
        n = len(people)
        rate = TURNOVER + rng.normal(0.0, 0.005)
        leavers = max(round(rate * n), n - self.total[year] + round(MIN_HIRING * n))
        weights = np.where(people.contract == contract["temporary"], 4.0,
                           np.where(people.contract == contract["continuing"], 0.9, 1.0))
        weights = weights * np.where(year - people.hired >= 25, 2.0, 1.0)
        leaving = weighted_sample_without_replacement(rng, weights, leavers)
        keep = np.ones(n, dtype=bool)
        keep[leaving] = False
        return people.take(np.flatnonzero(keep))

    def _promote(self, stayers: People) -> None:
        """Move some ``stayers`` up one grade (:func:`promotion_chances`)."""
        promoted = self.rng.random(len(stayers)) < self.promote[stayers.grade]
        stayers.grade = stayers.grade + promoted.astype(np.int64)

    def _change_contracts(self, year: int, stayers: People) -> None:
        """Give some long-serving fixed-term staff a continuing appointment, some temporary staff a fixed term."""
        contract = self.codes.contract
        service = year - stayers.hired
        draw = self.rng.random(len(stayers))
        fixed = stayers.contract == contract["fixed-term"]
        stayers.contract = np.where(fixed & (service >= CONTINUING_AFTER_YEARS) & (draw < CONTINUING_CONVERSION),
                                    contract["continuing"], stayers.contract)
        temporary = stayers.contract == contract["temporary"]
        stayers.contract = np.where(temporary & (draw < TEMPORARY_TO_FIXED), contract["fixed-term"], stayers.contract)

    def _hire(self, year: int, stations: np.ndarray, stayers: People | None) -> People:
        """New staff at ``stations``, with the next staff ids."""
        pid = np.arange(self.next_pid, self.next_pid + len(stations))
        self.next_pid += len(stations)
        return self.hiring.new(year, pid, stations, stayers)

    def _station_hires(self, year: int, stayers: People, hires: int) -> np.ndarray:
        """The duty station of each hire: field offices short of their plan first, then Geneva."""
        counts = np.bincount(stayers.station, minlength=len(self.ref.stations))
        stations: list[int] = []
        for code, wanted in self.station_plan[year].items():
            short = max(0, wanted - int(counts[self.codes.station[code]]))
            take = min(short, hires - len(stations))
            stations += [self.codes.station[code]] * take
        stations += [self.codes.geneva] * (hires - len(stations))
        return np.array(stations, dtype=np.int64)

    def _elected(self, year: int) -> People:
        """The elected officials in office in ``year``; each keeps one staff id across terms and roles."""
        codes = self.codes
        rows = []
        for i, term in enumerate(ELECTED):
            for first, last, sector in term.periods:
                if first <= year <= last:
                    if i not in self.elected_pid:
                        self.elected_pid[i] = self.next_pid
                        self.next_pid += 1
                    rows.append((self.elected_pid[i], int(term.gender == "F"), codes.nationality[term.nationality],
                                 codes.sector[sector], codes.unit[ELECTED_UNITS[sector]]))
        if len(rows) != ELECTED_PER_YEAR:
            raise AssertionError(f"{len(rows)} elected officials in {year}, expected {ELECTED_PER_YEAR}")
        pid, gender, nat, sector, unit = (np.array(c) for c in zip(*rows))
        n = len(rows)
        return People(pid, np.full(n, codes.elected_grade), gender, nat, np.full(n, codes.geneva), sector, unit,
                      np.full(n, codes.contract["fixed-term"]), np.full(n, year))

    # -- rows

    def staff_rows(self) -> Iterator[dict]:
        """The ``staff_snapshot`` rows, year by year, each year's staff by id."""
        ref = self.ref
        grades, members, stations, units = ref.grades, ref.members, ref.stations, ref.units
        sectors, contracts = self.codes.sectors, self.codes.contracts
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
