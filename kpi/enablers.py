"""The enabler outcome's indicators (E1.*), computed from the records, never typed in.

Each indicator has one pure function: Polars frames of records in, a long frame of values out,
one row per year and cell, with the columns of :data:`OUTPUT_SCHEMA`:

- ``indicator_code``, ``year``, ``value``;
- ``disaggregation``: "" for the headline, else the canonical key of the cell, ``name=value``
  pairs joined by ``|`` in the order of :data:`kpi.dimensions.DISAGGREGATIONS`
  (``"sector=ITU-D"``, ``"grade=P4"``, ``"duty_station=Cairo"``);
- ``sector``, ``grade``, ``duty_station``, ``gender``: the cell's dimensions (null where unused);
- ``note``: what a reader needs beside the value (sample size, pending items, hidden cells).

The first paragraph of each function's docstring is the indicator's exact definition, shown by
the app (:func:`definitions`). Days and percentages are rounded to 2 decimals, Swiss francs to
whole francs, halves away from zero.

The workforce indicators (E1.RECRUIT, E1.TRAIN, E1.WOMEN_P) are stored as headlines only. Their breakdowns
(by Sector, grade, duty station) are the workforce pages' own figures, read from the pages as protected
together (:data:`kpi.workforce_pages.INDICATOR_BREAKDOWNS`): one source for each figure, and no share beside
a page that hides its counts (a share and a shown total give the count back). The headlines are the pages'
figures too, before protection: the records get the pages' derived columns and :mod:`kpi.workforce` counts
them (:func:`kpi.workforce.women_share`, :func:`kpi.workforce.training_share`, :func:`kpi.workforce.mean_days`);
this module only rounds and stores.

:func:`materialise` writes the results to the store as validated observations.
"""
from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Sequence

import polars as pl
from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.orm import Session

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.store import models as m

#: Columns (and types) of every frame this module returns.
OUTPUT_SCHEMA: dict[str, pl.DataType] = {
    "indicator_code": pl.String(),
    "year": pl.Int64(),
    "value": pl.Float64(),
    "disaggregation": pl.String(),
    "sector": pl.String(),
    "grade": pl.String(),
    "duty_station": pl.String(),
    "gender": pl.String(),
    "note": pl.String(),
}
#: The observation dimensions these indicators can be disaggregated by (all in DISAGGREGATIONS).
DIMENSION_COLUMNS: tuple[str, ...] = ("sector", "grade", "duty_station", "gender")

#: Columns (and types) of the record frames, by the key :func:`compute_all` expects.
RECORD_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "recruitment": {
        "vacancy_ref": pl.String(), "grade": pl.String(), "sector": pl.String(), "duty_station": pl.String(),
        "posted_on": pl.Date(), "closed_on": pl.Date(), "selected_on": pl.Date(),
    },
    "training": {"year": pl.Int64(), "staff_key": pl.String(), "course": pl.String(), "completed": pl.Boolean()},
    "staff": {
        "year": pl.Int64(), "staff_key": pl.String(), "grade": pl.String(), "gender": pl.String(),
        "nationality": pl.String(), "duty_station": pl.String(), "sector": pl.String(),
    },
    "countries": {"iso3": pl.String(), "is_member_state": pl.Boolean()},
    "engagements": {
        "ref": pl.String(), "kind": pl.String(), "year": pl.Int64(), "started_on": pl.Date(),
        "ended_on": pl.Date(), "opinion": pl.String(),
    },
    "savings": {
        "year": pl.Int64(), "ref": pl.String(), "sector": pl.String(),
        "reference_cost_chf": pl.Float64(), "awarded_cost_chf": pl.Float64(),
    },
    "recommendations": {"ref": pl.String(), "issued_on": pl.Date(), "accepted": pl.Boolean()},
}
_RECORD_TABLES = {
    "recruitment": m.Recruitment,
    "training": m.TrainingCompletion,
    "staff": m.StaffSnapshot,
    "countries": m.Country,
    "engagements": m.Engagement,
    "savings": m.ProcurementSaving,
    "recommendations": m.OversightRecommendation,
}

