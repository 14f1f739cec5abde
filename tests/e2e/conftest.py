"""Browser tests: a real server (uvicorn on 127.0.0.1, an ephemeral port, a temporary SQLite file,
the real linter and triage) driven by Debian's Chromium through Playwright.

The server runs in a thread of the test process so the test can move its clock forward past the
cooling-off hold instead of waiting an hour. Browser downloads are not possible here, so Chromium
is launched from its system path; the tests skip with the reason when it is missing.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from safereply.core.practice import Improvement
from safereply.core.practice import Practice as Profile
from safereply.services import SYSTEM, NewPost, Services, build_services
from safereply.settings import Settings
from safereply.store import Store, upgrade

CHROMIUM = os.environ.get("SAFEREPLY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DOC_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "img"
#: Set to 1 to refresh the README screenshots in docs/img/ during the browser tests.
UPDATE_DOC_IMAGES = os.environ.get("SAFEREPLY_UPDATE_DOC_IMAGES") == "1"

#: Invented posts (names, numbers and places are made up; phone numbers are 555).
POSTS = [
    (
        "google",
        "Downtown",
        1.0,
        "Dana W.",
        "I was charged twice for the same cleaning and nobody at the front desk will sort out "
        "the bill. Worst billing office ever.",
    ),
    (
        "google",
        "Downtown",
        5.0,
        "Luis R.",
        "Everyone was friendly and the office is spotless. Tanya at the front desk made it easy.",
    ),
    (
        "yelp",
        "Eastside",
        2.0,
        "Priya S.",
        "Waited almost two hours past my appointment time and nobody said a word to us.",
    ),
    ("facebook", "Downtown", None, "Jordan K.", "Do you take new patients on Saturdays?"),
    (
        "healthgrades",
        "Eastside",
        3.0,
        "Chris M.",
        "Parking is impossible and the waiting room was freezing, but the hygienist was kind.",
    ),
]


class MovableClock:
    """Real time plus an offset the test can grow (the server and services share it)."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += dt.timedelta(**delta)


@dataclass
class LiveServer:
    """A running SafeReply server and what the tests need to know about it."""

    url: str
    services: Services
    clock: MovableClock
    practice_id: int
    urgent_post_id: int
    post_ids: list[int]
    users: dict[str, dict[str, Any]]


def chromium_or_skip() -> str:
    """Return Chromium's path, or skip the test saying how to get it."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[test]')")
    return CHROMIUM


def _seed(services: Services) -> tuple[int, list[int], dict[str, dict[str, Any]]]:
    practice = services.practices.create_practice(
        SYSTEM,
        Profile(
            name="Maple Grove Family Dental",
            phone="(555) 201-3300",
            sign_off="The Maple Grove team",
            address="48 Orchard Lane, Springfield",
            staff=("Tanya",),
            improvements=(
                Improvement("wait-time", "added a second check-in station", dt.date(2026, 9, 15)),
            ),
        ),
        locations=("Downtown", "Eastside"),
    )
    pid = practice["id"]
    users = {}
    for key, name, role in [
        ("staff", "Sam Staff", "staff"),
        ("manager", "Morgan Manager", "manager"),
        ("admin", "Alex Admin", "admin"),
    ]:
        users[key] = services.users.create_user(
            SYSTEM,
            email=f"{key}@maplegrove.example",
            password=PASSWORD,
            display_name=name,
            practice_id=pid,
            role=role,
        )
    ids = []
    for n, (platform, location, rating, author, text) in enumerate(POSTS):
        outcome = services.inbox.receive(
            SYSTEM,
            pid,
            NewPost(
                platform=platform,
                external_id=f"demo-{n}",
                text=text,
                author=author,
                rating=rating,
                location=location,
                url=f"https://{platform}.example/reviews/{n}",
            ),
        )
        ids.append(outcome.post_id)
    # A manager escalated the billing complaint: it is urgent, and still a complaint (so the
    # cooling-off hold and the approval step apply to its reply).
    manager = services.users.actor_for(users["manager"]["id"])
    services.inbox.escalate(manager, ids[0])
    return pid, ids, users


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """A SafeReply server on a free port over a fresh, seeded SQLite database."""
    import uvicorn

    from safereply.web import create_app

    path = tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"
    store = Store.from_url(f"sqlite:///{path}")
    upgrade(store)
    clock = MovableClock()
    # The clock jumps past the cooling-off hour while people stay signed in: a long idle time.
    settings = Settings(
        environment="test",
        secret_key="e2e-" + "k" * 40,
        sweep_interval=0,
        session_idle_timeout=4 * 3600,
        request_limits="off",  # one browser, many pages: not a test of the rate limits
    )
    services = build_services(
        store,
        settings,
        clock=clock,
        password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    pid, ids, users = _seed(services)
    app = create_app(services=services)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", services, clock, pid, ids[0], ids, users)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.dispose()


@pytest.fixture(scope="module")
def browser(live_server):
    """A headless Chromium (Debian's), shared by the tests of a module."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def _sign_in(browser, server: LiveServer, who: str, **context_options):
    """Open a fresh browser context signed in as one of the seeded users; return its page."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.goto(server.url + "/login")
    page.get_by_label("E-mail address").fill(f"{who}@maplegrove.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/p/{server.practice_id}/inbox")
    return page


def _shot(page, name: str, *, doc: str | None = None) -> Path:
    """Save a full-page screenshot into test-artifacts/ and return its path.

    With ``doc`` and SAFEREPLY_UPDATE_DOC_IMAGES=1, also save the visible part of the page at
    1100 x 720 as docs/img/<doc>.png (kept small for the README).
    """
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if doc and UPDATE_DOC_IMAGES:
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        page.set_viewport_size({"width": 1100, "height": 720})
        page.screenshot(path=str(DOC_IMAGES / f"{doc}.png"))
        page.set_viewport_size(size)
    return path


@pytest.fixture
def sign_in():
    """Return the sign-in helper: ``sign_in(browser, server, "staff", viewport=...)``."""
    return _sign_in


@pytest.fixture
def shot():
    """Return the screenshot helper: ``shot(page, "inbox")`` saves test-artifacts/inbox.png."""
    return _shot
