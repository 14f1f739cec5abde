"""Browser sessions (issue 12): an idle timeout that is real (the docs said idle; it was a fixed
lifetime), an absolute end, the owner's list with last use and revocation, "sign out
everywhere" for a practice's admins, and the end of every session on a password change."""

from __future__ import annotations

import re

import pytest
from auth_site import PASSWORD, build_site, client, post_login, sites
from factories import csrf_of
from sqlalchemy import select

from safereply.store.models import Session as SessionRow


@pytest.fixture
def site(tmp_path):
    built = build_site(
        f"sqlite:///{tmp_path / 'sessions.sqlite3'}",
        session_idle_timeout=30 * 60,
        session_max_age=12 * 3600,
    )
    yield built
    built.store.dispose()


def _signed_in(browser) -> bool:
    return browser.get("/account", follow_redirects=False).status_code == 200


def test_a_session_ends_after_the_idle_time(site):
    browser = client(site)
    post_login(browser, "staff")
    site.clock.advance(minutes=29)
    assert _signed_in(browser)  # each use moves the idle deadline
    site.clock.advance(minutes=29)
    assert _signed_in(browser)
    site.clock.advance(minutes=31)
    assert not _signed_in(browser)


def test_a_used_session_still_ends_at_its_absolute_end(site):
    browser = client(site)
    post_login(browser, "staff")
    for _ in range(12 * 3 - 1):  # a request every 20 minutes: alive until the 12th hour
        site.clock.advance(minutes=20)
        assert _signed_in(browser)
    site.clock.advance(minutes=20)
    assert not _signed_in(browser)
    with site.store.read() as session:
        ends = session.scalars(select(SessionRow.expires_at)).one()
    assert ends <= site.clock()


def test_the_owner_lists_sessions_with_last_use_and_revokes_one(site):
    laptop, phone = client(site, "203.0.113.1"), client(site, "203.0.113.2")
    post_login(laptop, "staff", **{"User-Agent": "Laptop browser"})
    post_login(phone, "staff", **{"User-Agent": "Phone browser"})
    site.clock.advance(minutes=5)
    listed = laptop.get("/account?format=json").json()["sessions"]
    assert {s["user_agent"] for s in listed} == {"Laptop browser", "Phone browser"}
    assert {s["address"] for s in listed} == {"203.0.113.1", "203.0.113.2"}
    assert [s["current"] for s in listed].count(True) == 1
    assert all(s["last_used_at"] for s in listed)
    page = laptop.get("/account").text
    assert "Where you are signed in" in page and "Phone browser" in page
    phone_id = next(s["id"] for s in listed if s["user_agent"] == "Phone browser")
    done = laptop.post(f"/account/sessions/{phone_id}/revoke", data={"csrf_token": csrf_of(page)})
    assert "That browser is signed out." in done.text
    assert not _signed_in(phone) and _signed_in(laptop)


def test_nobody_revokes_another_persons_session(site):
    victim, other = client(site), client(site)
    post_login(victim, "manager")
    post_login(other, "staff")
    victim_id = victim.get("/account?format=json").json()["sessions"][0]["id"]
    csrf = other.get("/api/v1/auth/me").json()["csrf_token"]
    response = other.delete(f"/api/v1/auth/sessions/{victim_id}", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 404
    assert _signed_in(victim)


def test_sign_out_every_other_browser(site):
    here, there = client(site), client(site)
    post_login(here, "staff")
    post_login(there, "staff")
    csrf = here.get("/api/v1/auth/me").json()["csrf_token"]
    ended = here.post("/api/v1/auth/sessions/revoke-others", headers={"X-CSRF-Token": csrf})
    assert ended.json() == {"ended": 1}
    assert _signed_in(here) and not _signed_in(there)


def test_an_admin_signs_a_member_out_everywhere(site):
    staff_a, staff_b = client(site), client(site)
    post_login(staff_a, "staff")
    post_login(staff_b, "staff")
    admin = client(site)
    post_login(admin, "admin")
    page = admin.get("/p/1/security").text
    staff_id = site.users["staff"]["id"]
    done = admin.post(
        f"/p/1/users/{staff_id}/sign-out-everywhere", data={"csrf_token": csrf_of(page)}
    )
    assert "Every session of that person is ended" in done.text
    assert not _signed_in(staff_a) and not _signed_in(staff_b) and _signed_in(admin)


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("other", "staff", 404),  # another practice's admin: not their member
        ("manager", "staff", 403),  # not an admin
        ("admin", "other", 404),  # not a member of the admin's practice
    ],
)
def test_sign_out_everywhere_stays_inside_the_practice(site, who, target, status):
    victim = client(site)
    post_login(victim, target)
    caller = client(site)
    post_login(caller, who)
    csrf = caller.get("/api/v1/auth/me").json()["csrf_token"]
    practice = 1
    response = caller.post(
        f"/api/v1/practices/{practice}/users/{site.users[target]['id']}/sign-out-everywhere",
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == status
    assert _signed_in(victim)


def test_a_password_change_ends_every_session_and_token(site):
    other = client(site)
    post_login(other, "staff")
    actor = site.services.users.actor_for(site.users["staff"]["id"])
    token = site.services.users.create_token(actor, name="script")["token"]
    browser = client(site)
    post_login(browser, "staff")
    page = browser.get("/account").text
    changed = browser.post(
        "/account/password",
        data={
            "csrf_token": csrf_of(page),
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert changed.status_code == 200 and re.search("Password changed", changed.text)
    assert not _signed_in(other) and _signed_in(browser)
    bearer = {"Authorization": f"Bearer {token}"}
    assert client(site).get("/api/v1/auth/me", headers=bearer).status_code == 401


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sessions_on_both_databases(tmp_path, backend):
    with sites(tmp_path, backend, session_idle_timeout=1800) as site:
        users = site.services.users
        staff = users.actor_for(site.users["staff"]["id"])
        admin = users.actor_for(site.users["admin"]["id"])
        first, info = users.start_session(staff, max_age=3600, user_agent="A", address="192.0.2.1")
        second, _ = users.start_session(staff, max_age=3600, user_agent="B", address="192.0.2.2")
        listed = users.list_sessions(staff, info.session_id)
        assert [s["user_agent"] for s in listed if s["current"]] == ["A"] and len(listed) == 2
        site.clock.advance(minutes=20)
        assert users.resolve_session(first) is not None  # used: the idle deadline moves
        site.clock.advance(minutes=20)
        assert users.resolve_session(first) is not None
        assert users.resolve_session(second) is None  # 40 minutes idle
        assert users.sign_out_everywhere(admin, practice_id=1, user_id=staff.user_id) == 2
        assert users.resolve_session(first) is None
