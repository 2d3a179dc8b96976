"""The scorecard: every indicator of a plan cycle with its status, rolled up by goal.

Frames in, frames out (no Streamlit): the overview and scorecard pages and the Council
slides all read these.
"""
from __future__ import annotations

import polars as pl

from kpi.python_columns import python_column
from kpi.status import STATUSES, assess_frame
from kpi.store.frames import ResultsData

#: Node kinds that head a branch of the scorecard.
TOP_KINDS = ("goal", "enabler")


def node_roots(nodes: pl.DataFrame) -> pl.DataFrame:
    """Each node with the goal (or enabler) at the top of its branch: ``root_id``, ``root_code``, ``root_name``."""
    parent = dict(zip(nodes["node_id"].to_list(), nodes["parent_id"].to_list(), strict=True))

    def root(node_id: int) -> int:
        seen = set()
        while parent.get(node_id) is not None and node_id not in seen:
            seen.add(node_id)
            node_id = parent[node_id]
        return node_id

    roots = nodes.select("node_id").with_columns(python_column(nodes, "node_id", root, "root_id", pl.Int64))
    order = dict(zip(nodes["node_id"].to_list(), nodes["sort_order"].to_list(), strict=True))

    def path_key(node_id: int) -> str:
        # The sort orders from the root down: children come right after their parent.
        path, seen = [], set()
        while node_id is not None and node_id not in seen:
            seen.add(node_id)
            path.append(f"{order.get(node_id, 0):05d}")
            node_id = parent.get(node_id)
        return ".".join(reversed(path))

    roots = roots.with_columns(python_column(roots, "node_id", path_key, "tree_order", pl.String))
    names = nodes.select(pl.col("node_id").alias("root_id"), pl.col("node_code").alias("root_code"),
                         pl.col("node_name").alias("root_name"), pl.col("kind").alias("root_kind"),
                         pl.col("sort_order").alias("root_order"))
    return roots.join(names, on="root_id", how="left")


def headline_observations(observations: pl.DataFrame, *, validated_only: bool = False) -> pl.DataFrame:
    """The headline series (no disaggregation), optionally validated values only."""
    frame = observations.filter(pl.col("disaggregation") == "")
    if validated_only:
        frame = frame.filter(pl.col("approval") == "validated")
    return frame


def with_baselines(indicators: pl.DataFrame, headline: pl.DataFrame) -> pl.DataFrame:
    """Each indicator's baseline value resolved: the value as stored, else the headline observation of its
    baseline year (null without either). The one home of that rule: :func:`resolved_baseline` is this on one row."""
    base = headline.select("indicator_id", pl.col("year").alias("baseline_year"),
                           pl.col("value").alias("_observed_baseline"))
    return (
        indicators.join(base, on=["indicator_id", "baseline_year"], how="left")
        .with_columns(pl.coalesce("baseline_value", "_observed_baseline").alias("baseline_value"))
        .drop("_observed_baseline")
    )


def resolved_baseline(sheet: dict, headline: pl.DataFrame) -> tuple[int, float] | None:
    """One indicator's baseline as ``(year, value)``, as every view shows it: the value as stored, else the
    headline observation of the baseline year; None without a baseline year or without a value for it.

    ``sheet`` is the indicator's row (``baseline_year``, ``baseline_value``) and ``headline`` its own headline
    series (``year``, ``value``). The rule is :func:`with_baselines` applied to that one row, so a scorecard's
    status, the explorer's figure and a Council slide can never resolve a baseline differently.
    """
    if sheet["baseline_year"] is None:
        return None
    row = pl.DataFrame({"indicator_id": [0], "baseline_year": [sheet["baseline_year"]],
                        "baseline_value": [sheet["baseline_value"]]},
                       schema={"indicator_id": pl.Int64, "baseline_year": pl.Int64, "baseline_value": pl.Float64})
    series = headline.select(pl.lit(0, pl.Int64).alias("indicator_id"), pl.col("year").cast(pl.Int64),
                             pl.col("value").cast(pl.Float64))
    value = with_baselines(row, series)["baseline_value"].first()
    return None if value is None else (sheet["baseline_year"], value)


def cycle_indicators(data: ResultsData, cycle: str) -> pl.DataFrame:
    """The indicators of one plan cycle with their node and the goal/enabler their node sits under."""
    nodes = data.nodes.filter(pl.col("cycle_code") == cycle)
    roots = node_roots(nodes)
    return (
        data.indicators.join(nodes.select("node_id", "node_code", "node_name", "kind"), on="node_id", how="inner")
        .join(roots, on="node_id", how="left")
        .sort("root_order", "tree_order", "sort_order")
    )


