"""Notifications to practice staff (never to the poster): e-mail over SMTP and an outgoing webhook.

Notifications are written to an outbox table in the same transaction as the event that causes
them, then delivered after the commit by :meth:`Notifier.dispatch` (at once for escalations, and by
every SLA sweep for anything that failed before). A row is claimed before it is sent, so two
processes never send the same message twice. Messages carry the post's kind, priority, platform,
due time and a link, never the post's or a reply's text: e-mail is not a safe place for PHI.

Webhooks cannot reach the internal network (SSRF): :func:`check_webhook_target` refuses an
address that is not http(s), carries credentials, or whose host resolves to a loopback, private,
link-local, multicast, reserved or otherwise non-global address, unless the host is named in
``SAFEREPLY_WEBHOOK_ALLOWED_HOSTS`` (on-premise installs). It runs when the address is saved and
again at every send; the send then connects to the very address it checked (no second DNS
lookup, so DNS rebinding cannot slip an internal address in between) and follows no redirect.
The practice's signing secret is stored sealed (:mod:`safereply.services.sealing`) and opened
only to sign.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import smtplib
import socket
import ssl
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from safereply.errors import InputError
from safereply.services.sealing import is_sealed, unseal
from safereply.store.engine import Store
from safereply.store.models import Notification, Post, Practice, PracticeSettings, utcnow
from safereply.store.rows import affected, get_row

__all__ = [
    "MAX_ATTEMPTS",
    "Notifier",
    "SmtpConfig",
    "WebhookTarget",
    "check_webhook_target",
    "enqueue",
    "resolve_host",
]

log = logging.getLogger("safereply.notify")
MAX_ATTEMPTS = 5

_SUBJECTS = {
    "escalated": "URGENT: a post needs attention now",
    "overdue": "A post is overdue for a reply",
    "ready": "A scheduled reply is ready to post",
}


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Where and how to send e-mail."""

    host: str
    port: int = 25
    username: str = ""
    password: str = ""
    starttls: bool = False
    sender: str = "safereply@localhost"
    timeout: float = 10.0


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    """A checked webhook address: where to connect (``address``) and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def resolve_host(host: str, port: int) -> list[str]:
    """Return every address ``host`` resolves to (tests replace this to fake DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def _allowed_hosts(settings: Any) -> frozenset[str]:
    raw = getattr(settings, "webhook_allowed_hosts", "") or ""
    return frozenset(h.strip().lower().rstrip(".") for h in raw.split(",") if h.strip())


def _refused_reason(address: str) -> str | None:
    """Say why an address is internal, or None for a public one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # Most specific first: Python counts loopback, link-local and reserved ranges as private too.
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "not public"


def check_webhook_target(url: str, settings: Any) -> WebhookTarget:
    """Check a webhook address and return where to connect; called at save and at send time.

    Raises:
        InputError: not http(s), no host, credentials in it, a host that does not resolve, or
            one that resolves to an internal address (naming the address and its kind) while not
            named in ``SAFEREPLY_WEBHOOK_ALLOWED_HOSTS``.
    """
    parts = urllib.parse.urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("webhook_url must be an http:// or https:// address with a host")
    if parts.username is not None or parts.password is not None:
        raise InputError("webhook_url must not carry a user name or password")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InputError("webhook_url has a port that is not a number from 1 to 65535") from None
    host = parts.hostname.rstrip(".")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        addresses = resolve_host(host, port)
    except (OSError, UnicodeError):
        raise InputError(f"webhook_url host {host!r} cannot be resolved") from None
    if not addresses:
        raise InputError(f"webhook_url host {host!r} has no address")
    if host.lower() not in _allowed_hosts(settings):
        for address in addresses:
            reason = _refused_reason(address)
            if reason:
                raise InputError(
                    f"webhook_url host {host!r} resolves to {address}, a {reason} address; "
                    "webhooks may only reach public hosts (name an internal host in "
                    "SAFEREPLY_WEBHOOK_ALLOWED_HOSTS to allow it)"
                )
    return WebhookTarget(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to the checked address, whatever DNS says now; the Host header keeps the name."""

    def __init__(self, target: WebhookTarget, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address; the certificate is still checked against the host name."""

    def __init__(self, target: WebhookTarget, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self._tls)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def enqueue(session: Session, post: Post, reason: str, *, base_url: str, at: dt.datetime) -> int:
    """Queue one notification per channel of the post's practice; return how many were new.

    A notification already queued for this post and reason (on any earlier call) is not queued
    again, so sweeps can run as often as they like.
    """
    conf = session.get(PracticeSettings, post.practice_id)
    practice = session.get(Practice, post.practice_id)
    if conf is None or practice is None:
        return 0
    payload = {
        "event": reason,
        "practice": {"id": practice.id, "name": practice.name},
        "post": {
            "id": post.id,
            "platform": post.platform,
            "kind": post.kind,
            "priority": post.priority,
            "state": post.state,
            "due_at": post.due_at.isoformat(),
            "link": f"{base_url.rstrip('/')}/posts/{post.id}",
        },
        "at": at.isoformat(),
    }
    targets = [("email", e) for e in conf.notify_emails or ()]
    if conf.webhook_url:
        targets.append(("webhook", conf.webhook_url))
    created = 0
    for channel, target in targets:
        key = f"{reason}:{post.id}:{channel}:{target}"[:200]
        if session.scalar(select(Notification.id).where(Notification.dedupe_key == key)):
            continue
        try:
            with session.begin_nested():
                session.add(
                    Notification(
                        practice_id=post.practice_id,
                        post_id=post.id,
                        reason=reason,
                        channel=channel,
                        target=target,
                        payload=payload,
                        dedupe_key=key,
                        created_at=at,
                        next_attempt_at=at,
                    )
                )
        except IntegrityError:
            continue  # another process queued it first
        created += 1
    return created


class Notifier:
    """Delivers queued notifications."""

    def __init__(
        self,
        store: Store,
        *,
        smtp: SmtpConfig | None = None,
        webhook_timeout: float = 5.0,
        clock: Callable[[], dt.datetime] = utcnow,
        settings: Any = None,
    ) -> None:
        if settings is None:
            from safereply.settings import Settings

            settings = Settings()
        self.store = store
        self.smtp = smtp
        self.webhook_timeout = webhook_timeout
        self.clock = clock
        self.settings = settings

    def dispatch(self, *, limit: int = 100) -> dict[str, int]:
        """Send every due notification; return counts of ``sent``, ``failed`` and ``skipped``."""
        now = self.clock()
        counts = {"sent": 0, "failed": 0, "skipped": 0}
        with self.store.read() as session:
            ids = session.scalars(
                select(Notification.id)
                .where(Notification.status == "pending", Notification.next_attempt_at <= now)
                .order_by(Notification.id)
                .limit(limit)
            ).all()
        for nid in ids:
            with self.store.write() as session:
                claimed = affected(
                    session.execute(
                        update(Notification)
                        .where(Notification.id == nid, Notification.status == "pending")
                        .values(status="sending", attempts=Notification.attempts + 1)
                    )
                )
                if not claimed:
                    counts["skipped"] += 1
                    continue
                row = get_row(session, Notification, nid)
                channel, target, payload, reason = row.channel, row.target, row.payload, row.reason
                attempts = row.attempts
                secret = session.scalar(
                    select(PracticeSettings.webhook_secret).where(
                        PracticeSettings.practice_id == row.practice_id
                    )
                )
            error = None
            try:
                if channel == "email":
                    self._send_email(target, reason, payload)
                else:
                    self._post_webhook(target, payload, secret)
            except Exception as exc:  # any delivery failure is recorded and retried later
                error = f"{type(exc).__name__}: {exc}"[:500]
                log.warning("notification %s via %s failed: %s", nid, channel, error)
            with self.store.write() as session:
                row = get_row(session, Notification, nid)
                if error is None:
                    row.status, row.sent_at, row.last_error = "sent", self.clock(), None
                    counts["sent"] += 1
                else:
                    row.last_error = error
                    give_up = attempts >= MAX_ATTEMPTS
                    row.status = "failed" if give_up else "pending"
                    # Back off: 1, 2, 4, 8 minutes between attempts.
                    row.next_attempt_at = self.clock() + dt.timedelta(minutes=2 ** (attempts - 1))
                    counts["failed"] += 1
        return counts

    def _send_email(self, to: str, reason: str, payload: dict[str, Any]) -> None:
        if self.smtp is None or not self.smtp.host:
            raise RuntimeError("no SMTP server configured (SAFEREPLY_SMTP_HOST)")
        post = payload["post"]
        msg = EmailMessage()
        msg["From"] = self.smtp.sender
        msg["To"] = to
        msg["Subject"] = (
            f"[SafeReply] {payload['practice']['name']}: {_SUBJECTS.get(reason, reason)}"
        )
        msg.set_content(
            "\n".join(
                [
                    _SUBJECTS.get(reason, reason) + ".",
                    "",
                    f"Practice: {payload['practice']['name']}",
                    f"Platform: {post['platform']}",
                    f"Kind: {post['kind']}   Priority: {post['priority']}   State: {post['state']}",
                    f"Due: {post['due_at']}",
                    f"Open it: {post['link']}",
                    "",
                    "The post's text is not included in e-mail on purpose: read it in SafeReply.",
                    "Never contact the poster privately; reply in public and invite them to call.",
                ]
            )
        )
        with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.smtp.timeout) as smtp:
            if self.smtp.starttls:
                smtp.starttls()
            if self.smtp.username:
                smtp.login(self.smtp.username, self.smtp.password)
            smtp.send_message(msg)

    def _open_secret(self, stored: str | None) -> str | None:
        """Return the signing secret in clear; a plain one left by an older version is used as is.

        Raises:
            SealError: the sealed secret cannot be opened (a wrong key): nothing is sent unsigned.
        """
        if not stored:
            return None
        if not is_sealed(stored):
            log.warning("a webhook secret is stored in clear; run 'safereply keys rotate'")
            return stored
        return unseal(stored, self.settings)

    def _post_webhook(self, url: str, payload: dict[str, Any], secret: str | None) -> None:
        """POST the payload to the checked address; a redirect or a non-2xx answer is a failure."""
        target = check_webhook_target(url, self.settings)  # again: DNS may have changed
        key = self._open_secret(secret)
        body = json.dumps(payload, sort_keys=True).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": "SafeReply"}
        if key:
            digest = hmac.new(key.encode("utf-8"), body, hashlib.sha256).hexdigest()
            headers["X-SafeReply-Signature"] = f"sha256={digest}"
        pinned = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        conn = pinned(target, self.webhook_timeout)
        try:
            conn.request("POST", target.path, body=body, headers=headers)
            status = conn.getresponse().status
        finally:
            conn.close()
        if not 200 <= status < 300:
            raise RuntimeError(f"webhook answered HTTP {status} (redirects are not followed)")
