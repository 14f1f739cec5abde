"""An app built, used and thrown away is freed: nothing global keeps it, its services or its
database alive.

FastAPI keeps every endpoint and dependency it registers as a key of module-level caches
(``fastapi.dependencies.models``, 4,096 entries each). While ``/healthz``, ``/openapi.json`` and
``/docs`` were closures over the app and its services, those caches kept every app ever built
alive, about 50,000 objects each: the test suite, one app per test, grew to 4.7 GB (session 9).
A process serving one app for weeks is hurt the same way by anything global that holds an app.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from factories import MAPLE, add_practice, add_user, api_login, make_services, sign_in
from fastapi.testclient import TestClient

from safereply.settings import Settings
from safereply.store import Store
from safereply.web import create_app


def _use(app) -> None:
    """Start the app, open the routes it adds itself, a page and the API, signed in, as a
    visitor would, and stop it."""
    with TestClient(app) as anonymous:
        for path in ("/healthz", "/openapi.json", "/docs", "/login"):
            assert anonymous.get(path).status_code == 200, path
        with sign_in(app, "manager") as browser:
            assert browser.get("/").status_code == 200
        with api_login(app, "manager") as client:
            assert client.get("/api/v1/auth/me").status_code == 200


def _refs(app, *more) -> list[weakref.ref]:
    """Weak references to the app, its services (their own dataclass has slots: no weak
    reference) and ``more``."""
    services = app.state.services
    return [weakref.ref(o) for o in (app, services.users, services.inbox, *more)]


def _app_on(store: Store) -> list[weakref.ref]:
    """Build an app over ``store``, use it; return weak references to the app and its
    services."""
    services = make_services(store, secret_key="w" * 40)
    add_user(services, add_practice(services, MAPLE), "manager")
    app = create_app(services=services)
    _use(app)
    return _refs(app)


def _alive(refs: list[weakref.ref]) -> list[str]:
    """The references whose object a full collection leaves alive."""
    gc.collect()
    return [repr(ref) for ref in refs if ref() is not None]


def test_an_app_over_a_store_it_was_given_is_freed_once_dropped(sqlite_store):
    assert _alive(_app_on(sqlite_store)) == []


def _app_from_settings(tmp_path: Path) -> list[weakref.ref]:
    """Build an app from settings (its own store, migrated here), use it and stop it; return
    weak references to the app, its services, its store and its engine."""
    url = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    app = create_app(Settings(environment="test", secret_key="s" * 40, database_url=url))
    services = app.state.services
    add_user(services, add_practice(services, MAPLE), "manager")
    _use(app)
    return _refs(app, services.store, services.store.engine)


def test_an_app_built_from_settings_is_freed_with_its_store(tmp_path):
    assert _alive(_app_from_settings(tmp_path)) == []
