"""kpi.charts: the pure figure builders (one theme; legible on a projector)."""
from __future__ import annotations

import re

import polars as pl
import pytest

from kpi.charts.indicator import indicator_figure
from kpi.charts.theme import FONT_SIZE, MAP_HIDDEN_FILL, PROJECTOR_FONT_SIZE, base_layout

SHEET = {"name": "Illustrative: countries where entry-level broadband costs under 2 % of GNI per capita",
         "unit": "number"}
HEADLINE = pl.DataFrame({"year": [2023, 2024], "value": [103.0, 107.0], "flag": [None, "estimate"],
                         "note": [None, None]})
TARGETS = pl.DataFrame({"year": [2025], "value": [120.0]})
PROJECTION = pl.DataFrame({"year": [2024, 2025], "value": [107.0, 111.2]})


@pytest.mark.parametrize(("unit", "title"), [("number", "Number"), ("pct", "%"), ("days", "days"),
                                             ("CHF", "CHF"), ("per100", "per 100")])
def test_the_value_axis_is_titled_by_the_unit_never_by_the_long_name(unit, title):
    fig = indicator_figure({**SHEET, "unit": unit}, HEADLINE, TARGETS, PROJECTION, (2023, 103.0))
    assert fig.layout.yaxis.title.text == title


@pytest.mark.parametrize(("projector", "size"), [(False, FONT_SIZE), (True, PROJECTOR_FONT_SIZE)])
def test_every_text_of_a_chart_has_the_theme_size(projector, size):
    # Streamlit's chart theme sets tick, axis-title and legend sizes of its own: each must be explicit.
    layout = base_layout(projector=projector)
    sizes = {"font": layout.font.size, "x ticks": layout.xaxis.tickfont.size, "y ticks": layout.yaxis.tickfont.size,
             "x title": layout.xaxis.title.font.size, "y title": layout.yaxis.title.font.size,
             "legend": layout.legend.font.size, "hover": layout.hoverlabel.font.size}
    assert sizes == dict.fromkeys(sizes, size)


def test_the_indicator_figure_draws_actual_target_projection_and_baseline():
    fig = indicator_figure(SHEET, HEADLINE, TARGETS, PROJECTION, (2023, 103.0), projector=True)
    assert [(t.name, list(t.x), list(t.y)) for t in fig.data] == [
        ("Actual", [2023, 2024], [103.0, 107.0]),
        ("Target", [2025], [120.0]),
        ("Projection (current trend)", [2024, 2025], [107.0, 111.2]),
        ("Baseline (2023)", [2023], [103.0]),
    ]
    assert list(fig.data[0].marker.symbol) == ["circle", "circle-open"]  # the estimate is marked


def test_a_hidden_count_is_never_drawn_at_a_length_that_reads_as_a_value():
    from kpi.charts.workforce import count_bars, pyramid

    frame = pl.DataFrame({"label": ["Geneva", "Cairo", "Moscow"], "count": [120, None, None],
                          "display": ["120", "hidden", "fewer than 5"], "reason": ["", "complementary", "primary"]})
    fig = count_bars(frame, 5)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [(list(t.y), list(t.x)) for t in bars if t.y is not None and t.y[0] is not None] == [(["Geneva"], [120])]
    (marks,) = [t for t in fig.data if t.type == "scatter" and t.y is not None and t.y[0] is not None]
    assert (list(marks.y), list(marks.x), list(marks.text)) == (["Cairo", "Moscow"], [0, 0], ["  hidden", "  fewer than 5"])
    assert [t.name for t in fig.data if t.y is not None and t.y[0] is None] == ["fewer than 5, or hidden: not drawn"]
    people = pl.DataFrame({"label": ["P5", "P4"], "women": [None, 12], "men": [8, None],
                           "women_display": ["fewer than 5", "12"], "men_display": ["8", "hidden"],
                           "women_reason": ["primary", ""], "men_reason": ["", "complementary"]})
    drawn = [(list(t.y), list(t.x)) for t in pyramid(people, 5).data
             if t.type == "bar" and t.y is not None and t.y[0] is not None]
    assert sorted(drawn) == [(["P4"], [12]), (["P5"], [-8])]


