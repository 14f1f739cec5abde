"""A load test a practice group can rerun (issue 16): simulated staff against 1, 2 and 4 web
processes on PostgreSQL and Redis, through the real HTTP API.

    PYTHONPATH=src python bench/load_test.py --postgres postgresql+psycopg://postgres@127.0.0.1/test
        --redis redis://127.0.0.1:6379/12 [--users 200] [--duration 60] [--processes 1,2,4]

It creates a throw-away database on the PostgreSQL server, fills it with ``--posts`` posts over 5
practices (scripts/gen_million.py: real label distributions, template text), gives each practice
staff and managers (4 staff to 1 manager), then for each process count starts
``safereply serve --workers N`` (the command of deploy/systemd/safereply-web.service, with the
sign-in limiter and leases on Redis), signs every simulated person in, and lets them work for
``--duration`` seconds, each waiting ``--think`` seconds on average (exponential) between actions:

    inbox read 30%, counts 10%, post page 20%, lint-as-you-type 25% (POST /api/v1/check with a
    reply being typed), draft 7% (staff: the one-click acknowledgement of an open post), approve 4%
    (managers: a post in review), mark replied 4% (managers: an approved post).

It prints p50/p95/p99 latency, throughput and errors per action and in total for each process
count, the scaling ratio (throughput of N processes / 1), and the resident memory of each web
process after sign-in, every minute and at the end (``--duration 600`` for the 10-minute run:
growth that goes on past the first minutes is per-request growth, a first step is warm-up).
Every simulated person connects from 127.0.0.1, so the per-address request budgets are raised
for the run (each person's own budget, and the limiter's Redis round trip, stay). A 409
(someone else acted on the post first) is counted apart from errors: it is the service refusing
a lost update, as designed.
The load generator runs in this process (asyncio). Sign-in goes through httpx; the mix goes
through bench/load_client.py, one plain keep-alive HTTP/1.1 connection per person (the same
requests, about a quarter of httpx's CPU a request: the generator shares the cores it measures);
``--client httpx`` runs the mix through httpx as before session 10. ``--pin-server CPUS`` runs the
web processes under ``taskset``, ``--pin-generator CPUS`` keeps this process on CPUS and
``--pin-database CPUS`` the run database's PostgreSQL backends (re-pinned every 5 s as the pools
open connections). Each run prints where the CPU went (the generator, the web processes, the
run database's backends, Redis, the rest of the machine: seconds, ms a request and share of the
cores; bench/load_cpu.py) and what could run where. ``--database URL`` uses an existing database
(seeded when it has no posts, kept) instead of a throw-away one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_client import RawClient  # bench/, beside this script
from load_cpu import Shares, affinity, backends_of, named, pin

#: What a request can fail with before an answer: counted as transport errors.
TRANSPORT_ERRORS = (httpx.HTTPError, OSError, EOFError, TimeoutError, asyncio.LimitOverrunError)

MIX = (
    ("inbox", 30),
    ("counts", 10),
    ("post page", 20),
    ("lint", 25),
    ("draft", 7),
    ("approve", 4),
    ("mark replied", 4),
)
TYPING = (
    "Thank you for your feedback",
    "Thank you for your feedback. We are sorry to hear",
    "Thank you for your feedback. We are sorry to hear about the wait; please call us at "
    "(555) 010-2000 so our office manager can help.",
)
PASSWORD = "bench password 123"


@dataclass
class Person:
    """One simulated member of staff with a signed-in client."""

    email: str
    practice: int
    manager: bool
    client: Any = None  # RawClient (bench/load_client.py) or, with --client httpx, httpx's
    csrf: str = ""


@dataclass
class Tally:
    """Latencies (ms) and outcomes per action."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    conflicts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank quantile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def seed(url: str, posts: int, users: int) -> list[Person]:
    """Fill the database and create the staff; return the people (not yet signed in)."""
    from argon2 import PasswordHasher
    from gen_million import generate

    from safereply.services import SYSTEM, build_services
    from safereply.settings import Settings
    from safereply.store import open_store

    store = open_store(url)
    practices = existing_practices(store)
    if not practices:
        practices = generate(store, posts, practices=5, locations=25, progress=lambda m: None)
        practices = practices.practices
    services = build_services(
        store,
        Settings(environment="test", secret_key="b" * 40),
        password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    people = []
    known = existing_emails(store)
    for n in range(users):
        practice = practices[n % len(practices)]
        manager = n % 5 == 4
        email = f"load{n}@bench.example"
        if email not in known:
            services.users.create_user(
                SYSTEM,
                email=email,
                password=PASSWORD,
                practice_id=practice,
                role="manager" if manager else "staff",
            )
        people.append(Person(email, practice, manager))
    store.dispose()
    return people


def existing_practices(store: Any) -> list[int]:
    """The practices of a database seeded before (``--database``), else none."""
    from sqlalchemy import select

    from safereply.store.models import Post, Practice

    with store.read() as session:
        if session.execute(select(Post.id).limit(1)).first() is None:
            return []
        return list(session.scalars(select(Practice.id).order_by(Practice.id)))


def existing_emails(store: Any) -> set[str]:
    """The simulated staff a database seeded before already has."""
    from sqlalchemy import select

    from safereply.store.models import User

    with store.read() as session:
        return set(session.scalars(select(User.email).where(User.email.like("load%@bench.%"))))


async def act(person: Person, action: str, rng: random.Random, tally: Tally) -> None:
    """Do one action as the person would through the pages' API calls; time it."""
    c = person.client
    assert c is not None
    action = as_role(action, person.manager)
    base = f"/api/v1/practices/{person.practice}"
    headers = {"X-CSRF-Token": person.csrf}
    started = time.perf_counter()
    if action == "inbox":
        r = await c.get(f"{base}/posts", params={"state": "open"})
    elif action == "counts":
        r = await c.get(f"{base}/counts")
    elif action == "post page":
        page = await c.get(f"{base}/posts", params={"state": "open", "kind": "complaint"})
        started = time.perf_counter()  # the page itself, not the list that found it
        r = await _post_page(c, page, rng)
    elif action == "lint":
        body = {"reply": rng.choice(TYPING), "practice_id": person.practice}
        r = await c.post("/api/v1/check", json=body, headers=headers)
    else:
        r = await _move(c, base, action, headers, rng)
        started = getattr(r, "started", started)
    ms = (time.perf_counter() - started) * 1000
    if r is None:
        return
    tally.times[action].append(ms)
    if r.status_code == 409:
        tally.conflicts[action] += 1
    elif r.status_code >= 400:
        tally.errors[action] += 1
        if len(tally.examples) < 5:
            tally.examples.append(f"{action}: {r.status_code} {r.text[:200]}")


def as_role(action: str, manager: bool) -> str:
    """Staff draft; managers approve and mark replied (each move counted under the one made).

    A manager who drafted would later be refused (403) approving their own version, as designed,
    and it would count as an error; staff may not approve.
    """
    if action in ("approve", "mark replied") and not manager:
        return "draft"
    if action == "draft" and manager:
        return "approve"
    return action


async def _post_page(c: Any, page: Any, rng: random.Random) -> Any:
    items = page.json().get("items", []) if page.status_code == 200 else []
    if not items:
        return page
    return await c.get(f"/api/v1/posts/{rng.choice(items)['id']}")


async def _move(c: Any, base: str, action: str, headers: dict, rng: random.Random) -> Any:
    """Find a post in the right state, then make the move (only the move is timed)."""
    state = {"draft": "new", "approve": "in_review", "mark replied": "approved"}[action]
    listing = await c.get(f"{base}/posts", params={"state": state})
    items = listing.json().get("items", []) if listing.status_code == 200 else []
    if not items:
        return None
    post = rng.choice(items)
    pid, version = post["id"], post["version"]
    started = time.perf_counter()
    if action == "draft":
        r = await c.post(
            f"/api/v1/posts/{pid}/drafts/acknowledgement",
            json={"expected_version": version},
            headers=headers,
        )
        if r.status_code == 200:
            await c.post(f"/api/v1/posts/{pid}/submit", json={}, headers=headers)
    elif action == "approve":
        r = await c.post(
            f"/api/v1/posts/{pid}/approve",
            json={"expected_version": version, "acknowledge_warnings": True},
            headers=headers,
        )
    else:
        r = await c.post(
            f"/api/v1/posts/{pid}/mark-replied",
            json={"expected_version": version},
            headers=headers,
        )
    r.started = started  # type: ignore[attr-defined]
    return r


async def sign_in(people: list[Person], url: str, client: str = "raw") -> None:
    """Sign every person in (not measured), a few at a time, with httpx; then, unless ``client``
    is ``httpx``, hand each person's session cookie to a RawClient (bench/load_client.py)."""
    # Idle connections are closed by the client after 4 s, before uvicorn's 5 s keep-alive
    # timeout: otherwise a request sent on a connection the server is closing at that moment
    # fails with ReadError (a browser retries it; httpx does not) and counts as an error.
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2, keepalive_expiry=4.0)

    async def one(p: Person) -> None:
        p.client = httpx.AsyncClient(base_url=url, timeout=60, limits=limits)
        r = await p.client.post("/api/v1/auth/login", json={"email": p.email, "password": PASSWORD})
        if r.status_code != 200:
            raise SystemExit(f"sign-in of {p.email} refused: {r.status_code} {r.text[:300]}")
        p.csrf = r.json()["csrf_token"]
        if client == "raw":
            cookies = dict(p.client.cookies.items())
            await p.client.aclose()
            p.client = RawClient(url, cookies, keepalive=4.0, timeout=60)

    # Four at a time: the sign-in limiter counts an attempt against its address before it checks
    # the password (and forgets it on success), so five or more at once from one address are
    # refused as if they had failed (login_max_failures is 5); all simulated staff share one.
    for start in range(0, len(people), 4):
        await asyncio.gather(*(one(p) for p in people[start : start + 4]))


