"""The post page's workflow holes (issue 11): urgent posts, the cooling-off hold on the manual
path, the acknowledgement saved from the editor, and post/redirect/get after a blocked submit."""

from __future__ import annotations

import re

from factories import actor, add_post, csrf_of, sign_in, version_of
from test_pages import SAFE, UNSAFE

from safereply.services import SYSTEM

EMERGENCY = "Sudden chest pain in the waiting room, please help"
GENERIC = "Thank you for your feedback. Please call us at (555) 201-3300."


def _emergency(services, practice):
    return add_post(services, practice, EMERGENCY, external_id="em1", author="Pat")


def test_emergency_post_offers_the_urgent_reply_and_stays_escalated(site):
    app, services, _, practices, _, _ = site
    pid = _emergency(services, practices["maple"])
    staff = sign_in(app, "staff")
    url = f"/posts/{pid}"
    page = staff.get(url).text
    assert "Use the safe emergency reply (call 911)" in page
    assert "pre-checked acknowledgement" not in page
    response = staff.post(
        f"{url}/acknowledge", data={"csrf_token": csrf_of(page), "expected_version": "1"}
    )
    assert response.url.path == url
    post = services.inbox.get_post(SYSTEM, pid)
    assert post["state"] == "escalated" and "911" in post["drafts"][-1]["text"]
    assert "Status: <strong>Escalated</strong>" in response.text
    assert "Approve version 1" in response.text  # the urgent template can go out at once

    # A generic thank-you in its place: saved, still escalated, and it cannot be approved.
    page = response.text
    response = staff.post(
        f"{url}/draft",
        data={"text": GENERIC, "csrf_token": csrf_of(page), "expected_version": version_of(page)},
    )
    assert services.inbox.get_post(SYSTEM, pid)["state"] == "escalated"
    assert "does not tell the poster to call 911" in response.text
    assert "Approve version" not in response.text
    assert "Save and send for review" in response.text
    page = response.text
    response = staff.post(
        f"{url}/approve",
        data={"csrf_token": csrf_of(page), "expected_version": version_of(page)},
    )
    assert response.status_code == 409 and "must tell the poster to call 911" in response.text


