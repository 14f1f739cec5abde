"""The Connections page: each platform connection's state, and what managers must look at.

Admins see every connection of the practice (platform, account, last and next sync, last error,
"needs re-authorisation", whether webhooks push or polling alone finds new items) and may
disconnect one (its tokens are deleted). Managers and admins see the replies written outside
SafeReply that the linter flags, the replies a platform refused (now on the manual path) and those
its moderation rejected. Tokens never reach the page.

Admins connect Google, Facebook Pages, Instagram professional accounts and X accounts here with
OAuth 2.0 (``connectors/oauth.py``): the start sets a sealed cookie bound to the admin, the
practice and the platform, the callback checks and spends its ``state`` once, exchanges the code
and connects through the same ``ConnectionService.connect`` as ``safereply connect``. A Facebook
login first lists the Pages it manages (the picker); Instagram Login and X name one account.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from safereply.connectors import meta, oauth, x
from safereply.connectors.base import ConnectorError, Credentials, Target
from safereply.connectors.connections import api_base
from safereply.connectors.runtime import build_connectors
from safereply.errors import InputError, NotFoundError, PermissionDenied
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

log = logging.getLogger("safereply.connectors")

#: The sealed cookie that carries a started connect to its callback (state, PKCE verifier ...).
FLOW_COOKIE = "safereply_oauth"
#: The sealed cookie that carries a Facebook login to the Page picker.
PICK_COOKIE = "safereply_oauth_pick"
CALLBACK_PATH = "/oauth/google/callback"
SocialPlatform = Literal["facebook", "instagram", "x"]
NOTICES = {
    "connected": "Connected. The first sync runs within a minute.",
    "disconnected": "Disconnected: its tokens are deleted; its posts stay in the inbox.",
}


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
    return _page(request, services, ctx, user)


def _push(platform: str, state: str | None, settings: Any) -> str:
    """Say in words whether webhooks push new items or polling alone finds them."""
    if platform not in ("facebook", "instagram"):
        return "Polling"  # Google's push needs Pub/Sub, X has no mention webhook: both are polled
    if not settings.meta_app_secret:
        return "Polling (webhooks need SAFEREPLY_META_APP_SECRET)"
    if state == "on":
        return "Webhooks on, polling as fallback"
    if state == "refused":
        return "Polling (the webhook subscription was refused)"
    return "Polling (webhooks not subscribed yet)"


def _page(
    request: Request,
    services: Any,
    ctx: dict[str, Any],
    user: Any,
    *,
    error: str | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """Render the Connections page (admins also get the connections and the connect forms)."""
    connectors = _connectors(services)
    practice_id = ctx["practice"]["id"]
    rows: list[dict[str, Any]] = []
    if ctx["can"]["admin"]:
        rows = [c.to_dict() for c in connectors.connections.list(user.actor, practice_id)]
        pushed = oauth.push_states(services.store, practice_id)
        for row in rows:
            row["push"] = _push(row["platform"], pushed.get(row["id"]), services.settings)
    attention = connectors.connections.attention(user.actor, practice_id)
    social = {p: oauth.provider(services.settings, p) for p in oauth.SOCIAL_PLATFORMS}
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
            "social": [(p, found.label) for p, found in social.items() if found is not None],
            "social_missing": [p for p, found in social.items() if found is None],
            "notice": NOTICES.get(request.query_params.get("done") or ""),
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
    connectors = _connectors(services)
    info = connectors.connections.get(user.actor, connection_id)
    if info.practice_id != practice_id:
        raise NotFoundError(f"no connection {connection_id}")
    connectors.connections.disconnect(user.actor, connection_id)
    return done_redirect(f"/p/{practice_id}/connections", "disconnected")


# -- connect with OAuth (authorization code, PKCE where the platform takes it) --------------------


def _callback_path(platform: str) -> str:
    return f"/oauth/{platform}/callback"


def _redirect_uri(services: Any, platform: str = "google") -> str:
    return services.settings.base_url.rstrip("/") + _callback_path(platform)


def _set_cookie(response: Response, name: str, value: str, *, path: str, settings: Any) -> None:
    response.set_cookie(
        name,
        value,
        max_age=int(oauth.FLOW_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",  # the consent screen's redirect back is a top-level GET from the platform
        secure=settings.base_url.startswith("https://"),
        path=path,
    )


def _admin_context(services: Any, user: Any, practice_id: int) -> dict[str, Any]:
    ctx = practice_context(services, user, practice_id)
    if not ctx["can"]["admin"]:
        raise PermissionDenied("Connecting an account needs the admin role in the practice.")
    return ctx


@router.post("/p/{practice_id}/connections/google/start")
def start_google(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Send an admin to Google's consent screen with a fresh state and PKCE challenge."""
    from safereply.connectors.google import parse_location

    ctx = _admin_context(services, user, practice_id)
    settings = services.settings
    values = {k: form_field(form, k) for k in ("location", "site")}
    try:
        if not settings.google_client_id:
            raise InputError("set SAFEREPLY_GOOGLE_CLIENT_ID and _SECRET to connect from here")
        _, location = parse_location(values["location"])
    except (InputError, ValueError) as exc:
        return _page(request, services, ctx, user, error=str(exc), values=values, status=422)
    flow = oauth.new_flow(
        "google", practice_id, user.actor.user_id, location, site=values["site"] or None
    )
    target = oauth.authorization_url(
        settings.google_auth_url,
        client_id=settings.google_client_id,
        redirect_uri=_redirect_uri(services),
        scope=oauth.GOOGLE_SCOPE,
        flow=flow,
        extra=oauth.GOOGLE_EXTRA,
    )
    response = RedirectResponse(target, status_code=303)
    _set_cookie(
        response,
        FLOW_COOKIE,
        oauth.seal_flow(flow, settings),
        path=CALLBACK_PATH,
        settings=settings,
    )
    return response


