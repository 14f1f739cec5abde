"""CPU time per request, for each request type of the load test's mix (issue 16).

    PYTHONPATH=src python bench/request_cpu.py --database-url URL [--seed 50000]
        [--redis redis://127.0.0.1:6379/5] [--src old=../main/src --src new=src]
        [--rounds 3] [--requests 40]

Latency on a shared machine follows the load; the CPU a request costs does not (much): this
bench starts ``safereply serve`` (one process, the deploy/ command, with the load test's
settings: production, request limits and the sign-in limiter on Redis when ``--redis`` is given,
else in the database), signs a member of staff and a manager in, and sends each request type
``--requests`` times one after another, reading the web process's CPU (user + system, all its
threads, from /proc) before and after each type's batch. On PostgreSQL it also reads the CPU of
the server's backends serving the web process (``pg_stat_activity`` + /proc): the database's
share. Each ``--src NAME=DIR`` is a checkout's ``src`` to serve; they run alternately, round
after round, on the same database, and the medians per type are printed side by side.

``--seed N`` first fills the (empty) database with N posts over 5 practices
(``scripts/gen_million.py``: real label distributions, template text), as the load test does;
the first practice (the largest) is the one measured. The writes consume posts: each round
acknowledges ``--requests`` new posts (then sends them to review, not timed), approves as many
in review and marks as many approved ones replied.

Types: the load test's seven (inbox read, counts, post page = the post's API read with its
audit entry, lint-as-you-type, draft = the one-click acknowledgement, approve, mark replied) and
the two HTML pages staff read most (the inbox page and a post's page).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

PASSWORD = "bench password 123"
STAFF = "cpu-staff@bench.example"
MANAGER = "cpu-manager@bench.example"
TYPING = (
    "Thank you for your feedback. We are sorry to hear about the wait; please call us at "
    "(555) 010-2000 so our office manager can help."
)
TICK = os.sysconf("SC_CLK_TCK")
TYPES = (
    "inbox",
    "counts",
    "post page",
    "lint",
    "draft",
    "approve",
    "mark replied",
    "html inbox",
    "html post",
)


def seed(url: str, posts: int) -> None:
    """Fill the database (migrated here) and add the two people the bench signs in as."""
    from argon2 import PasswordHasher
    from gen_million import generate

    from safereply.services import SYSTEM, build_services
    from safereply.settings import Settings
    from safereply.store import open_store

    store = open_store(url)
    inst = generate(store, posts, practices=5, locations=25, progress=lambda m: None)
    services = build_services(
        store,
        Settings(environment="test", secret_key="b" * 40),
        password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    first = inst.practices[0]
    for email, role in ((STAFF, "staff"), (MANAGER, "manager")):
        services.users.create_user(
            SYSTEM, email=email, password=PASSWORD, practice_id=first, role=role
        )
    store.dispose()


def proc_cpu(pid: int) -> float:
    """Seconds of CPU (user + system, every thread) a live process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class Backends:
    """The CPU of the PostgreSQL backends of one database, apart from this bench's own."""

    def __init__(self, url: str | None) -> None:
        self.engine = None
        if url and url.startswith("postgresql"):
            from sqlalchemy import create_engine

            self.engine = create_engine(url, poolclass=__import__("sqlalchemy.pool").pool.NullPool)

    def cpu(self) -> dict[int, float]:
        if self.engine is None:
            return {}
        with self.engine.connect() as conn:
            pids = conn.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            ).scalars()
            found = {}
            for pid in pids:
                try:
                    found[pid] = proc_cpu(pid)
                except OSError:
                    continue
        return found


