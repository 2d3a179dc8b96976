"""Tests for kpi.status: hand-worked cases.

Every expected number below is worked out in the comments from the formulas of the
module docstring (CAGR = (end / start) ^ (1 / years) - 1), never by calling the code
under test. Rates are compared with pytest.approx (relative 1e-5), so the 6-digit hand
values are precise enough; every test asserts the whole Assessment.
"""

from __future__ import annotations

import math

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from kpi.status import (
    AT_RISK_RATIO,
    ON_TRACK_RATIO,
    STATUSES,
    Assessment,
    assess,
    assess_frame,
    project,
)


def expected(status, explanation, latest_year, latest_value, target_year, target_value,
             observed_rate, required_rate, ratio, projected_value, method) -> Assessment:
    """An Assessment whose float fields compare approximately (relative 1e-5)."""

    def ap(x):
        return None if x is None else pytest.approx(x, rel=1e-5)

    return Assessment(
        status=status,
        explanation=explanation,
        latest_year=latest_year,
        latest_value=ap(latest_value),
        target_year=target_year,
        target_value=ap(target_value),
        observed_rate=ap(observed_rate),
        required_rate=ap(required_rate),
        ratio=ap(ratio),
        projected_value=ap(projected_value),
        method=method,
    )


NO_DATA = Assessment("no_data", "No data reported yet.", None, None, None, None, None, None, None, None, "")

# The "on track, higher is better" case, reused by several tests:
#   baseline 2019 = 40 %, latest 2021 = 48.4 %, target 64 % in 2025.
#   observed: (48.4 / 40) ^ (1/2) - 1 = 1.21 ^ 0.5 - 1 = 0.1
#   required: (64 / 40) ^ (1/6) - 1 = 1.6 ^ (1/6) - 1 = exp(0.470004 / 6) - 1 = 0.0814837
#   ratio: 0.1 / 0.0814837 = 1.22724 >= 0.95 -> on track
#   projection: 48.4 * 1.1 ^ 4 = 48.4 * 1.4641 = 70.86244
ON_TRACK_HIGHER = expected(
    "on_track",
    "On track: since 2019 the value rose 10.0 % a year; 8.1 % a year is needed to reach 64 % by 2025.",
    2021, 48.4, 2025, 64.0, 0.1, 0.0814837, 1.22724, 70.86244, "cagr",
)


def test_constants():
    assert STATUSES == ("achieved", "on_track", "at_risk", "off_track", "no_target", "no_data")
    assert ON_TRACK_RATIO == 0.95
    assert AT_RISK_RATIO == 0.5


# ---------------------------------------------------------------------------------------
# Achieved
# ---------------------------------------------------------------------------------------


def test_achieved_higher_is_better():
    # 7,200 in 2022 >= target 7,000 (2024): achieved.
    # observed: (7200 / 5000) ^ (1/2) - 1 = 1.44 ^ 0.5 - 1 = 0.2
    # required: (7000 / 5000) ^ (1/4) - 1 = 1.4 ^ 0.25 - 1 = 1.087757 - 1 = 0.0877573
    # ratio: 0.2 / 0.0877573 = 2.27901
    # projection to 2024: 7200 * 1.2 ^ 2 = 10368 (no upper limit)
    a = assess([(2020, 5000.0), (2022, 7200.0)], direction="higher", baseline=(2020, 5000.0),
               targets={2024: 7000.0}, unit="count")
    assert a == expected(
        "achieved", "Achieved: 7,200 in 2022 meets the 2024 target of 7,000.",
        2022, 7200.0, 2024, 7000.0, 0.2, 0.0877573, 2.27901, 10368.0, "cagr",
    )


def test_achieved_lower_is_better():
    # 25.6 days in 2023 <= target 26 days (2025): achieved.
    # The lower limit 0 makes the "gap" the value itself, so the method stays "cagr".
    # observed: (25.6 / 40) ^ (1/4) - 1 = 0.64 ^ 0.25 - 1 = 0.8 ^ 0.5 - 1 = 0.894427 - 1 = -0.105573
    # required: (26 / 40) ^ (1/6) - 1 = 0.65 ^ (1/6) - 1 = exp(-0.430783 / 6) - 1 = -0.0692803
    # ratio: -0.105573 / -0.0692803 = 1.52385
    # projection: 25.6 * 0.894427 ^ 2 = 25.6 * 0.8 = 20.48 (above the lower limit 0)
    a = assess([(2021, 30.0), (2023, 25.6)], direction="lower", baseline=(2019, 40.0),
               targets={2025: 26.0}, lower_limit=0.0, unit="days")
    assert a == expected(
        "achieved", "Achieved: 25.6 days in 2023 meets the 2025 target of 26 days.",
        2023, 25.6, 2025, 26.0, -0.105573, -0.0692803, 1.52385, 20.48, "cagr",
    )


