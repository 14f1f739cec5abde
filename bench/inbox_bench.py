"""Inbox service benchmark: import with triage (posts/s) and the inbox list API (p50/p95 ms).

Prints, for SQLite and (when a server is given) PostgreSQL side by side:

* import: posts per second through ``import_posts`` (JSONL parsing, the real triage of every
  post, the database writes and the audit entries), on ``--import-posts`` fresh posts;
* list: latency of ``GET /api/v1/practices/{id}/posts`` through the whole FastAPI stack
  (in-process client: authentication, query, serialisation), with ``--posts`` posts in one
  practice, for the default inbox and each filter.

Post texts are real reviews and survey comments from ../shared/data (read in place, never copied),
each given a unique id. To reach 100,000 posts quickly the database is filled through the same
``receive_many`` path with triage results cached per distinct text (the import figure above is
measured without that cache); 90% of posts are then closed, as in a practice that keeps up.

    PYTHONPATH=src python bench/inbox_bench.py                  # SQLite, 100,000 posts
    PYTHONPATH=src python bench/inbox_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PASSWORD = "bench password 123"


def load_texts() -> list[tuple[str, float | None]]:
    """Return (text, rating) pairs from the shared data, in a fixed order."""
    out: list[tuple[str, float | None]] = []
    for name, rating_key in (
        ("provider_reviews.jsonl", "rating"),
        ("nhs_fft_multilabel.jsonl", None),
    ):
        path = DATA / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = (row.get("text") or "").strip()
            if len(text) >= 10:
                out.append((text, row.get(rating_key) if rating_key else None))
    if not out:
        sys.exit(f"no data in {DATA}; the benchmark reads the shared real posts")
    return out


def jsonl(texts, start: int, count: int) -> bytes:
    platforms = ("google", "facebook", "yelp", "healthgrades")
    lines = []
    for i in range(start, start + count):
        text, rating = texts[i % len(texts)]
        row = {"id": f"b{i}", "text": text, "platform": platforms[i % 4]}
        if rating is not None:
            row["rating"] = rating
        lines.append(json.dumps(row))
    return "\n".join(lines).encode()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_backend(name: str, store, texts, total: int, import_posts_n: int, requests: int) -> dict:
    from argon2 import PasswordHasher
    from fastapi.testclient import TestClient
    from sqlalchemy import text as sql

    import safereply
    from safereply.core.practice import Practice
    from safereply.services import SYSTEM, Analysers, build_services
    from safereply.services.importer import import_posts
    from safereply.settings import Settings
    from safereply.web import create_app

    settings = Settings(environment="test", secret_key="b" * 40, sweep_interval=0)
    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    services = build_services(store, settings, password_hasher=fast)
    practice = services.practices.create_practice(
        SYSTEM, Practice(name="Bench Dental", phone="(555) 010-2000")
    )["id"]
    services.users.create_user(
        SYSTEM, email="bench@example.test", password=PASSWORD, practice_id=practice, role="staff"
    )
    result: dict = {"backend": name}

    # 1. Import with the real triage, fresh posts: in this process, then with 2 triage workers.
    half = import_posts_n // 2
    for key, start, workers in (("import_posts_per_s", 0, 1), ("import_2_workers", half, 2)):
        data = jsonl(texts, start, half)
        started = time.perf_counter()
        report = import_posts(
            services.inbox, SYSTEM, practice, data, name="bench.jsonl", workers=workers
        )
        elapsed = time.perf_counter() - started
        assert report.created == half, report.to_dict()
        result[key] = half / elapsed

    # 2. Fill to `total` with cached triage (same write path), then close 90%.
    cached = functools.lru_cache(maxsize=None)(
        lambda t, platform, rating: safereply.triage(t, platform=platform, rating=rating)
    )
    filler = build_services(
        store,
        settings,
        analysers=Analysers(
            triage=lambda t, platform=None, rating=None: cached(t, platform, rating)
        ),
    )
    done = import_posts_n
    fill_started = time.perf_counter()
    while done < total:
        batch = min(5000, total - done)
        import_posts(filler.inbox, SYSTEM, practice, jsonl(texts, done, batch), name="f.jsonl")
        done += batch
    result["fill_seconds"] = time.perf_counter() - fill_started
    with store.engine.begin() as conn:
        conn.execute(
            sql(
                "UPDATE posts SET state = 'marked_replied', version = version + 1 "
                "WHERE practice_id = :p AND id % 10 <> 0 AND state = 'new'"
            ),
            {"p": practice},
        )
        if store.dialect == "sqlite":
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE posts")
            conn.exec_driver_sql("ANALYZE post_topics")

    # 3. The inbox list API.
    app = create_app(services=services)
    client = TestClient(app)
    client.post("/api/v1/auth/login", json={"email": "bench@example.test", "password": PASSWORD})
    base = f"/api/v1/practices/{practice}/posts"
    first = client.get(base, params={"state": "open"}).json()
    queries = {
        "open inbox": {"state": "open"},
        "all posts": {},
        "complaints": {"state": "open", "kind": "complaint"},
        "topic wait-time": {"state": "open", "topic": "wait-time"},
        "platform yelp": {"platform": "yelp"},
        "overdue": {"overdue": "true"},
        "page 2": {"state": "open", "cursor": first["next_cursor"]},
    }
    latencies: dict[str, list[float]] = {}
    for label, params in queries.items():
        client.get(base, params=params)  # warm the caches
        times = []
        for _ in range(requests):
            t0 = time.perf_counter()
            response = client.get(base, params=params)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.text
        latencies[label] = times
    everything = [t for times in latencies.values() for t in times]
    result["list"] = {
        label: (statistics.median(t), percentile(t, 0.95)) for label, t in latencies.items()
    }
    result["list_p95_all"] = percentile(everything, 0.95)
    with store.read() as session:
        result["posts"] = session.execute(sql("SELECT count(*) FROM posts")).scalar()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100_000, help="posts in the inbox")
    parser.add_argument(
        "--import-posts", type=int, default=4000, help="fresh posts for the import rates (split)"
    )
    parser.add_argument("--requests", type=int, default=100, help="requests per list query")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("SAFEREPLY_TEST_POSTGRES_URL"),
        help="PostgreSQL server URL (default: $SAFEREPLY_TEST_POSTGRES_URL); omitted: SQLite only",
    )
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)  # escalation warnings would flood the output
    from safereply.store import Store, upgrade
    from safereply.store.testing import temporary_postgres

    texts = load_texts()
    print(f"{len(texts):,} distinct real post texts; {args.posts:,} posts per backend", flush=True)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.from_url(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        upgrade(store)
        results.append(
            run_backend("sqlite", store, texts, args.posts, args.import_posts, args.requests)
        )
        store.dispose()
    if args.postgres:
        with temporary_postgres(args.postgres, prefix="safereply_bench") as store:
            results.append(
                run_backend(
                    "postgresql", store, texts, args.posts, args.import_posts, args.requests
                )
            )
    else:
        print("PostgreSQL: skipped (give --postgres URL or set SAFEREPLY_TEST_POSTGRES_URL)")

    names = [r["backend"] for r in results]
    print()
    print(f"{'':34}" + "".join(f"{n:>22}" for n in names))
    print(f"{'posts in the inbox':34}" + "".join(f"{r['posts']:>22,}" for r in results))
    print(
        f"{'import with triage (posts/s)':34}"
        + "".join(f"{r['import_posts_per_s']:>22.0f}" for r in results)
    )
    print(
        f"{'  same, 2 triage workers':34}"
        + "".join(f"{r['import_2_workers']:>22.0f}" for r in results)
    )
    print(f"{'list API, ms (median / p95)':34}")
    for label in results[0]["list"]:
        cells = "".join(
            f"{r['list'][label][0]:>13.1f} / {r['list'][label][1]:>6.1f}" for r in results
        )
        print(f"  {label:32}{cells}")
    print(
        f"{'list API p95, all queries (ms)':34}"
        + "".join(f"{r['list_p95_all']:>22.1f}" for r in results)
    )
    print()
    ok = all(
        r["list_p95_all"] <= 100 and max(r["import_posts_per_s"], r["import_2_workers"]) >= 200
        for r in results
    )
    print("targets (p95 <= 100 ms, import >= 200 posts/s):", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
