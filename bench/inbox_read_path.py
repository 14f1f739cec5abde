"""How fast the inbox's read path answers (the API's list, the inbox page's list with its counts,
the dashboard): prints p50/p95 in milliseconds per call.

    PYTHONPATH=src python bench/inbox_read_path.py [--posts 5000] [--runs 30]

Posts are invented and triaged by a cheap stand-in (this measures the queries, not triage), on
a temporary SQLite file. Runs against whatever ``safereply`` is on the path, so the same script
compares two checkouts (issue 13: the one read path must not be slower than the two it replaced).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from safereply.core.practice import Practice as Profile
from safereply.services import SYSTEM, Analysers, NewPost, build_services
from safereply.services.overview import InboxFilter, Overview
from safereply.settings import Settings
from safereply.store import Store, upgrade

KINDS = ("complaint", "question", "praise", "other")
TOPICS = ("wait-time", "billing", "scheduling", "staff-courtesy")


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
            "sentiment": 0.0,
            "discloses_health": False,
            "priority": self.priority,
            "reasons": [],
        }


def _triage(text: str, platform: str | None = None, rating: float | None = None) -> _Triage:
    n = sum(map(ord, text))
    kind = KINDS[n % len(KINDS)]
    return _Triage(kind, [TOPICS[n % len(TOPICS)]], "urgent" if n % 97 == 0 else "normal")


def _timed(call: Callable[[], Any], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    """Fill a practice, then time each read."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    random.seed(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.from_url(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        upgrade(store)
        services = build_services(
            store,
            Settings(environment="test", secret_key="b" * 40),
            analysers=Analysers(triage=_triage),
            password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
        )
        pid = services.practices.create_practice(SYSTEM, Profile(name="Bench", phone="555"))["id"]
        words = [
            "parking",
            "wait",
            "bill",
            "front",
            "desk",
            "kind",
            "quick",
            "rude",
            "late",
            "lovely",
        ]
        posts = [
            NewPost("google", str(i), " ".join(random.choices(words, k=12)) + f" #{i}")
            for i in range(args.posts)
        ]
        for start in range(0, len(posts), 1000):
            services.inbox.receive_many(SYSTEM, pid, posts[start : start + 1000])
        overview = Overview(store, clock=services.inbox.clock)
        inbox = services.inbox
        cases = {
            "api list (open, 50)": lambda: inbox.list_posts(SYSTEM, pid, state="open"),
            "api counts": lambda: inbox.counts(SYSTEM, pid),
            "page inbox (open, page 1)": lambda: overview.inbox(SYSTEM, pid, InboxFilter()),
            "page inbox (all, page 40)": lambda: overview.inbox(
                SYSTEM, pid, InboxFilter(view="all"), page=40
            ),
            "page dashboard": lambda: overview.dashboard(SYSTEM, pid),
        }
        if "q" in InboxFilter.__dataclass_fields__:  # checkouts with the text search
            cases["api search (q=parking late)"] = lambda: inbox.list_posts(
                SYSTEM, pid, q="parking late"
            )
        print(f"{args.posts} posts, {args.runs} runs each, SQLite")
        for name, call in cases.items():
            p50, p95 = _timed(call, args.runs)
            print(f"{name:28s} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
        store.dispose()


if __name__ == "__main__":
    main()
