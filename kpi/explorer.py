"""One indicator at a time: its series, disaggregations, targets and projection as frames."""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from kpi import dimensions as dims
from kpi.config import REFERENCE_DIR
from kpi.disclosure import DEFAULT_RULE, fewer_than
from kpi.scorecard import resolved_baseline
from kpi.status import Assessment, assess, project
from kpi.store.frames import ResultsData

#: At most this many disaggregated series on one chart; the rest are folded into "Other" or small multiples.
MAX_SERIES = 6
#: The breakdowns the explorer offers, in its order (the words are the dimensions' own).
DIMENSION_LABELS: dict[str, str] = {d: dims.DISAGGREGATION_LABELS[d] for d in (
    "region", "income_group", "country_group", "sector", "grade", "gender", "duty_station", "country")}
#: At most this many countries on one chart (the explorer's country picker stops there).
MAX_COUNTRIES = 12
#: The reference table of countries: ISO code, name, ITU-D region.
COUNTRY_FILE = REFERENCE_DIR / "country_regions.csv"
#: The country data whose latest population ranks the countries ("the most populous").
POPULATION_FILE = REFERENCE_DIR / "ict_indicators_by_country_2000_2024_gapminder.csv"


@dataclass(frozen=True)
class IndicatorView:
    """Everything the indicator page shows for one indicator."""

    sheet: dict
    headline: pl.DataFrame       # year, value, flag, note, approval, coverage_pct, imputed_pct
    targets: pl.DataFrame        # year, value, source
    assessment: Assessment
    projection: pl.DataFrame     # year, value
    dimensions: list[str]        # disaggregations the data has
    baseline: tuple[int, float] | None  # (year, value): kpi.scorecard.resolved_baseline, the one rule


def indicator_view(data: ResultsData, code: str, as_of_year: int, *, validated_only: bool = False) -> IndicatorView:
    """The series, targets, status and projection of indicator ``code`` as of ``as_of_year``."""
    sheet = data.indicators.filter(pl.col("code") == code).row(0, named=True)
    obs = data.observations.filter(pl.col("indicator_id") == sheet["indicator_id"])
    if validated_only:
        obs = obs.filter(pl.col("approval") == "validated")
    headline = obs.filter(pl.col("disaggregation") == "").select(
        "year", "value", "flag", "note", "approval", "coverage_pct", "imputed_pct").sort("year")
    targets = data.targets.filter(pl.col("indicator_id") == sheet["indicator_id"]).select("year", "value", "source")
    baseline = resolved_baseline(sheet, headline)
    series = [(y, v) for y, v in headline.select("year", "value").iter_rows() if v is not None]
    assessment = assess(series, direction=sheet["direction"], baseline=baseline,
                        targets=dict(targets.select("year", "value").iter_rows()), as_of_year=as_of_year,
                        lower_limit=sheet["lower_limit"], upper_limit=sheet["upper_limit"], unit=sheet["unit"])
    projection = pl.DataFrame(schema={"year": pl.Int64, "value": pl.Float64})
    if assessment.target_year and series and assessment.latest_year and assessment.target_year > assessment.latest_year:
        path = project([(y, v) for y, v in series if y <= as_of_year], baseline=baseline,
                       direction=sheet["direction"], to_year=assessment.target_year,
                       lower_limit=sheet["lower_limit"], upper_limit=sheet["upper_limit"])
        projection = pl.DataFrame(path, schema={"year": pl.Int64, "value": pl.Float64}, orient="row")
    available = [d for d in DIMENSION_LABELS if obs.filter(pl.col(d).is_not_null()).height > 0]
    return IndicatorView(sheet=sheet, headline=headline, targets=targets, assessment=assessment,
                         projection=projection, dimensions=available, baseline=baseline)


def _breakdown_frame(data: ResultsData, indicator_id: int, dimension: str, year_range: tuple[int, int] | None,
                     validated_only: bool) -> pl.DataFrame:
    """The values by ``dimension`` alone (``group``, ``year``, ``value``), none missing."""
    obs = data.observations.filter(
        (pl.col("indicator_id") == indicator_id) & (pl.col("disaggregation").str.starts_with(f"{dimension}="))
        & ~pl.col("disaggregation").str.contains("|", literal=True)
    )
    if validated_only:
        obs = obs.filter(pl.col("approval") == "validated")
    if year_range:
        obs = obs.filter(pl.col("year").is_between(*year_range))
    return obs.select(pl.col(dimension).alias("group"), "year", "value").drop_nulls("value")


