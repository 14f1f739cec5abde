"""Audit of access: who read a post's page, and who was refused another practice's ids.

A compliance officer asks not only who changed a record but who *saw* it, and who tried to see
what was not theirs. This ASGI middleware watches each answer after the route has run:

- ``200`` to ``GET /posts/{post_id}`` (the page) or ``GET /api/v1/posts/{post_id}``:
  ``post.read`` in the post's practice chain;
- ``403`` or ``404`` to a signed-in caller on a route with ids in its path (another practice's
  post, practice, user or location): ``access.denied`` in the instance chain.

Entries carry ids only (the route's template, the method, the status and the integer path
parameters), never a body, a query string or any text from the request. The caller is found again
from the request's token or session (only for the few answers that are recorded). Recording is
best effort: a failure is logged and the answer goes out unchanged.
"""

from __future__ import annotations

import logging
from typing import Any

import anyio
from sqlalchemy import select

from safereply.services.actor import Actor
from safereply.services.audit import record
from safereply.store.models import Post
from safereply.web.deps import CALLER_STATE, READ_POST_STATE, SESSION_COOKIE

__all__ = ["AccessAudit"]

log = logging.getLogger("safereply.audit")
_READ_ROUTES = frozenset({"/posts/{post_id}", "/api/v1/posts/{post_id}"})


class AccessAudit:
    """ASGI middleware recording post reads and denied requests (ids only)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status: list[int] = []

        async def watch(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await self.app(scope, receive, watch)
        if status and _worth_recording(scope, status[0]):
            try:
                await anyio.to_thread.run_sync(_record_access, scope, status[0])
            except Exception as exc:  # never let the audit of access break the answer
                log.warning("access not audited: %s", type(exc).__name__)


def _template(scope: dict[str, Any]) -> str:
    """Return the request's path with every path parameter's value replaced by its name.

    (The matched route's own path lacks the prefix of the router it was included in.)
    """
    by_value = {str(v): k for k, v in (scope.get("path_params") or {}).items()}
    parts = scope["path"].split("/")
    return "/".join(f"{{{by_value[p]}}}" if p in by_value else p for p in parts)


def _ids(scope: dict[str, Any]) -> dict[str, int]:
    ids = {}
    for name, value in (scope.get("path_params") or {}).items():
        if isinstance(value, int) and not isinstance(value, bool):
            ids[name] = value
        elif isinstance(value, str) and value.isdigit() and len(value) < 10:
            ids[name] = int(value)
    return ids


def _worth_recording(scope: dict[str, Any], status: int) -> bool:
    if not _has_credentials(scope):
        return False
    if status == 200:
        return scope["method"] == "GET" and _template(scope) in _READ_ROUTES
    return status in (403, 404) and bool(_ids(scope))


def _has_credentials(scope: dict[str, Any]) -> bool:
    headers = dict(scope.get("headers") or ())
    return b"authorization" in headers or SESSION_COOKIE.encode() in headers.get(b"cookie", b"")


def _caller(services: Any, scope: dict[str, Any]) -> Actor | None:
    """The signed-in caller: as the route's authentication found it (kept in the request's
    state), else found again from the request's token or session cookie (a request refused
    before its route authenticated)."""
    from starlette.requests import Request

    known = (scope.get("state") or {}).get(CALLER_STATE)
    if isinstance(known, Actor):
        return known
    request = Request(scope)
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return services.users.actor_for_token(token.strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        info = services.users.resolve_session(cookie)
        return None if info is None else info.actor
    return None


def _read_practice(scope: dict[str, Any], post_id: int | None) -> int | None:
    """The practice of the post the route showed, as it read it (None if it kept none)."""
    known = (scope.get("state") or {}).get(READ_POST_STATE)
    if isinstance(known, tuple) and len(known) == 2 and known[0] == post_id:
        return int(known[1])
    return None


def _record_access(scope: dict[str, Any], status: int) -> None:
    """Write the access entry in its own transaction (the route's has ended)."""
    services = scope["app"].state.services
    actor = _caller(services, scope)
    if actor is None:
        return
    ids = _ids(scope)
    with services.store.write() as session:
        if status == 200:
            post_id = ids.get("post_id")
            practice_id = _read_practice(scope, post_id)
            if practice_id is None:
                # Only the practice: loading the whole post (its text, its topics) was wasted.
                practice_id = session.scalar(select(Post.practice_id).where(Post.id == post_id))
            if practice_id is None:
                return
            record(
                session,
                actor,
                "post.read",
                object_type="post",
                object_id=post_id,
                practice_id=practice_id,
                detail={"via": "api" if scope["path"].startswith("/api/") else "page"},
            )
            return
        record(
            session,
            actor,
            "access.denied",
            object_type="request",
            detail={
                "status": status,
                "method": scope["method"],
                "route": _template(scope),
                "ids": ids,
            },
        )
