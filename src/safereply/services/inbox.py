"""The inbox workflow (DESIGN.md §4): every post waits here until it is answered well or dismissed.

States and the actions that move between them::

    new ──save draft──▶ drafted ──submit──▶ in_review ──approve──▶ approved ──schedule──▶ scheduled
     │                    ▲                    │  ▲                  │                       │
     │                    └──── any edit ──────┘  └──── any edit ────┴───────────────────────┘
     │                                                               │                       │
     │                                              mark replied (manual path) / publish     │
     │                                                               ▼                       ▼
     │                                                   marked_replied / published ◀────────┘
     ├──dismiss──▶ dismissed ──reopen──▶ new
     └──(emergency, crisis, escalate)──▶ escalated ──submit──▶ in_review ...
                                          │  ▲        └──approve──▶ approved ...
                                          └──┘ save draft: stays escalated until answered

Rules enforced here, whatever calls the service (API, web pages, command line):

* a reply whose lint verdict is ``block`` is never approved, scheduled or posted; ``warn`` needs an
  explicit acknowledgement, recorded in the audit log;
* any edit is a new draft version, linted again, and sends an approved reply back to review;
* when the practice's policy requires approval, nobody approves their own draft, except a
  manager of a practice with the ``self_approval`` setting (one-manager clinics), and only once
  the cooling-off hold has ended; the audit entry says ``self_approved``;
* a custom reply to a complaint waits out the cooling-off hold after it was first drafted; the
  pre-checked bland acknowledgement is exempt while unchanged;
* reply text is normalised on the way in (NFC, ``\n`` line endings, no trailing whitespace), and
  the exemption is decided on the normalised text, so a browser's ``\r\n`` changes nothing;
* an emergency or crisis post stays escalated while its reply is drafted, its one-click reply is
  the urgent template, and a reply to it that does not tell the poster to call 911 (emergency) or
  988 (crisis) is never sent to review, approved, scheduled or posted;
* every change checks the post's version: two people acting at once never both succeed, and the
  reply table holds at most one reply per post.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from safereply.core.compose.urgent import directs_to_help, help_line
from safereply.core.practice import Practice as Profile
from safereply.core.vocab import TOPICS, PostKind
from safereply.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDenied,
    WorkflowError,
)
from safereply.services.access import ROLE_RANK, practice_ids, require_role
from safereply.services.actor import SYSTEM, Actor
from safereply.services.audit import record
from safereply.services.notify import Notifier, enqueue
from safereply.services.practices import load_profile
from safereply.store.engine import Store
from safereply.store.models import (
    OPEN_STATES,
    POST_STATES,
    Approval,
    Draft,
    Location,
    Post,
    PostTopic,
    PracticeSettings,
    PublishedReply,
    TriageRecord,
    utcnow,
)

__all__ = [
    "DISMISS_REASONS",
    "Analysers",
    "InboxService",
    "IngestOutcome",
    "NewPost",
    "Publisher",
    "normalise_text",
]

log = logging.getLogger("safereply.inbox")

MAX_POST_CHARS = 50_000
MAX_REPLY_CHARS = 10_000
URGENT_KINDS = frozenset({PostKind.EMERGENCY.value, PostKind.CRISIS.value})
DISMISS_REASONS = ("spam", "duplicate", "answered-elsewhere", "no-reply-needed", "not-about-us")
EDITABLE_STATES = ("new", "escalated", "drafted", "in_review", "approved", "scheduled")
CLOSED_STATES = ("published", "marked_replied", "dismissed")


def _default_acknowledgement(
    practice: Profile, *, platform: str | None = None, post: str | None = None
) -> str:
    """Return the practice's bland acknowledgement (the composer's, when it is installed)."""
    try:
        from safereply.core.compose import acknowledgement
    except ImportError:
        acknowledgement = None
    if acknowledgement is not None:
        return acknowledgement(practice, platform=platform, post=post)
    # The composer is not installed: a minimal, generic acknowledgement that names nothing about
    # the poster and invites a call (it is linted like every other draft).
    sign = f" - {practice.sign_off}" if practice.sign_off else f" - {practice.name}"
    return (
        "Thank you for taking the time to share your feedback. We take every comment seriously "
        f"and would welcome the chance to talk. Please call our office at {practice.phone}."
        f"{sign}"
    )


def _default_urgent_reply(
    kind: str, practice: Profile, *, platform: str | None = None, post: str | None = None
) -> str:
    """Return the safe one-click reply to an emergency (911) or crisis (988) post."""
    from safereply.core.compose import urgent_reply

    return urgent_reply(kind, practice, platform=platform, post=post)


_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+(?=\n|$)")


def normalise_text(text: str) -> str:
    """Return reply text as it is stored and compared: NFC, ``\n`` line endings, no trailing
    whitespace on any line, no blank lines or spaces around the whole text."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _TRAILING_SPACE.sub("", text).strip()


