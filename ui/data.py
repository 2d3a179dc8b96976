"""Cached access to the store: one engine per process, frames loaded once per data version.

Frames are cached with ``st.cache_resource`` (shared by all sessions, not copied per call):
Polars frames are immutable, so sharing them is safe and saves a copy of large frames per rerun.
The cache key is the database URL and its data version, so an import shows on the next rerun.
"""
from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from kpi.config import database_url
from kpi.store.engine import make_engine
from kpi.store.frames import ResultsData, data_version, load_results


@st.cache_resource(show_spinner=False)
def engine_for(url: str) -> Engine:
    """The process-wide engine of ``url``."""
    return make_engine(url)


def engine() -> Engine:
    """The engine of the configured store."""
    return engine_for(database_url())


def current_version() -> int:
    """The data version of the store (a cheap read on every rerun)."""
    return data_version(engine())


@st.cache_resource(show_spinner="Loading results…", max_entries=4)
def _results(url: str, version: int) -> ResultsData:
    return load_results(engine_for(url))


def results() -> ResultsData:
    """The results frames of the current data version."""
    return _results(database_url(), current_version())
