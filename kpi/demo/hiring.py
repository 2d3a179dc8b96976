"""Drawing the demo's new staff: grade, Sector, unit, gender and nationality of each hire.

Hires are steered, not merely drawn: Geneva hires fill the grades and Sectors short of their shares
(:data:`~kpi.demo.calibration.GENEVA_GRADES`, :data:`~kpi.demo.calibration.GENEVA_SECTORS`) and each grade
category's hires bring it towards its share of women (:func:`~kpi.demo.calibration.women_target`), so the
staff keep their calibrated shape year after year. The first year's staff (no one stays from before) get the
Geneva pyramid and the shares of women exactly.

:class:`Hiring` draws from the workforce's own random stream, in a fixed order; any change to the order or the
number of draws changes every later row of the demo workforce.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kpi import dimensions as dims
from kpi.config import DEMO_FIRST_YEAR
from kpi.demo.calibration import (
    FIELD_GRADES, FIELD_SECTORS, FIELD_UNITS, GENEVA_GRADES, GENEVA_LOCAL_NATIONALITIES, GENEVA_LOCAL_OTHER,
    GENEVA_SECTORS, GENEVA_UNITS, NATIONALITY_FLATTENING, NATIONALITY_SIGMA, POPULATION_EXPONENT,
    WESTERN_EUROPE_WEIGHT, populations, women_target,
)
from kpi.demo.common import exact_draw, normalised, stream
from kpi.demo.staff import Codes, People


@dataclass(frozen=True, eq=False)
class NationalityWeights:
    """The weight of each Member State as the nationality of a hire (indexed like ``Reference.members``)."""

    attract: np.ndarray  # population to a power, times a lognormal "attractiveness"
    region_members: dict[str, np.ndarray]  # ITU-D region -> indexes of its Member States
    geneva_local: np.ndarray  # shares of the nationalities of Geneva's locally recruited GS staff

    @classmethod
    def draw(cls, codes: Codes, seed: int) -> NationalityWeights:
        """The weights of ``seed`` (their own random stream, drawn once for all years)."""
        ref = codes.ref
        rng = stream(seed, "nationality_weights")
        attract = rng.lognormal(0.0, NATIONALITY_SIGMA, len(ref.members))
        population = populations()
        known = sorted(population.values())
        median = known[len(known) // 2] if known else 1e6  # a Member State with no figure counts as a median one
        attract = attract * np.array([(population.get(c, median) / 1e6) ** POPULATION_EXPONENT
                                      for c in ref.members])
        western = np.array([ref.member_admin[c] == "B" for c in ref.members])
        regions = np.array([ref.member_region[c] for c in ref.members])
        local = np.zeros(len(ref.members))
        for iso3, share in GENEVA_LOCAL_NATIONALITIES.items():
            local[codes.nationality[iso3]] = share
        return cls(attract=attract * np.where(western, WESTERN_EUROPE_WEIGHT, 1.0),
                   region_members={r: np.flatnonzero(regions == r) for r in dims.ITU_D_REGIONS},
                   geneva_local=local)

    def global_weights(self, year: int) -> np.ndarray:
        """International recruitment in ``year``: the weights flatten a little each year (a wider spread)."""
        power = 1.0 - NATIONALITY_FLATTENING * (year - DEMO_FIRST_YEAR)
        return normalised(self.attract ** power)

    def geneva_local_weights(self, glob: np.ndarray) -> np.ndarray:
        """Geneva's GS hires: mostly the local nationalities, the rest as ``glob``."""
        return normalised(self.geneva_local + GENEVA_LOCAL_OTHER * glob)

    def region_weights(self, region: str | None, glob: np.ndarray) -> np.ndarray:
        """``glob`` kept to the Member States of ``region`` (all of them where a station has no region)."""
        region_w = np.zeros(len(glob))
        if region:
            region_w[self.region_members[region]] = glob[self.region_members[region]]
        else:
            region_w = glob
        return normalised(region_w)


