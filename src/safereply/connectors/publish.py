"""Publishing exactly once: an approved reply to a connected post goes out by a job, once.

The job calls ``InboxService.publish`` with an :class:`ExactlyOnce` publisher. The inbox holds the
post's write transaction (its row version, the one-reply-per-post constraint) while the publisher
talks to the platform, and commits ``published`` only after the platform confirmed. Before it posts,
the publisher always reads the platform's replies back: if our exact text is there already (an
earlier attempt reached the platform, then the process died before its commit), it records that
reply instead of posting again. So a crash at any point posts at most once:

* before the platform call: nothing was posted; the next attempt posts;
* after the platform's answer, before the commit: the transaction rolls back; the next attempt
  reads the reply back, finds it, and records it without posting;
* after the commit: the post is ``published``; nothing is due any more.

A new version of a reply that is out (issue 14: ``revise_published``, then approval) is published
the same way, with an edit instead of a post: the read-back finds our reply reading the new text
(an earlier attempt got there: recorded, not applied again), or reading the old text (changed
now: Google's one reply is written again, a Facebook comment is edited, an Instagram comment or
an X post, which cannot be edited, is answered with the new text and the old one deleted), or no
reply of ours (deleted meanwhile: the new text is posted). A withdrawal reads back too: a reply
already gone counts as deleted, so trying again never deletes twice.

What the platform says decides what happens next: ``RateLimited`` / ``Transient`` → try again after
Retry-After (or a doubling back-off); ``PermanentRefusal`` (X's "only when mentioned", a policy
block, a review deleted) → never retried, the post falls back to the manual path with the reason
shown; ``NeedsReauth`` → the connection is flagged, publishing waits for an admin.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from safereply.connectors.base import (
    Connector,
    ConnectorError,
    ItemGone,
    NeedsReauth,
    PermanentRefusal,
    RateLimited,
    RemoteItem,
    RemoteReply,
    Transient,
)
from safereply.connectors.connections import ConnectionService
from safereply.connectors.sync import Syncer, same_text
from safereply.errors import NotFoundError, SafeReplyError, WorkflowError
from safereply.services.actor import SYSTEM, Actor
from safereply.services.audit import record
from safereply.services.inbox import InboxService
from safereply.services.inbox_common import load_post
from safereply.services.inbox_types import ActionOutcome
from safereply.services.notify import enqueue
from safereply.store.engine import Store
from safereply.store.models import Connection, ConnectionItem, Post, utcnow
from safereply.store.rows import get_row

__all__ = ["EDIT_STYLES", "ExactlyOnce", "Publication", "ReplyPublisher"]

log = logging.getLogger("safereply.connectors")

#: Doubling back-off after a failure without Retry-After: 30 s, 1 min, 2 min ... at most 1 h.
FIRST_BACKOFF = 30.0
MAX_BACKOFF = 3600.0
#: How long to wait before looking again at a reply that is not ready (cooling-off ...).
NOT_READY_RECHECK = dt.timedelta(minutes=1)
#: How each platform changes a reply that is out: ``replace`` (Google: the review's one reply is
#: written again), ``edit`` (Facebook: the comment's text is changed in place), ``repost``
#: (Instagram and X cannot edit: the new text is posted, then the old reply deleted, so a refusal
#: of the new one never leaves the post without our answer). Another platform edits when its
#: connector has ``edit_reply``, else reposts.
EDIT_STYLES = {"google": "replace", "facebook": "edit", "instagram": "repost", "x": "repost"}


class ExactlyOnce:
    """The inbox's ``Publisher``: read the platform's replies back, post only if ours is absent."""

    def __init__(self, connector: Connector) -> None:
        self.connector = connector
        self.reply: RemoteReply | None = None
        self.found_existing = False

    def post_reply(
        self, *, platform: str, external_id: str, url: str | None, text: str
    ) -> str | None:
        """Post ``text`` unless the platform already holds it; return the reply's address.

        Raises:
            PermanentRefusal: the item carries a different reply by us (an older version or one
                typed on the platform): overwriting it silently is not ours to decide.
        """
        existing = self.connector.read_replies(external_id)
        for reply in existing:
            if reply.by_us and same_text(reply.text, text):
                self.reply, self.found_existing = reply, True
                return _http(reply.url)
        if any(r.by_us for r in existing):
            raise PermanentRefusal(
                "the post already carries a different reply from this account (written outside "
                "SafeReply); compare it on the platform and mark the post replied by hand"
            )
        self.reply = self.connector.publish_reply(external_id, text)
        return _http(self.reply.url)

    def edit_reply(
        self, *, platform: str, external_id: str, url: str | None, old_text: str, text: str
    ) -> str | None:
        """Make our reply read ``text`` instead of ``old_text``, once; return its address.

        Raises:
            PermanentRefusal: our reply there reads neither (changed on the platform, outside
                SafeReply): overwriting it is not ours to decide.
        """
        ours = [r for r in self.connector.read_replies(external_id) if r.by_us]
        done = next((r for r in ours if same_text(r.text, text)), None)
        stale = [r for r in ours if same_text(r.text, old_text) and r is not done]
        if done is not None:  # an earlier attempt got there; a repost may have left the old one
            for reply in stale:
                self.connector.delete_reply(external_id, reply)
            self.reply, self.found_existing = done, True
            return _http(done.url) or url
        if ours and not stale:
            raise PermanentRefusal(
                "the reply on the platform was changed outside SafeReply; compare it there, make "
                "the edit by hand and mark the post replied"
            )
        if not stale:  # our reply was deleted meanwhile: the new version is posted
            self.reply = self.connector.publish_reply(external_id, text)
        else:
            self.reply = self._change(external_id, stale[0], text)
        return _http(self.reply.url) or url

    def _change(self, external_id: str, old: RemoteReply, text: str) -> RemoteReply:
        """Change our reply ``old`` to ``text`` as the platform allows (:data:`EDIT_STYLES`)."""
        connector = self.connector
        edit = getattr(connector, "edit_reply", None)
        style = EDIT_STYLES.get(connector.platform) or ("edit" if edit else "repost")
        if style == "replace":
            return connector.publish_reply(external_id, text)
        if style == "edit" and edit is not None:
            edited: RemoteReply = edit(external_id, old, text)
            return edited if edited.url else dataclasses.replace(edited, url=old.url)
        posted = connector.publish_reply(external_id, text)
        connector.delete_reply(external_id, old)
        return posted

    def remove_reply(
        self, *, platform: str, external_id: str, url: str | None, texts: Sequence[str]
    ) -> None:
        """Delete our reply reading one of ``texts``; none there counts as deleted (an earlier
        attempt, or someone on the platform, did it; or the post itself is gone)."""
        try:
            replies = self.connector.read_replies(external_id)
        except ItemGone:
            return  # the post was deleted, and its replies with it
        for reply in replies:
            if reply.by_us and any(same_text(reply.text, t) for t in texts):
                self.connector.delete_reply(external_id, reply)


def _item(session: Session, post_id: int) -> ConnectionItem:
    """Return the connection item of a post being published (it was there when we started)."""
    item = session.scalar(select(ConnectionItem).where(ConnectionItem.post_id == post_id))
    if item is None:
        raise NotFoundError(f"post {post_id} no longer has a connection item (deleted meanwhile?)")
    return item


def _http(url: str | None) -> str | None:
    """Return the reply's address when it is one a page may link to."""
    return url if url and url.startswith(("https://", "http://")) else None