@pytest.mark.parametrize(("projector", "cells", "notes"), [(False, 12, 11), (True, 20, 19)])
def test_the_text_in_a_heat_maps_cells_is_larger_on_the_projector(projector, cells, notes):
    """The gender heat map's cell labels were 11-12 px on the projector, beside 22 px axes."""
    from kpi.charts.workforce import share_heatmap

    frame = pl.DataFrame({"label": ["P4", "P4", "D2"], "year": [2024, 2025, 2025], "share": [45.0, 47.0, None],
                          "share_display": ["45.0 %", "47.0 %", "fewer than 5"]})
    fig = share_heatmap(frame, ["P4", "D2"], projector=projector)
    sizes = [t.textfont.size for t in fig.data]
    assert sizes == [cells, notes, notes]  # values, hidden cells, cells with no staff


# ---------------------------------------------------------------- the table alternative of a chart


def test_a_charts_table_gives_each_bar_as_shown_hidden_counts_in_words_in_the_charts_order():
    from kpi.charts.table import figure_table
    from kpi.charts.workforce import count_bars

    frame = pl.DataFrame({"label": ["Geneva", "Addis Ababa", "Bangkok & Hanoi"], "count": [696, None, 7],
                          "display": ["696", "fewer than 5", "7"], "reason": ["", "primary", ""]})
    table = figure_table(count_bars(frame, 5))
    assert table.to_dicts() == [{"Category": "Geneva", "Staff": "696"},
                                {"Category": "Addis Ababa", "Staff": "fewer than 5"},
                                {"Category": "Bangkok & Hanoi", "Staff": "7"}]


def test_a_heat_maps_table_is_its_grid_with_the_words_over_hidden_cells():
    from kpi.charts.table import figure_table
    from kpi.charts.workforce import share_heatmap

    frame = pl.DataFrame({"label": ["P4", "P4", "D1", "D1"], "year": [2024, 2025, 2024, 2025],
                          "share": [41.0, 42.1, None, 33.3], "share_display": ["41.0 %", "42.1 %", "hidden", "33.3 %"]})
    table = figure_table(share_heatmap(frame, ["P4", "D1"]))
    assert table.columns == ["Group \\ year", "2024", "2025"]
    assert table.rows() == [("P4", "41 %", "42 %"), ("D1", "hidden", "33 %")]


def test_a_maps_table_names_each_country_with_its_value():
    from kpi.charts.indicator import country_map
    from kpi.charts.table import figure_table

    frame = pl.DataFrame({"country": ["CIV", "NGA"], "name": ["Côte d'Ivoire", "Nigeria"], "value": [38.4, 39.2],
                          "year": [2023, 2023]})
    table = figure_table(country_map(frame, {"unit": "pct"}, 2023))
    assert table.to_dicts() == [{"Country": "Côte d'Ivoire", "%": "38.4"}, {"Country": "Nigeria", "%": "39.2"}]


def test_an_indicator_charts_table_gives_its_values_not_its_hover_words():
    from kpi.charts.table import figure_table

    headline = HEADLINE.with_columns(pl.Series("coverage_pct", [80.0, 77.7]), pl.Series("imputed_pct", [1.0, 20.9]))
    fig = indicator_figure(SHEET, headline, TARGETS, PROJECTION, (2023, 103.0))
    # The hover says what the value rests on ...
    assert fig.data[0].customdata[1] == "estimate · population reporting 77.7 %, imputed 20.9 %"
    # ... and the table gives the values, year by year, as the chart draws them.
    assert figure_table(fig).rows() == [("2023", "103", "–", "–", "103"), ("2024", "107", "–", "107", "–"),
                                        ("2025", "–", "120", "111", "–")]
    assert figure_table(fig).columns == ["Year", "Actual", "Target", "Projection (current trend)", "Baseline (2023)"]


