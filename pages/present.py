"""Council presentation: a stepped sequence of large, legible slides with a data stamp on each; live, or a
snapshot frozen for a session (kpi.snapshots); taken away as PowerPoint and as a PDF report (kpi.deck)."""
from __future__ import annotations

import html
import io
from urllib.parse import quote

import polars as pl
import streamlit as st

from kpi import access
from kpi.charts.indicator import indicator_figure
from kpi.charts.status import status_bars
from kpi.deck import stamp_text, write_pdf, write_pptx
from kpi.presentation import SOURCES, build_sequence, data_facts, load_sequence, save_sequence, sequence_content, \
    sequence_names, slide_content
from kpi.snapshots import Frozen, changes, freeze, load_snapshot, snapshot_names
from kpi.status import STATUSES
from kpi.text import markdown_text
from ui import cache, data as ui_data
from ui.auth import current_actor
from ui.filters import current_filters
from ui.projector import fit_slides
from ui.urlstate import url_selectbox
from ui.widgets import attribution_line, chart, status_badge, status_text

DEFAULT_SEQUENCE = "default"
LIVE = ""
AUTO_ADVANCE_SECONDS = 20
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

results = ui_data.results()
filters = current_filters()
actor = current_actor()
engine = ui_data.engine()
statuses = cache.statuses(filters.cycle, filters.year, filters.validated_only)
if statuses.is_empty():
    st.warning(f"No indicators in the plan cycle {markdown_text(filters.cycle)}: nothing to present.")
    st.stop()

# A visitor without a role sees the snapshots of validated data only (kpi.access: provisional is internal).
public = not actor.sees_provisional
requested = st.query_params.get("snapshot", LIVE)
if filters.projector:
    fit_slides()
    # On the projector the sequence and the snapshot come from the link, with no selector on screen.
    show = st.query_params.get("show", DEFAULT_SEQUENCE)
    snapshot = st.query_params.get("snapshot", LIVE)
else:
    left, right = st.columns(2)
    with left:
        show = url_selectbox("Sequence", [DEFAULT_SEQUENCE, *sequence_names(engine)], key="show",
                             format_func=lambda n: "Default: scorecard, goals, every indicator needing attention"
                             if n == DEFAULT_SEQUENCE else n)
    with right:
        snapshot = url_selectbox("Data", [LIVE, *snapshot_names(engine, validated_only=public)], key="snapshot",
                                 format_func=lambda n: "Live data" if n == LIVE else f"Snapshot: {n}",
                                 help="A snapshot is what a sequence showed in a session, frozen: later imports "
                                      "never change it.")
frozen: Frozen | None = load_snapshot(engine, snapshot, validated_only=public) if snapshot else None
if requested and (frozen is None or frozen.name != requested):
    st.warning(f"There is no snapshot named “{markdown_text(requested)}” that you may see: showing live data.")

if frozen is not None:
    titles = [s["title"] for s in frozen.content["slides"]]
else:
    chosen = None if show == DEFAULT_SEQUENCE else (load_sequence(engine, show) or {}).get("indicator_codes")
    slides = build_sequence(statuses, chosen)
    titles = [s.title for s in slides]
total = len(titles)


def go_to(target: int) -> None:
    """Button callback: move to slide ``target`` (kept within the sequence)."""
    st.session_state["slide"] = max(1, min(total, target))


def current_content(number: int) -> dict:
    """What slide ``number`` shows: frozen, or computed now from the live data."""
    if frozen is not None:
        return frozen.content["slides"][number - 1]
    return slide_content(results, statuses, slides[number - 1], as_of_year=filters.year, years=filters.years,
                         validated_only=filters.validated_only)


def full_content() -> dict:
    """Everything the sequence shows (for freezing and for the deck): frozen, or the live data now."""
    if frozen is not None:
        return frozen.content
    return sequence_content(results, statuses, slides, as_of_year=filters.year, years=filters.years,
                            validated_only=filters.validated_only)


