"""Sign in and out, the current user, API tokens and password changes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from safereply.web.api.schemas import LoginRequest, PasswordChange, PathId, TokenCreate
from safereply.web.deps import (
    SESSION_COOKIE,
    ActorDep,
    AuthDep,
    ServicesDep,
    start_browser_session,
)
from safereply.web.errors import ApiError

router = APIRouter(prefix="/auth", tags=["auth"])


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/login", summary="Sign in; sets the session cookie and returns the CSRF token")
def login(body: LoginRequest, request: Request, response: Response, services: ServicesDep):
    limiter = request.app.state.login_limiter
    keys = (f"ip:{_client(request)}", f"email:{body.email.strip().lower()}")
    wait = limiter.retry_after(*keys)
    if wait:
        raise ApiError(
            429,
            "rate_limited",
            f"too many failed sign-ins; try again in {wait} seconds",
            headers={"Retry-After": str(wait)},
        )
    actor = services.users.authenticate(body.email, body.password)
    if actor is None:
        limiter.failed(*keys)
        raise ApiError(401, "unauthenticated", "wrong e-mail or password")
    limiter.succeeded(keys[1])
    csrf_token = start_browser_session(services, actor, response)
    return {"user": services.users.get_user(actor.user_id), "csrf_token": csrf_token}


@router.post("/logout", summary="End the browser session")
def logout(request: Request, response: Response, services: ServicesDep, auth: AuthDep):
    cookie = request.cookies.get(SESSION_COOKIE)
    if auth.method == "session" and cookie:
        services.users.end_session(cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"ok": True}


@router.get("/me", summary="The signed-in user, roles and (for sessions) the CSRF token")
def me(services: ServicesDep, auth: AuthDep) -> dict[str, Any]:
    out = {"user": services.users.get_user(auth.actor.user_id), "auth": auth.method}
    if auth.csrf_token:
        out["csrf_token"] = auth.csrf_token
    return out


@router.put("/password", summary="Change your password (ends your other sessions)")
def change_password(body: PasswordChange, request: Request, services: ServicesDep, actor: ActorDep):
    # Wrong current passwords count against the sign-in limit: a stolen session cannot guess.
    limiter = request.app.state.login_limiter
    keys = (f"ip:{_client(request)}", f"email:{actor.email.lower()}")
    wait = limiter.retry_after(*keys)
    if wait:
        raise ApiError(
            429,
            "rate_limited",
            f"too many wrong passwords; try again in {wait} seconds",
            headers={"Retry-After": str(wait)},
        )
    if services.users.authenticate(actor.email, body.current_password) is None:
        limiter.failed(*keys)
        raise ApiError(403, "forbidden", "the current password is wrong")
    limiter.succeeded(keys[1])
    services.users.set_password(actor, user_id=actor.user_id, password=body.new_password)
    return {"ok": True}


@router.get("/tokens", summary="Your API tokens (never their values)")
def list_tokens(services: ServicesDep, actor: ActorDep):
    return services.users.list_tokens(actor)


@router.post(
    "/tokens",
    status_code=201,
    summary="Create an API token (asks for your password again); shown only once",
)
def create_token(body: TokenCreate, request: Request, services: ServicesDep, auth: AuthDep):
    if auth.method == "token":
        raise ApiError(403, "forbidden", "an API token cannot create tokens; sign in to create one")
    actor = auth.actor
    _confirm_password(request, services, actor, body.password)
    return services.users.create_token(
        actor, name=body.name, scope=body.scope, expires_in_days=body.expires_in_days
    )


def _confirm_password(request: Request, services: ServicesDep, actor: Any, password: str) -> None:
    """Check the caller's password again; wrong ones count against the sign-in limit.

    Raises:
        ApiError: 429 while the limit holds, 403 for a wrong password.
    """
    limiter = request.app.state.login_limiter
    keys = (f"ip:{_client(request)}", f"email:{actor.email.lower()}")
    wait = limiter.retry_after(*keys)
    if wait:
        raise ApiError(
            429,
            "rate_limited",
            f"too many wrong passwords; try again in {wait} seconds",
            headers={"Retry-After": str(wait)},
        )
    if services.users.authenticate(actor.email, password) is None:
        limiter.failed(*keys)
        raise ApiError(403, "forbidden", "the password is wrong")
    limiter.succeeded(keys[1])


@router.delete("/tokens/{token_id}", summary="Revoke an API token")
def revoke_token(token_id: PathId, services: ServicesDep, actor: ActorDep):
    services.users.revoke_token(actor, token_id)
    return {"ok": True}


@router.get("/invitations", summary="Invitations to practices addressed to your e-mail")
def my_invitations(services: ServicesDep, actor: ActorDep):
    return services.users.my_invitations(actor)


@router.post("/invitations/{invitation_id}/accept", summary="Join the practice with its role")
def accept_invitation(invitation_id: PathId, services: ServicesDep, actor: ActorDep):
    return services.users.accept_invitation(actor, invitation_id)


@router.post("/invitations/{invitation_id}/decline", summary="Refuse an invitation")
def decline_invitation(invitation_id: PathId, services: ServicesDep, actor: ActorDep):
    services.users.decline_invitation(actor, invitation_id)
    return {"ok": True}


__all__ = ["router"]
