"""PostgreSQL's pool pings a connection only after it rested (session 10): ``pool_pre_ping``
pinged on every checkout, a round trip and CPU for each of a request's transactions. A connection
in steady use is not pinged; one that rested is, and a dead one is replaced before use."""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import text

from safereply.store import engine as engine_module

URL = os.environ.get("SAFEREPLY_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(
    not URL, reason="needs PostgreSQL: SAFEREPLY_TEST_POSTGRES_URL (e.g. postgresql+psycopg://...)"
)


@pytest.fixture
def engine(monkeypatch):
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE", 0.3)
    eng = engine_module.make_engine(URL)
    pings = []
    real = eng.dialect.do_ping

    def counting(dbapi_conn):
        pings.append(dbapi_conn)
        return real(dbapi_conn)

    monkeypatch.setattr(eng.dialect, "do_ping", counting)
    eng.pings = pings
    yield eng
    eng.dispose()


def _backend(eng) -> int:
    with eng.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_connection_in_steady_use_is_not_pinged_and_a_rested_one_is(engine):
    first = _backend(engine)
    for _ in range(5):
        assert _backend(engine) == first  # the same pooled connection, no ping
    assert engine.pings == []
    time.sleep(0.4)
    assert _backend(engine) == first
    assert len(engine.pings) == 1


def test_a_rested_connection_that_died_is_replaced_before_use(engine):
    dead = _backend(engine)
    with engine_module.make_engine(URL).connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dead})
    time.sleep(0.4)
    with engine.connect() as conn:  # no error: the ping found it dead and the pool replaced it
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != dead
    assert len(engine.pings) == 1
