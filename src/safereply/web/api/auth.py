"""Sign in and out, the current user, sessions, the second factor, password change and reset,
API tokens; and, per practice, its sign-in policy and "sign out everywhere" for its admins.

Every check is the services' (``services.auth`` signs in and asks for passwords again,
``services.users`` keeps sessions and tokens); this module turns their answers into HTTP.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import Field

from safereply.services.auth import Attempt, Check, SignInResult
from safereply.web.api.schemas import (
    EndedPublic,
    JoinedPublic,
    LoginRequest,
    MePublic,
    MfaEnrolmentPublic,
    MfaStatusPublic,
    MyInvitationPublic,
    OkPublic,
    PasswordChange,
    PathId,
    RecoveryCodesPublic,
    ResetRequestedPublic,
    SecurityPolicyPublic,
    SessionPublic,
    SignedInPublic,
    Str,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    _Body,
)
from safereply.web.deps import (
    DEVICE_COOKIE,
    SESSION_COOKIE,
    ActorDep,
    AuthDep,
    ServicesDep,
    client_of,
    start_browser_session,
)
from safereply.web.errors import ApiError
from safereply.words import counted

router = APIRouter()
auth = APIRouter(prefix="/auth", tags=["auth"])
practice = APIRouter(prefix="/practices/{practice_id}", tags=["practices"])

Code = Str | None


class SignIn(LoginRequest):
    code: Code = Field(
        default=None, max_length=40, description="the authenticator code or a recovery code"
    )


class PasswordChangeWithCode(PasswordChange):
    code: Code = Field(default=None, max_length=40, description="when a second factor is set up")


class TokenCreateWithCode(TokenCreate):
    code: Code = Field(default=None, max_length=40, description="when a second factor is set up")


class PasswordAgain(_Body):
    password: Str = Field(max_length=1000, description="your password, asked again")
    code: Code = Field(default=None, max_length=40, description="when a second factor is set up")


class CodeBody(_Body):
    code: Str = Field(max_length=40, description="the code the authenticator app shows")


class ResetRequest(_Body):
    email: Str = Field(max_length=320)


class ResetConfirm(_Body):
    token: Str = Field(max_length=200, description="the token from the link in the e-mail")
    new_password: Str = Field(max_length=1000)


class SecurityPolicy(_Body):
    require_mfa: bool = Field(description="require a second factor of managers and admins")


_SIGN_IN_ERRORS = {
    "wrong": (401, "unauthenticated", "wrong e-mail or password"),
    "locked": (
        401,
        "unauthenticated",
        "too many failed sign-ins on this account from many places: sign in with your second "
        "factor, from a browser you signed in with before, or reset your password",
    ),
    "second_factor": (401, "mfa_required", "send the code of your authenticator app as 'code'"),
    "wrong_code": (401, "unauthenticated", "the code is wrong or was used already"),
    "expired": (401, "unauthenticated", "the sign-in timed out; start again"),
    "enrol": (
        403,
        "mfa_enrolment_required",
        "a practice requires a second factor of your role: sign in on the web page to set it up",
    ),
}


def _limited(wait: int, what: str = "failed sign-ins") -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        f"too many {what}; try again in {counted(wait, 'second')}",
        headers={"Retry-After": str(wait)},
    )


def _refuse(result: SignInResult) -> ApiError:
    if result.outcome == "limited":
        return _limited(result.retry_after)
    status, code, message = _SIGN_IN_ERRORS[result.outcome]
    return ApiError(status, code, message)


@auth.post(
    "/login",
    response_model=SignedInPublic,
    summary="Sign in; sets the session cookie and returns the CSRF token",
)
def login(body: SignIn, request: Request, response: Response, services: ServicesDep):
    attempt = Attempt(
        source=client_of(request),
        email=body.email,
        password=body.password,
        code=body.code,
        device=request.cookies.get(DEVICE_COOKIE),
    )
    result = services.auth.sign_in(attempt)
    if result.outcome != "ok" or result.actor is None:
        raise _refuse(result)
    csrf_token = start_browser_session(
        services, result.actor, response, request, device=result.device
    )
    return {"user": services.users.get_user(result.actor.person_id), "csrf_token": csrf_token}


@auth.post("/logout", response_model=OkPublic, summary="End the browser session")
def logout(request: Request, response: Response, services: ServicesDep, auth_: AuthDep):
    cookie = request.cookies.get(SESSION_COOKIE)
    if auth_.method == "session" and cookie:
        services.users.end_session(cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"ok": True}


@auth.get(
    "/me",
    response_model=MePublic,
    response_model_exclude_unset=True,
    summary="The signed-in user, roles and (for sessions) the CSRF token",
)
def me(services: ServicesDep, auth_: AuthDep) -> dict[str, Any]:
    out = {"user": services.users.get_user(auth_.actor.person_id), "auth": auth_.method}
    if auth_.csrf_token:
        out["csrf_token"] = auth_.csrf_token
    return out


def _confirm(
    request: Request,
    services: ServicesDep,
    actor: Any,
    password: str,
    code: Any,
    what: str = "password",
) -> None:
    """Ask for the password again (and the code when the account has a second factor).

    Raises:
        ApiError: 429 while the limit holds, 403 for a wrong password or code, 401
            ``mfa_required`` when the code is missing.
    """
    check: Check = services.auth.confirm_identity(
        actor, password=password, code=code, source=client_of(request)
    )
    if check.outcome == "limited":
        raise _limited(check.retry_after, "wrong passwords")
    if check.outcome == "code_needed":
        raise ApiError(401, "mfa_required", "send the code of your authenticator app as 'code'")
    if check.outcome == "wrong_code":
        raise ApiError(403, "forbidden", "the code is wrong or was used already")
    if not check.ok:
        raise ApiError(403, "forbidden", f"the {what} is wrong")


def _session_only(auth_: Any) -> None:
    if auth_.method == "token":
        raise ApiError(403, "forbidden", "an API token cannot do this; sign in to do it")


@auth.put(
    "/password",
    response_model=OkPublic,
    summary="Change your password (ends every session and API token)",
)
def change_password(
    body: PasswordChangeWithCode, request: Request, services: ServicesDep, actor: ActorDep
):
    _confirm(request, services, actor, body.current_password, body.code, "current password")
    services.users.set_password(actor, user_id=actor.person_id, password=body.new_password)
    return {"ok": True}


@auth.get(
    "/tokens", response_model=list[TokenPublic], summary="Your API tokens (never their values)"
)
def list_tokens(services: ServicesDep, actor: ActorDep):
    return services.users.list_tokens(actor)


@auth.post(
    "/tokens",
    status_code=201,
    response_model=TokenCreated,
    summary="Create an API token (asks for your password, and code, again); shown only once",
)
def create_token(
    body: TokenCreateWithCode, request: Request, services: ServicesDep, auth_: AuthDep
):
    _session_only(auth_)
    _confirm(request, services, auth_.actor, body.password, body.code)
    return services.users.create_token(
        auth_.actor, name=body.name, scope=body.scope, expires_in_days=body.expires_in_days
    )


@auth.delete("/tokens/{token_id}", response_model=OkPublic, summary="Revoke an API token")
def revoke_token(token_id: PathId, services: ServicesDep, actor: ActorDep):
    services.users.revoke_token(actor, token_id)
    return {"ok": True}


# -- sessions -----------------------------------------------------------------------------------


@auth.get(
    "/sessions",
    response_model=list[SessionPublic],
    summary="Your signed-in browsers: when each began and was last used",
)
def list_sessions(services: ServicesDep, auth_: AuthDep):
    return services.users.list_sessions(auth_.actor, auth_.session_id)


@auth.delete(
    "/sessions/{session_id}", response_model=OkPublic, summary="Sign one of your browsers out"
)
def revoke_session(session_id: PathId, services: ServicesDep, actor: ActorDep):
    services.users.revoke_session(actor, session_id)
    return {"ok": True}


@auth.post(
    "/sessions/revoke-others",
    response_model=EndedPublic,
    summary="Sign out every browser but this one",
)
def revoke_other_sessions(services: ServicesDep, auth_: AuthDep):
    return {"ended": services.users.revoke_other_sessions(auth_.actor, auth_.session_id)}


# -- the second factor ----------------------------------------------------------------------------


@auth.get(
    "/mfa",
    response_model=MfaStatusPublic,
    summary="Whether you have a second factor, and recovery codes left",
)
def mfa_status(services: ServicesDep, actor: ActorDep):
    return services.auth.mfa_status(actor)


@auth.post(
    "/mfa/enrol",
    response_model=MfaEnrolmentPublic,
    summary="Start setting up an authenticator app (password asked again)",
)
def mfa_enrol(body: PasswordAgain, request: Request, services: ServicesDep, auth_: AuthDep):
    _session_only(auth_)
    _confirm(request, services, auth_.actor, body.password, body.code)
    return services.auth.begin_enrolment(auth_.actor.person_id)


@auth.post(
    "/mfa/confirm",
    response_model=RecoveryCodesPublic,
    summary="Turn the second factor on with a first code",
)
def mfa_confirm(body: CodeBody, services: ServicesDep, auth_: AuthDep):
    _session_only(auth_)
    codes = services.auth.confirm_enrolment(auth_.actor, body.code)
    if codes is None:
        raise ApiError(422, "invalid", "the code is wrong, or no set-up is waiting")
    return {"recovery_codes": codes}


@auth.post(
    "/mfa/disable",
    response_model=OkPublic,
    summary="Turn the second factor off (password and code asked)",
)
def mfa_disable(body: PasswordAgain, request: Request, services: ServicesDep, auth_: AuthDep):
    _session_only(auth_)
    _confirm(request, services, auth_.actor, body.password, body.code)
    services.auth.disable_mfa(auth_.actor)
    return {"ok": True}


@auth.post(
    "/mfa/recovery-codes",
    response_model=RecoveryCodesPublic,
    summary="Replace your recovery codes with ten new ones",
)
def mfa_recovery_codes(
    body: PasswordAgain, request: Request, services: ServicesDep, auth_: AuthDep
):
    _session_only(auth_)
    _confirm(request, services, auth_.actor, body.password, body.code)
    return {"recovery_codes": services.auth.regenerate_recovery_codes(auth_.actor)}


# -- password reset by e-mail ---------------------------------------------------------------------

_RESET_SENT = (
    "if an account has this address, a link to choose a new password is on its way; "
    "it works once, for a short while"
)


@auth.post(
    "/password-reset",
    status_code=202,
    response_model=ResetRequestedPublic,
    summary="E-mail a single-use reset link",
)
def request_reset(body: ResetRequest, request: Request, services: ServicesDep):
    wait = services.auth.request_password_reset(body.email, source=client_of(request))
    if wait:
        raise _limited(wait, "reset requests")
    return {"ok": True, "message": _RESET_SENT}


@auth.post(
    "/password-reset/confirm",
    response_model=OkPublic,
    summary="Choose a new password with the e-mailed token",
)
def confirm_reset(body: ResetConfirm, services: ServicesDep):
    services.auth.reset_password(body.token, body.new_password)
    return {"ok": True}


# -- invitations --------------------------------------------------------------------------------


@auth.get(
    "/invitations",
    response_model=list[MyInvitationPublic],
    summary="Invitations to practices addressed to your e-mail",
)
def my_invitations(services: ServicesDep, actor: ActorDep):
    return services.users.my_invitations(actor)


@auth.post(
    "/invitations/{invitation_id}/accept",
    response_model=JoinedPublic,
    summary="Join the practice with its role",
)
def accept_invitation(invitation_id: PathId, services: ServicesDep, actor: ActorDep):
    return services.users.accept_invitation(actor, invitation_id)


@auth.post(
    "/invitations/{invitation_id}/decline", response_model=OkPublic, summary="Refuse an invitation"
)
def decline_invitation(invitation_id: PathId, services: ServicesDep, actor: ActorDep):
    services.users.decline_invitation(actor, invitation_id)
    return {"ok": True}


# -- a practice's sign-in policy (its admins) ---------------------------------------------------


@practice.get(
    "/security",
    response_model=SecurityPolicyPublic,
    summary="The practice's sign-in policy and its members' second factors",
)
def get_policy(practice_id: PathId, services: ServicesDep, actor: ActorDep):
    return services.auth.practice_policy(actor, practice_id)


@practice.put(
    "/security",
    response_model=SecurityPolicyPublic,
    summary="Require a second factor of managers and admins (or not)",
)
def set_policy(practice_id: PathId, body: SecurityPolicy, services: ServicesDep, actor: ActorDep):
    services.auth.set_practice_policy(actor, practice_id, require_mfa=body.require_mfa)
    return services.auth.practice_policy(actor, practice_id)


@practice.post(
    "/users/{user_id}/sign-out-everywhere",
    response_model=EndedPublic,
    summary="End every session of a member of the practice (admins)",
)
def sign_out_everywhere(
    practice_id: PathId, user_id: PathId, services: ServicesDep, actor: ActorDep
):
    ended = services.users.sign_out_everywhere(actor, practice_id=practice_id, user_id=user_id)
    return {"ended": ended}


router.include_router(auth)
router.include_router(practice)

__all__ = ["router"]
