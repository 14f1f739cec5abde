"""The tables of the inbox service (SQLAlchemy 2, declarative, typed).

An organisation (an agency or a group) runs practices; a practice has locations, platform accounts,
posts, improvements and settings; users hold a role per practice. Every post keeps its triage, every
version of its reply with that version's lint report, the approvals and the reply that was posted.
The audit log is append-only (enforced by database triggers, see the first migration) and never
holds post or reply bodies.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    orm,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates
from sqlalchemy.types import TypeDecorator

from safereply.core.workflow import OPEN_STATES, POST_STATES, ROLES
from safereply.errors import InputError
from safereply.urls import http_url

__all__ = [
    "MAX_ID",
    "OPEN_STATES",
    "POST_STATES",
    "ROLES",
    "ApiToken",
    "Approval",
    "AuditEvent",
    "Base",
    "Connection",
    "ConnectionItem",
    "Draft",
    "Improvement",
    "Invitation",
    "Location",
    "LoginThrottle",
    "Membership",
    "Notification",
    "Organisation",
    "PasswordReset",
    "PlatformAccount",
    "Post",
    "PostTopic",
    "Practice",
    "PracticeSecurity",
    "PracticeSettings",
    "PublishedReply",
    "RecoveryCode",
    "Session",
    "TriageRecord",
    "UrgencyReview",
    "User",
    "utcnow",
    "written_time",
]

# The workflow's states are written once, in its table (core/workflow.py); re-exported here.
#: The largest id (and the largest integer any column holds): PostgreSQL's ``integer``. SQLite
#: would take up to 2^63 - 1, but both databases answer alike: nothing can have a larger id.
MAX_ID = 2**31 - 1

# Constraint names are fixed so migrations can refer to them on every database.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Return the current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            # An InputError (a ValueError): callers answer it as bad input, not a crash.
            raise InputError("naive times (without a zone) are ambiguous; give the zone")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with fixed constraint names."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


def written_time(posted: dt.datetime | None, received: dt.datetime) -> dt.datetime:
    """Return when a post was written, as the insights count it: ``posted`` when the platform
    gave it and it is not after the arrival ``received``, else ``received``.

    A time without a zone is returned as it is: storing it raises the store's InputError.
    """
    if posted is None or posted.tzinfo is None or received.tzinfo is None:
        return received
    return min(posted, received)


def _written_on_insert(context: Any) -> dt.datetime | None:
    """The ``written_at`` of a post inserted without one (its column default): from the
    insert's own times, the arrival's default already applied."""
    values = context.get_current_parameters()
    received = values.get("received_at")
    return None if received is None else written_time(values.get("posted_at"), received)


class Organisation(Base):
    """An agency or group that runs one or more practices."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    practices: Mapped[list[Practice]] = relationship(back_populates="organisation")


