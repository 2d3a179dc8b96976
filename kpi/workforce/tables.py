"""The protected workforce tables the pages show: head counts, gender balance, geography, field presence,
recruitment timelines and training completion, each a :class:`~kpi.workforce.protection.Protected` table.

Each starts from the protection core (:func:`kpi.workforce.protection._protect`); shares (of women, of staff
who completed training) are computed from protected counts only, and only where both sides and the total
are shown (:func:`share_columns`).
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

import polars as pl

from kpi import dimensions as dims
from kpi import disclosure
from kpi.disclosure import DEFAULT_RULE, DisclosureRule
from kpi.workforce.figures import _trained, in_selection, mean_days, share_of
from kpi.workforce.prepare import staff_years
from kpi.workforce.protection import VIEW, Protected, _protect
from kpi.workforce.reading import _cells_only
from kpi.workforce.vocabulary import Selection, _order_keys, _with_label, filter_expr


def _years(staff: pl.DataFrame, year: int | Sequence[int] | None) -> list[int]:
    """The years a table asks for: all the years of ``staff`` (None), one year, or several, oldest first."""
    if year is None:
        return staff_years(staff)
    if isinstance(year, int):
        return [year]
    return sorted(set(year))


# ---------------------------------------------------------------- head counts


def composition(
    staff: pl.DataFrame,
    year: int | Sequence[int] | None,
    by: Sequence[str],
    selection: Selection = Selection(),
    *,
    names: dict[str, str] | None = None,
    rule: DisclosureRule = DEFAULT_RULE,
) -> Protected:
    """Head count of staff by ``by`` in ``year`` (a year, several, or None for all), protected.

    Columns: ``year``, the ``by`` columns, ``count`` (null where suppressed), ``total_over``
    (``""`` for a cell; the dimensions a total sums over, null in its row), ``suppressed``,
    ``reason``, ``display`` (``"123"``, ``"fewer than 5"``...), ``label`` (of the last ``by``
    dimension; ``names`` adds labels) and a column per filter that narrows the population.
    """
    table = _protect(staff, by, selection, _years(staff, year), rule=rule)
    return replace(table, frame=_with_label(table.frame, list(by)[-1], names))


def headcount(staff: pl.DataFrame, year: int | Sequence[int] | None, selection: Selection = Selection(), *,
              rule: DisclosureRule = DEFAULT_RULE) -> Protected:
    """Staff in post by location (headquarters, regional and area offices, liaison offices) with the
    total (``total_over == "location"``): the page's headline figures."""
    return composition(staff, year, ["location"], selection, rule=rule)


def over_time(staff: pl.DataFrame, years: Sequence[int] | None, by: str, selection: Selection = Selection(), *,
              names: dict[str, str] | None = None, rule: DisclosureRule = DEFAULT_RULE) -> Protected:
    """Head count by ``by`` for each year (cells only, one line per value): a trend chart's frame."""
    table = composition(staff, years, [by], selection, names=names, rule=rule)
    frame = table.frame.filter((pl.col("total_over") == "") | (pl.col("total_over") == by))
    return replace(table, frame=frame.sort("year", *_order_keys([by]), nulls_last=True))


# ---------------------------------------------------------------- gender


