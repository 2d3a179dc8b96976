"""The selections around a view: those one filter wider (:func:`wider`, protected first, as published
beside it) and one filter narrower (:func:`narrower`), and the selections the audit covers
(:func:`audited_selections`)."""
from __future__ import annotations

from dataclasses import replace

import polars as pl

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.workforce_pages.records import Records


def wider(selection: wf.Selection, duty_stations: pl.DataFrame) -> list[wf.Selection]:
    """The selections one filter wider than ``selection``: each filter's value replaced by the value
    that contains it (an office by all regional offices, or all liaison offices; P, D or elected by
    Professional and higher) or by all."""
    kinds = dict(zip(duty_stations["code"].to_list(), duty_stations["kind"].to_list()))
    out = []
    for name, value in selection.active().items():
        parent: str | None = None
        if name == "duty_station" and value not in dims.LOCATION_FILTERS:
            location = dims.LOCATION_OF_KIND.get(kinds.get(value, ""), "field")
            parent = {"field": dims.STATION_GROUP_FIELD, "liaison": dims.STATION_GROUP_LIAISON,
                      "headquarters": dims.STATION_GROUP_HQ}[location]
        elif name == "grade_category" and value in dims.PROFESSIONAL_AND_HIGHER_CATEGORIES:
            parent = dims.PROFESSIONAL_AND_HIGHER
        out.append(replace(selection, **{name: parent}))
    return out


def narrower(selection: wf.Selection, duty_stations: pl.DataFrame) -> list[wf.Selection]:
    """The selections one filter narrower than ``selection``: those whose :func:`wider` views include it (each
    Sector, category, gender or group of duty stations of all staff; each office of the regional offices)."""
    offices = duty_stations.filter(pl.col("kind") != "headquarters")["code"].to_list()
    values = {"sector": dims.SECTOR_CODES,
              "duty_station": [dims.STATION_GROUP_HQ, dims.STATION_GROUP_FIELD, dims.STATION_GROUP_LIAISON, *offices],
              "grade_category": [dims.PROFESSIONAL_AND_HIGHER, *dims.GRADE_CATEGORIES],
              "gender": list(dims.GENDERS)}
    out = []
    for name, options in values.items():
        for value in options:
            child = replace(selection, **{name: value})
            if child != selection and selection in wider(child, duty_stations):
                out.append(child)
    return out


def audited_selections(records: Records, *, combinations: bool = True) -> list[wf.Selection]:
    """The selections the audit covers: every value of each filter with the others at all and, with
    ``combinations``, every Sector x grade category x gender and every duty-station group x gender."""
    stations = [dims.STATION_GROUP_HQ, dims.STATION_GROUP_FIELD, dims.STATION_GROUP_LIAISON,
                *records.duty_stations.filter(pl.col("kind") != "headquarters")["code"].to_list()]
    categories = [dims.PROFESSIONAL_AND_HIGHER, *dims.GRADE_CATEGORIES]
    genders = list(dims.GENDERS)
    out = [wf.Selection()]
    out += [wf.Selection(sector=s) for s in dims.SECTOR_CODES]
    out += [wf.Selection(duty_station=d) for d in stations]
    out += [wf.Selection(grade_category=c) for c in categories]
    out += [wf.Selection(gender=g) for g in genders]
    if combinations:
        for sector in (None, *dims.SECTOR_CODES):
            for category in (None, *categories):
                for gender in (None, *genders):
                    out.append(wf.Selection(sector=sector, grade_category=category, gender=gender))
        for station in (None, dims.STATION_GROUP_HQ, dims.STATION_GROUP_FIELD, dims.STATION_GROUP_LIAISON):
            for gender in (None, *genders):
                out.append(wf.Selection(duty_station=station, gender=gender))
    return list(dict.fromkeys(out))
