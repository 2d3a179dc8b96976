"""``python -m kpi bench``: how fast the pages are at 1, 10 and 100 times the demo size.

For each scale N the benchmark builds (or reuses) a SQLite store at N times the demo size under
``.bench/`` (keyed by N, the demo seed and the schema revision: the 100x store takes minutes to
build), then, in a fresh Python process per scale:

* times the frame loaders the pages use (``kpi.store.frames.load_results`` and every other
  ``load_*(engine)`` loader, such as the workforce one);
* runs every page of ``app.py``'s navigation (read from ``app.py``'s source, not listed here) with
  ``streamlit.testing.v1.AppTest``: the *cold* run is the page's first run with the Streamlit caches
  cleared (so it includes loading the frames; modules are already imported, as in a server that has
  served one session), the *warm* run is the median of K reruns after a warm-up, then K reruns after
  a change of the sidebar's year filter (a year not seen before) and K after a change of its Sector;
* times every run as the server does it: ``app.py`` and the page, then the full garbage collection
  Streamlit's server runs after each script run (``runner.postScriptGC``, on by default; AppTest
  skips it), reported apart;
* times the *floor*: the same aggregation done directly on the frames (the status computation for
  the results pages, one indicator's view for the explorer, a group-by of the staff frame for the
  workforce pages), and the ratio page/floor: how much of a rerun is the page's own overhead;
* reads the peak memory of that process (``ru_maxrss``).

It prints a table per scale and writes the same figures as JSON with ``--json FILE``;
``--profile DIR`` also writes pyinstrument profiles of each page's cold run and warm reruns. The
budgets (DESIGN.md, "Performance budgets") are a warm rerun under 150 ms at demo size and under
500 ms at 100x; the table marks the pages over budget. Timings are never asserted by tests.

The pages are run by ``tools/bench_worker.py`` in a process of its own: this module does not import
Streamlit, so ``python -m kpi init`` and the other commands (whose parser reads this module's options) do not
pay for it. It is measurement tooling, not the product: it lives in ``tools/``, outside the ``kpi`` package, and
``kpi.cli`` imports it only for the ``bench`` command. ``python -m tools.bench`` runs the same command.
"""
from __future__ import annotations

import argparse
import ast
import dataclasses
import datetime as dt
import inspect
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from kpi.config import CURRENT_CYCLE, DATABASE_URL_ENV, DEMO_SEED, LATEST_REPORTING_YEAR, PROJECT_DIR

APP_PATH = PROJECT_DIR / "app.py"
CACHE_DIR = PROJECT_DIR / ".bench"
CACHE_DIR_ENV = "RBM_BENCH_DIR"
DEFAULT_SCALES = (1, 10, 100)
DEFAULT_RUNS = 5
#: The filter values the pages are benchmarked with (the app's defaults).
CYCLE = CURRENT_CYCLE
YEAR = LATEST_REPORTING_YEAR
#: Warm rerun budgets of DESIGN.md, in milliseconds: 150 at demo size, 500 at 100x (and above 1x).
BUDGET_DEMO_MS = 150.0
BUDGET_LARGE_MS = 500.0
#: Modules whose ``load_*(engine)`` functions are the frame loaders of the pages.
LOADER_MODULES = ("kpi.store.frames", "kpi.store.workforce", "kpi.workforce")
#: The sidebar's global filters the benchmark changes: field of ``ui.filters.Filters`` -> widget label.
FILTER_LABELS = {"year": "Year", "sector": "Sector"}  # as ui.filters labels them (YEAR_LABEL)
#: Words in a page's file or URL path that make it a workforce page (its floor is the staff group-by).
WORKFORCE_WORDS = ("workforce", "staff", "gender", "grade", "geograph", "people", "hr")
#: The worker that runs the pages under AppTest, one fresh process per scale (``tools/bench_worker.py``): it
#: drives Streamlit, so it runs apart; this module only starts it and reads its figures.
WORKER_MODULE = "tools.bench_worker"


