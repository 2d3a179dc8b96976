"""The records the workforce pages are computed from (:class:`Records`) and how a store's are read
(:func:`load_records`)."""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from kpi import workforce as wf


@dataclass(frozen=True)
class Records:
    """What the workforce pages are computed from (:func:`kpi.workforce.prepare_staff` and friends)."""

    staff: pl.DataFrame
    recruitment: pl.DataFrame
    countries: pl.DataFrame
    duty_stations: pl.DataFrame
    units: pl.DataFrame

    def station_names(self) -> dict[str, str]:
        """Duty-station code -> name."""
        return dict(zip(self.duty_stations["code"].to_list(), self.duty_stations["name"].to_list()))

    def unit_names(self) -> dict[str, str]:
        """Unit code -> name."""
        return dict(zip(self.units["code"].to_list(), self.units["name"].to_list()))


def load_records(engine) -> Records:
    """The workforce records of a store, prepared as the pages use them."""
    from kpi.store.frames import load_workforce

    frames = load_workforce(engine)
    staff = wf.prepare_staff(frames["staff"], frames["training"], frames["courses"], frames["duty_stations"],
                             frames["countries"])
    return Records(staff, wf.prepare_recruitment(frames["recruitment"], frames["duty_stations"]),
                   frames["countries"], frames["duty_stations"], frames["units"])
