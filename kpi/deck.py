"""What a Council session takes away: the sequence as a PowerPoint deck, and the annual progress report as PDF.

Both are written from a sequence's content (:func:`kpi.presentation.sequence_content`, live or a frozen
snapshot), so that they show exactly what the slides showed.

- **PowerPoint** (python-pptx): one slide per view, 16:9; the scorecard as a native stacked bar chart and each
  indicator as a native line chart (both editable in PowerPoint), a goal's indicators as a table; the status
  reason and the sources in the speaker notes; the stamp ("data as of", or "as presented on") on every slide.
- **PDF** (fpdf2: pure Python, maintained, Unicode fonts, outlines and a table of contents, no browser or
  system library needed on the server): a cover, contents, one section per goal and enabler and, for each
  indicator, its status and reason, its chart (drawn by the report itself) and its values against targets.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from kpi.charts.theme import STATUS_STYLES, hex_rgb
from kpi.formatting import format_value

#: Slide size: 16:9, as a projector shows it.
SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = 13.333, 7.5
#: Colours of the charts (the dashboard's, kpi.charts.theme), as RGB hex.
ACTUAL_COLOUR = "1B1B1B"
TARGET_COLOUR = "B86E00"
PROJECTION_COLOUR = "5F6B7A"
#: Fonts the PDF may use for Unicode text ("–", "≥"), regular and bold, first found first; Helvetica (Latin-1)
#: otherwise.
UNICODE_FONTS = (("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                  "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
                 ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
                  "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"))


def stamp_text(content: dict, presented_on: str | None = None, name: str | None = None) -> str:
    """The stamp of every slide and page: the data's version and time, and for a snapshot when it was shown.

    ``content`` needs ``data_version``, ``data_updated_at`` and ``validated_only`` only
    (:func:`kpi.presentation.data_facts`), so the live page stamps its slides with it too."""
    data = f"data version {content['data_version']} of {content['data_updated_at']}"
    scope = "validated data only" if content["validated_only"] else "includes provisional data"
    if presented_on:
        return f"As presented on {presented_on} (snapshot “{name}”) · {data} · {scope}"
    return f"Data as of {content['data_updated_at']} · data version {content['data_version']} · {scope}"


def status_word(status: str | None) -> str:
    """A status as a word ("Off track")."""
    return STATUS_STYLES[status or "no_data"].label


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


# ---------------------------------------------------------------- PowerPoint


def write_pptx(content: dict, out: Path | io.BytesIO, *, stamp: str) -> None:
    """The sequence of ``content`` as a PowerPoint deck: one slide per view (see the module)."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    blank = deck.slide_layouts[6]
    slides = content["slides"]
    for number, shown in enumerate(slides, start=1):
        slide = deck.slides.add_slide(blank)
        _text(slide, shown["title"], 0.5, 0.3, 12.3, 1.1, size=title_size(shown["title"]), bold=True)
        _text(slide, f"{stamp} · Sources: {content['sources']}", 0.5, 6.95, 11.0, 0.45, size=11)
        _text(slide, f"Slide {number} of {len(slides)}", 11.5, 6.95, 1.4, 0.45, size=11, bold=True)
        notes = [f"Sources: {content['sources']}.", stamp]
        if shown["kind"] == "scorecard":
            _text(slide, f"{shown['total']} indicators, status as of {content['as_of_year']}", 0.5, 1.35, 12, 0.5,
                  size=20)
            _status_bars(slide, shown["goals"])
        elif shown["kind"] == "goal":
            _text(slide, _counts_line(shown["counts"]), 0.5, 1.35, 12, 0.5, size=18)
            _goal_table(slide, shown["rows"])
            notes[:0] = [f"{r['code']}: {r['explanation']}" for r in shown["rows"]]
        else:
            _text(slide, shown["explanation"], 0.5, 1.4, 12.3, 0.9, size=18)  # it starts with the status word
            _line_chart(slide, shown)
            notes[:0] = [shown["explanation"], _attribution(shown)]
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)
    deck.save(out)


def title_size(title: str) -> int:
    """A slide title's type size in points: as large as lets it fit its box in at most two lines (three for
    the longest goal statements)."""
    return 30 if len(title) <= 60 else 24 if len(title) <= 90 else 20


def _text(slide, text: str, left: float, top: float, width: float, height: float, *, size: int,
          bold: bool = False) -> None:
    from pptx.util import Inches, Pt

    frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text, run.font.size, run.font.bold = text, Pt(size), bold


