"""How fast the HTML pages answer on a full inbox: prints p50/p95 per page.

    PYTHONPATH=src python bench/web_pages.py [--posts 20000] [--runs 40] [--postgres URL]

Posts are invented and triaged by a cheap stand-in (this measures the pages, not triage); replies
are linted by the real linter. Runs in-process through the ASGI test client, on a temporary SQLite
file, so the figures are server time plus a little client overhead, without a network. With
``--postgres URL`` the same pages are then measured on a throw-away database on that server.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import true, update

from safereply.core.practice import Practice as Profile
from safereply.services import SYSTEM, Analysers, NewPost, build_services
from safereply.settings import Settings
from safereply.store import Store, upgrade
from safereply.store.models import Post

TOPICS = ["wait-time", "billing", "staff-courtesy", "facility", "scheduling", "clinical-care"]
KINDS = ["complaint", "praise", "question", "other"]


@dataclass
class _Triage:
    kind: str
    topics: list[str]
    priority: str

    def to_dict(self, id: Any = None) -> dict[str, Any]:
        return {
            "id": id,
            "kind": self.kind,
            "topics": self.topics,
            "sentiment": -0.4,
            "discloses_health": False,
            "priority": self.priority,
            "reasons": ["bench"],
        }


def _triage(text: str, platform: str | None = None, rating: float | None = None) -> _Triage:
    rng = random.Random(text)
    kind = rng.choice(KINDS)
    priority = "urgent" if rng.random() < 0.01 else rng.choice(["high", "normal", "low"])
    return _Triage(kind, rng.sample(TOPICS, rng.randint(0, 2)), priority)


def _time(client: TestClient, path: str, runs: int) -> tuple[float, float]:
    client.get(path)  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def _seed(store: Store, args: argparse.Namespace) -> tuple[Any, int, float]:
    """Fill a migrated database: one practice, its admin, ``--posts`` posts, most answered."""
    settings = Settings(environment="test", secret_key="b" * 40, sweep_interval=0)
    services = build_services(
        store,
        settings,
        analysers=Analysers(triage=_triage),
        password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    pid = services.practices.create_practice(
        SYSTEM, Profile(name="Bench Dental", phone="(555) 010-2000"), locations=("North", "South")
    )["id"]
    services.users.create_user(
        SYSTEM, email="bench@example.test", password="bench-password", practice_id=pid, role="admin"
    )
    start = time.perf_counter()
    platforms = ["google", "facebook", "yelp", "healthgrades"]
    batch = []
    for n in range(args.posts):
        batch.append(
            NewPost(
                platform=platforms[n % 4],
                external_id=str(n),
                text=f"Invented post number {n} about the visit and the front desk.",
                rating=float(1 + n % 5),
                location=("North", "South")[n % 2],
            )
        )
        if len(batch) == 1000:
            services.inbox.receive_many(SYSTEM, pid, batch)
            batch = []
    if batch:
        services.inbox.receive_many(SYSTEM, pid, batch)
    seeded = time.perf_counter() - start
    # Most posts of a real inbox were answered long ago: close all but the --open share.
    keep_every = max(1, round(1 / args.open)) if args.open > 0 else 0
    if keep_every != 1:
        answered = Post.id % keep_every != 0 if keep_every else true()
        with store.engine.begin() as conn:
            conn.execute(update(Post).where(answered).values(state="marked_replied"))
    if store.dialect == "postgresql":
        # Fresh statistics and visibility map, as autovacuum leaves them after a bulk load.
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return services, pid, seeded


def _measure(store: Store, args: argparse.Namespace, backend: str) -> None:
    from safereply.web import create_app

    services, pid, seeded = _seed(store, args)
    client = TestClient(create_app(services=services))
    token = re.search(r'name="login_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post(
        "/login",
        data={"email": "bench@example.test", "password": "bench-password", "login_token": token},
    )
    waiting = sum(
        n
        for state, n in services.inbox.counts(SYSTEM, pid)["states"].items()
        if state not in ("published", "marked_replied", "dismissed")
    )
    print(
        f"{args.posts:,} posts seeded in {seeded:.1f} s ({backend}, stand-in triage); "
        f"{waiting:,} still waiting for an answer"
    )
    print(f"{'page':<34} {'p50 ms':>8} {'p95 ms':>8}")
    last = max(1, -(-args.posts // 50))
    for label, path in [
        ("inbox (unanswered, page 1)", f"/p/{pid}/inbox"),
        ("inbox filtered (topic+platform)", f"/p/{pid}/inbox?topic=billing&platform=yelp"),
        ("inbox, all posts, page 50", f"/p/{pid}/inbox?view=all&page=50"),
        ("inbox, all posts, last page", f"/p/{pid}/inbox?view=all&page={last}"),
        ("inbox, closed, page 50", f"/p/{pid}/inbox?view=closed&page=50"),
        ("inbox, all posts, urgent, page 2", f"/p/{pid}/inbox?view=all&urgent=1&page=2"),
        ("post page (lint + suggestion)", "/posts/1"),
        ("dashboard (90 days, chart)", f"/p/{pid}/dashboard"),
        ("audit log (newest first)", f"/p/{pid}/audit"),
    ]:
        p50, p95 = _time(client, path, args.runs)
        print(f"{label:<34} {p50:>8.1f} {p95:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--open",
        type=float,
        default=0.025,
        help="share of posts still waiting for an answer (the rest were answered); 1 = all",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also measure on a throw-away database on this PostgreSQL server",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="safereply-bench-"))
    store = Store.from_url(f"sqlite:///{workdir / 'bench.sqlite3'}")
    upgrade(store)
    _measure(store, args, "SQLite")
    store.dispose()
    if args.postgres:
        from safereply.store.testing import temporary_postgres

        print()
        with temporary_postgres(args.postgres, prefix="safereply_bench") as pg:
            _measure(pg, args, "PostgreSQL")


if __name__ == "__main__":
    main()
