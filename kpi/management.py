"""Budgets linked to results, risks, oversight recommendations, resolutions, commitments and the Accountability
Framework.

Frames in, frames out: the management page shows these, each with what a senior management
retreat asks of it (where money goes against results, which risks stay high after mitigation,
which recommendations are overdue, which commitments are still open).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from kpi import dimensions as dims
from kpi.dimensions import ACCOUNTABILITY_STATUSES, IMPLEMENTED, NOT_ASSESSED
from kpi.scorecard import latest_text
from kpi.status import STATUSES

#: A risk whose residual score (likelihood x impact, 1-25) reaches this is "high".
HIGH_RISK_SCORE = 15
#: From this score a risk is "critical": likelihood and impact both 4 or more, or one of them 5 and the other 4.
CRITICAL_RISK_SCORE = 20
#: Severity bands of a likelihood x impact score, lowest first: (band, label, lowest score of the band).
#: The one place of the thresholds: the heat map's colours, the band words and the "high" flag follow it.
RISK_BANDS: tuple[tuple[str, str, int], ...] = (
    ("low", "Low", 1),
    ("medium", "Medium", 5),
    ("significant", "Significant", 10),
    ("high", "High", HIGH_RISK_SCORE),
    ("critical", "Critical", CRITICAL_RISK_SCORE),
)
#: How a residual score moved since the risk's previous assessment: the word and arrow of each movement.
MOVEMENTS: dict[str, str] = {"up": "▲ Up", "down": "▼ Down", "same": "▶ Unchanged", "new": "● New"}
#: How many risks "the top risks" are.
TOP_RISKS = 5
#: An accepted recommendation still open this many years after issue is "long outstanding".
OUTSTANDING_YEARS = 2


def budget_by_output(budget: pl.DataFrame, statuses: pl.DataFrame, nodes: pl.DataFrame, year: int) -> pl.DataFrame:
    """Planned and actual CHF of each output (or enabler) in ``year`` beside the statuses of its indicators.

    Columns: node_code, node_name, owner, planned_chf, actual_chf, execution_pct, indicators, and one
    count column per status. Execution is actual / planned, null while the year has no actuals.
    """
    money = (
        budget.filter(pl.col("year") == year).group_by("node_id")
        .agg(pl.col("planned_chf").sum(),
             # null, not 0, while no actual is reported for the year
             pl.when(pl.col("actual_chf").is_not_null().any()).then(pl.col("actual_chf").sum()).alias("actual_chf"))
    )
    counts = statuses.group_by("node_id").agg(
        pl.len().cast(pl.Int64).alias("indicators"),
        *[(pl.col("status") == s).sum().cast(pl.Int64).alias(s) for s in STATUSES],
    )
    return (
        money.join(nodes.select("node_id", "node_code", "node_name", "owner", "sort_order"), on="node_id")
        .join(counts, on="node_id", how="left")
        .with_columns((pl.col("actual_chf") / pl.col("planned_chf") * 100).round(1).alias("execution_pct"),
                      *[pl.col(c).fill_null(0) for c in ["indicators", *STATUSES]])
        .sort("sort_order")
        .select("node_code", "node_name", "owner", "planned_chf", "actual_chf", "execution_pct", "indicators",
                *STATUSES)
    )


def risk_band(score: int) -> str:
    """The severity band (``RISK_BANDS``) of a likelihood x impact score: ``risk_band(12) == "significant"``."""
    return next(band for band, _, lowest in reversed(RISK_BANDS) if score >= lowest)


def risk_band_ranges() -> list[tuple[str, str, int, int]]:
    """(band, label, lowest score, highest score) of each severity band of ``RISK_BANDS``, lowest first."""
    highs = [lowest - 1 for _, _, lowest in RISK_BANDS[1:]] + [25]
    return [(band, label, lowest, high) for (band, label, lowest), high in zip(RISK_BANDS, highs, strict=True)]


def _band_expr(score: pl.Expr) -> pl.Expr:
    """The severity band of a score column, as :func:`risk_band`."""
    expr = pl.lit(RISK_BANDS[0][0])
    for band, _, lowest in RISK_BANDS[1:]:
        expr = pl.when(score >= lowest).then(pl.lit(band)).otherwise(expr)
    return expr


def risk_movement(risks: pl.DataFrame, year: int) -> pl.DataFrame:
    """How each risk assessed in ``year`` moved since its previous assessment (risks are kept per code and year).

    One row per risk of ``year``: code, previous_year and previous_score (its residual score in the latest
    earlier year it was assessed, null if none) and movement: "up" (the residual score rose: worse), "down"
    (it fell), "same", or "new" (no earlier assessment). Labels for display: ``MOVEMENTS``.
    """
    scored = risks.filter(pl.col("year") <= year).with_columns(
        (pl.col("residual_likelihood") * pl.col("residual_impact")).alias("residual_score"))
    previous = (
        scored.filter(pl.col("year") < year).sort("year")
        .group_by("code").agg(pl.col("year").last().alias("previous_year"),
                              pl.col("residual_score").last().alias("previous_score"))
    )
    return (
        scored.filter(pl.col("year") == year).select("code", "residual_score")
        .join(previous, on="code", how="left")
        .with_columns(
            pl.when(pl.col("previous_score").is_null()).then(pl.lit("new"))
            .when(pl.col("residual_score") > pl.col("previous_score")).then(pl.lit("up"))
            .when(pl.col("residual_score") < pl.col("previous_score")).then(pl.lit("down"))
            .otherwise(pl.lit("same")).alias("movement"))
        .select("code", pl.col("previous_year").cast(pl.Int64), pl.col("previous_score").cast(pl.Int64), "movement")
        .sort("code")
    )


def risk_register(risks: pl.DataFrame, year: int) -> pl.DataFrame:
    """The risks assessed in ``year`` with inherent and residual scores, the residual's severity band
    (``RISK_BANDS``), whether it is high, and its movement since the previous assessment
    (:func:`risk_movement`); highest residual first."""
    return (
        risks.filter(pl.col("year") == year)
        .with_columns(
            (pl.col("inherent_likelihood") * pl.col("inherent_impact")).alias("inherent_score"),
            (pl.col("residual_likelihood") * pl.col("residual_impact")).alias("residual_score"),
        )
        .with_columns((pl.col("residual_score") >= HIGH_RISK_SCORE).alias("high"),
                      _band_expr(pl.col("residual_score")).alias("band"))
        .join(risk_movement(risks, year), on="code", how="left")
        .sort(["residual_score", "inherent_score", "code"], descending=[True, True, False])
    )


def filter_risks(register: pl.DataFrame, *, owner: str | None = None, category: str | None = None) -> pl.DataFrame:
    """The risks of ``register`` owned by ``owner`` and of ``category`` (either None or "": all)."""
    if owner:
        register = register.filter(pl.col("owner") == owner)
    if category:
        register = register.filter(pl.col("category") == category)
    return register


def risk_history(risks: pl.DataFrame, code: str) -> pl.DataFrame:
    """Every assessment of risk ``code``, oldest first: year, inherent and residual scores, the residual's band
    (its label) and mitigation; what one risk's page in the register shows (risks are kept per code and year)."""
    labels = {band: label for band, label, _ in RISK_BANDS}
    return (
        risks.filter(pl.col("code") == code)
        .with_columns((pl.col("inherent_likelihood") * pl.col("inherent_impact")).alias("inherent_score"),
                      (pl.col("residual_likelihood") * pl.col("residual_impact")).alias("residual_score"))
        .select("year", "inherent_score", "residual_score",
                _band_expr(pl.col("residual_score")).replace_strict(labels, return_dtype=pl.String).alias("band"),
                "mitigation")
        .sort("year")
    )


