"""Workforce charts: pure functions from protected frames (kpi.workforce) to Plotly figures.

Built with ``plotly.graph_objects`` (``plotly.express`` is many times slower to build). Every
figure takes frames that went through :mod:`kpi.disclosure`: it plots the protected counts and
their ``display`` texts, never raw records. A hidden cell is drawn as hidden, never as zero:

* bars: a hidden cell has no bar (at any length it would read as a value): an open grey diamond at
  zero with its words beside it, "fewer than 5" or, for a cell hidden to protect another one (its
  value may be anything), "hidden"; a hidden share is its words alone at the axis;
* lines: a hidden point is a gap in the line and a marker in the "hidden" strip under the chart;
* heat maps and the world map: hidden cells in grey with their text.

Labels (names of units, duty stations, countries...) come from the store: they are escaped with
:func:`kpi.text.plotly_text` where they are drawn, and kept raw for look-ups (colours by label).
"""
from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from kpi import dimensions as dims
from kpi.charts.indicator import UN_MAP_DISCLAIMER
from kpi.charts.theme import (
    FADED_TEXT,
    GENDER_COLOURS,
    GRID_COLOUR,
    HIDDEN_FILL,
    HIDDEN_LINE,
    MAP_HIDDEN_FILL,
    PARITY_FILL,
    PARITY_LINE,
    SHARE_SCALE,
    TRANSPARENT,
    VALUE_SCALE,
    WHITE,
    ZERO_FILL,
    cell_font_size,
    HEADLINE_COLOUR,
    SERIES_COLOURS,
    WORLD_GEO,
    TARGET_COLOUR,
    base_layout,
)
from kpi.disclosure import SUPPRESSED_TEXT, range_of
from kpi.text import plotly_text

#: The word for a count hidden to protect another one (kpi.disclosure's, the same in every view).
HIDDEN_TEXT = SUPPRESSED_TEXT
#: The marker of a hidden count, at zero.
HIDDEN_SYMBOL = "diamond-open"
SHARE_RANGE = (20.0, 80.0)
MAP_SCALE = "Blues"


def _layout(projector: bool, height: int, **extra) -> go.Layout:
    layout = base_layout(projector=projector, height=height)
    layout.update(**extra)
    return layout


def _hidden_label(display: str) -> str:
    """The words drawn for a count not shown exactly: "fewer than 5" and a range ("130–139") as such; any
    other, "hidden"."""
    return display if display.startswith("fewer than") or range_of(display) is not None else HIDDEN_TEXT


# ---------------------------------------------------------------- bars


def _bar_traces(labels: list[str], values: list[int | None], displays: list[str], reasons: list[str],
                threshold: int, *, name: str, colour: str | list[str], sign: int = 1, hover_name: str = "",
                legend: bool = True, unit: str = "staff") -> list[go.BaseTraceType]:
    """Visible bars, hatched stubs for "fewer than N", and "hidden" words for other hidden cells."""
    shown = [(lab, v, d) for lab, v, d in zip(labels, values, displays) if v is not None]
    colours = colour if isinstance(colour, list) else None
    shown_colours = [c for c, v in zip(colours, values) if v is not None] if colours else colour
    traces: list[go.BaseTraceType] = [go.Bar(
        y=[s[0] for s in shown], x=[sign * s[1] for s in shown], orientation="h", name=name,
        marker={"color": shown_colours}, text=[s[2] for s in shown], textposition="outside", cliponaxis=False,
        customdata=[s[2] for s in shown], showlegend=legend,
        hovertemplate=f"{hover_name}%{{y}}: %{{customdata}} {unit}<extra></extra>",
    )]
    hidden = [(lab, d) for lab, v, d in zip(labels, values, displays) if v is None]
    if hidden:
        # No bar: a hidden count drawn at any length would read as a value. A marker at zero, and the words.
        traces.append(go.Scatter(
            y=[h[0] for h in hidden], x=[0] * len(hidden), mode="markers+text", showlegend=False,
            marker={"symbol": HIDDEN_SYMBOL, "size": 10, "color": HIDDEN_LINE, "line": {"width": 1.5}},
            text=[f"  {_hidden_label(h[1])}" if sign > 0 else f"{_hidden_label(h[1])}  " for h in hidden],
            textposition="middle right" if sign > 0 else "middle left",
            textfont={"color": HIDDEN_LINE}, cliponaxis=False, customdata=[h[1] for h in hidden],
            hovertemplate=f"{hover_name}%{{y}}: %{{customdata}} (hidden to protect individuals)<extra></extra>",
        ))
    return traces


