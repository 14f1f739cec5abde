"""What the request rate limits cost per request, and whether they hold up under concurrency.

Prints, per counter (SQLite file always; PostgreSQL and Redis with their URLs):

1. one ``RequestLimiter.check`` of a signed-in request (two keys: the user's and the address's,
   one upsert): median and p95 in milliseconds, over users and addresses spread like a busy
   practice group (200 users, 50 addresses);
2. the same from ``--threads`` threads at once (SQLite serialises the writes: this is where a
   bottleneck would show), with the checks per second the counter sustained;
3. a real API read through the whole app (``GET /api/v1/auth/me`` with a token, TestClient),
   limits off and on, and the difference: the latency the control adds to a request.

    PYTHONPATH=src python bench/rate_limit_bench.py [-n 2000] [--threads 8]
        [--postgres postgresql+psycopg://...] [--redis redis://127.0.0.1:6379/0]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from safereply.core.practice import Practice as Profile
from safereply.services import SYSTEM, build_services
from safereply.services.actor import Actor
from safereply.services.request_limits import (
    Budgets,
    DatabaseCounter,
    RedisCounter,
    RequestLimiter,
)
from safereply.settings import Settings
from safereply.store import Store, upgrade
from safereply.store.testing import temporary_postgres

HIGH = Budgets(10**9, 10**9, 10**9, 10**9)  # never refuse: the bench measures the counting


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def _timed(fn: Callable[[int], object], n: int) -> tuple[float, float]:
    """Return (median, p95) milliseconds of ``fn(i)`` over ``n`` runs."""
    times = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    return _percentiles(times)


def _check(limiter: RequestLimiter) -> Callable[[int], object]:
    return lambda i: limiter.check(
        user_id=i % 200, address=f"198.51.100.{i % 50}", write=i % 5 == 0
    )


def _concurrent(limiter: RequestLimiter, n: int, threads: int) -> tuple[float, float, float]:
    """Run ``n`` checks from ``threads`` threads; return (median ms, p95 ms, checks per second)."""
    times: list[float] = []
    lock = threading.Lock()
    check = _check(limiter)

    def work(offset: int) -> None:
        mine = []
        for i in range(offset, n, threads):
            start = time.perf_counter()
            check(i)
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            times.extend(mine)

    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    median, p95 = _percentiles(times)
    return median, p95, n / elapsed


def _through_app(store: Store, mode: str, redis_url: str, n: int) -> tuple[float, float]:
    """Median and p95 ms of ``GET /api/v1/auth/me`` with a token, limits ``mode``."""
    from fastapi.testclient import TestClient

    from safereply.web import create_app

    settings = Settings(
        environment="test",
        secret_key="b" * 40,
        sweep_interval=0,
        request_limits=mode,
        redis_url=redis_url if mode == "redis" else "",
        request_limit_user_reads=10**9,
        request_limit_address_reads=10**9,
    )
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    services = build_services(store, settings, password_hasher=hasher)
    practice = services.practices.create_practice(
        SYSTEM, Profile(name=f"Bench {uuid.uuid4().hex[:6]}", phone="(555) 201-3300")
    )
    email = f"bench-{uuid.uuid4().hex[:8]}@example.test"
    user = services.users.create_user(
        SYSTEM, email=email, password="correct horse battery", practice_id=practice["id"]
    )
    token = services.users.create_token(Actor(user["id"], email), name="bench")["token"]
    client = TestClient(create_app(services=services), client=("198.51.100.1", 40000))
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(20):  # warm up
        client.get("/api/v1/auth/me", headers=headers)
    return _timed(lambda _i: client.get("/api/v1/auth/me", headers=headers), n)


@contextmanager
def _stores(args: argparse.Namespace) -> Iterator[list[tuple[str, Store, str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = Store.from_url(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        upgrade(sqlite)
        out: list[tuple[str, Store, str]] = [("sqlite", sqlite, "database")]
        if not args.postgres:
            yield out + ([("redis", sqlite, "redis")] if args.redis else [])
            return
        with temporary_postgres(args.postgres, prefix="safereply_ratebench") as pg:
            out.append(("postgresql", pg, "database"))
            yield out + ([("redis", sqlite, "redis")] if args.redis else [])


def _row(name: str, values: list[Any]) -> str:
    return f"{name:<44}" + "".join(f"{v:>14}" for v in values)


def main() -> None:
    """Print the figures, one column per counter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="checks or requests per figure")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--redis", default="")
    args = parser.parse_args()
    with _stores(args) as stores:
        columns: dict[str, list[Any]] = {}
        for name, store, mode in stores:
            backend: Any = DatabaseCounter(store)
            if mode == "redis":
                backend = RedisCounter(args.redis, prefix=f"ratebench:{uuid.uuid4().hex[:6]}:")
            limiter = RequestLimiter(backend, HIGH)
            one = _timed(_check(limiter), args.n)
            many = _concurrent(limiter, args.n, args.threads)
            off = _through_app(store, "off", args.redis, args.n // 2)
            on = _through_app(store, mode, args.redis, args.n // 2)
            columns[name] = [
                f"{one[0]:.3f}",
                f"{one[1]:.3f}",
                f"{many[0]:.3f}",
                f"{many[1]:.3f}",
                f"{many[2]:,.0f}",
                f"{off[0]:.2f}",
                f"{off[1]:.2f}",
                f"{on[0]:.2f}",
                f"{on[1]:.2f}",
                f"{on[0] - off[0]:+.2f}",
                f"{on[1] - off[1]:+.2f}",
            ]
    labels = [
        "check, 1 thread: median ms",
        "check, 1 thread: p95 ms",
        f"check, {args.threads} threads: median ms",
        f"check, {args.threads} threads: p95 ms",
        f"checks/s with {args.threads} threads",
        "API read, limits off: median ms",
        "API read, limits off: p95 ms",
        "API read, limits on: median ms",
        "API read, limits on: p95 ms",
        "added per request: median ms",
        "added per request: p95 ms",
    ]
    print(f"n={args.n} per figure (API reads: n/2); 200 users over 50 addresses")
    print(_row("", list(columns)))
    for i, label in enumerate(labels):
        print(_row(label, [values[i] for values in columns.values()]))


if __name__ == "__main__":
    main()
