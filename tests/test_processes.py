"""The one home of starting, waiting for and stopping the processes beside the dashboard (ui.processes)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from ui import processes

PROJECT_DIR = Path(__file__).resolve().parent.parent
#: Where the project starts processes: the dashboard's packages, the scripts and the tests' helpers.
STARTERS = ("ui", "kpi", "scripts", "tools", "tests")


def test_a_process_that_exits_at_start_is_named_with_its_exit_code():
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait()
    with pytest.raises(RuntimeError) as caught:
        processes.wait_for(f"http://127.0.0.1:{processes.free_port()}/", process, "the test server", timeout=5)
    assert str(caught.value) == "the test server exited at start (code 3)"


def test_a_process_that_never_answers_is_killed_when_time_runs_out():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    port = processes.free_port()
    started = time.monotonic()
    with pytest.raises(RuntimeError) as caught:
        processes.wait_for(f"http://127.0.0.1:{port}/", process, "the silent server", timeout=1)
    assert str(caught.value) == f"the silent server did not answer on http://127.0.0.1:{port}/ within 1 s"
    assert process.wait(timeout=5) == -9  # killed, not left running after the failed start
    assert time.monotonic() - started < 10


def test_stop_ends_the_last_started_first_and_kills_one_that_ignores_sigterm(monkeypatch):
    monkeypatch.setattr(processes, "STOP_TIMEOUT_S", 1.0)
    stubborn = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, "
                                 "signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"],
                                stdout=subprocess.PIPE)
    assert stubborn.stdout.readline() == b"ready\n"
    polite = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    processes.stop([polite, stubborn])
    assert (polite.returncode, stubborn.returncode) == (-15, -9)


def _starts_a_dashboard(text: str) -> bool:
    return '"ui.serve"' in text or "'ui.serve'" in text


def test_only_ui_processes_starts_a_dashboard_server():
    """The dashboard server is started in one place (the load test, the cluster and the browser tests all call
    it); a second copy of the command line, the waiting and the stopping is what this replaced."""
    starters = sorted(p.relative_to(PROJECT_DIR).as_posix() for root in STARTERS
                      for p in (PROJECT_DIR / root).rglob("*.py")
                      if p.name != Path(__file__).name and _starts_a_dashboard(p.read_text(encoding="utf-8")))
    assert starters == ["ui/processes.py"]
    planted = 'subprocess.Popen([sys.executable, "-m", "ui.serve", "--server.port=8501"])'
    assert _starts_a_dashboard(planted)