def breakdown_groups(data: ResultsData, indicator_id: int, dimension: str, *,
                     year_range: tuple[int, int] | None = None, validated_only: bool = False) -> list[str]:
    """Every group of ``dimension`` with a value of the indicator (in ``year_range``), sorted."""
    frame = _breakdown_frame(data, indicator_id, dimension, year_range, validated_only)
    return sorted(frame["group"].unique().to_list())


def disaggregated_series(data: ResultsData, indicator_id: int, dimension: str, *,
                         year_range: tuple[int, int] | None = None, validated_only: bool = False,
                         max_series: int = MAX_SERIES, groups: Sequence[str] | None = None) -> pl.DataFrame:
    """Series by one dimension: columns ``group``, ``label``, ``year``, ``value``.

    Only the rows disaggregated by ``dimension`` alone are used. ``groups`` (e.g. the countries a reader
    chose) keeps those; otherwise, with more than ``max_series`` groups, the ``max_series`` largest in
    their latest year are kept (the rest are not summed into "Other", because a ratio or mean of other
    groups cannot be added up honestly). :func:`breakdown_account` says what is left out.
    """
    frame = _breakdown_frame(data, indicator_id, dimension, year_range, validated_only)
    if groups is not None:
        frame = frame.filter(pl.col("group").is_in(list(groups)))
        max_series = max(len(groups), 1)
    return labelled_series(frame, dimension, max_series)


def region_series(data: ResultsData, indicator_id: int, region: str, *, year_range: tuple[int, int] | None = None,
                  validated_only: bool = False) -> pl.DataFrame:
    """The indicator's series for one ITU-D region (``group``, ``label``, ``year``, ``value``); empty if it has
    none."""
    series = disaggregated_series(data, indicator_id, "region", year_range=year_range, validated_only=validated_only,
                                  max_series=len(dims.ITU_D_REGIONS) + 1)
    return series.filter(pl.col("group") == region)


def labelled_series(frame: pl.DataFrame, dimension: str, max_series: int = MAX_SERIES,
                    labels: dict[str, str] | None = None) -> pl.DataFrame:
    """A breakdown (``group``, ``year``, ``value``) as the chart takes it: the ``max_series`` groups largest in
    their latest year, each with its readable ``label`` (``labels``, else :func:`group_labels`)."""
    if frame.is_empty():
        return frame.with_columns(pl.lit("").alias("label")).select("group", "label", "year", "value")
    # Rank groups by their own latest value: a sparse last year must not hide the other groups.
    latest = frame.sort("year").group_by("group", maintain_order=True).agg(pl.col("value").last())
    keep = latest.sort("value", descending=True)["group"].head(max_series).to_list()
    frame = frame.filter(pl.col("group").is_in(keep))
    labels = labels if labels is not None else group_labels(dimension)
    return frame.with_columns(
        pl.col("group").replace_strict(labels, default=pl.col("group")).alias("label")
    ).select("group", "label", "year", "value").sort("group", "year")


def group_labels(dimension: str) -> dict[str, str]:
    """Readable labels of the codes of a dimension."""
    if dimension == "region":
        return {**dims.ITU_D_REGIONS, dims.WORLD: "World"}
    if dimension == "gender":
        return dict(dims.GENDERS)
    if dimension == "grade":
        return dict(dims.GRADE_LABELS)
    if dimension == "country":
        return dict(country_table().select("country", "name").iter_rows())
    if dimension == "income_group":
        return dict(dims.INCOME_GROUPS)
    if dimension == "country_group":
        return dict(dims.COUNTRY_GROUPS)
    return {}


@functools.cache
def country_table() -> pl.DataFrame:
    """Every country of the reference data: ``country`` (ISO code), ``name``, ``region`` (ITU-D) and
    ``population`` (its latest known), read once per process."""
    names = pl.read_csv(COUNTRY_FILE).select(pl.col("iso3").alias("country"), "name",
                                             pl.col("itu_d_region").alias("region"))
    population = (pl.read_csv(POPULATION_FILE, columns=["iso3", "year", "population"], infer_schema_length=None)
                  .drop_nulls("population").sort("year").group_by("iso3").agg(pl.col("population").last())
                  .rename({"iso3": "country"}))
    return names.join(population, on="country", how="left").sort("name")


