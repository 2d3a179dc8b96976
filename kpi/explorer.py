"""One indicator at a time: its series, disaggregations, targets and projection as frames."""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from kpi import dimensions as dims
from kpi.status import Assessment, assess, project
from kpi.store.frames import ResultsData

#: At most this many disaggregated series on one chart; the rest are folded into "Other" or small multiples.
MAX_SERIES = 6
DIMENSION_LABELS: dict[str, str] = {
    "region": "ITU-D region", "sector": "Sector", "grade": "Grade", "gender": "Gender",
    "duty_station": "Duty station", "country": "Country",
}


@dataclass(frozen=True)
class IndicatorView:
    """Everything the indicator page shows for one indicator."""

    sheet: dict
    headline: pl.DataFrame       # year, value, flag, note, approval, coverage_pct
    targets: pl.DataFrame        # year, value, source
    assessment: Assessment
    projection: pl.DataFrame     # year, value
    dimensions: list[str]        # disaggregations the data has


def indicator_view(data: ResultsData, code: str, as_of_year: int, *, validated_only: bool = False) -> IndicatorView:
    """The series, targets, status and projection of indicator ``code`` as of ``as_of_year``."""
    sheet = data.indicators.filter(pl.col("code") == code).row(0, named=True)
    obs = data.observations.filter(pl.col("indicator_id") == sheet["indicator_id"])
    if validated_only:
        obs = obs.filter(pl.col("approval") == "validated")
    headline = obs.filter(pl.col("disaggregation") == "").select(
        "year", "value", "flag", "note", "approval", "coverage_pct").sort("year")
    targets = data.targets.filter(pl.col("indicator_id") == sheet["indicator_id"]).select("year", "value", "source")
    baseline = _baseline(sheet, headline)
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
                         projection=projection, dimensions=available)


def _baseline(sheet: dict, headline: pl.DataFrame) -> tuple[int, float] | None:
    if sheet["baseline_year"] is None:
        return None
    if sheet["baseline_value"] is not None:
        return (sheet["baseline_year"], sheet["baseline_value"])
    at_year = headline.filter(pl.col("year") == sheet["baseline_year"])["value"].to_list()
    return (sheet["baseline_year"], at_year[0]) if at_year and at_year[0] is not None else None


def disaggregated_series(data: ResultsData, indicator_id: int, dimension: str, *,
                         year_range: tuple[int, int] | None = None, validated_only: bool = False,
                         max_series: int = MAX_SERIES) -> pl.DataFrame:
    """Series by one dimension: columns ``group``, ``label``, ``year``, ``value``.

    Only the rows disaggregated by ``dimension`` alone are used. With more than ``max_series``
    groups, the ``max_series`` largest in the latest year are kept (the rest are not summed into
    "Other", because a ratio or mean of other groups cannot be added up honestly).
    """
    obs = data.observations.filter(
        (pl.col("indicator_id") == indicator_id) & (pl.col("disaggregation").str.starts_with(f"{dimension}="))
        & ~pl.col("disaggregation").str.contains("|", literal=True)
    )
    if validated_only:
        obs = obs.filter(pl.col("approval") == "validated")
    if year_range:
        obs = obs.filter(pl.col("year").is_between(*year_range))
    frame = obs.select(pl.col(dimension).alias("group"), "year", "value").drop_nulls("value")
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
    return {}


def table_with_targets(view: IndicatorView, year_range: tuple[int, int] | None = None) -> pl.DataFrame:
    """Year by year: actual value, target, flag, note and approval side by side."""
    years = pl.concat([view.headline.select("year"), view.targets.select("year")]).unique().sort("year")
    table = (
        years.join(view.headline, on="year", how="left")
        .join(view.targets.select("year", pl.col("value").alias("target")), on="year", how="left")
        .select("year", pl.col("value").alias("actual"), "target", "flag", "note", "approval", "coverage_pct")
    )
    if year_range:
        table = table.filter(pl.col("year").is_between(*year_range))
    return table


def country_values(data: ResultsData, indicator_id: int, year: int, *, validated_only: bool = False) -> pl.DataFrame:
    """Values by country for a map: ``country``, ``name``, ``value`` of ``year`` (latest earlier year if missing).

    Validated values only when ``validated_only``.
    """
    obs = data.observations
    if validated_only:
        obs = obs.filter(pl.col("approval") == "validated")
    obs = obs.filter(
        (pl.col("indicator_id") == indicator_id) & pl.col("country").is_not_null() & (pl.col("year") <= year)
    ).drop_nulls("value")
    return (
        obs.sort("year").group_by("country").agg(pl.col("value").last(), pl.col("year").last())
        .sort("country")
    )
