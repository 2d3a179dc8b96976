"""``scripts/browser_latency.py`` drives the real app in Chromium and writes well-formed figures.

Scale 1, two repetitions, one extra session for the memory figure, on three pages (``--page``): the default
page, a page without the Sector filter and a workforce page, so that each kind of measurement runs; the
other pages are opened in Chromium by the other browser tests. No timing is asserted.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools.bench import discover_pages
from ui.filters import page_filters

pytestmark = pytest.mark.browser
PROJECT_DIR = Path(__file__).resolve().parent.parent
#: The default page, one that does not draw the Sector (no Sector change is measured) and a workforce page.
PAGES = ["overview", "explorer", "workforce-gender"]


def test_browser_latency_at_demo_size(demo_store_url, tmp_path):
    out = tmp_path / "latency.json"
    completed = subprocess.run(
        [sys.executable, "scripts/browser_latency.py", "--scale", "1", "--reps", "2", "--sessions", "1",
         "--store-url", demo_store_url, "--json", str(out), *(a for p in PAGES for a in ("--page", p))],
        cwd=PROJECT_DIR, env={**os.environ}, capture_output=True, text=True, timeout=1200,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["reps"] == 2
    (result,) = report["scales"]
    assert result["scale"] == 1 and result["first_load_ms"] > 0
    assert [p["url_path"] for p in result["pages"]] == [p.url_path for p in discover_pages() if p.url_path in PAGES]
    for page in result["pages"]:
        assert page["errors"] == [], page
        # The Sector is changed where the page draws it (ui.filters.page_filters); elsewhere nothing is measured.
        sector = ("sector_change",) if "sector" in page_filters(page["url_path"]) else ()
        if not sector:
            assert page["sector_change_ms"] == [] and page["sector_change"]["n"] == 0, page
        for measure in ("render", "switch", "year_change", *sector):
            values = page[f"{measure}_ms"]
            assert len(values) == 2 and all(v > 0 for v in values), (page["url_path"], measure, values)
            s = page[measure]
            assert s["n"] == 2 and 0 < s["min_ms"] <= s["median_ms"] <= s["p90_ms"] <= s["max_ms"]
    memory = result["memory"]
    assert memory["one_session"]["rss_bytes"] > 0
    assert memory["sessions"]["sessions"] == 1 and memory["sessions"]["rss_bytes"] > 0


def test_an_unknown_page_is_refused_with_the_list_of_pages():
    completed = subprocess.run([sys.executable, "scripts/browser_latency.py", "--page", "nowhere"],
                               cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 2
    known = ", ".join(p.url_path for p in discover_pages())
    assert completed.stderr.splitlines()[-1] == (
        f"browser_latency.py: error: unknown page nowhere; pages: {known}")
