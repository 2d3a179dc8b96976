"""The workforce pages as sets of published numbers, protected together: a page, not a table.

Each workforce page shows several tables of the same people (a total, its split by location, a
grade-by-gender pyramid, a chart by Sector...). Protecting each table on its own (:mod:`kpi.workforce`)
leaves the page open: Field presence showed 64 staff in the regional offices, four regions and the
one office of the fifth, so the hidden region was their difference. Here a page is protected whole:

1. :func:`page_tables` computes every table a page can show for one year and one selection, each
   protected on its own (primary, complementary and differencing suppression, :mod:`kpi.workforce`),
   including every option of the page's "By" controls and the finer grouping a user may ask for.
2. Every number of those tables becomes a linear constraint on the counts of a grid of base cells
   (:mod:`kpi.disclosure_audit`): a shown count says "these cells add up to 12", a hidden one what
   its label says ("fewer than 5": 1 to 4). A number a reader can infer, an empty bar (0), is one too.
3. :func:`kpi.disclosure_audit.secure` hides more numbers until the linear program pins nothing
   down, for the page alone and beside each *wider* view (the same page with one filter widened:
   a Sector against all Sectors, an office against all regional offices, P against Professional
   and higher), as those views are themselves published. Views are protected from the widest down,
   so a view's protection never depends on a narrower one, and the same page-year is the same
   wherever it is shown (trend charts take each year from its own page-year).

:class:`PageProtector` does this with a cache per page, year and selection; the pages read their
tables from :meth:`PageProtector.view`. :meth:`PageProtector.audit` re-runs the audit over a view
and its wider neighbours, and with ``secured=False`` over the tables as protected one by one (what
the pages showed before), which is how the test suite shows the audit finds the old leaks.

What is not a count of people is outside the linear program, and said so: the number of Member States
with nationals on staff (it follows from the map's zeros, which are in it); recruitment timelines'
mean days (shown only where their count is, about vacancies rather than people).

One module for each job; ``from kpi import workforce_pages as wp`` still gives every public name:

- :mod:`kpi.workforce_pages.records`: the records the pages are computed from (:class:`Records`, :func:`load_records`);
- :mod:`kpi.workforce_pages.pages`: each page's tables, protected one by one (:data:`PAGES`, :func:`page_tables`);
- :mod:`kpi.workforce_pages.selections`: the views one filter wider and narrower, and the audited selections;
- :mod:`kpi.workforce_pages.numbers`: a page's numbers as constraints, and the families and grids they are about;
- :mod:`kpi.workforce_pages.program`: the numbers as a linear program over base cells, each cell's true count;
- :mod:`kpi.workforce_pages.hiding`: hiding more in the tables, ranges of ten, derivable counts shown again;
- :mod:`kpi.workforce_pages.protector`: :class:`PageProtector` and its kept views (:func:`kept_views`);
- :mod:`kpi.workforce_pages.breakdown`: the computed E1 indicators' breakdowns (:func:`indicator_breakdown`);
- :mod:`kpi.workforce_pages.auditing`: the audited space (:func:`audit_space`) and ``python -m kpi audit``.
"""
from __future__ import annotations

from kpi.workforce_pages.auditing import audit_command, audit_space
from kpi.workforce_pages.breakdown import INDICATOR_BREAKDOWNS, Breakdown, indicator_breakdown
from kpi.workforce_pages.hiding import RANGED_FROM, RANGED_TABLES
from kpi.workforce_pages.numbers import FAMILY_COLUMNS, Predicate, families
from kpi.workforce_pages.pages import (
    GAP_BY, GROUPING_NAMES, PAGE_TITLES, PAGES, PYRAMID_LEVELS, RECRUITMENT_LEVELS, TREND_BY, TREND_TABLES, grouping,
    page_tables,
)
from kpi.workforce_pages.protector import PROTECTING_CODE, PageProtector, PageYear, kept_views
from kpi.workforce_pages.records import Records, load_records
from kpi.workforce_pages.selections import audited_selections, narrower, wider

__all__ = [
    "FAMILY_COLUMNS", "GAP_BY", "GROUPING_NAMES", "INDICATOR_BREAKDOWNS", "PAGES", "PAGE_TITLES", "PROTECTING_CODE",
    "PYRAMID_LEVELS", "RANGED_FROM", "RANGED_TABLES", "RECRUITMENT_LEVELS", "TREND_BY", "TREND_TABLES", "Breakdown",
    "PageProtector", "PageYear", "Predicate", "Records", "audit_command", "audit_space", "audited_selections",
    "families", "grouping", "indicator_breakdown", "kept_views", "load_records", "narrower", "page_tables", "wider",
]
