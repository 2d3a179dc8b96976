"""A column computed by a Python function, row by row, in the calling thread.

Polars' ``map_elements`` runs the function in Polars' own thread pool, whose workers must take the GIL. A
server runs many sessions' scripts at once, and Polars' ``to_pandas`` (which ``st.dataframe`` calls) holds the
GIL while it waits for that pool: ten sessions opening the Results chain page together deadlocked the whole
server (``py-spy dump --native``: both pool workers waiting for the GIL, a script thread in ``to_pandas``
holding it and waiting for them; Polars issue 26821 reports the same with ``to_numpy``). The tables these
functions label are small, so the function runs here, on a list, and nothing in the pool needs the GIL.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl


def python_column(frame: pl.DataFrame, columns: str | Sequence[str], function: Callable[[Any], Any], name: str,
                  dtype: pl.DataType) -> pl.Series:
    """``function`` of each row of ``frame``, as a Series named ``name``: of the value of ``columns`` when it is
    one column name (null stays null, as with ``map_elements``), else of a dict of those columns' values."""
    if isinstance(columns, str):
        values = [None if v is None else function(v) for v in frame.get_column(columns).to_list()]
    else:
        values = [function(row) for row in frame.select(columns).iter_rows(named=True)]
    return pl.Series(name, values, dtype=dtype)