# ---------------------------------------------------------------------------------------
# On track / at risk / off track, both directions
# ---------------------------------------------------------------------------------------


def test_on_track_higher_is_better():
    a = assess([(2019, 40.0), (2021, 48.4)], direction="higher", baseline=(2019, 40.0),
               targets={2025: 64.0}, unit="pct")
    assert a == ON_TRACK_HIGHER


def test_on_track_lower_is_better():
    # observed: (162 / 200) ^ (1/2) - 1 = 0.81 ^ 0.5 - 1 = -0.1
    # required: (120 / 200) ^ (1/6) - 1 = 0.6 ^ (1/6) - 1 = exp(-0.510826 / 6) - 1 = -0.0816141
    # ratio: -0.1 / -0.0816141 = 1.22528 -> on track
    # projection: 162 * 0.9 ^ 4 = 162 * 0.6561 = 106.2882
    a = assess([(2018, 200.0), (2020, 162.0)], direction="lower", baseline=(2018, 200.0),
               targets={2024: 120.0}, unit="days")
    assert a == expected(
        "on_track",
        "On track: since 2018 the value fell 10.0 % a year; 8.2 % a year is needed to reach 120 days by 2024.",
        2020, 162.0, 2024, 120.0, -0.1, -0.0816141, 1.22528, 106.2882, "cagr",
    )


def test_at_risk_higher_is_better():
    # observed: (110.25 / 100) ^ (1/2) - 1 = 1.05 - 1 = 0.05
    # required: (150 / 100) ^ (1/5) - 1 = exp(0.405465 / 5) - 1 = 0.0844718
    # ratio: 0.05 / 0.0844718 = 0.591914 -> at risk (0.5 <= ratio < 0.95)
    # projection: 110.25 * 1.05 ^ 3 = 110.25 * 1.157625 = 127.628156
    a = assess([(2022, 110.25), (2020, 100.0)], direction="higher", baseline=None,
               targets={2025: 150.0})
    assert a == expected(
        "at_risk",
        "At risk: since 2020 the value rose 5.0 % a year, but 8.4 % a year is needed to reach 150 by 2025.",
        2022, 110.25, 2025, 150.0, 0.05, 0.0844718, 0.591914, 127.628156, "cagr",
    )


def test_at_risk_lower_is_better():
    # observed: (76.05 / 80) ^ (1/2) - 1 = 0.950625 ^ 0.5 - 1 = 0.975 - 1 = -0.025
    # required: (70 / 80) ^ (1/4) - 1 = 0.875 ^ 0.25 - 1 = 0.967168 - 1 = -0.0328318
    # ratio: -0.025 / -0.0328318 = 0.761457 -> at risk
    # projection: 76.05 * 0.975 ^ 2 = 76.05 * 0.950625 = 72.2950313
    a = assess([(2019, 80.0), (2021, 76.05)], direction="lower", baseline=(2019, 80.0),
               targets={2023: 70.0}, unit="pct")
    assert a == expected(
        "at_risk",
        "At risk: since 2019 the value fell 2.5 % a year, but 3.3 % a year is needed to reach 70 % by 2023.",
        2021, 76.05, 2023, 70.0, -0.025, -0.0328318, 0.761457, 72.2950313, "cagr",
    )


def test_off_track_higher_is_better_too_slow():
    # observed: (1030.301 / 1000) ^ (1/3) - 1 = 1.01 - 1 = 0.01
    # required: (1500 / 1000) ^ (1/5) - 1 = 0.0844718
    # ratio: 0.01 / 0.0844718 = 0.118383 -> off track (right direction, far too slow)
    # projection: 1030.301 * 1.01 ^ 2 = 1000 * 1.01 ^ 5 = 1051.01005
    a = assess([(2020, 1000.0), (2023, 1030.301)], direction="higher", baseline=(2020, 1000.0),
               targets={2025: 1500.0}, unit="CHF")
    assert a == expected(
        "off_track",
        "Off track: since 2020 the value rose 1.0 % a year, but 8.4 % a year is needed to reach CHF 1,500 by 2025.",
        2023, 1030.301, 2025, 1500.0, 0.01, 0.0844718, 0.118383, 1051.01005, "cagr",
    )


