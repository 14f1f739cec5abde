"""Facebook, Instagram and X connectors: how fast a sync reads, and what one publish adds.

Against the local HTTP doubles of the tests (the documented Graph API and X API v2 on 127.0.0.1),
connector only (no database, no triage: ``bench/connector_bench.py`` measures the whole sync):

* a first sync of N comments (Facebook: spread over N/100 posts, 100 comments per request;
  Instagram likewise) or N mentions (X: 100 per page), items per second and the peak of Python
  memory allocated while reading (tracemalloc);
* a second sync when nothing changed (Meta: the posts list only; X: one empty page);
* one publish's added latency: the read-back (replies, or our own timeline on X) plus the post,
  median and p95 over R publishes.

    python bench/social_bench.py [--items 10000] [--publishes 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "connectors"))

from doubles_http import DoubleServer  # noqa: E402
from doubles_meta import GraphDouble  # noqa: E402
from doubles_x import XDouble  # noqa: E402

from safereply.connectors.base import Credentials, Target  # noqa: E402
from safereply.connectors.meta import FacebookConnector, InstagramConnector  # noqa: E402
from safereply.connectors.x import XConnector  # noqa: E402


def drain(connector: Any, cursor: dict[str, Any]) -> tuple[int, int, dict[str, Any]]:
    """Run fetch to the end; return (items, fetch calls, cursor)."""
    items = pages = 0
    while True:
        page = connector.fetch(cursor)
        items, pages, cursor = items + len(page.items), pages + 1, page.cursor
        if page.done:
            return items, pages, cursor


def timed_sync(connector: Any, cursor: dict[str, Any]) -> tuple[float, float, int, int, dict]:
    """Return (seconds, peak MiB, items, fetch calls, cursor) of one sync."""
    tracemalloc.start()
    started = time.perf_counter()
    items, pages, cursor = drain(connector, cursor)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, items, pages, cursor


def publish_latency(publish: Callable[[int], None], count: int) -> tuple[float, float]:
    """Return (median, p95) milliseconds of ``publish(i)`` over ``count`` calls."""
    times = []
    for i in range(count):
        started = time.perf_counter()
        publish(i)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]


def report(name: str, first: tuple, second: tuple, latency: tuple[float, float]) -> None:
    seconds, peak, items, pages, _ = first
    print(
        f"{name}: first sync {items:,} items in {pages} fetch calls, {seconds:.2f} s "
        f"({items / seconds:,.0f} items/s), peak allocated {peak:.1f} MiB"
    )
    print(
        f"{name}: unchanged re-sync {second[3]} fetch calls, {second[0] * 1000:.0f} ms, "
        f"{second[2]} items"
    )
    print(
        f"{name}: one publish (read-back + post) median {latency[0]:.1f} ms, "
        f"p95 {latency[1]:.1f} ms"
    )


def bench_graph(flavour: str, items: int, publishes: int) -> None:
    owner = "1001" if flavour == "facebook" else "17841400000000001"
    double = GraphDouble(flavour, owner_id=owner, token="t")
    roots = [double.add_root(f"post {n}") for n in range(max(1, items // 100))]
    comments = [double.add_comment(roots[n % len(roots)], f"comment {n}") for n in range(items)]
    with DoubleServer(double) as server:
        double.base_url = server.url
        kind = FacebookConnector if flavour == "facebook" else InstagramConnector
        conn = kind(Target(flavour, owner, owner, server.url), Credentials(access_token="t"))
        first = timed_sync(conn, {})
        second = timed_sync(conn, first[4])
        latency = publish_latency(
            lambda i: (conn.read_replies(comments[i]), conn.publish_reply(comments[i], "Thanks!")),
            publishes,
        )
    report(flavour, first, second, latency)


def bench_x(items: int, publishes: int) -> None:
    double = XDouble(me="42", token="t")
    mentions = [double.mention(f"@riversidedental hello {n}") for n in range(items)]
    with DoubleServer(double) as server:
        conn = XConnector(Target("x", "42", "42", server.url), Credentials(access_token="t"))
        first = timed_sync(conn, {})
        second = timed_sync(conn, first[4])
        latency = publish_latency(
            lambda i: (
                conn.read_replies(mentions[-1 - i]),
                conn.publish_reply(mentions[-1 - i], "Thanks!"),
            ),
            publishes,
        )
    report("x", first, second, latency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--publishes", type=int, default=30)
    args = parser.parse_args()
    print(f"local doubles on 127.0.0.1, {args.items:,} items, {args.publishes} publishes")
    bench_graph("facebook", args.items, args.publishes)
    bench_graph("instagram", args.items, args.publishes)
    bench_x(args.items, args.publishes)


if __name__ == "__main__":
    main()