def start_server(src: str, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """``safereply serve`` (one process) on the checkout at ``src``; wait until it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "safereply", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        cmd,
        env={**env, "PYTHONPATH": src},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"the server of {src} did not answer in 120 s")


def sign_in(url: str, email: str) -> tuple[httpx.Client, dict[str, str]]:
    client = httpx.Client(base_url=url, timeout=60)
    r = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    if r.status_code != 200:
        raise SystemExit(f"sign-in of {email} refused: {r.status_code} {r.text[:300]}")
    return client, {"X-CSRF-Token": r.json()["csrf_token"]}


def _listing(client: httpx.Client, pid: int, state: str, n: int, **more: str) -> list[dict]:
    """Up to ``n`` posts in ``state`` (paging the list API; not timed)."""
    found: list[dict] = []
    params: dict[str, Any] = {"state": state, **more}
    while len(found) < n:
        page = client.get(f"/api/v1/practices/{pid}/posts", params=params).json()
        found += page["items"]
        if not page.get("next_cursor"):
            break
        params["cursor"] = page["next_cursor"]
    return found[:n]


def plans(staff: tuple, manager: tuple, pid: int, n: int) -> dict[str, Callable[[], list]]:
    """For each type, a function preparing its ``n`` calls (not timed); each call is timed."""
    (sc, sh), (mc, mh) = staff, manager
    base = f"/api/v1/practices/{pid}"

    def reads(path: str, **params: Any) -> Callable[[], list]:
        return lambda: [lambda: sc.get(path, params=params)] * n

    def post_reads(prefix: str) -> Callable[[], list]:
        def prepare() -> list:
            items = _listing(sc, pid, "open", n, kind="complaint")
            return [lambda i=i: sc.get(f"{prefix}{i['id']}") for i in items]

        return prepare

    def lint() -> list:
        body = {"reply": TYPING, "practice_id": pid}
        return [lambda: sc.post("/api/v1/check", json=body, headers=sh)] * n

    def moves(client: httpx.Client, headers: dict, state: str, path: str, extra: dict) -> Callable:
        def prepare() -> list:
            items = _listing(client, pid, state, n)
            return [
                lambda i=i: client.post(
                    f"/api/v1/posts/{i['id']}/{path}",
                    json={"expected_version": i["version"], **extra},
                    headers=headers,
                )
                for i in items
            ]

        return prepare

    return {
        "inbox": reads(f"{base}/posts", state="open"),
        "counts": reads(f"{base}/counts"),
        "post page": post_reads("/api/v1/posts/"),
        "lint": lint,
        "draft": moves(sc, sh, "new", "drafts/acknowledgement", {}),
        "approve": moves(mc, mh, "in_review", "approve", {"acknowledge_warnings": True}),
        "mark replied": moves(mc, mh, "approved", "mark-replied", {}),
        "html inbox": reads(f"/p/{pid}/inbox"),
        "html post": post_reads("/posts/"),
    }


def submit_drafted(client: httpx.Client, headers: dict, pid: int, n: int) -> None:
    """Send the posts just acknowledged to review (not timed): the next approvals' supply."""
    for item in _listing(client, pid, "drafted", n):
        client.post(f"/api/v1/posts/{item['id']}/submit", json={}, headers=headers)


def measure_batch(server: int, backends: Backends, calls: list) -> tuple[float, float, int]:
    """Run the calls one after another; return web and database CPU ms a call, and errors."""
    before_db = backends.cpu()
    before = proc_cpu(server)
    errors = 0
    for call in calls:
        r = call()
        errors += r.status_code >= 400 and r.status_code != 409
    web = proc_cpu(server) - before
    after_db = backends.cpu()
    db = sum(t - before_db.get(p, 0.0) for p, t in after_db.items())
    n = max(1, len(calls))
    return web * 1000 / n, db * 1000 / n, errors


def run_round(src: str, env: dict, args: argparse.Namespace) -> dict[str, Any]:
    """One server of ``src``: warm up, then each type's batch; return CPU ms per type."""
    proc, url = start_server(src, env)
    backends = Backends(args.database_url)
    out: dict[str, Any] = {}
    try:
        staff, manager = sign_in(url, STAFF), sign_in(url, MANAGER)
        pid = int(next(iter(staff[0].get("/api/v1/auth/me").json()["user"]["roles"])))
        todo = plans(staff, manager, pid, args.requests)
        for name in TYPES:  # warm up: models, caches, the pool's connections
            for call in todo[name]()[:3] if name in ("inbox", "counts", "lint") else []:
                call()
            if name in ("html inbox", "html post", "post page"):
                todo[name]()[0]()
        for name in args.types:
            web, db, errors = measure_batch(proc.pid, backends, todo[name]())
            out[name] = {"web": web, "db": db, "errors": errors}
            if name == "draft":
                submit_drafted(*staff, pid, args.requests)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return out


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEREPLY_")}
    env.update(
        SAFEREPLY_ENVIRONMENT="production",
        SAFEREPLY_SECRET_KEY="request-cpu-" + "x" * 40,
        SAFEREPLY_DATABASE_URL=args.database_url,
        SAFEREPLY_BASE_URL="http://127.0.0.1",
        SAFEREPLY_SWEEP_INTERVAL="0",
        SAFEREPLY_REQUEST_LIMIT_ADDRESS_READS="1000000",
        SAFEREPLY_REQUEST_LIMIT_ADDRESS_WRITES="1000000",
        SAFEREPLY_REQUEST_LIMIT_USER_READS="1000000",
        SAFEREPLY_REQUEST_LIMIT_USER_WRITES="1000000",
    )
    if args.redis:
        env.update(SAFEREPLY_REDIS_URL=args.redis, SAFEREPLY_LOGIN_THROTTLE="redis")
    return env


def report(results: dict[str, list[dict]], names: list[str], types: list[str]) -> None:
    """Print the median CPU ms per request of each type for each checkout."""
    cols = "".join(f"{n + ' web':>12}{n + ' db':>10}" for n in names)
    print(f"{'type (median of rounds)':24}{cols}")
    mix = {"inbox": 30, "counts": 10, "post page": 20, "lint": 25, "draft": 7, "approve": 4}
    mix["mark replied"] = 4
    totals = dict.fromkeys(names, 0.0)
    for t in types:
        line = f"{t:24}"
        for n in names:
            web = statistics.median(r[t]["web"] for r in results[n])
            db = statistics.median(r[t]["db"] for r in results[n])
            errs = sum(r[t]["errors"] for r in results[n])
            line += f"{web:>12.1f}{db:>10.1f}" + (f" ({errs} errors)" if errs else "")
            totals[n] += mix.get(t, 0) * (web + db) / 100
        print(line)
    if not set(mix) <= set(types):
        return
    for n in names:
        print(
            f"load-test mix, web + database CPU a request ({n}): {totals[n]:.1f} ms "
            f"-> {1000 / totals[n]:.0f} requests/s a core"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis", help="request limits and sign-in limiter on this Redis")
    parser.add_argument("--seed", type=int, default=0, help="first fill the empty database")
    parser.add_argument("--src", action="append", default=[], metavar="NAME=DIR")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--json", help="also write every round's figures to this file")
    parser.add_argument(
        "--types", default=",".join(TYPES), help=f"comma-separated, of: {', '.join(TYPES)}"
    )
    args = parser.parse_args()
    args.types = [t.strip() for t in args.types.split(",")]
    if unknown := set(args.types) - set(TYPES):
        parser.error(f"unknown types: {', '.join(sorted(unknown))}")
    srcs = [s.split("=", 1) for s in args.src] or [["this", str(ROOT / "src")]]
    if args.seed:
        started = time.perf_counter()
        seed(args.database_url, args.seed)
        print(f"seeded {args.seed:,} posts in {time.perf_counter() - started:.0f} s", flush=True)
    env = server_env(args)
    results: dict[str, list[dict]] = {name: [] for name, _ in srcs}
    for r in range(args.rounds):
        order = srcs if r % 2 == 0 else srcs[::-1]
        for name, src in order:
            load = os.getloadavg()[0]
            results[name].append(run_round(str(Path(src).resolve()), env, args))
            print(f"round {r + 1} {name} done (load {load:.1f})", flush=True)
    report(results, [name for name, _ in srcs], args.types)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