async def work(people: list[Person], duration: float, think: float) -> tuple[Tally, float]:
    """Everyone works until the time is up; return the tally and the seconds it ran."""
    tally = Tally()
    names, weights = zip(*MIX, strict=True)
    stop = time.monotonic() + duration

    async def loop(p: Person, rng: random.Random) -> None:
        await asyncio.sleep(rng.uniform(0, think))  # do not all start at once
        while time.monotonic() < stop:
            try:
                await act(p, rng.choices(names, weights)[0], rng, tally)
            except TRANSPORT_ERRORS as exc:
                tally.errors["transport"] += 1
                if len(tally.examples) < 5:
                    tally.examples.append(f"transport: {type(exc).__name__}")
            # never past the end: the run's seconds are its working time, not the last pauses
            await asyncio.sleep(min(rng.expovariate(1 / think), max(0.0, stop - time.monotonic())))

    started = time.monotonic()
    await asyncio.gather(*(loop(p, random.Random(i)) for i, p in enumerate(people)))
    return tally, time.monotonic() - started


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def workers_of(parent: int) -> list[int]:
    """The web processes: uvicorn's worker children, or the server itself when alone."""
    kids = []
    for task in Path(f"/proc/{parent}/task").glob("*/children"):
        kids += [int(x) for x in task.read_text().split()]
    return [
        k for k in kids if "resource_tracker" not in Path(f"/proc/{k}/cmdline").read_text()
    ] or [parent]


