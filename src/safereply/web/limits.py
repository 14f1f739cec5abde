"""Request body limits, per route, enforced before anything parses the body.

An ASGI middleware in front of the whole app: a request whose declared ``Content-Length`` is over
its route's limit is answered 413 without reading a byte; a body without a length (chunked) is
counted as it arrives and refused as soon as it passes the limit, so no route ever reads, buffers
or parses more than its limit. The answer is the API's one error shape
(``{"error": {"status": 413, "code": "too_large", ...}}``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "API_BODY_LIMIT",
    "FORM_BODY_LIMIT",
    "LOGIN_BODY_LIMIT",
    "BodySizeLimit",
    "BodyTooLarge",
    "NoStoreData",
    "body_limit_for",
]

KIB = 1024
MIB = 1024 * KIB

#: Sign-in and its second step, and password reset (JSON or form): a few short fields.
LOGIN_BODY_LIMIT = 16 * KIB
#: Every other JSON API body: a post's text is at most 50,000 characters, which JSON may spell as
#: \\u escapes (up to 12 bytes each for characters outside the BMP): 1 MiB holds the worst case.
API_BODY_LIMIT = 1 * MIB
#: The HTML forms (a reply of at most 10,000 characters, percent-encoded: 9 bytes each at most).
FORM_BODY_LIMIT = 256 * KIB
#: Room for multipart boundaries and the other fields around an uploaded file.
_UPLOAD_OVERHEAD = 1 * MIB


def _upload_limits() -> tuple[int, int]:
    # The documented file limits live with their routes (50 MB for the API, 5 MB for the pages);
    # the pages check their own limit first, with a friendly page, so theirs is the one seen.
    from safereply.web.api.practices import MAX_IMPORT_BYTES as API_IMPORT
    from safereply.web.views.imports import MAX_IMPORT_BYTES as PAGE_IMPORT

    return API_IMPORT + _UPLOAD_OVERHEAD, PAGE_IMPORT + _UPLOAD_OVERHEAD


_API_IMPORT = re.compile(r"^/api/v1/practices/[^/]+/imports/?$")
_PAGE_UPLOAD = re.compile(r"^/(import|p/[^/]+/scan)/?$")
_LOGIN = re.compile(
    r"^/(api/v1/auth/login|login(/code|/forgot|/reset/[^/]+)?|logout|api/v1/auth/logout"
    r"|api/v1/auth/password-reset(/confirm)?)/?$"
)


def body_limit_for(path: str) -> int:
    """Return the largest request body, in bytes, the route at ``path`` accepts."""
    if _API_IMPORT.match(path):
        return _upload_limits()[0]
    if _PAGE_UPLOAD.match(path):
        return _upload_limits()[1]
    if _LOGIN.match(path):
        return LOGIN_BODY_LIMIT
    if path.startswith("/api/"):
        return API_BODY_LIMIT
    return FORM_BODY_LIMIT


class BodyTooLarge(HTTPException):
    """The request body passed its route's limit (an HTTPException, so routes re-raise it)."""

    def __init__(self, limit: int) -> None:
        message = f"the request body is over {limit:,} bytes, the most this route takes"
        super().__init__(413, message)
        self.limit = limit


def _message(limit: int) -> bytes:
    error = BodyTooLarge(limit)
    body = {"error": {"status": 413, "code": "too_large", "message": error.detail}}
    return json.dumps(body).encode("utf-8")


async def _refuse(send: Send, limit: int) -> None:
    body = _message(limit)
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                (b"cache-control", b"no-store"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """ASGI middleware: refuse request bodies over their route's limit before they are read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope.get("path", ""))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            # Normally the app's error handler answers; this is for bodies read outside a route.
            if started:
                raise
            await _refuse(send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text: Any = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


_HSTS = b"max-age=31536000; includeSubDomains"


class NoStoreData:
    """ASGI middleware: data answers are never cached and never content-sniffed.

    Every response gets ``X-Content-Type-Options: nosniff``; JSON and CSV answers (the API, its
    errors, the pages' ``?format=json`` twins, exports) and everything under ``/api/`` also get
    ``Cache-Control: no-store``, so posts and audit data do not linger in browser or proxy
    caches. Headers a route set itself are kept. With ``hsts`` (the service is served over
    https), every answer also tells browsers to use https only, for a year.
    """

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope.get("path", "").startswith(("/api/", "/openapi.json", "/healthz"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                kind = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                data = kind.startswith((b"application/json", b"text/csv"))
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if (api or data) and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                if self.hsts and b"strict-transport-security" not in names:
                    headers.append((b"strict-transport-security", _HSTS))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
