"""The disclosure audit (kpi.disclosure_audit): the published numbers as linear constraints, each hidden
number's feasible range by linear programming, as tau-ARGUS audits suppressed tables."""
from __future__ import annotations

import polars as pl
import pytest

from kpi import dimensions as dims
from kpi import workforce as wf
from kpi.disclosure_audit import Publication, audit, base_cells, feasible_ranges, publications, secure

A, B, C, D = 0, 1, 2, 3  # the cells of a 2x2 table: A B / C D


def shown(where: str, cells: set[int], value: int) -> Publication:
    return Publication(where, frozenset(cells), shown=value)


def fewer_than_5(where: str, cells: set[int]) -> Publication:
    return Publication(where, frozenset(cells), low=1, high=4)


def hidden(where: str, cells: set[int]) -> Publication:
    return Publication(where, frozenset(cells))


def test_a_total_beside_one_hidden_cell_gives_it_away():
    published = [fewer_than_5("A", {A}), shown("B", {B}, 7), shown("row 1", {A, B}, 10)]
    assert feasible_ranges(published) == [(3, 3), None, None]
    assert [str(f) for f in audit(published)] == [
        "A: shown as 'fewer than 5', but the published numbers make it exactly 3"]


def test_complementary_suppression_keeps_the_range_of_every_hidden_cell():
    # 2x2 with every margin shown: A (3) hidden, B, C, D hidden to protect it (a ring of four).
    published = [fewer_than_5("A", {A}), hidden("B", {B}), hidden("C", {C}), hidden("D", {D}),
                 shown("row 1", {A, B}, 12), shown("row 2", {C, D}, 20), shown("column 1", {A, C}, 9),
                 shown("column 2", {B, D}, 23)]
    assert feasible_ranges(published)[:4] == [(1, 4), (8, 11), (5, 8), (12, 15)]
    assert audit(published) == []  # A keeps 1-4; B, C, D are known to 4 values, none exactly


def test_a_complement_pinned_is_not_a_finding_but_a_sensitive_hidden_number_is():
    # B is a complement (9 people, "hidden"): pinned, it reveals a count the rule would let a page show.
    published = [fewer_than_5("A", {A}), hidden("B", {B}), shown("row 1", {A, B}, 12), shown("column", {B, C}, 20),
                 shown("C", {C}, 11)]
    assert feasible_ranges(published)[:2] == [(3, 3), (9, 9)]
    assert [str(f) for f in audit(published)] == [
        "A: shown as 'fewer than 5', but the published numbers make it exactly 3"]
    # A sensitive count labelled "hidden" (a part of a "fewer than 5" whole) keeps 1 to 4 all the same.
    part = Publication("women at G1", frozenset({A}), sensitive=True)
    assert [str(f) for f in audit([part, shown("men at G1", {B}, 5), shown("G1", {A, B}, 7)])] == [
        "women at G1: shown as 'hidden', but the published numbers make it exactly 2"]


def test_a_range_narrowed_inside_fewer_than_5_is_a_disclosure_too():
    published = [fewer_than_5("A", {A}), fewer_than_5("B", {B}), shown("row", {A, B}, 7)]
    assert feasible_ranges(published)[:2] == [(3, 4), (3, 4)]
    assert [str(f) for f in audit(published)] == [
        "A: shown as 'fewer than 5', but the published numbers make it between 3 and 4",
        "B: shown as 'fewer than 5', but the published numbers make it between 3 and 4"]


def test_nothing_is_found_where_nothing_is_given_away():
    published = [fewer_than_5("A", {A}), fewer_than_5("B", {B}), shown("C", {C}, 30), hidden("row 1", {A, B})]
    assert audit(published) == []
    assert feasible_ranges(published)[3] == (2, 8)


def test_contradictory_numbers_are_an_error():
    with pytest.raises(ValueError, match="contradict"):
        audit([shown("A", {A}, 3), shown("A again", {A}, 4), fewer_than_5("B", {B})])


@pytest.fixture(scope="module")
def staff(demo_staff):
    return demo_staff


def field_presence_publications(staff: pl.DataFrame, year: int) -> list[Publication]:
    """What the Field presence page publishes for a year: by Sector, by office, by region and Sector."""
    offices = staff.filter(pl.col("location") == "field").select("duty_station", "office_region").unique()
    cells = base_cells({"duty_station": sorted(offices["duty_station"].to_list()), "sector": list(dims.SECTOR_CODES)},
                       derived={"office_region": ("duty_station", dict(offices.iter_rows()))})
    published = []
    for by in (["sector"], ["duty_station"], ["office_region", "sector"]):
        table = wf.field_presence(staff, year, by)
        published += publications(table.frame.filter(pl.col("year") == year), by, cells, threshold=table.threshold,
                                  where=f"by {' and '.join(by)}")
    return published


def test_the_audit_finds_the_field_presence_leak_of_per_table_protection(staff):
    """The finding of the privacy issue: regions 20, 15, hidden, 15, fewer than 5 of 64, and Cairo (the
    only Arab States office) at 10 on the same page: CIS (Moscow) = 4. Each table is protected on its
    own; the audit over the page's tables together shows it (and more)."""
    findings = {f.where: str(f) for f in audit(field_presence_publications(staff, 2025))}
    assert findings["by office_region and sector · office_region=CIS"] == (
        "by office_region and sector · office_region=CIS: shown as 'fewer than 5', but the published numbers make "
        "it exactly 4")
    # Arab States, hidden to protect CIS, is pinned at 10 as well: a complement, 10 people the rule would let a
    # page show, not a finding of its own.
    assert "by office_region and sector · office_region=ARB" not in findings
    assert findings["by duty_station · duty_station=Moscow"].endswith("make it exactly 4")


