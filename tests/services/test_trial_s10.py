"""Defects met by session 10's trial run (an agency with three practices and six locations, a
compliance officer, a front desk on a phone), each pinned where it was fixed."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import MAPLE, actor, add_post, add_practice, add_user, make_services

from safereply.cli.main import main
from safereply.core.workflow import CHECKS, Facts
from safereply.services.audit_words import describe
from safereply.services.inbox_common import compose_kwargs
from safereply.store import open_store
from safereply.store.models import Location

PROFILE = """
[practice]
name = "Riverside Family Dental"
phone = "(555) 388-9100"
"""


@pytest.fixture
def env(tmp_path, monkeypatch, capsys):
    db = tmp_path / "agency.sqlite3"
    monkeypatch.setenv("SAFEREPLY_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("SAFEREPLY_ADMIN_PASSWORD", "a long admin password")
    (tmp_path / "practice.toml").write_text(PROFILE)
    return tmp_path


def _locations(env) -> list[str]:
    store = open_store(f"sqlite:///{env / 'agency.sqlite3'}")
    try:
        with store.read() as session:
            return sorted(
                session.scalars(Location.__table__.select().with_only_columns(Location.name)).all()
            )
    finally:
        store.dispose()


def test_init_run_again_adds_the_new_locations_of_an_existing_practice(env, capsys):
    profile = str(env / "practice.toml")
    assert main(["init", "--practice", profile, "--location", "Main St"]) == 0
    capsys.readouterr()
    # An agency opens a second office: init with the new name used to say nothing and add none.
    assert (
        main(["init", "--practice", profile, "--location", "main st", "--location", "Harbor"]) == 0
    )
    out = capsys.readouterr().out
    assert "practice exists" in out and "location added: Harbor" in out
    assert "location added: main st" not in out  # the same location, in another case
    assert _locations(env) == ["Harbor", "Main St"]


def test_the_cooling_off_refusal_gives_the_time_in_plain_words():
    hold = dt.datetime(2026, 12, 8, 4, 1, 0, 578215, tzinfo=dt.UTC)
    facts = Facts(
        state="approved",
        kind="complaint",
        role="staff",
        now=hold - dt.timedelta(minutes=5),
        hold_until=hold,
    )
    message = CHECKS["cooling-off/post"].message(facts)
    # It said "2026-12-08T04:01:00.578215+00:00" on the post page.
    assert "8 Dec 2026, 04:01 UTC" in message and "T04" not in message
    assert "bland" not in message


def test_the_audit_sentence_of_not_urgent_says_why():
    entry = {
        "actor": "system",
        "action": "post.not_urgent",
        "object_type": "post",
        "object_id": "12",
        "detail": {"reason": "past-event", "review": 1},
    }
    said = describe(entry, people={}, posts={})
    assert "not urgent: about something in the past, not a danger now" in said


EMERGENCY = "Severe chest pain and I cannot breathe after the procedure today, what should I do"


def test_not_urgent_gives_the_normal_suggested_reply_not_the_911_template(sqlite_store):
    services = make_services(sqlite_store)  # the real triage and composer
    practice = add_practice(services, MAPLE)
    manager = actor(add_user(services, practice, "manager"))
    pid = add_post(services, practice, EMERGENCY, platform="facebook")
    post = services.inbox.get_post(manager, pid)
    assert post["state"] == "escalated" and post["kind"] == "emergency"
    services.inbox.not_urgent(manager, pid, reason="past-event")
    after = services.inbox.get_post(manager, pid)
    assert after["kind"] == "complaint"
    # The suggested reply of the post page and the API's "save the suggestion": it still was
    # "If this is a medical emergency, please call 911 ..." after the manager's decision.
    profile = services.practices.profile(manager, practice)
    proposal = services.inbox.analysers.compose(
        after["text"],
        practice=profile,
        platform=after["platform"],
        post_id=str(pid),
        **compose_kwargs(after["kind"], after["topics"], after["triage"]),
    )
    assert "911" not in proposal.reply and proposal.kind == "complaint"
    saved = services.inbox.suggest(manager, pid)
    assert "911" not in saved["draft"]["text"]
    # Before the decision the composer writes the emergency template, as it must.
    other = add_post(services, practice, EMERGENCY + " now", platform="facebook")
    urgent = services.inbox.suggest(manager, other)
    assert "911" in urgent["draft"]["text"]


def test_an_approval_over_warnings_names_the_findings_read():
    entry = {
        "actor": "system",
        "action": "draft.approve",
        "object_type": "post",
        "object_id": "3",
        "detail": {"warnings_acknowledged": True, "codes": ["CP001"]},
    }
    said = describe(entry, people={}, posts={})
    # It said only "after reading its warnings": a compliance officer could not tell which.
    assert "after reading its warnings: CP001 missing call invitation" in said