def risk_filter_options(register: pl.DataFrame) -> tuple[list[str], list[str]]:
    """The owners and the categories of a register, each sorted: the choices of its filters."""
    return sorted(register["owner"].unique().to_list()), sorted(register["category"].unique().to_list())


def risk_summary(register: pl.DataFrame) -> dict[str, int]:
    """The headline of a register: risks, how many are high after mitigation, went up, went down, are new."""
    movement = register["movement"]
    return {"risks": register.height, "high": int(register["high"].sum()),
            "up": int((movement == "up").sum()), "down": int((movement == "down").sum()),
            "new": int((movement == "new").sum())}


def top_risks(register: pl.DataFrame, n: int = TOP_RISKS) -> pl.DataFrame:
    """The ``n`` risks with the highest residual score (ties: the higher inherent score, then the code)."""
    return register.sort(["residual_score", "inherent_score", "code"], descending=[True, True, False]).head(n)


def risk_table(register: pl.DataFrame) -> pl.DataFrame:
    """The register as the page's table: band and movement in words with their arrows
    (``"▲ Up from 6 (2024)"``), never colour alone."""
    labels = {band: label for band, label, _ in RISK_BANDS}
    movement = pl.col("movement").replace_strict(MOVEMENTS, return_dtype=pl.String)
    since = pl.format(" from {} ({})", pl.col("previous_score"), pl.col("previous_year"))
    return register.select(
        "code", "title", "category", "owner", "inherent_score", "residual_score",
        pl.col("band").replace_strict(labels, return_dtype=pl.String).alias("band"),
        pl.when(pl.col("movement").is_in(["up", "down", "same"])).then(pl.concat_str(movement, since))
        .otherwise(movement).alias("movement"),
        "mitigation",
    )


