"""The workforce: composition, gender balance, geographical distribution and field presence.

Pure Polars (no Streamlit): the staff frame in (one row per staff member and year, from
:func:`prepare_staff`), protected aggregate tables out (:class:`Protected`). Every count a page
can show, plot, put in a hover text, a map or a download comes out of :func:`kpi.disclosure`
here, before it leaves this package:

* **Thresholds.** No count from 1 to 4; from 1 to 9 where nationality is involved
  (:func:`kpi.disclosure.threshold_for`, whose docstring says why the number of crossed
  dimensions does not matter). A view's dimensions are its own plus every filter that narrows its
  population, minus the dimensions implied by another one (the location of a duty station, the
  category of a grade, the Sector of a unit: :data:`dims.IMPLIED_BY`).
* **Primary and complementary suppression, totals included** (:func:`kpi.disclosure.protect_table`).
* **Differencing.** A filtered view is compared with every wider view the filters allow (drop
  any subset of the filters): each is protected with :func:`kpi.disclosure.protect_filtered`
  semantics and the suppressions are united (hiding more never reveals more). A view whose
  total differs from a wider view's by 1 to threshold - 1 people, or counts 1 to threshold - 1
  people, is hidden whole for that year (:data:`VIEW`).
* **Slices.** A filter on a dimension the table shows (gender on a grade x gender pyramid, a
  duty station on the table by duty station) selects rows of the protected whole table instead.
* **Shares** (share of women, of staff who completed training) are computed from protected
  counts only, and only where both sides and the total are shown.

The unprotected figures (:func:`tally`, :func:`women_share`, :func:`training_share`, :func:`mean_days`)
are the group-bys those tables start from, before any suppression. No page shows them: they are here so
that :mod:`kpi.enablers` stores the Union's headline of E1.WOMEN_P, E1.TRAIN and E1.RECRUIT from the very
computation the pages protect (one source for each figure), not from a twin that agrees by care.

Suppressed cells have a null count and a ``display`` text: ``"fewer than 5"`` (or 10) or
``"hidden"``; never 0 and never blank.

One module for each job; ``from kpi import workforce as wf`` still gives every public name:

- :mod:`kpi.workforce.vocabulary`: a view's filters (:class:`Selection`), what they test, labels and order;
- :mod:`kpi.workforce.prepare`: the staff and recruitment frames as the pages use them;
- :mod:`kpi.workforce.figures`: the unprotected figures (:func:`tally`, :func:`women_share`...);
- :mod:`kpi.workforce.protection`: the protection core and the :class:`Protected` table;
- :mod:`kpi.workforce.tables`: the protected tables the pages show (:func:`composition`, :func:`gender_split`...);
- :mod:`kpi.workforce.reading`: what the pages read off a table (:func:`cells`, :func:`readable`...);
- :mod:`kpi.workforce.checks`: :func:`check` and :data:`PROTECTED_FUNCTIONS`.
"""
from __future__ import annotations

from kpi.workforce.checks import PROTECTED_FUNCTIONS, check
from kpi.workforce.figures import in_selection, mean_days, share_of, tally, training_share, women_share
from kpi.workforce.prepare import (
    indicator_targets, prepare_recruitment, prepare_staff, selected_vacancies, staff_years, with_grades,
    with_training,
)
from kpi.workforce.protection import VIEW, Protected
from kpi.workforce.reading import cells, headline_figures, readable, totals
from kpi.workforce.tables import (
    composition, field_presence, gender_by_grade, gender_split, headcount, member_states_coverage,
    nationality_by_country, nationality_by_region, over_time, parity_columns, parity_gap, recruitment_timeline,
    share_columns, training_completion, women_share_over_time,
)
from kpi.workforce.vocabulary import Selection, filter_expr, filter_target, label_of

__all__ = [
    "PROTECTED_FUNCTIONS", "VIEW", "Protected", "Selection", "cells", "check", "composition", "field_presence",
    "filter_expr", "filter_target", "gender_by_grade", "gender_split", "headcount", "headline_figures",
    "in_selection", "indicator_targets", "label_of", "mean_days", "member_states_coverage",
    "nationality_by_country", "nationality_by_region", "over_time", "parity_columns", "parity_gap",
    "prepare_recruitment", "prepare_staff", "readable", "recruitment_timeline", "selected_vacancies",
    "share_columns", "share_of", "staff_years", "tally", "totals", "training_completion", "training_share",
    "with_grades", "with_training", "women_share", "women_share_over_time",
]
