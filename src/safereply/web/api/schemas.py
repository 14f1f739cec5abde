"""Request and response bodies of the JSON API (named XCreate / XUpdate / XPublic)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from safereply.core.workflow import CALM_KINDS, DISMISS_REASONS, NOT_URGENT_REASONS
from safereply.errors import InputError
from safereply.store.models import MAX_ID
from safereply.urls import http_url

__all__ = [
    "ActionResult",
    "ApproveRequest",
    "CheckRequest",
    "DismissRequest",
    "DraftCreate",
    "DraftRequest",
    "ErrorPublic",
    "ImportReportPublic",
    "ImprovementCreate",
    "LocationCreate",
    "LoginRequest",
    "MarkRepliedRequest",
    "PasswordChange",
    "PostCreate",
    "PostPage",
    "PostSummary",
    "RoleUpdate",
    "ScheduleRequest",
    "SettingsUpdate",
    "StateCountsPublic",
    "TokenCreate",
    "TriageRequest",
    "UserCreate",
    "VersionedRequest",
]


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refused here as invalid input, on both databases.
    if "\x00" in value:
        raise ValueError("must not contain a NUL character (\\u0000)")
    return value


#: Text in a request body: any string without NUL characters.
Str = Annotated[str, AfterValidator(_no_nul)]


def _http(value: str | None) -> str | None:
    try:
        return http_url(value)
    except InputError as exc:
        raise ValueError(str(exc)) from None


#: A web address in a request body: http(s) only (a link on the post page), else 422.
HttpUrl = Annotated[Str, Field(max_length=1000), AfterValidator(_http)]
#: The caller's own id of a stateless request, echoed back: a string or a finite number (a list,
#: an object, NaN or Infinity is refused: 422, not a crash when it is echoed).
EchoId = (
    Annotated[str, Field(max_length=200)]
    | Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
    | Annotated[float, Field(allow_inf_nan=False)]
    | None
)
#: An id in a body: 1 to MAX_ID (PostgreSQL's integer); larger ones cannot exist (422).
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
#: An id in a path (posts, practices, users ...): out of range is 422, never a database error.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
#: An id in a query (``location_id``).
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorPublic(BaseModel):
    """The one error shape of every API path."""

    error: ErrorDetail


class LoginRequest(_Body):
    email: Str = Field(max_length=320)
    password: Str = Field(max_length=1000)


class PasswordChange(_Body):
    current_password: Str = Field(max_length=1000)
    new_password: Str = Field(min_length=10, max_length=1000)


class TokenCreate(_Body):
    name: Str = Field(default="token", max_length=100)
    password: Str = Field(max_length=1000, description="your password, asked again")
    scope: Literal["read", "write", "admin"] = Field(
        default="write",
        description="read: GET only; write: no practice configuration; admin: all your roles",
    )
    expires_in_days: int = Field(default=90, ge=1, le=365)


class UserCreate(_Body):
    email: Str = Field(max_length=320)
    password: Str = Field(min_length=10, max_length=1000)
    display_name: Str | None = Field(default=None, max_length=200)
    role: Literal["staff", "manager", "admin"] = "staff"


class RoleUpdate(_Body):
    role: Literal["staff", "manager", "admin"] | None


class SettingsUpdate(_Body):
    approval_policy: Literal["complaints", "all", "none"] | None = None
    cooling_off_minutes: int | None = Field(default=None, ge=0, le=43200)
    sla_minutes: int | None = Field(default=None, ge=1, le=43200)
    urgent_sla_minutes: int | None = Field(default=None, ge=1, le=43200)
    notify_emails: list[Str] | None = None
    webhook_url: Str | None = None
    webhook_secret: Str | None = None
    timezone: Str | None = Field(
        default=None,
        max_length=64,
        description="IANA time zone (America/New_York); dates and times typed without a zone "
        "are read in it; empty or null: UTC",
    )
    self_approval: bool | None = Field(
        default=None,
        description="one-manager clinics: a manager may approve their own reply once the "
        "cooling-off hold has ended (recorded in the audit log)",
    )


class ImprovementCreate(_Body):
    topic: Str
    text: Str = Field(min_length=1, max_length=500)
    since: dt.date | None = None


class LocationCreate(_Body):
    name: Str = Field(min_length=1, max_length=200)


class PostCreate(_Body):
    platform: Str = Field(min_length=1, max_length=40)
    external_id: Str = Field(min_length=1, max_length=200)
    text: Str = Field(min_length=1, max_length=50_000)
    author: Str | None = Field(default=None, max_length=200)
    rating: float | None = Field(default=None, ge=0, le=10)
    url: HttpUrl | None = None
    posted_at: AwareDatetime | None = None
    thread: Str | None = Field(default=None, max_length=200)
    location: Str | None = Field(default=None, max_length=200)


class VersionedRequest(_Body):
    expected_version: int | None = Field(
        default=None,
        ge=0,
        le=MAX_ID,
        description="the post's version you read; 409 if it changed since",
    )


class DraftCreate(VersionedRequest):
    text: Str = Field(min_length=1, max_length=10_000)


class ApproveRequest(VersionedRequest):
    draft_id: BodyId | None = Field(default=None, description="the draft version you read")
    acknowledge_warnings: bool = False


class ScheduleRequest(VersionedRequest):
    at: AwareDatetime


class MarkRepliedRequest(VersionedRequest):
    posted_text: Str | None = Field(default=None, max_length=10_000)
    url: HttpUrl | None = None


class DismissRequest(VersionedRequest):
    reason: Literal[DISMISS_REASONS]  # type: ignore[valid-type]


class NotUrgentRequest(VersionedRequest):
    """A manager's "not urgent" (issue 15): the reason code goes in the audit log; the note,
    required for ``other``, stays with the post and never reaches the audit log."""

    reason: Literal[tuple(NOT_URGENT_REASONS)]  # type: ignore[valid-type]
    note: Str | None = Field(default=None, max_length=500)
    kind: Literal[CALM_KINDS] = Field(  # type: ignore[valid-type]
        default="complaint", description="what the post is instead (complaint by default)"
    )


class CheckRequest(_Body):
    """The ``safereply check`` input object, plus an optional practice to check against."""

    id: EchoId = None
    reply: Str = Field(max_length=10_000)
    post: Str | None = Field(default=None, max_length=50_000)
    practice_id: BodyId | None = None


class TriageRequest(_Body):
    """The ``safereply triage`` input object."""

    id: EchoId = None
    text: Str = Field(max_length=50_000)
    platform: Str | None = Field(default=None, max_length=40)
    rating: float | None = Field(default=None, ge=0, le=10)


class DraftRequest(TriageRequest):
    """The ``safereply draft`` input object, with the practice whose profile to use."""

    practice_id: BodyId


class LocationPublic(BaseModel):
    id: int
    name: str


class PostSummary(BaseModel):
    id: int
    practice_id: int
    platform: str
    external_id: str
    author: str | None
    text: str
    rating: float | None
    url: str | None
    posted_at: str | None
    received_at: str | None
    state: str
    kind: str
    priority: str
    topics: list[str]
    location: LocationPublic | None
    due_at: str | None
    overdue: bool
    version: int


class PostPage(BaseModel):
    items: list[PostSummary]
    next_cursor: str | None


class TriagePublic(BaseModel):
    """The triage a post got on arrival (the ``safereply triage`` fields the inbox keeps)."""

    id: int
    kind: str
    topics: list[str]
    sentiment: float
    discloses_health: bool
    priority: str
    reasons: list[str]


class DraftPublic(BaseModel):
    """One version of the reply, with the lint report of exactly this text."""

    id: int
    number: int
    text: str
    source: str
    verdict: str
    report: dict[str, Any]
    author_id: int | None
    created_at: str | None


class ApprovalPublic(BaseModel):
    id: int
    draft_id: int
    approver_id: int | None
    warnings_acknowledged: bool
    created_at: str | None


class PublishedPublic(BaseModel):
    """The reply that went out, exactly as posted."""

    text: str
    method: str
    platform: str
    url: str | None
    published_by: int | None
    published_at: str | None


class UrgencyReviewPublic(BaseModel):
    """The latest "not urgent" or "urgent again" on a post (issue 15)."""

    urgent: bool
    reason: str
    note: str | None
    kind_before: str
    kind_after: str
    by: int | None
    at: str | None


class PostDetail(PostSummary):
    """A post with its triage, every reply version, approvals, the posted reply and what the
    workflow says about it now (approval needed, cooling-off, the 911 / 988 line)."""

    triage: TriagePublic | None
    drafts: list[DraftPublic]
    current_draft_id: int | None
    approvals: list[ApprovalPublic]
    published: PublishedPublic | None
    approval_required: bool
    self_approval: bool
    cooling_off_until: str | None
    help_line: str | None
    help_missing: bool
    scheduled_for: str | None
    role: str
    urgency_review: UrgencyReviewPublic | None


class AuditEntryPublic(BaseModel):
    """One audit entry: ids, states, codes and counts, never post or reply text."""

    id: int
    created_at: str
    actor: str | None
    action: str
    object_type: str
    object_id: str | None
    from_state: str | None
    to_state: str | None
    detail: dict[str, Any]


class PublishKit(BaseModel):
    """The manual path: the approved text to copy and where to paste it."""

    post_id: int
    draft_id: int
    text: str
    open_url: str | None
    platform: str
    version: int
    steps: list[str]


class StateCountsPublic(BaseModel):
    """Posts per state (every state named, zero included) and how many open posts are overdue."""

    states: dict[str, int]
    overdue: int


class ActionResult(BaseModel):
    post_id: int
    state: str
    version: int
    draft: dict[str, Any] | None = None


class RejectedRowPublic(BaseModel):
    line: int
    reason: str


class ImportReportPublic(BaseModel):
    total: int
    created: int
    duplicates: int
    escalated: int
    rejected: list[RejectedRowPublic]
