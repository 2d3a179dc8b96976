"""Adversarial tests of kpi.disclosure: no individual may be revealed by a workforce table.

The attacker used here (``recover``) is written independently of the module: it takes the true
counts, sees the visible cells and the published totals (row, column and grand totals — in three
dimensions every margin — computed from the unsuppressed source, minus those the protection
hides), and solves the resulting linear system exactly (rational Gaussian elimination).  A
suppressed cell or hidden total is "recovered" when the system pins it down to one value.
"""
from __future__ import annotations

import itertools
import random
from fractions import Fraction

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from kpi.disclosure import (
    DEFAULT_RULE,
    SENSITIVE_COLUMNS,
    DisclosureError,
    DisclosureRule,
    assert_no_disclosure,
    may_show_subset,
    protect_counts,
    protect_filtered,
    protect_share,
    protect_table,
    threshold_for,
)

F5 = "fewer than 5"
F10 = "fewer than 10"
SUP = "hidden"
ALL = "*"  # a dimension summed over, in the attacker's keys

def frame(columns: list[str], rows: list[tuple], schema: dict | None = None) -> pl.DataFrame:
    """An inline frame; ``count``/``year`` are Int64, flags Boolean, the rest String."""
    types = {"year": pl.Int64, "count": pl.Int64, "suppressed": pl.Boolean, "share": pl.Float64}
    types.update(schema or {})
    return pl.DataFrame(rows, schema={c: types.get(c, pl.String) for c in columns}, orient="row")


# --------------------------------------------------------------------------------------------
# The attacker.


def _row_reduce(equations: list[tuple[list[Fraction], Fraction]]) -> list[tuple[int, list[Fraction], Fraction]]:
    """Reduced row echelon form of [A | b]: a list of (pivot column, row, rhs)."""
    rows = [(list(a), b) for a, b in equations]
    pivots: list[tuple[int, list[Fraction], Fraction]] = []
    width = len(rows[0][0]) if rows else 0
    for col in range(width):
        found = next((i for i, (a, _) in enumerate(rows) if a[col] != 0), None)
        if found is None:
            continue
        a, b = rows.pop(found)
        factor = a[col]
        a, b = [v / factor for v in a], b / factor
        rows = [([x - y * r[col] for x, y in zip(r, a)], rb - b * r[col]) for r, rb in rows]
        pivots = [(p, [x - y * pr[col] for x, y in zip(pr, a)], pb - b * pr[col]) for p, pr, pb in pivots]
        pivots.append((col, a, b))
    return pivots


def _solve_functional(pivots, vector: list[Fraction]) -> Fraction | None:
    """The value of ``vector . x`` if the system determines it, else None."""
    v = list(vector)
    value = Fraction(0)
    for p, row, rhs in pivots:
        if v[p]:
            coef = v[p]
            value += coef * rhs
            v = [x - coef * y for x, y in zip(v, row)]
    return value if not any(v) else None


def hidden_totals_of(table: pl.DataFrame, dims: list[str]) -> set[tuple]:
    """The (year, key) of every total that protect_table hides."""
    hidden = set()
    for row in table.filter((pl.col("total_over") != "") & pl.col("suppressed")).iter_rows(named=True):
        over = set(row["total_over"].split(","))
        hidden.add((row.get("year"), tuple(ALL if d in over else row[d] for d in dims)))
    return hidden


def recover(
    source: pl.DataFrame,
    protected: pl.DataFrame,
    dims: list[str],
    hidden_totals: set[tuple] | None = None,
    count: str = "count",
) -> list[tuple]:
    """What an attacker pins down: (year, key, true value, recovered value) per recovered cell/total.

    Visible cells come from ``protected``; every total (each non-empty set of summed-over
    dimensions) is computed from ``source`` and published unless listed in ``hidden_totals``.
    """
    hidden_totals = hidden_totals or set()
    years = source.get_column("year").to_list() if "year" in source.columns else [None] * source.height
    keys = source.select(dims).rows()
    values = source.get_column(count).to_list()
    shown = protected.get_column(count).to_list()
    found = []
    for year in dict.fromkeys(years):
        cells = {k: v for y, k, v in zip(years, keys, values) if y == year}
        unknown = [k for y, k, s in zip(years, keys, shown) if y == year and s is None]
        index = {k: i for i, k in enumerate(unknown)}
        totals: dict[tuple, int] = {}
        for mask in itertools.product((False, True), repeat=len(dims)):
            if not any(mask):
                continue
            for k, v in cells.items():
                t = tuple(ALL if m else part for part, m in zip(k, mask))
                totals[t] = totals.get(t, 0) + v

        def in_slice(total_key, cell_key):
            return all(t == ALL or t == c for t, c in zip(total_key, cell_key))

        equations = []
        for t, value in totals.items():
            if (year, t) in hidden_totals:
                continue
            coefs = [Fraction(0)] * len(unknown)
            rhs = Fraction(value)
            for k, v in cells.items():
                if in_slice(t, k):
                    if k in index:
                        coefs[index[k]] = Fraction(1)
                    else:
                        rhs -= v
            if any(coefs):
                equations.append((coefs, rhs))
        pivots = _row_reduce(equations)
        for k in unknown:
            vector = [Fraction(int(index[k] == i)) for i in range(len(unknown))]
            value = _solve_functional(pivots, vector)
            if value is not None:
                found.append((year, k, cells[k], value))
        for y, t in sorted(hidden_totals, key=repr):
            if y != year:
                continue
            vector = [Fraction(int(in_slice(t, k))) for k in unknown]
            value = _solve_functional(pivots, vector)
            if value is not None:
                visible = sum(v for k, v in cells.items() if in_slice(t, k) and k not in index)
                found.append((year, t, totals[t], value + visible))
    return found


