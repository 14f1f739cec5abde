"""A user of one practice can never see or change another practice's data (service layer)."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import add_post

from safereply.errors import InputError, NotFoundError, PermissionDenied
from safereply.services import NewPost


@pytest.fixture
def post_id(world):
    inbox = world.services.inbox
    pid = add_post(world.services, world.practice, "Nice", external_id="x", by=world.staff)
    inbox.save_draft(world.staff, pid, "Thank you!")
    return pid


def _calls(world, pid):
    s = world.services
    p = world.practice
    return {
        "get_post": lambda a: s.inbox.get_post(a, pid),
        "list_posts": lambda a: s.inbox.list_posts(a, p),
        "counts": lambda a: s.inbox.counts(a, p),
        "receive": lambda a: s.inbox.receive(
            a, p, NewPost(platform="google", external_id="y", text="Hi")
        ),
        "save_draft": lambda a: s.inbox.save_draft(a, pid, "Thanks!"),
        "suggest": lambda a: s.inbox.suggest(a, pid),
        "acknowledge": lambda a: s.inbox.acknowledge(a, pid),
        "submit": lambda a: s.inbox.submit(a, pid),
        "approve": lambda a: s.inbox.approve(a, pid),
        "reject": lambda a: s.inbox.reject(a, pid),
        "schedule": lambda a: s.inbox.schedule(a, pid, dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),
        "publish_kit": lambda a: s.inbox.publish_kit(a, pid),
        "mark_replied": lambda a: s.inbox.mark_replied(a, pid),
        "dismiss": lambda a: s.inbox.dismiss(a, pid, reason="spam"),
        "escalate": lambda a: s.inbox.escalate(a, pid),
        "reopen": lambda a: s.inbox.reopen(a, pid),
        "get_practice": lambda a: s.practices.get_practice(a, p),
        "get_settings": lambda a: s.practices.get_settings(a, p),
        "update_settings": lambda a: s.practices.update_settings(a, p, {"sla_minutes": 60}),
        "list_improvements": lambda a: s.practices.list_improvements(a, p),
        "add_improvement": lambda a: s.practices.add_improvement(
            a, p, topic="wait-time", text="second check-in desk"
        ),
        "add_location": lambda a: s.practices.add_location(a, p, "Northside"),
        "list_users": lambda a: s.users.list_users(a, p),
        "set_role": lambda a: s.users.set_role(
            a, practice_id=p, user_id=world.staff.user_id, role="manager"
        ),
        "audit": lambda a: s.audit.events(a, p),
        "audit_export": lambda a: s.audit.export(a, p, fmt="csv"),
    }


CALLS = sorted(
    [
        "get_post",
        "list_posts",
        "counts",
        "receive",
        "save_draft",
        "suggest",
        "acknowledge",
        "submit",
        "approve",
        "reject",
        "schedule",
        "publish_kit",
        "mark_replied",
        "dismiss",
        "escalate",
        "reopen",
        "get_practice",
        "get_settings",
        "update_settings",
        "list_improvements",
        "add_improvement",
        "add_location",
        "list_users",
        "set_role",
        "audit",
        "audit_export",
    ]
)


@pytest.mark.parametrize("call", CALLS)
def test_other_practice_admin_sees_nothing_and_changes_nothing(world, post_id, call):
    before = world.services.audit.events(world.admin, world.practice)
    with pytest.raises(NotFoundError):
        _calls(world, post_id)[call](world.outsider)
    assert world.services.audit.events(world.admin, world.practice) == before


def test_every_call_is_in_the_matrix(world, post_id):
    assert sorted(_calls(world, post_id)) == CALLS


# Calls staff may not make (manager or admin only). Others are allowed or fail on workflow.
STAFF_DENIED = [
    "reject",
    "reopen",
    "update_settings",
    "add_improvement",
    "add_location",
    "list_users",
    "set_role",
    "audit",
    "audit_export",
]
MANAGER_DENIED = ["update_settings", "add_location", "set_role"]


@pytest.mark.parametrize("call", STAFF_DENIED)
def test_staff_role_limits(world, post_id, call):
    with pytest.raises(PermissionDenied):
        _calls(world, post_id)[call](world.staff)


@pytest.mark.parametrize("call", MANAGER_DENIED)
def test_manager_role_limits(world, post_id, call):
    with pytest.raises(PermissionDenied):
        _calls(world, post_id)[call](world.manager)


def test_deactivated_user_loses_access_at_once(world, post_id):
    from safereply.services import SYSTEM

    world.services.users.set_active(SYSTEM, user_id=world.staff.user_id, active=False)
    with pytest.raises(NotFoundError):
        world.services.inbox.get_post(world.staff, post_id)


def test_practice_keeps_its_last_admin(world):
    with pytest.raises(PermissionDenied, match="at least one admin"):
        world.services.users.set_role(
            world.admin, practice_id=world.practice, user_id=world.admin.user_id, role="staff"
        )


def test_settings_are_validated_by_name(world):
    with pytest.raises(InputError, match="approval_policy"):
        world.services.practices.update_settings(
            world.admin, world.practice, {"approval_policy": "sometimes"}
        )
    with pytest.raises(InputError, match="unknown setting 'colour'"):
        world.services.practices.update_settings(world.admin, world.practice, {"colour": "red"})