def pyramid(frame: pl.DataFrame, threshold: int, *, projector: bool = False, height: int | None = None) -> go.Figure:
    """Men (left) and women (right) by grade, the highest grade on top.

    ``frame``: the cells of :func:`kpi.workforce.gender_by_grade` in grade order (``label``,
    ``women``, ``men`` and their ``*_display`` and ``*_reason``).
    """
    labels = [plotly_text(v) for v in frame.get_column("label").to_list()]
    fig = go.Figure(layout=_layout(projector, height or max(320, 26 * len(labels) + 120),
                                   barmode="overlay", bargap=0.15))
    for gender, column, sign in (("M", "men", -1), ("F", "women", 1)):
        for trace in _bar_traces(labels, frame.get_column(column).to_list(),
                                 frame.get_column(f"{column}_display").to_list(),
                                 frame.get_column(f"{column}_reason").to_list(), threshold,
                                 name=column.capitalize(), colour=GENDER_COLOURS[gender], sign=sign,
                                 hover_name=f"{column.capitalize()}, "):
            fig.add_trace(trace)
    _hidden_legend(fig, threshold)
    visible = [v for c in ("men", "women") for v in frame.get_column(c).to_list() if v is not None]
    top = max([*visible, threshold, 1])
    step = _nice_step(top)
    ticks = list(range(0, int(top * 1.25) + step, step))
    fig.update_layout(
        xaxis={"range": [-top * 1.3, top * 1.3], "tickvals": [-t for t in reversed(ticks[1:])] + ticks,
               "ticktext": [f"{t:,}" for t in reversed(ticks[1:])] + [f"{t:,}" for t in ticks],
               "title": {"text": "← Men · Women →"}, "zeroline": True, "zerolinecolor": HEADLINE_COLOUR},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": labels, "title": None,
               "automargin": True, "gridcolor": TRANSPARENT},
        hovermode="closest",
    )
    return fig


def _nice_step(top: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000):
        if top / step <= 5:
            return step
    return 100000


def _hidden_legend(fig: go.Figure, threshold: int) -> None:
    """The legend entry of hidden counts (the same words in every chart, table and download)."""
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"fewer than {threshold}, or {HIDDEN_TEXT}: "
                             "not drawn", marker={"symbol": HIDDEN_SYMBOL, "size": 10, "color": HIDDEN_LINE,
                                                  "line": {"width": 1.5}}, hoverinfo="skip"))


def count_bars(frame: pl.DataFrame, threshold: int, *, colours: Sequence[str] | str = SERIES_COLOURS[0],
               projector: bool = False, height: int | None = None, x_title: str = "Staff",
               unit: str = "staff") -> go.Figure:
    """Horizontal bars of head counts (``label``, ``count``, ``display``, ``reason``), first row on top."""
    labels = [plotly_text(v) for v in frame.get_column("label").to_list()]
    colour = list(colours) if not isinstance(colours, str) else colours
    fig = go.Figure(layout=_layout(projector, height or max(220, 30 * len(labels) + 110), bargap=0.25))
    for trace in _bar_traces(labels, frame.get_column("count").to_list(), frame.get_column("display").to_list(),
                             frame.get_column("reason").to_list(), threshold, name=x_title, colour=colour,
                             legend=False, unit=unit):
        fig.add_trace(trace)
    if any(v is None for v in frame.get_column("count").to_list()):
        _hidden_legend(fig, threshold)
    visible = [v for v in frame.get_column("count").to_list() if v is not None]
    top = max([*visible, threshold, 1])
    fig.update_layout(
        xaxis={"range": [0, top * 1.22], "title": {"text": x_title}, "showgrid": True, "gridcolor": GRID_COLOUR},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": list(reversed(labels)),
               "automargin": True, "gridcolor": TRANSPARENT},
        showlegend=any(v is None for v in frame.get_column("count").to_list()),
    )
    return fig