@dataclass(frozen=True, slots=True)
class Publication:
    """What one publishing attempt did.

    ``status``: ``published`` (confirmed by the platform; ``reused`` when an earlier attempt's
    reply was found there), ``waiting`` (not ready: cooling-off, schedule, not approved),
    ``retry`` (after ``retry_after`` seconds), ``refused`` (manual path from now on),
    ``removed`` (the post was deleted on the platform), ``reauth`` (the connection needs
    re-authorisation), ``skipped`` (nothing to do).
    """

    post_id: int
    status: str
    detail: str | None = None
    retry_after: float | None = None
    reused: bool = False


class ReplyPublisher:
    """Finds connected posts whose approved reply may go out, and publishes each exactly once."""

    def __init__(
        self,
        store: Store,
        inbox: InboxService,
        connections: ConnectionService,
        syncer: Syncer,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.store = store
        self.inbox = inbox
        self.connections = connections
        self.syncer = syncer
        self.clock = clock

    def due(self, *, now: dt.datetime | None = None, limit: int = 200) -> list[int]:
        """Return posts with an approved (or due scheduled) reply waiting for a connector."""
        now = now or self.clock()
        with self.store.read() as session:
            query = (
                select(Post.id)
                .join(ConnectionItem, ConnectionItem.post_id == Post.id)
                .join(Connection, Connection.id == ConnectionItem.connection_id)
                .where(
                    Post.state.in_(("approved", "scheduled")),
                    (Post.scheduled_for.is_(None)) | (Post.scheduled_for <= now),
                    ConnectionItem.manual_only.is_(False),
                    ConnectionItem.removed_at.is_(None),
                    (ConnectionItem.publish_next_at.is_(None))
                    | (ConnectionItem.publish_next_at <= now),
                    Connection.tokens.is_not(None),
                    Connection.needs_reauth.is_(False),
                )
                .order_by(Post.id)
                .limit(limit)
            )
            return list(session.scalars(query))

    def publish(self, post_id: int) -> Publication:
        """Publish one post's approved reply through its connection (see the module doc)."""
        with self.store.read() as session:
            item = session.scalar(select(ConnectionItem).where(ConnectionItem.post_id == post_id))
            if item is None:
                return Publication(post_id, "skipped", "the post has no connection")
            conn = get_row(session, Connection, item.connection_id)
            conn_id, external_id = conn.id, item.external_id
            try:
                connector = self.connections.open(conn)
            except SafeReplyError as exc:
                return Publication(post_id, "skipped", str(exc))
        publisher = ExactlyOnce(connector)
        try:
            self.inbox.publish(SYSTEM, post_id, publisher)
        except ItemGone as exc:  # deleted meanwhile: closed as removed, nothing to post
            self._note(post_id, connector, error=str(exc), wait=NOT_READY_RECHECK)
            self.syncer.ingest(
                conn_id, [RemoteItem(external_id=external_id, text="", deleted=True)]
            )
            return Publication(post_id, "removed", exc.reason)
        except ConnectorError as exc:
            return self._failed(post_id, connector, exc)
        except WorkflowError as exc:  # not ready (cooling-off, schedule) or already answered
            self._note(post_id, connector, error=str(exc), wait=NOT_READY_RECHECK)
            return Publication(post_id, "waiting", str(exc))
        reply = publisher.reply
        self._published(post_id, connector, reply)
        return Publication(
            post_id, "published", reply.state if reply else None, reused=publisher.found_existing
        )

    def withdraw(
        self, actor: Actor, post_id: int, *, reason: str, expected_version: int | None = None
    ) -> ActionOutcome:
        """Take a connected post's reply down on its platform, then record the move
        (``Workflow.withdraw_published``: managers, for a reason).

        The platform is read first on every attempt, so trying again after a failure or a crash
        never deletes twice, and a reply already gone counts as done.

        Raises:
            WorkflowError: the post has no working connection (delete the reply on the platform
                by hand, then record it), or the platform did not take it down (why is said;
                nothing changed here).
        """
        connector = self._connector_for(actor, post_id)
        try:
            outcome = self.inbox.withdraw_published(
                actor,
                post_id,
                reason=reason,
                remover=ExactlyOnce(connector),
                expected_version=expected_version,
            )
        except ConnectorError as exc:
            with self.store.write() as session:
                item = _item(session, post_id)
                self._save_tokens(session, item, connector)
                if isinstance(exc, NeedsReauth):
                    self._flag_reauth(session, item, connector, exc)
            platform = connector.platform.capitalize()
            later = "" if isinstance(exc, PermanentRefusal) else "; try again in a while"
            raise WorkflowError(
                f"{platform} did not take the reply down ({exc}); nothing changed here{later}"
            ) from None
        with self.store.write() as session:
            item = _item(session, post_id)
            item.reply_state = item.policy_reason = item.publish_error = None
            item.publish_next_at = None
            self._save_tokens(session, item, connector)
        return outcome

    def _connector_for(self, actor: Actor, post_id: int) -> Connector:
        """Return the connector of a post's working connection (after the role check).

        Raises:
            NotFoundError, PermissionDenied: as for the post itself.
            WorkflowError: the post came by hand, or its connection is disconnected or needs
                re-authorisation.
        """
        with self.store.read() as session:
            load_post(session, actor, post_id, "manager")
            item = session.scalar(select(ConnectionItem).where(ConnectionItem.post_id == post_id))
            conn = session.get(Connection, item.connection_id) if item else None
            if conn is None or conn.tokens is None or conn.needs_reauth:
                raise WorkflowError(
                    "this post has no working connection: delete the reply on the platform by "
                    "hand, then record it"
                )
            try:
                return self.connections.open(conn)
            except SafeReplyError as exc:
                raise WorkflowError(f"the connection cannot be used: {exc}") from None

    def follow_moderation(self, *, limit: int = 100) -> int:
        """Read again the replies the platform still moderates; return how many changed."""
        with self.store.read() as session:
            rows = session.execute(
                select(ConnectionItem.connection_id, ConnectionItem.external_id)
                .join(Connection, Connection.id == ConnectionItem.connection_id)
                .where(
                    ConnectionItem.reply_state == "pending",
                    ConnectionItem.replied_elsewhere.is_(False),
                    Connection.tokens.is_not(None),
                    Connection.needs_reauth.is_(False),
                )
                .limit(limit)
            ).all()
            opened: dict[int, Connector | None] = {}
            for cid in {cid for cid, _ in rows}:
                try:
                    opened[cid] = self.connections.open(get_row(session, Connection, cid))
                except SafeReplyError:
                    opened[cid] = None
        changed = 0
        for cid, external_id in rows:
            connector = opened.get(cid)
            if connector is None:
                continue
            try:
                found = connector.read_item(external_id)
            except ConnectorError as exc:
                log.info("moderation check of connection %s failed: %s", cid, type(exc).__name__)
                continue
            if found is not None:
                changed += self.syncer.ingest(cid, [found]).updated
        with self.store.write() as session:  # tokens refreshed on the way are kept, sealed
            for cid, connector in opened.items():
                if connector is not None:
                    conn = get_row(session, Connection, cid)
                    self.connections.save_credentials(session, conn, connector.credentials)
        return changed

    # -- bookkeeping ----------------------------------------------------------------------------

    def _published(self, post_id: int, connector: Connector, reply: RemoteReply | None) -> None:
        with self.store.write() as session:
            item = _item(session, post_id)
            item.reply_state = reply.state if reply else "live"
            item.policy_reason = reply.policy_reason if reply else None
            item.publish_error = None
            item.publish_next_at = None
            self._save_tokens(session, item, connector)

    def _failed(self, post_id: int, connector: Connector, exc: ConnectorError) -> Publication:
        """Record a failed attempt: when to try again, or the manual path, or re-authorisation."""
        now = self.clock()
        with self.store.write() as session:
            item = _item(session, post_id)
            self._save_tokens(session, item, connector)
            item.publish_attempts += 1
            item.publish_error = str(exc)[:500]
            if isinstance(exc, PermanentRefusal):
                item.manual_only = True
                item.publish_next_at = None
                post = session.get(Post, post_id)
                if post is not None:  # someone must post it by hand now
                    enqueue(session, post, "reply-refused", base_url=self.inbox.base_url, at=now)
                record(
                    session,
                    SYSTEM,
                    "reply.publish_refused",
                    object_type="post",
                    object_id=post_id,
                    practice_id=post.practice_id if post else None,
                    detail={"platform": connector.platform, "attempts": item.publish_attempts},
                    at=now,
                )
                return Publication(post_id, "refused", exc.reason)
            if isinstance(exc, NeedsReauth):
                self._flag_reauth(session, item, connector, exc)
                return Publication(post_id, "reauth", str(exc))
            wait = exc.retry_after if isinstance(exc, RateLimited | Transient) else None
            if wait is None:
                wait = min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (item.publish_attempts - 1))
            item.publish_next_at = now + dt.timedelta(seconds=wait)
            return Publication(post_id, "retry", str(exc), retry_after=wait)

    @staticmethod
    def _flag_reauth(
        session: Session, item: ConnectionItem, connector: Connector, exc: ConnectorError
    ) -> None:
        """Flag the connection "needs re-authorisation", unless the refused tokens were replaced
        or deleted meanwhile."""
        conn = get_row(session, Connection, item.connection_id)
        opened = connector.credentials.sealed_from
        if conn.tokens is not None and (not opened or conn.tokens == opened):
            conn.needs_reauth, conn.last_error = True, str(exc)[:500]

    def _note(self, post_id: int, connector: Connector, *, error: str, wait: dt.timedelta) -> None:
        with self.store.write() as session:
            item = _item(session, post_id)
            item.publish_error = error[:500]
            item.publish_next_at = self.clock() + wait
            self._save_tokens(session, item, connector)

    def _save_tokens(self, session: Session, item: ConnectionItem, connector: Connector) -> None:
        conn = get_row(session, Connection, item.connection_id)
        self.connections.save_credentials(session, conn, connector.credentials)