class Hiring:
    """Draws new staff members for the workforce simulation, from its random generator ``rng``."""

    def __init__(self, codes: Codes, rng: np.random.Generator, seed: int):
        self.codes = codes
        self.ref = codes.ref
        self.rng = rng
        # grade shares as vectors over all grades
        self.geneva_grades = np.array([GENEVA_GRADES.get(c, 0.0) for c in self.ref.grades])
        self.field_grades = np.array([FIELD_GRADES.get(c, 0.0) for c in self.ref.grades])
        no_grades = np.array([self.ref.grade_category[c] == "NO" for c in self.ref.grades])
        self.liaison_grades = np.where(no_grades, 0.0, self.field_grades)  # no national officers at a liaison office
        self.nationality = NationalityWeights.draw(codes, seed)

    def new(self, year: int, pid: np.ndarray, stations: np.ndarray, stayers: People | None) -> People:
        """New staff ``pid`` at the given duty stations, hired in ``year`` (grades, Sectors, units, gender and
        nationality drawn). ``stayers`` are the staff who stay, whose shape the hires complete (None for the
        first year's staff)."""
        rng, codes, n = self.rng, self.codes, len(stations)
        grade = np.zeros(n, dtype=np.int64)
        sector = np.zeros(n, dtype=np.int64)
        unit = np.zeros(n, dtype=np.int64)
        at_geneva = stations == codes.geneva
        k = int(at_geneva.sum())
        if k:
            grade[at_geneva], sector[at_geneva], unit[at_geneva] = self._geneva_posts(k, stayers)
        self._field_posts(stations, grade, sector, unit)
        category = codes.category_of[grade]
        gender = self._genders(year, category, stayers)
        nat = self._nationalities(year, stations, category)
        contract = np.where(rng.random(n) < 1 / 6, codes.contract["temporary"], codes.contract["fixed-term"])
        hired = np.full(n, year)
        return People(pid, grade, gender, nat, stations, sector, unit, contract, hired)

    # -- posts: grade, Sector and unit

    def _geneva_posts(self, k: int, stayers: People | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Grade, Sector and unit of ``k`` Geneva hires, steered towards the Geneva pyramid and Sector split."""
        rng = self.rng
        if stayers is None:  # the first year: the Geneva pyramid exactly
            grade = exact_draw(rng, self.geneva_grades, k)
        else:
            grade = rng.choice(len(self.ref.grades), size=k, p=self._geneva_hire_probs(k, stayers))
        sec = rng.choice(len(self.codes.sectors), size=k, p=self._geneva_sector_probs(k, stayers))
        return grade, sec, self._geneva_units(sec)

    def _geneva_units(self, sec: np.ndarray) -> np.ndarray:
        """The unit of each Geneva hire, drawn among its Sector's units (:data:`GENEVA_UNITS`)."""
        units = np.zeros(len(sec), dtype=np.int64)
        for si, s in enumerate(self.codes.sectors):
            pick = sec == si
            if pick.any():
                codes = list(GENEVA_UNITS[s])
                chosen = self.rng.choice(len(codes), size=int(pick.sum()), p=normalised(list(GENEVA_UNITS[s].values())))
                units[pick] = [self.codes.unit[codes[c]] for c in chosen]
        return units

    def _geneva_hire_probs(self, hires: int, stayers: People) -> np.ndarray:
        """Grade chances of a Geneva hire: the grades short of the pyramid, plus a little of every grade."""
        here = (stayers.station == self.codes.geneva) & (stayers.grade != self.codes.elected_grade)
        in_geneva = stayers.take(np.flatnonzero(here))
        have = np.bincount(in_geneva.grade, minlength=len(self.ref.grades))
        wanted = self.geneva_grades * (len(in_geneva) + hires)
        deficit = np.clip(wanted - have, 0, None) + 0.1 * self.geneva_grades * hires
        return normalised(deficit)

    def _geneva_sector_probs(self, hires: int, stayers: People | None) -> np.ndarray:
        """Sector chances of a Geneva hire: the Sectors short of their share, plus a little of every Sector."""
        shares = normalised([GENEVA_SECTORS[s] for s in self.codes.sectors])
        if stayers is None:
            return shares
        here = (stayers.station == self.codes.geneva) & (stayers.grade != self.codes.elected_grade)
        in_geneva = stayers.sector[here]
        have = np.bincount(in_geneva, minlength=len(self.codes.sectors))
        deficit = np.clip(shares * (len(in_geneva) + hires) - have, 0, None) + 0.1 * shares * hires
        return normalised(deficit)

    def _field_posts(self, stations: np.ndarray, grade: np.ndarray, sector: np.ndarray, unit: np.ndarray) -> None:
        """Fill in the grade, Sector and unit of the hires at each field office (station by station, in order)."""
        for code in self.ref.stations:
            if code == dims.HEADQUARTERS_STATION:
                continue
            pick = stations == self.codes.station[code]
            k = int(pick.sum())
            if not k:
                continue
            liaison = self.ref.station_kind[code] == "liaison office"
            shares = self.liaison_grades if liaison else self.field_grades
            grade[pick] = self.rng.choice(len(self.ref.grades), size=k, p=normalised(shares))
            sec = self._field_sectors(code, k)
            sector[pick] = sec
            unit[pick] = [self.codes.unit[FIELD_UNITS[self.codes.sectors[s]]] for s in sec]

    def _field_sectors(self, code: str, k: int) -> np.ndarray:
        """The Sectors of ``k`` hires at field station ``code``: the New York liaison office is General
        Secretariat, the other offices mostly ITU-D."""
        if code == "New York":
            return np.full(k, self.codes.sector["GS"])
        field_codes = list(FIELD_SECTORS)
        chosen = self.rng.choice(len(field_codes), size=k, p=normalised(list(FIELD_SECTORS.values())))
        return np.array([self.codes.sector[field_codes[c]] for c in chosen])

    # -- people: gender and nationality

    def _genders(self, year: int, category: np.ndarray, stayers: People | None) -> np.ndarray:
        """1 for a woman: hires tilt each category towards its target share of women."""
        gender = np.zeros(len(category), dtype=np.int64)
        for cat in ("GS", "NO", "P", "D"):
            pick = category == cat
            k = int(pick.sum())
            if not k:
                continue
            target = women_target(cat, year)
            if stayers is None:  # the first year's staff: the target share exactly
                n_women = round(target * k)
            else:  # as many women as bring the category to its target (15-85 % of the hires)
                same = self.codes.category_of[stayers.grade] == cat
                women, people = int(stayers.gender[same].sum()), int(same.sum())
                wanted = round(target * (people + k) - women)
                n_women = min(max(wanted, round(0.15 * k)), round(0.85 * k))
            gender[pick] = (self.rng.permutation(k) < n_women).astype(np.int64)
        return gender

    def _nationalities(self, year: int, stations: np.ndarray, category: np.ndarray) -> np.ndarray:
        """The nationality (Member State index) of each hire: Geneva's first, then each field office's."""
        nat = np.zeros(len(stations), dtype=np.int64)
        glob = self.nationality.global_weights(year)
        international = np.isin(category, ["P", "D"])
        self._geneva_nationalities(nat, stations == self.codes.geneva, international, glob)
        self._field_nationalities(nat, stations, category, glob)
        return nat

    def _geneva_nationalities(self, nat: np.ndarray, geneva: np.ndarray, international: np.ndarray,
                              glob: np.ndarray) -> None:
        """Fill in Geneva's hires: P and D staff from all Member States, GS staff mostly local."""
        n_members = len(self.ref.members)
        pick = geneva & international
        if pick.any():
            nat[pick] = self.rng.choice(n_members, size=int(pick.sum()), p=glob)
        pick = geneva & ~international
        if pick.any():
            nat[pick] = self.rng.choice(n_members, size=int(pick.sum()), p=self.nationality.geneva_local_weights(glob))

    def _field_nationalities(self, nat: np.ndarray, stations: np.ndarray, category: np.ndarray,
                             glob: np.ndarray) -> None:
        """Fill in the field offices' hires, station by station, person by person."""
        for code in self.ref.stations:
            if code == dims.HEADQUARTERS_STATION:
                continue
            here = stations == self.codes.station[code]
            if not here.any():
                continue
            country = self.codes.nationality.get(self.ref.station_country[code])
            region_w = self.nationality.region_weights(self.ref.station_region[code], glob)
            for idx in np.flatnonzero(here):
                nat[idx] = self._field_nationality(category[idx], country, region_w, glob)

    def _field_nationality(self, cat: str, country: int | None, region_w: np.ndarray, glob: np.ndarray) -> int:
        """One field hire: national officers are nationals; GS mostly nationals; P and D often from the region."""
        rng, n_members = self.rng, len(self.ref.members)
        if cat == "NO" and country is not None:
            return country
        if cat in ("P", "D"):
            return rng.choice(n_members, p=region_w if rng.random() < 0.5 else glob)
        local = country is not None and rng.random() < 0.8
        return country if local else rng.choice(n_members, p=region_w)