def hidden_sums_of_shown_totals(source: pl.DataFrame, table: pl.DataFrame, dims: list[str], count: str = "count"):
    """For every shown total: the true total minus the visible cells it covers (what hides behind it)."""
    cells = table.filter(pl.col("total_over") == "")
    sums = []
    for total in table.filter((pl.col("total_over") != "") & ~pl.col("suppressed")).iter_rows(named=True):
        over = set(total["total_over"].split(","))
        covered = pl.lit(True)
        for d in dims:
            if d not in over:
                covered = covered & (pl.col(d) == total[d])
        if "year" in table.columns:
            covered = covered & (pl.col("year") == total["year"])
        true_total = source.filter(covered).get_column(count).sum()
        assert true_total == total[count]
        visible = cells.filter(covered).get_column(count).sum()
        sums.append(true_total - visible)
    return sums


def source_total(source: pl.DataFrame, row: dict, dims: list[str]) -> int:
    """The true count of a cell or total row (dims null where summed over) of ``source``."""
    over = set(row["total_over"].split(",")) if row.get("total_over") else set()
    covered = pl.col("year") == row["year"]
    for d in dims:
        if d not in over:
            covered = covered & (pl.col(d) == row[d])
    return source.filter(covered).get_column("count").sum()


# --------------------------------------------------------------------------------------------
# A duty station with fewer than five staff.

STATIONS = frame(
    ["year", "duty_station", "grade", "count"],
    [
        (2024, "GVA", "P2", 30),
        (2024, "GVA", "P3", 40),
        (2024, "GVA", "P4", 25),
        (2024, "NBO", "P2", 12),
        (2024, "NBO", "P3", 15),
        (2024, "NBO", "P4", 9),
        (2024, "BKK", "P2", 8),
        (2024, "BKK", "P3", 11),
        (2024, "BKK", "P4", 20),
        (2024, "SUV", "P3", 2),  # Suva: three staff in all
        (2024, "SUV", "P4", 1),
    ],
)
STATION_DIMS = ["duty_station", "grade"]


def test_small_duty_station_is_suppressed_and_not_recoverable_from_margins():
    out = protect_counts(STATIONS, STATION_DIMS)
    expected = frame(
        ["year", "duty_station", "grade", "count", "suppressed", "reason", "display"],
        [
            (2024, "GVA", "P2", 30, False, "", "30"),
            (2024, "GVA", "P3", 40, False, "", "40"),
            (2024, "GVA", "P4", 25, False, "", "25"),
            (2024, "NBO", "P2", None, True, "complementary", SUP),
            (2024, "NBO", "P3", 15, False, "", "15"),
            (2024, "NBO", "P4", None, True, "complementary", SUP),
            (2024, "BKK", "P2", None, True, "complementary", SUP),
            (2024, "BKK", "P3", None, True, "complementary", SUP),
            (2024, "BKK", "P4", 20, False, "", "20"),
            (2024, "SUV", "P3", None, True, "primary", F5),
            (2024, "SUV", "P4", None, True, "primary", F5),
        ],
    )
    assert_frame_equal(out, expected)

    table = protect_table(STATIONS, STATION_DIMS)
    expected_table = frame(
        ["year", "duty_station", "grade", "count", "total_over", "suppressed", "reason", "display"],
        [
            *[(y, s, g, c, "", sup, r, d) for y, s, g, c, sup, r, d in expected.rows()],
            (2024, "GVA", None, 95, "grade", False, "", "95"),
            # Suva's total is itself small; Nairobi's is hidden so that Suva's is not the grand
            # total minus the other stations.
            (2024, "NBO", None, None, "grade", True, "complementary", SUP),
            (2024, "BKK", None, 39, "grade", False, "", "39"),
            (2024, "SUV", None, None, "grade", True, "primary", F5),
            (2024, None, "P2", 50, "duty_station", False, "", "50"),
            (2024, None, "P3", 68, "duty_station", False, "", "68"),
            (2024, None, "P4", 55, "duty_station", False, "", "55"),
            (2024, None, None, 173, "duty_station,grade", False, "", "173"),
        ],
    )
    assert_frame_equal(table, expected_table)

    hidden = hidden_totals_of(table, STATION_DIMS)
    assert hidden == {(2024, ("NBO", ALL)), (2024, ("SUV", ALL))}
    assert recover(STATIONS, out, STATION_DIMS, hidden) == []
    # Even an attacker who knows every true total, the hidden ones included, pins no cell down.
    assert recover(STATIONS, out, STATION_DIMS) == []
    assert_no_disclosure(out, STATION_DIMS)