# ---------------------------------------------------------------- the risk heat map


def _heatmap_colour(fig, row: int, col: int) -> str:
    """The colour Plotly paints a heat map's cell: its z placed between zmin and zmax on the trace's colour
    scale; the scale is stepped, so the two stops around that place have one colour (no blend)."""
    heatmap = next(t for t in fig.data if t.type == "heatmap")
    place = (heatmap.z[row][col] - heatmap.zmin) / (heatmap.zmax - heatmap.zmin)
    stops = list(heatmap.colorscale)
    (_, below), (_, above) = next((a, b) for a, b in zip(stops, stops[1:]) if a[0] <= place <= b[0])
    assert below == above, (row, col, place)
    return below


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    from kpi.charts.theme import hex_rgb

    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
              for c in (v / 255 for v in hex_rgb(colour))]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


#: Five risks at likelihood 1 x impact 3 (score 3) and one at 3 x 4 (score 12): colour by count would make the
#: crowded low cell the darkest (issue 16).
CROWDED_LOW = pl.DataFrame({"code": ["R1", "R2", "R3", "R4", "R5", "R9"],
                            "residual_likelihood": [1, 1, 1, 1, 1, 3], "residual_impact": [3, 3, 3, 3, 3, 4]})


@pytest.mark.parametrize("projector", [False, True])
def test_the_risk_heat_maps_cells_take_the_colour_of_their_severity_not_of_their_count(projector):
    from kpi.charts.management import risk_heatmap
    from kpi.charts.theme import RISK_BAND_COLOURS
    from kpi.management import risk_band, risk_matrix

    fig = risk_heatmap(risk_matrix(CROWDED_LOW), projector=projector)
    heatmap = fig.data[0]
    assert (list(heatmap.y), list(heatmap.x)) == ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])  # row: likelihood, column: impact
    assert [list(row) for row in heatmap.z] == [[lik * imp for imp in range(1, 6)] for lik in range(1, 6)]
    colours = [[_heatmap_colour(fig, row, col) for col in range(5)] for row in range(5)]
    assert colours == [[RISK_BAND_COLOURS[risk_band(lik * imp)] for imp in range(1, 6)] for lik in range(1, 6)]
    assert colours[2][3] == RISK_BAND_COLOURS["significant"] and colours[0][2] == RISK_BAND_COLOURS["low"]
    assert _luminance(colours[2][3]) < _luminance(colours[0][2])  # 3 x 4 (one risk) darker than 1 x 3 (five)
    assert colours[4][4] == RISK_BAND_COLOURS["critical"]  # 5 x 5, empty, still tinted by its score


def test_the_risk_bands_darken_as_the_score_rises_and_their_text_stays_readable():
    from kpi.charts.theme import RISK_BAND_COLOURS, RISK_BAND_TEXT_COLOURS
    from kpi.management import RISK_BANDS

    bands = [band for band, _, _ in RISK_BANDS]
    assert list(RISK_BAND_COLOURS) == bands and list(RISK_BAND_TEXT_COLOURS) == bands
    lightness = [_luminance(RISK_BAND_COLOURS[b]) for b in bands]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == len(bands)
    for band in bands:
        light, dark = sorted([_luminance(RISK_BAND_COLOURS[band]), _luminance(RISK_BAND_TEXT_COLOURS[band])])
        assert (dark + 0.05) / (light + 0.05) >= 4.5, band