def budget_ms(scale: int) -> float:
    """The warm rerun budget at ``scale`` (DESIGN.md gives 1x and 100x; above 1x the larger one)."""
    return BUDGET_DEMO_MS if scale <= 1 else BUDGET_LARGE_MS


# ---------------------------------------------------------------- stores


def cache_dir() -> Path:
    """Where the benchmark stores live (``RBM_BENCH_DIR`` or ``.bench/`` in the project)."""
    return Path(os.environ.get(CACHE_DIR_ENV) or CACHE_DIR)


def schema_revision() -> str:
    """The newest schema revision (part of a cached store's key)."""
    from kpi.store import migrate

    return migrate.head_revision()


def store_path(scale: int, seed: int = DEMO_SEED, directory: Path | None = None) -> Path:
    """The cached store of ``scale`` (keyed by scale, demo seed and schema revision)."""
    return (directory or cache_dir()) / f"store-x{scale}-seed{seed}-rev{schema_revision()}.sqlite"


def sqlite_bytes(path: Path) -> int:
    """Bytes of a SQLite store on disk: the file and its write-ahead log."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def _count(engine, table: str) -> int:
    from sqlalchemy import text

    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() or 0)


def _checkpoint(engine) -> None:
    from sqlalchemy import text

    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def ensure_store(scale: int, *, seed: int = DEMO_SEED, directory: Path | None = None, rebuild: bool = False,
                 log: Callable[[str], None] = print) -> dict[str, Any]:
    """Build the store of ``scale`` unless a cached one exists; return what it is and how it was built.

    A new store is built under a temporary name and renamed when complete, so an interrupted build
    never leaves a half store behind. A cached store is brought up to date with ``initialise``
    (a no-op unless the reference data changed), as ``python -m kpi init`` would.
    """
    from kpi.bootstrap import initialise
    from kpi.store.engine import make_engine

    path = store_path(scale, seed, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    sidecar = path.with_suffix(".json")
    if rebuild:
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), sidecar):
            p.unlink(missing_ok=True)
    info: dict[str, Any]
    if path.exists() and sidecar.exists():
        info = json.loads(sidecar.read_text())
        started = time.perf_counter()
        engine = make_engine(f"sqlite:///{path}")
        report = initialise(engine, demo=True, scale=scale, seed=seed)
        _checkpoint(engine)
        engine.dispose()
        info.update(reused=True, refresh_seconds=round(time.perf_counter() - started, 3),
                    reference_reloaded=report.reference_loaded)
        log(f"store x{scale}: reusing {path} (built in {info['build_seconds']:.1f} s)")
    else:
        log(f"store x{scale}: building {path} (the 100x store takes minutes)...")
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        started = time.perf_counter()
        engine = make_engine(f"sqlite:///{partial}")
        try:
            report = initialise(engine, demo=True, scale=scale, seed=seed)
            _checkpoint(engine)
            took = time.perf_counter() - started
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        finally:
            engine.dispose()
            for suffix in ("-wal", "-shm"):
                Path(f"{partial}{suffix}").unlink(missing_ok=True)
        os.replace(partial, path)
        info = {"scale": scale, "seed": seed, "schema_revision": report.revision, "build_seconds": round(took, 3),
                "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "demo_rows": report.demo_rows,
                "peak_rss_bytes_of_builder": peak_rss_bytes()}
        sidecar.write_text(json.dumps(info, indent=2))
        info.update(reused=False, refresh_seconds=0.0, reference_reloaded=True)
        log(f"store x{scale}: built in {took:.1f} s")
    engine = make_engine(f"sqlite:///{path}")
    info.update(path=str(path), url=f"sqlite:///{path}", size_bytes=sqlite_bytes(path),
                staff_snapshot_rows=_count(engine, "staff_snapshot"), observation_rows=_count(engine, "observation"))
    engine.dispose()
    return info


# ---------------------------------------------------------------- memory


def peak_rss_bytes() -> int:
    """Peak resident memory of this process (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def proc_memory(pid: int | str = "self") -> dict[str, int]:
    """Current and peak resident memory of a process from ``/proc/PID/status`` (bytes)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    return {"rss_bytes": values.get("VmRSS", 0), "peak_rss_bytes": values.get("VmHWM", 0)}


def proc_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from ``/proc/PID/stat``; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- pages


@dataclasses.dataclass(frozen=True)
class PageSpec:
    """One page of the app's navigation, as ``app.py`` declares it."""

    file: str          # relative to app.py, as AppTest.switch_page wants it
    url_path: str
    title: str
    default: bool = False

    @property
    def is_workforce(self) -> bool:
        """A workforce page (its floor is the staff group-by)."""
        name = f"{self.file} {self.url_path}".lower()
        return any(word in name for word in WORKFORCE_WORDS)


def _literal(node: ast.AST) -> object | None:
    """A keyword's value in app.py: a constant, or a workforce page's title (``PAGE_TITLES["gender"]``); None for
    another expression (a page's url path named by a constant falls back to its file's name)."""
    if isinstance(node, ast.Constant):
        return node.value
    if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "PAGE_TITLES"
            and isinstance(node.slice, ast.Constant)):
        from kpi.workforce_pages import PAGE_TITLES

        return PAGE_TITLES[node.slice.value]
    return None


