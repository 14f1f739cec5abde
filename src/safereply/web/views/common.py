"""What every HTML page shares: templates, the signed-in user, CSRF, errors and the JSON twin.

Pages authenticate with the same session cookie as the JSON API and check the same per-session
CSRF token, sent as a hidden ``csrf_token`` form field. Errors become HTML pages (a sign-in
redirect, a 403 or 404 page) instead of the API's JSON error shape, and every page's data can be
read as JSON by adding ``?format=json`` to its address: the HTML pages have JSON twins.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from safereply.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDenied,
    SafeReplyError,
    WorkflowError,
)
from safereply.services import Services
from safereply.services.access import ROLE_RANK
from safereply.services.actor import Actor
from safereply.services.localtime import practice_zone
from safereply.services.overview import Overview
from safereply.web.deps import SESSION_COOKIE, get_services, remember_caller
from safereply.web.errors import ApiError

__all__ = [
    "PRE_SESSION_COOKIE",
    "SECURITY_HEADERS",
    "CsrfFailed",
    "FormDep",
    "HtmlRoute",
    "LoginRequired",
    "PageUser",
    "PageUserDep",
    "ServicesDep",
    "done_redirect",
    "form_field",
    "overview",
    "page",
    "practice_context",
    "templates",
]

log = logging.getLogger("safereply.web.pages")

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
#: A double-submit cookie protecting the sign-in form, which is posted before any session exists.
PRE_SESSION_COOKIE = "safereply_presession"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Headers on every HTML page: no inline scripts or styles, no framing, no referrer to
#: platforms when staff follow "open post" links.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

#: Messages shown after an action redirects back to a page (``?done=...``). Fixed texts only:
#: nothing from the address is ever shown as a message.
DONE_MESSAGES = {
    "saved": "Draft saved and checked.",
    "submitted": "Sent for review.",
    "approved": "Approved.",
    "rejected": "Sent back for changes.",
    "replied": "Marked as replied. The exact text is recorded.",
    "dismissed": "Dismissed.",
    "escalated": "Escalated: the practice has been notified.",
    "reopened": "Reopened.",
    "not-urgent": "Marked not urgent: the post is back in the normal queue, with the normal reply.",
    "marked-urgent": "Marked urgent again: the practice has been notified.",
    "suggested": "The suggested reply is in the editor. Read it before you submit it.",
    "acknowledged": "The pre-checked acknowledgement is in the editor.",
    "revising": "New version saved and checked. The published reply stays as it is until this "
    "one is approved and published.",
    "kept": "The published reply stays as it is.",
    "withdrawn": "The reply was taken down. The post waits for an answer again.",
    "improvement": "Improvement recorded.",
    "improvement-removed": "Improvement removed.",
    "user": "Account created.",
    "invited": "Invitation recorded. The person joins when they accept it after signing in; "
    "if they had no account yet, theirs opens with the first password you chose.",
    "invitation-cancelled": "Invitation withdrawn.",
    "joined": "You joined the practice.",
    "declined": "Invitation declined.",
    "role": "Role changed.",
    "profile": "Practice profile saved.",
    "settings": "Workflow settings saved.",
    "signed-out": "You are signed out.",
    "password": "Password changed. Your other sessions are signed out.",
    "token-revoked": "Token revoked: it no longer works.",
}

TOPIC_LABELS = {
    "wait-time": "Wait time",
    "scheduling": "Scheduling",
    "staff-courtesy": "Staff courtesy",
    "billing": "Billing",
    "clinical-care": "Clinical care",
    "facility": "Facility",
    "communication": "Communication",
    "privacy": "Privacy",
}
STATE_LABELS = {
    "new": "New",
    "drafted": "Drafted",
    "in_review": "In review",
    "approved": "Approved",
    "scheduled": "Scheduled",
    "published": "Published",
    "marked_replied": "Replied",
    "dismissed": "Dismissed",
    "escalated": "Escalated",
}


class LoginRequired(Exception):
    """The page needs a signed-in user."""


class CsrfFailed(Exception):
    """A form arrived without this session's CSRF token."""


