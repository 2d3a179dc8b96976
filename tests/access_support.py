"""Actors for tests: signed-in users with chosen roles, as kpi.access.actor_for would make them."""
from __future__ import annotations

from kpi.access import DATA_STEWARD, GRANTABLE_ROLES, HR_ANALYST, Actor, Grant
from ui.auth import sign_in_apptest


def signed_in(identity: str, *roles: str, sector: str | None = None) -> Actor:
    """A web actor ``identity`` holding ``roles`` (a data steward's limited to ``sector``)."""
    return Actor(identity=identity, grants=frozenset(Grant(r, sector if r == DATA_STEWARD else None) for r in roles))


def writer(identity: str) -> Actor:
    """A web actor with every role: writes any kind (the audit records ``identity``)."""
    return signed_in(identity, *GRANTABLE_ROLES)


def sign_in(at, identity: str | None, **claims):
    """Make AppTest ``at`` run as ``identity`` signed in (its grants come from the store), or public (None)."""
    return sign_in_apptest(at, identity, **claims)