class Practice(Base):
    """A practice: its public profile (name, phone, sign-off ...) as in the TOML file."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))
    sign_off: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    website: Mapped[str | None] = mapped_column(String(300))
    staff: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="practices")
    settings: Mapped[PracticeSettings] = relationship(
        back_populates="practice", uselist=False, cascade="all, delete-orphan"
    )
    locations: Mapped[list[Location]] = relationship(back_populates="practice")


class PracticeSettings(Base):
    """Per-practice workflow settings: approval, cooling-off, SLA and notification targets."""

    __tablename__ = "practice_settings"
    __table_args__ = (
        CheckConstraint("approval_policy IN ('complaints', 'all', 'none')", name="policy"),
        CheckConstraint("cooling_off_minutes >= 0", name="cooling_off"),
        CheckConstraint("sla_minutes > 0 AND urgent_sla_minutes > 0", name="sla"),
    )

    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    # "complaints": replies to complaints need a second person's approval (the default);
    # "all": every reply does; "none": the author may approve their own reply.
    approval_policy: Mapped[str] = mapped_column(String(20), default="complaints")
    cooling_off_minutes: Mapped[int] = mapped_column(Integer, default=60)
    sla_minutes: Mapped[int] = mapped_column(Integer, default=24 * 60)
    urgent_sla_minutes: Mapped[int] = mapped_column(Integer, default=15)
    notify_emails: Mapped[list[Any]] = mapped_column(default=list)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    # Sealed at rest (safereply.services.sealing); opened only to sign a webhook.
    webhook_secret: Mapped[str | None] = mapped_column(String(1024), info={"sealed": True})
    # IANA name (America/New_York): dates and times typed without a zone are read in it; UTC
    # when empty.
    timezone: Mapped[str | None] = mapped_column(String(64))
    # One-manager clinics: a manager may approve their own reply to a post that needs approval,
    # once the cooling-off hold has ended; the audit log records it as a self-approval.
    self_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    practice: Mapped[Practice] = relationship(back_populates="settings")


class Location(Base):
    """One site of a practice."""

    __tablename__ = "locations"
    __table_args__ = (UniqueConstraint("practice_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    practice: Mapped[Practice] = relationship(back_populates="locations")


class PlatformAccount(Base):
    """A practice's account or listing on one platform (a Google location, a Facebook page ...)."""

    __tablename__ = "platform_accounts"
    __table_args__ = (UniqueConstraint("practice_id", "platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    platform: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))

    @validates("url")
    def _check_url(self, _key: str, value: str | None) -> str | None:
        return http_url(value)


class User(Base):
    """A person who signs in. Roles are per practice (see Membership)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # An instance administrator may create practices and manage every one of them.
    is_superuser: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Multi-factor sign-in (services/mfa.py): the TOTP secret (base32, sealed), set at enrolment and
    # trusted once a first code confirms it (totp_enabled_at); the last time step accepted, so a
    # code works once.
    totp_secret: Mapped[str | None] = mapped_column(String(200), info={"sealed": True})
    totp_enabled_at: Mapped[dt.datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )


class Membership(Base):
    """A user's role in one practice."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "practice_id"),
        CheckConstraint("role IN ('staff', 'manager', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="memberships")


class Invitation(Base):
    """A practice admin's invitation of an e-mail address to a role, until its owner accepts it.

    Invitations carry the e-mail the admin typed, never a user id: whether an account exists for
    it is not the inviting practice's to know, and no account joins a practice without its owner's
    acceptance.
    """

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("practice_id", "email"),
        CheckConstraint("role IN ('staff', 'manager', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    role: Mapped[str] = mapped_column(String(20))
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]


class ApiToken(Base):
    """A token for scripts. Only its SHA-256 is stored; the token is shown once at creation."""

    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint("scope IN ('read', 'write', 'admin')", name="scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    # read, write or admin (tokens made before scopes existed keep admin, what they could do).
    scope: Mapped[str] = mapped_column(String(10), server_default="admin")
    # None for tokens made before expiry existed: they end TOKEN_LEGACY_LIFETIME after creation.
    expires_at: Mapped[dt.datetime | None]


class Session(Base):
    """A browser session. Only the SHA-256 of the cookie value is stored."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The absolute end; the idle end is last_used_at (or created_at) + the idle timeout.
    expires_at: Mapped[dt.datetime]
    last_used_at: Mapped[dt.datetime | None]
    # What the owner sees in their list of sessions (truncated, never used for decisions).
    user_agent: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(64))


class RecoveryCode(Base):
    """A single-use code that stands in for the second factor. Only its SHA-256 is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    used_at: Mapped[dt.datetime | None]


class PasswordReset(Base):
    """A password-reset link sent by e-mail: single use, short-lived, only its keyed hash stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]


class LoginThrottle(Base):
    """The sign-in limiter's state, one row per key (a source address, a source and account
    pair, an account): shared by every process over the same database, purged once stale."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(index=True)
    blocked_until: Mapped[dt.datetime | None]


class Lease(Base):
    """Who may do a piece of periodic work now (the SLA sweep ...): one row per job, taken by
    one process until ``until``, so the work runs once per interval across every process over
    the same database (issue 16). ``runs`` counts the takes: how often the work ran."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    until: Mapped[dt.datetime]
    taken_at: Mapped[dt.datetime]
    runs: Mapped[int] = mapped_column(Integer, default=0)


class RequestCounter(Base):
    """The request rate limiter's counts (issue 12): one row per key (a user's or an address's
    reads or writes), the count of the current fixed window (``bucket``: Unix time divided by
    the window) and of the one before it, for a sliding estimate. One upsert per request; rows
    whose bucket is two windows old are purged."""

    __tablename__ = "request_counter"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger, index=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    previous: Mapped[int] = mapped_column(Integer, default=0)


class PracticeSecurity(Base):
    """A practice's sign-in policy: require a second factor of its managers and admins."""

    __tablename__ = "practice_security"

    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    require_mfa: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Post(Base):
    """A review, comment or mention, and where it stands in the workflow.

    ``kind``, ``priority`` and ``due_at`` are copied from the triage so the inbox can filter and
    sort on indexed columns. ``version`` is bumped by every change: an update that read an older
    version fails instead of overwriting (optimistic locking).

    The web inbox reads two more indexes: ``ix_posts_practice_newest`` walks a practice's posts
    newest first (the closed and all views, at any page depth, without sorting them; with their
    arrival and writing times and location, the reports join replies and topics to posts by it
    alone), and ``ix_posts_practice_facets`` holds every column its filter counts group by (and
    the arrival time, which the dashboard's counts windowed on until migration 0018), so those
    counts are read from the index alone. ``ix_posts_practice_written`` serves the insights, the
    reports and the dashboard's figures: a range of months of one practice by when its posts
    were written.

    ``written_at`` is the time the insights count a post by: when the poster wrote it
    (``posted_at``), or its arrival (``received_at``) when the platform gave no time or a time
    after the arrival (a clock ahead, a date typed wrong). It is stored, not computed in each
    query, so the insights read it from an index that holds every column they group by (SQLite
    reads no generated column from an index alone; migration 0018 says more). The store writes
    it: on insert (the column's default, for the ORM and Core inserts alike) and whenever the ORM
    changes either time; a raw SQL writer or a COPY must set it too. ``received_at`` stays the
    arrival: the due time, the inbox's age and the time to reply count from it.
    """

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("practice_id", "platform", "external_id"),
        CheckConstraint(
            "state IN ({})".format(", ".join(f"'{state}'" for state in POST_STATES)),
            name="state",
        ),
        Index("ix_posts_inbox", "practice_id", "state", "due_at", "id"),
        Index("ix_posts_practice_due", "practice_id", "due_at", "id"),
        Index("ix_posts_practice_kind", "practice_id", "kind", "due_at"),
        Index("ix_posts_practice_platform", "practice_id", "platform", "due_at"),
        Index(
            "ix_posts_practice_newest",
            "practice_id",
            "id",
            "state",
            "received_at",
            "location_id",
            "written_at",
        ),
        Index(
            "ix_posts_practice_facets",
            "practice_id",
            "state",
            "kind",
            "platform",
            "location_id",
            "priority",
            "received_at",
        ),
        # Insights: a practice's posts in a range of writing times, with every column they
        # group by, the version their months' fingerprints sum, the id their topics and
        # replies join on and the arrival their times to reply count from (migrations 0004
        # and 0018).
        Index(
            "ix_posts_practice_written",
            "practice_id",
            "written_at",
            "location_id",
            "kind",
            "state",
            "rating",
            "version",
            "id",
            "received_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("platform_accounts.id"))
    platform: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    rating: Mapped[float | None] = mapped_column(Float)
    url: Mapped[str | None] = mapped_column(String(1000))
    posted_at: Mapped[dt.datetime | None]
    thread: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # When the post was written, as the insights count it (see the class docstring).
    written_at: Mapped[dt.datetime] = mapped_column(default=_written_on_insert)
    state: Mapped[str] = mapped_column(String(20), default="new")
    kind: Mapped[str] = mapped_column(String(20))
    priority: Mapped[str] = mapped_column(String(10))
    due_at: Mapped[dt.datetime]
    scheduled_for: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__: Any = {"version_id_col": version}  # noqa: RUF012 (typed as the base declares it)

    topics: Mapped[list[PostTopic]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PostTopic.topic"
    )
    triage: Mapped[TriageRecord | None] = relationship(
        uselist=False, cascade="all, delete-orphan", lazy="select"
    )
    location: Mapped[Location | None] = relationship(lazy="joined")

    @property
    def topic_names(self) -> list[str]:
        """Return the post's topics as strings."""
        return [t.topic for t in self.topics]

    @validates("url")
    def _check_url(self, _key: str, value: str | None) -> str | None:
        # Shown as the "Open post" link: http(s) only, whoever writes it (InputError otherwise).
        return http_url(value)

    @validates("posted_at", "received_at")
    def _keep_written_at(self, key: str, value: dt.datetime | None) -> dt.datetime | None:
        # A change of either time through the ORM moves the post to its month at once; a new
        # post whose arrival is not set yet gets it from the column's default on insert.
        posted = value if key == "posted_at" else self.posted_at
        received = value if key == "received_at" else self.received_at
        if received is not None:
            self.written_at = written_time(posted, received)
        return value


class PostTopic(Base):
    """One topic of a post (a table rather than a list so the inbox can filter on an index).

    ``polarity`` is the triage's per-topic aspect when it has one (``positive``, ``negative``
    or ``mixed``); empty otherwise, and the insights then judge the topic by the post's kind
    and sentiment.
    """

    __tablename__ = "post_topics"

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(30), primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    polarity: Mapped[str | None] = mapped_column(String(10))

    __table_args__ = (Index("ix_post_topics_practice_topic", "practice_id", "topic", "post_id"),)


class TriageRecord(Base):
    """The triage of a post when it arrived: the ``safereply triage`` object, kept whole."""

    __tablename__ = "triage_results"

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    sentiment: Mapped[float] = mapped_column(Float)
    discloses_health: Mapped[bool] = mapped_column(Boolean)
    priority: Mapped[str] = mapped_column(String(10))
    topics: Mapped[list[Any]] = mapped_column(default=list)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Draft(Base):
    """One version of the reply to a post, with the lint report of exactly this text.

    A draft is never edited: an edit is a new version. ``source`` says where the text came from:
    ``manual`` (typed by a person), ``suggested`` (the composer) or ``acknowledgement`` (the
    pre-checked bland acknowledgement, exempt from the cooling-off hold while unchanged).
    """

    __tablename__ = "drafts"
    __table_args__ = (
        UniqueConstraint("post_id", "number"),
        CheckConstraint("verdict IN ('pass', 'warn', 'block')", name="verdict"),
        CheckConstraint("source IN ('manual', 'suggested', 'acknowledgement')", name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="manual")
    verdict: Mapped[str] = mapped_column(String(10))
    report: Mapped[dict[str, Any]] = mapped_column(default=dict)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Approval(Base):
    """A manager's approval of one draft version (void once the draft is edited)."""

    __tablename__ = "approvals"
    __table_args__ = (UniqueConstraint("draft_id", "approver_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    warnings_acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def _practice_of_post(context: Any) -> int | None:
    """The practice of the post a published reply is inserted for (its column default)."""
    post_id = context.get_current_parameters()["post_id"]
    return context.connection.scalar(select(Post.practice_id).where(Post.id == post_id))


class PublishedReply(Base):
    """The reply that went out: exactly the text posted, who posted it, when and where.

    One per post, enforced by a unique constraint: two people acting at once can never record
    two replies.
    """

    __tablename__ = "published_replies"
    __table_args__ = (
        Index("ix_published_replies_practice", "practice_id", "post_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), unique=True)
    # The post's practice, so the reports read one practice's replies by index (issue 16).
    # Written with the reply (services/workflow.py); an insert that leaves it out gets the
    # post's from the database (scripts, tests), never NULL.
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), default=_practice_of_post)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    text: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(20))  # "manual" until connectors exist
    platform: Mapped[str] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(String(1000))
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @validates("url")
    def _check_url(self, _key: str, value: str | None) -> str | None:
        # Shown as the "see it" link: http(s) only (InputError otherwise).
        return http_url(value)


class UrgencyReview(Base):
    """A person's word on whether an escalated post is urgent (issue 15): a manager's "not
    urgent" (``urgent`` false) with a reason code and an optional note, or "mark urgent again".

    The kind before and after are kept so the move can be undone exactly; the note may name
    things about the poster, so it lives here and never in the audit log (which gets the codes).
    """

    __tablename__ = "urgency_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    urgent: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(500))
    kind_before: Mapped[str] = mapped_column(String(20))
    kind_after: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Improvement(Base):
    """A change the practice made in response to feedback on one topic (rule 5)."""

    __tablename__ = "improvements"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    topic: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(String(500))
    since: Mapped[dt.date | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """A message to practice staff (never to the poster), kept as an outbox until delivered.

    ``dedupe_key`` makes "notify once" hold across sweeps and processes (one row per post and
    reason and channel).
    """

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_pending", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    reason: Mapped[str] = mapped_column(String(30))  # escalated | overdue | ready
    channel: Mapped[str] = mapped_column(String(20))  # email | webhook
    target: Mapped[str] = mapped_column(String(500))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


class Connection(Base):
    """A practice's link to one platform account (a Google location, a Page ...) for connectors.

    ``tokens`` holds the OAuth client and tokens sealed with the key from settings
    (``services/sealing.py``): never readable from the database alone, never shown or logged.
    ``cursor`` is the connector's own resume point (JSON), saved after each stored page, so a
    restart resumes without missing or importing twice. ``scan`` counts complete scans: an item
    whose ``seen_scan`` falls behind after a complete scan was deleted on the platform.
    """

    __tablename__ = "connections"
    __table_args__ = (
        UniqueConstraint("practice_id", "platform", "external_id"),
        Index("ix_connections_due", "next_sync_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    platform: Mapped[str] = mapped_column(String(40))
    account: Mapped[str] = mapped_column(String(300))  # accounts/A, a Page id, a user id
    external_id: Mapped[str] = mapped_column(String(300))  # accounts/A/locations/B, a Page id
    name: Mapped[str] = mapped_column(String(200))
    # Sealed (services/sealing.py; "keys rotate" re-seals it); None once disconnected.
    tokens: Mapped[str | None] = mapped_column(Text, info={"sealed": True})
    token_expires_at: Mapped[dt.datetime | None]
    cursor: Mapped[dict[str, Any]] = mapped_column(default=dict)
    scan: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sync_interval: Mapped[int] = mapped_column(Integer, default=900, server_default="900")
    last_sync_at: Mapped[dt.datetime | None]
    next_sync_at: Mapped[dt.datetime | None]
    last_full_scan_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    needs_reauth: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConnectionItem(Base):
    """What a connection knows of one post on the platform, beside the inbox's own post row.

    Keeps the platform's update time (an edit re-triages the post), removal, a reply written
    outside SafeReply (``replied_elsewhere`` with its lint verdict), the platform's moderation
    state of the reply (Google: pending / approved / rejected with the policy reason) and the
    publishing job's attempts and back-off.
    """

    __tablename__ = "connection_items"
    __table_args__ = (
        UniqueConstraint("connection_id", "external_id"),
        Index("ix_connection_items_publish", "publish_next_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("connections.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), unique=True)
    external_id: Mapped[str] = mapped_column(String(200))
    remote_updated_at: Mapped[dt.datetime | None]
    seen_scan: Mapped[int] = mapped_column(Integer, default=0)
    removed_at: Mapped[dt.datetime | None]
    changed_at: Mapped[dt.datetime | None]  # the post was edited on the platform at this time
    replied_elsewhere: Mapped[bool] = mapped_column(Boolean, default=False)
    remote_reply: Mapped[str | None] = mapped_column(Text)
    remote_reply_verdict: Mapped[str | None] = mapped_column(String(10))
    remote_reply_report: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reply_state: Mapped[str | None] = mapped_column(String(20))
    policy_reason: Mapped[str | None] = mapped_column(String(500))
    publish_attempts: Mapped[int] = mapped_column(Integer, default=0)
    publish_next_at: Mapped[dt.datetime | None]
    publish_error: Mapped[str | None] = mapped_column(String(500))
    manual_only: Mapped[bool] = mapped_column(Boolean, default=False)  # the platform refused


class AuditEvent(Base):
    """One entry of the append-only audit log: who did what to which object, and when.

    Never holds post or reply bodies: ``detail`` carries identifiers, verdicts and counts only.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_practice_time", "practice_id", "created_at", "id"),
        # One object's trail (a post's history, the audit page filtered by object): without it
        # PostgreSQL read every entry of the practice, and every post read adds one (issue 16).
        Index("ix_audit_object", "practice_id", "object_type", "object_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(320))  # e-mail or "system", kept if the user goes
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[str | None] = mapped_column(String(50))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditLink(Base):
    """The hash-chain link of one audit entry (safereply.services.audit_chain), append-only.

    ``chain`` is the entry's practice (0: instance-level entries), ``seq`` its position there,
    ``hash`` the SHA-256 of the entry's canonical form with ``seq`` and ``prev_hash``.
    """

    __tablename__ = "audit_links"
    __table_args__ = (UniqueConstraint("chain", "seq"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("audit_events.id"), primary_key=True, autoincrement=False
    )
    chain: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The newest link of each audit chain; its row is the lock that keeps a chain linear."""

    __tablename__ = "audit_heads"

    chain: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[int | None] = mapped_column(Integer)  # no key: it must outlive a TRUNCATE


@event.listens_for(orm.Session, "before_flush")
def _refuse_audit_changes(session: orm.Session, _ctx: Any, _instances: Any) -> None:
    """Refuse, in the ORM, to change or delete an audit entry (the database triggers refuse too).

    Registered with the models, so every user of the store has it, not only the services.
    """
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent | AuditLink):
            raise PermissionError("the audit log is append-only")