def share_bars(frame: pl.DataFrame, threshold: int, *, projector: bool = False, height: int | None = None,
               target: float | None = None, colour: str = GENDER_COLOURS["F"], x_title: str = dims.WOMEN_SHARE_LABEL,
               band: tuple[float, float] | None = dims.PARITY_BAND) -> go.Figure:
    """Horizontal bars of a share (``label``, ``share``, ``share_display``) against the parity band
    and a target; hidden shares are words at the axis."""
    labels = [plotly_text(v) for v in frame.get_column("label").to_list()]
    shares = frame.get_column("share").to_list()
    displays = frame.get_column("share_display").to_list()
    fig = go.Figure(layout=_layout(projector, height or max(220, 30 * len(labels) + 120), bargap=0.25))
    if band is not None:
        fig.add_vrect(x0=band[0], x1=band[1], fillcolor=PARITY_FILL, line_width=0, layer="below")
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"Parity band ({band[0]:.0f}-{band[1]:.0f} %)",
                                 marker={"symbol": "square", "size": 14, "color": PARITY_FILL,
                                         "line": {"color": PARITY_LINE, "width": 1}}, hoverinfo="skip"))
        fig.add_vline(x=dims.PARITY, line={"color": PARITY_LINE, "width": 1, "dash": "dot"})
    hover = frame.get_column("parity").to_list() if "parity" in frame.columns else [""] * len(labels)
    shown = [(lab, s, d, h) for lab, s, d, h in zip(labels, shares, displays, hover) if s is not None]
    fig.add_trace(go.Bar(
        y=[s[0] for s in shown], x=[s[1] for s in shown], orientation="h", name=x_title, marker={"color": colour},
        text=[s[2] for s in shown], textposition="inside", insidetextanchor="end", cliponaxis=False,
        textfont={"color": WHITE}, customdata=[s[3] for s in shown],
        hovertemplate="%{y}: %{text}<br>%{customdata}<extra></extra>", showlegend=False,
    ))
    hidden = [(lab, d) for lab, s, d in zip(labels, shares, displays) if s is None]
    if hidden:
        fig.add_trace(go.Scatter(
            y=[h[0] for h in hidden], x=[0] * len(hidden), mode="text",
            text=[d if d == dims.NO_STAFF else _hidden_label(d) for _, d in hidden], customdata=[d for _, d in hidden],
            textposition="middle right", textfont={"color": HIDDEN_LINE}, showlegend=False,
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        ))
    if target is not None:
        fig.add_vline(x=target, line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"})
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=f"Target ({target:g} %)",
                                 line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"}, hoverinfo="skip"))
    fig.update_layout(
        xaxis={"range": [0, 100], "title": {"text": x_title}, "ticksuffix": " %", "showgrid": True,
               "gridcolor": GRID_COLOUR},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": list(reversed(labels)),
               "automargin": True, "gridcolor": TRANSPARENT},
    )
    return fig


# ---------------------------------------------------------------- lines over time


def trend_lines(frame: pl.DataFrame, value: str = "count", display: str = "display", *,
                colours: dict[str, str] | None = None, projector: bool = False, height: int | None = None,
                y_title: str = "Staff", percent: bool = False, band: tuple[float, float] | None = None,
                targets: pl.DataFrame | None = None, target_name: str = "Target") -> go.Figure:
    """One line per ``label`` over ``year``; hidden points are gaps, marked in a strip underneath.

    ``band`` shades a band (the parity band); ``targets`` (``year``, ``target``) adds target stars.
    """
    labels = list(dict.fromkeys(frame.get_column("label").to_list()))
    hidden = frame.filter(pl.col(value).is_null())
    strip = not hidden.is_empty()
    fig = go.Figure(layout=_layout(projector, height or (460 if strip else 400)))
    suffix = " %" if percent else ""
    if band is not None:
        fig.add_hrect(y0=band[0], y1=band[1], fillcolor=PARITY_FILL, line_width=0, layer="below")
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"Parity band ({band[0]:.0f}-{band[1]:.0f} %)",
                                 marker={"symbol": "square", "size": 14, "color": PARITY_FILL,
                                         "line": {"color": PARITY_LINE, "width": 1}}, hoverinfo="skip"))
    width = 4 if projector else 3
    for i, label in enumerate(labels):
        part = frame.filter(pl.col("label") == label).sort("year")
        colour = (colours or {}).get(label, SERIES_COLOURS[i % len(SERIES_COLOURS)])
        fig.add_trace(go.Scatter(
            x=part.get_column("year").to_list(), y=part.get_column(value).to_list(), name=plotly_text(label),
            mode="lines+markers", line={"color": colour, "width": width}, marker={"size": 8 if not projector else 11},
            connectgaps=False, customdata=part.get_column(display).to_list(),
            hovertemplate="%{fullData.name}, %{x}: %{customdata}<extra></extra>",
        ))
    if targets is not None and not targets.is_empty():
        fig.add_trace(go.Scatter(
            x=targets.get_column("year").to_list(), y=targets.get_column("target").to_list(),
            name=plotly_text(target_name),
            mode="markers+lines", line={"color": TARGET_COLOUR, "width": 2, "dash": "dot"},
            marker={"symbol": "star", "size": 14 if not projector else 18, "color": TARGET_COLOUR},
            hovertemplate=f"%{{fullData.name}} %{{x}}: %{{y:.0f}}{suffix}<extra></extra>",
        ))
    years = sorted(set(frame.get_column("year").to_list()))
    fig.update_layout(
        xaxis={"tickmode": "array", "tickvals": years, "title": None},
        yaxis={"title": {"text": y_title}, "ticksuffix": suffix, "rangemode": "tozero",
               **({"range": [0, 100]} if percent else {})},
        hovermode="closest",
    )
    if strip:
        _hidden_strip(fig, hidden, labels, colours, display, projector)
    return fig


