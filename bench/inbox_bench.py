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

``--import-only ROUNDS`` measures import alone, in the CPU time it costs as well as posts/s, which
a shared machine distorts far less: ROUNDS times, one import of ``--import-posts`` fresh posts
with 1 triage process, then one with ``--processes`` (4), through one set of services (so a
triage pool that outlives an import is reused, as in a server). Per post it prints the importing
process's CPU, its triage processes' CPU and (PostgreSQL on this machine) the database backends'
CPU, read from ``/proc``, and projects posts/s on free cores from them:

    PYTHONPATH=src python bench/inbox_bench.py --import-only 3 --import-posts 2000 --postgres URL
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


# -- import alone, in CPU time (--import-only) ---------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) a live process has used, from /proc; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def live_children(pid: int) -> list[int]:
    """Every live descendant of a process (a triage pool's workers that outlive an import)."""
    out, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                kids = [int(k) for k in (task / "children").read_text().split()]
            except OSError:
                continue
            out.extend(kids)
            todo.extend(kids)
    return out


class CpuMeter:
    """CPU seconds of this process, of its triage processes (live or reaped), and of the
    PostgreSQL backends serving its database (when the server runs on this machine)."""

    def __init__(self, store) -> None:
        self.store = store

    def backends(self) -> list[int]:
        if self.store.dialect != "postgresql":
            return []
        from sqlalchemy import text as sql

        with self.store.engine.connect() as conn:
            return list(
                conn.execute(
                    sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
                ).scalars()
            )

    def read(self, backends: list[int]) -> tuple[float, float, float]:
        import resource

        me = resource.getrusage(resource.RUSAGE_SELF)
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
        live = sum(proc_cpu(pid) for pid in live_children(os.getpid()))
        return (
            me.ru_utime + me.ru_stime,
            reaped.ru_utime + reaped.ru_stime + live,
            sum(proc_cpu(pid) for pid in backends),
        )


def import_file(texts, prefix: str, count: int) -> bytes:
    """JSON Lines of ``count`` posts of these texts, ids starting with ``prefix``."""
    if count > len(texts):
        sys.exit(f"only {len(texts)} texts for each import: fewer rounds or posts")
    platforms = ("google", "facebook", "yelp", "healthgrades")
    rows = []
    for i, (text, rating) in enumerate(texts[:count]):
        row = {"id": f"{prefix}{i}", "text": text, "platform": platforms[i % 4]}
        if rating is not None:
            row["rating"] = rating
        rows.append(json.dumps(row))
    return "\n".join(rows).encode()


def timed_import(services, practice: int, data: bytes, workers: int) -> dict:
    """One import: wall seconds and CPU seconds (importer, triage processes, database)."""
    from safereply.services import SYSTEM
    from safereply.services.importer import import_posts

    meter = CpuMeter(services.store)
    backends = meter.backends()
    before = meter.read(backends)
    started = time.perf_counter()
    report = import_posts(services.inbox, SYSTEM, practice, data, name="i.jsonl", workers=workers)
    wall = time.perf_counter() - started
    # Backends the import opened are counted from zero; the ones it closed are missed (the
    # store's pool keeps its connections, so there are none).
    after = meter.read(sorted(set(backends) | set(meter.backends())))
    return {
        "created": report.created,
        "wall": wall,
        "cpu": [a - b for a, b in zip(after, before, strict=True)],
    }


