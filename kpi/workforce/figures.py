"""The unprotected workforce figures: the group-bys the protected tables start from, before any suppression.

No page shows them: :mod:`kpi.enablers` stores the Union's headline of E1.WOMEN_P, E1.TRAIN and E1.RECRUIT
from them (:func:`women_share`, :func:`training_share`, :func:`mean_days`), and every protected head count
starts from :func:`tally` (:func:`kpi.workforce.protection._protect`), so that a page and an indicator count
the same people.
"""
from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from kpi import dimensions as dims
from kpi.workforce.vocabulary import Selection, _order_keys, filter_expr


def tally(records: pl.DataFrame, by: Sequence[str], count: pl.Expr | None = None) -> pl.DataFrame:
    """``count`` (default: the number of records) by year and ``by``, unprotected: ``year``, ``by``, ``count``.

    The one group-by behind every head count: each protected table starts from it
    (:func:`kpi.workforce.protection._protect`), and the unprotected figures the computed E1 indicators store
    come from it too (:func:`women_share`, :func:`training_share`), so that a page and an indicator count the
    same people.
    """
    count = pl.len() if count is None else count
    return records.group_by(["year", *by]).agg(count.cast(pl.Int64).alias("count"))


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
    and ``by``, unprotected: the figures :func:`kpi.workforce.tables.gender_split` protects (the gender filter
    does not apply).

    E1.WOMEN_P stores this share of the Professional and higher categories (:mod:`kpi.enablers`).
    """
    return _split_share(in_selection(staff, selection.without("gender")), "gender", dims.FEMALE, "women", by)


def _trained(staff: pl.DataFrame) -> pl.DataFrame:
    """The staff of the years with training records (a year without any had nothing mandatory)."""
    return staff.filter(pl.col("training").is_not_null())


def training_share(staff: pl.DataFrame, selection: Selection = Selection(), by: Sequence[str] = ()) -> pl.DataFrame:
    """Staff who completed every mandatory course (``completed``), all staff (``total``) and the share
    (``share``, %) in ``selection``, by year and ``by``, unprotected: the figures
    :func:`kpi.workforce.tables.training_completion` protects. Years without training records are left out.

    E1.TRAIN stores the share of all staff (:mod:`kpi.enablers`).
    """
    return _split_share(in_selection(_trained(staff), selection), "training", dims.TRAINING_COMPLETED,
                        "completed", by)


def mean_days(recruitment: pl.DataFrame, by: Sequence[str] = ()) -> pl.DataFrame:
    """The mean days from posting to selection (``days``, unrounded) and the number of selections
    (``count``), by year and ``by``, of prepared recruitments (:func:`kpi.workforce.prepare.selected_vacancies`),
    unprotected.

    :func:`kpi.workforce.tables.recruitment_timeline` shows these means where their count is shown; E1.RECRUIT
    stores the Union's (:mod:`kpi.enablers`).
    """
    return recruitment.group_by(["year", *by]).agg(pl.col("days").mean().alias("days"),
                                                    pl.len().cast(pl.Int64).alias("count"))
