"""The Connections page: each platform connection's state, and what managers must look at.

Admins see every connection of the practice (platform, account, last and next sync, last error,
"needs re-authorisation") and may disconnect one (its tokens are deleted). Managers and admins see
the replies written outside SafeReply that the linter flags, the replies a platform refused (now
on the manual path) and those its moderation rejected. Tokens never reach the page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from safereply.connectors import oauth
from safereply.connectors.runtime import build_connectors
from safereply.errors import InputError, PermissionDenied
from safereply.services.access import ROLE_RANK
from safereply.web.api.schemas import PathId
from safereply.web.views.common import (
    FormDep,
    HtmlRoute,
    PageUserDep,
    ServicesDep,
    done_redirect,
    form_field,
    page,
    practice_context,
)

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

#: The sealed cookie that carries a started connect to its callback (state, PKCE verifier ...).
FLOW_COOKIE = "safereply_oauth"
CALLBACK_PATH = "/oauth/google/callback"


def _connectors(services: Any) -> Any:
    return build_connectors(services.store, services.settings, services.inbox)


@router.get("/p/{practice_id}/connections")
def connections(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """Connections (admins) and the replies that need a manager's look (managers)."""
    ctx = practice_context(services, user, practice_id)
    if ROLE_RANK[ctx["role"]] < ROLE_RANK["manager"]:
        raise PermissionDenied("This page needs the manager role in the practice.")
    connectors = _connectors(services)
    rows = []
    if ctx["can"]["admin"]:
        rows = [c.to_dict() for c in connectors.connections.list(user.actor, practice_id)]
    attention = connectors.connections.attention(user.actor, practice_id)
    return _page(request, services, ctx, user, rows, attention)


def _page(
    request: Request,
    services: Any,
    ctx: dict[str, Any],
    user: Any,
    rows: list[dict[str, Any]],
    attention: dict[str, Any],
    *,
    error: str | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
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
            "oauth_ready": bool(services.settings.google_client_id),
            "error": error,
            "values": values or {},
        },
        data={"connections": rows, **attention},
        status=status,
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


# -- connect with OAuth (authorization code + PKCE) ----------------------------------------------


def _redirect_uri(services: Any) -> str:
    return services.settings.base_url.rstrip("/") + CALLBACK_PATH


@router.post("/p/{practice_id}/connections/google/start")
def start_google(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Send an admin to Google's consent screen with a fresh state and PKCE challenge."""
    from safereply.connectors.google import parse_location

    ctx = practice_context(services, user, practice_id)
    if not ctx["can"]["admin"]:
        raise PermissionDenied("Connecting an account needs the admin role in the practice.")
    settings = services.settings
    values = {k: form_field(form, k) for k in ("location", "site")}
    try:
        if not settings.google_client_id:
            raise InputError("set SAFEREPLY_GOOGLE_CLIENT_ID and _SECRET to connect from here")
        _, location = parse_location(values["location"])
    except (InputError, ValueError) as exc:
        connectors = _connectors(services)
        rows = [c.to_dict() for c in connectors.connections.list(user.actor, practice_id)]
        attention = connectors.connections.attention(user.actor, practice_id)
        return _page(
            request, services, ctx, user, rows, attention, error=str(exc), values=values, status=422
        )
    flow = oauth.new_flow(
        "google", practice_id, user.actor.user_id, location, site=values["site"] or None
    )
    target = oauth.authorization_url(
        settings.google_auth_url,
        client_id=settings.google_client_id,
        redirect_uri=_redirect_uri(services),
        scope=oauth.GOOGLE_SCOPE,
        flow=flow,
    )
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        FLOW_COOKIE,
        oauth.seal_flow(flow, settings),
        max_age=int(oauth.FLOW_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",  # the consent screen's redirect back is a top-level GET from Google
        secure=settings.base_url.startswith("https://"),
        path=CALLBACK_PATH,
    )
    return response


@router.get(CALLBACK_PATH)
def google_callback(request: Request, services: ServicesDep, user: PageUserDep) -> Response:
    """Check the state, exchange the code with the PKCE verifier, connect, forget the flow."""
    from safereply.connectors.google import parse_location

    params = request.query_params
    flow = oauth.open_flow(
        request.cookies.get(FLOW_COOKIE),
        services.settings,
        state=params.get("state"),
        user_id=user.actor.user_id,
    )
    if error := params.get("error"):
        raise InputError(f"Google did not grant access ({error[:50]})")
    connectors = _connectors(services)
    credentials = oauth.exchange_code(
        services.settings.google_token_url,
        client_id=services.settings.google_client_id,
        client_secret=services.settings.google_client_secret,
        code=params.get("code") or "",
        verifier=flow.verifier,
        redirect_uri=_redirect_uri(services),
        transport=connectors.connections.transport,
    )
    account, location = parse_location(flow.location)
    connectors.connections.connect(
        user.actor,
        flow.practice_id,
        platform="google",
        account=account,
        external_id=location,
        credentials=credentials,
        location=flow.site,
    )
    response = done_redirect(f"/p/{flow.practice_id}/connections", "connected")
    response.delete_cookie(FLOW_COOKIE, path=CALLBACK_PATH)
    return response
