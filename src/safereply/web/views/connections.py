"""The Connections page: each platform connection's state, and what managers must look at.

Admins see every connection of the practice (platform, account, last and next sync, last error,
"needs re-authorisation") and may disconnect one (its tokens are deleted). Managers and admins see
the replies written outside SafeReply that the linter flags, the replies a platform refused (now
on the manual path) and those its moderation rejected. Tokens never reach the page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from safereply.connectors.runtime import build_connectors
from safereply.services.access import ROLE_RANK
from safereply.web.api.schemas import PathId
from safereply.web.views.common import (
    HtmlRoute,
    PageUserDep,
    ServicesDep,
    done_redirect,
    page,
    practice_context,
)

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)


def _connectors(services: Any) -> Any:
    return build_connectors(services.store, services.settings, services.inbox)


@router.get("/p/{practice_id}/connections")
def connections(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """Connections (admins) and the replies that need a manager's look (managers)."""
    from safereply.errors import PermissionDenied

    ctx = practice_context(services, user, practice_id)
    if ROLE_RANK[ctx["role"]] < ROLE_RANK["manager"]:
        raise PermissionDenied("This page needs the manager role in the practice.")
    connectors = _connectors(services)
    rows = []
    if ctx["can"]["admin"]:
        rows = [c.to_dict() for c in connectors.connections.list(user.actor, practice_id)]
    attention = connectors.connections.attention(user.actor, practice_id)
    return page(
        request,
        "connections.html",
        {
            **ctx,
            "title": "Connections",
            "nav": "connections",
            "user": user,
            "connections": rows,
            "attention": attention,
        },
        data={"connections": rows, **attention},
    )


@router.post("/p/{practice_id}/connections/{connection_id}/disconnect")
def disconnect(
    practice_id: PathId, connection_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """Delete a connection's tokens and stop its syncs (admins)."""
    from safereply.errors import NotFoundError

    connectors = _connectors(services)
    info = connectors.connections.get(user.actor, connection_id)
    if info.practice_id != practice_id:
        raise NotFoundError(f"no connection {connection_id}")
    connectors.connections.disconnect(user.actor, connection_id)
    return done_redirect(f"/p/{practice_id}/connections", "disconnected")
