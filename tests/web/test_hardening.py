"""Smaller hardening items of issue 12: JSON is never cached or sniffed, the API reference needs no
CDN and is not public in production, weak passwords are refused, files are owner-only."""

from __future__ import annotations

import os
import re
import stat

import pytest
from factories import MAPLE, PASSWORD, add_practice, add_user, api_login, make_services
from fastapi.testclient import TestClient

from safereply.errors import InputError


def _no_store(response):
    assert response.headers.get("cache-control") == "no-store", response.request.url
    assert response.headers.get("x-content-type-options") == "nosniff", response.request.url


def test_json_and_csv_answers_are_not_cached_or_sniffed(api):
    app, _, (pid, _), _ = api
    client = api_login(app, "manager")
    for path in (
        "/api/v1/auth/me",
        f"/api/v1/practices/{pid}/posts",
        f"/api/v1/practices/{pid}/audit?format=csv",
        "/api/v1/posts/999999",
        "/api/v1/nowhere",
        f"/p/{pid}/inbox?format=json",
        "/healthz",
    ):
        _no_store(client.get(path))
    _no_store(TestClient(app).get("/api/v1/auth/me"))  # 401
    _no_store(TestClient(app).post("/api/v1/auth/login", content=b"x" * 20_000))  # 413


def test_the_api_reference_uses_no_cdn(api):
    app, *_ = api
    client = TestClient(app)
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/api/v1/practices/{practice_id}/posts" in docs.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", docs.text), "no outside assets"
    assert "cdn" not in docs.text.lower()
    assert "default-src 'self'" in docs.headers["content-security-policy"]
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").status_code == 200


def test_in_production_the_reference_and_schema_need_a_sign_in(sqlite_store):
    from safereply.web import create_app

    services = make_services(
        sqlite_store, environment="production", secret_key="s" * 48, sweep_interval=0
    )
    add_user(services, add_practice(services, MAPLE), "admin", name="a")
    app = create_app(services=services)
    anonymous = TestClient(app)
    assert anonymous.get("/docs", follow_redirects=False).status_code in (303, 401)
    assert anonymous.get("/openapi.json").status_code == 401
    client = TestClient(app)
    client.post("/api/v1/auth/login", json={"email": "a@example.test", "password": PASSWORD})
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "SafeReply"


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaa",
        "abababababab",
        "1234567890",
        "0987654321",
        "qwertyuiop",
        "abcdefghijkl",
        "password123",
        "Password1234",
        "riley.front@example.test",
        "riley.front2026",
        "RILEY.FRONT!!",
    ],
)
def test_weak_passwords_are_refused(api, password):
    _, services, (pid, _), _ = api
    from safereply.services import SYSTEM

    with pytest.raises(InputError):
        services.users.create_user(
            SYSTEM, email="riley.front@example.test", password=password, practice_id=pid
        )
    with pytest.raises(InputError):
        services.users.invite(
            SYSTEM,
            practice_id=pid,
            email="riley.front@example.test",
            password=password,
            role="staff",
        )


def test_a_password_change_refuses_weak_ones_too(api):
    app, *_ = api
    client = api_login(app, "staff")
    for weak in ("aaaaaaaaaaaa", "staff@example.test", "staff-password"):
        response = client.put(
            "/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": weak}
        )
        assert response.status_code == 422, weak
    ok = client.put(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "a sturdier passphrase"},
    )
    assert ok.status_code == 200


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_database_and_its_folder_are_owner_only(tmp_path):
    from safereply.store import Store, upgrade

    old = os.umask(0o022)
    try:
        path = tmp_path / "new-folder" / "db.sqlite3"
        store = Store.from_url(f"sqlite:///{path}")
        upgrade(store)
        with store.write() as session:
            session.execute(__import__("sqlalchemy").text("SELECT 1"))
        store.dispose()
    finally:
        os.umask(old)
    assert _mode(path.parent) == 0o700
    for name in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"):
        if (path.parent / name).exists():
            assert _mode(path.parent / name) == 0o600, name


def test_a_backup_is_owner_only(tmp_path, monkeypatch):
    from safereply.cli.main import main
    from safereply.store import Store, upgrade

    db = tmp_path / "live.sqlite3"
    store = Store.from_url(f"sqlite:///{db}")
    upgrade(store)
    store.dispose()
    monkeypatch.setenv("SAFEREPLY_DATABASE_URL", f"sqlite:///{db}")
    old = os.umask(0o022)
    try:
        assert main(["backup", str(tmp_path / "copy.sqlite3")]) == 0
    finally:
        os.umask(old)
    assert _mode(tmp_path / "copy.sqlite3") == 0o600


def test_hsts_is_sent_when_the_service_is_served_over_https(tmp_path):
    from safereply.services import build_services
    from safereply.settings import Settings
    from safereply.store import Store, upgrade
    from safereply.web import create_app

    store = Store.from_url(f"sqlite:///{tmp_path / 'hsts.sqlite3'}")
    upgrade(store)
    for base, expected in (("https://inbox.example", True), ("http://127.0.0.1:8000", False)):
        settings = Settings(environment="test", secret_key="h" * 40, base_url=base)
        app = create_app(services=build_services(store, settings))
        response = TestClient(app).get("/login")
        header = response.headers.get("strict-transport-security")
        assert (header is not None) == expected, base
        if expected:
            assert "max-age=31536000" in header
    store.dispose()