def test_attacker_recovers_cells_hidden_by_primary_suppression_alone():
    """The attacker is not toothless: hiding only the small cells gives them away."""
    naive = STATIONS.with_columns(
        pl.when(pl.col("count") < 5).then(None).otherwise(pl.col("count")).alias("count")
    )
    assert recover(STATIONS, naive, STATION_DIMS, {(2024, ("SUV", ALL))}) == [
        (2024, ("SUV", "P3"), 2, 2),
        (2024, ("SUV", "P4"), 1, 1),
        (2024, ("SUV", ALL), 3, 3),
    ]
    # Hypercube without the Nairobi total: Suva's total is the grand total minus the others.
    out = protect_counts(STATIONS, STATION_DIMS)
    assert recover(STATIONS, out, STATION_DIMS, {(2024, ("SUV", ALL))}) == [(2024, ("SUV", ALL), 3, 3)]


# --------------------------------------------------------------------------------------------
# Shares.


def test_grade_with_one_woman_hides_share_and_both_counts():
    women = frame(
        ["year", "grade", "women", "staff"],
        [
            (2024, "G5", 0, 12),
            (2024, "P2", 6, 14),
            (2024, "P3", 1, 20),  # the only woman at P3
            (2024, "P4", 8, 17),
            (2024, "D1", 5, 11),
        ],
        {"women": pl.Int64, "staff": pl.Int64},
    )
    out = protect_share(women, ["grade"], "women", "staff")
    expected = frame(
        [
            "year", "grade", "women", "staff", "complement", "share", "suppressed", "reason", "display",
            "numerator_display", "complement_display", "denominator_display",
        ],
        [
            # A zero is not a disclosure: 0 women out of 12 stays visible.
            (2024, "G5", 0, 12, 12, 0.0, False, "", "0.0%", "0", "12", "12"),
            (2024, "P2", 6, 14, 8, 600 / 14, False, "", "42.9%", "6", "8", "14"),
            # One woman: her count, the men (20 - 1) and the share are hidden.
            (2024, "P3", None, 20, None, None, True, "primary", F5, F5, SUP, "20"),
            (2024, "P4", 8, 17, 9, 800 / 17, False, "", "47.1%", "8", "9", "17"),
            # ... and another grade too, or the women/men totals would give her away.
            (2024, "D1", None, 11, None, None, True, "complementary", SUP, SUP, SUP, "11"),
        ],
        {"women": pl.Int64, "staff": pl.Int64, "complement": pl.Int64},
    )
    assert_frame_equal(out, expected)

    # The attacker, looking at women and men as a grade x gender table with every total shown.
    as_table = pl.concat(
        [
            women.select("year", "grade", pl.lit("F").alias("gender"), pl.col("women").alias("count")),
            women.select("year", "grade", pl.lit("M").alias("gender"), (pl.col("staff") - pl.col("women")).alias("count")),
        ]
    )
    shown = pl.concat(
        [
            out.select("year", "grade", pl.lit("F").alias("gender"), pl.col("women").alias("count")),
            out.select("year", "grade", pl.lit("M").alias("gender"), pl.col("complement").alias("count")),
        ]
    )
    assert recover(as_table, shown, ["grade", "gender"]) == []


def test_small_denominator_hides_everything_and_sensitive_share_uses_ten():
    data = frame(
        ["nationality", "women", "staff"],
        [("KEN", 3, 3), ("FRA", 12, 40), ("CHE", 11, 30), ("IND", 20, 45)],
        {"women": pl.Int64, "staff": pl.Int64},
    )
    out = protect_share(data, ["nationality"], "women", "staff")
    expected = frame(
        [
            "nationality", "women", "staff", "complement", "share", "suppressed", "reason", "display",
            "numerator_display", "complement_display", "denominator_display",
        ],
        [
            # 3 of 3 (100 %): the complement is 0 and may show, but 3 women and 3 staff may not.
            ("KEN", None, None, 0, None, True, "primary", F10, F10, "0", F10),
            ("FRA", 12, 40, 28, 30.0, False, "", "30.0%", "12", "28", "40"),
            # Kenya's 3 women would be the women's total minus the others: Switzerland's 11 women
            # go, then its 19 men (its staff line) and its 30 staff (Kenya's staff are hidden too).
            ("CHE", None, None, None, None, True, "complementary", SUP, SUP, SUP, SUP),
            # Switzerland's men, alone in the men's line, take India's men and so India's women.
            ("IND", None, 45, None, None, True, "complementary", SUP, SUP, SUP, "45"),
        ],
        {"women": pl.Int64, "staff": pl.Int64, "complement": pl.Int64},
    )
    assert_frame_equal(out, expected)


# --------------------------------------------------------------------------------------------
# Differencing.

