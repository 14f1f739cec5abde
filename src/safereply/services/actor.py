"""Who is acting: a signed-in user, or the system itself (imports, sweeps, the demo)."""

from __future__ import annotations

from dataclasses import dataclass

from safereply.errors import PermissionDenied

__all__ = ["SYSTEM", "Actor"]


@dataclass(frozen=True, slots=True)
class Actor:
    """The person (or process) an action is attributed to in the audit log.

    Roles are not cached here: every service call reads the actor's membership in the practice it
    touches, so a role change or a deactivation takes effect at once.
    """

    user_id: int | None
    email: str
    is_superuser: bool = False
    #: For an API token: ``read``, ``write`` or ``admin``, capping the roles it acts with (see
    #: ``services.access``); None for a browser session or the system (the roles as they are).
    scope: str | None = None

    @property
    def is_system(self) -> bool:
        """Return True for the system actor (command line, background jobs)."""
        return self.user_id is None

    @property
    def person_id(self) -> int:
        """Return the user id of a signed-in person; the system actor has none.

        For actions that only a person can take (a password, a second factor, their own account).

        Raises:
            PermissionDenied: the actor is the system, not a person.
        """
        if self.user_id is None:
            raise PermissionDenied("this action needs a signed-in person, not the system")
        return self.user_id


#: The actor for work the instance does itself; it may act on every practice.
SYSTEM = Actor(user_id=None, email="system", is_superuser=True)
