"""API tokens: what a token proves, and when its last use is recorded."""

from __future__ import annotations


def _last_used(world, token_id):
    (row,) = [t for t in world.services.users.list_tokens(world.manager) if t["id"] == token_id]
    return row["last_used_at"]


def test_token_use_is_recorded_to_the_minute(world):
    users = world.services.users
    created = users.create_token(world.manager, name="reporting script")
    assert _last_used(world, created["id"]) is None

    assert users.actor_for_token(created["token"]).user_id == world.manager.user_id
    first = _last_used(world, created["id"])
    assert first == world.clock.now.isoformat()

    world.clock.advance(seconds=30)  # polled again within the minute: no new write
    users.actor_for_token(created["token"])
    assert _last_used(world, created["id"]) == first

    world.clock.advance(seconds=31)
    users.actor_for_token(created["token"])
    assert _last_used(world, created["id"]) == world.clock.now.isoformat()


def test_unknown_and_revoked_tokens_prove_nothing_and_record_nothing(world):
    users = world.services.users
    created = users.create_token(world.manager, name="old")
    users.revoke_token(world.manager, created["id"])
    assert users.actor_for_token(created["token"]) is None
    assert users.actor_for_token(created["token"][:-2] + "xx") is None
    assert users.actor_for_token("not-a-token") is None
    assert _last_used(world, created["id"]) is None


# -- issue 12, item 10: expiry, scopes, revoked with the password --------------------------------


def test_a_token_expires(world):
    users = world.services.users
    created = users.create_token(world.manager, name="short", expires_in_days=7)
    assert users.actor_for_token(created["token"]) is not None
    world.clock.advance(days=7, seconds=1)
    assert users.actor_for_token(created["token"]) is None
    (listed,) = users.list_tokens(world.manager)
    assert listed["expired"] is True and listed["expires_at"] is not None


def test_token_lifetime_is_bounded(world):
    import pytest

    from safereply.errors import InputError

    users = world.services.users
    for days in (0, -1, 366, 10**9):
        with pytest.raises(InputError):
            users.create_token(world.manager, name="x", expires_in_days=days)
    with pytest.raises(InputError):
        users.create_token(world.manager, name="x", scope="root")


def test_a_password_change_revokes_every_token(world):
    users = world.services.users
    tokens = [users.create_token(world.manager, name=f"t{n}")["token"] for n in range(2)]
    users.set_password(world.manager, user_id=world.manager.user_id, password="a new long secret")
    assert [users.actor_for_token(t) for t in tokens] == [None, None]
    assert all(t["revoked"] for t in users.list_tokens(world.manager))


def test_scopes_cap_what_a_token_may_do(world):
    from safereply.errors import PermissionDenied

    users, practices = world.services.users, world.services.practices
    write = users.actor_for_token(users.create_token(world.admin, name="w", scope="write")["token"])
    admin = users.actor_for_token(users.create_token(world.admin, name="a", scope="admin")["token"])
    read = users.actor_for_token(users.create_token(world.admin, name="r", scope="read")["token"])
    assert (write.scope, admin.scope, read.scope) == ("write", "admin", "read")
    # An admin's write token works as a manager at most: no settings, roles or locations.
    import pytest

    with pytest.raises(PermissionDenied):
        practices.update_settings(write, world.practice, {"sla_minutes": 60})
    practices.add_improvement(write, world.practice, topic="billing", text="clearer bills")
    practices.update_settings(admin, world.practice, {"sla_minutes": 60})
    # A read token reads and changes nothing, even where its owner could.
    assert practices.get_settings(read, world.practice)["sla_minutes"] == 60
    with pytest.raises(PermissionDenied):
        practices.add_improvement(read, world.practice, topic="billing", text="nope")