def start_server(n: int, env: dict[str, str], pin: str | None) -> tuple[subprocess.Popen, str]:
    """``safereply serve --workers N`` as in deploy/; wait until it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "safereply", "serve", "--workers", str(n)]
    cmd += ["--host", "127.0.0.1", "--port", str(port)]
    if pin:
        cmd = ["taskset", "-c", pin, *cmd]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"serve --workers {n} did not answer in 120 s")


def run_one(n: int, people: list[Person], env: dict, args: argparse.Namespace) -> dict[str, Any]:
    """Start N web processes, sign everyone in, run the mix, stop; return the figures."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(args.db_url, poolclass=NullPool)
    proc, url = start_server(n, env, args.pin_server)
    try:
        time.sleep(2)
        pids = workers_of(proc.pid)
        shares = Shares(sorted({proc.pid, *pids}), engine)
        samples: list[list[float]] = []

        async def sample() -> None:
            # resident memory every minute: growth that goes on is a leak, a first step warm-up;
            # the database's backends pinned every 5 s (the pools open more as they need them)
            while True:
                if len(samples) * 60 <= time.monotonic() - started:
                    samples.append([rss_mb(p) for p in pids])
                if args.pin_database:
                    backends = await asyncio.to_thread(backends_of, engine)
                    pin(backends, cpu_list(args.pin_database))
                await asyncio.to_thread(shares.sample)
                await asyncio.sleep(5)

        async def go() -> tuple[Tally, float]:
            await sign_in(people, url, args.client)
            shares.start()
            sampler = asyncio.create_task(sample())
            result = await work(people, args.duration, args.think)
            cpu.update(shares.stop())
            where.update(placement(proc.pid, pids, engine))
            sampler.cancel()
            for p in people:
                await p.client.aclose()
            return result

        cpu: dict[str, float] = {}
        where: dict[str, str] = {}
        started = time.monotonic()
        tally, took = asyncio.run(go())
        samples.append([rss_mb(p) for p in pids])
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        engine.dispose()
    return {"n": n, "tally": tally, "seconds": took, "rss": samples, "cpu": cpu, "where": where}


