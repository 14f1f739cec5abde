"""Request dependencies shared by the JSON API and the HTML pages.

Authentication: ``Authorization: Bearer sr_...`` (an API token, for scripts) or the session cookie
(for browsers). Requests authenticated by cookie that change anything must carry the session's
CSRF token in the ``X-CSRF-Token`` header (or a ``csrf_token`` form field): another site can make
a browser send the cookie, but cannot read the token.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response

from safereply.services import Services
from safereply.services.actor import Actor
from safereply.services.auth import DEVICE_MAX_AGE
from safereply.web.errors import ApiError
from safereply.web.ratelimit import client_address

__all__ = [
    "CALLER_STATE",
    "DEVICE_COOKIE",
    "READ_POST_STATE",
    "SESSION_COOKIE",
    "ActorDep",
    "Auth",
    "AuthDep",
    "ServicesDep",
    "client_of",
    "current_auth",
    "get_services",
    "optional_auth",
    "remember_caller",
    "start_browser_session",
]

SESSION_COOKIE = "safereply_session"
#: The signed known-device cookie: this browser signed in to the account before (see
#: services/auth_limits.py: a locked account still opens from it).
DEVICE_COOKIE = "safereply_device"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def client_of(request: Request) -> str:
    """Return the client's address: the peer, or what a trusted proxy says it saw."""
    settings = request.app.state.settings
    return client_address(request, settings.trusted_proxy_networks)


def start_browser_session(
    services: Services,
    actor: Actor,
    response: Response,
    request: Request | None = None,
    *,
    device: str | None = None,
) -> str:
    """Start a session for ``actor``, set its cookie on ``response``; return the CSRF token.

    The session lasts at most ``session_max_age`` and ends after ``session_idle_timeout``
    without a request; the browser and address are kept for the owner's list of sessions.
    ``device`` (from a sign-in) is the signed known-device cookie, set for half a year.
    """
    settings = services.settings
    secure = settings.base_url.startswith("https://")
    cookie, info = services.users.start_session(
        actor,
        max_age=settings.session_max_age,
        user_agent=request.headers.get("user-agent") if request is not None else None,
        address=client_of(request) if request is not None else None,
    )
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=settings.session_max_age,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    if device:
        response.set_cookie(
            DEVICE_COOKIE,
            device,
            max_age=DEVICE_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
        )
    return info.csrf_token


@dataclass(frozen=True, slots=True)
class Auth:
    """Who is calling and how: ``token`` or ``session`` (with the session's CSRF token)."""

    actor: Actor
    method: str
    csrf_token: str | None = None
    session_id: int | None = None


async def get_services(request: Request) -> Services:
    """Return the services of the app handling the request.

    ``async``, like every dependency here that does no I/O: FastAPI runs a plain ``def``
    dependency in the thread pool, a hop that wakes a worker thread and the event loop again
    (CPU every request paid for nothing; docs/production.md, session 8)."""
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def _same(sent: str, expected: str) -> bool:
    """Compare two tokens in constant time as UTF-8 bytes (``compare_digest`` raises TypeError
    on a non-ASCII str, which would answer 500 instead of "wrong token")."""
    return hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))


async def _csrf_from(request: Request) -> str | None:
    if request.method in _SAFE_METHODS:
        return None
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


CALLER_STATE = "safereply_caller"
READ_POST_STATE = "safereply_read_post"


def remember_caller(request: Request, actor: Actor) -> None:
    """Keep the authenticated caller in the request's state, for the access audit that runs
    after the route (``web/access_audit.py``) instead of finding it again in the database."""
    setattr(request.state, CALLER_STATE, actor)


def remember_read_post(request: Request, post_id: int, practice_id: int) -> None:
    """Keep the post a page or the API just showed and its practice (as the route read them,
    for its caller) in the request's state: the access audit records the read in that
    practice's chain without reading the post again."""
    setattr(request.state, READ_POST_STATE, (post_id, practice_id))


def optional_auth(
    request: Request,
    services: ServicesDep,
    sent_csrf: Annotated[str | None, Depends(_csrf_from)],
) -> Auth | None:
    """Return the caller's authentication, None when anonymous.

    Runs in the thread pool (it reads the database); the CSRF value is read before, async.

    Raises:
        ApiError: a token that is invalid (401), or a missing CSRF token (403).
    """
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise ApiError(401, "unauthenticated", "use 'Authorization: Bearer <token>'")
        actor = services.users.actor_for_token(token.strip())
        if actor is None:
            raise ApiError(
                401, "unauthenticated", "the API token is unknown or revoked (or expired)"
            )
        if actor.scope == "read" and request.method not in _SAFE_METHODS:
            raise ApiError(403, "forbidden", "this API token has the read scope: it cannot change")
        remember_caller(request, actor)
        return Auth(actor, "token")
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    info = services.users.resolve_session(cookie)
    if info is None:
        return None
    unsafe = request.method not in _SAFE_METHODS
    if unsafe and (not sent_csrf or not _same(sent_csrf, info.csrf_token)):
        raise ApiError(403, "csrf", "missing or wrong CSRF token (send X-CSRF-Token)")
    remember_caller(request, info.actor)
    return Auth(info.actor, "session", info.csrf_token, info.session_id)


async def current_auth(auth: Annotated[Auth | None, Depends(optional_auth)]) -> Auth:
    """Return the caller's authentication, or answer 401."""
    if auth is None:
        raise ApiError(
            401,
            "unauthenticated",
            "sign in first (POST /api/v1/auth/login) or send an API token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return auth


AuthDep = Annotated[Auth, Depends(current_auth)]


async def _actor(auth: AuthDep) -> Actor:
    return auth.actor


ActorDep = Annotated[Actor, Depends(_actor)]
