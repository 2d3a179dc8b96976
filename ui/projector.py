"""Projector mode: large type, high contrast, no Streamlit chrome or sidebar."""
from __future__ import annotations

import streamlit as st

PROJECTOR_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
.stMainBlockContainer, [data-testid="stMainBlockContainer"] { padding-top: 1.2rem !important; max-width: 100% !important; }
html, body, [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.55rem !important; line-height: 1.35 !important; color: #000 !important; }
h1 { font-size: 3.1rem !important; color: #000 !important; }
h2 { font-size: 2.4rem !important; color: #000 !important; }
h3 { font-size: 2.0rem !important; color: #000 !important; }
[data-testid="stMetricValue"] { font-size: 3.2rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.4rem !important; }
[data-testid="stCaptionContainer"] p { font-size: 1.25rem !important; color: #222 !important; }
.slide-stamp { position: fixed; right: 1.2rem; bottom: 0.6rem; font-size: 1.1rem; color: #222; background: #fff; padding: 0.2rem 0.6rem; border: 1px solid #888; }
</style>
"""


def apply_projector_style() -> None:
    """Inject the projector stylesheet into this page."""
    st.html(PROJECTOR_CSS)


def exit_projector() -> None:
    """Button callback: leave projector mode (the bound toggle takes the new value)."""
    st.session_state["projector"] = False
