"""get_row: a row that must exist comes back typed; a missing one raises a NotFoundError."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from safereply.errors import NotFoundError
from safereply.store.models import Organisation
from safereply.store.rows import affected, get_row


def test_get_row_returns_the_row_and_names_a_missing_one(store) -> None:
    with store.write() as session:
        org = Organisation(name="Group")
        session.add(org)
        session.flush()
        assert get_row(session, Organisation, org.id) is org
        with pytest.raises(NotFoundError, match=r"organisations 999999 does not exist"):
            get_row(session, Organisation, 999_999)


def test_affected_counts_the_rows_an_update_changed(store) -> None:
    with store.write() as session:
        session.add_all([Organisation(name="A"), Organisation(name="B")])
        session.flush()
        changed = session.execute(
            update(Organisation).where(Organisation.name == "A").values(name="C")
        )
        assert affected(changed) == 1
        with pytest.raises(TypeError, match="UPDATE or DELETE"):
            affected(session.execute(select(Organisation.id)).freeze())
