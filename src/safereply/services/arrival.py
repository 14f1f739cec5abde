"""Arrival: a post comes in (an import, the API, a connector), is checked, triaged, given its due
time and its first state by the workflow table's ``receive`` row (escalated for an emergency or
a crisis, ``new`` otherwise), and urgent posts are notified at once.

A post that arrives with the reply it already has on its platform (an import of a history
export with the owner's replies) arrives answered instead, by the same row
(``answered_on_arrival``): ``marked_replied``, closed, with that reply recorded as its published
reply at the time it was given, never queued or escalated; the audit entry of the arrival says
it came answered (``answered_by``).

A post that arrives long after it was written (an import of a history export, a connector's
first sync of a profile's old reviews) and is still unanswered is *backlog*: written more than
:data:`BACKLOG_AFTER` before it arrives, it is due within :data:`BACKLOG_DUE` of its arrival
instead of the practice's reply time, so that two years of unanswered reviews do not all turn
overdue and escalate on the first day, and they queue behind the posts that came in today. It is
still open, listed and counted as unanswered, and turns overdue (and escalates) if the backlog is
not worked through in time. An emergency or a crisis is never backlog: it keeps the urgent reply
time, however old it looks.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from safereply.core.vocab import TOPICS
from safereply.core.workflow import START, URGENT_KINDS, Facts, decide
from safereply.errors import InputError
from safereply.services.access import require_role
from safereply.services.actor import Actor
from safereply.services.audit import record_many
from safereply.services.inbox_common import MAX_POST_CHARS, MAX_REPLY_CHARS, InboxContext
from safereply.services.notify import enqueue
from safereply.store.models import (
    Draft,
    Location,
    Post,
    PostTopic,
    PracticeSettings,
    PublishedReply,
    TriageRecord,
)
from safereply.store.rows import get_row
from safereply.urls import http_url

__all__ = ["BACKLOG_AFTER", "BACKLOG_DUE", "Arrival", "IngestOutcome", "NewPost", "due_time"]

log = logging.getLogger("safereply.inbox")

# The tables themselves: an arriving batch is written with one multi-row statement per table
# (Core), not one ORM object per row (mapped classes declare a FromClause; these are tables).
_POSTS = cast(Table, Post.__table__)
_TOPICS = cast(Table, PostTopic.__table__)
_TRIAGE = cast(Table, TriageRecord.__table__)
_DRAFTS = cast(Table, Draft.__table__)
_REPLIES = cast(Table, PublishedReply.__table__)

#: A post written more than this long before it arrives is backlog (see the module docstring).
BACKLOG_AFTER = dt.timedelta(days=30)
#: How long after its arrival a backlog post is due.
BACKLOG_DUE = dt.timedelta(days=14)
#: How such a reply is recorded (``published_replies.method``; its version is ``manual``, as
#: the owner wrote it by hand, with ``imported`` in its report).
IMPORTED = "import"


@dataclass(slots=True)
class NewPost:
    """A post arriving in the inbox (from an import, the API or a connector)."""

    platform: str
    external_id: str
    text: str
    author: str | None = None
    rating: float | None = None
    url: str | None = None
    posted_at: dt.datetime | None = None
    thread: str | None = None
    location: str | None = None
    line: int | None = None  # where it came from in an import file, for error reports
    # The triage object (``safereply triage`` JSON) when it was computed already, for example by
    # the parallel import; otherwise the inbox triages the post itself.
    triaged: dict[str, Any] | None = None
    # The reply the post already has on its platform (an import of a history export) and when
    # it was given: the post then arrives answered (see the module docstring).
    reply: str | None = None
    replied_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What happened to one arriving post: ``created``, ``duplicate`` or ``rejected``."""

    status: str
    post_id: int | None = None
    line: int | None = None
    reason: str | None = None
    escalated: bool = False
    answered: bool = False
    backlog: bool = False  # open, written long before it arrived: due later (module docstring)


def _post_key(post: NewPost) -> tuple[str, str]:
    return ((post.platform or "").strip().lower(), str(post.external_id or "").strip())


