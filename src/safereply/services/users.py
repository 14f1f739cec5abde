"""Users, roles, passwords (argon2), API tokens and browser sessions.

Passwords are hashed with argon2id. API tokens and session cookies are long random strings, so a
SHA-256 of each is enough to store (a stolen table reveals no usable token) and lets lookups use an
index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from safereply.errors import ConflictError, InputError, NotFoundError, PermissionDenied
from safereply.services.access import ROLE_RANK, require_role
from safereply.services.actor import SYSTEM, Actor
from safereply.services.audit import record
from safereply.services.passwords import MIN_PASSWORD, check_password
from safereply.store.engine import Store
from safereply.store.models import (
    ROLES,
    ApiToken,
    Invitation,
    Membership,
    Practice,
    User,
    utcnow,
)
from safereply.store.models import Session as SessionRow
from safereply.store.rows import affected

__all__ = [
    "INVITATION_TTL",
    "MAX_TOKEN_DAYS",
    "MIN_PASSWORD",
    "TOKEN_SCOPES",
    "SessionInfo",
    "UserService",
    "hash_token",
]

TOKEN_PREFIX = "sr_"
# A fixed hash to verify against when the e-mail is unknown, so timing does not reveal accounts.
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password")


#: How long an invitation waits for its owner to accept it.
INVITATION_TTL = dt.timedelta(days=14)
#: The one answer to every set_role on someone who is not a member, whether or not they exist.
_NO_MEMBER = "no such member of this practice"

#: What an API token may do: read (GET only), write (no practice configuration), admin (all the
#: owner's roles allow).
TOKEN_SCOPES = ("read", "write", "admin")
#: The longest a token may live, and the lifetime of one without a chosen expiry.
MAX_TOKEN_DAYS = 365
DEFAULT_TOKEN_DAYS = 90
#: Tokens made before expiry existed end this long after they were created.
TOKEN_LEGACY_LIFETIME = dt.timedelta(days=DEFAULT_TOKEN_DAYS)

#: How precisely a token's last use is recorded (one write per token per this long at most).
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)
#: Seconds without a request before a browser session ends (the settings' default).
DEFAULT_SESSION_IDLE = 30 * 60


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which a token or session cookie is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 320 or email.startswith("@") or email.endswith("@"):
        raise InputError(f"{email!r} is not an e-mail address")
    return email


#: The password policy lives in services/passwords.py (one function for every way a password
#: is set); the old private name stays for callers that imported it.
_check_password = check_password


def user_dict(user: User, roles: dict[int, str] | None = None) -> dict[str, Any]:
    """Return a user as plain data (never the password hash)."""
    out: dict[str, Any] = {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "is_active": user.is_active,
        "is_superuser": user.is_superuser,
    }
    if roles is not None:
        out["roles"] = {str(k): v for k, v in sorted(roles.items())}
    return out


def _display_name(email: str, display_name: str | None) -> str:
    """The name shown for a new account: the one given, else the e-mail's name part."""
    return (display_name or email.split("@")[0]).strip()[:200]


def _check_new_account(actor: Actor, email: str, password: str, role: str | None) -> str:
    """Return the normalised e-mail of an account the actor may create directly.

    Raises:
        InputError: bad e-mail, short password or unknown role.
        PermissionDenied: the actor is not an instance administrator.
    """
    email = _normalise_email(email)
    _check_password(password, email)
    if role is not None and role not in ROLES:
        raise InputError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
    if not actor.is_superuser:
        raise PermissionDenied(
            "only an instance administrator creates accounts; invite people by e-mail instead"
        )
    return email


def _account_for(session: Any, email: str, display_name: str | None, password_hash: str) -> User:
    """Return the account of an invited e-mail, creating it with the hashed first password
    when there is none (recorded at instance level: the practice's log must not tell a new
    account from an existing one)."""
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            display_name=_display_name(email, display_name),
            password_hash=password_hash,
        )
        session.add(user)
        session.flush()
        record(session, SYSTEM, "user.create", object_type="user", object_id=user.id)
    return user


