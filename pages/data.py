"""Data management: import files (with a preview), validate or reopen periods, export, audit trail.

What each role may do is decided in kpi.access; this page offers only that, and shows the refusal
the domain gives if anything else is tried.
"""
from __future__ import annotations

import hashlib

import polars as pl
import streamlit as st

from kpi import access
from kpi.access import AccessDenied
from kpi.config import DATA_DIR
from kpi.store.bulk import StoreBusy
from kpi.text import markdown_text
from kpi.transfer import KINDS, export_frame, import_batches, reopen_period, run_import, validate_period, value_history
from ui import data as ui_data
from ui.auth import current_actor
from ui.downloads import download_buttons
from ui.filters import current_filters
from ui.workforce import warm_in_background

TEMPLATES_DIR = DATA_DIR / "templates"


def problems_frame(problems) -> pl.DataFrame:
    """The problems of an import as a table: file, row, column, value found, expected."""
    return pl.DataFrame(
        [{"file": p.file, "row": p.row, "column": p.column, "found": p.value, "expected": p.expected} for p in problems],
        schema={"file": pl.String, "row": pl.Int64, "column": pl.String, "found": pl.String, "expected": pl.String},
    )


def kinds_allowed(may) -> list[str]:
    """The kinds for which ``may(actor, kind, about_individuals)`` (kpi.access) lets this actor through."""
    return [name for name, spec in KINDS.items() if may(actor, name, spec.about_individuals)]


def refused_or(call):
    """``call()``, or None after showing why it was refused (the role, another write running, a bad request)."""
    try:
        return call()
    except AccessDenied as error:
        st.error(str(error), icon=":material/lock:")
    except StoreBusy as error:
        st.warning(f"{str(error).capitalize()}.", icon=":material/hourglass_top:")
    except ValueError as error:  # e.g. reopening a year that is not validated
        st.error(str(error))
    return None


def preview_of(kind: str, name: str, content: bytes):
    """The dry run of an upload, computed once per file, kind and data version (not on every rerun)."""
    key = (kind, name, hashlib.sha256(content).hexdigest(), ui_data.current_version(), actor.identity)
    cached = st.session_state.get("_import_preview")
    if cached is None or cached[0] != key:
        cached = (key, run_import(engine, kind, name, actor=actor, dry_run=True, content=content))
        st.session_state["_import_preview"] = cached
    return cached[1]


def import_section() -> None:
    kinds = kinds_allowed(access.may_import)
    if not kinds:
        st.info("Your role imports nothing.", icon=":material/lock:")
        return
    kind = st.selectbox("What to import", kinds, key="import-kind")
    template = TEMPLATES_DIR / f"{kind}.csv"
    if template.exists():
        st.download_button(f"Download the {kind} template", template.read_bytes(), file_name=template.name,
                           mime="text/csv", icon=":material/description:", on_click="ignore")
    st.caption(f"Recorded as {markdown_text(actor.audit_name)} (your verified sign-in).")
    upload = st.file_uploader("CSV (comma or semicolon, UTF-8) or XLSX", type=["csv", "xlsx"], key="import-file")
    if upload is None:
        return
    name, content = upload.name, upload.getvalue()
    preview = refused_or(lambda: preview_of(kind, name, content))
    if preview is None:
        return
    if preview.problems:
        st.error(f"{upload.name}: {preview.summary()}", icon=":material/error:")
        st.dataframe(problems_frame(preview.problems), hide_index=True)
        return
    st.info(f"Preview of {upload.name} ({preview.rows:,} rows): {preview.summary()}.", icon=":material/preview:")
    if st.button("Import now", type="primary", icon=":material/upload:", key="import-now"):
        result = refused_or(lambda: run_import(engine, kind, name, actor=actor, content=content))
        if result is None:
            return
        if result.problems:
            st.error(result.summary())
            st.dataframe(problems_frame(result.problems), hide_index=True)
        else:
            st.success(f"{upload.name}: {result.summary()} (batch {result.batch_id}).")
            warm_in_background()  # the workforce pages' next visitor finds the new version's records ready