def cpu_list(spec: str) -> set[int]:
    """``taskset -c`` notation (``0``, ``0,1``, ``0-1``) as a set of CPUs."""
    cpus: set[int] = set()
    for part in spec.split(","):
        low, _, high = part.partition("-")
        cpus |= set(range(int(low), int(high or low) + 1))
    return cpus


def placement(server: int, pids: list[int], engine: Any) -> dict[str, str]:
    """The CPUs each part may run on, as the run ended."""
    return {
        "generator": affinity([os.getpid()]),
        "web": affinity(sorted({server, *pids})),
        "postgres": affinity(backends_of(engine)),
        "redis": affinity(named("redis-server")),
    }


def print_cpu(r: dict[str, Any], requests: int) -> None:
    """Print where the CPU went during the run: seconds, ms a request, share of the machine."""
    cpu, seconds = r["cpu"], r["seconds"]
    if not cpu:
        return
    cores = os.cpu_count() or 1
    parts = ("generator", "web", "postgres", "database", "redis", "other")
    line = ", ".join(
        f"{k} {cpu[k]:.1f} s = {cpu[k] * 1000 / max(1, requests):.1f} ms a request "
        f"({100 * cpu[k] / (cores * seconds):.0f}%)"
        for k in parts
    )
    print(f"  CPU during the run, of {cores} cores x {seconds:.0f} s: {line}")
    idle = max(0.0, 100 - 100 * cpu["machine"] / (cores * seconds))
    print(
        f"  machine idle {idle:.0f}% (postgres: the whole server; database: the run database's "
        "backends, a lower bound)"
    )
    where = "; ".join(f"{k} on CPU {v}" for k, v in r["where"].items())
    print(f"  what ran where (affinity): {where}")


def print_run(r: dict[str, Any], base_rps: float | None) -> float:
    """Print one process count's table; return its throughput (requests/s)."""
    t: Tally = r["tally"]
    total = sum(len(v) for v in t.times.values())
    rps = total / r["seconds"]
    print(f"\n{r['n']} web process(es): {total:,} requests in {r['seconds']:.0f} s = {rps:.1f}/s")
    print(f"  {'action':14}{'count':>8}{'p50':>9}{'p95':>9}{'p99':>9}{'errors':>8}{'409':>6}")
    everything = []
    for name, _ in MIX:
        v = t.times.get(name, [])
        everything += v
        print(
            f"  {name:14}{len(v):>8}{pct(v, 0.5):>9.1f}{pct(v, 0.95):>9.1f}{pct(v, 0.99):>9.1f}"
            f"{t.errors.get(name, 0):>8}{t.conflicts.get(name, 0):>6}"
        )
    reads = [x for k in ("inbox", "counts", "post page") for x in t.times.get(k, [])]
    print(
        f"  {'all':14}{len(everything):>8}{pct(everything, 0.5):>9.1f}{pct(everything, 0.95):>9.1f}"
        f"{pct(everything, 0.99):>9.1f}{sum(t.errors.values()):>8}{sum(t.conflicts.values()):>6}"
    )
    print(f"  reads p95 {pct(reads, 0.95):.1f} ms (target <= 150); errors {sum(t.errors.values())}")
    print_cpu(r, total)
    mem = "; ".join(" -> ".join(f"{s[i]:.0f}" for s in r["rss"]) for i in range(len(r["rss"][0])))
    print(f"  resident MB per web process (signed in, then each minute, end): {mem}")
    if base_rps:
        print(f"  scaling: {rps / base_rps:.2f}x the throughput of 1 process (target 2: >= 1.6x)")
    for line in t.examples:
        print(f"  e.g. {line}")
    return rps


