"""The inbox with its filters and counts, and the approvals queue (the dashboard: ``insights``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from safereply.core.vocab import TOPICS, PostKind
from safereply.errors import InputError, NotFoundError, PermissionDenied
from safereply.services.overview import VIEWS, InboxFilter
from safereply.web.views.common import (
    TOPIC_LABELS,
    HtmlRoute,
    PageUserDep,
    ServicesDep,
    overview,
    page,
    practice_context,
)
from safereply.web.views.posts import CATEGORY_LABELS, by_severity, post_actions, rule_reasons

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

KINDS = tuple(k.value for k in PostKind)
_FILTER_KEYS = ("view", "overdue", "urgent", "kind", "topic", "platform", "location", "q")
#: The longest search the box takes (the query functions refuse longer ones).
_MAX_SEARCH = 200


def _parse_filters(request: Request) -> tuple[InboxFilter, list[str], int]:
    """Read the inbox filters from the address; bad values are dropped with a message."""
    q = request.query_params
    problems: list[str] = []
    view = q.get("view") or "open"
    if view not in VIEWS:
        problems.append(f"Unknown view '{view}': showing unanswered posts.")
        view = "open"
    kind = q.get("kind") or None
    if kind and kind not in KINDS:
        problems.append(f"Unknown kind '{kind}': not filtering by kind.")
        kind = None
    topic = q.get("topic") or None
    if topic and topic not in TOPICS:
        problems.append(f"Unknown topic '{topic}': not filtering by topic.")
        topic = None
    location_id = None
    if q.get("location"):
        try:
            location_id = int(q["location"])
        except ValueError:
            problems.append("The location filter must be a location number.")
    search = " ".join((q.get("q") or "").split()) or None
    if search and len(search) > _MAX_SEARCH:
        problems.append(f"The search is limited to {_MAX_SEARCH} characters: it was shortened.")
        search = search[:_MAX_SEARCH].strip()
    page_number = 1
    if q.get("page"):
        try:
            page_number = max(1, int(q["page"]))
        except ValueError:
            problems.append("The page number must be a whole number.")
    filters = InboxFilter(
        view=view,
        overdue=q.get("overdue") in ("1", "true", "on"),
        urgent=q.get("urgent") in ("1", "true", "on"),
        kind=kind,
        topic=topic,
        platform=(q.get("platform") or "").strip().lower() or None,
        location_id=location_id,
        q=search,
    )
    return filters, problems, page_number


def _link(practice_id: int, params: dict[str, Any]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", False)}
    clean = {k: (1 if v is True else v) for k, v in clean.items()}
    query = urlencode(clean)
    return f"/p/{practice_id}/inbox" + (f"?{query}" if query else "")


def _option(label: str, count: Any, href: str, active: bool) -> dict[str, Any]:
    """One filter option as the template draws it: its label, count, toggle link and state."""
    return {"label": label, "count": count, "href": href, "active": active}


def _facet_groups(
    f: InboxFilter, counts: dict[str, Any], toggle: Callable[[str, Any], str]
) -> list[dict[str, Any]]:
    """Return the topic, kind, platform and location groups, each option with its count."""
    return [
        {
            "name": "Topic",
            "options": [
                _option(TOPIC_LABELS.get(t, t), n, toggle("topic", t), f.topic == t)
                for t, n in counts["topic"].items()
            ],
        },
        {
            "name": "Kind",
            "options": [
                _option(k.capitalize(), n, toggle("kind", k), f.kind == k)
                for k, n in counts["kind"].items()
            ],
        },
        {
            "name": "Platform",
            "options": [
                _option(p.capitalize(), n, toggle("platform", p), f.platform == p)
                for p, n in counts["platform"].items()
            ],
        },
        {
            "name": "Location",
            "options": [
                _option(
                    loc["name"],
                    loc["count"],
                    toggle("location", loc["id"]),
                    f.location_id == loc["id"],
                )
                for loc in counts["location"]
            ],
        },
    ]


def _filter_links(practice_id: int, f: InboxFilter, counts: dict[str, Any]) -> dict[str, Any]:
    """Return, per filter group, its options with counts, links that toggle them, and state."""
    current: dict[str, Any] = {
        "view": f.view if f.view != "open" else None,
        "overdue": f.overdue,
        "urgent": f.urgent,
        "kind": f.kind,
        "topic": f.topic,
        "platform": f.platform,
        "location": f.location_id,
        "q": f.q,
    }

    def toggle(key: str, value: Any) -> str:
        params = dict(current)
        params[key] = None if current.get(key) == value else value
        return _link(practice_id, params)

    views = [
        _option(
            label,
            counts["views"][name],
            _link(practice_id, {**current, "view": None if name == "open" else name}),
            f.view == name,
        )
        for name, label in (("open", "Unanswered"), ("closed", "Closed"), ("all", "All"))
    ]
    quick = [
        _option("Overdue", counts["overdue"], toggle("overdue", True), f.overdue),
        _option("Urgent", counts["urgent"], toggle("urgent", True), f.urgent),
    ]
    return {
        "views": views,
        "quick": quick,
        "groups": _facet_groups(f, counts, toggle),
        "clear": _link(practice_id, {"view": current["view"]}),
        "any": any(current[k] for k in _FILTER_KEYS if k != "view"),
        # The other filters, kept as hidden fields of the search box.
        "kept": {k: (1 if v is True else v) for k, v in current.items() if v and k != "q"},
        "page_link": lambda n: _link(practice_id, {**current, "page": n if n > 1 else None}),
    }


def _selected(
    services: Any, user: Any, practice_id: int, request: Request, items: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """Return the post shown beside the list on wide screens: ``?selected=ID`` when it is one of
    this practice's posts, otherwise the first post of the page (None for an empty page)."""
    wanted = request.query_params.get("selected", "")
    post_id = int(wanted) if wanted.isascii() and wanted.isdigit() and len(wanted) < 10 else None
    if post_id is None:
        if not items:
            return None
        post_id = items[0]["id"]
    try:
        post = services.inbox.get_post(user.actor, post_id)
    except (NotFoundError, PermissionDenied):
        return None
    if post["practice_id"] != practice_id:
        return None
    current = post["drafts"][-1] if post["drafts"] else None
    return {"post": post, "current": current}


