"""Generate a large SafeReply instance: by default 1,000,000 posts over 50 practices and 500
locations (issue 16), written straight into the tables (this fills a database to measure reads;
import with triage is measured separately by bench/million_bench.py).

Kinds, topics and health disclosure are drawn from the real data's LABEL distributions, never its
text: for review platforms (google, yelp, healthgrades) a random row of ``data/review_labels.jsonl``
(2,368 real reviews labelled by hand), for social platforms (facebook, instagram, x) a random row of
the social posts' labels in ``tests/core/triage/data/triage_dev.jsonl``; each draw keeps the kind,
its topics and the disclosure together (the joint distribution). Texts are templates filled with the
kind and the topics ("Template complaint about wait-time and billing, #123"). Invented, and said so:
the platform mix (google 50%, facebook 20%, yelp 10%, healthgrades 8%, instagram 7%, x 5%), practice
sizes (Zipf-like: the largest practice holds about 9% of posts), ratings by kind (complaint 1-2,
praise 4-5, others 3 or none), arrival times (evenly over 24 months before 2026-11-20; written in
arrival order, practices interleaved, so ids follow time and a practice's rows are spread over the
table as in a running instance), the state mix (90% of posts older than two weeks answered, the
rest open or dismissed) and reply times (exponential, mean 20 hours).

    PYTHONPATH=src python scripts/gen_million.py --database-url URL [--posts 1000000] [--seed 7]

Every practice gets a manager ``manager{N}@bench.example`` (password ``bench password 123``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REVIEW_LABELS = ROOT / "data" / "review_labels.jsonl"
SOCIAL_LABELS = ROOT / "tests" / "core" / "triage" / "data" / "triage_dev.jsonl"
NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
PASSWORD = "bench password 123"
PLATFORMS = (
    ("google", 50),
    ("facebook", 20),
    ("yelp", 10),
    ("healthgrades", 8),
    ("instagram", 7),
    ("x", 5),
)
SOCIAL = {"facebook", "instagram", "x"}
PRIORITY = {
    "emergency": "urgent",
    "crisis": "urgent",
    "complaint": "high",
    "question": "normal",
    "praise": "low",
    "spam": "low",
    "other": "low",
}
SLA = {"urgent": dt.timedelta(minutes=15)}
CHUNK = 5000
#: Posts arrive evenly over the 730 days before NOW.
SPAN = 730 * 86400

__all__ = ["Instance", "Labels", "generate", "load_labels"]


@dataclass
class Labels:
    """The real label rows to draw from: (kind, topics, discloses_health) per source."""

    reviews: list[tuple[str, tuple[str, ...], bool]]
    social: list[tuple[str, tuple[str, ...], bool]]


@dataclass
class Instance:
    """What was generated: practices, their locations and managers, and the post count."""

    practices: list[int] = field(default_factory=list)
    locations: dict[int, list[int]] = field(default_factory=dict)
    managers: dict[int, str] = field(default_factory=dict)
    sizes: dict[int, int] = field(default_factory=dict)
    posts: int = 0


def _rows(path: Path, keep: Callable[[dict[str, Any]], bool]) -> list[tuple[str, tuple, bool]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if keep(row):
                topics = tuple(row.get("topics") or ())
                out.append((row["kind"], topics, bool(row.get("discloses_health"))))
    return out


def load_labels() -> Labels:
    """Read the label distributions (only ``kind``, ``topics``, ``discloses_health``)."""
    reviews = _rows(REVIEW_LABELS, lambda r: True)
    social = _rows(SOCIAL_LABELS, lambda r: r.get("platform") in SOCIAL)
    if not reviews or not social:
        sys.exit(f"no labels in {REVIEW_LABELS} or {SOCIAL_LABELS}")
    return Labels(reviews, social)


def _sizes(total: int, practices: int) -> list[int]:
    """Zipf-like practice sizes (weight 1/(rank+3)) summing exactly to ``total``."""
    weights = [1 / (rank + 3) for rank in range(practices)]
    scale = total / sum(weights)
    sizes = [int(w * scale) for w in weights]
    sizes[0] += total - sum(sizes)
    return sizes


def _setup(services: Any, practices: int, locations: int, fast_hash: bool) -> Instance:
    """Create the practices, their locations and a manager each, through the services."""
    from safereply.core.practice import Practice as Profile
    from safereply.services import SYSTEM

    inst = Instance()
    per = max(1, locations // practices)
    for n in range(1, practices + 1):
        names = tuple(f"Site {n}-{i}" for i in range(1, per + 1))
        practice = services.practices.create_practice(
            SYSTEM, Profile(name=f"Group Dental {n}", phone="(555) 010-2000"), locations=names
        )
        pid = practice["id"]
        inst.practices.append(pid)
        inst.locations[pid] = [loc["id"] for loc in practice["locations"]]
        email = f"manager{n}@bench.example"
        services.users.create_user(
            SYSTEM, email=email, password=PASSWORD, practice_id=pid, role="manager"
        )
        inst.managers[pid] = email
    return inst


def _arrivals(
    rng: random.Random, practices: list[int], sizes: list[int]
) -> list[tuple[float, int]]:
    """(seconds before NOW, practice) of every post, oldest first.

    Posts are written in the order they arrived, all practices interleaved, as an instance
    that has been running for two years has them: a practice's posts are spread over the whole
    table and its ids, not stored side by side (which made its reads look cheaper).
    """
    out = [
        (rng.random() * SPAN, pid)
        for pid, size in zip(practices, sizes, strict=True)
        for _ in range(size)
    ]
    out.sort(reverse=True)
    return out


def _post(
    rng: random.Random,
    labels: Labels,
    arrival: tuple[float, int],
    locs: list[int],
    n: int,
    ids: dict[str, int],
) -> tuple[dict[str, Any], list[dict], dict, tuple[dict, dict | None] | None]:
    """One post with its topics, triage record and (if answered) draft and reply rows."""
    platform = rng.choices([p for p, _ in PLATFORMS], [w for _, w in PLATFORMS])[0]
    kind, topics, health = rng.choice(labels.social if platform in SOCIAL else labels.reviews)
    priority = PRIORITY.get(kind, "normal")
    received = NOW - dt.timedelta(seconds=arrival[0])
    pid = arrival[1]
    rating = None
    if platform not in SOCIAL:
        rating = float(
            rng.choice((1, 1, 2))
            if kind == "complaint"
            else rng.choice((4, 5, 5, 5))
            if kind == "praise"
            else 3
        )
    old = (NOW - received).days > 14
    answered = old and rng.random() < 0.9 and kind != "spam"
    state = (
        "marked_replied"
        if answered
        else rng.choice(
            ("new", "new", "drafted", "in_review", "dismissed")
            if old
            else ("new", "drafted", "new")
        )
    )
    if kind in ("emergency", "crisis") and not answered:
        state = "escalated"
    ids["post"] += 1
    pid_ = ids["post"]
    words = " and ".join(topics) or "the visit"
    post = {
        "id": pid_,
        "practice_id": pid,
        "location_id": rng.choice(locs),
        "platform": platform,
        "external_id": f"g{pid}-{n}",
        "author": f"Author {n % 9973}",
        "text": f"Template {kind} about {words}, #{n}.",
        "rating": rating,
        "received_at": received,
        "updated_at": received,
        "posted_at": received,
        "written_at": received,  # COPY applies no column default: models.written_time
        "state": state,
        "kind": kind,
        "priority": priority,
        "due_at": received + SLA.get(priority, dt.timedelta(days=1)),
        "closed_at": None,
        "version": 1,
    }
    polarity = "negative" if kind == "complaint" else "positive" if kind == "praise" else None
    topic_rows = [
        {"post_id": pid_, "topic": t, "practice_id": pid, "polarity": polarity} for t in topics
    ]
    triage = {
        "post_id": pid_,
        "kind": kind,
        "sentiment": -0.7 if kind == "complaint" else 0.7 if kind == "praise" else 0.0,
        "discloses_health": health,
        "priority": priority,
        "topics": list(topics),
        "reasons": ["generated from label distributions"],
        "created_at": received,
    }
    reply = None
    if answered:
        at = received + dt.timedelta(hours=rng.expovariate(1 / 20))
        post["closed_at"] = post["updated_at"] = at
        draft = _draft(ids, pid_, at)
        published = {
            "post_id": pid_,
            "practice_id": pid,
            "draft_id": draft["id"],
            "text": draft["text"],
            "method": "manual",
            "platform": platform,
            "published_at": at,
        }
        reply = (draft, published)
    elif state in ("drafted", "in_review"):  # a post waiting on its draft has one
        at = received + dt.timedelta(minutes=30)
        post["updated_at"] = at
        reply = (_draft(ids, pid_, at), None)
    return post, topic_rows, triage, reply


def _draft(ids: dict[str, int], post_id: int, at: dt.datetime) -> dict[str, Any]:
    """The first (and only) draft of a post, written at ``at``."""
    ids["draft"] += 1
    return {
        "id": ids["draft"],
        "post_id": post_id,
        "number": 1,
        "text": "Thank you for your feedback. Please call us at (555) 010-2000.",
        "source": "manual",
        "verdict": "pass",
        "report": {},
        "created_at": at,
    }


def generate(
    store: Any,
    posts: int = 1_000_000,
    practices: int = 50,
    locations: int = 500,
    seed: int = 7,
    progress: Callable[[str], None] = print,
) -> Instance:
    """Fill ``store`` (migrated, empty) with the instance; return what was made."""
    from argon2 import PasswordHasher

    from safereply.services import build_services
    from safereply.settings import Settings
    from safereply.store.models import Draft, Post, PostTopic, PublishedReply, TriageRecord

    t0 = time.perf_counter()
    settings = Settings(environment="test", secret_key="b" * 40, sweep_interval=0)
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    services = build_services(store, settings, clock=lambda: NOW, password_hasher=hasher)
    inst = _setup(services, practices, locations, fast_hash=True)
    progress(
        f"  {practices} practices, {locations} locations set up in {time.perf_counter() - t0:.0f} s"
    )
    labels = load_labels()
    rng = random.Random(seed)
    ids = {"post": 0, "draft": 0}
    sizes = _sizes(posts, practices)
    inst.sizes = dict(zip(inst.practices, sizes, strict=True))
    arrivals = _arrivals(rng, inst.practices, sizes)
    counter = dict.fromkeys(inst.practices, 0)
    started = time.perf_counter()
    for chunk in range(0, len(arrivals), CHUNK):
        rows: dict[Any, list[dict]] = {
            m: [] for m in (Post, PostTopic, TriageRecord, Draft, PublishedReply)
        }
        for arrival in arrivals[chunk : chunk + CHUNK]:
            pid = arrival[1]
            counter[pid] += 1
            post, topics, triage, reply = _post(
                rng, labels, arrival, inst.locations[pid], counter[pid], ids
            )
            rows[Post].append(post)
            rows[PostTopic] += topics
            rows[TriageRecord].append(triage)
            if reply:
                rows[Draft].append(reply[0])
                if reply[1]:
                    rows[PublishedReply].append(reply[1])
        _write(store, rows)
        inst.posts += len(rows[Post])
        if inst.posts % 100_000 < CHUNK:
            rate = inst.posts / (time.perf_counter() - started)
            progress(f"  {inst.posts:,} posts written ({rate:,.0f}/s)")
    _finish(store)
    return inst


def _write(store: Any, rows: dict[Any, list[dict]]) -> None:
    """Write one chunk in one transaction: COPY on PostgreSQL (10x the INSERT rate), else
    executemany INSERTs."""
    from sqlalchemy import insert

    if store.dialect != "postgresql":
        with store.write() as session:
            for model, batch in rows.items():
                if batch:
                    session.execute(insert(model), batch)
        return
    raw = store.engine.raw_connection()
    try:
        with raw.cursor() as cur:
            for model, batch in rows.items():
                if not batch:
                    continue
                cols = list(batch[0])
                table = model.__tablename__
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row([_plain(row[c]) for c in cols])
        raw.commit()
    finally:
        raw.close()


def _plain(value: Any) -> Any:
    """JSON columns go to COPY as JSON text."""
    return json.dumps(value) if isinstance(value, list | dict) else value


def _finish(store: Any) -> None:
    """Move the id sequences past the rows written with explicit ids; refresh statistics."""
    if store.dialect == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ("posts", "drafts"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")


def main() -> int:
    """Generate into ``--database-url`` (migrated first)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="an empty database to fill")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--practices", type=int, default=50)
    parser.add_argument("--locations", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from safereply.store import open_store

    store = open_store(args.database_url)
    started = time.perf_counter()
    inst = generate(store, args.posts, args.practices, args.locations, args.seed)
    took = time.perf_counter() - started
    print(f"{inst.posts:,} posts over {len(inst.practices)} practices in {took:.0f} s")
    store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