@pytest.mark.parametrize(("projector", "size"), [(False, 12), (True, 20)])
def test_the_risk_heat_map_writes_counts_and_codes_legibly_and_names_the_bands(projector, size):
    from kpi.charts.management import risk_heatmap
    from kpi.charts.table import figure_table
    from kpi.charts.theme import HEADLINE_COLOUR
    from kpi.management import risk_matrix

    fig = risk_heatmap(risk_matrix(CROWDED_LOW), projector=projector)
    labels = fig.data[1]
    assert labels.mode == "text" and labels.textfont.size == size
    assert list(zip(labels.y, labels.x, labels.text, labels.textfont.color)) == [
        (1, 3, "5 risks<br>R1, R2<br>R3, +2 more", HEADLINE_COLOUR),  # at most four codes, two a line
        (3, 4, "1 risk<br>R9", HEADLINE_COLOUR)]
    assert [t.name for t in fig.data[2:]] == ["Low (1–4)", "Medium (5–9)", "Significant (10–14)",
                                              "High (15–19)", "Critical (20–25)"]  # the legend: colour is never alone
    table = figure_table(fig)
    assert table.columns == ["Likelihood (1 rare – 5 almost certain) \\ Impact (1 minor – 5 severe)",
                             "1", "2", "3", "4", "5"]
    assert table.row(0)[3] == "score 3, low: 5 risks (R1, R2, R3, R4, R5)"
    assert table.row(2)[4] == "score 12, significant: 1 risk (R9)"
    assert table.row(4)[5] == "score 25, critical: no risk"


# ---------------------------------------------------------------- how the workforce charts draw hidden cells
#
# Each chart is built from a table kpi.workforce protects from a few made-up staff, so the true value of every
# hidden cell is known here: the test says where it is drawn (the words, at zero or in grey) and that it is
# drawn nowhere as a number, neither as a bar, a point or a colour nor in a text or a hover.

#: A number written in a chart's text: not a part of a name such as "P4" or "ITU-T", nor a decimal's tail.
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
#: The properties of a trace that draw or say a value.
_VALUE_FIELDS = ("x", "y", "z", "locations", "text", "customdata", "hovertext", "hovertemplate", "name")


def _people(counts: dict[tuple, int], columns: tuple[str, ...]) -> pl.DataFrame:
    """Records: ``n`` rows of the values ``key`` (in ``columns``) for each ``key: n``, with the pages' grade
    columns where there is a grade (the protection reads them)."""
    from kpi import workforce as wf

    frame = pl.DataFrame([dict(zip(columns, key)) for key, n in counts.items() for _ in range(n)])
    return wf.with_grades(frame) if "grade" in columns else frame


def _hidden(frame: pl.DataFrame, value: str, display: str, *keys: str) -> dict:
    """The cells of a protected frame whose ``value`` is hidden (null), by ``keys``, with the words they read."""
    return {row[:-1] if len(keys) > 1 else row[0]: row[-1]
            for row in frame.filter(pl.col(value).is_null()).select(*keys, display).rows()}


def _plain(value):
    """A trace's property as plain lists (Plotly keeps tuples)."""
    return [_plain(v) for v in value] if isinstance(value, (list, tuple)) else value


def _drawn(fig) -> list[dict]:
    """Each trace of ``fig`` as what it draws: type, name, coordinates (or countries), colour values, texts and
    hover data, and the marker's symbol; properties a trace leaves unset are left out."""
    traces = []
    for trace in fig.data:
        drawn = {"type": trace.type, "name": trace.name}
        drawn |= {field: _plain(getattr(trace, field, None)) for field in ("x", "y", "z", "locations", "text",
                                                                           "customdata")
                  if getattr(trace, field, None) is not None}
        symbol = getattr(getattr(trace, "marker", None), "symbol", None)
        drawn |= {"symbol": symbol} if symbol is not None else {}
        traces.append(drawn)
    return traces


def _numbers_drawn(fig) -> list[float]:
    """Every number the traces of ``fig`` draw or say: coordinates and colour values, and the numbers written in
    their texts, custom data, hover texts and names."""
    found: list[float] = []

    def walk(value) -> None:
        if isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            found.append(float(value))
        elif isinstance(value, str):
            found.extend(float(m.replace(",", "")) for m in _NUMBER.findall(value))

    for trace in fig.data:
        for field in _VALUE_FIELDS:
            walk(getattr(trace, field, None))
    return found


