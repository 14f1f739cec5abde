"""Signing in, in one place: the limiter, the password, the second factor, reset by e-mail.

The JSON API and the HTML pages used to copy the same block (check the limit, check the
password, count the failure) four times; now both call :meth:`AuthService.sign_in` to sign in and
:meth:`AuthService.confirm_identity` when a signed-in person is asked for their password again
(a new API token, turning the second factor off). Every failed attempt passes through
:meth:`AuthService._failed`, the one place that counts it (and where an audit of failed sign-ins
belongs).

Signing in is one or two steps. The first takes the e-mail and password (and, from scripts, the
code at once); when the account has a second factor, or must enrol one because a practice
requires it of managers and admins, the answer is a *pending* value signed with the secret key,
good for five minutes, which the second step brings back with the code. See
:mod:`safereply.services.auth_limits` for who is throttled and why nobody can lock a named user
out.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
import smtplib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from typing import Any, Protocol

from sqlalchemy import delete, select, update

from safereply.errors import ConfigError, NotFoundError, PermissionDenied
from safereply.services import mfa
from safereply.services.access import require_role
from safereply.services.actor import SYSTEM, Actor
from safereply.services.audit import record, record_failed_sign_in
from safereply.services.auth_limits import (
    DatabaseThrottle,
    SignInLimiter,
    ThrottleBackend,
    account_key,
    bounded,
    source_key,
)
from safereply.services.auth_signing import Signer
from safereply.services.passwords import check_password
from safereply.services.sealing import is_sealed, seal, unseal
from safereply.services.users import UserService
from safereply.settings import Settings
from safereply.store.engine import Store
from safereply.store.models import (
    Membership,
    PasswordReset,
    PracticeSecurity,
    RecoveryCode,
    User,
    utcnow,
)
from safereply.store.models import Session as SessionRow
from safereply.store.rows import affected

__all__ = ["Attempt", "AuthService", "Check", "Mailer", "SignInResult", "SmtpMailer"]

log = logging.getLogger("safereply.auth")

#: How long the step between the password and the code may take.
PENDING_MAX_AGE = 5 * 60
#: How long a browser stays a known device of an account after its last sign-in.
DEVICE_MAX_AGE = 180 * 24 * 3600
#: Roles a practice may require a second factor of.
MFA_ROLES = ("manager", "admin")


class Mailer(Protocol):
    """Sends one plain-text e-mail (the password-reset link)."""

    def send(self, to: str, subject: str, body: str) -> None:
        """Send the message, or log why it cannot be sent; never raise into the request."""
        ...


class SmtpMailer:
    """Sends through the configured SMTP server, on a thread of its own.

    The request answers before the message goes, so the answer to a reset request takes as long
    whether or not the account exists (and a slow mail server slows nobody).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, to: str, subject: str, body: str) -> None:
        """Send in the background; without SMTP settings, log that nothing was sent."""
        if not self.settings.smtp_host:
            log.warning("a password reset was requested but no SMTP server is configured")
            return
        threading.Thread(target=self._send, args=(to, subject, body), daemon=True).start()

    def _send(self, to: str, subject: str, body: str) -> None:
        cfg = self.settings
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = cfg.smtp_sender, to, subject
        msg.set_content(body)
        try:
            with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.smtp_timeout) as smtp:
                if cfg.smtp_starttls:
                    smtp.starttls()
                if cfg.smtp_username:
                    smtp.login(cfg.smtp_username, cfg.smtp_password)
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("password-reset mail not sent: %s", type(exc).__name__)


@dataclass(frozen=True, slots=True)
class Attempt:
    """One sign-in attempt as it arrived: the first step (e-mail and password, and a code from
    scripts) or the second (``pending`` from the first, and the code)."""

    source: str
    email: str = ""
    password: str = ""
    code: str | None = None
    pending: str | None = None
    device: str | None = None


