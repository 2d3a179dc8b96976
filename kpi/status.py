"""Explainable indicator status: is each indicator on course to reach its target?

The method follows the progress measure of Statistics Canada, also used by the
open-source SDG reporting platform Open SDG: the growth observed since the
baseline is compared with the growth needed to reach the target on time.

How a status is decided
=======================

Every assessment uses only the values reported up to the "as of" year (later
values are ignored). Missing years are fine, the order of the values does not
matter and empty values are skipped. If a year is reported twice, the value
given last counts.

1. **No data** - no value reported up to the "as of" year.
   **No target** - the indicator has no target at all. The latest value and the
   growth observed since the baseline are still shown.
2. **Which target counts.** The target set for the "as of" year (or, when no
   "as of" year is chosen, for the year of the latest value); if there is none,
   the nearest later target; if there is none, the most recent earlier target.
   **Achieved** - the latest value already meets or beats that target (at or
   above it when higher is better, at or below it when lower is better).
3. **Missed** - if the latest value is from the target year or later and the
   target is not met, the target was missed: **off track**.
4. **Observed and required growth.** The observed yearly growth since the
   baseline is compared with the yearly growth needed to go from the baseline
   value to the target value by the target year:

       observed growth = (latest / baseline) ^ (1 / (latest year - baseline year)) - 1
       required growth = (target / baseline) ^ (1 / (target year - baseline year)) - 1
       ratio           = observed growth / required growth

   These are compound annual growth rates ("cagr"). The ratio works for both
   directions: when lower is better both rates are negative.

   * ratio 0.95 or more: **on track**;
   * ratio from 0.5 up to 0.95: **at risk**;
   * ratio below 0.5: **off track** - this includes no change and any move in
     the wrong direction (a negative ratio).

5. **Baseline.** Without a baseline (or with a baseline later than the latest
   value), the earliest reported value is the baseline.
   **Only one value.** When the latest value is also the baseline there is no
   trend yet. The status is then **at risk** (not "no data", because a value
   exists, and not "off track", because nothing shows that progress is too
   slow): the target is not met and nothing yet shows that it will be.
6. **Zero or negative values.** Growth rates in percent are not defined when
   the baseline, the latest value or the target is zero or negative (for
   example a target of zero incidents). The average change per year is used
   instead ("linear"): the observed change per year since the baseline is
   compared with the change per year needed. These rates are in the
   indicator's own unit (for percentages: percentage points), not fractions.
7. **Natural limits.** Near a natural limit (100 % for a share where higher is
   better, or a floor for an indicator where lower is better) the value itself
   can only grow slowly, so growth in percent of the value misleads. When an
   upper limit is set and higher is better, the rates are computed on the
   remaining gap to the limit (limit - value), which must shrink ("gap");
   likewise on the distance above the lower limit when lower is better. If the
   gap is zero or negative at the baseline, the latest value or the target,
   the linear method is used. (With a lower limit of 0 the distance above it
   is the value itself, so this is the ordinary growth rate and is reported as
   "cagr".)
8. **Baseline already met.** If the baseline value already met the target but
   the latest value no longer does, the value has slipped back: **off track**.
9. **Projection.** The value expected in the target year if the observed
   growth continues from the latest value (compounding for "cagr" and "gap",
   the same change per year for "linear"), kept within the natural limits.

Each assessment comes with one plain-English sentence that states the numbers
behind the status.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Mapping, Sequence

import polars as pl

__all__ = [
    "STATUSES",
    "STATUS_LABELS",
    "ON_TRACK_RATIO",
    "AT_RISK_RATIO",
    "Assessment",
    "assess",
    "project",
    "assess_frame",
]

STATUSES = ("achieved", "on_track", "at_risk", "off_track", "no_target", "no_data")  # ordered, best first
#: The word of each status: the one home of these words (the explanations below open with them, the theme's
#: STATUS_STYLES shows them with an icon and a colour; tests/test_vocabulary.py fails on a copy elsewhere).
STATUS_LABELS: dict[str, str] = {
    "achieved": "Achieved", "on_track": "On track", "at_risk": "At risk", "off_track": "Off track",
    "no_target": "No target", "no_data": "No data",
}
ON_TRACK_RATIO = 0.95  # observed/required growth at or above this: on track
AT_RISK_RATIO = 0.5  # at or above this (and below ON_TRACK): at risk; below: off track

_METHODS = ("cagr", "linear", "gap")
# Tolerance for comparing a ratio with a threshold, so that a ratio that is 0.95 on paper
# is not pushed below it by floating-point rounding.
_EPS = 1e-9


@dataclass(frozen=True)
class Assessment:
    """The status of one indicator, its explanation and the figures it was judged on (rules in the module doc)."""

    status: str  # one of STATUSES
    explanation: str  # one plain-English sentence, with the numbers
    latest_year: int | None
    latest_value: float | None
    target_year: int | None
    target_value: float | None
    observed_rate: float | None  # annual growth observed since baseline (fraction; unit per year for "linear")
    required_rate: float | None  # annual growth needed to reach the target in time (same scale)
    ratio: float | None  # observed_rate / required_rate
    projected_value: float | None  # value at target_year if the observed growth continues (clamped to limits)
    method: str  # "cagr", "linear", "gap" or "" when not computed


# --------------------------------------------------------------------------------------
# Input cleaning
# --------------------------------------------------------------------------------------


def _is_number(x) -> bool:
    if x is None or isinstance(x, bool):
        return False
    try:
        return not math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _clean_observations(observations, as_of_year: int | None) -> list[tuple[int, float]]:
    """Drop empty values and values after as_of_year; one value per year (the last given); sorted."""
    by_year: dict[int, float] = {}
    for year, value in observations or ():
        if not _is_number(year) or not _is_number(value):
            continue
        y = int(year)
        if as_of_year is not None and y > as_of_year:
            continue
        by_year[y] = float(value)
    return sorted(by_year.items())


def _clean_targets(targets: Mapping[int, float] | None) -> dict[int, float]:
    out: dict[int, float] = {}
    for year, value in (targets or {}).items():
        if _is_number(year) and _is_number(value):
            out[int(year)] = float(value)
    return out


def _check_direction(direction: str) -> str:
    d = str(direction).strip().lower()
    if d not in ("higher", "lower"):
        raise ValueError(f'direction must be "higher" or "lower", got {direction!r}')
    return d


def _resolve_baseline(baseline, obs: list[tuple[int, float]]) -> tuple[int, float]:
    """The declared baseline, or the earliest observation when it is missing or later than the latest value."""
    latest_year = obs[-1][0]
    if baseline is not None:
        year, value = baseline
        if _is_number(year) and _is_number(value) and int(year) <= latest_year:
            return int(year), float(value)
    return obs[0]


def _opt_float(x) -> float | None:
    return float(x) if _is_number(x) else None


# --------------------------------------------------------------------------------------
# Rates
# --------------------------------------------------------------------------------------


def _gap_limit(direction: str, lower_limit: float | None, upper_limit: float | None) -> float | None:
    """The natural limit the value moves towards, if the gap method applies at all."""
    if direction == "higher" and upper_limit is not None:
        return upper_limit
    if direction == "lower" and lower_limit is not None and lower_limit != 0:
        return lower_limit
    return None


def _gap(value: float, direction: str, limit: float) -> float:
    return limit - value if direction == "higher" else value - limit


def _choose_method(
    direction: str,
    base_value: float,
    latest_value: float,
    target_value: float | None,
    lower_limit: float | None,
    upper_limit: float | None,
) -> str:
    values = [base_value, latest_value] + ([target_value] if target_value is not None else [])
    limit = _gap_limit(direction, lower_limit, upper_limit)
    if limit is not None:
        if all(_gap(v, direction, limit) > 0 for v in values):
            return "gap"
        return "linear"
    if all(v > 0 for v in values):
        return "cagr"
    return "linear"


def _rate(method: str, direction: str, limit: float | None, v0: float, v1: float, years: int) -> float:
    """Annual rate from v0 to v1 over `years` years by `method`."""
    if method == "linear":
        return (v1 - v0) / years
    if method == "gap":
        return (_gap(v1, direction, limit) / _gap(v0, direction, limit)) ** (1.0 / years) - 1.0
    return (v1 / v0) ** (1.0 / years) - 1.0


def _continue(method: str, direction: str, limit: float | None, v1: float, rate: float, years: int) -> float:
    """Value `years` years after v1 if `rate` continues."""
    if method == "linear":
        return v1 + rate * years
    if method == "gap":
        g = _gap(v1, direction, limit) * (1.0 + rate) ** years
        return limit - g if direction == "higher" else limit + g
    return v1 * (1.0 + rate) ** years


def _clamp(value: float, lower_limit: float | None, upper_limit: float | None) -> float:
    if lower_limit is not None and value < lower_limit:
        value = lower_limit
    if upper_limit is not None and value > upper_limit:
        value = upper_limit
    return value


def _needed_sign(method: str, direction: str) -> int:
    """Sign a rate must have to move towards the target: the gap must shrink; otherwise by direction."""
    if method == "gap":
        return -1
    return 1 if direction == "higher" else -1


# --------------------------------------------------------------------------------------
# Wording
# --------------------------------------------------------------------------------------


def _fmt_number(x: float) -> str:
    """75 -> '75', 78.25 -> '78.2', 7200 -> '7,200', 0.0042 -> '0.0042'."""
    ax = abs(x)
    if ax >= 100:
        s = f"{x:,.0f}"
    elif ax >= 1 or ax == 0:
        s = f"{x:,.1f}"
        if s.endswith(".0"):
            s = s[:-2]
    else:
        s = f"{x:.2g}"
    if s in ("-0", "-0.0"):
        s = "0"
    return s


def _fmt_value(x: float, unit: str) -> str:
    u = (unit or "").strip()
    n = _fmt_number(x)
    key = u.lower()
    if key in ("pct", "%", "percent", "percentage"):
        return f"{n} %"
    if key in ("days", "day"):
        return f"{n} day" if n == "1" else f"{n} days"
    if key == "chf":
        return f"CHF {n}"
    if key in ("", "count", "number", "n"):
        return n
    if key == "per100":
        return f"{n} per 100"
    return f"{n} {u}"


def _fmt_change(x: float, unit: str) -> str:
    """An absolute change per year (linear method); percentages change by percentage points."""
    if (unit or "").strip().lower() in ("pct", "%", "percent", "percentage"):
        n = _fmt_number(x)
        return f"{n} percentage point" if n == "1" else f"{n} percentage points"
    return _fmt_value(x, unit)


def _fmt_rate(method: str, rate: float, unit: str) -> str:
    """Magnitude of a yearly rate, without its sign."""
    if method == "linear":
        return _fmt_change(abs(rate), unit)
    p = abs(rate) * 100
    if 0 < p < 0.05:
        return "less than 0.1 %"
    return f"{p:.1f} %"


def _verbs(method: str, direction: str) -> tuple[str, str, str, str]:
    """(subject, verb when moving the good way, verb when moving the bad way, infinitive of the good way)."""
    if method == "gap":
        return "the gap", "narrowed", "widened", "narrow"
    if direction == "higher":
        return "the value", "rose", "fell", "rise"
    return "the value", "fell", "rose", "fall"


def _progress_sentence(
    status: str,
    method: str,
    direction: str,
    limit: float | None,
    base_year: int,
    observed: float,
    required: float,
    target_year: int,
    target_value: float,
    unit: str,
) -> str:
    label = STATUS_LABELS[status]
    subject, good, bad, good_inf = _verbs(method, direction)
    if method == "gap":
        subject = f"the gap to {_fmt_value(limit, unit)}"
    by = "by " if method == "linear" else ""
    sign = _needed_sign(method, direction)
    goal = f"to reach {_fmt_value(target_value, unit)} by {target_year}"
    need = _fmt_rate(method, required, unit)
    if observed * sign > 0:
        trend = f"{subject} {good} {by}{_fmt_rate(method, observed, unit)} a year"
        joiner = "; " if status == "on_track" else ", but "
        return f"{label}: since {base_year} {trend}{joiner}{need} a year is needed {goal}."
    if observed == 0:
        trend = f"{subject} did not change"
    else:
        trend = f"{subject} {bad} {by}{_fmt_rate(method, observed, unit)} a year"
    return f"{label}: since {base_year} {trend}, but it must {good_inf} {by}{need} a year {goal}."


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def _choose_target(targets: dict[int, float], reference_year: int) -> tuple[int, float]:
    if reference_year in targets:
        return reference_year, targets[reference_year]
    future = [y for y in targets if y > reference_year]
    year = min(future) if future else max(targets)
    return year, targets[year]


def _meets(value: float, target: float, direction: str) -> bool:
    return value >= target if direction == "higher" else value <= target


@dataclass(frozen=True)
class _Case:
    """One indicator's cleaned inputs: its direction, unit and limits, its baseline and latest value."""

    direction: str
    unit: str
    lower_limit: float | None
    upper_limit: float | None
    values: int
    base_year: int
    base_value: float
    latest_year: int
    latest_value: float

    @property
    def has_trend(self) -> bool:
        """Whether the latest value is later than the baseline (a rate can be measured)."""
        return self.base_year < self.latest_year

    @property
    def limit(self) -> float | None:
        """The bound a gap is measured to (:func:`_gap_limit`)."""
        return _gap_limit(self.direction, self.lower_limit, self.upper_limit)

    def text(self, value: float | None) -> str:
        """A value in the indicator's unit, as the explanations write it."""
        return _fmt_value(value, self.unit)

    def rate(self, method: str, to_value: float, to_year: int) -> float:
        """The yearly rate from the baseline to ``to_value`` in ``to_year`` (:func:`_rate`)."""
        return _rate(method, self.direction, self.limit, self.base_value, to_value, to_year - self.base_year)