def discover_pages(app_path: Path = APP_PATH) -> list[PageSpec]:
    """Every file page of ``app.py``'s navigation, in declaration order, read from its source.

    ``app.py`` is parsed, not run, so pages added to its ``PAGES`` are picked up without a list
    here: every ``st.Page("pages/x.py", ...)`` call with a literal path counts.
    """
    tree = ast.parse(app_path.read_text(), filename=str(app_path))
    pages: list[PageSpec] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _call_name(node.func) == "Page" and node.args):
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue  # a callable page: AppTest cannot switch to it by file
        keywords = {k.arg: _literal(k.value) for k in node.keywords if k.arg and _literal(k.value) is not None}
        stem = Path(first.value).stem
        pages.append(PageSpec(file=first.value, url_path=str(keywords.get("url_path") or stem),
                              title=str(keywords.get("title") or stem.replace("_", " ").title()),
                              default=bool(keywords.get("default", False))))
    # ast.walk is breadth-first: put the pages back in source order.
    order = {p.file: _source_offset(tree, p.file) for p in pages}
    pages.sort(key=lambda p: order[p.file])
    if pages and not any(p.default for p in pages):
        pages[0] = dataclasses.replace(pages[0], default=True)
    return pages


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _source_offset(tree: ast.AST, file: str) -> tuple[int, int]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value == file:
            return node.lineno, node.col_offset
    return (1 << 30, 0)


# ---------------------------------------------------------------- loaders and floors


def discover_loaders() -> dict[str, Callable]:
    """The store's frame loaders: ``load_*(engine)`` functions of :data:`LOADER_MODULES` that exist
    (one required parameter, named ``engine``)."""
    import importlib

    loaders: dict[str, Callable] = {}
    for module_name in LOADER_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("load_") or fn.__module__ != module_name:
                continue
            required = [p for p in inspect.signature(fn).parameters.values()
                        if p.default is inspect.Parameter.empty
                        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            if len(required) == 1 and required[0].name == "engine":
                loaders[f"{module_name.rsplit('.', 1)[-1]}.{name}"] = fn
    return loaders


def _frames_of(value: Any) -> dict[str, Any]:
    """The Polars frames in a loader's result (the frame itself, or a dataclass's frame fields)."""
    import polars as pl

    if isinstance(value, pl.DataFrame):
        return {"frame": value}
    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)
                if isinstance(getattr(value, f.name), pl.DataFrame)}
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if isinstance(v, pl.DataFrame)}
    return {}


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def _median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, list[float]]:
    fn()  # warm-up
    times = [_ms(_timed(fn)[0]) for _ in range(max(1, runs))]
    return round(statistics.median(times), 2), times


