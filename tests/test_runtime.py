"""ui.runtime: the long-lived objects of a page's first run leave the collector's reach."""
from __future__ import annotations

import gc

from ui.runtime import freeze_after_first_run


def test_a_page_is_frozen_once_on_its_first_run():
    gc.unfreeze()
    try:
        kept = [[i] for i in range(1000)]  # long-lived containers, as a page's modules would be
        assert freeze_after_first_run("tests/first-page") is True
        frozen = gc.get_freeze_count()
        assert frozen >= len(kept)
        assert freeze_after_first_run("tests/first-page") is False
        assert gc.get_freeze_count() == frozen  # the second run froze nothing more
        assert freeze_after_first_run("tests/second-page") is True
    finally:
        gc.unfreeze()
