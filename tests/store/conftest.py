"""Fixtures for the storage tests: ``store`` (tests/conftest.py) on SQLite and PostgreSQL, with
SQLite migrated afresh for each test rather than copied from a template."""

from __future__ import annotations

import pytest

from safereply.store import Store, upgrade


@pytest.fixture
def sqlite_store(tmp_path):
    """A freshly migrated SQLite database (overrides the shared template copy)."""
    db = Store.from_url(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    upgrade(db)
    yield db
    db.dispose()
