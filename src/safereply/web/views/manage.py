"""The practice's management pages: improvements log, users and roles, settings, audit log.

Every form is validated here field by field (clear messages beside the field, and everything typed
is shown again), then by the service, which checks the role and the rules once more.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from safereply.core.vocab import TOPICS
from safereply.errors import InputError, NotFoundError, SafeReplyError
from safereply.services.access import ROLE_RANK
from safereply.services.audit_words import action_label, describe, people_by_email, post_labels
from safereply.services.profiles import update_profile
from safereply.services.users import MIN_PASSWORD
from safereply.store.models import MAX_ID, ROLES
from safereply.web.api.schemas import PathId
from safereply.web.views.common import (
    TOPIC_LABELS,
    FormDep,
    HtmlRoute,
    PageUser,
    PageUserDep,
    ServicesDep,
    done_redirect,
    error_status,
    form_field,
    overview,
    page,
    practice_context,
)

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

POLICY_LABELS = {
    "complaints": "Replies to complaints need a manager's approval",
    "all": "Every reply needs a manager's approval",
    "none": "No approval step",
}


def _require(ctx: dict[str, Any], minimum: str) -> None:
    """Refuse a page to a weaker role (the service refuses the data too)."""
    from safereply.errors import PermissionDenied

    if ROLE_RANK[ctx["role"]] < ROLE_RANK[minimum]:
        raise PermissionDenied(f"This page needs the {minimum} role in the practice.")


# -- improvements ---------------------------------------------------------------------------


def _improvements_page(
    request: Request,
    services: Any,
    user: PageUser,
    practice_id: PathId,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    ctx = practice_context(services, user, practice_id)
    items = services.practices.list_improvements(user.actor, practice_id)
    return page(
        request,
        "improvements.html",
        {
            **ctx,
            "title": "Improvements",
            "nav": "improvements",
            "user": user,
            "items": items,
            "topics": [(t, TOPIC_LABELS[t]) for t in TOPICS],
            "values": values or {},
            "errors": errors or {},
        },
        data={"improvements": items},
        status=status,
    )


@router.get("/p/{practice_id}/improvements")
def improvements(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """What the practice changed in answer to feedback, by topic (rule 5)."""
    return _improvements_page(request, services, user, practice_id)


@router.post("/p/{practice_id}/improvements")
def add_improvement(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Record an improvement (managers)."""
    values = {k: form_field(form, k) for k in ("topic", "text", "since")}
    errors: dict[str, str] = {}
    if values["topic"] not in TOPICS:
        errors["topic"] = "Choose the topic this change answers."
    if not values["text"]:
        errors["text"] = "Describe what changed, in a sentence."
    elif len(values["text"]) > 500:
        errors["text"] = f"Keep it to 500 characters (this is {len(values['text'])})."
    since = None
    if values["since"]:
        try:
            since = dt.date.fromisoformat(values["since"])
        except ValueError:
            errors["since"] = "Enter the date as YYYY-MM-DD, or leave it empty."
    if not errors:
        try:
            services.practices.add_improvement(
                user.actor, practice_id, topic=values["topic"], text=values["text"], since=since
            )
        except InputError as exc:
            message = str(exc)
            errors["since" if message.startswith("the date") else "text"] = message
        else:
            return done_redirect(f"/p/{practice_id}/improvements", "improvement")
    return _improvements_page(
        request, services, user, practice_id, values=values, errors=errors, status=422
    )