#: Engagements timed by E1.ENGAGE (the External Auditor's work is not ours to speed up).
TIMED_ENGAGEMENT_KINDS: tuple[str, ...] = (dims.INTERNAL_AUDIT, dims.INVESTIGATION, dims.EVALUATION)
DAYS_DECIMALS = 2
PCT_DECIMALS = 2
CHF_DECIMALS = 0
_ROUND_MODE = "half_away_from_zero"
#: Approval status of computed observations: they come from validated records, not a reporter.
COMPUTED_APPROVAL = "validated"
#: E1.WOMEN_P's population: the gender balance page's selection of the Professional and higher categories.
PROFESSIONAL = wf.Selection(grade_category=dims.PROFESSIONAL_AND_HIGHER)


# ---------------------------------------------------------------- helpers


def _disaggregation_key() -> pl.Expr:
    parts = [
        pl.when(pl.col(d).is_not_null()).then(pl.lit(f"{d}=") + pl.col(d))
        for d in dims.DISAGGREGATIONS if d in DIMENSION_COLUMNS
    ]
    return pl.concat_str(parts, separator="|", ignore_nulls=True).alias("disaggregation")


def _cells(records: pl.DataFrame, aggs: Sequence[pl.Expr], levels: Sequence[Sequence[str]]) -> pl.DataFrame:
    """``aggs`` by year and by each list of dimensions in ``levels`` (``[]`` is the headline).

    Every dimension column is present (null where the level does not use it), ``level`` names
    the level ("" for the headline) and ``disaggregation`` holds the cell's key.
    """
    parts = [
        records.group_by(["year", *by]).agg(*aggs).with_columns(pl.lit("|".join(by)).alias("level"))
        for by in levels
    ]
    cells = pl.concat(parts, how="diagonal_relaxed")
    missing = [pl.lit(None, pl.String).alias(d) for d in DIMENSION_COLUMNS if d not in cells.columns]
    return cells.with_columns(*missing).with_columns(pl.col("year").cast(pl.Int64), _disaggregation_key())


def _finish(code: str, cells: pl.DataFrame, value: pl.Expr, note: pl.Expr | str = "") -> pl.DataFrame:
    """Shape ``cells`` as the output frame of indicator ``code``, sorted by year and key."""
    missing = [pl.lit(None, pl.String).alias(d) for d in DIMENSION_COLUMNS if d not in cells.columns]
    cells = cells.with_columns(*missing)
    if "disaggregation" not in cells.columns:
        cells = cells.with_columns(_disaggregation_key())
    out = cells.with_columns(
        pl.lit(code).alias("indicator_code"),
        pl.col("year").cast(pl.Int64),
        value.cast(pl.Float64).alias("value"),
        (pl.lit(note) if isinstance(note, str) else note).fill_null("").alias("note"),
    )
    return out.select([pl.col(c).cast(t) for c, t in OUTPUT_SCHEMA.items()]).sort("year", "disaggregation")


def _days(start: str, end: str) -> pl.Expr:
    return (pl.col(end) - pl.col(start)).dt.total_days()


def _rounded_pct(share: pl.Expr) -> pl.Expr:
    """A percentage as stored: 2 decimals, halves away from zero."""
    return share.round(PCT_DECIMALS, mode=_ROUND_MODE)


def _pct(part: str, whole: str) -> pl.Expr:
    """The stored percentage of ``part`` in ``whole``, by the pages' formula (:func:`kpi.workforce.share_of`)."""
    return _rounded_pct(wf.share_of(part, whole))


def _plural(count: pl.Expr, word: str) -> pl.Expr:
    return pl.when(count == 1).then(pl.lit(word)).otherwise(pl.lit(word + "s"))


