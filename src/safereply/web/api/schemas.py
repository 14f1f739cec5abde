"""Request and response bodies of the JSON API (named XCreate / XUpdate / XPublic)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from safereply.core.workflow import (
    CALM_KINDS,
    DISMISS_REASONS,
    NOT_URGENT_REASONS,
    WITHDRAW_REASONS,
)
from safereply.errors import InputError
from safereply.store.models import MAX_ID
from safereply.urls import http_url

__all__ = [
    "ActionResult",
    "ApproveRequest",
    "AspectPublic",
    "CheckRequest",
    "CheckResultPublic",
    "DismissRequest",
    "DraftCreate",
    "DraftProposalPublic",
    "DraftRequest",
    "EndedPublic",
    "ErrorPublic",
    "FindingPublic",
    "ImportReportPublic",
    "ImprovementCreate",
    "ImprovementEffectPublic",
    "ImprovementPublic",
    "InvitationPublic",
    "InvitedPublic",
    "JoinedPublic",
    "LocationCreate",
    "LoginRequest",
    "MarkRepliedRequest",
    "MePublic",
    "MfaEnrolmentPublic",
    "MfaStatusPublic",
    "MyInvitationPublic",
    "OkPublic",
    "PasswordChange",
    "PolicyMemberPublic",
    "PostCreate",
    "PostPage",
    "PostReceivedPublic",
    "PostSummary",
    "PracticePublic",
    "PracticeRef",
    "RecoveryCodesPublic",
    "ReportSummaryPublic",
    "ResetRequestedPublic",
    "RoleUpdate",
    "ScheduleRequest",
    "SecurityPolicyPublic",
    "SessionPublic",
    "SettingsPublic",
    "SettingsUpdate",
    "SignedInPublic",
    "StateCountsPublic",
    "TokenCreate",
    "TokenCreated",
    "TokenPublic",
    "TriageRequest",
    "TriageResultPublic",
    "UserCreate",
    "UserPublic",
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


class WithdrawRequest(VersionedRequest):
    """Take a published reply down (issue 14, managers): the reason code goes in the audit log.

    ``by_hand``: someone already deleted it on the platform, and this records it (the manual
    path); otherwise a connected post's reply is deleted on the platform first.
    """

    reason: Literal[tuple(WITHDRAW_REASONS)]  # type: ignore[valid-type]
    by_hand: bool = False


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


class ConnectionStatePublic(BaseModel):
    """What a post's connection knows of it on the platform (issue 14): an edit there after
    the current draft, its removal, the platform's moderation of our reply (in plain words,
    with the policy reason), and a refusal that sent the reply to the manual path."""

    platform: str
    connected: bool
    needs_reauth: bool
    changed_at: str | None
    changed_since_draft: bool
    removed_at: str | None
    reply_state: str | None
    reply_state_words: str | None
    policy_reason: str | None
    manual_only: bool
    refusal: str | None
    last_error: str | None
    next_attempt_at: str | None


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
    connection: ConnectionStatePublic | None = Field(
        default=None, description="the platform's side, for a post that came by a connector"
    )
    revising: bool = Field(
        default=False, description="a new version of the reply that is out is being drafted"
    )


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
    # Of the created posts: arrived answered (the file had their reply) and open.
    answered: int
    open: int
    # Of the open ones: written more than 30 days before the import, due within 14 days.
    backlog: int
    # Lines of rows already in the inbox, still open there, that the file has a reply for.
    open_with_reply: list[int]
    # Lines of such rows closed with the file's reply (``close_answered``).
    closed_answered: list[int] = []


# -- answers of the account, practice and analysis routes (issue 13: every route documents its
# answer). Each mirrors exactly the dict its service returns today; a key the service adds only
# sometimes is a field with a None default on a route with ``response_model_exclude_unset``, so
# it stays absent when the service leaves it out (the JSON is unchanged).


class OkPublic(BaseModel):
    """The answer of an action with nothing else to report."""

    ok: bool


class EndedPublic(BaseModel):
    """How many browser sessions were ended."""

    ended: int


class UserPublic(BaseModel):
    """An account (never its password hash), with its role in each practice by practice id."""

    id: int
    email: str
    display_name: str | None
    is_active: bool
    is_superuser: bool
    roles: dict[str, str]


class SignedInPublic(BaseModel):
    """A browser signed in: the account and the CSRF token to send with every change."""

    user: UserPublic
    csrf_token: str


class MePublic(BaseModel):
    """The signed-in account and how it signed in; ``csrf_token`` for a browser session only."""

    user: UserPublic
    auth: str = Field(description="session or token")
    csrf_token: str | None = None


class TokenPublic(BaseModel):
    """An API token as its owner lists it (never its value)."""

    id: int
    name: str
    prefix: str
    scope: str
    created_at: str
    expires_at: str
    last_used_at: str | None
    revoked: bool
    expired: bool


class TokenCreated(BaseModel):
    """A new API token: ``token`` is shown this once only."""

    id: int
    name: str
    prefix: str
    scope: str
    expires_at: str | None
    token: str


class SessionPublic(BaseModel):
    """One of your signed-in browsers (never its cookie or CSRF token)."""

    id: int
    created_at: str
    last_used_at: str
    ends_at: str
    user_agent: str | None
    address: str | None
    current: bool


class MfaStatusPublic(BaseModel):
    """Whether you have a second factor, recovery codes left, and whether a practice requires
    one of you."""

    enabled: bool
    enabled_at: str | None
    recovery_codes_left: int
    required: bool


class MfaEnrolmentPublic(BaseModel):
    """The secret to put in an authenticator app (also as an ``otpauth://`` address)."""

    secret: str
    uri: str


class RecoveryCodesPublic(BaseModel):
    """Recovery codes, shown this once only."""

    recovery_codes: list[str]


class ResetRequestedPublic(BaseModel):
    """The same answer whether or not an account has the address."""

    ok: bool
    message: str


class PracticeRef(BaseModel):
    id: int
    name: str


class MyInvitationPublic(BaseModel):
    """An invitation addressed to your e-mail."""

    id: int
    practice: PracticeRef
    role: str
    expires_at: str


class JoinedPublic(BaseModel):
    """The practice you joined and your role in it now."""

    practice_id: int
    role: str


class PolicyMemberPublic(BaseModel):
    id: int
    email: str
    role: str
    mfa: bool


class SecurityPolicyPublic(BaseModel):
    """A practice's sign-in policy and which members have a second factor."""

    practice_id: int
    require_mfa: bool
    members: list[PolicyMemberPublic]


class PracticePublic(BaseModel):
    """A practice's public profile, its locations and your role in it."""

    id: int
    organisation_id: int
    name: str
    phone: str
    sign_off: str | None
    address: str | None
    website: str | None
    staff: list[str]
    locations: list[LocationPublic]
    role: str


class PostReceivedPublic(BaseModel):
    """What happened to the post: ``created`` or ``duplicate`` (of ``post_id``)."""

    status: str
    post_id: int | None
    escalated: bool


class SettingsPublic(BaseModel):
    """A practice's workflow settings; the webhook secret is never shown, only whether it is
    set."""

    approval_policy: str
    cooling_off_minutes: int
    sla_minutes: int
    urgent_sla_minutes: int
    notify_emails: list[str]
    webhook_url: str | None
    webhook_secret_set: bool
    timezone: str | None
    self_approval: bool


class ImprovementPublic(BaseModel):
    """A change the practice made on one topic, and since when."""

    id: int
    topic: str
    text: str
    since: str | None


class InvitedPublic(BaseModel):
    """The same answer whether or not an account exists for the e-mail."""

    email: str
    role: str
    status: str
    expires_at: str


class InvitationPublic(BaseModel):
    """A pending invitation of the practice."""

    id: int
    email: str
    role: str
    created_at: str
    expires_at: str


class ImprovementEffectPublic(ImprovementPublic):
    """An improvement with the posts on its topic 90 days before and after it (when it has a
    date)."""

    posts_90_days_before: int | None = None
    posts_90_days_after: int | None = None


class ReportSummaryPublic(BaseModel):
    """Counts by kind and state, topics per month and location, reply times, improvements."""

    practice_id: int
    posts: int
    by_kind: dict[str, int]
    by_state: dict[str, int]
    topics_by_month: dict[str, dict[str, int]]
    topics_by_location: dict[str, dict[str, int]]
    replied: int
    median_hours_to_reply: float | None
    improvements: list[ImprovementEffectPublic]


#: The caller's own id, echoed back as it came.
EchoedId = str | int | float | None


class FindingPublic(BaseModel):
    """One rule's hit: the rule, where in the reply, and what to do (``suggestion`` when the
    rule has one)."""

    code: str
    name: str
    category: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str | None = None


class CheckResultPublic(BaseModel):
    """The ``safereply check`` output object."""

    id: EchoedId
    verdict: str
    findings: list[FindingPublic]


class AspectPublic(BaseModel):
    topic: str
    polarity: str
    evidence: list[int]


class TriageResultPublic(BaseModel):
    """The ``safereply triage`` output object (``language`` only when not English)."""

    id: EchoedId
    kind: str
    topics: list[str]
    sentiment: float
    discloses_health: bool
    priority: str
    reasons: list[str]
    aspects: list[AspectPublic]
    language: str | None = None


class DraftProposalPublic(BaseModel):
    """The ``safereply draft`` output object (``reason`` and the cited improvements only when
    there are any)."""

    id: EchoedId
    reply: str
    verdict: str
    kind: str
    topics: list[str]
    reason: str | None = None
    cited_improvement: str | None = None
    cited_improvements: list[str] | None = None
    source: str