@dataclass(frozen=True, slots=True)
class SignInResult:
    """What happened, and what the web layer needs to answer.

    ``outcome`` is one of: ``ok`` (``actor`` signed in; set ``device``), ``second_factor`` (ask
    for the code with ``pending``), ``enrol`` (the account must set up a second factor first:
    ``enrolment`` holds the secret), ``wrong`` (e-mail and password do not match), ``wrong_code``,
    ``locked`` (too many failures on the account from many places: a password alone does not
    open it from this device), ``limited`` (wait ``retry_after`` seconds) or ``expired`` (the
    pending step timed out).
    """

    outcome: str
    actor: Actor | None = None
    pending: str | None = None
    retry_after: int = 0
    device: str | None = None
    enrolment: dict[str, str] | None = None
    recovery_codes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Check:
    """The answer to a password asked again: ``ok``, ``wrong``, ``code_needed``, ``wrong_code``
    or ``limited`` (with ``retry_after``)."""

    outcome: str
    retry_after: int = 0

    @property
    def ok(self) -> bool:
        """Return True when the identity is confirmed."""
        return self.outcome == "ok"


def _throttle(store: Store, settings: Settings) -> ThrottleBackend:
    """Return the limiter's backend the settings name (the database unless Redis is chosen).

    Raises:
        ConfigError: Redis is chosen without ``SAFEREPLY_REDIS_URL``.
    """
    if settings.login_throttle == "redis":
        if not settings.redis_url:
            raise ConfigError("SAFEREPLY_LOGIN_THROTTLE=redis needs SAFEREPLY_REDIS_URL")
        from safereply.services.auth_redis import RedisThrottle

        return RedisThrottle(settings.redis_url)
    return DatabaseThrottle(store)


