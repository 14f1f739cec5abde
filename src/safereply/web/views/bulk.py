"""Bulk replies to 5-star praise: choose the reviews, read one varied reply per review, confirm.

Three steps on one address: ``GET /p/{id}/bulk`` lists the unanswered 5-star praise posts to
choose from; ``POST .../bulk/preview`` shows each drafted reply (nothing saved yet) and the posts
left out with the reason; ``POST .../bulk/confirm`` records the replies the manager kept, each as
the workflow does one at a time, and shows what happened to each.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from safereply.errors import InputError
from safereply.services import bulk
from safereply.web.api.schemas import PathId
from safereply.web.views.common import (
    FormDep,
    HtmlRoute,
    PageUser,
    PageUserDep,
    ServicesDep,
    page,
    practice_context,
)
from safereply.web.views.manage import _require

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)


def _ids(values: list[Any]) -> list[int]:
    """Return the whole numbers among submitted values (anything else is ignored)."""
    return [int(v) for v in values if isinstance(v, str) and v.isascii() and v.isdigit()][:1000]


def _render(
    request: Request,
    services: Any,
    user: PageUser,
    practice_id: int,
    step: str,
    *,
    data: dict[str, Any],
    error: str | None = None,
    status: int = 200,
) -> Response:
    ctx = practice_context(services, user, practice_id)
    _require(ctx, "manager")
    return page(
        request,
        "bulk.html",
        {
            **ctx,
            "title": "Reply to 5-star reviews",
            "nav": "inbox",
            "user": user,
            "step": step,
            "data": data,
            "error": error,
        },
        data=data,
        status=status,
    )


@router.get("/p/{practice_id}/bulk")
def choose(request: Request, practice_id: PathId, services: ServicesDep, user: PageUserDep):
    """The unanswered 5-star praise posts, to choose which to answer at once (managers)."""
    services.inbox.require(user.actor, practice_id, "manager")
    ids = bulk.unanswered_five_star(services, user.actor, practice_id)
    posts = [services.inbox.get_post(user.actor, pid) for pid in ids]
    data = {"posts": posts, "max": bulk.MAX_BATCH}
    return _render(request, services, user, practice_id, "choose", data=data)


@router.post("/p/{practice_id}/bulk/preview")
def preview(
    request: Request,
    practice_id: PathId,
    services: ServicesDep,
    user: PageUserDep,
    form: FormDep,
) -> Response:
    """Draft one reply per chosen review and show them to read (nothing is saved)."""
    services.inbox.require(user.actor, practice_id, "manager")
    if form.get("all") == "1":
        ids = bulk.unanswered_five_star(services, user.actor, practice_id)
    else:
        ids = _ids(form.getlist("post"))
    try:
        result = bulk.preview(services, user.actor, practice_id, ids)
    except InputError as exc:
        posts = [
            services.inbox.get_post(user.actor, pid)
            for pid in bulk.unanswered_five_star(services, user.actor, practice_id)
        ]
        data = {"posts": posts, "max": bulk.MAX_BATCH}
        return _render(
            request, services, user, practice_id, "choose", data=data, error=str(exc), status=422
        )
    return _render(request, services, user, practice_id, "review", data=result.to_dict())


@router.post("/p/{practice_id}/bulk/confirm")
def confirm(
    request: Request,
    practice_id: PathId,
    services: ServicesDep,
    user: PageUserDep,
    form: FormDep,
) -> Response:
    """Record each kept reply: saved, linted again, approved or sent for review."""
    services.inbox.require(user.actor, practice_id, "manager")
    items = []
    for pid in _ids(form.getlist("keep")):
        version = str(form.get(f"version-{pid}") or "")
        reply = form.get(f"reply-{pid}")
        if not (version.isascii() and version.isdigit()) or not isinstance(reply, str):
            continue
        composer = str(form.get(f"composer-{pid}") or "template")[:40]
        items.append((pid, int(version), reply, composer))
    try:
        result = bulk.confirm(services, user.actor, practice_id, items)
    except InputError as exc:
        data: dict[str, list[Any]] = {"done": [], "left_out": []}
        return _render(
            request, services, user, practice_id, "done", data=data, error=str(exc), status=422
        )
    return _render(request, services, user, practice_id, "done", data=result.to_dict())
