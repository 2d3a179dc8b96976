"""What a user waits for in a real browser: first render of each page, and a filter change.

    python scripts/browser_latency.py [--scale N ...] [--reps K] [--sessions S] [--json FILE]
                                      [--store-url URL]

For each scale N (default 1) it takes the benchmark store of ``python -m kpi bench`` (built under
``.bench/`` if missing; or ``--store-url``), serves the app on it as the browser tests do
(``tests/browser_support.streamlit_server``) and drives Debian's Chromium with Playwright:

* **opening a link** (first render): navigation to each page of ``app.py``'s navigation (read from
  ``app.py``) until the app is idle (``stApp`` with ``data-test-script-state='notRunning'`` after a run, no skeleton, no
  stale element); measured in the page's own clock (``performance.now()`` from navigation start), with
  the time at which the app's run started (before it: loading the page's scripts, connecting);
* **sidebar switch**: from the click on the page's link in the sidebar navigation (same session, no
  reload) to the end of the page's run, idle as above;
* **filter change**: from the click on an option of the sidebar's "Year" year selectbox
  (then of the Sector selectbox) to the end of the rerun it causes, idle as above; each change picks
  a value not picked before on that server where possible, so the server's caches do not answer;
* **memory**: the server's resident memory (``/proc/PID/status`` VmRSS, VmHWM) after the timed
  runs with one session, then with S more sessions (browser contexts) open at once, each on one page
  (round robin over the pages);
* **CPU**: for each measurement, the CPU time the server and Chromium spent during it (from
  ``/proc``), to tell the server's share of a wait from the browser's.

K repetitions of every measurement; it prints medians and 90th percentiles and writes every
figure as JSON with ``--json``. The first load after the server starts (the frames are read then)
is reported apart. Timings are never asserted by tests.
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from ui.filters import page_filters  # noqa: E402
from tools.bench import discover_pages, ensure_store, percentile, proc_cpu_seconds, proc_memory  # noqa: E402
from tests.browser_support import (  # noqa: E402
    CHROMIUM, CHROMIUM_ARGS, free_port, on_localhost, sign_in, streamlit_server)

VIEWPORT = {"width": 1600, "height": 1000}
#: The demonstration account the measurements run as: every page is open to it.
ACCOUNT = "admin@demo.invalid"
#: The first load after the server starts reads the frames (slow at 100x); later steps are quicker.
FIRST_LOAD_TIMEOUT_MS = 600_000
TIMEOUT_MS = 180_000
#: The filters changed, in the sidebar: label of the selectbox, and the option labels to pick from.
YEARS = [str(y) for y in range(2024, 1999, -1)]
SECTORS = ["ITU-R", "ITU-T", "ITU-D", "GS"]

#: Installed in every document before its scripts run: records the script-state transitions of
#: the app (on the document, so a re-mounted stApp is still seen) and the time of the last click.
INIT_SCRIPT = """
(() => {
  const rbm = window.__rbm = {events: [], pointer: null};
  const seen = (state) => rbm.events.push({state, t: performance.now()});
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.oldValue) seen('was:' + r.oldValue);
      seen(r.target.getAttribute('data-test-script-state'));
    }
  }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                        attributeFilter: ['data-test-script-state']});
  document.addEventListener('pointerdown', () => { rbm.pointer = performance.now(); }, {capture: true});
})();
"""

#: True (and the end time recorded) once a run that started after event ``mark`` has ended and
#: nothing is loading any more.
DONE_AFTER = """
(mark) => {
  const rbm = window.__rbm;
  if (!rbm) return false;
  const after = rbm.events.slice(mark);
  if (!after.some(e => e.state === 'running' || e.state === 'was:running')) return false;
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelectorAll("[data-testid='stSkeleton'], [data-stale='true']").length) return false;
  rbm.done = performance.now();
  return true;
}
"""


def summary(values: list[float]) -> dict[str, Any]:
    """Median, 90th percentile, min and max of a list of milliseconds (None when empty)."""
    if not values:
        return {"median_ms": None, "p90_ms": None, "min_ms": None, "max_ms": None, "n": 0}
    return {"median_ms": round(percentile(values, 50), 1), "p90_ms": round(percentile(values, 90), 1),
            "min_ms": round(min(values), 1), "max_ms": round(max(values), 1), "n": len(values)}


def server_pid(port: int) -> int | None:
    """The PID of the server child of this process that listens on ``port`` (its command line says so)."""
    me = os.getpid()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        if ppid == me and f"--server.port={port}".encode() in cmdline:
            return int(proc.name)
    return None


def render(page, url: str, timeout_ms: int = TIMEOUT_MS) -> tuple[float, float]:
    """Open ``url``; milliseconds from navigation start to the end of the first complete run, and to its start."""
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    page.wait_for_function(DONE_AFTER, arg=0, polling=5, timeout=timeout_ms)
    done, started = page.evaluate(
        "[window.__rbm.done, (window.__rbm.events.find(e => e.state === 'running') || {t: null}).t]")
    return float(done), float(started if started is not None else done)


def page_url(base: str, page) -> str:
    """The address of a page: the default page is the app's root (``/overview`` would say "page not found")."""
    return f"{base}/" if page.default else f"{base}/{page.url_path}"


