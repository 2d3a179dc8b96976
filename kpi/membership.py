"""Sector membership: Member States, Sector Members, Associates and Academia by Sector, category, region and year.

The store keeps one count per Sector, category and year (``membership``); Member States belong to the whole
Union (Sector ``ITU``) and so to every Sector. Member States are counted from public facts
(``data/reference/itu_reference_facts.json``: 194 since Palau joined on 19 September 2024, 193 before); the
demo's Sector Members, Associates and Academia are synthetic. A Sector Member of two Sectors is counted in
each: sums over Sectors are memberships, not distinct organisations.

Frames in, frames out; no Streamlit.
"""
from __future__ import annotations

import json
from functools import cache

import polars as pl
from sqlalchemy import Engine, select

from kpi import dimensions as dims
from kpi.config import REFERENCE_DIR
from kpi.store import models as m
from kpi.store.frames import frame_schema, select_frame

MEMBER_STATES = dims.MEMBER_STATES
#: The categories of membership, in the order the organisation reports them.
CATEGORIES: tuple[str, ...] = dims.MEMBERSHIP_CATEGORIES
#: The store's membership counts, in year, Sector and category order, and the columns of their frame.
MEMBERSHIP_QUERY = select(m.Membership.sector, m.Membership.category, m.Membership.year, m.Membership.count) \
    .order_by(m.Membership.year, m.Membership.sector, m.Membership.category)
MEMBERSHIP_SCHEMA = frame_schema(MEMBERSHIP_QUERY)
#: The store's country list with its regions and whether each is a Member State, and the columns of its frame.
COUNTRY_QUERY = select(m.Country.iso3, m.Country.itu_d_region, m.Country.admin_region, m.Country.is_member_state) \
    .order_by(m.Country.iso3)
COUNTRY_SCHEMA = frame_schema(COUNTRY_QUERY)
#: The region columns of the country list, with their readable name and the names of their regions.
REGION_KINDS: dict[str, tuple[str, dict[str, str]]] = {
    "itu_d_region": (dims.DISAGGREGATION_LABELS["region"], dims.ITU_D_REGIONS),
    "admin_region": ("Administrative region", dims.ADMIN_REGIONS),
}
#: Member States that joined since 2011, with the year they joined (itu_reference_facts.json: South Sudan on 14 July
#: 2011, Palau on 19 September 2024): before it they are not counted, in the total or in their region.
JOINED: dict[str, int] = {"SSD": 2011, "PLW": 2024}
#: Member States missing from the country list (data/reference/country_regions.md: the Holy See is not in the
#: Gapminder data it comes from), with their regions, so that the regions add up to every Member State.
MISSING_FROM_COUNTRY_LIST: dict[str, dict[str, str]] = {"VAT": {"itu_d_region": "EUR", "admin_region": "B"}}
FACTS_FILE = REFERENCE_DIR / "itu_reference_facts.json"
#: Where the real counts come from, for the page's source line.
MEMBER_STATES_SOURCE = "ITU press release of 19 September 2024: Palau the 194th Member State, 193 before"
#: The public figure beside the synthetic categories, as itu_reference_facts.json (organisation.membership) gives it.
PUBLIC_SECTOR_MEMBERSHIP = ("over 800 companies and international or regional organisations and more than 150 "
                            "academic institutions (mid-2022, ITU backgrounder \"ITU's growing and evolving membership\")")
SYNTHETIC_CATEGORIES: tuple[str, ...] = CATEGORIES[1:]
#: The name of the row of Member States, members of the Union (and so of every Sector).
WHOLE_UNION = "Whole Union (members of every Sector)"


def load_membership(engine: Engine) -> pl.DataFrame:
    """The store's membership counts (sector, category, year, count), in year, Sector and category order."""
    with engine.connect() as c:
        return select_frame(c, MEMBERSHIP_QUERY)


def load_countries(engine: Engine) -> pl.DataFrame:
    """The store's country list with its regions and whether each is a Member State."""
    with engine.connect() as c:
        return select_frame(c, COUNTRY_QUERY)


@cache
def public_facts() -> dict:
    """The public membership facts of the reference file (``organisation.membership`` of itu_reference_facts.json)."""
    return json.loads(FACTS_FILE.read_text(encoding="utf-8"))["organisation"]["membership"]


def public_member_states(year: int) -> int:
    """The public count of Member States at the end of ``year``: today's count less those that joined later."""
    return int(public_facts()["member_states"]) - sum(1 for joined in JOINED.values() if joined > year)


def years(membership: pl.DataFrame) -> list[int]:
    """The years with membership counts, oldest first."""
    return sorted(membership["year"].unique().to_list())


def for_sector(membership: pl.DataFrame, sector: str | None) -> pl.DataFrame:
    """The memberships of one Sector (its own members and the Member States, members of every Sector); all if None."""
    if sector is None:
        return membership
    return membership.filter(pl.col("sector").is_in([sector, dims.ITU_WIDE]))


