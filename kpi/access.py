"""Who may see and do what: roles kept in the store, checked here by every function that writes.

An :class:`Actor` is who acts: a visitor of a page (signed in through OpenID Connect or not) or
an operator of the command line. Its roles come from the store (:class:`RoleGrant` rows), granted
to a *verified* identity: the e-mail address the identity provider vouches for, or its subject.

- *public* (not signed in, or signed in without a grant): validated figures and protected workforce
  aggregates; nothing can be written or downloaded beyond what a page shows.
- *staff*: also provisional figures and the internal management records (risks, oversight,
  retreat commitments, the audit trail of values).
- *data steward*: imports the kinds that are not about individuals, validates and reopens years;
  optionally limited to one Sector's indicators (then only their observations and targets).
- *HR analyst*: imports and exports the records about individuals (staff, recruitments, training).
- *administrator*: grants and revokes roles, manages Council sequences.

Every role sees what staff see. The command line is the operator's channel (whoever runs it can
already read the store's file or database): :func:`operator` acts with every role, under the name
given by ``--user``, and the audit names it as a command-line change with the OS account.

The UI only mirrors these rules (it hides what a role cannot use); the ``require_*`` functions here
are what enforce them, and each refusal raises :class:`AccessDenied` before anything is written and
is recorded in the security log (:mod:`kpi.security_log`).
"""
from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kpi import dimensions as dims
from kpi import security_log
from kpi.store import models as m

PUBLIC = "public"
STAFF = "staff"
DATA_STEWARD = "data_steward"
HR_ANALYST = "hr_analyst"
ADMINISTRATOR = "administrator"
#: The roles that can be granted (public is what everyone has), in order of the documentation.
GRANTABLE_ROLES: tuple[str, ...] = (STAFF, DATA_STEWARD, HR_ANALYST, ADMINISTRATOR)
ROLE_LABELS = {PUBLIC: "Public", STAFF: "Staff", DATA_STEWARD: "Data steward", HR_ANALYST: "HR analyst",
               ADMINISTRATOR: "Administrator"}
#: Roles whose grant may be limited to one Sector.
SECTOR_SCOPED_ROLES = (DATA_STEWARD,)
#: The kinds a Sector-limited data steward may import: values and targets of that Sector's indicators.
SECTOR_STEWARD_KINDS = ("observations", "targets")
WEB = "web"
COMMAND_LINE = "command line"
IDENTITY_MAX_LENGTH = m.RoleGrant.__table__.c.identity.type.length
GRANTS_SCHEMA = {"identity": pl.String(), "role": pl.String(), "sector": pl.String(), "granted_by": pl.String(),
                 "granted_at": pl.Datetime("us")}


class AccessDenied(PermissionError):
    """An action the actor's roles do not allow; nothing was written."""


@dataclass(frozen=True)
class Grant:
    """One role of an actor; ``sector`` limits a data steward to one Sector's indicators."""

    role: str
    sector: str | None = None


@dataclass(frozen=True)
class Actor:
    """Who acts: ``identity`` is verified (None for a public visitor); ``grants`` come from the store."""

    identity: str | None = None
    grants: frozenset[Grant] = frozenset()
    channel: str = WEB
    os_user: str | None = None

    @property
    def signed_in(self) -> bool:
        """Whether someone signed in (the public has no identity)."""
        return self.identity is not None

    @property
    def roles(self) -> frozenset[str]:
        """The roles granted to this actor."""
        return frozenset(g.role for g in self.grants)

    def has(self, role: str) -> bool:
        """Whether the actor holds ``role`` (for any Sector)."""
        return role in self.roles

    @property
    def is_staff(self) -> bool:
        """Signed in and granted any role: sees provisional figures and internal records."""
        return self.signed_in and bool(self.grants)

    @property
    def sees_provisional(self) -> bool:
        """Whether provisional (not yet validated) values are shown to this actor: staff only."""
        return self.is_staff

    @property
    def steward_sectors(self) -> frozenset[str] | None:
        """The Sectors a data steward is limited to; None when unlimited (or not a steward: check ``has``)."""
        sectors = [g.sector for g in self.grants if g.role == DATA_STEWARD]
        if not sectors or None in sectors:
            return None
        return frozenset(sectors)

    @property
    def audit_name(self) -> str:
        """The name the change log, import batches and periods record."""
        if self.channel == COMMAND_LINE:
            return f"{self.identity} (command line, OS account {self.os_user or 'unknown'})"
        return self.identity or PUBLIC

    @property
    def role_label(self) -> str:
        """The roles in words ("Data steward (ITU-D), HR analyst"), or "Public"."""
        if not self.is_staff:
            return ROLE_LABELS[PUBLIC]
        return ", ".join(ROLE_LABELS[g.role] + (f" ({g.sector})" if g.sector else "")
                         for g in sorted(self.grants, key=lambda g: (GRANTABLE_ROLES.index(g.role), g.sector or "")))


PUBLIC_ACTOR = Actor()


