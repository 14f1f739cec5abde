"""The inbox (DESIGN.md §4): every post waits here until it is answered well or dismissed.

:class:`InboxService` is the facade every caller uses (the API, the pages, the command line,
imports and connectors); behind it the work is split by job along the workflow table
(``core/workflow.py``, drawn in ``docs/workflow.md``):

* ``services/arrival.py``: a post comes in: checked, triaged, due time, first state;
* ``services/workflow.py``: the moves (drafting, review, approval, publishing, dismissal,
  escalation, "not urgent", the SLA sweep), each enforced through the table;
* ``services/queries.py``: the one read path (lists with filters and search, counts, a post).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import cast

from safereply.core.workflow import URGENT_KINDS
from safereply.services.access import practice_ids, require_role
from safereply.services.actor import Actor
from safereply.services.arrival import Arrival, IngestOutcome, NewPost
from safereply.services.inbox_common import (
    DISMISS_REASONS,
    MAX_POST_CHARS,
    MAX_REPLY_CHARS,
    Analysers,
    Publisher,
    normalise_text,
)
from safereply.services.inbox_types import (
    ActionOutcome,
    CursorPage,
    PostDetailView,
    PostSummaryView,
    PublishKitView,
    StateCounts,
)
from safereply.services.notify import Notifier
from safereply.services.queries import PostFilter, Queries, parse_states
from safereply.services.triage_pool import TriagePool
from safereply.services.workflow import ReplyRemover, Workflow
from safereply.store.engine import Store
from safereply.store.models import utcnow

__all__ = [
    "DISMISS_REASONS",
    "MAX_POST_CHARS",
    "MAX_REPLY_CHARS",
    "URGENT_KINDS",
    "Analysers",
    "InboxService",
    "IngestOutcome",
    "NewPost",
    "Publisher",
    "normalise_text",
]


class InboxService:
    """Posts, drafts and the workflow between them: one facade over arrival, the workflow's
    moves and the queries (each reads ``store``, ``analysers``, ``notifier``, ``clock`` and
    ``base_url`` from here at call time)."""

    def __init__(
        self,
        store: Store,
        *,
        analysers: Analysers | None = None,
        notifier: Notifier | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
        base_url: str = "http://127.0.0.1:8000",
        triage_pool: TriagePool | None = None,
    ) -> None:
        self.store = store
        #: Processes that triage large imports, shared by this process's imports (None: an
        #: import starts its own when asked for workers).
        self.triage_pool = triage_pool
        self.analysers = analysers or Analysers()
        self.notifier = notifier
        self.clock = clock
        self.base_url = base_url
        self.arrival = Arrival(self)
        self.workflow = Workflow(self)
        self.queries = Queries(self)

    # -- arrival ----------------------------------------------------------------------------

    def receive(self, actor: Actor, practice_id: int, post: NewPost) -> IngestOutcome:
        """Take in one post: triage it, set its due time, escalate it if urgent.

        Raises:
            InputError: the post cannot be used (the message says why).
        """
        return self.arrival.receive(actor, practice_id, post)

    def receive_many(
        self, actor: Actor, practice_id: int, posts: Sequence[NewPost]
    ) -> list[IngestOutcome]:
        """Take in a batch of posts; one outcome per post, in order (idempotent by platform and
        external id)."""
        return self.arrival.receive_many(actor, practice_id, posts)

    # -- reading ----------------------------------------------------------------------------

    def list_posts(
        self,
        actor: Actor,
        practice_id: int,
        *,
        state: str | Iterable[str] | None = None,
        kind: str | None = None,
        topic: str | None = None,
        platform: str | None = None,
        location_id: int | None = None,
        overdue: bool | None = None,
        q: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> CursorPage:
        """Return one page of a practice's inbox, soonest due first.

        Args:
            state: a state, several, or ``open`` (every state still waiting for an answer).
            overdue: True for open posts past their due time only.
            q: words that must all appear in the post's text or author.
            cursor: the ``next_cursor`` of the previous page.
        """
        f = PostFilter(
            states=parse_states(state),
            overdue=overdue,
            kind=kind,
            topic=topic,
            platform=platform,
            location_id=location_id,
            q=q,
        )
        return cast(
            CursorPage, self.queries.find(actor, practice_id, f, limit=limit, cursor=cursor)
        )

    def get_post(self, actor: Actor, post_id: int) -> PostDetailView:
        """Return a post with its triage, every draft version, approvals and the posted reply."""
        return self.queries.get_post(actor, post_id)

    def counts(self, actor: Actor, practice_id: int) -> StateCounts:
        """Return how many posts are in each state, and how many are overdue."""
        return self.queries.counts(actor, practice_id)

    def overdue(self, actor: Actor, practice_id: int, *, limit: int = 200) -> list[PostSummaryView]:
        """Return a practice's overdue posts, most overdue first."""
        return self.list_posts(actor, practice_id, overdue=True, limit=limit)["items"]

    def require(self, actor: Actor, practice_id: int, minimum: str = "staff") -> str:
        """Return the actor's role in a practice, or raise NotFoundError / PermissionDenied."""
        with self.store.read() as session:
            return require_role(session, actor, practice_id, minimum)

    def visible_practices(self, actor: Actor) -> list[int] | None:
        """Return the practice ids the actor may see (None: every practice)."""
        with self.store.read() as session:
            return practice_ids(session, actor)

    # -- the workflow's moves ---------------------------------------------------------------

    def save_draft(
        self,
        actor: Actor,
        post_id: int,
        text: str,
        *,
        expected_version: int | None = None,
        source: str = "manual",
        composer: str | None = None,
    ) -> ActionOutcome:
        """Save a new draft version: lint it, and send an approved reply back to review.

        Returns:
            The new draft (with its lint report) and the post's new state and version.
        """
        return self.workflow.save_draft(
            actor, post_id, text, expected_version=expected_version, source=source,
            composer=composer,
        )  # fmt: skip

    def suggest(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Save the composer's suggested reply as a new draft version."""
        return self.workflow.suggest(actor, post_id, expected_version=expected_version)

    def acknowledge(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Save the one-click safe reply (acknowledgement, or the urgent template)."""
        return self.workflow.acknowledge(actor, post_id, expected_version=expected_version)

    def submit(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Send the current draft to review."""
        return self.workflow.submit(actor, post_id, expected_version=expected_version)

    def approve(
        self,
        actor: Actor,
        post_id: int,
        *,
        draft_id: int | None = None,
        acknowledge_warnings: bool = False,
        expected_version: int | None = None,
    ) -> ActionOutcome:
        """Approve the current draft (the version the approver read: ``draft_id``); warnings
        need ``acknowledge_warnings``, recorded in the audit log."""
        return self.workflow.approve(
            actor, post_id, draft_id=draft_id, acknowledge_warnings=acknowledge_warnings,
            expected_version=expected_version,
        )  # fmt: skip

    def reject(
        self,
        actor: Actor,
        post_id: int,
        *,
        note_code: str = "changes-requested",
        expected_version: int | None = None,
    ) -> ActionOutcome:
        """Send a reply in review back to its author for changes (managers)."""
        return self.workflow.reject(
            actor, post_id, note_code=note_code, expected_version=expected_version
        )

    def schedule(
        self, actor: Actor, post_id: int, at: dt.datetime, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Hold an approved reply until ``at`` (not before its cooling-off ends)."""
        return self.workflow.schedule(actor, post_id, at, expected_version=expected_version)

    def publish_kit(self, actor: Actor, post_id: int) -> PublishKitView:
        """Return what the manual path needs: the approved text to copy and the post to open."""
        return self.workflow.publish_kit(actor, post_id)

    def mark_replied(
        self,
        actor: Actor,
        post_id: int,
        *,
        posted_text: str | None = None,
        url: str | None = None,
        expected_version: int | None = None,
    ) -> ActionOutcome:
        """Finish the manual path: record that the approved reply was posted, exactly as
        approved (``posted_text``, when known, must be the approved text, whitespace aside)."""
        return self.workflow.mark_replied(
            actor, post_id, posted_text=posted_text, url=url, expected_version=expected_version
        )

    def publish(
        self,
        actor: Actor,
        post_id: int,
        publisher: Publisher,
        *,
        expected_version: int | None = None,
    ) -> ActionOutcome:
        """Post the approved reply through a platform connector and record it."""
        return self.workflow.publish(actor, post_id, publisher, expected_version=expected_version)

    def revise_published(
        self, actor: Actor, post_id: int, text: str, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Start a new version of a published reply (managers): linted, reviewed, held and
        approved as a first reply; the reply that is out stays until the new one is published."""
        return self.workflow.revise_published(
            actor, post_id, text, expected_version=expected_version
        )

    def keep_published(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Give up a new version of a published reply: the post is answered as it was."""
        return self.workflow.keep_published(actor, post_id, expected_version=expected_version)

    def withdraw_published(
        self,
        actor: Actor,
        post_id: int,
        *,
        reason: str,
        remover: ReplyRemover | None = None,
        expected_version: int | None = None,
    ) -> ActionOutcome:
        """Take the reply that is out down, for a reason (managers); the post waits for an
        answer again. ``remover`` deletes it on the platform inside the move (None: someone
        deleted it there by hand)."""
        return self.workflow.withdraw_published(
            actor, post_id, reason=reason, remover=remover, expected_version=expected_version
        )

    def dismiss(
        self, actor: Actor, post_id: int, *, reason: str, expected_version: int | None = None
    ) -> ActionOutcome:
        """Close a post without a reply; escalated posts need a manager to dismiss them."""
        return self.workflow.dismiss(
            actor, post_id, reason=reason, expected_version=expected_version
        )

    def close_answered(
        self, actor: Actor, post_id: int, reply: str, replied_at: dt.datetime | None = None
    ) -> ActionOutcome:
        """Close an open post a re-imported export shows answered on its platform, recording
        that reply (managers; never an emergency or crisis post)."""
        return self.workflow.close_answered(actor, post_id, reply, replied_at)

    def escalate(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Escalate a post by hand: it becomes urgent and staff are notified at once."""
        return self.workflow.escalate(actor, post_id, expected_version=expected_version)

    def reopen(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Bring a dismissed post back into the inbox (managers)."""
        return self.workflow.reopen(actor, post_id, expected_version=expected_version)

    def not_urgent(
        self,
        actor: Actor,
        post_id: int,
        *,
        reason: str,
        note: str | None = None,
        kind: str = "complaint",
        expected_version: int | None = None,
    ) -> ActionOutcome:
        """Say an escalated post is not urgent, for a reason (managers): the normal queue and
        template again; the reason code is audited, the note kept only with the post."""
        return self.workflow.not_urgent(
            actor, post_id, reason=reason, note=note, kind=kind,
            expected_version=expected_version,
        )  # fmt: skip

    def mark_urgent(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Undo "not urgent": escalated again with the triage's kind."""
        return self.workflow.mark_urgent(actor, post_id, expected_version=expected_version)

    def sweep(self, *, notify: bool = True) -> dict[str, int]:
        """Find overdue posts and due scheduled replies; queue and send notifications."""
        return self.workflow.sweep(notify=notify)
