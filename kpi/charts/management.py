"""Charts of the management page: risk matrix, budget against results, oversight by year, the Accountability
Framework's heat table, the operational plans' resources."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from kpi.charts.status import short_label
from kpi import dimensions as dims
from kpi.charts.theme import (ACCOUNTABILITY_STYLES, AXIS_COLOUR, HEADLINE_COLOUR, PLANNED_COLOUR, RECOMMENDATION_COLOURS,
                              RISK_BAND_COLOURS, RISK_BAND_TEXT_COLOURS, SERIES_COLOURS, base_layout, cell_font_size)
from kpi.management import RISK_BANDS, risk_band_ranges
from kpi.text import plotly_text

#: A heat map cell shows at most this many risk codes, two a line (more: the first ones and "+n more"; all of
#: them in the hover and the chart's table), so that its text fits the cell on a screen and on a projector.
CELL_CODES, CODES_PER_LINE = 4, 2


def risk_colourscale() -> list[list]:
    """A stepped colour scale over the scores 1-25 (with ``zmin=0.5, zmax=25.5``): each score takes the flat
    colour of its severity band (``RISK_BAND_COLOURS``), never a blend of two."""
    scale: list[list] = []
    for band, _, lowest, high in risk_band_ranges():
        scale += [[(lowest - 1) / 25, RISK_BAND_COLOURS[band]], [high / 25, RISK_BAND_COLOURS[band]]]
    return scale


def _cell_label(count: int, codes: list[str]) -> str:
    """What a cell shows: its count ("3 risks"), then its risk codes two a line (escaped)."""
    shown = [plotly_text(c) for c in codes]
    if len(codes) > CELL_CODES:
        shown = [*shown[:CELL_CODES - 1], f"+{len(codes) - CELL_CODES + 1} more"]
    lines = [", ".join(shown[i:i + CODES_PER_LINE]) for i in range(0, len(shown), CODES_PER_LINE)]
    return "<br>".join([f"{count} risk{'s' if count > 1 else ''}", *lines])


def risk_heatmap(matrix: pl.DataFrame, *, projector: bool = False) -> go.Figure:
    """Residual likelihood x impact: every cell filled with the colour of its score's severity band (likelihood x
    impact, ``kpi.management.RISK_BANDS``), whatever it holds, and labelled with its count and risk codes; a
    legend names the bands and each cell's hover and table row say its score and band (never colour alone)."""
    labels = {band: label for band, label, _ in RISK_BANDS}
    z = [[0] * 5 for _ in range(5)]
    text = [[""] * 5 for _ in range(5)]
    xs, ys, words, colours = [], [], [], []
    for r in matrix.iter_rows(named=True):
        row, col = r["likelihood"] - 1, r["impact"] - 1
        z[row][col] = r["score"]
        held = (f"{r['risks']} risk{'s' if r['risks'] > 1 else ''} ({plotly_text(r['codes'])})" if r["risks"]
                else "no risk")
        text[row][col] = f"score {r['score']}, {labels[r['band']].lower()}: {held}"
        if r["risks"]:
            xs.append(r["impact"])
            ys.append(r["likelihood"])
            words.append(_cell_label(r["risks"], r["code_list"]))
            colours.append(RISK_BAND_TEXT_COLOURS[r["band"]])
    fig = go.Figure(layout=base_layout(projector=projector, height=640 if projector else 500))
    fig.add_trace(go.Heatmap(z=z, x=[1, 2, 3, 4, 5], y=[1, 2, 3, 4, 5], text=text, zmin=0.5, zmax=25.5,
                             colorscale=risk_colourscale(), showscale=False, xgap=3, ygap=3,
                             hovertemplate="Likelihood %{y}, impact %{x}: %{text}<extra></extra>"))
    fig.add_trace(go.Scatter(x=xs, y=ys, text=words, mode="text", hoverinfo="skip", showlegend=False,
                             textfont={"size": cell_font_size(projector), "color": colours}))
    for band, label, lowest, high in risk_band_ranges():  # the legend: each band's word and scores beside its colour
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"{label} ({lowest}–{high})",
                                 marker={"symbol": "square", "size": 16 if projector else 12,
                                         "color": RISK_BAND_COLOURS[band], "line": {"color": AXIS_COLOUR, "width": 1}}))
    axis = {"dtick": 1, "range": [0.5, 5.5], "showgrid": False, "zeroline": False, "fixedrange": True}
    fig.update_layout(xaxis={"title": "Impact (1 minor – 5 severe)", **axis},
                      yaxis={"title": "Likelihood (1 rare – 5 almost certain)", **axis},
                      legend={"entrywidth": 1 / 3, "entrywidthmode": "fraction"})
    return fig


def budget_bars(frame: pl.DataFrame, *, projector: bool = False) -> go.Figure:
    """Planned against actual CHF million for each output, horizontal bars."""
    labels = [plotly_text(short_label(code, name.replace("Illustrative output: ", ""), 44))
              for code, name in frame.select("node_code", "node_name").iter_rows()]
    fig = go.Figure(layout=base_layout(projector=projector, height=140 + 48 * frame.height))
    fig.add_trace(go.Bar(y=labels, x=(frame["planned_chf"] / 1e6).to_list(), orientation="h", name="Planned",
                         marker_color=PLANNED_COLOUR, hovertemplate="%{y}: planned CHF %{x:,.1f} million<extra></extra>"))
    fig.add_trace(go.Bar(y=labels, x=(frame["actual_chf"] / 1e6).to_list(), orientation="h", name="Actual",
                         marker_color=SERIES_COLOURS[0], hovertemplate="%{y}: spent CHF %{x:,.1f} million<extra></extra>"))
    fig.update_layout(barmode="group", xaxis_title="CHF million", yaxis={"autorange": "reversed", "automargin": True})
    return fig