def test_secure_hides_the_least_it_takes_to_close_a_leak():
    # A 2x2 with every margin: A (3) is fewer than 5; B 7, C 30, D 9; rows 10 and 39, columns 33 and 16.
    published = [fewer_than_5("A", {A}), shown("B", {B}, 7), shown("C", {C}, 30), shown("D", {D}, 9),
                 shown("row 1", {A, B}, 10), shown("row 2", {C, D}, 39), shown("column 1", {A, C}, 33),
                 shown("column 2", {B, D}, 16), shown("all", {A, B, C, D}, 49)]
    secured, hidden_now = secure(published)
    assert audit(secured) == []
    # The cells of the ring around A, smallest first; no total: the margins stay published.
    assert [published[i].where for i in hidden_now] == ["B", "C", "D"]



def test_secure_protects_the_field_presence_page_as_a_whole(staff):
    published = field_presence_publications(staff, 2025)
    secured, changed = secure(published)
    assert audit(secured) == []
    shown = {p.where: p.shown for p in secured if not p.hidden}
    # The page's headline (64 staff in the field) survives; of the offices, the complements that free a hidden
    # count on their own are chosen, so the three largest regional offices stay shown (before that choice, the
    # smallest sibling first hid every office).
    assert shown["by sector · total"] == shown["by office_region and sector · total"] == 64
    offices = {w.split("=")[1]: n for w, n in shown.items() if w.startswith("by duty_station · duty_station=")}
    assert offices == {"Addis Ababa": 11, "Bangkok": 7, "Brasilia": 6}
    assert [published[i].where for i in changed][:5] == [  # "fewer than 5" parts of a "fewer than 5" whole
        "by office_region and sector · office_region=AMS, sector=ITU-R",
        "by office_region and sector · office_region=AMS, sector=ITU-T",
        "by office_region and sector · office_region=ARB, sector=ITU-T",
        "by office_region and sector · office_region=ASP, sector=ITU-T",
        "by office_region and sector · office_region=CIS, sector=ITU-D"]


def test_two_fewer_than_5_beside_a_known_total_say_hidden_instead_and_nothing_else_is_hidden():
    """Two "fewer than 5" beside a shown 6 are 2 to 4 each, beside a shown 8 are 4 each: their own labels'
    bounds narrow them. Saying "hidden" (0 or more) frees them; no shown number needs to go."""
    for total, expected in ((6, "between 2 and 4"), (8, "exactly 4")):
        published = [fewer_than_5("women", {A}), fewer_than_5("men", {B}), shown("office", {A, B}, total)]
        assert [str(f) for f in audit(published)] == [
            f"women: shown as 'fewer than 5', but the published numbers make it {expected}",
            f"men: shown as 'fewer than 5', but the published numbers make it {expected}"]
        secured, newly = secure(published)
        assert newly == [0, 1]
        assert [(p.shown, p.low, p.high) for p in secured] == [(None, 0, None), (None, 0, None), (total, 0, None)]
        assert audit(secured) == []


def test_a_hidden_count_of_1_to_4_may_not_be_shown_to_be_at_least_2_nor_pinned():
    """A count of 1 to 4 labelled "hidden" keeps a protection: its minimum must reach 1 and it must not be
    pinned (pinned at 1 is a disclosure too, though its minimum is 1)."""
    at_least_two = [Publication("women", frozenset({A}), sensitive=True, protect=(1, None)),
                    fewer_than_5("men", {B}), shown("office", {A, B}, 6)]
    assert [str(f) for f in audit(at_least_two)] == [
        "women: shown as 'hidden', but the published numbers make it between 2 and 5"]
    pinned = [Publication("women", frozenset({A}), sensitive=True, protect=(1, None)), shown("men", {B}, 7),
              shown("office", {A, B}, 8)]
    assert [str(f) for f in audit(pinned)] == ["women: shown as 'hidden', but the published numbers make it exactly 1"]


def test_a_headline_shown_as_its_ten_protects_the_small_count_beside_it():
    """A Sector of 137 with 2 in the field: headquarters shown as 135 gives the 2 away; as "130–139" the 2
    can be anything from 1 to 4 (0 to 7 by the range alone)."""
    from kpi.disclosure import between, range_of
    from kpi.disclosure_audit import label_bounds

    assert (between(130, 139), range_of("1,230–1,239"), range_of("hidden")) == ("130–139", (1230, 1239), None)
    assert label_bounds("130–139", 5) == (130, 139)
    exact = [shown("headquarters", {A}, 135), fewer_than_5("field", {B}), shown("Sector", {A, B}, 137)]
    assert [str(f) for f in audit(exact)] == [
        "field: shown as 'fewer than 5', but the published numbers make it exactly 2"]
    ranged = [Publication("headquarters", frozenset({A}), low=130, high=139), *exact[1:]]
    assert not ranged[0].small and not ranged[0].is_sensitive
    assert audit(ranged) == []
    assert feasible_ranges(ranged)[:2] == [(133, 136), (1, 4)]
