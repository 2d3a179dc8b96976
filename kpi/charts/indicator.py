"""Charts of one indicator: actual values, baseline, targets, projection, flags; disaggregations; map."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from kpi.charts.theme import (
    HEADLINE_COLOUR,
    PROJECTION_COLOUR,
    SERIES_COLOURS,
    TARGET_COLOUR,
    WHITE,
    WORLD_GEO,
    base_layout,
)
from kpi.dimensions import UNITS
from kpi.text import plotly_text

FLAG_SYMBOLS = {"": "circle", "estimate": "circle-open", "provisional": "diamond-open", "break": "x"}
UN_MAP_DISCLAIMER = ("The boundaries and names shown and the designations used on this map do not imply "
                     "official endorsement or acceptance by the United Nations or ITU.")


def _axis_title(sheet: dict) -> str:
    # The unit, never the indicator's name: the title above the chart names it, and a long name
    # written along the axis is clipped (seen on the projector).
    return UNITS.get(sheet["unit"]) or "Number"


def coverage_words(coverage_pct: float | None, imputed_pct: float | None) -> str:
    """How much of the population an aggregate rests on: "population reporting 77.7 %, imputed 20.9 %"."""
    if coverage_pct is None:
        return ""
    imputed = f", imputed {imputed_pct:.1f} %" if imputed_pct is not None else ""
    return f"population reporting {coverage_pct:.1f} %{imputed}"


def indicator_figure(sheet: dict, headline: pl.DataFrame, targets: pl.DataFrame, projection: pl.DataFrame,
                     baseline: tuple[int, float] | None, series: pl.DataFrame | None = None, *,
                     projector: bool = False, height: int | None = None,
                     colours: dict[str, str] | None = None) -> go.Figure:
    """Actual values over the years with baseline, yearly targets, projection and flagged points.

    ``series`` (columns group, label, year, value) adds up to six disaggregated lines, coloured by
    ``colours`` (group -> colour) where the dimension has fixed colours; the headline stays the
    darkest, thickest line so it is always distinct.
    """
    fig = go.Figure(layout=base_layout(projector=projector, height=height or (560 if projector else 420)))
    width = 5 if projector else 3
    if series is not None and not series.is_empty():
        fig.add_traces(_series_traces(series, colours or {}, width - 1))
    fig.add_trace(_actual_trace(headline, projector, width + 1))
    fig.add_traces(_reference_traces(targets, projection, baseline, projector, width - 1))
    fig.update_layout(yaxis_title=_axis_title(sheet), xaxis={"dtick": 1 if headline.height < 12 else 2},
                      hovermode="closest")
    return fig


def _series_traces(series: pl.DataFrame, colours: dict[str, str], width: int) -> list[go.Scatter]:
    """One line per group of ``series``: a dimension with its own fixed colours (Sectors, genders) keeps them on
    every chart, others take the series colours in turn."""
    return [go.Scatter(
        x=part["year"].to_list(), y=part["value"].to_list(), name=plotly_text(part["label"][0]), mode="lines+markers",
        line={"color": colours.get(key[0], SERIES_COLOURS[i % len(SERIES_COLOURS)]), "width": width},
        hovertemplate="%{fullData.name}, %{x}: %{y:,.1f}<extra></extra>",
    ) for i, (key, part) in enumerate(series.partition_by("group", as_dict=True, maintain_order=True).items())]


def _actual_trace(headline: pl.DataFrame, projector: bool, width: int) -> go.Scatter:
    """The actual values: the darkest, thickest line, a flagged point drawn open and larger, its flag, note and
    coverage in the hover."""
    # A value not yet validated by a data steward is marked provisional even without a flag.
    approvals = headline["approval"].fill_null("").to_list() if "approval" in headline.columns else [""] * headline.height
    flags = [f or ("provisional" if a == "provisional" else "")
             for f, a in zip(headline["flag"].fill_null("").to_list(), approvals, strict=True)]
    notes = headline["note"].fill_null("").to_list()
    coverage = [coverage_words(r.get("coverage_pct"), r.get("imputed_pct")) for r in headline.iter_rows(named=True)]
    # Flags and notes are imported text: Plotly would render HTML in them.
    hover = [plotly_text(f"{f or 'reported'}{(': ' + n) if n else ''}{(' · ' + c) if c else ''}")
             for f, n, c in zip(flags, notes, coverage, strict=True)]
    return go.Scatter(
        x=headline["year"].to_list(), y=headline["value"].to_list(), name="Actual", mode="lines+markers",
        line={"color": HEADLINE_COLOUR, "width": width},
        # A flagged point is drawn larger, so that its open symbol reads as open beside the line.
        marker={"size": [(12 if projector else 8) + (4 if f else 0) for f in flags],
                "symbol": [FLAG_SYMBOLS.get(f, "circle") for f in flags],
                "line": {"width": 2, "color": HEADLINE_COLOUR}},
        customdata=hover, hovertemplate="Actual %{x}: %{y:,.1f} (%{customdata})<extra></extra>",
    )


def _reference_traces(targets: pl.DataFrame, projection: pl.DataFrame, baseline: tuple[int, float] | None,
                      projector: bool, width: int) -> list[go.Scatter]:
    """The yearly targets, the projection of the current trend and the baseline, each where there is one."""
    traces = []
    if not targets.is_empty():
        traces.append(go.Scatter(
            x=targets["year"].to_list(), y=targets["value"].to_list(), name="Target", mode="markers+lines",
            line={"color": TARGET_COLOUR, "width": 2, "dash": "dot"},
            marker={"symbol": "star", "size": 16 if projector else 12, "color": TARGET_COLOUR},
            hovertemplate="Target %{x}: %{y:,.1f}<extra></extra>",
        ))
    if not projection.is_empty():
        traces.append(go.Scatter(
            x=projection["year"].to_list(), y=projection["value"].to_list(), name="Projection (current trend)",
            mode="lines", line={"color": PROJECTION_COLOUR, "width": width, "dash": "dash"},
            hovertemplate="Projected %{x}: %{y:,.1f}<extra></extra>",
        ))
    if baseline is not None:
        traces.append(go.Scatter(
            x=[baseline[0]], y=[baseline[1]], name=f"Baseline ({baseline[0]})", mode="markers",
            marker={"symbol": "square", "size": 14 if projector else 10, "color": WHITE,
                    "line": {"width": 3, "color": HEADLINE_COLOUR}},
            hovertemplate="Baseline %{x}: %{y:,.1f}<extra></extra>",
        ))
    return traces


def country_map(frame: pl.DataFrame, sheet: dict, year: int, *, projector: bool = False) -> go.Figure:
    """A world map of the latest value by country (``country`` ISO3, ``value``, ``year``; ``name`` if known)."""
    fig = go.Figure(layout=base_layout(projector=projector, height=620 if projector else 460))
    fig.add_trace(go.Choropleth(
        locations=[plotly_text(c) for c in frame["country"].to_list()], z=frame["value"].to_list(),
        locationmode="ISO-3",
        colorscale="Blues", marker_line_color=WHITE, marker_line_width=0.4,
        customdata=frame["year"].to_list(),
        text=[plotly_text(n) for n in (frame["name"] if "name" in frame.columns else frame["country"]).to_list()],
        hovertemplate="%{text}: %{z:,.1f} (%{customdata})<extra></extra>",
        colorbar={"title": {"text": UNITS.get(sheet["unit"], "") or ""}},
    ))
    fig.update_geos(**WORLD_GEO)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0})
    return fig


def sparkline_values(headline: pl.DataFrame) -> list[float]:
    """The values of a small trend line (nulls dropped)."""
    return [v for v in headline["value"].to_list() if v is not None]
