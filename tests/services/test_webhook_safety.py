"""Webhooks: the signing secret is sealed at rest, and no webhook reaches the internal network.

Issue 12: a webhook could target internal hosts (SSRF) and its secret was stored in plain text.
DNS is faked by replacing ``resolve_host``; the receiving server is a real local HTTP server.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from safereply.errors import InputError
from safereply.services import NewPost
from safereply.services import notify as notify_module
from safereply.services.notify import check_webhook_target
from safereply.services.sealing import generate_key, is_sealed, reseal_all, unseal
from safereply.settings import Settings
from safereply.store.models import Notification, PracticeSettings

SECRET = "hook-secret-0123456789abcdef"
EMERGENCY = "Sudden chest pain in the waiting room and I feel faint"


def _settings(allowed: str = "") -> Settings:
    return Settings(environment="test", secret_key="x" * 40, webhook_allowed_hosts=allowed)


@pytest.fixture
def fake_dns(monkeypatch):
    """Point host names at chosen addresses; the table can change between calls (rebinding)."""
    table: dict[str, list[str]] = {}

    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]

    monkeypatch.setattr(notify_module, "resolve_host", resolve)
    return table


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.5", "private"),
        ("192.168.1.10", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4 mapped into IPv6
        ("100.64.0.1", "not public"),  # carrier-grade NAT
    ],
)
def test_internal_addresses_are_refused_naming_the_kind(fake_dns, address, kind):
    fake_dns["hooks.example.test"] = ["93.184.216.34", address]
    with pytest.raises(InputError, match=f"a {kind} address") as info:
        check_webhook_target("https://hooks.example.test/in", _settings())
    # The settings page puts an error whose first word is a field's name beside that field.
    assert str(info.value).startswith("webhook_url ")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.test/in",
        "file:///etc/passwd",
        "gopher://hooks.example.test/",
        "https://user:pw@hooks.example.test/in",
        "https:///no-host",
        "https://hooks.example.test:99999/in",
        "",
    ],
)
def test_only_plain_http_and_https_addresses_are_accepted(fake_dns, url):
    fake_dns["hooks.example.test"] = ["93.184.216.34"]
    with pytest.raises(InputError, match="webhook_url"):
        check_webhook_target(url, _settings())


def test_a_public_host_passes_and_an_unresolvable_one_is_refused(fake_dns):
    fake_dns["hooks.example.test"] = ["93.184.216.34"]
    target = check_webhook_target("https://hooks.example.test/in?x=1", _settings())
    assert (target.address, target.port, target.path) == ("93.184.216.34", 443, "/in?x=1")
    with pytest.raises(InputError, match="cannot be resolved"):
        check_webhook_target("https://nowhere.example.test/", _settings())


def test_named_internal_hosts_are_allowed_for_on_premise_installs(fake_dns):
    fake_dns["pager.clinic.lan"] = ["10.0.0.7"]
    target = check_webhook_target("http://pager.clinic.lan/hook", _settings("PAGER.clinic.lan"))
    assert target.address == "10.0.0.7"
    with pytest.raises(InputError):
        check_webhook_target("http://pager.clinic.lan/hook", _settings("other.clinic.lan"))


def test_saving_an_internal_webhook_is_refused_and_changes_nothing(world, fake_dns):
    fake_dns["metadata.example.test"] = ["169.254.169.254"]
    with pytest.raises(InputError, match="link-local"):
        world.services.practices.update_settings(
            world.admin,
            world.practice,
            {"webhook_url": "http://metadata.example.test/latest", "webhook_secret": SECRET},
        )
    with world.services.store.read() as session:
        row = session.get(PracticeSettings, world.practice)
        assert row.webhook_url is None and row.webhook_secret is None


def test_the_secret_is_sealed_at_rest_and_never_shown(world, fake_dns):
    fake_dns["hooks.example.test"] = ["93.184.216.34"]
    shown = world.services.practices.update_settings(
        world.admin,
        world.practice,
        {"webhook_url": "https://hooks.example.test/in", "webhook_secret": SECRET},
    )
    assert SECRET not in repr(shown) and shown["webhook_secret_set"] is True
    with world.services.store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT webhook_secret FROM practice_settings")).all()
    [value] = [v for (v,) in stored if v]
    assert is_sealed(value) and SECRET not in value
    assert unseal(value, world.services.settings) == SECRET


@pytest.fixture
def receiver():
    received: list[tuple[dict[str, str], bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            if self.path.startswith("/redirect"):
                self.send_response(302)
                self.send_header("Location", "http://169.254.169.254/latest/meta-data")
            else:
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield received, server.server_address[1]
    server.shutdown()
    server.server_close()


def _wire(world, fake_dns, port: int, path: str = "/hook") -> None:
    world.services.settings.webhook_allowed_hosts = "hooks.clinic.lan"
    fake_dns["hooks.clinic.lan"] = ["127.0.0.1"]
    world.services.practices.update_settings(
        world.admin,
        world.practice,
        {"webhook_url": f"http://hooks.clinic.lan:{port}{path}", "webhook_secret": SECRET},
    )


def _escalate(world) -> None:
    world.services.inbox.receive(
        world.staff, world.practice, NewPost(platform="google", external_id="e-1", text=EMERGENCY)
    )


def _last_error(world) -> str | None:
    with world.services.store.read() as session:
        return session.scalar(sa.select(Notification.last_error))


def test_a_send_signs_with_the_unsealed_secret_and_keeps_the_host_name(world, fake_dns, receiver):
    received, port = receiver
    _wire(world, fake_dns, port)
    _escalate(world)
    [(headers, body)] = received
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-SafeReply-Signature"] == f"sha256={expected}"
    assert headers["Host"] == f"hooks.clinic.lan:{port}"


def test_dns_rebinding_after_the_save_is_refused_at_send_time(world, fake_dns, receiver):
    received, port = receiver
    _wire(world, fake_dns, port)
    world.services.settings.webhook_allowed_hosts = ""  # now an ordinary host ...
    fake_dns["hooks.clinic.lan"] = ["127.0.0.1"]  # ... that DNS points at loopback
    _escalate(world)
    assert received == []
    assert "loopback address" in _last_error(world)


def test_redirects_are_not_followed(world, fake_dns, receiver):
    received, port = receiver
    _wire(world, fake_dns, port, path="/redirect")
    _escalate(world)
    assert len(received) == 1  # only the first request; the redirect is a failure
    assert "HTTP 302" in _last_error(world)


def test_a_wrong_key_fails_the_send_clearly_and_sends_nothing(world, fake_dns, receiver):
    received, port = receiver
    _wire(world, fake_dns, port)
    world.services.settings.encryption_keys = generate_key()
    world.services.settings.secret_key = "y" * 40  # the derived key changes too
    _escalate(world)
    assert received == []
    error = _last_error(world)
    assert "SealError" in error and "SAFEREPLY_ENCRYPTION_KEYS" in error and SECRET not in error


def test_the_migration_keeps_plain_secrets_and_keys_rotate_seals_them(tmp_path, monkeypatch):
    from alembic.script import ScriptDirectory

    from safereply.store import Store, upgrade
    from safereply.store.migrate import alembic_config

    monkeypatch.setenv("SAFEREPLY_SECRET_KEY", "m" * 40)
    monkeypatch.delenv("SAFEREPLY_ENCRYPTION_KEYS", raising=False)
    scripts = ScriptDirectory.from_config(alembic_config())
    [sealing] = [
        r for r in scripts.walk_revisions() if (r.doc or "").startswith("Webhook secrets sealed")
    ]
    store = Store.from_url(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(store, sealing.down_revision)
    with store.engine.begin() as conn:
        now = "2026-12-01 09:00:00.000000"
        conn.execute(
            sa.text("INSERT INTO organisations (id, name, created_at) VALUES (1, 'Org', :t)"),
            {"t": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO practices (id, organisation_id, name, phone, staff, created_at) "
                "VALUES (1, 1, 'P', '555', '[]', :t), (2, 1, 'Q', '555', '[]', :t)"
            ),
            {"t": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO practice_settings (practice_id, approval_policy, cooling_off_minutes, "
                "sla_minutes, urgent_sla_minutes, notify_emails, webhook_secret, self_approval) "
                "VALUES (1, 'complaints', 60, 1440, 15, '[]', :s, 0), "
                "(2, 'complaints', 60, 1440, 15, '[]', NULL, 0)"
            ),
            {"s": SECRET},
        )
    upgrade(store)
    with store.engine.connect() as conn:
        rows = dict(
            conn.execute(sa.text("SELECT practice_id, webhook_secret FROM practice_settings")).all()
        )
    assert rows[2] is None
    assert rows[1] == SECRET  # kept plain: the migration cannot see a --settings file's key
    settings = Settings(environment="test", secret_key="m" * 40)
    with store.write() as session:
        reseal_all(session, settings)  # what `safereply keys rotate` does
    with store.engine.connect() as conn:
        sealed = conn.execute(sa.text("SELECT webhook_secret FROM practice_settings")).scalar()
    store.dispose()
    assert is_sealed(sealed) and SECRET not in sealed
    assert unseal(sealed, settings) == SECRET
