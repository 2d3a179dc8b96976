"""Connectivity aggregates over all countries: how a regional or world figure is estimated.

The method, as statistical offices describe their regional estimates
===================================================================

The country values are the ones the countries reported (ITU via the World Bank's WDI). A regional,
income-group or world figure is the population-weighted mean over **every country of the group**, not
over the countries that happen to report that year; a country's missing years are filled first:

1. **Between two reports**, a missing year is interpolated linearly between the reports before and after
   it (India reported 43.4 % for 2020 and 55.9 % for 2022, so its 2021 is 49.65 %).
2. **After its last report**, the latest reported value is carried forward for at most
   :data:`CARRY_FORWARD_YEARS` years, kept within the indicator's limits (0-100 for a percentage).
3. **Past that limit** the country's value moves with its group (its ITU-D region): each year it changes
   by the population-weighted mean change of the group's countries that have their own value (reported,
   interpolated or carried) in both years, within the limits. A stale value is then no longer held flat,
   and the country does not leave the aggregate the year its carried value ends, which moved the mean by
   up to 1.7 points (CIS 2021 when Turkmenistan left, Arab States 2023 when Syria left). A country
   without a group, or a group without such countries that year, follows the world.
4. **Before its first report** nothing is invented: the country is not counted in those years.
5. **Population**: the source lacks population for most countries in its last year; a country keeps its
   latest known population (carried forward) so that it still weighs in that year.
6. Each aggregate says how much of the group's population **reported** that year (``coverage_pct``) and
   how much was **imputed** by steps 1-3 (``imputed_pct``); the rest (countries before their first
   report or that never reported) is not counted. An aggregate is flagged
   *estimate* when more than :data:`ESTIMATE_IMPUTED_PCT` % of the population is imputed, and it is **not
   published** when under :data:`MIN_REPORTED_PCT` % reported.

Why: the aggregate over reporting countries only moved with the set of countries that reported (world
Internet use 66.6 % in 2022, 73.6 % in 2023 when India, 18 % of the world, did not report). Filling each
country's gaps keeps the set of countries nearly fixed from year to year, so a change in the aggregate is
a change in the countries' values; :func:`composition_effect` measures what is left of the other kind.
"""
from __future__ import annotations

import polars as pl

#: A country's latest report is carried forward this many years at most. Three years bridges the gaps of
#: the countries that report every other year or two years late (India: 2020, 2022), which is when the
#: aggregates jumped; a flat value understates a country whose use grows 3-4 points a year, by about 10
#: points after three years, so carrying it further would make the aggregate more model than data.
CARRY_FORWARD_YEARS = 3
#: An aggregate with more than this share (%) of its population imputed is flagged "estimate": with a
#: tenth of the population imputed, an imputation off by 10 points (three years of growth) moves the
#: aggregate by a point, more than the one decimal a reader takes as exact.
ESTIMATE_IMPUTED_PCT = 10.0
#: An aggregate is not published when the countries that reported that year hold less than this share
#: (%) of the group's population: below half, the figure would rest more on imputed than on reported values.
MIN_REPORTED_PCT = 50.0
#: Names this method; stored with the aggregates, so that a store computed by another method is recomputed
#: (and the change recorded) when it is next initialised.
METHOD = "all-countries-filled-v2"
#: The flag an aggregate carries when too much of it is imputed (one of kpi.dimensions.FLAGS).
ESTIMATE_FLAG = "estimate"

REPORTED, INTERPOLATED, CARRIED, TRENDED = "reported", "interpolated", "carried", "group trend"
#: The bases of a value that the country did not report.
IMPUTED = (INTERPOLATED, CARRIED, TRENDED)
#: The bases of a value that rests on the country's own reports (what a group's trend is taken from).
OWN = (REPORTED, INTERPOLATED, CARRIED)


def method_sentence() -> str:
    """The method in one sentence, for an indicator's reference sheet (from the constants above)."""
    return (f"Aggregates are taken over all countries: a country's missing years are interpolated between its "
            f"reports or carried forward from its last report for up to {CARRY_FORWARD_YEARS} years, then moved with "
            f"its region's change (never before its first report); an aggregate is flagged {ESTIMATE_FLAG} when over {ESTIMATE_IMPUTED_PCT:g} % of "
            f"its population is imputed and not published when under {MIN_REPORTED_PCT:g} % reported.")


