"""The application factory: ``create_app(settings)`` builds the whole web app, nothing at import.

The HTML pages (a separate package of routers) mount on the same app and call the same services::

    app = create_app(settings, routers=[pages.router])
"""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import text

from safereply import __version__
from safereply.jobs import Sweeper
from safereply.services import Analysers, Services, build_services
from safereply.settings import Settings
from safereply.store import open_store
from safereply.web import log_redact
from safereply.web.access_audit import AccessAudit
from safereply.web.api import api_router
from safereply.web.deps import Auth, ServicesDep, optional_auth
from safereply.web.errors import ApiError, install_error_handlers
from safereply.web.hooks import router as meta_hooks
from safereply.web.limits import BodySizeLimit, NoStoreData
from safereply.web.request_limits import RequestLimits, make_request_limiter

__all__ = ["create_app"]

#: The caller's authentication when there is one (the API reference asks in production only).
AuthOrNone = Annotated[Auth | None, Depends(optional_auth)]


def create_app(
    settings: Settings | None = None,
    *,
    services: Services | None = None,
    analysers: Analysers | None = None,
    routers: Sequence[APIRouter] = (),
    sweep: bool | None = None,
) -> FastAPI:
    """Build the SafeReply web app.

    Args:
        settings: the instance's settings (default: from the environment).
        services: already-built services (tests, the demo); built from ``settings`` otherwise,
            migrating the database to the newest schema.
        analysers: the core functions to use when building services (tests inject fakes).
        routers: more routers to mount, such as the HTML pages.
        sweep: run the SLA sweep thread (default: when ``settings.sweep_interval`` > 0 and the
            services were built here).

    Raises:
        ConfigError: unsafe settings outside development (the default secret, for one).
    """
    if services is not None:
        settings = services.settings
    settings = settings or Settings()
    settings.check_secure()
    log_redact.install()  # reset tokens, OAuth codes and webhook tokens stay out of access logs
    built_here = services is None
    if services is None:
        store = open_store(settings.resolved_database_url)
        services = build_services(store, settings, analysers=analysers)
    run_sweeper = sweep if sweep is not None else (built_here and settings.sweep_interval > 0)
    sweeper = _sweeper(services, settings) if run_sweeper else None
    app = _app(_lifespan(sweeper, services, dispose=built_here))
    app.state.services = services
    app.state.settings = settings
    install_error_handlers(app)
    _add_middleware(app, services, settings)
    app.include_router(api_router())
    app.include_router(meta_hooks)  # GET|POST /hooks/meta (issue 14)
    _add_own_routes(app)
    for router in routers:
        app.include_router(router)
    from safereply.web.views import install_pages  # the HTML pages: same services, same auth

    install_pages(app)
    return app


def _app(lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]]) -> FastAPI:
    """Return the bare app with the API reference's title, summary and description."""
    return FastAPI(
        title="SafeReply",
        version=__version__,
        # No Swagger UI or ReDoc: they load scripts from a CDN. /docs is a plain page of our own
        # and, like /openapi.json, needs a sign-in in production (see _docs_mode below).
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        summary="Answer every review and post quickly, kindly and without disclosing PHI.",
        description=(
            "The inbox service of SafeReply. Automated PHI detection is a safety net, not a "
            "guarantee: a person reviews every reply. Every error has the shape "
            '`{"error": {"status", "code", "message", "details"?}}`.'
        ),
        lifespan=lifespan,
    )


def _sweeper(services: Services, settings: Settings) -> Sweeper:
    """Return the SLA sweeper thread: one sweep per interval across every server process, by a
    lease (issue 16)."""
    from safereply.services.leases import make_leases

    leases = make_leases(services.store, settings.redis_url)
    return Sweeper(services.inbox, settings.sweep_interval, leases=leases)