def stamp_line() -> str:
    """The stamp of every slide: "as presented on" for a snapshot, "data as of" for live data."""
    if frozen is not None:
        return stamp_text(frozen.content, frozen.presented_on, frozen.name)
    return stamp_text(data_facts(results, filters.validated_only))


def stamp() -> None:
    """The stamp and sources on every slide (pinned to the bottom on the projector), and the slide number."""
    text = f"{stamp_line()} · Sources: {results_sources()}"
    if filters.projector:
        st.html(f'<div class="slide-stamp"><span>{html.escape(text)}</span>'
                f'<span class="slide-count">Slide {number} of {total}</span></div>')
    else:
        st.caption(f"{markdown_text(text)} · slide {number} of {total}")


def results_sources() -> str:
    return frozen.content["sources"] if frozen is not None else SOURCES


def slide_figure(figure, key: str) -> None:
    """A slide's chart: on the projector it takes the height the slide leaves it (ui.projector), so that it
    fits any screen; elsewhere its own height."""
    if filters.projector:
        figure.update_layout(height=None, autosize=True)
    with st.container(key="slide-figure"):
        chart(figure, key=key, projector=filters.projector, config={"displayModeBar": False, "responsive": True},
              height="stretch" if filters.projector else "content")


def show_slide(shown: dict) -> None:
    """Draw one slide from what it shows (:func:`kpi.presentation.slide_content`)."""
    if shown["kind"] == "scorecard":
        counts = pl.DataFrame(shown["goals"])
        st.markdown(f"**{shown['total']} indicators**, status as of {frozen.year if frozen else filters.year}")
        slide_figure(status_bars(counts, projector=filters.projector), "slide-bars")
    elif shown["kind"] == "goal":
        counts = shown["counts"]
        st.markdown(" ".join(status_badge(s, counts[s]) for s in STATUSES if counts.get(s)))
        # st.table renders Markdown in its cells: the indicator is escaped
        st.table(pl.DataFrame({
            "Status": [status_text(r["status"]) for r in shown["rows"]],
            "Indicator": [markdown_text(f"{r['code']} {r['name']}") for r in shown["rows"]],
            "Latest": [r["latest"] for r in shown["rows"]],
            "Target": [r["target"] for r in shown["rows"]],
        }))
    else:
        st.markdown(f"{status_badge(shown['status'])} {markdown_text(shown['explanation'])}")
        headline = pl.DataFrame(shown["headline"], schema={"year": pl.Int64, "value": pl.Float64,
                                                           "flag": pl.String, "note": pl.String,
                                                           "approval": pl.String})
        targets = pl.DataFrame(shown["targets"], schema={"year": pl.Int64, "value": pl.Float64})
        projection = pl.DataFrame(shown["projection"], schema={"year": pl.Int64, "value": pl.Float64})
        baseline = tuple(shown["baseline"]) if shown["baseline"] else None
        slide_figure(indicator_figure({"unit": shown["unit"]}, headline, targets, projection, baseline,
                                      projector=filters.projector, height=460), "slide-chart")
        st.caption(attribution_line(shown))


def _slide_from_url() -> int:
    raw = st.query_params.get("slide", "1")
    return int(raw) if raw.isdigit() else 1


# The controls come first so that they stay on screen above the slide; keys as in a presentation program.
number = min(max(int(st.session_state.get("slide", _slide_from_url())), 1), total)
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
number = min(max(int(st.session_state["slide"]), 1), total)
st.title(markdown_text(titles[number - 1]))  # names from the store (kpi.presentation)
show_slide(current_content(number))
stamp()


@st.fragment(run_every=AUTO_ADVANCE_SECONDS if auto else None)
def auto_advance() -> None:
    """Advance one slide per interval while auto-advance is on (wrapping to the first)."""
    if not auto:
        return
    if st.session_state.get("_auto_started"):
        st.session_state["slide"] = number % total + 1
        st.session_state["_auto_started"] = False
        st.rerun(scope="app")
    st.session_state["_auto_started"] = True


auto_advance()


def deck_bytes() -> bytes:
    buffer = io.BytesIO()
    write_pptx(full_content(), buffer, stamp=stamp_line())
    return buffer.getvalue()


