"""Request bodies are limited per route before they are parsed (issue 12, defect 2).

A body over its route's limit answers 413 in the one error shape; a declared Content-Length over
the limit is refused without reading a byte, and a chunked body (no length) is refused as soon as
the bytes read pass the limit, never read to the end.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from factories import api_login, assert_error
from fastapi.testclient import TestClient

from safereply.web.limits import body_limit_for


class _Endless:
    """An ASGI receive that sends body chunks forever (a chunked upload that never ends)."""

    def __init__(self, chunk: bytes, *, first: bytes = b"") -> None:
        self.chunk = chunk
        self.first = first
        self.sent = 0

    async def __call__(self):
        body, self.first = (self.first or self.chunk), b""
        self.sent += len(body)
        return {"type": "http.request", "body": body, "more_body": True}


def _call(app, path, receive, headers=()):
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.encode(), v.encode()) for k, v in headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "state": {},
    }
    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body


def test_limits_are_per_route():
    login_limit = body_limit_for("/api/v1/auth/login")
    assert login_limit <= 16 * 1024
    assert body_limit_for("/login") == login_limit
    assert body_limit_for("/api/v1/practices/1/posts") <= 1024 * 1024
    assert body_limit_for("/posts/3/draft") <= 256 * 1024
    # The import routes keep their documented limits (and the page answers its own 413 first).
    assert body_limit_for("/api/v1/practices/1/imports") > 50 * 1024 * 1024
    assert body_limit_for("/import") > 5 * 1024 * 1024
    assert body_limit_for("/p/1/scan") > 5 * 1024 * 1024


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/api/v1/auth/login", "application/json"),
        ("/api/v1/practices/1/posts", "application/json"),
        ("/login", "application/x-www-form-urlencoded"),
        ("/posts/1/draft", "application/x-www-form-urlencoded"),
        ("/p/1/users", "multipart/form-data; boundary=xyz"),
    ],
)
def test_a_chunked_body_is_refused_without_being_read_to_the_end(api, path, content_type):
    app, *_ = api
    first = b"{"
    if content_type.startswith("multipart"):
        first = b'--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\n'
    receive = _Endless(b"a" * 65_536, first=first)
    status, body = _call(app, path, receive, headers=[("content-type", content_type)])
    assert status == 413
    assert json.loads(body)["error"]["code"] == "too_large"
    assert receive.sent <= body_limit_for(path) + 65_536


def test_a_declared_length_over_the_limit_is_refused_before_reading(api):
    app, *_ = api
    receive = _Endless(b" " * 65_536)
    status, body = _call(
        app,
        "/api/v1/auth/login",
        receive,
        headers=[("content-type", "application/json"), ("content-length", str(300 * 1024**2))],
    )
    assert status == 413 and receive.sent == 0
    assert json.loads(body)["error"]["code"] == "too_large"


def test_an_oversized_login_is_413_in_the_error_shape(api):
    app, *_ = api
    client = TestClient(app)
    big = {"email": "a@example.test", "password": "x" * 200_000}
    assert_error(client.post("/api/v1/auth/login", json=big), 413, "too_large")

    def chunks():
        yield b'{"email": "a@example.test", "password": "'
        for _ in range(100):
            yield b"x" * 10_000
        yield b'"}'

    response = client.post(
        "/api/v1/auth/login", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_error(response, 413, "too_large")


def test_bodies_within_the_limit_still_work(api):
    app, _, (pid, _), _ = api
    client = api_login(app, "staff")
    text = "A long and thoughtful review. " * 1600  # 48,000 characters
    response = client.post(
        f"/api/v1/practices/{pid}/posts",
        json={"platform": "google", "external_id": "long", "text": text},
    )
    assert response.status_code == 201, response.text
    too_big = {"platform": "google", "external_id": "huge", "text": "x" * 2_000_000}
    assert_error(client.post(f"/api/v1/practices/{pid}/posts", json=too_big), 413, "too_large")


def test_a_real_server_refuses_a_huge_chunked_login_early(api):
    """Over a real socket (uvicorn): a 300 MB chunked body is answered 413 after a few chunks."""
    import select
    import socket
    import threading
    import time

    import uvicorn

    app, *_ = api
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    sent = 0
    answer = b""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(
                b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            chunk = b"%x\r\n%s\r\n" % (65_536, b" " * 65_536)
            while sent < 300 * 1024 * 1024:
                readable, _, _ = select.select([conn], [], [], 0)
                if readable:
                    break
                try:
                    conn.sendall(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent += 65_536
            conn.settimeout(10)
            while b"\r\n\r\n" not in answer:
                part = conn.recv(65_536)
                if not part:
                    break
                answer += part
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 16 * 1024 * 1024  # stopped long before 300 MB


def test_hostile_json_bodies_are_refused_not_crashes(api):
    """Issue 12, defect 6: nested bodies and ids are 4xx, never 500."""
    app, *_ = api
    client = api_login(app, "staff")
    client.app  # noqa: B018  (the same app)
    deep = "[" * 1000 + "]" * 1000
    bodies = [
        '{"reply": "Thanks", "id": ' + "[" * 900 + "]" * 900 + "}",
        '{"reply": "Thanks", "id": ' + deep + "}",
        '{"reply": "Thanks", "id": {"a": {"b": 1}}}',
        '{"reply": "Thanks", "id": NaN}',
        '{"reply": "Thanks", "id": 1e400}',
        '{"reply": "Thanks", "id": ' + "9" * 5000 + "}",
        deep,
        '{"a":' * 1000 + "1" + "}" * 1000,
    ]
    for body in bodies:
        for path in ("/api/v1/check", "/api/v1/triage"):
            payload = body.replace('"reply"', '"text"') if path.endswith("triage") else body
            response = client.post(
                path, content=payload, headers={"content-type": "application/json"}
            )
            assert 400 <= response.status_code < 500, (path, body[:40], response.text[:200])
            assert response.json()["error"]["status"] == response.status_code
    ok = client.post("/api/v1/check", json={"reply": "Thanks", "id": "r-1"})
    assert ok.status_code == 200 and ok.json()["id"] == "r-1"
    ok = client.post("/api/v1/check", json={"reply": "Thanks", "id": 7})
    assert ok.status_code == 200 and ok.json()["id"] == 7
