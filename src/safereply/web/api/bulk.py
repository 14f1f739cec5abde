"""Bulk replies to 5-star praise over the API: a preview to read, then a confirmation.

The same service functions as the page (``safereply.services.bulk``): the preview saves nothing;
the confirmation records each reply as the workflow does one at a time.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from safereply.services import bulk
from safereply.store.models import MAX_ID
from safereply.web.api.schemas import PathId
from safereply.web.deps import ActorDep, ServicesDep

router = APIRouter(prefix="/practices", tags=["bulk replies"])


class BulkPreviewRequest(BaseModel):
    """Which posts to draft for: chosen ids, or every unanswered 5-star praise post."""

    model_config = ConfigDict(extra="forbid")
    post_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, max_length=bulk.MAX_BATCH
    )
    all_unanswered_five_star: bool = False


class BulkReply(BaseModel):
    """One reviewed reply to record."""

    model_config = ConfigDict(extra="forbid")
    post_id: int = Field(ge=1, le=MAX_ID)
    expected_version: int = Field(ge=0, le=MAX_ID)
    reply: str = Field(min_length=1, max_length=10_000)
    composer: str = Field(default="template", max_length=40)


class BulkConfirmRequest(BaseModel):
    """The replies the manager read and confirms."""

    model_config = ConfigDict(extra="forbid")
    replies: list[BulkReply] = Field(min_length=1, max_length=bulk.MAX_BATCH)


class BulkDraftPublic(BaseModel):
    """One proposed reply, as the manager reads it."""

    post_id: int
    version: int
    author: str | None
    platform: str
    rating: float | None
    post_text: str
    reply: str
    composer: str


class LeftOutPublic(BaseModel):
    """A post left out, and why."""

    post_id: int
    reason: str


class DonePublic(BaseModel):
    """A post recorded: its new state, with a note when it waits for someone else."""

    post_id: int
    state: str
    note: str = ""


class BulkPreviewPublic(BaseModel):
    """The drafts to read and the posts left out."""

    drafts: list[BulkDraftPublic]
    left_out: list[LeftOutPublic]


class BulkResultPublic(BaseModel):
    """What was recorded and what was left out."""

    done: list[DonePublic]
    left_out: list[LeftOutPublic]


@router.post(
    "/{practice_id}/bulk-replies/preview",
    response_model=BulkPreviewPublic,
    summary="Draft a varied, linted reply for many 5-star praise posts (saves nothing)",
)
def preview(
    practice_id: PathId, body: BulkPreviewRequest, services: ServicesDep, actor: ActorDep
) -> dict[str, Any]:
    ids = body.post_ids
    if body.all_unanswered_five_star:
        ids = bulk.unanswered_five_star(services, actor, practice_id)
    return bulk.preview(services, actor, practice_id, ids).to_dict()


@router.post(
    "/{practice_id}/bulk-replies/confirm",
    response_model=BulkResultPublic,
    summary="Record the reviewed replies: each saved, linted again, approved or sent for review",
)
def confirm(
    practice_id: PathId, body: BulkConfirmRequest, services: ServicesDep, actor: ActorDep
) -> dict[str, Any]:
    items = [(r.post_id, r.expected_version, r.reply, r.composer) for r in body.replies]
    return bulk.confirm(services, actor, practice_id, items).to_dict()