@router.get("/p/{practice_id}/inbox")
def inbox(request: Request, practice_id: int, services: ServicesDep, user: PageUserDep) -> Response:
    """Every post, urgent and overdue first, with filters and their counts."""
    ctx = practice_context(services, user, practice_id)
    filters, problems, page_number = _parse_filters(request)
    try:
        data = overview(services).inbox(user.actor, practice_id, filters, page=page_number)
    except InputError as exc:  # a filter the parser let through but the service refuses
        problems.append(str(exc))
        filters = InboxFilter()
        data = overview(services).inbox(user.actor, practice_id, filters)
    links = _filter_links(practice_id, filters, data["counts"])
    api = f"/api/v1/practices/{practice_id}/posts"
    selected = _selected(services, user, practice_id, request, data["items"])
    # Each post's address in the list-and-detail view (wide screens): the same filters and page.
    params = {k: v for k, v in request.query_params.items() if k not in ("selected", "format")}
    return page(
        request,
        "inbox.html",
        {
            **ctx,
            "title": "Inbox",
            "nav": "inbox",
            "user": user,
            "data": data,
            "links": links,
            "problems": problems,
            "now": services.inbox.clock(),
            "selected": selected,
            "select_link": lambda pid: (
                _link(practice_id, {**params, "selected": pid}) + "#post-detail"
            ),
            "json_twin": _link(practice_id, {**dict(request.query_params), "format": "json"}),
            "api_twin": api,
        },
        data=data,
    )


@router.get("/p/{practice_id}/approvals")
def approvals(
    request: Request, practice_id: int, services: ServicesDep, user: PageUserDep
) -> Response:
    """Replies waiting for a manager's approval."""
    ctx = practice_context(services, user, practice_id)
    page_number = request.query_params.get("page", "1")
    number = int(page_number) if page_number.isascii() and page_number.isdigit() else 1
    data = overview(services).approvals(user.actor, practice_id, page=number)
    # Each reply with its text, its findings (most severe first) and what this manager may do.
    replies = {}
    for item in data["items"]:
        post = services.inbox.get_post(user.actor, item["id"])
        current = post["drafts"][-1] if post["drafts"] else None
        replies[item["id"]] = {
            "post": post,
            "current": current,
            "findings": by_severity(current["report"].get("findings", [])) if current else [],
            "actions": post_actions(post, ctx["role"], user),
        }
    return page(
        request,
        "approvals.html",
        {
            **ctx,
            "title": "Approvals",
            "nav": "approvals",
            "user": user,
            "data": data,
            "replies": replies,
            "categories": CATEGORY_LABELS,
            "reasons": rule_reasons(),
            "now": services.inbox.clock(),
        },
        data=data,
    )
