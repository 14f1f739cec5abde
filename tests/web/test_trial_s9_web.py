"""What session 9's trial run met in the browser, as an office manager and a front desk.

The audit page said "did “post read” on post #4" and offered "post.read" among its actions in
words; the response-rate chart read "Dec 2026: 10 (1 of 10)" to a screen reader, without its
per cent; an improvement dated next year was cited in drafts as made ("We recently posted prices
online"); a bad month read "... month. the month must be ..."; the scan page ran a quote into
its message ("“Kevin”. 'Kevin' may ..."); the bulk page's checkbox said "Send this reply".
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from factories import add_post, csrf_of, sign_in

from safereply.services import SYSTEM
from safereply.services.audit_words import Person, PostLabel, action_label, describe
from safereply.web.views.chart import line_chart

SRC = Path(__file__).resolve().parents[2] / "src" / "safereply"
PEOPLE = {"dana@example.test": Person("Dana", "manager")}
POSTS = {"4": PostLabel("google", 4.0)}


def _recorded_actions() -> set[str]:
    """Every audit action code the application records (the ``"area.verb"`` strings passed to
    ``record``/``audit`` calls), read from the source so a new one cannot be missed."""
    found: set[str] = set()
    pattern = re.compile(
        r"\"((?:post|draft|reply|auth|user|token|access|audit|connection|settings|practice|"
        r"improvement|invitation|location|replies)\.[a-z_]+)\""
    )
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        found |= set(pattern.findall(path.read_text()))
    # File names of templates and profiles, and fields, are not actions.
    return {a for a in found if not a.endswith((".html", ".toml", ".phone", ".staff", ".fields"))}


def test_every_recorded_action_has_words():
    actions = _recorded_actions()
    assert {"post.read", "draft.approve", "access.denied"} <= actions
    missing = sorted(a for a in actions if action_label(a) == a)
    assert missing == [], f"audit actions without a label on the audit page: {missing}"
    for action in actions:
        entry = {
            "actor": "dana@example.test",
            "action": action,
            "object_type": "post",
            "object_id": "4",
            "detail": {},
        }
        assert "did “" not in describe(entry, people=PEOPLE, posts=POSTS), action


@pytest.mark.parametrize(
    ("action", "object_type", "words"),
    [
        ("post.read", "post", "Dana (manager) opened post #4 (Google, 4 stars)."),
        ("post.not_urgent", "post", "Dana (manager) marked post #4 (Google, 4 stars) not urgent."),
        ("audit.export", "practice", "Dana (manager) exported the audit log."),
        ("auth.login_failed", "user", "Dana (manager) failed to sign in."),
    ],
)
def test_the_actions_the_trial_met_read_as_sentences(action, object_type, words):
    entry = {
        "actor": "dana@example.test",
        "action": action,
        "object_type": object_type,
        "object_id": "4",
        "detail": {},
    }
    assert describe(entry, people=PEOPLE, posts=POSTS) == words


def test_the_audit_page_says_who_opened_a_post(site):
    app, _, _, practices, _, posts = site
    manager = sign_in(app, "manager")
    pid = posts["praise"]
    assert manager.get(f"/posts/{pid}").status_code == 200
    html = manager.get(f"/p/{practices['maple']}/audit").text
    assert f"opened post #{pid}" in html
    assert "did “post read”" not in html
    assert re.search(r'<option value="post.read"\s*>Post opened</option>', html)


def test_the_response_rate_reads_out_its_per_cent():
    chart = line_chart(
        [("2026-11", None, "0 of 0"), ("2026-12", 10.0, "1 of 10")],
        y_min=0,
        y_max=100,
        y_step=25,
        y_title="Answered (%)",
        title="Response rate by month",
        value_format="{:.0f}",
        value_unit="%",
    )
    assert chart.desc == "Nov 2026: none (0 of 0); Dec 2026: 10% (1 of 10)."
    assert [label for label, _ in chart.ticks] == ["0", "25", "50", "75", "100"]


def test_the_dashboard_response_chart_says_per_cent(site):
    app, _, _, practices, _, _ = site
    manager = sign_in(app, "manager")
    html = manager.get(f"/p/{practices['maple']}/insights").text
    described = re.findall(r"<desc[^>]*>(.*?)</desc>", html, re.S)
    response = [d for d in described if " of " in d and "rated" not in d]
    assert response, described
    assert all(re.search(r": (none|\d+%) \(", part) for d in response for part in d.split("; "))


# -- the office manager's pages -------------------------------------------------------------------


def test_an_improvement_dated_ahead_is_refused_on_its_field(site):
    app, services, _, practices, _, _ = site
    manager = sign_in(app, "manager")
    pid = practices["maple"]
    csrf = csrf_of(manager.get(f"/p/{pid}/improvements").text)
    ahead = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()
    form = {"csrf_token": csrf, "topic": "billing", "text": "posted prices online"}
    refused = manager.post(f"/p/{pid}/improvements", data={**form, "since": ahead})
    assert refused.status_code == 422
    assert re.search(r'id="since-error"[^>]*>[^<]*is in the future', refused.text), refused.text
    assert services.practices.profile(SYSTEM, pid).improvements_for("billing") == ()
    today = dt.datetime.now(dt.UTC).date().isoformat()
    made = manager.post(f"/p/{pid}/improvements", data={**form, "since": today})
    assert made.status_code == 200 and "is in the future" not in made.text  # redirected back
    assert len(services.practices.profile(SYSTEM, pid).improvements_for("billing")) == 1


def test_a_bad_month_is_said_as_a_sentence(site):
    app, _, _, practices, _, _ = site
    manager = sign_in(app, "manager")
    page = manager.get(f"/p/{practices['maple']}/reports/monthly?month=2026-13").text
    assert "The month must be" in page and "showing the last whole month." in page
    page = manager.get(f"/p/{practices['maple']}/insights?from=xx").text
    assert "The first month must be" in page


def test_the_scan_page_sets_the_quote_apart_from_the_message(site):
    app, *_ = site
    client = sign_in(app, "manager")
    csrf = csrf_of(client.get("/p/1/scan").text)
    export = 'review_id,review_text,rating,reply\nr1,"Slow",2,"Hi Karen, we\'ll call you."\n'
    page = client.post(
        "/p/1/scan",
        data={"csrf_token": csrf, "source": "upload", "format": ""},
        files={"file": ("replies.csv", export, "text/csv")},
    ).text
    assert "“Karen” — " in page
    assert "”. '" not in page


def test_bulk_replies_are_kept_not_sent(site):
    app, services, _, practices, _, _ = site
    pid = practices["maple"]
    add_post(services, pid, "Lovely team, spotless office.", external_id="five-s9", rating=5.0)
    manager = sign_in(app, "manager")
    page = manager.get(f"/p/{pid}/bulk").text
    chosen = re.findall(r'name="post" value="(\d+)"', page)
    preview = manager.post(
        f"/p/{pid}/bulk/preview", data={"csrf_token": csrf_of(page), "post": chosen}
    ).text
    assert "Keep this reply" in preview
    assert "Send this reply" not in preview  # nothing is sent to anyone: rule 4


def test_one_post_matches_the_filters_in_the_singular(site):
    app, services, _, practices, _, _ = site
    pid = practices["maple"]
    add_post(services, pid, "The Zanzibar mural in the lobby is lovely.", external_id="zz-s9")
    manager = sign_in(app, "manager")
    one = manager.get(f"/p/{pid}/inbox?q=zanzibar").text
    assert "1 post matches the filters" in one
    none = manager.get(f"/p/{pid}/inbox?q=qwertyuiop").text
    assert "0 posts match the filters" in none
