"""Import and export of records as CSV or XLSX files, with validation, audit trail and approval.

    from kpi.transfer import KINDS, run_import, run_export

    result = run_import(engine, "observations", "values.csv", user="alice", dry_run=True)
    result.summary()            # "would add 3, change 1, leave 10 unchanged"
    [str(p) for p in result.problems]
    run_export(engine, "observations", "values.xlsx")

- :mod:`kpi.transfer.kinds`: the registry of kinds (columns, natural keys, models);
- :mod:`kpi.transfer.reading`: CSV and XLSX files to text cells;
- :mod:`kpi.transfer.importing`: validate all, then write all or nothing, with the change log;
- :mod:`kpi.transfer.exporting`: the same columns out again (a round trip);
- :mod:`kpi.transfer.approval`: validate and reopen a year's values, and a value's history;
- :mod:`kpi.transfer.templates`: the documented templates of ``data/templates``.
"""
from __future__ import annotations

import importlib

#: Public name -> module that defines it (imported on first use: the command line's parser
#: needs only the kinds, not Polars and the writers).
_EXPORTS = {
    "KINDS": "kinds", "get_kind": "kinds", "disaggregation_key": "kinds",
    "Problem": "problems",
    "ImportResult": "importing", "run_import": "importing",
    "run_export": "exporting", "export_frame": "exporting",
    "validate_period": "approval", "reopen_period": "approval", "value_history": "approval",
    "import_batches": "approval",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kpi.transfer' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"kpi.transfer.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value