def test_off_track_higher_is_better_wrong_direction():
    # observed: (57.624 / 60) ^ (1/2) - 1 = 0.9604 ^ 0.5 - 1 = 0.98 - 1 = -0.02
    # required: (75 / 60) ^ (1/6) - 1 = 1.25 ^ (1/6) - 1 = exp(0.223144 / 6) - 1 = 0.0378908
    # ratio: -0.02 / 0.0378908 = -0.527832 (negative: wrong direction) -> off track
    # projection: 57.624 * 0.98 ^ 4 = 57.624 * 0.92236816 = 53.1505429
    a = assess([(2019, 60.0), (2021, 57.624)], direction="higher", baseline=(2019, 60.0),
               targets={2025: 75.0}, unit="pct")
    assert a == expected(
        "off_track",
        "Off track: since 2019 the value fell 2.0 % a year, but it must rise 3.8 % a year to reach 75 % by 2025.",
        2021, 57.624, 2025, 75.0, -0.02, 0.0378908, -0.527832, 53.1505429, "cagr",
    )


def test_off_track_lower_is_better_wrong_direction():
    # observed: (52.02 / 50) ^ (1/2) - 1 = 1.0404 ^ 0.5 - 1 = 0.02
    # required: (40 / 50) ^ (1/6) - 1 = 0.8 ^ (1/6) - 1 = exp(-0.223144 / 6) - 1 = -0.0365075
    # ratio: 0.02 / -0.0365075 = -0.547832 -> off track
    # projection: 52.02 * 1.02 ^ 4 = 50 * 1.02 ^ 6 = 50 * 1.126162 = 56.3081210
    a = assess([(2020, 50.0), (2022, 52.02)], direction="lower", baseline=(2020, 50.0),
               targets={2026: 40.0}, unit="days")
    assert a == expected(
        "off_track",
        "Off track: since 2020 the value rose 2.0 % a year, but it must fall 3.7 % a year to reach 40 days by 2026.",
        2022, 52.02, 2026, 40.0, 0.02, -0.0365075, -0.547832, 56.3081210, "cagr",
    )


# ---------------------------------------------------------------------------------------
# Natural limits, zero values, thresholds
# ---------------------------------------------------------------------------------------


def test_near_100_pct_uses_the_gap_to_the_limit():
    # Share 80 % (2019) -> 87.2 % (2021), target 97 % by 2025, upper limit 100 %.
    #
    # Gap method (what assess does): gap 20 -> 12.8 points, target gap 3.
    #   observed: (12.8 / 20) ^ (1/2) - 1 = 0.64 ^ 0.5 - 1 = -0.2 (gap shrinks 20 % a year)
    #   required: (3 / 20) ^ (1/6) - 1 = 0.15 ^ (1/6) - 1 = exp(-1.897120 / 6) - 1 = -0.271077
    #   ratio: -0.2 / -0.271077 = 0.737799 -> AT RISK
    #   projection: 100 - 12.8 * 0.8 ^ 4 = 100 - 12.8 * 0.4096 = 100 - 5.24288 = 94.75712
    #
    # Plain CAGR on the value, for comparison:
    #   observed: (87.2 / 80) ^ (1/2) - 1 = 1.09 ^ 0.5 - 1 = 0.0440307
    #   required: (97 / 80) ^ (1/6) - 1 = 1.2125 ^ (1/6) - 1 = exp(0.192684 / 6) - 1 = 0.0326353
    #   ratio: 0.0440307 / 0.0326353 = 1.34917 -> "on track"
    #   but continuing it gives 87.2 * 1.09 ^ 2 = 103.6 % in 2025, above 100 %: impossible.
    #
    # NOTE: the brief expected the gap method to turn a plain-CAGR "at risk" into "on
    # track". With both rates measured from the baseline that cannot happen: the gap
    # method is always at least as strict as plain CAGR when the value rises towards a
    # ceiling (log-gap is a convex function of log-value, so the gap ratio <= the CAGR
    # ratio). The honest difference it makes is the one shown here: plain CAGR overstates
    # progress near 100 %.
    a = assess([(2019, 80.0), (2021, 87.2)], direction="higher", baseline=(2019, 80.0),
               targets={2025: 97.0}, upper_limit=100.0, lower_limit=0.0, unit="pct")
    assert a == expected(
        "at_risk",
        "At risk: since 2019 the gap to 100 % narrowed 20.0 % a year, but 27.1 % a year is needed "
        "to reach 97 % by 2025.",
        2021, 87.2, 2025, 97.0, -0.2, -0.271077, 0.737799, 94.75712, "gap",
    )
    # The same data without the limit uses plain CAGR and says on track.
    plain = assess([(2019, 80.0), (2021, 87.2)], direction="higher", baseline=(2019, 80.0),
                   targets={2025: 97.0}, unit="pct")
    assert plain == expected(
        "on_track",
        "On track: since 2019 the value rose 4.4 % a year; 3.3 % a year is needed to reach 97 % by 2025.",
        2021, 87.2, 2025, 97.0, 0.0440307, 0.0326353, 1.34917, 103.60232, "cagr",
    )