class AuthService:
    """Sign-in, re-authentication, the second factor, practice MFA policy and password reset."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        users: UserService,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        mailer: Mailer | None = None,
        throttle: ThrottleBackend | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.users = users
        self.clock = clock
        self.mailer: Mailer = mailer or SmtpMailer(settings)
        self.signer = Signer(settings.secret_key)
        self.limiter = SignInLimiter(
            throttle or _throttle(store, settings),
            max_failures=settings.login_max_failures,
            account_max_failures=settings.login_account_max_failures,
            window=settings.login_window,
            clock=clock,
        )

    def _now(self) -> float:
        return self.clock().timestamp()

    # -- signing in ---------------------------------------------------------------------------

    def sign_in(self, attempt: Attempt) -> SignInResult:
        """Take one sign-in attempt, first step or second; never say which part was wrong."""
        if attempt.pending is not None:
            return self._second_step(attempt)
        device_user, device_id = self._device(attempt.device)
        keys = [source_key(attempt.source)] + ([f"dev:{device_id}"] if device_id else [])
        wait = self.limiter.retry_after(*keys)
        if wait:
            return SignInResult("limited", retry_after=wait)
        # Counted before the password is checked (and forgotten on success): attempts that
        # passed the check above at the same moment each see the others' failures.
        states = self.limiter.failed(*keys, account_key(attempt.email))
        if any(state.was_blocked for state in states.values()):
            # Refused unchecked, like an attempt stopped by the check above: not a failure.
            self.limiter.forgive(*keys, account_key(attempt.email))
            return SignInResult("limited", retry_after=max(1, self.limiter.retry_after(*keys)))
        account = states.get(bounded(account_key(attempt.email)))
        failures = account.failures if account is not None else 0
        actor, enrolled = self._password(attempt.email, attempt.password)
        known = actor is not None and device_user == actor.user_id
        if actor is None:
            self._audit_failed(attempt)
            locked = device_user is None and failures >= self.limiter.account_max_failures
            decoy = self._decoy(attempt) if locked else None
            if decoy is not None:  # the answer the right password gets: no password oracle
                return decoy
            return SignInResult("locked" if locked else "wrong")
        if enrolled:
            if attempt.code is None:
                return SignInResult("second_factor", pending=self._pending(actor, "mfa"))
            return self._code_step(actor, attempt, known)
        locked_before = failures - 1 >= self.limiter.account_max_failures  # less this attempt
        if not known and locked_before:
            return SignInResult("locked")  # the same answer a wrong password gets now
        if self.mfa_required(actor.person_id):
            enrolment = self.begin_enrolment(actor.person_id)
            return SignInResult("enrol", pending=self._pending(actor, "enrol"), enrolment=enrolment)
        # A known browser opens a locked account for its owner alone: the lock stays for others.
        return self._ok(actor, attempt, forget_account=not locked_before)

    def _second_step(self, attempt: Attempt) -> SignInResult:
        data = self.signer.unsign(
            "sign-in", attempt.pending, max_age=PENDING_MAX_AGE, now=self._now()
        )
        if data is None or data.get("stage") not in ("mfa", "enrol"):
            return SignInResult("expired")
        try:
            actor = self.users.actor_for(int(data["uid"]))
        except (NotFoundError, KeyError, TypeError, ValueError):
            return SignInResult("expired")
        device_user, _ = self._device(attempt.device)
        if data["stage"] == "enrol":
            return self._enrol_step(actor, attempt, str(attempt.pending))
        proved = self._password_proved(data)
        return self._code_step(actor, attempt, device_user == actor.user_id, proved=proved)

    def _code_step(
        self, actor: Actor, attempt: Attempt, known: bool, *, proved: bool = True
    ) -> SignInResult:
        """Check the second factor; a known device is throttled alone, so guessers from
        elsewhere cannot hold the owner back. ``proved`` False: the password was wrong (a
        locked account's decoy step), so every code fails."""
        _, device_id = self._device(attempt.device)
        own = f"dev:{device_id}" if known and device_id else f"mfa:{actor.user_id}"
        keys = [source_key(attempt.source), own]
        wait = self.limiter.retry_after(*keys)
        if wait:
            return SignInResult("limited", retry_after=wait)
        if not proved or not self.verify_second_factor(actor.person_id, attempt.code or ""):
            self._failed(attempt, keys, user_id=actor.user_id)
            pending = attempt.pending or self._pending(actor, "mfa", proved=proved)
            return SignInResult("wrong_code", pending=pending)
        self.limiter.succeeded(account_key(actor.email), f"mfa:{actor.user_id}")
        return self._ok(actor, attempt)

    def _decoy(self, attempt: Attempt) -> SignInResult | None:
        """Return, for a locked account with a second factor, the code step the right password
        would get, marked (unreadably) as not proved; None for any other account."""
        try:
            email = (attempt.email or "").strip().lower()
            with self.store.read() as session:
                user = session.scalar(select(User).where(User.email == email))
                if user is None or not user.is_active or user.totp_enabled_at is None:
                    return None
                uid = user.id
            actor = self.users.actor_for(uid)
        except NotFoundError:
            return None
        if attempt.code is not None:
            return self._code_step(actor, attempt, False, proved=False)
        return SignInResult("second_factor", pending=self._pending(actor, "mfa", proved=False))

    def _password_proved(self, data: dict[str, Any]) -> bool:
        """Return True when a pending step was issued after a right password (see _pending)."""
        check = data.get("chk")
        if check is None:
            return True  # issued before decoys existed: only ever after a right password
        expected = self.signer.keyed_hash("sign-in-password", f"{data.get('uid')}:{data.get('n')}")
        return hmac.compare_digest(str(check).encode(), expected.encode())

    def _enrol_step(self, actor: Actor, attempt: Attempt, pending: str) -> SignInResult:
        keys = [source_key(attempt.source), f"mfa:{actor.user_id}"]
        wait = self.limiter.retry_after(*keys)
        if wait:
            enrolment = self.pending_enrolment(actor)
            return SignInResult("limited", retry_after=wait, pending=pending, enrolment=enrolment)
        codes = self.confirm_enrolment(actor, attempt.code or "")
        if codes is None:
            self._failed(attempt, keys, user_id=actor.user_id)
            return SignInResult(
                "wrong_code", pending=pending, enrolment=self.pending_enrolment(actor)
            )
        return replace(self._ok(actor, attempt), recovery_codes=codes)

    def _failed(self, attempt: Attempt, keys: list[str], user_id: int | None = None) -> None:
        """Count one failed sign-in (a wrong code) against the keys, and audit it."""
        self.limiter.failed(*keys)
        self._audit_failed(attempt, user_id)

    def _audit_failed(self, attempt: Attempt, user_id: int | None = None) -> None:
        """Record a failed sign-in (ids only): every failure, first step or second, comes here
        (a wrong password was counted before it was checked)."""
        record_failed_sign_in(
            self.store,
            email=attempt.email or None,
            user_id=user_id,
            source=attempt.source,
            stage="password" if user_id is None else "code",
        )

    def _ok(self, actor: Actor, attempt: Attempt, *, forget_account: bool = True) -> SignInResult:
        """Sign in; forget the failures the attempt was counted as up front (its source, its
        device and, unless ``forget_account`` is False, the account: it proved itself)."""
        _, device_id = self._device(attempt.device)
        # The source's count loses this attempt only: its other failures stay (signing in to
        # one's own account must not wipe the guesses made from that address at others).
        self.limiter.forgive(source_key(attempt.source))
        forget: set[str] = {f"dev:{device_id}"} if device_id else set()
        if forget_account:
            forget |= {account_key(actor.email)}
            forget |= {account_key(attempt.email)} if attempt.email else set()
        self.limiter.succeeded(*sorted(forget))
        device = self.signer.sign(
            "device", {"uid": actor.user_id, "id": secrets.token_urlsafe(12)}, now=self._now()
        )
        return SignInResult("ok", actor=actor, device=device)

    def _pending(self, actor: Actor, stage: str, *, proved: bool = True) -> str:
        """Sign the step between password and code. ``chk`` proves the password was right; a
        decoy's is random hex of the same length, so the two cannot be told apart."""
        nonce = secrets.token_urlsafe(12)
        check = self.signer.keyed_hash("sign-in-password", f"{actor.user_id}:{nonce}")
        payload = {
            "uid": actor.user_id,
            "stage": stage,
            "n": nonce,
            "chk": check if proved else secrets.token_hex(len(check) // 2),
        }
        return self.signer.sign("sign-in", payload, now=self._now())

    def _device(self, cookie: str | None) -> tuple[int | None, str | None]:
        """Return (user id, device id) of a valid known-device cookie, else (None, None)."""
        data = self.signer.unsign("device", cookie, max_age=DEVICE_MAX_AGE, now=self._now())
        if data is None or not isinstance(data.get("uid"), int):
            return None, None
        return data["uid"], str(data.get("id", ""))[:40] or None

    def _password(self, email: str, password: str) -> tuple[Actor | None, bool]:
        """Return (actor, has a second factor) for a right e-mail and password, else (None, _)."""
        actor = self.users.authenticate(email, password)
        if actor is None:
            return None, False
        with self.store.read() as session:
            enabled = session.scalar(select(User.totp_enabled_at).where(User.id == actor.user_id))
        return actor, enabled is not None

    # -- the password asked again -------------------------------------------------------------

    def confirm_identity(
        self, actor: Actor, *, password: str, code: str | None, source: str
    ) -> Check:
        """Check a signed-in person's password again, and their code when they have a second
        factor (a new API token, turning the second factor off, new recovery codes).

        Wrong answers count per source and per account (``reauth:``), so a stolen session
        cannot guess the password; they never lock the account's sign-in.
        """
        keys = [source_key(source), f"reauth:{actor.user_id}"]
        wait = self.limiter.retry_after(*keys)
        if wait:
            return Check("limited", wait)
        checked, enrolled = self._password(actor.email, password)
        if checked is None or checked.user_id != actor.user_id:
            self.limiter.failed(*keys)
            return Check("wrong")
        if enrolled:
            if not code:
                return Check("code_needed")
            if not self.verify_second_factor(actor.person_id, code):
                self.limiter.failed(*keys)
                return Check("wrong_code")
        self.limiter.succeeded(f"reauth:{actor.user_id}")
        return Check("ok")

    # -- the second factor --------------------------------------------------------------------

    def mfa_status(self, actor: Actor) -> dict[str, Any]:
        """Return whether the actor has a second factor, how many recovery codes are left,
        and whether a practice requires one of them."""
        with self.store.read() as session:
            enabled = session.scalar(select(User.totp_enabled_at).where(User.id == actor.user_id))
            left = len(
                session.scalars(
                    select(RecoveryCode.id).where(
                        RecoveryCode.user_id == actor.user_id, RecoveryCode.used_at.is_(None)
                    )
                ).all()
            )
        return {
            "enabled": enabled is not None,
            "enabled_at": enabled.isoformat() if enabled else None,
            "recovery_codes_left": left if enabled else 0,
            "required": self.mfa_required(actor.person_id),
        }

    def begin_enrolment(self, user_id: int) -> dict[str, str]:
        """Give an account without a second factor a new secret to confirm with a first code.

        Raises:
            PermissionDenied: the account already has a second factor (turn it off first).
        """
        secret = mfa.new_secret()
        with self.store.write() as session:
            user = session.get(User, user_id, with_for_update=True)
            if user is None:
                raise NotFoundError("no such user")
            if user.totp_enabled_at is not None:
                raise PermissionDenied("a second factor is already set up; turn it off first")
            user.totp_secret, user.totp_last_step = seal(secret, self.settings), None
            email = user.email
        return {"secret": secret, "uri": mfa.otpauth_uri(secret, email)}

    def _open(self, stored: str) -> str:
        """Return a stored TOTP secret in clear (sealed at rest; a plain one from before too)."""
        return unseal(stored, self.settings) if is_sealed(stored) else stored

    def pending_enrolment(self, actor: Actor) -> dict[str, str] | None:
        """Return the secret waiting for its first code (to show it again), if any."""
        with self.store.read() as session:
            user = session.get(User, actor.user_id)
            if user is None or user.totp_secret is None or user.totp_enabled_at is not None:
                return None
            secret = self._open(user.totp_secret)
            return {"secret": secret, "uri": mfa.otpauth_uri(secret, user.email)}

    def confirm_enrolment(self, actor: Actor, code: str) -> list[str] | None:
        """Turn the second factor on with a first right code; return the new recovery codes
        (shown once), or None when the code is wrong or no enrolment waits."""
        now = self.clock()
        with self.store.write() as session:
            user = session.get(User, actor.user_id, with_for_update=True)
            if user is None or user.totp_secret is None or user.totp_enabled_at is not None:
                return None
            step = mfa.verify_totp(self._open(user.totp_secret), code, now.timestamp(), None)
            if step is None:
                return None
            user.totp_enabled_at, user.totp_last_step = now, step
            codes = self._new_recovery_codes(session, actor.person_id, now)
            record(session, actor, "auth.mfa.enable", object_type="user", object_id=user.id)
        return codes

    def verify_second_factor(self, user_id: int, code: str) -> bool:
        """Return True for a right, unused TOTP code or an unused recovery code (then spent)."""
        now = self.clock()
        typed = mfa.normalise_code(code)
        with self.store.write() as session:
            user = session.get(User, user_id, with_for_update=True)
            if user is None or user.totp_enabled_at is None or user.totp_secret is None:
                return False
            if len(typed) == mfa.DIGITS:
                step = mfa.verify_totp(
                    self._open(user.totp_secret), typed, now.timestamp(), user.totp_last_step
                )
                if step is not None:
                    user.totp_last_step = step
                return step is not None
            spent = affected(
                session.execute(
                    update(RecoveryCode)
                    .where(
                        RecoveryCode.user_id == user_id,
                        RecoveryCode.code_hash == mfa.hash_recovery_code(typed),
                        RecoveryCode.used_at.is_(None),
                    )
                    .values(used_at=now)
                )
            )
            if spent:
                actor = Actor(user.id, user.email, user.is_superuser)
                record(
                    session, actor, "auth.mfa.recovery_code", object_type="user", object_id=user.id
                )
            return bool(spent)

    def regenerate_recovery_codes(self, actor: Actor) -> list[str]:
        """Replace the actor's recovery codes with ten new ones (after :meth:`confirm_identity`).

        Raises:
            PermissionDenied: the account has no second factor.
        """
        now = self.clock()
        with self.store.write() as session:
            user = session.get(User, actor.user_id)
            if user is None or user.totp_enabled_at is None:
                raise PermissionDenied("set up a second factor first")
            codes = self._new_recovery_codes(session, actor.person_id, now)
            record(session, actor, "auth.mfa.recovery_codes", object_type="user", object_id=user.id)
        return codes

    @staticmethod
    def _new_recovery_codes(session: Any, user_id: int, now: dt.datetime) -> list[str]:
        session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
        codes = mfa.new_recovery_codes()
        for code in codes:
            session.add(
                RecoveryCode(
                    user_id=user_id, code_hash=mfa.hash_recovery_code(code), created_at=now
                )
            )
        return codes

    def disable_mfa(self, actor: Actor) -> None:
        """Turn the actor's second factor off (after :meth:`confirm_identity`).

        Raises:
            PermissionDenied: a practice requires a second factor of the actor's role.
        """
        if self.mfa_required(actor.person_id):
            raise PermissionDenied(
                "a practice you manage requires a second factor; it cannot be turned off"
            )
        with self.store.write() as session:
            user = session.get(User, actor.user_id, with_for_update=True)
            if user is None:
                raise NotFoundError("no such user")
            user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
            session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == actor.user_id))
            record(session, actor, "auth.mfa.disable", object_type="user", object_id=user.id)

    def reset_mfa(self, actor: Actor, user_id: int) -> None:
        """Turn someone's second factor off (instance administrators: a lost phone and lost
        recovery codes). Their sessions end; a practice that requires it has them set it up
        again at their next sign-in.

        Raises:
            PermissionDenied: the actor is not an instance administrator.
            NotFoundError: no such user.
        """
        if not actor.is_superuser:
            raise PermissionDenied("only an instance administrator may do this")
        with self.store.write() as session:
            user = session.get(User, user_id, with_for_update=True)
            if user is None:
                raise NotFoundError("no such user")
            user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
            session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
            session.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
            record(session, actor, "auth.mfa.reset", object_type="user", object_id=user_id)

    def mfa_required(self, user_id: int) -> bool:
        """Return True when a practice requires a second factor and the user manages it."""
        with self.store.read() as session:
            found = session.scalar(
                select(Membership.id)
                .join(PracticeSecurity, PracticeSecurity.practice_id == Membership.practice_id)
                .where(
                    Membership.user_id == user_id,
                    Membership.role.in_(MFA_ROLES),
                    PracticeSecurity.require_mfa.is_(True),
                )
                .limit(1)
            )
        return found is not None

    # -- a practice's policy ------------------------------------------------------------------

    def practice_policy(self, actor: Actor, practice_id: int) -> dict[str, Any]:
        """Return the practice's sign-in policy and who of its managers lacks a second factor
        (its admins only)."""
        with self.store.read() as session:
            require_role(session, actor, practice_id, "admin")
            required = session.scalar(
                select(PracticeSecurity.require_mfa).where(
                    PracticeSecurity.practice_id == practice_id
                )
            )
            members = session.execute(
                select(User.id, User.email, Membership.role, User.totp_enabled_at)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.practice_id == practice_id)
                .order_by(User.email)
            ).all()
        return {
            "practice_id": practice_id,
            "require_mfa": bool(required),
            "members": [
                {"id": uid, "email": email, "role": role, "mfa": enabled is not None}
                for uid, email, role, enabled in members
            ],
        }

    def set_practice_policy(self, actor: Actor, practice_id: int, *, require_mfa: bool) -> None:
        """Require (or stop requiring) a second factor of the practice's managers and admins;
        those without one set it up at their next sign-in (admins only)."""
        with self.store.write() as session:
            require_role(session, actor, practice_id, "admin")
            row = session.get(PracticeSecurity, practice_id)
            if row is None:
                row = PracticeSecurity(practice_id=practice_id)
                session.add(row)
            before = bool(row.require_mfa)
            row.require_mfa, row.updated_at = bool(require_mfa), self.clock()
            record(
                session,
                actor,
                "practice.security",
                object_type="practice",
                object_id=practice_id,
                practice_id=practice_id,
                detail={"require_mfa": {"from": before, "to": bool(require_mfa)}},
            )

    # -- password reset by e-mail -------------------------------------------------------------

    def request_password_reset(self, email: str, *, source: str) -> int:
        """Send a single-use reset link to the address if it has an active account.

        The caller answers the same whether or not it has one; returns the seconds to wait when
        the source asks too often (0 otherwise). Requests per address are throttled too: past
        the limit no more mail goes to it (silently, so the answer still says nothing).
        """
        wait = self.limiter.retry_after(f"reset-src:{source}")
        if wait:
            return wait
        email = (email or "").strip().lower()
        self.limiter.failed(f"reset-src:{source}")
        if not email or len(email) > 320 or self.limiter.retry_after(f"reset:{email}"):
            return 0
        self.limiter.failed(f"reset:{email}")
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self.store.write() as session:
            user = session.scalar(select(User).where(User.email == email))
            if user is None or not user.is_active:
                return 0
            # One live link per account: a new request voids the older ones.
            session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
            session.add(
                PasswordReset(
                    user_id=user.id,
                    token_hash=self.signer.keyed_hash("password-reset", token),
                    created_at=now,
                    expires_at=now + dt.timedelta(seconds=self.settings.password_reset_ttl),
                )
            )
            record(
                session,
                SYSTEM,
                "auth.password_reset.request",
                object_type="user",
                object_id=user.id,
            )
        self.mailer.send(email, "Reset your SafeReply password", self._reset_body(token))
        return 0

    def _reset_body(self, token: str) -> str:
        minutes = self.settings.password_reset_ttl // 60
        link = f"{self.settings.base_url.rstrip('/')}/login/reset/{token}"
        return (
            "Someone, hopefully you, asked to reset the password of your SafeReply account.\n\n"
            f"Choose a new password here (the link works once, for {minutes} minutes):\n{link}\n\n"
            "If it was not you, ignore this message: your password stays as it is.\n"
        )

    def _live_reset(self, session: Any, token: str) -> PasswordReset | None:
        if not token or len(token) > 200:
            return None
        row = session.scalar(
            select(PasswordReset).where(
                PasswordReset.token_hash == self.signer.keyed_hash("password-reset", token)
            )
        )
        if row is None or row.used_at is not None or row.expires_at <= self.clock():
            return None
        return row

    def reset_link_valid(self, token: str) -> bool:
        """Return True while a reset link is unused and unexpired (to show its form)."""
        with self.store.read() as session:
            return self._live_reset(session, token) is not None

    def reset_password(self, token: str, new_password: str) -> None:
        """Set a new password through a reset link, once; every session and API token of the
        account ends, and the account's sign-in failures are forgotten.

        Raises:
            NotFoundError: the link is unknown, used or expired.
            InputError: the new password breaks the policy (the link stays usable).
        """
        with self.store.read() as session:
            row = self._live_reset(session, token)
            if row is None:
                raise NotFoundError("this reset link is used, expired or unknown")
            user = session.get(User, row.user_id)
            if user is None or not user.is_active:
                raise NotFoundError("this reset link is used, expired or unknown")
            reset_id, actor = row.id, Actor(user.id, user.email, user.is_superuser)
        check_password(new_password, actor.email)
        with self.store.write() as session:
            spent = affected(
                session.execute(
                    update(PasswordReset)
                    .where(PasswordReset.id == reset_id, PasswordReset.used_at.is_(None))
                    .values(used_at=self.clock())
                )
            )
            if not spent:  # another request used it a moment ago
                raise NotFoundError("this reset link is used, expired or unknown")
        self.users.set_password(actor, user_id=actor.person_id, password=new_password)
        self.limiter.succeeded(account_key(actor.email), f"reauth:{actor.user_id}")
