"""Read models for the web pages: the urgent-first inbox with filter counts, the dashboard figures
and the newest-first audit page.

The pages only render: every list, count and figure here comes from ``services/queries.py``,
the same functions the JSON API calls, with the same filters, role checks and search. What is
left here is the page's cut of the data (offset pages a person can jump between, the view's
counts beside every filter)::

    overview = Overview(store, clock=services.inbox.clock)
    page = overview.inbox(actor, practice_id, InboxFilter(urgent=True, q="parking"))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from safereply.core.workflow import ANSWERED_STATES
from safereply.errors import InputError
from safereply.services.actor import Actor
from safereply.services.queries import VIEWS, AuditFilter, PostFilter, Queries, post_summary
from safereply.store.engine import Store
from safereply.store.models import utcnow

__all__ = ["ANSWERED_STATES", "VIEWS", "InboxFilter", "Overview", "summary"]

#: A post as a list shows it (kept under its old name for callers of this module).
summary = post_summary


@dataclass(frozen=True, slots=True)
class InboxFilter:
    """What the inbox page shows. Empty fields do not filter; ``q`` is the text search."""

    view: str = "open"
    overdue: bool = False
    urgent: bool = False
    kind: str | None = None
    topic: str | None = None
    platform: str | None = None
    location_id: int | None = None
    q: str | None = None

    def validate(self) -> InboxFilter:
        """Return the filter, or raise InputError naming the bad value."""
        self.posts().validate()
        return self

    def posts(self) -> PostFilter:
        """Return the query filter the API uses for the same choice."""
        return PostFilter(
            view=self.view,
            overdue=True if self.overdue else None,
            urgent=self.urgent,
            kind=self.kind,
            topic=self.topic,
            platform=self.platform,
            location_id=self.location_id,
            q=self.q,
        )

    def active(self) -> dict[str, Any]:
        """Return the filters that are set (the view aside), for links and the JSON twin."""
        out: dict[str, Any] = {}
        for name in ("overdue", "urgent", "kind", "topic", "platform", "location_id", "q"):
            value = getattr(self, name)
            if value:
                out[name] = value
        return out


class Overview:
    """The read models behind the inbox, dashboard and audit pages."""

    def __init__(self, store: Store, *, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.store = store
        self.clock = clock
        self.queries = Queries(self)

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
        (by arrival). Counts are taken within the view (open, closed or all), each as if it
        were the only filter, so a person sees at a glance where the work is.
        """
        f = (filters or InboxFilter()).validate()
        if not 1 <= per_page <= 200:
            raise InputError("per_page must be between 1 and 200")
        found = self.queries.find(actor, practice_id, f.posts(), limit=per_page, page=page)
        return {
            "practice_id": practice_id,
            "view": f.view,
            "filters": f.active(),
            **found,
            "counts": self.queries.facets(actor, practice_id, f.view),
            "now": self.clock().isoformat(),
        }

    def approvals(
        self, actor: Actor, practice_id: int, *, page: int = 1, per_page: int = 50
    ) -> dict[str, Any]:
        """Return the replies waiting for review, urgent first, then longest waiting (managers)."""
        return self.queries.in_review(actor, practice_id, page=page, per_page=per_page)

    def dashboard(self, actor: Actor, practice_id: int, *, days: int = 90) -> dict[str, Any]:
        """Return the dashboard figures over the last ``days`` days.

        * ``unanswered`` and ``overdue``: open posts right now;
        * ``received``: the posts written in the window (``Post.written_at``, as the insights
          count months: the posting time, else the arrival; the name is older than that);
        * ``response_rate``: of those posts that needed an answer (not dismissed), the share
          answered (published or marked replied); None without posts;
        * ``median_hours_to_reply``: from arrival in SafeReply to the reply, for the posts of
          the window that got one after they arrived (as the insights count it);
        * ``complaints_by_topic``: complaints written in the window, per topic (a complaint
          can have several topics, or none).
        """
        return self.queries.dashboard(actor, practice_id, days=days)

    # -- audit --------------------------------------------------------------------------------

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
        """Return a page of the practice's audit log, newest first (managers and admins), with
        the actions it holds (for the page's filter)."""
        return self.queries.audit(
            actor,
            practice_id,
            AuditFilter(action=action, object_id=object_id, actor_email=actor_email),
            page=page,
            per_page=per_page,
        )
