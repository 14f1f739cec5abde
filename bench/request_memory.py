"""Objects and memory one web process keeps as it serves (issue 16: no growth per request).

    PYTHONPATH=src python bench/request_memory.py [--database-url URL] [--seed 4000]
        [--requests 3000] [--batch 500] [--per-type 20] [--redis redis://...]

``request_cpu.py``'s request mix and settings (production, request limits in the database or on
Redis), served in this process instead of by ``safereply serve``: ``create_app`` behind
Starlette's TestClient, so the bench can count the interpreter's objects. It seeds the database
as that bench does (``--seed`` posts; a new SQLite file in a temporary directory when no
``--database-url`` is given), signs a member of staff and a manager in, sends every type once to
warm up (models, caches, the pool's connections), then rounds of ``--per-type`` requests of each
type. After every ``--batch`` requests it collects garbage and prints the live objects (client
and server alike: ``gc.get_objects``) and the resident memory; at the end, the growth per 1,000
requests from the first batch to the last. A leak shows as objects growing batch after batch;
the resident memory also follows the allocator and the database's page cache.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

from request_cpu import MANAGER, PASSWORD, STAFF, TYPES, plans, seed, server_env, submit_drafted

from safereply.settings import Settings
from safereply.web import create_app


def rss_mb() -> float:
    """This process's resident memory, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def live_objects() -> int:
    """The objects the garbage collector tracks, after a full collection."""
    gc.collect()
    return len(gc.get_objects())


def sign_in(app, email: str):
    """A TestClient of ``app`` signed in to the API as ``email``, and its CSRF header."""
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url="http://127.0.0.1")
    r = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    if r.status_code != 200:
        raise SystemExit(f"sign-in of {email} refused: {r.status_code} {r.text[:300]}")
    return client, {"X-CSRF-Token": r.json()["csrf_token"]}


class Meter:
    """Counts requests and prints objects and memory after every batch of them."""

    def __init__(self, batch: int) -> None:
        self.batch = batch
        self.sent = 0
        self.errors = 0
        self.started = time.perf_counter()
        self.points: list[tuple[int, int, float]] = []

    def record(self, status: int) -> None:
        self.sent += 1
        self.errors += status >= 400 and status != 409
        if self.sent % self.batch == 0:
            point = (self.sent, live_objects(), rss_mb())
            self.points.append(point)
            elapsed = time.perf_counter() - self.started
            print(f"{self.sent:>7} requests {point[1]:>10,} objects {point[2]:>8.1f} MB", end="")
            print(f"  {elapsed:.0f} s", flush=True)

    def report(self) -> None:
        if len(self.points) < 2:
            print("too few batches to measure growth: send more --requests")
            return
        (n0, o0, m0), (n1, o1, m1) = self.points[0], self.points[-1]
        per = 1000 / (n1 - n0)
        print(
            f"growth from request {n0:,} to {n1:,}: {(o1 - o0) * per:+,.0f} objects and "
            f"{(m1 - m0) * per:+.2f} MB per 1,000 requests ({self.errors} errors)"
        )


def serve(args: argparse.Namespace) -> Meter:
    """Build the app, warm it up, send the mix until ``--requests``; return the meter."""
    os.environ.update(server_env(args))
    app = create_app(Settings())
    meter = Meter(args.batch)
    staff, manager = sign_in(app, STAFF), sign_in(app, MANAGER)
    with staff[0], manager[0]:
        pid = int(next(iter(staff[0].get("/api/v1/auth/me").json()["user"]["roles"])))
        todo = plans(staff, manager, pid, args.per_type)
        for name in TYPES:  # warm up: models, caches, the pool's connections
            for call in todo[name]()[:1]:
                call()
        print(f"warmed up: {live_objects():,} objects, {rss_mb():.1f} MB", flush=True)
        while meter.sent < args.requests:
            for name in TYPES:
                for call in todo[name]():
                    meter.record(call().status_code)
                if name == "draft":
                    submit_drafted(staff[0], staff[1], pid, args.per_type)
    return meter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a new SQLite file, seeded here")
    parser.add_argument("--redis", help="request limits and sign-in limiter on this Redis")
    parser.add_argument("--seed", type=int, default=4000, help="posts to fill an empty database")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--per-type", type=int, default=20, help="requests of each type a round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.database_url:
            args.database_url = f"sqlite:///{Path(tmp) / 'memory.sqlite3'}"
        if args.seed:
            started = time.perf_counter()
            seed(args.database_url, args.seed)
            took = time.perf_counter() - started
            print(f"seeded {args.seed:,} posts in {took:.0f} s", flush=True)
        serve(args).report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
