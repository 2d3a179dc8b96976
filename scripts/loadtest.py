"""Load test: N new sessions open a page at once, through Streamlit's own websocket protocol, on loopback.

    .venv/bin/python scripts/loadtest.py --sessions 50                    # one server, the overview
    .venv/bin/python scripts/loadtest.py --sessions 50 --servers 2 --nginx --store-url postgresql+psycopg://...
    .venv/bin/python scripts/loadtest.py --url http://localhost:8080 --server-pid 1234 --sessions 20

Each simulated visitor does what a new browser does to the server: it asks for the page (and, with
``--assets``, the front end's scripts and styles the page names), opens the websocket, asks for a run of the
page as the front end does at load, and waits for the run to finish: that is "time to a finished page". It
keeps its session open until every visitor is done, so that the memory of N open sessions is measured; then
all close, and the memory is measured again after a pause (does it come back down?). Before each burst, one
session runs the page once (the first visitor after a start reads the store: the burst is measured on warm
caches) and then reruns it ten times: the warm rerun, in time and server CPU, that a new session is compared
with.

Reported per page: time to a finished page (median, p95, max) and of the warm rerun; server CPU per new
session (all the servers' CPU over the burst, divided by the sessions) and per warm rerun, and their ratio;
nginx's CPU when it is in front; server memory before, with the sessions open (and per open session) and after they close;
errors (a page that raised, a run that did not finish in time, a refused connection). Bounded: at most
:data:`MAX_SESSIONS` sessions, each given ``--timeout`` seconds. Loopback only: another host is refused.

The load generator shares the machine's cores with the servers: the report names the number of CPUs and
servers, and whether nginx was in front, beside every figure.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import re
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from tools.bench import discover_pages, ensure_store, percentile, proc_cpu_seconds, proc_memory  # noqa: E402

MAX_SESSIONS = 200
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
#: The pause before the memory "after the sessions closed" is read: the server lets a session go when its
#: websocket closes; the pause lets it finish what it was doing.
SETTLE_S = 5.0


class Visit:
    """One simulated visitor's figures."""

    def __init__(self) -> None:
        self.finished_ms: float | None = None
        self.error: str | None = None


def loopback_only(url: str) -> str:
    """``url`` if its host is this machine; a ValueError otherwise (the test never loads another host)."""
    host = urlsplit(url).hostname
    if host not in LOOPBACK:
        raise ValueError(f"{url}: the load test only runs against this machine (localhost, 127.0.0.1)")
    return url.rstrip("/")


def _get(url: str, cookie: str = "") -> tuple[bytes, list[str]]:
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read(), response.headers.get_all("Set-Cookie") or []


def _assets(page: bytes) -> list[str]:
    """The scripts and stylesheets the front end's page names (what a new browser downloads first)."""
    return re.findall(rb'(?:src|href)="\.?(/static/[^"]+\.(?:js|css))"', page)


async def _run(ws, page_name: str, query: str, timeout: float) -> float:
    """Ask for a run of the page and wait until it finishes; its duration in ms (an exception if it raised)."""
    started = time.perf_counter()
    message = BackMsg()
    message.rerun_script.page_name = page_name
    message.rerun_script.query_string = query
    await ws.send(message.SerializeToString())
    async with asyncio.timeout(timeout):
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element" \
                    and forward.delta.new_element.WhichOneof("type") == "exception":
                raise RuntimeError(f"the page raised: {forward.delta.new_element.exception.message[:200]}")
            if kind == "page_not_found":
                raise RuntimeError("page not found")
            if kind == "script_finished":
                return (time.perf_counter() - started) * 1000


async def visit(base: str, page_name: str, query: str, assets: bool, timeout: float, all_done: asyncio.Event,
                figures: Visit) -> None:
    """One new visitor (see the module); keeps its session open until ``all_done``."""
    started = time.perf_counter()
    try:
        page, set_cookies = await asyncio.to_thread(_get, f"{base}/{page_name}")
        cookie = "; ".join(c.split(";", 1)[0] for c in set_cookies)  # nginx's route cookie keeps it on its server
        if assets:
            for asset in _assets(page):
                await asyncio.to_thread(_get, base + asset.decode(), cookie)
        ws_url = base.replace("http", "ws", 1) + "/_stcore/stream"
        # No keepalive pings (a browser sends none; a busy server answers them late and the client gives up).
        async with connect(ws_url, origin=base, subprotocols=["streamlit"], max_size=None, open_timeout=timeout,
                           ping_interval=None, additional_headers={"Cookie": cookie} if cookie else None) as ws:
            await _run(ws, page_name, query, timeout)
            figures.finished_ms = (time.perf_counter() - started) * 1000
            await all_done.wait()
    except Exception as error:  # noqa: BLE001 - every failure is a figure of the report
        figures.error = f"{type(error).__name__}: {str(error)[:200]}"
        await all_done.wait()