@dataclass(slots=True)
class _Rows:
    """A new post's rows (plain values, one statement per table writes a batch of them)."""

    post: dict[str, Any]
    topics: list[dict[str, Any]]
    triage: dict[str, Any]
    id: int | None = field(default=None)
    # The reply it arrived with: its text and time (``NewPost.reply``), or None.
    reply: tuple[str, dt.datetime] | None = field(default=None)
    # Open and written long before it arrived: due later (see the module docstring).
    backlog: bool = field(default=False)


def _row_key(row: _Rows) -> tuple[str, str]:
    return (row.post["platform"], row.post["external_id"])


@dataclass(frozen=True, slots=True)
class _Practice:
    """What arrival needs to know about the practice, read before triage (plain values)."""

    sla_minutes: int
    urgent_sla_minutes: int
    locations: dict[str, int]


def _validate(item: NewPost, locations: dict[str, int]) -> tuple[str, str, int | None]:
    """Return the post's platform, external id and location id, or raise why it is unusable."""
    platform = (item.platform or "").strip().lower()
    if not platform or len(platform) > 40:
        raise InputError("platform is missing or longer than 40 characters")
    external_id = str(item.external_id or "").strip()
    if not external_id or len(external_id) > 200:
        raise InputError("external id is missing or longer than 200 characters")
    text = item.text
    if not isinstance(text, str) or not text.strip():
        raise InputError("the post has no text")
    if len(text) > MAX_POST_CHARS:
        raise InputError(f"the post is {len(text):,} characters; the limit is {MAX_POST_CHARS:,}")
    rating = item.rating
    if rating is not None and not (isinstance(rating, int | float) and 0 <= rating <= 10):
        raise InputError(f"rating {rating!r} is not a number from 0 to 10")
    if item.posted_at is not None and item.posted_at.tzinfo is None:
        raise InputError("posted_at needs a time zone")
    _validate_reply(item)
    location_id = None
    if item.location:
        location_id = locations.get(item.location.strip().casefold())
        if location_id is None:
            known = ", ".join(sorted(locations)) or "none defined"
            raise InputError(f"unknown location {item.location!r} (known: {known})")
    return platform, external_id, location_id


def _validate_reply(item: NewPost) -> None:
    """Raise why the reply a post arrives with is unusable (checked only with a reply)."""
    if item.reply is None:
        return
    if not isinstance(item.reply, str) or not item.reply.strip():
        raise InputError("the reply is empty")
    if len(item.reply) > MAX_REPLY_CHARS:
        raise InputError(
            f"the reply is {len(item.reply):,} characters; the limit is {MAX_REPLY_CHARS:,}"
        )
    if item.replied_at is not None and item.replied_at.tzinfo is None:
        raise InputError("the reply's time needs a time zone")


def _reply_time(item: NewPost, now: dt.datetime) -> dt.datetime:
    """Return when the reply a post arrives with was given.

    Its own time when the export has one; otherwise the post's (the earliest it can have been
    written), else a second before the arrival. Either way it is before the arrival, so the
    insights count the post answered and leave the reply out of the team's time to reply,
    instead of counting 0 hours.

    Raises:
        InputError: the reply's time is later than now (a reply from the future).
    """
    if item.replied_at is not None:
        if item.replied_at > now:
            raise InputError(
                f"the reply's date {item.replied_at.isoformat()} is later than now; "
                "an import brings replies already given"
            )
        return item.replied_at
    if item.posted_at is not None and item.posted_at < now:
        return item.posted_at
    return now - dt.timedelta(seconds=1)


def _trimmed(value: str | None, limit: int) -> str | None:
    return (value or None) and str(value).strip()[:limit]