@router.get(CALLBACK_PATH)
def google_callback(request: Request, services: ServicesDep, user: PageUserDep) -> Response:
    """Check and spend the state, exchange the code with the PKCE verifier, connect."""
    from safereply.connectors.google import parse_location

    params = request.query_params
    flow = oauth.open_flow(
        request.cookies.get(FLOW_COOKIE),
        services.settings,
        state=params.get("state"),
        user_id=user.actor.user_id,
        platform="google",
    )
    oauth.spend(flow.state, services.store, until=flow.expires_at)
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


@router.post("/p/{practice_id}/connections/{platform}/start")
def start_social(
    request: Request,
    practice_id: PathId,
    platform: SocialPlatform,
    services: ServicesDep,
    user: PageUserDep,
    form: FormDep,
) -> Response:
    """Send an admin to Facebook's, Instagram's or X's consent screen with a fresh state."""
    ctx = _admin_context(services, user, practice_id)
    settings = services.settings
    found = oauth.provider(settings, platform)
    site = form_field(form, "site")
    known = {loc["name"] for loc in ctx["practice"]["locations"]}
    if found is None or (site and site not in known):
        error = (
            f"practice location {site!r} does not exist"
            if found is not None
            else f"connecting {platform} from here needs its client id and secret in the settings"
        )
        return _page(request, services, ctx, user, error=error, status=422)
    flow = oauth.new_flow(platform, practice_id, user.actor.user_id, "", site=site or None)
    target = oauth.authorization_url(
        found.auth_url,
        client_id=found.client_id,
        redirect_uri=_redirect_uri(services, platform),
        scope=found.scope,
        flow=flow,
        pkce=found.pkce,
        extra=found.extra,
    )
    response = RedirectResponse(target, status_code=303)
    _set_cookie(
        response,
        FLOW_COOKIE,
        oauth.seal_flow(flow, settings),
        path=_callback_path(platform),
        settings=settings,
    )
    return response


def _refusal(label: str, params: Any) -> str:
    """Say in plain words that the platform's consent screen did not grant access."""
    error = (params.get("error") or "")[:50]
    if error == "access_denied" or params.get("error_reason") == "user_denied":
        return (
            f"{label} access was not granted (the sign-in was cancelled or declined). "
            "Nothing was connected or changed."
        )
    return f"{label} did not grant access ({error}). Nothing was connected or changed."


def _failed(label: str, exc: Exception) -> str:
    return f"{label} could not be connected: {exc}. Nothing was connected; start again."