def _counts_line(counts: dict) -> str:
    return ", ".join(f"{counts[s]} {status_word(s).lower()}" for s in STATUS_STYLES if counts.get(s))


def _status_bars(slide, goals: Sequence[dict]) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    data = CategoryChartData()
    goals = list(reversed(goals))  # a bar chart draws its first category at the bottom: the first goal on top
    data.categories = [g["label"] for g in goals]
    statuses = [s for s in STATUS_STYLES if any(g[s] for g in goals)]
    for status in statuses:  # no segment, and no "0" label, where a goal has none of a status
        data.add_series(status_word(status), [g[status] or None for g in goals])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED, Inches(0.5), Inches(1.9), Inches(12.3), Inches(4.9),
                                   data).chart
    chart.has_legend, chart.legend.position, chart.legend.include_in_layout = True, XL_LEGEND_POSITION.TOP, False
    chart.font.size = Pt(16)
    for status, series in zip(statuses, chart.series, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(STATUS_STYLES[status].colour)
        series.data_labels.show_value = True


def _goal_table(slide, rows: Sequence[dict]) -> None:
    from pptx.util import Inches, Pt

    table = slide.shapes.add_table(len(rows) + 1, 4, Inches(0.5), Inches(1.9), Inches(12.3),
                                   Inches(0.55 * (len(rows) + 1))).table
    for column, width in enumerate((2.0, 6.3, 2.0, 2.0)):
        table.columns[column].width = Inches(width)
    cells = [("Status", "Indicator", "Latest", "Target"),
             *((status_word(r["status"]), f"{r['code']} {r['name']}", r["latest"], r["target"]) for r in rows)]
    for i, values in enumerate(cells):
        for j, value in enumerate(values):
            frame = table.cell(i, j).text_frame
            frame.text = value
            frame.paragraphs[0].runs[0].font.size = Pt(16)


def _line_chart(slide, shown: dict) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    years, lines = chart_lines(shown)
    data = CategoryChartData()
    data.categories = [str(y) for y in years]
    for name, values in lines.items():
        data.add_series(name, values)
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Inches(0.5), Inches(2.3), Inches(12.3),
                                   Inches(4.5), data).chart
    chart.has_legend, chart.legend.position, chart.legend.include_in_layout = True, XL_LEGEND_POSITION.TOP, False
    chart.font.size = Pt(14)
    chart.value_axis.tick_labels.number_format = "#,##0.##"
    chart.value_axis.tick_labels.number_format_is_linked = False
    for series, colour in zip(chart.series, (ACTUAL_COLOUR, TARGET_COLOUR, PROJECTION_COLOUR), strict=False):
        series.format.line.color.rgb = _rgb(colour)
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(colour)
        series.smooth = False


def chart_lines(shown: dict) -> tuple[list[int], dict[str, list[float | None]]]:
    """An indicator's chart as lines over the same years: actual values, targets, and the projection where
    there is one (None where a line has no value)."""
    actual = {r["year"]: r["value"] for r in shown["headline"]}
    targets = {r["year"]: r["value"] for r in shown["targets"]}
    projection = {r["year"]: r["value"] for r in shown["projection"]}
    known = {*actual, *targets, *projection}
    years = list(range(min(known), max(known) + 1)) if known else []  # every year: a year's width is a year
    lines = {"Actual": [actual.get(y) for y in years], "Target": [targets.get(y) for y in years]}
    if projection:
        lines["Projection (current trend)"] = [projection.get(y) for y in years]
    return years, lines


def _attribution(shown: dict) -> str:
    if shown.get("is_synthetic"):
        return "Source: synthetic demo data (generated, not ITU's)."
    return f"Source: {shown['source']} · {shown['attribution']}"


# ---------------------------------------------------------------- PDF


