"""What the sign-in controls cost: the database-backed limiter and the idle-session check.

Prints, for SQLite (a file) and, with --postgres URL, PostgreSQL side by side: the time of one
limiter check (a read of the keys), one failure counted (one write transaction over three keys,
with the purge), one full failed sign-in through ``AuthService.sign_in`` (limiter, password
check with argon2's default parameters, failure), and one ``resolve_session`` of a session used
within the minute (a read only: the last use is written at most once a minute).

    PYTHONPATH=src python bench/auth_bench.py [--postgres postgresql+psycopg://...] [-n 300]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from safereply.services import SYSTEM, build_services
from safereply.services.auth import Attempt
from safereply.settings import Settings
from safereply.store import Store, upgrade
from safereply.store.testing import temporary_postgres


def _timed(fn: Callable[[int], object], n: int) -> tuple[float, float]:
    """Return (median, p95) milliseconds of ``fn(i)`` over ``n`` runs."""
    times = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


@contextmanager
def _store(kind: str, url: str | None) -> Iterator[Store]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            store = Store.from_url(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
            upgrade(store)
            try:
                yield store
            finally:
                store.dispose()
    else:
        with temporary_postgres(url or "", prefix="safereply_authbench") as store:
            yield store


def measure(store: Store, n: int) -> dict[str, tuple[float, float]]:
    """Return the figures for one database."""
    services = build_services(store, Settings(environment="test", secret_key="b" * 40))
    services.users.create_user(SYSTEM, email="bench@example.test", password="plum orchard lantern")
    auth, users = services.auth, services.users
    limiter = auth.limiter
    out = {
        "limiter check (read)": _timed(
            lambda i: limiter.retry_after(f"src:198.51.{i % 250}.1", "acct:x"), n
        ),
        "failure counted (write)": _timed(
            lambda i: limiter.failed(f"src:203.0.{i % 250}.{i // 250}", "acct:a", "dev:b"), n
        ),
        "failed sign-in, whole": _timed(
            lambda i: auth.sign_in(
                Attempt(
                    source=f"192.0.{i % 250}.{i // 250}",
                    email="bench@example.test",
                    password="wrong password!",
                )
            ),
            max(20, n // 10),
        ),
    }
    actor = users.actor_for(users.find_by_email("bench@example.test")["id"])
    cookie, _ = users.start_session(actor, max_age=3600)
    out["session check (read)"] = _timed(lambda _i: users.resolve_session(cookie), n)
    return out


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL server URL (a database is created)")
    parser.add_argument("-n", type=int, default=300, help="runs per figure (default 300)")
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    results = {}
    for kind in kinds:
        with _store(kind, args.postgres) as store:
            results[kind] = measure(store, args.n)
    print(f"{'ms (median / p95)':32}" + "".join(f"{k:>22}" for k in kinds))
    for name in results["sqlite"]:
        cells = "".join(
            f"{results[k][name][0]:>12.2f} / {results[k][name][1]:>7.2f}" for k in kinds
        )
        print(f"{name:32}{cells}")


if __name__ == "__main__":
    main()
