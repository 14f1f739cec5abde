"""The HTML pages, server side: sign-in, CSRF, roles, forms that keep what was typed, the inbox,
the post page and its workflow, management pages, the dashboard and the JSON twins."""

from __future__ import annotations

import re

from factories import PASSWORD, csrf_of, parse, sign_in, version_of
from fastapi.testclient import TestClient

from safereply.services import SYSTEM
from safereply.web.views.chart import bar_chart, nice_ceiling
from safereply.web.views.posts import segments, stranger_reading

UNSAFE = "We are sorry to hear this. We will call you tomorrow to sort it out."
SAFE = "We are sorry to hear this. Please call our office at (555) 201-3300 so we can help."


# -- sign-in ------------------------------------------------------------------------------------


def test_anonymous_pages_redirect_to_sign_in_and_back(site):
    app, _, _, practices, _, _ = site
    client = TestClient(app)
    path = f"/p/{practices['maple']}/inbox?topic=billing"
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fp%2F1%2Finbox%3Ftopic%3Dbilling"
    form = client.get(response.headers["location"])
    assert f'name="next" value="{path}"' in form.text


def test_wrong_password_keeps_the_email_and_says_why(site):
    app, *_ = site
    client = TestClient(app)
    token = re.search(r'name="login_token" value="([^"]+)"', client.get("/login").text).group(1)
    response = client.post(
        "/login",
        data={"email": "staff@example.test", "password": "nope", "login_token": token},
    )
    assert response.status_code == 401
    assert "do not match an account" in response.text
    assert 'value="staff@example.test"' in response.text


def test_sign_in_form_needs_its_own_token(site):
    app, *_ = site
    client = TestClient(app)
    client.get("/login")
    response = client.post(
        "/login",
        data={"email": "staff@example.test", "password": PASSWORD, "login_token": "forged"},
    )
    assert response.status_code == 403
    assert "safereply_session" not in client.cookies