def _humanize_age(value: str | dt.datetime | None, now: dt.datetime) -> str:
    """Return how long ago (or how soon) a time is, in the largest sensible unit."""
    if value is None:
        return ""
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    seconds = (now - when).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        text = "under a minute"
    elif seconds < 3600:
        text = f"{int(seconds // 60)} min"
    elif seconds < 86400:
        text = f"{int(seconds // 3600)} h"
    else:
        text = f"{int(seconds // 86400)} d"
    return f"in {text}" if future else f"{text} ago" if text != "under a minute" else "just now"


def local_time(value: str | dt.datetime | None, zone: dt.tzinfo | None) -> dt.datetime | None:
    """Return a stored (UTC) time on the practice's clock (UTC when the practice has no zone)."""
    if value is None or value == "":
        return None
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(zone or dt.UTC)


def _zone_label(when: dt.datetime) -> str:
    name = when.tzname() or ""
    # Zones without a letter abbreviation ("-03") read better as an offset from UTC.
    return name if name[:1].isalpha() else f"UTC{name}" if name else ""


@jinja2.pass_context
def _clock_time(context: Any, value: str | dt.datetime | None) -> str:
    """A date and time for people: on the practice's clock, with the zone's short name."""
    when = local_time(value, context.get("zone"))
    if when is None:
        return ""
    return f"{when:%Y-%m-%d %H:%M} {_zone_label(when)}".rstrip()


def clock_short(value: str | dt.datetime | None, zone: dt.tzinfo | None, now: dt.datetime) -> str:
    """Return ``HH:MM`` on the practice's clock, with the day when it is not today there."""
    when = local_time(value, zone)
    if when is None:
        return ""
    today = now.astimezone(zone or dt.UTC).date()
    if when.date() == today:
        text = f"{when:%H:%M}"
    elif when.date() == today + dt.timedelta(days=1):
        text = f"tomorrow {when:%H:%M}"
    else:
        text = f"{when:%a} {when.day} {when:%b} {when:%H:%M}"
    return text if zone else f"{text} UTC"


def _build_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html", "svg"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["clock"] = _clock_time
    env.globals["ago"] = _humanize_age
    env.globals["TOPIC_LABELS"] = TOPIC_LABELS
    env.globals["STATE_LABELS"] = STATE_LABELS
    return Jinja2Templates(env=env)


templates = _build_templates()


@dataclass(frozen=True, slots=True)
class PageUser:
    """The signed-in user of a page request."""

    actor: Actor
    csrf_token: str
    user: dict[str, Any] = field(default_factory=dict)


ServicesDep = Annotated[Services, Depends(get_services)]


async def read_form(request: Request) -> FormData:
    """Return the request's form (empty for GET); read once, before the sync handler runs."""
    if request.method in _SAFE_METHODS:
        return FormData()
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return FormData()
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def page_user(request: Request, services: ServicesDep, form: FormDep) -> PageUser:
    """Return the signed-in user, checking the CSRF token of every form post.

    Raises:
        LoginRequired: no live session (the page redirects to sign-in).
        CsrfFailed: a state-changing request without this session's token.
    """
    cookie = request.cookies.get(SESSION_COOKIE)
    info = services.users.resolve_session(cookie) if cookie else None
    if info is None:
        raise LoginRequired
    if request.method not in _SAFE_METHODS:
        sent = form.get("csrf_token") or request.headers.get("x-csrf-token") or ""
        if not isinstance(sent, str) or not hmac.compare_digest(
            sent.encode("utf-8"), info.csrf_token.encode("utf-8")
        ):  # bytes: a non-ASCII token is just wrong
            raise CsrfFailed
    remember_caller(request, info.actor)
    return PageUser(info.actor, info.csrf_token, services.users.get_user(info.actor.person_id))


PageUserDep = Annotated[PageUser, Depends(page_user)]


def overview(services: Services) -> Overview:
    """Return the page read models over the app's store, on the inbox's clock."""
    return Overview(services.store, clock=services.inbox.clock)


