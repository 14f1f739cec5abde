"""Several processes on one PostgreSQL and one Redis (issue 16): the commands of deploy/.

Real processes, started with the same commands the systemd units run
(``python -m safereply serve ...``, ``python -m safereply worker ...``):

* two server processes (``serve --workers 2``) sweep once per interval between them, and an
  overdue post is notified once;
* two worker processes publish an approved reply once (the platform double counts the PUTs);
* a sign-in lockout earned on one server process holds on another, with the limiter's counts in
  the database and in Redis.

Skipped, with the reason, without SAFEREPLY_TEST_POSTGRES_URL and SAFEREPLY_TEST_REDIS_URL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "connectors"))

from google_world import SECRET, make_world

from safereply.services.leases import DatabaseLeases, RedisLeases
from safereply.store.models import (
    AuditEvent,
    Notification,
    PracticeSettings,
    PublishedReply,
)
from safereply.store.testing import postgres_url, temporary_postgres

POSTGRES = postgres_url()
REDIS = os.environ.get("SAFEREPLY_TEST_REDIS_URL")

pytestmark = pytest.mark.skipif(
    not (POSTGRES and REDIS),
    reason="several processes on one PostgreSQL and Redis need SAFEREPLY_TEST_POSTGRES_URL "
    "and SAFEREPLY_TEST_REDIS_URL (.ci/run exports both where the services run)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_db(url: str, db: int) -> str:
    """The test server's Redis, on a database number of our own (other tests use 0)."""
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    return f"{base}/{db}"


@pytest.fixture
def world(google, tmp_path):
    with temporary_postgres(POSTGRES, prefix="safereply_multiproc") as store:
        w = make_world(google, tmp_path, store=store)
        w.url = store.engine.url.render_as_string(hide_password=False)
        yield w


@pytest.fixture
def redis_url():
    import redis

    url = redis_db(REDIS, 11)
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()


def env_for(world, **extra: str) -> dict[str, str]:
    """The environment of a unit in deploy/: settings only through SAFEREPLY_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEREPLY_")}
    env.update(
        SAFEREPLY_ENVIRONMENT="production",
        SAFEREPLY_SECRET_KEY=SECRET,
        SAFEREPLY_DATABASE_URL=world.url,
        SAFEREPLY_GOOGLE_BUSINESS_API=world.google.url,
        SAFEREPLY_GOOGLE_TOKEN_URL=f"{world.google.url}/token",
        SAFEREPLY_BASE_URL="https://replies.example.test",
    )
    env.update(extra)
    return env


class Processes:
    """Started processes, stopped (SIGINT, then SIGKILL) at the end of the test."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen] = []

    def start(self, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-m", "safereply", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.running.append(proc)
        return proc

    def stop(self) -> list[str]:
        errors = []
        for proc in self.running:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT)
        for proc in self.running:
            try:
                errors.append(proc.communicate(timeout=30)[1] or "")
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                errors.append(proc.communicate()[1] or "")
        self.running = []
        return errors


@pytest.fixture
def procs():
    p = Processes()
    yield p
    p.stop()


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read()[-3000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {timeout} s")


def count(world, model, *where) -> int:
    with world.store.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_two_server_processes_sweep_once_per_interval_and_notify_once(
    world, google, procs, redis_url, backend
):
    google.add_review("r1", "We waited two hours", stars=1)
    world.connectors.syncer.sync(world.connection)  # due a day after 2026-11-02: overdue now
    with world.store.write() as s:
        s.execute(update(PracticeSettings).values(notify_emails=["desk@example.test"]))
    extra = {"SAFEREPLY_SWEEP_INTERVAL": "1"}
    if backend == "redis":
        extra["SAFEREPLY_REDIS_URL"] = redis_url
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = procs.start(
        ["serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)],
        env_for(world, **extra),
    )
    wait_http(url, server)
    started = time.monotonic()
    time.sleep(6)
    errors = procs.stop()
    elapsed = time.monotonic() - started
    assert errors[0].count("Started server process") == 2, errors[0][-3000:]
    if backend == "redis":
        import redis

        leases = RedisLeases(redis.Redis.from_url(redis_url))
    else:
        leases = DatabaseLeases(world.store)
    info = leases.info("sweep")
    assert info is not None
    # Two processes each wake once a second: without the lease ~2 sweeps a second.
    assert 3 <= info.runs <= elapsed / 0.9 + 3, (info.runs, elapsed)
    pid = world.post_id("r1")
    assert count(world, Notification, Notification.post_id == pid) == 1
    audit = count(world, AuditEvent, AuditEvent.action == "post.overdue")
    assert audit == 1


def test_two_workers_publish_an_approved_reply_once(world, google, procs, redis_url):
    google.add_review("r1", "Lovely", stars=5)
    world.connectors.syncer.sync(world.connection)
    pid = world.approve_acknowledgement("r1")  # approved in Nov 2026: due long ago
    env = env_for(world, SAFEREPLY_REDIS_URL=redis_url)
    for _ in range(2):
        procs.start(["worker", "--workers", "2"], env)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not google.puts:
        time.sleep(0.5)
    time.sleep(5)  # both workers keep running: nothing may publish it again
    errors = procs.stop()
    assert len(google.puts) == 1, errors
    assert count(world, PublishedReply, PublishedReply.post_id == pid) == 1
    published = count(
        world,
        AuditEvent,
        AuditEvent.action == "reply.publish",
        AuditEvent.object_id == str(pid),
    )
    assert published == 1
    assert world.post("r1").state == "published"


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_a_sign_in_lockout_holds_across_server_processes(world, procs, redis_url, backend):
    extra = {"SAFEREPLY_LOGIN_MAX_FAILURES": "3", "SAFEREPLY_SWEEP_INTERVAL": "0"}
    if backend == "redis":
        extra.update(SAFEREPLY_LOGIN_THROTTLE="redis", SAFEREPLY_REDIS_URL=redis_url)
    urls = []
    for _ in range(2):
        port = free_port()
        server = procs.start(
            ["serve", "--host", "127.0.0.1", "--port", str(port)], env_for(world, **extra)
        )
        urls.append((f"http://127.0.0.1:{port}", server))
    for url, server in urls:
        wait_http(url, server)
    (first, _), (second, _) = urls
    wrong = {"email": "manager@example.test", "password": "not the password"}
    right = {"email": "manager@example.test", "password": "correct horse battery"}
    statuses = [httpx.post(f"{first}/api/v1/auth/login", json=wrong).status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    refused = httpx.post(f"{second}/api/v1/auth/login", json=right)
    assert refused.status_code == 429, refused.text
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["error"]["code"] == "rate_limited"
