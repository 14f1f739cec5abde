"""A right password takes back only its own up-front count (session 5, after the load test).

Each sign-in is counted as a failure before its password is checked, so attempts racing past
the limiter's check see each other. A success used to wipe its source's whole count: anyone with
one valid account could sign in between guesses at others and never be slowed; and many people
signing in at once behind one office address were counted past the source's limit and told to
wait up to 15 minutes. Now a success takes back its own count and nothing else, a refused attempt
is not a failure, and a block the counts no longer justify is lifted.
"""

from __future__ import annotations

import threading

import pytest
from auth_site import PASSWORD, build_site, client, post_login

from safereply.services.auth import Attempt
from safereply.services.auth_limits import source_key

OFFICE = "203.0.113.77"


@pytest.fixture
def site(tmp_path):
    built = build_site(f"sqlite:///{tmp_path / 'forgive.sqlite3'}", login_max_failures=3)
    yield built
    built.store.dispose()


def _source_failures(site, address: str) -> int:
    limiter = site.services.auth.limiter
    key = source_key(address)
    state = limiter.backend.read([key], site.clock(), limiter.window).get(key)
    return 0 if state is None else state.failures


def test_signing_in_to_ones_own_account_keeps_the_guesses_made_from_that_address(site):
    auth = site.services.auth
    for _ in range(2):  # guesses at the manager's account, under the limit of 3
        assert (
            auth.sign_in(
                Attempt(source=OFFICE, email="manager@example.test", password="no no no!")
            ).outcome
            == "wrong"
        )
    assert (
        auth.sign_in(Attempt(source=OFFICE, email="staff@example.test", password=PASSWORD)).outcome
        == "ok"
    )
    assert _source_failures(site, OFFICE) == 2  # not wiped by the staff member's own sign-in
    assert (
        auth.sign_in(
            Attempt(source=OFFICE, email="manager@example.test", password="no no no!")
        ).outcome
        == "wrong"
    )
    limited = auth.sign_in(
        Attempt(source=OFFICE, email="manager@example.test", password="guess 4!")
    )
    assert limited.outcome == "limited"


def test_many_people_signing_in_at_once_behind_one_address_all_get_in(site):
    # Counted up front, ten right passwords in flight together pass the source's limit of 3;
    # each is taken back as it proves itself, and those refused meanwhile are not failures.
    limiter = site.services.auth.limiter
    key = source_key(OFFICE)
    for _ in range(10):
        limiter.failed(key)
    assert limiter.retry_after(key) > 0
    for _ in range(10):
        limiter.forgive(key)
    assert limiter.retry_after(key) == 0 and _source_failures(site, OFFICE) == 0
    outcomes: list[str] = []

    def sign_in() -> None:
        attempt = Attempt(source=OFFICE, email="staff@example.test", password=PASSWORD)
        outcomes.append(site.services.auth.sign_in(attempt).outcome)

    threads = [threading.Thread(target=sign_in) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _source_failures(site, OFFICE) == 0  # every count taken back
    assert limiter.retry_after(key) == 0  # nobody behind the office address is kept waiting
    retried = [
        site.services.auth.sign_in(
            Attempt(source=OFFICE, email="staff@example.test", password=PASSWORD)
        ).outcome
        for o in outcomes
        if o != "ok"
    ]
    assert all(o == "ok" for o in retried)


def test_a_browser_sign_in_after_failures_elsewhere_still_works(site):
    attacker = client(site, "198.51.100.9")
    for _ in range(3):
        post_login(attacker, "staff", "guess guess guess")
    assert post_login(attacker, "staff", PASSWORD).status_code == 429
    assert post_login(client(site, OFFICE), "staff").status_code == 303
    assert _source_failures(site, "198.51.100.9") >= 3  # the guesser's count is untouched


def test_the_redis_backend_takes_back_one_failure_and_lifts_the_block(site):
    import os
    import uuid

    url = os.environ.get("SAFEREPLY_TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis tests need SAFEREPLY_TEST_REDIS_URL")
    from safereply.services.auth_redis import RedisThrottle

    throttle = RedisThrottle(url, prefix=f"safereply:test:{uuid.uuid4().hex}:")
    limiter = site.services.auth.limiter
    limiter.backend = throttle
    key = source_key(OFFICE)
    try:
        for _ in range(5):
            limiter.failed(key)
        assert limiter.retry_after(key) > 0
        limiter.forgive(key, key)  # one key named twice is taken back once
        assert throttle.read([key], site.clock(), limiter.window)[key].failures == 4
        assert limiter.retry_after(key) > 0  # 4 failures still over the limit of 3
        for _ in range(2):
            limiter.forgive(key)
        assert limiter.retry_after(key) == 0
        for _ in range(5):
            limiter.forgive(key)  # never below zero
        assert throttle.read([key], site.clock(), limiter.window)[key].failures == 0
        limiter.forgive("src:never-seen")  # a key that is gone stays gone
        assert throttle.redis.exists(f"{throttle.prefix}src:never-seen") == 0
    finally:
        for found in throttle.redis.scan_iter(f"{throttle.prefix}*"):
            throttle.redis.delete(found)
