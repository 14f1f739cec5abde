"""Session 10's trial run on a phone-size front desk: a thank-you saved for an emergency post is
never shown as "Safe to send" (the editor's live check and the saved version's badge), while the
page's other notice says it cannot be sent."""

from __future__ import annotations

from factories import add_post, csrf_of, sign_in

EMERGENCY = "Severe chest pain and I cannot breathe after the procedure today, what should I do"
THANKS = "Thank you so much for your kind words! We appreciate you."


def test_a_thank_you_to_an_emergency_is_never_safe_to_send(site):
    app, services, _, practices, *_ = site
    pid = add_post(services, practices["maple"], EMERGENCY, platform="facebook")
    staff = sign_in(app, "staff")
    page = staff.get(f"/posts/{pid}")
    assert page.status_code == 200
    checked = staff.post(
        f"/posts/{pid}/check",
        json={"reply": THANKS},
        headers={"X-CSRF-Token": csrf_of(page.text)},
    )
    assert checked.status_code == 200, checked.text
    assert checked.json()["verdict"] == "pass"  # the linter finds nothing private ...
    assert checked.json()["help_missing"] == "911"  # ... but it cannot be sent
    with_911 = staff.post(
        f"/posts/{pid}/check",
        json={"reply": "If this is an emergency, please call 911 now."},
        headers={"X-CSRF-Token": csrf_of(page.text)},
    )
    assert "help_missing" not in with_911.json()
    version = page.text.split('name="expected_version" value="')[1].split('"')[0]
    staff.post(
        f"/posts/{pid}/draft",
        data={
            "csrf_token": csrf_of(page.text),
            "expected_version": version,
            "text": THANKS,
            "then": "save",
        },
    )
    saved = staff.get(f"/posts/{pid}").text
    status = saved.split('id="lint-status"')[1].split("</p>")[0]
    assert "Safe to send" not in status
    assert "Cannot be sent: a reply to this post must tell the poster to call 911." in status


def test_the_versions_list_speaks_plain_words(site):
    app, *_, posts = site
    staff = sign_in(app, "staff")
    page = staff.get(f"/posts/{posts['complaint']}").text
    version = page.split('name="expected_version" value="')[1].split('"')[0]
    staff.post(
        f"/posts/{posts['complaint']}/draft",
        data={
            "csrf_token": csrf_of(page),
            "expected_version": version,
            "text": "Hi Karen, we'll call you tomorrow.",
            "then": "save",
        },
    )
    versions = staff.get(f"/posts/{posts['complaint']}").text.split('class="versions"')[1]
    versions = versions.split("</ul>")[0]
    # It read "Version 1 · manual · just now · block": codes, not words.
    assert "written by hand" in versions and "Blocked" in versions
    assert "· manual ·" not in versions and ">block<" not in versions


def test_the_not_urgent_note_on_the_post_gives_the_reason_in_words(site):
    app, services, _, practices, *_ = site
    pid = add_post(services, practices["maple"], EMERGENCY, platform="facebook")
    manager = sign_in(app, "manager")
    page = manager.get(f"/posts/{pid}").text
    version = page.split('name="expected_version" value="')[1].split('"')[0]
    done = manager.post(
        f"/posts/{pid}/not-urgent",
        data={
            "csrf_token": csrf_of(page),
            "expected_version": version,
            "urgency_reason": "past-event",
            "urgency_kind": "complaint",
        },
    )
    assert done.status_code == 200, done.text
    # It said "(was emergency; reason: past-event)".
    assert "reason: past-event" not in done.text
    assert (
        "About something in the past, not a danger now" in done.text.split("Marked not urgent")[2]
    )
    assert "call 911" not in done.text.split('id="reply"')[1].split("</textarea>")[0]