def _cpu(pids: list[int]) -> float:
    return sum(proc_cpu_seconds(p) for p in pids)


def _rss(pids: list[int]) -> int:
    return sum(proc_memory(p)["rss_bytes"] for p in pids if Path(f"/proc/{p}").exists())


def _children(pid: int) -> list[int]:
    """A process's direct children (nginx's workers)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(proc.name))
    return found


async def burst(base: str, page_name: str, sessions: int, ramp: float, assets: bool, timeout: float,
                servers: list[int], proxy: list[int]) -> dict[str, Any]:
    """``sessions`` new visitors of one page, started over ``ramp`` seconds; the page's figures."""
    all_done = asyncio.Event()
    visits = [Visit() for _ in range(sessions)]
    memory_before = _rss(servers)
    cpu_before, proxy_before = _cpu(servers), _cpu(proxy)
    started = time.perf_counter()

    async def delayed(i: int) -> None:
        await asyncio.sleep(ramp * i / max(1, sessions - 1) if ramp else 0)
        await visit(base, page_name, "", assets, timeout, all_done, visits[i])

    tasks = [asyncio.create_task(delayed(i)) for i in range(sessions)]
    async with asyncio.timeout(ramp + 2 * timeout + 30):
        while not all(v.finished_ms is not None or v.error for v in visits):
            await asyncio.sleep(0.05)
    wall_s = time.perf_counter() - started
    cpu_s, proxy_s = _cpu(servers) - cpu_before, _cpu(proxy) - proxy_before
    memory_open = _rss(servers)
    all_done.set()
    await asyncio.gather(*tasks)
    await asyncio.sleep(SETTLE_S)
    memory_after = _rss(servers)
    finished = [v.finished_ms for v in visits if v.finished_ms is not None]

    def stats(values: list[float]) -> dict[str, float | None]:
        if not values:
            return {"median_ms": None, "p95_ms": None, "max_ms": None}
        return {"median_ms": round(percentile(values, 50), 1), "p95_ms": round(percentile(values, 95), 1),
                "max_ms": round(max(values), 1)}

    return {
        "page": page_name or "(default)", "sessions": sessions, "finished": len(finished),
        "errors": sorted({v.error for v in visits if v.error}), "wall_s": round(wall_s, 2),
        "finished_page": stats(finished),
        "server_cpu_ms_per_session": round(cpu_s * 1000 / sessions, 1) if servers else None,
        "proxy_cpu_ms_total": round(proxy_s * 1000, 1) if proxy else None,
        "memory": {"before_bytes": memory_before, "open_bytes": memory_open, "after_close_bytes": memory_after,
                   "per_open_session_bytes": round((memory_open - memory_before) / sessions) if servers else None},
    }


async def warm_rerun(base: str, page_name: str, servers: list[int], runs: int = 10) -> dict[str, Any]:
    """One session's first run of the page (the first visitor's, when the burst is the first load since a start)
    then ``runs`` reruns: the first run's time, the reruns' median time and server CPU (ms)."""
    ws_url = base.replace("http", "ws", 1) + "/_stcore/stream"
    _, set_cookies = await asyncio.to_thread(_get, f"{base}/{page_name}")
    cookie = "; ".join(c.split(";", 1)[0] for c in set_cookies)
    async with connect(ws_url, origin=base, subprotocols=["streamlit"], max_size=None, ping_interval=None,
                       additional_headers={"Cookie": cookie} if cookie else None) as ws:
        first = await _run(ws, page_name, "", 600)
        before = _cpu(servers)
        times = [await _run(ws, page_name, "", 120) for _ in range(runs)]
        cpu_ms = (_cpu(servers) - before) * 1000 / runs
    return {"first_ms": round(first, 1), "median_ms": round(percentile(times, 50), 1),
            "server_cpu_ms": round(cpu_ms, 1) if servers else None}


