"""Request rate limits (issue 12): per user and per address, reads and writes apart, 429 with
Retry-After, shared by every app over one database (and one Redis), audited once per crossing."""

from __future__ import annotations

import os
import random
import uuid
from typing import Any

import pytest
from auth_site import Site, build_site, client, sites
from factories import actor
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from safereply.services import build_services
from safereply.services.request_limits import (
    Budgets,
    DatabaseCounter,
    RedisCounter,
    RequestLimiter,
)
from safereply.store import Store
from safereply.store.models import AuditEvent, RequestCounter
from safereply.web import create_app

WINDOW = 60
LOW = {
    "request_limits": "database",
    "request_limit_user_reads": 3,
    "request_limit_user_writes": 2,
    "request_limit_address_reads": 100,
    "request_limit_address_writes": 100,
}


class Ticks:
    """The limiter's clock, moved by hand; starts at the beginning of a random window."""

    def __init__(self) -> None:
        self.now = float(random.randint(10**6, 10**7) * WINDOW)

    def __call__(self) -> float:
        return self.now


def _with_ticks(*apps: Any) -> Ticks:
    ticks = Ticks()
    for app in apps:
        app.state.request_limiter.clock = ticks
    return ticks


def _token(site: Site, name: str) -> str:
    return site.services.users.create_token(
        actor(site.users[name]), name=f"t-{uuid.uuid4().hex[:6]}"
    )["token"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _denials(site: Site) -> list[tuple[int | None, dict[str, Any]]]:
    """Return (actor id, detail) of every audited 429."""
    with site.store.read() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied"))
        return [(r.actor_id, r.detail) for r in rows if (r.detail or {}).get("status") == 429]


@pytest.fixture
def site(tmp_path: Any) -> Site:
    built = build_site(f"sqlite:///{tmp_path / 'limits.sqlite3'}", **LOW)
    yield built
    built.store.dispose()


def test_a_user_over_the_read_budget_gets_429_with_retry_after(site: Site) -> None:
    ticks = _with_ticks(site.app)
    browser = client(site)
    first, second = _token(site, "staff"), _token(site, "staff")
    for _ in range(3):
        assert browser.get("/api/v1/auth/me", headers=_bearer(first)).status_code == 200
    over = browser.get("/api/v1/auth/me", headers=_bearer(first))
    assert over.status_code == 429
    assert over.json()["error"]["code"] == "rate_limited"
    # 4 reads in this window: the next fits once 4 x (1 - f) + 1 <= 3 in the next, f = 0.5.
    assert over.headers["Retry-After"] == "90"
    assert over.headers["Cache-Control"] == "no-store"
    # Per user, not per token: the user's other token shares the budget.
    assert browser.get("/api/v1/auth/me", headers=_bearer(second)).status_code == 429
    # Another user from the same address is not held back.
    assert (
        browser.get("/api/v1/auth/me", headers=_bearer(_token(site, "manager"))).status_code == 200
    )
    # Writes have their own budget.
    change = browser.put("/api/v1/auth/password", json={}, headers=_bearer(first))
    assert change.status_code != 429
    ticks.now += 89
    assert browser.get("/api/v1/auth/me", headers=_bearer(first)).status_code == 429
    ticks.now += 120  # a quiet window later, everything is forgotten
    assert browser.get("/api/v1/auth/me", headers=_bearer(first)).status_code == 200


def test_writes_have_their_own_smaller_budget(site: Site) -> None:
    _with_ticks(site.app)
    browser = client(site)
    token = _token(site, "admin")
    for _ in range(2):
        assert (
            browser.put("/api/v1/auth/password", json={}, headers=_bearer(token)).status_code == 422
        )
    refused = browser.post("/api/v1/auth/logout", headers=_bearer(token))
    assert refused.status_code == 429
    assert "changes" in refused.json()["error"]["message"]
    assert browser.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 200


def test_an_address_over_its_budget_gets_a_page_and_others_do_not(tmp_path: Any) -> None:
    overrides = LOW | {"request_limit_address_reads": 4}
    with sites(tmp_path, "sqlite", **overrides) as site:
        _with_ticks(site.app)
        browser, neighbour = client(site, "198.51.100.7"), client(site, "198.51.100.8")
        for _ in range(4):
            assert browser.get("/login").status_code == 200
        page = browser.get("/login")
        assert page.status_code == 429
        assert page.headers["content-type"].startswith("text/html")
        assert "Too many requests" in page.text and int(page.headers["Retry-After"]) >= 1
        as_json = browser.get("/login?format=json")
        assert as_json.status_code == 429 and as_json.json()["error"]["status"] == 429
        assert neighbour.get("/login").status_code == 200


def test_the_address_is_the_one_a_trusted_proxy_saw(tmp_path: Any) -> None:
    overrides = LOW | {"request_limit_address_reads": 2, "trusted_proxies": "10.0.0.1"}
    with sites(tmp_path, "sqlite", **overrides) as site:
        _with_ticks(site.app)
        proxy, direct = client(site, "10.0.0.1"), client(site, "192.0.2.50")
        for client_ip in ("203.0.113.1", "203.0.113.2"):
            for _ in range(2):
                ok = proxy.get("/login", headers={"X-Forwarded-For": client_ip})
                assert ok.status_code == 200
        assert proxy.get("/login", headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 429
        # Not a trusted proxy: rotating the header buys nothing.
        for n in range(3):
            answer = direct.get("/login", headers={"X-Forwarded-For": f"198.18.0.{n}"})
        assert answer.status_code == 429


def test_the_crossing_is_audited_once_with_ids_only(site: Site) -> None:
    _with_ticks(site.app)
    browser = client(site)
    token = _token(site, "staff")
    for _ in range(6):
        browser.get("/api/v1/auth/me?secret=text", headers=_bearer(token))
    ((actor_id, detail),) = _denials(site)
    assert actor_id == site.users["staff"]["id"]
    assert detail == {
        "status": 429,
        "method": "GET",
        "limit": "user-reads",
        "source": "203.0.113.10",
    }


def test_static_files_webhooks_and_health_are_not_counted(site: Site) -> None:
    _with_ticks(site.app)
    site.app.state.request_limiter.budgets = Budgets(1, 1, 1, 1)
    browser = client(site)
    for _ in range(3):
        assert browser.get("/healthz").status_code == 200
        assert browser.get("/static/app.css").status_code == 200
        assert browser.post("/hooks/meta", content=b"{}").status_code != 429
    assert browser.get("/login").status_code == 200
    assert browser.get("/login").status_code == 429


def test_the_limits_can_be_turned_off(tmp_path: Any) -> None:
    with sites(tmp_path, "sqlite", **(LOW | {"request_limits": "off"})) as site:
        assert site.app.state.request_limiter is None
        browser = client(site)
        token = _token(site, "staff")
        assert all(
            browser.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 200
            for _ in range(10)
        )


def _second_app(site: Site, store: Store) -> TestClient:
    """Another process's app over the same database (its own services, store and limiter)."""
    services = build_services(store, site.services.settings)
    return create_app(services=services)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_apps_over_one_database_share_the_counts(tmp_path: Any, backend: str) -> None:
    with sites(tmp_path, backend, **LOW) as site:
        other_store = Store.from_url(site.store.engine.url.render_as_string(hide_password=False))
        try:
            other = _second_app(site, other_store)
            _with_ticks(site.app, other)
            token = _token(site, "staff")
            one, two = client(site), TestClient(other, client=("203.0.113.10", 40001))
            assert one.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 200
            assert two.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 200
            assert one.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 200
            assert two.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 429
            assert one.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 429
        finally:
            other_store.dispose()
            if backend == "postgresql":
                site.store.dispose()


def test_two_apps_over_one_redis_share_the_counts(tmp_path: Any) -> None:
    url = os.environ.get("SAFEREPLY_TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis tests need SAFEREPLY_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    overrides = LOW | {"request_limits": "redis", "redis_url": url}
    with sites(tmp_path, "sqlite", **overrides) as site:
        assert isinstance(site.app.state.request_limiter.backend, RedisCounter)
        other = _second_app(site, site.store)
        _with_ticks(site.app, other)
        token = _token(site, "staff")
        one, two = client(site), TestClient(other, client=("203.0.113.10", 40001))
        statuses = [
            browser.get("/api/v1/auth/me", headers=_bearer(token)).status_code
            for browser in (one, two, one, two, one)
        ]
        assert statuses == [200, 200, 200, 429, 429]
        with site.store.read() as session:  # nothing went to the database's counter
            assert session.scalar(select(func.count()).select_from(RequestCounter)) == 0


def test_the_window_slides_and_stale_rows_are_purged(tmp_path: Any) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'counts.sqlite3'}")
    from safereply.store import upgrade

    upgrade(store)
    ticks = Ticks()
    limiter = RequestLimiter(
        DatabaseCounter(store), Budgets(10, 10, 1000, 1000), window=WINDOW, clock=ticks
    )
    assert all(
        limiter.check(user_id=1, address="192.0.2.1", write=False).allowed for _ in range(10)
    )
    assert not limiter.check(user_id=1, address="192.0.2.1", write=False).allowed  # 11 of 10
    ticks.now += WINDOW * 1.5  # half of the last window still counts: 11 x 0.5 = 5.5
    assert all(limiter.check(user_id=1, address="192.0.2.1", write=False).allowed for _ in range(4))
    refused = limiter.check(user_id=1, address="192.0.2.1", write=False)
    assert (refused.allowed, refused.budget) == (False, "user-reads")
    ticks.now += WINDOW * 3
    limiter.check(user_id=2, address="192.0.2.2", write=True)
    with store.read() as session:
        keys = set(session.scalars(select(RequestCounter.key)))
    assert keys == {"rq:u:2:w", "rq:a:192.0.2.2:w"}
    store.dispose()


def test_a_long_write_elsewhere_does_not_hold_pages_back(site: Site, caplog: Any) -> None:
    """SQLite: while another writer holds the lock (an import), a page is served after a short
    wait, uncounted and logged, instead of queueing behind the write for the busy timeout."""
    import sqlite3
    import time

    _with_ticks(site.app)
    browser = client(site)
    assert browser.get("/login").status_code == 200  # the counter's connection is open
    holder = sqlite3.connect(site.store.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        answer = browser.get("/login")
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answer.status_code == 200
    assert waited < 10  # the store's own busy timeout is 30 s
    assert "request limits not checked" in caplog.text


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_requests_are_all_counted(tmp_path: Any, backend: str) -> None:
    """16 threads, 25 checks each, on one key: the count is exactly 400 (no lost update)."""
    import threading

    with sites(tmp_path, backend, **LOW) as site:
        ticks = Ticks()
        limiter = RequestLimiter(
            DatabaseCounter(site.store), Budgets(10**6, 10**6, 10**6, 10**6), clock=ticks
        )

        def work() -> None:
            for _ in range(25):
                limiter.check(user_id=7, address="192.0.2.9", write=True)

        threads = [threading.Thread(target=work) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with site.store.read() as session:
            hits = dict(session.execute(select(RequestCounter.key, RequestCounter.hits)).all())
        assert hits == {"rq:u:7:w": 400, "rq:a:192.0.2.9:w": 400}
        if backend == "postgresql":
            site.store.dispose()


def test_redis_counting_needs_a_redis_url(tmp_path: Any) -> None:
    from safereply.errors import ConfigError
    from safereply.web.request_limits import make_request_limiter

    with sites(tmp_path, "sqlite", **LOW) as site:
        settings = site.services.settings.model_copy(update={"request_limits": "redis"})
        with pytest.raises(ConfigError, match="SAFEREPLY_REDIS_URL"):
            make_request_limiter(site.services, settings)
