"""Projector mode: large type, high contrast, no Streamlit chrome or sidebar; an Exit on every page; the keys
of a presentation program on the Council presentation.

Type is sized from the window (``html`` font size from the viewport, everything else in ``rem``): the same
slide is laid out alike on a 1280x720 projector and a 1920x1080 screen, 24 px body type at 1080p and never
under 18 px.
"""
from __future__ import annotations

import html

import streamlit as st

from kpi.charts.theme import (PANEL_COLOUR, PROJECTOR_CAPTION_COLOUR, PROJECTOR_STAMP_TEXT_COLOUR, PROJECTOR_TEXT_COLOUR,
                              QUIET_LINE_COLOUR)

#: Body type as a share of the window: 1080 / 45 = 24 px, 1920 x 1.25 % = 24 px (the smaller wins on a
#: screen that is not 16:9); never under 18 px (the floor at 1280x720).
PROJECTOR_CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {{ display: none !important; }}
html {{ font-size: max(18px, min(calc(100vh / 45), 1.25vw)) !important; }}
.stMainBlockContainer, [data-testid="stMainBlockContainer"] {{ padding: 0.8rem 2rem 3rem 2rem !important; max-width: 100% !important; }}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {{ font-size: 1rem !important; line-height: 1.3 !important; color: {PROJECTOR_TEXT_COLOUR} !important; }}
h1 {{ font-size: 1.7rem !important; line-height: 1.2 !important; color: {PROJECTOR_TEXT_COLOUR} !important; padding: 0.2rem 0 !important; }}
h2 {{ font-size: 1.5rem !important; color: {PROJECTOR_TEXT_COLOUR} !important; }}
h3 {{ font-size: 1.3rem !important; color: {PROJECTOR_TEXT_COLOUR} !important; }}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] div {{ font-size: 2.2rem !important; line-height: 1.15 !important; }}
[data-testid="stMetricLabel"] p {{ font-size: 1rem !important; }}
[data-testid="stCaptionContainer"] p {{ font-size: 0.85rem !important; color: {PROJECTOR_CAPTION_COLOUR} !important; }}
[data-testid="stTable"] td, [data-testid="stTable"] th {{ font-size: 1rem !important; padding: 0.2rem 0.5rem !important; line-height: 1.25 !important; }}
.slide-stamp {{ position: fixed; left: 0; right: 0; bottom: 0; display: flex; justify-content: space-between; gap: 1rem;
  font-size: 0.85rem; line-height: 1.25; color: {PROJECTOR_STAMP_TEXT_COLOUR}; background: {PANEL_COLOUR}; padding: 0.3rem 1.2rem;
  border-top: 1px solid {QUIET_LINE_COLOUR}; z-index: 100; }}
.slide-stamp .slide-count {{ white-space: nowrap; font-weight: 600; }}
.st-key-exit-projector {{ position: fixed !important; top: 0.5rem; right: 0.8rem; width: auto !important; z-index: 1000; }}
</style>
"""

#: On the Council presentation in projector mode the slide is exactly one window tall: the controls, the title
#: and the text take what they need and the chart (``slide-figure``) the rest, so nothing scrolls.
FIT_SLIDES_CSS = """
<style>
[data-testid="stMain"] { overflow: hidden !important; }
[data-testid="stMainBlockContainer"] { height: 100vh; box-sizing: border-box; padding-bottom: 3.4rem !important; }
[data-testid="stMainBlockContainer"] > div, [data-testid="stMainBlockContainer"] > div > [data-testid="stVerticalBlock"] { height: 100%; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
[data-testid="stLayoutWrapper"]:has(> .st-key-slide-figure) { flex: 1 1 0 !important; min-height: 0 !important; }
.st-key-slide-figure { height: 100% !important; min-height: 0 !important; }
.st-key-slide-figure > [data-testid="stElementContainer"] { flex: 1 1 0 !important; min-height: 0 !important; }
.st-key-slide-nav { padding-right: 9rem; }
.st-key-slide-nav button { min-height: 2rem; padding: 0.1rem 0.7rem; }
</style>
"""

#: The keys of a presentation program (and of a clicker, which sends PageDown/PageUp or the arrows): each
#: clicks the button of that key (``st-key-next`` ...) when the page has one, and only when the focus is not in
#: a control, so that the keyboard use of inputs, sliders and buttons keeps working. A click on one of these
#: buttons gives the focus back to the page, so that the next key press moves the slides again.
KEYS_JS = """
<script>
(() => {
  if (window.rbmPresentationKeys) return;
  window.rbmPresentationKeys = true;
  const target = {PageDown: "next", ArrowRight: "next", ArrowDown: "next", " ": "next",
                  PageUp: "prev", ArrowLeft: "prev", ArrowUp: "prev", Home: "first", End: "last",
                  Escape: "exit-projector"};
  const controls = "input, textarea, select, button, a[href], [role=slider], [role=combobox], [role=listbox], " +
                   "[role=switch], [role=tab], [contenteditable=true]";
  document.addEventListener("keydown", (event) => {
    const key = target[event.key];
    if (!key || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const active = document.activeElement;
    if (active && active !== document.body && active.closest(controls)) return;
    const button = document.querySelector(`.st-key-${key} button`);
    if (!button) return;
    event.preventDefault();
    if (!button.disabled) button.click();
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".st-key-slide-nav button");
    if (button) setTimeout(() => button.blur(), 0);
  }, true);
})();
</script>
"""


def apply_projector_style() -> None:
    """Inject the projector stylesheet into this page, and its Exit (also the Escape key)."""
    st.html(PROJECTOR_CSS)
    st.button("Exit projector mode", key="exit-projector", on_click=exit_projector, icon=":material/close_fullscreen:")


def projector_stamp(text: str) -> None:
    """The "data as of" stamp pinned to the bottom of a projector view (the presentation writes its own, with
    its sources and the slide number)."""
    st.html(f'<div class="slide-stamp"><span>{html.escape(text)}</span></div>')


def fit_slides() -> None:
    """Lay the Council presentation out as one window-tall slide (projector mode)."""
    st.html(FIT_SLIDES_CSS)


def presentation_keys() -> None:
    """The keys of a presentation program, on every page (they act only where their buttons are)."""
    st.html(KEYS_JS, unsafe_allow_javascript=True)


def exit_projector() -> None:
    """Button callback: leave projector mode (the bound toggle takes the new value)."""
    st.session_state["projector"] = False
