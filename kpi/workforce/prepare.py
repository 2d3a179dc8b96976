"""The workforce records as the pages use them: the staff frame (one row per staff member and year, with the
derived grade, location, region and training columns), the selected recruitments, and the yearly targets of
an indicator.

Pure Polars: the store's frames (:func:`kpi.store.frames.load_workforce`) in, prepared frames out; nothing
here counts or protects (:mod:`kpi.workforce.figures`, :mod:`kpi.workforce.tables` do).
"""
from __future__ import annotations

import polars as pl

from kpi import dimensions as dims


def prepare_staff(staff: pl.DataFrame, training: pl.DataFrame, courses: pl.DataFrame,
                  duty_stations: pl.DataFrame, countries: pl.DataFrame) -> pl.DataFrame:
    """The staff frame the pages use: one row per staff member and year, with derived columns.

    From :func:`kpi.store.frames.load_workforce`. Adds ``grade_category``, ``grade_band``, ``category_group``
    (:data:`dims.CATEGORY_GROUPS`), ``station_kind``, ``location`` (:data:`dims.LOCATIONS`),
    ``office_region`` (the ITU-D region of a regional or area office, :data:`dims.NOT_FIELD` otherwise),
    ``admin_region`` and ``member_state`` of the nationality, and ``training``
    (:data:`dims.TRAINING_COMPLETED` when every mandatory course of the year was completed, else
    :data:`dims.TRAINING_NOT_COMPLETED`; null in years without training records). Drops ``staff_key``.
    """
    stations = duty_stations.select(
        pl.col("code").alias("duty_station"), pl.col("kind").alias("station_kind"),
        pl.col("kind").replace_strict(dims.LOCATION_OF_KIND, default="field").alias("location"),
        pl.when(pl.col("kind").replace_strict(dims.LOCATION_OF_KIND, default="field") == "field")
        .then(pl.col("itu_d_region").fill_null(dims.NOT_FIELD)).otherwise(pl.lit(dims.NOT_FIELD))
        .alias("office_region"),
    )
    nations = countries.select(pl.col("iso3").alias("nationality"), "admin_region",
                               pl.col("is_member_state").alias("member_state"))
    # Columns added in the order the pages (and the kept copies of their frames) have always had them.
    return (
        staff.with_columns(pl.col("year").cast(pl.Int64))
        .join(stations, on="duty_station", how="left")
        .join(nations, on="nationality", how="left")
        .with_columns(*_grade_columns())
        .pipe(with_training, training, courses)
        .with_columns(_category_group())
        .drop("staff_key")
    )


def _grade_columns() -> list[pl.Expr]:
    """``grade_category`` and ``grade_band`` of the ``grade`` column (null for a grade not in the lists)."""
    return [pl.col("grade").replace_strict(dims.GRADE_CATEGORY, default=None).alias("grade_category"),
            pl.col("grade").replace_strict(dims.GRADE_BANDS, default=None).alias("grade_band")]


def _category_group() -> pl.Expr:
    """``category_group`` of the ``grade_category`` column: Professional and higher, or the rest (an unknown
    grade included)."""
    professional = sorted(dims.PROFESSIONAL_AND_HIGHER_CATEGORIES)
    return (pl.when(pl.col("grade_category").is_in(professional)).then(pl.lit(dims.PROFESSIONAL_AND_HIGHER))
            .otherwise(pl.lit(dims.GENERAL_SERVICE_AND_NO)).alias("category_group"))


def with_grades(records: pl.DataFrame) -> pl.DataFrame:
    """``records`` (with a ``grade``) with the pages' ``grade_category``, ``grade_band`` and ``category_group``."""
    return records.with_columns(*_grade_columns()).with_columns(_category_group())


def with_training(staff: pl.DataFrame, training: pl.DataFrame, courses: pl.DataFrame) -> pl.DataFrame:
    """``staff`` (with ``year`` and ``staff_key``) with the pages' ``training`` column.

    ``training``: per staff member and year, ``completed_courses``; ``courses``: per year, the number of
    mandatory ``courses`` (those in the year's training records). :data:`dims.TRAINING_COMPLETED` when every
    mandatory course was completed, :data:`dims.TRAINING_NOT_COMPLETED` otherwise (no record at all
    included), null in a year without training records (nothing was mandatory).
    """
    done = training.join(courses, on="year", how="inner").select(
        "year", "staff_key", (pl.col("completed_courses") >= pl.col("courses")).alias("_done"))
    trained_years = courses.select(pl.col("year").cast(pl.Int64), pl.lit(True).alias("_trained_year"))
    return (
        staff.join(done, on=["year", "staff_key"], how="left")
        .join(trained_years, on="year", how="left")
        .with_columns(
            pl.when(pl.col("_trained_year"))
            .then(pl.when(pl.col("_done").fill_null(False)).then(pl.lit(dims.TRAINING_COMPLETED))
                  .otherwise(pl.lit(dims.TRAINING_NOT_COMPLETED)))
            .otherwise(pl.lit(None, pl.String)).alias("training"))
        .drop("_done", "_trained_year")
    )


def selected_vacancies(recruitment: pl.DataFrame) -> pl.DataFrame:
    """The recruitments with a selection decision, with ``year`` (of the decision) and ``days`` (posting to
    selection); vacancies without a selection are dropped (they have no timeline yet). Dates may be ISO text."""
    frame = recruitment.with_columns(
        *(pl.col(c).cast(pl.String).str.to_date(strict=False) if recruitment.schema[c] == pl.String else pl.col(c)
          for c in ("posted_on", "selected_on")),
    )
    return frame.filter(pl.col("selected_on").is_not_null()).with_columns(
        pl.col("selected_on").dt.year().cast(pl.Int64).alias("year"),
        (pl.col("selected_on") - pl.col("posted_on")).dt.total_days().cast(pl.Float64).alias("days"),
    )


def prepare_recruitment(recruitment: pl.DataFrame, duty_stations: pl.DataFrame) -> pl.DataFrame:
    """Recruitments with ``year`` (of the selection decision), ``days`` (posting to selection),
    ``grade_category``, ``category_group`` and ``location``; vacancies without a selection are
    dropped (they have no timeline yet)."""
    stations = duty_stations.select(pl.col("code").alias("duty_station"),
                                    pl.col("kind").replace_strict(dims.LOCATION_OF_KIND, default="field")
                                    .alias("location"))
    return (
        with_grades(selected_vacancies(recruitment).join(stations, on="duty_station", how="left"))
        .select("vacancy_ref", "year", "grade", "grade_band", "grade_category", "category_group", "sector",
                "duty_station",
                "location", "days")
    )


def staff_years(staff: pl.DataFrame) -> list[int]:
    """The years of the staff frame, oldest first."""
    return sorted(staff.get_column("year").unique().to_list())


def indicator_targets(indicators: pl.DataFrame, targets: pl.DataFrame, code: str) -> pl.DataFrame:
    """The yearly targets of indicator ``code`` (``year``, ``target``) from the results frames."""
    ids = indicators.filter(pl.col("code") == code).get_column("indicator_id").to_list()
    return (targets.filter(pl.col("indicator_id").is_in(ids)).select("year", pl.col("value").alias("target"))
            .sort("year"))
