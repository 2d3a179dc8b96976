"""The one palette and the one Plotly theme of the dashboard.

Colours are colour-blind safe (Okabe-Ito based) and never carry meaning alone: every status is
also shown with an icon and a word.
"""
from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go


@dataclass(frozen=True)
class StatusStyle:
    """How a status looks: word, icon and colour."""

    label: str
    icon: str
    colour: str
    material_icon: str


STATUS_STYLES: dict[str, StatusStyle] = {
    "achieved": StatusStyle("Achieved", "✔", "#0B6E4F", ":material/verified:"),
    "on_track": StatusStyle("On track", "↗", "#0072B2", ":material/trending_up:"),
    "at_risk": StatusStyle("At risk", "⚠", "#B86E00", ":material/warning:"),
    "off_track": StatusStyle("Off track", "✖", "#C0392B", ":material/cancel:"),
    "no_target": StatusStyle("No target", "○", "#5F6B7A", ":material/radio_button_unchecked:"),
    "no_data": StatusStyle("No data", "–", "#8A939E", ":material/remove:"),
}

SECTOR_COLOURS: dict[str, str] = {
    "GS": "#4D4D4D",
    "ITU-R": "#CC79A7",
    "ITU-T": "#009E73",
    "ITU-D": "#0072B2",
    "ITU": "#005A9C",
}
GENDER_COLOURS: dict[str, str] = {"F": "#7B3294", "M": "#E08214"}
#: Series colours for disaggregations (at most six series at once; the headline is always HEADLINE_COLOUR).
SERIES_COLOURS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
HEADLINE_COLOUR = "#1B1F24"
#: The fill of each risk severity band (kpi.management.RISK_BANDS), light to dark as the score rises: one
#: sequential ramp, readable without hue; the band's word is always shown too.
RISK_BAND_COLOURS: dict[str, str] = {
    "low": "#F4F1E4", "medium": "#F9DC9A", "significant": "#F0A94A", "high": "#DE6B34", "critical": "#9E2A1F",
}
#: The text written over each band's fill: dark, white on the darkest (contrast 4.5:1 or more on each).
RISK_BAND_TEXT_COLOURS: dict[str, str] = {
    "low": HEADLINE_COLOUR, "medium": HEADLINE_COLOUR, "significant": HEADLINE_COLOUR, "high": HEADLINE_COLOUR,
    "critical": "#FFFFFF",
}
#: How each yearly status of an Accountability Framework component looks (kpi.dimensions.ACCOUNTABILITY_STATUSES,
#: NOT_ASSESSED): its word, icon and a light fill behind dark text (contrast 4.5:1 or more), green to red as the
#: indicator statuses, never colour alone.
ACCOUNTABILITY_STYLES: dict[str, StatusStyle] = {
    "in place": StatusStyle("In place", "✔", "#B5DDC9", ":material/verified:"),
    "partly in place": StatusStyle("Partly in place", "◐", "#F9DC9A", ":material/contrast:"),
    "not in place": StatusStyle("Not in place", "✖", "#F2B3A8", ":material/cancel:"),
    "not assessed": StatusStyle("Not assessed", "–", "#E3E7EC", ":material/remove:"),
}
TARGET_COLOUR = "#B86E00"
PROJECTION_COLOUR = "#5F6B7A"
#: Axis lines, zero lines and the outline of a legend's colour swatch (so that the palest one shows on white).
AXIS_COLOUR = "#8A939E"
#: Planned money beside spent money (SERIES_COLOURS[0]): the same hue, lighter.
PLANNED_COLOUR = "#A9C7E8"
FONT_FAMILY = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"
#: Chart type size in px: on a screen, and on a projector (legible from the back of a room).
FONT_SIZE = 14
PROJECTOR_FONT_SIZE = 22
#: Text written in a chart's cells (heat maps) and its quieter notes ("hidden", "no staff"): on a screen, and on
#: a projector (legible from the back of a room, as the rest of the chart).
CELL_FONT_SIZE = 12
NOTE_FONT_SIZE = 11


#: How much of a status colour a table cell's tint keeps (the rest white): light enough for dark text.
TINT_STRENGTH = 0.22


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """``"#0B6E4F"`` as ``(11, 110, 79)``."""
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def status_tint(colour: str) -> str:
    """A status colour mixed with white (``TINT_STRENGTH`` of it), as a cell background behind dark text."""
    rgb = hex_rgb(colour)
    return "#" + "".join(f"{round(255 - (255 - c) * TINT_STRENGTH):02X}" for c in rgb)


def cell_font_size(projector: bool, *, note: bool = False) -> int:
    """The size of a chart cell's text (or of a note), larger on the projector as every other chart text."""
    size = NOTE_FONT_SIZE if note else CELL_FONT_SIZE
    return size + (PROJECTOR_FONT_SIZE - FONT_SIZE) if projector else size


def base_layout(*, projector: bool = False, height: int | None = None) -> go.Layout:
    """The shared layout: readable type, light grid, no clutter; larger everything in projector mode."""
    size = PROJECTOR_FONT_SIZE if projector else FONT_SIZE
    # Streamlit's chart theme sets the sizes of tick labels, axis titles and the legend itself
    # (smaller than the layout's font), so each is set here too, or the projector's large type
    # would reach only the chart's annotations.
    font = {"size": size}
    axis_text = {"tickfont": font, "title": {"font": font}}
    return go.Layout(
        font={"family": FONT_FAMILY, "size": size, "color": "#1B1F24"},
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=height,
        xaxis={"showgrid": False, "linecolor": AXIS_COLOUR, "ticks": "outside", **axis_text},
        yaxis={"gridcolor": "#E3E7EC", "zerolinecolor": AXIS_COLOUR, **axis_text},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0, "font": font},
        hoverlabel={"font": font},
    )


#: Plotly config for every chart: no logo, PNG export at twice the size, and map outlines served by
#: the app itself (static/topojson/world_110m.json) rather than fetched from a CDN.
PLOTLY_CONFIG: dict = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "topojsonURL": "app/static/topojson/",
}

#: The one world map layout: Natural Earth projection centred on Greenwich, land without Antarctica.
WORLD_GEO: dict = {
    "showframe": False, "showcoastlines": False, "projection_type": "natural earth",
    "projection_rotation": {"lon": 0, "lat": 0}, "center": {"lon": 0, "lat": 10},
    "lonaxis_range": [-180, 180], "lataxis_range": [-58, 85],
    "showcountries": True, "countrycolor": "#FFFFFF", "bgcolor": "#FFFFFF",
    "showland": True, "landcolor": "#F1F1F1",
}
