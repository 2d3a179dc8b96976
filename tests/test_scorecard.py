"""kpi.scorecard: one rule resolves an indicator's baseline, for the scorecard, the explorer and the slides."""
from __future__ import annotations

import re

import polars as pl
import pytest

from kpi.scorecard import resolved_baseline, with_baselines
from tests.source_scan import matching_lines

HEADLINE = pl.DataFrame({"year": [2019, 2020, 2021], "value": [40.0, None, 44.5]})
#: The rule's home: the one module allowed to read a stored baseline value to fall back from it.
HOME = ("kpi/scorecard.py",)
#: A fallback from the stored baseline value written again: a test of it against None, or a coalesce or
#: fill_null of it (the frame form), or ``or`` after it.
FALLBACK = re.compile(r"""baseline_value["']\]\s*(is|==|!=)\s*(not\s+)?None"""
                      r"""|baseline_value["']\]\s+or\b|baseline_value["']\)\s+or\b"""
                      r"""|(coalesce|fill_null)\([^)]*baseline_value|baseline_value["']\)\.fill_null""")


@pytest.mark.parametrize(("year", "stored", "expected"), [
    (2019, 38.0, (2019, 38.0)),   # the value as stored wins over the observation
    (2019, None, (2019, 40.0)),   # else the headline observation of the baseline year
    (2021, None, (2021, 44.5)),
    (2020, None, None),           # that year reported no value
    (2018, None, None),           # no observation that year
    (None, None, None),           # no baseline year
    (None, 38.0, None),           # a value without its year cannot be placed
])
def test_a_baseline_is_the_stored_value_else_the_observation_of_its_year(year, stored, expected):
    assert resolved_baseline({"baseline_year": year, "baseline_value": stored}, HEADLINE) == expected


def test_the_frame_form_resolves_each_indicator_as_the_one_indicator_form():
    sheets = [{"indicator_id": i, "baseline_year": y, "baseline_value": v}
              for i, (y, v) in enumerate([(2019, 38.0), (2019, None), (2020, None), (2018, None)])]
    indicators = pl.DataFrame(sheets, schema={"indicator_id": pl.Int64, "baseline_year": pl.Int64,
                                              "baseline_value": pl.Float64})
    headline = pl.concat([HEADLINE.with_columns(pl.lit(i, pl.Int64).alias("indicator_id")) for i in range(4)])
    frame = with_baselines(indicators, headline)
    assert frame["baseline_value"].to_list() == [38.0, 40.0, None, None]
    assert [resolved_baseline(s, HEADLINE) for s in sheets] == [(2019, 38.0), (2019, 40.0), None, None]


def test_no_module_but_the_scorecard_writes_the_baseline_fallback_again():
    assert matching_lines(FALLBACK, homes=HOME) == []


@pytest.mark.parametrize("copy", [
    'value = sheet["baseline_value"] if sheet["baseline_value"] is not None else observed',
    "value = sheet['baseline_value'] or observed",
    'frame.with_columns(pl.coalesce("baseline_value", "_observed"))',
    'frame.with_columns(pl.col("baseline_value").fill_null(pl.col("value")))',
])
def test_the_source_check_finds_a_new_copy_of_the_fallback(copy):
    assert matching_lines(FALLBACK, homes=HOME, texts={"pages/new.py": copy + "\n"}) == [f"pages/new.py:1: {copy}"]
