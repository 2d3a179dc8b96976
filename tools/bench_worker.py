"""The pages of ``app.py`` under ``streamlit.testing.v1.AppTest``: the worker of ``python -m kpi bench``.

``tools.bench`` builds the stores, starts ``python -m tools.bench_worker --worker ...`` once per scale (a
fresh process: clean memory figures, cold caches) and formats what it writes. This module is the part
that drives Streamlit (it serves no page, so it is tooling beside ``tools.bench``, not a ``ui`` helper): the
cold first run, the warm reruns and the filter-change reruns of each page, the post-script garbage collection
Streamlit's server runs, and optional pyinstrument profiles.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

from tools.bench import (
    APP_PATH,
    DEFAULT_RUNS,
    FILTER_LABELS,
    YEAR,
    PageSpec,
    _median_ms,
    _ms,
    budget_ms,
    discover_pages,
    floor_kind,
    floors,
    peak_rss_bytes,
    percentile,
    proc_memory,
    staff_frame,
    time_loaders,
)
from kpi.config import DATABASE_URL_ENV
from ui.filters import page_filters


# ---------------------------------------------------------------- the pages on the server (one process per scale)


#: The benchmark signs in as the demo administrator: every page, data management and roles included, is open.
BENCH_IDENTITY = "admin@demo.invalid"


def _app_test():
    from streamlit.testing.v1 import AppTest

    from ui.auth import sign_in_apptest
    from ui.demo_provider import grant_demo_roles

    _run_app_py_on_every_rerun()
    grant_demo_roles()  # idempotent: the bench store gets the demo accounts' roles once
    return sign_in_apptest(AppTest.from_file(str(APP_PATH), default_timeout=900), BENCH_IDENTITY)


def _run_app_py_on_every_rerun() -> None:
    """Make AppTest rerun ``app.py`` (navigation, filters, then the page) as the server does.

    AppTest resets ``PagesManager.uses_pages_directory`` before every run, and since the project has
    a ``pages/`` folder, every run after the first then takes Streamlit's old multipage path and
    executes the page file alone, skipping ``app.py`` (its sidebar filters, its data-version read).
    The server sets the flag to False for good at the first ``st.navigation`` call; so does this
    benchmark process (only this process: it patches nothing on disk).
    """
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "_rbm_bench_patched", False):
        return
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    PagesManager._rbm_bench_patched = True


def _drop_bare_mode_warnings() -> None:
    """Drop Streamlit's "missing ScriptRunContext" warnings (the benchmark reads state outside a run)."""
    import logging

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())


def _clear_caches() -> None:
    import logging

    import streamlit as st

    logging.disable(logging.WARNING)  # clearing outside a script run warns "missing ScriptRunContext"
    try:
        st.cache_resource.clear()
        st.cache_data.clear()
    finally:
        logging.disable(logging.NOTSET)


def _errors(at) -> list[str]:
    return [str(e.value)[:500] for e in at.exception]


def _post_script_gc() -> float:
    """The full garbage collection the server runs after every script run (seconds; 0 when turned off).

    ``ScriptRunner._on_script_finished`` calls ``gc.collect(2)`` when the (hidden) option
    ``runner.postScriptGC`` is on, its default; AppTest's runner does not, so the benchmark does it.
    The browser hears that the run ended only after it, and every session waits for it.
    """
    import gc

    from streamlit import config

    # `streamlit run` also reads the option from the environment (click's STREAMLIT_ prefix); AppTest
    # reads config.toml only, so the variable is honoured here by hand.
    env = os.environ.get("STREAMLIT_RUNNER_POST_SCRIPT_GC")
    enabled = env.strip().lower() in ("1", "true", "yes") if env else config.get_option("runner.postScriptGC")
    if not enabled:
        return 0.0
    started = time.perf_counter()
    gc.collect(2)
    return time.perf_counter() - started


def _timed_run(at) -> float:
    """One run as the server does it: the script, then the post-script collection (seconds)."""
    return sum(_timed_run_parts(at))


def _timed_run_parts(at) -> tuple[float, float]:
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started, _post_script_gc()


