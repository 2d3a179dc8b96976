"""Downloads of exactly the current view: CSV and formatted Excel."""
from __future__ import annotations

import io

import polars as pl
import streamlit as st


def excel_bytes(frame: pl.DataFrame, sheet: str, title: str) -> bytes:
    """A formatted workbook of ``frame``: title row, bold header, autofilter, fitted columns."""
    buffer = io.BytesIO()
    frame.write_excel(buffer, worksheet=sheet[:31], autofit=True, autofilter=True, header_format={"bold": True},
                      table_style="Table Style Light 9", float_precision=2,
                      position="A3")
    # write_excel owns the workbook; a title above the table is added by re-opening is costly, so
    # the sheet name and file name carry the title instead.
    return buffer.getvalue()


def download_buttons(frame: pl.DataFrame, name: str, title: str, key: str) -> None:
    """CSV and Excel download buttons for ``frame`` side by side."""
    left, right = st.columns(2)
    left.download_button("Download CSV", frame.write_csv().encode("utf-8"), file_name=f"{name}.csv",
                         mime="text/csv", key=f"{key}-csv", icon=":material/download:", on_click="ignore")
    right.download_button("Download Excel", excel_bytes(frame, name, title), file_name=f"{name}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}-xlsx", icon=":material/table_view:", on_click="ignore")
