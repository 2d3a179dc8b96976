"""Sector membership: the counts by category, Sector, region and year, their trend, and the page that shows them."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from kpi import membership
from kpi.bootstrap import bump_data_version
from kpi.charts.membership import members_by_sector, members_over_time
from kpi.charts.table import figure_table
from kpi.formatting import format_number
from kpi.store.engine import make_engine
from kpi.text import markdown_text, plotly_text
from tests.access_support import APP, open_page

PAGE = str(Path(APP).parent / "pages" / "membership.py")

COUNTS = pl.read_csv(io.StringIO("""sector,category,year,count
ITU,Member States,2022,193
ITU,Member States,2023,193
ITU,Member States,2024,194
ITU-R,Sector Members,2022,260
ITU-R,Sector Members,2023,262
ITU-R,Sector Members,2024,265
ITU-T,Sector Members,2022,270
ITU-T,Sector Members,2023,268
ITU-T,Sector Members,2024,266
ITU-R,Academia,2023,60
ITU-R,Academia,2024,66
ITU-T,Associates,2024,140
"""), schema=membership.MEMBERSHIP_SCHEMA)

COUNTRIES = pl.DataFrame({
    "iso3": ["KEN", "FRA", "PLW", "HKG", "BRA"],
    "itu_d_region": ["AFR", "EUR", "ASP", "ASP", "AMS"],
    "admin_region": ["D", "B", "E", "E", "A"],
    "is_member_state": [True, True, True, False, True],
}, schema=membership.COUNTRY_SCHEMA)


# ---------------------------------------------------------------- kpi.membership


def test_by_category_sums_the_sectors_in_the_reported_order():
    assert membership.by_category(COUNTS).filter(pl.col("year") == 2024).to_dicts() == [
        {"year": 2024, "category": "Member States", "count": 194},
        {"year": 2024, "category": "Sector Members", "count": 531},
        {"year": 2024, "category": "Associates", "count": 140},
        {"year": 2024, "category": "Academia", "count": 66},
    ]


def test_a_sectors_members_include_the_member_states():
    assert membership.by_category(COUNTS, "ITU-R").to_dicts() == [
        {"year": 2022, "category": "Member States", "count": 193},
        {"year": 2022, "category": "Sector Members", "count": 260},
        {"year": 2023, "category": "Member States", "count": 193},
        {"year": 2023, "category": "Sector Members", "count": 262},
        {"year": 2023, "category": "Academia", "count": 60},
        {"year": 2024, "category": "Member States", "count": 194},
        {"year": 2024, "category": "Sector Members", "count": 265},
        {"year": 2024, "category": "Academia", "count": 66},
    ]


def test_year_summary_gives_the_change_since_the_previous_and_the_first_year():
    assert membership.year_summary(COUNTS, 2024).to_dicts() == [
        {"year": 2024, "category": "Member States", "count": 194, "change_previous": 1, "change_first": 1,
         "first_year": 2022},
        {"year": 2024, "category": "Sector Members", "count": 531, "change_previous": 1, "change_first": 1,
         "first_year": 2022},
        {"year": 2024, "category": "Associates", "count": 140, "change_previous": None, "change_first": 0,
         "first_year": 2024},
        {"year": 2024, "category": "Academia", "count": 66, "change_previous": 6, "change_first": 6,
         "first_year": 2023},
    ]
    assert membership.year_summary(COUNTS, 2023, "ITU-T")["change_previous"].to_list() == [0, -2]
    assert membership.year_summary(COUNTS, 2030).is_empty()


def test_by_sector_and_category_puts_the_member_states_under_the_whole_union():
    assert membership.by_sector_and_category(COUNTS, 2024).to_dicts() == [
        {"sector": "ITU", "name": membership.WHOLE_UNION, "Member States": 194, "Sector Members": None,
         "Associates": None, "Academia": None},
        {"sector": "ITU-R", "name": "Radiocommunication Sector", "Member States": None, "Sector Members": 265,
         "Associates": None, "Academia": 66},
        {"sector": "ITU-T", "name": "Telecommunication Standardization Sector", "Member States": None,
         "Sector Members": 266, "Associates": 140, "Academia": None},
    ]
    assert membership.by_sector_and_category(COUNTS, 2022, "ITU-T").columns == [
        "sector", "name", "Member States", "Sector Members"]
    assert membership.by_sector_and_category(COUNTS, 2030).is_empty()


def test_member_states_by_region_counts_joiners_from_their_year_and_the_missing_holy_see():
    assert membership.member_states_by_region(COUNTRIES, 2024).to_dicts() == [
        {"region": "AFR", "name": "Africa", "count": 1},
        {"region": "AMS", "name": "Americas", "count": 1},
        {"region": "ARB", "name": "Arab States", "count": 0},
        {"region": "ASP", "name": "Asia-Pacific", "count": 1},  # Palau; Hong Kong is no Member State
        {"region": "CIS", "name": "CIS", "count": 0},
        {"region": "EUR", "name": "Europe", "count": 2},  # France and the Holy See
    ]
    assert membership.member_states_by_region(COUNTRIES, 2023, "admin_region")["count"].to_list() == [1, 2, 0, 1, 0]


def test_member_states_are_checked_against_the_public_count():
    assert [membership.public_member_states(y) for y in (2010, 2011, 2023, 2024, 2025)] == [192, 193, 193, 194, 194]
    assert membership.member_states_match_public_count(COUNTS)
    wrong = COUNTS.with_columns(pl.when(pl.col("year") == 2024).then(193).otherwise(pl.col("count")).alias("count"))
    assert not membership.member_states_match_public_count(wrong)
    real = f"Member States: real ({membership.MEMBER_STATES_SOURCE})."
    assert membership.source_note(COUNTS, demo=True).startswith(real)
    assert "synthetic demo data" in membership.source_note(COUNTS, demo=True)
    assert membership.source_note(wrong, demo=False) == (
        "Member States: as imported. Sector Members, Associates and Academia: as imported.")


def test_the_trend_chart_draws_a_line_per_category_and_its_table_gives_every_count():
    fig = members_over_time(membership.by_category(COUNTS))
    assert [t.name for t in fig.data] == ["Member States", "Sector Members", "Associates", "Academia"]
    assert figure_table(fig).to_dicts() == [
        {"Year": "2022", "Member States": "193", "Sector Members": "530", "Associates": "–", "Academia": "–"},
        {"Year": "2023", "Member States": "193", "Sector Members": "530", "Associates": "–", "Academia": "60"},
        {"Year": "2024", "Member States": "194", "Sector Members": "531", "Associates": "140", "Academia": "66"},
    ]


def test_the_sector_chart_draws_a_bar_per_sector_and_category_of_the_year():
    fig = members_by_sector(membership.by_sector_and_category(COUNTS, 2024))
    assert figure_table(fig).to_dicts() == [
        {"Sector": "ITU", "Member States": "194", "Sector Members": "–", "Associates": "–", "Academia": "–"},
        {"Sector": "ITU-R", "Member States": "–", "Sector Members": "265", "Associates": "–", "Academia": "66"},
        {"Sector": "ITU-T", "Member States": "–", "Sector Members": "266", "Associates": "140", "Academia": "–"},
    ]


def test_the_trend_chart_escapes_imported_category_names():
    fig = members_over_time(pl.DataFrame({"year": [2024], "category": ["<b>x</b>"], "count": [3]}))
    assert fig.data[0].name == "&lt;b&gt;x&lt;/b&gt;"


# ---------------------------------------------------------------- the page


@pytest.fixture
def stored(demo_env) -> pl.DataFrame:
    engine = make_engine(demo_env)
    counts = membership.load_membership(engine)
    engine.dispose()
    return counts


def expected_metrics(counts: pl.DataFrame, year: int, sector: str | None = None) -> dict[str, tuple[str, str]]:
    return {markdown_text(r["category"]): (format_number(r["count"]), f"{r['change_previous']:+,} since {year - 1}")
            for r in membership.year_summary(counts, year, sector).iter_rows(named=True)}


def shown_metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_the_public_page_shows_the_counts_kpi_computes_for_the_year_and_for_a_sector(stored):
    at = open_page(PAGE, None)
    year = int(at.sidebar.selectbox(key="year").value)
    assert shown_metrics(at) == expected_metrics(stored, year)
    assert [m.value for m in at.metric][0] == "194"  # the real count since Palau joined in 2024
    assert any("synthetic" in i.value for i in at.info)
    assert any(c.value.startswith("Source: Member States\\: real") for c in at.caption)
    table = pl.from_pandas(at.dataframe[0].value)
    assert table.to_dicts() == membership.by_sector_and_category(stored, year).to_dicts()

    at.sidebar.selectbox(key="year").set_value(2023).run()
    assert shown_metrics(at) == expected_metrics(stored, 2023)
    assert [m.value for m in at.metric][0] == "193"
    at.sidebar.selectbox(key="url:sector").set_value("ITU-D").run()
    assert shown_metrics(at) == expected_metrics(stored, 2023, "ITU-D")
    assert pl.from_pandas(at.dataframe[0].value)["sector"].to_list() == ["ITU", "ITU-D"]


def test_a_year_without_counts_says_which_years_there_are(stored):
    at = open_page(PAGE, None)
    at.sidebar.selectbox(key="year").set_value(2010).run()
    assert len(at.metric) == 0
    years = membership.years(stored)
    assert any(f"they cover {years[0]} to {years[-1]}" in i.value for i in at.info)


PHISH = ":red[**SESSION EXPIRED**] [sign in again](http://127.0.0.1:8729/phish)"
BOLD = "<b>bold</b>"


@pytest.fixture
def hostile_store(demo_store_url, tmp_path, monkeypatch) -> str:
    """A copy of the demo store whose membership categories hold Markdown and HTML (the demo store is shared)."""
    path = tmp_path / "hostile.sqlite"
    shutil.copyfile(demo_store_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    with engine.begin() as conn:
        for category, sector in ((PHISH, "ITU-T"), (BOLD, "ITU-D")):
            conn.execute(text("UPDATE membership SET category = :c WHERE category = 'Academia' AND sector = :s"),
                         {"c": category, "s": sector})
    with Session(engine) as session, session.begin():
        bump_data_version(session)
    engine.dispose()
    monkeypatch.setenv("RBM_DATABASE_URL", url)
    return url


def test_imported_category_names_are_shown_as_text(hostile_store):
    at = open_page(PAGE, None)
    labels = [m.label for m in at.metric]
    assert labels == ["Member States", "Sector Members", "Associates", "Academia",
                      markdown_text(PHISH), markdown_text(BOLD)]
    names = [t["name"] for chart in at.get("plotly_chart") for t in json.loads(chart.proto.spec)["data"]]
    assert plotly_text(BOLD) in names and plotly_text(PHISH) in names and BOLD not in names
    assert PHISH in pl.from_pandas(at.dataframe[0].value).columns  # a table header keeps the text as is
