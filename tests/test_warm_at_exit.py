"""A process that ends while the workforce views are still being prepared in the background (a server stopped, or a
test run ending, just after an import) exits cleanly: it waits for the preparation instead of aborting."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

from tests.store_support import PROJECT_DIR

#: Starts the background preparation of data version 1 and ends as soon as it is inside HiGHS (the linear program
#: of the page audit, whose C++ threads abort the process when their Python thread is stopped at exit).
WARM_THEN_EXIT = """
import sys, threading
from kpi import disclosure_audit
from ui import workforce
solving = threading.Event()
optimum = disclosure_audit._Program.optimum
def signalling(self, publication, minimise):
    solving.set()
    return optimum(self, publication, minimise)
disclosure_audit._Program.optimum = signalling
workforce.warm_in_background(sys.argv[1], 1)
print("solving" if solving.wait(120) else "never solved", flush=True)
"""


def test_a_process_ending_during_the_background_preparation_exits_cleanly(demo_store_url, tmp_path):
    """Before the wait at exit this aborted five runs in five (exit 134, "terminate called without an active
    exception"), and a test run ending just after an import one time in two."""
    env = {"PATH": "/usr/bin:/bin", "RBM_FRAME_CACHE_DIR": "off", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", WARM_THEN_EXIT, demo_store_url], cwd=PROJECT_DIR, env=env,
                         capture_output=True, text=True, timeout=300)
    assert (run.returncode, run.stdout, "terminate called" in run.stderr) == (0, "solving\n", False)


def test_finish_warming_waits_for_every_warm_and_forgets_it(monkeypatch):
    from ui import workforce

    monkeypatch.setattr(workforce, "warm", lambda url, version: time.sleep(0.5))
    threads = [workforce.warm_in_background("sqlite://", 1) for _ in range(2)]
    assert [t.is_alive() for t in threads] == [True, True]
    workforce.finish_warming()
    assert ([t.is_alive() for t in threads], workforce._warming & set(threads)) == ([False, False], set())


def test_finish_warming_gives_up_after_its_timeout(monkeypatch):
    from ui import workforce

    release = threading.Event()
    monkeypatch.setattr(workforce, "warm", lambda url, version: release.wait(30))
    thread = workforce.warm_in_background("sqlite://", 1)
    started = time.monotonic()
    workforce.finish_warming(timeout=0.2)
    waited = time.monotonic() - started
    assert (thread.is_alive(), thread in workforce._warming, waited < 5) == (True, True, True)
    release.set()
    workforce.finish_warming()
    assert thread not in workforce._warming


def test_a_finished_warm_is_forgotten_when_the_next_one_starts(monkeypatch):
    """A server that imports many times does not keep every finished thread until it stops."""
    from ui import workforce

    monkeypatch.setattr(workforce, "warm", lambda url, version: None)
    first = workforce.warm_in_background("sqlite://", 1)
    first.join(5)
    second = workforce.warm_in_background("sqlite://", 2)
    second.join(5)
    assert (first in workforce._warming, second in workforce._warming) == (False, True)
