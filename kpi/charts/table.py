"""The table alternative of a chart: the figure's own points as rows, so a screen reader (and a reader
who prefers numbers) gets exactly what the chart draws, and no more (a hidden count reads "fewer than 5"
here as on the chart; the table is built from the figure, which never carries a hidden number)."""
from __future__ import annotations

import html
import re

import plotly.graph_objects as go
import polars as pl

from kpi.formatting import format_number

#: A series drawn only to mark hidden points is named after its series with this suffix.
_HIDDEN_SUFFIX = re.compile(r":\s*hidden$")
_TAG = re.compile(r"<[^>]+>")
_YEAR = re.compile(r"(19|20)\d\d")


def plain(text: object) -> str:
    """Chart text as plain text: tags (``<br>``, ``<b>``) become spaces, entities are decoded."""
    return " ".join(html.unescape(_TAG.sub(" ", str(text))).split())


def _shown(value: object, text: object = None, datum: object = None) -> str:
    """A point as the chart shows it: the words drawn on it ("fewer than 5", "43 %") if any, else its value,
    else its hover words (a hidden point has no value: "hidden")."""
    for words in (text, None if isinstance(value, int | float) else datum):
        if isinstance(words, str) and plain(words):
            return plain(words)
    return format_number(value) if isinstance(value, int | float) else plain(value) if value is not None else "–"


def _axis_title(fig: go.Figure, axis: str, default: str) -> str:
    title = getattr(fig.layout, axis).title.text
    return plain(title) if title else default


def _map_title(fig: go.Figure) -> str:
    """The title of a map's colour scale ("Staff 2025", "%"), which names its values."""
    titles = [plain(t.colorbar.title.text) for t in fig.data if t.type == "choropleth" and t.colorbar.title.text]
    return titles[0] if titles else "Value"


def _each(values, size: int) -> list:
    """A per-point attribute as a list (a single value, or none, repeated)."""
    if values is None or isinstance(values, str | int | float):
        return [values] * size
    return list(values)


def _grid(fig: go.Figure) -> pl.DataFrame:
    """A heat map as a cross-tabulation: a row per row of the grid, a column per column; the words written
    over hidden or empty cells (text layers) fill those cells."""
    heatmap = next(t for t in fig.data if t.type == "heatmap")
    rows, columns = [plain(y) for y in heatmap.y], [plain(x) for x in heatmap.x]
    texts = heatmap.text if heatmap.text is not None else [[None] * len(columns) for _ in rows]
    cells = {(y, x): _shown(z, t) for y, z_row, t_row in zip(rows, heatmap.z, texts)
             for x, z, t in zip(columns, z_row, t_row)}
    for layer in fig.data:
        if layer.type == "scatter" and layer.mode == "text":
            for x, y, t in zip(layer.x, layer.y, _each(layer.text, len(layer.x))):
                if cells.get((plain(y), plain(x)), "–") in ("–", ""):
                    cells[(plain(y), plain(x))] = plain(t)
    across = "year" if all(_YEAR.fullmatch(x) for x in columns) else "column"
    header = f"{_axis_title(fig, 'yaxis', 'Group')} \\ {_axis_title(fig, 'xaxis', across)}"
    return pl.DataFrame([{header: y, **{x: cells.get((y, x), "–") or "–" for x in columns}} for y in rows])


def _horizontal(trace) -> bool:
    """Whether a trace's categories are on its y axis: horizontal bars, and the markers drawn at zero beside
    them for hidden counts (numbers along x, labels along y), but not a strip of hidden points under a
    time series (on a second y axis, its points are years along x)."""
    if getattr(trace, "orientation", None) == "h":
        return True
    if trace.type != "scatter" or trace.x is None or trace.y is None or trace.yaxis not in (None, "y"):
        return False
    return all(isinstance(y, str) for y in trace.y) and all(isinstance(x, int | float) for x in trace.x)


def _points(fig: go.Figure) -> tuple[list[tuple[str, str, str]], str, list[str]]:
    """(series, category, value as shown) for every point of a figure of bars, lines or a map, the
    category's name and the categories' reading order (:func:`_reading_order`)."""
    rows: list[tuple[str, str, str]] = []
    category_name, order = "", []
    previous = ""
    for trace in fig.data:
        name = _HIDDEN_SUFFIX.sub("", plain(trace.name)) if trace.name else previous
        previous = name
        if trace.type == "choropleth":  # layers of one map (shown, hidden, none): one column, named by its scale
            places = trace.text if isinstance(trace.text, list | tuple) else trace.locations
            for place, z, datum in zip(places, trace.z, _each(trace.customdata, len(trace.z))):
                rows.append((_map_title(fig), plain(place), _shown(z, datum)))
            category_name = "Country"
            continue
        if trace.type not in ("scatter", "bar"):  # a legend key on a map (no points), a shape
            continue
        horizontal = _horizontal(trace)
        categories, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
        if categories is None or values is None:
            continue
        texts, data = _each(trace.text, len(values)), _each(trace.customdata, len(values))
        for category, value, text, datum in zip(categories, values, texts, data):
            if category is None:  # a legend entry drawn without points (a band, a marker's key)
                continue
            shown_value = abs(value) if isinstance(value, int | float) else value  # a pyramid draws men leftwards
            rows.append((name or "Value", plain(category), _shown(shown_value, text, datum)))
        default = "Year" if all(_YEAR.fullmatch(plain(c)) for c in categories if c is not None) else "Category"
        if not category_name:
            category_name = _axis_title(fig, "yaxis" if horizontal else "xaxis", default)
            order = _reading_order(fig, horizontal)
    return rows, category_name or "Category", order


def _reading_order(fig: go.Figure, horizontal: bool) -> list[str]:
    """The categories as the chart lays them out, top to bottom or left to right (empty: as drawn)."""
    axis = fig.layout.yaxis if horizontal else fig.layout.xaxis
    if axis.categoryorder != "array" or not axis.categoryarray:
        return []
    # Plotly lays a category array out from the bottom up: a horizontal chart reads it from the top down.
    names = [plain(c) for c in axis.categoryarray]
    return names[::-1] if horizontal else names


def figure_table(fig: go.Figure) -> pl.DataFrame:
    """The figure's points as a table: one row per category (a year, a grade, an output), one column per
    series, each cell the value as the chart shows it. A heat map is its grid (:func:`_grid`)."""
    if any(t.type == "heatmap" for t in fig.data):
        return _grid(fig)
    rows, category, order = _points(fig)
    if category in {series for series, _, _ in rows}:  # a bar chart of "Women (%)" titled "Women (%)"
        category = "Group"
    long = pl.DataFrame(rows, schema={"Series": pl.String, category: pl.String, "Value": pl.String}, orient="row")
    if long.is_empty():
        return long
    # A point drawn twice (a gap in a line, and the word "hidden" in the strip under it) is one cell: its words.
    long = long.group_by("Series", category, maintain_order=True).agg(
        pl.col("Value").filter(pl.col("Value") != "–").first().fill_null("–"))
    series = list(dict.fromkeys(long["Series"].to_list()))
    wide = long.pivot(on="Series", index=category, values="Value", maintain_order=True)
    if order:
        rank = {c: i for i, c in enumerate(order)}
        wide = wide.sort(pl.col(category).replace_strict(rank, default=len(rank), return_dtype=pl.Int64),
                         maintain_order=True)
    return wide.select(category, *series).fill_null("–")