def write_pdf(content: dict, out: Path | io.BytesIO, *, stamp: str, title: str) -> None:
    """The annual progress report of ``content``: cover, contents, a section per goal and enabler and, per
    indicator, status and reason, chart and values against targets, sources (see the module)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    family = _font(pdf)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(title)
    pdf.set_creator("ITU results dashboard")

    def footer() -> None:
        pdf.set_y(-14)
        pdf.set_font(family, size=7.5)
        pdf.set_text_color(60, 60, 60)
        pdf.multi_cell(0, 3.6, _pdf_text(f"{stamp} · page {pdf.page_no()}", family), align="C")
        pdf.set_text_color(0, 0, 0)

    pdf.footer = footer
    pdf.add_page()
    pdf.set_font(family, size=24)
    pdf.ln(50)
    pdf.multi_cell(0, 11, _pdf_text(title, family), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=13)
    pdf.ln(4)
    pdf.multi_cell(0, 7, _pdf_text(f"Status of every indicator as of {content['as_of_year']}. {stamp}.", family), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 7, _pdf_text(f"Sources: {content['sources']}.", family), new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.insert_toc_placeholder(_contents, pages=1)
    for goal in content["goals"]:
        pdf.add_page()
        kind = "Goal" if goal["kind"] == "goal" else "Enabler"
        pdf.start_section(_pdf_text(f"{kind} {goal['code']}: {goal['name']}", family), level=0)
        pdf.set_font(family, size=16)
        pdf.multi_cell(0, 8, _pdf_text(f"{kind} {goal['code']}: {goal['name']}", family), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        for shown in goal["indicators"]:
            _pdf_indicator(pdf, family, shown)
    pdf.output(out)


def _contents(pdf, outline) -> None:
    pdf.set_x(pdf.l_margin)
    pdf.set_font(size=16)
    pdf.cell(0, 10, "Contents", new_x="LMARGIN", new_y="NEXT")
    room = pdf.epw - 15
    for section in outline:
        pdf.set_font(size=10.5 if section.level == 0 else 9)
        indent = 0 if section.level == 0 else 5
        name = section.name
        while pdf.get_string_width(name) > room - indent and len(name) > 10:
            name = name[:-2].rstrip() + "…"
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(room - indent, 6.5 if section.level == 0 else 5.5, name, link=pdf.add_link(page=section.page_number))
        pdf.cell(0, 6.5 if section.level == 0 else 5.5, str(section.page_number), align="R",
                 new_x="LMARGIN", new_y="NEXT")


def _pdf_indicator(pdf, family: str, shown: dict) -> None:
    """One indicator: heading, status and reason, chart, values against targets, source."""
    if pdf.will_page_break(120):
        pdf.add_page()
    name = f"{shown['code']} {shown['name']}"
    pdf.start_section(_pdf_text(name, family), level=1)
    pdf.set_font(family, size=12.5)
    pdf.multi_cell(0, 6.5, _pdf_text(name, family), new_x="LMARGIN", new_y="NEXT")
    pdf.set_fill_color(*hex_rgb(STATUS_STYLES[shown["status"] or "no_data"].colour))
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(family, size=10)
    pdf.cell(pdf.get_string_width(status_word(shown["status"])) + 6, 6, status_word(shown["status"]), fill=True)
    pdf.set_text_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)
    pdf.cell(3, 6, "")
    pdf.multi_cell(0, 6, _pdf_text(shown["explanation"], family), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    years, lines = chart_lines(shown)
    if any(v is not None for v in lines["Actual"]):
        _pdf_chart(pdf, family, years, lines, shown["unit"])
    _pdf_values(pdf, family, shown)
    pdf.set_font(family, size=8)
    pdf.multi_cell(0, 4.5, _pdf_text(_attribution(shown), family), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _pdf_chart(pdf, family: str, years: list[int], lines: dict[str, list[float | None]], unit: str) -> None:
    """A line chart drawn with the PDF's own lines: actual (solid), targets (dotted), projection (dashed)."""
    left, top, width, height = pdf.l_margin + 22, pdf.get_y() + 6, 150, 52
    values = [v for line in lines.values() for v in line if v is not None]
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad

    def x(i: int) -> float:
        return left + (width * i / max(1, len(years) - 1))

    def y(v: float) -> float:
        return top + height - (v - low) / (high - low) * height

    pdf.set_draw_color(190, 190, 190)
    pdf.set_line_width(0.2)
    pdf.set_font(family, size=7)
    for k in range(5):
        v = low + (high - low) * k / 4
        pdf.line(left, y(v), left + width, y(v))
        pdf.text(pdf.l_margin, y(v) + 1, _pdf_text(format_value(v, unit), family))
    step = 1 if len(years) <= 12 else 2
    for i, year in enumerate(years):
        if i % step == 0:
            pdf.text(x(i) - 3.5, top + height + 4, str(year))
    styles = {"Actual": (ACTUAL_COLOUR, None, 0.8), "Target": (TARGET_COLOUR, (0.6, 0.9), 0.5),
              "Projection (current trend)": (PROJECTION_COLOUR, (2.0, 1.2), 0.5)}
    legend_x = left
    for name, line in lines.items():
        colour, dash, weight = styles[name]
        rgb = hex_rgb(colour)
        pdf.set_draw_color(*rgb)
        pdf.set_fill_color(*rgb)
        pdf.set_line_width(weight)
        if dash:
            pdf.set_dash_pattern(dash=dash[0], gap=dash[1])
        points = [(x(i), y(v)) for i, v in enumerate(line) if v is not None]
        for a, b in zip(points, points[1:]):
            pdf.line(*a, *b)
        pdf.set_dash_pattern()
        for px, py in points:
            pdf.circle(x=px, y=py, radius=0.9, style="F")
        pdf.set_text_color(*rgb)
        pdf.text(legend_x, top - 2, name)
        legend_x += pdf.get_string_width(name) + 8
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_line_width(0.2)
    pdf.set_y(top + height + 8)


