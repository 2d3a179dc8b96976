"""The stylesheet every page gets: what Streamlit's theme cannot set (WCAG 2.1 AA contrast of its faded text)."""
from __future__ import annotations

import streamlit as st

from kpi.charts.theme import FADED_TEXT  # opaque: the contrast WCAG 1.4.3 asks (reasons beside it)

BASE_CSS = f"""
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] small, [data-testid="stTooltipHoverTarget"] p {{ color: {FADED_TEXT} !important; opacity: 1 !important; }}
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] p, [data-testid="stMain"] [data-testid="stPageLink-NavLink"] span {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
/* Read by a screen reader, not drawn: the table alternative of a projected slide's chart (ui.widgets.chart). */
div[class*="st-key-sr-only"] {{ position: absolute !important; width: 1px !important; height: 1px !important;
  overflow: hidden !important; clip: rect(0 0 0 0) !important; white-space: nowrap !important; }}
/* Its table's own scroll box would be a scrollable region no keyboard can reach (WCAG 2.1.1): none inside. */
div[class*="st-key-sr-only"] * {{ overflow: visible !important; }}
.nav-section {{ font-size: 0.8rem; font-weight: 600; color: {FADED_TEXT}; margin: 0.5rem 0 0 0; }}
</style>
"""


def apply_base_style() -> None:
    """Inject the base stylesheet into this page."""
    st.html(BASE_CSS)
