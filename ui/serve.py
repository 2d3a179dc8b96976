"""Start the dashboard: ``python -m ui.serve [streamlit options]`` (what ``make run`` does).

Streamlit treats a ``pages/`` folder beside the main script as an old-style (v1) multipage app
until the first run of ``app.py`` calls ``st.navigation``. On a fresh server, a shared link such
as ``/explorer?indicator=G1.INET`` would then run the page file on its own, without the global
filters of ``app.py``. This launcher declares the app a ``st.navigation`` app before the server
starts, so that every link works from the first request.

When no identity provider is configured (no ``[auth]`` in ``.streamlit/secrets.toml``), it also
starts the demonstration sign-in (:mod:`ui.demo_provider`) for as long as the server runs, unless
``RBM_DEMO_SIGN_IN=0``; and every session refuses the websocket's control messages that act on all
users, such as ``clear_cache`` (:mod:`ui.hardening`).
"""
from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from kpi.config import check_settings
from ui import demo_provider, runtime
from ui.hardening import refuse_control_messages
from ui.navigation import DEFAULT_PAGE_PATH

APP = Path(__file__).resolve().parent.parent / "app.py"
DEFAULT_PORT = 8501


def server_port(argv: list[str]) -> int:
    """The port Streamlit will listen on, from ``--server.port`` or the environment."""
    for i, arg in enumerate(argv):
        if arg.startswith("--server.port="):
            return int(arg.split("=", 1)[1])
        if arg == "--server.port" and i + 1 < len(argv):
            return int(argv[i + 1])
    return int(os.environ.get("STREAMLIT_SERVER_PORT") or DEFAULT_PORT)


def route_default_page_address() -> None:
    """Answer the overview's own address (``/overview``, kept in links and bookmarks) by a redirect to the root,
    where Streamlit serves the default page, the query (the filters) kept. Streamlit alone answers it with
    "Page not found" and falls back to the root."""
    from starlette.responses import RedirectResponse
    from starlette.routing import Route
    from streamlit.web.server.starlette import starlette_app

    original = starlette_app.create_streamlit_routes

    async def to_root(request) -> RedirectResponse:
        query = request.url.query
        return RedirectResponse("/" + (f"?{query}" if query else ""), status_code=307)

    def routes(runtime):
        return [Route(f"/{DEFAULT_PAGE_PATH}", to_root, methods=["GET", "HEAD"]), *original(runtime)]

    starlette_app.create_streamlit_routes = routes


def page_with_backend_address(html: str, base_url: str) -> str:
    """Streamlit's ``index.html`` declaring where the server is (``window.__streamlit.BACKEND_BASE_URL``).

    Without it the front end guesses: on ``/scorecard`` it first asks ``/scorecard/_stcore/health`` and
    ``/scorecard/_stcore/host-config`` (two 404s in every page load's console) before trying the root.
    Answering those probes instead would make ``/scorecard`` the app's base path, and every page would
    then open as the default page. The address is the page's origin plus ``server.baseUrlPath``.
    """
    base = "/" + base_url.strip("/") if base_url.strip("/") else ""
    script = ("<script>window.__streamlit = Object.assign(window.__streamlit || {}, "
              f"{{BACKEND_BASE_URL: window.location.origin + {json.dumps(base)}}});</script>")
    return html.replace("<head>", "<head>\n    " + script, 1)


def declare_backend_address() -> None:
    """Serve ``index.html`` through :func:`page_with_backend_address` (every page address falls back to it)."""
    from starlette.responses import FileResponse, HTMLResponse
    from streamlit.web.server.starlette import starlette_static_routes as static

    original = static.create_streamlit_static_handler

    def handler(directory: str, base_url: str | None):
        files = original(directory, base_url)
        index = Path(directory) / "index.html"
        page = page_with_backend_address(index.read_text(encoding="utf-8"), base_url or "")
        get_response = files.get_response

        async def get_response_with_address(path, scope):
            response = await get_response(path, scope)
            if isinstance(response, FileResponse) and Path(response.path) == index:
                return HTMLResponse(page, headers={"Cache-Control": response.headers["Cache-Control"]})
            return response

        files.get_response = get_response_with_address
        return files

    static.create_streamlit_static_handler = handler


#: Modules the pages import late (Plotly imports pandas when a figure first reads its data): imported before
#: the server takes sessions. Fifty sessions opening a fresh server at once otherwise ran that first import
#: in many threads together, and 16 of them failed with "partially initialized module 'pandas'"
#: (scripts/loadtest.py --sessions 50 --nginx --servers 2).
PRELOADED = ("pandas", "numpy", "plotly.graph_objects", "plotly.io", "polars", "sqlalchemy", "kpi.charts.table",
             "ui.widgets")


def preload() -> None:
    """Import :data:`PRELOADED` in this thread, before any session runs, and serialise one small figure: Plotly
    builds its validators and JSON encoder on the first figure (0.13 s), which the first visitor paid."""
    for name in PRELOADED:
        importlib.import_module(name)
    import plotly.graph_objects as go

    go.Figure(go.Bar(x=[1], y=[1])).update_layout(title="warm").to_json()


def main(argv: list[str]) -> int:
    """Run ``streamlit run app.py`` in this process with ``argv`` as extra options."""
    try:
        check_settings()
    except ValueError as error:  # said once, here, rather than as every page's (redacted) error
        print(f"error: {error}", file=sys.stderr)
        return 2
    PagesManager.uses_pages_directory = False
    preload()
    route_default_page_address()
    declare_backend_address()
    refuse_control_messages()
    provider = None
    options = list(argv)
    if demo_provider.wanted():
        provider = demo_provider.start(server_port(argv))
        granted = demo_provider.grant_demo_roles()
        # The default secrets files first (other secrets still load), the demonstration's last.
        for path in (*demo_provider.streamlit_secrets_files(), provider.secrets_file):
            options += ["--secrets.files", str(path)]
        print(f"Demonstration sign-in: identity provider on {provider.url} "
              f"({granted} demo role(s) newly granted); not for real use.", flush=True)
    runtime.collect_and_freeze()
    try:
        return cli.main(args=["run", str(APP), *options], prog_name="streamlit", standalone_mode=False) or 0
    finally:
        if provider is not None:
            provider.stop()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
