"""Fixtures for the storage tests: a migrated database on SQLite, and on PostgreSQL when set."""

from __future__ import annotations

import pytest

from safereply.store import Store, upgrade
from safereply.store.testing import POSTGRES_ENV, postgres_url, temporary_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """A freshly migrated database on each backend."""
    if request.param == "sqlite":
        db = Store.from_url(f"sqlite:///{tmp_path / 'store.sqlite3'}")
        upgrade(db)
        yield db
        db.dispose()
        return
    url = postgres_url()
    if not url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+psycopg://...)")
    with temporary_postgres(url, prefix="safereply_store_test") as db:
        yield db
