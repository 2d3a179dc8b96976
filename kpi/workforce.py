"""The workforce: composition, gender balance, geographical distribution and field presence.

Pure Polars (no Streamlit): the staff frame in (one row per staff member and year, from
:func:`prepare_staff`), protected aggregate tables out (:class:`Protected`). Every count a page
can show, plot, put in a hover text, a map or a download comes out of :func:`kpi.disclosure`
here, before it leaves this module:

* **Thresholds.** No count from 1 to 4; from 1 to 9 where nationality is involved
  (:func:`kpi.disclosure.threshold_for`, whose docstring says why the number of crossed
  dimensions does not matter). A view's dimensions are its own plus every filter that narrows its
  population, minus the dimensions implied by another one (the location of a duty station, the
  category of a grade, the Sector of a unit: :data:`dims.IMPLIED_BY`).
* **Primary and complementary suppression, totals included** (:func:`kpi.disclosure.protect_table`).
* **Differencing.** A filtered view is compared with every wider view the filters allow (drop
  any subset of the filters): each is protected with :func:`kpi.disclosure.protect_filtered`
  semantics and the suppressions are united (hiding more never reveals more). A view whose
  total differs from a wider view's by 1 to threshold - 1 people, or counts 1 to threshold - 1
  people, is hidden whole for that year (:data:`VIEW`).
* **Slices.** A filter on a dimension the table shows (gender on a grade x gender pyramid, a
  duty station on the table by duty station) selects rows of the protected whole table instead.
* **Shares** (share of women, of staff who completed training) are computed from protected
  counts only, and only where both sides and the total are shown.

The unprotected figures (:func:`tally`, :func:`women_share`, :func:`training_share`, :func:`mean_days`)
are the group-bys those tables start from, before any suppression. No page shows them: they are here so
that :mod:`kpi.enablers` stores the Union's headline of E1.WOMEN_P, E1.TRAIN and E1.RECRUIT from the very
computation the pages protect (one source for each figure), not from a twin that agrees by care.

Suppressed cells have a null count and a ``display`` text: ``"fewer than 5"`` (or 10) or
``"hidden"``; never 0 and never blank.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import polars as pl

from kpi import dimensions as dims
from kpi import disclosure
from kpi.disclosure import DEFAULT_RULE, DisclosureRule

# ---------------------------------------------------------------- names and constants

#: Why a row is hidden, besides kpi.disclosure's reasons: its whole view is hidden that year.
VIEW = "view"
_REASON_RANK = {"": 0, disclosure.COMPLEMENTARY: 1, disclosure.DIFFERENCING: 2, VIEW: 3, disclosure.PRIMARY: 4}

@dataclass(frozen=True)
class Selection:
    """The filters of a workforce view; ``None`` means all.

    ``duty_station`` is a duty station's code or a group of them: :data:`dims.STATION_GROUP_HQ`,
    :data:`dims.STATION_GROUP_FIELD` (regional and area offices), :data:`dims.STATION_GROUP_LIAISON`;
    ``grade_category`` a code of
    :data:`kpi.dimensions.GRADE_CATEGORIES` or :data:`dims.PROFESSIONAL_AND_HIGHER`; ``gender`` F or M.
    """

    sector: str | None = None
    duty_station: str | None = None
    grade_category: str | None = None
    gender: str | None = None

    def active(self) -> dict[str, str]:
        """The filters that are set, by name."""
        return {name: getattr(self, name) for name in dims.FILTER_COLUMNS if getattr(self, name) is not None}

    def without(self, *names: str) -> Selection:
        """The same selection with the filters ``names`` cleared."""
        return replace(self, **{name: None for name in names})


@dataclass(frozen=True)
class Protected:
    """A protected table, ready to show: no count in ``counts`` is between 1 and ``threshold`` - 1.

    ``dims`` are the dimension columns of ``frame`` (for :func:`check`); ``threshold`` is the
    table's threshold (its own dimensions and its filters); ``hidden_years`` the years whose
    whole view is hidden; ``note`` says what a reader needs to know (an empty view, an ignored
    filter).
    """

    frame: pl.DataFrame
    dims: tuple[str, ...]
    counts: tuple[str, ...] = ("count",)
    threshold: int = DEFAULT_RULE.min_count
    hidden_years: tuple[int, ...] = ()
    note: str = ""
    #: What the numbers count, for the page-level audit (:mod:`kpi.workforce_pages`): the records
    #: (``"staff"``, ``"recruitment"``), the table's own dimensions (a row's non-null values), the
    #: filters that narrow the population and those that select rows, each (column, values), and
    #: for each count column the value of the dimension it splits by (``women``: gender F), if any.
    universe: str = "staff"
    row_dims: tuple[str, ...] = ()
    population: tuple[tuple[str, tuple[str, ...]], ...] = ()
    slices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    parts: tuple[tuple[str, str | None, str | None], ...] = (("count", None, None),)


def check(table: Protected) -> pl.DataFrame:
    """Raise :class:`kpi.disclosure.DisclosureError` if ``table`` shows a count from 1 to threshold - 1.

    Calls :func:`kpi.disclosure.assert_no_disclosure` on each count column with the table's
    threshold; returns the frame.
    """
    rule = DisclosureRule(table.threshold, table.threshold)
    present = [d for d in table.dims if d in table.frame.columns]
    for column in table.counts:
        disclosure.assert_no_disclosure(table.frame, present, column, rule=rule)
    return table.frame


# ---------------------------------------------------------------- the staff frame


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


# ---------------------------------------------------------------- filters and slices


def filter_expr(name: str, value: str) -> pl.Expr:
    """The test a filter of :class:`Selection` (``name``, ``value``) makes on the staff frame."""
    if name == "duty_station":
        if value in dims.LOCATION_FILTERS:
            return pl.col("location") == dims.LOCATION_FILTERS[value]
        return pl.col("duty_station") == value
    if name == "grade_category":
        if value in dims.CATEGORY_GROUPS:
            return pl.col("category_group") == value
        return pl.col("grade_category") == value
    return pl.col(dims.FILTER_COLUMNS[name]) == value


def filter_target(name: str, value: str) -> tuple[str, str]:
    """The column a filter tests and the value it keeps."""
    if name == "duty_station" and value in dims.LOCATION_FILTERS:
        return "location", dims.LOCATION_FILTERS[value]
    if name == "grade_category" and value in dims.CATEGORY_GROUPS:
        return "category_group", value
    return dims.FILTER_COLUMNS[name], value


def _mapping(staff: pl.DataFrame, source: str, target: str) -> dict | None:
    """``source`` value -> ``target`` value, if ``target`` is a function of ``source`` in ``staff``."""
    pairs = staff.select(source, target).unique()
    if pairs.get_column(source).n_unique() != pairs.height:
        return None
    return dict(pairs.iter_rows())


def _slice_expr(staff: pl.DataFrame, name: str, value: str, table_dims: Sequence[str]) -> pl.Expr | None:
    """The filter as a test on the table's own dimensions, or None if it narrows the population."""
    column, kept = filter_target(name, value)
    if column in table_dims:
        return pl.col(column) == kept
    for source in table_dims:
        if column in dims.IMPLIED_BY.get(source, ()):
            mapping = _mapping(staff, source, column)
            if mapping is not None:
                return pl.col(source).replace_strict(mapping, default=None) == kept
    return None