def fill_country_series(frame: pl.DataFrame, *, lower: float | None = 0.0, upper: float | None = None,
                        carry_years: int = CARRY_FORWARD_YEARS, trend_by: str | None = None) -> pl.DataFrame:
    """Each country's missing years filled (see the module's method); one measure at a time.

    ``frame`` has ``iso3``, ``year``, ``value`` (null where the country did not report) and ``population``,
    and the column ``trend_by`` names, if given (the group whose change a country follows past the carry
    limit; without it every country follows the whole frame). Returns the same rows with ``filled`` (the
    value the aggregates use, null where none may be given) and ``basis`` (one of :data:`OWN` or
    :data:`TRENDED`, or null), sorted by country and year. Every year of a country needs a row:
    :func:`kpi.reference.connectivity_frame` completes the grid.
    """
    reported = pl.col("value").is_not_null()
    # The years of the previous and next report of each row's country (null before the first/after the last).
    report_year = pl.when(reported).then(pl.col("year"))
    ordered = frame.sort("iso3", "year").with_columns(
        report_year.forward_fill().over("iso3").alias("_prev_year"),
        report_year.backward_fill().over("iso3").alias("_next_year"),
        pl.col("value").forward_fill().over("iso3").alias("_prev_value"),
        pl.col("value").backward_fill().over("iso3").alias("_next_value"),
    )
    between = pl.col("_prev_year").is_not_null() & pl.col("_next_year").is_not_null()
    carried = pl.col("_next_year").is_null() & (pl.col("year") - pl.col("_prev_year") <= carry_years)
    # Linear between the two reports around the year; a reported year has prev = next = itself.
    span = (pl.col("_next_year") - pl.col("_prev_year")).cast(pl.Float64)
    share = pl.when(span > 0).then((pl.col("year") - pl.col("_prev_year")) / span).otherwise(0.0)
    interpolated = pl.col("_prev_value") + (pl.col("_next_value") - pl.col("_prev_value")) * share
    imputed = pl.when(between).then(interpolated).when(carried).then(pl.col("_prev_value")).clip(lower, upper)
    own = ordered.with_columns(
        pl.when(reported).then(pl.col("value")).otherwise(imputed).alias("filled"),
        pl.when(reported).then(pl.lit(REPORTED)).when(between).then(pl.lit(INTERPOLATED))
        .when(carried).then(pl.lit(CARRIED)).alias("basis"),
        # The last carried year and value: where a country past the limit starts following its group.
        (pl.col("_prev_year") + carry_years).alias("_anchor_year"),
        pl.col("_prev_value").clip(lower, upper).alias("_anchor_value"),
    )
    beyond = pl.col("basis").is_null() & pl.col("_prev_year").is_not_null()
    trend = _cumulative_group_change(own, trend_by)
    keys = [trend_by] if trend_by else []
    # nulls_equal: a country without a group finds its group's (the world's) trend.
    anchored = own.join(trend, on=[*keys, "year"], how="left", nulls_equal=True).join(
        trend.rename({"year": "_anchor_year", "_cumulative": "_at_anchor"}), on=[*keys, "_anchor_year"],
        how="left", nulls_equal=True)
    followed = (pl.col("_anchor_value") + pl.col("_cumulative") - pl.col("_at_anchor")).clip(lower, upper)
    return anchored.with_columns(
        pl.when(beyond).then(followed).otherwise(pl.col("filled")).alias("filled"),
        pl.when(beyond).then(pl.lit(TRENDED)).otherwise(pl.col("basis")).alias("basis"),
    ).drop("_prev_year", "_next_year", "_prev_value", "_next_value", "_anchor_year", "_anchor_value",
           "_cumulative", "_at_anchor").sort("iso3", "year")


def _cumulative_group_change(own: pl.DataFrame, trend_by: str | None) -> pl.DataFrame:
    """For each group (``trend_by``, or the whole frame) and year, the running sum of its yearly change.

    A year's change is the population-weighted mean of ``filled`` this year minus last year over the
    countries with their own value (:data:`OWN`) in both years, so that no country entering or leaving
    moves it. A group without such countries in a year (or a country without a group) takes the change of
    the whole frame. Columns: ``trend_by`` (if given), ``year``, ``_cumulative``.
    """
    counted = own.filter(pl.col("basis").is_in(OWN) & pl.col("population").is_not_null())
    step = counted.select("iso3", "year", "filled", "population", *([trend_by] if trend_by else [])).join(
        counted.select("iso3", (pl.col("year") + 1).alias("year"), pl.col("filled").alias("_before")),
        on=["iso3", "year"], how="inner",
    ).with_columns(((pl.col("filled") - pl.col("_before")) * pl.col("population")).alias("_weighted"))

    def mean_change(by: list[str]) -> pl.DataFrame:
        return step.group_by(by).agg((pl.col("_weighted").sum() / pl.col("population").sum()).alias("_change"))

    world = mean_change(["year"]).rename({"_change": "_world"})
    years = own.select("year").unique()
    if trend_by:
        grid = own.select(trend_by).unique().join(years, how="cross")
        changes = grid.join(world, on="year", how="left").join(mean_change([trend_by, "year"]),
                                                                on=[trend_by, "year"], how="left", nulls_equal=True)
        change = pl.coalesce(pl.when(pl.col(trend_by).is_not_null()).then(pl.col("_change")), pl.col("_world"))
    else:
        changes, change = years.join(world, on="year", how="left"), pl.col("_world")
    keys = [trend_by] if trend_by else []
    cumulative = change.fill_null(0.0).cum_sum()
    return changes.sort([*keys, "year"]).select(
        *keys, "year", (cumulative.over(keys) if keys else cumulative).alias("_cumulative"))