@dataclass(frozen=True)
class _Trend:
    """The method, the observed and required yearly rates, their ratio and the projection to the target year."""

    method: str = ""
    observed: float | None = None
    required: float | None = None
    ratio: float | None = None
    projected: float | None = None


def _trend(case: _Case, target_year: int, target_value: float) -> _Trend:
    """The trend from the baseline to the latest value, measured against the target (rules in the module doc)."""
    if not case.has_trend:
        return _Trend()
    method = _choose_method(case.direction, case.base_value, case.latest_value, target_value,
                            case.lower_limit, case.upper_limit)
    observed = case.rate(method, case.latest_value, case.latest_year)
    required = ratio = projected = None
    if target_year > case.base_year:
        required = case.rate(method, target_value, target_year)
        if required * _needed_sign(method, case.direction) > 0:
            ratio = observed / required
    if target_year >= case.latest_year:
        projected = _clamp(_continue(method, case.direction, case.limit, case.latest_value, observed,
                                     target_year - case.latest_year), case.lower_limit, case.upper_limit)
    return _Trend(method, observed, required, ratio, projected)


def _without_target(case: _Case) -> Assessment:
    """The assessment of an indicator with values but no target: its latest value and observed rate."""
    observed = method = None
    if case.has_trend:
        method = _choose_method(case.direction, case.base_value, case.latest_value, None,
                                case.lower_limit, case.upper_limit)
        observed = case.rate(method, case.latest_value, case.latest_year)
    return Assessment(
        "no_target", f"No target set; latest value {case.text(case.latest_value)} ({case.latest_year}).",
        case.latest_year, case.latest_value, None, None, observed, None, None, None, method or "",
    )