def _triage_rows(
    triaged: dict[str, Any], practice_id: int, now: dt.datetime
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Return the post's topic rows and its triage record from the triage object."""
    kind, priority = str(triaged["kind"]), str(triaged["priority"])
    topics = [str(t) for t in triaged.get("topics", ()) if str(t) in TOPICS]
    polarity = {
        a.get("topic"): a.get("polarity")
        for a in triaged.get("aspects") or ()
        if isinstance(a, dict)
    }
    topic_rows = [
        {"topic": t, "practice_id": practice_id, "polarity": polarity.get(t)}
        for t in dict.fromkeys(topics)
    ]
    record_ = {
        "kind": kind,
        "sentiment": float(triaged.get("sentiment", 0.0)),
        "discloses_health": bool(triaged.get("discloses_health", False)),
        "priority": priority,
        "topics": topics,
        "reasons": [str(r) for r in triaged.get("reasons", ())],
        "created_at": now,
    }
    return topic_rows, record_


class Arrival:
    """Taking posts in: validation, triage, due time, first state, escalation."""

    def __init__(self, ctx: InboxContext) -> None:
        self.ctx = ctx

    def receive(self, actor: Actor, practice_id: int, post: NewPost) -> IngestOutcome:
        """Take in one post; raise InputError (saying why) when it cannot be used."""
        outcome = self.receive_many(actor, practice_id, [post])[0]
        if outcome.status == "rejected":
            raise InputError(outcome.reason or "the post was rejected")
        return outcome

    def _practice(self, actor: Actor, practice_id: int, posts: Sequence[NewPost]):
        """Check the role and read the settings, locations and already-known keys."""
        with self.ctx.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            conf = get_row(session, PracticeSettings, practice_id)
            locations = {
                loc.name.casefold(): loc.id
                for loc in session.scalars(
                    select(Location).where(Location.practice_id == practice_id)
                )
            }
            seen = _existing_keys(session, practice_id, {_post_key(p) for p in posts})
            return _Practice(conf.sla_minutes, conf.urgent_sla_minutes, locations), seen

    def receive_many(
        self, actor: Actor, practice_id: int, posts: Sequence[NewPost]
    ) -> list[IngestOutcome]:
        """Take in a batch of posts; one outcome per post, in order.

        Idempotent by (platform, external id) within the practice: a post already in the inbox
        (or earlier in the same batch) is reported as ``duplicate`` and left alone. Triage runs
        before the write transaction opens, so the database is locked only for the inserts.
        """
        now = self.ctx.clock()
        outcomes: list[IngestOutcome | None] = [None] * len(posts)
        practice, seen = self._practice(actor, practice_id, posts)
        pending: list[tuple[int, _Rows]] = []
        for index, item in enumerate(posts):
            key = _post_key(item)
            if key in seen:  # known already: no need to triage it again
                outcomes[index] = IngestOutcome("duplicate", post_id=seen[key], line=item.line)
                continue
            try:
                row = self._build_post(item, practice_id, practice, now)
            except InputError as exc:
                outcomes[index] = IngestOutcome("rejected", line=item.line, reason=str(exc))
                continue
            seen[key] = 0  # later rows with the same key are duplicates of this one
            pending.append((index, row))
        escalated = self._store(actor, practice_id, pending, posts, outcomes, now)
        # Duplicates of a post created earlier in this batch point at its id.
        by_key = {_row_key(r): r.id for _, r in pending if r.id is not None}
        for index, outcome in enumerate(outcomes):
            if outcome is not None and outcome.status == "duplicate" and not outcome.post_id:
                outcomes[index] = IngestOutcome(
                    "duplicate", post_id=by_key.get(_post_key(posts[index])), line=outcome.line
                )
        if escalated and self.ctx.notifier is not None:
            self.ctx.notifier.dispatch()
        return [o for o in outcomes if o is not None]

    def _store(
        self,
        actor: Actor,
        practice_id: int,
        pending: list[tuple[int, _Rows]],
        posts: Sequence[NewPost],
        outcomes: list[IngestOutcome | None],
        now: dt.datetime,
    ) -> bool:
        """Insert the new rows with their audit entries, one statement per table; return True
        if any was escalated."""
        with self.ctx.store.write() as session:
            require_role(session, actor, practice_id, "staff")
            # Posts another import added while this batch was being triaged.
            landed = _existing_keys(session, practice_id, {_row_key(r) for _, r in pending})
            fresh = []
            for index, row in pending:
                if _row_key(row) in landed:
                    outcomes[index] = IngestOutcome(
                        "duplicate", post_id=landed[_row_key(row)], line=posts[index].line
                    )
                else:
                    fresh.append((index, row))
            stored = _insert(session, practice_id, fresh, posts, outcomes)
            _insert_children(session, [row for _, row in stored])
            record_many(
                session,
                actor,
                "post.receive",
                [_receive_entry(row) for _, row in stored],
                practice_id=practice_id,
                at=now,
            )
            escalated = [row for _, row in stored if row.post["state"] == "escalated"]
            for row in escalated:  # rare: each is read back whole for its notifications
                enqueue(
                    session,
                    get_row(session, Post, row.id),
                    "escalated",
                    base_url=self.ctx.base_url,
                    at=now,
                )
                log.warning("post %s escalated on arrival (%s)", row.id, row.post["kind"])
            for index, row in stored:
                outcomes[index] = IngestOutcome(
                    "created",
                    post_id=row.id,
                    line=posts[index].line,
                    escalated=row.post["state"] == "escalated",
                    answered=row.reply is not None,
                    backlog=row.backlog,
                )
        return bool(escalated)

    def _build_post(
        self, item: NewPost, practice_id: int, practice: _Practice, now: dt.datetime
    ) -> _Rows:
        """Return the new post's rows, triaged, with its due time and first state."""
        platform, external_id, location_id = _validate(item, practice.locations)
        url = http_url(_trimmed(item.url, 1000))  # shown as a link: http(s) only
        triaged = item.triaged
        if triaged is None:
            triaged = self.ctx.analysers.triage(
                item.text, platform=platform, rating=item.rating
            ).to_dict(None)
        kind, priority = str(triaged["kind"]), str(triaged["priority"])
        urgent = kind in URGENT_KINDS or priority == "urgent"
        minutes = practice.urgent_sla_minutes if urgent else practice.sla_minutes
        due, backlog = due_time(now, minutes, item.posted_at, urgent=urgent)
        # The first state comes from the table (its ``receive`` row), like every other move,
        # answered for a post whose reply is already out (see the module docstring).
        answered = item.reply is not None
        _, state = decide(
            "receive",
            Facts(state=START, kind=kind, role="staff", answered_on_arrival=answered),
        )
        reply = (item.reply, _reply_time(item, now)) if item.reply is not None else None
        post = {
            "practice_id": practice_id,
            "location_id": location_id,
            "platform": platform,
            "external_id": external_id,
            "author": _trimmed(item.author, 200),
            "text": item.text,
            "rating": float(item.rating) if item.rating is not None else None,
            "url": url,
            "posted_at": item.posted_at,
            "thread": (item.thread or None) and str(item.thread)[:200],
            "received_at": now,
            "updated_at": now,
            "state": state,
            "kind": kind,
            "priority": priority,
            "due_at": due,
            "closed_at": now if reply is not None else None,
            "version": 1,
        }
        topics, triage = _triage_rows(triaged, practice_id, now)
        return _Rows(
            post=post, topics=topics, triage=triage, reply=reply, backlog=backlog and not answered
        )


def due_time(
    now: dt.datetime, minutes: int, written: dt.datetime | None, *, urgent: bool
) -> tuple[dt.datetime, bool]:
    """Return an arriving post's due time and whether it is backlog: written (``written``, a
    time without a zone read as UTC) more than :data:`BACKLOG_AFTER` before ``now`` and not
    urgent, it is due :data:`BACKLOG_DUE` after ``now`` (or later, if the reply time is longer);
    otherwise ``minutes`` after ``now``."""
    due = now + dt.timedelta(minutes=minutes)
    if urgent or written is None:
        return due, False
    if written.tzinfo is None:
        written = written.replace(tzinfo=dt.UTC)
    if now - written <= BACKLOG_AFTER:
        return due, False
    return max(due, now + BACKLOG_DUE), True


def _receive_entry(row: _Rows) -> dict[str, Any]:
    """Return the audit entry of one post's arrival (ids and labels, never its text)."""
    post = row.post
    detail = {"kind": post["kind"], "priority": post["priority"], "platform": post["platform"]}
    if row.reply is not None:
        detail["answered_by"] = IMPORTED  # it arrived with its reply already on the platform
    return {
        "object_type": "post",
        "object_id": row.id,
        "to_state": post["state"],
        "detail": detail,
    }


def _insert(
    session: Session,
    practice_id: int,
    fresh: list[tuple[int, _Rows]],
    posts: Sequence[NewPost],
    outcomes: list[IngestOutcome | None],
) -> list[tuple[int, _Rows]]:
    """Insert the posts in one statement; if a concurrent import wins a key, go row by row."""
    if not fresh:
        return []
    many = insert(_POSTS).returning(_POSTS.c.id, sort_by_parameter_order=True)
    try:
        with session.begin_nested():
            ids = list(session.execute(many, [row.post for _, row in fresh]).scalars())
    except IntegrityError:
        pass
    else:
        for (_, row), post_id in zip(fresh, ids, strict=True):
            row.id = post_id
        return fresh
    one = insert(_POSTS).returning(_POSTS.c.id)
    inserted = []
    for index, row in fresh:
        try:
            with session.begin_nested():
                row.id = session.execute(one, row.post).scalar_one()
        except IntegrityError:
            platform, external_id = _row_key(row)
            pid = session.scalar(
                select(Post.id).where(
                    Post.practice_id == practice_id,
                    Post.platform == platform,
                    Post.external_id == external_id,
                )
            )
            outcomes[index] = IngestOutcome("duplicate", post_id=pid, line=posts[index].line)
            continue
        inserted.append((index, row))
    return inserted


def _insert_children(session: Session, rows: list[_Rows]) -> None:
    """Insert the posts' topic rows and triage records, one statement per table."""
    topics = [{**topic, "post_id": row.id} for row in rows for topic in row.topics]
    if topics:
        session.execute(insert(_TOPICS), topics)
    if rows:
        session.execute(insert(_TRIAGE), [{**row.triage, "post_id": row.id} for row in rows])
    _insert_replies(session, rows)


def _insert_replies(session: Session, rows: list[_Rows]) -> None:
    """Record the replies posts arrived with: a version and the published reply of each.

    The version is the text as given, written by hand on the platform (``manual``); it was not
    linted here (that would slow every import of a history), so it is marked ``warn`` (a person
    should look) with no findings and ``unchecked`` in its report: ``safereply scan`` lints those
    replies with their reviews.
    """
    replies = [(row, row.reply) for row in rows if row.reply is not None]
    if not replies:
        return
    drafts = [
        {
            "post_id": row.id,
            "number": 1,
            "text": text,
            "source": "manual",
            "verdict": "warn",
            "report": {"verdict": "warn", "findings": [], "unchecked": True, "imported": True},
            "author_id": None,
            "created_at": when,
        }
        for row, (text, when) in replies
    ]
    many = insert(_DRAFTS).returning(_DRAFTS.c.id, sort_by_parameter_order=True)
    ids = list(session.execute(many, drafts).scalars())
    session.execute(
        insert(_REPLIES),
        [
            {
                "post_id": row.id,
                "practice_id": row.post["practice_id"],
                "draft_id": draft_id,
                "text": draft["text"],
                "method": IMPORTED,
                "platform": row.post["platform"],
                "url": None,  # the reply's own address is not in the export
                "published_by": None,
                "published_at": draft["created_at"],
            }
            for (row, _), draft, draft_id in zip(replies, drafts, ids, strict=True)
        ],
    )


def _existing_keys(
    session: Session, practice_id: int, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """Return the ids of the practice's posts with these (platform, external id) keys."""
    found: dict[tuple[str, str], int] = {}
    ids = sorted({k[1] for k in keys})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.execute(
            select(Post.platform, Post.external_id, Post.id).where(
                Post.practice_id == practice_id, Post.external_id.in_(chunk)
            )
        )
        for platform, external_id, pid in rows:
            found[(platform, external_id)] = pid
    return found
