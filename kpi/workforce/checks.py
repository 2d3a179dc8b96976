"""The checks on workforce tables: the last check a protected table passes before it is shown
(:func:`check`), and the list of the functions that return one, for tests and audits
(:data:`PROTECTED_FUNCTIONS`).
"""
from __future__ import annotations

import polars as pl

from kpi import disclosure
from kpi.disclosure import DisclosureRule
from kpi.workforce.protection import Protected


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


#: Every public function that returns a :class:`Protected` table.
PROTECTED_FUNCTIONS: tuple[str, ...] = (
    "composition", "headcount", "over_time", "gender_split", "gender_by_grade", "parity_gap",
    "women_share_over_time", "nationality_by_region", "nationality_by_country", "member_states_coverage",
    "field_presence", "recruitment_timeline", "training_completion",
)