def aggregate(filled: pl.DataFrame, group: list[str]) -> pl.DataFrame:
    """Population-weighted means of ``filled`` by ``group``, with what they rest on, unpublishable ones left out.

    Columns: ``group``..., ``value``, ``coverage_pct`` (share of the group's population that reported),
    ``imputed_pct`` (share imputed), ``flag`` ("estimate" or ""). Only groups and years where at least
    :data:`MIN_REPORTED_PCT` % reported are returned.
    """
    return weighted(filled, group).filter(pl.col("coverage_pct") >= MIN_REPORTED_PCT).with_columns(
        pl.when(pl.col("imputed_pct") > ESTIMATE_IMPUTED_PCT).then(pl.lit(ESTIMATE_FLAG)).otherwise(pl.lit(""))
        .alias("flag"))


def weighted(filled: pl.DataFrame, group: list[str]) -> pl.DataFrame:
    """The weighted means and shares of :func:`aggregate`, for every group and year (nothing left out)."""
    counted = pl.col("filled").is_not_null() & pl.col("population").is_not_null()
    population = pl.col("population").filter(pl.col("population").is_not_null())
    return (
        filled.group_by(group)
        .agg(
            ((pl.col("filled") * pl.col("population")).filter(counted).sum()
             / pl.col("population").filter(counted).sum()).alias("value"),
            # Times 100 before dividing: whole shares stay whole (55 of 100 people is 55.0, not 55.000000000000001).
            (pl.col("population").filter(counted & (pl.col("basis") == REPORTED)).sum() * 100
             / population.sum()).alias("coverage_pct"),
            (pl.col("population").filter(counted & pl.col("basis").is_in(IMPUTED)).sum() * 100
             / population.sum()).alias("imputed_pct"),
        )
        .filter(pl.col("value").is_not_nan() & pl.col("value").is_not_null())
        .sort(group)
    )


def composition_effect(frame: pl.DataFrame, group: list[str], value: str = "value") -> pl.DataFrame:
    """How much of each year-to-year change of an aggregate comes from countries entering or leaving it.

    ``frame`` has ``iso3``, ``year``, ``population``, the ``group`` columns (other than year) and ``value``
    (null where a country is not counted). For each group and year *t* (with *t-1* present):
    ``change`` is the aggregate of *t* minus that of *t-1*, each over the countries counted that year;
    ``fixed_change`` the same over the countries counted in both years; ``composition`` their difference,
    the part of the change that comes only from who is counted. Columns: group..., ``year``, ``change``,
    ``fixed_change``, ``composition``.
    """
    keys = [g for g in group if g != "year"]
    counted = frame.filter(pl.col(value).is_not_null() & pl.col("population").is_not_null()).select(
        "iso3", "year", *keys, "population", pl.col(value).alias("_v"))
    previous = counted.select("iso3", *keys, (pl.col("year") + 1).alias("year"), pl.col("_v").alias("_v_prev"),
                              pl.col("population").alias("_pop_prev"))
    both = counted.join(previous, on=["iso3", *keys, "year"], how="inner")

    def mean(v: str, pop: str) -> pl.Expr:
        return (pl.col(v) * pl.col(pop)).sum() / pl.col(pop).sum()

    actual = counted.group_by([*keys, "year"]).agg(mean("_v", "population").alias("_now"))
    actual = actual.join(actual.select(*keys, (pl.col("year") + 1).alias("year"), pl.col("_now").alias("_before")),
                         on=[*keys, "year"], how="inner")
    fixed = both.group_by([*keys, "year"]).agg(
        (mean("_v", "population") - mean("_v_prev", "_pop_prev")).alias("fixed_change"))
    return (
        actual.join(fixed, on=[*keys, "year"], how="inner")
        .select(*keys, "year", (pl.col("_now") - pl.col("_before")).alias("change"), "fixed_change")
        .with_columns((pl.col("change") - pl.col("fixed_change")).alias("composition"))
        .sort([*keys, "year"])
    )
