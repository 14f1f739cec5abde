"""The post page and the workflow for a clinic with little time (issue 11): local time on the
practice's clock, one-manager clinics, the approvals list, a calmer post page, the audit log in
plain words."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from factories import actor, csrf_of, sign_in, version_of
from test_pages import SAFE

from safereply.services import SYSTEM

ZONE = "America/Los_Angeles"


def _local(value, fmt="%H:%M"):
    return dt.datetime.fromisoformat(value).astimezone(ZoneInfo(ZONE)).strftime(fmt)


def test_hold_and_audit_times_are_on_the_practices_clock_without_script(site):
    app, services, _, practices, users, posts = site
    services.practices.update_settings(SYSTEM, practices["maple"], {"timezone": ZONE})
    pid = posts["complaint"]
    services.inbox.save_draft(actor(users["staff"]), pid, SAFE)
    services.inbox.approve(actor(users["manager"]), pid)
    hold = services.inbox.get_post(SYSTEM, pid)["cooling_off_until"]
    manager = sign_in(app, "manager")
    page = manager.get(f"/posts/{pid}").text
    note = re.search(r'<p[^>]*id="hold-note"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert f">{_local(hold)}</time>" in note
    assert "UTC" not in re.sub(r"<[^>]+>", "", page)  # no UTC time anywhere people read
    assert "data-local-time" not in page  # the server already wrote local time
    audit = manager.get(f"/p/{practices['maple']}/audit").text
    stamps = re.findall(r'<time datetime="([^"]+)"[^>]*>([^<]+)</time>', audit)
    assert stamps
    for when, shown in stamps:
        assert shown.startswith(_local(when, "%Y-%m-%d %H:%M")) and "UTC" not in shown
    # The machines' export keeps UTC.
    assert '"created_at"' in manager.get(f"/p/{practices['maple']}/audit?format=json").text


def test_without_a_time_zone_the_browser_shows_local_time(site):
    app, services, _, _, users, posts = site
    pid = posts["complaint"]
    services.inbox.save_draft(actor(users["staff"]), pid, SAFE)
    services.inbox.approve(actor(users["manager"]), pid)
    page = sign_in(app, "manager").get(f"/posts/{pid}").text
    # the hold ends an hour from now: after 23:00 UTC that is tomorrow, shown with its date
    assert re.search(r"<time [^>]*data-local-time[^>]*>(?:[^<]* )?\d\d:\d\d UTC</time>", page)


def test_one_manager_clinic_approves_its_own_reply_after_the_hold(site):
    app, services, clock, practices, users, posts = site
    pid = posts["complaint"]
    manager_actor = actor(users["manager"])
    services.inbox.save_draft(manager_actor, pid, SAFE)
    manager = sign_in(app, "manager")
    page = manager.get(f"/posts/{pid}").text
    assert "another manager must approve it" in page  # the default: two people

    services.practices.update_settings(SYSTEM, practices["maple"], {"self_approval": True})
    assert services.practices.get_settings(SYSTEM, practices["maple"])["self_approval"] is True
    page = manager.get(f"/posts/{pid}").text
    assert "Approve version" not in page
    assert "you can approve it yourself when the cooling-off hold ends" in page
    refused = manager.post(
        f"/posts/{pid}/approve",
        data={"csrf_token": csrf_of(page), "expected_version": version_of(page)},
    )
    assert refused.status_code == 409 and "cooling-off hold ends" in refused.text

    clock.advance(minutes=61)
    page = manager.get(f"/posts/{pid}").text
    assert "Approve version 1" in page
    done = manager.post(
        f"/posts/{pid}/approve",
        data={"csrf_token": csrf_of(page), "expected_version": version_of(page)},
    )
    assert done.status_code == 200 and services.inbox.get_post(SYSTEM, pid)["state"] == "approved"
    events = services.audit.events(SYSTEM, practices["maple"], object_type="post", object_id=pid)
    approvals = [e for e in events if e["action"] == "draft.approve"]
    assert approvals[-1]["detail"]["self_approved"] is True

    # Staff never approve a complaint's reply, setting or not.
    services.inbox.save_draft(actor(users["staff"]), pid, SAFE + " Thank you.")
    staff_page = sign_in(app, "staff").get(f"/posts/{pid}").text
    assert "Approve version" not in staff_page


def test_praise_that_needs_no_review_is_approved_without_asking_for_one(site):
    app, services, _, _, _, posts = site
    pid = posts["praise"]
    staff = sign_in(app, "staff")
    page = staff.get(f"/posts/{pid}").text
    assert "Save and send for review" not in page
    assert "no review needed" in page
    reply = "Thank you for the kind words about our team. We are glad to hear it!"
    done = staff.post(
        f"/posts/{pid}/draft",
        data={
            "text": reply,
            "then": "approve",
            "csrf_token": csrf_of(page),
            "expected_version": version_of(page),
        },
    )
    post = services.inbox.get_post(SYSTEM, pid)
    assert post["state"] == "approved", post["drafts"][-1]["verdict"]
    assert "Approved." in done.text


def test_approvals_list_shows_each_reply_and_its_findings_with_approve_and_send_back(site):
    app, services, _, practices, users, posts = site
    staff = actor(users["staff"])
    for key in ("complaint", "question"):
        services.inbox.save_draft(staff, posts[key], SAFE)
        services.inbox.submit(staff, posts[key])
    manager = sign_in(app, "manager")
    url = f"/p/{practices['maple']}/approvals"
    page = manager.get(url).text
    assert page.count(f'<p class="reply-text">{SAFE}</p>') == 2
    assert page.count('action="/posts/') >= 4
    assert f'action="/posts/{posts["complaint"]}/approve"' in page
    assert f'action="/posts/{posts["question"]}/reject"' in page

    done = manager.post(
        f"/posts/{posts['complaint']}/approve",
        data={
            "csrf_token": csrf_of(page),
            "expected_version": str(services.inbox.get_post(SYSTEM, posts["complaint"])["version"]),
            "back": "approvals",
            "back_practice": str(practices["maple"]),
        },
    )
    assert done.url.path == url and "Approved." in done.text
    assert services.inbox.get_post(SYSTEM, posts["complaint"])["state"] == "approved"
    done = manager.post(
        f"/posts/{posts['question']}/reject",
        data={
            "csrf_token": csrf_of(page),
            "expected_version": str(services.inbox.get_post(SYSTEM, posts["question"])["version"]),
            "back": "approvals",
            "back_practice": str(practices["maple"]),
        },
    )
    assert done.url.path == url and "Sent back for changes." in done.text
    assert "Nothing to approve." in done.text


def test_post_page_lists_findings_most_severe_first_and_names_the_list(site):
    app, services, _, _, users, posts = site
    staff = actor(users["staff"])
    reply = "Hi Complaint Poster, we will call you tomorrow about the bill."
    services.inbox.save_draft(staff, posts["complaint"], reply)
    draft = services.inbox.get_post(SYSTEM, posts["complaint"])["drafts"][-1]
    severities = [f["severity"] for f in draft["report"]["findings"]]
    assert "error" in severities
    # Blocked replies never reach review; show the same findings on the post page instead.
    page = sign_in(app, "manager").get(f"/posts/{posts['complaint']}").text
    listed = re.findall(r'<li class="finding sev-(\w+)"', page)
    assert listed == sorted(listed, key=lambda s: {"error": 0, "warning": 1}.get(s, 2))
    assert re.search(r'<ol id="findings" class="findings" aria-label="[^"]+"', page)


def test_post_page_shows_one_suggestion_a_skip_link_and_only_the_actions_that_apply(site):
    app, services, clock, _, users, posts = site
    pid = posts["complaint"]
    staff = sign_in(app, "staff")
    page = staff.get(f"/posts/{pid}").text
    suggestion = services.inbox.get_post(SYSTEM, pid)  # no draft yet
    assert not suggestion["drafts"]
    editor = re.search(r'<textarea id="reply"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert editor.strip() and page.count(editor.strip()) == 1  # one copy: in the editor
    assert '<a class="skip" href="#reply">Skip to the reply editor</a>' in page
    assert len(re.findall(r'class="primary"', page)) == 1

    services.inbox.save_draft(actor(users["staff"]), pid, SAFE)
    services.inbox.submit(actor(users["staff"]), pid)
    page = staff.get(f"/posts/{pid}").text
    assert "Save and send for review" not in page  # already in review
    assert "Save changes" in page

    manager = sign_in(app, "manager")
    page = manager.get(f"/posts/{pid}").text
    assert len(re.findall(r'class="primary"', page)) == 1  # Approve
    services.inbox.approve(actor(users["manager"]), pid)
    clock.advance(minutes=61)
    page = manager.get(f"/posts/{pid}").text
    assert re.search(r'<textarea id="reply" rows="6" readonly', page)  # read-only after approval
    assert f'href="/posts/{pid}?edit=1#reply">Edit again</a>' in page
    assert "pre-checked acknowledgement</button>" not in page
    assert f'action="/posts/{pid}/draft"' not in page
    assert len(re.findall(r'class="primary"', page)) == 1  # Mark as replied
    page = manager.get(f"/posts/{pid}?edit=1").text
    assert f'action="/posts/{pid}/draft"' in page and "readonly aria" not in page


def test_fix_buttons_name_their_finding_and_underlines_differ_by_more_than_colour(site):
    app, services, _, _, users, posts = site
    pid = posts["complaint"]
    services.inbox.save_draft(
        actor(users["staff"]), pid, "Hi Complaint Poster, we will call you tomorrow."
    )
    page = sign_in(app, "staff").get(f"/posts/{pid}").text
    buttons = re.findall(r"<button [^>]*data-fix=[^>]*>(.*?)</button>", page, re.S)
    assert buttons
    for label in buttons:
        assert re.search(r'<span class="sr-only"> \((must fix|check), [^:]+: “.+”\)</span>', label)
    from safereply.web.views.common import STATIC_DIR

    css = (STATIC_DIR / "app.css").read_text()
    warning = re.search(r"\.marks mark\.sev-warning[^{]*\{([^}]*)\}", css).group(1)
    error = re.search(r"\.marks mark\.sev-error \{([^}]*)\}", css).group(1)
    assert "dotted" in warning and "wavy" in error
    js = (STATIC_DIR / "editor.js").read_text()
    assert 'el("span", "sr-only", " (" + about + ")")' in js
