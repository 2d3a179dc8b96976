"""The security log: sign-ins, sign-outs, role changes and refused attempts, one JSON line each.

Changes to data are audited in the store (``change_log``, ``import_batch``, ``role_grant``), in the
same transaction as the change. A *refused* attempt changes nothing, and the store must stay byte for
byte as it was, so security events go to an append-only file beside it instead: one JSON object per
line, written with ``O_APPEND`` (a line from each of several processes never interleaves), also
passed to the ``rbm.security`` logger so that a log collector can ship them.

The file is ``RBM_SECURITY_LOG`` (default ``data/security.log``); with several servers, each keeps its
own, or they point at one shared path.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections import deque
from pathlib import Path
from typing import Any

from kpi.config import DATA_DIR

SECURITY_LOG_ENV = "RBM_SECURITY_LOG"
DEFAULT_SECURITY_LOG = DATA_DIR / "security.log"
#: The events written, and what each means.
EVENTS = {
    "sign_in": "a verified identity started a session",
    "sign_out": "a signed-in user left",
    "session_expired": "a session older than the configured limit was ended",
    "grant": "a role was granted",
    "revoke": "a role was revoked",
    "refused": "an action the role does not allow was refused",
}
_logger = logging.getLogger("rbm.security")


def log_path() -> Path:
    """Where security events are appended."""
    return Path(os.environ.get(SECURITY_LOG_ENV) or DEFAULT_SECURITY_LOG)


def record(event: str, who: str, channel: str, **detail: Any) -> dict:
    """Append one event (``who`` is the verified identity or "public") and return it."""
    if event not in EVENTS:
        raise ValueError(f"unknown security event {event!r}: expected one of {', '.join(EVENTS)}")
    line = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "event": event, "who": who,
            "channel": channel, **{k: v for k, v in detail.items() if v is not None}}
    text = json.dumps(line, ensure_ascii=False, default=str) + "\n"
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
    _logger.info(text.rstrip())
    return line


def recent(limit: int = 200) -> list[dict]:
    """The last ``limit`` events, newest first (lines that are not JSON are skipped)."""
    path = log_path()
    if not path.exists():
        return []
    with path.open(encoding="utf-8", errors="replace") as handle:
        tail = deque(handle, maxlen=limit)
    events = []
    for line in reversed(tail):
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return events


#: The fields every event has; the others are its details.
FIELDS = ("at", "event", "who", "channel")


def recent_rows(limit: int = 200) -> list[dict[str, str]]:
    """:func:`recent` as table rows: when, event, who, channel and the rest as one "details" text."""
    return [{"at": e.get("at", ""), "event": e.get("event", ""), "who": e.get("who", ""),
             "channel": e.get("channel", ""),
             "details": "; ".join(f"{k}: {v}" for k, v in e.items() if k not in FIELDS and v is not None)}
            for e in recent(limit)]
