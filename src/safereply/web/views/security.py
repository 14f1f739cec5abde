"""A practice's sign-in security page (its admins): require a second factor of managers and
admins, see who has one, and sign a member out everywhere.

The checks are the services' (``services.auth.practice_policy`` and ``set_practice_policy``,
``services.users.sign_out_everywhere``): only the practice's admins, only its members.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

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

_DONE = {
    "policy": "Sign-in policy saved.",
    "signed-out-everywhere": "Every session of that person is ended; they sign in again.",
}


@router.get("/p/{practice_id}/security")
def security_page(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """The practice's sign-in policy and its members' second factors (admins)."""
    ctx = practice_context(services, user, practice_id)
    policy = services.auth.practice_policy(user.actor, practice_id)
    context = {
        **ctx,
        "title": "Sign-in security",
        "nav": "security",
        "user": user,
        "policy": policy,
    }
    done = _DONE.get(request.query_params.get("done") or "")
    if done:
        context["done_message"] = done
    return page(request, "security.html", context, data=policy)


@router.post("/p/{practice_id}/security")
def save_policy(
    practice_id: PathId, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Require (or stop requiring) a second factor of managers and admins."""
    required = form_field(form, "require_mfa") == "on"
    services.auth.set_practice_policy(user.actor, practice_id, require_mfa=required)
    return done_redirect(f"/p/{practice_id}/security", "policy")


@router.post("/p/{practice_id}/users/{user_id}/sign-out-everywhere")
def sign_out_everywhere(
    practice_id: PathId, user_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """End every session of a member of the practice (admins)."""
    services.users.sign_out_everywhere(user.actor, practice_id=practice_id, user_id=user_id)
    return done_redirect(f"/p/{practice_id}/security", "signed-out-everywhere")
