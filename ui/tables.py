"""Column settings of the management and results-chain tables: every column under its human label
(:data:`kpi.dimensions.COLUMN_LABELS`, the one set of labels), money, years, progress and flags shown as such."""
from __future__ import annotations

import streamlit as st

from kpi.dimensions import COLUMN_LABELS

#: Columns holding Swiss francs, shown with thousands separators.
MONEY_COLUMNS = ("planned_chf", "actual_chf", "resources_chf")
#: Columns holding a share of 100, shown as a bar.
PROGRESS_COLUMNS = ("progress_pct", "mean_progress_pct")


def column_config(**overrides) -> dict:
    """``st.dataframe``'s ``column_config``: each known column under its label, typed where its values are money
    (CHF), a year, a progress or a yes/no flag; ``overrides`` replace a column's setting (a label that says more,
    "Status 2025", or None to hide it)."""
    label = COLUMN_LABELS.__getitem__
    config: dict = dict(COLUMN_LABELS)
    config |= {c: st.column_config.NumberColumn(label(c), format="localized") for c in MONEY_COLUMNS}
    config |= {c: st.column_config.ProgressColumn(label(c), min_value=0, max_value=100, format="%.0f %%")
               for c in PROGRESS_COLUMNS}
    config |= {"year": st.column_config.NumberColumn(label("year"), format="%d"),
               "execution_pct": st.column_config.NumberColumn(label("execution_pct"), format="%.1f"),
               "overdue": st.column_config.CheckboxColumn(label("overdue"))}
    return config | overrides
