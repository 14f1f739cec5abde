"""Sign in, sign out, the start page and the practice switcher for agency users."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from safereply.web.api.schemas import PathId
from safereply.web.deps import SESSION_COOKIE, start_browser_session
from safereply.web.views.common import (
    PRE_SESSION_COOKIE,
    FormDep,
    HtmlRoute,
    PageUserDep,
    ServicesDep,
    new_pre_session_token,
    page,
    safe_next,
)

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _login_page(
    request: Request,
    *,
    email: str = "",
    next_path: str = "/",
    error: str | None = None,
    status: int = 200,
) -> Response:
    token = new_pre_session_token()
    response = page(
        request,
        "login.html",
        {
            "title": "Sign in",
            "login_token": token,
            "values": {"email": email},
            "next": next_path,
            "error": error,
        },
        status=status,
    )
    response.set_cookie(
        PRE_SESSION_COOKIE, token, max_age=3600, httponly=True, samesite="strict", path="/login"
    )
    return response


@router.get("/login")
def login_form(request: Request, services: ServicesDep) -> Response:
    """The sign-in page (already signed-in users go straight to their inbox)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and services.users.resolve_session(cookie) is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return _login_page(request, next_path=safe_next(request.query_params.get("next")))


@router.post("/login")
def login(request: Request, services: ServicesDep, form: FormDep) -> Response:
    """Check the e-mail and password; start a session; go where the user was headed."""
    email = str(form.get("email") or "").strip()
    password = str(form.get("password") or "")
    next_path = safe_next(str(form.get("next") or "/"))
    sent = str(form.get("login_token") or "")
    expected = request.cookies.get(PRE_SESSION_COOKIE) or ""
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        return _login_page(
            request,
            email=email,
            next_path=next_path,
            error="The sign-in form expired. Please enter your password again.",
            status=403,
        )
    if not email or not password:
        return _login_page(
            request,
            email=email,
            next_path=next_path,
            error="Enter your e-mail address and your password.",
            status=422,
        )
    limiter = request.app.state.login_limiter
    keys = (f"ip:{_client(request)}", f"email:{email.lower()}")
    wait = limiter.retry_after(*keys)
    if wait:
        return _login_page(
            request,
            email=email,
            next_path=next_path,
            error=f"Too many failed sign-ins. Try again in {wait} seconds.",
            status=429,
        )
    actor = services.users.authenticate(email, password)
    if actor is None:
        limiter.failed(*keys)
        return _login_page(
            request,
            email=email,
            next_path=next_path,
            error="That e-mail address and password do not match an account.",
            status=401,
        )
    limiter.succeeded(keys[1])
    response = RedirectResponse(next_path, status_code=303)
    start_browser_session(services, actor, response)
    response.delete_cookie(PRE_SESSION_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, services: ServicesDep, user: PageUserDep) -> Response:
    """End the session and return to the sign-in page."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        services.users.end_session(cookie)
    response = RedirectResponse("/login?done=signed-out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def start(services: ServicesDep, user: PageUserDep) -> Response:
    """Go to the only practice's inbox, or let an agency user choose a practice."""
    practices = services.practices.list_practices(user.actor)
    if len(practices) == 1 and not services.users.my_invitations(user.actor):
        return RedirectResponse(f"/p/{practices[0]['id']}/inbox", status_code=303)
    return RedirectResponse("/practices", status_code=303)


@router.get("/practices")
def switcher(request: Request, services: ServicesDep, user: PageUserDep) -> Response:
    """Every practice the user belongs to, with what waits in each."""
    practices = services.practices.list_practices(user.actor)
    rows = []
    for practice in practices:
        counts = services.inbox.counts(user.actor, practice["id"])
        waiting = sum(
            n for state, n in counts["states"].items() if state not in _CLOSED_STATE_NAMES
        )
        rows.append({**practice, "waiting": waiting, "overdue": counts["overdue"]})
    invitations = services.users.my_invitations(user.actor)
    return page(
        request,
        "practices.html",
        {
            "title": "Choose a practice",
            "user": user,
            "rows": rows,
            "practices": practices,
            "invitations": invitations,
        },
        data={"practices": rows, "invitations": invitations},
    )


@router.post("/invitations/{invitation_id}/accept")
def accept_invitation(invitation_id: PathId, services: ServicesDep, user: PageUserDep) -> Response:
    """Join the practice of an invitation addressed to you."""
    joined = services.users.accept_invitation(user.actor, invitation_id)
    return RedirectResponse(f"/p/{joined['practice_id']}/inbox?done=joined", status_code=303)


@router.post("/invitations/{invitation_id}/decline")
def decline_invitation(invitation_id: PathId, services: ServicesDep, user: PageUserDep) -> Response:
    """Refuse an invitation addressed to you."""
    services.users.decline_invitation(user.actor, invitation_id)
    return RedirectResponse("/practices?done=declined", status_code=303)


_CLOSED_STATE_NAMES = frozenset({"published", "marked_replied", "dismissed"})