def test_hold_disables_copy_and_open_with_the_time_it_ends(site):
    app, services, clock, _, users, posts = site
    url = f"/posts/{posts['complaint']}"
    services.inbox.save_draft(actor(users["staff"]), posts["complaint"], SAFE)
    manager = sign_in(app, "manager")
    services.inbox.approve(actor(users["manager"]), posts["complaint"])
    page = manager.get(url).text
    hold = services.inbox.get_post(SYSTEM, posts["complaint"])["cooling_off_until"]
    hhmm = hold[11:16]
    assert re.search(r"<button[^>]*disabled[^>]*>Copy reply", page)
    assert re.search(r"<button[^>]*disabled[^>]*>Open post", page)
    assert not re.search(r'<a [^>]*class="button"[^>]*>Open post', page)
    assert 'id="approved-text"' not in page  # nothing to copy until the hold ends
    note = re.search(r'<p[^>]*id="hold-note"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert "On hold until" in note and hhmm in note
    assert 'aria-describedby="hold-note"' in page

    clock.advance(minutes=61)
    page = manager.get(url).text
    assert not re.search(r"<button[^>]*disabled[^>]*>Copy reply", page)
    assert re.search(r'<a [^>]*class="button"[^>]*>Open post', page)
    assert f'id="approved-text" rows="4" readonly>{SAFE}</textarea>' in page
    assert 'id="hold-note"' not in page


def test_acknowledgement_saved_from_the_editor_keeps_its_exemption(site):
    app, services, _, _, users, posts = site
    url = f"/posts/{posts['complaint']}"
    staff = sign_in(app, "staff")
    page = staff.get(url).text
    page = staff.post(
        f"{url}/acknowledge", data={"csrf_token": csrf_of(page), "expected_version": "1"}
    ).text
    text = services.inbox.get_post(SYSTEM, posts["complaint"])["drafts"][-1]["text"]
    # The browser sends the textarea back with \r\n line endings.
    response = staff.post(
        f"{url}/draft",
        data={
            "text": text.replace("\n", "\r\n"),
            "csrf_token": csrf_of(page),
            "expected_version": version_of(page),
        },
    )
    post = services.inbox.get_post(SYSTEM, posts["complaint"])
    assert post["drafts"][-1]["source"] == "acknowledgement"
    assert post["cooling_off_until"] is None
    services.inbox.approve(actor(users["manager"]), posts["complaint"])
    page = staff.get(url).text
    assert "Cooling-off hold" not in page and 'id="hold-note"' not in page
    assert response.status_code == 200


def test_blocked_submit_redirects_so_a_refresh_does_not_post_again(site):
    app, services, _, _, _, posts = site
    client = sign_in(app, "staff")
    url = f"/posts/{posts['complaint']}"
    page = client.get(url).text
    response = client.post(
        f"{url}/draft",
        data={"text": UNSAFE, "then": "submit", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(f"{url}?")
    page = client.get(location)
    assert page.status_code == 200
    assert "not sent for review" in page.text and 'aria-invalid="true"' in page.text
    assert services.inbox.get_post(SYSTEM, posts["complaint"])["state"] == "drafted"
    assert len(services.inbox.get_post(SYSTEM, posts["complaint"])["drafts"]) == 1


def test_check_endpoint_gives_each_finding_its_whole_reply_fix(site):
    app, _, _, _, _, posts = site
    client = sign_in(app, "staff")
    url = f"/posts/{posts['complaint']}"
    page = client.get(url).text
    assert f'"checkUrl": "{url}/check"' in page
    text = "Hi Maria, sorry your root canal hurt, we'll call you tomorrow"
    response = client.post(
        f"{url}/check", json={"reply": text}, headers={"X-CSRF-Token": csrf_of(page)}
    )
    assert response.status_code == 200
    report = response.json()
    assert report["verdict"] == "block"
    by_code = {f["code"]: f for f in report["findings"]}
    assert {"ID001", "HD001", "OC001", "CP001"} <= set(by_code)
    assert all("fix" in f for f in report["findings"])
    assert by_code["HD001"]["fix"]["reply"] == (
        "Hi Maria, sorry to hear this, we'll call you tomorrow"
    )
    promise = by_code["OC001"]["fix"]
    assert "tomorrow" not in promise["reply"] and promise["reply"].endswith("talk this through.")
    # Without the session's token nothing is checked.
    assert client.post(f"{url}/check", json={"reply": text}).status_code == 403


def test_saved_findings_offer_the_same_labelled_fixes(site):
    app, _, _, _, _, posts = site
    client = sign_in(app, "staff")
    url = f"/posts/{posts['complaint']}"
    page = client.get(url).text
    response = client.post(
        f"{url}/draft",
        data={"text": "Sorry your root canal hurt.", "csrf_token": csrf_of(page)},
    )
    assert "Reword as “Sorry to hear this”" in response.text


def test_save_and_send_without_the_help_line_saves_and_redirects(site):
    app, services, _, practices, _, _ = site
    pid = _emergency(services, practices["maple"])
    staff = sign_in(app, "staff")
    url = f"/posts/{pid}"
    page = staff.get(url).text
    response = staff.post(
        f"{url}/draft",
        data={"text": GENERIC, "then": "submit", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = staff.get(response.headers["location"]).text
    assert "must tell the poster to call 911" in page
    assert services.inbox.get_post(SYSTEM, pid)["state"] == "escalated"


def test_an_escalated_posts_own_reply_can_be_saved_and_approved_in_one_step(site):
    # The page said "no review needed: approve it when it reads well" above an editor whose only
    # button was "Save and send for review": a front desk answering a chest-pain post with its
    # own words was steered to a manager's queue. Both are offered now, approving first.
    app, services, _, practices, _, _ = site
    pid = _emergency(services, practices["maple"])
    staff = sign_in(app, "staff")
    url = f"/posts/{pid}"
    page = staff.get(url).text
    assert "no review needed" in page
    assert re.search(
        r'<button type="submit" name="then" value="approve"[^>]*>Save and approve', page
    )
    assert "Save and send for review" in page
    own = "If this is happening now, please call 911 or go to the nearest emergency room."
    response = staff.post(
        f"{url}/draft",
        data={
            "text": own,
            "then": "approve",
            "csrf_token": csrf_of(page),
            "expected_version": version_of(page),
        },
    )
    assert response.url.path == url and response.url.query == b"done=approved"
    assert services.inbox.get_post(SYSTEM, pid)["state"] == "approved"
