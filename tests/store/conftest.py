"""Fixtures for the storage tests: a migrated database on SQLite, and on PostgreSQL when set."""

from __future__ import annotations

import pytest

from safereply.store import Store, upgrade
from safereply.store.testing import POSTGRES_ENV, postgres_url, reset, temporary_postgres


@pytest.fixture(scope="session")
def _postgres_store():
    url = postgres_url()
    if not url:
        yield None
        return
    # One uniquely named database per test session, emptied between tests.
    with temporary_postgres(url, prefix="safereply_store_test") as db:
        yield db


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path, _postgres_store):
    """A freshly migrated database on each backend."""
    if request.param == "sqlite":
        db = Store.from_url(f"sqlite:///{tmp_path / 'store.sqlite3'}")
        upgrade(db)
        yield db
        db.dispose()
        return
    if _postgres_store is None:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+psycopg://...)")
    reset(_postgres_store)
    yield _postgres_store
