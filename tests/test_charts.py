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