def measure_page(page: PageSpec, runs: int, profile_dir: Path | None = None, scale: int = 1) -> dict[str, Any]:
    """Cold first run, warm reruns and filter-change reruns of one page under AppTest.

    Every run is timed as the server does it: ``app.py`` and the page, then the post-script
    garbage collection (reported apart as ``gc_ms``).
    """
    result: dict[str, Any] = {"page": page.file, "url_path": page.url_path, "title": page.title, "errors": []}
    try:
        at = _app_test()
        at.run()  # registers the navigation (st.switch_page needs it)
        boxes = {b.label: b for b in at.sidebar.selectbox if b.label in FILTER_LABELS.values()}
        _clear_caches()
        if not page.default:
            at.switch_page(page.file)
        result["cold_ms"] = _ms(_timed_run(at))
        result["errors"] = _errors(at)
        _timed_run(at)  # warm-up
        parts = [_timed_run_parts(at) for _ in range(max(1, runs))]
        warm = [_ms(script + gc) for script, gc in parts]
        result.update(warm_ms=round(statistics.median(warm), 2), warm_runs_ms=warm,
                      warm_p90_ms=round(percentile(warm, 90), 2),
                      script_ms=round(statistics.median(_ms(script) for script, _ in parts), 2),
                      gc_ms=round(statistics.median(_ms(gc) for _, gc in parts), 2))
        # Filter changes: the year, each run a year not seen yet (nothing cached can answer), then the
        # Sector, each run another Sector (new ones first), as a user would in the sidebar.
        from kpi.dimensions import SECTOR_CODES

        changes = {"filter": ("year", [YEAR - 1 - i for i in range(max(1, runs))]),
                   "sector": ("sector", [SECTOR_CODES[i % len(SECTOR_CODES)] for i in range(max(1, runs))])}
        for name, (field, values) in changes.items():
            if field not in page_filters(page.url_path):  # the page does not draw it: nothing to measure
                result.update({f"{name}_ms": None, f"{name}_runs_ms": [], f"{name}_applied": None})
                continue
            box = boxes.get(FILTER_LABELS[field])
            changed, applied = [], box is not None
            for value in values if box is not None else []:
                changed.append(_ms(_change_widget(at, box, value)))
                applied = applied and _filter_value(at, field) == value
            result.update({f"{name}_ms": round(statistics.median(changed), 2) if changed else None,
                           f"{name}_runs_ms": changed, f"{name}_applied": applied})
        result["errors"] = sorted(set(result["errors"] + _errors(at)))
        if profile_dir is not None:
            result["profiles"] = profile_page(page, runs, profile_dir, scale)
    except Exception as error:  # noqa: BLE001 - a broken page is reported, not fatal to the benchmark
        result["errors"].append(f"{type(error).__name__}: {error}")
    return result


#: The profiler of the script runs being profiled (started and stopped in the script's thread).
_PROFILER: list = []


def _profile_script_runs() -> None:
    """Wrap Streamlit's script runs so that :data:`_PROFILER`, when set, records them (in their thread)."""
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    if getattr(ScriptRunner, "_rbm_bench_profiled", False):
        return
    original = ScriptRunner._run_script

    def run_script(self, *args, **kwargs):
        if not _PROFILER:
            return original(self, *args, **kwargs)
        profiler = _PROFILER[0]
        profiler.start()
        try:
            return original(self, *args, **kwargs)
        finally:
            profiler.stop()

    ScriptRunner._run_script = run_script
    ScriptRunner._rbm_bench_profiled = True


def profile_page(page: PageSpec, runs: int, directory: Path, scale: int) -> dict[str, str]:
    """Profiles (pyinstrument, text) of the page's cold run and of ``runs`` warm reruns (the scripts;
    the post-script garbage collection is measured apart)."""
    try:
        from pyinstrument import Profiler
    except ImportError as error:  # not a requirement of the project: pip install pyinstrument
        raise RuntimeError("--profile needs pyinstrument (pip install pyinstrument)") from error
    _profile_script_runs()
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    at = _app_test()
    at.run()
    _clear_caches()
    if not page.default:
        at.switch_page(page.file)
    for kind, repeat in (("cold", 1), ("warm", max(1, runs))):
        if kind == "warm":
            at.run()  # warm-up
        profiler = Profiler(interval=0.001)
        _PROFILER.append(profiler)
        try:
            for _ in range(repeat):
                at.run()
        finally:
            _PROFILER.clear()
        path = directory / f"x{scale}-{page.url_path}-{kind}.txt"
        path.write_text(f"{page.file} at {scale}x, {kind} run{'s' if repeat > 1 else ''} ({repeat})\n"
                        + profiler.output_text(unicode=True, color=False, show_all=False))
        written[kind] = str(path)
    return written


