"""How fast the insights answer on a large practice: prints p50/p95 per page and the query plans.

    PYTHONPATH=src python bench/insights_bench.py [--posts 100000] [--runs 20] [--postgres URL]
        [--explain]

One practice gets ``--posts`` invented posts spread evenly over the last 24 months (three
locations, topics, triage, and a recorded reply for 85% of them), a second practice gets as many
again (so a query that strays outside its practice shows), and the first practice records six
improvements. Rows are written straight into the tables (this measures the reads, not triage).
The pages run in-process through the ASGI test client, first as they run when nothing changed
(the months whose posts did not change since they were last counted are remembered), then with
one post of the current month changed before each request (the usual case: new posts and answers
arrive all day), then with every month counted afresh before each request. ``--explain`` prints
the plan of every query one insights page makes from scratch (SQLite: EXPLAIN QUERY PLAN;
PostgreSQL: EXPLAIN ANALYZE). Besides p50 and p95 of the time to answer, the median CPU time of
this process per request (on SQLite the database works in it; PostgreSQL's work is not counted):
the time the page would take on an idle machine, whatever else the machine is running.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import event, insert, select, update

from safereply.core.practice import Practice as Profile
from safereply.services import SYSTEM, build_services
from safereply.services.insights import InsightsService, forget_counted_months
from safereply.settings import Settings
from safereply.store import Store, upgrade
from safereply.store.models import (
    Draft,
    Improvement,
    Post,
    PostTopic,
    PublishedReply,
    TriageRecord,
)

TOPICS = ["wait-time", "billing", "staff-courtesy", "facility", "scheduling", "clinical-care"]
KINDS = ["complaint"] * 3 + ["praise"] * 4 + ["question", "other"]
NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def _seed(store: Store, args: argparse.Namespace) -> tuple[Any, int]:
    settings = Settings(environment="test", secret_key="b" * 40, sweep_interval=0)
    services = build_services(
        store,
        settings,
        clock=lambda: NOW,
        password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    pids = []
    locations: dict[int, list[int]] = {}
    for name in ("Bench Dental", "Other Dental"):
        practice = services.practices.create_practice(
            SYSTEM,
            Profile(name=name, phone="(555) 010-2000"),
            locations=("North", "South", "West"),
        )
        pids.append(practice["id"])
        locations[practice["id"]] = [loc["id"] for loc in practice["locations"]]
    services.users.create_user(
        SYSTEM,
        email="bench@example.test",
        password="unrelated long passphrase",
        practice_id=pids[0],
        role="admin",
    )
    rng = random.Random(7)
    span = dt.timedelta(days=730).total_seconds()
    post_id = draft_id = 0
    start = time.perf_counter()
    for pid in pids:
        for chunk in range(0, args.posts, 5000):
            posts, topics, triage, drafts, replies = [], [], [], [], []
            for n in range(chunk, min(chunk + 5000, args.posts)):
                post_id += 1
                received = NOW - dt.timedelta(seconds=span * (1 - n / args.posts))
                kind = rng.choice(KINDS)
                answered = rng.random() < 0.85
                posts.append(
                    {
                        "id": post_id,
                        "practice_id": pid,
                        "location_id": rng.choice(locations[pid]),
                        "platform": "google",
                        "external_id": f"{pid}-{n}",
                        "text": "Invented post about the visit and the front desk.",
                        "rating": float(rng.randint(1, 5)) if rng.random() < 0.8 else None,
                        "received_at": received,
                        "updated_at": received,
                        "state": "marked_replied" if answered else rng.choice(["new", "dismissed"]),
                        "kind": kind,
                        "priority": "normal",
                        "due_at": received + dt.timedelta(days=1),
                        "version": 1,
                    }
                )
                for topic in rng.sample(TOPICS, rng.randint(0, 2)):
                    topics.append({"post_id": post_id, "topic": topic, "practice_id": pid})
                triage.append(
                    {
                        "post_id": post_id,
                        "kind": kind,
                        "sentiment": rng.uniform(-1, 1),
                        "discloses_health": False,
                        "priority": "normal",
                        "topics": [],
                        "reasons": [],
                        "created_at": received,
                    }
                )
                if answered:
                    draft_id += 1
                    at = received + dt.timedelta(hours=rng.expovariate(1 / 20))
                    drafts.append(
                        {
                            "id": draft_id,
                            "post_id": post_id,
                            "number": 1,
                            "text": "Thank you.",
                            "source": "manual",
                            "verdict": "pass",
                            "report": {},
                            "created_at": at,
                        }
                    )
                    replies.append(
                        {
                            "post_id": post_id,
                            "draft_id": draft_id,
                            "text": "Thank you.",
                            "method": "manual",
                            "platform": "google",
                            "published_at": at,
                        }
                    )
            with store.write() as session:
                for model, rows in (
                    (Post, posts),
                    (PostTopic, topics),
                    (TriageRecord, triage),
                    (Draft, drafts),
                    (PublishedReply, replies),
                ):
                    if rows:
                        session.execute(insert(model), rows)
    with store.write() as session:
        for i, topic in enumerate(TOPICS):
            session.add(
                Improvement(
                    practice_id=pids[0],
                    topic=topic,
                    text=f"change {i}",
                    since=(NOW - dt.timedelta(days=40 + 60 * i)).date(),
                )
            )
    if store.dialect == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    print(f"seeded {2 * args.posts:,} posts in {time.perf_counter() - start:.1f} s")
    return services, pids[0]


def _time(
    client: TestClient,
    path: str,
    runs: int,
    *,
    cold: Store | None = None,
    churn: tuple[Store, list[int]] | None = None,
) -> tuple[float, float, float]:
    client.get(path)
    samples = []
    cpu = []
    for n in range(runs):
        if cold is not None:  # every month counted again, as after a change to each of them
            forget_counted_months(cold)
        if churn is not None:  # one post of this month changed since the last view
            store, ids = churn
            with store.engine.begin() as conn:
                conn.execute(
                    update(Post)
                    .where(Post.id == ids[n % len(ids)])
                    .values(version=Post.version + 1)
                )
        begin, begin_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        samples.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
    samples.sort()
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    return statistics.median(samples), p95, statistics.median(cpu)


def _explain(store: Store, services: Any, pid: int) -> None:
    captured: list[tuple[str, Any]] = []

    def grab(_conn, _cursor, statement, parameters, _context, _many):
        captured.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", grab)
    forget_counted_months(store)
    try:
        InsightsService.of(services).practice(SYSTEM, pid)
    finally:
        event.remove(store.engine, "before_cursor_execute", grab)
    postgres = store.dialect == "postgresql"
    prefix = "EXPLAIN (ANALYZE, COSTS OFF)" if postgres else "EXPLAIN QUERY PLAN"
    with store.engine.connect() as conn:
        for statement, parameters in captured:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            print("--", " ".join(statement.split())[:160])
            rows = conn.exec_driver_sql(f"{prefix} {statement}", parameters).all()
            for row in rows:
                print("   ", row[-1] if store.dialect == "sqlite" else row[0])


def _measure(store: Store, args: argparse.Namespace, backend: str) -> None:
    from safereply.web import create_app

    services, pid = _seed(store, args)
    client = TestClient(create_app(services=services))
    token = re.search(r'name="login_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post(
        "/login",
        data={
            "email": "bench@example.test",
            "password": "unrelated long passphrase",
            "login_token": token,
        },
    )
    print(f"{backend}: {args.posts:,} posts in the measured practice over 24 months")
    print(f"{'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8}")
    pages = [
        ("dashboard (90 days + 12 months)", f"/p/{pid}/dashboard"),
        ("insights, 12 months", f"/p/{pid}/insights"),
        ("insights, 24 months", f"/p/{pid}/insights?from=2024-12&to=2026-11"),
        ("insights, 12 months, one location", f"/p/{pid}/insights?location=1"),
        ("insights API, 12 months", f"/api/v1/practices/{pid}/insights"),
        ("trend API (the dashboard's part)", f"/api/v1/practices/{pid}/insights/trend"),
        ("monthly report", f"/p/{pid}/reports/monthly"),
        ("agency view (one practice, 12 months)", "/agency"),
    ]
    for label, path in pages:
        p50, p95, cpu = _time(client, path, args.runs)
        print(f"{label:<44} {p50:>8.1f} {p95:>8.1f} {cpu:>8.1f}")
    with store.engine.connect() as conn:
        recent = list(
            conn.scalars(
                select(Post.id)
                .where(Post.practice_id == pid, Post.received_at >= NOW.replace(day=1))
                .limit(100)
            )
        )
    print("one post of the current month changed before each request:")
    for label, path in pages:
        p50, p95, cpu = _time(client, path, args.runs, churn=(store, recent))
        print(f"{label:<44} {p50:>8.1f} {p95:>8.1f} {cpu:>8.1f}")
    print("every month counted afresh (no month remembered):")
    for label, path in pages:
        p50, p95, cpu = _time(client, path, args.runs, cold=store)
        print(f"{label:<44} {p50:>8.1f} {p95:>8.1f} {cpu:>8.1f}")
    if args.explain:
        _explain(store, services, pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres", metavar="URL", help="also measure on this server")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
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