@contextlib.contextmanager
def target(args: argparse.Namespace, log) -> Any:
    """The dashboard to load: the given ``--url``, or servers (and nginx) started here; yields (url, servers,
    proxy pids, description)."""
    if args.url:
        yield loopback_only(args.url), list(args.server_pid or []), [], f"the dashboard at {args.url}"
        return
    store = args.store_url or ensure_store(1, log=log)["url"]
    if args.nginx:
        from ui import cluster

        with cluster.running(servers=args.servers, database_url=store, sign_in=False) as running:
            nginx = running.processes[-1].pid
            yield (running.url, [p.pid for p in running.processes[:-1]], [nginx, *_children(nginx)],
                   f"{args.servers} server(s) behind nginx")
        return
    from ui.processes import dashboard

    with dashboard(store, env={"RBM_DEMO_SIGN_IN": "0"}) as (port, process):
        yield f"http://localhost:{port}", [process.pid], [], "1 server, no proxy"


def format_report(report: dict[str, Any]) -> str:
    """The figures as a table, for the terminal and the notes."""
    out = [f"{report['target']}; {report['cpus']} CPUs shared with the load generator; "
           f"{report['sessions']} new sessions per page, started over {report['ramp_s']:g} s"
           f"{' with the front end files' if report['assets'] else ''}",
           "page | first visitor | finished | median | p95 | max | warm rerun (median) | server CPU per new session | "
           "per warm rerun | ratio | memory per open session | before -> open -> after close | errors"]
    for p in report["pages"]:
        f, w, m = p["finished_page"], p["warm_rerun"], p["memory"]
        cpu, rerun = p["server_cpu_ms_per_session"], w["server_cpu_ms"]
        ratio = f"{cpu / rerun:.1f}x" if cpu and rerun else "-"
        mb = lambda b: f"{b / 2**20:.1f} MB" if b is not None else "-"  # noqa: E731
        out.append(f"{p['page']} | {w['first_ms']} ms | {p['finished']}/{p['sessions']} | {f['median_ms']} ms | "
                   f"{f['p95_ms']} ms | "
                   f"{f['max_ms']} ms | {w['median_ms']} ms | {cpu} ms | {rerun} ms | {ratio} | "
                   f"{mb(m['per_open_session_bytes'])} | {mb(m['before_bytes'])} -> {mb(m['open_bytes'])} -> "
                   f"{mb(m['after_close_bytes'])} | {'; '.join(p['errors']) or 'none'}")
    return "\n".join(out)


async def run(args: argparse.Namespace, log) -> dict[str, Any]:
    """Every page's burst against the target."""
    with target(args, log) as (base, servers, proxy, description):
        report: dict[str, Any] = {
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
            "target": description, "url": base, "sessions": args.sessions, "ramp_s": args.ramp,
            "assets": args.assets, "pages": []}
        default = next(p.url_path for p in discover_pages() if p.default)
        for path in args.page or [default]:
            page_name = "" if path == default else path  # the default page is the app's root
            rerun = await warm_rerun(base, page_name, servers)
            log(f"{path}: {args.sessions} new sessions...")
            figures = await burst(base, page_name, args.sessions, args.ramp, args.assets, args.timeout, servers, proxy)
            report["pages"].append({**figures, "page": path, "warm_rerun": rerun})
        return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help=f"new sessions per page, 1-{MAX_SESSIONS} (default 20)")
    parser.add_argument("--page", action="append", metavar="PATH",
                        help="a page's url path (e.g. scorecard); repeat for several (default: the default page)")
    parser.add_argument("--ramp", type=float, default=0.0, metavar="S",
                        help="start the sessions over S seconds (default 0: all at once)")
    parser.add_argument("--timeout", type=float, default=120.0, metavar="S", help="per run of a page (default 120)")
    parser.add_argument("--assets", action="store_true",
                        help="each visitor also downloads the front end's scripts and styles, as a new browser does")
    parser.add_argument("--url", help="a running dashboard on this machine (default: start one here)")
    parser.add_argument("--server-pid", type=int, action="append", help="with --url: a server process to measure")
    parser.add_argument("--servers", type=int, default=1, help="servers to start (with --nginx; default 1)")
    parser.add_argument("--nginx", action="store_true", help="start the servers behind nginx (ui.cluster)")
    parser.add_argument("--store-url", help="the store to serve (default: the benchmark's demo-size store)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        parser.error(f"--sessions takes 1 to {MAX_SESSIONS}")
    if args.servers > 1 and not args.nginx:
        parser.error("several servers need --nginx in front of them")
    known = [p.url_path for p in discover_pages()]
    if unknown := sorted(set(args.page or []) - set(known)):
        parser.error(f"unknown page {', '.join(unknown)}; pages: {', '.join(known)}")
    if args.url:
        try:
            loopback_only(args.url)
        except ValueError as error:
            parser.error(str(error))
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    report = asyncio.run(run(args, log))
    print(format_report(report), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 1 if any(p["errors"] for p in report["pages"]) else 0


if __name__ == "__main__":
    sys.exit(main())
