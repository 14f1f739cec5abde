"""The signed-in user's own account: password, second factor, sessions and API tokens.

Every check is the services': ``services.auth.confirm_identity`` asks for the password again
(and the authenticator's code when the account has one) before a password change, a new API
token, or a change to the second factor, with the sign-in limiter's per-source delays;
``services.users`` keeps the password rules, sessions and tokens and audits each change. The
page adds what a form needs: the confirmation field, messages beside the fields. A new token's
secret and new recovery codes are shown once, on the page that answers the form post; they are
never stored in clear, listed or put in an address.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from safereply.errors import InputError, NotFoundError
from safereply.services.auth import Check
from safereply.services.mfa import qr_data_uri
from safereply.services.passwords import MIN_PASSWORD
from safereply.services.users import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS
from safereply.web.api.schemas import PathId
from safereply.web.deps import SESSION_COOKIE, client_of, start_browser_session
from safereply.web.views import security
from safereply.web.views.common import (
    FormDep,
    HtmlRoute,
    PageUser,
    PageUserDep,
    ServicesDep,
    done_redirect,
    form_field,
    page,
)
from safereply.words import counted

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)
# The practice's sign-in security page (admins) rides on this router: one module of pages less
# to register.
router.include_router(security.router)

#: Longest password and token name accepted (the JSON API's limits).
MAX_PASSWORD = 1000
MAX_TOKEN_NAME = 100

#: Messages after this page's own redirects (fixed texts only).
_DONE = {
    "session-revoked": "That browser is signed out.",
    "sessions-revoked": "Every other browser is signed out.",
    "mfa-off": "The second factor is off. Your recovery codes no longer work.",
}


def _current_session(request: Request, services: Any) -> int | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    info = services.users.resolve_session(cookie) if cookie else None
    return info.session_id if info else None


def _account_page(
    request: Request,
    services: Any,
    user: PageUser,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    tokens = services.users.list_tokens(user.actor)
    sessions = services.users.list_sessions(user.actor, _current_session(request, services))
    mfa = services.auth.mfa_status(user.actor)
    context = {
        "title": "Your account",
        "nav": "account",
        "user": user,
        "memberships": services.practices.list_practices(user.actor),
        "tokens": tokens,
        "sessions": sessions,
        "mfa": mfa,
        "min_password": MIN_PASSWORD,
        "max_token_name": MAX_TOKEN_NAME,
        "scopes": SCOPE_LABELS,
        "max_token_days": MAX_TOKEN_DAYS,
        "values": {"scope": "write", "expires_in_days": str(DEFAULT_TOKEN_DAYS)} | (values or {}),
        "errors": errors or {},
        "error": error,
    }
    done = _DONE.get(request.query_params.get("done") or "")
    if done:
        context["done_message"] = done
    data = {"user": user.user, "tokens": tokens, "sessions": sessions, "mfa": mfa}
    return page(request, "account.html", context, data=data, status=status)


@router.get("/account")
def account(request: Request, services: ServicesDep, user: PageUserDep) -> Response:
    """The user's details, password, second factor, sessions and API tokens."""
    return _account_page(request, services, user)


def _confirm(
    request: Request, services: Any, user: PageUser, form: Any, *, field: str, key: str
) -> tuple[dict[str, str], str | None, int]:
    """Ask for the password (form field ``field``) again, and the code (``code``) when the
    account has a second factor. Returns (errors by ``key``, a page-level error, status); no
    errors means confirmed."""
    password = form_field(form, field, strip=False)
    code = form_field(form, "code")[:40] or None
    if not password:
        return {key: "Enter your password."}, None, 422
    if len(password) > MAX_PASSWORD:
        return {key: "That is not your password."}, None, 403
    check: Check = services.auth.confirm_identity(
        user.actor, password=password, code=code, source=client_of(request)
    )
    if check.outcome == "limited":
        wait = counted(check.retry_after, "second")
        return {}, f"Too many wrong passwords. Try again in {wait}.", 429
    if check.outcome == "wrong":
        which = "current password" if key == "current_password" else "password"
        return {key: f"The {which} is wrong."}, None, 403
    if check.outcome == "code_needed":
        return {f"{key}_code": "Enter the code of your authenticator app."}, None, 422
    if check.outcome == "wrong_code":
        return {f"{key}_code": "That code is wrong or was used already."}, None, 403
    return {}, None, 200


