"""Actors for tests: signed-in users with chosen roles, as kpi.access.actor_for would make them."""
from __future__ import annotations

from kpi.access import DATA_STEWARD, GRANTABLE_ROLES, HR_ANALYST, Actor, Grant


def signed_in(identity: str, *roles: str, sector: str | None = None) -> Actor:
    """A web actor ``identity`` holding ``roles`` (a data steward's limited to ``sector``)."""
    return Actor(identity=identity, grants=frozenset(Grant(r, sector if r == DATA_STEWARD else None) for r in roles))


def writer(identity: str) -> Actor:
    """A web actor with every role: writes any kind (the audit records ``identity``)."""
    return signed_in(identity, *GRANTABLE_ROLES)


__all__ = ["signed_in", "writer", "DATA_STEWARD", "HR_ANALYST"]


#: A provider configuration for AppTest: sign_in_configured() reads [auth]; AppTest never contacts it.
APPTEST_AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "apptest-cookie-secret",
                "client_id": "apptest", "client_secret": "apptest",
                "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def sign_in(at, identity: str | None, **claims):
    """Make AppTest ``at`` run as ``identity`` signed in (its grants come from the store), or public (None)."""
    import time

    at.secrets["auth"] = APPTEST_AUTH
    if identity is None:
        at.user = {"is_logged_in": False}
    else:
        at.user = {"is_logged_in": True, "email": identity, "sub": identity, "iat": int(time.time()), **claims}
    return at
