"""Integers out of range (issue 12, defect 4): ids past 2^31 (PostgreSQL's integer columns) or
past 2^63 (SQLite's), in a path, a query or a body, on every API route and page, answer 404 or
422, never 500, on both databases."""

from __future__ import annotations

import re

import pytest
from factories import api_login

BIG = [2**31, 2**63, 2**64 + 7, 10**40]


@pytest.fixture
def app_and_clients(world):
    from safereply.web import create_app

    app = create_app(services=world.services)
    api = api_login(app, "admin", raise_server_exceptions=False)
    return app, api


def _api_routes(app):
    for path, methods in app.openapi()["paths"].items():
        if "{" in path:
            for method in methods:
                yield method.upper(), path


@pytest.mark.parametrize("big", BIG)
def test_every_api_path_id_out_of_range_is_404_or_422(world, app_and_clients, big):
    app, client = app_and_clients
    seen = 0
    for method, path in _api_routes(app):
        url = re.sub(r"\{[^}]+\}", str(big), path)
        if path.endswith("/imports"):
            response = client.post(url, files={"file": ("r.csv", "id,text\n1,hi\n")})
        else:
            response = client.request(method, url, json={} if method != "GET" else None)
        assert response.status_code in (404, 422), (method, path, response.text)
        seen += 1
    assert seen >= 30


@pytest.mark.parametrize("big", BIG)
def test_ids_in_queries_and_bodies_out_of_range_are_404_or_422(world, app_and_clients, big):
    _, client = app_and_clients
    p = world.practice
    post = client.post(
        f"/api/v1/practices/{p}/posts",
        json={"platform": "google", "external_id": "x1", "text": "Lovely visit"},
    ).json()["post_id"]
    client.post(f"/api/v1/posts/{post}/drafts", json={"text": "Thank you!"})
    calls = [
        ("GET", f"/api/v1/practices/{p}/posts?location_id={big}", None),
        ("GET", f"/api/v1/practices/{p}/posts?limit={big}", None),
        ("POST", "/api/v1/check", {"reply": "Thanks", "practice_id": big}),
        ("POST", "/api/v1/draft", {"text": "Nice", "practice_id": big}),
        ("POST", f"/api/v1/posts/{post}/approve", {"draft_id": big}),
        ("POST", f"/api/v1/posts/{post}/submit", {"expected_version": big}),
        ("POST", f"/api/v1/posts/{post}/drafts", {"text": "Hi", "expected_version": -big}),
    ]
    for method, url, body in calls:
        response = client.request(method, url, json=body)
        assert response.status_code in (404, 409, 422), (url, body, response.text)


def _ids_only(route) -> bool:
    """Whether every path parameter of the route is a number (a reset token is text: a big
    number there is just a wrong token, refused by the form's own CSRF check first)."""
    return all(p.field_info.annotation is not str for p in route.dependant.path_params)


def _page_routes(app):
    from fastapi.routing import APIRoute

    from safereply.web.views import html_router

    def walk(routes):
        for route in routes:
            if hasattr(route, "original_router"):  # an included router (FastAPI keeps it whole)
                yield from walk(route.original_router.routes)
            elif isinstance(route, APIRoute) and "{" in route.path and _ids_only(route):
                for method in route.methods:
                    yield method, route.path

    yield from walk(html_router().routes)


@pytest.mark.parametrize("big", BIG)
def test_every_page_with_an_id_out_of_range_is_404_or_422(world, app_and_clients, big):
    app, client = app_and_clients
    # Signed in by the fixture: its session cookie serves the pages too.
    inbox = client.get(f"/p/{world.practice}/inbox").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', inbox).group(1)
    seen = 0
    for method, path in _page_routes(app):
        url = re.sub(r"\{[^}]+\}", str(big), path)
        data = {"csrf_token": csrf} if method == "POST" else None
        response = client.request(method, url, data=data, follow_redirects=False)
        assert response.status_code in (404, 422), (method, path, response.status_code)
        seen += 1
    assert seen >= 10


@pytest.mark.parametrize("page", [str(2**31), str(2**63), "9" * 40, "²", "-3", "1e9"])
def test_page_numbers_out_of_range_never_crash_the_audit_page(world, app_and_clients, page):
    _, client = app_and_clients
    # Signed in by the fixture: its session cookie serves the pages too.
    response = client.get(f"/p/{world.practice}/audit?page={page}")
    assert response.status_code in (200, 404, 422), response.text[:300]
