"""The one read path: every list, count and detail of posts that the JSON API and the pages show.

The API's inbox (``GET /practices/{id}/posts``, cursor pages, soonest due first) and the inbox
page (offset pages, urgent and overdue first) call the same :meth:`Queries.find` with the same
:class:`PostFilter`, so a filter, a permission check or the text search is written once. The
counts beside the page's filters and the API's counts come from the same functions too, and so
do a post's detail, the approvals queue and the dashboard.

Text search (``q``): every word of the query must appear in the post's text or its author's
name, in any case (a plain ``LIKE`` within the practice's posts; ``%`` and ``_`` are literal).
"""

from __future__ import annotations

import base64
import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, or_, select, true
from sqlalchemy.orm import Session

from safereply.core.compose.urgent import directs_to_help, help_line
from safereply.core.vocab import TOPICS
from safereply.core.workflow import ANSWERED_STATES, CLOSED_STATES, OPEN_STATES, POST_STATES
from safereply.errors import InputError
from safereply.services.access import require_role
from safereply.services.actor import Actor
from safereply.services.audit import audit_row
from safereply.services.inbox_common import (
    ReadContext,
    approval_required,
    cooling_off_until,
    drafts_of,
    iso,
    load_post,
)
from safereply.services.inbox_types import (
    ConnectionStateView,
    CursorPage,
    DraftView,
    LocationRef,
    OffsetPage,
    PostDetailView,
    PostSummaryView,
    PublishedView,
    StateCounts,
    TriageView,
    UrgencyReviewView,
)
from safereply.services.insights import hours_to_reply, replied_after_arrival
from safereply.store.models import (
    Approval,
    AuditEvent,
    Connection,
    ConnectionItem,
    Draft,
    Location,
    Post,
    PostTopic,
    PracticeSettings,
    PublishedReply,
    UrgencyReview,
)
from safereply.store.rows import get_row

__all__ = [
    "MAX_QUERY_CHARS",
    "VIEWS",
    "AuditFilter",
    "PostFilter",
    "Queries",
    "counts_by",
    "hold_drafts",
    "moderation_words",
    "parse_states",
    "plain_policy",
    "post_summary",
]

#: The inbox views: what still waits for an answer, what was closed, or everything.
VIEWS = ("open", "closed", "all")
#: The longest text search, and the most words it looks for.
MAX_QUERY_CHARS = 200
_MAX_TERMS = 8


@dataclass(frozen=True, slots=True)
class PostFilter:
    """Which posts a list shows; empty fields do not filter.

    Attributes:
        view: ``open`` (still waiting), ``closed`` or ``all``.
        states: only these states (None: any state of the view).
        overdue: True: open posts past due only; False: posts not past due; None: either.
        urgent: only urgent-priority posts.
        q: words that must all appear in the text or the author's name.
    """

    view: str = "all"
    states: tuple[str, ...] | None = None
    overdue: bool | None = None
    urgent: bool = False
    kind: str | None = None
    topic: str | None = None
    platform: str | None = None
    location_id: int | None = None
    q: str | None = None

    def validate(self) -> PostFilter:
        """Return the filter (the search cleaned), or raise InputError naming the bad value."""
        if self.view not in VIEWS:
            raise InputError(f"unknown view {self.view!r}; use one of: {', '.join(VIEWS)}")
        if self.topic and self.topic not in TOPICS:
            raise InputError(f"unknown topic {self.topic!r}; use one of: {', '.join(TOPICS)}")
        q = " ".join((self.q or "").split()) or None
        if q and len(q) > MAX_QUERY_CHARS:
            raise InputError(f"the search is longer than {MAX_QUERY_CHARS} characters")
        return replace(self, q=q)

    def terms(self) -> list[str]:
        """Return the search's words (at most eight)."""
        return (self.q or "").split()[:_MAX_TERMS]


