"""Sign in (password, then the second factor or its set-up), sign out, password reset by
e-mail, the start page and the practice switcher for agency users.

Every sign-in decision is ``services.auth.sign_in``'s (the limiter, the password, the code);
these pages only carry its answers. Forms posted before a session exists carry a double-submit
token (the pre-session cookie, scoped to ``/login``), so the second step, the forgotten-password
form and the reset form all live under ``/login``.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from safereply.errors import InputError, NotFoundError
from safereply.services.auth import Attempt, SignInResult
from safereply.services.mfa import qr_data_uri
from safereply.services.passwords import MIN_PASSWORD
from safereply.web.api.schemas import PathId
from safereply.web.deps import DEVICE_COOKIE, SESSION_COOKIE, client_of, start_browser_session
from safereply.web.views.common import (
    PRE_SESSION_COOKIE,
    FormDep,
    HtmlRoute,
    PageUserDep,
    ServicesDep,
    form_field,
    new_pre_session_token,
    page,
    safe_next,
)
from safereply.words import counted

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

#: Messages after a redirect to a sign-in page (fixed texts; nothing from the address is shown).
_DONE = {
    "signed-out": "You are signed out.",
    "password-reset": "Your password is changed. Every session and API token of the account "
    "ended: sign in with the new password.",
}
_WRONG = "That e-mail address and password do not match an account."
_LOCKED = (
    "Too many failed sign-ins on this account from many places. Sign in with your second "
    "factor, from a browser you signed in with before, or reset your password."
)
_WRONG_CODE = "That code is wrong or was used already. Try the newest code, or a recovery code."
_EXPIRED = "The sign-in timed out. Please enter your password again."
_FORM_EXPIRED = "The form expired. Please try again."
_MAX_FIELD = 1000


def _auth_page(
    request: Request, template: str, context: dict[str, Any], *, status: int = 200
) -> Response:
    """Render a page of the sign-in flow with a fresh double-submit token and cookie."""
    token = new_pre_session_token()
    done = _DONE.get(request.query_params.get("done") or "")
    context = {"login_token": token, "values": {}} | context
    if done:
        context["done_message"] = done
    response = page(request, template, context, status=status)
    response.set_cookie(
        PRE_SESSION_COOKIE, token, max_age=3600, httponly=True, samesite="strict", path="/login"
    )
    return response


def _login_page(
    request: Request,
    *,
    email: str = "",
    next_path: str = "/",
    error: str | None = None,
    status: int = 200,
) -> Response:
    return _auth_page(
        request,
        "login.html",
        {"title": "Sign in", "values": {"email": email}, "next": next_path, "error": error},
        status=status,
    )


def _form_ok(request: Request, form: Any) -> bool:
    """Return True when the form carries this browser's double-submit token."""
    sent = form_field(form, "login_token")
    expected = request.cookies.get(PRE_SESSION_COOKIE) or ""
    return bool(
        sent and expected and hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))
    )  # bytes: a non-ASCII token is just wrong (str would raise TypeError)


def _signed_in(request: Request, services: Any, result: SignInResult, next_path: str) -> Response:
    """Start the session of a successful sign-in and go where the user was headed."""
    assert result.actor is not None
    if result.recovery_codes:
        response: Response = page(
            request,
            "recovery_codes.html",
            {"title": "Your recovery codes", "codes": result.recovery_codes, "next": next_path},
            status=200,
        )
    else:
        response = RedirectResponse(next_path, status_code=303)
    start_browser_session(services, result.actor, response, request, device=result.device)
    response.delete_cookie(PRE_SESSION_COOKIE, path="/login")
    return response


def _next_step(
    request: Request, services: Any, result: SignInResult, *, email: str, next_path: str
) -> Response:
    """Answer a sign-in result: signed in, ask for the code, set one up, or say what failed."""
    if result.outcome == "ok":
        return _signed_in(request, services, result, next_path)
    if result.outcome == "limited":
        wait = counted(result.retry_after, "second")
        error: str | None = f"Too many failed sign-ins. Try again in {wait}."
        if result.pending:
            return _code_page(request, result, next_path, error=error, status=429)
        return _login_page(request, email=email, next_path=next_path, error=error, status=429)
    if result.outcome in ("second_factor", "enrol", "wrong_code"):
        error = _WRONG_CODE if result.outcome == "wrong_code" else None
        return _code_page(request, result, next_path, error=error, status=401 if error else 200)
    error = {"locked": _LOCKED, "expired": _EXPIRED}.get(result.outcome, _WRONG)
    return _login_page(request, email=email, next_path=next_path, error=error, status=401)


def _with_qr(enrolment: dict[str, str] | None) -> dict[str, Any] | None:
    """Add the QR code of the enrolment's otpauth:// URI (None without the ``qr`` extra)."""
    if enrolment is None:
        return None
    return {**enrolment, "qr": qr_data_uri(enrolment["uri"])}


