"""How the workforce simulation holds staff: the reference codes read from the store, the index of each code,
and :class:`People`, the columns of a set of staff members as numpy arrays of code indexes.

Every list of codes is sorted (or in the fixed order of :mod:`kpi.dimensions`), so the same store always gives
the same indexes and so the same draws.
"""
from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from kpi import dimensions as dims
from kpi.demo.calibration import DUTY_STATIONS_FILE, NO_NATIONALS
from kpi.store import models as m


@dataclass
class Reference:
    """The reference data the simulation draws from, read from the store (and the CEB 2019 staff per station)."""

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
    def load(cls, session: Session) -> Reference:
        """The reference of the store behind ``session`` (dimensions loaded)."""
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


@dataclass(frozen=True, eq=False)
class Codes:
    """The index of each code in the columns of :class:`People` (grades, stations, nationalities, units, Sectors,
    contracts), and what the simulation looks up by index."""

    ref: Reference
    grade: dict[str, int]
    station: dict[str, int]
    nationality: dict[str, int]
    unit: dict[str, int]
    sectors: list[str]
    sector: dict[str, int]
    contracts: list[str]
    contract: dict[str, int]
    category_of: np.ndarray  # grade index -> category ("GS", "P", ...)
    geneva: int  # the headquarters' station index
    elected_grade: int

    @classmethod
    def of(cls, ref: Reference) -> Codes:
        """The indexes of ``ref``'s codes."""
        grade = _index(ref.grades)
        station = _index(ref.stations)
        sectors, contracts = list(dims.SECTOR_CODES), list(dims.CONTRACT_TYPES)
        return cls(
            ref=ref, grade=grade, station=station, nationality=_index(ref.members), unit=_index(ref.units),
            sectors=sectors, sector=_index(sectors), contracts=contracts, contract=_index(contracts),
            category_of=np.array([ref.grade_category[c] for c in ref.grades]),
            geneva=station[dims.HEADQUARTERS_STATION], elected_grade=grade["ELECTED"],
        )


def _index(codes: Sequence[str]) -> dict[str, int]:
    """Code -> its position in ``codes``."""
    return {code: i for i, code in enumerate(codes)}


@dataclass
class People:
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

    def take(self, index: np.ndarray) -> People:
        """The people at ``index`` (positions or a mask)."""
        return People(*(getattr(self, f)[index] for f in self.FIELDS))

    def __len__(self) -> int:
        return len(self.pid)

    @staticmethod
    def concat(parts: Sequence[People]) -> People:
        """``parts`` one after the other."""
        return People(*(np.concatenate([getattr(p, f) for p in parts]) for f in People.FIELDS))

    @staticmethod
    def empty() -> People:
        """Nobody."""
        return People(*(np.zeros(0, dtype=np.int64) for _ in People.FIELDS))