def _ratio_status(ratio: float) -> str:
    """On track, at risk or off track, by the ratio of the observed to the required rate."""
    if ratio >= ON_TRACK_RATIO - _EPS:
        return "on_track"
    if ratio >= AT_RISK_RATIO - _EPS:
        return "at_risk"
    return "off_track"


def _verdict(case: _Case, trend: _Trend, target_year: int, target_value: float) -> tuple[str, str]:
    """The status and its explanation, given the trend against the target (rules in the module doc)."""
    latest, target = case.text(case.latest_value), case.text(target_value)
    if _meets(case.latest_value, target_value, case.direction):
        return "achieved", (f"{STATUS_LABELS['achieved']}: {latest} in {case.latest_year} meets the {target_year} "
                            f"target of {target}.")
    if target_year <= case.latest_year:
        return "off_track", (f"{STATUS_LABELS['off_track']}: the {target_year} target of {target} has not been met; "
                             f"latest value {latest} ({case.latest_year}).")
    if not case.has_trend:
        why = (f"only one value so far ({latest} in {case.latest_year})" if case.values == 1
               else f"the latest value ({latest} in {case.latest_year}) is the baseline")
        return "at_risk", (f"{STATUS_LABELS['at_risk']}: {why}, so there is no trend yet to compare with the "
                           f"{target_year} target of {target}.")
    if trend.ratio is None:
        # The baseline already met the target, but the latest value does not: it slipped back.
        moved = "fallen" if case.direction == "higher" else "risen"
        return "off_track", (f"{STATUS_LABELS['off_track']}: the value met the {target_year} target of {target} at "
                             f"the baseline ({case.text(case.base_value)} in {case.base_year}) but has since {moved} "
                             f"to {latest} ({case.latest_year}).")
    status = _ratio_status(trend.ratio)
    return status, _progress_sentence(status, trend.method, case.direction, case.limit, case.base_year,
                                      trend.observed, trend.required, target_year, target_value, case.unit)


