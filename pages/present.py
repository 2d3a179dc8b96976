"""Council presentation: a stepped sequence of large, legible slides with a data stamp on each."""
from __future__ import annotations

import html

import polars as pl
import streamlit as st

from kpi.charts.indicator import indicator_figure
from kpi.charts.status import short_label, status_bars
from kpi.explorer import indicator_view
from kpi.formatting import format_value
from kpi.presentation import build_sequence, load_sequence, save_sequence, sequence_names
from kpi.scorecard import status_counts
from kpi.text import markdown_text
from kpi import access
from ui import cache, data as ui_data
from ui.auth import current_actor
from ui.filters import current_filters
from ui.projector import fit_slides
from ui.urlstate import url_selectbox
from ui.widgets import attribution_line, data_stamp, status_badge, status_text

DEFAULT_SEQUENCE = "default"
AUTO_ADVANCE_SECONDS = 20

results = ui_data.results()
filters = current_filters()
statuses = cache.statuses(filters.cycle, filters.year, filters.validated_only)
if statuses.is_empty():
    st.warning(f"No indicators in the plan cycle {markdown_text(filters.cycle)}: nothing to present.")
    st.stop()

saved = sequence_names(ui_data.engine())
if filters.projector:
    fit_slides()
if filters.projector:  # on the projector the sequence comes from the link, with no selector on screen
    show = st.query_params.get("show", DEFAULT_SEQUENCE)
else:
    show = url_selectbox("Sequence", [DEFAULT_SEQUENCE, *saved], key="show",
                         format_func=lambda n: "Default: scorecard, goals, indicators needing attention"
                         if n == DEFAULT_SEQUENCE else n)
chosen = None if show == DEFAULT_SEQUENCE else (load_sequence(ui_data.engine(), show) or {}).get("indicator_codes")
slides = build_sequence(statuses, chosen)


def go_to(target: int) -> None:
    """Button callback: move to slide ``target`` (kept within the sequence)."""
    st.session_state["slide"] = max(1, min(len(slides), target))


def stamp() -> None:
    """The "data as of" stamp and source on every slide (pinned to the bottom on the projector)."""
    text = (f"{data_stamp(results.meta)} · {'validated data only' if filters.validated_only else 'includes provisional data'}"
            " · Sources: ITU via World Bank WDI, compiled by Gapminder (CC BY 4.0); other values synthetic demo data")
    if filters.projector:
        st.html(f'<div class="slide-stamp"><span>{html.escape(text)}</span>'
                f'<span class="slide-count">Slide {number} of {total}</span></div>')
    else:
        st.caption(f"{text} · slide {number} of {total}")


def slide_figure(figure, key: str) -> None:
    """A slide's chart: on the projector it takes the height the slide leaves it (ui.projector), so that it
    fits any screen; elsewhere its own height."""
    if filters.projector:
        figure.update_layout(height=None, autosize=True)
    with st.container(key="slide-figure"):
        st.plotly_chart(figure, key=key, config={"displayModeBar": False, "responsive": True},
                        height="stretch" if filters.projector else "content")


def _slide_from_url() -> int:
    raw = st.query_params.get("slide", "1")
    return int(raw) if raw.isdigit() else 1


# The controls come first so that they stay on screen above the slide; keys as in a presentation program.
number = min(max(int(st.session_state.get("slide", _slide_from_url())), 1), len(slides))
total = len(slides)
bar = st.container(key="slide-nav", horizontal=True, vertical_alignment="center", gap="small")
bar.button("First", key="first", on_click=go_to, args=(1,), disabled=number <= 1, icon=":material/first_page:")
bar.button("Back", key="prev", on_click=go_to, args=(number - 1,), disabled=number <= 1,
           icon=":material/arrow_back:")
with bar.container(key="slide-position", width=260):
    st.select_slider(f"Slide (of {total})", options=list(range(1, total + 1)), key="slide", bind="query-params",
                     label_visibility="collapsed")
bar.button("Next", key="next", on_click=go_to, args=(number + 1,), disabled=number >= total,
           icon=":material/arrow_forward:")
