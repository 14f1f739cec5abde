"""Role checks: every service call that touches a practice's data goes through ``require_role``.

A user who is not a member of a practice gets NotFoundError (not PermissionDenied) so that the
answer does not even reveal whether the practice or the object exists.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from safereply.errors import NotFoundError, PermissionDenied
from safereply.services.actor import Actor
from safereply.store.models import ROLES, Membership, Practice, User

__all__ = ["ROLE_RANK", "SCOPE_CAP", "practice_ids", "require_role", "role_in"]

ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}


#: The strongest role an API token acts with, by scope: a ``write`` token never configures the
#: practice (settings, locations, roles); a ``read`` token is refused every change by the web
#: layer and acts as staff at most here.
SCOPE_CAP = {"read": "staff", "write": "manager", "admin": "admin"}


def _capped(actor: Actor, role: str | None) -> str | None:
    cap = SCOPE_CAP.get(actor.scope or "admin", "staff")
    if role is None or ROLE_RANK[role] <= ROLE_RANK[cap]:
        return role
    return cap


def role_in(session: Session, actor: Actor, practice_id: int) -> str | None:
    """Return the actor's role in a practice (``admin`` for superusers), or None.

    An API token's scope caps the role (``SCOPE_CAP``).
    """
    return _capped(actor, _member_role(session, actor, practice_id))


def _member_role(session: Session, actor: Actor, practice_id: int) -> str | None:
    if actor.is_superuser:
        # An instance administrator is admin of every practice that exists: a practice id nobody
        # uses is "no such practice" for them too, not a foreign-key failure at the commit.
        if session.get(Practice, practice_id) is None:
            return None
        if actor.is_system:
            return "admin"
        active = session.scalar(select(User.is_active).where(User.id == actor.user_id))
        return "admin" if active else None
    row = session.execute(
        select(Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.user_id == actor.user_id,
            Membership.practice_id == practice_id,
            User.is_active.is_(True),
        )
    ).first()
    return row[0] if row else None


def require_role(session: Session, actor: Actor, practice_id: int, minimum: str) -> str:
    """Return the actor's role in the practice, or raise when it is below ``minimum``.

    Raises:
        NotFoundError: the actor is not a member of the practice.
        PermissionDenied: the actor's role is too weak for the action.
    """
    role = role_in(session, actor, practice_id)
    if role is None:
        raise NotFoundError("no such practice")
    if ROLE_RANK[role] < ROLE_RANK[minimum]:
        raise PermissionDenied(f"this needs the {minimum} role in the practice; you are {role}")
    return role


def practice_ids(session: Session, actor: Actor) -> list[int] | None:
    """Return the ids of the practices the actor belongs to (None: all, for superusers)."""
    if actor.is_superuser:
        return None
    return list(
        session.scalars(
            select(Membership.practice_id)
            .join(User, User.id == Membership.user_id)
            .where(Membership.user_id == actor.user_id, User.is_active.is_(True))
            .order_by(Membership.practice_id)
        )
    )