def _pdf_values(pdf, family: str, shown: dict) -> None:
    """The values against the targets, year by year (the chart's table, for a reader and a screen reader)."""
    actual = {r["year"]: r["value"] for r in shown["headline"]}
    targets = {r["year"]: r["value"] for r in shown["targets"]}
    years = sorted({*actual, *targets})
    if not years:
        return
    pdf.set_font(family, size=8)
    with pdf.table(col_widths=(20, 40, 40), width=100, align="LEFT", line_height=4.6,
                   first_row_as_headings=True) as table:
        table.row(["Year", "Actual", "Target"])
        for year in years:
            table.row([str(year), _pdf_text(format_value(actual.get(year), shown["unit"]), family),
                       _pdf_text(format_value(targets.get(year), shown["unit"]), family)])
    pdf.ln(2)


def _font(pdf) -> str:
    """A Unicode font for the report if the machine has one (DejaVu or Liberation), else Helvetica."""
    for regular, bold in UNICODE_FONTS:
        if Path(regular).is_file() and Path(bold).is_file():
            pdf.add_font("body", fname=regular)
            pdf.add_font("body", style="B", fname=bold)
            pdf.set_font("body")
            return "body"
    pdf.set_font("helvetica")
    return "helvetica"


def _pdf_text(text: str, family: str) -> str:
    """``text`` as the font can write it: Helvetica has Latin-1 only ("–" becomes "-")."""
    if family != "helvetica":
        return text
    return text.replace("–", "-").replace("—", "-").replace("“", '"').replace("”", '"').replace("’", "'") \
        .encode("latin-1", "replace").decode("latin-1")


# ---------------------------------------------------------------- from the store


def export(engine, out: Path, *, sequence: str = "default", snapshot: str | None = None, cycle: str, year: int,
           years: tuple[int, int], validated_only: bool = True) -> int:
    """Write a sequence (live data) or a snapshot to ``out``, a .pptx deck or a .pdf report; returns the number
    of slides. A ValueError names what is missing (no such sequence or snapshot, an unknown file type)."""
    from kpi.presentation import build_sequence, load_sequence, sequence_content
    from kpi.scorecard import indicator_status
    from kpi.snapshots import load_snapshot
    from kpi.store.frames import load_results

    suffix = out.suffix.lower()
    if suffix not in (".pptx", ".pdf"):
        raise ValueError(f"cannot write {out.name}: the file name must end in .pptx or .pdf")
    if snapshot:
        frozen = load_snapshot(engine, snapshot)
        if frozen is None:
            raise ValueError(f"no snapshot named “{snapshot}”")
        content, stamp = frozen.content, stamp_text(frozen.content, frozen.presented_on, frozen.name)
        title = f"Strategic Plan {frozen.cycle}: progress report ({frozen.title})"
    else:
        data = load_results(engine)
        statuses = indicator_status(data, cycle, year, validated_only=validated_only)
        chosen = None
        if sequence != "default":
            saved = load_sequence(engine, sequence)
            if saved is None:
                raise ValueError(f"no sequence named “{sequence}”")
            chosen = saved["indicator_codes"]
        content = sequence_content(data, statuses, build_sequence(statuses, chosen), as_of_year=year, years=years,
                                   validated_only=validated_only)
        stamp = stamp_text(content)
        title = f"Strategic Plan {cycle}: progress report"
    if suffix == ".pptx":
        write_pptx(content, out, stamp=stamp)
    else:
        write_pdf(content, out, stamp=stamp, title=title)
    return len(content["slides"])
