"""get_row: a row that must exist comes back typed; a missing one raises a NotFoundError."""

from __future__ import annotations

import pytest

from safereply.errors import NotFoundError
from safereply.store.models import Organisation
from safereply.store.rows import get_row


def test_get_row_returns_the_row_and_names_a_missing_one(store) -> None:
    with store.write() as session:
        org = Organisation(name="Group")
        session.add(org)
        session.flush()
        assert get_row(session, Organisation, org.id) is org
        with pytest.raises(NotFoundError, match=r"organisations 999999 does not exist"):
            get_row(session, Organisation, 999_999)
