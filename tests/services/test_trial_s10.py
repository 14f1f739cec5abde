"""Defects met by session 10's trial run (an agency with three practices and six locations, a
compliance officer, a front desk on a phone), each pinned where it was fixed."""

from __future__ import annotations

import datetime as dt

import pytest

from safereply.cli.main import main
from safereply.core.workflow import CHECKS, Facts
from safereply.services.audit_words import describe
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
