"""What the audit chain costs: appends with and without links, and how fast verify walks a chain.

Prints, for SQLite (and PostgreSQL when SAFEREPLY_TEST_POSTGRES_URL is set):
- the time per write transaction recording one audit entry, with the chain's linking (the
  normal path) and with the linking hook turned off (what the log cost before the chain);
- how long ``verify_chain`` takes over every entry, and its rate.

Usage: python bench/audit_chain_bench.py [--appends 1000] [--bulk 50000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from safereply.services import SYSTEM, audit_chain
from safereply.services.audit import record
from safereply.store import Store, upgrade
from safereply.store.testing import postgres_url, temporary_postgres


def _append(store: Store, n: int) -> list[float]:
    """Record ``n`` entries, one write transaction each; return each transaction's seconds."""
    times = []
    for i in range(n):
        start = time.perf_counter()
        with store.write() as session:
            record(session, SYSTEM, "bench.append", object_type="practice", detail={"i": i})
        times.append(time.perf_counter() - start)
    return times


def _bulk(store: Store, n: int) -> None:
    """Record ``n`` entries in transactions of 1,000 (to build a long chain quickly)."""
    for start in range(0, n, 1000):
        with store.write() as session:
            for i in range(start, min(n, start + 1000)):
                record(session, SYSTEM, "bench.bulk", object_type="practice", detail={"i": i})


def _report(label: str, times: list[float]) -> None:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"  {label}: median {statistics.median(ms):.2f} ms, p95 {p95:.2f} ms per transaction")


def run(store: Store, name: str, appends: int, bulk: int) -> None:
    """Measure one database."""
    print(f"{name}:")
    _report(f"{appends} appends with the chain", _append(store, appends))
    event.remove(Session, "before_commit", audit_chain._link_at_commit)
    try:
        _report(f"{appends} appends without linking", _append(store, appends))
    finally:
        event.listen(Session, "before_commit", audit_chain._link_at_commit)
    _bulk(store, bulk)
    start = time.perf_counter()
    result = audit_chain.verify_chain(store)
    took = time.perf_counter() - start
    state = "intact" if result.broken is None else f"broken: {result.broken.reason[:60]}"
    print(
        f"  verify: {result.checked:,} linked entries in {took:.2f} s "
        f"({result.checked / took:,.0f} per second); {state} (the unlinked appends above are "
        "reported as such: that is the point)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=1000)
    parser.add_argument("--bulk", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.from_url(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        upgrade(store)
        run(store, "SQLite", args.appends, args.bulk)
        store.dispose()
    url = postgres_url()
    if url:
        with temporary_postgres(url, prefix="safereply_audit_bench") as store:
            run(store, "PostgreSQL", args.appends, args.bulk)


if __name__ == "__main__":
    main()