# All staff at Nairobi by grade and gender, and the same filtered to sector ITU-D: one woman at
# P3 in Nairobi is not in ITU-D.
NAIROBI = frame(
    ["year", "grade", "gender", "count"],
    [(2024, "P2", "F", 10), (2024, "P2", "M", 12), (2024, "P3", "F", 14), (2024, "P3", "M", 9), (2024, "P4", "F", 7), (2024, "P4", "M", 21)],
)
NAIROBI_ITU_D = frame(
    ["year", "grade", "gender", "count"],
    [(2024, "P2", "F", 10), (2024, "P2", "M", 12), (2024, "P3", "F", 13), (2024, "P3", "M", 9), (2024, "P4", "F", 7), (2024, "P4", "M", 21)],
)


def test_filtered_view_differing_by_one_person_is_suppressed():
    # Each view alone is harmless.
    assert protect_counts(NAIROBI_ITU_D, ["grade", "gender"]).get_column("suppressed").to_list() == [False] * 6
    out = protect_filtered(NAIROBI, NAIROBI_ITU_D, ["grade", "gender"])
    expected = frame(
        ["year", "grade", "gender", "count", "suppressed", "reason", "display"],
        [
            (2024, "P2", "F", 10, False, "", "10"),
            (2024, "P2", "M", 12, False, "", "12"),
            (2024, "P3", "F", None, True, "differencing", SUP),
            (2024, "P3", "M", 9, False, "", "9"),
            (2024, "P4", "F", 7, False, "", "7"),
            (2024, "P4", "M", 21, False, "", "21"),
        ],
    )
    assert_frame_equal(out, expected)
    table = protect_table(NAIROBI_ITU_D, ["grade", "gender"], full=NAIROBI)
    expected_totals = frame(
        ["year", "grade", "gender", "count", "total_over", "suppressed", "reason", "display"],
        [
            (2024, "P2", None, 22, "gender", False, "", "22"),
            (2024, "P3", None, None, "gender", True, "differencing", SUP),
            (2024, "P4", None, 28, "gender", False, "", "28"),
            (2024, None, "F", None, "grade", True, "differencing", SUP),
            (2024, None, "M", 42, "grade", False, "", "42"),
            (2024, None, None, None, "grade,gender", True, "differencing", SUP),
        ],
    )
    assert_frame_equal(table.filter(pl.col("total_over") != ""), expected_totals)
    # Full view minus filtered view: the attacker gets nothing where the difference is hidden.
    for row_full, row_out in zip(NAIROBI.iter_rows(named=True), out.iter_rows(named=True)):
        difference = None if row_out["count"] is None else row_full["count"] - row_out["count"]
        assert difference is None or difference == 0 or difference >= 5
    assert recover(NAIROBI_ITU_D, out, ["grade", "gender"], hidden_totals_of(table, ["grade", "gender"])) == []
    assert not may_show_subset(64, 63)


def test_filtered_view_gets_complementary_suppression_after_differencing():
    full = frame(["year", "grade", "count"], [(2024, "P2", 12), (2024, "P3", 20), (2024, "P4", 15), (2024, "D1", 30)])
    filtered = frame(["year", "grade", "count"], [(2024, "P2", 12), (2024, "P3", 17), (2024, "P4", 15), (2024, "D1", 22)])
    out = protect_table(filtered, ["grade"], full=full)
    expected = frame(
        ["year", "grade", "count", "total_over", "suppressed", "reason", "display"],
        [
            # Else P3 = total - others.
            (2024, "P2", None, "", True, "complementary", SUP),
            (2024, "P3", None, "", True, "differencing", SUP),  # 20 - 17 = 3 people outside the filter
            (2024, "P4", 15, "", False, "", "15"),
            # Else P2 + P3 = 66 - 15 - 22 = 29 in the filtered view against 12 + 20 = 32 in the
            # full one: 3 people outside the filter again.  D1 (30 - 22 = 8 outside) covers them.
            (2024, "D1", None, "", True, "complementary", SUP),
            (2024, None, 66, "grade", False, "", "66"),
        ],
    )
    assert_frame_equal(out, expected)
    # Behind the shown total: 66 - 15 = 51 filtered against 12 + 20 + 30 = 62 in the full view.
    hidden = out.filter(pl.col("suppressed") & (pl.col("total_over") == "")).get_column("grade").to_list()
    assert full.filter(pl.col("grade").is_in(hidden)).get_column("count").sum() - (66 - 15) == 11


def test_filtered_larger_than_full_is_an_error():
    with pytest.raises(ValueError, match="exceeds the full count"):
        protect_filtered(NAIROBI_ITU_D, NAIROBI, ["grade", "gender"])


# --------------------------------------------------------------------------------------------
# Thresholds.