def test_gap_method_on_track():
    # 90 % -> 93.6 % in 2 years, upper limit 100 %, target 97 % by 2025 (baseline 2019).
    # gap 10 -> 6.4: observed (6.4 / 10) ^ (1/2) - 1 = 0.8 - 1 = -0.2
    # target gap 3: required (3 / 10) ^ (1/6) - 1 = exp(-1.203973 / 6) - 1 = 0.818189 - 1 = -0.181811
    # ratio: -0.2 / -0.181811 = 1.10004 -> on track
    # projection: 100 - 6.4 * 0.8 ^ 4 = 100 - 6.4 * 0.4096 = 97.37856
    a = assess([(2019, 90.0), (2021, 93.6)], direction="higher", baseline=None,
               targets={2025: 97.0}, upper_limit=100.0, unit="pct")
    assert a == expected(
        "on_track",
        "On track: since 2019 the gap to 100 % narrowed 20.0 % a year; 18.2 % a year is needed "
        "to reach 97 % by 2025.",
        2021, 93.6, 2025, 97.0, -0.2, -0.181811, 1.10004, 97.37856, "gap",
    )


def test_target_at_the_limit_uses_linear_method():
    # Target 100 % with upper limit 100 %: the target gap is 0, and shrinking a gap to 0
    # would need -100 % a year, so the change in percentage points per year is used.
    # observed: (87.2 - 80) / 2 = 3.6 points a year; required: (100 - 80) / 6 = 3.33333
    # ratio: 3.6 / 3.33333 = 1.08 -> on track
    # projection: 87.2 + 3.6 * 4 = 101.6, clamped to the limit 100
    a = assess([(2019, 80.0), (2021, 87.2)], direction="higher", baseline=None,
               targets={2025: 100.0}, upper_limit=100.0, unit="pct")
    assert a == expected(
        "on_track",
        "On track: since 2019 the value rose by 3.6 percentage points a year; 3.3 percentage points a year "
        "is needed to reach 100 % by 2025.",
        2021, 87.2, 2025, 100.0, 3.6, 3.33333, 1.08, 100.0, "linear",
    )


def test_zero_baseline_uses_linear_method():
    # Baseline 0 in 2020: growth in percent is undefined, so average change per year is used.
    # observed: (3 - 0) / 2 = 1.5 a year; required: (12 - 0) / 6 = 2 a year
    # ratio: 1.5 / 2 = 0.75 -> at risk
    # projection: 3 + 1.5 * 4 = 9
    a = assess([(2020, 0.0), (2022, 3.0)], direction="higher", baseline=(2020, 0.0),
               targets={2026: 12.0})
    assert a == expected(
        "at_risk",
        "At risk: since 2020 the value rose by 1.5 a year, but 2 a year is needed to reach 12 by 2026.",
        2022, 3.0, 2026, 12.0, 1.5, 2.0, 0.75, 9.0, "linear",
    )


def test_zero_target_uses_linear_method():
    # Target 0 open cases (lower is better): (0 / 40) ^ (1/5) - 1 would be -100 % a year, so linear.
    # observed: (30 - 40) / 2 = -5 a year; required: (0 - 40) / 5 = -8 a year
    # ratio: -5 / -8 = 0.625 -> at risk
    # projection: 30 - 5 * 3 = 15 (above the lower limit 0)
    a = assess([(2020, 40.0), (2022, 30.0)], direction="lower", baseline=None,
               targets={2025: 0.0}, lower_limit=0.0)
    assert a == expected(
        "at_risk",
        "At risk: since 2020 the value fell by 5 a year, but 8 a year is needed to reach 0 by 2025.",
        2022, 30.0, 2025, 0.0, -5.0, -8.0, 0.625, 15.0, "linear",
    )


@pytest.mark.parametrize(
    "latest, status, sentence, observed, projected",
    [
        # 1.9 / 2 = 0.95 a year vs 10 / 10 = 1 a year: ratio exactly 0.95 -> on track
        (1.9, "on_track", "On track: since 2020 the value rose by 0.95 a year; 1 a year is needed", 0.95, 1.9 + 0.95 * 8),
        # 1.8 / 2 = 0.9 a year: ratio 0.9 -> at risk
        (1.8, "at_risk", "At risk: since 2020 the value rose by 0.9 a year, but 1 a year is needed", 0.9, 1.8 + 0.9 * 8),
        # 1.0 / 2 = 0.5 a year: ratio exactly 0.5 -> at risk
        (1.0, "at_risk", "At risk: since 2020 the value rose by 0.5 a year, but 1 a year is needed", 0.5, 1.0 + 0.5 * 8),
        # 0.98 / 2 = 0.49 a year: ratio 0.49 -> off track
        (0.98, "off_track", "Off track: since 2020 the value rose by 0.49 a year, but 1 a year is needed", 0.49, 0.98 + 0.49 * 8),
        # no change: ratio 0 -> off track
        (0.0, "off_track", "Off track: since 2020 the value did not change, but it must rise by 1 a year", 0.0, 0.0),
    ],
)
def test_ratio_thresholds(latest, status, sentence, observed, projected):
    a = assess([(2020, 0.0), (2022, latest)], direction="higher", baseline=None, targets={2030: 10.0})
    assert a == expected(status, sentence + " to reach 10 by 2030.", 2022, latest, 2030, 10.0,
                         observed, 1.0, observed / 1.0, projected, "linear")


