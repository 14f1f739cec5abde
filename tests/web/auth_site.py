"""A small SafeReply site for the sign-in tests (tests/web/test_auth_*.py): one SQLite file, two
practices, an admin, a manager and a staff member in the first and an admin in the second, a
clock the test moves, and an outbox that keeps the e-mails the service would send."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from factories import (
    HARBOR,
    MAPLE,
    PASSWORD,
    Clock,
    add_practice,
    add_roster,
    make_services,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient

from safereply.services import Services
from safereply.services.auth import AuthService
from safereply.services.mfa import totp
from safereply.store import Store, upgrade
from safereply.store.testing import POSTGRES_ENV, postgres_url, temporary_postgres

SECRET = "s" * 40


@dataclass
class Outbox:
    """Keeps what the service would e-mail (a Mailer)."""

    messages: list[tuple[str, str, str]] = field(default_factory=list)

    def send(self, to: str, subject: str, body: str) -> None:
        self.messages.append((to, subject, body))


@dataclass
class Site:
    app: FastAPI
    services: Services
    clock: Clock
    outbox: Outbox
    users: dict[str, dict[str, Any]]
    practices: dict[str, int]
    store: Store


def build_site(url: str | Store, **overrides: Any) -> Site:
    """Build the app over a fresh, migrated database (a URL, or a store) with these settings."""
    store = url if isinstance(url, Store) else Store.from_url(url)
    upgrade(store)
    clock = Clock()
    values: dict[str, Any] = {"environment": "test", "secret_key": SECRET, "sweep_interval": 0}
    # Not the sign-in tests' subject (test_request_limits.py turns them on explicitly).
    values["request_limits"] = "off"
    services = make_services(store, clock=clock, **(values | overrides))
    outbox = Outbox()
    services.auth.mailer = outbox
    practices = {"maple": add_practice(services, MAPLE), "harbor": add_practice(services, HARBOR)}
    users = add_roster(services, practices)
    from safereply.web import create_app

    app = create_app(services=services)
    return Site(app, services, clock, outbox, users, practices, store)


@contextmanager
def sites(tmp_path: Any, backend: str, **overrides: Any) -> Iterator[Site]:
    """Yield a site over SQLite, or over a fresh PostgreSQL database (skipped without one)."""
    if backend == "sqlite":
        site = build_site(f"sqlite:///{tmp_path / 'auth.sqlite3'}", **overrides)
        try:
            yield site
        finally:
            site.store.dispose()
        return
    url = postgres_url()
    if url is None:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    with temporary_postgres(url, prefix="safereply_authtest") as store:
        yield build_site(store, **overrides)


def second_auth(site: Site, **overrides: Any) -> AuthService:
    """Return another AuthService over the same database (as another process would have)."""
    settings = site.services.settings.model_copy(update=overrides)
    return AuthService(site.store, settings, site.services.users, clock=site.clock)


def client(site: Site, address: str = "203.0.113.10") -> TestClient:
    """Return a browser whose connection comes from ``address``."""
    return TestClient(site.app, client=(address, 40000))


def login_token(browser: TestClient, path: str = "/login") -> str:
    """Open a sign-in page and return its double-submit token."""
    return re.search(r'name="login_token" value="([^"]+)"', browser.get(path).text).group(1)


def post_login(browser: TestClient, name_or_email: str, password: str = PASSWORD, **headers: str):
    """Post the sign-in form (without following the redirect)."""
    email = name_or_email if "@" in name_or_email else f"{name_or_email}@example.test"
    return browser.post(
        "/login",
        data={"email": email, "password": password, "login_token": login_token(browser)},
        headers=headers,
        follow_redirects=False,
    )


def pending_of(html: str) -> str:
    return re.search(r'name="pending" value="([^"]+)"', html).group(1)


def code_now(site: Site, secret: str, steps: int = 0) -> str:
    """Return the authenticator's code for ``secret`` on the site's clock (``steps`` later)."""
    return totp(secret, site.clock().timestamp() + 30 * steps)


def post_code(browser: TestClient, pending: str, code: str, token: str | None = None):
    """Post the second step of the sign-in form."""
    token = token or browser.cookies.get("safereply_presession")
    return browser.post(
        "/login/code",
        data={"pending": pending, "code": code, "login_token": token, "next": "/account"},
        follow_redirects=False,
    )