def import_only(name: str, store, texts, args) -> dict:
    """``--import-only``: rounds of 1-process and N-process imports through one set of services."""
    from argon2 import PasswordHasher

    from safereply.core.practice import Practice
    from safereply.services import SYSTEM, build_services
    from safereply.settings import Settings

    settings = Settings(environment="test", secret_key="b" * 40, sweep_interval=0)
    if "triage_processes" in Settings.model_fields:  # the shared pool's size, where there is one
        settings = settings.model_copy(update={"triage_processes": args.processes})
    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    services = build_services(store, settings, password_hasher=fast)
    practice = services.practices.create_practice(
        SYSTEM, Practice(name="Bench Dental", phone="(555) 010-2000")
    )["id"]
    runs: dict[int, list[dict]] = {1: [], args.processes: []}
    imports = args.import_only * len(runs)
    try:
        for number in range(imports):
            workers = list(runs)[number % len(runs)]
            # Every import gets the same mix of long reviews and short comments (every n-th
            # text), and none repeats a text of another (triage caches words, not texts).
            data = import_file(texts[number::imports], f"i{number}-", args.import_posts)
            run = timed_import(services, practice, data, workers)
            assert run["created"] == args.import_posts, run
            runs[workers].append(run)
            print(f"  [{name}] {workers} proc: {_line(run, args.import_posts)}", flush=True)
    finally:
        close = getattr(services, "close", None)
        if close is not None:
            close()
    return {"backend": name, "runs": runs}


def _line(run: dict, posts: int) -> str:
    mine, pool, db = (1000 * c / posts for c in run["cpu"])
    return (
        f"{posts / run['wall']:6.0f} posts/s; CPU ms/post: importer {mine:.2f}, "
        f"triage processes {pool:.2f}, database {db:.2f}, total {mine + pool + db:.2f}"
    )


def report_import_only(results: list[dict], posts: int, free_cores: int) -> None:
    """Print medians per backend and process count, and what free cores would give."""
    print(f"\nimport alone, {posts:,} fresh posts an import; load average {os.getloadavg()[0]:.1f}")
    print(
        f"{'':24}{'posts/s':>9}{'importer':>10}{'triage':>9}{'database':>10}{'total':>8}"
        f"{'serial':>8}   projection on {free_cores} free cores"
    )
    for result in results:
        for workers, runs in result["runs"].items():
            wall = statistics.median(posts / r["wall"] for r in runs)
            mine, pool, db = (
                statistics.median(1000 * r["cpu"][i] / posts for r in runs) for i in range(3)
            )
            total = mine + pool + db
            # The importing process writes while it waits on the database: one post at a time,
            # it can go no faster than 1 / (its CPU + the backend's); the cores bound the rest.
            serial = mine + db if workers > 1 and pool else total
            bounds = [1000 / serial, free_cores * 1000 / total]
            if workers > 1 and pool:  # and the triage processes, each on a core of its own
                bounds.append(workers * 1000 / pool)
            projected = min(bounds)
            print(
                f"  {result['backend'] + ', ' + str(workers) + ' proc':22}{wall:>9.0f}"
                f"{mine:>10.2f}{pool:>9.2f}{db:>10.2f}{total:>8.2f}{serial:>8.2f}"
                f"   {projected:,.0f} posts/s"
            )


def run_import_only(texts, args) -> int:
    """``--import-only``: SQLite, then PostgreSQL when a server is given."""
    from safereply.store import Store, upgrade
    from safereply.store.testing import temporary_postgres

    results = []
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.from_url(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            upgrade(store)
            results.append(import_only("sqlite", store, texts, args))
            store.dispose()
    if args.postgres:
        with temporary_postgres(args.postgres, prefix="safereply_bench") as store:
            results.append(import_only("postgresql", store, texts, args))
    report_import_only(results, args.import_posts, args.free_cores)
    return 0


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
    parser.add_argument(
        "--import-only",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="measure import alone (posts/s and CPU per post), ROUNDS imports each",
    )
    parser.add_argument("--processes", type=int, default=4, help="triage processes (import-only)")
    parser.add_argument("--free-cores", type=int, default=4, help="cores the projection assumes")
    parser.add_argument(
        "--skip-sqlite",
        action="store_true",
        help="PostgreSQL only (run SQLite on its own: one process's word caches would carry over)",
    )
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)  # escalation warnings would flood the output
    from safereply.store import Store, upgrade
    from safereply.store.testing import temporary_postgres

    texts = load_texts()
    if args.import_only:
        return run_import_only(texts, args)
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
