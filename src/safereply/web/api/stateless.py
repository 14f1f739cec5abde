"""Stateless analysis: exactly the JSON objects of ``safereply check``, ``triage`` and ``draft``.

Keys the command line leaves out when empty (a finding's ``suggestion``, ``language`` for English,
a draft's ``reason``) stay out here too: the routes answer with ``response_model_exclude_unset``.

Nothing is stored. The practice (when given) must be one the caller belongs to; its profile makes
the practice's own phone, address and staff names safe in replies.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from safereply.web.api.schemas import (
    CheckRequest,
    CheckResultPublic,
    DraftProposalPublic,
    DraftRequest,
    TriageRequest,
    TriageResultPublic,
)
from safereply.web.deps import ActorDep, ServicesDep

router = APIRouter(tags=["analysis"])


@router.post(
    "/check",
    response_model=CheckResultPublic,
    response_model_exclude_unset=True,
    summary="Lint a reply: the `safereply check` output object",
)
def check(body: CheckRequest, services: ServicesDep, actor: ActorDep) -> dict[str, Any]:
    practice = None
    if body.practice_id is not None:
        practice = services.practices.profile(actor, body.practice_id)
    report = services.inbox.analysers.check(body.reply, post=body.post, practice=practice)
    return report.to_dict(body.id)


@router.post(
    "/triage",
    response_model=TriageResultPublic,
    response_model_exclude_unset=True,
    summary="Classify a post: the `safereply triage` output object",
)
def triage(body: TriageRequest, services: ServicesDep, actor: ActorDep) -> dict[str, Any]:
    result = services.inbox.analysers.triage(body.text, platform=body.platform, rating=body.rating)
    return result.to_dict(body.id)


@router.post(
    "/draft",
    response_model=DraftProposalPublic,
    response_model_exclude_unset=True,
    summary="Propose a reply: the `safereply draft` output object",
)
def draft(body: DraftRequest, services: ServicesDep, actor: ActorDep) -> dict[str, Any]:
    practice = services.practices.profile(actor, body.practice_id)
    proposal = services.inbox.analysers.compose(
        body.text,
        practice=practice,
        platform=body.platform,
        rating=body.rating,
        post_id=None if body.id is None else str(body.id),
    )
    return proposal.to_dict(body.id)
