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