def _assert_never_drawn(fig, true_values: list[float]) -> None:
    """No hidden value of ``true_values`` is drawn or written anywhere in ``fig``, as it is or as a bar to the left
    (negative), nor rounded as a chart writes it ("28.6 %", "29 %")."""
    drawn = _numbers_drawn(fig)
    shown = [v for v in true_values if any(abs(abs(n) - v) < 0.5 for n in drawn)]
    assert shown == [], f"hidden values drawn: {shown}"


#: The legend entry of hidden counts in the bar charts.
HIDDEN_LEGEND = {"type": "scatter", "name": "fewer than 5, or hidden: not drawn", "x": [None], "y": [None],
                 "symbol": "diamond-open"}


def test_count_bars_draw_a_hidden_count_as_its_words_at_zero_never_as_a_bar():
    from kpi import workforce as wf
    from kpi.charts.workforce import count_bars

    counts = {(2025, "GS"): 40, (2025, "ITU-R"): 27, (2025, "ITU-T"): 13, (2025, "ITU-D"): 3}
    table = wf.composition(_people(counts, ("year", "sector")), 2025, ["sector"])
    frame = wf.cells(table, year=2025)
    assert _hidden(frame, "count", "display", "label") == {"ITU-T (TSB)": "hidden", "ITU-D (BDT)": "fewer than 5"}
    fig = count_bars(frame, table.threshold)
    assert _drawn(fig) == [
        {"type": "bar", "name": "Staff", "x": [40, 27], "y": ["General Secretariat", "ITU-R (BR)"],
         "text": ["40", "27"], "customdata": ["40", "27"]},
        {"type": "scatter", "name": None, "x": [0, 0], "y": ["ITU-T (TSB)", "ITU-D (BDT)"],
         "text": ["  hidden", "  fewer than 5"], "customdata": ["hidden", "fewer than 5"], "symbol": "diamond-open"},
        HIDDEN_LEGEND,
    ]
    assert fig.data[1].hovertemplate == "%{y}: %{customdata} (hidden to protect individuals)<extra></extra>"
    _assert_never_drawn(fig, [counts[(2025, "ITU-T")], counts[(2025, "ITU-D")]])


def test_the_pyramid_draws_hidden_counts_as_words_at_zero_on_their_side():
    from kpi import workforce as wf
    from kpi.charts.workforce import pyramid

    counts = {(2025, "P4", "F"): 12, (2025, "P4", "M"): 9, (2025, "P5", "F"): 3, (2025, "P5", "M"): 14,
              (2025, "D1", "F"): 8, (2025, "D1", "M"): 11}
    table = wf.gender_by_grade(_people(counts, ("year", "grade", "gender")), 2025)
    frame = wf.cells(table, year=2025)
    assert (_hidden(frame, "women", "women_display", "label"), _hidden(frame, "men", "men_display", "label")) == (
        {"P5": "fewer than 5", "D1": "hidden"}, {"P5": "hidden", "D1": "hidden"})
    fig = pyramid(frame, table.threshold)
    assert _drawn(fig) == [
        {"type": "bar", "name": "Men", "x": [-9], "y": ["P4"], "text": ["9"], "customdata": ["9"]},
        # The men's words are written left of the axis, the women's right of it.
        {"type": "scatter", "name": None, "x": [0, 0], "y": ["P5", "D1"], "text": ["hidden  ", "hidden  "],
         "customdata": ["hidden", "hidden"], "symbol": "diamond-open"},
        {"type": "bar", "name": "Women", "x": [12], "y": ["P4"], "text": ["12"], "customdata": ["12"]},
        {"type": "scatter", "name": None, "x": [0, 0], "y": ["P5", "D1"], "text": ["  fewer than 5", "  hidden"],
         "customdata": ["fewer than 5", "hidden"], "symbol": "diamond-open"},
        HIDDEN_LEGEND,
    ]
    assert [fig.data[1].textposition, fig.data[3].textposition] == ["middle left", "middle right"]
    _assert_never_drawn(fig, [n for (_, grade, _), n in counts.items() if grade != "P4"])


