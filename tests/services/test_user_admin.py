"""Users and roles across practices (issue 12, defect 1): an admin manages only the members of their
own practice, and invites by e-mail without learning whether an account exists."""

from __future__ import annotations

import pytest

from safereply.errors import InputError, NotFoundError, PermissionDenied
from safereply.services import SYSTEM


def _roles(world, user_id):
    return world.services.users.get_user(user_id)["roles"]


def test_admin_cannot_take_over_another_practices_user(world):
    users = world.services.users
    before = _roles(world, world.staff.user_id)
    with pytest.raises(NotFoundError) as foreign:
        users.set_role(
            world.outsider,
            practice_id=world.other_practice,
            user_id=world.staff.user_id,
            role="admin",
        )
    assert _roles(world, world.staff.user_id) == before
    listed = {u["email"] for u in users.list_users(world.outsider, world.other_practice)}
    assert listed == {"outsider@example.test"}
    # An id nobody uses gives exactly the same answer: ids cannot be enumerated.
    with pytest.raises(NotFoundError) as unused:
        users.set_role(
            world.outsider, practice_id=world.other_practice, user_id=987_654, role="admin"
        )
    assert str(foreign.value) == str(unused.value)


def test_removing_a_non_member_is_not_found_either(world):
    with pytest.raises(NotFoundError):
        world.services.users.set_role(
            world.outsider, practice_id=world.other_practice, user_id=world.staff.user_id, role=None
        )
    assert _roles(world, world.staff.user_id) == {str(world.practice): "staff"}


def test_admin_changes_roles_of_their_own_members(world):
    users = world.services.users
    users.set_role(
        world.admin, practice_id=world.practice, user_id=world.staff.user_id, role="manager"
    )
    assert _roles(world, world.staff.user_id) == {str(world.practice): "manager"}
    users.set_role(world.admin, practice_id=world.practice, user_id=world.staff.user_id, role=None)
    assert _roles(world, world.staff.user_id) == {}
    # Once removed, they are no longer the admin's to manage.
    with pytest.raises(NotFoundError):
        users.set_role(
            world.admin, practice_id=world.practice, user_id=world.staff.user_id, role="staff"
        )


def test_invite_answers_the_same_whether_or_not_the_account_exists(world):
    users = world.services.users
    seen = len(world.services.audit.events(world.outsider, world.other_practice))
    existing = users.invite(
        world.outsider,
        practice_id=world.other_practice,
        email="staff@example.test",
        password="a first password",
        role="admin",
    )
    fresh = users.invite(
        world.outsider,
        practice_id=world.other_practice,
        email="newcomer@example.test",
        password="a first password",
        role="admin",
    )
    assert {k: v for k, v in existing.items() if k != "email"} == {
        k: v for k, v in fresh.items() if k != "email"
    }
    # The existing account is untouched: same roles, same password, not listed as a member.
    assert _roles(world, world.staff.user_id) == {str(world.practice): "staff"}
    assert users.authenticate("staff@example.test", "correct horse battery") is not None
    assert users.authenticate("staff@example.test", "a first password") is None
    members = {u["email"] for u in users.list_users(world.outsider, world.other_practice)}
    assert members == {"outsider@example.test"}
    pending = users.list_invitations(world.outsider, world.other_practice)
    assert [(i["email"], i["role"]) for i in pending] == [
        ("newcomer@example.test", "admin"),
        ("staff@example.test", "admin"),
    ]
    # The practice's audit log holds the same entry for both.
    events = [
        (e["action"], e["object_type"], e["detail"])
        for e in world.services.audit.events(world.outsider, world.other_practice)[seen:]
    ]
    assert events == [("user.invite", "invitation", {"role": "admin"})] * 2


def test_the_invited_person_accepts_or_declines(world):
    users = world.services.users
    users.invite(
        world.outsider,
        practice_id=world.other_practice,
        email="staff@example.test",
        password="whatever it is",
        role="manager",
    )
    (mine,) = users.my_invitations(world.staff)
    assert mine["practice"]["id"] == world.other_practice and mine["role"] == "manager"
    # Nobody else can accept it.
    with pytest.raises(NotFoundError):
        users.accept_invitation(world.manager, mine["id"])
    users.accept_invitation(world.staff, mine["id"])
    assert _roles(world, world.staff.user_id) == {
        str(world.practice): "staff",
        str(world.other_practice): "manager",
    }
    assert users.my_invitations(world.staff) == []
    assert users.list_invitations(world.outsider, world.other_practice) == []
    # Now a member, the admin of the other practice may manage them there (and only there).
    users.set_role(
        world.outsider, practice_id=world.other_practice, user_id=world.staff.user_id, role=None
    )
    users.invite(
        world.outsider,
        practice_id=world.other_practice,
        email="manager@example.test",
        password="whatever it is",
        role="staff",
    )
    (theirs,) = users.my_invitations(world.manager)
    users.decline_invitation(world.manager, theirs["id"])
    assert _roles(world, world.manager.user_id) == {str(world.practice): "manager"}
    assert users.list_invitations(world.outsider, world.other_practice) == []


def test_a_new_account_from_an_invitation_signs_in_and_accepts(world):
    users = world.services.users
    users.invite(
        world.admin,
        practice_id=world.practice,
        email="Riley@Example.test",
        password="a first passphrase for her",
        role="staff",
        display_name="Riley",
    )
    actor = users.authenticate("riley@example.test", "a first passphrase for her")
    assert actor is not None and _roles(world, actor.user_id) == {}
    (invitation,) = users.my_invitations(actor)
    users.accept_invitation(actor, invitation["id"])
    assert _roles(world, actor.user_id) == {str(world.practice): "staff"}


def test_invitations_are_for_admins_of_the_practice(world):
    users = world.services.users
    kwargs = {"email": "x@example.test", "password": "long enough pw", "role": "staff"}
    with pytest.raises(PermissionDenied):
        users.invite(world.manager, practice_id=world.practice, **kwargs)
    with pytest.raises(NotFoundError):
        users.invite(world.outsider, practice_id=world.practice, **kwargs)
    with pytest.raises(InputError):
        users.invite(world.admin, practice_id=world.practice, **{**kwargs, "password": "short"})
    users.invite(world.admin, practice_id=world.practice, **kwargs)
    (pending,) = users.list_invitations(world.admin, world.practice)
    with pytest.raises(NotFoundError):
        users.cancel_invitation(world.outsider, world.other_practice, pending["id"])
    with pytest.raises(NotFoundError):
        users.list_invitations(world.outsider, world.practice)
    users.cancel_invitation(world.admin, world.practice, pending["id"])
    assert users.list_invitations(world.admin, world.practice) == []


def test_only_an_instance_administrator_creates_accounts_directly(world):
    with pytest.raises(PermissionDenied):
        world.services.users.create_user(
            world.admin,
            email="direct@example.test",
            password="long enough pw",
            practice_id=world.practice,
            role="staff",
        )
    created = world.services.users.create_user(
        SYSTEM, email="direct@example.test", password="long enough pw", practice_id=world.practice
    )
    assert created["roles"] == {str(world.practice): "staff"}