# ---------------------------------------------------------------------------------------
# No data, no target, single value, missed and slipped targets
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "observations, as_of_year",
    [
        ([], None),
        ([(2020, None), (2021, math.nan)], None),
        ([(2024, 5.0)], 2023),  # only a value after the as-of year
    ],
)
def test_no_data(observations, as_of_year):
    a = assess(observations, direction="higher", baseline=(2019, 3.0), targets={2025: 10.0},
               as_of_year=as_of_year, unit="pct")
    assert a == NO_DATA


def test_no_target_still_reports_value_and_trend():
    # observed: (63.5 / 60) ^ (1/2) - 1 = 1.058333 ^ 0.5 - 1 = 1.028753 - 1 = 0.0287533
    # no target -> no required rate, no ratio, no target year to project to.
    a = assess([(2021, 60.0), (2023, 63.5)], direction="higher", baseline=None, targets={}, unit="pct")
    assert a == expected(
        "no_target", "No target set; latest value 63.5 % (2023).",
        2023, 63.5, None, None, 0.0287533, None, None, None, "cagr",
    )


def test_single_observation_is_at_risk_without_a_trend():
    a = assess([(2023, 63.5)], direction="higher", baseline=None, targets={2025: 75.0}, unit="pct")
    assert a == expected(
        "at_risk",
        "At risk: only one value so far (63.5 % in 2023), so there is no trend yet to compare "
        "with the 2025 target of 75 %.",
        2023, 63.5, 2025, 75.0, None, None, None, None, "",
    )


def test_baseline_in_the_latest_year_has_no_trend():
    # Earlier values exist, but the declared baseline is the latest year: no trend since it.
    a = assess([(2021, 50.0), (2023, 63.5)], direction="higher", baseline=(2023, 63.5),
               targets={2025: 75.0}, unit="pct")
    assert a == expected(
        "at_risk",
        "At risk: the latest value (63.5 % in 2023) is the baseline, so there is no trend yet to compare "
        "with the 2025 target of 75 %.",
        2023, 63.5, 2025, 75.0, None, None, None, None, "",
    )


def test_missed_past_target_is_off_track():
    # Only target 2020 = 50 %; latest 48.4 % (2021) is after the target year and below it.
    # observed 0.1 (as ON_TRACK_HIGHER); required (50 / 40) ^ (1/1) - 1 = 0.25; ratio 0.4
    # No projection: the target year is before the latest value.
    a = assess([(2019, 40.0), (2021, 48.4)], direction="higher", baseline=None,
               targets={2020: 50.0}, unit="pct")
    assert a == expected(
        "off_track",
        "Off track: the 2020 target of 50 % has not been met; latest value 48.4 % (2021).",
        2021, 48.4, 2020, 50.0, 0.1, 0.25, 0.4, None, "cagr",
    )


def test_target_year_reached_and_missed_is_off_track():
    # Target 2021 = 50 %, and the 2021 value 48.4 % is in: missed, even though the ratio
    # would say at risk: required (50 / 40) ^ (1/2) - 1 = 1.118034 - 1 = 0.118034,
    # ratio 0.1 / 0.118034 = 0.847214. The projection to 2021 is the 2021 value itself.
    a = assess([(2019, 40.0), (2021, 48.4)], direction="higher", baseline=None,
               targets={2021: 50.0}, unit="pct")
    assert a == expected(
        "off_track",
        "Off track: the 2021 target of 50 % has not been met; latest value 48.4 % (2021).",
        2021, 48.4, 2021, 50.0, 0.1, 0.118034, 0.847214, 48.4, "cagr",
    )


def test_projection_is_clamped_to_limits():
    # 4 (2020) -> 0 (2022): zero latest value -> linear. observed (0 - 4) / 2 = -2 a year,
    # required (10 - 4) / 10 = 0.6 a year, ratio -2 / 0.6 = -3.33333 -> off track.
    # projection 0 - 2 * 8 = -16, clamped to the lower limit 0.
    a = assess([(2020, 4.0), (2022, 0.0)], direction="higher", baseline=None,
               targets={2030: 10.0}, lower_limit=0.0)
    assert a == expected(
        "off_track",
        "Off track: since 2020 the value fell by 2 a year, but it must rise by 0.6 a year to reach 10 by 2030.",
        2022, 0.0, 2030, 10.0, -2.0, 0.6, -3.33333, 0.0, "linear",
    )


