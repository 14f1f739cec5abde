"""One post: its detail, drafts and workflow actions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from safereply.services.inbox_types import PostDetailView, PublishKitView
from safereply.services.queries import AuditFilter
from safereply.web.api.schemas import (
    ActionResult,
    ApproveRequest,
    AuditEntryPublic,
    DismissRequest,
    DraftCreate,
    MarkRepliedRequest,
    NotUrgentRequest,
    PathId,
    PostDetail,
    PublishKit,
    ScheduleRequest,
    VersionedRequest,
    WithdrawRequest,
)
from safereply.web.deps import ActorDep, ServicesDep, remember_read_post
from safereply.web.hooks import _connectors as connectors_of

router = APIRouter(prefix="/posts", tags=["posts"])

_NO_BODY = VersionedRequest()


@router.get(
    "/{post_id}",
    response_model=PostDetail,
    summary="A post with triage, every draft version, approvals and reply",
)
def get_post(
    post_id: PathId, request: Request, services: ServicesDep, actor: ActorDep
) -> PostDetailView:
    post = services.inbox.get_post(actor, post_id)
    remember_read_post(request, post_id, post["practice_id"])
    return post


@router.get(
    "/{post_id}/audit",
    response_model=list[AuditEntryPublic],
    summary="The post's audit trail (managers, admins)",
)
def post_audit(post_id: PathId, services: ServicesDep, actor: ActorDep) -> list[dict[str, Any]]:
    practice_id = services.inbox.get_post(actor, post_id)["practice_id"]
    # The same query as the audit page, oldest first and whole (one post's trail is short).
    trail = AuditFilter(object_type="post", object_id=str(post_id))
    found = services.inbox.queries.audit(
        actor, practice_id, trail, per_page=None, newest_first=False
    )
    return found["items"]


@router.post("/{post_id}/drafts", response_model=ActionResult, summary="Save a new draft version")
def save_draft(post_id: PathId, body: DraftCreate, services: ServicesDep, actor: ActorDep):
    return services.inbox.save_draft(
        actor, post_id, body.text, expected_version=body.expected_version
    )


@router.post(
    "/{post_id}/drafts/suggest", response_model=ActionResult, summary="Draft the suggested reply"
)
def suggest(
    post_id: PathId, services: ServicesDep, actor: ActorDep, body: VersionedRequest = _NO_BODY
):
    return services.inbox.suggest(actor, post_id, expected_version=body.expected_version)


@router.post(
    "/{post_id}/drafts/acknowledgement",
    response_model=ActionResult,
    summary="Draft the pre-checked bland acknowledgement (exempt from cooling-off)",
)
def acknowledgement(
    post_id: PathId, services: ServicesDep, actor: ActorDep, body: VersionedRequest = _NO_BODY
):
    return services.inbox.acknowledge(actor, post_id, expected_version=body.expected_version)


@router.post("/{post_id}/submit", response_model=ActionResult, summary="Send to review")
def submit(
    post_id: PathId, services: ServicesDep, actor: ActorDep, body: VersionedRequest = _NO_BODY
):
    return services.inbox.submit(actor, post_id, expected_version=body.expected_version)


@router.post("/{post_id}/approve", response_model=ActionResult, summary="Approve the current draft")
def approve(post_id: PathId, body: ApproveRequest, services: ServicesDep, actor: ActorDep):
    return services.inbox.approve(
        actor,
        post_id,
        draft_id=body.draft_id,
        acknowledge_warnings=body.acknowledge_warnings,
        expected_version=body.expected_version,
    )


@router.post("/{post_id}/reject", response_model=ActionResult, summary="Send back for changes")
def reject(
    post_id: PathId, services: ServicesDep, actor: ActorDep, body: VersionedRequest = _NO_BODY
):
    return services.inbox.reject(actor, post_id, expected_version=body.expected_version)


@router.post("/{post_id}/schedule", response_model=ActionResult, summary="Hold until a time")
def schedule(post_id: PathId, body: ScheduleRequest, services: ServicesDep, actor: ActorDep):
    return services.inbox.schedule(actor, post_id, body.at, expected_version=body.expected_version)


@router.get(
    "/{post_id}/publish-kit",
    response_model=PublishKit,
    summary="Manual path: the approved text and where to post",
)
def publish_kit(post_id: PathId, services: ServicesDep, actor: ActorDep) -> PublishKitView:
    return services.inbox.publish_kit(actor, post_id)


@router.post(
    "/{post_id}/mark-replied",
    response_model=ActionResult,
    summary="Manual path: record that the approved reply was posted",
)
def mark_replied(post_id: PathId, body: MarkRepliedRequest, services: ServicesDep, actor: ActorDep):
    return services.inbox.mark_replied(
        actor,
        post_id,
        posted_text=body.posted_text,
        url=body.url,
        expected_version=body.expected_version,
    )


@router.post("/{post_id}/dismiss", response_model=ActionResult, summary="Close without a reply")
def dismiss(post_id: PathId, body: DismissRequest, services: ServicesDep, actor: ActorDep):
    return services.inbox.dismiss(
        actor, post_id, reason=body.reason, expected_version=body.expected_version
    )


@router.post("/{post_id}/escalate", response_model=ActionResult, summary="Escalate and notify")
def escalate(
    post_id: PathId, services: ServicesDep, actor: ActorDep, body: VersionedRequest = _NO_BODY
):
    return services.inbox.escalate(actor, post_id, expected_version=body.expected_version)


@router.post(
    "/{post_id}/not-urgent",
    response_model=ActionResult,
    summary="Not urgent, for a reason (managers): back to the normal queue and template",
)
def not_urgent(post_id: PathId, body: NotUrgentRequest, services: ServicesDep, actor: ActorDep):
    return services.inbox.not_urgent(
        actor,
        post_id,
        reason=body.reason,
        note=body.note,
        kind=body.kind,
        expected_version=body.expected_version,
    )


@router.post(
    "/{post_id}/mark-urgent",
    response_model=ActionResult,
    summary="Undo 'not urgent': escalated again as the triage found it",
)
def mark_urgent(
    post_id: PathId, services: ServicesDep, actor: ActorDep, body: VersionedRequest = _NO_BODY
):
    return services.inbox.mark_urgent(actor, post_id, expected_version=body.expected_version)


@router.post("/{post_id}/reopen", response_model=ActionResult, summary="Reopen a dismissed post")
def reopen(
    post_id: PathId, services: ServicesDep, actor: ActorDep, body: VersionedRequest = _NO_BODY
):
    return services.inbox.reopen(actor, post_id, expected_version=body.expected_version)


# -- a published reply edited or taken down (issue 14) ---------------------------------------


@router.post(
    "/{post_id}/revise",
    response_model=ActionResult,
    summary="Start a new version of a published reply (managers): reviewed, held and approved "
    "as a first reply; publishing it edits the platform's reply",
)
def revise_published(post_id: PathId, body: DraftCreate, services: ServicesDep, actor: ActorDep):
    return services.inbox.revise_published(
        actor, post_id, body.text, expected_version=body.expected_version
    )


@router.post(
    "/{post_id}/keep-published",
    response_model=ActionResult,
    summary="Give up the new version: the reply that is out stays as it is",
)
def keep_published(
    post_id: PathId, services: ServicesDep, actor: ActorDep, body: VersionedRequest = _NO_BODY
):
    return services.inbox.keep_published(actor, post_id, expected_version=body.expected_version)


@router.post(
    "/{post_id}/withdraw",
    response_model=ActionResult,
    summary="Take the published reply down, for a reason (managers): deleted on the platform "
    "through the connection, or recorded as deleted by hand (by_hand); the post waits again",
)
def withdraw_published(
    request: Request, post_id: PathId, body: WithdrawRequest, services: ServicesDep, actor: ActorDep
):
    if body.by_hand:
        return services.inbox.withdraw_published(
            actor, post_id, reason=body.reason, expected_version=body.expected_version
        )
    return connectors_of(request.app).publisher.withdraw(
        actor, post_id, reason=body.reason, expected_version=body.expected_version
    )