def page_errors(page) -> list[str]:
    """Exceptions and dialogs (such as "Page not found") the page shows."""
    shown = page.locator("[data-testid='stException'], [role='dialog']").all_inner_texts()
    return [" ".join(t.split())[:300] for t in shown]


#: True once a run started after event ``mark``.
STARTED_AFTER = """
(mark) => window.__rbm.events.slice(mark).some(e => e.state === 'running' || e.state === 'was:running')
"""
#: How long a click may take to start a run before the selection is made again.
START_GRACE_MS = 10_000


def timed_click(page, click, attempts: int = 3) -> float:
    """Run ``click()`` until it starts a run of the app (at most ``attempts`` times); milliseconds from the
    pointer-down of the click that started it to the end of that run, idle as in :data:`DONE_AFTER`.

    ``click`` is called with the attempt number (0, 1...), so that a retry may do something else (pick
    another value: the one tried may already be selected). A click that starts no run within
    :data:`START_GRACE_MS` is retried after Escape (a list re-rendered under the pointer, say).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        mark = page.evaluate("window.__rbm.events.length")
        click(attempt)
        try:
            page.wait_for_function(STARTED_AFTER, arg=mark, polling=5, timeout=START_GRACE_MS)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        page.wait_for_function(DONE_AFTER, arg=mark, polling=5, timeout=TIMEOUT_MS)
        return float(page.evaluate("window.__rbm.done - window.__rbm.pointer"))
    raise RuntimeError(f"{attempts} clicks started no run")


def change_selectbox(page, label: str, options: list[str]) -> float:
    """Pick ``options[0]`` in the sidebar selectbox ``label`` (``options[1]`` if that starts no run, and so
    on, then each again); milliseconds from the click to the end of the rerun."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
        has=page.locator(f"input[aria-label={json.dumps(label)}]"))
    field = box.locator("input[role='combobox']").first

    def pick(attempt: int) -> None:
        option = options[attempt % len(options)]
        field.click(timeout=30_000)
        field.fill(option)  # narrows the (virtualised) list to the option; typing does not rerun the app
        choice = page.locator("[role='option']").filter(
            has_text=re.compile(rf"^\s*{re.escape(option)}(\s|$|·)")).first
        choice.wait_for(state="visible", timeout=30_000)
        choice.click(timeout=30_000)

    try:
        # Each option twice: a click on a busy server (a first protected view still computing) may start no run.
        return timed_click(page, pick, attempts=2 * len(options))
    except RuntimeError as error:
        raise RuntimeError(f"choosing any of {options} in {label!r}: {error}") from None


MEASURES = ("render", "switch", "year_change", "sector_change")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            tree.setdefault(ppid, []).append(int(proc.name))
    return tree


def browser_pids(server: int | None) -> list[int]:
    """This process's descendants but the server: the Playwright driver and Chromium's processes."""
    tree, found, todo = _children(), [], [os.getpid()]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child != server:
                found.append(child)
                todo.append(child)
    return found


class CpuMeter:
    """CPU seconds spent by the server and by the browser during a measurement."""

    def __init__(self, server: int | None):
        self.server = server

    def __enter__(self):
        self.browsers = browser_pids(self.server)
        self.start = (proc_cpu_seconds(self.server) if self.server else 0.0,
                      sum(proc_cpu_seconds(p) for p in self.browsers))
        return self

    def __exit__(self, *exc):
        browsers = set(self.browsers) | set(browser_pids(self.server))
        self.server_ms = ((proc_cpu_seconds(self.server) if self.server else 0.0) - self.start[0]) * 1000
        # A renderer that exited meanwhile loses its CPU time: the browser figure is a lower bound.
        self.browser_ms = max(0.0, (sum(proc_cpu_seconds(p) for p in browsers) - self.start[1]) * 1000)
        return False


def nav_link(page, title: str):
    """The sidebar navigation's link to the page ``title`` (ui.navigation: its text, the icon's ligature name then the title, ends with the title)."""
    return page.locator(".st-key-navigation a[data-testid='stPageLink-NavLink']").filter(
        has_text=re.compile(rf"{re.escape(title)}$")).first