def risk_matrix(register: pl.DataFrame) -> pl.DataFrame:
    """Risks by residual likelihood and impact (1-5 each), every cell present: its count, risk codes (joined,
    and as a list), score (likelihood x impact) and severity band (``RISK_BANDS``)."""
    grid = pl.DataFrame({"likelihood": list(range(1, 6))}).join(
        pl.DataFrame({"impact": list(range(1, 6))}), how="cross")
    counts = register.group_by(pl.col("residual_likelihood").alias("likelihood"),
                               pl.col("residual_impact").alias("impact")).agg(
        pl.len().cast(pl.Int64).alias("risks"), pl.col("code").sort().str.join(", ").alias("codes"),
        pl.col("code").sort().alias("code_list"))
    return (grid.join(counts, on=["likelihood", "impact"], how="left")
            .with_columns(pl.col("risks").fill_null(0), pl.col("codes").fill_null(""),
                          pl.col("code_list").fill_null([]),
                          (pl.col("likelihood") * pl.col("impact")).alias("score"))
            .with_columns(_band_expr(pl.col("score")).alias("band"))
            .sort("likelihood", "impact")
            .select("likelihood", "impact", "risks", "codes", "score", "band", "code_list"))


def oversight_summary(recommendations: pl.DataFrame) -> pl.DataFrame:
    """Per year of issue: received, accepted, pending a decision, implemented, open."""
    return oversight_pipeline(recommendations, "year")


def oversight_pipeline(recommendations: pl.DataFrame, by: str) -> pl.DataFrame:
    """Recommendations from received to accepted to implemented, by ``by`` ("year" of issue, or "source": JIU,
    External Auditor, internal audit, IMAC, evaluation): ``received``, ``accepted``, ``pending`` (no decision
    yet), ``implemented``, ``open`` (accepted, not implemented)."""
    frame = recommendations.with_columns(pl.col("issued_on").str.slice(0, 4).cast(pl.Int64).alias("year"))
    return (
        frame.group_by(by).agg(
            pl.len().cast(pl.Int64).alias("received"),
            (pl.col("accepted") == True).sum().cast(pl.Int64).alias("accepted"),  # noqa: E712 (null-aware)
            pl.col("accepted").is_null().sum().cast(pl.Int64).alias("pending"),
            pl.col("implemented_on").is_not_null().sum().cast(pl.Int64).alias("implemented"),
        )
        .with_columns((pl.col("accepted") - pl.col("implemented")).alias("open"))
        .sort(by)
    )


#: How long an accepted recommendation has been open: (label, from years, to years) of its age.
AGE_BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("under 1 year", 0, 1), ("1-2 years", 1, 2), ("2-3 years", 2, 3), ("over 3 years", 3, float("inf")))