def _independent(columns: Iterable[str]) -> list[str]:
    """The columns not implied by another one (for the threshold)."""
    names = list(dict.fromkeys(columns))
    return [c for c in names if not any(c in dims.IMPLIED_BY.get(other, ()) for other in names if other != c)]


def _order_keys(columns: Sequence[str]) -> list[pl.Expr]:
    keys: list[pl.Expr] = []
    for c in columns:
        if c in dims.ORDER:
            rank = {v: i for i, v in enumerate(dims.ORDER[c])}
            keys.append(pl.col(c).replace_strict(rank, default=len(rank), return_dtype=pl.Int64))
        keys.append(pl.col(c))
    return keys


def _years(staff: pl.DataFrame, year: int | Sequence[int] | None) -> list[int]:
    if year is None:
        return staff_years(staff)
    if isinstance(year, int):
        return [year]
    return sorted(set(year))


# ---------------------------------------------------------------- the protection core


def tally(records: pl.DataFrame, by: Sequence[str], count: pl.Expr | None = None) -> pl.DataFrame:
    """``count`` (default: the number of records) by year and ``by``, unprotected: ``year``, ``by``, ``count``.

    The one group-by behind every head count: each protected table starts from it (:func:`_protect`), and
    the unprotected figures the computed E1 indicators store come from it too (:func:`women_share`,
    :func:`training_share`), so that a page and an indicator count the same people.
    """
    count = pl.len() if count is None else count
    return records.group_by(["year", *by]).agg(count.cast(pl.Int64).alias("count"))


