"""Request rate limits on the JSON API and the HTML pages, per user and per client address.

An ASGI middleware in front of the routes: every request to ``/api/...`` or a page (not the
static files, not ``/hooks/...``, which check their own signatures, not ``/healthz``) spends one
unit of its kind (reads: GET, HEAD, OPTIONS; writes: the rest) from the budget of its client
address (the trusted-proxy-aware address of :mod:`safereply.web.ratelimit`) and, when it carries
a token or a session cookie, of its user. Over a budget it is answered ``429`` with
``Retry-After`` before any route reads its body: the API's one JSON error shape
(``rate_limited``) under ``/api/`` or when JSON is asked for, a plain page otherwise. The request
that crosses a limit is recorded in the audit log as ``access.denied`` (ids only: the user's id,
the address, the method and which budget).

The counts live where ``settings.request_limits`` says (:mod:`safereply.services.request_limits`):
the instance's database by default, Redis when configured, so every process shares them. If the
counter cannot be reached the request goes on (logged): the limits protect the service, and must
not take it down with them.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import logging
import threading
import time
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from safereply.services import Services
from safereply.services.actor import Actor
from safereply.services.audit import record
from safereply.services.request_limits import (
    Budgets,
    DatabaseCounter,
    RedisCounter,
    RequestLimiter,
    Verdict,
    user_for_credential,
)
from safereply.settings import Settings
from safereply.store.models import User
from safereply.web.deps import SESSION_COOKIE
from safereply.web.errors import error_body
from safereply.web.ratelimit import client_address
from safereply.words import counted

__all__ = ["RequestLimits", "is_limited_path", "make_request_limiter"]

log = logging.getLogger("safereply.web")
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_EXEMPT = ("/static/", "/hooks/")
_EXEMPT_EXACT = frozenset({"/healthz", "/static", "/hooks"})
#: How long a credential's user id is remembered in the process (saves a lookup per request).
_CREDENTIAL_TTL = 60.0
_CREDENTIAL_CACHE_MAX = 10_000


def is_limited_path(path: str) -> bool:
    """Return True for the API and the pages; False for static files, webhooks and health."""
    return not (path in _EXEMPT_EXACT or path.startswith(_EXEMPT))


def make_request_limiter(services: Services, settings: Settings) -> RequestLimiter | None:
    """Build the limiter the settings ask for (None when ``request_limits`` is ``off``).

    Raises:
        ConfigError: ``redis`` without ``redis_url``.
    """
    mode = settings.request_limits
    if mode == "off":
        return None
    if mode == "auto":
        mode = "redis" if settings.redis_url else "database"
    if mode == "redis":
        if not settings.redis_url:
            from safereply.errors import ConfigError

            raise ConfigError("SAFEREPLY_REQUEST_LIMITS=redis needs SAFEREPLY_REDIS_URL")
        backend: Any = RedisCounter(settings.redis_url)
    else:
        backend = DatabaseCounter(services.store)
    budgets = Budgets(
        user_reads=settings.request_limit_user_reads,
        user_writes=settings.request_limit_user_writes,
        address_reads=settings.request_limit_address_reads,
        address_writes=settings.request_limit_address_writes,
    )
    return RequestLimiter(backend, budgets, window=settings.request_limit_window)


class _Credentials:
    """A small in-process memory of credential -> user id, for a minute (bounded)."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int | None, float]] = {}
        self._lock = threading.Lock()

    def user_id(self, services: Services, token: str | None, cookie: str | None) -> int | None:
        """Return the user id behind the token or cookie (None: anonymous or unknown)."""
        if not token and not cookie:
            return None
        digest = hashlib.sha256(f"{'t' if token else 'c'}:{token or cookie}".encode()).hexdigest()
        now = time.monotonic()
        with self._lock:
            hit = self._seen.get(digest)
        if hit is not None and hit[1] > now:
            return hit[0]
        user_id = user_for_credential(services.store, token=token, cookie=cookie)
        with self._lock:
            if len(self._seen) >= _CREDENTIAL_CACHE_MAX:
                self._seen.clear()
            self._seen[digest] = (user_id, now + _CREDENTIAL_TTL)
        return user_id


class RequestLimits:
    """ASGI middleware: answer 429 to requests over their user's or address's budget."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.credentials = _Credentials()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_limited_path(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        limiter: RequestLimiter | None = getattr(state, "request_limiter", None)
        if limiter is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            verdict, user_id, address = await anyio.to_thread.run_sync(
                self._check, limiter, state, request
            )
        except Exception as exc:  # the counter is down: serve rather than fail (logged)
            log.warning("request limits not checked: %s", type(exc).__name__)
            await self.app(scope, receive, send)
            return
        if verdict.allowed:
            await self.app(scope, receive, send)
            return
        if verdict.first:
            try:
                await anyio.to_thread.run_sync(
                    _record_denied, state.services, request.method, user_id, address, verdict
                )
            except Exception as exc:  # never let the audit break the answer
                log.warning("rate-limited request not audited: %s", type(exc).__name__)
        await _refusal(request, verdict)(scope, receive, send)

    def _check(
        self, limiter: RequestLimiter, state: Any, request: Request
    ) -> tuple[Verdict, int | None, str]:
        """Find the caller and count the request (runs in a worker thread: it may hit the DB)."""
        settings: Settings = state.settings
        address = client_address(request, settings.trusted_proxy_networks)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        bearer = token.strip() if scheme.lower() == "bearer" and token.strip() else None
        cookie = None if bearer else request.cookies.get(SESSION_COOKIE)
        user_id = self.credentials.user_id(state.services, bearer, cookie)
        write = request.method not in _SAFE_METHODS
        return limiter.check(user_id=user_id, address=address, write=write), user_id, address


def _wants_json(request: Request) -> bool:
    return (
        request.url.path.startswith(("/api/", "/openapi.json"))
        or request.query_params.get("format") == "json"
        or request.headers.get("accept", "").startswith("application/json")
    )


def _refusal(request: Request, verdict: Verdict) -> Response:
    """The 429 answer: the API's JSON error, or a plain page."""
    kind = "changes" if verdict.budget and verdict.budget.endswith("writes") else "requests"
    wait = counted(verdict.retry_after, "second")
    message = f"too many {kind} in a short time; wait {wait} and try again"
    headers = {"Retry-After": str(verdict.retry_after), "Cache-Control": "no-store"}
    if _wants_json(request):
        return JSONResponse(error_body(429, "rate_limited", message), 429, headers=headers)
    from safereply.web.views.common import page

    response = page(
        request,
        "error.html",
        {
            "title": "Too many requests",
            "message": message[0].upper() + message[1:] + ".",
            "status": 429,
        },
        status=429,
    )
    response.headers.update(headers)
    return response


def _record_denied(
    services: Services, method: str, user_id: int | None, address: str, verdict: Verdict
) -> None:
    """Write ``access.denied`` (status 429) in the instance chain: ids only, no path text."""
    detail: dict[str, Any] = {"status": 429, "method": method, "limit": verdict.budget}
    with contextlib.suppress(ValueError):  # not an address (a test client): leave it out
        detail["source"] = str(ipaddress.ip_address(address))
    with services.store.write() as session:
        user = session.get(User, user_id) if user_id is not None else None
        email = user.email if user is not None else None
        actor = Actor(user_id=user_id if email else None, email=email or "anonymous")
        record(session, actor, "access.denied", object_type="request", detail=detail)
