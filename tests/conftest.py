"""Fixtures every test folder shares (the factories they build with are in ``factories.py``):

* ``sqlite_template`` / ``sqlite_store``: a migrated SQLite database, copied for each test;
  ``store``: the same on each backend (SQLite, and PostgreSQL when configured);
* ``site``: the app for the page tests, with the usual cast (``factories.ROSTER``), a few posts
  and a clock the test moves;
* ``api``: the app for the JSON API tests, with the usual cast and fake analysers (``FAKES``).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from factories import (
    HARBOR,
    MAPLE,
    Clock,
    FakeReport,
    FakeTriage,
    add_post,
    add_practice,
    add_roster,
    make_services,
)

from safereply.services import Analysers
from safereply.services.insights import forget_counted_months
from safereply.store import Store, upgrade
from safereply.store.testing import POSTGRES_ENV, postgres_url, reset, temporary_postgres


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite file: copy it for each test (much faster than migrating each
    time)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Store.from_url(f"sqlite:///{path}")
    upgrade(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def sqlite_store(tmp_path: Path, sqlite_template: Path):
    """A fresh migrated SQLite store (a copy of the template), disposed after the test."""
    import shutil

    path = tmp_path / "test.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Store.from_url(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def postgres_store():
    """One PostgreSQL database for the test session (None without SAFEREPLY_TEST_POSTGRES_URL)."""
    url = postgres_url()
    if not url:
        yield None
        return
    with temporary_postgres(url) as db:
        yield db


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, postgres_store: Store | None):
    """A migrated, empty database on each backend: ``sqlite_store``, then PostgreSQL emptied
    for the test (skipped, saying why, when none is configured)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_store")
        return
    if postgres_store is None:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+psycopg://...)")
    reset(postgres_store)
    # The months the dashboard and the summary report counted belong to the emptied data.
    forget_counted_months(postgres_store)
    yield postgres_store


COMPLAINT = (
    "I was charged twice for the same cleaning and nobody at the front desk will sort out the "
    "bill. Worst billing office ever."
)


@pytest.fixture
def site(sqlite_store):
    """The pages' app: Maple (two locations) and Harbor, their users, and posts ``complaint``,
    ``praise`` and ``question`` at Maple and ``elsewhere`` at Harbor.

    Yields ``(app, services, clock, practices, users, posts)``.
    """
    from safereply.web import create_app

    clock = Clock()
    # The clock jumps past the cooling-off hour while people stay signed in: a long idle time.
    services = make_services(
        sqlite_store,
        clock=clock,
        secret_key="p" * 40,
        sweep_interval=0,
        session_idle_timeout=4 * 3600,
    )
    maple = add_practice(services, MAPLE, locations=("Downtown", "Eastside"))
    practices = {"maple": maple, "harbor": add_practice(services, HARBOR)}
    users = add_roster(services, practices)
    posts = {}
    for key, platform, location, rating, text in [
        ("complaint", "google", "Downtown", 1.0, COMPLAINT),
        ("praise", "yelp", "Eastside", 5.0, "Friendly team and a spotless office. Thank you!"),
        ("question", "facebook", "Downtown", None, "Do you take new patients on Saturdays?"),
    ]:
        posts[key] = add_post(
            services,
            maple,
            text,
            platform=platform,
            external_id=key,
            rating=rating,
            location=location,
            author=f"{key.title()} Poster",
            url=f"https://{platform}.example/{key}",
        )
    posts["elsewhere"] = add_post(
        services, practices["harbor"], "Lovely staff.", external_id="h1", rating=5.0
    )
    yield create_app(services=services), services, clock, practices, users, posts


def _triage(text, platform=None, rating=None):
    if "chest pain" in text.lower():
        return _triaged("emergency", ["clinical-care"], "urgent")
    if rating is not None and rating <= 2:
        return _triaged("complaint", ["wait-time"], "high")
    return _triaged("praise", [], "low")


def _triaged(kind: str, topics: list[str], priority: str) -> FakeTriage:
    return FakeTriage(kind, topics, priority, sentiment=-0.5, aspects=[])


def _check(reply, post=None, practice=None):
    return FakeReport("block" if "your visit" in reply.lower() else "pass")


@dataclass
class _Draft:
    reply: str

    def to_dict(self, id: Any = None) -> dict[str, Any]:
        return {
            "id": id,
            "reply": self.reply,
            "verdict": "pass",
            "kind": "praise",
            "topics": [],
            "source": "template",
        }


def _compose(text, *, practice, platform=None, rating=None, post_id=None):
    return _Draft(f"Thank you! Call {practice.phone}.")


#: The API tests' analysers: chest pain is an emergency, a low rating a complaint, "your visit"
#: in a reply blocks it.
FAKES = Analysers(triage=_triage, check=_check, compose=_compose)


@pytest.fixture
def api(sqlite_store):
    """The API's app with fake analysers: Maple and Harbor and their users.

    Yields ``(app, services, [maple id, harbor id], users)``.
    """
    from safereply.web import create_app

    services = make_services(
        sqlite_store, analysers=FAKES, secret_key="k" * 40, login_max_failures=3
    )
    practices = {"maple": add_practice(services, MAPLE), "harbor": add_practice(services, HARBOR)}
    users = add_roster(services, practices)
    yield create_app(services=services), services, [practices["maple"], practices["harbor"]], users


@pytest.fixture
def google():
    """A local Google Business Profile double (tests/connectors/google_double.py) serving the
    location ``google_world.LOCATION``, stopped after the test."""
    import sys

    here = str(Path(__file__).resolve().parent / "connectors")
    if here not in sys.path:
        sys.path.insert(0, here)
    from google_double import GoogleDouble
    from google_world import LOCATION

    double = GoogleDouble(LOCATION).start()
    yield double
    double.stop()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Freeze what is still alive once the run is over, so the interpreter's exit does not walk
    it again. In session 8 the suite's heap reached 4.7 GB (FastAPI's module-level caches kept
    every test's app alive, fixed in session 9: ``tests/web/test_app_lifetime.py``) and the exit
    took about ten minutes; what is left alive now (models, caches: about 450,000 objects after
    ``tests/web/test_pages.py``) still cost about 2 s to collect at exit, 0.2 s frozen. Nothing
    runs after this hook that needs a collection."""
    gc.freeze()
