"""The sign-in limiter (issue 12, defect 11): forwarded headers believed only from configured
proxies, the source throttled with a delay that doubles, never the victim; state in the database,
shared by every process, stale rows purged; one service function signs in for API and pages."""

from __future__ import annotations

import threading

import pytest
from auth_site import (
    PASSWORD,
    build_site,
    client,
    code_now,
    pending_of,
    post_code,
    post_login,
    second_auth,
    sites,
)
from sqlalchemy import func, select
from starlette.requests import Request

from safereply.services.auth import Attempt
from safereply.services.auth_limits import DatabaseThrottle, source_key
from safereply.settings import Settings
from safereply.store.models import LoginThrottle
from safereply.web.ratelimit import client_address


@pytest.fixture
def site(tmp_path):
    built = build_site(f"sqlite:///{tmp_path / 'limits.sqlite3'}", login_max_failures=3)
    yield built
    built.store.dispose()


def _request(peer: str, headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "headers": raw, "client": (peer, 1234)})


# -- who is asking ---------------------------------------------------------------------------------


def test_forwarded_headers_are_ignored_without_trusted_proxies():
    request = _request("198.51.100.7", {"X-Forwarded-For": "1.2.3.4", "Forwarded": "for=5.6.7.8"})
    assert client_address(request, ()) == "198.51.100.7"


def test_forwarded_headers_are_read_from_the_right_behind_a_trusted_proxy():
    proxies = Settings(trusted_proxies="10.0.0.0/8, 192.0.2.1").trusted_proxy_networks
    spoofed = _request("10.0.0.5", {"X-Forwarded-For": "6.6.6.6, 203.0.113.9, 192.0.2.1"})
    assert client_address(spoofed, proxies) == "203.0.113.9"  # the client's 6.6.6.6 is ignored
    rfc = _request("10.0.0.5", {"Forwarded": 'for=1.1.1.1, for="[2001:db8::17]:4711"'})
    assert client_address(rfc, proxies) == "2001:db8::17"
    # A peer that is not a proxy is the client, whatever it claims.
    direct = _request("203.0.113.50", {"X-Forwarded-For": "10.0.0.9"})
    assert client_address(direct, proxies) == "203.0.113.50"


def test_a_bad_proxy_list_is_a_settings_error():
    with pytest.raises(ValueError, match="not an IP address or network"):
        Settings(trusted_proxies="10.0.0.0/8, proxy.local")


def test_an_ipv6_source_counts_as_its_64():
    assert source_key("2001:db8:1:2::1") == source_key("2001:db8:1:2:ffff::9")
    assert source_key("2001:db8:1:2::1") != source_key("2001:db8:1:3::1")


def test_rotating_x_forwarded_for_does_not_reset_the_limit(site):
    browser = client(site)
    for n in range(3):
        wrong = post_login(
            browser, "staff", "guess guess guess", **{"X-Forwarded-For": f"9.9.9.{n}"}
        )
        assert wrong.status_code == 401
    blocked = post_login(browser, "staff", PASSWORD, **{"X-Forwarded-For": "9.9.9.200"})
    assert blocked.status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(tmp_path):
    site = build_site(
        f"sqlite:///{tmp_path / 'proxy.sqlite3'}", login_max_failures=3, trusted_proxies="10.0.0.1"
    )
    proxy = client(site, "10.0.0.1")
    for n in range(3):  # the attacker rotates what it writes; the proxy appends the truth
        spoof = {"X-Forwarded-For": f"7.7.7.{n}, 198.51.100.66"}
        assert post_login(proxy, "staff", "guess guess guess", **spoof).status_code == 401
    again = post_login(proxy, "staff", "guess", **{"X-Forwarded-For": "7.7.7.99, 198.51.100.66"})
    assert again.status_code == 429
    # Another client behind the same proxy is not held back by the attacker.
    other = post_login(client(site, "10.0.0.1"), "staff", **{"X-Forwarded-For": "198.51.100.12"})
    assert other.status_code == 303
    site.store.dispose()


# -- throttle the source, not the victim ---------------------------------------------------------


def test_the_delay_doubles_per_source(site):
    auth = site.services.auth
    attempt = Attempt(source="198.51.100.1", email="staff@example.test", password="wrong wrong")
    waits = []
    for _ in range(6):
        result = auth.sign_in(attempt)
        if result.outcome == "limited":
            waits.append(result.retry_after)
            site.clock.advance(seconds=result.retry_after)
            result = auth.sign_in(attempt)
        assert result.outcome == "wrong"
    assert waits == [1, 2, 4]  # the 3rd failure waits 1 s, the 4th 2 s, the 5th 4 s ...
    assert auth.limiter.retry_after(source_key("198.51.100.1")) == 8


def test_one_source_cannot_lock_a_named_user_out(site):
    attacker = client(site, "198.51.100.66")
    for _ in range(10):
        post_login(attacker, "staff", "guess guess guess")
    assert post_login(attacker, "staff", PASSWORD).status_code == 429
    victim = client(site, "203.0.113.20")
    assert post_login(victim, "staff").status_code == 303


def _lock(site, email: str = "staff@example.test") -> None:
    """Fail on the account from as many sources as the account limit takes."""
    auth = site.services.auth
    for n in range(site.services.settings.login_account_max_failures):
        auth.sign_in(Attempt(source=f"192.0.2.{n + 1}", email=email, password="wrong wrong!"))
    assert auth.limiter.account_locked(email)