def _protect(
    records: pl.DataFrame,
    table_dims: Sequence[str],
    selection: Selection,
    years: Sequence[int],
    *,
    rule: DisclosureRule = DEFAULT_RULE,
    count: pl.Expr | None = None,
    ignore: Sequence[str] = (),
) -> Protected:
    """Head counts of ``records`` by year and ``table_dims``, filtered by ``selection``, protected.

    Returns the cells and every total (:func:`kpi.disclosure.protect_table` columns) plus one
    constant column per filter that narrows the population; rows of a slice filter kept only.
    ``ignore`` names filters that do not apply to these records.
    """
    table_dims = list(table_dims)
    count = pl.len() if count is None else count
    base = records.filter(pl.col("year").is_in(list(years)))
    population: dict[str, pl.Expr] = {}
    slices: list[pl.Expr] = []
    for name, value in selection.active().items():
        if name in ignore:
            continue
        as_slice = _slice_expr(records, name, value, table_dims)
        if as_slice is None:
            population[name] = filter_expr(name, value)
        else:
            slices.append(as_slice)
    threshold = disclosure.threshold_for(
        _independent([*table_dims, *(dims.FILTER_COLUMNS[n] for n in population)]), rule)
    flat = DisclosureRule(threshold, threshold)

    widest = tally(base, table_dims, count).sort("year", *_order_keys(table_dims))
    hidden_years: list[int] = []
    if not population:
        frame = disclosure.protect_table(widest, table_dims, by=("year",), rule=flat)
    else:
        grid = widest.select("year", *table_dims)
        keys = ["year", *table_dims]

        def on_grid(filters: Sequence[str]) -> pl.DataFrame:
            part = base.filter(*(population[n] for n in filters)) if filters else base
            return grid.join(tally(part, table_dims, count), on=keys, how="left", nulls_equal=True,
                             maintain_order="left").with_columns(pl.col("count").fill_null(0))

        names = list(population)
        filtered = on_grid(names)
        wider = [widest] + [on_grid(list(s)) for k in range(1, len(names)) for s in itertools.combinations(names, k)]
        runs = [disclosure.protect_table(filtered, table_dims, by=("year",), rule=flat, full=w) for w in wider]
        frame = _union(runs, threshold)
        # A whole view is hidden when it counts 1 .. threshold - 1 people or differs by that many from a wider one.
        mine = dict(filtered.group_by("year").agg(pl.col("count").sum()).iter_rows())
        for year in sorted(mine):
            subset = mine[year]
            for w in wider:
                total = int(w.filter(pl.col("year") == year).get_column("count").sum())
                if subset and not disclosure.may_show_subset(total, int(subset), rule=flat):
                    hidden_years.append(year)
                    break
        if hidden_years:
            small = {y for y in hidden_years if mine[y] < threshold}
            hide = pl.col("year").is_in(hidden_years)
            frame = frame.with_columns(
                pl.when(hide).then(pl.lit(None, pl.Int64)).otherwise(pl.col("count")).alias("count"),
                (pl.col("suppressed") | hide).alias("suppressed"),
                pl.when(hide).then(pl.lit(VIEW)).otherwise(pl.col("reason")).alias("reason"),
                # Only the view's total is small; its parts may be anything down to 0.
                pl.when(pl.col("year").is_in(sorted(small)) & (pl.col("total_over") == ",".join(table_dims)))
                .then(pl.lit(disclosure.fewer_than(threshold)))
                .when(hide).then(pl.lit(disclosure.SUPPRESSED_TEXT)).otherwise(pl.col("display")).alias("display"),
            )
        frame = frame.with_columns(*(pl.lit(selection.active()[n]).alias(dims.FILTER_COLUMNS[n]) for n in names
                                     if dims.FILTER_COLUMNS[n] not in table_dims))
    if slices:
        frame = frame.filter(*[s.fill_null(False) for s in slices])
    filter_columns = tuple(dims.FILTER_COLUMNS[n] for n in population if dims.FILTER_COLUMNS[n] not in table_dims)
    narrowing = tuple(filter_target(n, v) for n, v in selection.active().items() if n in population)
    sliced = tuple(filter_target(n, v) for n, v in selection.active().items()
                   if n not in population and n not in ignore)
    return Protected(frame=frame, dims=(*table_dims, *filter_columns), threshold=threshold,
                     hidden_years=tuple(hidden_years), row_dims=tuple(table_dims),
                     population=tuple((c, (v,)) for c, v in narrowing), slices=tuple((c, (v,)) for c, v in sliced))