@router.get("/oauth/{platform}/callback")
def social_callback(
    request: Request, platform: SocialPlatform, services: ServicesDep, user: PageUserDep
) -> Response:
    """Check and spend the state, then exchange the code: Facebook goes on to the Page picker,
    Instagram and X connect the account the login named."""
    params = request.query_params
    settings = services.settings
    flow = oauth.open_flow(
        request.cookies.get(FLOW_COOKIE),
        settings,
        state=params.get("state"),
        user_id=user.actor.user_id,
        platform=platform,
    )
    oauth.spend(flow.state, services.store, until=flow.expires_at)
    ctx = _admin_context(services, user, flow.practice_id)
    found = oauth.provider(settings, platform)
    label = found.label if found else platform.capitalize()
    if params.get("error") or params.get("error_reason"):
        response = _page(request, services, ctx, user, error=_refusal(label, params), status=422)
    else:
        try:
            if found is None:
                raise InputError(f"connecting {platform} from here is no longer configured")
            response = _finish(services, user, flow, found, params.get("code") or "")
        except (InputError, ConnectorError) as exc:
            error = _failed(label, exc)
            response = _page(request, services, ctx, user, error=error, status=422)
    response.delete_cookie(FLOW_COOKIE, path=_callback_path(platform))
    return response


def _finish(
    services: Any, user: Any, flow: oauth.OAuthFlow, found: oauth.Provider, code: str
) -> Response:
    """Exchange the code; connect the account (Instagram, X) or open the Page picker."""
    if flow.platform == "facebook":
        return _to_picker(services, flow, found, code)
    account = _exchange_account(services, flow, found, code)
    info = _connectors(services).connections.connect(
        user.actor,
        flow.practice_id,
        platform=flow.platform,
        account=account.user_id,
        external_id=account.user_id,
        credentials=account.credentials,
        name=f"@{account.username}" if account.username else None,
        location=flow.site,
    )
    if flow.platform == "instagram":
        _subscribe(services, info.id, "instagram", account.user_id, account.credentials)
    return done_redirect(f"/p/{flow.practice_id}/connections", "connected")


def _to_picker(services: Any, flow: oauth.OAuthFlow, found: oauth.Provider, code: str) -> Response:
    """Exchange Facebook's code for the user token and carry it, sealed, to the Page picker."""
    settings = services.settings
    token = meta.exchange_facebook_code(
        settings.meta_graph_api,
        app_id=found.client_id,
        app_secret=found.client_secret,
        code=code,
        redirect_uri=_redirect_uri(services, "facebook"),
        transport=_connectors(services).connections.transport,
        timeout=settings.connector_timeout,
    )
    response = RedirectResponse(f"/p/{flow.practice_id}/connections/facebook/pick", 303)
    _set_cookie(
        response,
        PICK_COOKIE,
        oauth.seal_pick(oauth.new_pick(flow, token), settings),
        path=f"/p/{flow.practice_id}/connections/facebook",
        settings=settings,
    )
    return response


def _exchange_account(
    services: Any, flow: oauth.OAuthFlow, found: oauth.Provider, code: str
) -> meta.InstagramAccount | x.XAccount:
    """Exchange an Instagram Login or X code for the one account it names, with its tokens."""
    settings = services.settings
    redirect_uri = _redirect_uri(services, flow.platform)
    transport = _connectors(services).connections.transport
    if flow.platform == "instagram":
        return meta.exchange_instagram_code(
            settings.instagram_token_url,
            settings.instagram_api,
            app_id=found.client_id,
            app_secret=found.client_secret,
            code=code,
            redirect_uri=redirect_uri,
            transport=transport,
            timeout=settings.connector_timeout,
        )
    return x.exchange_code(
        settings.x_token_url or f"{settings.x_api.rstrip('/')}/2/oauth2/token",
        settings.x_api,
        client_id=found.client_id,
        client_secret=found.client_secret,
        code=code,
        verifier=flow.verifier,
        redirect_uri=redirect_uri,
        transport=transport,
        timeout=settings.connector_timeout,
    )