def _check_token_request(actor: Actor, scope: str, expires_in_days: int) -> None:
    """Refuse a token for the system or asked by another token, an unknown scope, or a
    lifetime outside 1 to MAX_TOKEN_DAYS days.

    Raises:
        PermissionDenied / InputError: as :meth:`UserService.create_token` says.
    """
    if actor.is_system:
        raise PermissionDenied("tokens belong to a user")
    if actor.scope is not None:
        raise PermissionDenied("an API token cannot create tokens; sign in to create one")
    if scope not in TOKEN_SCOPES:
        raise InputError(f"unknown token scope {scope!r}; use one of: {', '.join(TOKEN_SCOPES)}")
    if (
        not isinstance(expires_in_days, int)
        or isinstance(expires_in_days, bool)
        or not 1 <= expires_in_days <= MAX_TOKEN_DAYS
    ):
        raise InputError(f"a token lives from 1 to {MAX_TOKEN_DAYS} days")


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A resolved browser session: who it belongs to, its CSRF token and its row id."""

    actor: Actor
    csrf_token: str
    expires_at: dt.datetime
    session_id: int = 0


class UserService:
    """Accounts and credentials."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        hasher: PasswordHasher | None = None,
        session_idle: int = DEFAULT_SESSION_IDLE,
    ) -> None:
        self.store = store
        self.clock = clock
        # A session ends after this many seconds without a request (settings.session_idle_timeout).
        self.session_idle = dt.timedelta(seconds=session_idle)
        # Tests pass a cheap hasher; production keeps argon2-cffi's recommended parameters.
        self.hasher = hasher or _hasher
        self._dummy = _DUMMY_HASH if hasher is None else self.hasher.hash("not-a-real-password")

    # -- accounts ----------------------------------------------------------------------------

    def create_user(
        self,
        actor: Actor,
        *,
        email: str,
        password: str,
        display_name: str | None = None,
        practice_id: int | None = None,
        role: str | None = None,
        is_superuser: bool = False,
    ) -> dict[str, Any]:
        """Create an account, optionally with a role in one practice (instance administrators).

        Only the system or a superuser creates accounts directly (the command line, the demo): a
        practice admin invites by e-mail instead (:meth:`invite`), which never reveals whether
        an account exists for the address.

        Raises:
            InputError: bad e-mail, short password or unknown role.
            ConflictError: the e-mail is taken.
            PermissionDenied / NotFoundError: the actor may not do this.
        """
        email = _check_new_account(actor, email, password, role)
        with self.store.write() as session:
            if practice_id is not None:
                require_role(session, actor, practice_id, "admin")
            user = User(
                email=email,
                display_name=_display_name(email, display_name),
                password_hash=self.hasher.hash(password),
                is_superuser=is_superuser,
            )
            session.add(user)
            try:
                session.flush()
            except IntegrityError:
                raise ConflictError(f"there is already an account for {email}") from None
            roles = {}
            if practice_id is not None:
                session.add(
                    Membership(user_id=user.id, practice_id=practice_id, role=role or "staff")
                )
                roles[practice_id] = role or "staff"
            record(
                session,
                actor,
                "user.create",
                object_type="user",
                object_id=user.id,
                practice_id=practice_id,
                detail={
                    "role": role or ("staff" if practice_id else None),
                    "superuser": is_superuser,
                },
            )
            return user_dict(user, roles)

    def set_role(self, actor: Actor, *, practice_id: int, user_id: int, role: str | None) -> None:
        """Change a member's role in a practice, or (``role=None``) remove them from it.

        A practice admin manages the practice's members only: a user who is not a member, and an
        id nobody uses, both get the same NotFoundError, so an admin can neither attach another
        practice's users nor learn which ids exist. People join a practice by accepting an
        :meth:`invite`. Instance administrators (the command line) may give anyone a role.

        Raises:
            NotFoundError: no such practice for the actor, or the user is not a member of it.
            PermissionDenied: the actor is not an admin of the practice, or would remove the
                practice's last admin.
        """
        if role is not None and role not in ROLES:
            raise InputError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
        with self.store.write() as session:
            require_role(session, actor, practice_id, "admin")
            row = session.scalar(
                select(Membership).where(
                    Membership.practice_id == practice_id, Membership.user_id == user_id
                )
            )
            if row is None and not actor.is_superuser:
                raise NotFoundError(_NO_MEMBER)
            if row is None and session.get(User, user_id) is None:
                raise NotFoundError("no such user")
            before = row.role if row else None
            if before == "admin" and role != "admin":
                admins = session.scalars(
                    select(Membership.id).where(
                        Membership.practice_id == practice_id, Membership.role == "admin"
                    )
                ).all()
                if len(admins) <= 1:
                    raise PermissionDenied("a practice must keep at least one admin")
            if role is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(Membership(user_id=user_id, practice_id=practice_id, role=role))
            else:
                row.role = role
            record(
                session,
                actor,
                "user.role",
                object_type="user",
                object_id=user_id,
                practice_id=practice_id,
                detail={"from": before, "to": role},
            )

    # -- invitations --------------------------------------------------------------------------

    def invite(
        self,
        actor: Actor,
        *,
        practice_id: int,
        email: str,
        password: str,
        role: str = "staff",
        display_name: str | None = None,
    ) -> dict[str, Any]:
        """Invite an e-mail address to a role in a practice (admins); its owner accepts.

        The answer, the practice's list of pending invitations and its audit entry are the same
        whether or not an account exists for the address, so an admin cannot probe for accounts.
        When there is none, one is created with ``password`` (the first password the admin hands
        over); an existing account is left exactly as it is (its password and roles) and only
        gains the role when its owner accepts.

        Raises:
            InputError: bad e-mail, short password or unknown role.
            NotFoundError / PermissionDenied: the actor is not an admin of the practice.
        """
        email = _normalise_email(email)
        _check_password(password, email)
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
        # Hashed whether or not it is used, so the answer takes as long either way.
        password_hash = self.hasher.hash(password)
        now = self.clock()
        with self.store.write() as session:
            require_role(session, actor, practice_id, "admin")
            _account_for(session, email, display_name, password_hash)
            invitation = session.scalar(
                select(Invitation).where(
                    Invitation.practice_id == practice_id, Invitation.email == email
                )
            )
            if invitation is None:
                invitation = Invitation(practice_id=practice_id, email=email)
                session.add(invitation)
            invitation.role = role
            invitation.invited_by = actor.user_id
            invitation.created_at = now
            invitation.expires_at = now + INVITATION_TTL
            session.flush()
            record(
                session,
                actor,
                "user.invite",
                object_type="invitation",
                object_id=invitation.id,
                practice_id=practice_id,
                detail={"role": role},
            )
            return {
                "email": email,
                "role": role,
                "status": "invited",
                "expires_at": invitation.expires_at.isoformat(),
            }

    def list_invitations(self, actor: Actor, practice_id: int) -> list[dict[str, Any]]:
        """Return a practice's pending invitations by e-mail (managers and admins)."""
        now = self.clock()
        with self.store.read() as session:
            require_role(session, actor, practice_id, "manager")
            rows = session.scalars(
                select(Invitation)
                .where(Invitation.practice_id == practice_id, Invitation.expires_at > now)
                .order_by(Invitation.email)
            )
            return [
                {
                    "id": i.id,
                    "email": i.email,
                    "role": i.role,
                    "created_at": i.created_at.isoformat(),
                    "expires_at": i.expires_at.isoformat(),
                }
                for i in rows
            ]

    def cancel_invitation(self, actor: Actor, practice_id: int, invitation_id: int) -> None:
        """Withdraw a pending invitation (admins of its practice)."""
        with self.store.write() as session:
            require_role(session, actor, practice_id, "admin")
            row = session.get(Invitation, invitation_id)
            if row is None or row.practice_id != practice_id:
                raise NotFoundError("no such invitation")
            session.delete(row)
            record(
                session,
                actor,
                "invitation.cancel",
                object_type="invitation",
                object_id=invitation_id,
                practice_id=practice_id,
            )

    def my_invitations(self, actor: Actor) -> list[dict[str, Any]]:
        """Return the pending invitations addressed to the actor's e-mail."""
        if actor.is_system:
            return []
        now = self.clock()
        with self.store.read() as session:
            rows = session.execute(
                select(Invitation, Practice.name)
                .join(Practice, Practice.id == Invitation.practice_id)
                .where(Invitation.email == actor.email.lower(), Invitation.expires_at > now)
                .order_by(Invitation.id)
            ).all()
            return [
                {
                    "id": i.id,
                    "practice": {"id": i.practice_id, "name": name},
                    "role": i.role,
                    "expires_at": i.expires_at.isoformat(),
                }
                for i, name in rows
            ]

    def _own_invitation(self, session: Any, actor: Actor, invitation_id: int) -> Invitation:
        row = session.get(Invitation, invitation_id)
        if (
            row is None
            or actor.is_system
            or row.email != actor.email.lower()
            or row.expires_at <= self.clock()
        ):
            raise NotFoundError("no such invitation")
        return row

    def accept_invitation(self, actor: Actor, invitation_id: int) -> dict[str, Any]:
        """Join the practice of an invitation addressed to the actor, with its role."""
        with self.store.write() as session:
            row = self._own_invitation(session, actor, invitation_id)
            user = session.get(User, actor.user_id)
            if user is None or not user.is_active:
                raise NotFoundError("no such invitation")
            membership = session.scalar(
                select(Membership).where(
                    Membership.practice_id == row.practice_id,
                    Membership.user_id == actor.user_id,
                )
            )
            before = membership.role if membership else None
            if membership is None:
                session.add(
                    Membership(user_id=actor.user_id, practice_id=row.practice_id, role=row.role)
                )
            elif ROLE_RANK[row.role] > ROLE_RANK[membership.role]:
                membership.role = row.role
            practice_id, role = row.practice_id, row.role
            session.delete(row)
            record(
                session,
                actor,
                "user.join",
                object_type="user",
                object_id=actor.user_id,
                practice_id=practice_id,
                detail={"from": before, "to": role, "invitation": invitation_id},
            )
            return {"practice_id": practice_id, "role": role}

    def decline_invitation(self, actor: Actor, invitation_id: int) -> None:
        """Refuse an invitation addressed to the actor."""
        with self.store.write() as session:
            row = self._own_invitation(session, actor, invitation_id)
            practice_id = row.practice_id
            session.delete(row)
            record(
                session,
                actor,
                "invitation.decline",
                object_type="invitation",
                object_id=invitation_id,
                practice_id=practice_id,
            )

    def list_users(self, actor: Actor, practice_id: int) -> list[dict[str, Any]]:
        """Return the members of a practice with their roles (managers and admins)."""
        with self.store.read() as session:
            require_role(session, actor, practice_id, "manager")
            rows = session.execute(
                select(User, Membership.role)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.practice_id == practice_id)
                .order_by(User.email)
            ).all()
            return [user_dict(u, {practice_id: r}) for u, r in rows]

    def get_user(self, user_id: int) -> dict[str, Any]:
        """Return one account with all its roles (for the account itself)."""
        with self.store.read() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFoundError("no such user")
            roles = {m.practice_id: m.role for m in user.memberships}
            return user_dict(user, roles)

    def find_by_email(self, email: str) -> dict[str, Any] | None:
        """Return the account for an e-mail address, or None (command line use)."""
        with self.store.read() as session:
            user = session.scalar(select(User).where(User.email == _normalise_email(email)))
            if user is None:
                return None
            return user_dict(user, {m.practice_id: m.role for m in user.memberships})

    def list_all(self) -> list[dict[str, Any]]:
        """Return every account with its roles (command line use: the instance administrator)."""
        with self.store.read() as session:
            users = session.scalars(select(User).order_by(User.email)).all()
            return [user_dict(u, {m.practice_id: m.role for m in u.memberships}) for u in users]

    def set_password(self, actor: Actor, *, user_id: int, password: str) -> None:
        """Set a new password; users may change their own, superusers anyone's.

        Every session and every API token of the user ends, so a stolen session or token dies
        with the old password.
        """
        _check_password(password)
        if actor.user_id != user_id and not actor.is_superuser:
            raise PermissionDenied("you may only change your own password")
        with self.store.write() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFoundError("no such user")
            _check_password(password, user.email)
            user.password_hash = self.hasher.hash(password)
            session.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
            # Tokens die with the password too: a leaked token must not outlive a reset.
            revoked = affected(
                session.execute(
                    update(ApiToken)
                    .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=self.clock())
                )
            )
            record(
                session,
                actor,
                "user.password",
                object_type="user",
                object_id=user_id,
                detail={"tokens_revoked": revoked},
            )

    def set_active(self, actor: Actor, *, user_id: int, active: bool) -> None:
        """Deactivate (or reactivate) an account; only superusers. Sessions and tokens stop."""
        if not actor.is_superuser:
            raise PermissionDenied("only an instance administrator may do this")
        with self.store.write() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFoundError("no such user")
            user.is_active = active
            if not active:
                session.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
            record(
                session,
                actor,
                "user.activate" if active else "user.deactivate",
                object_type="user",
                object_id=user_id,
            )

    # -- authentication -----------------------------------------------------------------------

    def authenticate(self, email: str, password: str) -> Actor | None:
        """Return the actor for a right e-mail and password, else None (never says which)."""
        try:
            email = _normalise_email(email)
        except InputError:
            return None
        with self.store.read() as session:
            user = session.scalar(select(User).where(User.email == email))
            stored = user.password_hash if user is not None else self._dummy
            try:
                self.hasher.verify(stored, password or "")
            except (VerificationError, InvalidHashError):
                return None
            if user is None or not user.is_active:
                return None
            needs_rehash = self.hasher.check_needs_rehash(stored)
            actor = Actor(user.id, user.email, user.is_superuser)
        if needs_rehash:
            with self.store.write() as session:
                row = session.get(User, actor.user_id)
                if row is not None:
                    row.password_hash = self.hasher.hash(password)
        return actor

    def actor_for(self, user_id: int) -> Actor:
        """Return the actor of an active account."""
        with self.store.read() as session:
            user = session.get(User, user_id)
            if user is None or not user.is_active:
                raise NotFoundError("no such user")
            return Actor(user.id, user.email, user.is_superuser)

    # -- API tokens ---------------------------------------------------------------------------

    def create_token(
        self,
        actor: Actor,
        *,
        name: str,
        scope: str = "write",
        expires_in_days: int = DEFAULT_TOKEN_DAYS,
    ) -> dict[str, Any]:
        """Create an API token for the actor; the token itself is returned only this once.

        The web layers ask for the password again before they call this (the command line is the
        instance administrator's). A token acts with its owner's roles, capped by its scope, and
        stops at its expiry, when revoked, and when its owner's password changes.

        Raises:
            InputError: an unknown scope, or a lifetime outside 1 to MAX_TOKEN_DAYS days.
            PermissionDenied: the system itself, or another token, asks for one.
        """
        _check_token_request(actor, scope, expires_in_days)
        name = (name or "").strip()[:100] or "token"
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self.clock()
        with self.store.write() as session:
            row = ApiToken(
                user_id=actor.user_id,
                name=name,
                token_hash=hash_token(token),
                prefix=token[:10],
                created_at=now,
                scope=scope,
                expires_at=now + dt.timedelta(days=expires_in_days),
            )
            session.add(row)
            session.flush()
            record(
                session,
                actor,
                "token.create",
                object_type="token",
                object_id=row.id,
                detail={"scope": scope, "days": expires_in_days},
            )
            return {
                "id": row.id,
                "name": name,
                "prefix": row.prefix,
                "scope": scope,
                "expires_at": row.expires_at.isoformat() if row.expires_at else None,
                "token": token,
            }

    @staticmethod
    def _token_expiry(row: ApiToken) -> dt.datetime:
        return row.expires_at or row.created_at + TOKEN_LEGACY_LIFETIME

    def list_tokens(self, actor: Actor) -> list[dict[str, Any]]:
        """Return the actor's tokens (never the token values)."""
        with self.store.read() as session:
            rows = session.scalars(
                select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id)
            )
            now = self.clock()
            return [
                {
                    "id": t.id,
                    "name": t.name,
                    "prefix": t.prefix,
                    "scope": t.scope,
                    "created_at": t.created_at.isoformat(),
                    "expires_at": self._token_expiry(t).isoformat(),
                    "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                    "revoked": t.revoked_at is not None,
                    "expired": self._token_expiry(t) <= now,
                }
                for t in rows
            ]

    def revoke_token(self, actor: Actor, token_id: int) -> None:
        """Revoke one of the actor's tokens."""
        with self.store.write() as session:
            row = session.get(ApiToken, token_id)
            if row is None or (row.user_id != actor.user_id and not actor.is_superuser):
                raise NotFoundError("no such token")
            row.revoked_at = row.revoked_at or self.clock()
            record(session, actor, "token.revoke", object_type="token", object_id=token_id)

    def actor_for_token(self, token: str) -> Actor | None:
        """Return the actor an API token belongs to, or None when it is unknown or revoked."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        with self.store.glance() as session:
            row = session.execute(
                select(ApiToken, User)
                .join(User, User.id == ApiToken.user_id)
                .where(ApiToken.token_hash == hash_token(token))
            ).first()
            if row is None:
                return None
            tok, user = row
            now = self.clock()
            if tok.revoked_at is not None or not user.is_active or self._token_expiry(tok) <= now:
                return None
            actor = Actor(user.id, user.email, user.is_superuser, scope=tok.scope)
            token_id, last_used = tok.id, tok.last_used_at
        if last_used is None or now - last_used >= TOKEN_USE_RESOLUTION:
            # Recorded to the minute, not per request: a script polling the API costs no write.
            with self.store.write() as session:
                session.execute(
                    update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
                )
        return actor

    # -- browser sessions ---------------------------------------------------------------------

    def start_session(
        self,
        actor: Actor,
        *,
        max_age: int,
        user_agent: str | None = None,
        address: str | None = None,
    ) -> tuple[str, SessionInfo]:
        """Start a browser session; return the cookie value and the session's CSRF token.

        ``max_age`` is the absolute lifetime; the session also ends after ``session_idle``
        without a request. The browser and address are kept only to show the owner their list.
        """
        cookie = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        now = self.clock()
        expires = now + dt.timedelta(seconds=max_age)
        with self.store.write() as session:
            row = SessionRow(
                user_id=actor.user_id,
                token_hash=hash_token(cookie),
                csrf_token=csrf,
                created_at=now,
                expires_at=expires,
                last_used_at=now,
                user_agent=(user_agent or "")[:200] or None,
                address=(address or "")[:64] or None,
            )
            session.add(row)
            # Ended sessions of anyone are cleared here, so the table does not grow forever.
            session.execute(
                delete(SessionRow).where(
                    (SessionRow.expires_at < now)
                    | (SessionRow.last_used_at < now - self.session_idle)
                )
            )
            record(session, actor, "auth.login", object_type="user", object_id=actor.user_id)
            session.flush()
            session_id = row.id
        return cookie, SessionInfo(actor, csrf, expires, session_id)

    def _session_end(self, row: SessionRow) -> dt.datetime:
        """Return when a session ends: its absolute end, or its last use plus the idle time."""
        return min(row.expires_at, (row.last_used_at or row.created_at) + self.session_idle)

    def resolve_session(self, cookie: str) -> SessionInfo | None:
        """Return the live session for a cookie value, or None (unknown, ended, idle too long).

        Each use moves the idle deadline; the last use is written at most once a minute, so a
        page load costs no write.
        """
        now = self.clock()
        with self.store.glance() as session:
            row = session.execute(
                select(SessionRow, User)
                .join(User, User.id == SessionRow.user_id)
                .where(SessionRow.token_hash == hash_token(cookie))
            ).first()
            if row is None:
                return None
            srow, user = row
            if self._session_end(srow) <= now or not user.is_active:
                return None
            last = srow.last_used_at or srow.created_at
            info = SessionInfo(
                Actor(user.id, user.email, user.is_superuser),
                srow.csrf_token,
                srow.expires_at,
                srow.id,
            )
        if now - last >= TOKEN_USE_RESOLUTION:
            with self.store.write() as session:
                session.execute(
                    update(SessionRow)
                    .where(SessionRow.id == info.session_id)
                    .values(last_used_at=now)
                )
        return info

    def list_sessions(self, actor: Actor, current_id: int | None = None) -> list[dict[str, Any]]:
        """Return the actor's live sessions, newest use first (never their cookie or CSRF)."""
        now = self.clock()
        with self.store.read() as session:
            rows = session.scalars(
                select(SessionRow).where(SessionRow.user_id == actor.user_id)
            ).all()
            live = [r for r in rows if self._session_end(r) > now]
            live.sort(key=lambda r: r.last_used_at or r.created_at, reverse=True)
            return [
                {
                    "id": r.id,
                    "created_at": r.created_at.isoformat(),
                    "last_used_at": (r.last_used_at or r.created_at).isoformat(),
                    "ends_at": self._session_end(r).isoformat(),
                    "user_agent": r.user_agent,
                    "address": r.address,
                    "current": r.id == current_id,
                }
                for r in live
            ]

    def revoke_session(self, actor: Actor, session_id: int) -> None:
        """End one of the actor's own sessions (another person's id is 'no such session').

        Raises:
            NotFoundError: no such session of the actor.
        """
        with self.store.write() as session:
            row = session.get(SessionRow, session_id)
            if row is None or row.user_id != actor.user_id:
                raise NotFoundError("no such session")
            session.delete(row)
            record(
                session, actor, "auth.session.revoke", object_type="session", object_id=session_id
            )

    def revoke_other_sessions(self, actor: Actor, keep_id: int | None) -> int:
        """End every session of the actor but ``keep_id`` (this browser); return how many."""
        with self.store.write() as session:
            query = delete(SessionRow).where(SessionRow.user_id == actor.user_id)
            if keep_id is not None:
                query = query.where(SessionRow.id != keep_id)
            ended = affected(session.execute(query))
            record(
                session,
                actor,
                "auth.session.revoke_others",
                object_type="user",
                object_id=actor.user_id,
                detail={"sessions": ended},
            )
            return ended

    def sign_out_everywhere(self, actor: Actor, *, practice_id: int, user_id: int) -> int:
        """End every session of a member of the practice (its admins); return how many.

        A user who is not a member, and an id nobody uses, get the same 'no such member' answer
        as role changes, so an admin can neither reach other practices' users nor probe ids.

        Raises:
            NotFoundError: no such practice for the actor, or the user is not a member of it.
            PermissionDenied: the actor is not an admin of the practice.
        """
        with self.store.write() as session:
            require_role(session, actor, practice_id, "admin")
            member = session.scalar(
                select(Membership.id).where(
                    Membership.practice_id == practice_id, Membership.user_id == user_id
                )
            )
            if member is None:
                raise NotFoundError(_NO_MEMBER)
            ended = affected(
                session.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
            )
            record(
                session,
                actor,
                "auth.sign_out_everywhere",
                object_type="user",
                object_id=user_id,
                practice_id=practice_id,
                detail={"sessions": ended},
            )
            return ended

    def end_session(self, cookie: str) -> None:
        """End a browser session (log out)."""
        with self.store.write() as session:
            row = session.scalar(
                select(SessionRow).where(SessionRow.token_hash == hash_token(cookie))
            )
            if row is not None:
                actor = SYSTEM
                user = session.get(User, row.user_id)
                if user is not None:
                    actor = Actor(user.id, user.email, user.is_superuser)
                session.delete(row)
                record(session, actor, "auth.logout", object_type="user", object_id=row.user_id)


def role_at_least(role: str | None, minimum: str) -> bool:
    """Return True when ``role`` is ``minimum`` or stronger."""
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]
