"""One framework node (goal, outcome, output, enabler) with what bears on it: where the strategic, financial and
operational plans meet.

A node's figures are those of its whole subtree: a goal's indicators are its own and those of its outcomes
and outputs; its budget is the sum of its outputs' budget lines (budget is planned at outputs); its risks,
oversight recommendations, resolution actions and commitments are those linked to any node or indicator under it;
its operational plan items those delivering any output under it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from kpi.dimensions import ACTION_REF_SEPARATOR
from kpi.management import (commitment_standing, commitment_table, linked_refs, recommendation_states,
                            resolution_items, risk_register, risk_table)
from kpi.store.frames import ManagementData


#: What the node page says when nothing that bears on a node is linked to it.
NOTHING_LINKED = ("Nothing is linked to this node yet: no risk, oversight recommendation, resolution action, retreat "
                  "commitment or operational plan item bears on it or on anything under it.")


@dataclass(frozen=True)
class NodeView:
    """Everything the node page shows, as frames computed here (the page only draws them)."""

    node: dict                   # node_id, node_code, kind, node_name, statement, owner, parent_id
    parent: dict | None          # the node above it (None for a goal or the enabler)
    children: pl.DataFrame       # node_code, kind, node_name of the nodes directly under it
    indicators: pl.DataFrame     # the subtree's indicators with their status (rows of indicator_status)
    budget: pl.DataFrame         # year, planned_chf, actual_chf, execution_pct (the subtree's, by year)
    budget_by_output: pl.DataFrame  # node_code, node_name, planned_chf, actual_chf of the year (cost per output)
    risks: pl.DataFrame          # the subtree's risks assessed in the year (kpi.management.risk_table rows)
    recommendations: pl.DataFrame  # linked oversight recommendations (kpi.management.recommendation_states rows)
    actions: pl.DataFrame        # linked resolution actions reported in the year (kpi.management.resolution_items)
    commitments: pl.DataFrame    # linked commitments (kpi.management.commitment_table rows)
    plan_items: pl.DataFrame     # the subtree's operational plan items of the year (plan_table rows)


def node_label(nodes: pl.DataFrame, node_id: int | None) -> tuple[str, str] | None:
    """(code, "Outcome 1.1"-style label) of the framework node ``node_id``; None when it is not among ``nodes``."""
    found = nodes.filter(pl.col("node_id") == node_id) if node_id is not None else nodes.clear()
    if found.is_empty():
        return None
    row = found.row(0, named=True)
    return row["node_code"], f"{row['kind'].capitalize()} {row['node_code']}"


def subtree(nodes: pl.DataFrame, node_id: int) -> list[int]:
    """``node_id`` and every node under it (``nodes`` with ``node_id`` and ``parent_id``)."""
    children: dict[int, list[int]] = {}
    for child, parent in nodes.select("node_id", "parent_id").iter_rows():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found, stack = [], [node_id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def _spent() -> pl.Expr:
    """The sum of ``actual_chf`` in an aggregation, null when nothing is reported spent yet (not 0)."""
    return pl.when(pl.col("actual_chf").count() > 0).then(pl.col("actual_chf").sum()).alias("actual_chf")


def budget_by_year(budget: pl.DataFrame, node_ids: list[int]) -> pl.DataFrame:
    """Planned and actual CHF of the nodes ``node_ids`` by year, and the execution rate (actual as % of planned,
    null while nothing is spent or planned)."""
    lines = budget.filter(pl.col("node_id").is_in(node_ids))
    return (
        lines.group_by("year").agg(pl.col("planned_chf").sum(), _spent())
        .with_columns(pl.when(pl.col("planned_chf") > 0).then(100 * pl.col("actual_chf") / pl.col("planned_chf"))
                      .alias("execution_pct"))
        .sort("year")
    )


def node_view(nodes: pl.DataFrame, statuses: pl.DataFrame, data: ManagementData, node_code: str, year: int, *,
              as_of: dt.date, status_label: Callable[[str | None], str]) -> NodeView:
    """Node ``node_code`` of one plan cycle (``nodes`` of that cycle) as of ``year``: its indicators' statuses
    (``statuses`` from :func:`kpi.scorecard.indicator_status`), its budget over the years and per output in
    ``year``, its risks assessed in ``year`` with their movement since the last review, the oversight
    recommendations, resolution actions and commitments linked to it (commitments overdue as of ``as_of``), and its
    operational plan items of ``year``.

    A record bears on the node when it is linked to a node of its subtree or to an indicator of its subtree; a risk
    also by its own ``node_id``. A link to a record that no longer exists is ignored.
    """
    node = nodes.filter(pl.col("node_code") == node_code).row(0, named=True)
    ids = subtree(nodes, node["node_id"])
    parent = nodes.filter(pl.col("node_id") == node["parent_id"]).to_dicts() if node["parent_id"] is not None else []
    children = nodes.filter(pl.col("parent_id") == node["node_id"]).select("node_code", "kind", "node_name")
    indicators = statuses.filter(pl.col("node_id").is_in(ids))
    indicator_ids = indicators["indicator_id"].to_list()

    def linked(kind: str) -> list[str]:
        return linked_refs(data.links, kind, ids, indicator_ids)

    risks = data.risks.filter(pl.col("node_id").is_in(ids) | pl.col("code").is_in(linked("risk")))
    actions = resolution_items(data.actions, year).filter(
        pl.concat_str("resolution_code", "ref", separator=ACTION_REF_SEPARATOR).is_in(linked("resolution_action")))
    standing = commitment_standing(data.commitments.filter(pl.col("ref").is_in(linked("commitment"))), as_of)
    return NodeView(
        node=node, parent=parent[0] if parent else None, children=children, indicators=indicators,
        budget=budget_by_year(data.budget, ids), budget_by_output=_cost_per_output(nodes, data.budget, ids, year),
        risks=risk_table(risk_register(risks, year)),
        recommendations=recommendation_states(data.recommendations.filter(pl.col("ref").is_in(linked("recommendation")))),
        actions=actions,
        commitments=commitment_table(standing, data.follow_ups, data.links, statuses, status_label),
        plan_items=plan_table(data.plan_items.filter(pl.col("node_id").is_in(ids) & (pl.col("year") == year)),
                              nodes, statuses, status_label),
    )


def _cost_per_output(nodes: pl.DataFrame, budget: pl.DataFrame, ids: list[int], year: int) -> pl.DataFrame:
    """Planned and actual CHF of each node of ``ids`` with a budget line in ``year`` (budget is planned at outputs)."""
    outputs = nodes.filter(pl.col("node_id").is_in(ids)).select("node_id", "node_code", "node_name")
    return (budget.filter((pl.col("year") == year) & pl.col("node_id").is_in(ids))
            .group_by("node_id").agg(pl.col("planned_chf").sum(), _spent())
            .join(outputs, on="node_id", how="inner")
            .select("node_code", "node_name", "planned_chf", "actual_chf").sort("node_code"))


# ---------------------------------------------------------------- operational plans


def goal_of(nodes: pl.DataFrame) -> pl.DataFrame:
    """Each node (``node_id``) with the code of the goal or enabler at the top of its chain (``goal_code``)."""
    parents = dict(nodes.select("node_id", "parent_id").iter_rows())
    codes = dict(nodes.select("node_id", "node_code").iter_rows())

    def top(node_id: int) -> int:
        while parents.get(node_id) is not None:
            node_id = parents[node_id]
        return node_id

    return pl.DataFrame({"node_id": list(codes), "goal_code": [codes[top(n)] for n in codes]},
                        schema={"node_id": pl.Int64, "goal_code": pl.String})


def plan_table(items: pl.DataFrame, nodes: pl.DataFrame, statuses: pl.DataFrame,
               status_label: Callable[[str | None], str]) -> pl.DataFrame:
    """Operational plan items (``operational_plan_item`` rows) with what links them to the Strategic Plan: the
    output they deliver (``node_code``, ``node_name``), its goal or enabler (``goal_code``), the indicator their
    KPI is (``indicator_code``) and its status in words (``indicator_status``; null without an indicator). An item
    whose output is not among ``nodes`` is left out; by unit, then reference and year."""
    words = {status: status_label(status) for status in statuses["status"].unique().to_list()}
    indicators = statuses.select("indicator_id", pl.col("code").alias("indicator_code"),
                                 pl.col("status").replace_strict(words, return_dtype=pl.String).alias("indicator_status"))
    return (items.join(nodes.select("node_id", "node_code", "node_name"), on="node_id", how="inner")
            .join(goal_of(nodes), on="node_id", how="left")
            .join(indicators, on="indicator_id", how="left")
            .sort("unit", "ref", "year")
            .select("ref", "year", "unit", "goal_code", "node_code", "node_name", "expected_result", "kpi",
                    "indicator_code", "indicator_status", "risk_factors", "resources_chf"))


def plan_resources(table: pl.DataFrame) -> pl.DataFrame:
    """The resources of the plan items of :func:`plan_table` by unit (rows) and year (a column each, ``"2024"``...),
    with the number of items of the unit (``items``, counted once per reference) and a last row "Total"."""
    if table.is_empty():
        return pl.DataFrame(schema={"unit": pl.String, "items": pl.Int64})
    years = sorted(table["year"].unique().to_list())
    wide = (table.group_by("unit", "year").agg(pl.col("resources_chf").sum())
            .with_columns(pl.col("year").cast(pl.String))
            .pivot(on="year", index="unit", values="resources_chf", sort_columns=True)
            .join(table.group_by("unit").agg(pl.col("ref").n_unique().cast(pl.Int64).alias("items")), on="unit")
            .sort("unit").select("unit", "items", *map(str, years)))
    total = wide.select(pl.lit("Total").alias("unit"), pl.col("items").sum(), *(pl.col(str(y)).sum() for y in years))
    return pl.concat([wide, total])