def _hidden_strip(fig: go.Figure, hidden: pl.DataFrame, labels: list[str], colours: dict[str, str] | None,
                  display: str, projector: bool = False) -> None:
    """A strip under the chart, one row per series with hidden points, a cross per hidden point
    (never drawn at a value)."""
    rows = [label for label in labels if label in set(hidden.get_column("label").to_list())]
    strip = min(0.06 * len(rows) + 0.04, 0.3)
    fig.update_layout(
        yaxis={"domain": [strip + 0.1, 1.0]},
        yaxis2={"domain": [0.0, strip], "anchor": "x", "type": "category", "categoryorder": "array",
                "categoryarray": [plotly_text(r) for r in reversed(rows)], "showgrid": False, "zeroline": False,
                "fixedrange": True,
                "tickfont": {"size": cell_font_size(projector, note=True), "color": HIDDEN_LINE}, "automargin": True,
                "title": {"text": "hidden", "font": {"size": cell_font_size(projector), "color": HIDDEN_LINE}}},
        xaxis={"anchor": "y2"},
        height=(fig.layout.height or 400) + 24 * len(rows),
    )
    for i, label in enumerate(labels):
        part = hidden.filter(pl.col("label") == label)
        if part.is_empty():
            continue
        colour = (colours or {}).get(label, SERIES_COLOURS[i % len(SERIES_COLOURS)])
        fig.add_trace(go.Scatter(
            x=part.get_column("year").to_list(), y=[plotly_text(label)] * part.height, yaxis="y2", mode="markers",
            marker={"symbol": "x-thin-open", "size": 11, "color": colour, "line": {"color": colour, "width": 2}},
            name=plotly_text(f"{label}: hidden"), showlegend=False, customdata=part.get_column(display).to_list(),
            hovertemplate="%{y}, %{x}: %{customdata}<extra></extra>",
        ))


# ---------------------------------------------------------------- heat maps


