"""Jobs that opened a connection's tokens never write stale ones back (review defect 1).

X rotates refresh tokens: a sync that opened R1 while the tokens job refreshed R1 -> R2 must not
write R1 back (the next refresh would be refused), nor flag the connection when its own refresh
is refused because R1 is spent. A disconnect while a sync runs stays a disconnect, and rechecks a
webhook queued during a sync survive the sync's cursor.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from doubles_http import DoubleServer
from doubles_social_world import make_social_world
from doubles_x import XDouble
from test_meta_hooks import _world, graph  # noqa: F401  (fixture)
from test_x_connector import ME

from safereply.connectors.base import Credentials
from safereply.services.actor import SYSTEM
from safereply.services.sealing import unseal
from safereply.store.models import Connection


def _x_world(tmp_path: Any, server: DoubleServer, minutes: int) -> Any:
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)
    creds = Credentials(
        client_id="x-client",
        access_token="x-access-1",
        refresh_token="x-refresh-1",
        expires_at=soon,
    )
    return make_social_world(tmp_path, "x", server.url, ME, creds)


def _during_open(world: Any, action: Callable[[], Any]) -> None:
    """Run ``action`` once, right after the sync opened the connection's tokens."""
    conns = world.connectors.connections
    original, done = conns.open, []

    def open_(row: Connection) -> Any:
        connector = original(row)
        if not done:
            done.append(1)
            action()
        return connector

    conns.open = open_


def _stored(world: Any) -> tuple[bool, dict[str, Any]]:
    """Return (needs re-authorisation, the unsealed tokens) of the connection now."""
    with world.store.read() as s:
        row = s.get(Connection, world.connection)
        assert row is not None and row.tokens is not None
        return row.needs_reauth, json.loads(unseal(row.tokens, world.settings))


@pytest.mark.parametrize("minutes", [3, 8])
def test_tokens_job_refreshing_during_a_sync_is_not_undone(tmp_path, minutes):
    """3 min: the sync's own refresh of R1 is refused (spent) -> it retries with R2.
    8 min: the sync does not refresh -> it must not write R1 back over R2."""
    double = XDouble(me=ME)
    with DoubleServer(double) as server:
        world = _x_world(tmp_path, server, minutes)
        conns = world.connectors.connections
        _during_open(world, conns.refresh_expiring)
        report = world.sync()
        needs_reauth, stored = _stored(world)
        assert report.errors == 0, report.to_dict()
        assert not needs_reauth
        assert stored["refresh_token"] in double.refresh_tokens
        assert conns.refresh_expiring(within=dt.timedelta(hours=3)) == 1  # R2 still works
        world.store.dispose()


def test_disconnect_during_a_sync_stays(tmp_path, graph):  # noqa: F811
    world = _world(tmp_path, graph[1])
    conns = world.connectors.connections
    _during_open(world, lambda: conns.disconnect(SYSTEM, world.connection))
    world.sync()
    with world.store.read() as s:
        row = s.get(Connection, world.connection)
        assert row is not None
        assert row.tokens is None and row.next_sync_at is None and not row.needs_reauth
    world.store.dispose()


def test_webhook_rechecks_queued_during_a_sync_are_kept(tmp_path, graph):  # noqa: F811
    world = _world(tmp_path, graph[1])

    def webhook() -> None:
        with world.store.write() as s:
            row = s.get(Connection, world.connection)
            assert row is not None
            row.cursor = {**(row.cursor or {}), "recheck": ["1001_77"]}

    _during_open(world, webhook)
    report = world.sync()
    assert report.errors == 0, report.to_dict()
    with world.store.read() as s:
        row = s.get(Connection, world.connection)
        assert row is not None
        assert "1001_77" in (row.cursor or {}).get("recheck", [])


def test_save_credentials_writes_only_over_the_tokens_it_opened(tmp_path, graph):  # noqa: F811
    world = _world(tmp_path, graph[1])
    conns = world.connectors.connections
    with world.store.read() as s:
        first = conns.open(s.get(Connection, world.connection))
        second = conns.open(s.get(Connection, world.connection))
    first.credentials.access_token = "page-token-2"
    second.credentials.access_token = "page-token-stale"
    with world.store.write() as s:
        assert conns.save_credentials(s, s.get(Connection, world.connection), first.credentials)
    with world.store.write() as s:
        row = s.get(Connection, world.connection)
        assert not conns.save_credentials(s, row, second.credentials)
    assert _stored(world)[1]["access_token"] == "page-token-2"
    world.store.dispose()