@pytest.mark.parametrize(
    "unit, value, text",
    [
        ("pct", 63.5, "63.5 %"),
        ("pct", 100.0, "100 %"),
        ("days", 1.0, "1 day"),
        ("days", 127.6, "128 days"),
        ("CHF", 1234567.8, "CHF 1,234,568"),
        ("count", 7200.0, "7,200"),
        ("", 0.0042, "0.0042"),
        ("km", 12.3, "12.3 km"),
    ],
)
def test_value_formatting(unit, value, text):
    # One decimal below 100 (a trailing .0 dropped), whole numbers with thousands separators
    # from 100, two significant digits below 1.
    a = assess([(2023, value)], direction="higher", baseline=None, targets={}, unit=unit)
    assert a == expected("no_target", f"No target set; latest value {text} (2023).",
                         2023, value, None, None, None, None, None, None, "")


def test_baseline_met_target_but_value_slipped_back():
    # Baseline 80 % (2019) already met the 2025 target of 75 %; now 70 % (2021).
    # observed: (70 / 80) ^ (1/2) - 1 = 0.875 ^ 0.5 - 1 = 0.935414 - 1 = -0.0645857
    # required: (75 / 80) ^ (1/6) - 1 = 0.9375 ^ (1/6) - 1 = -0.0106988 (wrong sign: no ratio)
    # projection: 70 * 0.935414 ^ 4 = 70 * 0.875 ^ 2 = 70 * 0.765625 = 53.59375
    a = assess([(2019, 80.0), (2021, 70.0)], direction="higher", baseline=(2019, 80.0),
               targets={2025: 75.0}, unit="pct")
    assert a == expected(
        "off_track",
        "Off track: the value met the 2025 target of 75 % at the baseline (80 % in 2019) "
        "but has since fallen to 70 % (2021).",
        2021, 70.0, 2025, 75.0, -0.0645857, -0.0106988, None, 53.59375, "cagr",
    )


# ---------------------------------------------------------------------------------------
# Input handling: as-of year, unsorted input, target choice
# ---------------------------------------------------------------------------------------


def test_as_of_year_ignores_later_values():
    obs = [(2019, 40.0), (2021, 48.4), (2023, 70.0)]
    # As of 2022 the 2023 value is not known yet: same as ON_TRACK_HIGHER.
    assert assess(obs, direction="higher", baseline=None, targets={2025: 64.0},
                  as_of_year=2022, unit="pct") == ON_TRACK_HIGHER
    # Without the cut-off 70 % (2023) already meets the target of 64 %.
    # observed: (70 / 40) ^ (1/4) - 1 = 1.75 ^ 0.25 - 1 = 1.150163 - 1 = 0.150163
    # ratio: 0.150163 / 0.0814837 = 1.84286; projection 70 * 1.150163 ^ 2 = 70 * 1.75 ^ 0.5 = 92.6013
    achieved = expected(
        "achieved", "Achieved: 70 % in 2023 meets the 2025 target of 64 %.",
        2023, 70.0, 2025, 64.0, 0.150163, 0.0814837, 1.84286, 92.6013, "cagr",
    )
    assert assess(obs, direction="higher", baseline=None, targets={2025: 64.0}, unit="pct") == achieved
    # A value from the as-of year itself counts.
    assert assess(obs, direction="higher", baseline=None, targets={2025: 64.0},
                  as_of_year=2023, unit="pct") == achieved


def test_unsorted_input_with_missing_values():
    # The None in 2022 and the NaN in 2020 are skipped; 2021 is given twice and the value
    # given last (48.4) counts: latest is 48.4 (2021), baseline the earliest value 40 (2019)
    # -> same as ON_TRACK_HIGHER.
    obs = [(2021, 47.0), (2022, None), (2021, 48.4), (2020, math.nan), (2019, 40.0)]
    a = assess(obs, direction="higher", baseline=None, targets={2025: 64.0}, unit="pct")
    assert a == ON_TRACK_HIGHER


