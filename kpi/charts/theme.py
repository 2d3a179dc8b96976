"""The one palette and the one Plotly theme of the dashboard.

Colours are colour-blind safe (Okabe-Ito based) and never carry meaning alone: every status is
also shown with an icon and a word. Every colour of the dashboard is named here (charts, tables, the
Excel export's header, the pages' CSS): tests/test_vocabulary.py fails on a colour written anywhere else.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kpi.status import STATUS_LABELS

if TYPE_CHECKING:  # Plotly is imported where a layout is built: the palette alone (CSS, Excel) does without it
    import plotly.graph_objects as go


@dataclass(frozen=True)
class StatusStyle:
    """How a status looks: word, icon and colour."""

    label: str
    icon: str
    colour: str
    material_icon: str


#: Backgrounds of charts, thin outlines between bars and countries, text on a dark fill.
WHITE = "#FFFFFF"
#: Dark text, everywhere (charts, tinted table cells, the headline series).
TEXT_COLOUR = "#1B1F24"
#: Faded text (captions, help, widget notes, a chart's quieter notes) at #4A5560, opaque: 7.4:1 on white and
#: 6.8:1 on the sidebar's PANEL_COLOUR, where Streamlit's text at 60 % opacity (#717479 / #76797C) gives
#: 4.25-4.37:1, under the 4.5:1 of WCAG 1.4.3 (ui.style).
FADED_TEXT = "#4A5560"
#: Quiet lines and markers: the projection, "no target", a hidden count's outline, the slide stamp's rule.
QUIET_LINE_COLOUR = "#5F6B7A"
#: Grid lines, and the pale fill of what is hidden or not assessed.
GRID_COLOUR = "#E3E7EC"
#: The sidebar's background (.streamlit/config.toml) and the slide stamp's on the projector.
PANEL_COLOUR = "#F1F4F8"

STATUS_STYLES: dict[str, StatusStyle] = {
    "achieved": StatusStyle(STATUS_LABELS["achieved"], "✔", "#0B6E4F", ":material/verified:"),
    "on_track": StatusStyle(STATUS_LABELS["on_track"], "↗", "#0072B2", ":material/trending_up:"),
    "at_risk": StatusStyle(STATUS_LABELS["at_risk"], "⚠", "#B86E00", ":material/warning:"),
    "off_track": StatusStyle(STATUS_LABELS["off_track"], "✖", "#C0392B", ":material/cancel:"),
    "no_target": StatusStyle(STATUS_LABELS["no_target"], "○", QUIET_LINE_COLOUR, ":material/radio_button_unchecked:"),
    "no_data": StatusStyle(STATUS_LABELS["no_data"], "–", "#8A939E", ":material/remove:"),
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
HEADLINE_COLOUR = TEXT_COLOUR
#: The fill of each risk severity band (kpi.management.RISK_BANDS), light to dark as the score rises: one
#: sequential ramp, readable without hue; the band's word is always shown too.
RISK_BAND_COLOURS: dict[str, str] = {
    "low": "#F4F1E4", "medium": "#F9DC9A", "significant": "#F0A94A", "high": "#DE6B34", "critical": "#9E2A1F",
}
#: The text written over each band's fill: dark, white on the darkest (contrast 4.5:1 or more on each).
RISK_BAND_TEXT_COLOURS: dict[str, str] = {
    "low": TEXT_COLOUR, "medium": TEXT_COLOUR, "significant": TEXT_COLOUR, "high": TEXT_COLOUR,
    "critical": WHITE,
}
#: How each yearly status of an Accountability Framework component looks (kpi.dimensions.ACCOUNTABILITY_STATUSES,
#: NOT_ASSESSED): its word, icon and a light fill behind dark text (contrast 4.5:1 or more), green to red as the
#: indicator statuses, never colour alone.
ACCOUNTABILITY_STYLES: dict[str, StatusStyle] = {
    "in place": StatusStyle("In place", "✔", "#B5DDC9", ":material/verified:"),
    "partly in place": StatusStyle("Partly in place", "◐", "#F9DC9A", ":material/contrast:"),
    "not in place": StatusStyle("Not in place", "✖", "#F2B3A8", ":material/cancel:"),
    "not assessed": StatusStyle("Not assessed", "–", GRID_COLOUR, ":material/remove:"),
}
TARGET_COLOUR = "#B86E00"
PROJECTION_COLOUR = QUIET_LINE_COLOUR
#: Axis lines, zero lines and the outline of a legend's colour swatch (so that the palest one shows on white).
AXIS_COLOUR = "#8A939E"
#: Planned money beside spent money (SERIES_COLOURS[0]): the same hue, lighter.
PLANNED_COLOUR = "#A9C7E8"
#: Streamlit's badges take a named colour of their own: the one nearest each status's colour above.
STATUS_BADGE_COLOURS: dict[str, str] = {"achieved": "green", "on_track": "blue", "at_risk": "orange", "off_track": "red",
                                        "no_target": "gray", "no_data": "gray"}
#: Each state of an oversight recommendation (kpi.charts.management.oversight_bars), by its summary column:
#: done green, open amber, awaiting a decision grey, not accepted red, as the indicator statuses.
RECOMMENDATION_COLOURS: dict[str, str] = {
    "implemented": STATUS_STYLES["achieved"].colour, "open": SERIES_COLOURS[1],
    "pending": STATUS_STYLES["no_data"].colour, "rejected": STATUS_STYLES["off_track"].colour,
}

# The workforce charts (kpi.charts.workforce).
#: A count hidden to protect another one: pale fill, quiet outline.
HIDDEN_FILL = GRID_COLOUR
HIDDEN_LINE = QUIET_LINE_COLOUR
#: The band around parity (kpi.dimensions.PARITY): the achieved green, faint, behind the bars; its line, full.
PARITY_LINE = STATUS_STYLES["achieved"].colour
PARITY_FILL = "rgba(11, 110, 79, 0.12)"
#: No line at all (a grid a heat map's cells already draw).
TRANSPARENT = "rgba(0,0,0,0)"
#: A cell with no staff at all.
ZERO_FILL = "#F7F4EA"
#: A country hidden on the nationality map (darker than the pale "no national on staff").
MAP_HIDDEN_FILL = "#A5ADB7"
#: Share-of-women colour scale: light orange (men in majority) - white (parity) - light purple
#: (women in majority); tints of the gender colours, so that dark text stays readable on every cell.
SHARE_SCALE = [[0.0, "#F6B26B"], [0.5, "#F7F7F7"], [1.0, "#B39DDB"]]
#: Light blues only, so that dark text stays readable on every cell of a value heat map.
VALUE_SCALE = [[0.0, "#F4F8FC"], [1.0, "#74A9CF"]]

#: The header row of an Excel export (kpi.transfer.exporting): white on dark blue.
EXCEL_HEADER_FILL = "#1F4E79"
EXCEL_HEADER_TEXT = WHITE

# Projector mode's stylesheet (ui.projector): black on white for the most contrast a projector can keep.
PROJECTOR_TEXT_COLOUR = "#000000"
PROJECTOR_CAPTION_COLOUR = "#222222"
PROJECTOR_STAMP_TEXT_COLOUR = "#111111"
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
    import plotly.graph_objects as go

    size = PROJECTOR_FONT_SIZE if projector else FONT_SIZE
    # Streamlit's chart theme sets the sizes of tick labels, axis titles and the legend itself
    # (smaller than the layout's font), so each is set here too, or the projector's large type
    # would reach only the chart's annotations.
    font = {"size": size}
    axis_text = {"tickfont": font, "title": {"font": font}}
    return go.Layout(
        font={"family": FONT_FAMILY, "size": size, "color": TEXT_COLOUR},
        paper_bgcolor=WHITE,
        plot_bgcolor=WHITE,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=height,
        xaxis={"showgrid": False, "linecolor": AXIS_COLOUR, "ticks": "outside", **axis_text},
        yaxis={"gridcolor": GRID_COLOUR, "zerolinecolor": AXIS_COLOUR, **axis_text},
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
    "showcountries": True, "countrycolor": WHITE, "bgcolor": WHITE,
    "showland": True, "landcolor": "#F1F1F1",
}