def _lazy(name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        import safereply

        return getattr(safereply, name)(*args, **kwargs)

    call.__name__ = name
    return call


@dataclass(frozen=True, slots=True)
class Analysers:
    """The core functions the inbox uses; tests and benchmarks may pass their own.

    Attributes:
        triage: ``(text, platform=, rating=) -> TriageResult`` (with ``to_dict(id)``).
        check: ``(reply, post=, practice=) -> Report`` (with ``verdict`` and ``to_dict(id)``).
        compose: ``(text, practice=, platform=, rating=, post_id=) -> Draft`` (with ``reply``).
        acknowledgement: ``(practice, platform=, post=) -> str``, the pre-checked bland
            acknowledgement.
        urgent_reply: ``(kind, practice, platform=, post=) -> str``, the one-click reply to an
            emergency (911) or crisis (988) post, offered in place of the acknowledgement.
    """

    triage: Callable[..., Any] = field(default_factory=lambda: _lazy("triage"))
    check: Callable[..., Any] = field(default_factory=lambda: _lazy("check"))
    compose: Callable[..., Any] = field(default_factory=lambda: _lazy("draft"))
    acknowledgement: Callable[..., str] = _default_acknowledgement
    urgent_reply: Callable[..., str] = _default_urgent_reply


class Publisher(Protocol):
    """A platform connector that can post a reply itself (none exist yet: manual path)."""

    def post_reply(self, *, platform: str, external_id: str, url: str | None, text: str) -> str:
        """Post ``text`` as the reply; return the reply's address on the platform."""


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


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What happened to one arriving post: ``created``, ``duplicate`` or ``rejected``."""

    status: str
    post_id: int | None = None
    line: int | None = None
    reason: str | None = None
    escalated: bool = False


def _post_key(post: NewPost) -> tuple[str, str]:
    return ((post.platform or "").strip().lower(), str(post.external_id or "").strip())


def _row_key(row: Post) -> tuple[str, str]:
    return (row.platform, row.external_id)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _encode_cursor(due: dt.datetime, pid: int) -> str:
    return base64.urlsafe_b64encode(f"{due.isoformat()}|{pid}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        due, pid = raw.split("|")
        return dt.datetime.fromisoformat(due), int(pid)
    except (ValueError, UnicodeDecodeError):
        raise InputError("the cursor is not one this server gave out") from None


class InboxService:
    """Posts, drafts and the workflow between them."""

    def __init__(
        self,
        store: Store,
        *,
        analysers: Analysers | None = None,
        notifier: Notifier | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
        base_url: str = "http://127.0.0.1:8000",
    ) -> None:
        self.store = store
        self.analysers = analysers or Analysers()
        self.notifier = notifier
        self.clock = clock
        self.base_url = base_url

    # -- arrival --------------------------------------------------------------------------------

    def receive(self, actor: Actor, practice_id: int, post: NewPost) -> IngestOutcome:
        """Take in one post: triage it, set its due time, escalate it if urgent.

        Raises:
            InputError: the post cannot be used (the message says why).
        """
        outcome = self.receive_many(actor, practice_id, [post])[0]
        if outcome.status == "rejected":
            raise InputError(outcome.reason or "the post was rejected")
        return outcome

    def receive_many(
        self, actor: Actor, practice_id: int, posts: Sequence[NewPost]
    ) -> list[IngestOutcome]:
        """Take in a batch of posts; one outcome per post, in order.

        Idempotent by (platform, external id) within the practice: a post already in the inbox
        (or earlier in the same batch) is reported as ``duplicate`` and left alone. Triage runs
        before the write transaction opens, so the database is locked only for the inserts.
        """
        now = self.clock()
        outcomes: list[IngestOutcome | None] = [None] * len(posts)
        with self.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            conf = session.get(PracticeSettings, practice_id)
            sla = (conf.sla_minutes, conf.urgent_sla_minutes)  # plain values: the session ends
            locations = {
                loc.name.casefold(): loc.id
                for loc in session.scalars(
                    select(Location).where(Location.practice_id == practice_id)
                )
            }
            keys = {_post_key(p) for p in posts}
            seen = self._existing_keys(session, practice_id, keys)
        pending: list[tuple[int, Post]] = []
        for index, item in enumerate(posts):
            key = _post_key(item)
            if key in seen:  # known already: no need to triage it again
                outcomes[index] = IngestOutcome("duplicate", post_id=seen[key], line=item.line)
                continue
            try:
                row = self._build_post(item, practice_id, sla, locations, now)
            except InputError as exc:
                outcomes[index] = IngestOutcome("rejected", line=item.line, reason=str(exc))
                continue
            seen[key] = 0  # later rows with the same key are duplicates of this one
            pending.append((index, row))
        escalated = False
        with self.store.write() as session:
            require_role(session, actor, practice_id, "staff")
            # Posts another import added while this batch was being triaged.
            landed = self._existing_keys(session, practice_id, {_row_key(r) for _, r in pending})
            fresh = []
            for index, row in pending:
                if _row_key(row) in landed:
                    outcomes[index] = IngestOutcome(
                        "duplicate", post_id=landed[_row_key(row)], line=posts[index].line
                    )
                else:
                    fresh.append((index, row))
            inserted = self._insert(session, practice_id, fresh, posts, outcomes)
            for index, row in inserted:
                record(
                    session,
                    actor,
                    "post.receive",
                    object_type="post",
                    object_id=row.id,
                    practice_id=practice_id,
                    to_state=row.state,
                    detail={"kind": row.kind, "priority": row.priority, "platform": row.platform},
                    at=now,
                )
                if row.state == "escalated":
                    escalated = True
                    enqueue(session, row, "escalated", base_url=self.base_url, at=now)
                    log.warning("post %s escalated on arrival (%s)", row.id, row.kind)
                outcomes[index] = IngestOutcome(
                    "created",
                    post_id=row.id,
                    line=posts[index].line,
                    escalated=row.state == "escalated",
                )
        # Duplicates of a post created earlier in this batch point at its id.
        by_key = {_row_key(r): r.id for _, r in pending if r.id is not None}
        for index, outcome in enumerate(outcomes):
            if outcome is not None and outcome.status == "duplicate" and not outcome.post_id:
                outcomes[index] = IngestOutcome(
                    "duplicate", post_id=by_key.get(_post_key(posts[index])), line=outcome.line
                )
        if escalated:
            self._dispatch()
        return [o for o in outcomes if o is not None]

    @staticmethod
    def _insert(
        session: Session,
        practice_id: int,
        fresh: list[tuple[int, Post]],
        posts: Sequence[NewPost],
        outcomes: list[IngestOutcome | None],
    ) -> list[tuple[int, Post]]:
        """Insert rows in one flush; if a concurrent import wins a key, go row by row."""
        try:
            with session.begin_nested():
                session.add_all([row for _, row in fresh])
                session.flush()
            return fresh
        except IntegrityError:
            pass
        inserted = []
        for index, row in fresh:
            try:
                with session.begin_nested():
                    session.add(row)
                    session.flush()
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

    @staticmethod
    def _existing_keys(
        session: Session, practice_id: int, keys: set[tuple[str, str]]
    ) -> dict[tuple[str, str], int]:
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

    def _build_post(
        self,
        item: NewPost,
        practice_id: int,
        sla: tuple[int, int],
        locations: dict[str, int],
        now: dt.datetime,
    ) -> Post:
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
            raise InputError(
                f"the post is {len(text):,} characters; the limit is {MAX_POST_CHARS:,}"
            )
        rating = item.rating
        if rating is not None and not (isinstance(rating, int | float) and 0 <= rating <= 10):
            raise InputError(f"rating {rating!r} is not a number from 0 to 10")
        if item.posted_at is not None and item.posted_at.tzinfo is None:
            raise InputError("posted_at needs a time zone")
        location_id = None
        if item.location:
            location_id = locations.get(item.location.strip().casefold())
            if location_id is None:
                known = ", ".join(sorted(locations)) or "none defined"
                raise InputError(f"unknown location {item.location!r} (known: {known})")
        triaged = item.triaged
        if triaged is None:
            triaged = self.analysers.triage(text, platform=platform, rating=rating).to_dict(None)
        kind = str(triaged["kind"])
        priority = str(triaged["priority"])
        topics = [str(t) for t in triaged.get("topics", ()) if str(t) in TOPICS]
        urgent = kind in URGENT_KINDS or priority == "urgent"
        minutes = sla[1] if urgent else sla[0]
        row = Post(
            practice_id=practice_id,
            location_id=location_id,
            platform=platform,
            external_id=external_id,
            author=(item.author or None) and item.author.strip()[:200],
            text=text,
            rating=float(rating) if rating is not None else None,
            url=(item.url or None) and item.url.strip()[:1000],
            posted_at=item.posted_at,
            thread=(item.thread or None) and str(item.thread)[:200],
            received_at=now,
            updated_at=now,
            state="escalated" if kind in URGENT_KINDS else "new",
            kind=kind,
            priority=priority,
            due_at=now + dt.timedelta(minutes=minutes),
        )
        polarity = {
            a.get("topic"): a.get("polarity")
            for a in triaged.get("aspects") or ()
            if isinstance(a, dict)
        }
        row.topics = [
            PostTopic(topic=t, practice_id=practice_id, polarity=polarity.get(t))
            for t in dict.fromkeys(topics)
        ]
        row.triage = TriageRecord(
            kind=kind,
            sentiment=float(triaged.get("sentiment", 0.0)),
            discloses_health=bool(triaged.get("discloses_health", False)),
            priority=priority,
            topics=topics,
            reasons=[str(r) for r in triaged.get("reasons", ())],
            created_at=now,
        )
        return row

    # -- reading --------------------------------------------------------------------------------

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
        limit: int = 50,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """Return one page of a practice's inbox, soonest due first.

        Args:
            state: a state, several, or ``open`` (every state still waiting for an answer).
            overdue: True for open posts past their due time only.
            cursor: the ``next_cursor`` of the previous page.
        """
        if not 1 <= limit <= 200:
            raise InputError("limit must be between 1 and 200")
        states = self._states(state)
        now = self.clock()
        with self.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            query = select(Post).where(Post.practice_id == practice_id)
            if overdue:
                states = [s for s in (states or OPEN_STATES) if s in OPEN_STATES]
                query = query.where(Post.due_at < now)
            elif overdue is False:
                query = query.where(Post.due_at >= now)
            if states:
                query = query.where(Post.state.in_(states))
            if kind:
                query = query.where(Post.kind == kind)
            if platform:
                query = query.where(Post.platform == platform.lower())
            if location_id is not None:
                query = query.where(Post.location_id == location_id)
            if topic:
                if topic not in TOPICS:
                    raise InputError(f"unknown topic {topic!r}; use one of: {', '.join(TOPICS)}")
                query = query.where(
                    exists().where(
                        PostTopic.post_id == Post.id,
                        PostTopic.topic == topic,
                        PostTopic.practice_id == practice_id,
                    )
                )
            if cursor:
                due, pid = _decode_cursor(cursor)
                query = query.where((Post.due_at > due) | ((Post.due_at == due) & (Post.id > pid)))
            rows = session.scalars(query.order_by(Post.due_at, Post.id).limit(limit + 1)).all()
            more = len(rows) > limit
            rows = rows[:limit]
            return {
                "items": [self._post_summary(p, now) for p in rows],
                "next_cursor": _encode_cursor(rows[-1].due_at, rows[-1].id) if more else None,
            }

    @staticmethod
    def _states(state: str | Iterable[str] | None) -> list[str] | None:
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
        return out

    def _post_summary(self, p: Post, now: dt.datetime) -> dict[str, Any]:
        return {
            "id": p.id,
            "practice_id": p.practice_id,
            "platform": p.platform,
            "external_id": p.external_id,
            "author": p.author,
            "text": p.text,
            "rating": p.rating,
            "url": p.url,
            "posted_at": _iso(p.posted_at),
            "received_at": _iso(p.received_at),
            "state": p.state,
            "kind": p.kind,
            "priority": p.priority,
            "topics": p.topic_names,
            "location": {"id": p.location.id, "name": p.location.name} if p.location else None,
            "due_at": _iso(p.due_at),
            "overdue": p.state in OPEN_STATES and p.due_at < now,
            "version": p.version,
        }

    def get_post(self, actor: Actor, post_id: int) -> dict[str, Any]:
        """Return a post with its triage, every draft version, approvals and the posted reply."""
        now = self.clock()
        with self.store.read() as session:
            post, role = self._load(session, actor, post_id, "staff")
            conf = session.get(PracticeSettings, post.practice_id)
            drafts = self._drafts(session, post.id)
            approvals = session.scalars(
                select(Approval).where(Approval.post_id == post.id).order_by(Approval.id)
            ).all()
            published = session.scalar(
                select(PublishedReply).where(PublishedReply.post_id == post.id)
            )
            triage = post.triage
            out = self._post_summary(post, now)
            current = drafts[-1] if drafts else None
            hold = self._cooling_off_until(post, drafts, conf)
            out.update(
                {
                    "triage": {
                        "id": post.id,
                        "kind": triage.kind,
                        "topics": list(triage.topics),
                        "sentiment": triage.sentiment,
                        "discloses_health": triage.discloses_health,
                        "priority": triage.priority,
                        "reasons": list(triage.reasons),
                    }
                    if triage
                    else None,
                    "drafts": [self._draft_dict(d) for d in drafts],
                    "current_draft_id": current.id if current else None,
                    "approvals": [
                        {
                            "id": a.id,
                            "draft_id": a.draft_id,
                            "approver_id": a.approver_id,
                            "warnings_acknowledged": a.warnings_acknowledged,
                            "created_at": _iso(a.created_at),
                        }
                        for a in approvals
                    ],
                    "published": {
                        "text": published.text,
                        "method": published.method,
                        "platform": published.platform,
                        "url": published.url,
                        "published_by": published.published_by,
                        "published_at": _iso(published.published_at),
                    }
                    if published
                    else None,
                    "approval_required": self._approval_required(post, conf),
                    "self_approval": bool(conf.self_approval),
                    "cooling_off_until": _iso(hold) if hold and hold > now else None,
                    # The number a reply to this post must give (911 / 988), and whether the
                    # current draft fails to give it.
                    "help_line": help_line(post.kind),
                    "help_missing": current is not None
                    and not directs_to_help(current.text, post.kind),
                    "scheduled_for": _iso(post.scheduled_for),
                    "role": role,
                }
            )
            return out

    @staticmethod
    def _draft_dict(d: Draft) -> dict[str, Any]:
        return {
            "id": d.id,
            "number": d.number,
            "text": d.text,
            "source": d.source,
            "verdict": d.verdict,
            "report": d.report,
            "author_id": d.author_id,
            "created_at": _iso(d.created_at),
        }

    @staticmethod
    def _drafts(session: Session, post_id: int) -> list[Draft]:
        return list(
            session.scalars(select(Draft).where(Draft.post_id == post_id).order_by(Draft.number))
        )

    def _load(self, session: Session, actor: Actor, post_id: int, minimum: str) -> tuple[Post, str]:
        post = session.get(Post, post_id)
        if post is None:
            raise NotFoundError("no such post")
        try:
            role = require_role(session, actor, post.practice_id, minimum)
        except NotFoundError:
            raise NotFoundError("no such post") from None
        return post, role

    # -- workflow helpers -----------------------------------------------------------------------

    @staticmethod
    def _approval_required(post: Post, conf: PracticeSettings) -> bool:
        if conf.approval_policy == "all":
            return True
        if conf.approval_policy == "none":
            return False
        return post.kind == PostKind.COMPLAINT.value

    @staticmethod
    def _cooling_off_until(
        post: Post, drafts: Sequence[Draft], conf: PracticeSettings
    ) -> dt.datetime | None:
        """Return when a custom reply to a complaint may go out (None: no hold applies)."""
        if post.kind != PostKind.COMPLAINT.value or not drafts:
            return None
        # Decided on the normalised text: a version equal to an acknowledgement is one, however
        # it was saved (older rows may hold a browser's \r\n line endings).
        bland = {normalise_text(d.text) for d in drafts if d.source == "acknowledgement"}

        def is_bland(d: Draft) -> bool:
            return d.source == "acknowledgement" or normalise_text(d.text) in bland

        if is_bland(drafts[-1]):
            return None  # the pre-checked bland acknowledgement is exempt (rule 1 over rule 2)
        custom = [d for d in drafts if not is_bland(d)]
        return custom[0].created_at + dt.timedelta(minutes=conf.cooling_off_minutes)

    @staticmethod
    def _open_state(post: Post) -> str:
        """Return the state a post waits in while its reply is written: an emergency, a crisis or
        a post someone escalated stays escalated until it is answered."""
        if post.kind in URGENT_KINDS or post.state == "escalated":
            return "escalated"
        return "drafted"

    @staticmethod
    def _require_help_line(post: Post, draft: Draft, doing: str) -> None:
        """Refuse a reply to an emergency or crisis post that does not give 911 / 988."""
        if directs_to_help(draft.text, post.kind):
            return
        number = help_line(post.kind)
        how = "call or text 988" if number == "988" else f"call {number}"
        raise WorkflowError(
            f"cannot {doing} this reply: a reply to a {post.kind} post must tell the poster to "
            f"{how}; use the safe {post.kind} reply or add it"
        )

    def _mutate(
        self,
        actor: Actor,
        post_id: int,
        minimum: str,
        expected_version: int | None,
        change: Callable[[Session, Post, PracticeSettings, dt.datetime], Any],
    ) -> Any:
        """Run one workflow change on a post in its own transaction, with the version check."""
        try:
            with self.store.write() as session:
                post, _ = self._load(session, actor, post_id, minimum)
                if expected_version is not None and post.version != expected_version:
                    raise ConflictError(
                        f"post {post_id} changed since you loaded it (version {expected_version}, "
                        f"now {post.version}); reload it and try again"
                    )
                conf = session.get(PracticeSettings, post.practice_id)
                now = self.clock()
                before = post.state
                result = change(session, post, conf, now)
                post.updated_at = now
                if post.state != before and post.state in CLOSED_STATES:
                    post.closed_at = now
                session.flush()
        except StaleDataError:
            raise ConflictError(
                f"post {post_id} was changed by someone else at the same time; reload it"
            ) from None
        except IntegrityError:
            raise ConflictError(
                f"post {post_id} was changed by someone else at the same time; reload it"
            ) from None
        return result

    def _transition(
        self,
        session: Session,
        actor: Actor,
        post: Post,
        to_state: str,
        action: str,
        now: dt.datetime,
        detail: dict[str, Any] | None = None,
    ) -> None:
        record(
            session,
            actor,
            action,
            object_type="post",
            object_id=post.id,
            practice_id=post.practice_id,
            from_state=post.state,
            to_state=to_state,
            detail=detail,
            at=now,
        )
        post.state = to_state

    def _require_state(self, post: Post, allowed: Iterable[str], doing: str) -> None:
        if post.state not in allowed:
            raise WorkflowError(f"cannot {doing} a post that is {post.state.replace('_', ' ')}")

    # -- drafting -------------------------------------------------------------------------------

    def save_draft(
        self,
        actor: Actor,
        post_id: int,
        text: str,
        *,
        expected_version: int | None = None,
        source: str = "manual",
        composer: str | None = None,
    ) -> dict[str, Any]:
        """Save a new draft version: lint it, and send an approved reply back to review.

        Returns:
            The new draft (with its lint report) and the post's new state and version.
        """
        if not isinstance(text, str) or not text.strip():
            raise InputError("the reply is empty")
        text = normalise_text(text)
        if len(text) > MAX_REPLY_CHARS:
            raise InputError(
                f"the reply is {len(text):,} characters; the limit is {MAX_REPLY_CHARS:,}"
            )

        def change(session: Session, post: Post, conf: PracticeSettings, now: dt.datetime):
            self._require_state(post, EDITABLE_STATES, "edit the reply to")
            profile = load_profile(session, post.practice_id)
            kind = source
            if source == "manual" and self._is_acknowledgement(session, post, profile, text):
                kind = "acknowledgement"  # the same text, saved from the editor: still exempt
            report = self.analysers.check(text, post=post.text, practice=profile)
            number = (
                session.scalar(select(func.max(Draft.number)).where(Draft.post_id == post.id)) or 0
            ) + 1
            draft = Draft(
                post_id=post.id,
                number=number,
                text=text,
                source=kind,
                verdict=str(report.verdict),
                report=report.to_dict(number),
                author_id=actor.user_id,
                created_at=now,
            )
            session.add(draft)
            session.flush()
            if post.state in ("new", "escalated", "drafted"):
                to_state = self._open_state(post)
            else:
                to_state = "in_review"
            detail = {
                "draft": draft.id,
                "number": number,
                "source": kind,
                "verdict": draft.verdict,
                "codes": sorted({f["code"] for f in draft.report.get("findings", [])}),
            }
            if composer:  # who wrote a suggestion: "template", "llm", "llm-fixed" ...
                detail["composer"] = composer
            self._transition(session, actor, post, to_state, "draft.save", now, detail)
            post.scheduled_for = None
            return draft

        draft = self._mutate(actor, post_id, "staff", expected_version, change)
        return self._after(post_id, draft=self._draft_dict(draft))

    def _bland_reply(self, profile: Profile, post: Post) -> str:
        """Return the one-click safe reply for a post: the urgent template for an emergency or
        crisis, the pre-checked acknowledgement otherwise."""
        if post.kind in URGENT_KINDS:
            return self.analysers.urgent_reply(
                post.kind, profile, platform=post.platform, post=post.text
            )
        return self.analysers.acknowledgement(profile, platform=post.platform, post=post.text)

    def _is_acknowledgement(
        self, session: Session, post: Post, profile: Profile, text: str
    ) -> bool:
        """Return True when normalised ``text`` is the post's one-click safe reply."""
        earlier = session.scalars(
            select(Draft.text).where(Draft.post_id == post.id, Draft.source == "acknowledgement")
        )
        if any(normalise_text(t) == text for t in earlier):
            return True
        return normalise_text(self._bland_reply(profile, post)) == text

    def suggest(self, actor: Actor, post_id: int, *, expected_version: int | None = None):
        """Save the composer's suggested reply as a new draft version."""
        with self.store.read() as session:
            post, _ = self._load(session, actor, post_id, "staff")
            profile = load_profile(session, post.practice_id)
            text, platform, rating = post.text, post.platform, post.rating
        proposal = self.analysers.compose(
            text, practice=profile, platform=platform, rating=rating, post_id=str(post_id)
        )
        return self.save_draft(
            actor,
            post_id,
            proposal.reply,
            expected_version=expected_version,
            source="suggested",
            composer=getattr(proposal, "source", None),
        )

    def acknowledge(self, actor: Actor, post_id: int, *, expected_version: int | None = None):
        """Save the one-click safe reply as a new draft: the pre-checked bland acknowledgement
        (exempt from cooling-off), or for an emergency or crisis post the urgent template that
        directs the poster to 911 or 988."""
        with self.store.read() as session:
            post, _ = self._load(session, actor, post_id, "staff")
            profile = load_profile(session, post.practice_id)
            text = self._bland_reply(profile, post)
        return self.save_draft(
            actor, post_id, text, expected_version=expected_version, source="acknowledgement"
        )

    def _after(self, post_id: int, **extra: Any) -> dict[str, Any]:
        with self.store.read() as session:
            post = session.get(Post, post_id)
            return {"post_id": post_id, "state": post.state, "version": post.version, **extra}

    # -- review ---------------------------------------------------------------------------------

    def submit(self, actor: Actor, post_id: int, *, expected_version: int | None = None):
        """Send the current draft to review."""

        def change(session: Session, post: Post, conf: PracticeSettings, now: dt.datetime):
            self._require_state(post, ("drafted", "escalated"), "submit")
            drafts = self._drafts(session, post.id)
            if not drafts:
                raise WorkflowError("there is no reply to send for review yet")
            current = drafts[-1]
            if current.verdict == "block":
                raise WorkflowError("the reply is blocked by the linter; fix it before review")
            self._require_help_line(post, current, "send for review")
            self._transition(
                session, actor, post, "in_review", "draft.submit", now, {"draft": current.id}
            )

        self._mutate(actor, post_id, "staff", expected_version, change)
        return self._after(post_id)

    def approve(
        self,
        actor: Actor,
        post_id: int,
        *,
        draft_id: int | None = None,
        acknowledge_warnings: bool = False,
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Approve the current draft.

        Args:
            draft_id: the version the approver read; refused if it is no longer the current one.
            acknowledge_warnings: required when the verdict is ``warn``; recorded in the audit log.

        Raises:
            WorkflowError: blocked reply, unacknowledged warnings, stale draft or wrong state.
            PermissionDenied: approval is required and the actor wrote the draft or is not a
                manager.
        """

        def change(session: Session, post: Post, conf: PracticeSettings, now: dt.datetime):
            self._require_state(post, ("drafted", "in_review", "escalated"), "approve")
            drafts = self._drafts(session, post.id)
            if not drafts:
                raise WorkflowError("there is no reply to approve yet")
            current = drafts[-1]
            if draft_id is not None and draft_id != current.id:
                raise ConflictError("the reply was edited after you read it; read it again")
            if current.verdict == "block":
                raise WorkflowError("a reply the linter blocks can never be approved")
            self._require_help_line(post, current, "approve")
            if current.verdict == "warn" and not acknowledge_warnings:
                raise WorkflowError(
                    "the reply has warnings: read them and approve with acknowledge_warnings"
                )
            required = self._approval_required(post, conf)
            self_approved = False
            if required:
                role = require_role(session, actor, post.practice_id, "staff")
                if ROLE_RANK[role] < ROLE_RANK["manager"]:
                    raise PermissionDenied("approving this reply needs a manager")
                if current.author_id is not None and current.author_id == actor.user_id:
                    if not conf.self_approval:
                        raise PermissionDenied(
                            "you wrote this version; someone else must approve it"
                        )
                    # One-manager clinics approve their own reply, never before the hold ends.
                    hold = self._cooling_off_until(post, drafts, conf)
                    if hold is not None and hold > now:
                        raise WorkflowError(
                            "you wrote this version: you may approve it yourself when the "
                            "cooling-off hold ends"
                        )
                    self_approved = True
            session.add(
                Approval(
                    post_id=post.id,
                    draft_id=current.id,
                    approver_id=actor.user_id,
                    warnings_acknowledged=current.verdict == "warn",
                    created_at=now,
                )
            )
            detail = {
                "draft": current.id,
                "verdict": current.verdict,
                "approval_required": required,
            }
            if self_approved:
                detail["self_approved"] = True
            if current.verdict == "warn":
                detail["warnings_acknowledged"] = True
                detail["codes"] = sorted({f["code"] for f in current.report.get("findings", [])})
            self._transition(session, actor, post, "approved", "draft.approve", now, detail)

        self._mutate(actor, post_id, "staff", expected_version, change)
        return self._after(post_id)

    def reject(
        self,
        actor: Actor,
        post_id: int,
        *,
        note_code: str = "changes-requested",
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Send a reply in review back to its author for changes (managers)."""

        def change(session: Session, post: Post, conf: PracticeSettings, now: dt.datetime):
            self._require_state(post, ("in_review", "approved", "scheduled"), "send back")
            post.scheduled_for = None
            self._transition(
                session,
                actor,
                post,
                self._open_state(post),
                "draft.reject",
                now,
                {"reason": note_code[:50]},
            )

        self._mutate(actor, post_id, "manager", expected_version, change)
        return self._after(post_id)

    # -- publishing -----------------------------------------------------------------------------

    def _ready_draft(
        self, session: Session, post: Post, conf: PracticeSettings, now: dt.datetime
    ) -> Draft:
        """Return the approved current draft if it may go out now, else say why not."""
        drafts = self._drafts(session, post.id)
        current = drafts[-1]
        approved = session.scalar(
            select(Approval.id).where(Approval.draft_id == current.id).limit(1)
        )
        if approved is None:
            raise WorkflowError("the current reply has not been approved")
        # Lint again at the last moment: the rules may have changed since approval.
        profile = load_profile(session, post.practice_id)
        report = self.analysers.check(current.text, post=post.text, practice=profile)
        if str(report.verdict) == "block" or current.verdict == "block":
            raise WorkflowError("a reply the linter blocks can never be posted")
        self._require_help_line(post, current, "post")
        hold = self._cooling_off_until(post, drafts, conf)
        if hold is not None and now < hold:
            raise WorkflowError(
                f"cooling-off: this reply to a complaint may go out from {hold.isoformat()} "
                "(a calm reply later beats a hasty one now); the bland acknowledgement is exempt"
            )
        if post.state == "scheduled" and post.scheduled_for and now < post.scheduled_for:
            raise WorkflowError(f"this reply is scheduled for {post.scheduled_for.isoformat()}")
        return current

    def schedule(
        self, actor: Actor, post_id: int, at: dt.datetime, *, expected_version: int | None = None
    ) -> dict[str, Any]:
        """Hold an approved reply until ``at`` (not before its cooling-off ends)."""
        if at.tzinfo is None:
            raise InputError("the scheduled time needs a time zone")

        def change(session: Session, post: Post, conf: PracticeSettings, now: dt.datetime):
            self._require_state(post, ("approved", "scheduled"), "schedule")
            drafts = self._drafts(session, post.id)
            if drafts[-1].verdict == "block":
                raise WorkflowError("a reply the linter blocks can never be scheduled")
            self._require_help_line(post, drafts[-1], "schedule")
            hold = self._cooling_off_until(post, drafts, conf)
            if hold is not None and at < hold:
                raise WorkflowError(f"cooling-off: schedule it for {hold.isoformat()} or later")
            post.scheduled_for = at
            self._transition(
                session, actor, post, "scheduled", "reply.schedule", now, {"at": at.isoformat()}
            )

        self._mutate(actor, post_id, "staff", expected_version, change)
        return self._after(post_id)

    def publish_kit(self, actor: Actor, post_id: int) -> dict[str, Any]:
        """Return what the manual path needs: the approved text to copy and the post to open."""
        now = self.clock()
        with self.store.read() as session:
            post, _ = self._load(session, actor, post_id, "staff")
            conf = session.get(PracticeSettings, post.practice_id)
            self._require_state(post, ("approved", "scheduled"), "post the reply to")
            current = self._ready_draft(session, post, conf, now)
            return {
                "post_id": post.id,
                "draft_id": current.id,
                "text": current.text,
                "open_url": post.url,
                "platform": post.platform,
                "version": post.version,
                "steps": [
                    "Copy the reply.",
                    f"Open the post on {post.platform}" + (f": {post.url}" if post.url else "."),
                    "Paste the reply exactly as approved and post it.",
                    "Come back and mark the post replied.",
                ],
            }

    def mark_replied(
        self,
        actor: Actor,
        post_id: int,
        *,
        posted_text: str | None = None,
        url: str | None = None,
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Finish the manual path: record that the approved reply was posted, exactly as approved.

        Args:
            posted_text: what was pasted, if the caller knows; it must be the approved text
                (whitespace aside). A different text must go back through drafting and review.
            url: the reply's address on the platform, when known.
        """

        def change(session: Session, post: Post, conf: PracticeSettings, now: dt.datetime):
            self._require_state(post, ("approved", "scheduled"), "mark replied")
            current = self._ready_draft(session, post, conf, now)
            if posted_text is not None and " ".join(posted_text.split()) != " ".join(
                current.text.split()
            ):
                raise WorkflowError(
                    "what was posted differs from the approved reply; save it as a new draft "
                    "so it is checked and reviewed"
                )
            self._record_reply(session, actor, post, current, "manual", url, now)
            self._transition(
                session,
                actor,
                post,
                "marked_replied",
                "reply.mark_replied",
                now,
                {"draft": current.id, "method": "manual"},
            )

        self._mutate(actor, post_id, "staff", expected_version, change)
        return self._after(post_id)

    def publish(
        self,
        actor: Actor,
        post_id: int,
        publisher: Publisher,
        *,
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Post the approved reply through a platform connector and record it."""

        def change(session: Session, post: Post, conf: PracticeSettings, now: dt.datetime):
            self._require_state(post, ("approved", "scheduled"), "publish")
            current = self._ready_draft(session, post, conf, now)
            # Claim the reply slot before calling out, so a concurrent attempt fails first.
            reply = self._record_reply(session, actor, post, current, "connector", None, now)
            session.flush()
            reply.url = publisher.post_reply(
                platform=post.platform,
                external_id=post.external_id,
                url=post.url,
                text=current.text,
            )
            self._transition(
                session,
                actor,
                post,
                "published",
                "reply.publish",
                now,
                {"draft": current.id, "method": "connector"},
            )

        self._mutate(actor, post_id, "staff", expected_version, change)
        return self._after(post_id)

    @staticmethod
    def _record_reply(
        session: Session,
        actor: Actor,
        post: Post,
        draft: Draft,
        method: str,
        url: str | None,
        now: dt.datetime,
    ) -> PublishedReply:
        if session.scalar(select(PublishedReply.id).where(PublishedReply.post_id == post.id)):
            raise ConflictError("this post already has a reply")
        reply = PublishedReply(
            post_id=post.id,
            draft_id=draft.id,
            text=draft.text,
            method=method,
            platform=post.platform,
            url=url,
            published_by=actor.user_id,
            published_at=now,
        )
        session.add(reply)
        return reply

    # -- other moves ----------------------------------------------------------------------------

    def dismiss(
        self, actor: Actor, post_id: int, *, reason: str, expected_version: int | None = None
    ) -> dict[str, Any]:
        """Close a post without a reply; escalated posts need a manager to dismiss them."""
        if reason not in DISMISS_REASONS:
            raise InputError(f"unknown reason {reason!r}; use one of: {', '.join(DISMISS_REASONS)}")

        def change(session: Session, post: Post, conf: PracticeSettings, now: dt.datetime):
            self._require_state(post, OPEN_STATES, "dismiss")
            if post.state == "escalated" or post.kind in URGENT_KINDS:
                require_role(session, actor, post.practice_id, "manager")
            post.scheduled_for = None
            self._transition(
                session, actor, post, "dismissed", "post.dismiss", now, {"reason": reason}
            )

        self._mutate(actor, post_id, "staff", expected_version, change)
        return self._after(post_id)

    def escalate(self, actor: Actor, post_id: int, *, expected_version: int | None = None):
        """Escalate a post by hand: it becomes urgent and staff are notified at once."""

        def change(session: Session, post: Post, conf: PracticeSettings, now: dt.datetime):
            self._require_state(
                post, ("new", "drafted", "in_review", "approved", "scheduled"), "escalate"
            )
            post.priority = "urgent"
            post.due_at = min(post.due_at, now + dt.timedelta(minutes=conf.urgent_sla_minutes))
            self._transition(session, actor, post, "escalated", "post.escalate", now)
            enqueue(session, post, "escalated", base_url=self.base_url, at=now)

        self._mutate(actor, post_id, "staff", expected_version, change)
        self._dispatch()
        return self._after(post_id)

    def reopen(self, actor: Actor, post_id: int, *, expected_version: int | None = None):
        """Bring a dismissed post back into the inbox (managers)."""

        def change(session: Session, post: Post, conf: PracticeSettings, now: dt.datetime):
            self._require_state(post, ("dismissed",), "reopen")
            post.closed_at = None
            to_state = "escalated" if post.kind in URGENT_KINDS else "new"
            self._transition(session, actor, post, to_state, "post.reopen", now)

        self._mutate(actor, post_id, "manager", expected_version, change)
        return self._after(post_id)

    # -- SLA ------------------------------------------------------------------------------------

    def sweep(self, *, notify: bool = True) -> dict[str, int]:
        """Find overdue posts and scheduled replies that are due; queue and send notifications.

        Safe to run often and from several processes: each post is notified once per reason.
        """
        now = self.clock()
        counts = {"overdue": 0, "ready": 0}
        with self.store.write() as session:
            overdue = session.scalars(
                select(Post)
                .where(Post.state.in_(OPEN_STATES), Post.due_at < now)
                .order_by(Post.due_at)
                .limit(1000)
            ).all()
            for post in overdue:
                if enqueue(session, post, "overdue", base_url=self.base_url, at=now):
                    counts["overdue"] += 1
                    record(
                        session,
                        SYSTEM,
                        "post.overdue",
                        object_type="post",
                        object_id=post.id,
                        practice_id=post.practice_id,
                        from_state=post.state,
                        to_state=post.state,
                        at=now,
                    )
            ready = session.scalars(
                select(Post).where(Post.state == "scheduled", Post.scheduled_for <= now).limit(1000)
            ).all()
            for post in ready:
                if enqueue(session, post, "ready", base_url=self.base_url, at=now):
                    counts["ready"] += 1
        if notify:
            self._dispatch()
        return counts

    def overdue(self, actor: Actor, practice_id: int, *, limit: int = 200) -> list[dict[str, Any]]:
        """Return a practice's overdue posts, most overdue first."""
        return self.list_posts(actor, practice_id, overdue=True, limit=limit)["items"]

    def _dispatch(self) -> None:
        if self.notifier is not None:
            self.notifier.dispatch()

    # -- for the cross-practice views -----------------------------------------------------------

    def counts(self, actor: Actor, practice_id: int) -> dict[str, Any]:
        """Return how many posts are in each state, and how many are overdue."""
        now = self.clock()
        with self.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            by_state = dict(
                session.execute(
                    select(Post.state, func.count())
                    .where(Post.practice_id == practice_id)
                    .group_by(Post.state)
                ).all()
            )
            overdue = session.scalar(
                select(func.count()).where(
                    Post.practice_id == practice_id,
                    Post.state.in_(OPEN_STATES),
                    Post.due_at < now,
                )
            )
            return {"states": {s: by_state.get(s, 0) for s in POST_STATES}, "overdue": overdue}

    def require(self, actor: Actor, practice_id: int, minimum: str = "staff") -> str:
        """Return the actor's role in a practice, or raise NotFoundError / PermissionDenied."""
        with self.store.read() as session:
            return require_role(session, actor, practice_id, minimum)

    def visible_practices(self, actor: Actor) -> list[int] | None:
        """Return the practice ids the actor may see (None: every practice)."""
        with self.store.read() as session:
            return practice_ids(session, actor)
