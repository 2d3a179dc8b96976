"""The year and the years a workforce page shows, one rule for the pages and for the views prepared ahead
(ui.workforce.WorkforceData.year_with_records and years_within)."""
from __future__ import annotations

import polars as pl

from tests.source_scan import read_sources
from ui.workforce import WorkforceData


def _data(years: tuple[int, ...]) -> WorkforceData:
    empty = pl.DataFrame()
    return WorkforceData(staff=empty, recruitment=empty, countries=empty, duty_stations=empty, units=empty,
                         years=years)


def test_the_year_shown_is_the_wanted_one_or_the_latest_with_records_before_it():
    data = _data((2016, 2017, 2019, 2020))
    assert [data.year_with_records(y) for y in (2015, 2016, 2018, 2019, 2030)] == [2016, 2016, 2017, 2019, 2020]


def test_the_years_shown_are_those_with_records_in_the_span_or_all_when_none_is():
    data = _data((2016, 2017, 2019, 2020))
    assert data.years_within((2017, 2019)) == (2017, 2019)
    assert data.years_within((2000, 2030)) == (2016, 2017, 2019, 2020)
    assert data.years_within((2021, 2027)) == (2016, 2017, 2019, 2020)


def test_no_page_or_ui_module_picks_the_year_again():
    """The rule was written twice (the filters and the views prepared after an import); a third copy is
    what this catches."""
    copies = sorted(path for path, text in read_sources().items() if "for y in records.years if" in text)
    assert copies == []
