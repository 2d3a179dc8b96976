"""Charts of the management page: risk matrix, budget against results, oversight by year."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from kpi.charts.status import short_label
from kpi.charts.theme import SERIES_COLOURS, base_layout
from kpi.text import plotly_text

RISK_SCALE = [[0, "#FFFFFF"], [0.01, "#FCE3C8"], [0.5, "#E69F00"], [1, "#B33A00"]]


def risk_heatmap(matrix: pl.DataFrame, *, projector: bool = False) -> go.Figure:
    """Residual likelihood x impact, each cell labelled with its count and risk codes."""
    z = [[0] * 5 for _ in range(5)]
    text = [[""] * 5 for _ in range(5)]
    for r in matrix.iter_rows(named=True):
        z[r["likelihood"] - 1][r["impact"] - 1] = r["risks"]
        text[r["likelihood"] - 1][r["impact"] - 1] = f"{r['risks']}<br>{plotly_text(r['codes'])}" if r["risks"] else ""
    fig = go.Figure(layout=base_layout(projector=projector, height=520 if projector else 420))
    fig.add_trace(go.Heatmap(z=z, x=[1, 2, 3, 4, 5], y=[1, 2, 3, 4, 5], text=text, texttemplate="%{text}",
                             colorscale=RISK_SCALE, showscale=False, xgap=3, ygap=3,
                             hovertemplate="Likelihood %{y}, impact %{x}: %{z} risks<extra></extra>"))
    fig.update_layout(xaxis={"title": "Impact (1 minor – 5 severe)", "dtick": 1},
                      yaxis={"title": "Likelihood (1 rare – 5 almost certain)", "dtick": 1})
    return fig


def budget_bars(frame: pl.DataFrame, *, projector: bool = False) -> go.Figure:
    """Planned against actual CHF million for each output, horizontal bars."""
    labels = [plotly_text(short_label(code, name.replace("Illustrative output: ", ""), 44))
              for code, name in frame.select("node_code", "node_name").iter_rows()]
    fig = go.Figure(layout=base_layout(projector=projector, height=140 + 48 * frame.height))
    fig.add_trace(go.Bar(y=labels, x=(frame["planned_chf"] / 1e6).to_list(), orientation="h", name="Planned",
                         marker_color="#A9C7E8", hovertemplate="%{y}: planned CHF %{x:,.1f} million<extra></extra>"))
    fig.add_trace(go.Bar(y=labels, x=(frame["actual_chf"] / 1e6).to_list(), orientation="h", name="Actual",
                         marker_color=SERIES_COLOURS[0], hovertemplate="%{y}: spent CHF %{x:,.1f} million<extra></extra>"))
    fig.update_layout(barmode="group", xaxis_title="CHF million", yaxis={"autorange": "reversed", "automargin": True})
    return fig


def oversight_bars(summary: pl.DataFrame, *, projector: bool = False) -> go.Figure:
    """Recommendations received by year, split into implemented, open and pending a decision."""
    fig = go.Figure(layout=base_layout(projector=projector, height=420))
    years = summary["year"].to_list()
    rejected = (summary["received"] - summary["accepted"] - summary["pending"]).to_list()
    for name, values, colour in [("Implemented", summary["implemented"].to_list(), "#0B6E4F"),
                                 ("Accepted, open", summary["open"].to_list(), "#E69F00"),
                                 ("Pending decision", summary["pending"].to_list(), "#8A939E"),
                                 ("Not accepted", rejected, "#C0392B")]:
        fig.add_trace(go.Bar(x=years, y=values, name=name, marker_color=colour,
                             hovertemplate=f"%{{x}}: %{{y}} {name.lower()}<extra></extra>"))
    fig.update_layout(barmode="stack", yaxis_title="Recommendations", xaxis={"dtick": 1},
                      legend={"traceorder": "normal"})
    return fig