def time_loaders(engine, runs: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Time every frame loader (first call and the median of further calls); return figures and values."""
    figures: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for name, fn in discover_loaders().items():
        first, value = _timed(lambda fn=fn: fn(engine))
        again = [_ms(_timed(lambda fn=fn: fn(engine))[0]) for _ in range(max(1, min(runs, 3)) - 1)]
        frames = _frames_of(value)
        figures[name] = {
            "first_ms": _ms(first), "median_ms": round(statistics.median([_ms(first), *again]), 2),
            "rows": {k: f.height for k, f in frames.items()},
            "estimated_bytes": sum(int(f.estimated_size()) for f in frames.values()),
        }
        values[name] = value
    return figures, values


def staff_frame(engine, loaded: dict[str, Any]):
    """The staff frame: from a workforce loader if one gives it, else read from ``staff_snapshot``."""
    for name, value in loaded.items():
        for key, frame in _frames_of(value).items():
            if {"year", "grade", "gender"} <= set(frame.columns) and "indicator_id" not in frame.columns \
                    and frame.height:
                return f"{name}:{key}", frame, None
    from sqlalchemy import select

    from kpi.store import models as m
    from kpi.store.frames import select_frame

    staff = m.StaffSnapshot
    query = select(staff.year, staff.grade, staff.gender, staff.sector, staff.duty_station, staff.nationality,
                   staff.contract_type)
    with engine.connect() as connection:
        took, frame = _timed(lambda: select_frame(connection, query))
    return "staff_snapshot (read by the benchmark)", frame, _ms(took)


def floors(results, staff) -> dict[str, tuple[str, Callable[[], Any]]]:
    """The direct computations a page cannot beat, by kind: (description, function)."""
    import polars as pl

    from kpi.explorer import indicator_view
    from kpi.scorecard import cycle_indicators, indicator_status, status_counts

    first_code = cycle_indicators(results, CYCLE)["code"].first()

    def statuses():
        frame = indicator_status(results, CYCLE, YEAR)
        return status_counts(frame, ["root_code", "root_name", "root_kind"])

    def one_indicator():
        return indicator_view(results, first_code, YEAR)

    def staff_groupby():
        return staff.group_by("year", "grade", "gender").agg(pl.len())

    return {
        "status": (f"kpi.scorecard.indicator_status({CYCLE}, {YEAR}) + status_counts", statuses),
        "indicator": (f"kpi.explorer.indicator_view({first_code}, {YEAR})", one_indicator),
        "staff": ("staff.group_by(year, grade, gender).agg(len)", staff_groupby),
    }


def floor_kind(page: PageSpec) -> str:
    """Which floor a page is compared with."""
    if page.is_workforce:
        return "staff"
    if "explorer" in page.file or page.url_path == "explorer":
        return "indicator"
    return "status"


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile, linear between order statistics (the median for q=50)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def run_worker(url: str, scale: int, runs: int, profile_dir: Path | None = None,
               pages: list[str] | None = None) -> dict[str, Any]:
    """``tools.bench_worker`` (the pages under AppTest, or those of ``pages``) in a fresh Python process (clean
    memory figures, cold caches)."""
    with tempfile.TemporaryDirectory(prefix="rbm-bench-") as tmp:
        out = Path(tmp) / "figures.json"
        env = {**os.environ, DATABASE_URL_ENV: url, "STREAMLIT_LOGGER_LEVEL": "error",
               "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        completed = subprocess.run(
            [sys.executable, "-m", WORKER_MODULE, "--worker", "--url", url, "--scale", str(scale),
             "--runs", str(runs), "--out", str(out), *(["--profile", str(profile_dir)] if profile_dir else []),
             *(a for p in pages or [] for a in ("--page", p))],
            cwd=PROJECT_DIR, env=env, stdout=sys.stderr, stderr=sys.stderr)
        if completed.returncode != 0 or not out.exists():
            raise RuntimeError(f"the benchmark of scale {scale} failed (exit code {completed.returncode})")
        return json.loads(out.read_text())


# ---------------------------------------------------------------- the command


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of ``python -m kpi bench``."""
    parser.add_argument("--scale", type=int, action="append", metavar="N",
                        help="times the demo size; repeat for several (default: 1, 10 and 100)")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, metavar="K",
                        help=f"warm reruns per page, after a warm-up; the median is reported (default {DEFAULT_RUNS})")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    parser.add_argument("--seed", type=int, default=DEMO_SEED, help=f"demo data seed (default {DEMO_SEED})")
    parser.add_argument("--rebuild", action="store_true", help="build the stores again even if cached")
    parser.add_argument("--profile", metavar="DIR",
                        help="also write pyinstrument profiles of each page's cold run and warm reruns to DIR "
                             "(needs pyinstrument, not a requirement of the project)")
    parser.add_argument("--page", action="append", metavar="PATH",
                        help="measure only this page (its url path, e.g. scorecard); repeat for several (default all)")
    parser.add_argument("--cache-dir", metavar="DIR",
                        help=f"where the stores are kept (default: {CACHE_DIR_ENV} or .bench/ in the project)")
    return parser