def _code_page(
    request: Request,
    result: SignInResult,
    next_path: str,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The second step: the authenticator's code, or (``enrolment``) setting one up first."""
    enrol = result.enrolment is not None
    return _auth_page(
        request,
        "login_enrol.html" if enrol else "login_code.html",
        {
            "title": "Set up a second factor" if enrol else "Enter your code",
            "pending": result.pending,
            "enrolment": _with_qr(result.enrolment),
            "next": next_path,
            "error": error,
        },
        status=status,
    )


@router.get("/login")
def login_form(request: Request, services: ServicesDep) -> Response:
    """The sign-in page (already signed-in users go straight to their inbox)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and services.users.resolve_session(cookie) is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return _login_page(request, next_path=safe_next(request.query_params.get("next")))


@router.post("/login")
def login(request: Request, services: ServicesDep, form: FormDep) -> Response:
    """Check the e-mail and password; sign in, or ask for the second factor."""
    email = form_field(form, "email")[:_MAX_FIELD]
    password = form_field(form, "password", strip=False)
    next_path = safe_next(form_field(form, "next") or "/")
    if not _form_ok(request, form):
        error = "The sign-in form expired. Please enter your password again."
        return _login_page(request, email=email, next_path=next_path, error=error, status=403)
    if not email or not password or len(password) > _MAX_FIELD:
        error = "Enter your e-mail address and your password."
        return _login_page(request, email=email, next_path=next_path, error=error, status=422)
    attempt = Attempt(
        source=client_of(request),
        email=email,
        password=password,
        device=request.cookies.get(DEVICE_COOKIE),
    )
    result = services.auth.sign_in(attempt)
    return _next_step(request, services, result, email=email, next_path=next_path)


@router.post("/login/code")
def login_code(request: Request, services: ServicesDep, form: FormDep) -> Response:
    """The second step: the code from the authenticator app (or a recovery code), or the
    first code of a new authenticator when a practice requires one."""
    next_path = safe_next(form_field(form, "next") or "/")
    if not _form_ok(request, form):
        return _login_page(request, next_path=next_path, error=_FORM_EXPIRED, status=403)
    attempt = Attempt(
        source=client_of(request),
        pending=form_field(form, "pending")[:2000],
        code=form_field(form, "code")[:40],
        device=request.cookies.get(DEVICE_COOKIE),
    )
    result = services.auth.sign_in(attempt)
    return _next_step(request, services, result, email="", next_path=next_path)


# -- a forgotten password -------------------------------------------------------------------------


@router.get("/login/forgot")
def forgot_form(request: Request) -> Response:
    """Ask for the e-mail address to send a reset link to."""
    return _auth_page(request, "forgot.html", {"title": "Forgot your password?", "sent": False})


@router.post("/login/forgot")
def forgot(request: Request, services: ServicesDep, form: FormDep) -> Response:
    """Send a reset link if the address has an account; answer the same either way."""
    email = form_field(form, "email")[:320]
    if not _form_ok(request, form):
        context = {"title": "Forgot your password?", "sent": False, "error": _FORM_EXPIRED}
        return _auth_page(request, "forgot.html", context, status=403)
    wait = services.auth.request_password_reset(email, source=client_of(request))
    if wait:
        error = f"Too many requests. Try again in {counted(wait, 'second')}."
        context = {"title": "Forgot your password?", "sent": False, "error": error}
        return _auth_page(request, "forgot.html", context, status=429)
    return _auth_page(request, "forgot.html", {"title": "Check your e-mail", "sent": True})


def _reset_page(
    request: Request, token: str, *, errors: dict[str, str] | None = None, status: int = 200
) -> Response:
    context = {
        "title": "Choose a new password",
        "token": token,
        "errors": errors or {},
        "min_password": MIN_PASSWORD,
    }
    return _auth_page(request, "reset.html", context, status=status)


def _reset_gone(request: Request) -> Response:
    context: dict[str, Any] = {"title": "This link no longer works", "token": None, "errors": {}}
    return _auth_page(request, "reset.html", context, status=404)


@router.get("/login/reset/{token}")
def reset_form(request: Request, token: str, services: ServicesDep) -> Response:
    """The form of a reset link, while the link is unused and unexpired."""
    if not services.auth.reset_link_valid(token):
        return _reset_gone(request)
    return _reset_page(request, token)


@router.post("/login/reset/{token}")
def reset(request: Request, token: str, services: ServicesDep, form: FormDep) -> Response:
    """Set the new password (once); every session and API token of the account ends."""
    new = form_field(form, "new_password", strip=False)
    if not _form_ok(request, form):
        return _reset_page(request, token, errors={"new_password": _FORM_EXPIRED}, status=403)
    if new != form_field(form, "confirm_password", strip=False):
        errors = {"confirm_password": "The two new passwords do not match."}
        return _reset_page(request, token, errors=errors, status=422)
    try:
        services.auth.reset_password(token, new)
    except NotFoundError:
        return _reset_gone(request)
    except InputError as exc:
        message = str(exc)
        errors = {"new_password": message[:1].upper() + message[1:] + "."}
        return _reset_page(request, token, errors=errors, status=422)
    response = RedirectResponse("/login?done=password-reset", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
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
