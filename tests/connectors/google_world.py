"""A practice connected to the local Google double: store, services, connector services."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factories import FAST_HASHER, FakeReport, FakeTriage, actor, add_practice, add_user
from factories import Clock as _Clock
from google_double import GoogleDouble
from sqlalchemy import select

from safereply.connectors.base import HttpResponse, urllib_transport
from safereply.connectors.runtime import ConnectorServices, build_connectors
from safereply.core.practice import Practice as Profile
from safereply.services import SYSTEM, Actor, Analysers, build_services
from safereply.settings import Settings
from safereply.store import Store, upgrade
from safereply.store.models import ConnectionItem, Post

LOCATION = "accounts/111/locations/222"
PROFILE = Profile(name="Maple Grove Dental", phone="(555) 201-3300", sign_off="The Maple team")
SECRET = "k" * 48


def _triaged(kind: str, topics: list[str], priority: str) -> FakeTriage:
    sentiment = -0.8 if kind == "complaint" else 0.5
    return FakeTriage(kind, topics, priority, sentiment, reasons=("test triage",))


def triage(text: str, platform: str | None = None, rating: float | None = None) -> FakeTriage:
    """Complaint when the stars are low or the text says 'waited'; praise otherwise."""
    if (rating is not None and rating <= 2) or "waited" in text.lower():
        return _triaged("complaint", ["wait-time"], "high")
    return _triaged("praise", [], "low")


def check(reply: str, post: str | None = None, practice: Any = None) -> FakeReport:
    """Block 'your visit' (confirms a patient): enough to tell risky replies from safe ones."""
    at = reply.lower().find("your visit")
    if at < 0:
        return FakeReport("pass", [])
    finding = {
        "code": "PR001",
        "category": "patient-relationship",
        "severity": "error",
        "start": at,
        "end": at + 10,
        "text": reply[at : at + 10],
        "message": "confirms",
    }
    return FakeReport("block", [finding])


@dataclass
class Drafted:
    reply: str


def compose(text, *, practice, platform=None, rating=None, post_id=None) -> Drafted:
    return Drafted(f"Thank you for your feedback. Please call us at {practice.phone}.")


ANALYSERS = Analysers(triage=triage, check=check, compose=compose)


class Clock(_Clock):
    """A clock the test moves by hand, from a fixed Monday morning."""

    def __init__(self) -> None:
        super().__init__(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC))


@dataclass
class World:
    google: GoogleDouble
    store: Store
    settings: Settings
    services: Any
    connectors: ConnectorServices
    practice: int
    connection: int
    clock: Clock
    db_path: Path
    manager: Actor

    def post_id(self, review_id: str) -> int:
        with self.store.read() as s:
            return s.scalar(
                select(ConnectionItem.post_id).where(ConnectionItem.external_id == review_id)
            )

    def post(self, review_id: str) -> Post:
        with self.store.read() as s:
            post = s.get(Post, self.post_id(review_id))
            s.expunge(post)  # keep its loaded values after the read ends
            return post

    def item(self, review_id: str) -> ConnectionItem:
        with self.store.read() as s:
            item = s.scalar(select(ConnectionItem).where(ConnectionItem.external_id == review_id))
            s.expunge(item)
            return item

    def approve_acknowledgement(self, review_id: str) -> int:
        """Draft the one-click acknowledgement and approve it (praise needs no second person)."""
        pid = self.post_id(review_id)
        self.services.inbox.acknowledge(SYSTEM, pid)
        self.services.inbox.approve(self.manager, pid)
        return pid


def settings_for(google: GoogleDouble, db_path: Path, **extra: Any) -> Settings:
    return Settings(
        environment="test",
        secret_key=SECRET,
        database_url=f"sqlite:///{db_path}",
        google_business_api=google.url,
        google_token_url=f"{google.url}/token",
        jobs_path=str(db_path.with_name("jobs.sqlite3")),
        **extra,
    )


def credentials_file(path: Path, **extra: Any) -> Path:
    data = {"client_id": "cid", "client_secret": "csecret", "refresh_token": "refresh-1", **extra}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def make_world(
    google: GoogleDouble, tmp_path: Path, *, transport=None, store: Store | None = None
) -> World:
    """A practice connected to the double, on a fresh SQLite file (or the ``store`` given)."""
    from safereply.connectors.base import Credentials

    db_path = tmp_path / "safereply.sqlite3"
    if store is None:
        store = Store.from_url(f"sqlite:///{db_path}")
        upgrade(store)
    settings = settings_for(google, db_path)
    clock = Clock()
    services = build_services(
        store, settings, analysers=ANALYSERS, clock=clock, password_hasher=FAST_HASHER
    )
    practice = add_practice(services, PROFILE, locations=("Downtown",))
    manager = actor(add_user(services, practice, "manager"))
    connectors = build_connectors(store, settings, services.inbox, transport=transport, clock=clock)
    info = connectors.connections.connect(
        SYSTEM,
        practice,
        platform="google",
        account="accounts/111",
        external_id=LOCATION,
        credentials=Credentials(
            client_id="cid", client_secret="csecret", refresh_token="refresh-1"
        ),
        location="Downtown",
    )
    return World(
        google, store, settings, services, connectors, practice, info.id, clock, db_path, manager
    )


def synced_world(google: GoogleDouble, tmp_path: Path, transport=None) -> World:
    """:func:`make_world`, with the five-star review ``r1`` ("Lovely hygienist") synced in."""
    world = make_world(google, tmp_path, transport=transport)
    google.add_review("r1", "Lovely hygienist", stars=5)
    world.connectors.syncer.sync(world.connection)
    return world


class LosesAnswers:
    """A transport that delivers requests but, when told, loses the answer to a PUT (as if the
    process died right after the platform acted)."""

    def __init__(self) -> None:
        self.lose_next_put = False

    def __call__(self, method, url, headers, body, timeout) -> HttpResponse:
        answer = urllib_transport(method, url, headers, body, timeout)
        if method == "PUT" and self.lose_next_put:
            self.lose_next_put = False
            raise ConnectionResetError("connection reset after the request was sent")
        return answer


def command_env(settings: Any, **platforms: str) -> dict[str, str]:
    """The environment a ``safereply`` command needs to work on a test world's ``settings``
    (its database and job queue, and ``platforms``: SAFEREPLY_ names to their URLs), nothing
    else of the caller's SAFEREPLY_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEREPLY_")}
    env.update(
        SAFEREPLY_ENVIRONMENT="test",
        SAFEREPLY_SECRET_KEY=SECRET,
        SAFEREPLY_DATABASE_URL=settings.database_url,
        SAFEREPLY_JOBS_PATH=settings.jobs_path,
        **platforms,
    )
    return env