def share_heatmap(frame: pl.DataFrame, row_order: Sequence[str], *, projector: bool = False,
                  height: int | None = None) -> go.Figure:
    """Share of women by ``label`` (rows, ``row_order`` top to bottom) and ``year`` (columns), with the
    share written in each cell; hidden cells grey with "fewer than 5" or "hidden"."""
    years = sorted(set(frame.get_column("year").to_list()))
    rows = [r for r in row_order if r in set(frame.get_column("label").to_list())]
    index = {(r["label"], r["year"]): r for r in frame.iter_rows(named=True)}
    z, text = [], []
    for label in rows:
        z.append([index.get((label, y), {}).get("share") for y in years])
        # Hidden cells get their words from the grey text layer below, not from the heat map.
        text.append([_cell_text(index.get((label, y))) if index.get((label, y), {}).get("share") is not None else ""
                     for y in years])
    absent = [(str(y), plotly_text(label)) for label in rows for y in years if (label, y) not in index]
    # Over many years a cell is narrower than "fewer than 5" on a laptop's screen: the words go on two lines,
    # in taller rows.
    wrap = len(years) > WRAP_NOTES_AFTER_YEARS
    note = _two_lines if wrap else str
    row_height = 36 if wrap else 28
    fig = go.Figure(layout=_layout(projector, height or max(300, row_height * len(rows) + 120),
                                   plot_bgcolor=HIDDEN_FILL))
    fig.add_trace(go.Heatmap(
        x=[str(y) for y in years], y=[plotly_text(r) for r in rows], z=z, text=text, texttemplate="%{text}",
        zmin=SHARE_RANGE[0], zmax=SHARE_RANGE[1], colorscale=SHARE_SCALE, xgap=2, ygap=2, hoverongaps=False,
        colorbar={"title": {"text": dims.WOMEN_SHARE_LABEL}, "ticksuffix": " %"},
        hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
        textfont={"color": HEADLINE_COLOUR, "size": cell_font_size(projector)},
    ))
    hidden = [(str(y), plotly_text(label), note(_cell_text(index.get((label, y))))) for label in rows for y in years
              if index.get((label, y)) is not None and index[(label, y)]["share"] is None]
    if hidden:
        fig.add_trace(go.Scatter(
            x=[h[0] for h in hidden], y=[h[1] for h in hidden], mode="text", text=[h[2] for h in hidden],
            textfont={"color": HIDDEN_LINE, "size": cell_font_size(projector, note=True)}, showlegend=False,
            hovertemplate="%{y}, %{x}: %{text} (hidden to protect individuals)<extra></extra>",
        ))
    if absent:
        fig.add_trace(go.Scatter(
            x=[a[0] for a in absent], y=[a[1] for a in absent], mode="text", text=[note(dims.NO_STAFF)] * len(absent),
            textfont={"color": HIDDEN_LINE, "size": cell_font_size(projector, note=True)}, showlegend=False, hoverinfo="skip",
        ))
    fig.update_layout(
        xaxis={"type": "category", "title": None, "side": "top"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": [plotly_text(r) for r in reversed(rows)],
               "autorange": True, "automargin": True, "gridcolor": TRANSPARENT},
        margin={"t": 60},
    )
    return fig


#: A heat map of more years than this writes the words over its hidden cells on two lines.
WRAP_NOTES_AFTER_YEARS = 6


def _two_lines(words: str) -> str:
    """``words`` on two lines ("fewer<br>than 5", "no<br>staff"); a single word as it is."""
    parts = words.split(" ")
    if len(parts) < 2:
        return words
    half = len(parts) // 2
    return " ".join(parts[:half]) + "<br>" + " ".join(parts[half:])


def _cell_text(row: dict | None) -> str:
    if row is None:
        return dims.NO_STAFF
    if row["share"] is not None:
        return f"{row['share']:.0f} %"
    display = row["share_display"]
    return dims.NO_STAFF if display == dims.NO_STAFF else _hidden_label(display)


def value_heatmap(frame: pl.DataFrame, row: str, column: str, value: str, text: str, *, row_labels: dict[str, str],
                  column_labels: dict[str, str], row_order: Sequence[str], column_order: Sequence[str],
                  colour_title: str, projector: bool = False, height: int | None = None,
                  missing: str = "none") -> go.Figure:
    """A table of values (e.g. mean recruitment days by grade and Sector) as a heat map with each
    cell's text; hidden cells grey with their text; cells absent from ``frame`` read ``missing``."""
    rows = [r for r in row_order if r in set(frame.get_column(row).to_list())]
    columns = [c for c in column_order if c in set(frame.get_column(column).to_list())]
    index = {(r[row], r[column]): r for r in frame.iter_rows(named=True)}
    z = [[(index.get((r, c)) or {}).get(value) for c in columns] for r in rows]
    texts = [[_short(index[(r, c)][text]) if (r, c) in index else missing for c in columns] for r in rows]
    visible = [v for line in z for v in line if v is not None]
    ylabels = [plotly_text(row_labels.get(r, r)) for r in rows]
    xlabels = [plotly_text(column_labels.get(c, c)) for c in columns]
    fig = go.Figure(layout=_layout(projector, height or max(300, 30 * len(rows) + 120), plot_bgcolor=HIDDEN_FILL))
    fig.add_trace(go.Heatmap(
        x=xlabels, y=ylabels, z=z, text=[[t if v is not None else "" for t, v in zip(tr, zr)] for tr, zr in zip(texts, z)],
        texttemplate="%{text}", colorscale=VALUE_SCALE, xgap=2, ygap=2,
        hoverongaps=False, colorbar={"title": {"text": colour_title}},
        textfont={"color": HEADLINE_COLOUR, "size": cell_font_size(projector)},
        hovertemplate="%{y}, %{x}: %{text}<extra></extra>", zmin=0, zmax=max([*visible, 1]),
    ))
    hidden = [(xlabels[j], ylabels[i], texts[i][j]) for i in range(len(rows)) for j in range(len(columns))
              if z[i][j] is None and texts[i][j]]
    if hidden:
        fig.add_trace(go.Scatter(
            x=[h[0] for h in hidden], y=[h[1] for h in hidden], mode="text", text=[h[2] for h in hidden],
            textfont={"color": HIDDEN_LINE, "size": cell_font_size(projector, note=True)}, showlegend=False,
            hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
        ))
    fig.update_layout(
        xaxis={"type": "category", "title": None, "side": "top"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": list(reversed(ylabels)),
               "automargin": True, "gridcolor": TRANSPARENT},
        margin={"t": 60},
    )
    return fig


