"""Dates and times without a zone (issue 12, defect 5): ``?since=2026-01-01`` on the audit export
and the reports, and cursors, are taken as the practice's local time (UTC when it has none),
instead of a 500."""

from __future__ import annotations

import base64

import pytest
from factories import api_login

from safereply.services import NewPost


@pytest.fixture
def client(world):
    from safereply.web import create_app

    app = create_app(services=world.services)
    client = api_login(app, "admin", raise_server_exceptions=False)
    # One post, received at the world's clock: 2026-11-02 09:00 UTC (04:00 in New York).
    world.services.inbox.receive(
        world.admin,
        world.practice,
        NewPost(platform="google", external_id="t1", text="Lovely visit", rating=5),
    )
    return client


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-01",
        "2026-11-02T05:00",
        "2026-11-02T05:00:00.5",
        "2026-11-02 05:00",
        "2026-11-02T05:00:00Z",
        "2026-11-02T05:00:00+01:00",
    ],
)
def test_dates_and_naive_times_are_accepted_by_exports_and_reports(world, client, value):
    p = world.practice
    for path in (f"/api/v1/practices/{p}/audit", f"/api/v1/practices/{p}/reports/summary"):
        for name in ("since", "until"):
            response = client.get(path, params={name: value, "format": "json"})
            assert response.status_code == 200, (path, name, value, response.text)
    csv = client.get(f"/api/v1/practices/{p}/audit", params={"since": value, "format": "csv"})
    assert csv.status_code == 200


@pytest.mark.parametrize(
    "value", ["yesterday", "2026-13-01", "0001-01-01T00:00+14:00", "9999-12-31T23:59:59-12:00"]
)
def test_impossible_times_are_422_not_500(world, client, value):
    response = client.get(f"/api/v1/practices/{world.practice}/audit", params={"since": value})
    assert response.status_code in (200, 422), response.text
    response = client.get(
        f"/api/v1/practices/{world.practice}/reports/summary", params={"until": value}
    )
    assert response.status_code in (200, 422), response.text


def _posts(client, world, **params):
    response = client.get(f"/api/v1/practices/{world.practice}/reports/summary", params=params)
    assert response.status_code == 200, response.text
    return response.json()["posts"]


def test_naive_times_are_the_practices_local_time(world, client):
    # Without a time zone the practice's day is UTC's.
    assert _posts(client, world, since="2026-11-02T08:00") == 1
    assert _posts(client, world, since="2026-11-02T10:00") == 0
    assert _posts(client, world, since="2026-11-02") == 1
    assert _posts(client, world, until="2026-11-02") == 0
    response = client.patch(
        f"/api/v1/practices/{world.practice}/settings", json={"timezone": "America/New_York"}
    )
    assert response.status_code == 200 and response.json()["timezone"] == "America/New_York"
    # 09:00 UTC is 04:00 in New York (EST): naive times now mean New York's clock.
    assert _posts(client, world, since="2026-11-02T03:00") == 1
    assert _posts(client, world, since="2026-11-02T05:00") == 0
    assert _posts(client, world, since="2026-11-02T05:00:00Z") == 1  # a zone given is kept
    assert _posts(client, world, until="2026-11-02T04:30") == 1
    assert _posts(client, world, until="2026-11-02T03:30") == 0


def test_the_practice_time_zone_must_be_a_real_one(world, client):
    url = f"/api/v1/practices/{world.practice}/settings"
    for bad in ("Mars/Olympus", "../../etc/passwd", "", "x" * 300):
        response = client.patch(url, json={"timezone": bad})
        assert response.status_code == 422 or (bad == "" and response.status_code == 200), bad
    assert client.patch(url, json={"timezone": None}).json()["timezone"] is None


def test_a_cursor_with_a_naive_time_is_read_as_local_not_500(world, client):
    raw = base64.urlsafe_b64encode(b"2026-11-02T09:00:00|999").decode().rstrip("=")
    response = client.get(f"/api/v1/practices/{world.practice}/posts", params={"cursor": raw})
    assert response.status_code == 200, response.text
    junk = base64.urlsafe_b64encode(b"not a time|1").decode()
    response = client.get(f"/api/v1/practices/{world.practice}/posts", params={"cursor": junk})
    assert response.status_code == 422