def _wide_by(table: Protected, split: str, first: str, second: str, other: Sequence[str],
             names: tuple[str, str, str]) -> pl.DataFrame:
    """One row per cell of ``other`` (and each total): the two sides of ``split`` and their total."""
    frame = table.frame
    over = pl.col("total_over").str.split(",").list.set_difference([split]).list.sort().list.join(",")
    frame = frame.with_columns(over.alias("_over"))
    keys = ["year", *other, "_over"]
    extra = [c for c in table.dims if c not in other and c != split and c in frame.columns]

    def side(condition: pl.Expr, name: str) -> pl.DataFrame:
        return frame.filter(condition).select(*keys, *extra, pl.col("count").alias(name),
                                              pl.col("display").alias(f"{name}_display"),
                                              pl.col("reason").alias(f"{name}_reason"))

    has_split = pl.col("total_over").str.split(",").list.contains(split)
    a = side((pl.col(split) == first) & ~has_split, names[0])
    b = side((pl.col(split) == second) & ~has_split, names[1])
    total = side(has_split, names[2])
    base = total if not total.is_empty() else (a if not a.is_empty() else b)
    out = base.select(*keys, *extra)
    for part in (a, b, total):
        out = out.join(part.drop(extra), on=keys, how="left", nulls_equal=True, maintain_order="left")
    # An absent cell is a known zero, except in a year whose whole view is hidden.
    hidden = dict(frame.filter(pl.col("reason") == VIEW).group_by("year").agg(pl.col("display").first()).iter_rows())
    in_hidden = pl.col("year").is_in(list(hidden))
    hidden_text = pl.col("year").replace_strict(hidden, default=None, return_dtype=pl.String)
    for name in names:
        absent = pl.col(f"{name}_reason").is_null()
        out = out.with_columns(
            pl.when(absent & ~in_hidden).then(pl.lit(0, pl.Int64)).otherwise(pl.col(name)).alias(name),
            pl.when(absent & in_hidden).then(hidden_text).when(absent).then(pl.lit("0"))
            .otherwise(pl.col(f"{name}_display")).alias(f"{name}_display"),
            pl.when(absent & in_hidden).then(pl.lit(VIEW)).otherwise(pl.col(f"{name}_reason").fill_null(""))
            .alias(f"{name}_reason"),
        )
    return out.rename({"_over": "total_over"})


def share_columns(part: str, other: str, total: str, threshold: int) -> list[pl.Expr]:
    """``share`` (% of ``part`` in ``total``, only where the three are shown) and ``share_display``."""
    shown = pl.col(part).is_not_null() & pl.col(other).is_not_null() & pl.col(total).is_not_null()
    share = pl.when(shown & (pl.col(total) > 0)).then(share_of(part, total)).otherwise(None)
    primary = pl.any_horizontal(*(pl.col(f"{c}_reason") == disclosure.PRIMARY for c in (part, other, total)))
    display = (
        pl.when(share.is_not_null()).then(share.round(1).cast(pl.String) + " %")
        .when(shown).then(pl.lit(dims.NO_STAFF))
        .when(primary).then(pl.lit(disclosure.fewer_than(threshold)))
        .otherwise(pl.lit(disclosure.SUPPRESSED_TEXT))
    )
    return [share.alias("share"), display.alias("share_display")]


def gender_split(
    staff: pl.DataFrame,
    year: int | Sequence[int] | None,
    by: Sequence[str],
    selection: Selection = Selection(),
    *,
    names: dict[str, str] | None = None,
    rule: DisclosureRule = DEFAULT_RULE,
) -> Protected:
    """Women, men, all and the share of women by ``by`` (and in total), from protected counts.

    The gender filter does not apply (this view splits by gender). Columns: ``year``, ``by``,
    ``total_over`` (``""`` for a cell of ``by``; names the ``by`` dimensions summed over),
    ``women``, ``men``, ``total`` (null where suppressed) with their ``*_display`` texts,
    ``share`` (% women; null unless women, men and total are all shown), ``share_display``,
    ``women_needed`` / ``men_needed`` (how many more women, or men, at the same head count
    would make 50 %), ``parity`` (the sentence: "12 more women at P4 would reach 50 %"),
    ``parity_short`` ("12 more women"), ``label``.
    """
    by = list(by)
    table = _protect(staff, [*by, "gender"], selection.without("gender"), _years(staff, year), rule=rule)
    wide = _wide_by(table, "gender", dims.FEMALE, dims.MALE, by, ("women", "men", "total"))
    half = (pl.col("total") * dims.PARITY / 100).ceil().cast(pl.Int64)  # the head count of parity
    wide = wide.with_columns(*share_columns("women", "men", "total", table.threshold)).with_columns(
        pl.when(pl.col("share").is_not_null()).then((half - pl.col("women")).clip(lower_bound=0)).alias("women_needed"),
        pl.when(pl.col("share").is_not_null()).then((half - pl.col("men")).clip(lower_bound=0)).alias("men_needed"),
    )
    wide = _with_label(wide, by[-1], names) if by else wide.with_columns(pl.lit(dims.ALL_STAFF).alias("label"))
    wide = wide.with_columns(*parity_columns())
    ordered = wide.sort("year", pl.col("total_over") != "", *_order_keys(by), nulls_last=True)
    return replace(table, frame=ordered, dims=tuple(d for d in table.dims if d != "gender"),
                   counts=("women", "men", "total"), row_dims=tuple(by),
                   parts=(("women", "gender", dims.FEMALE), ("men", "gender", dims.MALE), ("total", None, None)),
                   note="" if selection.gender is None else "The gender filter does not apply to shares of women.")


