"""Cached domain computations, keyed by everything that changes the answer.

The results frames are cached per data version (ui.data); the computations on top of them are
cached per data version and filter values, so a rerun with unchanged filters costs a lookup.
"""
from __future__ import annotations

import polars as pl
import streamlit as st

from kpi.scorecard import indicator_status
from kpi.config import database_url
from kpi.membership import load_countries, load_membership
from kpi.store.frames import ManagementData, load_management
from ui import data as ui_data


@st.cache_resource(show_spinner=False, max_entries=4)
def _management(url: str, version: int) -> ManagementData:
    return load_management(ui_data.engine_for(url))


def management() -> ManagementData:
    """The management records (budget, risks, oversight, resolutions, commitments) of the current data version,
    shared by all sessions."""
    return _management(ui_data.engine().url.render_as_string(hide_password=False), ui_data.current_version())


@st.cache_resource(show_spinner=False, max_entries=4)
def _membership(url: str, version: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    engine = ui_data.engine_for(url)
    return load_membership(engine), load_countries(engine)


def membership() -> tuple[pl.DataFrame, pl.DataFrame]:
    """The membership counts and the country list of the current data version, shared by all sessions."""
    return _membership(ui_data.engine().url.render_as_string(hide_password=False), ui_data.current_version())


@st.cache_resource(show_spinner=False, max_entries=64)
def _statuses(url: str, version: int, cycle: str, year: int, validated_only: bool) -> pl.DataFrame:
    return indicator_status(ui_data.results(), cycle, year, validated_only=validated_only)


def statuses(cycle: str, year: int, validated_only: bool) -> pl.DataFrame:
    """Every indicator of ``cycle`` with its status as of ``year`` (cached)."""
    return _statuses(database_url(), ui_data.current_version(), cycle, year, validated_only)


@st.cache_resource(show_spinner=False, max_entries=64)
def _scorecard(url: str, version: int, cycle: str, year: int, validated_only: bool, sector: str | None,
               years: tuple[int, int]) -> pl.DataFrame:
    from kpi.scorecard import scorecard_rows
    from ui.widgets import status_text

    rows = _statuses(url, version, cycle, year, validated_only)
    if sector:
        rows = rows.filter(pl.col("owner") == sector)
    return scorecard_rows(rows, ui_data.results().observations, years, status_text, validated_only=validated_only)


def scorecard(cycle: str, year: int, validated_only: bool, sector: str | None, years: tuple[int, int]) -> pl.DataFrame:
    """The scorecard's display rows for these filters (cached)."""
    return _scorecard(database_url(), ui_data.current_version(), cycle, year, validated_only, sector, years)