def parse_states(state: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Return the states named by ``state``: one, several, or ``open`` for every open state."""
    if state is None:
        return None
    names = [state] if isinstance(state, str) else list(state)
    out: list[str] = []
    for name in names:
        if name == "open":
            out.extend(OPEN_STATES)
        elif name in POST_STATES:
            out.append(name)
        else:
            raise InputError(
                f"unknown state {name!r}; use open or one of: {', '.join(POST_STATES)}"
            )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which audit entries a list shows; empty fields do not filter (times: from, until)."""

    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    actor_email: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    def where(self, practice_id: int) -> list[Any]:
        """Return the WHERE clauses: the practice's entries, then every set filter."""
        where: list[Any] = [AuditEvent.practice_id == practice_id]
        if self.action:
            where.append(AuditEvent.action == self.action)
        if self.object_type:
            where.append(AuditEvent.object_type == self.object_type)
        if self.object_id:
            where.append(AuditEvent.object_id == str(self.object_id))
        if self.actor_email:
            where.append(AuditEvent.actor == self.actor_email.strip().lower())
        if self.since:
            where.append(AuditEvent.created_at >= self.since)
        if self.until:
            where.append(AuditEvent.created_at < self.until)
        return where


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _view_scope(practice_id: int, view: str) -> list[ColumnElement[bool]]:
    scope: list[ColumnElement[bool]] = [Post.practice_id == practice_id]
    if view == "open":
        scope.append(Post.state.in_(OPEN_STATES))
    elif view == "closed":
        scope.append(Post.state.in_(CLOSED_STATES))
    return scope


def filter_clauses(practice_id: int, f: PostFilter, now: dt.datetime) -> list[Any]:
    """Return the WHERE clauses of a filtered list (the view, then every set filter)."""
    where: list[Any] = _view_scope(practice_id, f.view)
    if f.states is not None:
        where.append(Post.state.in_(f.states))
    if f.overdue:
        where += [Post.state.in_(OPEN_STATES), Post.due_at < now]
    elif f.overdue is False:
        where.append(Post.due_at >= now)
    if f.urgent:
        where.append(Post.priority == "urgent")
    if f.kind:
        where.append(Post.kind == f.kind)
    if f.platform:
        where.append(Post.platform == f.platform.lower())
    if f.location_id is not None:
        where.append(Post.location_id == f.location_id)
    if f.topic:
        where.append(
            exists().where(
                PostTopic.post_id == Post.id,
                PostTopic.topic == f.topic,
                PostTopic.practice_id == practice_id,
            )
        )
    for term in f.terms():
        pattern = _like(term)
        where.append(
            or_(Post.text.ilike(pattern, escape="\\"), Post.author.ilike(pattern, escape="\\"))
        )
    return where


def post_summary(post: Post, now: dt.datetime) -> PostSummaryView:
    """Return a post as a list shows it (the JSON API's ``PostSummary`` fields)."""
    loc = post.location
    return _summary(post, post.topic_names, {"id": loc.id, "name": loc.name} if loc else None, now)


def _summary(
    post: Any, topics: list[str], location: LocationRef | None, now: dt.datetime
) -> PostSummaryView:
    """The summary of a post read as a row or as an object."""
    return {
        "id": post.id,
        "practice_id": post.practice_id,
        "platform": post.platform,
        "external_id": post.external_id,
        "author": post.author,
        "text": post.text,
        "rating": post.rating,
        "url": post.url,
        "posted_at": iso(post.posted_at),
        "received_at": iso(post.received_at),
        "state": post.state,
        "kind": post.kind,
        "priority": post.priority,
        "topics": topics,
        "location": location,
        "due_at": iso(post.due_at),
        "overdue": post.state in OPEN_STATES and post.due_at < now,
        "version": post.version,
    }


#: What a list shows of a post, read as plain rows (no ORM objects: building 50 posts with their
#: topics and location as objects was most of a list's CPU).
_SUMMARY_COLUMNS = (
    Post.id,
    Post.practice_id,
    Post.platform,
    Post.external_id,
    Post.author,
    Post.text,
    Post.rating,
    Post.url,
    Post.posted_at,
    Post.received_at,
    Post.state,
    Post.kind,
    Post.priority,
    Post.due_at,
    Post.version,
    Post.location_id,
    Location.name.label("location_name"),
)


def summaries(session: Session, query: Any, now: dt.datetime) -> list[PostSummaryView]:
    """Return the summaries of the posts ``query`` selects (a ``select`` of
    ``_SUMMARY_COLUMNS``), in its order: as :func:`post_summary` of each, in two statements
    (the posts with their location, then their topics in the order the relationship keeps)."""
    rows = session.execute(query).all()
    topics: dict[int, list[str]] = {row.id: [] for row in rows}
    if topics:
        found = session.execute(
            select(PostTopic.post_id, PostTopic.topic)
            .where(PostTopic.post_id.in_(list(topics)))
            .order_by(PostTopic.topic)
        )
        for post_id, topic in found:
            topics[post_id].append(topic)
    return [
        _summary(
            row,
            topics[row.id],
            None
            if row.location_name is None  # no location (a name is never empty otherwise)
            else {"id": row.location_id, "name": row.location_name},
            now,
        )
        for row in rows
    ]


def _summary_select() -> Any:
    return select(*_SUMMARY_COLUMNS).outerjoin(Location, Location.id == Post.location_id)


def _cursor_due(item: PostSummaryView) -> dt.datetime:
    """The due time of a listed post, as its row held it (``isoformat`` round-trips)."""
    return dt.datetime.fromisoformat(str(item["due_at"]))


def _encode_cursor(due: dt.datetime, pid: int) -> str:
    return base64.urlsafe_b64encode(f"{due.isoformat()}|{pid}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        due, pid = raw.split("|")
        return dt.datetime.fromisoformat(due), int(pid)
    except (ValueError, UnicodeDecodeError):
        raise InputError("the cursor is not one this server gave out") from None


def counts_by(session: Session, column: Any, where: list[Any]) -> dict[Any, int]:
    """Return how many posts matching ``where`` have each value of ``column`` (values without
    posts are absent)."""
    return dict(session.execute(select(column, func.count()).where(*where).group_by(column)).all())


def state_counts(session: Session, practice_id: int) -> dict[str, int]:
    """Return how many of the practice's posts are in each state (states without posts: 0)."""
    by_state = counts_by(session, Post.state, [Post.practice_id == practice_id])
    return {s: by_state.get(s, 0) for s in POST_STATES}


def overdue_count(session: Session, scope: list[Any], now: dt.datetime) -> int:
    """Return how many open posts of the scope are past due (a range of ix_posts_inbox)."""
    return session.execute(
        select(func.count())
        .select_from(Post)
        .where(*scope, Post.state.in_(OPEN_STATES), Post.due_at < now)
    ).scalar_one()  # COUNT always answers one row


def _topic_counts(session: Session, practice_id: int, view: str) -> dict[str, int]:
    """Return how many posts of the view carry each topic.

    A post's topics carry its practice (they are written with the post and neither changes),
    so the practice's topic rows are its posts' topics: the all view counts them from their own
    index without reading a post. The open view keeps the open posts' topics, the closed view
    all the others (open posts are few). Joining every topic row to its post read every post.
    """
    tagged = [PostTopic.practice_id == practice_id]
    open_posts = select(Post.id).where(Post.practice_id == practice_id, Post.state.in_(OPEN_STATES))
    if view == "open":
        tagged.append(PostTopic.post_id.in_(open_posts))
    elif view == "closed":
        tagged.append(PostTopic.post_id.not_in(open_posts))
    return dict(
        session.execute(
            select(PostTopic.topic, func.count()).where(*tagged).group_by(PostTopic.topic)
        ).all()
    )


def facet_counts(session: Session, practice_id: int, view: str, now: dt.datetime) -> dict[str, Any]:
    """Return the counts beside the inbox page's filters, within a view.

    The view's posts grouped by every plain facet at once, read from ix_posts_practice_facets
    alone: a handful of rows come back instead of every post.
    """
    scope = _view_scope(practice_id, view)
    columns = (Post.state, Post.kind, Post.platform, Post.location_id, Post.priority)
    rows = session.execute(select(*columns, func.count()).where(*scope).group_by(*columns))
    urgent_n = 0
    kinds: dict[str, int] = {}
    platforms: dict[str, int] = {}
    by_location: dict[int, int] = {}
    for _state, kind, platform, location_id, priority, n in rows:
        urgent_n += n if priority == "urgent" else 0
        kinds[kind] = kinds.get(kind, 0) + n
        platforms[platform] = platforms.get(platform, 0) + n
        if location_id is not None:
            by_location[location_id] = by_location.get(location_id, 0) + n
    views = {"open": 0, "closed": 0}
    for state, n in state_counts(session, practice_id).items():
        views["open" if state in OPEN_STATES else "closed"] += n
    names = session.execute(
        select(Location.id, Location.name)
        .where(Location.practice_id == practice_id)
        .order_by(Location.name)
    ).all()
    topics = _topic_counts(session, practice_id, view)
    return {
        "views": {**views, "all": sum(views.values())},
        "total": sum(kinds.values()),
        "overdue": overdue_count(session, scope, now),
        "urgent": urgent_n,
        "kind": dict(sorted(kinds.items())),
        "platform": dict(sorted(platforms.items())),
        "topic": {t: topics[t] for t in TOPICS if topics.get(t)},
        "location": [
            {"id": i, "name": name, "count": by_location[i]}
            for i, name in names
            if by_location.get(i)
        ],
    }


def draft_dict(d: Draft) -> DraftView:
    """Return one reply version as the API shows it."""
    return {
        "id": d.id,
        "number": d.number,
        "text": d.text,
        "source": d.source,
        "verdict": d.verdict,
        "report": d.report,
        "author_id": d.author_id,
        "created_at": iso(d.created_at),
    }


def hold_drafts(drafts: list[Draft], out: PublishedReply | None) -> list[Draft]:
    """Return the versions the cooling-off hold counts from: every one, or, while a published
    reply is being changed (issue 14), only those written after it, so the hold starts again
    from the new version's first draft."""
    if out is None:
        return drafts
    return [d for d in drafts if d.id > out.draft_id]


def _triage_dict(post: Post) -> TriageView | None:
    triage = post.triage
    if triage is None:
        return None
    return {
        "id": post.id,
        "kind": triage.kind,
        "topics": list(triage.topics),
        "sentiment": triage.sentiment,
        "discloses_health": triage.discloses_health,
        "priority": triage.priority,
        "reasons": list(triage.reasons),
    }


def _published_dict(published: PublishedReply | None) -> PublishedView | None:
    if published is None:
        return None
    return {
        "text": published.text,
        "method": published.method,
        "platform": published.platform,
        "url": published.url,
        "published_by": published.published_by,
        "published_at": iso(published.published_at),
    }


def plain_policy(reason: str | None) -> str | None:
    """Return a platform's policy reason in plain words: Google's codes (``CONTAINS_URL``)
    read as "contains url"; a sentence stays as it is."""
    if not reason:
        return None
    if reason.replace("_", "").replace(";", "").replace(" ", "").isupper():
        return reason.replace("_", " ").lower()
    return reason


def moderation_words(platform: str, state: str | None, reason: str | None) -> str | None:
    """Return where our reply stands on the platform, for people (None: no reply there)."""
    name = platform.capitalize()
    if state == "pending":
        return f"{name} is still checking the reply: it is not public yet."
    if state == "approved":
        return f"{name} approved the reply: it is public."
    if state == "rejected":
        why = plain_policy(reason)
        return (
            f"{name} rejected the reply" + (f" ({why})" if why else "") + ": it is not public. "
            "Edit it and publish it again, or withdraw it."
        )
    if state == "live":
        return f"The reply is live on {name}."
    return None


def _connection_dict(
    session: Session, post: Post, current: Draft | None
) -> ConnectionStateView | None:
    """Return what the post's connection knows of it on the platform, or None."""
    found = session.execute(
        select(ConnectionItem, Connection)
        .join(Connection, Connection.id == ConnectionItem.connection_id)
        .where(ConnectionItem.post_id == post.id)
    ).first()
    if found is None:
        return None
    item, conn = found
    changed = item.changed_at
    return {
        "platform": conn.platform,
        "connected": conn.tokens is not None and not conn.needs_reauth,
        "needs_reauth": bool(conn.needs_reauth),
        "changed_at": iso(changed),
        "changed_since_draft": bool(changed and current and changed > current.created_at),
        "removed_at": iso(item.removed_at),
        "reply_state": item.reply_state,
        "reply_state_words": moderation_words(conn.platform, item.reply_state, item.policy_reason),
        "policy_reason": plain_policy(item.policy_reason),
        "manual_only": bool(item.manual_only),
        "refusal": item.publish_error if item.manual_only else None,
        "last_error": None if item.manual_only else item.publish_error,
        "next_attempt_at": iso(item.publish_next_at),
    }


def _urgency_dict(review: UrgencyReview | None) -> UrgencyReviewView | None:
    if review is None:
        return None
    return {
        "urgent": review.urgent,
        "reason": review.reason,
        "note": review.note,
        "kind_before": review.kind_before,
        "kind_after": review.kind_after,
        "by": review.user_id,
        "at": iso(review.created_at),
    }


class Queries:
    """Reading the inbox: the same filters, role checks and pages for the API and the pages."""

    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx

    def find(
        self,
        actor: Actor,
        practice_id: int,
        f: PostFilter,
        *,
        limit: int = 50,
        cursor: str | None = None,
        page: int | None = None,
    ) -> CursorPage | OffsetPage:
        """Return one page of a practice's filtered posts.

        With ``page`` (the inbox page): offset pages, open posts urgent first, then overdue,
        then soonest due, other views newest first, with ``total`` and ``pages``. Otherwise
        (the API): soonest due first, with ``next_cursor`` for the next page.
        """
        if not 1 <= limit <= 200:
            raise InputError("limit must be between 1 and 200")
        f = f.validate()
        now = self.ctx.clock()
        with self.ctx.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            where = filter_clauses(practice_id, f, now)
            if page is None:
                return self._by_cursor(session, where, limit, cursor, now)
            return self._by_page(session, where, f.view, limit, max(page, 1), now)

    @staticmethod
    def _by_cursor(
        session: Session, where: list[Any], limit: int, cursor: str | None, now: dt.datetime
    ) -> CursorPage:
        if cursor:
            due, pid = _decode_cursor(cursor)
            where = [*where, (Post.due_at > due) | ((Post.due_at == due) & (Post.id > pid))]
        # The page's keys first, then its posts, in one statement (issue 16): filtered by a
        # topic, PostgreSQL read every open post of the practice (13,500 rows at a million
        # posts) to sort them; the keys come from ix_posts_inbox alone, then 51 posts are read.
        keys = (
            select(Post.id).where(*where).order_by(Post.due_at, Post.id).limit(limit + 1)
        ).subquery()
        items = summaries(
            session,
            _summary_select().join(keys, keys.c.id == Post.id).order_by(Post.due_at, Post.id),
            now,
        )
        more = len(items) > limit
        items = items[:limit]
        last = items[-1] if more else None
        return {
            "items": items,
            "next_cursor": _encode_cursor(_cursor_due(last), last["id"]) if last else None,
        }

    @staticmethod
    def _by_page(
        session: Session, where: list[Any], view: str, per_page: int, page: int, now: dt.datetime
    ) -> OffsetPage:
        total = session.execute(select(func.count()).select_from(Post).where(*where)).scalar_one()
        if view == "open":
            order: tuple[Any, ...] = (
                case((Post.priority == "urgent", 0), else_=1),
                case((Post.due_at < now, 0), else_=1),
                Post.due_at,
                Post.id,
            )
        else:
            # Posts are stored in arrival order: the newest have the highest ids, and
            # ix_posts_practice_newest walks them in that order.
            order = (Post.id.desc(),)
        # The page's ids first, then its posts: skipping to a deep page reads index entries,
        # not whole posts with their location.
        ids = session.scalars(
            select(Post.id)
            .where(*where)
            .order_by(*order)
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
        chosen = _summary_select().where(Post.id.in_(ids))
        found = {p["id"]: p for p in summaries(session, chosen, now)}
        return {
            "items": [found[i] for i in ids if i in found],
            "total": total,
            "page": page,
            "pages": max(1, -(-total // per_page)),
        }

    def facets(self, actor: Actor, practice_id: int, view: str) -> dict[str, Any]:
        """Return the counts beside the inbox page's filters (see :func:`facet_counts`)."""
        now = self.ctx.clock()
        with self.ctx.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            return facet_counts(session, practice_id, view, now)

    def counts(self, actor: Actor, practice_id: int) -> StateCounts:
        """Return how many posts are in each state, and how many are overdue."""
        now = self.ctx.clock()
        with self.ctx.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            return {
                "states": state_counts(session, practice_id),
                "overdue": overdue_count(session, [Post.practice_id == practice_id], now),
            }

    def in_review(self, actor: Actor, practice_id: int, *, page: int, per_page: int):
        """Return the replies waiting for review, urgent first, then longest waiting
        (managers)."""
        now = self.ctx.clock()
        with self.ctx.store.read() as session:
            require_role(session, actor, practice_id, "manager")
            scope = [Post.practice_id == practice_id, Post.state == "in_review"]
            total = session.execute(
                select(func.count()).select_from(Post).where(*scope)
            ).scalar_one()
            rows = session.scalars(
                select(Post)
                .where(*scope)
                .order_by(case((Post.priority == "urgent", 0), else_=1), Post.updated_at, Post.id)
                .offset((max(page, 1) - 1) * per_page)
                .limit(per_page)
            ).all()
            return {
                "items": [post_summary(p, now) for p in rows],
                "total": total,
                "page": max(page, 1),
                "pages": max(1, -(-total // per_page)),
            }

    def get_post(self, actor: Actor, post_id: int) -> PostDetailView:
        """Return a post with its triage, every draft version, approvals, the posted reply and
        the latest urgency review (a manager's "not urgent", or "urgent again")."""
        now = self.ctx.clock()
        with self.ctx.store.read() as session:
            post, role = load_post(session, actor, post_id, "staff")
            conf = get_row(session, PracticeSettings, post.practice_id)
            drafts = drafts_of(session, post.id)
            approvals = session.scalars(
                select(Approval).where(Approval.post_id == post.id).order_by(Approval.id)
            ).all()
            published = session.scalar(
                select(PublishedReply).where(PublishedReply.post_id == post.id)
            )
            review = session.scalar(
                select(UrgencyReview)
                .where(UrgencyReview.post_id == post.id)
                .order_by(UrgencyReview.id.desc())
                .limit(1)
            )
            current = drafts[-1] if drafts else None
            hold = cooling_off_until(post, hold_drafts(drafts, published), conf)
            return {
                **post_summary(post, now),
                "triage": _triage_dict(post),
                "drafts": [draft_dict(d) for d in drafts],
                "current_draft_id": current.id if current else None,
                "approvals": [
                    {
                        "id": a.id,
                        "draft_id": a.draft_id,
                        "approver_id": a.approver_id,
                        "warnings_acknowledged": a.warnings_acknowledged,
                        "created_at": iso(a.created_at),
                    }
                    for a in approvals
                ],
                "published": _published_dict(published),
                "approval_required": approval_required(post, conf),
                "self_approval": bool(conf.self_approval),
                "cooling_off_until": iso(hold) if hold and hold > now else None,
                # The number a reply to this post must give (911 / 988), and whether the
                # current draft fails to give it.
                "help_line": help_line(post.kind),
                "help_missing": current is not None
                and not directs_to_help(current.text, post.kind),
                "scheduled_for": iso(post.scheduled_for),
                "role": role,
                "urgency_review": _urgency_dict(review),
                # Issue 14: the platform's side, and a new version of a reply that is out.
                "connection": _connection_dict(session, post, current),
                "revising": published is not None and post.state in OPEN_STATES,
            }

    def audit(
        self,
        actor: Actor,
        practice_id: int,
        f: AuditFilter,
        *,
        page: int = 1,
        per_page: int | None = 50,
        newest_first: bool = True,
    ) -> dict[str, Any]:
        """Return a page of a practice's audit entries (managers and admins), with the actions
        the log holds. ``per_page=None`` returns every matching entry (one post's trail)."""
        if per_page is not None and not 1 <= per_page <= 500:
            raise InputError("per_page must be between 1 and 500")
        page = max(page, 1)
        with self.ctx.store.read() as session:
            require_role(session, actor, practice_id, "manager")
            where = f.where(practice_id)
            total = session.execute(
                select(func.count()).select_from(AuditEvent).where(*where)
            ).scalar_one()
            order = (AuditEvent.created_at, AuditEvent.id)
            query = select(AuditEvent).where(*where)
            query = query.order_by(*(c.desc() for c in order) if newest_first else order)
            if per_page is not None:
                query = query.offset((page - 1) * per_page).limit(per_page)
            actions = session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.practice_id == practice_id)
                .distinct()
                .order_by(AuditEvent.action)
            )
            return {
                "items": [audit_row(e) for e in session.scalars(query)],
                "total": total,
                "page": page,
                "pages": max(1, -(-total // per_page)) if per_page else 1,
                "actions": list(actions),
            }

    def dashboard(self, actor: Actor, practice_id: int, *, days: int = 90) -> dict[str, Any]:
        """Return the dashboard figures over the last ``days`` days (see ``Overview``)."""
        if not 1 <= days <= 3660:
            raise InputError("days must be between 1 and 3660")
        now = self.ctx.clock()
        since = now - dt.timedelta(days=days)
        with self.ctx.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            return _dashboard(session, self.ctx.store.dialect, practice_id, now, since, days)


def reply_hours(
    session: Session, dialect: str, where: list[Any], within: Any = None
) -> list[float]:
    """Return, sorted, the hours from arrival to the reply of the posts matching ``where`` that
    got one after they arrived (computed by the database; the reports and the dashboard both
    read these; ``insights.replied_after_arrival`` says why earlier replies are left out)."""
    return sorted(
        max(0.0, float(h))
        for (h,) in session.execute(
            select(hours_to_reply(dialect))
            .select_from(Post)
            .join(PublishedReply, PublishedReply.post_id == Post.id)
            .where(*where, within if within is not None else true(), replied_after_arrival())
        ).all()
    )


def median_hours(waits: list[float]) -> float | None:
    """Return the median of reply times, rounded to hundredths (None without replies)."""
    return round(statistics.median(waits), 2) if waits else None


def _complaint_topics(
    session: Session, practice_id: int, since: dt.datetime, within: Any, postgres: bool
) -> dict[str, int]:
    """Return the complaints written since ``since`` per topic (``within``: the window's post
    id range on PostgreSQL, so it reads a range of keys instead of scanning)."""
    return dict(
        session.execute(
            select(PostTopic.topic, func.count())
            .join(Post, Post.id == PostTopic.post_id)
            .where(
                Post.practice_id == practice_id,
                Post.kind == "complaint",
                Post.written_at >= since,
                PostTopic.practice_id == practice_id if postgres else true(),
                PostTopic.topic.in_(TOPICS) if postgres else true(),
                within,
            )
            .group_by(PostTopic.topic)
        ).all()
    )


def _dashboard(
    session: Session,
    dialect: str,
    practice_id: int,
    now: dt.datetime,
    since: dt.datetime,
    days: int,
) -> dict[str, Any]:
    mine = Post.practice_id == practice_id
    unanswered = session.scalar(
        select(func.count()).select_from(Post).where(mine, Post.state.in_(OPEN_STATES))
    )
    # One range of ix_posts_practice_written, without grouping (grouping by state would walk
    # every post of the practice in another index's order). The window holds the posts written
    # in it, as the insights count them; ``received`` keeps its name in the figures.
    received, dismissed, answered, first, last = session.execute(
        select(
            func.count(),
            func.sum(case((Post.state == "dismissed", 1), else_=0)),
            func.sum(case((Post.state.in_(ANSWERED_STATES), 1), else_=0)),
            func.min(Post.id),
            func.max(Post.id),
        ).where(mine, Post.written_at >= since)
    ).one()
    # The window's first and last post ids bound the replies and topics read below, so
    # PostgreSQL reads them by a range of their keys instead of scanning the tables (SQLite
    # finds each post's rows by its key already; a range would be scanned for every post).
    postgres = dialect == "postgresql"
    first, last = first or 0, last or 0

    def within(column: Any) -> Any:
        return column.between(first, last) if postgres else true()

    needing = received - (dismissed or 0)
    answered = answered or 0
    waits = reply_hours(
        session, dialect, [mine, Post.written_at >= since], within(PublishedReply.post_id)
    )
    topics = _complaint_topics(session, practice_id, since, within(PostTopic.post_id), postgres)
    complaints = session.scalar(
        select(func.count())
        .select_from(Post)
        .where(mine, Post.kind == "complaint", Post.written_at >= since)
    )
    return {
        "practice_id": practice_id,
        "days": days,
        "since": since.isoformat(),
        "unanswered": unanswered,
        "overdue": overdue_count(session, [mine], now),
        "received": received,
        "needed_answer": needing,
        "answered": answered,
        "response_rate": round(answered / needing, 4) if needing else None,
        "replies": len(waits),
        "median_hours_to_reply": median_hours(waits),
        "complaints": complaints,
        "complaints_by_topic": {t: topics.get(t, 0) for t in TOPICS},
    }