#: The parity sentences: "12 more women at P4 would reach 50 %", "at 50 %".
REACH_PARITY = f"{{}} more {{}}{{}} would reach {dims.PARITY_TEXT}"
AT_PARITY = f"at {dims.PARITY_TEXT}"


def parity_columns() -> list[pl.Expr]:
    """``parity`` ("12 more women at P4 would reach 50 %") and ``parity_short`` from the share and the gaps."""
    where = pl.when(pl.col("label") == "All").then(pl.lit("")).otherwise(pl.lit(" at ") + pl.col("label"))
    women = pl.format(REACH_PARITY, pl.col("women_needed"),
                      pl.when(pl.col("women_needed") == 1).then(pl.lit("woman")).otherwise(pl.lit("women")), where)
    men = pl.format(REACH_PARITY, pl.col("men_needed"),
                    pl.when(pl.col("men_needed") == 1).then(pl.lit("man")).otherwise(pl.lit("men")), where)
    short_women = pl.format("{} more {}", pl.col("women_needed"),
                            pl.when(pl.col("women_needed") == 1).then(pl.lit("woman")).otherwise(pl.lit("women")))
    short_men = pl.format("{} more {}", pl.col("men_needed"),
                          pl.when(pl.col("men_needed") == 1).then(pl.lit("man")).otherwise(pl.lit("men")))
    return [
        pl.when(pl.col("share").is_null()).then(pl.lit(""))
        .when(pl.col("women_needed") > 0).then(women)
        .when(pl.col("men_needed") > 0).then(men)
        .otherwise(pl.lit(AT_PARITY))
        .alias("parity"),
        pl.when(pl.col("share").is_null()).then(pl.col("share_display"))
        .when(pl.col("women_needed") > 0).then(short_women)
        .when(pl.col("men_needed") > 0).then(short_men)
        .otherwise(pl.lit(AT_PARITY))
        .alias("parity_short"),
    ]


def gender_by_grade(staff: pl.DataFrame, year: int | Sequence[int] | None, selection: Selection = Selection(), *,
                    rule: DisclosureRule = DEFAULT_RULE) -> Protected:
    """:func:`gender_split` by grade, grades in their natural order (G1 ... Elected), plus the total."""
    return gender_split(staff, year, ["grade"], selection, rule=rule)


def parity_gap(staff: pl.DataFrame, year: int, by: str, selection: Selection = Selection(), *,
               names: dict[str, str] | None = None, rule: DisclosureRule = DEFAULT_RULE) -> Protected:
    """How far each value of ``by`` (grade, sector, duty_station...) is from 50 % women, in people.

    The rows of :func:`gender_split` for ``year`` with ``within_band`` (the share is within
    :data:`dims.PARITY_BAND`).
    """
    table = gender_split(staff, year, [by], selection, names=names, rule=rule)
    low, high = dims.PARITY_BAND
    frame = table.frame.with_columns(pl.col("share").is_between(low, high).alias("within_band"))
    return replace(table, frame=frame)


