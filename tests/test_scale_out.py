"""Scale-out, real: PostgreSQL, two dashboard servers and nginx in front of them on loopback (``ui.cluster``).

nginx's answers are checked as a browser receives them (security headers, the metrics block, the front end's
files compressed and cached, served without a dashboard server); Chromium sessions are shown to stay on their
server (nginx's access log names the server of every request, websocket included); an import through one
server is seen by a session on the other at its next interaction.

On PostgreSQL when ``make test`` provides it (``RBM_TEST_POSTGRES_URL``, the multi-user store); a bare pytest
without it runs the same on one SQLite file (WAL), so that the test never skips.
"""
from __future__ import annotations

import gzip
import os
import re
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest

from kpi.bootstrap import initialise
from kpi.store.engine import make_engine
from tests.browser_support import import_file, sign_in, wait_idle
from tests.store_support import POSTGRES_ENV, reset_postgres
from ui import cluster as cl

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The headers every answer of nginx carries (deploy/security-headers.conf), errors included.
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
ROUTE_COOKIE = re.compile(r"rbm_route=([0-9a-f]{32}); Path=/; HttpOnly; SameSite=Lax")
#: One observation that changes what D1.PROJ shows for 2025 (74.3 %, provisional, in the demo).
IMPORT_CSV = (b"indicator,year,value,sector,region,country,grade,gender,duty_station,flag,note\n"
              b"D1.PROJ,2025,77.5,,,,,,,estimate,scale-out test\n")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    """A demo store on PostgreSQL (or one SQLite file without it)."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('cluster') / 'cluster.sqlite'}"
    engine = make_engine(url)
    initialise(engine, demo=True)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def cluster(store, tmp_path_factory):
    with cl.running(servers=2, database_url=store, prefix=tmp_path_factory.mktemp("nginx")) as running:
        yield running


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a GET (an error status is returned, not raised)."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def routes(access_log: Path) -> dict[str, set[str]]:
    """For each route cookie in nginx's access log, the dashboard servers that answered its requests."""
    servers: dict[str, set[str]] = defaultdict(set)
    for line in access_log.read_text().splitlines():
        route, upstream = re.search(r"route=(\S+) upstream=(\S+)$", line).groups()
        if upstream != "-":  # "-": nginx answered itself (front end files, the metrics block)
            servers[route].add(upstream)
    return servers


def test_nginx_sets_the_security_headers_blocks_metrics_and_serves_the_front_end_itself(cluster):
    status, headers, body = fetch(cluster.url + "/")
    assert status == 200
    assert {k: headers.get(k) for k in SECURITY_HEADERS} == SECURITY_HEADERS
    host = cluster.url.removeprefix("http://")
    assert headers["Content-Security-Policy"].split("; ") == [
        "default-src 'self'", "img-src 'self' data: blob:", "font-src 'self' data:",
        "style-src 'self' 'unsafe-inline'", "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "worker-src 'self' blob:", f"connect-src 'self' ws://{host} wss://{host}", "frame-ancestors 'none'",
        "base-uri 'self'", "form-action 'self'"]
    assert ROUTE_COOKIE.fullmatch(headers["Set-Cookie"])
    # The page is the dashboard's (it declares where the server is); its scripts are nginx's, from disk.
    page = body.decode()
    assert "BACKEND_BASE_URL" in page
    script = re.search(r'src="\.?(/static/js/index\.[^"]+\.js)"', page).group(1)

    status, headers, body = fetch(cluster.url + script, **{"Accept-Encoding": "gzip"})
    on_disk = (cl.STREAMLIT_STATIC / script.lstrip("/")).read_bytes()
    assert (status, headers["Content-Encoding"], headers["Cache-Control"]) == (
        200, "gzip", "public, max-age=31536000, immutable")
    assert gzip.decompress(body) == on_disk and len(body) < len(on_disk) / 2
    assert {k: headers.get(k) for k in SECURITY_HEADERS} == SECURITY_HEADERS

    # The metrics are blocked at nginx (with the headers), though each server still has them on loopback.
    status, headers, _ = fetch(cluster.url + "/_stcore/metrics")
    assert status == 404 and {k: headers.get(k) for k in SECURITY_HEADERS} == SECURITY_HEADERS
    assert fetch(cluster.servers[0] + "/_stcore/metrics")[0] == 200

    log = cluster.access_log.read_text()
    assert re.search(rf'"GET {re.escape(script)} HTTP/1.1" 200 \d+ route=\S+ upstream=-$', log, re.M)
    assert re.search(r'"GET /_stcore/metrics HTTP/1.1" 404 \d+ route=\S+ upstream=-$', log, re.M)


def sessions_on_two_servers(cluster, browser, tries: int = 12) -> list[tuple]:
    """(context, page, route) of two new browsers that nginx sent to different servers (each new browser gets
    a random route); the contexts opened on the way are closed."""
    sessions: dict[str, tuple] = {}
    for _ in range(tries):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        page.goto(cluster.url + "/explorer?indicator=D1.PROJ")
        wait_idle(page)
        route = next(c["value"] for c in context.cookies() if c["name"] == "rbm_route")
        (server,) = routes(cluster.access_log)[route]
        if server in sessions:
            context.close()
            continue
        sessions[server] = (context, page, route)
        if len(sessions) == 2:
            return list(sessions.values())
    for context, _, _ in sessions.values():
        context.close()
    raise AssertionError(f"{tries} new browsers all landed on one server")


def test_sessions_stay_on_their_server_and_an_import_through_one_shows_through_the_other(cluster, browser):
    (writer_context, writer, writer_route), (reader_context, reader, reader_route) = sessions_on_two_servers(
        cluster, browser)  # one Chromium for the whole run: the browser fixture
    try:
        sign_in(reader, cluster.url, "staff@demo.invalid")  # staff see provisional values
        reader.goto(cluster.url + "/explorer?indicator=D1.PROJ")
        wait_idle(reader)
        latest = reader.locator("[data-testid='stMetric']").first
        assert latest.inner_text().split("\n\n") == ["Latest (2025, provisional)", "74.3 %"]

        sign_in(writer, cluster.url, "steward@demo.invalid")
        assert import_file(writer, cluster.url, "observations", "scale-out.csv", IMPORT_CSV).startswith(
            "scale-out.csv: ")

        # The reader's next interaction (another tab of the explorer) reruns on its own server.
        reader.get_by_role("tab", name="Table").click()
        wait_idle(reader)
        assert latest.inner_text().split("\n\n") == ["Latest (2025, estimate)", "77.5 %"]
    finally:
        writer_context.close()
        reader_context.close()
    # Every request of each session, its sign-in and its websocket included (logged when it closes), went to
    # one server, and not the same one.
    seen = routes(cluster.access_log)
    assert (len(seen[writer_route]), len(seen[reader_route])) == (1, 1)
    assert seen[writer_route] != seen[reader_route]
    log = cluster.access_log.read_text()
    for route in (writer_route, reader_route):
        assert re.search(rf'"GET /_stcore/stream HTTP/1.1" 101 \d+ route={route} ', log)
        assert re.search(rf'"GET /oauth2callback\?\S+ HTTP/1.1" 302 \d+ route={route} ', log)
