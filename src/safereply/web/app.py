"""The application factory: ``create_app(settings)`` builds the whole web app, nothing at import.

The HTML pages (a separate package of routers) mount on the same app and call the same services::

    app = create_app(settings, routers=[pages.router])
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from sqlalchemy import text

from safereply import __version__
from safereply.jobs import Sweeper
from safereply.services import Analysers, Services, build_services
from safereply.settings import Settings
from safereply.store import open_store
from safereply.web.api import api_router
from safereply.web.errors import install_error_handlers
from safereply.web.limits import BodySizeLimit
from safereply.web.ratelimit import LoginLimiter

__all__ = ["create_app"]


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
    built_here = services is None
    if services is None:
        store = open_store(settings.resolved_database_url)
        services = build_services(store, settings, analysers=analysers)
    run_sweeper = sweep if sweep is not None else (built_here and settings.sweep_interval > 0)
    sweeper = Sweeper(services.inbox, settings.sweep_interval) if run_sweeper else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if sweeper is not None:
            sweeper.start()
        try:
            yield
        finally:
            if sweeper is not None:
                sweeper.stop()
            if built_here:
                services.store.dispose()

    app = FastAPI(
        title="SafeReply",
        version=__version__,
        summary="Answer every review and post quickly, kindly and without disclosing PHI.",
        description=(
            "The inbox service of SafeReply. Automated PHI detection is a safety net, not a "
            "guarantee: a person reviews every reply. Every error has the shape "
            '`{"error": {"status", "code", "message", "details"?}}`.'
        ),
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.settings = settings
    app.state.login_limiter = LoginLimiter(settings.login_max_failures, settings.login_window)
    install_error_handlers(app)
    # Outermost: a body over its route's limit is refused before any route reads or parses it.
    app.add_middleware(BodySizeLimit)
    app.include_router(api_router())

    @app.get("/healthz", tags=["health"], summary="Liveness and database check")
    def healthz() -> dict[str, Any]:
        with services.store.read() as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__, "database": services.store.dialect}

    for router in routers:
        app.include_router(router)
    from safereply.web.views import install_pages  # the HTML pages: same services, same auth

    install_pages(app)
    return app
