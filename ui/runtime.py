"""Process-wide tuning of the Streamlit server.

Streamlit runs a full garbage collection after every script run (``runner.postScriptGC``, on by
default), and a full collection visits every container object the process tracks. Almost all of them
are long-lived: the modules that Streamlit, Plotly and Polars import, Plotly's property validators,
the pages' own modules. Measured with ``python -m kpi bench`` at demo size, that collection took
90-140 ms after each rerun, more than the script itself (40-100 ms).

:func:`freeze_after_first_run` moves what is alive after a page's first run in this process into the
collector's permanent generation (:func:`gc.freeze`), so that the collection after each later run
only visits what that run created (under a millisecond). Reference counting still frees frozen
objects that go out of use; only reference cycles among them would be kept, and they are the
modules and validators a server keeps anyway.
"""
from __future__ import annotations

import gc
import threading

_frozen_pages: set[str] = set()
_lock = threading.Lock()


def freeze_after_first_run(page: str) -> bool:
    """After the first run of ``page`` in this process, collect once and freeze the survivors.

    Returns True when this call froze (the page's first run), False afterwards. Safe to call from
    several sessions' script threads at once.
    """
    with _lock:
        if page in _frozen_pages:
            return False
        _frozen_pages.add(page)
    collect_and_freeze()
    return True


def collect_and_freeze() -> None:
    """Collect once and freeze the survivors. ``ui.serve`` does it before the server takes sessions, so that the
    collection after a page's first run (:func:`freeze_after_first_run`) visits only what was made since, instead
    of every module, validator and class of Streamlit, Plotly, Polars and pandas (the first visitor waited)."""
    gc.collect()
    gc.freeze()
