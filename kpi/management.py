"""Budgets linked to results, risks, oversight recommendations, resolutions and commitments.

Frames in, frames out: the management page shows these, each with what a senior management
retreat asks of it (where money goes against results, which risks stay high after mitigation,
which recommendations are overdue, which commitments are still open).
"""
from __future__ import annotations

import datetime as dt

import polars as pl

from kpi.status import STATUSES

#: A risk whose residual score (likelihood x impact, 1-25) reaches this is "high".
HIGH_RISK_SCORE = 15
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


def risk_register(risks: pl.DataFrame, year: int) -> pl.DataFrame:
    """The risks assessed in ``year`` with inherent and residual scores, highest residual first."""
    return (
        risks.filter(pl.col("year") == year)
        .with_columns(
            (pl.col("inherent_likelihood") * pl.col("inherent_impact")).alias("inherent_score"),
            (pl.col("residual_likelihood") * pl.col("residual_impact")).alias("residual_score"),
        )
        .with_columns((pl.col("residual_score") >= HIGH_RISK_SCORE).alias("high"))
        .sort(["residual_score", "inherent_score", "code"], descending=[True, True, False])
    )


def risk_matrix(register: pl.DataFrame) -> pl.DataFrame:
    """Counts of risks by residual likelihood and impact (1-5 each), every cell present."""
    grid = pl.DataFrame({"likelihood": list(range(1, 6))}).join(
        pl.DataFrame({"impact": list(range(1, 6))}), how="cross")
    counts = register.group_by(pl.col("residual_likelihood").alias("likelihood"),
                               pl.col("residual_impact").alias("impact")).agg(
        pl.len().cast(pl.Int64).alias("risks"), pl.col("code").sort().str.join(", ").alias("codes"))
    return (grid.join(counts, on=["likelihood", "impact"], how="left")
            .with_columns(pl.col("risks").fill_null(0), pl.col("codes").fill_null(""))
            .sort("likelihood", "impact"))


def oversight_summary(recommendations: pl.DataFrame) -> pl.DataFrame:
    """Per year of issue: received, accepted, pending a decision, implemented, open."""
    frame = recommendations.with_columns(pl.col("issued_on").str.slice(0, 4).cast(pl.Int64).alias("year"))
    return (
        frame.group_by("year").agg(
            pl.len().cast(pl.Int64).alias("received"),
            (pl.col("accepted") == True).sum().cast(pl.Int64).alias("accepted"),  # noqa: E712 (null-aware)
            pl.col("accepted").is_null().sum().cast(pl.Int64).alias("pending"),
            pl.col("implemented_on").is_not_null().sum().cast(pl.Int64).alias("implemented"),
        )
        .with_columns((pl.col("accepted") - pl.col("implemented")).alias("open"))
        .sort("year")
    )


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
             (pl.col("status") == "implemented").sum().cast(pl.Int64).alias("implemented"),
             pl.col("progress_pct").mean().round(1).alias("mean_progress_pct"))
    )


def open_commitments(commitments: pl.DataFrame) -> pl.DataFrame:
    """Commitments not yet implemented, oldest first: what was promised last time."""
    return commitments.filter(pl.col("status") != "implemented").sort("year", "due_on")
