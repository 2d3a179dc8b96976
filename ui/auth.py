"""Sign-in through Streamlit's own OpenID Connect support, and the actor of each rerun.

``st.login`` sends the visitor to the identity provider configured in ``[auth]`` (secrets), and
``st.user`` holds the verified claims afterwards. :func:`resolve_actor` turns them into a
:class:`kpi.access.Actor` with the roles the store grants, on every rerun (so a revoked role takes
effect at the next interaction); app.py stores it for the pages of that rerun, overwriting anything
a session state may hold. The rules themselves live in :mod:`kpi.access`; this module only reads
who is signed in, ends sessions older than ``RBM_SESSION_HOURS`` and logs sign-ins.
"""
from __future__ import annotations

import os
import time

import streamlit as st

from kpi import access, security_log
from kpi.access import PUBLIC_ACTOR, Actor
from kpi.text import markdown_text
from ui import data as ui_data
from ui.demo_provider import DEMO_ACCOUNTS, DEMO_SECTION

#: "validated" (default): visitors who are not signed in see validated figures; "none": only the sign-in.
PUBLIC_ACCESS_ENV = "RBM_PUBLIC_ACCESS"
PUBLIC_ACCESS_CHOICES = ("validated", "none")
#: A signed-in session ends this many hours after the sign-in (the identity token's ``iat``).
SESSION_HOURS_ENV = "RBM_SESSION_HOURS"
DEFAULT_SESSION_HOURS = 12.0
_ACTOR_KEY = "_actor"
_SIGNED_IN_KEY = "_signed_in_as"
#: Sign-ins already logged by this server, by (identity, the ID token's iat): a sign-in opens many
#: sessions (every page load, every tab), but it is one sign-in.
_LOGGED_SIGN_INS: set[tuple[str, object]] = set()


def public_access() -> str:
    """The ``RBM_PUBLIC_ACCESS`` setting ("validated" unless set to "none"; anything else is refused)."""
    value = os.environ.get(PUBLIC_ACCESS_ENV, "validated").strip().lower()
    if value not in PUBLIC_ACCESS_CHOICES:
        raise ValueError(f"{PUBLIC_ACCESS_ENV}={value!r}: expected one of {', '.join(PUBLIC_ACCESS_CHOICES)}")
    return value


def session_hours() -> float:
    """How long a signed-in session lasts (``RBM_SESSION_HOURS``, default 12)."""
    return float(os.environ.get(SESSION_HOURS_ENV) or DEFAULT_SESSION_HOURS)


def _secrets_section(name: str) -> dict | None:
    try:
        return dict(st.secrets[name]) if name in st.secrets else None
    except Exception:  # no secrets file at all: Streamlit raises rather than answer "no"
        return None


def sign_in_configured() -> bool:
    """Whether an identity provider is configured (``[auth]`` in secrets)."""
    return _secrets_section("auth") is not None


def is_demonstration() -> bool:
    """Whether the configured provider is the demonstration's (ui.demo_provider)."""
    return _secrets_section(DEMO_SECTION) is not None


def verified_identities(claims: dict) -> list[str]:
    """The identities a sign-in vouches for: the e-mail (unless marked unverified), then the subject."""
    identities = []
    email = claims.get("email")
    if isinstance(email, str) and email.strip() and claims.get("email_verified", True) not in (False, "false"):
        identities.append(email)
    sub = claims.get("sub")
    if isinstance(sub, str) and sub.strip():
        identities.append(sub)
    return identities


def _expired(claims: dict) -> bool:
    issued = claims.get("iat")
    started = issued if isinstance(issued, int | float) else st.session_state.setdefault("_session_started", time.time())
    return time.time() - started > session_hours() * 3600


