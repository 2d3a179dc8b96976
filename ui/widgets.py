"""Small widgets every page uses: status badges, the synthetic-data notice, the data stamp."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from kpi.charts.table import figure_table
from kpi.python_columns import python_column
from kpi.charts.theme import STATUS_BADGE_COLOURS, STATUS_STYLES, TEXT_COLOUR, status_tint
from kpi.status import STATUSES
from kpi.text import markdown_text

SYNTHETIC_NOTICE = (
    "Demo data: workforce, oversight, budget, risk and most indicator values are **synthetic** "
    "(generated, not ITU's). The connectivity indicators are real: ITU via World Bank WDI, "
    "compiled by Gapminder (CC BY 4.0)."
)


def status_badge(status: str, count: int | None = None) -> str:
    """Markdown for a status: coloured badge with icon and word (never colour alone)."""
    style = STATUS_STYLES[status]
    text = f"{style.label}" if count is None else f"{count} {style.label.lower()}"
    return f":{STATUS_BADGE_COLOURS[status]}-badge[{style.material_icon} {text}]"


def status_counts_markdown(counts: dict[str, int]) -> str:
    """Badges for the non-zero status counts, in status order."""
    return " ".join(status_badge(s, counts[s]) for s in STATUSES if counts.get(s))


def synthetic_notice() -> None:
    """Say on screen that the demo data is synthetic."""
    st.info(SYNTHETIC_NOTICE, icon=":material/science:")


def data_stamp(meta: dict[str, str]) -> str:
    """The "data as of" line."""
    return f"Data as of {meta.get('data_updated_at', 'unknown')} · data version {meta.get('data_version', '0')}"


def status_cell_style(status: str | None) -> str:
    """CSS for a table cell of a status: a light tint of its colour behind dark text (contrast above 4.5:1)."""
    return f"background-color: {status_tint(STATUS_STYLES[status or 'no_data'].colour)}; color: {TEXT_COLOUR}"


def status_text(status: str | None) -> str:
    """Icon and word of a status for tables and charts (``"✔ Achieved"``)."""
    style = STATUS_STYLES[status or "no_data"]
    return f"{style.icon} {style.label}"


def attribution_line(sheet: dict) -> str:
    """The source line under an indicator (Markdown, for ``st.caption``): the attribution for real
    data, a synthetic label otherwise. The source and attribution are imported text, escaped."""
    if sheet.get("is_synthetic"):
        if "synthetic" in sheet["source"].lower():  # the demo's own source line says it already
            return "Source: **synthetic demo data** (generated, not ITU's)"
        return f"Source: {markdown_text(sheet['source'])} · **synthetic demo data**"
    return f"Source: {markdown_text(sheet['source'])} · {markdown_text(sheet['attribution'])}"


def chart(fig: go.Figure, *, key: str, projector: bool = False, container=st, **kwargs) -> None:
    """A Plotly chart and its table alternative (:func:`kpi.charts.table.figure_table`): under the chart in
    "Table of this chart" on screen; on the projector, read by a screen reader only (the slide must fit).
    A plain HTML table (``st.table``), which a screen reader reads as a table, whatever its length."""
    container.plotly_chart(fig, key=key, **kwargs)
    table = figure_table(fig)
    if table.is_empty():
        return
    with container.container(key=f"sr-only-{key}") if projector else container.expander("Table of this chart"):
        # st.table renders Markdown in its cells and headers: each is escaped.
        escaped = table.with_columns(python_column(table, c, markdown_text, c, pl.String) for c in table.columns)
        st.table(escaped.rename({c: markdown_text(c) for c in escaped.columns}), hide_index=True)