def test_share_bars_write_a_hidden_share_at_the_axis_never_as_a_bar():
    from kpi import workforce as wf
    from kpi.charts.workforce import share_bars

    counts = {(2025, "GS", "F"): 22, (2025, "GS", "M"): 18, (2025, "ITU-R", "F"): 6, (2025, "ITU-R", "M"): 15,
              (2025, "ITU-T", "F"): 2, (2025, "ITU-T", "M"): 12}
    table = wf.parity_gap(_people(counts, ("year", "sector", "gender")), 2025, "sector")
    assert _hidden(table.frame, "share", "share_display", "label") == {"ITU-R (BR)": "hidden",
                                                                      "ITU-T (TSB)": "fewer than 5"}
    fig = share_bars(table.frame, table.threshold, band=(47.0, 53.0))
    assert _drawn(fig) == [
        {"type": "scatter", "name": "Parity band (47-53 %)", "x": [None], "y": [None], "symbol": "square"},
        {"type": "bar", "name": "Women (%)", "x": [55.0, 40.0], "y": ["General Secretariat", "All"],
         "text": ["55.0 %", "40.0 %"],
         "customdata": ["2 more men at General Secretariat would reach 50 %", "8 more women would reach 50 %"]},
        {"type": "scatter", "name": None, "x": [0, 0], "y": ["ITU-R (BR)", "ITU-T (TSB)"],
         "text": ["hidden", "fewer than 5"], "customdata": ["hidden", "fewer than 5"]},
    ]
    assert fig.data[2].mode == "text"  # words only: no marker stands at a share
    _assert_never_drawn(fig, [100 * 6 / 21, 100 * 2 / 14])  # the hidden shares of women


def test_trend_lines_leave_a_gap_at_a_hidden_count_and_mark_it_in_the_hidden_strip():
    from kpi import workforce as wf
    from kpi.charts.workforce import trend_lines

    counts = {(2024, "GS"): 40, (2024, "ITU-R"): 27, (2024, "ITU-T"): 20,
              (2025, "GS"): 41, (2025, "ITU-R"): 2, (2025, "ITU-T"): 16}
    frame = wf.cells(wf.over_time(_people(counts, ("year", "sector")), None, "sector"))
    assert _hidden(frame, "count", "display", "label", "year") == {("ITU-R (BR)", 2025): "fewer than 5",
                                                                   ("ITU-T (TSB)", 2025): "hidden"}
    fig = trend_lines(frame)
    assert _drawn(fig) == [
        {"type": "scatter", "name": "General Secretariat", "x": [2024, 2025], "y": [40, 41],
         "customdata": ["40", "41"]},
        {"type": "scatter", "name": "ITU-R (BR)", "x": [2024, 2025], "y": [27, None],
         "customdata": ["27", "fewer than 5"]},
        {"type": "scatter", "name": "ITU-T (TSB)", "x": [2024, 2025], "y": [20, None], "customdata": ["20", "hidden"]},
        {"type": "scatter", "name": "ITU-R (BR): hidden", "x": [2025], "y": ["ITU-R (BR)"],
         "customdata": ["fewer than 5"], "symbol": "x-thin-open"},
        {"type": "scatter", "name": "ITU-T (TSB): hidden", "x": [2025], "y": ["ITU-T (TSB)"], "customdata": ["hidden"],
         "symbol": "x-thin-open"},
    ]
    # The lines break at the hidden year; the crosses stand in the strip (its own axis), not at a value.
    assert [(t.connectgaps, t.yaxis) for t in fig.data] == [(False, None)] * 3 + [(None, "y2")] * 2
    _assert_never_drawn(fig, [counts[(2025, "ITU-R")], counts[(2025, "ITU-T")]])


