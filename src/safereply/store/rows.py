"""Reading one row that must exist, with an error that names it.

``Session.get`` answers ``None`` for a missing key. Where the caller holds a key from a foreign key
or from a row it just read, a missing row means someone deleted it meanwhile; saying so plainly (a
NotFoundError naming the table and key) is better than an AttributeError on ``None`` three lines
later, and it lets the type checker see the row as present.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import CursorResult, Result
from sqlalchemy.orm import Session

from safereply.errors import NotFoundError
from safereply.store.models import Base

RowT = TypeVar("RowT", bound=Base)


def get_row(session: Session, model: type[RowT], key: Any) -> RowT:
    """Return the row of ``model`` with primary key ``key``.

    Raises:
        NotFoundError: no such row (deleted meanwhile, or a key from elsewhere).
    """
    row = session.get(model, key)
    if row is None:
        raise NotFoundError(f"{model.__tablename__} {key!r} does not exist (deleted meanwhile?)")
    return row


def affected(result: Result[Any]) -> int:
    """Return how many rows an executed UPDATE or DELETE changed.

    ``Session.execute`` is typed as returning a plain ``Result``; for DML it is a ``CursorResult``,
    the one that carries ``rowcount``. Checking that here keeps the callers typed without casts.

    Raises:
        TypeError: not a cursor result (a programming error: only DML has a row count).
    """
    if not isinstance(result, CursorResult):
        raise TypeError(f"expected the result of an UPDATE or DELETE, got {type(result).__name__}")
    return int(result.rowcount)