def env_for(world: World) -> dict[str, str]:
    """The environment a ``safereply`` command needs to work on ``world`` (nothing else of the
    caller's SAFEREPLY_ settings)."""
    return command_env(
        world.settings,
        SAFEREPLY_GOOGLE_BUSINESS_API=world.google.url,
        SAFEREPLY_GOOGLE_TOKEN_URL=f"{world.google.url}/token",
    )


def kill_worker_after_googles_answer(world: World, google: Any) -> None:
    """Run ``worker --once``; freeze it when Google takes the reply or the edit, let the answer
    be sent, then kill it: the platform acted, the database never heard."""
    command = [sys.executable, "-m", "safereply", "worker", "--once"]
    worker = subprocess.Popen(
        command, env=env_for(world), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    google.on_put = lambda d, rid: os.kill(worker.pid, signal.SIGSTOP)
    google.after_put = lambda d, rid: os.kill(worker.pid, signal.SIGKILL)
    worker.communicate(timeout=120)
    assert worker.returncode == -signal.SIGKILL


def run_worker_once(world: World) -> dict[str, Any]:
    """Run ``worker --once`` to the end and return its summary (the last line it prints)."""
    command = [sys.executable, "-m", "safereply", "worker", "--once"]
    again = subprocess.run(command, env=env_for(world), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    return json.loads(again.stdout.splitlines()[-1])
