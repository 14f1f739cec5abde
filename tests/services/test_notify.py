"""Notifications reach staff over real SMTP and HTTP servers on ephemeral local ports."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from safereply.services import NewPost
from safereply.services.notify import MAX_ATTEMPTS, SmtpConfig

SECRET = "webhook-secret-0123456789"
POST_TEXT = "Sudden chest pain in the waiting room and I feel faint"


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    # aiosmtpd's start-up probe cannot use port 0, so ask the OS for a free port first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.fixture
def webhook_server():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers, body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def wired(world, smtp_server, webhook_server):
    _, port = smtp_server
    _, url = webhook_server
    world.services.notifier.smtp = SmtpConfig(host="127.0.0.1", port=port, sender="inbox@test")
    # The local receiver is on loopback, which webhooks may reach only when named (issue 12).
    world.services.settings.webhook_allowed_hosts = "127.0.0.1"
    world.services.practices.update_settings(
        world.admin,
        world.practice,
        {
            "notify_emails": ["frontdesk@maple.test", "owner@maple.test"],
            "webhook_url": url,
            "webhook_secret": SECRET,
        },
    )
    return world


def _receive(world, text, external_id="n-1"):
    return world.services.inbox.receive(
        world.staff, world.practice, NewPost(platform="google", external_id=external_id, text=text)
    )


def test_emergency_notifies_staff_at_once_by_email_and_webhook(wired, smtp_server, webhook_server):
    mailbox, _ = smtp_server
    received, _ = webhook_server
    out = _receive(wired, POST_TEXT)
    assert sorted(r[0][0] for r in mailbox.messages) == ["frontdesk@maple.test", "owner@maple.test"]
    _, message = mailbox.messages[0]
    assert "URGENT" in message["Subject"] and "Maple Grove Dental" in message["Subject"]
    body = message.get_payload()
    assert f"http://inbox.test/posts/{out.post_id}" in body and "emergency" in body
    assert "chest pain" not in body.lower()  # no post text in e-mail
    [(headers, raw)] = received
    payload = json.loads(raw)
    assert payload["event"] == "escalated" and payload["post"]["id"] == out.post_id
    assert "chest" not in raw.decode().lower()
    expected = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    assert headers["X-SafeReply-Signature"] == f"sha256={expected}"


def test_ordinary_posts_do_not_notify(wired, smtp_server, webhook_server):
    _receive(wired, "Lovely team")
    assert smtp_server[0].messages == [] and webhook_server[0] == []


def test_overdue_posts_are_notified_once(wired, smtp_server, webhook_server):
    mailbox, _ = smtp_server
    _receive(wired, "Lovely team", "slow")
    assert wired.services.inbox.sweep() == {"overdue": 0, "ready": 0}
    wired.clock.advance(hours=25)
    assert wired.services.inbox.sweep() == {"overdue": 1, "ready": 0}
    assert len(mailbox.messages) == 2 and "overdue" in mailbox.messages[0][1]["Subject"]
    assert len(webhook_server[0]) == 1
    wired.clock.advance(hours=1)
    assert wired.services.inbox.sweep() == {"overdue": 0, "ready": 0}
    assert len(mailbox.messages) == 2


def test_failed_delivery_is_retried_then_given_up(world):
    # A port nobody listens on: every attempt fails and is recorded.
    world.services.notifier.smtp = SmtpConfig(host="127.0.0.1", port=9, timeout=1)
    world.services.practices.update_settings(
        world.admin, world.practice, {"notify_emails": ["frontdesk@maple.test"]}
    )
    _receive(world, POST_TEXT)
    for _ in range(MAX_ATTEMPTS + 2):
        world.clock.advance(minutes=30)
        world.services.notifier.dispatch()
    from sqlalchemy import select

    from safereply.store.models import Notification

    with world.services.store.read() as session:
        row = session.scalar(select(Notification))
        assert row.status == "failed" and row.attempts == MAX_ATTEMPTS
        assert "ConnectionRefused" in row.last_error
