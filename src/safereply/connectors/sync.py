"""Polling: each connection's new and changed items land in the inbox, once, whatever happens.

One sync of one connection pages through its connector from the saved cursor. Each page is
stored, then the connector's cursor for the next page is saved: a crash re-reads at most one
page, and re-reading is harmless because arrival is idempotent by (platform, external id) and an
unchanged item changes nothing. For every item on a page:

* new → ``InboxService.receive_many`` (triage, due time, escalation), linked to the connection;
* changed text or rating → the post's text and triage are updated; a reply in review, approved or
  scheduled goes back to drafting ("post-changed": its drafts were written for the old text);
* a reply written outside SafeReply → linted, kept beside the post, the post closed as
  ``answered-elsewhere``; risky ones (``block`` / ``warn``) are listed for managers;
* our own published reply → its moderation state (pending / approved / rejected + reason) is
  followed; a rejection notifies the practice;
* deleted (a complete scan did not see it, or the platform said so) → marked removed, the post
  closed as ``removed-on-platform`` (a post whose reply is out, with a new version of it being
  drafted, keeps the reply it had instead: it was answered).

Results are :class:`SyncReport` values whose JSON is the ``safereply sync`` contract:
``{"connection", "platform", "fetched", "new", "updated", "errors"}``.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from safereply.connectors.base import (
    ConnectorError,
    NeedsReauth,
    Page,
    RateLimited,
    RemoteItem,
    RemoteReply,
    Transient,
)
from safereply.connectors.connections import ConnectionService
from safereply.core.vocab import TOPICS
from safereply.errors import SafeReplyError, WorkflowError
from safereply.services.actor import SYSTEM
from safereply.services.audit import record
from safereply.services.inbox import InboxService, NewPost
from safereply.services.notify import enqueue
from safereply.services.practices import load_profile
from safereply.services.workflow import reply_out
from safereply.store.engine import Store
from safereply.store.models import (
    OPEN_STATES,
    Connection,
    ConnectionItem,
    Draft,
    Location,
    Post,
    PostTopic,
    PublishedReply,
    TriageRecord,
    utcnow,
)

__all__ = ["REMOVED_REASON", "SyncReport", "Syncer", "same_text"]

log = logging.getLogger("safereply.connectors")

#: The cursor key that keeps a platform's Retry-After across processes (cleared by the next page).
WAIT_KEY = "retry_after_until"
#: The dismiss reason of a post deleted on its platform.
REMOVED_REASON = "removed-on-platform"
#: Back-off after a transient failure when the platform gave no Retry-After: 1, 2, 4 ... 60 min.
MAX_BACKOFF = dt.timedelta(hours=1)


def same_text(a: str | None, b: str | None) -> bool:
    """Return True when two texts are the same reply, whitespace aside (platforms re-wrap)."""
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _placeholder(item: RemoteItem) -> str:
    """Return the text kept for an item without words (a star-only review), so it is answered."""
    if item.rating is not None:
        return f"[{item.rating:g}-star rating without a written review]"
    return "[no text]"


@dataclass(slots=True)
class SyncReport:
    """What one sync of one connection did (the ``safereply sync`` JSON line)."""

    connection: int
    platform: str
    fetched: int = 0
    new: int = 0
    updated: int = 0
    removed: int = 0
    errors: int = 0
    error: str | None = None
    needs_reauth: bool = False
    retry_after: float | None = None

    @property
    def failed(self) -> bool:
        """Return True when the sync did not finish (the command then exits 1)."""
        return self.errors > 0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object: the contract's keys first, then ``removed`` and ``error``."""
        out: dict[str, Any] = {
            "connection": self.connection,
            "platform": self.platform,
            "fetched": self.fetched,
            "new": self.new,
            "updated": self.updated,
            "errors": self.errors,
            "removed": self.removed,
        }
        if self.error:
            out["error"] = self.error
        if self.needs_reauth:
            out["needs_reauth"] = True
        return out