def _lifespan(
    sweeper: Sweeper | None, services: Services, *, dispose: bool
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Return the app's lifespan: the sweeper runs while the app serves; when it stops, the
    import's triage processes end, and services built by ``create_app`` close their database
    connections."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if sweeper is not None:
            sweeper.start()
        try:
            yield
        finally:
            if sweeper is not None:
                sweeper.stop()
            services.close()
            if dispose:
                services.store.dispose()

    return lifespan


def _add_middleware(app: FastAPI, services: Services, settings: Settings) -> None:
    """Add the middleware, innermost first."""
    # A body over its route's limit is refused before any route reads or parses it; around it,
    # every answer gets nosniff (and HSTS behind https) and data answers no-store.
    app.add_middleware(BodySizeLimit)
    # Requests over their user's or address's budget are answered 429 before anything else
    # (web/request_limits.py); the counts are shared by every process (database or Redis).
    app.state.request_limiter = make_request_limiter(services, settings)
    app.add_middleware(RequestLimits)
    app.add_middleware(NoStoreData, hsts=settings.base_url.startswith("https://"))
    # Reads of a post and requests refused another practice's ids go to the audit log (ids only).
    app.add_middleware(AccessAudit)


def healthz(services: ServicesDep) -> dict[str, Any]:
    """``GET /healthz``: the version, and a query that proves the database answers."""
    with services.store.read() as session:
        session.execute(text("SELECT 1"))
    return {"status": "ok", "version": __version__, "database": services.store.dialect}


def _docs_mode(settings: Settings) -> str:
    """Return who may read the API reference: ``off``, ``public`` or ``signed-in``.

    ``settings.api_docs``: ``auto`` (the default) opens it on a developer's machine and in tests
    and asks for a sign-in (a session or an API token) in production, so the API's shape is not
    handed to anyone who asks; ``signed-in`` always asks; ``public`` never does; ``off`` answers
    404.
    """
    if settings.api_docs == "auto":
        return "signed-in" if settings.environment == "production" else "public"
    return settings.api_docs


def openapi_schema(request: Request, auth: AuthOrNone) -> Response:
    """``GET /openapi.json``: the app's OpenAPI schema, without any outside asset."""
    mode = _docs_mode(request.app.state.settings)
    if mode == "off":
        raise ApiError(404, "not_found", "no such page")
    if mode == "signed-in" and auth is None:
        raise ApiError(401, "unauthenticated", "sign in to read the API schema")
    return JSONResponse(request.app.openapi())


def api_reference(request: Request, auth: AuthOrNone) -> Response:
    """``GET /docs``: a plain page listing every route of the JSON API."""
    mode = _docs_mode(request.app.state.settings)
    if mode == "off":
        raise ApiError(404, "not_found", "no such page")
    if mode == "signed-in" and auth is None:
        return RedirectResponse("/login?next=/docs", status_code=303)
    from safereply.web.views.common import SECURITY_HEADERS

    return HTMLResponse(_reference_page(request.app.openapi()), headers=SECURITY_HEADERS)


def _add_own_routes(app: FastAPI) -> None:
    """Add ``/healthz``, ``/openapi.json`` and ``/docs``.

    Their endpoints are module functions that find the app, its settings and its services in the
    request, never closures over them: FastAPI keeps every endpoint it registers as a key of a
    module-level cache (``fastapi.dependencies.models``, 4,096 entries), so a closure holding
    the app kept every app ever built alive (about 50,000 objects each: in the test suite, one
    app per test, 4.7 GB by its end).
    """
    app.add_api_route(
        "/healthz", healthz, methods=["GET"], tags=["health"], summary="Liveness and database check"
    )
    app.add_api_route("/openapi.json", openapi_schema, methods=["GET"], include_in_schema=False)
    app.add_api_route("/docs", api_reference, methods=["GET"], include_in_schema=False)


def _reference_page(schema: dict[str, Any]) -> str:
    rows = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            rows.append(
                f"<tr><td><code>{html.escape(method.upper())}</code></td>"
                f"<td><code>{html.escape(path)}</code></td>"
                f"<td>{html.escape(operation.get('summary', ''))}</td></tr>"
            )
    info = schema.get("info", {})
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(info.get('title', 'API'))} API reference</title>"
        '<link rel="stylesheet" href="/static/app.css"></head><body><main class="page">'
        f"<h1>{html.escape(info.get('title', 'API'))} API {html.escape(info.get('version', ''))}"
        "</h1><p>Every route of the JSON API. The full schema, with request and response "
        'bodies, is <a href="/openapi.json">/openapi.json</a>.</p>'
        '<table class="table"><thead><tr><th scope="col">Method</th><th scope="col">Path</th>'
        '<th scope="col">What it does</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></main></body></html>"
    )