def operator(name: str, os_user: str | None = None) -> Actor:
    """The command line's actor: every role, recorded as ``name`` with the OS account."""
    name = (name or "").strip()
    if not name:
        raise AccessDenied("the command line needs --user NAME: every write names its operator")
    return Actor(identity=name, grants=frozenset(Grant(r) for r in GRANTABLE_ROLES), channel=COMMAND_LINE,
                 os_user=os_user or os_account())


def os_account() -> str:
    """The operating-system account running this process ("unknown" when it has no name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def normalise_identity(identity: str) -> str:
    """The stored form of an identity: e-mail addresses in lower case, subjects as given."""
    identity = (identity or "").strip()
    return identity.lower() if "@" in identity else identity


# ---------------------------------------------------------------- checks


def refuse(actor: Actor, action: str, why: str) -> AccessDenied:
    """Record a refused attempt in the security log and return the exception to raise."""
    security_log.record("refused", actor.audit_name, actor.channel, action=action, reason=why)
    return AccessDenied(why)


def _role_refusal(actor: Actor, role: str, action: str) -> str | None:
    if actor.has(role):
        return None
    return f"{action} needs the {ROLE_LABELS[role].lower()} role; {_who(actor)} has {actor.role_label.lower()} access"


def _staff_refusal(actor: Actor, action: str) -> str | None:
    return None if actor.is_staff else f"{action} is for signed-in staff; {_who(actor)} has public access"


def import_refusal(actor: Actor, kind: str, about_individuals: bool) -> str | None:
    """Why ``actor`` may not import ``kind`` (HR analysts: individuals; stewards: the rest), or None."""
    action = f"importing {kind}"
    if about_individuals:
        return _role_refusal(actor, HR_ANALYST, action)
    why = _role_refusal(actor, DATA_STEWARD, action)
    if why is None and actor.steward_sectors is not None and kind not in SECTOR_STEWARD_KINDS:
        why = (f"{action} needs a data steward for all Sectors; {_who(actor)}'s role covers {_sectors(actor)} only "
               "(observations and targets of its indicators)")
    return why


def export_refusal(actor: Actor, kind: str, about_individuals: bool) -> str | None:
    """Why ``actor`` may not export ``kind`` (records about individuals: HR analysts only), or None."""
    if about_individuals:
        return _role_refusal(actor, HR_ANALYST, f"exporting {kind}")
    return _staff_refusal(actor, f"exporting {kind}")


def may_import(actor: Actor, kind: str, about_individuals: bool) -> bool:
    """Whether :func:`require_import` would let ``actor`` through (no log line: for offering choices)."""
    return import_refusal(actor, kind, about_individuals) is None


def may_export(actor: Actor, kind: str, about_individuals: bool) -> bool:
    """Whether :func:`require_export` would let ``actor`` through."""
    return export_refusal(actor, kind, about_individuals) is None


def _require(actor: Actor, action: str, why: str | None) -> None:
    if why is not None:
        raise refuse(actor, action, why)


def require_role(actor: Actor, role: str, action: str) -> None:
    """Refuse ``action`` unless the actor holds ``role``."""
    _require(actor, action, _role_refusal(actor, role, action))


def require_import(actor: Actor, kind: str, about_individuals: bool) -> None:
    """Refuse importing ``kind`` unless the actor's role writes it (:func:`import_refusal`)."""
    _require(actor, f"importing {kind}", import_refusal(actor, kind, about_individuals))


def require_export(actor: Actor, kind: str, about_individuals: bool) -> None:
    """Refuse exporting ``kind`` unless allowed (:func:`export_refusal`)."""
    _require(actor, f"exporting {kind}", export_refusal(actor, kind, about_individuals))


def require_approval(actor: Actor, action: str, indicator_owner: str | None) -> None:
    """Refuse validating or reopening unless a data steward whose Sectors cover the indicator.

    ``indicator_owner`` is the owner of the one indicator concerned, or None for all indicators
    (which needs a steward for all Sectors).
    """
    require_role(actor, DATA_STEWARD, action)
    sectors = actor.steward_sectors
    if sectors is None:
        return
    if indicator_owner is None:
        raise refuse(actor, action, f"{action} for all indicators needs a data steward for all Sectors; "
                                    f"{_who(actor)}'s role covers {_sectors(actor)} only: choose one of its indicators")
    if not steward_may_write(actor, indicator_owner):
        raise refuse(actor, action, f"{action}: the indicator belongs to {indicator_owner}; {_who(actor)}'s role "
                                    f"covers {_sectors(actor)} only")


def steward_may_write(actor: Actor, indicator_owner: str) -> bool:
    """Whether a data steward's Sectors cover an indicator of ``indicator_owner`` (row-level check)."""
    sectors = actor.steward_sectors
    return sectors is None or indicator_owner in sectors


def _who(actor: Actor) -> str:
    return actor.identity or "a visitor who is not signed in"


def _sectors(actor: Actor) -> str:
    return ", ".join(sorted(actor.steward_sectors or ()))