def country_choices(data: ResultsData, indicator_id: int, *, year_range: tuple[int, int] | None = None,
                    validated_only: bool = False) -> pl.DataFrame:
    """The countries with values of the indicator, as a picker lists them: ``country``, ``name`` (the code
    where the reference table has no name), ``region``, ``population``; sorted by name."""
    codes = pl.DataFrame({"country": breakdown_groups(data, indicator_id, "country", year_range=year_range,
                                                      validated_only=validated_only)}, schema={"country": pl.String})
    return (codes.join(country_table(), on="country", how="left")
            .with_columns(pl.col("name").fill_null(pl.col("country"))).sort("name"))


def default_countries(choices: pl.DataFrame, region: str | None = None, count: int = MAX_SERIES) -> list[str]:
    """The ``count`` most populous of ``choices`` (of ``region``'s members when one is chosen), by name."""
    members = choices.filter(pl.col("region") == region) if region else choices
    largest = members.sort("population", descending=True, nulls_last=True).head(count)
    return largest.sort("name")["country"].to_list()


def hidden_in_latest_year(frame: pl.DataFrame) -> tuple[int | None, list[str]]:
    """The latest year of a breakdown (``group``, ``year``, ``value``, null where its page hides the value)
    and the groups hidden in it."""
    if frame.is_empty():
        return None, []
    year = frame["year"].max()
    hidden = frame.filter((pl.col("year") == year) & pl.col("value").is_null())["group"].unique().sort()
    return year, hidden.to_list()


def breakdown_account(dimension: str, shown: int, available: int, *, hidden: Sequence[str] = (),
                      hidden_year: int | None = None, chosen: bool = False) -> str:
    """One sentence that accounts for every group of a breakdown: how many are shown of how many, why
    the others are not ("3 duty stations hidden in 2025 to protect individuals: ...")."""
    plural = dims.DISAGGREGATION_PLURALS[dimension]
    if hidden:
        listed = ", ".join(hidden)
        return (f"{shown} of {shown + len(hidden)} {plural} shown; {len(hidden)} hidden in {hidden_year} to "
                f"protect individuals ({fewer_than(DEFAULT_RULE.min_count)} staff, or a figure that would tell "
                f"such a group): {listed}.")
    if shown >= available:
        return f"All {available} {plural} with values shown."
    if chosen:
        return f"{shown} of {available} {plural} with values shown: choose others above."
    return f"{shown} of {available} {plural} with values shown: those with the highest latest values."


def table_with_targets(view: IndicatorView, year_range: tuple[int, int] | None = None) -> pl.DataFrame:
    """Year by year: actual value, target, flag, note and approval side by side."""
    years = pl.concat([view.headline.select("year"), view.targets.select("year")]).unique().sort("year")
    table = (
        years.join(view.headline, on="year", how="left")
        .join(view.targets.select("year", pl.col("value").alias("target")), on="year", how="left")
        .select("year", pl.col("value").alias("actual"), "target", "flag", "note", "approval", "coverage_pct",
                "imputed_pct")
    )
    if year_range:
        table = table.filter(pl.col("year").is_between(*year_range))
    return table


def country_values(data: ResultsData, indicator_id: int, year: int, *, validated_only: bool = False) -> pl.DataFrame:
    """Values by country for a map: ``country``, ``value`` of ``year`` (latest earlier year if missing), the
    ``year`` of that value, and the country's ``name``.

    Validated values only when ``validated_only``.
    """
    obs = data.observations
    if validated_only:
        obs = obs.filter(pl.col("approval") == "validated")
    obs = obs.filter(
        (pl.col("indicator_id") == indicator_id) & pl.col("country").is_not_null() & (pl.col("year") <= year)
    ).drop_nulls("value")
    latest = obs.sort("year").group_by("country").agg(pl.col("value").last(), pl.col("year").last())
    return (latest.join(country_table().select("country", "name"), on="country", how="left")
            .with_columns(pl.col("name").fill_null(pl.col("country"))).sort("country"))