def test_target_choice_nearest_future():
    # As of 2022 there is no 2022 target: the nearest later one (2024 = 60 %) counts,
    # not 2027, and not the past 2020 target (which 48.4 % would already meet).
    # required: (60 / 40) ^ (1/5) - 1 = 1.5 ^ 0.2 - 1 = 0.0844718
    # ratio: 0.1 / 0.0844718 = 1.18383 -> on track
    # projection: 48.4 * 1.1 ^ 3 = 48.4 * 1.331 = 64.4204
    a = assess([(2019, 40.0), (2021, 48.4)], direction="higher", baseline=None,
               targets={2020: 45.0, 2024: 60.0, 2027: 90.0}, as_of_year=2022, unit="pct")
    assert a == expected(
        "on_track",
        "On track: since 2019 the value rose 10.0 % a year; 8.4 % a year is needed to reach 60 % by 2024.",
        2021, 48.4, 2024, 60.0, 0.1, 0.0844718, 1.18383, 64.4204, "cagr",
    )


def test_target_choice_as_of_year_target_first():
    # A target set for the as-of year itself (2022 = 50 %) wins over the later 2024 target.
    # required: (50 / 40) ^ (1/3) - 1 = 1.25 ^ (1/3) - 1 = 0.0772173
    # ratio: 0.1 / 0.0772173 = 1.29505; projection 48.4 * 1.1 = 53.24
    a = assess([(2019, 40.0), (2021, 48.4)], direction="higher", baseline=None,
               targets={2022: 50.0, 2024: 60.0}, as_of_year=2022, unit="pct")
    assert a == expected(
        "on_track",
        "On track: since 2019 the value rose 10.0 % a year; 7.7 % a year is needed to reach 50 % by 2022.",
        2021, 48.4, 2022, 50.0, 0.1, 0.0772173, 1.29505, 53.24, "cagr",
    )


def test_target_choice_latest_past_target():
    # No target in or after 2021 (the latest year, no as-of year given): the latest past
    # target (2020 = 45 %) counts, which 48.4 % meets.
    # required: (45 / 40) ^ (1/1) - 1 = 0.125; ratio 0.1 / 0.125 = 0.8; no projection backwards.
    a = assess([(2019, 40.0), (2021, 48.4)], direction="higher", baseline=None,
               targets={2018: 30.0, 2020: 45.0}, unit="pct")
    assert a == expected(
        "achieved", "Achieved: 48.4 % in 2021 meets the 2020 target of 45 %.",
        2021, 48.4, 2020, 45.0, 0.1, 0.125, 0.8, None, "cagr",
    )


def test_invalid_direction_is_rejected():
    with pytest.raises(ValueError):
        assess([(2020, 1.0)], direction="up", baseline=None, targets={})


# ---------------------------------------------------------------------------------------
# project
# ---------------------------------------------------------------------------------------


def test_project_gap_path():
    # Gap 12.8 shrinks 20 % a year: 10.24, 8.192, 6.5536, 5.24288.
    path = project([(2021, 87.2), (2019, 80.0)], baseline=(2019, 80.0), direction="higher",
                   to_year=2025, upper_limit=100.0)
    assert [y for y, _ in path] == [2021, 2022, 2023, 2024, 2025]
    assert [v for _, v in path] == pytest.approx([87.2, 89.76, 91.808, 93.4464, 94.75712], rel=1e-9)


def test_project_cagr_path_is_clamped_at_the_limit():
    # Forced plain CAGR: 80 * 1.09 ^ (years since 2019 / 2): 2022 = 80 * 1.09 ^ 1.5 = 91.03947,
    # 2023 = 80 * 1.09 ^ 2 = 95.048, 2024 = 80 * 1.09 ^ 2.5 = 99.23303, 2025 = 103.60232 -> 100.
    path = project([(2019, 80.0), (2021, 87.2)], baseline=None, direction="higher",
                   to_year=2025, upper_limit=100.0, method="cagr")
    assert path == [
        (2021, pytest.approx(87.2)),
        (2022, pytest.approx(91.03947, rel=1e-6)),
        (2023, pytest.approx(95.048, rel=1e-6)),
        (2024, pytest.approx(99.23303, rel=1e-6)),
        (2025, 100.0),
    ]


def test_project_linear_and_no_trend():
    # Zero baseline -> linear: 3 + 1.5 a year.
    assert project([(2020, 0.0), (2022, 3.0)], baseline=None, direction="higher", to_year=2024) == [
        (2022, 3.0), (2023, 4.5), (2024, 6.0)]
    assert project([(2023, 63.5)], baseline=None, direction="higher", to_year=2025) == []
    assert project([], baseline=None, direction="lower", to_year=2025) == []


# ---------------------------------------------------------------------------------------
# assess_frame
# ---------------------------------------------------------------------------------------