def test_thresholds():
    assert DEFAULT_RULE == DisclosureRule(min_count=5, min_count_sensitive=10)
    assert threshold_for(["grade"]) == 5
    assert threshold_for(["year", "grade", "gender"]) == 5  # year does not cross
    # Three crossed dimensions need no more than two: a cell of 5 is 5 people alike (see the module docstring).
    assert threshold_for(["grade", "gender", "duty_station"]) == 5
    assert threshold_for(["grade", "gender", "nationality"]) == 10
    for column in SENSITIVE_COLUMNS:
        assert threshold_for([column]) == 10, column
    assert threshold_for(["nationality_name"]) == 10
    assert threshold_for("grade") == 5
    assert threshold_for(["grade"], DisclosureRule(3, 7)) == 3
    assert threshold_for(["nationality"], DisclosureRule(3, 7)) == 7
    with pytest.raises(ValueError):
        DisclosureRule(min_count=0)
    with pytest.raises(ValueError):
        DisclosureRule(min_count=5, min_count_sensitive=4)


def test_nationality_table_uses_ten():
    nationalities = frame(
        ["year", "nationality", "count"],
        [(2024, "CHE", 12), (2024, "FRA", 7), (2024, "KEN", 30), (2024, "THA", 15)],
    )
    out = protect_counts(nationalities, ["nationality"])
    expected = frame(
        ["year", "nationality", "count", "suppressed", "reason", "display"],
        [
            (2024, "CHE", None, True, "complementary", SUP),
            (2024, "FRA", None, True, "primary", F10),  # 7 would show under the plain rule
            (2024, "KEN", 30, False, "", "30"),
            (2024, "THA", 15, False, "", "15"),
        ],
    )
    assert_frame_equal(out, expected)
    plain = nationalities.rename({"nationality": "grade"})
    assert protect_counts(plain, ["grade"]).get_column("suppressed").to_list() == [False] * 4


THREE = frame(
    ["year", "grade", "gender", "duty_station", "count"],
    [
        (2024, "P3", "F", "GVA", 20),
        (2024, "P3", "F", "NBO", 14),
        (2024, "P3", "M", "GVA", 11),
        (2024, "P3", "M", "NBO", 7),
        (2024, "P4", "F", "GVA", 25),
        (2024, "P4", "F", "NBO", 30),
        (2024, "P4", "M", "GVA", 12),
        (2024, "P4", "M", "NBO", 18),
    ],
)


def test_a_three_dimensional_table_with_one_hidden_cell_hides_all_eight():
    dims = ["grade", "gender", "duty_station"]
    out = protect_counts(THREE, dims, rule=DisclosureRule(10, 10))
    # In a 2 x 2 x 2 table with all its margins published, one hidden cell can only be protected
    # by hiding all eight.
    expected = frame(
        ["year", "grade", "gender", "duty_station", "count", "suppressed", "reason", "display"],
        [
            (2024, "P3", "F", "GVA", None, True, "complementary", SUP),
            (2024, "P3", "F", "NBO", None, True, "complementary", SUP),
            (2024, "P3", "M", "GVA", None, True, "complementary", SUP),
            (2024, "P3", "M", "NBO", None, True, "primary", F10),
            (2024, "P4", "F", "GVA", None, True, "complementary", SUP),
            (2024, "P4", "F", "NBO", None, True, "complementary", SUP),
            (2024, "P4", "M", "GVA", None, True, "complementary", SUP),
            (2024, "P4", "M", "NBO", None, True, "complementary", SUP),
        ],
    )
    assert_frame_equal(out, expected)
    assert recover(THREE, out, dims) == []
    # Under the default rule three crossed dimensions use 5, as two do: 7 shows.
    assert threshold_for(dims) == 5
    two = THREE.filter(pl.col("duty_station") == "NBO").drop("duty_station")
    assert protect_counts(two, ["grade", "gender"]).get_column("display").to_list() == ["14", "7", "30", "18"]


# --------------------------------------------------------------------------------------------
# Zeros.


def test_zero_cell_stays_visible_and_is_never_a_complement():
    data = frame(
        ["year", "grade", "gender", "count"],
        [(2024, "P2", "F", 0), (2024, "P2", "M", 3), (2024, "P3", "F", 20), (2024, "P3", "M", 30), (2024, "P4", "F", 15), (2024, "P4", "M", 16)],
    )
    out = protect_table(data, ["grade", "gender"])
    expected = frame(
        ["year", "grade", "gender", "count", "total_over", "suppressed", "reason", "display"],
        [
            (2024, "P2", "F", 0, "", False, "", "0"),
            (2024, "P2", "M", None, "", True, "primary", F5),
            (2024, "P3", "F", None, "", True, "complementary", SUP),
            (2024, "P3", "M", None, "", True, "complementary", SUP),
            (2024, "P4", "F", None, "", True, "complementary", SUP),
            (2024, "P4", "M", None, "", True, "complementary", SUP),
            (2024, "P2", None, None, "gender", True, "primary", F5),
            (2024, "P3", None, 50, "gender", False, "", "50"),
            (2024, "P4", None, None, "gender", True, "complementary", SUP),
            (2024, None, "F", 35, "grade", False, "", "35"),
            (2024, None, "M", 49, "grade", False, "", "49"),
            (2024, None, None, 84, "grade,gender", False, "", "84"),
        ],
    )
    assert_frame_equal(out, expected)
    assert recover(data, out.filter(pl.col("total_over") == ""), ["grade", "gender"], hidden_totals_of(out, ["grade", "gender"])) == []