def open_by_age(recommendations: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Accepted recommendations still open on ``as_of``, counted by source and age (:data:`AGE_BUCKETS`): a row
    per source, a column per bucket, and ``open`` in all."""
    age = (pl.lit(as_of) - pl.col("issued_on").str.to_date()).dt.total_days() / 365.25
    bucket = pl.lit(None, pl.String)
    for label, low, high in reversed(AGE_BUCKETS):
        bucket = pl.when((age >= low) & (age < high)).then(pl.lit(label)).otherwise(bucket)
    still_open = recommendations.filter((pl.col("accepted") == True) & pl.col("implemented_on").is_null()  # noqa: E712
                                        & (pl.col("issued_on").str.to_date() <= as_of))
    counts = still_open.with_columns(bucket.alias("age")).group_by("source", "age").len()
    labels = [label for label, _, _ in AGE_BUCKETS]
    sources = pl.DataFrame({"source": sorted(recommendations["source"].unique().to_list())})
    wide = sources.join(counts.pivot(on="age", index="source", values="len"), on="source", how="left") if \
        not counts.is_empty() else sources
    wide = wide.with_columns(*(pl.lit(0, pl.UInt32).alias(lab) for lab in labels if lab not in wide.columns))
    return wide.select("source", *(pl.col(lab).fill_null(0).cast(pl.Int64) for lab in labels)).with_columns(
        pl.sum_horizontal(*labels).alias("open"))


def outstanding_recommendations(recommendations: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Accepted recommendations not implemented and issued at least OUTSTANDING_YEARS before ``as_of``."""
    cutoff = as_of.replace(year=as_of.year - OUTSTANDING_YEARS).isoformat()
    return (
        recommendations.filter((pl.col("accepted") == True) & pl.col("implemented_on").is_null()  # noqa: E712
                               & (pl.col("issued_on") <= cutoff))
        .select("ref", "source", "title", "priority", "owner", "issued_on")
        .sort("issued_on", "ref")
    )


def resolution_progress(actions: pl.DataFrame, year: int) -> pl.DataFrame:
    """Per resolution, its actions reported in ``year``: count, implemented, mean progress."""
    return (
        actions.filter(pl.col("year") == year)
        .group_by("resolution_code", "resolution_title", maintain_order=True)
        .agg(pl.len().cast(pl.Int64).alias("actions"),
             (pl.col("status") == IMPLEMENTED).sum().cast(pl.Int64).alias("implemented"),
             pl.col("progress_pct").mean().round(1).alias("mean_progress_pct"))
    )


def resolution_items(actions: pl.DataFrame, year: int) -> pl.DataFrame:
    """Each resolution's action items as the yearly report to the Council gives them: ``resolution_code``,
    ``resolution_title``, ``ref``, ``description``, ``owner`` (the responsible Bureau or department), the
    ``status`` and ``progress_pct`` of ``year``, and ``previous_status`` (of the year before; null if the item
    was not reported then)."""
    keys = ["resolution_code", "ref"]
    now = actions.filter(pl.col("year") == year)
    before = actions.filter(pl.col("year") == year - 1).select(*keys, pl.col("status").alias("previous_status"))
    return (now.join(before, on=keys, how="left")
            .select("resolution_code", "resolution_title", "ref", "description", "owner", "status", "progress_pct",
                    "previous_status")
            .sort(keys))


def open_commitments(commitments: pl.DataFrame) -> pl.DataFrame:
    """Commitments not yet implemented, oldest first: what was promised last time."""
    return commitments.filter(pl.col("status") != DONE_STATUS).sort("year", "due_on")


#: A commitment's status that ends it: never overdue.
DONE_STATUS = IMPLEMENTED


def _days(n: pl.Expr) -> pl.Expr:
    """A number of days in words: "1 day", "247 days"."""
    return pl.when(n == 1).then(pl.lit("1 day")).otherwise(pl.format("{} days", n))


def commitment_standing(commitments: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Each commitment (``due_on`` as ``YYYY-MM-DD`` text or null) with where it stands on ``as_of``, the date
    the reader looks (passed in: a test sets it, the page gives today): ``overdue`` (due before ``as_of`` and
    not implemented), ``days_overdue`` (0 when not overdue) and ``standing`` in words ("Overdue by 247 days",
    "Due in 30 days", "Implemented", "No due date")."""
    due = pl.col("due_on").cast(pl.String).str.to_date(strict=False)
    done = pl.col("status") == DONE_STATUS
    days = (pl.lit(as_of) - due).dt.total_days()
    overdue = (~done & due.is_not_null() & (days > 0)).fill_null(False)
    return commitments.with_columns(
        overdue.alias("overdue"),
        pl.when(overdue).then(days).otherwise(0).cast(pl.Int64).alias("days_overdue"),
        pl.when(done).then(pl.lit("Implemented"))
        .when(due.is_null()).then(pl.lit("No due date"))
        .when(overdue).then(pl.format("Overdue by {}", _days(days)))
        .when(days == 0).then(pl.lit("Due today"))
        .otherwise(pl.format("Due in {}", _days(-days)))
        .alias("standing"),
    )


def last_retreat(commitments: pl.DataFrame) -> tuple[int, str] | None:
    """The year and forum of the latest meeting that made commitments ("what we committed to last time")."""
    if commitments.is_empty():
        return None
    latest = commitments.sort("year", "forum").row(-1, named=True)
    return latest["year"], latest["forum"]


# ---------------------------------------------------------------- links between records and the results framework


def linked_refs(links: pl.DataFrame, kind: str, node_ids: list[int], indicator_ids: list[int]) -> list[str]:
    """The references of the records of ``kind`` (``kpi.dimensions.RECORD_KINDS``) linked to one of the nodes
    ``node_ids`` or indicators ``indicator_ids``, each once, sorted. A link naming a record that no longer exists
    gives a reference that matches nothing: the caller joins it to its records and it drops out."""
    linked = links.filter((pl.col("record_kind") == kind)
                          & (pl.col("node_id").is_in(node_ids) | pl.col("indicator_id").is_in(indicator_ids)))
    return sorted(linked["record_ref"].unique().to_list())


def _indicator_words(row: dict, status_label: Callable[[str | None], str]) -> str:
    """One linked indicator as a cell says it: ``"✖ Off track · E1.RECRUIT 141 days (2025)"``."""
    return f"{status_label(row['status'])} · {row['code']} {latest_text(row)}"


def linked_indicators(links: pl.DataFrame, kind: str, statuses: pl.DataFrame,
                      status_label: Callable[[str | None], str]) -> pl.DataFrame:
    """Per record of ``kind`` (``record_ref``), the indicators linked to it with their status and latest value
    in words, joined by "; " (``linked_indicators``). ``statuses`` are :func:`kpi.scorecard.indicator_status`
    rows; a link to an indicator not among them (removed, or of another plan cycle) is left out."""
    rows = (links.filter((pl.col("record_kind") == kind) & pl.col("indicator_id").is_not_null())
            .join(statuses, on="indicator_id", how="inner").sort("record_ref", "code"))
    words = [(row["record_ref"], _indicator_words(row, status_label)) for row in rows.iter_rows(named=True)]
    frame = pl.DataFrame(words, schema={"record_ref": pl.String, "linked_indicators": pl.String}, orient="row")
    return frame.group_by("record_ref", maintain_order=True).agg(pl.col("linked_indicators").str.join("; "))


# ---------------------------------------------------------------- oversight recommendations, one by one


def recommendation_states(recommendations: pl.DataFrame) -> pl.DataFrame:
    """Each recommendation with where it stands in words (``state``): "Implemented on 2024-03-01", "Accepted,
    open", "Awaiting a decision", "Not accepted"; still open ones first, then by date of issue."""
    done = pl.format(f"{dims.RECOMMENDATION_IMPLEMENTED} on {{}}", "implemented_on")
    state = (pl.when(pl.col("implemented_on").is_not_null()).then(done)
             .when(pl.col("accepted").is_null()).then(pl.lit(dims.AWAITING_DECISION))
             .when(pl.col("accepted")).then(pl.lit(dims.ACCEPTED_OPEN))
             .otherwise(pl.lit(dims.NOT_ACCEPTED)))
    return (recommendations.with_columns(state.alias("state"))
            .sort(pl.col("implemented_on").is_not_null(), pl.col("issued_on"), "ref")
            .select("ref", "source", "title", "priority", "owner", "issued_on", "state"))


# ---------------------------------------------------------------- the retreat: commitments and their follow-ups


def follow_up_notes(follow_ups: pl.DataFrame, ref: str) -> pl.DataFrame:
    """The follow-up notes of the commitment ``ref``, latest first: ``noted_on``, ``status``, ``note``."""
    return (follow_ups.filter(pl.col("commitment_ref") == ref).sort("noted_on", descending=True)
            .select("noted_on", "status", "note"))


#: What a commitment's table cells say without a linked indicator, or without a follow-up note.
NO_INDICATOR, NO_NOTE = "No indicator linked", "No follow-up yet"


def commitment_table(standing: pl.DataFrame, follow_ups: pl.DataFrame, links: pl.DataFrame,
                     statuses: pl.DataFrame, status_label: Callable[[str | None], str]) -> pl.DataFrame:
    """The commitments of ``standing`` (:func:`commitment_standing`) with their linked indicators' status
    (``linked_indicators``, :func:`linked_indicators`; ``NO_INDICATOR`` if none) and their latest follow-up note
    (``latest_note``: ``"2025-10-15: ..."``; ``NO_NOTE`` if none). Follow-ups and links that name no commitment of
    ``standing`` are ignored."""
    latest = (follow_ups.sort("noted_on").group_by("commitment_ref").agg(
        pl.format("{}: {}", pl.col("noted_on"), pl.col("note")).last().alias("latest_note"))
        .rename({"commitment_ref": "ref"}))
    indicators = linked_indicators(links, "commitment", statuses, status_label).rename({"record_ref": "ref"})
    return (standing.join(indicators, on="ref", how="left", maintain_order="left")
            .join(latest, on="ref", how="left", maintain_order="left")
            .with_columns(pl.col("linked_indicators").fill_null(NO_INDICATOR), pl.col("latest_note").fill_null(NO_NOTE)))


# ---------------------------------------------------------------- the Accountability Framework


def accountability_grid(components: pl.DataFrame, assessments: pl.DataFrame) -> pl.DataFrame:
    """The framework's components in their order with their status in each assessed year: ``pillar_number``
    (1, 2, 3 in the order of the pillars), ``pillar``, ``code``, ``component``, ``source`` and a column per year
    (``"2022"``...) holding a status of ``ACCOUNTABILITY_STATUSES`` or ``NOT_ASSESSED``. An assessment of a
    component that is not in ``components`` is ignored."""
    pillars = list(dict.fromkeys(components.sort("position", "code")["pillar"].to_list()))
    years = sorted(assessments.filter(pl.col("component_code").is_in(components["code"].to_list()))["year"]
                   .unique().to_list())
    grid = components.sort("position", "code").select(
        pl.col("pillar").replace_strict({p: i for i, p in enumerate(pillars, start=1)}, return_dtype=pl.Int64)
        .alias("pillar_number"), "pillar", "code", pl.col("name").alias("component"), "source")
    for year in years:
        statuses = assessments.filter(pl.col("year") == year).select(
            pl.col("component_code").alias("code"), pl.col("status").alias(str(year)))
        grid = grid.join(statuses, on="code", how="left", maintain_order="left")
    return grid.with_columns(pl.col(str(y)).fill_null(NOT_ASSESSED) for y in years)


def accountability_counts(grid: pl.DataFrame, year: int) -> dict[str, int]:
    """How many components have each status (and ``NOT_ASSESSED``) in ``year`` (0 if the year has no column)."""
    column = grid[str(year)] if str(year) in grid.columns else pl.Series([NOT_ASSESSED] * grid.height)
    return {s: int((column == s).sum()) for s in (*ACCOUNTABILITY_STATUSES, NOT_ASSESSED)}