@router.post("/p/{practice_id}/improvements/{improvement_id}/delete")
def delete_improvement(
    practice_id: PathId, improvement_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """Remove an improvement from the log (managers)."""
    services.practices.delete_improvement(user.actor, practice_id, improvement_id)
    return done_redirect(f"/p/{practice_id}/improvements", "improvement-removed")


# -- users and roles ------------------------------------------------------------------------


def _users_page(
    request: Request,
    services: Any,
    user: PageUser,
    practice_id: PathId,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    ctx = practice_context(services, user, practice_id)
    _require(ctx, "manager")
    members = services.users.list_users(user.actor, practice_id)
    for member in members:
        member["role"] = member["roles"].get(str(practice_id))
    invitations = services.users.list_invitations(user.actor, practice_id)
    return page(
        request,
        "users.html",
        {
            **ctx,
            "title": "Users and roles",
            "nav": "users",
            "user": user,
            "members": members,
            "invitations": invitations,
            "roles": ROLES,
            "min_password": MIN_PASSWORD,
            "values": values or {"role": "staff"},
            "errors": errors or {},
            "error": error,
        },
        data={"users": members, "invitations": invitations},
        status=status,
    )


@router.get("/p/{practice_id}/users")
def users(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """The practice's members and their roles (managers see, admins change)."""
    return _users_page(request, services, user, practice_id)


@router.post("/p/{practice_id}/users")
def invite_user(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Invite a person by e-mail to a role in this practice (admins).

    The page answers the same whether or not an account exists for the address.
    """
    values = {k: form_field(form, k) for k in ("email", "display_name", "role")}
    password = form_field(form, "password", strip=False)  # "" when missing or a file
    errors: dict[str, str] = {}
    if "@" not in values["email"] or values["email"].startswith("@"):
        errors["email"] = "Enter an e-mail address, like name@example.com."
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"Use at least {MIN_PASSWORD} characters."
    if values["role"] not in ROLES:
        errors["role"] = "Choose a role."
    if not errors:
        try:
            services.users.invite(
                user.actor,
                practice_id=practice_id,
                email=values["email"],
                password=password,
                display_name=values["display_name"] or None,
                role=values["role"],
            )
        except SafeReplyError as exc:
            if error_status(exc) in (403, 404):
                raise
            field = "password" if "password" in str(exc) else "email"
            errors[field if "e-mail" in str(exc) or field == "password" else "form"] = str(exc)
        else:
            return done_redirect(f"/p/{practice_id}/users", "invited")
    # The password is never sent back into the page.
    return _users_page(
        request,
        services,
        user,
        practice_id,
        values=values,
        errors=errors,
        error=errors.pop("form", None),
        status=422,
    )


@router.post("/p/{practice_id}/invitations/{invitation_id}/cancel")
def cancel_invitation(
    practice_id: PathId, invitation_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """Withdraw a pending invitation (admins)."""
    services.users.cancel_invitation(user.actor, practice_id, invitation_id)
    return done_redirect(f"/p/{practice_id}/users", "invitation-cancelled")


@router.post("/p/{practice_id}/users/{user_id}/role")
def set_role(
    request: Request,
    practice_id: PathId,
    user_id: PathId,
    services: ServicesDep,
    user: PageUserDep,
    form: FormDep,
) -> Response:
    """Change a member's role, or remove them from the practice (admins)."""
    role = form_field(form, "role")
    if role not in (*ROLES, "remove"):
        return _users_page(request, services, user, practice_id, error="Choose a role.", status=422)
    try:
        services.users.set_role(
            user.actor,
            practice_id=practice_id,
            user_id=user_id,
            role=None if role == "remove" else role,
        )
    except SafeReplyError as exc:
        return _users_page(
            request, services, user, practice_id, error=str(exc), status=error_status(exc)
        )
    return done_redirect(f"/p/{practice_id}/users", "role")


# -- settings -------------------------------------------------------------------------------


def _settings_page(
    request: Request,
    services: Any,
    user: PageUser,
    practice_id: PathId,
    *,
    profile_values: dict[str, str] | None = None,
    workflow_values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    ctx = practice_context(services, user, practice_id)
    _require(ctx, "manager")
    practice = ctx["practice"]
    conf = services.practices.get_settings(user.actor, practice_id)
    profile = profile_values or {
        "name": practice["name"],
        "phone": practice["phone"],
        "sign_off": practice["sign_off"] or "",
        "address": practice["address"] or "",
        "website": practice["website"] or "",
        "staff": "\n".join(practice["staff"]),
    }
    workflow: dict[str, Any] = workflow_values or {
        "approval_policy": conf["approval_policy"],
        "cooling_off_minutes": str(conf["cooling_off_minutes"]),
        "sla_hours": _hours(conf["sla_minutes"]),
        "urgent_sla_minutes": str(conf["urgent_sla_minutes"]),
        "notify_emails": "\n".join(conf["notify_emails"]),
        "webhook_url": conf["webhook_url"] or "",
        "timezone": conf.get("timezone") or "",
        "self_approval": bool(conf.get("self_approval")),
    }
    return page(
        request,
        "settings.html",
        {
            **ctx,
            "title": "Practice settings",
            "nav": "settings",
            "user": user,
            "profile": profile,
            "workflow": workflow,
            "conf": conf,
            "policies": POLICY_LABELS,
            "errors": errors or {},
        },
        data={"practice": practice, "settings": conf},
        status=status,
    )


def _hours(minutes: int) -> str:
    hours = minutes / 60
    return str(int(hours)) if hours == int(hours) else f"{hours:.2f}".rstrip("0")


@router.get("/p/{practice_id}/settings")
def settings(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """Profile, phone, SLA, cooling-off and approval policy (managers see, admins change)."""
    return _settings_page(request, services, user, practice_id)


@router.post("/p/{practice_id}/settings/profile")
def save_profile(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Save the practice's public profile (admins)."""
    values = {k: form_field(form, k) for k in ("name", "phone", "sign_off", "address", "website")}
    values["staff"] = str(form.get("staff") or "")
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "The practice needs a name."
    digits = sum(c.isdigit() for c in values["phone"])
    if not 7 <= digits <= 15:
        errors["phone"] = "Enter the office phone number replies invite people to call."
    if values["website"] and " " in values["website"]:
        errors["website"] = "A web address has no spaces."
    if not errors:
        staff = [s.strip() for s in values["staff"].replace(",", "\n").splitlines() if s.strip()]
        try:
            update_profile(
                services.store,
                user.actor,
                practice_id,
                {
                    "name": values["name"],
                    "phone": values["phone"],
                    "sign_off": values["sign_off"] or None,
                    "address": values["address"] or None,
                    "website": values["website"] or None,
                    "staff": staff,
                },
            )
        except InputError as exc:
            name = str(exc).split(":", 1)[0]
            errors[name if name in values else "profile"] = str(exc)
        else:
            return done_redirect(f"/p/{practice_id}/settings", "profile")
    return _settings_page(
        request, services, user, practice_id, profile_values=values, errors=errors, status=422
    )


def _whole(
    value: str, name: str, low: float, high: float, errors: dict[str, str], label: str
) -> float | None:
    try:
        number = float(value)
    except ValueError:
        errors[name] = f"Enter {label} as a number."
        return None
    if not low <= number <= high:
        errors[name] = f"Enter {label} between {low:g} and {high:g}."
        return None
    return number


def _timing_changes(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Read the cooling-off and reply times, in the minutes the settings keep (the reply time
    is typed in hours); a bad number is an error under its field."""
    changes: dict[str, Any] = {}
    cooling = _whole(
        values["cooling_off_minutes"],
        "cooling_off_minutes",
        0,
        43200,
        errors,
        "the cooling-off time in minutes",
    )
    if cooling is not None:
        changes["cooling_off_minutes"] = round(cooling)
    sla = _whole(values["sla_hours"], "sla_hours", 0.25, 720, errors, "the reply time in hours")
    if sla is not None:
        changes["sla_minutes"] = round(sla * 60)
    urgent = _whole(
        values["urgent_sla_minutes"],
        "urgent_sla_minutes",
        1,
        43200,
        errors,
        "the urgent reply time in minutes",
    )
    if urgent is not None:
        changes["urgent_sla_minutes"] = round(urgent)
    return changes


def _notice_changes(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Read the notification addresses (one a line or comma-separated), the webhook address and
    its secret (an empty secret keeps the one saved)."""
    changes: dict[str, Any] = {}
    emails = [e.strip() for e in values["notify_emails"].replace(",", "\n").splitlines()]
    emails = [e for e in emails if e]
    bad = [e for e in emails if "@" not in e or " " in e]
    if bad:
        errors["notify_emails"] = f"Not an e-mail address: {', '.join(bad)}"
    else:
        changes["notify_emails"] = emails
    if values["webhook_url"] and not values["webhook_url"].startswith(("http://", "https://")):
        errors["webhook_url"] = "The webhook address must start with http:// or https://."
    else:
        changes["webhook_url"] = values["webhook_url"] or None
    if values["webhook_secret"]:
        if len(values["webhook_secret"]) < 16:
            errors["webhook_secret"] = "Use at least 16 characters, or leave it empty to keep it."
        else:
            changes["webhook_secret"] = values["webhook_secret"]
    return changes


@router.post("/p/{practice_id}/settings/workflow")
def save_workflow(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Save approval policy, cooling-off, SLA and notification settings (admins)."""
    keys = (
        "approval_policy",
        "cooling_off_minutes",
        "sla_hours",
        "urgent_sla_minutes",
        "webhook_url",
        "webhook_secret",
        "timezone",
    )
    values: dict[str, Any] = {k: form_field(form, k) for k in keys}
    values["notify_emails"] = str(form.get("notify_emails") or "")
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}
    if values["approval_policy"] not in POLICY_LABELS:
        errors["approval_policy"] = "Choose an approval policy."
    else:
        changes["approval_policy"] = values["approval_policy"]
    changes |= _timing_changes(values, errors)
    changes |= _notice_changes(values, errors)
    if "timezone" in form:
        changes["timezone"] = values["timezone"] or None
    if "self_approval_shown" in form:  # a checkbox sends nothing when it is cleared
        values["self_approval"] = form.get("self_approval") in ("on", "true", "1")
        changes["self_approval"] = values["self_approval"]
    values.pop("webhook_secret")  # never shown again
    if not errors:
        try:
            services.practices.update_settings(user.actor, practice_id, changes)
        except InputError as exc:
            name = str(exc).split(" ", 1)[0]
            errors[name if name in values else "workflow"] = str(exc)
        else:
            return done_redirect(f"/p/{practice_id}/settings", "settings")
    return _settings_page(
        request, services, user, practice_id, workflow_values=values, errors=errors, status=422
    )


# -- audit log ------------------------------------------------------------------------------

#: The deepest page number a page of 50 entries can name within the databases' integer range.
MAX_PAGE = MAX_ID // 500


def _page_number(value: str) -> int:
    """Return a ``page=`` number: 1 when it is not a plain number (``²``, ``-3``, ``1e9``).

    Raises:
        NotFoundError: a page deeper than any log can have.
    """
    if not re.fullmatch(r"[0-9]{1,12}", value):
        return 1
    number = int(value)
    if number > MAX_PAGE:
        raise NotFoundError("no such page")
    return max(number, 1)


@router.get("/p/{practice_id}/audit")
def audit(
    request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep
) -> Response:
    """Who did what and when, newest first, with CSV and JSON export (managers)."""
    ctx = practice_context(services, user, practice_id)
    _require(ctx, "manager")
    q = request.query_params
    number = _page_number(q.get("page", ""))
    filters = {
        "action": q.get("action") or None,
        "object_id": q.get("object") or None,
        "actor_email": q.get("actor") or None,
    }
    data = overview(services).audit(
        user.actor,
        practice_id,
        page=number,
        action=filters["action"],
        object_id=filters["object_id"],
        actor_email=filters["actor_email"],
    )
    listed = services.users.list_users(user.actor, practice_id)
    members = {m["id"]: m for m in listed}
    # Plain words for people; the codes stay in the entries (and the exports) for machines.
    people = people_by_email(listed, practice_id)
    posts = post_labels(
        services.store,
        user.actor,
        practice_id,
        (e["object_id"] for e in data["items"] if e["object_type"] == "post"),
    )
    words = {e["id"]: describe(e, people=people, posts=posts) for e in data["items"]}
    export = f"/api/v1/practices/{practice_id}/audit"
    return page(
        request,
        "audit.html",
        {
            **ctx,
            "title": "Audit log",
            "nav": "audit",
            "user": user,
            "data": data,
            "members": members,
            "words": words,
            "action_label": action_label,
            "filters": {k: v or "" for k, v in filters.items()},
            "export_csv": f"{export}?format=csv",
            "export_json": f"{export}?format=json",
        },
        data=data,
    )
