"""Data management: import files (with a preview), validate or reopen periods, export, audit trail."""
from __future__ import annotations

import polars as pl
import streamlit as st
from sqlalchemy import text

from kpi.config import DATA_DIR
from kpi.transfer import KINDS, export_frame, reopen_period, run_import, validate_period, value_history
from ui import data as ui_data
from ui.downloads import download_buttons
from ui.filters import current_filters

TEMPLATES_DIR = DATA_DIR / "templates"


def problems_frame(problems) -> pl.DataFrame:
    """The problems of an import as a table: file, row, column, value found, expected."""
    return pl.DataFrame(
        [{"file": p.file, "row": p.row, "column": p.column, "found": p.value, "expected": p.expected} for p in problems],
        schema={"file": pl.String, "row": pl.Int64, "column": pl.String, "found": pl.String, "expected": pl.String},
    )


engine = ui_data.engine()
filters = current_filters()
st.title("Data management")
st.caption("Imports are all or nothing: a file with any problem changes nothing. Every change keeps its old "
           "and new value, who and when.")

import_tab, approval_tab, export_tab, history_tab = st.tabs(["Import", "Approval", "Export", "Audit trail"])

with import_tab:
    kind = st.selectbox("What to import", list(KINDS), key="import-kind")
    template = TEMPLATES_DIR / f"{kind}.csv"
    if template.exists():
        st.download_button(f"Download the {kind} template", template.read_bytes(), file_name=template.name,
                           mime="text/csv", icon=":material/description:", on_click="ignore")
    user = st.text_input("Your name (recorded with every change)", key="import-user")
    upload = st.file_uploader("CSV (comma or semicolon, UTF-8) or XLSX", type=["csv", "xlsx"], key="import-file")
    if upload is not None:
        name, content = upload.name, upload.getvalue()
        preview = run_import(engine, kind, name, user=user or "unknown", dry_run=True, content=content)
        if preview.problems:
            st.error(f"{upload.name}: {preview.summary()}", icon=":material/error:")
            st.dataframe(problems_frame(preview.problems), hide_index=True)
        else:
            st.info(f"Preview of {upload.name} ({preview.rows:,} rows): {preview.summary()}.", icon=":material/preview:")
            if st.button("Import now", type="primary", disabled=not user, icon=":material/upload:", key="import-now",
                         help="Enter your name first." if not user else None):
                result = run_import(engine, kind, name, user=user, content=content)
                if result.problems:
                    st.error(result.summary())
                    st.dataframe(problems_frame(result.problems), hide_index=True)
                else:
                    st.success(f"{upload.name}: {result.summary()} (batch {result.batch_id}).")

with approval_tab:
    st.markdown("Values are **provisional** until a data steward validates them for a year. A validated year "
                "is locked against imports until it is reopened (and the reopening is logged).")
    codes = ["*", *ui_data.results().indicators["code"].to_list()]
    col_year, col_ind = st.columns(2)
    year = col_year.number_input("Year", 1990, 2100, filters.year, key="approval-year")
    code = col_ind.selectbox("Indicator", codes, format_func=lambda c: "All indicators" if c == "*" else c,
                             key="approval-indicator")
    steward = st.text_input("Data steward", key="approval-user")
    reason = st.text_input("Reason (to reopen)", key="approval-reason")
    left, right = st.columns(2)
    if left.button("Validate the year", disabled=not steward, icon=":material/task_alt:"):
        n = validate_period(engine, int(year), user=steward, indicator_code=None if code == "*" else code)
        st.success(f"{n} values validated for {year}.")
    if right.button("Reopen the year", disabled=not (steward and reason), icon=":material/lock_open:"):
        try:
            n = reopen_period(engine, int(year), user=steward, reason=reason,
                              indicator_code=None if code == "*" else code)
            st.success(f"{n} validated period(s) reopened for {year}.")
        except ValueError as error:
            st.error(str(error))

with export_tab:
    export_kind = st.selectbox("What to export", list(KINDS), key="export-kind")
    frame = export_frame(engine, export_kind)
    st.caption(f"{frame.height:,} rows, in the columns of the import template (export then import is a round trip).")
    download_buttons(frame, export_kind, export_kind, key="export")

with history_tab:
    with engine.connect() as connection:
        batches = pl.DataFrame(
            connection.execute(text("SELECT id, kind, file_name, rows, added, changed, unchanged, \"user\", "
                                    "CAST(created_at AS VARCHAR(32)) FROM import_batch ORDER BY id DESC")).fetchall(),
            schema=["batch", "kind", "file", "rows", "added", "changed", "unchanged", "user", "when"], orient="row")
    st.markdown("**Import batches**")
    st.dataframe(batches, hide_index=True)
    st.markdown("**A value's history**")
    h_code = st.selectbox("Indicator", codes[1:], key="history-indicator")
    h_year = st.number_input("Year", 1990, 2100, filters.year, key="history-year")
    history = value_history(engine, h_code, int(h_year))
    if history.is_empty():
        st.caption("No recorded change for this value (values loaded with the demo or reference data have no history).")
    else:
        st.dataframe(history, hide_index=True)
