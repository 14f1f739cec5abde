"""The shapes the inbox returns, typed (issue 13: types where dicts were).

They are ``TypedDict``s: at run time plain dicts, so the JSON API, the pages and their JSON twins
answer exactly as before, while a type checker and a reader know every key. The API's response
models (``web/api/schemas.py``) describe the same shapes for the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

__all__ = [
    "ActionOutcome",
    "ApprovalView",
    "ConnectionStateView",
    "CursorPage",
    "DraftView",
    "LocationRef",
    "OffsetPage",
    "PostDetailView",
    "PostSummaryView",
    "PublishKitView",
    "PublishedView",
    "StateCounts",
    "TriageView",
    "UrgencyReviewView",
]


class LocationRef(TypedDict):
    id: int
    name: str


class PostSummaryView(TypedDict):
    """A post as a list shows it."""

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
    location: LocationRef | None
    due_at: str | None
    overdue: bool
    version: int


class DraftView(TypedDict):
    """One reply version with the lint report of exactly its text."""

    id: int
    number: int
    text: str
    source: str
    verdict: str
    report: dict[str, Any]
    author_id: int | None
    created_at: str | None


class TriageView(TypedDict):
    id: int
    kind: str
    topics: list[str]
    sentiment: float
    discloses_health: bool
    priority: str
    reasons: list[str]


class ApprovalView(TypedDict):
    id: int
    draft_id: int
    approver_id: int | None
    warnings_acknowledged: bool
    created_at: str | None


class PublishedView(TypedDict):
    text: str
    method: str
    platform: str
    url: str | None
    published_by: int | None
    published_at: str | None


class UrgencyReviewView(TypedDict):
    urgent: bool
    reason: str
    note: str | None
    kind_before: str
    kind_after: str
    by: int | None
    at: str | None


class ConnectionStateView(TypedDict):
    """What a post's connection knows of it on the platform (issue 14); None for a post that
    came by import or the API.

    ``changed_since_draft``: the post was edited on the platform after its current reply
    version was written (read it again). ``reply_state``: the platform's moderation of our
    reply (``pending`` / ``approved`` / ``rejected`` on Google, ``live`` elsewhere), said in
    ``reply_state_words`` with the policy reason in plain words. ``manual_only`` with
    ``refusal``: the platform refused our reply for good, and it goes out by hand.
    """

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


class PostDetailView(PostSummaryView):
    """A post with everything the post page and ``GET /posts/{id}`` show."""

    triage: TriageView | None
    drafts: list[DraftView]
    current_draft_id: int | None
    approvals: list[ApprovalView]
    published: PublishedView | None
    approval_required: bool
    self_approval: bool
    cooling_off_until: str | None
    help_line: str | None
    help_missing: bool
    scheduled_for: str | None
    role: str
    urgency_review: UrgencyReviewView | None
    connection: ConnectionStateView | None
    revising: bool


class CursorPage(TypedDict):
    """The API's inbox page: soonest due first, with the cursor of the next page."""

    items: list[PostSummaryView]
    next_cursor: str | None


class OffsetPage(TypedDict):
    """The inbox page's list: numbered pages a person can jump between."""

    items: list[PostSummaryView]
    total: int
    page: int
    pages: int


class StateCounts(TypedDict):
    states: dict[str, int]
    overdue: int


class ActionOutcome(TypedDict):
    """What every workflow move answers: the post's new state and version."""

    post_id: int
    state: str
    version: int
    draft: NotRequired[DraftView]


class PublishKitView(TypedDict):
    post_id: int
    draft_id: int
    text: str
    open_url: str | None
    platform: str
    version: int
    steps: list[str]