def measure(url: str, scale: int, reps: int, sessions: int, log=print,
            only: list[str] | None = None) -> dict[str, Any]:
    """Every browser measurement of one store, on every page or on those whose url path is in ``only``."""
    from playwright.sync_api import sync_playwright

    pages = [pg for pg in discover_pages() if not only or pg.url_path in only]
    port = free_port()
    started = time.perf_counter()
    with streamlit_server(url, port=port) as served, sync_playwright() as p:
        base = on_localhost(served)
        server_start_ms = (time.perf_counter() - started) * 1000
        pid = server_pid(port)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(INIT_SCRIPT)
        tab = context.new_page()
        default = next((pg for pg in pages if pg.default), pages[0])
        log(f"x{scale}: first load of {default.url_path} (the server reads the frames)...")
        first_load, _ = render(tab, page_url(base, default), FIRST_LOAD_TIMEOUT_MS)
        sign_in(tab, base, ACCOUNT)  # every page is open to the account; its cookie serves the other contexts
        signed_in = context.storage_state()
        memory_start = proc_memory(pid) if pid else {}
        years, sectors = itertools.cycle(YEARS), itertools.cycle(SECTORS)
        figures = {pg.url_path: {"page": pg.file, "title": pg.title, "script_start_ms": [], "errors": [],
                                 **{f"{m}_ms": [] for m in MEASURES},
                                 **{f"{m}_server_cpu_ms": [] for m in MEASURES},
                                 **{f"{m}_browser_cpu_ms": [] for m in MEASURES}}
                   for pg in pages}

        def record(pg, measure_name: str, action) -> None:
            f = figures[pg.url_path]
            try:
                with CpuMeter(pid) as cpu:
                    value = action()
            except Exception as error:  # noqa: BLE001 - report and go on with the other measurements
                f["errors"].append(f"{measure_name}: {type(error).__name__}: {str(error).splitlines()[0][:300]}")
                return
            f[f"{measure_name}_ms"].append(round(value, 1))
            f[f"{measure_name}_server_cpu_ms"].append(round(cpu.server_ms, 1))
            f[f"{measure_name}_browser_cpu_ms"].append(round(cpu.browser_ms, 1))

        def open_link(pg) -> float:
            done, run_started = render(tab, page_url(base, pg))
            figures[pg.url_path]["script_start_ms"].append(round(run_started, 1))
            return done

        def switch(pg) -> float:
            link = nav_link(tab, pg.title)
            return timed_click(tab, lambda attempt: link.click(timeout=30_000))

        for rep in range(reps):
            log(f"x{scale}: rep {rep + 1}/{reps}: sidebar switches")
            render(tab, page_url(base, pages[-1]))
            for pg in pages:  # in-app navigation: the sidebar link to each page in turn, same session
                record(pg, "switch", lambda pg=pg: switch(pg))
            for pg in pages:
                log(f"x{scale}: rep {rep + 1}/{reps}: {pg.url_path}")
                record(pg, "render", lambda pg=pg: open_link(pg))
                record(pg, "year_change", lambda: change_selectbox(tab, "Year", [next(years), next(years)]))
                if "sector" in page_filters(pg.url_path):  # a page that does not apply it does not draw it
                    record(pg, "sector_change",
                           lambda: change_selectbox(tab, "Sector", [next(sectors), next(sectors)]))
                f = figures[pg.url_path]
                f["errors"].extend(e for e in page_errors(tab) if e not in f["errors"])
        memory_one = proc_memory(pid) if pid else {}
        memory_sessions: dict[str, Any] = {}
        if sessions:
            log(f"x{scale}: opening {sessions} sessions (one page each, round robin)...")
            contexts = []
            for i in range(sessions):
                ctx = browser.new_context(viewport=VIEWPORT, storage_state=signed_in)
                ctx.add_init_script(INIT_SCRIPT)
                render(ctx.new_page(), page_url(base, pages[i % len(pages)]))
                contexts.append(ctx)
            memory_sessions = {**(proc_memory(pid) if pid else {}), "sessions": sessions}
            for ctx in contexts:
                ctx.close()
        browser.close()
    result_pages = []
    for path, f in figures.items():
        summaries = {m: summary(f[f"{m}_ms"]) for m in MEASURES}
        for m in MEASURES:
            summaries[m]["server_cpu_median_ms"] = summary(f[f"{m}_server_cpu_ms"])["median_ms"]
            summaries[m]["browser_cpu_median_ms"] = summary(f[f"{m}_browser_cpu_ms"])["median_ms"]
        result_pages.append({"url_path": path, **f, **summaries, "script_start": summary(f["script_start_ms"])})
    return {
        "scale": scale, "url": url, "reps": reps, "server_start_ms": round(server_start_ms, 1),
        "server_pid": pid, "first_load_ms": round(first_load, 1), "pages": result_pages,
        "memory": {"after_start": memory_start, "one_session": memory_one, "sessions": memory_sessions},
    }


