"""Running the real app for browser tests: a Streamlit server and Debian's Chromium via Playwright."""
from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from ui.processes import dashboard, free_port  # noqa: F401 (free_port: the tests' import of it)

PROJECT_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOT_DIR = PROJECT_DIR / "artifacts" / "screenshots"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


@contextlib.contextmanager
def streamlit_server(database_url: str, port: int | None = None):
    """Start the dashboard (``python -m ui.serve``) on the given store; yield its base URL; stop it."""
    with tempfile.TemporaryDirectory(prefix="rbm-browser-server-") as folder, \
            dashboard(database_url, port, log=Path(folder) / "server.log") as (served_port, _):
        yield f"http://127.0.0.1:{served_port}"


def wait_idle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the app has finished its run and no element is still loading."""
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stSkeleton\"], [data-stale=\"true\"]').length === 0",
        timeout=timeout_ms)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` and wait until the page is idle again."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def import_file(page, app: str, kind: str, name: str, content: bytes) -> str:
    """Import ``content`` as file ``name`` of ``kind`` on the Data page (signed in as a steward); return the
    success message (it waits for one)."""
    page.goto(app + "/data")
    wait_idle(page)
    choose(page, "What to import", kind)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    page.get_by_role("button", name="Import now").wait_for()
    wait_idle(page)
    page.get_by_role("button", name="Import now").click()
    success = page.locator("[data-testid='stAlertContentSuccess']")
    success.wait_for()
    return success.inner_text()


def on_localhost(base: str) -> str:
    """``base`` at ``localhost``: the demonstration sign-in's redirect and auth cookie are for that host."""
    return base.replace("127.0.0.1", "localhost")


def sign_in(page, app: str, email: str) -> str:
    """Sign in as the demo account ``email`` through the real provider's page; return the provider's host.

    ``app`` is the dashboard's base URL at ``localhost`` (:func:`on_localhost`).
    """
    from urllib.parse import urlsplit

    page.goto(app + "/")
    wait_idle(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    provider = urlsplit(page.url).netloc
    page.get_by_role("button", name=email, exact=True).click()
    page.wait_for_url(app + "/**")
    page.get_by_text("Signed in as").wait_for()
    wait_idle(page)
    return provider
