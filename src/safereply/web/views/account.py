"""The signed-in user's own account: change the password, and create, list and revoke API tokens.

Every check is the service's (``UserService``): the password rules, which sessions end, what the
audit log records. The page adds what a form needs: the confirmation field, messages beside the
fields, and the sign-in rate limit on wrong current passwords (the same limiter and keys as the
sign-in form, so guesses here and there share one budget). Creating a token asks for the password
again (the same limit), with a scope (read, write, admin) and a lifetime of 1 to 365 days. A new
token's secret is shown once, on the page that answers the form post; it is never stored, listed
or put in an address.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from safereply.errors import InputError, NotFoundError
from safereply.services.users import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, MIN_PASSWORD
from safereply.web.api.schemas import PathId
from safereply.web.deps import start_browser_session
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

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

#: Longest password and token name accepted (the JSON API's limits).
MAX_PASSWORD = 1000
MAX_TOKEN_NAME = 100


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


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
    return page(
        request,
        "account.html",
        {
            "title": "Your account",
            "nav": "account",
            "user": user,
            "memberships": services.practices.list_practices(user.actor),
            "tokens": tokens,
            "min_password": MIN_PASSWORD,
            "max_token_name": MAX_TOKEN_NAME,
            "scopes": SCOPE_LABELS,
            "max_token_days": MAX_TOKEN_DAYS,
            "values": {"scope": "write", "expires_in_days": str(DEFAULT_TOKEN_DAYS)}
            | (values or {}),
            "errors": errors or {},
            "error": error,
        },
        data={"user": user.user, "tokens": tokens},
        status=status,
    )


@router.get("/account")
def account(request: Request, services: ServicesDep, user: PageUserDep) -> Response:
    """The user's details, the password form and the user's API tokens."""
    return _account_page(request, services, user)


# -- password -------------------------------------------------------------------------------


def _password_errors(current: str, new: str, confirm: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not current:
        errors["current_password"] = "Enter your current password."
    elif len(current) > MAX_PASSWORD:
        errors["current_password"] = "The current password is wrong."
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
    """Change the user's own password; every other session of the account ends."""
    current = form_field(form, "current_password", strip=False)
    new = form_field(form, "new_password", strip=False)
    errors = _password_errors(current, new, form_field(form, "confirm_password", strip=False))
    if errors:
        return _account_page(request, services, user, errors=errors, status=422)
    limiter = request.app.state.login_limiter
    keys = (f"ip:{_client(request)}", f"email:{user.actor.email.lower()}")
    wait = limiter.retry_after(*keys)
    if wait:
        message = f"Too many wrong passwords. Try again in {wait} seconds."
        return _account_page(request, services, user, error=message, status=429)
    if services.users.authenticate(user.actor.email, current) is None:
        limiter.failed(*keys)
        errors = {"current_password": "The current password is wrong."}
        return _account_page(request, services, user, errors=errors, status=403)
    limiter.succeeded(keys[1])
    try:
        # The service checks the rules, ends every session of the account and audits the change.
        services.users.set_password(user.actor, user_id=user.actor.user_id, password=new)
    except InputError as exc:
        message = str(exc)
        errors = {"new_password": message[:1].upper() + message[1:] + "."}
        return _account_page(request, services, user, errors=errors, status=422)
    # This browser signs in again with the new password; the other sessions stay ended.
    response = done_redirect("/account", "password")
    start_browser_session(services, user.actor, response)
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
    elif len(password) > MAX_PASSWORD:
        errors["token_password"] = "That is not your password."
    if errors:
        return _account_page(request, services, user, values=values, errors=errors, status=422)
    limiter = request.app.state.login_limiter
    keys = (f"ip:{_client(request)}", f"email:{user.actor.email.lower()}")
    wait = limiter.retry_after(*keys)
    if wait:
        message = f"Too many wrong passwords. Try again in {wait} seconds."
        return _account_page(request, services, user, values=values, error=message, status=429)
    if services.users.authenticate(user.actor.email, password) is None:
        limiter.failed(*keys)
        errors = {"token_password": "The password is wrong."}
        return _account_page(request, services, user, values=values, errors=errors, status=403)
    limiter.succeeded(keys[1])
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
