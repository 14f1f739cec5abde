"""The JSON API under ``/api/v1``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from safereply.web.api import auth, bulk, insights, posts, practices, stateless
from safereply.web.api.schemas import ErrorPublic

__all__ = ["api_router"]

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorPublic, "description": description}
    for status, description in [
        # Found by the schemathesis suite (issue 12): answered by every route, undocumented before.
        (400, "The body is not JSON, or is nested too deeply to read"),
        (401, "Not signed in"),
        (403, "Your role does not allow this, or the CSRF token is missing"),
        (404, "No such object, or not visible to you"),
        (409, "Changed by someone else, or not allowed in the current state"),
        (413, "The body is over this route's limit"),
        (422, "Invalid input"),
        (429, "Too many attempts; wait as Retry-After says"),
    ]
}


def api_router() -> APIRouter:
    """Return the router of the whole API (mounted at /api/v1)."""
    router = APIRouter(prefix="/api/v1", responses=_ERRORS)
    for module in (auth, practices, insights, posts, stateless, bulk):
        router.include_router(module.router)
    return router
