"""Charts of the membership page: members over the years by category."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from kpi import dimensions as dims
from kpi.charts.theme import SERIES_COLOURS, base_layout
from kpi.membership import CATEGORIES
from kpi.text import plotly_text


def category_colour(category: str) -> str:
    """The colour of a category of membership: a series colour in the order of :data:`kpi.membership.CATEGORIES`."""
    return SERIES_COLOURS[category_rank(category) % len(SERIES_COLOURS)]


def category_rank(category: str) -> int:
    """A category's place in :data:`kpi.membership.CATEGORIES` (any other category after them)."""
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


def members_over_time(counts: pl.DataFrame, *, projector: bool = False) -> go.Figure:
    """A line per category of the members of each year (``counts``: year, category, count, as
    :func:`kpi.membership.by_category` gives them), each point marked and its count in the hover."""
    fig = go.Figure(layout=base_layout(projector=projector, height=520 if projector else 400))
    for category in sorted(counts["category"].unique().to_list(), key=lambda c: (category_rank(c), c)):
        rows = counts.filter(pl.col("category") == category).sort("year")
        name = plotly_text(category)
        fig.add_trace(go.Scatter(x=rows["year"].to_list(), y=rows["count"].to_list(), name=name,
                                 mode="lines+markers", line={"color": category_colour(category), "width": 3},
                                 hovertemplate=f"{name}, %{{x}}: %{{y:,}}<extra></extra>"))
    fig.update_layout(yaxis={"title": "Members", "rangemode": "tozero"}, xaxis={"title": "Year", "dtick": 1},
                      hovermode="x unified")
    return fig


def members_by_sector(table: pl.DataFrame, *, projector: bool = False) -> go.Figure:
    """A bar per Sector (the Member States under the whole Union) and category, of one year (``table``: sector,
    name and a column per category, as :func:`kpi.membership.by_sector_and_category` gives it)."""
    fig = go.Figure(layout=base_layout(projector=projector, height=460 if projector else 360))
    sectors = [plotly_text(s) for s in table["sector"].to_list()]
    for category in table.columns[2:]:
        name = plotly_text(category)
        fig.add_trace(go.Bar(x=sectors, y=table[category].to_list(), name=name,
                             marker_color=category_colour(category),
                             hovertemplate=f"%{{x}}: %{{y:,}} {name}<extra></extra>"))
    fig.update_layout(barmode="group", yaxis_title="Members", xaxis_title=dims.DIMENSION_LABELS["sector"])
    return fig
