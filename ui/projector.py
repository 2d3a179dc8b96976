"""Projector mode: large type, high contrast, no Streamlit chrome or sidebar."""
from __future__ import annotations

import streamlit as st

PROJECTOR_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
.stMainBlockContainer, [data-testid="stMainBlockContainer"] { padding-top: 1.2rem !important; max-width: 100% !important; }
html { font-size: 22px !important; }  /* Streamlit sizes everything in rem: this scales the whole page */
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.1rem !important; line-height: 1.35 !important; color: #000 !important; }
h1 { font-size: 2.5rem !important; color: #000 !important; padding-top: 0.4rem !important; }
h2 { font-size: 2rem !important; color: #000 !important; }
h3 { font-size: 1.6rem !important; color: #000 !important; }
[data-testid="stMetricValue"] { font-size: 2.6rem !important; }
[data-testid="stCaptionContainer"] p { font-size: 0.95rem !important; color: #222 !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 0.95rem !important; padding: 0.25rem 0.6rem !important; line-height: 1.25 !important; }
.slide-stamp { position: fixed; left: 0; right: 0; bottom: 0; font-size: 0.75rem; color: #111; background: #F1F4F8; padding: 0.3rem 1.2rem; border-top: 1px solid #5F6B7A; z-index: 100; }
.stMainBlockContainer, [data-testid="stMainBlockContainer"] { padding-bottom: 3rem !important; }
</style>
"""


def apply_projector_style() -> None:
    """Inject the projector stylesheet into this page."""
    st.html(PROJECTOR_CSS)


def exit_projector() -> None:
    """Button callback: leave projector mode (the bound toggle takes the new value)."""
    st.session_state["projector"] = False