def women_share_over_time(staff: pl.DataFrame, years: Sequence[int] | None, selection: Selection = Selection(), *,
                          rule: DisclosureRule = DEFAULT_RULE) -> Protected:
    """Share of women each year in all staff and in the two category groups (Professional and
    higher; General Service and National Professional Officers), one table per year.

    ``label`` is :data:`dims.ALL_STAFF` or the group's name.
    """
    table = gender_split(staff, years, ["category_group"], selection, rule=rule)
    frame = table.frame.with_columns(
        pl.when(pl.col("category_group").is_null()).then(pl.lit(dims.ALL_STAFF)).otherwise(pl.col("label"))
        .alias("label"))
    return replace(table, frame=frame)


# ---------------------------------------------------------------- geography


def nationality_by_region(staff: pl.DataFrame, year: int | Sequence[int] | None, selection: Selection = Selection(),
                          *, rule: DisclosureRule = DEFAULT_RULE) -> Protected:
    """Staff by the ITU administrative region (A-E) of their nationality, protected (nationality:
    the higher threshold)."""
    return composition(staff, year, ["admin_region"], selection, rule=rule)


def nationality_by_country(staff: pl.DataFrame, countries: pl.DataFrame, year: int,
                           selection: Selection = Selection(), *, rule: DisclosureRule = DEFAULT_RULE) -> Protected:
    """Staff by nationality (ISO-3) in ``year``, protected, for a world map and a table.

    Every Member State is a row: those with no national on staff in the selection show 0 (a
    zero reveals nobody). Columns as :func:`composition` (cells only) plus ``name``,
    ``admin_region`` and ``member_state``.
    """
    table = composition(staff, year, ["nationality"], selection, rule=rule)
    cells = _cells_only(table.frame)
    members = countries.filter(pl.col("is_member_state")).select(pl.col("iso3").alias("nationality"))
    missing = members.join(cells.select("nationality"), on="nationality", how="anti")
    if year in table.hidden_years:  # a hidden view shows no zero either
        missing = missing.head(0)
    filler = missing.with_columns(
        pl.lit(year, pl.Int64).alias("year"), pl.lit(0, pl.Int64).alias("count"), pl.lit("").alias("total_over"),
        pl.lit(False).alias("suppressed"), pl.lit("").alias("reason"), pl.lit("0").alias("display"),
        *(pl.lit(v).alias(c) for c, v in _filter_values(cells, table).items()),
    )
    frame = pl.concat([cells, filler.select(cells.drop("label").columns)], how="diagonal")
    frame = frame.join(countries.select(pl.col("iso3").alias("nationality"), "name", "admin_region",
                                        pl.col("is_member_state").alias("member_state")),
                       on="nationality", how="left")
    frame = frame.with_columns(pl.col("name").fill_null(pl.col("nationality")).alias("label")).sort("nationality")
    return replace(table, frame=frame)


def _filter_values(frame: pl.DataFrame, table: Protected) -> dict[str, str]:
    """The constant filter columns of a protected table, with their value."""
    extra = [c for c in table.dims
             if c in dims.FILTER_COLUMNS.values() and c in frame.columns and c not in ("nationality",)]
    return {c: frame.get_column(c)[0] for c in extra if frame.height}


