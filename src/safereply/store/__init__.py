"""Storage: SQLAlchemy tables, the engine factory and the packaged Alembic migrations."""

from __future__ import annotations

from safereply.store.engine import Store, make_engine
from safereply.store.migrate import current_revision, head_revision, upgrade

__all__ = ["Store", "current_revision", "head_revision", "make_engine", "open_store", "upgrade"]


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Open the database at ``url`` and, by default, bring its schema up to date."""
    store = Store.from_url(url)
    if migrate:
        upgrade(store)
    return store
