"""Actors for tests: signed-in users with chosen roles, as kpi.access.actor_for would make them."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

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


#: The app's entry point, as AppTest opens it.
APP = str(Path(__file__).resolve().parent.parent / "app.py")
#: The account the page tests sign in with by default: staff see provisional values too.
STAFF = "staff@demo.invalid"


def open_page(page: str, user: str | None = STAFF, *, timeout: int = 120) -> AppTest:
    """``page`` (a path under ``pages/``) as ``user`` sees it (None: the public), checked to run without an error.

    ``timeout`` bounds each run (not a speed check).
    """
    at = sign_in(AppTest.from_file(APP, default_timeout=timeout), user)
    at.run()
    if Path(page).name != "overview.py":  # the overview is the default page: the first run shows it
        at.switch_page(page)
        at.run()
    assert [e.value for e in at.exception] == []
    return at
