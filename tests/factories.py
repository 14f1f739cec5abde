"""Shared test factories: a practice, a user with a role, a post, a signed-in client.

Every test that needs a practice, its staff or its posts builds them here rather than with its own
copy of the setup, so a change to how practices, users or sign-in work is made once. The functions
go through the services (as the app does: checked, audited), never around them. Import them by
name (``from factories import add_practice, add_user, add_post, sign_in``); ``tests/`` is on the
import path through ``tests/conftest.py``, which also holds the fixtures every folder shares.

The usual cast: :data:`MAPLE` (the practice under test) and :data:`HARBOR` (another practice,
whose people must never see Maple's posts); :data:`ROSTER` names their users: ``admin``,
``manager`` and ``staff`` at Maple and ``other`` (Harbor's admin), each signed in as
``<name>@example.test`` with :data:`PASSWORD`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from safereply.core.practice import Practice as Profile
from safereply.services import SYSTEM, Actor, Analysers, NewPost, Services, build_services
from safereply.settings import Settings
from safereply.store import Store

PASSWORD = "correct horse battery"

#: Cheap argon2 parameters: tests hash a few passwords each.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

MAPLE = Profile(name="Maple Grove Dental", phone="(555) 201-3300")
HARBOR = Profile(name="Harbor View Clinic", phone="(555) 404-7788")

#: (user name, practice key, role): three roles at Maple and Harbor's admin.
ROSTER: tuple[tuple[str, str, str], ...] = (
    ("admin", "maple", "admin"),
    ("manager", "maple", "manager"),
    ("staff", "maple", "staff"),
    ("other", "harbor", "admin"),
)

_SERIAL = itertools.count(1)


class Clock:
    """A clock the test moves by hand.

    Args:
        start: the first time; None starts from the real time, to the second (needed where the
            database stamps some rows itself).
    """

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or dt.datetime.now(dt.UTC).replace(microsecond=0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


# -- fake analysers' results --------------------------------------------------------------------


@dataclass(frozen=True)
class FakeTriage:
    """What a test's fake triage returns: the fields the inbox reads from ``to_dict``
    (``aspects`` only when given)."""

    kind: str
    topics: list[str] = field(default_factory=list)
    priority: str = "low"
    sentiment: float = 0.0
    reasons: tuple[str, ...] = ("fake",)
    aspects: list[dict[str, Any]] | None = None

    def to_dict(self, id: Any = None) -> dict[str, Any]:
        out = {
            "id": id,
            "kind": self.kind,
            "topics": self.topics,
            "sentiment": self.sentiment,
            "discloses_health": False,
            "priority": self.priority,
            "reasons": list(self.reasons),
        }
        if self.aspects is not None:
            out["aspects"] = self.aspects
        return out


@dataclass(frozen=True)
class FakeReport:
    """What a test's fake linter returns: a verdict and its findings."""

    verdict: str
    findings: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, id: Any = None) -> dict[str, Any]:
        return {"id": id, "verdict": self.verdict, "findings": self.findings}


# -- services, practices, users ------------------------------------------------------------------


def make_services(
    store: Store,
    *,
    clock: Clock | None = None,
    analysers: Analysers | None = None,
    **settings: Any,
) -> Services:
    """Wire the services over a migrated ``store`` with test settings (``settings`` override
    them: any :class:`~safereply.settings.Settings` field) and the fast password hasher."""
    values: dict[str, Any] = {"environment": "test", "secret_key": "x" * 40}
    kwargs: dict[str, Any] = {"analysers": analysers, "password_hasher": FAST_HASHER}
    if clock is not None:
        kwargs["clock"] = clock
    return build_services(store, Settings(**(values | settings)), **kwargs)


def add_practice(
    services: Services, profile: Profile = MAPLE, *, locations: Iterable[str] = ()
) -> int:
    """Create a practice from ``profile`` (by the system, as an instance administrator would)
    and return its id."""
    created = services.practices.create_practice(SYSTEM, profile, locations=tuple(locations))
    return int(created["id"])