def assess(
    observations: Sequence[tuple[int, float]],
    *,
    direction: str,
    baseline: tuple[int, float] | None,
    targets: Mapping[int, float],
    as_of_year: int | None = None,
    lower_limit: float | None = None,
    upper_limit: float | None = None,
    unit: str = "",
) -> Assessment:
    """Status of one indicator, with its explanation (rules in the module docstring)."""
    direction = _check_direction(direction)
    lower_limit, upper_limit = _opt_float(lower_limit), _opt_float(upper_limit)
    obs = _clean_observations(observations, as_of_year)
    tgts = _clean_targets(targets)
    if not obs:
        return Assessment("no_data", "No data reported yet.", None, None, None, None, None, None, None, None, "")
    case = _Case(direction, unit, lower_limit, upper_limit, len(obs),
                 *_resolve_baseline(baseline, obs), *obs[-1])
    if not tgts:
        return _without_target(case)
    target_year, target_value = _choose_target(tgts, as_of_year if as_of_year is not None else case.latest_year)
    trend = _trend(case, target_year, target_value)
    status, explanation = _verdict(case, trend, target_year, target_value)
    return Assessment(status, explanation, case.latest_year, case.latest_value, target_year, target_value,
                      trend.observed, trend.required, trend.ratio, trend.projected, trend.method)


