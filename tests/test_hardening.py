"""The server refuses websocket control messages that act on every user (ui.hardening)."""
from __future__ import annotations

import re
import time
import urllib.request

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from websockets.sync.client import connect

from tests.browser_support import wait_idle

pytestmark = pytest.mark.browser


def cache_entries(server: str) -> list[tuple[str, str]]:
    """The caches the server reports on /_stcore/metrics, with their sizes."""
    text = urllib.request.urlopen(f"{server}/_stcore/metrics", timeout=10).read().decode()
    return sorted(re.findall(r'^cache_memory_bytes\{[^}]*cache="([^"]+)"\} (\d+)', text, re.M))


def send(server: str, message: BackMsg) -> None:
    """Send one BackMsg as a bare websocket client would (no browser, no front end)."""
    url = server.replace("http://", "ws://") + "/_stcore/stream"
    heartbeat, rerun = BackMsg(), BackMsg()
    heartbeat.app_heartbeat = True
    rerun.rerun_script.query_string = ""
    with connect(url, subprotocols=["streamlit"], origin=server, open_timeout=10) as ws:
        ws.send(rerun.SerializeToString())  # a session that has run once, as a browser's would be
        time.sleep(3)
        ws.send(message.SerializeToString())
        # Seen here: the server acts on a frame once the next one arrives (or the socket closes).
        ws.send(heartbeat.SerializeToString())
        time.sleep(2)


def test_a_websocket_client_cannot_clear_every_users_caches(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server}/")
    wait_idle(page)
    context.close()
    before = cache_entries(server)
    assert "ui.data._results" in [name for name, _ in before]
    clear = BackMsg()
    clear.clear_cache = True
    send(server, clear)
    assert cache_entries(server) == before