def test_the_share_heat_map_greys_a_hidden_cell_and_writes_its_words():
    from kpi import workforce as wf
    from kpi.charts.workforce import share_heatmap

    counts = {(2024, "P4", "F"): 12, (2024, "P4", "M"): 9, (2024, "P5", "F"): 7, (2024, "P5", "M"): 13,
              (2025, "P4", "F"): 12, (2025, "P4", "M"): 9, (2025, "P5", "F"): 3, (2025, "P5", "M"): 14,
              (2025, "D1", "F"): 8, (2025, "D1", "M"): 11}
    frame = wf.cells(wf.gender_by_grade(_people(counts, ("year", "grade", "gender")), None))
    assert _hidden(frame, "share", "share_display", "label", "year") == {("P5", 2025): "fewer than 5",
                                                                        ("D1", 2025): "hidden"}
    fig = share_heatmap(frame, ["D1", "P5", "P4"])
    parity_p4 = 100 * 12 / 21
    assert _drawn(fig) == [
        # A hidden cell has no colour (no z: the grey background shows) and no text in the heat map ...
        {"type": "heatmap", "name": None, "x": ["2024", "2025"], "y": ["D1", "P5", "P4"],
         "z": [[None, None], [35.0, None], [parity_p4, parity_p4]], "text": [["", ""], ["35 %", ""], ["57 %", "57 %"]]},
        # ... its words are written over it in grey; D1 had no staff in 2024.
        {"type": "scatter", "name": None, "x": ["2025", "2025"], "y": ["D1", "P5"], "text": ["hidden", "fewer than 5"]},
        {"type": "scatter", "name": None, "x": ["2024"], "y": ["D1"], "text": ["no staff"]},
    ]
    assert fig.data[0].hoverongaps is False  # no hover of the heat map over a hidden cell
    _assert_never_drawn(fig, [100 * 3 / 17, 100 * 8 / 19])


def test_over_many_years_the_heat_map_writes_a_hidden_cells_words_on_two_lines():
    """Eleven years on a 1280-pixel screen: "fewer than 5" was wider than its cell and ran into the next one."""
    from kpi import workforce as wf
    from kpi.charts.table import figure_table
    from kpi.charts.workforce import WRAP_NOTES_AFTER_YEARS, share_heatmap

    years = range(2015, 2026)
    counts = {**{(y, "P4", "F"): 12 for y in years}, **{(y, "P4", "M"): 9 for y in years},
              **{(y, "P5", "F"): 3 for y in years}, **{(y, "P5", "M"): 14 for y in years}}
    frame = wf.cells(wf.gender_by_grade(_people(counts, ("year", "grade", "gender")), None))
    fig = share_heatmap(frame, ["P5", "P4"])
    assert len(years) > WRAP_NOTES_AFTER_YEARS
    # P5's women are fewer than 5; P4 is hidden with them (its share would give P5's away from the total).
    assert fig.data[1].text == ("fewer<br>than 5",) * 11 + ("hidden",) * 11
    table = figure_table(fig)
    assert table.rows() == [("P5", *["fewer than 5"] * 11), ("P4", *["hidden"] * 11)]  # on one line
    few = share_heatmap(frame.filter(pl.col("year") >= 2020), ["P5", "P4"])
    assert few.data[1].text == ("fewer than 5",) * 6 + ("hidden",) * 6