def member_states_coverage(staff: pl.DataFrame, countries: pl.DataFrame, years: Sequence[int] | None,
                           selection: Selection = Selection(), *, rule: DisclosureRule = DEFAULT_RULE) -> Protected:
    """Member States with and without nationals on staff each year (in the selection).

    Columns ``year``, ``member_states``, ``with_nationals``, ``without_nationals``, ``share`` (%
    with nationals) and their ``*_display``. A year whose selection is hidden (it counts, or
    differs from a wider selection by, 1 to threshold - 1 people) shows nothing; a number of
    Member States from 1 to threshold - 1 (of a nationality table: 10) is hidden with its
    complement.
    """
    wanted = _years(staff, years)
    members = countries.filter(pl.col("is_member_state")).select(pl.col("iso3").alias("nationality"))
    n_members = members.height
    view = composition(staff, wanted, ["admin_region"], selection, rule=rule)
    threshold = view.threshold
    population = staff.filter(pl.col("year").is_in(wanted))
    for name, value in selection.active().items():
        population = population.filter(filter_expr(name, value))
    represented = dict(population.join(members, on="nationality", how="semi").group_by("year")
                       .agg(pl.col("nationality").n_unique()).iter_rows())
    rows = []
    for year in wanted:
        hidden = year in view.hidden_years
        with_n = represented.get(year, 0)
        without = n_members - with_n
        small = any(0 < v < threshold for v in (with_n, without))
        show = not hidden and not small
        text = disclosure.fewer_than(threshold) if small else disclosure.SUPPRESSED_TEXT
        rows.append((year, n_members, with_n if show else None, without if show else None,
                     (100.0 * with_n / n_members if n_members else None) if show else None,
                     f"{with_n:,}" if show else text, f"{without:,}" if show else text))
    frame = pl.DataFrame(rows, orient="row", schema={
        "year": pl.Int64, "member_states": pl.Int64, "with_nationals": pl.Int64, "without_nationals": pl.Int64,
        "share": pl.Float64, "with_nationals_display": pl.String, "without_nationals_display": pl.String})
    return Protected(frame=frame, dims=(), counts=("with_nationals", "without_nationals"), threshold=threshold,
                     hidden_years=view.hidden_years, universe="countries")


# ---------------------------------------------------------------- field presence


def field_presence(staff: pl.DataFrame, years: int | Sequence[int] | None, by: Sequence[str] = ("sector",),
                   selection: Selection = Selection(), *, names: dict[str, str] | None = None,
                   rule: DisclosureRule = DEFAULT_RULE) -> Protected:
    """Staff in the regional and area offices by ``by`` (``sector``; ``office_region`` and
    ``sector``; ``duty_station``), each year, with the totals, protected.

    The regional and area offices are a filter on the population (protected against the view of
    all staff like any filter) unless the duty-station filter picks one of them. A duty-station
    filter on headquarters or a liaison office leaves nothing: the ``note`` says so.
    """
    by = list(by)
    station = selection.duty_station
    field_stations = set(staff.filter(pl.col("location") == "field").get_column("duty_station").unique().to_list())
    if station in (dims.STATION_GROUP_HQ, dims.STATION_GROUP_LIAISON) or (
            station not in (None, dims.STATION_GROUP_FIELD) and station not in field_stations):
        empty = _protect(staff.head(0), by, selection.without("duty_station"), [], rule=rule)
        return replace(empty, frame=_with_label(empty.frame, by[-1], names),
                       note="The duty-station filter selects no regional or area office.")
    chosen = selection if station is not None else replace(selection, duty_station=dims.STATION_GROUP_FIELD)
    table = _protect(staff, by, chosen, _years(staff, years), rule=rule)
    frame = table.frame
    if "office_region" in by:
        frame = frame.filter(pl.col("office_region").fill_null("") != dims.NOT_FIELD)
    if "duty_station" in by:
        frame = frame.filter(pl.col("duty_station").is_in(sorted(field_stations)) | pl.col("duty_station").is_null())
    frame = _with_label(frame, by[-1], names).sort("year", pl.col("total_over") != "", *_order_keys(by),
                                                   nulls_last=True)
    return replace(table, frame=frame)


# ---------------------------------------------------------------- enabler indicators from the records


