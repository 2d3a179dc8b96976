"""``python -m kpi bench`` runs end to end and writes well-formed figures (no timing is asserted).

On three pages (``--page``): the default page, one without the Sector filter and a workforce page, so that each
kind of measurement runs; every page runs under AppTest in the other page tests.
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

pytestmark = pytest.mark.bench
PROJECT_DIR = Path(__file__).resolve().parent.parent
PAGES = ["overview", "explorer", "workforce-gender"]


def test_bench_at_demo_size_writes_figures_for_the_pages_chosen(tmp_path):
    out = tmp_path / "out.json"
    completed = subprocess.run(
        [sys.executable, "-m", "kpi", "bench", "--scale", "1", "--runs", "2", "--json", str(out),
         *(a for p in PAGES for a in ("--page", p))],
        cwd=PROJECT_DIR, env={**os.environ}, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["runs"] == 2
    assert [s["scale"] for s in report["scales"]] == [1]
    scale = report["scales"][0]

    store = scale["store"]
    assert store["size_bytes"] > 0 and store["staff_snapshot_rows"] > 0 and store["build_seconds"] > 0
    assert "frames.load_results" in scale["frames"]
    assert all(f["first_ms"] > 0 and f["median_ms"] > 0 for f in scale["frames"].values())
    assert scale["memory"]["peak_rss_bytes"] > 0
    assert all(f["ms"] > 0 for f in scale["floors"].values())

    expected = [p.url_path for p in discover_pages() if p.url_path in PAGES]
    assert [p["url_path"] for p in scale["pages"]] == expected == PAGES
    for page in scale["pages"]:
        assert page["errors"] == [], page
        for key in ("cold_ms", "warm_ms", "warm_p90_ms", "floor_ms", "warm_over_floor", "budget_ms"):
            assert isinstance(page[key], (int, float)) and page[key] > 0, (page["url_path"], key, page[key])
        assert len(page["warm_runs_ms"]) == 2 and all(t > 0 for t in page["warm_runs_ms"])
        assert page["filter_ms"] > 0 and page["filter_applied"] is True, page
        if "sector" in page_filters(page["url_path"]):
            assert page["sector_ms"] > 0 and page["sector_applied"] is True, page
        else:  # a page that does not apply the Sector does not draw it
            assert (page["sector_ms"], page["sector_applied"]) == (None, None), page
        assert isinstance(page["within_budget"], bool)
    # The same figures are on the terminal.
    for path in expected:
        assert path in completed.stdout


def test_an_unknown_page_is_refused_with_the_list_of_pages():
    completed = subprocess.run([sys.executable, "-m", "kpi", "bench", "--page", "nowhere"], cwd=PROJECT_DIR,
                               capture_output=True, text=True, timeout=120)
    known = ", ".join(p.url_path for p in discover_pages())
    assert (completed.returncode, completed.stderr.splitlines()[-1]) == (2, f"unknown page nowhere; pages: {known}")


def test_pages_are_read_from_app_py():
    pages = discover_pages()
    assert pages[0].default and sum(p.default for p in pages) == 1
    assert {"overview", "scorecard", "explorer"} <= {p.url_path for p in pages}
    assert all((PROJECT_DIR / p.file).is_file() for p in pages)
