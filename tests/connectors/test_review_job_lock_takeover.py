"""Taking over a stale job lock deletes that stale value only (review defect 8).

Two workers that both find the same expired lock used to delete it and put their own: the second
deleted the first one's fresh lock, and both ran the job. The delete now compares the value in
one step (SQL ``DELETE ... WHERE value = ?`` on SQLite, a Lua script on Redis).
"""

from __future__ import annotations

import json
import os
import time
import uuid

import pytest
from huey import RedisHuey, SqliteHuey

from safereply.jobs.locks import JobLock, delete_if


def _huey(kind: str, tmp_path):
    if kind == "sqlite":
        return SqliteHuey("locks", filename=str(tmp_path / "q.sqlite3"))
    url = os.environ.get("SAFEREPLY_TEST_REDIS_URL")
    if not url:
        pytest.skip("SAFEREPLY_TEST_REDIS_URL is not set")
    return RedisHuey(f"review-locks-{uuid.uuid4().hex[:8]}", url=url)


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_two_workers_taking_over_one_stale_lock_do_not_both_hold_it(kind, tmp_path):
    huey = _huey(kind, tmp_path)
    stale = json.dumps({"owner": "gone-host:1:x", "until": time.time() - 5}).encode()
    assert huey.storage.put_if_empty("safereply.lock.poll", stale)
    first, second = JobLock(huey, "poll"), JobLock(huey, "poll")
    first._raw = lambda: stale  # type: ignore[method-assign]  # it read the stale value ...
    assert second.acquire()  # ... and the other worker took the lock over meanwhile
    assert not first.acquire()  # so the first one must not delete the other's lock
    assert json.loads(bytes(huey.storage.peek_data("safereply.lock.poll")))["owner"] == (
        second.token
    )
    second.release()
    assert first.acquire()
    first.release()
    if kind == "redis":
        huey.storage.flush_results()


def test_delete_if_leaves_another_value(tmp_path):
    huey = _huey("sqlite", tmp_path)
    huey.storage.put_data("k", b"theirs")
    assert not delete_if(huey.storage, "k", b"mine")
    assert bytes(huey.storage.peek_data("k")) == b"theirs"
    assert delete_if(huey.storage, "k", b"theirs")
