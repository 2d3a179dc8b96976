"""The audited space: every view's audit over pages x years x selections (:func:`audit_space`) and
``python -m kpi audit`` (:func:`audit_command`)."""
from __future__ import annotations

from collections.abc import Sequence

from kpi import workforce as wf
from kpi.disclosure_audit import Finding
from kpi.workforce_pages.pages import PAGES
from kpi.workforce_pages.protector import PageProtector
from kpi.workforce_pages.records import load_records
from kpi.workforce_pages.selections import audited_selections


def audit_space(protector: PageProtector, years: Sequence[int], selections: Sequence[wf.Selection],
                pages: Sequence[str] = tuple(PAGES)) -> list[Finding]:
    """Every finding of :meth:`PageProtector.audit` over ``pages`` x ``years`` x ``selections`` (each view
    beside each view one filter wider)."""
    findings: list[Finding] = []
    for page in pages:
        for year in years:
            for selection in selections:
                findings += protector.audit(page, year, selection)
    return findings


def audit_command(*, years: int, pages: Sequence[str], combinations: bool) -> int:
    """``python -m kpi audit``: audit the store's workforce pages, print the findings and the figures."""
    import time

    from kpi.store.engine import make_engine

    engine = make_engine()
    records = load_records(engine)
    engine.dispose()
    protector = PageProtector(records)
    latest = wf.staff_years(records.staff)[-years:]
    selections = audited_selections(records, combinations=combinations)
    total = 0
    for page in pages:
        started = time.perf_counter()
        findings = audit_space(protector, latest, selections, [page])
        total += len(findings)
        print(f"{page}: {len(selections)} selections x {len(latest)} years, {len(findings)} findings, "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        for finding in findings:
            print(f"  {finding}")
    return 1 if total else 0