# -- password -------------------------------------------------------------------------------


def _password_errors(new: str, confirm: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not new:
        errors["new_password"] = "Enter a new password."
    elif len(new) > MAX_PASSWORD:
        errors["new_password"] = f"Use at most {MAX_PASSWORD} characters."
    elif confirm != new:
        errors["confirm_password"] = "The two new passwords do not match."
    return errors


@router.post("/account/password")
def change_password(
    request: Request, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Change the user's own password; every session and API token of the account ends."""
    new = form_field(form, "new_password", strip=False)
    errors = _password_errors(new, form_field(form, "confirm_password", strip=False))
    if not form_field(form, "current_password", strip=False):
        errors["current_password"] = "Enter your current password."
    if errors:
        return _account_page(request, services, user, errors=errors, status=422)
    errors, error, status = _confirm(
        request, services, user, form, field="current_password", key="current_password"
    )
    if errors or error:
        return _account_page(request, services, user, errors=errors, error=error, status=status)
    try:
        # The service checks the rules, ends every session and token, and audits the change.
        services.users.set_password(user.actor, user_id=user.actor.person_id, password=new)
    except InputError as exc:
        message = str(exc)
        errors = {"new_password": message[:1].upper() + message[1:] + "."}
        return _account_page(request, services, user, errors=errors, status=422)
    # This browser signs in again with the new password; the other sessions stay ended.
    response = done_redirect("/account", "password")
    start_browser_session(services, user.actor, response, request)
    return response


# -- API tokens -----------------------------------------------------------------------------


#: The token scopes offered on the page, with what each may do.
SCOPE_LABELS = {
    "read": "Read: look only (GET requests)",
    "write": "Write: work the inbox, but not configure the practice",
    "admin": "Admin: everything your roles allow",
}


@router.post("/account/tokens")
def create_token(
    request: Request, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Create an API token (after the password, asked again) and show its secret, this once."""
    name = form_field(form, "name")
    scope = form_field(form, "scope") or "write"
    days_text = form_field(form, "expires_in_days") or str(DEFAULT_TOKEN_DAYS)
    password = form_field(form, "password", strip=False)
    values = {"name": name, "scope": scope, "expires_in_days": days_text}
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Name the token after what will use it, such as: monthly export."
    elif len(name) > MAX_TOKEN_NAME:
        errors["name"] = f"Keep the name to {MAX_TOKEN_NAME} characters (this is {len(name)})."
    if scope not in SCOPE_LABELS:
        errors["scope"] = "Choose what the token may do."
    days = int(days_text) if days_text.isascii() and days_text.isdigit() else 0
    if not 1 <= days <= MAX_TOKEN_DAYS:
        errors["expires_in_days"] = f"Choose from 1 to {MAX_TOKEN_DAYS} days."
    if not password:
        errors["token_password"] = "Enter your password to create a token."
    if errors:
        return _account_page(request, services, user, values=values, errors=errors, status=422)
    errors, error, status = _confirm(
        request, services, user, form, field="password", key="token_password"
    )
    if errors or error:
        return _account_page(
            request, services, user, values=values, errors=errors, error=error, status=status
        )
    created = services.users.create_token(user.actor, name=name, scope=scope, expires_in_days=days)
    return page(
        request,
        "token_created.html",
        {"title": "Your new API token", "nav": "account", "user": user, "token": created},
        data=created,
        status=201,
    )


def _own_token(services: Any, user: PageUser, token_id: int) -> dict[str, Any]:
    for token in services.users.list_tokens(user.actor):
        if token["id"] == token_id:
            return token
    raise NotFoundError("no such token")


@router.get("/account/tokens/{token_id}/revoke")
def confirm_revoke(
    request: Request, token_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """Ask before revoking a token: scripts using it stop working at once."""
    token = _own_token(services, user, token_id)
    return page(
        request,
        "token_revoke.html",
        {"title": "Revoke an API token", "nav": "account", "user": user, "token": token},
        data=token,
    )


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: PathId, services: ServicesDep, user: PageUserDep) -> Response:
    """Revoke one of the user's tokens (the service audits it)."""
    _own_token(services, user, token_id)
    services.users.revoke_token(user.actor, token_id)
    return done_redirect("/account", "token-revoked")


# -- sessions -------------------------------------------------------------------------------------


@router.post("/account/sessions/{session_id}/revoke")
def revoke_session(session_id: PathId, services: ServicesDep, user: PageUserDep) -> Response:
    """Sign one of the user's browsers out (another person's session is 'no such session')."""
    services.users.revoke_session(user.actor, session_id)
    return done_redirect("/account", "session-revoked")


@router.post("/account/sessions/revoke-others")
def revoke_other_sessions(request: Request, services: ServicesDep, user: PageUserDep) -> Response:
    """Sign out every browser of the account but this one."""
    services.users.revoke_other_sessions(user.actor, _current_session(request, services))
    return done_redirect("/account", "sessions-revoked")


# -- the second factor ----------------------------------------------------------------------------


def _codes_page(request: Request, user: PageUser, codes: list[str]) -> Response:
    return page(
        request,
        "recovery_codes.html",
        {
            "title": "Your recovery codes",
            "nav": "account",
            "user": user,
            "codes": codes,
            "next": "/account",
        },
        data={"recovery_codes": codes},
    )


@router.post("/account/mfa/enrol")
def mfa_enrol(
    request: Request, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Start setting up an authenticator app (after the password, asked again)."""
    errors, error, status = _confirm(request, services, user, form, field="password", key="mfa")
    if errors or error:
        return _account_page(request, services, user, errors=errors, error=error, status=status)
    enrolment = services.auth.begin_enrolment(user.actor.person_id)
    return _enrol_page(request, user, enrolment)


def _enrol_page(
    request: Request,
    user: PageUser,
    enrolment: dict[str, str] | None,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    return page(
        request,
        "account_mfa.html",
        {
            "title": "Set up a second factor",
            "nav": "account",
            "user": user,
            "enrolment": enrolment and {**enrolment, "qr": qr_data_uri(enrolment["uri"])},
            "code_error": error,
        },
        data=None,
        status=status,
    )


@router.post("/account/mfa/confirm")
def mfa_confirm(
    services: ServicesDep, user: PageUserDep, request: Request, form: FormDep
) -> Response:
    """Turn the second factor on with the app's first code; show the recovery codes once."""
    codes = services.auth.confirm_enrolment(user.actor, form_field(form, "code")[:40])
    if codes is None:
        waiting = services.auth.pending_enrolment(user.actor)
        if waiting is None:
            return _account_page(
                request, services, user, error="Start the set-up again.", status=409
            )
        return _enrol_page(
            request, user, waiting, error="That code is wrong. Type the newest one.", status=422
        )
    return _codes_page(request, user, codes)


@router.post("/account/mfa/disable")
def mfa_disable(
    request: Request, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Turn the second factor off (password and code asked again; refused when required)."""
    errors, error, status = _confirm(request, services, user, form, field="password", key="mfa_off")
    if errors or error:
        return _account_page(request, services, user, errors=errors, error=error, status=status)
    services.auth.disable_mfa(user.actor)
    return done_redirect("/account", "mfa-off")


@router.post("/account/mfa/recovery-codes")
def mfa_recovery_codes(
    request: Request, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Replace the recovery codes with ten new ones, shown once."""
    errors, error, status = _confirm(
        request, services, user, form, field="password", key="mfa_codes"
    )
    if errors or error:
        return _account_page(request, services, user, errors=errors, error=error, status=status)
    return _codes_page(request, user, services.auth.regenerate_recovery_codes(user.actor))