def approval_section(codes: list[str]) -> None:
    if not actor.has(access.DATA_STEWARD):
        st.info("Validating and reopening years is for data stewards.", icon=":material/lock:")
        return
    st.markdown("Values are **provisional** until a data steward validates them for a year. A validated year "
                "is locked against imports until it is reopened (and the reopening is logged).")
    sectors = actor.steward_sectors
    if sectors is not None:  # a Sector's steward validates that Sector's indicators, one at a time
        owners = dict(zip(indicators["code"].to_list(), indicators["owner"].to_list(), strict=True))
        codes = [c for c in codes if owners.get(c) in sectors]
        st.caption(f"Your role covers the indicators of {', '.join(sorted(sectors))}.")
    else:
        codes = ["*", *codes]
    col_year, col_ind = st.columns(2)
    year = col_year.number_input("Year", 1990, 2100, filters.year, key="approval-year")
    code = col_ind.selectbox("Indicator", codes, format_func=lambda c: "All indicators" if c == "*" else c,
                             key="approval-indicator")
    reason = st.text_input("Reason (to reopen)", key="approval-reason")
    left, right = st.columns(2)
    indicator = None if code == "*" else code
    if left.button("Validate the year", icon=":material/task_alt:"):
        n = refused_or(lambda: validate_period(engine, int(year), actor=actor, indicator_code=indicator))
        if n is not None:
            st.success(f"{n} values validated for {year}.")
    if right.button("Reopen the year", disabled=not reason.strip(), icon=":material/lock_open:"):
        n = refused_or(lambda: reopen_period(engine, int(year), actor=actor, reason=reason, indicator_code=indicator))
        if n is not None:
            st.success(f"{n} validated period(s) reopened for {year}.")


def export_section() -> None:
    kinds = kinds_allowed(access.may_export)
    export_kind = st.selectbox("What to export", kinds, key="export-kind")
    try:
        frame = export_frame(engine, export_kind, actor=actor)
    except AccessDenied as error:
        st.error(str(error), icon=":material/lock:")
        return
    st.caption(f"{frame.height:,} rows, in the columns of the import template (export then import is a round trip).")
    download_buttons(frame, export_kind, export_kind, key="export")


def history_section(codes: list[str]) -> None:
    st.markdown("**Import batches**")
    st.dataframe(import_batches(engine), hide_index=True)
    st.markdown("**A value's history**")
    h_code = st.selectbox("Indicator", codes, key="history-indicator")
    h_year = st.number_input("Year", 1990, 2100, filters.year, key="history-year")
    history = value_history(engine, h_code, int(h_year))
    if history.is_empty():
        st.caption("No recorded change for this value (values loaded with the demo or reference data have no history).")
    else:
        st.dataframe(history, hide_index=True)


engine = ui_data.engine()
filters = current_filters()
actor = current_actor()
st.title("Data management")
if not any(actor.has(r) for r in (access.DATA_STEWARD, access.HR_ANALYST, access.ADMINISTRATOR)):
    st.error("Data management is for data stewards, HR analysts and administrators. Sign in with such a role.",
             icon=":material/lock:")
    st.stop()
st.caption("Imports are all or nothing: a file with any problem changes nothing. Every change keeps its old "
           "and new value, who and when.")
indicators = ui_data.results().indicators
indicator_codes = indicators["code"].to_list()
import_tab, approval_tab, export_tab, history_tab = st.tabs(["Import", "Approval", "Export", "Audit trail"], key="tab",
                                                             bind="query-params", on_change="rerun")
with import_tab:
    import_section()
with approval_tab:
    approval_section(indicator_codes)
with export_tab:
    export_section()
with history_tab:
    history_section(indicator_codes)
