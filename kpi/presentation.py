"""Council presentations: a stepped sequence of slides, and named sequences kept in the store."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kpi import access
from kpi.access import Actor
from kpi.charts.status import short_label
from kpi.explorer import indicator_view
from kpi.scorecard import latest_text, status_counts, target_text
from kpi.store.frames import ResultsData
from kpi.store import models as m

ATTENTION_STATUSES = ("off_track", "at_risk")
#: A goal's table of indicators is split over slides of at most this many rows: a long table is continued on
#: the next slide ("1 of 2"), never cut, and each row stays legible from the back of a room at 1280x720.
GOAL_ROWS_PER_SLIDE = 7


@dataclass(frozen=True)
class Slide:
    """One step of a presentation: the scorecard, a goal (or a part of its table), or an indicator."""

    kind: str  # "scorecard" | "goal" | "indicator"
    ref: str
    title: str
    #: For a goal slide, the codes of the indicators in its part of the goal's table.
    codes: tuple[str, ...] = ()


def _parts(codes: list[str], size: int) -> list[list[str]]:
    """``codes`` in the fewest parts of at most ``size``, as even as can be (8 rows as 4 and 4, not 7 and 1)."""
    count = max(1, -(-len(codes) // size))
    cut = [round(k * len(codes) / count) for k in range(count + 1)]
    return [codes[a:b] for a, b in zip(cut, cut[1:])]


def build_sequence(statuses: pl.DataFrame, indicator_codes: list[str] | None = None) -> list[Slide]:
    """Scorecard, then each goal and enabler (its table over as many slides as it needs), then the chosen
    indicators.

    Without a chosen list, every indicator needing attention is shown (off track first, then at risk).
    """
    slides = [Slide("scorecard", "", "Scorecard")]
    for root in statuses.select("root_code", "root_name", "root_kind").unique(maintain_order=True).iter_rows(named=True):
        kind = "Goal" if root["root_kind"] == "goal" else "Enabler"
        title = f"{kind} {root['root_code']}: {root['root_name']}"
        parts = _parts(statuses.filter(pl.col("root_code") == root["root_code"])["code"].to_list(),
                       GOAL_ROWS_PER_SLIDE)
        for k, part in enumerate(parts, start=1):
            suffix = f" ({k} of {len(parts)})" if len(parts) > 1 else ""
            slides.append(Slide("goal", root["root_code"], title + suffix, tuple(part)))
    names = dict(zip(statuses["code"].to_list(), statuses["name"].to_list(), strict=True))
    if indicator_codes is None:
        order = {s: i for i, s in enumerate(ATTENTION_STATUSES)}
        attention = statuses.filter(pl.col("status").is_in(ATTENTION_STATUSES)).with_columns(
            pl.col("status").replace_strict(order, return_dtype=pl.Int64).alias("_rank")
        ).sort("_rank", maintain_order=True)
        indicator_codes = attention["code"].to_list()
    slides += [Slide("indicator", code, names[code]) for code in indicator_codes if code in names]
    return slides


# ---------------------------------------------------------------- what each slide shows, as plain data


def data_facts(data: ResultsData, validated_only: bool) -> dict:
    """What a stamp says of the data shown (:func:`kpi.deck.stamp_text`): its version and time, and whether
    provisional values are included."""
    return {"validated_only": validated_only, "data_version": data.meta.get("data_version", "0"),
            "data_updated_at": data.meta.get("data_updated_at", "")}


def sequence_content(data: ResultsData, statuses: pl.DataFrame, slides: list[Slide], *, as_of_year: int,
                     years: tuple[int, int], validated_only: bool) -> dict:
    """Everything a sequence shows, as plain data (JSON): the page draws it, a snapshot freezes it, the deck
    and the report are written from it, so that what was presented is what is kept and handed out."""
    return {
        "as_of_year": as_of_year, "years": list(years), **data_facts(data, validated_only),
        "sources": SOURCES,
        "slides": [slide_content(data, statuses, slide, as_of_year=as_of_year, years=years,
                                 validated_only=validated_only) for slide in slides],
        # Every goal and enabler with each indicator in full, for the annual progress report.
        "goals": [{"code": root["root_code"], "name": root["root_name"], "kind": root["root_kind"],
                   "indicators": [slide_content(data, statuses, Slide("indicator", code, code), as_of_year=as_of_year,
                                                years=years, validated_only=validated_only)
                                  for code in statuses.filter(pl.col("root_code") == root["root_code"])["code"]]}
                  for root in statuses.select("root_code", "root_name", "root_kind").unique(maintain_order=True)
                  .iter_rows(named=True)],
    }


#: The sources line of every slide.
SOURCES = ("ITU via World Bank WDI, compiled by Gapminder (CC BY 4.0); other values synthetic demo data")


def slide_content(data: ResultsData, statuses: pl.DataFrame, slide: Slide, *, as_of_year: int,
                  years: tuple[int, int], validated_only: bool) -> dict:
    """One slide as plain data: its kind, title and what it shows (figures, statuses and their reasons, the
    chart's series, the source)."""
    out: dict = {"kind": slide.kind, "ref": slide.ref, "title": slide.title}
    if slide.kind == "scorecard":
        counts = status_counts(statuses, ["root_code", "root_name"])
        out["total"] = statuses.height
        out["goals"] = [{**row, "label": short_label(row["root_code"], row["root_name"])}
                        for row in counts.iter_rows(named=True)]
    elif slide.kind == "goal":
        part = statuses.filter(pl.col("root_code") == slide.ref)
        out["counts"] = status_counts(part, []).row(0, named=True)
        rows = part.filter(pl.col("code").is_in(list(slide.codes))) if slide.codes else part
        out["rows"] = [_indicator_row(row) for row in rows.iter_rows(named=True)]
    else:
        view = indicator_view(data, slide.ref, as_of_year, validated_only=validated_only)
        sheet, a = view.sheet, view.assessment
        row = statuses.filter(pl.col("code") == slide.ref)
        out |= _indicator_row(row.row(0, named=True)) if row.height else {"code": slide.ref, "name": sheet["name"]}
        headline = view.headline.filter(pl.col("year").is_between(*years))
        out |= {
            "status": a.status, "explanation": a.explanation, "unit": sheet["unit"],
            "headline": headline.select("year", "value", "flag", "note", "approval").to_dicts(),
            "targets": view.targets.select("year", "value").to_dicts(),
            "projection": view.projection.to_dicts(),
            "baseline": list(view.baseline) if view.baseline else None,
            "source": sheet["source"], "attribution": sheet["attribution"], "is_synthetic": bool(sheet["is_synthetic"]),
        }
    return out


def _indicator_row(row: dict) -> dict:
    """An indicator's line in a goal's table: its status and reason, latest value and target, as shown."""
    unit = row["unit"]
    return {
        "code": row["code"], "name": row["name"], "status": row["status"], "explanation": row["explanation"],
        "unit": unit, "latest_value": row["latest_value"], "latest_year": row["latest_year"],
        "target_value": row["target_value"], "target_year": row["target_year"],
        "latest": latest_text(row), "target": target_text(row),
    }


#: Longest name of a sequence (it is part of the link).
SEQUENCE_NAME_MAX = m.Presentation.__table__.c.name.type.length


def save_sequence(engine: Engine, name: str, *, title: str, cycle: str, year: int, indicator_codes: list[str],
                  actor: Actor) -> None:
    """Save (or replace) a named sequence: administrators only (an AccessDenied otherwise)."""
    access.require_role(actor, access.ADMINISTRATOR, "saving a Council sequence")
    if not name.strip():
        raise ValueError("A sequence needs a name.")
    if len(name.strip()) > SEQUENCE_NAME_MAX:
        raise ValueError(f"A sequence name has at most {SEQUENCE_NAME_MAX} characters.")
    if not indicator_codes:
        raise ValueError("A sequence needs at least one indicator.")
    with Session(engine) as session, session.begin():
        row = session.get(m.Presentation, name.strip())
        values = {"title": title, "cycle_code": cycle, "year": year, "indicator_codes": ",".join(indicator_codes),
                  "created_by": actor.audit_name, "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None)}
        if row is None:
            session.add(m.Presentation(name=name.strip(), **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)


def load_sequence(engine: Engine, name: str) -> dict | None:
    """A saved sequence as a dict (name, title, cycle, year, indicator_codes), or None."""
    with Session(engine) as session:
        row = session.get(m.Presentation, name)
        if row is None:
            return None
        return {"name": row.name, "title": row.title, "cycle": row.cycle_code, "year": row.year,
                "indicator_codes": [c for c in row.indicator_codes.split(",") if c]}


def sequence_names(engine: Engine) -> list[str]:
    """Names of the saved sequences, sorted."""
    with Session(engine) as session:
        return list(session.scalars(select(m.Presentation.name).order_by(m.Presentation.name)))


def delete_sequence(engine: Engine, name: str, *, actor: Actor) -> bool:
    """Delete a named sequence: administrators only. False if there was none of that name."""
    access.require_role(actor, access.ADMINISTRATOR, "deleting a Council sequence")
    with Session(engine) as session, session.begin():
        row = session.get(m.Presentation, name)
        if row is None:
            return False
        session.delete(row)
        return True