def test_a_locked_account_opens_from_a_browser_it_signed_in_with_before(site):
    victim = client(site, "203.0.113.20")
    assert post_login(victim, "staff").status_code == 303  # the device cookie is set here
    victim.cookies.delete("safereply_session")  # signed out; the device cookie stays
    _lock(site)
    assert post_login(victim, "staff").status_code == 303
    # A new browser with the right password gets the same answer as a wrong password.
    stranger = client(site, "203.0.113.21")
    right, wrong = post_login(stranger, "staff"), post_login(stranger, "staff", "nope nope!")
    assert right.status_code == wrong.status_code == 401
    assert "Too many failed sign-ins on this account" in right.text
    assert "Too many failed sign-ins on this account" in wrong.text


def test_a_locked_account_opens_with_its_second_factor(site):
    actor = site.services.users.actor_for(site.users["staff"]["id"])
    secret = site.services.auth.begin_enrolment(actor.user_id)["secret"]
    assert site.services.auth.confirm_enrolment(actor, code_now(site, secret))
    _lock(site)
    browser = client(site, "203.0.113.30")
    asked = post_login(browser, "staff")
    assert asked.status_code == 200 and "Enter your code" in asked.text
    signed_in = post_code(browser, pending_of(asked.text), code_now(site, secret, 1))
    assert signed_in.status_code == 303
    assert browser.get("/account").status_code == 200


# -- state in the database ------------------------------------------------------------------------


def test_two_processes_share_one_count(site):
    other = second_auth(site)  # its own limiter object, the same table
    for _ in range(3):
        other.sign_in(Attempt(source="198.51.100.5", email="staff@example.test", password="x" * 12))
    result = site.services.auth.sign_in(
        Attempt(source="198.51.100.5", email="staff@example.test", password=PASSWORD)
    )
    assert result.outcome == "limited"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_failures_are_all_counted(tmp_path, backend):
    with sites(tmp_path, backend) as site:
        throttle = DatabaseThrottle(site.store)
        limiter = site.services.auth.limiter
        errors: list[BaseException] = []

        def fail() -> None:
            try:
                throttle.add_failure(
                    ["src:x", "acct:y"], site.clock(), limiter.window, lambda *_: 0
                )
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=fail) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        states = throttle.read(["src:x", "acct:y"], site.clock(), limiter.window)
        assert states["src:x"].failures == states["acct:y"].failures == 16


def test_stale_rows_are_purged(site):
    auth = site.services.auth
    auth.sign_in(Attempt(source="198.51.100.8", email="a@example.test", password="x" * 12))
    with site.store.read() as session:
        assert session.scalar(select(func.count()).select_from(LoginThrottle)) == 2
    site.clock.advance(seconds=site.services.settings.login_window + 1)
    auth.sign_in(Attempt(source="198.51.100.9", email="b@example.test", password="x" * 12))
    with site.store.read() as session:
        keys = set(session.scalars(select(LoginThrottle.key)))
    assert keys == {"src:198.51.100.9", "acct:b@example.test"}


# -- one function ---------------------------------------------------------------------------------


def test_api_and_pages_fail_through_one_function(site, monkeypatch):
    calls = []
    # Every failed sign-in, first step or second, is recorded by this one method.
    original = site.services.auth._audit_failed
    monkeypatch.setattr(
        site.services.auth, "_audit_failed", lambda *a, **k: (calls.append(a), original(*a, **k))
    )
    post_login(client(site), "staff", "wrong password!")
    api = client(site).post(
        "/api/v1/auth/login", json={"email": "staff@example.test", "password": "wrong password!"}
    )
    assert api.status_code == 401
    assert len(calls) == 2


# -- the Redis backend ----------------------------------------------------------------------------


@pytest.fixture
def redis_throttle():
    import os
    import uuid

    url = os.environ.get("SAFEREPLY_TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis tests need SAFEREPLY_TEST_REDIS_URL")
    from safereply.services.auth_redis import RedisThrottle

    throttle = RedisThrottle(url, prefix=f"safereply:test:{uuid.uuid4().hex}:")
    yield throttle
    for key in throttle.redis.scan_iter(f"{throttle.prefix}*"):
        throttle.redis.delete(key)


def test_the_redis_backend_counts_blocks_and_expires(site, redis_throttle):
    limiter = site.services.auth.limiter
    limiter.backend = redis_throttle
    errors: list[BaseException] = []

    def fail() -> None:
        try:
            limiter.failed("src:203.0.113.1", "acct:someone@example.test")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=fail) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    state = redis_throttle.read(["src:203.0.113.1"], site.clock(), limiter.window)
    assert state["src:203.0.113.1"].failures == 12
    assert limiter.retry_after("src:203.0.113.1") > 0
    assert not limiter.account_locked("someone@example.test")  # 12 < 20
    ttl = redis_throttle.redis.ttl(f"{redis_throttle.prefix}src:203.0.113.1")
    assert 0 < ttl <= site.services.settings.login_window + 1
    limiter.succeeded("src:203.0.113.1")
    assert limiter.retry_after("src:203.0.113.1") == 0


def test_sign_in_through_the_redis_backend(site, redis_throttle):
    site.services.auth.limiter.backend = redis_throttle
    browser = client(site, "198.51.100.44")
    for _ in range(3):
        assert post_login(browser, "staff", "guess guess guess").status_code == 401
    assert post_login(browser, "staff", PASSWORD).status_code == 429
    assert post_login(client(site, "198.51.100.45"), "staff").status_code == 303


def test_redis_without_a_url_is_a_settings_error(tmp_path):
    from safereply.errors import ConfigError

    with pytest.raises(ConfigError, match="SAFEREPLY_REDIS_URL"):
        build_site(f"sqlite:///{tmp_path / 'r.sqlite3'}", login_throttle="redis")
