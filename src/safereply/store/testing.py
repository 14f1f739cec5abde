"""Throw-away databases for tests and benchmarks.

PostgreSQL runs only when ``SAFEREPLY_TEST_POSTGRES_URL`` names a server the tests may create
databases on; each session creates its own uniquely named database and drops it afterwards, so
parallel runs never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from safereply.store.engine import Store
from safereply.store.migrate import upgrade
from safereply.store.models import Base

__all__ = ["POSTGRES_ENV", "postgres_url", "reset", "temporary_postgres"]

POSTGRES_ENV = "SAFEREPLY_TEST_POSTGRES_URL"


def postgres_url() -> str | None:
    """Return the PostgreSQL server URL for tests, or None when none is configured."""
    return os.environ.get(POSTGRES_ENV) or None


@contextmanager
def temporary_postgres(server_url: str, *, prefix: str = "safereply_test") -> Iterator[Store]:
    """Create a fresh, migrated database on a PostgreSQL server; drop it on exit."""
    url = make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        store = Store.from_url(url.set(database=name).render_as_string(hide_password=False))
        try:
            upgrade(store)
            yield store
        finally:
            store.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def reset(store: Store) -> None:
    """Empty every table (PostgreSQL: TRUNCATE, which the audit triggers allow for tests)."""
    names = ", ".join(f'"{t.name}"' for t in reversed(Base.metadata.sorted_tables))
    with store.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