def test_all_zero_table_shows_zeros():
    data = frame(["year", "grade", "count"], [(2024, "P2", 0), (2024, "P3", 0)])
    expected = frame(
        ["year", "grade", "count", "suppressed", "reason", "display"],
        [(2024, "P2", 0, False, "", "0"), (2024, "P3", 0, False, "", "0")],
    )
    assert_frame_equal(protect_counts(data, ["grade"]), expected)


def test_hidden_cells_of_a_line_with_a_shown_total_add_up_to_the_threshold():
    # 2 + 1 hidden next to a shown total of 73 would tell "3 people at P2 or P3".
    data = frame(["year", "grade", "count"], [(2024, "P2", 2), (2024, "P3", 1), (2024, "P4", 30), (2024, "D1", 40)])
    expected = frame(
        ["year", "grade", "count", "total_over", "suppressed", "reason", "display"],
        [
            (2024, "P2", None, "", True, "primary", F5),
            (2024, "P3", None, "", True, "primary", F5),
            (2024, "P4", None, "", True, "complementary", SUP),
            (2024, "D1", 40, "", False, "", "40"),
            (2024, None, 73, "grade", False, "", "73"),
        ],
    )
    assert_frame_equal(protect_table(data, ["grade"]), expected)


# --------------------------------------------------------------------------------------------
# Years are separate tables.

TWO_YEARS = frame(
    ["year", "grade", "gender", "count"],
    [
        (2023, "P2", "F", 3),
        (2023, "P2", "M", 20),
        (2023, "P3", "F", 15),
        (2023, "P3", "M", 28),
        (2023, "P4", "F", 12),
        (2023, "P4", "M", 18),
        (2024, "P2", "F", 8),
        (2024, "P2", "M", 22),
        (2024, "P3", "F", 16),
        (2024, "P3", "M", 2),
        (2024, "P4", "F", 11),
        (2024, "P4", "M", 30),
    ],
)


def test_complementary_suppression_per_year():
    out = protect_counts(TWO_YEARS, ["grade", "gender"])
    expected = frame(
        ["year", "grade", "gender", "count", "suppressed", "reason", "display"],
        [
            (2023, "P2", "F", None, True, "primary", F5),
            (2023, "P2", "M", None, True, "complementary", SUP),
            (2023, "P3", "F", 15, False, "", "15"),
            (2023, "P3", "M", 28, False, "", "28"),
            (2023, "P4", "F", None, True, "complementary", SUP),
            (2023, "P4", "M", None, True, "complementary", SUP),
            (2024, "P2", "F", None, True, "complementary", SUP),
            (2024, "P2", "M", None, True, "complementary", SUP),
            (2024, "P3", "F", None, True, "complementary", SUP),
            (2024, "P3", "M", None, True, "primary", F5),
            (2024, "P4", "F", 11, False, "", "11"),
            (2024, "P4", "M", 30, False, "", "30"),
        ],
    )
    assert_frame_equal(out, expected)
    # Each year alone gives the same answer: nothing leaks from one year into the other.
    for year in (2023, 2024):
        alone = protect_counts(TWO_YEARS.filter(pl.col("year") == year), ["grade", "gender"])
        assert_frame_equal(alone, out.filter(pl.col("year") == year))
    assert recover(TWO_YEARS, out, ["grade", "gender"]) == []
    # Without year as a by-group the two years are duplicate cells of one table: refused.
    with pytest.raises(ValueError, match="more than once"):
        protect_counts(TWO_YEARS, ["grade", "gender"], by=())


# --------------------------------------------------------------------------------------------
# may_show_subset.


@pytest.mark.parametrize(
    ("total", "subset", "dims", "allowed"),
    [
        (100, 100, (), True),  # the filter removes nobody
        (100, 99, (), False),  # one person outside the filter
        (100, 96, (), False),
        (100, 95, (), True),
        (100, 5, (), True),
        (100, 4, (), False),  # the subset itself is small
        (100, 1, (), False),
        (100, 0, (), False),
        (0, 0, (), False),
        (9, 5, (), False),  # complement 4
        (10, 5, (), True),
        (5, 5, (), True),
        (100, 91, ("nationality",), False),  # complement 9 < 10
        (100, 90, ("nationality",), True),
        (100, 9, ("nationality",), False),
        (100, 10, ("nationality",), True),
        (100, 91, ("grade", "gender", "duty_station"), True),  # 9: three dimensions use 5 too
        (100, 91, ("year", "grade", "gender"), True),
    ],
)
def test_may_show_subset(total, subset, dims, allowed):
    assert may_show_subset(total, subset, dims) is allowed


def test_may_show_subset_rejects_impossible_counts():
    with pytest.raises(ValueError):
        may_show_subset(10, 11)
    with pytest.raises(ValueError):
        may_show_subset(10, -1)
    assert may_show_subset(7, 3, rule=DisclosureRule(3, 7)) is True  # custom rule: threshold 3
    assert may_show_subset(7, 3, ("nationality",), rule=DisclosureRule(3, 7)) is False


# --------------------------------------------------------------------------------------------
# The guard before rendering.