def test_the_value_heat_map_greys_a_cell_whose_count_is_hidden_and_writes_its_words():
    from kpi import workforce as wf
    from kpi.charts.workforce import value_heatmap

    # (year, grade, sector, days to select): selections, each taking that many days.
    counts = {(2025, "P4", "GS", 90.0): 6, (2025, "P4", "ITU-R", 120.0): 7, (2025, "P4", "ITU-T", 70.0): 9,
              (2025, "P5", "GS", 150.0): 8, (2025, "P5", "ITU-R", 200.0): 2, (2025, "P5", "ITU-T", 100.0): 12}
    table = wf.recruitment_timeline(_people(counts, ("year", "grade", "sector", "days")), 2025, ["grade", "sector"])
    grid = table.frame.with_columns(pl.col("grade", "sector").fill_null("all"))  # the totals, as the page shows them
    hidden = _hidden(grid, "days", "days_display", "grade", "sector")
    assert hidden == {("P4", "GS"): "hidden", ("P4", "ITU-R"): "hidden", ("P5", "GS"): "hidden",
                      ("P5", "ITU-R"): "fewer than 5"}
    fig = value_heatmap(grid, "grade", "sector", "days", "days_display",
                        row_labels={"P4": "P4", "P5": "P5", "all": "All grades"},
                        column_labels={"GS": "GS", "ITU-R": "ITU-R", "ITU-T": "ITU-T", "all": "All Sectors"},
                        row_order=["P5", "P4", "all"], column_order=["GS", "ITU-R", "ITU-T", "all"],
                        colour_title="Days", missing="no selection")
    assert _drawn(fig) == [
        {"type": "heatmap", "name": None, "x": ["GS", "ITU-R", "ITU-T", "All Sectors"], "y": ["P5", "P4", "All grades"],
         "z": [[None, None, 100.0, 127.0], [None, None, 70.0, 91.0], [124.0, 138.0, 87.0, 109.0]],
         "text": [["", "", "100 days", "127 days"], ["", "", "70 days", "91 days"],
                  ["124 days", "138 days", "87 days", "109 days"]]},
        {"type": "scatter", "name": None, "x": ["GS", "ITU-R", "GS", "ITU-R"], "y": ["P5", "P5", "P4", "P4"],
         "text": ["hidden", "fewer than 5", "hidden", "hidden"]},
    ]
    # Neither a hidden cell's mean days nor its number of selections.
    secret = [key for key in counts if key[1:3] in hidden]
    _assert_never_drawn(fig, [days for *_, days in secret] + [counts[key] for key in secret])


def test_the_nationality_map_fills_hidden_countries_grey_and_names_their_words_in_the_hover():
    from kpi import workforce as wf
    from kpi.charts.workforce import nationality_map

    countries = pl.DataFrame({"iso3": ["BRA", "CHE", "FRA", "KEN"],
                              "name": ["Brazil", "Switzerland", "France", "Kenya"],
                              "is_member_state": [True] * 4, "admin_region": ["A", "B", "B", "D"]})
    counts = {(2025, "CHE"): 30, (2025, "FRA"): 14, (2025, "KEN"): 4}
    table = wf.nationality_by_country(_people(counts, ("year", "nationality")), countries, 2025)
    assert _hidden(table.frame, "count", "display", "nationality") == {"FRA": "hidden", "KEN": "fewer than 10"}
    fig = nationality_map(table.frame, table.threshold, 2025)
    assert _drawn(fig) == [
        {"type": "choropleth", "name": "No national on staff", "locations": ["BRA"], "z": [0], "text": ["Brazil"]},
        # One grey for every hidden country (z is a constant on a one-colour scale, not a count).
        {"type": "choropleth", "name": "fewer than 10: hidden", "locations": ["FRA", "KEN"], "z": [1, 1],
         "text": ["France", "Kenya"], "customdata": ["hidden", "fewer than 10"]},
        {"type": "choropleth", "name": "Staff", "locations": ["CHE"], "z": [30], "text": ["Switzerland"],
         "customdata": ["30"]},
        {"type": "scattergeo", "name": "fewer than 10, or hidden", "symbol": "square"},
        {"type": "scattergeo", "name": "No national on staff", "symbol": "square"},
    ]
    assert list(fig.data[1].colorscale) == [(0, MAP_HIDDEN_FILL), (1, MAP_HIDDEN_FILL)]
    assert fig.data[1].hovertemplate == "%{text}: %{customdata}<extra></extra>"
    _assert_never_drawn(fig, [counts[(2025, "FRA")], counts[(2025, "KEN")]])
