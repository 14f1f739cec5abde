"""The worker and the commands: connect, connections, disconnect, sync, worker --once; a worker
killed with SIGKILL between Google's answer and its commit never posts twice; job locks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from google_world import (
    SECRET,
    credentials_file,
    env_for,
    kill_worker_after_googles_answer,
    make_world,
    run_worker_once,
)
from huey import SqliteHuey
from sqlalchemy import func, select

from safereply.cli.main import main
from safereply.jobs.engine import Jobs, make_huey
from safereply.jobs.locks import JobLock, Locked, job_lock
from safereply.settings import Settings
from safereply.store.models import AuditEvent, PublishedReply


@pytest.fixture
def world(google, tmp_path):
    w = make_world(google, tmp_path)
    yield w
    w.store.dispose()


@pytest.fixture
def cli_env(world, monkeypatch):
    for key in [k for k in os.environ if k.startswith("SAFEREPLY_")]:
        monkeypatch.delenv(key)
    for key, value in env_for(world).items():
        if key.startswith("SAFEREPLY_"):
            monkeypatch.setenv(key, value)
    return world


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_the_commands_connect_list_sync_and_disconnect(cli_env, google, tmp_path, capsys):
    world = cli_env
    google.add_review("r1", "Lovely", stars=5)
    creds = credentials_file(tmp_path / "creds.json")
    assert main(["sync"]) == 0
    assert lines(capsys.readouterr().out) == [
        {
            "connection": 1,
            "platform": "google",
            "fetched": 1,
            "new": 1,
            "updated": 0,
            "errors": 0,
            "removed": 0,
        }
    ]
    # A second location Google does not know: its sync fails and the command exits 1.
    args = [
        "connect",
        "google",
        "--practice-id",
        str(world.practice),
        "--location",
        "accounts/111/locations/999",
        "--credentials",
        str(creds),
        "--format",
        "json",
    ]
    assert main(args) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["platform"] == "google" and second["connected"] and "token" not in str(second)
    assert main(["sync", "--practice-id", str(world.practice)]) == 1
    out = lines(capsys.readouterr().out)
    assert [o["errors"] for o in out] == [0, 1] and "404" in out[1]["error"]
    assert main(["connections", "--format", "json"]) == 0
    listed = lines(capsys.readouterr().out)
    assert [c["id"] for c in listed] == [1, 2] and "refresh-1" not in str(listed)
    assert listed[1]["last_error"]
    assert main(["disconnect", "2"]) == 0
    capsys.readouterr()
    assert main(["sync"]) == 0  # a disconnected connection is not polled
    assert [o["connection"] for o in lines(capsys.readouterr().out)] == [1]


def test_bad_connect_input_is_a_clear_usage_error(cli_env, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    base = ["connect", "google", "--practice-id", str(cli_env.practice)]
    assert main([*base, "--location", "accounts/1/locations/2", "--credentials", str(bad)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    good = credentials_file(tmp_path / "c.json")
    assert main([*base, "--location", "places/2", "--credentials", str(good)]) == 2
    assert "accounts/A/locations/B" in capsys.readouterr().err


def test_worker_once_polls_and_publishes_what_is_due(world, google):
    google.add_review("r1", "Lovely", stars=5)
    world.connectors.syncer.sync(world.connection)
    pid = world.approve_acknowledgement("r1")
    google.add_review("r2", "Also lovely", stars=5)
    huey = make_huey(world.settings)
    jobs = Jobs(world.services.inbox, world.services.notifier, world.connectors, huey)
    world.clock.advance(hours=1)  # the connection's next sync time has come
    summary = jobs.run_due()
    assert summary["syncs"][0]["new"] == 1
    assert summary["published"] == [{"post": pid, "status": "published", "retry_after": None}]
    assert json.dumps(summary)  # the command prints it as one JSON line
    assert jobs.run_due()["published"] == []


def test_queued_jobs_run_through_huey_and_a_running_job_is_not_run_twice(world, google):
    google.add_review("r1", "Lovely", stars=5)
    huey = make_huey(world.settings)
    jobs = Jobs(world.services.inbox, world.services.notifier, world.connectors, huey)
    jobs.tick()  # enqueues a poll of the due connection, the sweep, notifications ...
    assert huey.pending_count() >= 4
    with job_lock(huey, f"poll-{world.connection}"):
        assert jobs.poll(world.connection) == {"skipped": f"poll-{world.connection}"}
    assert jobs.run_due()["queued"] >= 4
    assert world.post("r1").platform == "google"


def test_locks_expire_and_are_taken_over_from_a_dead_holder(tmp_path):
    huey = SqliteHuey("locks", filename=str(tmp_path / "q.sqlite3"))
    first = JobLock(huey, "job", ttl=60)
    assert first.acquire()
    assert not JobLock(huey, "job", ttl=60).acquire()  # held by a live process: us
    first.release()
    short = JobLock(huey, "job", ttl=0.01)
    assert short.acquire()
    time.sleep(0.05)
    assert JobLock(huey, "job", ttl=60).acquire()  # expired
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    huey.storage.delete_data("safereply.lock.other")
    held = json.dumps({"owner": f"{os.uname().nodename}:{dead}:x", "until": time.time() + 999})
    huey.storage.put_if_empty("safereply.lock.other", held.encode())
    with job_lock(huey, "other"):  # its holder died: taken over
        assert not JobLock(huey, "other").acquire()
    with pytest.raises(Locked), job_lock(huey, "job"):
        pass


def test_jobs_run_on_redis_when_configured(world, google):
    url = os.environ.get("SAFEREPLY_TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis tests need SAFEREPLY_TEST_REDIS_URL")
    settings = Settings(environment="test", secret_key=SECRET, redis_url=url)
    huey = make_huey(settings)
    huey.storage.name = f"safereply-test-{os.getpid()}"  # our own queue on a shared server
    huey.flush()
    google.add_review("r1", "Lovely", stars=5)
    jobs = Jobs(world.services.inbox, world.services.notifier, world.connectors, huey)
    jobs.tick()
    assert huey.pending_count() >= 4
    with job_lock(huey, "redis-lock", ttl=5):
        assert not JobLock(huey, "redis-lock", ttl=5).acquire()
    jobs.run_due()
    assert world.post("r1").platform == "google"
    huey.flush()


def test_a_worker_killed_between_googles_answer_and_its_commit_never_posts_twice(world, google):
    google.add_review("r1", "Lovely", stars=5)
    world.connectors.syncer.sync(world.connection)
    pid = world.approve_acknowledgement("r1")
    # Google takes the reply; the worker is frozen before it reads the answer, the answer is
    # sent, then the worker is killed: the platform acted, the database never heard.
    kill_worker_after_googles_answer(world, google)
    assert len(google.puts) == 1
    assert world.post("r1").state == "approved"  # rolled back: not published, no reply row
    with world.store.read() as s:
        assert s.scalar(select(func.count()).select_from(PublishedReply)) == 0

    google.on_put = google.after_put = None
    summary = run_worker_once(world)
    assert summary["published"] == [{"post": pid, "status": "published", "retry_after": None}]
    assert len(google.puts) == 1  # read back, found, recorded: never posted twice
    assert world.post("r1").state == "published"
    with world.store.read() as s:
        reply = s.scalar(select(PublishedReply).where(PublishedReply.post_id == pid))
        assert reply.text == google.reviews["r1"]["reviewReply"]["comment"]
        assert (
            s.scalar(
                select(func.count()).where(
                    AuditEvent.action == "reply.publish", AuditEvent.object_id == str(pid)
                )
            )
            == 1
        )


def test_the_worker_runs_until_interrupted_and_polls_at_once(world, google):
    google.add_review("r1", "Lovely", stars=5)
    command = [sys.executable, "-m", "safereply", "worker", "--workers", "2"]
    worker = subprocess.Popen(
        command, env=env_for(world), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and world.post_id("r1") is None:
            time.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGINT)
        _, err = worker.communicate(timeout=60)
    assert world.post_id("r1") is not None, err[-2000:]
    assert worker.returncode == 0, err[-2000:]
    assert "r1" not in err and "Lovely" not in err  # logs carry ids and counts, not text