# ---------------------------------------------------------------- the unprotected figures


def in_selection(records: pl.DataFrame, selection: Selection) -> pl.DataFrame:
    """The records every filter of ``selection`` keeps: the population a view counts, unprotected."""
    return records.filter(*(filter_expr(name, value) for name, value in selection.active().items()))


def share_of(part: str, whole: str) -> pl.Expr:
    """The percentage of ``part`` in ``whole``, unrounded: the one formula of the shares the pages show (from
    protected counts) and the computed indicators store (from all of them)."""
    return 100.0 * pl.col(part) / pl.col(whole)


def _split_share(records: pl.DataFrame, split: str, value: str, name: str, by: Sequence[str]) -> pl.DataFrame:
    """By year and ``by``: ``name`` (the records whose ``split`` is ``value``), ``total`` and ``share`` (%),
    from the counts of ``[*by, split]`` a protected table starts from (:func:`tally`)."""
    by = list(by)
    counts = tally(records, [*by, split])
    sides = counts.group_by(["year", *by]).agg(
        pl.col("count").filter(pl.col(split) == value).sum().alias(name), pl.col("count").sum().alias("total"))
    return sides.with_columns(share_of(name, "total").alias("share")).sort("year", *_order_keys(by))


def women_share(staff: pl.DataFrame, selection: Selection = Selection(), by: Sequence[str] = ()) -> pl.DataFrame:
    """Women, all staff (``women``, ``total``) and the share of women (``share``, %) in ``selection``, by year
    and ``by``, unprotected: the figures :func:`gender_split` protects (the gender filter does not apply).

    E1.WOMEN_P stores this share of the Professional and higher categories (:mod:`kpi.enablers`).
    """
    return _split_share(in_selection(staff, selection.without("gender")), "gender", dims.FEMALE, "women", by)


def _trained(staff: pl.DataFrame) -> pl.DataFrame:
    """The staff of the years with training records (a year without any had nothing mandatory)."""
    return staff.filter(pl.col("training").is_not_null())


def training_share(staff: pl.DataFrame, selection: Selection = Selection(), by: Sequence[str] = ()) -> pl.DataFrame:
    """Staff who completed every mandatory course (``completed``), all staff (``total``) and the share
    (``share``, %) in ``selection``, by year and ``by``, unprotected: the figures :func:`training_completion`
    protects. Years without training records are left out.

    E1.TRAIN stores the share of all staff (:mod:`kpi.enablers`).
    """
    return _split_share(in_selection(_trained(staff), selection), "training", dims.TRAINING_COMPLETED,
                        "completed", by)


