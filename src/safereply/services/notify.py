"""Notifications to practice staff (never to the poster): e-mail over SMTP and an outgoing webhook.

Notifications are written to an outbox table in the same transaction as the event that causes
them, then delivered after the commit by :meth:`Notifier.dispatch` (at once for escalations, and by
every SLA sweep for anything that failed before). A row is claimed before it is sent, so two
processes never send the same message twice. Messages carry the post's kind, priority, platform,
due time and a link, never the post's or a reply's text: e-mail is not a safe place for PHI.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import smtplib
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from safereply.store.engine import Store
from safereply.store.models import Notification, Post, Practice, PracticeSettings, utcnow

__all__ = ["MAX_ATTEMPTS", "Notifier", "SmtpConfig", "enqueue"]

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
    ) -> None:
        self.store = store
        self.smtp = smtp
        self.webhook_timeout = webhook_timeout
        self.clock = clock

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
                claimed = session.execute(
                    update(Notification)
                    .where(Notification.id == nid, Notification.status == "pending")
                    .values(status="sending", attempts=Notification.attempts + 1)
                ).rowcount
                if not claimed:
                    counts["skipped"] += 1
                    continue
                row = session.get(Notification, nid)
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
                row = session.get(Notification, nid)
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

    def _post_webhook(self, url: str, payload: dict[str, Any], secret: str | None) -> None:
        body = json.dumps(payload, sort_keys=True).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": "SafeReply"}
        if secret:
            digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
            headers["X-SafeReply-Signature"] = f"sha256={digest}"
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=self.webhook_timeout) as response:
            if not 200 <= response.status < 300:
                raise RuntimeError(f"webhook answered HTTP {response.status}")