def indicator_status(data: ResultsData, cycle: str, as_of_year: int, *, validated_only: bool = False) -> pl.DataFrame:
    """Every indicator of ``cycle`` with its status as of ``as_of_year``, in scorecard order."""
    indicators = cycle_indicators(data, cycle)
    headline = headline_observations(data.observations, validated_only=validated_only)
    indicators = with_baselines(indicators, headline)
    assessed = assess_frame(
        indicators.select("indicator_id", "direction", "baseline_year", "baseline_value", "lower_limit",
                          "upper_limit", "unit"),
        headline.select("indicator_id", "year", "value"),
        data.targets.select("indicator_id", "year", "value"),
        as_of_year=as_of_year,
    )
    # The flag of the latest value ("estimate": an aggregate resting on much imputed data), said beside it.
    latest_flags = headline.select("indicator_id", pl.col("year").alias("latest_year"),
                                   pl.col("flag").fill_null("").alias("latest_flag"))
    return (indicators.join(assessed, on="indicator_id", how="left", maintain_order="left")
            .join(latest_flags, on=["indicator_id", "latest_year"], how="left", maintain_order="left"))


def status_counts(statuses: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Counts of indicators per status for each group in ``by``: one column per status, plus ``total``."""
    counts = statuses.group_by(by, maintain_order=True).agg(
        *[(pl.col("status") == s).sum().cast(pl.Int64).alias(s) for s in STATUSES],
        pl.len().cast(pl.Int64).alias("total"),
    )
    return counts


def latest_text(row: dict) -> str:
    """An indicator's latest value as every table shows it: "68.7 % (2023, estimate)"; "–" without one."""
    from kpi.formatting import format_value

    if row["latest_value"] is None:
        return "–"
    flag = f", {row['latest_flag']}" if row.get("latest_flag") else ""
    return f"{format_value(row['latest_value'], row['unit'])} ({row['latest_year']}{flag})"


def target_text(row: dict) -> str:
    """An indicator's target as every table shows it: "75.0 % by 2025"; "–" without one."""
    from kpi.formatting import format_value

    if row["target_value"] is None:
        return "–"
    return f"{format_value(row['target_value'], row['unit'])} by {row['target_year']}"


def gap_still_open() -> pl.Expr:
    """How far an indicator is from its target: the share (%) of the baseline-to-target gap still open.

    0 % once the target is reached (or passed), 100 % with no progress since the baseline, more when the value
    moved away from it. Signed by the indicator's direction, so it works for a target of 0 and for "lower is
    better". None without a target, a latest value or a baseline, or when the baseline already met the target
    (there was no gap to close). 140.6 days against 140 from a baseline of 152.5 is 4.8 % open; 43.2 % against
    46 % from 41.1 % is 57.4 %: a near miss is told from a wide one, though both are off track.
    """
    sign = pl.when(pl.col("direction") == "lower").then(pl.lit(-1.0)).otherwise(pl.lit(1.0))
    remaining = sign * (pl.col("target_value") - pl.col("latest_value"))
    span = sign * (pl.col("target_value") - pl.col("baseline_value"))
    return (
        pl.when(remaining <= 0).then(pl.lit(0.0))
        .when(span > 0).then(100 * remaining / span)
        .otherwise(None)
        .alias("Gap still open")
    )


def scorecard_rows(statuses: pl.DataFrame, observations: pl.DataFrame, years: tuple[int, int],
                   status_label, *, validated_only: bool = False) -> pl.DataFrame:
    """The scorecard's display rows: status word, indicator, latest, target, trend values, reason.

    Keeps ``root_code``, ``node_code``, ``node_name``, ``kind``, ``code`` and ``status`` for grouping, links and
    colours; ``Gap still open`` is :func:`gap_still_open`.
    ``status_label`` turns a status into its icon and word (the UI's one definition). The trend
    holds validated values only when ``validated_only`` (as the statuses must have been computed).
    """
    trends = (
        headline_observations(observations, validated_only=validated_only).filter(pl.col("year").is_between(*years))
        .sort("year").group_by("indicator_id").agg(pl.col("value").drop_nulls().alias("Trend"))
    )
    rows = statuses.join(trends, on="indicator_id", how="left", maintain_order="left")
    return rows.select(
        "root_code", "node_code", "node_name", "kind", "code",
        python_column(rows, "status", status_label, "Status", pl.String),
        (pl.col("code") + " · " + pl.col("name")).alias("Indicator"),
        python_column(rows, ["latest_value", "latest_year", "latest_flag", "unit"], latest_text, "Latest", pl.String),
        python_column(rows, ["target_value", "target_year", "unit"], target_text, "Target", pl.String),
        gap_still_open(),
        "Trend",
        pl.col("explanation").alias("Why this status"),
        "status",
    )