def mean_days(recruitment: pl.DataFrame, by: Sequence[str] = ()) -> pl.DataFrame:
    """The mean days from posting to selection (``days``, unrounded) and the number of selections
    (``count``), by year and ``by``, of prepared recruitments (:func:`selected_vacancies`), unprotected.

    :func:`recruitment_timeline` shows these means where their count is shown; E1.RECRUIT stores the
    Union's (:mod:`kpi.enablers`).
    """
    return recruitment.group_by(["year", *by]).agg(pl.col("days").mean().alias("days"),
                                                    pl.len().cast(pl.Int64).alias("count"))


def _union(runs: list[pl.DataFrame], threshold: int) -> pl.DataFrame:
    """Rows hidden in any run are hidden (the runs protect the same rows against different views)."""
    first = runs[0]
    if len(runs) == 1:
        return first
    suppressed = pl.Series([any(v) for v in zip(*(r.get_column("suppressed").to_list() for r in runs))])
    reasons = [max(v, key=_REASON_RANK.__getitem__) for v in zip(*(r.get_column("reason").to_list() for r in runs))]
    values = [next((x for x in v if x is not None), None) for v in zip(*(r.get_column("count").to_list() for r in runs))]
    display = [
        disclosure.fewer_than(threshold) if reason == disclosure.PRIMARY
        else disclosure.SUPPRESSED_TEXT if hidden else f"{value:,}"
        for value, reason, hidden in zip(values, reasons, suppressed.to_list())
    ]
    return first.with_columns(
        pl.Series("count", [None if h else v for v, h in zip(values, suppressed.to_list())], dtype=pl.Int64),
        suppressed.alias("suppressed"),
        pl.Series("reason", reasons, dtype=pl.String),
        pl.Series("display", display, dtype=pl.String),
    )


def _cells_only(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("total_over") == "")


# ---------------------------------------------------------------- labels

def _labels(staff: pl.DataFrame | None = None) -> dict[str, dict[str, str]]:
    return {
        "grade": dict(dims.GRADE_LABELS),
        "grade_band": {b: b for b in dims.GRADE_BAND_ORDER},
        "grade_category": dict(dims.GRADE_CATEGORIES),
        "category_group": dict(dims.CATEGORY_GROUPS),
        "gender": dict(dims.GENDERS),
        "sector": {s.code: s.name if s.code == s.bureau_code else f"{s.code} ({s.bureau_code})" for s in dims.SECTORS},
        "location": dict(dims.LOCATIONS),
        "admin_region": {k: f"{k} · {v}" for k, v in dims.ADMIN_REGIONS.items()},
        "office_region": {**dims.ITU_D_REGIONS, dims.NOT_FIELD: "Headquarters and liaison offices"},
        "contract_type": {c: c.capitalize() for c in dims.CONTRACT_TYPES},
        "training": {dims.TRAINING_COMPLETED: "Completed", dims.TRAINING_NOT_COMPLETED: "Not completed"},
    }


def label_of(dimension: str, value: str | None, names: dict[str, str] | None = None) -> str:
    """A readable label of a dimension's value; ``"All"`` for a total (None)."""
    if value is None:
        return "All"
    labels = {**_labels().get(dimension, {}), **(names or {})}
    return labels.get(value, value)


def _with_label(frame: pl.DataFrame, dimension: str, names: dict[str, str] | None = None) -> pl.DataFrame:
    labels = {**_labels().get(dimension, {}), **(names or {})}
    return frame.with_columns(
        pl.col(dimension).replace_strict(labels, default=pl.col(dimension), return_dtype=pl.String)
        .fill_null("All").alias("label"))


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
        .when(shown).then(pl.lit("no staff"))
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
    half = (pl.col("total") / 2).ceil().cast(pl.Int64)
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


