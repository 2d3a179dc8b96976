"""kpi.charts: the pure figure builders (one theme; legible on a projector)."""
from __future__ import annotations

import polars as pl
import pytest

from kpi.charts.indicator import indicator_figure
from kpi.charts.theme import FONT_SIZE, PROJECTOR_FONT_SIZE, base_layout

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
