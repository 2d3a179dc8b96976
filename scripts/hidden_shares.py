"""The share of people in hidden cells of the grade-by-gender view (Composition), before and after the
page-level protection, overall and with each Sector filter, over the latest three years of a store.

    RBM_DATABASE_URL=sqlite:///data/rbm.sqlite .venv/bin/python scripts/hidden_shares.py

"Before": each table protected on its own, 10 for a Sector's grade-by-gender table (the former rule for three
crossed dimensions), by grade. "After": the page protected whole (kpi.workforce_pages), at the grouping the
page shows (kpi.coarsening), and by grade for the reader who asks for it.
"""
from __future__ import annotations

import polars as pl

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.disclosure import DisclosureRule
from kpi.store.engine import make_engine
from kpi.workforce_pages import PageProtector, load_records


def hidden_share(table: wf.Protected, year: int, column: str, records: pl.DataFrame) -> float:
    """People in the hidden women/men cells of a grade (or band) x gender table, over all its people."""
    cells = wf.cells(table, year=year)
    people = records.filter(pl.col("year") == year)
    hidden = 0
    for row in cells.iter_rows(named=True):
        for side, gender in (("women", "F"), ("men", "M")):
            if row[side] is None:
                hidden += people.filter((pl.col(column) == row[column]) & (pl.col("gender") == gender)).height
    return hidden / people.height if people.height else 0.0


def main() -> None:
    engine = make_engine()
    records = load_records(engine)
    engine.dispose()
    after = PageProtector(records)
    years = wf.staff_years(records.staff)[-3:]
    print("| selection | before (by grade) | after, as shown | after, by grade |")
    print("|---|---|---|---|")
    for sector in (None, *dims.SECTOR_CODES):
        selection = wf.Selection(sector=sector)
        rule = DisclosureRule(10, 10) if sector else DisclosureRule(5, 10)
        before = PageProtector(records, rule, secured=False)
        staff = records.staff if sector is None else records.staff.filter(pl.col("sector") == sector)
        b, a, g = [], [], []
        for year in years:
            b.append(hidden_share(before.page_year("composition", year, selection).tables["pyramid:grade"], year,
                                  "grade", staff))
            tables = after.page_year("composition", year, selection).tables
            level = after.grouping(year, selection).level
            level = "grade" if level == "grade" else "grade_band"
            a.append(hidden_share(tables[f"pyramid:{level}"], year, level, staff))
            g.append(hidden_share(tables["pyramid:grade"], year, "grade", staff))
        mean = lambda values: f"{100 * sum(values) / len(values):.1f} %"  # noqa: E731
        print(f"| {sector or 'all staff'} ({', '.join(map(str, years))}) | {mean(b)} | {mean(a)} | {mean(g)} |",
              flush=True)


if __name__ == "__main__":
    main()
