"""Audit of access (issue 12): exports and failed sign-ins are recorded with ids only, and a
practice's audit log includes its members' sign-ins (and nobody else's)."""

from __future__ import annotations

import json

import pytest

from safereply.services import SYSTEM
from safereply.services.audit import record_failed_sign_in
from safereply.services.audit_chain import verify_chain


def _actions(world, practice=None):
    return [e["action"] for e in world.services.audit.events(SYSTEM, practice or world.practice)]


def test_an_export_is_itself_audited_with_its_format_and_size(world):
    audit = world.services.audit
    before = audit.events(SYSTEM, world.practice)
    text = audit.export(world.manager, world.practice, fmt="csv")
    assert text.count("\r\n") == len(before) + 1  # the header and the entries before it
    after = audit.events(SYSTEM, world.practice)
    entry = after[-1]
    assert entry["action"] == "audit.export" and entry["actor"] == "manager@example.test"
    assert entry["detail"] == {"format": "csv", "entries": len(before)}
    assert json.loads(audit.export(world.admin, world.practice))[-1]["action"] == "audit.export"
    assert verify_chain(world.services.store).broken is None


def test_a_refused_format_records_nothing(world):
    before = _actions(world)
    with pytest.raises(ValueError, match="csv or json"):
        world.services.audit.export(world.manager, world.practice, fmt="xlsx")
    assert _actions(world) == before


def test_the_practice_log_includes_its_members_sign_ins_and_no_one_elses(world):
    users = world.services.users
    users.start_session(world.staff, max_age=3600, user_agent="t", address="192.0.2.7")
    users.start_session(world.outsider, max_age=3600, user_agent="t", address="192.0.2.8")
    mine = world.services.audit.events(SYSTEM, world.practice)
    logins = [e for e in mine if e["action"] == "auth.login"]
    assert [e["object_id"] for e in logins] == [str(world.staff.user_id)]
    theirs = world.services.audit.events(SYSTEM, world.other_practice)
    assert [e["object_id"] for e in theirs if e["action"] == "auth.login"] == [
        str(world.outsider.user_id)
    ]


def test_failed_sign_ins_are_recorded_by_account_id_never_by_what_was_typed(world):
    store = world.services.store
    record_failed_sign_in(
        store, email=" Staff@Example.test ", user_id=None, source="203.0.113.9", stage="password"
    )
    record_failed_sign_in(
        store,
        email="hunter2-typed-in-the-wrong-box",
        user_id=None,
        source="not an ip",
        stage="password",
    )
    record_failed_sign_in(
        store, email=None, user_id=world.manager.user_id, source=None, stage="code"
    )
    failed = [
        e
        for e in world.services.audit.events(SYSTEM, world.practice)
        if e["action"] == "auth.login_failed"
    ]
    assert [(e["object_id"], e["detail"]) for e in failed] == [
        (
            str(world.staff.user_id),
            {"stage": "password", "known_account": True, "source": "203.0.113.9"},
        ),
        (str(world.manager.user_id), {"stage": "code", "known_account": True}),
    ]
    assert all(e["actor"] == "anonymous" for e in failed)
    with store.engine.connect() as conn:
        dump = " ".join(str(r) for r in conn.exec_driver_sql("SELECT * FROM audit_events"))
    assert "hunter2" not in dump and "Staff@Example" not in dump
    assert verify_chain(store).broken is None