def test_assert_no_disclosure_raises_on_leaky_frame_and_passes_on_protected_one():
    with pytest.raises(DisclosureError, match=r"'duty_station': 'SUV', 'grade': 'P3'.*count = 2"):
        assert_no_disclosure(STATIONS, STATION_DIMS)
    assert issubclass(DisclosureError, ValueError)
    assert_no_disclosure(protect_counts(STATIONS, STATION_DIMS), STATION_DIMS)
    assert_no_disclosure(protect_table(STATIONS, STATION_DIMS), STATION_DIMS)
    # 7 passes a grade table but not a nationality table.
    seven = frame(["year", "nationality", "count"], [(2024, "FRA", 7), (2024, "KEN", 30)])
    assert_no_disclosure(seven.rename({"nationality": "grade"}), ["grade"])
    with pytest.raises(DisclosureError, match="'nationality': 'FRA'"):
        assert_no_disclosure(seven, ["nationality"])
    # A row marked suppressed whose count was left in place.
    tampered = protect_counts(STATIONS, STATION_DIMS).with_columns(pl.Series("count", STATIONS.get_column("count")))
    with pytest.raises(DisclosureError, match="'NBO', 'grade': 'P2'.*marked suppressed"):
        assert_no_disclosure(tampered, STATION_DIMS)
    # Zeros are fine.
    assert_no_disclosure(frame(["year", "grade", "count"], [(2024, "P2", 0), (2024, "P3", 12)]), ["grade"])


# --------------------------------------------------------------------------------------------
# Inputs and outputs.


def test_other_columns_order_and_derived_shares_are_kept_or_nulled():
    data = frame(
        ["grade", "label", "count", "share"],
        [("P2", "Associate", 40, 40.0), ("P3", "Officer", 3, 3.0), ("P4", "Senior", 57, 57.0)],
        {"count": pl.Int32},
    )
    out = protect_counts(data, ["grade"], derived=["share"])
    expected = frame(
        ["grade", "label", "count", "share", "suppressed", "reason", "display"],
        [
            ("P2", "Associate", None, None, True, "complementary", SUP),
            ("P3", "Officer", None, None, True, "primary", F5),
            ("P4", "Senior", 57, 57.0, False, "", "57"),
        ],
        {"count": pl.Int32},
    )
    assert_frame_equal(out, expected)
    big = frame(["grade", "count"], [("P2", 1234), ("P3", 5678)])
    assert protect_counts(big, ["grade"]).get_column("display").to_list() == ["1,234", "5,678"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("P2", None), ("P3", 10)], "null"),
        ([("P2", -1), ("P3", 10)], "non-negative"),
        ([("P2", 6), ("P2", 10)], "more than once"),
    ],
)
def test_bad_input_is_refused(rows, message):
    with pytest.raises(ValueError, match=message):
        protect_counts(frame(["grade", "count"], rows), ["grade"])


def test_empty_frame():
    empty = frame(["year", "grade", "count"], [])
    expected = frame(["year", "grade", "count", "suppressed", "reason", "display"], [])
    assert_frame_equal(protect_counts(empty, ["grade"]), expected)


# --------------------------------------------------------------------------------------------
# Property-style: random tables.


def random_table(seed: int) -> tuple[pl.DataFrame, list[str]]:
    rng = random.Random(seed)
    names = rng.choice(
        [["duty_station"], ["grade", "gender"], ["duty_station", "grade"], ["nationality", "gender"], ["grade", "gender", "duty_station"]]
    )
    sizes = [rng.randint(2, 4 if len(names) == 3 else 6) for _ in names]
    rows = []
    for year in (2023, 2024):
        for key in itertools.product(*[[f"{name[:3]}{i}" for i in range(n)] for name, n in zip(names, sizes)]):
            r = rng.random()
            if r < 0.15:
                continue  # absent cell: zero
            value = 0 if r < 0.25 else rng.randint(1, 12) if r < 0.6 else rng.randint(13, 80)
            rows.append((year, *key, value))
    return frame(["year", *names, "count"], rows), names


@pytest.mark.parametrize("seed", range(100))
def test_random_tables_show_no_small_count_and_no_recoverable_cell(seed):
    source, dims = random_table(seed)
    threshold = threshold_for(dims)
    out = protect_counts(source, dims)
    # Same rows, same order, other columns untouched.
    assert_frame_equal(out.select("year", *dims), source.select("year", *dims))
    # Visible counts are the true ones and none is 1 .. threshold - 1.
    visible = out.filter(~pl.col("suppressed"))
    assert_frame_equal(visible.select("year", *dims, "count"), source.filter(~out.get_column("suppressed")))
    assert visible.filter((pl.col("count") > 0) & (pl.col("count") < threshold)).height == 0
    assert visible.get_column("display").to_list() == [f"{c:,}" for c in visible.get_column("count")]
    hidden = out.filter(pl.col("suppressed"))
    assert hidden.get_column("count").null_count() == hidden.height
    words = {("primary", f"fewer than {threshold}"), ("complementary", SUP)}
    assert set(hidden.select("reason", "display").rows()) <= words
    assert_no_disclosure(out, dims)
    # protect_table agrees on the cells; its visible totals are the true ones and none is small.
    table = protect_table(source, dims)
    cells = table.filter(pl.col("total_over") == "").drop("total_over")
    assert_frame_equal(cells, out.select(cells.columns))
    totals = table.filter((pl.col("total_over") != "") & ~pl.col("suppressed"))
    assert totals.filter((pl.col("count") > 0) & (pl.col("count") < threshold)).height == 0
    # What hides behind a shown total is nobody or at least threshold people.
    assert all(h == 0 or h >= threshold for h in hidden_sums_of_shown_totals(source, table, dims))
    # No suppressed cell (nor hidden total) can be recovered from the visible cells and totals.
    assert recover(source, out, dims, hidden_totals_of(table, dims)) == []
    # Years are independent.
    for year in (2023, 2024):
        alone = protect_counts(source.filter(pl.col("year") == year), dims)
        assert_frame_equal(alone, out.filter(pl.col("year") == year))