def _category_order() -> pl.Expr:
    """Sort key: the reported categories first in their order, any other category after them."""
    return pl.col("category").replace_strict(
        {c: i for i, c in enumerate(CATEGORIES)}, default=len(CATEGORIES), return_dtype=pl.Int64)


def by_category(membership: pl.DataFrame, sector: str | None = None) -> pl.DataFrame:
    """Members by year and category (summed over Sectors, or of one Sector): year, category, count."""
    return (for_sector(membership, sector).group_by("year", "category").agg(pl.col("count").sum())
            .sort("year", _category_order(), "category"))


def trend(counts: pl.DataFrame) -> pl.DataFrame:
    """Each category's count per year with its change since the previous year and since its first year.

    ``counts`` has year, category and count (:func:`by_category`); a year without a previous one has no change.
    """
    return (counts.sort("category", "year")
            .with_columns(
                change_previous=pl.col("count") - pl.col("count").shift(1).over("category"),
                change_first=pl.col("count") - pl.col("count").first().over("category"),
                first_year=pl.col("year").first().over("category"))
            .sort("year", _category_order(), "category"))


def year_summary(membership: pl.DataFrame, year: int, sector: str | None = None) -> pl.DataFrame:
    """The headline of ``year``: each category's count and its changes (:func:`trend`) for one Sector or all."""
    return trend(by_category(membership, sector)).filter(pl.col("year") == year)


def by_sector_and_category(membership: pl.DataFrame, year: int, sector: str | None = None) -> pl.DataFrame:
    """A row per Sector (Member States under ``ITU``, the whole Union) with its name and a column per category, of
    ``year``: the counts (null where a Sector has no such members: Member States belong to the Union)."""
    rows = for_sector(membership, sector).filter(pl.col("year") == year)
    if rows.is_empty():
        return pl.DataFrame(schema={"sector": pl.String, "name": pl.String, **{c: pl.Int64 for c in CATEGORIES}})
    present = [c for c in CATEGORIES if c in rows["category"]] + sorted(set(rows["category"]) - set(CATEGORIES))
    order = [dims.ITU_WIDE, *dims.SECTOR_CODES]
    wide = rows.pivot(on="category", index="sector", values="count")  # one count per Sector, category, year
    names = {dims.ITU_WIDE: WHOLE_UNION, **{s.code: s.name for s in dims.SECTORS}}
    return (wide.select("sector", pl.col("sector").replace_strict(names, default=pl.col("sector")).alias("name"),
                        *present)
            .sort(pl.col("sector").replace_strict({s: i for i, s in enumerate(order)}, default=len(order),
                                                  return_dtype=pl.Int64), "sector"))


def member_states_by_region(countries: pl.DataFrame, year: int, region: str = "itu_d_region") -> pl.DataFrame:
    """Member States at the end of ``year`` by region (``itu_d_region`` or ``admin_region``): region, name, count.

    From the country list: those that joined after ``year`` (:data:`JOINED`) are left out, and the Member States
    missing from the list (:data:`MISSING_FROM_COUNTRY_LIST`) are added.
    """
    names = REGION_KINDS[region][1]
    members = countries.filter(pl.col("is_member_state") & ~pl.col("iso3").is_in(
        [iso3 for iso3, joined in JOINED.items() if joined > year]))
    missing = [r[region] for iso3, r in MISSING_FROM_COUNTRY_LIST.items() if iso3 not in countries["iso3"]]
    regions = pl.concat([members[region], pl.Series(region, missing, dtype=pl.String)])
    counts = regions.value_counts(name="count").rename({region: "region"}).with_columns(pl.col("count").cast(pl.Int64))
    return (pl.DataFrame({"region": list(names), "name": list(names.values())})
            .join(counts, on="region", how="left").with_columns(pl.col("count").fill_null(0)))


def member_states_match_public_count(membership: pl.DataFrame) -> bool:
    """Whether the stored Member States of every year equal the public count (:func:`public_member_states`)."""
    stored = membership.filter(pl.col("category") == MEMBER_STATES)
    return not stored.is_empty() and all(
        count == public_member_states(year) for year, count in stored.select("year", "count").iter_rows())


def is_demo(meta: dict[str, str]) -> bool:
    """Whether the store holds the generated demo data (kpi.demo records its seed in ``meta``)."""
    return "demo_seed" in meta


def source_note(membership: pl.DataFrame, demo: bool) -> str:
    """Which counts are real and where they come from, which are synthetic: one plain sentence per part."""
    states = (f"{MEMBER_STATES}: real ({MEMBER_STATES_SOURCE})." if member_states_match_public_count(membership)
              else f"{MEMBER_STATES}: as imported.")
    others = ", ".join(SYNTHETIC_CATEGORIES[:-1]) + f" and {SYNTHETIC_CATEGORIES[-1]}"
    if not demo:
        return f"{states} {others}: as imported."
    return (f"{states} {others}: synthetic demo data (generated, not ITU's); ITU reports "
            f"{PUBLIC_SECTOR_MEMBERSHIP}.")

