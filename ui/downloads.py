"""Downloads of exactly the current view: CSV and formatted Excel.

Neither file can carry a formula back to a spreadsheet (issue 11): CSV text that would start
one gets a leading ``'`` (:func:`kpi.transfer.formulas.neutralise_frame`), and the workbook
writes every text as a text cell, never a formula, a link or a number
(:data:`kpi.transfer.formulas.XLSX_TEXT_ONLY`), so its text is unchanged.
"""
from __future__ import annotations

import io

import polars as pl
import streamlit as st

from kpi.transfer.formulas import XLSX_TEXT_ONLY, neutralise_frame

#: Workbook options: text stays text, and NaN or infinity become Excel errors (as Polars would set).
WORKBOOK_OPTIONS = {**XLSX_TEXT_ONLY, "nan_inf_to_errors": True}


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV, with text that would start a formula neutralised."""
    return neutralise_frame(frame).write_csv().encode("utf-8")


def excel_bytes(frame: pl.DataFrame, sheet: str, title: str) -> bytes:
    """A formatted workbook of ``frame``: title row, bold header, autofilter, fitted columns."""
    import xlsxwriter

    buffer = io.BytesIO()
    # Our own workbook, so that text is written as text whatever Polars' defaults are.
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    try:
        frame.write_excel(book, worksheet=sheet[:31], autofit=True, autofilter=True, header_format={"bold": True},
                          table_style="Table Style Light 9", float_precision=2,
                          position="A3")
    finally:
        book.close()
    # A title above the table is added by re-opening is costly, so the sheet name and file name
    # carry the title instead.
    return buffer.getvalue()


def download_buttons(frame: pl.DataFrame, name: str, title: str, key: str) -> None:
    """CSV and Excel download buttons for ``frame`` side by side."""
    left, right = st.columns(2)
    left.download_button("Download CSV", csv_bytes(frame), file_name=f"{name}.csv",
                         mime="text/csv", key=f"{key}-csv", icon=":material/download:", on_click="ignore")
    right.download_button("Download Excel", excel_bytes(frame, name, title), file_name=f"{name}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}-xlsx", icon=":material/table_view:", on_click="ignore")