@dataclass(slots=True)
class _Snapshot:
    """The connection's values a sync needs, read once (the session ends before HTTP)."""

    id: int
    practice_id: int
    platform: str
    location: str | None
    cursor: dict[str, Any]
    scan: int
    interval: int
    full_due: bool


@dataclass(slots=True)
class _After:
    """Workflow moves to make once a page's transaction committed (each is its own change)."""

    close: list[tuple[int, str]] = field(default_factory=list)
    send_back: list[int] = field(default_factory=list)
    keep: list[int] = field(default_factory=list)


class Syncer:
    """Runs syncs: one connection, the due ones, or all of a practice."""

    def __init__(
        self,
        store: Store,
        inbox: InboxService,
        connections: ConnectionService,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        full_scan_every: dt.timedelta = dt.timedelta(hours=24),
        max_pages: int = 2000,
        small_connection: int = 1000,
        inline_retries: int = 2,
        max_inline_wait: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.inbox = inbox
        self.connections = connections
        self.clock = clock
        self.full_scan_every = full_scan_every
        self.max_pages = max_pages
        self.small_connection = small_connection
        self.inline_retries = inline_retries
        self.max_inline_wait = max_inline_wait
        self.sleep = sleep

    def due(self, *, practice_id: int | None = None, now: dt.datetime | None = None) -> list[int]:
        """Return the ids of connected connections whose next sync time has come."""
        now = now or self.clock()
        with self.store.read() as session:
            query = select(Connection.id).where(
                Connection.tokens.is_not(None),
                Connection.needs_reauth.is_(False),
                Connection.next_sync_at <= now,
            )
            if practice_id is not None:
                query = query.where(Connection.practice_id == practice_id)
            return list(session.scalars(query.order_by(Connection.next_sync_at)))

    def sync_all(self, *, practice_id: int | None = None) -> list[SyncReport]:
        """Sync every connected connection (of one practice) now, whatever its next sync time.

        Disconnected ones (their tokens deleted) are left out; one that needs re-authorisation is
        reported as failed, so ``safereply sync`` exits 1 until an admin connects it again.
        """
        with self.store.read() as session:
            query = select(Connection.id).where(Connection.tokens.is_not(None))
            query = query.order_by(Connection.id)
            if practice_id is not None:
                query = query.where(Connection.practice_id == practice_id)
            ids = list(session.scalars(query))
        return [self._guarded(cid) for cid in ids]

    def _guarded(self, connection_id: int) -> SyncReport:
        """Sync one connection; a bug or a database failure fails that connection only."""
        try:
            return self.sync(connection_id)
        except Exception as exc:  # reported on its line; the other connections still sync
            log.exception("sync of connection %s crashed", connection_id)
            return SyncReport(
                connection_id, "?", errors=1, error=f"internal error: {type(exc).__name__}"
            )

    def sync(self, connection_id: int) -> SyncReport:
        """Read one connection's new and changed items into the inbox; never raises for the
        platform's failures (they are in the report and on the connection)."""
        now = self.clock()
        with self.store.read() as session:
            row = session.get(Connection, connection_id)
            if row is None:
                return SyncReport(connection_id, "?", errors=1, error="no such connection")
            report = SyncReport(row.id, row.platform)
            if row.tokens is None:
                report.errors, report.error = 1, "disconnected: connect it again to sync"
                return report
            if row.needs_reauth:
                report.errors, report.needs_reauth = 1, True
                report.error = "needs re-authorisation: connect it again"
                return report
            snap = self._snapshot(session, row, now)
            wait_until = _waiting(snap.cursor, now)
            if wait_until is not None:  # even a forced sync honours Retry-After
                report.errors = 1
                report.error = f"the platform asked to wait until {wait_until}; not polled"
                return report
            try:
                connector = self.connections.open(row)
            except SafeReplyError as exc:
                report.errors, report.error = 1, str(exc)
                return report
        cursor = {k: v for k, v in snap.cursor.items() if k != WAIT_KEY}
        if snap.full_due and not cursor.get("token"):
            cursor["full"] = True
        scanning = bool(cursor.get("full")) or not cursor.get("since")
        for attempt in (1, 2):
            try:
                self._pages(snap, connector, cursor, report, scanning)
                return report
            except NeedsReauth as exc:  # tokens another job rotated meanwhile: once more
                fresh = None
                if attempt == 1:
                    fresh = self.connections.reopen_if_changed(snap.id, connector.credentials)
                if fresh is None:
                    self._failed(snap, connector.credentials, exc, report)
                    return report
                connector = fresh
            except ConnectorError as exc:
                self._failed(snap, connector.credentials, exc, report)
                return report
        return report

    def _pages(
        self,
        snap: _Snapshot,
        connector: Any,
        cursor: dict[str, Any],
        report: SyncReport,
        scanning: bool,
    ) -> None:
        """Fetch, store and save pages until done; ``cursor`` is advanced in place, so a retry
        goes on from the last saved page. Stops when the connection was disconnected."""
        for _ in range(self.max_pages):
            page = self._fetch(connector, cursor)
            self._store_page(snap, page, report, full=scanning)
            cursor.clear()
            cursor.update(page.cursor)
            if not self._save(snap, connector.credentials, dict(cursor), page, report):
                return
            if page.done:
                return

    def _fetch(self, connector: Any, cursor: dict[str, Any]) -> Page:
        """Fetch a page; a short hiccup (a 5xx, a 429 asking for a few seconds) is retried here,
        a longer wait is left to the next sync (the job engine does not block on it)."""
        for attempt in range(self.inline_retries + 1):
            try:
                return connector.fetch(cursor)
            except (RateLimited, Transient) as exc:
                wait = exc.retry_after if exc.retry_after is not None else 2.0**attempt
                if attempt == self.inline_retries or wait > self.max_inline_wait:
                    raise
                self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def ingest(self, connection_id: int, items: Sequence[RemoteItem]) -> SyncReport:
        """Store items that arrived by push (a webhook) exactly as a poll would."""
        with self.store.read() as session:
            row = session.get(Connection, connection_id)
            if row is None:
                return SyncReport(connection_id, "?", errors=1, error="no such connection")
            snap = self._snapshot(session, row, self.clock())
        report = SyncReport(snap.id, snap.platform)
        page = Page(items=list(items), cursor=snap.cursor, done=True)
        self._store_page(snap, page, report)
        return report

    # -- one page -------------------------------------------------------------------------------

    def _snapshot(self, session: Session, row: Connection, now: dt.datetime) -> _Snapshot:
        location = session.get(Location, row.location_id) if row.location_id else None
        last = row.last_full_scan_at
        return _Snapshot(
            id=row.id,
            practice_id=row.practice_id,
            platform=row.platform,
            location=location.name if location else None,
            cursor=dict(row.cursor or {}),
            scan=row.scan,
            interval=row.sync_interval,
            full_due=last is None
            or now - last >= self.full_scan_every
            or self._small(session, row.id),
        )

    def _small(self, session: Session, connection_id: int) -> bool:
        """Return True when a complete scan costs only a few pages: then every sync is one, so
        deletions and edits show at once instead of at the next daily scan."""
        count = session.scalar(
            select(func.count())
            .select_from(ConnectionItem)
            .where(ConnectionItem.connection_id == connection_id)
        )
        return (count or 0) <= self.small_connection

    def _store_page(
        self, snap: _Snapshot, page: Page, report: SyncReport, *, full: bool = False
    ) -> None:
        """Store one page: new items through the inbox, changes beside them, then the moves.

        ``full``: the page belongs to a complete scan, so its items count as seen in it.
        """
        report.fetched += len(page.items)
        if not page.items:
            return
        items = {i.external_id: i for i in page.items}  # the last word on an id wins
        arrived = self._arrive(snap, items, report)
        retriage = self._retriage(snap, items)
        after = _After()
        now = self.clock()
        with self.store.write() as session:
            rows = self._items(session, snap.id, list(items))
            posts = {
                p.id: p
                for p in session.scalars(
                    select(Post).where(Post.id.in_([r.post_id for r in rows.values()]))
                )
            }
            profile = None
            for ext, row in rows.items():
                item = items[ext]
                post = posts.get(row.post_id)
                if post is None:
                    continue
                if full:
                    row.seen_scan = snap.scan + 1
                changed = False
                if item.deleted:
                    changed = self._remove(session, row, post, now, after)
                else:
                    if ext in retriage:
                        changed = self._edit(session, row, post, item, retriage[ext], now, after)
                    if item.reply is not None:
                        profile = profile or load_profile(session, snap.practice_id)
                        changed |= self._note_reply(session, row, post, item.reply, profile, after)
                    if item.updated_at and (
                        row.remote_updated_at is None or item.updated_at > row.remote_updated_at
                    ):
                        row.remote_updated_at = item.updated_at
                if changed and ext not in arrived:  # a new item is counted as new only
                    report.updated += 1
                    report.removed += int(item.deleted)
        self._apply(after, report)

    def _arrive(
        self, snap: _Snapshot, items: dict[str, RemoteItem], report: SyncReport
    ) -> set[str]:
        """Send the page's unknown items to the inbox and link the posts to the connection;
        return the external ids that arrived now."""
        with self.store.read() as session:
            known = set(
                session.scalars(
                    select(ConnectionItem.external_id).where(
                        ConnectionItem.connection_id == snap.id,
                        ConnectionItem.external_id.in_(list(items)),
                    )
                )
            )
        fresh = [i for ext, i in items.items() if ext not in known and not i.deleted]
        if not fresh:
            return set()
        posts = [
            NewPost(
                platform=snap.platform,
                external_id=i.external_id,
                text=i.text if i.text.strip() else _placeholder(i),
                author=i.author,
                rating=i.rating,
                url=i.url,
                posted_at=i.created_at,
                thread=i.thread,
                location=snap.location,
            )
            for i in fresh
        ]
        outcomes = self.inbox.receive_many(SYSTEM, snap.practice_id, posts)
        with self.store.write() as session:
            ids = [o.post_id for o in outcomes if o.post_id is not None]
            linked = set(
                session.scalars(
                    select(ConnectionItem.post_id).where(ConnectionItem.post_id.in_(ids))
                )
            )
            for item, outcome in zip(fresh, outcomes, strict=True):
                if outcome.post_id is None:
                    report.errors += 1
                    report.error = f"item {item.external_id}: {outcome.reason}"
                    continue
                if outcome.status == "created":
                    report.new += 1
                if outcome.post_id not in linked:
                    linked.add(outcome.post_id)
                    self._link(session, snap.id, outcome.post_id, item.external_id)
        return {i.external_id for i in fresh}

    @staticmethod
    def _link(session: Session, connection_id: int, post_id: int, external_id: str) -> None:
        """Link a post to the connection; a sync running at the same time may have done it."""
        try:
            with session.begin_nested():
                session.add(
                    ConnectionItem(
                        connection_id=connection_id,
                        post_id=post_id,
                        external_id=external_id,
                        seen_scan=0,
                        replied_elsewhere=False,
                        remote_reply_report={},
                        publish_attempts=0,
                        manual_only=False,
                    )
                )
        except IntegrityError:
            pass  # linked by the other sync: the same row

    @staticmethod
    def _items(session: Session, connection_id: int, ids: list[str]) -> dict[str, ConnectionItem]:
        rows = session.scalars(
            select(ConnectionItem).where(
                ConnectionItem.connection_id == connection_id,
                ConnectionItem.external_id.in_(ids),
            )
        )
        return {r.external_id: r for r in rows}

    def _retriage(self, snap: _Snapshot, items: dict[str, RemoteItem]) -> dict[str, dict[str, Any]]:
        """Triage again, before the write transaction, the known items whose text or stars
        changed on the platform; return their triage by external id."""
        with self.store.read() as session:
            rows = session.execute(
                select(ConnectionItem.external_id, Post.text, Post.rating)
                .join(Post, Post.id == ConnectionItem.post_id)
                .where(
                    ConnectionItem.connection_id == snap.id,
                    ConnectionItem.external_id.in_(list(items)),
                )
            ).all()
        out = {}
        for ext, text, rating in rows:
            item = items[ext]
            new_text = item.text if item.text.strip() else _placeholder(item)
            if item.deleted or (same_text(new_text, text) and item.rating == rating):
                continue
            triaged = self.inbox.analysers.triage(
                new_text, platform=snap.platform, rating=item.rating
            )
            out[ext] = {"text": new_text, "rating": item.rating, **triaged.to_dict(None)}
        return out

    # -- what a change means ----------------------------------------------------------------------

    def _edit(
        self,
        session: Session,
        row: ConnectionItem,
        post: Post,
        item: RemoteItem,
        triaged: dict[str, Any],
        now: dt.datetime,
        after: _After,
    ) -> bool:
        """Apply an edit made on the platform: new text, stars and triage; stale drafts."""
        post.text = triaged["text"]
        post.rating = triaged["rating"]
        post.kind = str(triaged["kind"])
        post.priority = str(triaged["priority"])
        topics = [str(t) for t in triaged.get("topics", ()) if str(t) in TOPICS]
        polarity = {
            a.get("topic"): a.get("polarity")
            for a in triaged.get("aspects") or ()
            if isinstance(a, dict)
        }
        post.topics = [
            PostTopic(topic=t, practice_id=post.practice_id, polarity=polarity.get(t))
            for t in dict.fromkeys(topics)
        ]
        triage = session.get(TriageRecord, post.id)
        if triage is not None:
            triage.kind, triage.priority, triage.topics = post.kind, post.priority, topics
            triage.sentiment = float(triaged.get("sentiment", 0.0))
            triage.discloses_health = bool(triaged.get("discloses_health", False))
            triage.reasons = [str(r) for r in triaged.get("reasons", ())]
            triage.created_at = now
        post.updated_at = now
        row.changed_at = now
        record(
            session,
            SYSTEM,
            "post.edited_on_platform",
            object_type="post",
            object_id=post.id,
            practice_id=post.practice_id,
            from_state=post.state,
            to_state=post.state,
            detail={"kind": post.kind, "priority": post.priority, "platform": post.platform},
            at=now,
        )
        if post.state in ("in_review", "approved", "scheduled"):
            after.send_back.append(post.id)  # "post changed since this draft"
        return True

    def _note_reply(
        self,
        session: Session,
        row: ConnectionItem,
        post: Post,
        reply: RemoteReply,
        profile: Any,
        after: _After,
    ) -> bool:
        """Follow our reply's moderation, or take in a reply written outside SafeReply."""
        ours = session.scalar(select(PublishedReply).where(PublishedReply.post_id == post.id))
        now = self.clock()
        if ours is not None and same_text(ours.text, reply.text):
            if reply.state == row.reply_state and reply.policy_reason == row.policy_reason:
                return False
            self._moderation(session, row, post, reply, now)
            return True
        if ours is not None and post.state in OPEN_STATES and _new_version(session, ours, reply):
            # An edit's publish reached the platform but not its commit: the job records it.
            return False
        if ours is None and post.state in _PUBLISHING and _one_of_our_drafts(session, post, reply):
            # A first publish reached the platform but not its commit: the job reads it back
            # and records it; it is no reply written elsewhere.
            return False
        if row.replied_elsewhere and same_text(row.remote_reply, reply.text):
            return False  # known already
        report = self.inbox.analysers.check(reply.text, post=post.text, practice=profile)
        lint = report.to_dict(None)
        row.replied_elsewhere = True
        row.remote_reply = reply.text
        row.remote_reply_verdict = str(report.verdict)
        row.remote_reply_report = lint
        row.reply_state, row.policy_reason = reply.state, reply.policy_reason
        record(
            session,
            SYSTEM,
            "post.replied_elsewhere",
            object_type="post",
            object_id=post.id,
            practice_id=post.practice_id,
            from_state=post.state,
            to_state=post.state,
            detail={
                "verdict": row.remote_reply_verdict,
                "codes": sorted({f.get("code") for f in lint.get("findings", ()) if f.get("code")}),
            },
            at=now,
        )
        if post.state in OPEN_STATES:
            after.close.append((post.id, "answered-elsewhere"))
        return True

    def _moderation(
        self, session: Session, row: ConnectionItem, post: Post, reply: RemoteReply, now: Any
    ) -> None:
        """Record our reply's new moderation state; a rejection notifies the practice."""
        before = row.reply_state
        row.reply_state, row.policy_reason = reply.state, reply.policy_reason
        record(
            session,
            SYSTEM,
            "reply.moderation",
            object_type="post",
            object_id=post.id,
            practice_id=post.practice_id,
            detail={"from": before, "to": reply.state, "policy": reply.policy_reason},
            at=now,
        )
        if reply.state == "rejected":
            enqueue(session, post, "reply-rejected", base_url=self.inbox.base_url, at=now)

    def _remove(
        self, session: Session, row: ConnectionItem, post: Post, now: dt.datetime, after: _After
    ) -> bool:
        if row.removed_at is not None:
            return False
        row.removed_at = now
        record(
            session,
            SYSTEM,
            "post.removed_on_platform",
            object_type="post",
            object_id=post.id,
            practice_id=post.practice_id,
            from_state=post.state,
            to_state=post.state,
            detail={"platform": post.platform},
            at=now,
        )
        if post.state in OPEN_STATES and reply_out(session, post.id) is not None:
            after.keep.append(post.id)  # a new version of our reply was drafted: it stays answered
        elif post.state in OPEN_STATES:
            after.close.append((post.id, REMOVED_REASON))
        return True

    def _apply(self, after: _After, report: SyncReport) -> None:
        """Make the workflow moves through the inbox (each checks the post's state itself)."""
        for post_id in after.send_back:
            self._move(partial(self.inbox.reject, SYSTEM, post_id, note_code="post-changed"))
        for post_id, reason in after.close:
            self._move(partial(self.inbox.dismiss, SYSTEM, post_id, reason=reason))
        for post_id in after.keep:
            self._move(partial(self.inbox.keep_published, SYSTEM, post_id))

    @staticmethod
    def _move(action: Callable[[], Any]) -> None:
        try:
            action()
        except WorkflowError as exc:  # someone moved the post meanwhile: their move stands
            log.info("connector workflow move skipped: %s", exc)

    # -- bookkeeping ------------------------------------------------------------------------------

    def _save(
        self, snap: _Snapshot, credentials: Any, cursor: dict[str, Any], page: Page, report: Any
    ) -> bool:
        """Save the cursor after a stored page; at the end, the sync times and deletions.

        Returns False, changing nothing, when the connection was disconnected meanwhile.
        Rechecks a webhook queued during the sync are kept for the next one.
        """
        now = self.clock()
        after = _After()
        with self.store.write() as session:
            row = _locked(session, snap.id)
            if row is None or row.tokens is None:
                return False
            row.cursor = _merge_rechecks(cursor, snap.cursor, row.cursor or {})
            self.connections.save_credentials(session, row, credentials)
            if page.complete_scan:
                report.removed += self._sweep_removed(session, snap, now, after)
                row.scan = snap.scan + 1
                row.last_full_scan_at = now
            if page.done:
                row.last_sync_at = now
                row.next_sync_at = now + dt.timedelta(seconds=row.sync_interval)
                row.last_error = None
        self._apply(after, report)
        return True

    def _sweep_removed(
        self, session: Session, snap: _Snapshot, now: dt.datetime, after: _After
    ) -> int:
        """Mark removed every item a complete scan did not see: it was deleted on the platform."""
        gone = session.scalars(
            select(ConnectionItem).where(
                ConnectionItem.connection_id == snap.id,
                ConnectionItem.seen_scan <= snap.scan,
                ConnectionItem.removed_at.is_(None),
            )
        ).all()
        count = 0
        for row in gone:
            post = session.get(Post, row.post_id)
            if post is not None and self._remove(session, row, post, now, after):
                count += 1
        return count

    def _failed(
        self, snap: _Snapshot, credentials: Any, exc: ConnectorError, report: SyncReport
    ) -> None:
        """Record a failed sync on the connection: re-authorisation, or when to try again."""
        now = self.clock()
        report.errors += 1
        report.error = str(exc)
        with self.store.write() as session:
            row = _locked(session, snap.id)
            if row is None or row.tokens is None:
                return  # disconnected meanwhile: it stays so
            self.connections.save_credentials(session, row, credentials)
            replaced = credentials.sealed_from and row.tokens != credentials.sealed_from
            if isinstance(exc, NeedsReauth) and replaced:
                return  # the refused tokens were replaced meanwhile (refreshed, reconnected)
            row.last_error = str(exc)[:500]
            if isinstance(exc, NeedsReauth):
                row.needs_reauth = True
                report.needs_reauth = True
                row.next_sync_at = None
            elif isinstance(exc, RateLimited | Transient) and exc.retry_after is not None:
                report.retry_after = exc.retry_after
                row.next_sync_at = now + dt.timedelta(seconds=exc.retry_after)
                # Kept beside the connector's cursor until a page is stored again.
                row.cursor = {**(row.cursor or {}), WAIT_KEY: row.next_sync_at.isoformat()}
            elif isinstance(exc, Transient):
                row.next_sync_at = now + min(MAX_BACKOFF, dt.timedelta(seconds=60))
            else:
                row.next_sync_at = now + dt.timedelta(seconds=row.sync_interval)
        log.warning("sync of connection %s failed: %s", snap.id, type(exc).__name__)


#: States in which the publish job may have posted a reply it has not recorded yet.
_PUBLISHING = frozenset({"approved", "scheduled"})


def _one_of_our_drafts(session: Session, post: Post, reply: RemoteReply) -> bool:
    """Return True when ``reply`` reads as one of the post's own drafts (our publish in flight)."""
    texts = session.scalars(select(Draft.text).where(Draft.post_id == post.id))
    return any(same_text(text, reply.text) for text in texts)


def _new_version(session: Session, ours: PublishedReply, reply: RemoteReply) -> bool:
    """Return True when ``reply`` reads as a version of our reply drafted after the one that is
    out (issue 14): an interrupted edit, which the publish job finds again and records."""
    texts = session.scalars(
        select(Draft.text).where(Draft.post_id == ours.post_id, Draft.id > ours.draft_id)
    )
    return any(same_text(text, reply.text) for text in texts)


def _locked(session: Session, connection_id: int) -> Connection | None:
    """Read the connection row again, locked for this transaction (its latest values)."""
    return session.scalar(
        select(Connection)
        .where(Connection.id == connection_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _merge_rechecks(
    cursor: dict[str, Any], started: dict[str, Any], stored: dict[str, Any]
) -> dict[str, Any]:
    """Return the connector's cursor plus the rechecks a webhook queued after the sync began
    (those present at its start were taken by this sync)."""
    taken = {str(r) for r in started.get("recheck") or ()}
    added = [str(r) for r in stored.get("recheck") or () if str(r) not in taken]
    if not added:
        return cursor
    queued = [*(str(r) for r in cursor.get("recheck") or ()), *added]
    return {**cursor, "recheck": list(dict.fromkeys(queued))}


def _waiting(cursor: dict[str, Any], now: dt.datetime) -> str | None:
    """Return until when the platform asked us to wait, while that time is still ahead."""
    value = cursor.get(WAIT_KEY)
    try:
        until = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return until.isoformat(timespec="seconds") if until and until > now else None
