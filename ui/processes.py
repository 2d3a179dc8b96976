"""Starting and stopping the processes the dashboard runs beside itself: a dashboard server, the demonstration
identity provider, nginx. One home for finding a free port, waiting until a process answers and stopping
processes, used by ``ui.serve``'s sign-in, ``ui.cluster``, the load test and the browser tests.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

PROJECT_DIR = Path(__file__).resolve().parent.parent
#: How long a server, nginx or the identity provider may take to answer after it is started.
START_TIMEOUT_S = 90.0
#: How long a process may take to end after SIGTERM before it is killed.
STOP_TIMEOUT_S = 15.0


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, what: str, timeout: float = START_TIMEOUT_S) -> None:
    """Wait until ``url`` answers 200, or fail with ``what`` if ``process`` exits or time runs out (the process
    is then killed, so that a failed start leaves nothing running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited at start (code {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{what} did not answer on {url} within {timeout:g} s")


def stop(processes: Sequence[subprocess.Popen]) -> None:
    """Ask each process to end (the last started first), and kill one that has not after 15 s: a Streamlit server
    busy with a large store can hang on SIGTERM, and whoever stops it must not hang with it."""
    for process in reversed(processes):
        if process.poll() is None:
            process.terminate()
    for process in reversed(processes):
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()  # reaped: no zombie left behind


def start_dashboard(port: int, env: dict[str, str], options: Sequence[str] = (),
                    output: IO | int | None = subprocess.DEVNULL) -> subprocess.Popen:
    """Start one dashboard server (``python -m ui.serve``) on loopback ``port``, not yet answering."""
    return subprocess.Popen(
        [sys.executable, "-m", "ui.serve", f"--server.port={port}", "--server.headless=true",
         "--browser.gatherUsageStats=false", *options],
        cwd=PROJECT_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)


@contextlib.contextmanager
def dashboard(database_url: str, port: int | None = None, env: dict[str, str] | None = None,
              log: Path | None = None) -> Iterator[tuple[int, subprocess.Popen]]:
    """One dashboard server on ``database_url``, no proxy: yield its port and process once it answers; stop it,
    whatever happens. ``env`` adds to this process's environment; ``log`` keeps its output (and a failed start
    says the log's last lines)."""
    port = port or free_port()
    with open(log or os.devnull, "w") as output:
        process = start_dashboard(port, {**os.environ, **(env or {}), "RBM_DATABASE_URL": database_url},
                                  output=output)
        try:
            try:
                wait_for(f"http://127.0.0.1:{port}/_stcore/health", process, f"the dashboard server on port {port}")
            except RuntimeError as error:
                tail = log.read_text(errors="replace")[-4000:] if log else ""
                raise RuntimeError(f"{error}\n{tail}".rstrip()) from None
            yield port, process
        finally:
            stop([process])
