"""Gender balance: the share of women overall, in the Professional and higher categories and at each
grade, against parity and the organisation's targets, and the gap to parity in people."""
from __future__ import annotations

import polars as pl
import streamlit as st

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.charts import workforce as charts
from kpi.charts.theme import GENDER_COLOURS, HEADLINE_COLOUR, SERIES_COLOURS
from kpi.formatting import format_value
from kpi.workforce_pages import GAP_BY, GROUPING_NAMES
from ui import workforce as uw
from ui.filters import link_params
from ui.widgets import status_badge

PAGE = "pages/workforce_gender.py"
TARGET_CODE = "E1.WOMEN_P"
WOMEN, MEN = dims.GENDERS[dims.FEMALE], dims.GENDERS[dims.MALE]
PROFESSIONAL_AND_HIGHER = dims.CATEGORY_GROUPS[dims.PROFESSIONAL_AND_HIGHER]
TO_PARITY = f"To reach {dims.PARITY_TEXT}"
LINE_COLOURS = {dims.ALL_STAFF: HEADLINE_COLOUR,
                PROFESSIONAL_AND_HIGHER: GENDER_COLOURS["F"],
                dims.CATEGORY_GROUPS[dims.GENERAL_SERVICE_AND_NO]: SERIES_COLOURS[2]}


def headline(shares: wf.Protected, targets: pl.DataFrame) -> None:
    """The shares of women of the year, the target, the gap to parity in people, and the status of the
    organisation's indicator."""
    now = shares.frame.filter(pl.col("year") == year)
    by_label = {row["label"]: row for row in now.iter_rows(named=True)}
    professional = by_label.get(PROFESSIONAL_AND_HIGHER, {})
    everyone = by_label.get(dims.ALL_STAFF, {})
    target_now = targets.filter(pl.col("year") == year)["target"].to_list()
    cols = st.columns(4)
    uw.metric(cols[0], f"{WOMEN}, all staff ({year})", everyone.get("share_display"))
    uw.metric(cols[1], f"{WOMEN}, {PROFESSIONAL_AND_HIGHER} ({year})", professional.get("share_display"))
    cols[2].metric(f"Target {year}, {PROFESSIONAL_AND_HIGHER}",
                   format_value(target_now[0], "pct") if target_now else "–",
                   help=f"The organisation's target {TARGET_CODE}, from the Strategic Plan's indicator targets.")
    uw.metric(cols[3], f"{TO_PARITY}, {PROFESSIONAL_AND_HIGHER}", professional.get("parity_short"),
              help=f"At the same head count: how many more women (or men) it would take to reach {dims.PARITY_TEXT}.")
    view = uw.indicator(TARGET_CODE, year)
    st.markdown(f"{status_badge(view.assessment.status)} **{TARGET_CODE}, whole organisation:** "
                f"{view.assessment.explanation}")
    st.page_link("pages/explorer.py", label=f"Open {TARGET_CODE} in the indicator explorer",
                 icon=":material/query_stats:", query_params=link_params(indicator=TARGET_CODE))


def share_over_time(shares: wf.Protected, targets: pl.DataFrame) -> None:
    """The share of women over the years shown, against the parity band and the targets."""
    st.subheader("Share of women over time")
    uw.plot("wf-gender-trend", lambda: charts.trend_lines(
        shares.frame, "share", "share_display", colours=LINE_COLOURS, projector=f.projector,
        y_title=dims.WOMEN_SHARE_LABEL, percent=True, band=dims.PARITY_BAND, targets=f.in_trends(targets),
        target_name=f"Target, {PROFESSIONAL_AND_HIGHER}"), "women_share_over_time", f)


def grade_history() -> None:
    """The share of women in each grade, each year, as a heat map."""
    st.subheader("By grade over time")
    history = tables.grades()
    order = [wf.label_of("grade", g) for g in reversed(dims.ORDER["grade"])]
    uw.plot("wf-gender-heatmap", lambda: charts.share_heatmap(wf.cells(history), order, projector=f.projector),
            "women_by_grade_over_time", f)
    st.caption("Share of women in each grade, each year. Orange: more men; purple: more women; white: parity. "
               "Grey cells are hidden to protect individuals.")


@st.fragment
def gap() -> None:
    """The gap to parity, in people, by the dimension chosen here (reruns alone)."""
    st.subheader(f"Gap to parity, {year}")
    by = uw.segmented("By", GAP_BY, key="wf_gap_by")
    if by == "grade":  # by grade band where grades would hide too many people, unless the reader asks for grades
        chosen = uw.grouping(f, "grade")
        finer = uw.finer_toggle(chosen, GROUPING_NAMES, key="wf_finer_gap_grades")
        by = "grade" if finer or chosen.level == "grade" else "grade_band"
    table = tables.gap(by)
    frame = table.frame
    chart, listing = st.columns([2, 3])
    with chart:
        uw.plot("wf-gap", lambda: charts.share_bars(frame, table.threshold, projector=f.projector,
                                                    band=dims.PARITY_BAND), f"parity_gap_by_{by}_{year}", f, by)
    shown = frame.select(
        pl.col("label").alias(dims.DIMENSION_LABELS[by]), pl.col("women_display").alias(WOMEN), pl.col("men_display").alias(MEN),
        pl.col("total_display").alias("All"), pl.col("share_display").alias(dims.WOMEN_SHARE_LABEL),
        pl.when(pl.col("within_band")).then(pl.lit("yes")).when(pl.col("share").is_not_null()).then(pl.lit("no"))
        .otherwise(pl.lit("")).alias("In the parity band"),
        pl.col("parity_short").alias(TO_PARITY),
    )
    listing.dataframe(shown, hide_index=True, height=min(36 * (shown.height + 1) + 2, 760))
    uw.download_csv(table, frame.select(
        "year", *[c for c in table.dims if c in frame.columns], "label", "total_over", "women", "men", "total",
        "share", "women_needed", "men_needed", "women_display", "men_display", "total_display", "share_display",
        "parity"), f"parity_gap_by_{by}_{year}", key="wf-gap-download")
    st.caption(f"“{TO_PARITY}”: how many more women (or men) it would take at the same head count, e.g. if they "
               "filled the next vacancies. Shares and gaps only where both women and men are shown.")
    uw.privacy_caption(table)


f, tables = uw.page_header("Gender balance", uw.GenderTables, f"parity band {dims.PARITY_BAND_TEXT} women",
                           gender=False)
year = f.year
shares = tables.shares()
if uw.hidden_view_warning(shares, year):
    st.stop()
women_targets = uw.targets(TARGET_CODE)
headline(shares, women_targets)
share_over_time(shares, women_targets)
grade_history()
gap()
uw.page_footer(PAGE)