def main() -> int:
    """Seed, then run the mix against each process count."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("SAFEREPLY_TEST_POSTGRES_URL"))
    parser.add_argument("--redis", default=os.environ.get("SAFEREPLY_TEST_REDIS_URL"))
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per process count")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between actions")
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--pin-server", metavar="CPUS", help="taskset -c CPUS for the servers")
    parser.add_argument("--pin-generator", metavar="CPUS", help="keep the generator on CPUS")
    parser.add_argument(
        "--pin-database", metavar="CPUS", help="keep the run database's PostgreSQL backends on CPUS"
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="use this PostgreSQL database (seeded if it has no posts, kept) instead of a "
        "throw-away one made on --postgres's server",
    )
    parser.add_argument(
        "--client",
        choices=("raw", "httpx"),
        default="raw",
        help="the generator's HTTP client: bench/load_client.py (default) or httpx (before s10)",
    )
    args = parser.parse_args()
    if not (args.postgres or args.database) or not args.redis:
        parser.error("give --postgres URL (or --database URL) and --redis URL")
    if args.pin_generator:
        pin([os.getpid()], cpu_list(args.pin_generator))
    if args.database:
        run_all(args.database, args)
        return 0
    from safereply.store.testing import temporary_postgres

    with temporary_postgres(args.postgres, prefix="safereply_load") as store:
        url = store.engine.url.render_as_string(hide_password=False)
        store.dispose()
        run_all(url, args)
    return 0


def run_all(url: str, args: argparse.Namespace) -> None:
    """Seed the database at ``url`` (when empty), then run the mix for each process count."""
    args.db_url = url
    started = time.perf_counter()
    people = seed(url, args.posts, args.users)
    took = time.perf_counter() - started
    print(f"seeded {args.posts:,} posts and {len(people)} staff in {took:.0f} s (or found them)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEREPLY_")}
    env.update(
        SAFEREPLY_ENVIRONMENT="production",
        SAFEREPLY_SECRET_KEY="load-test-" + "x" * 40,
        SAFEREPLY_DATABASE_URL=url,
        SAFEREPLY_REDIS_URL=args.redis,
        SAFEREPLY_LOGIN_THROTTLE="redis",
        SAFEREPLY_BASE_URL="http://127.0.0.1",  # plain HTTP here: cookies not Secure-only
        # Every simulated person comes from 127.0.0.1: the per-address budgets (2,400 reads a
        # minute) would refuse 200 people at once with 429s. Each person's own budget stays.
        SAFEREPLY_REQUEST_LIMIT_ADDRESS_READS="1000000",
        SAFEREPLY_REQUEST_LIMIT_ADDRESS_WRITES="1000000",
    )
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} CPUs, load average before {load[0]:.1f}; "
        f"{args.users} staff, think time {args.think} s, {args.duration:.0f} s per run; "
        f"client {args.client}"
    )
    base = None
    for n in (int(x) for x in args.processes.split(",")):
        print(f"\nload average before {n} process(es): {os.getloadavg()[0]:.1f}", flush=True)
        rps = print_run(run_one(n, people, env, args), base)
        base = base or rps
        print(f"  load average now {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