def report_bytes() -> bytes:
    buffer = io.BytesIO()
    write_pdf(full_content(), buffer, stamp=stamp_line(), title=report_title())
    return buffer.getvalue()


def report_title() -> str:
    cycle = frozen.cycle if frozen is not None else filters.cycle
    return f"Strategic Plan {cycle}: progress report" + (f" ({frozen.title})" if frozen is not None else "")


def file_stem() -> str:
    return "".join(c if c.isalnum() else "-" for c in (frozen.name if frozen is not None else show)).strip("-")


if not filters.projector:
    st.subheader("Take it away")
    left, right = st.columns(2)
    left.download_button("PowerPoint deck (.pptx)", deck_bytes, file_name=f"{file_stem()}.pptx", mime=PPTX_MIME,
                         icon=":material/slideshow:", on_click="ignore", key="deck-pptx",
                         help="One slide per view, native charts, the reasons and sources in the speaker notes.")
    right.download_button("Progress report (PDF)", report_bytes, file_name=f"{file_stem()}.pdf",
                          mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore",
                          key="deck-pdf", help="Every goal and indicator: status, reason, chart, values, sources.")

if not filters.projector and frozen is not None:
    with st.expander(f"What changed since {frozen.presented_on}"):
        live_statuses = cache.statuses(frozen.cycle, frozen.year, frozen.content["validated_only"])
        codes = [s["ref"] for s in frozen.content["slides"] if s["kind"] == "indicator"]
        live = sequence_content(results, live_statuses, build_sequence(live_statuses, codes),
                                as_of_year=frozen.year, years=tuple(frozen.content["years"]),
                                validated_only=frozen.content["validated_only"])
        changed = changes(frozen.content, live)
        if changed.is_empty():
            st.caption(f"Nothing: the live data (version {results.meta.get('data_version')}) shows the same "
                       f"statuses, values and targets as the snapshot (version {frozen.data_version}).")
        else:
            st.caption(f"Snapshot: data version {frozen.data_version}; live: data version "
                       f"{results.meta.get('data_version')}.")
            st.dataframe(changed.rename({"indicator": "Indicator", "what": "What", "then": "Then", "now": "Now"}),
                         hide_index=True)

if not filters.projector and actor.has(access.ADMINISTRATOR):  # kpi.presentation and kpi.snapshots check again
    with st.expander("Freeze this sequence for a session"):
        with st.form("freeze-snapshot"):
            name = st.text_input("Name (used in the link)", placeholder="Council 2026 (C26)")
            title = st.text_input("Title", placeholder="Council 2026: results of the Strategic Plan")
            if st.form_submit_button("Freeze", icon=":material/ac_unit:"):
                try:
                    kept = freeze(engine, name, title=title, sequence=show, cycle=filters.cycle, year=filters.year,
                                  content=full_content(), actor=actor)
                    st.success(f"Frozen. Link: ?snapshot={quote(kept.name)}&projector=true"
                               + (" · holds provisional values: staff only" if kept.provisional else ""))
                except (ValueError, access.AccessDenied) as error:
                    st.error(str(error))
    with st.expander("Prepare a named sequence for a Council session"):
        with st.form("save-sequence"):
            name = st.text_input("Name (used in the link)", placeholder="council-2026")
            title = st.text_input("Title", placeholder="Council 2026: results of the Strategic Plan")
            codes = st.multiselect("Indicators, in slide order", statuses["code"].to_list(),
                                   format_func=lambda c: f"{c} · {statuses.filter(pl.col('code') == c)['name'][0]}")
            if st.form_submit_button("Save sequence", icon=":material/save:"):
                try:
                    save_sequence(engine, name, title=title or name, cycle=filters.cycle,
                                  year=filters.year, indicator_codes=codes, actor=actor)
                    st.success(f"Saved. Link: ?show={markdown_text(name.strip())}&projector=true")
                except (ValueError, access.AccessDenied) as error:
                    st.error(str(error))
