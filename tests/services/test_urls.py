"""Only http(s) addresses, everywhere (issue 12, defect 7): a ``javascript:`` or ``data:`` URL
used to be accepted by the import and by the API's mark-replied, and shown as a link."""

from __future__ import annotations

import json

import pytest
from factories import api_login
from fastapi.testclient import TestClient
from sqlalchemy import text

from safereply.errors import InputError
from safereply.services import NewPost
from safereply.services.importer import import_posts
from safereply.urls import http_url

UNSAFE = [
    "javascript:alert(document.cookie)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "file:///etc/passwd",
    "http:/\\evil.example",
    "https://",
    "https://user:pass@evil.example/",
    "ftp://files.example/review",
]
SAFE = ["https://www.google.com/maps/reviews/1", "http://yelp.example/biz/x?hrid=2#r"]


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_addresses_are_refused(url):
    with pytest.raises(InputError):
        http_url(url)


@pytest.mark.parametrize("url", SAFE)
def test_http_addresses_pass(url):
    assert http_url(url) == url
    assert http_url(None) is None and http_url("  ") is None


def test_an_import_rejects_rows_with_unsafe_urls_by_line(world):
    rows = [{"id": f"u{i}", "text": "Nice visit", "url": url} for i, url in enumerate(UNSAFE)]
    rows += [{"id": f"s{i}", "text": "Nice visit", "url": url} for i, url in enumerate(SAFE)]
    data = "\n".join(json.dumps(r) for r in rows).encode()
    report = import_posts(
        world.services.inbox, world.manager, world.practice, data, name="x.jsonl", platform="yelp"
    )
    assert report.created == len(SAFE)
    assert [r.line for r in report.rejected] == list(range(1, len(UNSAFE) + 1))
    assert all("http" in r.reason for r in report.rejected)


def test_the_store_refuses_unsafe_urls_whoever_writes_them(world):
    with pytest.raises(InputError):
        world.services.inbox.receive(
            world.staff,
            world.practice,
            NewPost(platform="google", external_id="j1", text="Hi", url="javascript:alert(1)"),
        )


def test_the_api_refuses_unsafe_urls_on_posts_and_mark_replied(world):
    from safereply.web import create_app

    app = create_app(services=world.services)
    client = TestClient(app)

    staff, manager = api_login(app, "staff"), api_login(app, "manager")
    p = world.practice
    for url in UNSAFE:
        body = {"platform": "google", "external_id": "x", "text": "Lovely", "url": url}
        assert staff.post(f"/api/v1/practices/{p}/posts", json=body).status_code == 422, url
    post = staff.post(
        f"/api/v1/practices/{p}/posts",
        json={"platform": "google", "external_id": "ok", "text": "Lovely", "url": SAFE[0]},
    ).json()["post_id"]
    staff.post(f"/api/v1/posts/{post}/drafts", json={"text": "Thank you!"})
    staff.post(f"/api/v1/posts/{post}/submit")
    assert manager.post(f"/api/v1/posts/{post}/approve", json={}).status_code == 200
    for url in UNSAFE:
        response = staff.post(f"/api/v1/posts/{post}/mark-replied", json={"url": url})
        assert response.status_code == 422, url
    assert staff.get(f"/api/v1/posts/{post}").json()["state"] == "approved"
    done = staff.post(f"/api/v1/posts/{post}/mark-replied", json={"url": SAFE[1]})
    assert done.status_code == 200 and done.json()["state"] == "marked_replied"
    assert client.get("/healthz").status_code == 200


def test_a_migration_clears_unsafe_urls_stored_before(tmp_path):
    from safereply.store import Store, upgrade

    store = Store.from_url(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(store, "0005")
    with store.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO organisations (id, name, created_at) VALUES (1, 'o', '2026-01-01')")
        )
        conn.execute(
            text(
                "INSERT INTO practices (id, organisation_id, name, phone, staff, created_at) "
                "VALUES (1, 1, 'p', '555', '[]', '2026-01-01')"
            )
        )
        for n, url in enumerate(["javascript:alert(1)", " data:text/html,x", SAFE[0], None]):
            conn.execute(
                text(
                    "INSERT INTO posts (practice_id, platform, external_id, text, url, state, "
                    "kind, priority, received_at, due_at, updated_at, version) VALUES (1, "
                    "'google', :e, 't', :u, 'new', 'praise', 'low', '2026-01-01', '2026-01-02', "
                    "'2026-01-01', 1)"
                ),
                {"e": f"e{n}", "u": url},
            )
    upgrade(store)
    with store.engine.connect() as conn:
        urls = [r[0] for r in conn.execute(text("SELECT url FROM posts ORDER BY external_id"))]
    assert urls == [None, None, SAFE[0], None]
    store.dispose()