def run_command(args: argparse.Namespace) -> int:
    """``python -m kpi bench``: build or reuse the stores, measure each scale, print and save."""
    scales = args.scale or list(DEFAULT_SCALES)
    if any(s < 1 for s in scales):
        print("--scale must be a positive whole number", file=sys.stderr)
        return 2
    known = [p.url_path for p in discover_pages()]
    if unknown := sorted(set(args.page or []) - set(known)):
        print(f"unknown page {', '.join(unknown)}; pages: {', '.join(known)}", file=sys.stderr)
        return 2
    directory = Path(args.cache_dir) if args.cache_dir else None
    report: dict[str, Any] = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "host": {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
                 **_versions()},
        "runs": args.runs, "seed": args.seed, "schema_revision": schema_revision(),
        "budgets_ms": {"1": BUDGET_DEMO_MS, "100": BUDGET_LARGE_MS},
        "scales": [],
    }
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731 - progress on stderr, table on stdout
    for scale in scales:
        store = ensure_store(scale, seed=args.seed, directory=directory, rebuild=args.rebuild, log=log)
        load_before = os.getloadavg()
        figures = run_worker(store["url"], scale, args.runs, Path(args.profile).resolve() if args.profile else None,
                             args.page)
        figures["load_average"] = {"before": [round(x, 2) for x in load_before],
                                   "after": [round(x, 2) for x in os.getloadavg()]}
        figures["store"] = {k: store[k] for k in ("path", "size_bytes", "staff_snapshot_rows", "observation_rows",
                                                   "build_seconds", "reused", "refresh_seconds", "built_at")}
        report["scales"].append(figures)
        print(format_scale(figures), flush=True)
    if len(report["scales"]) > 1:
        print(format_summary(report), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
        print(f"figures written to {args.json}")
    failed = [(s["scale"], p["url_path"]) for s in report["scales"] for p in s["pages"] if p["errors"]]
    if failed:
        print("pages with errors: " + ", ".join(f"{u} (x{s})" for s, u in failed), file=sys.stderr)
        return 1
    return 0


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("streamlit", "polars", "plotly", "sqlalchemy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def _mb(n: int | None) -> str:
    return "–" if n is None else f"{n / 1e6:,.0f} MB"


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def format_scale(figures: dict[str, Any]) -> str:
    """The table of one scale, for the terminal."""
    store = figures["store"]
    built = f"built in {store['build_seconds']:.1f} s" + (", cached" if store["reused"] else "")
    lines = [
        "",
        f"== {figures['scale']}x demo size: {store['staff_snapshot_rows']:,} staff-years, "
        f"{store['observation_rows']:,} observations; store {_mb(store['size_bytes'])} ({built})",
        "frames: " + "; ".join(
            f"{name} {f['first_ms']:,.0f} ms first, {f['median_ms']:,.0f} ms again ({_mb(f['estimated_bytes'])})"
            for name, f in figures["frames"].items()),
        f"staff frame: {figures['staff_frame']['rows']:,} rows from {figures['staff_frame']['source']}"
        + (f" ({figures['staff_frame']['read_ms']:,.0f} ms)" if figures['staff_frame']['read_ms'] else ""),
        f"first run of the app in a new process: {figures['process_first_run_ms']:,.0f} ms; "
        f"peak memory {_mb(figures['memory']['peak_rss_bytes'])}; load average before/after "
        f"{figures.get('load_average', {}).get('before', ['?'])[0]}/{figures.get('load_average', {}).get('after', ['?'])[0]}"
        f" on {os.cpu_count()} CPUs",
        "",
    ]
    header = ["page", "cold ms", "warm ms", "warm p90", "(script", "+ gc)", "year chg", "sector chg", "floor ms",
              "warm/floor", "budget"]
    rows = []
    for p in figures["pages"]:
        if p.get("warm_ms") is None:
            rows.append([p["url_path"], "ERROR", "", "", "", "", "", "", "", "", "; ".join(p["errors"])[:60]])
            continue
        verdict = ("ok" if p["within_budget"] else "OVER") + f" <{p['budget_ms']:.0f}"
        if p["errors"]:
            verdict += " (page errors)"
        rows.append([p["url_path"], _num(p["cold_ms"]), _num(p["warm_ms"]), _num(p["warm_p90_ms"]),
                     _num(p["script_ms"]), _num(p["gc_ms"]), _num(p["filter_ms"]), _num(p.get("sector_ms")),
                     f"{_num(p['floor_ms'], 2)} {p['floor']}", f"{p['warm_over_floor']:,.1f}x", verdict])
    lines.extend(_table(header, rows))
    lines.append("warm = median of the reruns, each the script (app.py and the page) + the full garbage "
                 "collection the server runs after it (runner.postScriptGC); year chg / sector chg = median rerun "
                 "after a change of the sidebar's year / Sector filter (new values first)")
    lines.append("floors: " + "; ".join(f"{k} = {v['what']}" for k, v in figures["floors"].items()))
    return "\n".join(lines)


def format_summary(report: dict[str, Any]) -> str:
    """Warm rerun of every page at every scale, side by side."""
    scales = report["scales"]
    pages = list(dict.fromkeys(p["url_path"] for s in scales for p in s["pages"]))
    header = ["warm rerun ms", *[f"{s['scale']}x" for s in scales]]
    rows = []
    for page in pages:
        row = [page]
        for s in scales:
            found = next((p for p in s["pages"] if p["url_path"] == page), None)
            row.append(_num(found.get("warm_ms")) if found else "–")
        rows.append(row)
    rows.append(["peak memory", *[_mb(s["memory"]["peak_rss_bytes"]) for s in scales]])
    return "\n".join(["", *_table(header, rows)])


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    fmt = lambda r: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)  # noqa: E731
                              for i, (c, w) in enumerate(zip(r, widths, strict=True)))
    return [fmt(header), fmt(["-" * w for w in widths]), *[fmt(r) for r in rows]]


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.bench``: the whole command (as ``python -m kpi bench``)."""
    argv = sys.argv[1:] if argv is None else argv
    return run_command(add_arguments(argparse.ArgumentParser(prog="python -m tools.bench")).parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