def test_sign_in_never_redirects_to_another_site(site):
    app, *_ = site
    client = TestClient(app)
    token = re.search(r'name="login_token" value="([^"]+)"', client.get("/login").text).group(1)
    response = client.post(
        "/login",
        data={
            "email": "staff@example.test",
            "password": PASSWORD,
            "login_token": token,
            "next": "//evil.example/phish",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_sign_out_ends_the_session(site):
    app, *_ = site
    client = sign_in(app, "staff")
    inbox = client.get("/").text
    response = client.post("/logout", data={"csrf_token": csrf_of(inbox)}, follow_redirects=False)
    assert response.headers["location"] == "/login?done=signed-out"
    assert client.get("/p/1/inbox", follow_redirects=False).status_code == 303


def test_agency_user_chooses_between_practices(site):
    app, services, _, practices, users, _ = site
    services.users.set_role(
        SYSTEM, practice_id=practices["harbor"], user_id=users["manager"]["id"], role="staff"
    )
    client = sign_in(app, "manager")
    response = client.get("/", follow_redirects=False)
    assert response.headers["location"] == "/practices"
    switcher = client.get("/practices").text
    assert "Maple Grove Dental" in switcher and "Harbor View Clinic" in switcher
    assert "Switch practice" in client.get(f"/p/{practices['harbor']}/inbox").text
    single = sign_in(app, "staff")
    assert single.get("/", follow_redirects=False).headers["location"] == "/p/1/inbox"


# -- CSRF, roles, practices ---------------------------------------------------------------------


def test_every_post_form_carries_the_csrf_token_and_every_field_a_label(site):
    app, _, _, practices, _, posts = site
    client = sign_in(app, "admin")
    p = practices["maple"]
    for path in (
        f"/p/{p}/inbox",
        f"/p/{p}/dashboard",
        f"/p/{p}/approvals",
        f"/p/{p}/improvements",
        f"/p/{p}/users",
        f"/p/{p}/settings",
        f"/p/{p}/audit",
        f"/posts/{posts['complaint']}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        found = parse(response.text)
        assert found.forms, path
        for form in found.forms:
            assert "csrf_token" in form["hidden"], (path, form["action"])
        for tag, ident in found.fields:
            assert ident and ident in found.labels, (path, tag, ident)


def test_a_form_post_without_the_csrf_token_changes_nothing(site):
    app, services, _, _, _, posts = site
    client = sign_in(app, "staff")
    response = client.post(f"/posts/{posts['complaint']}/draft", data={"text": SAFE})
    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert services.inbox.get_post(SYSTEM, posts["complaint"])["drafts"] == []


def test_staff_cannot_open_manager_pages(site):
    app, _, _, practices, _, _ = site
    client = sign_in(app, "staff")
    inbox = client.get(f"/p/{practices['maple']}/inbox").text
    for name in ("approvals", "users", "settings", "audit"):
        assert f'href="/p/{practices["maple"]}/{name}"' not in inbox
        response = client.get(f"/p/{practices['maple']}/{name}")
        assert response.status_code == 403, name
        assert "manager" in response.text


def test_another_practices_pages_and_posts_are_not_found(site):
    app, _, _, practices, _, posts = site
    client = sign_in(app, "staff")
    assert client.get(f"/p/{practices['harbor']}/inbox").status_code == 404
    assert client.get(f"/posts/{posts['elsewhere']}").status_code == 404
    page = client.get(f"/posts/{posts['complaint']}").text
    response = client.post(
        f"/posts/{posts['elsewhere']}/draft", data={"text": SAFE, "csrf_token": csrf_of(page)}
    )
    assert response.status_code == 404


def test_pages_send_security_headers(site):
    app, *_ = site
    response = sign_in(app, "staff").get("/p/1/inbox")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert "<script>" not in response.text  # no inline script: the policy would block it


# -- inbox --------------------------------------------------------------------------------------


def test_inbox_lists_urgent_and_overdue_first_with_counts(site):
    app, services, clock, _practices, users, posts = site
    manager = services.users.actor_for(users["manager"]["id"])
    services.inbox.escalate(manager, posts["question"])
    clock.advance(hours=30)  # the two others are past their 24 h due time now
    client = sign_in(app, "staff")
    data = client.get("/p/1/inbox?format=json").json()
    ids = [item["id"] for item in data["items"]]
    assert ids[0] == posts["question"]  # urgent
    assert set(ids[1:]) == {posts["complaint"], posts["praise"]}
    assert data["counts"]["urgent"] == 1
    assert data["counts"]["overdue"] == 3
    assert data["counts"]["platform"] == {"facebook": 1, "google": 1, "yelp": 1}
    assert {loc["name"]: loc["count"] for loc in data["counts"]["location"]} == {
        "Downtown": 2,
        "Eastside": 1,
    }
    html = client.get("/p/1/inbox").text
    assert re.search(r"Urgent <span class=\"count\">1</span>", html)
    assert "Overdue: was due" in html


def test_inbox_filters_narrow_the_list(site):
    app, _, _, _, _, posts = site
    client = sign_in(app, "staff")
    only = client.get("/p/1/inbox?format=json&platform=yelp").json()
    assert [i["id"] for i in only["items"]] == [posts["praise"]]
    by_kind = client.get("/p/1/inbox?format=json&kind=question").json()
    assert [i["id"] for i in by_kind["items"]] == [posts["question"]]
    by_topic = client.get("/p/1/inbox?format=json&topic=billing").json()
    assert posts["complaint"] in [i["id"] for i in by_topic["items"]]
    assert all("billing" in i["topics"] for i in by_topic["items"])
    by_location = client.get("/p/1/inbox?format=json&location=2").json()
    assert [i["id"] for i in by_location["items"]] == [posts["praise"]]
    closed = client.get("/p/1/inbox?format=json&view=closed").json()
    assert closed["items"] == []


def test_inbox_reports_bad_filters_instead_of_failing(site):
    app, *_ = site
    response = sign_in(app, "staff").get("/p/1/inbox?topic=gossip&location=abc&view=odd")
    assert response.status_code == 200
    assert "Unknown topic" in response.text
    assert "location number" in response.text
    assert "Unknown view" in response.text


# -- the post page and its workflow ---------------------------------------------------------------


def test_saved_draft_shows_each_finding_in_place_with_its_reason(site):
    app, _services, _, _, _, posts = site
    client = sign_in(app, "staff")
    url = f"/posts/{posts['complaint']}"
    page = client.get(url).text
    response = client.post(
        f"{url}/draft",
        data={"text": UNSAFE, "csrf_token": csrf_of(page), "expected_version": version_of(page)},
        follow_redirects=False,
    )
    assert response.headers["location"] == f"{url}?done=saved"
    html = client.get(response.headers["location"]).text
    assert '<mark class="sev-error">We will call you</mark>' in html
    assert "Outside contact" in html and "Why:" in html
    assert "that the practice contacts reviewers privately" in html
    assert "Blocked" in html
    assert 'data-fix="0"' in html  # the one-click fix (live with script)


def test_a_stale_version_keeps_what_was_typed(site):
    app, services, _, _, users, posts = site
    client = sign_in(app, "staff")
    url = f"/posts/{posts['complaint']}"
    page = client.get(url).text
    manager = services.users.actor_for(users["manager"]["id"])
    services.inbox.save_draft(manager, posts["complaint"], SAFE)  # someone else saves first
    typed = "Thank you for telling us. Please call our office at (555) 201-3300."
    response = client.post(
        f"{url}/draft",
        data={"text": typed, "csrf_token": csrf_of(page), "expected_version": version_of(page)},
    )
    assert response.status_code == 409
    assert "changed since you loaded it" in response.text
    assert f">{typed}</textarea>" in response.text


def test_an_empty_reply_is_refused_with_a_message(site):
    app, _, _, _, _, posts = site
    client = sign_in(app, "staff")
    url = f"/posts/{posts['complaint']}"
    page = client.get(url).text
    response = client.post(f"{url}/draft", data={"text": "   ", "csrf_token": csrf_of(page)})
    assert response.status_code == 422
    assert "Write a reply before saving it." in response.text
    assert 'aria-invalid="true"' in response.text


def test_a_blocked_reply_is_saved_but_not_sent_for_review(site):
    app, services, _, _, _, posts = site
    client = sign_in(app, "staff")
    url = f"/posts/{posts['complaint']}"
    page = client.get(url).text
    response = client.post(
        f"{url}/draft", data={"text": UNSAFE, "then": "submit", "csrf_token": csrf_of(page)}
    )
    assert response.status_code == 200 and response.url.path == url  # post/redirect/get
    assert "not sent for review" in response.text
    assert services.inbox.get_post(SYSTEM, posts["complaint"])["state"] == "drafted"


def test_review_cooling_off_and_manual_posting_through_the_forms(site):
    app, services, clock, _, _, posts = site
    url = f"/posts/{posts['complaint']}"
    staff = sign_in(app, "staff")
    page = staff.get(url).text
    response = staff.post(
        f"{url}/draft", data={"text": SAFE, "then": "submit", "csrf_token": csrf_of(page)}
    )
    assert response.url.path == url and "Sent for review" in response.text
    assert "Approve version" not in response.text  # staff cannot approve a complaint reply

    manager = sign_in(app, "manager")
    queue = manager.get("/p/1/approvals").text
    assert f'href="{url}"' in queue
    page = manager.get(url).text
    draft_id = re.search(r'name="draft_id" value="(\d+)"', page).group(1)
    response = manager.post(
        f"{url}/approve",
        data={
            "csrf_token": csrf_of(page),
            "draft_id": draft_id,
            "expected_version": version_of(page),
        },
    )
    assert "Approved." in response.text
    assert "Cooling-off hold" in response.text
    assert re.search(r"Mark as replied</button>", response.text)
    assert re.search(r"<button[^>]*disabled[^>]*>Mark as replied", response.text)

    # Posting during the hold is refused by the service, with the reason.
    response = manager.post(f"{url}/mark-replied", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 409
    assert "cooling-off" in response.text

    clock.advance(minutes=61)
    page = manager.get(url).text
    assert "Cooling-off hold" not in page
    assert f">{SAFE}</textarea>" in page  # the approved text to copy
    assert 'href="https://google.example/complaint"' in page
    response = manager.post(
        f"{url}/mark-replied",
        data={"csrf_token": csrf_of(page), "url": "https://google.example/complaint#reply"},
    )
    assert "Marked as replied" in response.text
    post = services.inbox.get_post(SYSTEM, posts["complaint"])
    assert post["state"] == "marked_replied"
    assert post["published"]["text"] == SAFE

    audit = manager.get("/p/1/audit?action=reply.mark_replied").text
    assert "reply.mark_replied" in audit and "manager@example.test" in audit
    assert SAFE not in audit


def test_mark_replied_checks_the_reply_address(site):
    app, services, _, _, users, posts = site
    admin = services.users.actor_for(users["admin"]["id"])
    services.inbox.save_draft(admin, posts["praise"], "Thank you so much for the kind words!")
    client = sign_in(app, "staff")
    url = f"/posts/{posts['praise']}"
    services.inbox.approve(services.users.actor_for(users["manager"]["id"]), posts["praise"])
    page = client.get(url).text
    response = client.post(
        f"{url}/mark-replied", data={"csrf_token": csrf_of(page), "url": "javascript:alert(1)"}
    )
    assert response.status_code == 422
    assert "must start with http" in response.text


def test_dismiss_needs_a_reason(site):
    app, services, _, _, _, posts = site
    client = sign_in(app, "staff")
    url = f"/posts/{posts['praise']}"
    page = client.get(url).text
    response = client.post(f"{url}/dismiss", data={"csrf_token": csrf_of(page), "reason": ""})
    assert response.status_code == 422
    assert "Choose why this post needs no reply." in response.text
    response = client.post(
        f"{url}/dismiss", data={"csrf_token": csrf_of(page), "reason": "no-reply-needed"}
    )
    assert "Dismissed." in response.text
    assert services.inbox.get_post(SYSTEM, posts["praise"])["state"] == "dismissed"


def test_post_page_json_twin_is_the_service_post(site):
    app, services, _, _, _, posts = site
    data = sign_in(app, "staff").get(f"/posts/{posts['question']}?format=json").json()
    expected = services.inbox.get_post(SYSTEM, posts["question"])
    assert {k: data[k] for k in ("id", "state", "kind", "topics", "triage")} == {
        k: expected[k] for k in ("id", "state", "kind", "topics", "triage")
    }
    assert "suggestion" in data


def test_fix_endpoint_rewrites_or_says_it_cannot(site):
    app, _, _, _, _, posts = site
    client = sign_in(app, "staff")
    url = f"/posts/{posts['complaint']}"
    token = csrf_of(client.get(url).text)
    response = client.post(f"{url}/fix", json={"reply": UNSAFE}, headers={"X-CSRF-Token": token})
    try:
        import safereply.core.compose  # noqa: F401
    except ImportError:
        assert response.status_code == 503
        assert "one by one" in response.json()["error"]["message"]
    else:
        assert response.status_code == 200
        body = response.json()
        assert body["verdict"] != "block" and "We will call you" not in body["reply"]
    refused = client.post(f"{url}/fix", json={"reply": UNSAFE})
    assert refused.status_code == 403


# -- management pages -----------------------------------------------------------------------------


def test_settings_form_explains_each_bad_value_and_keeps_them(site):
    app, services, _, _, _, _ = site
    client = sign_in(app, "admin")
    page = client.get("/p/1/settings").text
    response = client.post(
        "/p/1/settings/workflow",
        data={
            "csrf_token": csrf_of(page),
            "approval_policy": "all",
            "cooling_off_minutes": "soon",
            "sla_hours": "48",
            "urgent_sla_minutes": "0",
            "notify_emails": "desk@example.test\nnot-an-address",
            "webhook_url": "ftp://example.test/hook",
            "webhook_secret": "short",
        },
    )
    assert response.status_code == 422
    for message in (
        "cooling-off time in minutes as a number",
        "urgent reply time in minutes between 1 and 43200",
        "Not an e-mail address: not-an-address",
        "must start with http:// or https://",
        "at least 16 characters",
    ):
        assert message in response.text
    assert 'value="soon"' in response.text and "not-an-address</textarea>" in response.text
    assert services.practices.get_settings(SYSTEM, 1)["approval_policy"] == "complaints"
    response = client.post(
        "/p/1/settings/workflow",
        data={
            "csrf_token": csrf_of(page),
            "approval_policy": "all",
            "cooling_off_minutes": "30",
            "sla_hours": "12",
            "urgent_sla_minutes": "10",
            "notify_emails": "desk@example.test",
            "webhook_url": "",
        },
    )
    assert "Workflow settings saved." in response.text
    saved = services.practices.get_settings(SYSTEM, 1)
    assert (saved["approval_policy"], saved["cooling_off_minutes"], saved["sla_minutes"]) == (
        "all",
        30,
        720,
    )


def test_settings_page_sets_the_practice_time_zone(site):
    app, services, _, _, _, _ = site
    client = sign_in(app, "admin")
    page = client.get("/p/1/settings").text
    assert 'id="timezone"' in page
    data = {
        "csrf_token": csrf_of(page),
        "approval_policy": "complaints",
        "cooling_off_minutes": "60",
        "sla_hours": "24",
        "urgent_sla_minutes": "15",
        "timezone": "Atlantis/Capital",
    }
    response = client.post("/p/1/settings/workflow", data=data)
    assert response.status_code == 422 and 'value="Atlantis/Capital"' in response.text
    assert "not a time zone" in response.text
    response = client.post("/p/1/settings/workflow", data={**data, "timezone": "America/Chicago"})
    assert "Workflow settings saved." in response.text
    assert services.practices.get_settings(SYSTEM, 1)["timezone"] == "America/Chicago"
    assert 'value="America/Chicago"' in client.get("/p/1/settings").text


def test_profile_form_validates_the_phone_and_saves(site):
    app, services, _, _, _, _ = site
    client = sign_in(app, "admin")
    page = client.get("/p/1/settings").text
    data = {
        "csrf_token": csrf_of(page),
        "name": "Maple Grove Family Dental",
        "phone": "call us",
        "sign_off": "The Maple Grove team",
        "staff": "Tanya\nDr. Rivera",
    }
    response = client.post("/p/1/settings/profile", data=data)
    assert response.status_code == 422
    assert "Enter the office phone number" in response.text
    assert 'value="Maple Grove Family Dental"' in response.text
    response = client.post("/p/1/settings/profile", data={**data, "phone": "(555) 201-9999"})
    assert "Practice profile saved." in response.text
    profile = services.practices.profile(SYSTEM, 1)
    assert (profile.name, profile.phone, profile.staff) == (
        "Maple Grove Family Dental",
        "(555) 201-9999",
        ("Tanya", "Dr. Rivera"),
    )
    actions = [e["action"] for e in services.audit.events(SYSTEM, 1)]
    assert "practice.update" in actions


def test_managers_see_settings_but_only_admins_change_them(site):
    app, services, _, _, _, _ = site
    client = sign_in(app, "manager")
    page = client.get("/p/1/settings")
    assert page.status_code == 200 and "Only an admin can change" in page.text
    response = client.post(
        "/p/1/settings/workflow",
        data={
            "csrf_token": csrf_of(page.text),
            "approval_policy": "none",
            "cooling_off_minutes": "0",
            "sla_hours": "24",
            "urgent_sla_minutes": "15",
        },
    )
    assert response.status_code == 403
    assert services.practices.get_settings(SYSTEM, 1)["approval_policy"] == "complaints"


def test_improvements_are_recorded_validated_and_removed(site):
    app, services, _, _, _, _ = site
    client = sign_in(app, "manager")
    page = client.get("/p/1/improvements").text
    response = client.post(
        "/p/1/improvements",
        data={"csrf_token": csrf_of(page), "topic": "", "text": "", "since": "last week"},
    )
    assert response.status_code == 422
    assert "Choose the topic" in response.text and "YYYY-MM-DD" in response.text
    assert 'value="last week"' in response.text
    response = client.post(
        "/p/1/improvements",
        data={
            "csrf_token": csrf_of(page),
            "topic": "wait-time",
            "text": "added a second check-in station",
            "since": "2026-10-01",
        },
    )
    assert "Improvement recorded." in response.text
    item = services.practices.list_improvements(SYSTEM, 1)[0]
    response = client.post(
        f"/p/1/improvements/{item['id']}/delete", data={"csrf_token": csrf_of(page)}
    )
    assert "Improvement removed." in response.text
    assert services.practices.list_improvements(SYSTEM, 1) == []
    staff = sign_in(app, "staff")
    assert "Record a change" not in staff.get("/p/1/improvements").text


def test_users_page_invites_people_and_changes_roles(site):
    app, services, _, _, users, _ = site
    client = sign_in(app, "admin")
    page = client.get("/p/1/users").text
    response = client.post(
        "/p/1/users",
        data={"csrf_token": csrf_of(page), "email": "nope", "password": "short", "role": "staff"},
    )
    assert response.status_code == 422
    assert "Enter an e-mail address" in response.text and "at least 10" in response.text
    assert 'value="short"' not in response.text  # a password is never sent back
    response = client.post(
        "/p/1/users",
        data={
            "csrf_token": csrf_of(page),
            "email": "riley@example.test",
            "display_name": "Riley Front Desk",
            "password": PASSWORD,
            "role": "staff",
        },
    )
    assert "Invitation recorded." in response.text and "riley@example.test" in response.text
    again = client.post(
        "/p/1/users",
        data={
            "csrf_token": csrf_of(page),
            "email": "riley@example.test",
            "password": PASSWORD,
            "role": "manager",
        },
    )
    assert again.status_code == 200 and "Invitation recorded." in again.text
    # Riley signs in with the first password and accepts from the practice switcher.
    riley = sign_in(app, "riley")
    assert riley.get("/", follow_redirects=False).headers["location"] == "/practices"
    switcher = riley.get("/practices").text
    assert "Maple Grove Dental invites you as manager" in switcher
    (invitation,) = services.users.list_invitations(SYSTEM, 1)
    joined = riley.post(
        f"/invitations/{invitation['id']}/accept", data={"csrf_token": csrf_of(switcher)}
    )
    assert joined.status_code == 200 and "You joined the practice." in joined.text
    roles = {u["email"]: u["roles"]["1"] for u in services.users.list_users(SYSTEM, 1)}
    assert roles["riley@example.test"] == "manager"
    response = client.post(
        f"/p/1/users/{users['staff']['id']}/role",
        data={"csrf_token": csrf_of(page), "role": "manager"},
    )
    assert "Role changed." in response.text
    roles = {u["email"]: u["roles"]["1"] for u in services.users.list_users(SYSTEM, 1)}
    assert roles["staff@example.test"] == "manager"
    last_admin = client.post(
        f"/p/1/users/{users['admin']['id']}/role",
        data={"csrf_token": csrf_of(page), "role": "staff"},
    )
    assert last_admin.status_code == 403 and "at least one admin" in last_admin.text


def test_an_invitation_can_be_withdrawn_or_declined(site):
    app, services, _, practices, _, _ = site
    client = sign_in(app, "admin")
    page = client.get("/p/1/users").text
    for email in ("other@example.test", "gone@example.test"):
        client.post(
            "/p/1/users",
            data={
                "csrf_token": csrf_of(page),
                "email": email,
                "password": PASSWORD,
                "role": "staff",
            },
        )
    listed = client.get("/p/1/users").text
    assert "Invitations waiting for an answer" in listed and "gone@example.test" in listed
    gone = next(
        i for i in services.users.list_invitations(SYSTEM, 1) if i["email"] == "gone@example.test"
    )
    response = client.post(
        f"/p/1/invitations/{gone['id']}/cancel", data={"csrf_token": csrf_of(page)}
    )
    assert "Invitation withdrawn." in response.text and "gone@example.test" not in response.text
    other = sign_in(app, "other")
    switcher = other.get("/practices").text
    (invitation,) = services.users.list_invitations(SYSTEM, 1)
    response = other.post(
        f"/invitations/{invitation['id']}/decline", data={"csrf_token": csrf_of(switcher)}
    )
    assert "Invitation declined." in response.text
    assert services.users.list_invitations(SYSTEM, 1) == []
    assert [
        p["id"]
        for p in services.practices.list_practices(
            services.users.actor_for(services.users.find_by_email("other@example.test")["id"])
        )
    ] == [practices["harbor"]]


def test_audit_page_is_newest_first_with_exports(site):
    app, services, clock, _, users, posts = site
    client = sign_in(app, "manager")
    clock.advance(minutes=5)
    manager = services.users.actor_for(users["manager"]["id"])
    services.inbox.escalate(manager, posts["question"])
    data = client.get("/p/1/audit?format=json").json()
    assert data["items"][0]["action"] == "post.escalate"
    html = client.get("/p/1/audit").text
    assert 'href="/api/v1/practices/1/audit?format=csv"' in html
    export = client.get("/api/v1/practices/1/audit?format=csv")
    assert export.status_code == 200 and "post.escalate" in export.text
    only = client.get(f"/p/1/audit?format=json&object={posts['question']}").json()
    assert {e["object_id"] for e in only["items"]} == {str(posts["question"])}


# -- dashboard and chart --------------------------------------------------------------------------


def test_dashboard_counts_rates_and_draws_the_chart(site):
    app, services, clock, _, users, posts = site
    admin = services.users.actor_for(users["admin"]["id"])
    manager = services.users.actor_for(users["manager"]["id"])
    services.inbox.save_draft(admin, posts["praise"], "Thank you so much for the kind words!")
    services.inbox.approve(manager, posts["praise"])
    clock.advance(hours=3)
    services.inbox.mark_replied(admin, posts["praise"])
    services.inbox.dismiss(admin, posts["question"], reason="no-reply-needed")
    client = sign_in(app, "staff")
    data = client.get("/p/1/dashboard?format=json").json()
    assert data["unanswered"] == 1  # the complaint
    assert data["answered"] == 1 and data["needed_answer"] == 2
    assert data["response_rate"] == 0.5
    assert data["median_hours_to_reply"] == 3.0
    assert data["complaints"] == 1 and data["complaints_by_topic"]["billing"] == 1
    html = client.get("/p/1/dashboard").text
    assert '<svg viewBox="0 0 420' in html and 'role="img"' in html
    assert "50%" in html and "3.0 h" in html
    assert re.search(r"<th scope=\"row\">Billing</th><td class=\"num\">1</td>", html)


def test_bar_chart_scales_to_a_round_axis():
    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 12, 51)] == [1, 1, 5, 10, 20, 100]
    chart = bar_chart([("Billing", 4), ("Wait time", 2), ("Privacy", 0)])
    assert chart.maximum == 5
    assert [b.width for b in chart.bars] == [
        round(chart.plot_width * 4 / 5, 1),
        round(chart.plot_width * 2 / 5, 1),
        0,
    ]
    assert [t[0] for t in chart.ticks] == [0, 1, 2, 3, 4, 5]


def test_overlapping_findings_split_into_runs_of_the_worst_severity():
    text = "We will call you tomorrow."
    findings = [
        {"start": 0, "end": 16, "severity": "error", "category": "outside-contact"},
        {"start": 0, "end": 26, "severity": "warning", "category": "missing-contact-path"},
    ]
    runs = segments(text, findings)
    assert [(r["text"], r["severity"]) for r in runs] == [
        ("We will call you", "error"),
        (" tomorrow.", "warning"),
    ]
    assert stranger_reading(findings) == [
        "that the practice contacts reviewers privately",
        "no way to get this resolved: there is no invitation to call",
    ]


# -- contrast (WCAG 2.1 AA: 4.5:1 for text) ------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_wcag_aa_contrast():
    from safereply.web.views.common import STATIC_DIR

    css = (STATIC_DIR / "app.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6});", css))
    pairs = [
        ("text", "bg"),
        ("muted", "bg"),
        ("muted", "panel"),
        ("primary", "bg"),
        ("primary", "panel"),
        ("bad", "bg"),
        ("bad", "bad-bg"),
        ("warn", "warn-bg"),
        ("ok", "ok-bg"),
        ("muted", "warn-bg"),
    ]
    for fg, bg in pairs:
        assert _contrast(var[fg], var[bg]) >= 4.5, (fg, bg, round(_contrast(var[fg], var[bg]), 2))
    # White on the primary and the urgent colour (buttons, badges), and the header's links.
    for bg in ("primary", "primary-dark", "bad"):
        assert _contrast("#ffffff", var[bg]) >= 4.5, bg
    assert _contrast("#e6edf3", "#102a43") >= 4.5
    assert "#e6edf3" in css and "#102a43" in css


def test_approvals_page_number_in_other_scripts_is_page_one(site):
    app, *_ = site
    manager = sign_in(app, "manager")
    response = manager.get("/p/1/approvals?page=²")
    assert response.status_code == 200
