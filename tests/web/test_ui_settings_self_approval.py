"""One-manager clinics switch self-approval on and off on the settings page, audited (issue 11)."""

from __future__ import annotations

import re

from factories import csrf_of, sign_in

from safereply.services import SYSTEM

WORKFLOW = {
    "approval_policy": "complaints",
    "cooling_off_minutes": "60",
    "sla_hours": "24",
    "urgent_sla_minutes": "15",
}


def _box(html: str) -> str:
    return re.search(r'<input type="checkbox" id="self_approval"[^>]*>', html).group(0)


def test_settings_page_turns_self_approval_on_and_off_and_the_log_records_it(site):
    app, services, _, practices, _, _ = site
    pid = practices["maple"]
    admin = sign_in(app, "admin")
    page = admin.get(f"/p/{pid}/settings").text
    assert "checked" not in _box(page)
    assert '<label for="self_approval">' in page  # labelled, with its hint
    on = {
        **WORKFLOW,
        "csrf_token": csrf_of(page),
        "self_approval_shown": "1",
        "self_approval": "on",
    }
    saved = admin.post(f"/p/{pid}/settings/workflow", data=on)
    assert "Workflow settings saved." in saved.text and "checked" in _box(saved.text)
    assert services.practices.get_settings(SYSTEM, pid)["self_approval"] is True
    # Cleared, the checkbox sends nothing: the marker field says it was on the page.
    off = {k: v for k, v in on.items() if k != "self_approval"}
    admin.post(f"/p/{pid}/settings/workflow", data=off)
    assert services.practices.get_settings(SYSTEM, pid)["self_approval"] is False
    changes = [
        e
        for e in services.audit.events(SYSTEM, pid)
        if e["action"] == "settings.update" and "self_approval" in e["detail"]["changed"]
    ]
    assert [e["detail"]["from"]["self_approval"] for e in changes] == [False, True]
    # A form without the marker (an older page, a script) leaves the setting alone.
    services.practices.update_settings(SYSTEM, pid, {"self_approval": True})
    admin.post(f"/p/{pid}/settings/workflow", data={**WORKFLOW, "csrf_token": csrf_of(page)})
    assert services.practices.get_settings(SYSTEM, pid)["self_approval"] is True


def test_managers_see_the_setting_but_cannot_change_it(site):
    app, _, _, practices, _, _ = site
    page = sign_in(app, "manager").get(f"/p/{practices['maple']}/settings").text
    assert 'id="self_approval"' in page and "Only an admin can change these settings." in page
