"""``scripts/loadtest.py`` opens real sessions over Streamlit's websocket protocol, through nginx too, and
writes well-formed figures; it refuses another host and an unbounded count. No timing is asserted."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PROJECT_DIR = Path(__file__).resolve().parent.parent
SCRIPT = "scripts/loadtest.py"


def run(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, SCRIPT, *args], cwd=PROJECT_DIR, env={**os.environ},
                          capture_output=True, text=True, timeout=timeout)


def test_fifty_sessions_through_nginx_to_two_fresh_servers_all_finish(demo_store_url, tmp_path):
    """Fifty at once, as a Council room opening the link: one server is warmed by the load test's first visitor,
    the other takes its first sessions all together. Before the server imported the pages' late imports at
    start (ui.serve.preload), 9 to 16 of the 50 failed there ("partially initialized module 'pandas'")."""
    out = tmp_path / "load.json"
    completed = run("--sessions", "50", "--servers", "2", "--nginx", "--assets", "--page", "overview",
                    "--store-url", demo_store_url, "--json", str(out))
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    report = json.loads(out.read_text())
    assert (report["target"], report["sessions"], report["assets"]) == ("2 server(s) behind nginx", 50, True)
    assert report["url"].startswith("http://localhost:")
    assert [p["page"] for p in report["pages"]] == ["overview"]
    for page in report["pages"]:
        assert (page["finished"], page["errors"]) == (50, []), page
        f = page["finished_page"]
        assert 0 < f["median_ms"] <= f["p95_ms"] <= f["max_ms"], page
        rerun = page["warm_rerun"]
        assert rerun["first_ms"] > 0 and rerun["median_ms"] > 0 and rerun["server_cpu_ms"] > 0
        assert page["server_cpu_ms_per_session"] > 0 and page["proxy_cpu_ms_total"] >= 0
        memory = page["memory"]
        assert memory["before_bytes"] > 0 and memory["open_bytes"] > 0 and memory["after_close_bytes"] > 0
    # The table on the terminal names the target and each page.
    assert completed.stdout.splitlines()[0].startswith("2 server(s) behind nginx; ")
    assert [line.split(" | ")[::2][:2] for line in completed.stdout.splitlines()[2:]] == [["overview", "50/50"]]


@pytest.mark.parametrize(("args", "message"), [
    (["--url", "http://example.org"], "http://example.org: the load test only runs against this machine "
                                      "(localhost, 127.0.0.1)"),
    (["--sessions", "201"], "--sessions takes 1 to 200"),
    (["--sessions", "0"], "--sessions takes 1 to 200"),
    (["--servers", "2"], "several servers need --nginx in front of them"),
])
def test_another_host_or_an_unbounded_load_is_refused(args, message):
    completed = run(*args, timeout=60)
    assert completed.returncode == 2
    assert completed.stderr.splitlines()[-1] == f"loadtest.py: error: {message}"
