"""A practice connected to a local Facebook, Instagram or X double: store, services, connectors.

The analysers are the small deterministic fakes of ``google_world`` (complaint when the text says
'waited', a linter that blocks 'your visit'), so these tests exercise connectors, sync and
publishing rather than the models.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from doubles_http import DoubleServer
from doubles_meta import GraphDouble
from doubles_x import XDouble
from factories import Clock, add_practice, add_user
from google_world import ANALYSERS, PROFILE, SECRET
from sqlalchemy import select

from safereply.connectors.base import Credentials
from safereply.connectors.runtime import ConnectorServices, build_connectors
from safereply.services import SYSTEM, build_services
from safereply.settings import Settings
from safereply.store import Store, upgrade
from safereply.store.models import Connection, ConnectionItem, Post

__all__ = ["SocialWorld", "facebook_world", "make_social_world", "x_world"]

APP_SECRET = "meta-app-secret-555"
VERIFY_TOKEN = "verify-me-555"


@dataclass
class SocialWorld:
    """Everything a test needs around one connection."""

    store: Store
    settings: Settings
    services: Any
    connectors: ConnectorServices
    practice: int
    connection: int
    clock: Clock

    def sync(self) -> Any:
        """Run one sync of the connection now (the framework's entry point)."""
        return self.connectors.syncer.sync(self.connection)

    def post_id(self, external_id: str) -> int | None:
        with self.store.read() as s:
            return s.scalar(
                select(ConnectionItem.post_id).where(ConnectionItem.external_id == external_id)
            )

    def post(self, external_id: str) -> SimpleNamespace | None:
        """Return a copy of the item's post (text, kind, state, rating) read now."""
        pid = self.post_id(external_id)
        with self.store.read() as s:
            post = s.get(Post, pid) if pid else None
            if post is None:
                return None
            return SimpleNamespace(
                id=post.id,
                text=post.text,
                kind=post.kind,
                state=post.state,
                rating=post.rating,
                author=post.author,
            )

    def item(self, external_id: str) -> SimpleNamespace | None:
        """Return a copy of what the connection knows of one item, read now."""
        with self.store.read() as s:
            row = s.scalar(select(ConnectionItem).where(ConnectionItem.external_id == external_id))
            if row is None:
                return None
            names = (
                "removed_at",
                "replied_elsewhere",
                "remote_reply",
                "reply_state",
                "publish_attempts",
                "publish_error",
                "manual_only",
                "publish_next_at",
            )
            return SimpleNamespace(**{n: getattr(row, n) for n in names})

    def row(self) -> SimpleNamespace:
        """Return a copy of the connection's state (cursor, times, flags) read now."""
        with self.store.read() as s:
            row = s.get(Connection, self.connection)
            return SimpleNamespace(
                cursor=dict(row.cursor or {}),
                next_sync_at=row.next_sync_at,
                needs_reauth=row.needs_reauth,
                last_error=row.last_error,
            )

    def approve_acknowledgement(self, external_id: str) -> int:
        """Draft the one-click acknowledgement and approve it (praise needs no second person)."""
        pid = self.post_id(external_id)
        assert pid is not None
        self.services.inbox.acknowledge(SYSTEM, pid)
        self.services.inbox.approve(self.manager(), pid)
        return pid

    def manager(self) -> Any:
        """Return the actor of the practice's manager (created on first use)."""
        found = self.services.users.find_by_email("manager@example.test")
        if found is None:
            found = add_user(
                self.services, self.practice, "manager", password="Tangerine-Harbor-9181"
            )
        return self.services.users.actor_for(found["id"])


_TEMPLATE: list[Path] = []


def _template(tmp_path: Path) -> Path:
    """Return a migrated database file, made once per test run (migrating takes a second)."""
    if not _TEMPLATE or not _TEMPLATE[0].exists():
        path = Path(tempfile.mkdtemp(prefix="social-world-")) / "template.sqlite3"
        store = Store.from_url(f"sqlite:///{path}")
        upgrade(store)
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        store.dispose()
        _TEMPLATE[:] = [path]
    return _TEMPLATE[0]


def make_social_world(
    tmp_path: Path,
    platform: str,
    base_url: str,
    account: str,
    credentials: Credentials,
    **settings: Any,
) -> SocialWorld:
    """Build a migrated SQLite store, a practice and its connection to ``platform``'s double."""
    db_path = tmp_path / "safereply.sqlite3"
    shutil.copyfile(_template(tmp_path), db_path)
    store = Store.from_url(f"sqlite:///{db_path}")
    names = {"facebook": "meta_graph_api", "instagram": "instagram_api", "x": "x_api"}
    values: dict[str, Any] = {
        "environment": "test",
        "secret_key": SECRET,
        "database_url": f"sqlite:///{db_path}",
        "jobs_path": str(db_path.with_name("jobs.sqlite3")),
        "sweep_interval": 0,
        names[platform]: base_url,
        "meta_app_secret": APP_SECRET,
        "meta_verify_token": VERIFY_TOKEN,
        **settings,
    }
    config = Settings(**values)
    clock = Clock(dt.datetime.now(dt.UTC).replace(microsecond=0))
    services = build_services(store, config, analysers=ANALYSERS, clock=clock)
    practice = add_practice(services, PROFILE, locations=("Downtown",))
    connectors = build_connectors(store, config, services.inbox, clock=clock)
    info = connectors.connections.connect(
        SYSTEM,
        practice,
        platform=platform,
        account=account,
        external_id=account,
        credentials=credentials,
        location="Downtown",
    )
    return SocialWorld(store, config, services, connectors, practice, info.id, clock)


@contextmanager
def facebook_world(
    tmp_path: Path, page: str
) -> Iterator[tuple[GraphDouble, DoubleServer, SocialWorld]]:
    """A practice connected to a Facebook Page ``page`` served by a local Graph double."""
    double = GraphDouble("facebook", owner_id=page)
    with DoubleServer(double) as server:
        double.base_url = server.url
        creds = Credentials(access_token="page-token-1")
        world = make_social_world(tmp_path, "facebook", f"{server.url}/v26.0", page, creds)
        yield double, server, world
        world.store.dispose()


@contextmanager
def x_world(tmp_path: Path, me: str) -> Iterator[tuple[XDouble, DoubleServer, SocialWorld]]:
    """A practice connected to the X account ``me`` served by a local X double."""
    double = XDouble(me=me)
    with DoubleServer(double) as server:
        creds = Credentials(
            client_id="x-client", access_token="x-access-1", refresh_token="x-refresh-1"
        )
        world = make_social_world(tmp_path, "x", server.url, me, creds)
        yield double, server, world
        world.store.dispose()