def resolve_actor() -> Actor:
    """Who is using this session now (public unless signed in with a grant); store it for this rerun."""
    actor = PUBLIC_ACTOR
    if sign_in_configured() and st.user.is_logged_in:
        claims = st.user.to_dict()
        actor = access.actor_for(ui_data.engine(), verified_identities(claims))
        if _expired(claims):
            security_log.record("session_expired", actor.audit_name, actor.channel)
            st.session_state.pop(_SIGNED_IN_KEY, None)
            st.logout()
            st.stop()
        if actor.signed_in and st.session_state.get(_SIGNED_IN_KEY) != actor.identity:
            st.session_state[_SIGNED_IN_KEY] = actor.identity
            sign_in = (actor.identity, claims.get("iat") or id(st.session_state))
            if sign_in not in _LOGGED_SIGN_INS:
                _LOGGED_SIGN_INS.add(sign_in)
                security_log.record("sign_in", actor.audit_name, actor.channel, roles=actor.role_label)
    st.session_state[_ACTOR_KEY] = actor
    return actor


def current_actor() -> Actor:
    """The actor app.py resolved for this rerun (public if none was)."""
    actor = st.session_state.get(_ACTOR_KEY)
    return actor if isinstance(actor, Actor) else PUBLIC_ACTOR


def sign_out(actor: Actor) -> None:
    """Log the sign-out, then leave through Streamlit's logout."""
    security_log.record("sign_out", actor.audit_name, actor.channel)
    st.session_state.pop(_SIGNED_IN_KEY, None)
    st.logout()


def account_box(actor: Actor) -> None:
    """The sidebar's sign-in or account line."""
    box = st.sidebar.container(border=True)
    if actor.signed_in:
        box.markdown(f"Signed in as **{markdown_text(actor.identity)}**  \n{actor.role_label}")
        if not actor.is_staff:
            box.caption("No role is granted to this account: you see what the public sees. "
                        "Ask an administrator for access.")
        if box.button("Sign out", key="sign-out", icon=":material/logout:"):
            sign_out(actor)
    elif sign_in_configured():
        if box.button("Sign in", key="sign-in", icon=":material/login:", type="primary"):
            st.login()
        box.caption("Public view: validated figures only." + (" " + demo_note() if is_demonstration() else ""))
    else:
        box.caption("Sign-in is not configured: public view of validated figures.")


def demo_note() -> str:
    """What the demonstration's sign-in screen says about its accounts."""
    return (f"Demonstration sign-in: a local test provider, not for real use. Pick one of its {len(DEMO_ACCOUNTS)} "
            "accounts, one per role (administrator, data steward, HR analyst, staff, no role).")


def sign_in_screen(actor: Actor) -> None:
    """The only screen when public access is off and the visitor has no role."""
    st.title("ITU results dashboard")
    if actor.signed_in:
        st.warning(f"{markdown_text(actor.identity)} has no role on this dashboard. Ask an administrator for access.",
                   icon=":material/lock:")
        if st.button("Sign out", key="sign-out-screen", icon=":material/logout:"):
            sign_out(actor)
        return
    st.info("Sign in to see the dashboard.", icon=":material/lock:")
    if sign_in_configured():
        if st.button("Sign in", key="sign-in-screen", icon=":material/login:", type="primary"):
            st.login()
        if is_demonstration():
            st.caption(demo_note())
    else:
        st.error("No identity provider is configured: see the README, \"Sign-in and roles\".")


#: An ``[auth]`` section for AppTest runs (tests and the benchmark): AppTest never contacts the provider.
APPTEST_AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "apptest-cookie-secret",
                "client_id": "apptest", "client_secret": "apptest",
                "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def sign_in_apptest(at, identity: str | None, **claims):
    """Make an AppTest run as ``identity`` signed in, with the claims a provider verifies (None: public).

    The roles still come from the store's grants, as for a real sign-in.
    """
    at.secrets["auth"] = APPTEST_AUTH
    if identity is None:
        at.user = {"is_logged_in": False}
    else:
        at.user = {"is_logged_in": True, "email": identity, "sub": identity, "iat": int(time.time()), **claims}
    return at
