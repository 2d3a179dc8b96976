"""Status charts: counts of indicators by status for each goal, as stacked bars."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from kpi.charts.theme import STATUS_STYLES, WHITE, base_layout
from kpi.status import STATUSES
from kpi.text import plotly_text


def status_bars(counts: pl.DataFrame, label: str = "label", *, projector: bool = False) -> go.Figure:
    """One horizontal bar per row of ``counts`` (columns ``label`` and one per status), stacked by status.

    Each segment carries its count and the status word, so colour is never the only cue.
    """
    rows = counts.height
    bar_height = 90 if projector else 56
    fig = go.Figure(layout=base_layout(projector=projector, height=120 + rows * bar_height))
    labels = [plotly_text(v) for v in counts[label].to_list()]
    for status in STATUSES:
        values = counts[status].to_list()
        if not any(values):
            continue
        style = STATUS_STYLES[status]
        fig.add_trace(go.Bar(
            y=labels, x=values, orientation="h", name=f"{style.icon} {style.label}",
            marker={"color": style.colour, "line": {"color": WHITE, "width": 2}},
            text=[f"{v} {style.icon}" if v else "" for v in values], textposition="inside",
            insidetextanchor="middle", textfont={"color": WHITE},
            hovertemplate=f"%{{y}}: %{{x}} {style.label.lower()}<extra></extra>",
        ))
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"}, xaxis={"title": "Indicators", "dtick": 1 if counts.height else None},
                      yaxis={"autorange": "reversed", "automargin": True})
    return fig


def short_label(code: str, name: str, width: int = 36) -> str:
    """``"G1 Universal connectivity"``; long names cut at a word with an ellipsis (plain text: escape it
    where it is drawn)."""
    if len(name) <= width:
        return f"{code} {name}"
    cut = name[:width].rsplit(" ", 1)[0]
    return f"{code} {cut}…"