def _short(text: str) -> str:
    return text if not text or text[0].isdigit() or text.startswith(("fewer", "no ")) else HIDDEN_TEXT


# ---------------------------------------------------------------- the world map


def nationality_map(frame: pl.DataFrame, threshold: int, year: int, *, projector: bool = False,
                    height: int | None = None) -> go.Figure:
    """Staff by nationality on a world map (ISO-3), from :func:`kpi.workforce.nationality_by_country`.

    Shown counts on a blue scale; Member States with no national on staff in a pale fill; hidden
    countries in grey with "fewer than 10" (or "hidden") in the hover text. The UN map disclaimer
    is written under the map.
    """
    fig = go.Figure(layout=_layout(projector, height or (620 if projector else 520)))
    shown = frame.filter(pl.col("count").is_not_null() & (pl.col("count") > 0))
    zero = frame.filter(pl.col("count") == 0)
    hidden = frame.filter(pl.col("count").is_null())
    common = {"locationmode": "ISO-3", "marker_line_color": WHITE, "marker_line_width": 0.4}
    if not zero.is_empty():
        fig.add_trace(go.Choropleth(
            locations=zero.get_column("nationality").to_list(), z=[0] * zero.height,
            colorscale=[[0, ZERO_FILL], [1, ZERO_FILL]], showscale=False, name="No national on staff",
            text=[plotly_text(v) for v in zero.get_column("label").to_list()],
            hovertemplate="%{text}: no national on staff<extra></extra>", **common,
        ))
    if not hidden.is_empty():
        fig.add_trace(go.Choropleth(
            locations=hidden.get_column("nationality").to_list(), z=[1] * hidden.height,
            colorscale=[[0, MAP_HIDDEN_FILL], [1, MAP_HIDDEN_FILL]], showscale=False,
            name=f"fewer than {threshold}: hidden",
            text=[plotly_text(v) for v in hidden.get_column("label").to_list()],
            customdata=hidden.get_column("display").to_list(),
            hovertemplate="%{text}: %{customdata}<extra></extra>", **common,
        ))
    if not shown.is_empty():
        fig.add_trace(go.Choropleth(
            locations=shown.get_column("nationality").to_list(), z=shown.get_column("count").to_list(),
            colorscale=MAP_SCALE, zmin=0, name="Staff",
            text=[plotly_text(v) for v in shown.get_column("label").to_list()],
            customdata=shown.get_column("display").to_list(),
            hovertemplate="%{text}: %{customdata} staff<extra></extra>",
            colorbar={"title": {"text": f"Staff {year}"}, "len": 0.75}, **common,
        ))
    # A key for each fill, in the legend (a map's layers have none): hidden grey and "no national" pale are told
    # apart by word as well as by shade.
    for name, fill in ((f"fewer than {threshold}, or hidden", MAP_HIDDEN_FILL), ("No national on staff", ZERO_FILL)):
        fig.add_trace(go.Scattergeo(lon=[None], lat=[None], mode="markers", name=name, showlegend=True,
                                    marker={"symbol": "square", "size": 14, "color": fill,
                                            "line": {"color": HIDDEN_LINE, "width": 1}}, hoverinfo="skip"))
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})
    fig.update_geos(**WORLD_GEO)
    fig.add_annotation(text=UN_MAP_DISCLAIMER, xref="paper", yref="paper", x=0, y=-0.02, showarrow=False,
                       xanchor="left", yanchor="top", font={"size": 11, "color": FADED_TEXT})
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 40})
    return fig