def _is(column: str, value: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().str.to_lowercase() == value


def _as_on_the_pages(staff: pl.DataFrame, training: pl.DataFrame | None = None) -> pl.DataFrame:
    """The staff records with the columns the workforce pages derive from them: the category group
    (:func:`kpi.workforce.with_grades`) and, given the training records, the training status
    (:func:`kpi.workforce.with_training`). The E1 headlines then count what the pages count.
    """
    staff = wf.with_grades(staff.with_columns(pl.col("year").cast(pl.Int64)))
    if training is None:
        return staff
    training = training.with_columns(pl.col("year").cast(pl.Int64))
    # What kpi.store.frames.load_workforce reads for the pages: per staff member and year the courses
    # completed, per year the mandatory courses (those in the year's records).
    completed = (training.filter(pl.col("completed")).group_by("year", "staff_key")
                 .agg(pl.col("course").n_unique().alias("completed_courses")))
    courses = training.group_by("year").agg(pl.col("course").n_unique().alias("courses"))
    return wf.with_training(staff, completed, courses)


# ---------------------------------------------------------------- the indicators


def recruitment_timeline(recruitment: pl.DataFrame) -> pl.DataFrame:
    """E1.RECRUIT: the mean number of days from the posting of a vacancy to the selection decision,
    over the vacancies whose selection decision falls in the year.

    Vacancies still open or closed without a selection (no selection date) are not counted. The
    whole Union; by Sector and grade on the recruitment page. Days to 2 decimals.
    """
    means = wf.mean_days(wf.selected_vacancies(recruitment))  # the recruitment page's means, before protection
    note = pl.format("Mean over {} {}.", pl.col("count"), _plural(pl.col("count"), "selection"))
    return _finish("E1.RECRUIT", means, pl.col("days").round(DAYS_DECIMALS, mode=_ROUND_MODE), note)


def training_completion(training: pl.DataFrame, staff: pl.DataFrame) -> pl.DataFrame:
    """E1.TRAIN: the percentage of staff in post at the end of the year (the year's staff
    snapshot) who completed every mandatory course of that year.

    The mandatory courses of a year are the courses that appear in that year's training
    records; a staff member with no completed record for one of them (or no record at all)
    counts as not completed. Years without any training record have no value. The whole Union;
    by Sector on the recruitment and training page.
    """
    shares = wf.training_share(_as_on_the_pages(staff, training))  # the training page's, before protection
    return _finish("E1.TRAIN", shares, _rounded_pct(pl.col("share")))


def women_professional_share(staff: pl.DataFrame) -> pl.DataFrame:
    """E1.WOMEN_P: the percentage of women among staff in post at the end of the year in the
    Professional and higher categories (grades P1 to P5, D1, D2 and elected officials).

    The whole Union; by Sector, duty station and grade on the gender balance page (Professional and
    higher).
    """
    shares = wf.women_share(_as_on_the_pages(staff), PROFESSIONAL)  # the gender page's, before protection
    return _finish("E1.WOMEN_P", shares, _rounded_pct(pl.col("share")))


def member_states_with_nationals(staff: pl.DataFrame, countries: pl.DataFrame) -> pl.DataFrame:
    """E1.GEO: the percentage of Member States with at least one national among the staff in
    post at the end of the year.

    The denominator is the number of Member States in the country reference; nationals of
    territories that are not Member States do not count. Headline only.
    """
    members = countries.filter(pl.col("is_member_state")).select(pl.col("iso3").alias("nationality")).unique()
    if members.height == 0:
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    years = staff.select(pl.col("year").cast(pl.Int64)).unique()
    represented = (
        staff.with_columns(pl.col("year").cast(pl.Int64))
        .join(members, on="nationality", how="semi")
        .group_by("year")
        .agg(pl.col("nationality").n_unique().alias("represented"))
    )
    cells = years.join(represented, on="year", how="left").with_columns(
        pl.col("represented").fill_null(0), pl.lit(members.height).alias("members"),
    )
    return _finish("E1.GEO", cells, _pct("represented", "members"),
                   pl.format("{} of {} Member States.", pl.col("represented"), pl.col("members")))


def unqualified_audit_opinions(engagements: pl.DataFrame) -> pl.DataFrame:
    """E1.AUDIT: the number of unqualified opinions given by the External Auditor in the
    engagements of the year (the year recorded on the engagement).

    A year with an external audit whose opinion is qualified, adverse or not yet given counts
    0; a year with no external audit has no value. The note lists the year's opinions.
    """
    external = engagements.filter(_is("kind", dims.EXTERNAL_AUDIT)).with_columns(
        pl.col("opinion").str.strip_chars().str.to_lowercase().replace(dims.NO_OPINION, "not yet given").alias("opinion"))
    cells = external.group_by(pl.col("year").cast(pl.Int64)).agg(
        (pl.col("opinion") == dims.UNQUALIFIED).sum().alias("unqualified"),
        pl.col("opinion").sort().str.join(", ").alias("opinions"),
    )
    return _finish("E1.AUDIT", cells, pl.col("unqualified"),
                   pl.format("External audit opinion: {}.", pl.col("opinions")))


def procurement_savings(savings: pl.DataFrame) -> pl.DataFrame:
    """E1.SAVINGS: the sum, over the procurement actions of the year, of the reference cost
    minus the awarded cost, in Swiss francs.

    Shown for the whole Union and by Sector, rounded to whole francs.
    """
    rows = savings.with_columns((pl.col("reference_cost_chf") - pl.col("awarded_cost_chf")).alias("saving"))
    cells = _cells(rows, [pl.col("saving").sum().alias("saving"), pl.len().alias("n")], [[], ["sector"]])
    return _finish("E1.SAVINGS", cells, pl.col("saving").round(CHF_DECIMALS, mode=_ROUND_MODE),
                   pl.format("{} procurement {}.", pl.col("n"), _plural(pl.col("n"), "action")))


def oversight_accepted(recommendations: pl.DataFrame) -> pl.DataFrame:
    """E1.OVERSIGHT: the percentage of the oversight recommendations issued in the year that
    management accepted, among those on which management has decided.

    Recommendations still awaiting a decision are left out of the denominator and counted in
    the note; a year with no decision yet has no value. Headline only.
    """
    rows = recommendations.with_columns(pl.col("issued_on").dt.year().cast(pl.Int64).alias("year"))
    cells = rows.group_by("year").agg(
        pl.col("accepted").is_not_null().sum().alias("decided"),
        pl.col("accepted").fill_null(False).sum().alias("accepted"),
        pl.col("accepted").is_null().sum().alias("pending"),
    ).filter(pl.col("decided") > 0)
    return _finish(
        "E1.OVERSIGHT", cells, _pct("accepted", "decided"),
        pl.format("{} accepted of {} decided; {} pending a decision, not counted.",
                  pl.col("accepted"), pl.col("decided"), pl.col("pending")),
    )


def engagement_timeline(engagements: pl.DataFrame) -> pl.DataFrame:
    """E1.ENGAGE: the mean number of days from the start to the end (final report) of the
    internal audits, investigations and evaluations that ended in the year.

    External audits are not counted; engagements not yet ended are not counted. Headline only,
    days to 2 decimals.
    """
    kinds = pl.col("kind").str.strip_chars().str.to_lowercase().is_in(list(TIMED_ENGAGEMENT_KINDS))
    ended = engagements.filter(kinds & pl.col("ended_on").is_not_null()).with_columns(
        pl.col("ended_on").dt.year().cast(pl.Int64).alias("year"), _days("started_on", "ended_on").alias("days"))
    cells = ended.group_by("year").agg(pl.col("days").mean().alias("days"), pl.len().alias("n"))
    return _finish("E1.ENGAGE", cells, pl.col("days").round(DAYS_DECIMALS, mode=_ROUND_MODE),
                   pl.format("Mean over {} {}.", pl.col("n"), _plural(pl.col("n"), "engagement")))


# ---------------------------------------------------------------- all together

#: Each computed indicator's code -> (function, the record frames it takes, in order).
INDICATORS: dict[str, tuple[Callable[..., pl.DataFrame], tuple[str, ...]]] = {
    "E1.RECRUIT": (recruitment_timeline, ("recruitment",)),
    "E1.TRAIN": (training_completion, ("training", "staff")),
    "E1.WOMEN_P": (women_professional_share, ("staff",)),
    "E1.GEO": (member_states_with_nationals, ("staff", "countries")),
    "E1.AUDIT": (unqualified_audit_opinions, ("engagements",)),
    "E1.SAVINGS": (procurement_savings, ("savings",)),
    "E1.OVERSIGHT": (oversight_accepted, ("recommendations",)),
    "E1.ENGAGE": (engagement_timeline, ("engagements",)),
}


def definitions() -> dict[str, str]:
    """Each computed indicator's exact definition, for the app: its function's docstring
    without the code, one line per paragraph."""
    out = {}
    for code, (fn, _) in INDICATORS.items():
        text = inspect.cleandoc(fn.__doc__ or "").removeprefix(f"{code}: ")
        text = "\n\n".join(" ".join(paragraph.split()) for paragraph in text.split("\n\n"))
        out[code] = text[:1].upper() + text[1:]
    return out


def compute_all(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every indicator of :data:`INDICATORS` from the record frames, one long frame.

    ``frames`` has the keys of :data:`RECORD_SCHEMAS`. Sorted by indicator, year, key.
    """
    parts = [fn(*(frames[name] for name in args)) for fn, args in INDICATORS.values()]
    return pl.concat(parts, how="vertical").sort("indicator_code", "year", "disaggregation")


def load_record_frames(connection: Connection) -> dict[str, pl.DataFrame]:
    """The record tables the indicators need, read through ``connection``, as typed frames."""
    frames = {}
    for name, schema in RECORD_SCHEMAS.items():
        table = _RECORD_TABLES[name].__table__
        rows = connection.execute(select(*(table.c[col] for col in schema))).all()
        frames[name] = pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")
    return frames


def materialise(session: Session) -> int:
    """Recompute and replace the observations of every computed indicator; returns rows written.

    For each indicator whose ``computed_from`` is set and that this module knows how to
    compute, all its observations are deleted and the computed ones inserted (approval
    "validated", no flag, the frame's note), and its ``baseline_value`` becomes the headline
    value of its ``baseline_year`` (None where there is none). Indicators marked computed that
    this module does not know are left alone, with a warning. Runs in the caller's
    transaction and does not commit.
    """
    session.flush()  # records added in this session must be seen by the query below
    marked = session.execute(
        select(m.Indicator.code, m.Indicator.id, m.Indicator.baseline_year).where(m.Indicator.computed_from != "")
    ).all()
    unknown = sorted(code for code, _, _ in marked if code not in INDICATORS)
    if unknown:
        warnings.warn(f"No rule computes these indicators; their observations are left as they are: {unknown}",
                      stacklevel=2)
    known = {code: (ind_id, baseline_year) for code, ind_id, baseline_year in marked if code in INDICATORS}
    if not known:
        return 0
    computed = compute_all(load_record_frames(session.connection())).filter(
        pl.col("indicator_code").is_in(list(known)))
    rows = [
        {
            "indicator_id": known[r["indicator_code"]][0], "year": r["year"], "value": r["value"],
            "disaggregation": r["disaggregation"], "sector": r["sector"], "region": None, "country": None,
            "grade": r["grade"], "gender": r["gender"], "duty_station": r["duty_station"], "flag": "",
            "note": r["note"], "coverage_pct": None, "approval": COMPUTED_APPROVAL, "batch_id": None,
        }
        for r in computed.iter_rows(named=True)
    ]
    ids = [ind_id for ind_id, _ in known.values()]
    session.execute(delete(m.Observation).where(m.Observation.indicator_id.in_(ids)),
                    execution_options={"synchronize_session": False})
    if rows:
        session.execute(insert(m.Observation), rows)
    headline = {
        (r["indicator_code"], r["year"]): r["value"]
        for r in computed.filter(pl.col("disaggregation") == "").iter_rows(named=True)
    }
    for code, (ind_id, baseline_year) in known.items():
        session.execute(
            update(m.Indicator).where(m.Indicator.id == ind_id)
            .values(baseline_value=headline.get((code, baseline_year))),
            execution_options={"synchronize_session": False},
        )
    session.expire_all()  # loaded Observation/Indicator objects must not show the old values
    return len(rows)
