"""Coarsen before you hide (kpi.coarsening): the finest grouping that hides at most a tenth of the people."""
from __future__ import annotations

import polars as pl

from kpi import dimensions as dims
from kpi.coarsening import Grouping, choose_grouping, coarsening_sentence, hidden_share, with_grade_band


def people(counts: dict[tuple[str, str], int]) -> pl.DataFrame:
    rows = [{"grade": g, "gender": s} for (g, s), n in counts.items() for _ in range(n)]
    return pl.DataFrame(rows).with_columns(
        pl.col("grade").replace_strict(dims.GRADE_CATEGORY).alias("grade_category"))


def test_every_grade_has_a_band_and_bands_keep_the_grade_order():
    assert set(dims.GRADE_BANDS) == set(dims.GRADE_CODES)
    assert dims.GRADE_BAND_ORDER == ("G1-G4", "G5-G7", "NOA-NOE", "P1-P3", "P4-P5", "D1 and above")
    assert with_grade_band(pl.DataFrame({"grade": ["P2", "D2", "G5"]}))["grade_band"].to_list() == [
        "P1-P3", "D1 and above", "G5-G7"]


def test_hidden_share_counts_the_people_in_small_cells():
    frame = people({("P3", "F"): 6, ("P3", "M"): 2, ("P4", "F"): 2})
    assert hidden_share(frame, ["grade", "gender"], 5) == 0.4  # 2 + 2 of 10


def test_the_finest_grouping_that_hides_at_most_a_tenth_is_chosen():
    # By grade x gender, 8 of 40 are in cells under 5 (20 %); by band, 0.
    frame = people({("P2", "F"): 3, ("P3", "F"): 5, ("P3", "M"): 12, ("P4", "M"): 5, ("P5", "M"): 2,
                    ("P4", "F"): 10, ("P5", "F"): 3})
    grouping = choose_grouping(frame, "grade", 5, crossed=["gender"])
    assert grouping == Grouping("grade_band", {"grade": 0.2, "grade_band": 0.0, "grade_category": 0.0})
    assert coarsening_sentence(grouping, {"grade": "grade", "grade_band": "grade band"}) == (
        "Shown by grade band: by grade, cells of fewer people than the threshold would hide 20% of the staff.")
    assert choose_grouping(frame, "grade", 2, crossed=["gender"]).level == "grade"  # a lower threshold: fine


def test_itu_r_grade_by_gender_is_shown_by_band_or_category(demo_staff):
    """The over-suppression finding: with Sector = ITU-R the pyramid read "fewer than 10" or "hidden"."""
    itu_r = demo_staff.filter((pl.col("year") == 2025) & (pl.col("sector") == "ITU-R"))
    grouping = choose_grouping(itu_r, "grade", 10, crossed=["gender"])
    assert grouping.hidden_shares["grade"] > 0.5 and grouping.level != "grade"
    assert grouping.hidden_shares[grouping.level] <= 0.10 or grouping.level == "grade_category"
