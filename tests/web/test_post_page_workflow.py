"""The post page and the workflow for a clinic with little time (issue 11): local time on the
practice's clock, one-manager clinics, the approvals list, a calmer post page, the audit log in
plain words."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from test_pages import SAFE, csrf_of, sign_in, site, version_of  # noqa: F401

from safereply.services import SYSTEM, Actor

ZONE = "America/Los_Angeles"


def _actor(users, name):
    return Actor(users[name]["id"], users[name]["email"])


def _local(value, fmt="%H:%M"):
    return dt.datetime.fromisoformat(value).astimezone(ZoneInfo(ZONE)).strftime(fmt)


def test_hold_and_audit_times_are_on_the_practices_clock_without_script(site):  # noqa: F811
    app, services, _, practices, users, posts = site
    services.practices.update_settings(SYSTEM, practices["maple"], {"timezone": ZONE})
    pid = posts["complaint"]
    services.inbox.save_draft(_actor(users, "staff"), pid, SAFE)
    services.inbox.approve(_actor(users, "manager"), pid)
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


def test_without_a_time_zone_the_browser_shows_local_time(site):  # noqa: F811
    app, services, _, _, users, posts = site
    pid = posts["complaint"]
    services.inbox.save_draft(_actor(users, "staff"), pid, SAFE)
    services.inbox.approve(_actor(users, "manager"), pid)
    page = sign_in(app, "manager").get(f"/posts/{pid}").text
    assert re.search(r"<time [^>]*data-local-time[^>]*>\d\d:\d\d UTC</time>", page)
