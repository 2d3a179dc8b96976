"""Refusals the server makes itself: control messages a browser may send over the websocket.

A browser talks to a Streamlit session through one websocket carrying protobuf ``BackMsg``
messages; a reverse proxy cannot read them. Two of them act on the server for everyone rather
than on the sender's page: ``clear_cache`` empties every cache of every user (any websocket
client could send it, even without the front end's menu), and ``set_run_on_save`` makes the
server rerun sessions when source files change. A production dashboard needs neither:
:func:`refuse_control_messages` makes every session drop them, with a line in the security log.
``ui.serve`` installs it before the server starts.
"""
from __future__ import annotations

import logging

from kpi import security_log

#: BackMsg types that a session refuses (the others: reruns, heartbeats, uploads, pass as usual).
REFUSED_BACKMSGS = ("clear_cache", "set_run_on_save")
_logger = logging.getLogger("rbm.hardening")


def refuse_control_messages() -> None:
    """Make every Streamlit session of this process drop the messages of :data:`REFUSED_BACKMSGS`."""
    from streamlit.runtime.app_session import AppSession

    if getattr(AppSession.handle_backmsg, "_rbm_refuses", False):
        return
    original = AppSession.handle_backmsg

    def handle_backmsg(self, msg) -> None:
        kind = msg.WhichOneof("type")
        if kind in REFUSED_BACKMSGS:
            _logger.warning("refused the websocket control message %r of session %s", kind, self.id)
            security_log.record("refused", "websocket client", "web", action=kind,
                                reason="control messages that act on every user are refused")
            return
        original(self, msg)

    handle_backmsg._rbm_refuses = True
    AppSession.handle_backmsg = handle_backmsg
