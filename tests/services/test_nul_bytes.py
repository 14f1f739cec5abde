"""NUL characters (issue 12, defect 3): PostgreSQL cannot store them in text, so every way in
rejects them (the import per row, with its line; the API with 422; any other write with an
InputError), on both databases alike, and no database error ever writes SQL parameters (post text)
into the log."""

from __future__ import annotations

import json
import logging

import pytest
from factories import api_login
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, StatementError

from safereply.errors import InputError
from safereply.services.importer import import_posts

MARKER = "Zebulon-marker-7731"


def _jsonl(*texts: str) -> bytes:
    return "\n".join(
        json.dumps({"id": f"n{i}", "text": t, "rating": 4}) for i, t in enumerate(texts, 1)
    ).encode()


def test_an_import_rejects_the_nul_row_by_line_and_keeps_the_good_rows(world, caplog):
    caplog.set_level(logging.DEBUG)
    data = _jsonl("A fine visit.", f"{MARKER} bad\u0000row", "Kind staff, short wait.")
    report = import_posts(
        world.services.inbox, world.manager, world.practice, data, name="x.jsonl", platform="google"
    )
    assert report.created == 2
    assert [r.line for r in report.rejected] == [2]
    assert "NUL" in report.rejected[0].reason
    assert MARKER not in caplog.text


def test_nul_in_other_columns_is_rejected_per_row_too(world):
    rows = [
        {"id": "a\u0000", "text": "ok one"},
        {"id": "b", "text": "ok two", "author": "Pat\u0000"},
        {"id": "c", "text": "ok three", "url": "https://example.test/\u0000"},
        {"id": "d", "text": "ok four"},
    ]
    data = "\n".join(json.dumps(r) for r in rows).encode()
    report = import_posts(
        world.services.inbox, world.manager, world.practice, data, name="x.jsonl", platform="google"
    )
    assert report.created == 1 and [r.line for r in report.rejected] == [1, 2, 3]


def test_any_other_write_with_a_nul_is_an_input_error_on_both_databases(world):
    with pytest.raises(InputError, match="NUL"):
        world.services.practices.add_improvement(
            world.manager, world.practice, topic="wait-time", text="second desk\u0000"
        )
    assert world.services.practices.list_improvements(world.manager, world.practice) == []


def test_database_errors_never_carry_their_parameters(store):
    assert store.engine.hide_parameters is True
    with pytest.raises((DBAPIError, StatementError)) as caught, store.write() as session:
        session.execute(text("SELECT CAST(:v AS INTEGER) + no_such_column"), {"v": MARKER})
    assert MARKER not in str(caught.value)


def test_the_api_answers_422_for_a_nul_and_logs_no_text(world, caplog):
    from safereply.web import create_app

    caplog.set_level(logging.DEBUG)
    app = create_app(services=world.services)
    client = api_login(app, "manager", raise_server_exceptions=False)
    body = {"platform": "google", "external_id": "nul1", "text": f"{MARKER}\u0000 hello"}
    response = client.post(f"/api/v1/practices/{world.practice}/posts", json=body)
    assert response.status_code == 422, response.text
    ok = client.post(
        f"/api/v1/practices/{world.practice}/posts",
        json={"platform": "google", "external_id": "ok1", "text": "hello"},
    )
    assert ok.status_code == 201
    files = {"file": ("r.jsonl", _jsonl("Good one.", f"{MARKER}\u0000", "Good two."))}
    imported = client.post(
        f"/api/v1/practices/{world.practice}/imports", files=files, data={"platform": "yelp"}
    )
    assert imported.status_code == 200, imported.text
    assert imported.json()["created"] == 2
    assert [r["line"] for r in imported.json()["rejected"]] == [2]
    assert MARKER not in caplog.text
