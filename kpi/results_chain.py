"""One framework node (goal, outcome, output, enabler) with what bears on it: where the strategic, financial and
operational plans meet.

A node's figures are those of its whole subtree: a goal's indicators are its own and those of its outcomes
and outputs; its budget is the sum of its outputs' budget lines (budget is planned at outputs); its risks are
those linked to any node under it.
"""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from kpi.management import risk_register, risk_table


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


def node_view(nodes: pl.DataFrame, statuses: pl.DataFrame, budget: pl.DataFrame, risks: pl.DataFrame,
              node_code: str, year: int) -> NodeView:
    """Node ``node_code`` of one plan cycle (``nodes`` of that cycle) as of ``year``: its indicators' statuses
    (``statuses`` from :func:`kpi.scorecard.indicator_status`), its budget over the years and per output in
    ``year``, its risks assessed in ``year`` with their movement since the last review."""
    node = nodes.filter(pl.col("node_code") == node_code).row(0, named=True)
    ids = subtree(nodes, node["node_id"])
    parent = nodes.filter(pl.col("node_id") == node["parent_id"]).to_dicts() if node["parent_id"] is not None else []
    children = nodes.filter(pl.col("parent_id") == node["node_id"]).select("node_code", "kind", "node_name")
    outputs = nodes.filter(pl.col("node_id").is_in(ids)).select("node_id", "node_code", "node_name")
    per_output = (budget.filter((pl.col("year") == year) & pl.col("node_id").is_in(ids))
                  .group_by("node_id").agg(pl.col("planned_chf").sum(), _spent())
                  .join(outputs, on="node_id", how="inner")
                  .select("node_code", "node_name", "planned_chf", "actual_chf").sort("node_code"))
    register = risk_register(risks.filter(pl.col("node_id").is_in(ids)), year)
    return NodeView(
        node=node, parent=parent[0] if parent else None, children=children,
        indicators=statuses.filter(pl.col("node_id").is_in(ids)),
        budget=budget_by_year(budget, ids), budget_by_output=per_output, risks=risk_table(register),
    )