def practice_context(services: Services, user: PageUser, practice_id: int) -> dict[str, Any]:
    """Return the practice a page is about, the user's role there, the practices to switch to,
    its workflow settings and its clock (``zone``: the ``timezone`` setting, None without one).

    Raises:
        NotFoundError: the user is not a member of the practice.
    """
    found = services.practices.page_context(user.actor, practice_id)
    practice, others, settings = found["practice"], found["practices"], found["settings"]
    role = practice["role"]
    return {
        "practice": practice,
        "practice_settings": settings,
        "zone": practice_zone(settings.get("timezone")) if settings.get("timezone") else None,
        "role": role,
        "practices": others,
        "can": {
            "manage": ROLE_RANK[role] >= ROLE_RANK["manager"],
            "admin": ROLE_RANK[role] >= ROLE_RANK["admin"],
        },
    }


def _is_json(request: Request) -> bool:
    return request.query_params.get("format") == "json"


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    data: Any = None,
    status: int = 200,
) -> Response:
    """Render a page, or its JSON twin (``?format=json``) from ``data``."""
    if _is_json(request) and data is not None:
        return JSONResponse(data, status_code=status)
    user: PageUser | None = context.get("user")
    done = request.query_params.get("done")
    base: dict[str, Any] = {
        "request": request,
        "user": None,
        "title": "SafeReply",
        "csrf_token": user.csrf_token if user else "",
        "done_message": DONE_MESSAGES.get(done or ""),
        "errors": {},
        "error": None,
        "values": {},
        "practice": None,
        "practices": [],
        "role": None,
        "can": {"manage": False, "admin": False},
        "nav": "",
        "json_twin": None,
        "zone": None,
    }
    base.update(context)
    response = templates.TemplateResponse(request, template, base, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response


def form_field(form: Any, name: str, *, strip: bool = True) -> str:
    """Return a text field of a submitted form, "" when it is missing or a file.

    ``strip=False`` keeps surrounding spaces (passwords).
    """
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return value.strip() if strip else value


def done_redirect(path: str, done: str, **params: Any) -> RedirectResponse:
    """Redirect after a successful form post (303: the browser then GETs the page)."""
    query = urlencode({**{k: v for k, v in params.items() if v not in (None, "")}, "done": done})
    return RedirectResponse(f"{path}?{query}", status_code=303)


def safe_next(value: str | None) -> str:
    """Return a local path to go to after sign-in (never another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    if _is_json(request) or request.headers.get("accept", "").startswith("application/json"):
        from safereply.web.errors import error_body

        code = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}.get(status, "error")
        return JSONResponse(error_body(status, code, message), status_code=status)
    return page(
        request, "error.html", {"title": title, "message": message, "status": status}, status=status
    )


def error_status(exc: SafeReplyError) -> int:
    """Return the HTTP status for a service error (the JSON API's mapping)."""
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, WorkflowError | ConflictError):
        return 409
    if isinstance(exc, InputError):
        return 422
    return 400


class HtmlRoute(APIRoute):
    """A route whose errors are pages: sign-in redirects, 403/404 pages, expired-form pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                if request.method in _SAFE_METHODS:
                    target = request.url.path
                    if request.url.query:
                        target += "?" + request.url.query
                else:
                    target = request.headers.get("referer", "/")
                    target = safe_next(target.split(request.url.netloc, 1)[-1])
                return RedirectResponse(
                    "/login?" + urlencode({"next": safe_next(target)}), status_code=303
                )
            except CsrfFailed:
                return _error_page(
                    request,
                    403,
                    "This form has expired",
                    "The page was open too long or you signed in again elsewhere. Go back, "
                    "reload the page and try again; copy any text you typed first.",
                )
            except NotFoundError:
                return _error_page(
                    request, 404, "Not found", "There is no such page, or it is not yours to see."
                )
            except PermissionDenied as exc:
                return _error_page(request, 403, "Not allowed", str(exc))
            except ApiError as exc:
                return _error_page(request, exc.status, "Request refused", exc.message)
            except RequestValidationError:
                if request.method in _SAFE_METHODS:
                    return _error_page(
                        request, 404, "Not found", "That address does not name a page here."
                    )
                return _error_page(request, 422, "Not valid", "The request is not valid.")
            except SafeReplyError as exc:
                return _error_page(request, error_status(exc), "Cannot do that", str(exc))

        return run


def new_pre_session_token() -> str:
    """Return a fresh random token for the sign-in form's double-submit cookie."""
    return secrets.token_urlsafe(24)