def test_assess_frame():
    indicators = pl.DataFrame(
        {
            "indicator_id": [40, 10, 30, 20],
            "direction": ["higher", "higher", "higher", "lower"],
            "baseline_year": [None, None, 2019, 2019],
            "baseline_value": [None, None, 50.0, 40.0],
            "lower_limit": [None, None, 0.0, 0.0],
            "upper_limit": [None, None, None, None],
            "unit": ["CHF", "pct", "pct", "days"],
        },
        schema_overrides={"baseline_year": pl.Int64, "upper_limit": pl.Float64},
    )
    observations = pl.DataFrame(
        {
            "indicator_id": [10, 20, 40, 10, 99, 20, 40, 10, 40],
            "year": [2021, 2023, 2020, 2019, 2021, 2021, 2024, 2026, 2023],
            "value": [48.4, 25.6, 1000.0, 40.0, 1.0, 30.0, None, 80.0, 1030.301],
        }
    )
    targets = pl.DataFrame(
        {
            "indicator_id": [10, 20, 30],
            "year": [2025, 2025, 2025],
            "value": [64.0, 26.0, 100.0],
        }
    )
    result = assess_frame(indicators, observations, targets, as_of_year=2024)

    # 40: no target; 2024 is empty, so latest is CHF 1,030.301 (2023); baseline = earliest (2020).
    #     observed (1030.301 / 1000) ^ (1/3) - 1 = 0.01
    # 10: the 2026 value is after the as-of year; otherwise ON_TRACK_HIGHER.
    # 30: no observations at all -> no data.
    # 20: as test_achieved_lower_is_better (baseline 40 days in 2019 from the indicator row).
    # (Indicator 99 is not in the indicator list and is left out.)
    expected_frame = pl.DataFrame(
        {
            "indicator_id": [40, 10, 30, 20],
            "status": ["no_target", "on_track", "no_data", "achieved"],
            "explanation": [
                "No target set; latest value CHF 1,030 (2023).",
                "On track: since 2019 the value rose 10.0 % a year; 8.1 % a year is needed to reach 64 % by 2025.",
                "No data reported yet.",
                "Achieved: 25.6 days in 2023 meets the 2025 target of 26 days.",
            ],
            "latest_year": [2023, 2021, None, 2023],
            "latest_value": [1030.301, 48.4, None, 25.6],
            "target_year": [None, 2025, None, 2025],
            "target_value": [None, 64.0, None, 26.0],
            "observed_rate": [0.01, 0.1, None, -0.105573],
            "required_rate": [None, 0.0814837, None, -0.0692803],
            "ratio": [None, 1.22724, None, 1.52385],
            "projected_value": [None, 70.86244, None, 20.48],
            "method": ["cagr", "cagr", "", "cagr"],
        },
        schema={
            "indicator_id": pl.Int64,
            "status": pl.String,
            "explanation": pl.String,
            "latest_year": pl.Int64,
            "latest_value": pl.Float64,
            "target_year": pl.Int64,
            "target_value": pl.Float64,
            "observed_rate": pl.Float64,
            "required_rate": pl.Float64,
            "ratio": pl.Float64,
            "projected_value": pl.Float64,
            "method": pl.String,
        },
    )
    assert_frame_equal(result, expected_frame, rel_tol=1e-5)


def test_assess_frame_without_indicators_keeps_the_columns():
    empty = pl.DataFrame(
        schema={"indicator_id": pl.Int64, "direction": pl.String, "baseline_year": pl.Int64,
                "baseline_value": pl.Float64, "lower_limit": pl.Float64, "upper_limit": pl.Float64,
                "unit": pl.String}
    )
    obs = pl.DataFrame(schema={"indicator_id": pl.Int64, "year": pl.Int64, "value": pl.Float64})
    out = assess_frame(empty, obs, obs)
    assert out.height == 0
    assert out.columns == ["indicator_id", "status", "explanation", "latest_year", "latest_value",
                           "target_year", "target_value", "observed_rate", "required_rate", "ratio",
                           "projected_value", "method"]


def test_the_gap_still_open_is_signed_by_direction_and_works_for_a_target_of_zero():
    from kpi.scorecard import gap_still_open

    frame = pl.DataFrame({
        "direction": ["higher", "lower", "lower", "higher", "higher", "higher", "lower"],
        "baseline_value": [40.0, 10.0, 152.5, 41.0, 54.4, 40.0, None],
        "latest_value": [45.0, 4.0, 140.6, 39.0, 53.4, 50.0, 5.0],
        "target_value": [50.0, 0.0, 140.0, 46.0, 54.0, 50.0, 0.0],
    })
    got = frame.select(gap_still_open())["Gap still open"].to_list()
    # half way; 4 of 10 left to a target of 0; 0.6 of 12.5; moved away (2 below a baseline 5 short); the
    # baseline already met the target (no gap to close); reached; no baseline.
    assert [None if g is None else round(g, 2) for g in got] == [50.0, 40.0, 4.8, 140.0, None, 0.0, None]