def parity_columns() -> list[pl.Expr]:
    """``parity`` ("12 more women at P4 would reach 50 %") and ``parity_short`` from the share and the gaps."""
    where = pl.when(pl.col("label") == "All").then(pl.lit("")).otherwise(pl.lit(" at ") + pl.col("label"))
    women = pl.format("{} more {}{} would reach 50 %", pl.col("women_needed"),
                      pl.when(pl.col("women_needed") == 1).then(pl.lit("woman")).otherwise(pl.lit("women")), where)
    men = pl.format("{} more {}{} would reach 50 %", pl.col("men_needed"),
                    pl.when(pl.col("men_needed") == 1).then(pl.lit("man")).otherwise(pl.lit("men")), where)
    short_women = pl.format("{} more {}", pl.col("women_needed"),
                            pl.when(pl.col("women_needed") == 1).then(pl.lit("woman")).otherwise(pl.lit("women")))
    short_men = pl.format("{} more {}", pl.col("men_needed"),
                          pl.when(pl.col("men_needed") == 1).then(pl.lit("man")).otherwise(pl.lit("men")))
    return [
        pl.when(pl.col("share").is_null()).then(pl.lit(""))
        .when(pl.col("women_needed") > 0).then(women)
        .when(pl.col("men_needed") > 0).then(men)
        .otherwise(pl.lit("at 50 %"))
        .alias("parity"),
        pl.when(pl.col("share").is_null()).then(pl.col("share_display"))
        .when(pl.col("women_needed") > 0).then(short_women)
        .when(pl.col("men_needed") > 0).then(short_men)
        .otherwise(pl.lit("at 50 %"))
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


def indicator_targets(indicators: pl.DataFrame, targets: pl.DataFrame, code: str) -> pl.DataFrame:
    """The yearly targets of indicator ``code`` (``year``, ``target``) from the results frames."""
    ids = indicators.filter(pl.col("code") == code).get_column("indicator_id").to_list()
    return (targets.filter(pl.col("indicator_id").is_in(ids)).select("year", pl.col("value").alias("target"))
            .sort("year"))


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


# ---------------------------------------------------------------- for tests and audits

#: Every public function that returns a :class:`Protected` table.
PROTECTED_FUNCTIONS: tuple[str, ...] = (
    "composition", "headcount", "over_time", "gender_split", "gender_by_grade", "parity_gap",
    "women_share_over_time", "nationality_by_region", "nationality_by_country", "member_states_coverage",
    "field_presence", "recruitment_timeline", "training_completion",
)


# ---------------------------------------------------------------- what the pages read off a table


def headline_figures(table: Protected) -> dict[str, str]:
    """The display texts of :func:`headcount`: ``total`` and one per location shown
    (``headquarters``, ``field``, ``liaison``); a location a filter leaves out is absent."""
    frame = table.frame
    out = {row["location"]: row["display"] for row in _cells_only(frame).iter_rows(named=True)}
    totals = frame.filter(pl.col("total_over") == "location")
    if totals.height:
        out["total"] = totals.get_column("display")[0]
    elif len(out) == 1:
        out["total"] = next(iter(out.values()))
    return out


def cells(table: Protected, *, year: int | None = None) -> pl.DataFrame:
    """The cells of a protected table (no totals), of one ``year`` if given."""
    frame = _cells_only(table.frame)
    return frame if year is None else frame.filter(pl.col("year") == year)


def totals(table: Protected, over: str, *, year: int | None = None) -> pl.DataFrame:
    """The totals of a protected table over the dimensions ``over`` (e.g. ``"grade"``, ``"unit"``)."""
    frame = table.frame.filter(pl.col("total_over") == over)
    return frame if year is None else frame.filter(pl.col("year") == year)


def readable(table: Protected, columns: dict[str, str]) -> pl.DataFrame:
    """The table for reading and downloading: ``columns`` (frame column -> heading), counts as their
    display texts (so that a hidden count reads "fewer than 5", never blank or 0)."""
    frame = table.frame
    return frame.select([pl.col(c).alias(h) for c, h in columns.items() if c in frame.columns])