bar.button("Last", key="last", on_click=go_to, args=(total,), disabled=number >= total, icon=":material/last_page:")
auto = bar.toggle("Auto-advance", key="auto", bind="query-params", help=f"Next slide every {AUTO_ADVANCE_SECONDS} seconds")
number = int(st.session_state["slide"])
slide = slides[min(max(number, 1), total) - 1]
st.title(markdown_text(slide.title))  # names from the store (kpi.presentation)

if slide.kind == "scorecard":
    counts = status_counts(statuses, ["root_code", "root_name"]).with_columns(pl.struct("root_code", "root_name").map_elements(
        lambda r: short_label(r["root_code"], r["root_name"]), return_dtype=pl.String).alias("label"))
    overall = status_counts(statuses, []).row(0, named=True)
    st.markdown(f"**{overall['total']} indicators**, status as of {filters.year}")
    slide_figure(status_bars(counts, projector=filters.projector), "slide-bars")
elif slide.kind == "goal":
    part = statuses.filter(pl.col("root_code") == slide.ref)
    counts = status_counts(part, []).row(0, named=True)
    st.markdown(" ".join(status_badge(s, counts[s]) for s in ("achieved", "on_track", "at_risk", "off_track",
                                                              "no_target", "no_data") if counts[s]))
    rows = part.filter(pl.col("code").is_in(list(slide.codes))) if slide.codes else part
    table = rows.select(  # st.table renders Markdown in its cells: the indicator is escaped
        pl.col("status").map_elements(status_text, return_dtype=pl.String).alias("Status"),
        (pl.col("code") + " " + pl.col("name")).map_elements(markdown_text, return_dtype=pl.String).alias("Indicator"),
        pl.struct("latest_value", "latest_year", "unit").map_elements(
            lambda r: "–" if r["latest_value"] is None else f"{format_value(r['latest_value'], r['unit'])} ({r['latest_year']})",
            return_dtype=pl.String).alias("Latest"),
        pl.struct("target_value", "target_year", "unit").map_elements(
            lambda r: "–" if r["target_value"] is None else f"{format_value(r['target_value'], r['unit'])} by {r['target_year']}",
            return_dtype=pl.String).alias("Target"),
    )
    st.table(table)
else:
    view = indicator_view(results, slide.ref, filters.year, validated_only=filters.validated_only)
    a = view.assessment
    st.markdown(f"{status_badge(a.status)} {a.explanation}")
    baseline = (view.sheet["baseline_year"], view.sheet["baseline_value"]) if view.sheet["baseline_value"] is not None else None
    figure = indicator_figure(view.sheet, view.headline.filter(pl.col("year").is_between(*filters.years)),
                              view.targets, view.projection, baseline, projector=filters.projector, height=460)
    slide_figure(figure, "slide-chart")
    st.caption(attribution_line(view.sheet))
stamp()


@st.fragment(run_every=AUTO_ADVANCE_SECONDS if auto else None)
def auto_advance() -> None:
    """Advance one slide per interval while auto-advance is on (wrapping to the first)."""
    if not auto:
        return
    if st.session_state.get("_auto_started"):
        st.session_state["slide"] = number % len(slides) + 1
        st.session_state["_auto_started"] = False
        st.rerun(scope="app")
    st.session_state["_auto_started"] = True


auto_advance()

if not filters.projector and current_actor().has(access.ADMINISTRATOR):  # kpi.presentation checks it again
    with st.expander("Prepare a named sequence for a Council session"):
        with st.form("save-sequence"):
            name = st.text_input("Name (used in the link)", placeholder="council-2026")
            title = st.text_input("Title", placeholder="Council 2026: results of the Strategic Plan")
            codes = st.multiselect("Indicators, in slide order", statuses["code"].to_list(),
                                   format_func=lambda c: f"{c} · {statuses.filter(pl.col('code') == c)['name'][0]}")
            if st.form_submit_button("Save sequence", icon=":material/save:"):
                try:
                    save_sequence(ui_data.engine(), name, title=title or name, cycle=filters.cycle,
                                  year=filters.year, indicator_codes=codes, actor=current_actor())
                    st.success(f"Saved. Link: ?show={markdown_text(name.strip())}&projector=true")
                except (ValueError, access.AccessDenied) as error:
                    st.error(str(error))