def recruitment_timeline(recruitment: pl.DataFrame, year: int | Sequence[int] | None, by: Sequence[str],
                         selection: Selection = Selection(), *, rule: DisclosureRule = DEFAULT_RULE) -> Protected:
    """Mean days from posting to selection by ``by`` (grade, sector, category_group...), per year.

    The number of selections is a count of people (the selected candidates), protected like any
    head count; a mean is shown only where its count is. The gender filter does not apply.
    Columns: ``year``, ``by``, ``count`` (selections), ``total_over``, ``suppressed``, ``reason``,
    ``display``, ``days`` (null where the count is hidden), ``days_display``, ``label``.
    """
    years = _years(recruitment, year)
    table = _protect(recruitment, by, selection, years, rule=rule, ignore=("gender",))
    base = in_selection(recruitment.filter(pl.col("year").is_in(years)), selection.without("gender"))
    means = []
    for mask in itertools.product((False, True), repeat=len(by)):
        keys = [d for d, m in zip(by, mask) if not m]
        over = ",".join(d for d, m in zip(by, mask) if m)
        part = mean_days(base, keys).with_columns(
            pl.lit(over).alias("total_over"), *(pl.lit(None, pl.String).alias(d) for d, m in zip(by, mask) if m))
        means.append(part.select("year", *by, "total_over", "days"))
    mean = pl.concat(means, how="vertical")
    frame = table.frame.join(mean, on=["year", *by, "total_over"], how="left", nulls_equal=True,
                             maintain_order="left")
    frame = frame.with_columns(
        pl.when(pl.col("count").is_not_null() & (pl.col("count") > 0)).then(pl.col("days").round(0))
        .otherwise(None).alias("days"),
    ).with_columns(
        pl.when(pl.col("days").is_not_null()).then(pl.col("days").cast(pl.Int64).cast(pl.String) + " days")
        .when(pl.col("count") == 0).then(pl.lit("no selection"))
        .otherwise(pl.col("display")).alias("days_display"),
    )
    frame = _with_label(frame, list(by)[-1])
    note = "" if selection.gender is None else "The gender filter does not apply to recruitments."
    return replace(table, frame=frame, note=note, universe="recruitment")


def training_completion(staff: pl.DataFrame, year: int | Sequence[int] | None, by: Sequence[str],
                        selection: Selection = Selection(), *, names: dict[str, str] | None = None,
                        rule: DisclosureRule = DEFAULT_RULE) -> Protected:
    """Staff who completed every mandatory course of the year, by ``by``, from protected counts.

    Columns: ``year``, ``by``, ``total_over``, ``completed``, ``not_completed``, ``total`` (null
    where suppressed) with ``*_display``, ``share`` (% completed) and ``share_display``,
    ``label``. Years without training records are left out.
    """
    by = list(by)
    trained = _trained(staff)
    table = _protect(trained, [*by, "training"], selection, _years(trained, year), rule=rule)
    wide = _wide_by(table, "training", dims.TRAINING_COMPLETED, dims.TRAINING_NOT_COMPLETED, by,
                    ("completed", "not_completed", "total"))
    wide = wide.with_columns(*share_columns("completed", "not_completed", "total", table.threshold))
    wide = _with_label(wide, by[-1], names) if by else wide.with_columns(pl.lit(dims.ALL_STAFF).alias("label"))
    ordered = wide.sort("year", pl.col("total_over") != "", *_order_keys(by), nulls_last=True)
    return replace(table, frame=ordered, dims=tuple(d for d in table.dims if d != "training"),
                   counts=("completed", "not_completed", "total"), row_dims=tuple(by),
                   population=(*table.population, ("training", (dims.TRAINING_COMPLETED, dims.TRAINING_NOT_COMPLETED))),
                   parts=(("completed", "training", dims.TRAINING_COMPLETED),
                          ("not_completed", "training", dims.TRAINING_NOT_COMPLETED), ("total", None, None)))