def _subscribe(
    services: Any, connection_id: int, platform: str, owner: str, credentials: Credentials
) -> None:
    """Install the app's webhooks on the Page or account now, and remember the answer.

    A refusal is remembered (polling carries on alone); a passing failure is only logged (the
    page says "not subscribed yet"; a Facebook sync subscribes at its first run).
    """
    settings = services.settings
    target = Target(
        platform, owner, owner, api_base(settings, platform)[0], timeout=settings.connector_timeout
    )
    factory = meta.FacebookConnector if platform == "facebook" else meta.InstagramConnector
    connector = factory(target, credentials, _connectors(services).connections.transport)
    try:
        state = connector.subscribe_webhooks()
    except ConnectorError as exc:
        log.warning(
            "connection %s: webhook subscription failed (%s)", connection_id, type(exc).__name__
        )
        return
    oauth.record_push(services.store, connection_id, state)


# -- the Facebook Page picker ---------------------------------------------------------------------


def _pick_page(
    request: Request,
    services: Any,
    ctx: dict[str, Any],
    user: Any,
    pages: list[meta.PageChoice],
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    shown = [{"id": p.id, "name": p.name, "can_moderate": p.can_moderate} for p in pages]
    return page(
        request,
        "connections_pick.html",
        {
            **ctx,
            "title": "Pick a Facebook Page",
            "nav": "connections",
            "user": user,
            "pages": shown,
            "error": error,
        },
        data={"pages": shown},
        status=status,
    )


def _pages(services: Any, pick: oauth.PendingPick) -> list[meta.PageChoice]:
    settings = services.settings
    return meta.facebook_pages(
        settings.meta_graph_api,
        pick.token,
        app_secret=settings.meta_app_secret,
        transport=_connectors(services).connections.transport,
        timeout=settings.connector_timeout,
    )


@router.get("/p/{practice_id}/connections/facebook/pick")
def facebook_pick(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """List the Pages the Facebook login manages (names and ids only; never a token)."""
    ctx = _admin_context(services, user, practice_id)
    pick = oauth.open_pick(
        request.cookies.get(PICK_COOKIE),
        services.settings,
        practice_id=practice_id,
        user_id=user.actor.user_id,
    )
    try:
        pages = _pages(services, pick)
    except ConnectorError as exc:
        return _page(request, services, ctx, user, error=_failed("Facebook", exc), status=422)
    return _pick_page(request, services, ctx, user, pages)


@router.post("/p/{practice_id}/connections/facebook/pick")
def facebook_pick_connect(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Connect the picked Page with its own Page token, then install the ``feed`` webhooks."""
    ctx = _admin_context(services, user, practice_id)
    settings = services.settings
    pick = oauth.open_pick(
        request.cookies.get(PICK_COOKIE),
        settings,
        practice_id=practice_id,
        user_id=user.actor.user_id,
    )
    found = oauth.provider(settings, "facebook")
    try:
        if found is None:
            raise InputError("connecting facebook from here is no longer configured")
        pages = _pages(services, pick)
    except (InputError, ConnectorError) as exc:
        return _page(request, services, ctx, user, error=_failed("Facebook", exc), status=422)
    chosen = next((p for p in pages if p.id == form_field(form, "page_id")), None)
    if chosen is None or not chosen.can_moderate:
        error = (
            "Pick one of the Pages listed."
            if chosen is None
            else "Your role on this Page does not include moderating comments (MODERATE); "
            "ask a Page admin for that task, or pick another Page."
        )
        return _pick_page(request, services, ctx, user, pages, error=error, status=422)
    oauth.spend(pick.nonce, services.store, until=pick.expires_at)
    credentials = Credentials(
        client_id=found.client_id,
        client_secret=found.client_secret,
        access_token=chosen.access_token,
    )
    info = _connectors(services).connections.connect(
        user.actor,
        practice_id,
        platform="facebook",
        account=chosen.id,
        external_id=chosen.id,
        credentials=credentials,
        name=chosen.name,
        location=pick.site,
    )
    _subscribe(services, info.id, "facebook", chosen.id, credentials)
    response = done_redirect(f"/p/{practice_id}/connections", "connected")
    response.delete_cookie(PICK_COOKIE, path=f"/p/{practice_id}/connections/facebook")
    return response