@pytest.mark.parametrize("seed", range(20))
def test_random_shares_hide_small_parts(seed):
    source, dims = random_table(seed)
    rng = random.Random(seed)
    staff = source.get_column("count").to_list()
    women = [rng.randint(0, n) for n in staff]
    data = source.rename({"count": "staff"}).with_columns(pl.Series("women", women, dtype=pl.Int64))
    threshold = threshold_for([*dims, "women"])
    out = protect_share(data, dims, "women", "staff")
    for row, w, n in zip(out.iter_rows(named=True), women, staff):
        parts = (row["women"], row["complement"])
        for shown in parts + (row["staff"],):
            assert shown is None or shown == 0 or shown >= threshold
        if row["share"] is not None:
            assert None not in parts and row["share"] == pytest.approx(100 * w / n)
            assert row["display"] == f"{100 * w / n:.1f}%"
        else:
            assert None in parts or n == 0
    # The same as a table with an extra dimension "sex" (women, men) whose total is the staff.
    long_rows, shown_rows = [], []
    for row, shown_row in zip(data.iter_rows(named=True), out.iter_rows(named=True)):
        key = (row["year"], *[row[d] for d in dims])
        long_rows += [(*key, "F", row["women"]), (*key, "M", row["staff"] - row["women"])]
        shown_rows += [(*key, "F", shown_row["women"]), (*key, "M", shown_row["complement"])]
    columns = ["year", *dims, "sex", "count"]
    as_table, shown = frame(columns, long_rows), frame(columns, shown_rows)
    table = protect_table(as_table, [*dims, "sex"])
    assert table.filter(pl.col("total_over") == "").get_column("count").to_list() == shown.get_column("count").to_list()
    staff_totals = table.filter(pl.col("total_over") == "sex").get_column("count").to_list()
    assert staff_totals == out.get_column("staff").to_list()
    assert recover(as_table, shown, [*dims, "sex"], hidden_totals_of(table, [*dims, "sex"])) == []


@pytest.mark.parametrize("seed", range(40))
def test_random_filtered_views_do_not_difference(seed):
    full, dims = random_table(seed)
    rng = random.Random(1000 + seed)
    # The filter keeps most people: each cell loses nobody, a few, or any number.
    kept = [max(0, n - rng.choice([0, 0, 0, 1, 2, 3, rng.randint(0, n)])) for n in full.get_column("count")]
    filtered = full.with_columns(pl.Series("count", kept, dtype=pl.Int64))
    difference = full.with_columns(pl.Series("count", [n - k for n, k in zip(full.get_column("count"), kept)], dtype=pl.Int64))
    threshold = threshold_for(dims)
    out = protect_filtered(full, filtered, dims)
    table = protect_table(filtered, dims, full=full)
    cells = table.filter(pl.col("total_over") == "").drop("total_over")
    assert_frame_equal(cells, out.select(cells.columns))
    assert_no_disclosure(out, dims)
    # Every shown cell and total: the filtered count and its difference from the full view are
    # each 0 or at least the threshold.
    for row in table.filter(~pl.col("suppressed")).iter_rows(named=True):
        assert row["count"] == source_total(filtered, row, dims)
        assert row["count"] == 0 or row["count"] >= threshold
        gap = source_total(difference, row, dims)
        assert gap == 0 or gap >= threshold, row
    # What hides behind a shown total, in the filtered view and in the difference, is 0 or >= threshold.
    assert all(h == 0 or h >= threshold for h in hidden_sums_of_shown_totals(filtered, table, dims))
    as_difference = table.with_columns(
        pl.Series("count", [None if r["suppressed"] else source_total(difference, r, dims) for r in table.iter_rows(named=True)], dtype=pl.Int64)
    )
    assert all(h == 0 or h >= threshold for h in hidden_sums_of_shown_totals(difference, as_difference, dims))
    # Neither the filtered cells nor the differences (full - filtered) can be solved for.
    hidden = hidden_totals_of(table, dims)
    assert recover(filtered, out, dims, hidden) == []
    assert recover(difference, out, dims, hidden) == []