def project(
    observations,
    *,
    baseline,
    direction,
    to_year: int,
    lower_limit=None,
    upper_limit=None,
    method: str | None = None,
) -> list[tuple[int, float]]:
    """Projection path, year by year, from the latest observation (included) to to_year.

    The observed growth since the baseline is continued by the method assess() would use
    without a target. assess() also switches to "linear" when the target itself is zero or
    negative, or lies at or beyond the natural limit; pass ``method=assessment.method`` to
    follow exactly the method of an assessment. Returns [] when there is no trend (no data,
    or the latest value is the baseline) or when to_year is before the latest observation.
    """
    direction = _check_direction(direction)
    lower_limit, upper_limit = _opt_float(lower_limit), _opt_float(upper_limit)
    obs = _clean_observations(observations, None)
    if not obs:
        return []
    latest_year, latest_value = obs[-1]
    base_year, base_value = _resolve_baseline(baseline, obs)
    if base_year >= latest_year or to_year < latest_year:
        return []
    limit = _gap_limit(direction, lower_limit, upper_limit)
    if not method:
        method = _choose_method(direction, base_value, latest_value, None, lower_limit, upper_limit)
    elif method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if method == "gap" and (
        limit is None or _gap(base_value, direction, limit) <= 0 or _gap(latest_value, direction, limit) <= 0
    ):
        raise ValueError("the gap method needs a natural limit and a positive gap at the baseline and latest value")
    if method == "cagr" and (base_value <= 0 or latest_value <= 0):
        raise ValueError("the cagr method needs positive baseline and latest values")
    rate = _rate(method, direction, limit, base_value, latest_value, latest_year - base_year)
    return [
        (year, _clamp(_continue(method, direction, limit, latest_value, rate, year - latest_year), lower_limit, upper_limit))
        for year in range(latest_year, to_year + 1)
    ]


_OUTPUT_SCHEMA = {
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
}
assert list(_OUTPUT_SCHEMA) == [f.name for f in fields(Assessment)]


def _pairs_by_indicator(frame: pl.DataFrame) -> dict:
    if frame.height == 0:
        return {}
    grouped = frame.group_by("indicator_id", maintain_order=True).agg(pl.col("year"), pl.col("value"))
    return {row["indicator_id"]: list(zip(row["year"], row["value"])) for row in grouped.iter_rows(named=True)}


def assess_frame(
    indicators: pl.DataFrame,
    observations: pl.DataFrame,
    targets: pl.DataFrame,
    as_of_year: int | None = None,
) -> pl.DataFrame:
    """assess() for every indicator: one row per indicator, in the order of `indicators`.

    Columns: indicator_id, then every field of Assessment under the same name.
    """
    obs_by_id = _pairs_by_indicator(observations)
    targets_by_id = _pairs_by_indicator(targets)
    rows = []
    for ind in indicators.iter_rows(named=True):
        iid = ind["indicator_id"]
        by, bv = ind.get("baseline_year"), ind.get("baseline_value")
        a = assess(
            obs_by_id.get(iid, []),
            direction=ind["direction"],
            baseline=(by, bv) if _is_number(by) and _is_number(bv) else None,
            targets={int(y): v for y, v in targets_by_id.get(iid, []) if _is_number(y)},
            as_of_year=as_of_year,
            lower_limit=ind.get("lower_limit"),
            upper_limit=ind.get("upper_limit"),
            unit=ind.get("unit") or "",
        )
        rows.append({"indicator_id": iid, **{name: getattr(a, name) for name in _OUTPUT_SCHEMA}})
    schema = {"indicator_id": indicators.schema["indicator_id"], **_OUTPUT_SCHEMA}
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
