"""The computed E1 indicators' breakdowns: where a workforce page shows each by one dimension
(:data:`INDICATOR_BREAKDOWNS`) and the breakdown as the page shows it (:func:`indicator_breakdown`)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.workforce_pages.protector import PageProtector


@dataclass(frozen=True)
class Breakdown:
    """Where a workforce page shows an E1 indicator by one dimension: the page, its selection, the table and
    the column of the value (a share, or mean days)."""

    page: str
    selection: wf.Selection
    table: str
    column: str


_PROFESSIONAL = wf.Selection(grade_category=dims.PROFESSIONAL_AND_HIGHER)
#: The breakdowns of the computed workforce indicators, each read from the page that shows it (kpi.enablers
#: stores their headlines only): the explorer shows what the page shows, protected with the page.
INDICATOR_BREAKDOWNS: dict[str, dict[str, Breakdown]] = {
    "E1.WOMEN_P": {by: Breakdown("gender", _PROFESSIONAL, f"gap:{by}", "share")
                   for by in ("sector", "duty_station", "grade")},
    "E1.TRAIN": {"sector": Breakdown("hr", wf.Selection(), "training", "share")},
    "E1.RECRUIT": {by: Breakdown("hr", wf.Selection(), "recruitment:grade", "days") for by in ("sector", "grade")},
}


def indicator_breakdown(protector: PageProtector, code: str, dimension: str, years: Sequence[int]) -> pl.DataFrame:
    """E1 indicator ``code`` by ``dimension`` over ``years`` as its page shows it: columns ``group``, ``year``,
    ``value`` (percent, or days; null where the page hides it, so that the reader is told which groups)."""
    where = INDICATOR_BREAKDOWNS[code][dimension]
    parts = []
    for year in years:
        table = protector.page_year(where.page, year, where.selection).tables[where.table]
        others = [d for d in table.row_dims if d != dimension and d in table.frame.columns]
        rows = table.frame.filter((pl.col("year") == year) & pl.col(dimension).is_not_null()
                                  & pl.all_horizontal(*(pl.col(d).is_null() for d in others), pl.lit(True)))
        parts.append(rows.select(pl.col(dimension).alias("group"), pl.col("year").cast(pl.Int64),
                                 pl.col(where.column).cast(pl.Float64).alias("value")))
    frame = pl.concat(parts) if parts else pl.DataFrame(schema={"group": pl.String, "year": pl.Int64,
                                                                "value": pl.Float64})
    return frame.sort("group", "year")
