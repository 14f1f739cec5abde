"""The HTML pages: server-rendered, over the same services as the JSON API.

Mount them on the app built by ``create_app``::

    from safereply.web.views import install_pages
    install_pages(app)

Pages: sign-in and the practice switcher (``auth``), the inbox and approvals queue (``inbox``),
the dashboard, insights, monthly report and agency view (``insights``), the post page with its
reply editor (``posts``), and the improvements log, users and
roles, settings and audit log (``manage``), the user's own password and API tokens (``account``)
and the import of exported posts (``imports``). Every page also answers ``?format=json``.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from safereply.web.views import (
    account,
    auth,
    bulk,
    connections,
    imports,
    inbox,
    insights,
    manage,
    posts,
    scan,
)
from safereply.web.views.common import STATIC_DIR

__all__ = ["html_router", "install_pages"]


def html_router() -> APIRouter:
    """Return one router holding every HTML page (kept out of the OpenAPI schema)."""
    router = APIRouter(include_in_schema=False)
    for module in (auth, account, inbox, insights, posts, manage, imports, scan, bulk, connections):
        router.include_router(module.router)
    return router


def install_pages(app: FastAPI) -> None:
    """Mount the HTML pages and their static files (CSS, small scripts) on the app."""
    app.include_router(html_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