def budget_years(frame: pl.DataFrame, *, projector: bool = False) -> go.Figure:
    """Planned against actual CHF million by year (``year``, ``planned_chf``, ``actual_chf``), grouped bars."""
    fig = go.Figure(layout=base_layout(projector=projector, height=360))
    years = frame["year"].to_list()
    fig.add_trace(go.Bar(x=years, y=(frame["planned_chf"] / 1e6).to_list(), name="Planned",
                         marker_color=PLANNED_COLOUR, hovertemplate="%{x}: planned CHF %{y:,.1f} million<extra></extra>"))
    fig.add_trace(go.Bar(x=years, y=(frame["actual_chf"] / 1e6).to_list(), name="Actual",
                         marker_color=SERIES_COLOURS[0], hovertemplate="%{x}: spent CHF %{y:,.1f} million<extra></extra>"))
    fig.update_layout(barmode="group", yaxis_title="CHF million", xaxis={"dtick": 1})
    return fig


def oversight_bars(summary: pl.DataFrame, *, projector: bool = False) -> go.Figure:
    """Recommendations received by year, split into implemented, open and pending a decision."""
    fig = go.Figure(layout=base_layout(projector=projector, height=420))
    years = summary["year"].to_list()
    rejected = (summary["received"] - summary["accepted"] - summary["pending"]).to_list()
    for name, values, colour in [
        (dims.RECOMMENDATION_IMPLEMENTED, summary["implemented"].to_list(), RECOMMENDATION_COLOURS["implemented"]),
        (dims.ACCEPTED_OPEN, summary["open"].to_list(), RECOMMENDATION_COLOURS["open"]),
        (dims.AWAITING_DECISION, summary["pending"].to_list(), RECOMMENDATION_COLOURS["pending"]),
        (dims.NOT_ACCEPTED, rejected, RECOMMENDATION_COLOURS["rejected"]),
    ]:
        fig.add_trace(go.Bar(x=years, y=values, name=name, marker_color=colour,
                             hovertemplate=f"%{{x}}: %{{y}} {name.lower()}<extra></extra>"))
    fig.update_layout(barmode="stack", yaxis_title="Recommendations", xaxis={"dtick": 1},
                      legend={"traceorder": "normal"})
    return fig


def accountability_heatmap(grid: pl.DataFrame, *, projector: bool = False) -> go.Figure:
    """The Accountability Framework as a heat table (``kpi.management.accountability_grid``): a row per component,
    pillar by pillar from the top ("2 · Control environment"), a column per year, each cell filled with its status's
    colour and labelled with its icon and word (``ACCOUNTABILITY_STYLES``: never colour alone)."""
    years = [c for c in grid.columns if c.isdigit()]
    order = list(ACCOUNTABILITY_STYLES)  # best first; z counts from the worst up so the scale reads low to high
    rank = {status: len(order) - 1 - i for i, status in enumerate(order)}
    rows = [plotly_text(f"{n} · {c}") for n, c in grid.select("pillar_number", "component").iter_rows()]
    z = [[rank[r[y]] for y in years] for r in grid.iter_rows(named=True)]
    text = [[f"{ACCOUNTABILITY_STYLES[r[y]].icon} {ACCOUNTABILITY_STYLES[r[y]].label}" for y in years]
            for r in grid.iter_rows(named=True)]
    hover = [[plotly_text(r["pillar"])] * len(years) for r in grid.iter_rows(named=True)]
    scale = [[i / (len(order) - 1), ACCOUNTABILITY_STYLES[s].colour] for i, s in enumerate(reversed(order))]
    fig = go.Figure(layout=base_layout(projector=projector, height=(90 if projector else 60) + 44 * len(rows)
                                       * (1.4 if projector else 1)))
    fig.add_trace(go.Heatmap(z=z, x=years, y=rows, text=text, customdata=hover, texttemplate="%{text}",
                             textfont={"size": cell_font_size(projector), "color": HEADLINE_COLOUR},
                             zmin=0, zmax=len(order) - 1, colorscale=scale, showscale=False, xgap=3, ygap=3,
                             hovertemplate="%{y}, %{x}: %{text}<br>Pillar: %{customdata}<extra></extra>"))
    fig.update_layout(xaxis={"side": "top", "type": "category", "showline": False, "ticks": "", "fixedrange": True},
                      yaxis={"autorange": "reversed", "automargin": True, "showgrid": False, "fixedrange": True,
                             "title": "Pillar · component"},
                      margin={"t": 30})
    return fig


def plan_resources_bars(table: pl.DataFrame, year: int, *, projector: bool = False) -> go.Figure:
    """Resources of the operational plan items of ``year`` by unit (``kpi.results_chain.plan_table`` rows),
    CHF million, horizontal bars, largest first."""
    by_unit = (table.filter(pl.col("year") == year).group_by("unit").agg(pl.col("resources_chf").sum())
               .sort("resources_chf", "unit", descending=[True, False]))
    fig = go.Figure(layout=base_layout(projector=projector, height=120 + 34 * by_unit.height))
    fig.add_trace(go.Bar(y=[plotly_text(u) for u in by_unit["unit"]], x=(by_unit["resources_chf"] / 1e6).to_list(),
                         orientation="h", name=f"Resources {year}", marker_color=SERIES_COLOURS[0],
                         hovertemplate="%{y}: CHF %{x:,.1f} million<extra></extra>"))
    fig.update_layout(xaxis_title="CHF million", yaxis={"autorange": "reversed", "automargin": True,
                                                        "title": "Unit"}, showlegend=False)
    return fig