def _mb(n: int | None) -> str:
    return "–" if not n else f"{n / 1e6:,.0f} MB"


def format_result(r: dict[str, Any]) -> str:
    """The table of one scale, for the terminal."""
    cell = lambda s: "–" if s["median_ms"] is None else f"{s['median_ms']:,.0f} / {s['p90_ms']:,.0f}"  # noqa: E731
    cpu = lambda s: "–" if s["median_ms"] is None else (  # noqa: E731
        f"{s['server_cpu_median_ms'] or 0:,.0f} + {s['browser_cpu_median_ms'] or 0:,.0f}")
    header = ["page", "open link ms", "(run starts)", "cpu srv+browser", "sidebar switch ms", "cpu srv+browser",
              "year change ms", "sector change ms", "cpu srv+browser", "errors"]
    rows = [[p["url_path"], cell(p["render"]), f"{p['script_start']['median_ms'] or 0:,.0f}", cpu(p["render"]),
             cell(p["switch"]), cpu(p["switch"]), cell(p["year_change"]), cell(p["sector_change"]),
             cpu(p["sector_change"]), str(len(p["errors"])) if p["errors"] else ""] for p in r["pages"]]
    widths = [max(len(x[i]) for x in [header, *rows]) for i in range(len(header))]
    line = lambda x: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(x, widths)))  # noqa: E731
    m = r["memory"]
    out = [
        "",
        f"== browser, {r['scale']}x demo size: {r['reps']} repetitions, median / 90th percentile in ms (cpu: median "
        f"CPU ms of the server + of Chromium during it); first load after server start {r['first_load_ms']:,.0f} ms; "
        f"load average before/after {r['load_average']['before'][0]}/{r['load_average']['after'][0]} "
        f"on {os.cpu_count()} CPUs",
        line(header), line(["-" * w for w in widths]), *[line(x) for x in rows],
        f"server memory: after the first load {_mb(m['after_start'].get('rss_bytes'))}; after the timed runs "
        f"{_mb(m['one_session'].get('rss_bytes'))}"
        + (f"; with {m['sessions']['sessions']} more sessions open {_mb(m['sessions'].get('rss_bytes'))}"
           f" (peak {_mb(m['sessions'].get('peak_rss_bytes'))})" if m["sessions"] else ""),
    ]
    for p in r["pages"]:
        for e in p["errors"]:
            out.append(f"  {p['url_path']}: {e}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", metavar="N",
                        help="times the demo size; repeat for several (default 1)")
    parser.add_argument("--reps", type=int, default=5, metavar="K", help="repetitions of each measurement (default 5)")
    parser.add_argument("--sessions", type=int, default=10, metavar="S",
                        help="sessions open at once for the memory figure (default 10; 0: skip)")
    parser.add_argument("--store-url", help="measure this store instead of the benchmark store (one scale)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    parser.add_argument("--page", action="append", metavar="PATH",
                        help="measure only this page (its url path, e.g. scorecard); repeat for several (default all)")
    args = parser.parse_args(argv)
    known = [pg.url_path for pg in discover_pages()]
    if unknown := sorted(set(args.page or []) - set(known)):
        parser.error(f"unknown page {', '.join(unknown)}; pages: {', '.join(known)}")
    scales = args.scale or [1]
    if args.store_url and len(scales) > 1:
        parser.error("--store-url takes one --scale (the scale of that store)")
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    report: dict[str, Any] = {"generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "cpus": os.cpu_count(), "reps": args.reps, "scales": []}
    for scale in scales:
        url = args.store_url or ensure_store(scale, log=log)["url"]
        load_before = os.getloadavg()
        result = measure(url, scale, max(1, args.reps), max(0, args.sessions), log=log, only=args.page)
        result["load_average"] = {"before": [round(x, 2) for x in load_before],
                                  "after": [round(x, 2) for x in os.getloadavg()]}
        report["scales"].append(result)
        print(format_result(result), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
        print(f"figures written to {args.json}")
    return 1 if any(p["errors"] for r in report["scales"] for p in r["pages"]) else 0


if __name__ == "__main__":
    sys.exit(main())