def _change_widget(at, widget, value) -> float:
    """Set a sidebar selectbox to ``value`` and rerun (seconds, with the post-script collection).

    ``widget`` is the element as an earlier run drew it; the current tree's sidebar selectbox of the
    same label is used when the tree has one, else its widget state is added to the tree's (private AppTest API).
    """
    current = next((w for w in at.sidebar.selectbox if w.label == widget.label), None)
    if current is not None:
        current.set_value(value)
        return _timed_run(at)
    widget.set_value(value)
    states = at._tree.get_widget_states()
    kept = [w for w in states.widgets if w.id != widget.id]
    del states.widgets[:]
    states.widgets.extend([*kept, widget._widget_state])
    started = time.perf_counter()
    at._run(states)
    return time.perf_counter() - started + _post_script_gc()


def _filter_value(at, key: str):
    """The value of global filter ``key`` the app computed in the last run (None if unknown)."""
    try:
        return getattr(at.session_state["filters"], key)
    except (KeyError, AttributeError):
        return None


def measure_scale(url: str, scale: int, runs: int, log: Callable[[str], None] = print,
                  profile_dir: Path | None = None, only: list[str] | None = None) -> dict[str, Any]:
    """Every measurement of one store, in this process (run it in a fresh one: ``--worker``); on every page, or
    on those whose url path is in ``only``."""
    os.environ[DATABASE_URL_ENV] = url
    from streamlit.logger import set_log_level

    from kpi.store.engine import make_engine

    set_log_level("error")
    _drop_bare_mode_warnings()

    engine = make_engine(url)
    log(f"x{scale}: loading frames...")
    loaders, loaded = time_loaders(engine, runs)
    results = next(v for k, v in loaded.items() if k.endswith(".load_results"))
    staff_source, staff, staff_read_ms = staff_frame(engine, loaded)
    engine.dispose()
    floor_figures = {}
    for kind, (what, fn) in floors(results, staff).items():
        median, times = _median_ms(fn, max(runs, 5))
        floor_figures[kind] = {"what": what, "ms": median, "runs_ms": times}
    pages = [p for p in discover_pages() if not only or p.url_path in only]
    log(f"x{scale}: {len(pages)} pages: " + ", ".join(p.url_path for p in pages))
    first = _app_test()
    process_first_run = _timed_run(first)  # imports, frames, the default page
    for page in pages:  # import every page's modules once, so a cold run measures caches, not imports
        if not page.default:
            first.switch_page(page.file)
        first.run()
    measured = []
    for page in pages:
        log(f"x{scale}: {page.url_path}...")
        figures = measure_page(page, runs, profile_dir, scale)
        kind = floor_kind(page)
        floor_ms = floor_figures[kind]["ms"]
        figures.update(floor=kind, floor_ms=floor_ms, budget_ms=budget_ms(scale))
        if figures.get("warm_ms") is not None:
            figures["warm_over_floor"] = round(figures["warm_ms"] / max(floor_ms, 0.01), 1)
            figures["within_budget"] = figures["warm_ms"] <= figures["budget_ms"]
        measured.append(figures)
    return {
        "scale": scale, "url": url, "runs": runs,
        "frames": loaders,
        "staff_frame": {"source": staff_source, "rows": staff.height, "read_ms": staff_read_ms,
                        "estimated_bytes": int(staff.estimated_size())},
        "floors": floor_figures,
        "process_first_run_ms": _ms(process_first_run),
        "pages": measured,
        "memory": {"peak_rss_bytes": peak_rss_bytes(), **{k: v for k, v in proc_memory().items()
                                                          if k == "rss_bytes"}},
    }


def _worker(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_worker")
    parser.add_argument("--worker", action="store_true", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    parser.add_argument("--out", required=True)
    parser.add_argument("--profile")
    parser.add_argument("--page", action="append")
    args = parser.parse_args(argv)
    figures = measure_scale(args.url, args.scale, args.runs, log=lambda s: print(s, file=sys.stderr, flush=True),
                            profile_dir=Path(args.profile) if args.profile else None, only=args.page)
    Path(args.out).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(_worker(sys.argv[1:]))