def add_user(
    services: Services,
    practice_id: int,
    role: str,
    *,
    name: str | None = None,
    password: str = PASSWORD,
) -> dict[str, Any]:
    """Create ``name@example.test`` (the role's name by default) with ``role`` in a practice;
    return the service's user record (``id``, ``email``, ...)."""
    return services.users.create_user(
        SYSTEM,
        email=f"{name or role}@example.test",
        password=password,
        practice_id=practice_id,
        role=role,
    )


def add_roster(
    services: Services,
    practices: Mapping[str, int],
    roster: Iterable[tuple[str, str, str]] = ROSTER,
) -> dict[str, dict[str, Any]]:
    """Create each ``(name, practice key, role)`` of ``roster``; return the users by name."""
    return {name: add_user(services, practices[key], role, name=name) for name, key, role in roster}


def actor(user: Mapping[str, Any]) -> Actor:
    """The actor a user record acts as in the services."""
    return Actor(int(user["id"]), str(user["email"]))


# -- posts --------------------------------------------------------------------------------------


def add_post(
    services: Services,
    practice_id: int,
    text: str,
    *,
    platform: str = "google",
    external_id: str | None = None,
    by: Actor = SYSTEM,
    **fields: Any,
) -> int:
    """Receive one post into a practice's inbox (triaged on arrival, as any post) and return its
    id. ``external_id`` defaults to a new one each call; ``fields`` are the other
    :class:`~safereply.services.NewPost` fields (``rating``, ``location``, ``author``, ``url``...).
    """
    ext = external_id or f"f-{next(_SERIAL)}"
    outcome = services.inbox.receive(by, practice_id, NewPost(platform, ext, text, **fields))
    assert outcome.post_id is not None, outcome
    return outcome.post_id


# -- signing in ---------------------------------------------------------------------------------


def _email(name_or_email: str) -> str:
    return name_or_email if "@" in name_or_email else f"{name_or_email}@example.test"


def sign_in(app: Any, name: str, password: str = PASSWORD) -> TestClient:
    """A browser signed in to the pages through the sign-in form (no second factor)."""
    client = TestClient(app)
    form = client.get("/login")
    token = _field(form.text, "login_token")
    response = client.post(
        "/login",
        data={"email": _email(name), "password": password, "login_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def api_login(app: Any, name: str, password: str = PASSWORD, **options: Any) -> TestClient:
    """A client signed in to the JSON API (session cookie, CSRF header set); ``options`` go to
    the TestClient (``raise_server_exceptions=False`` to see a 500 as the client would)."""
    client = TestClient(app, **options)
    response = client.post("/api/v1/auth/login", json={"email": _email(name), "password": password})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


def token_client(app: Any, name: str, scope: str = "admin") -> TestClient:
    """A client of the JSON API that sends a bearer token ``name`` created (with ``scope``)."""
    client = api_login(app, name)
    body = {"name": "script", "password": PASSWORD, "scope": scope}
    token = client.post("/api/v1/auth/tokens", json=body).json()["token"]
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})


def _field(html: str, name: str, value: str = r'[^"]+') -> str:
    found = re.search(rf'name="{name}" value="({value})"', html)
    assert found is not None, f"no {name} field in the page"
    return found.group(1)


def csrf_of(html: str) -> str:
    """The CSRF token of a page's forms."""
    return _field(html, "csrf_token")


def version_of(html: str) -> str:
    """The post version a page's workflow forms carry."""
    return _field(html, "expected_version", r"\d+")


class PageForms(HTMLParser):
    """A page's POST forms (``forms``: action and hidden field names), the ``for`` of its
    labels (``labels``) and its visible fields (``fields``: tag and id)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.labels: set[str] = set()
        self.fields: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"action": a.get("action"), "hidden": set()})
        if tag == "input" and a.get("type") == "hidden" and self.forms:
            self.forms[-1]["hidden"].add(a.get("name"))
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.fields.append((tag, a.get("id")))


def parse(html: str) -> PageForms:
    """Read a page's forms, labels and fields."""
    parser = PageForms()
    parser.feed(html)
    return parser


def assert_error(response: Any, status: int, code: str) -> None:
    """Assert the API answered with its error shape, this status and this code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
