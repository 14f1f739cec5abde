"""Read models for the web pages: the urgent-first inbox with filter counts, the dashboard figures
and the newest-first audit page.

These are read-only views over the same tables and role checks as the inbox service; they exist
because a person at a front desk needs a different cut of the data than a script does (urgent and
overdue first, counts beside every filter, offset pages they can jump between)::

    overview = Overview(store, clock=services.inbox.clock)
    page = overview.inbox(actor, practice_id, InboxFilter(urgent=True))
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, exists, func, select, true
from sqlalchemy.orm import Session

from safereply.core.vocab import TOPICS
from safereply.errors import InputError
from safereply.services.access import require_role
from safereply.services.actor import Actor
from safereply.services.audit import audit_row
from safereply.services.insights import hours_to_reply
from safereply.store.engine import Store
from safereply.store.models import (
    OPEN_STATES,
    POST_STATES,
    AuditEvent,
    Location,
    Post,
    PostTopic,
    PublishedReply,
    utcnow,
)

__all__ = ["ANSWERED_STATES", "VIEWS", "InboxFilter", "Overview"]

#: The inbox views: what still waits for an answer, what was closed, or everything.
VIEWS = ("open", "closed", "all")
#: States in which a post got its answer.
ANSWERED_STATES = ("published", "marked_replied")
_CLOSED_STATES = tuple(s for s in POST_STATES if s not in OPEN_STATES)


@dataclass(frozen=True, slots=True)
class InboxFilter:
    """What the inbox shows. Empty fields do not filter."""

    view: str = "open"
    overdue: bool = False
    urgent: bool = False
    kind: str | None = None
    topic: str | None = None
    platform: str | None = None
    location_id: int | None = None

    def validate(self) -> InboxFilter:
        """Return the filter, or raise InputError naming the bad value."""
        if self.view not in VIEWS:
            raise InputError(f"unknown view {self.view!r}; use one of: {', '.join(VIEWS)}")
        if self.topic and self.topic not in TOPICS:
            raise InputError(f"unknown topic {self.topic!r}; use one of: {', '.join(TOPICS)}")
        return self

    def active(self) -> dict[str, Any]:
        """Return the filters that are set (the view aside), for links and the JSON twin."""
        out: dict[str, Any] = {}
        for name in ("overdue", "urgent", "kind", "topic", "platform", "location_id"):
            value = getattr(self, name)
            if value:
                out[name] = value
        return out


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def summary(post: Post, now: dt.datetime) -> dict[str, Any]:
    """Return a post as the inbox shows it (the JSON API's ``PostSummary`` fields)."""
    return {
        "id": post.id,
        "practice_id": post.practice_id,
        "platform": post.platform,
        "external_id": post.external_id,
        "author": post.author,
        "text": post.text,
        "rating": post.rating,
        "url": post.url,
        "posted_at": _iso(post.posted_at),
        "received_at": _iso(post.received_at),
        "state": post.state,
        "kind": post.kind,
        "priority": post.priority,
        "topics": post.topic_names,
        "location": {"id": post.location.id, "name": post.location.name} if post.location else None,
        "due_at": _iso(post.due_at),
        "overdue": post.state in OPEN_STATES and post.due_at < now,
        "version": post.version,
    }


class Overview:
    """The read models behind the inbox, dashboard and audit pages."""

    def __init__(self, store: Store, *, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.store = store
        self.clock = clock

    # -- inbox ----------------------------------------------------------------------------------

    @staticmethod
    def _scope(practice_id: int, view: str) -> list[Any]:
        scope: list[Any] = [Post.practice_id == practice_id]
        if view == "open":
            scope.append(Post.state.in_(OPEN_STATES))
        elif view == "closed":
            scope.append(Post.state.in_(_CLOSED_STATES))
        return scope

    @staticmethod
    def _filtered(query: Select, practice_id: int, f: InboxFilter, now: dt.datetime) -> Select:
        if f.overdue:
            query = query.where(Post.state.in_(OPEN_STATES), Post.due_at < now)
        if f.urgent:
            query = query.where(Post.priority == "urgent")
        if f.kind:
            query = query.where(Post.kind == f.kind)
        if f.platform:
            query = query.where(Post.platform == f.platform.lower())
        if f.location_id is not None:
            query = query.where(Post.location_id == f.location_id)
        if f.topic:
            query = query.where(
                exists().where(
                    PostTopic.post_id == Post.id,
                    PostTopic.topic == f.topic,
                    PostTopic.practice_id == practice_id,
                )
            )
        return query

    def inbox(
        self,
        actor: Actor,
        practice_id: int,
        filters: InboxFilter | None = None,
        *,
        page: int = 1,
        per_page: int = 50,
    ) -> dict[str, Any]:
        """Return one page of the inbox and the count beside every filter.

        Open posts come urgent first, then overdue, then soonest due; closed ones newest first
        (by arrival).
        Counts are taken within the view (open, closed or all), each as if it were the only
        filter, so a person sees at a glance where the work is.
        """
        f = (filters or InboxFilter()).validate()
        if not 1 <= per_page <= 200:
            raise InputError("per_page must be between 1 and 200")
        page = max(page, 1)
        now = self.clock()
        with self.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            scope = self._scope(practice_id, f.view)
            total = session.scalar(
                self._filtered(
                    select(func.count()).select_from(Post).where(*scope), practice_id, f, now
                )
            )
            if f.view == "open":
                order = (
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
                self._filtered(select(Post.id).where(*scope), practice_id, f, now)
                .order_by(*order)
                .offset((page - 1) * per_page)
                .limit(per_page)
            ).all()
            posts = {p.id: p for p in session.scalars(select(Post).where(Post.id.in_(ids)))}
            return {
                "practice_id": practice_id,
                "view": f.view,
                "filters": f.active(),
                "items": [summary(posts[i], now) for i in ids if i in posts],
                "total": total,
                "page": page,
                "pages": max(1, -(-total // per_page)),
                "counts": self._counts(session, practice_id, f.view, now),
                "now": now.isoformat(),
            }

    def _counts(
        self, session: Session, practice_id: int, view: str, now: dt.datetime
    ) -> dict[str, Any]:
        scope = self._scope(practice_id, view)
        # The view's posts grouped by every plain facet at once, read from
        # ix_posts_practice_facets alone (its columns, in its order): a handful of rows come back
        # instead of every post, and the database neither reads the posts nor sorts them.
        columns = (Post.state, Post.kind, Post.platform, Post.location_id, Post.priority)
        rows = session.execute(select(*columns, func.count()).where(*scope).group_by(*columns))
        by_state: dict[str, int] = {}
        urgent_n = 0
        kinds: dict[str, int] = {}
        platforms: dict[str, int] = {}
        by_location: dict[int, int] = {}
        for state, kind, platform, location_id, priority, n in rows:
            by_state[state] = by_state.get(state, 0) + n
            urgent_n += n if priority == "urgent" else 0
            kinds[kind] = kinds.get(kind, 0) + n
            platforms[platform] = platforms.get(platform, 0) + n
            if location_id is not None:
                by_location[location_id] = by_location.get(location_id, 0) + n
        # Only open posts can be overdue: a range of ix_posts_inbox.
        overdue = session.scalar(
            select(func.count())
            .select_from(Post)
            .where(*scope, Post.state.in_(OPEN_STATES), Post.due_at < now)
        )
        if view != "all":  # the other views' sizes; the all view has counted every state
            by_state = dict(
                session.execute(
                    select(Post.state, func.count())
                    .where(Post.practice_id == practice_id)
                    .group_by(Post.state)
                ).all()
            )
        views = {"open": 0, "closed": 0}
        for state, n in by_state.items():
            views["open" if state in OPEN_STATES else "closed"] += n
        names = session.execute(
            select(Location.id, Location.name)
            .where(Location.practice_id == practice_id)
            .order_by(Location.name)
        ).all()
        topics = self._topic_counts(session, practice_id, view)
        return {
            "views": {
                "open": views.get("open", 0),
                "closed": views.get("closed", 0),
                "all": sum(views.values()),
            },
            "total": sum(kinds.values()),
            "overdue": overdue,
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

    @staticmethod
    def _topic_counts(session: Session, practice_id: int, view: str) -> dict[str, int]:
        """Return how many posts of the view carry each topic.

        A post's topics carry its practice (they are written with the post and neither
        changes), so the practice's topic rows are its posts' topics: the all view counts them
        from their own index without reading a post. The two other views only need to know
        which posts are open, and those are few: the open view keeps their topics, the closed
        view all the others. Joining every topic row to its post instead read every post.
        """
        tagged = [PostTopic.practice_id == practice_id]
        open_posts = select(Post.id).where(
            Post.practice_id == practice_id, Post.state.in_(OPEN_STATES)
        )
        if view == "open":
            tagged.append(PostTopic.post_id.in_(open_posts))
        elif view == "closed":
            tagged.append(PostTopic.post_id.not_in(open_posts))
        return dict(
            session.execute(
                select(PostTopic.topic, func.count()).where(*tagged).group_by(PostTopic.topic)
            ).all()
        )

    def approvals(
        self, actor: Actor, practice_id: int, *, page: int = 1, per_page: int = 50
    ) -> dict[str, Any]:
        """Return the replies waiting for review, urgent first, then longest waiting (managers)."""
        with self.store.read() as session:
            require_role(session, actor, practice_id, "manager")
        return self._in_review(actor, practice_id, page=page, per_page=per_page)

    def _in_review(
        self, actor: Actor, practice_id: int, *, page: int, per_page: int
    ) -> dict[str, Any]:
        now = self.clock()
        with self.store.read() as session:
            scope = [Post.practice_id == practice_id, Post.state == "in_review"]
            total = session.scalar(select(func.count()).select_from(Post).where(*scope))
            rows = session.scalars(
                select(Post)
                .where(*scope)
                .order_by(case((Post.priority == "urgent", 0), else_=1), Post.updated_at, Post.id)
                .offset((max(page, 1) - 1) * per_page)
                .limit(per_page)
            ).all()
            return {
                "items": [summary(p, now) for p in rows],
                "total": total,
                "page": max(page, 1),
                "pages": max(1, -(-total // per_page)),
            }

    # -- dashboard ------------------------------------------------------------------------------

    def dashboard(self, actor: Actor, practice_id: int, *, days: int = 90) -> dict[str, Any]:
        """Return the dashboard figures over the last ``days`` days.

        * ``unanswered`` and ``overdue``: open posts right now;
        * ``response_rate``: of the posts received in the window that needed an answer (not
          dismissed), the share answered (published or marked replied); None without posts;
        * ``median_hours_to_reply``: from arrival to the reply, for the posts received in the
          window that got one (as the insights count it);
        * ``complaints_by_topic``: complaints received in the window, per topic (a complaint
          can have several topics, or none).
        """
        if not 1 <= days <= 3660:
            raise InputError("days must be between 1 and 3660")
        now = self.clock()
        since = now - dt.timedelta(days=days)
        with self.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            mine = Post.practice_id == practice_id
            unanswered = session.scalar(
                select(func.count()).select_from(Post).where(mine, Post.state.in_(OPEN_STATES))
            )
            overdue = session.scalar(
                select(func.count())
                .select_from(Post)
                .where(mine, Post.state.in_(OPEN_STATES), Post.due_at < now)
            )
            # One range of ix_posts_practice_received, without grouping (grouping by state
            # would walk every post of the practice in another index's order).
            received, dismissed, answered, first, last = session.execute(
                select(
                    func.count(),
                    func.sum(case((Post.state == "dismissed", 1), else_=0)),
                    func.sum(case((Post.state.in_(ANSWERED_STATES), 1), else_=0)),
                    func.min(Post.id),
                    func.max(Post.id),
                ).where(mine, Post.received_at >= since)
            ).one()
            # The window's first and last post ids bound the replies and topics read below, so
            # PostgreSQL reads them by a range of their keys instead of scanning the tables
            # (SQLite finds each post's rows by its key already; a range would be scanned for
            # every post there).
            postgres = self.store.dialect == "postgresql"
            first, last = first or 0, last or 0

            def within(column: Any) -> Any:
                return column.between(first, last) if postgres else true()

            dismissed, answered = dismissed or 0, answered or 0
            needing = received - dismissed
            # Hours to reply of the posts received in the window that got one, computed by the
            # database: the same range, and each post's reply by its key.
            waits = sorted(
                max(0.0, float(h))
                for (h,) in session.execute(
                    select(hours_to_reply(self.store.dialect))
                    .select_from(Post)
                    .join(PublishedReply, PublishedReply.post_id == Post.id)
                    .where(
                        mine,
                        Post.received_at >= since,
                        within(PublishedReply.post_id),
                    )
                ).all()
            )
            topics = dict(
                session.execute(
                    select(PostTopic.topic, func.count())
                    .join(Post, Post.id == PostTopic.post_id)
                    .where(
                        mine,
                        Post.kind == "complaint",
                        Post.received_at >= since,
                        PostTopic.practice_id == practice_id if postgres else true(),
                        PostTopic.topic.in_(TOPICS) if postgres else true(),
                        within(PostTopic.post_id),
                    )
                    .group_by(PostTopic.topic)
                ).all()
            )
            complaints = session.scalar(
                select(func.count())
                .select_from(Post)
                .where(mine, Post.kind == "complaint", Post.received_at >= since)
            )
            return {
                "practice_id": practice_id,
                "days": days,
                "since": since.isoformat(),
                "unanswered": unanswered,
                "overdue": overdue,
                "received": received,
                "needed_answer": needing,
                "answered": answered,
                "response_rate": round(answered / needing, 4) if needing else None,
                "replies": len(waits),
                "median_hours_to_reply": round(statistics.median(waits), 2) if waits else None,
                "complaints": complaints,
                "complaints_by_topic": {t: topics.get(t, 0) for t in TOPICS},
            }

    # -- audit ----------------------------------------------------------------------------------

    def audit(
        self,
        actor: Actor,
        practice_id: int,
        *,
        action: str | None = None,
        object_id: str | None = None,
        actor_email: str | None = None,
        page: int = 1,
        per_page: int = 50,
    ) -> dict[str, Any]:
        """Return a page of the practice's audit log, newest first (managers and admins)."""
        if not 1 <= per_page <= 500:
            raise InputError("per_page must be between 1 and 500")
        page = max(page, 1)
        with self.store.read() as session:
            require_role(session, actor, practice_id, "manager")
            scope: list[Any] = [AuditEvent.practice_id == practice_id]
            if action:
                scope.append(AuditEvent.action == action)
            if object_id:
                scope.append(AuditEvent.object_id == object_id)
            if actor_email:
                scope.append(AuditEvent.actor == actor_email.strip().lower())
            total = session.scalar(select(func.count()).select_from(AuditEvent).where(*scope))
            rows = session.scalars(
                select(AuditEvent)
                .where(*scope)
                .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
                .offset((page - 1) * per_page)
                .limit(per_page)
            ).all()
            actions = list(
                session.scalars(
                    select(AuditEvent.action)
                    .where(AuditEvent.practice_id == practice_id)
                    .distinct()
                    .order_by(AuditEvent.action)
                )
            )
            return {
                "items": [audit_row(e) for e in rows],
                "total": total,
                "page": page,
                "pages": max(1, -(-total // per_page)),
                "actions": actions,
            }