# ---------------------------------------------------------------- grants in the store


def actor_for(engine: Engine, identities: Sequence[str], channel: str = WEB) -> Actor:
    """The actor of a verified sign-in: ``identities`` (e-mail first, then subject) and their grants.

    Roles are read from the store on every call, so a revoked or changed role takes effect at the
    user's next interaction. An identity without a grant is a public actor that is signed in.
    """
    names = [normalise_identity(i) for i in identities if i and i.strip()]
    if not names:
        return PUBLIC_ACTOR
    with engine.connect() as connection:
        rows = connection.execute(select(m.RoleGrant.role, m.RoleGrant.sector).where(
            m.RoleGrant.identity.in_(names), m.RoleGrant.revoked_at.is_(None))).all()
    return Actor(identity=names[0], grants=frozenset(Grant(role, sector) for role, sector in rows), channel=channel)


def _check_grant(identity: str, role: str, sector: str | None) -> str:
    identity = normalise_identity(identity)
    if not identity or len(identity) > IDENTITY_MAX_LENGTH:
        raise ValueError(f"an identity is an e-mail address or a subject of 1 to {IDENTITY_MAX_LENGTH} characters")
    if role not in GRANTABLE_ROLES:
        raise ValueError(f"unknown role {role!r}: expected one of {', '.join(GRANTABLE_ROLES)}")
    if sector is not None and role not in SECTOR_SCOPED_ROLES:
        raise ValueError(f"only a {', '.join(ROLE_LABELS[r].lower() for r in SECTOR_SCOPED_ROLES)} role can be "
                         "limited to a Sector")
    if sector is not None and sector not in dims.SECTOR_CODES:
        raise ValueError(f"unknown Sector {sector!r}: expected one of {', '.join(dims.SECTOR_CODES)}")
    return identity


def _active(session: Session, identity: str, role: str, sector: str | None, any_sector: bool = False):
    query = select(m.RoleGrant).where(m.RoleGrant.identity == identity, m.RoleGrant.role == role,
                                      m.RoleGrant.revoked_at.is_(None))
    if not any_sector:
        query = query.where(m.RoleGrant.sector.is_(None) if sector is None else m.RoleGrant.sector == sector)
    return list(session.scalars(query))


def _log_change(session: Session, actor: Actor, when: dt.datetime, identity: str, role: str, sector: str | None,
                field: str) -> None:
    session.add(m.ChangeLog(batch_id=None, table_name=m.RoleGrant.__tablename__,
                            record_key=f"identity={identity}; role={role}; sector={sector or ''}", field=field,
                            old_value=None, new_value=actor.audit_name, user=actor.audit_name, changed_at=when))


def grant(engine: Engine, actor: Actor, identity: str, role: str, sector: str | None = None) -> bool:
    """Grant ``role`` (limited to ``sector`` for a data steward) to ``identity``; False if already held."""
    require_role(actor, ADMINISTRATOR, "granting a role")
    identity = _check_grant(identity, role, sector)
    with Session(engine) as session, session.begin():
        if _active(session, identity, role, sector):
            return False
        when = _now()
        session.add(m.RoleGrant(identity=identity, role=role, sector=sector, granted_by=actor.audit_name,
                                granted_at=when))
        _log_change(session, actor, when, identity, role, sector, "granted_by")
    security_log.record("grant", actor.audit_name, actor.channel, identity=identity, role=role, sector=sector)
    return True


def revoke(engine: Engine, actor: Actor, identity: str, role: str, sector: str | None = None) -> int:
    """Revoke ``role`` from ``identity`` (every Sector of it when ``sector`` is None); returns how many grants."""
    require_role(actor, ADMINISTRATOR, "revoking a role")
    identity = _check_grant(identity, role, sector)
    with Session(engine) as session, session.begin():
        rows = _active(session, identity, role, sector, any_sector=sector is None)
        when = _now()
        for row in rows:
            row.revoked_by, row.revoked_at = actor.audit_name, when
            _log_change(session, actor, when, identity, role, row.sector, "revoked_by")
    if rows:
        security_log.record("revoke", actor.audit_name, actor.channel, identity=identity, role=role, sector=sector)
    return len(rows)


def list_grants(engine: Engine) -> pl.DataFrame:
    """The grants in force: identity, role, sector, granted_by, granted_at (sorted by identity, role)."""
    g = m.RoleGrant
    with engine.connect() as connection:
        rows = connection.execute(select(g.identity, g.role, g.sector, g.granted_by, g.granted_at)
                                  .where(g.revoked_at.is_(None)).order_by(g.identity, g.role, g.sector)).all()
    return pl.DataFrame(rows, schema=GRANTS_SCHEMA, orient="row")


def ensure_grants(engine: Engine, actor: Actor, grants: Iterable[tuple[str, str, str | None]]) -> int:
    """Grant each (identity, role, sector) not yet held; returns how many were new (the demo accounts)."""
    return sum(grant(engine, actor, identity, role, sector) for identity, role, sector in grants)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
