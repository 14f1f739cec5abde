"""A locked account's answers do not tell a right password from a wrong one (review defects 3
and 7).

With a second factor, a locked account used to answer a wrong password "too many failed
sign-ins" and the right one "enter your code": a password oracle for guessers from new
addresses. Now every password gets the code step, and after a wrong one no code passes. And
concurrent guesses from one source used to pass the limiter's check together: the failure is
now counted before the password is checked.
"""

from __future__ import annotations

import threading

from auth_site import client, code_now, pending_of, post_code, post_login
from test_auth_limiter import _lock, site  # noqa: F401  (fixture)

from safereply.services.auth import Attempt


def _enrol(site) -> str:  # noqa: F811
    actor = site.services.users.actor_for(site.users["staff"]["id"])
    secret = site.services.auth.begin_enrolment(actor.user_id)["secret"]
    assert site.services.auth.confirm_enrolment(actor, code_now(site, secret))
    return secret


def test_a_locked_account_answers_every_password_alike(site):  # noqa: F811
    secret = _enrol(site)
    _lock(site)
    answers = []
    for n, password in enumerate(["guess one two", None]):
        browser = client(site, f"198.51.100.{n + 1}")
        asked = post_login(browser, "staff", password) if password else post_login(browser, "staff")
        answers.append((asked.status_code, "Enter your code" in asked.text))
        if password:  # the wrong password's code step fails even with the right code
            wrong = post_code(browser, pending_of(asked.text), code_now(site, secret, 1))
            assert wrong.status_code != 303
        else:
            right = post_code(browser, pending_of(asked.text), code_now(site, secret, 1))
            assert right.status_code == 303
    assert answers[0] == answers[1] == (200, True)


def test_a_decoy_pending_step_looks_like_a_real_one(site):  # noqa: F811
    _enrol(site)
    _lock(site)
    auth = site.services.auth
    wrong = auth.sign_in(
        Attempt(source="198.51.100.7", email="staff@example.test", password="no" * 6)
    )
    right = auth.sign_in(
        Attempt(source="198.51.100.8", email="staff@example.test", password="correct horse battery")
    )
    assert wrong.outcome == right.outcome == "second_factor"
    assert len(wrong.pending or "") == len(right.pending or "")


def test_concurrent_guesses_from_one_source_are_all_limited(site):  # noqa: F811
    auth = site.services.auth
    outcomes: list[str] = []
    start = threading.Barrier(12)

    def guess(i: int) -> None:
        start.wait()
        attempt = Attempt(
            source="203.0.113.99", email="staff@example.test", password=f"guess {i}!!"
        )
        outcomes.append(auth.sign_in(attempt).outcome)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("wrong") <= 3  # login_max_failures=3: the rest wait
    assert outcomes.count("wrong") + outcomes.count("limited") == 12


def test_a_right_password_forgets_the_failure_counted_up_front(site):  # noqa: F811
    auth = site.services.auth
    for _ in range(5):  # more sign-ins than login_max_failures, each one right
        ok = auth.sign_in(
            Attempt(
                source="203.0.113.50", email="staff@example.test", password="correct horse battery"
            )
        )
        assert ok.outcome == "ok"
