"""Practices: the inbox list, ingestion, settings, improvements, users, audit and reports."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import PlainTextResponse, Response

from safereply.errors import InputError
from safereply.services import NewPost
from safereply.services.importer import import_posts
from safereply.services.inbox_types import StateCounts
from safereply.services.localtime import parse_local_time, practice_zone
from safereply.web.api.schemas import (
    AuditEntryPublic,
    ImportReportPublic,
    ImprovementCreate,
    ImprovementPublic,
    InvitationPublic,
    InvitedPublic,
    LocationCreate,
    LocationPublic,
    OkPublic,
    PathId,
    PostCreate,
    PostPage,
    PostReceivedPublic,
    PracticePublic,
    QueryId,
    ReportSummaryPublic,
    RoleUpdate,
    SettingsPublic,
    SettingsUpdate,
    StateCountsPublic,
    UserCreate,
    UserPublic,
)
from safereply.web.deps import ActorDep, ServicesDep
from safereply.web.errors import ApiError

router = APIRouter(prefix="/practices", tags=["practices"])

#: A date or time in a query: without a zone, the practice's local time (UTC when it has none).
LocalTimeQuery = Annotated[
    str | None,
    Query(
        max_length=64,
        description="a date (YYYY-MM-DD, the start of that day) or a time (YYYY-MM-DDTHH:MM); "
        "without a zone, in the practice's time zone (its `timezone` setting, else UTC)",
    ),
]


def _zone(services: Any, actor: Any, practice_id: int) -> dt.tzinfo:
    # Reading the settings checks membership too: outsiders get 404 before anything is parsed.
    return practice_zone(services.practices.get_settings(actor, practice_id).get("timezone"))


def _local(value: str | None, zone: dt.tzinfo, name: str) -> dt.datetime | None:
    return None if value is None or not value.strip() else parse_local_time(value, zone, name=name)


def _local_cursor(cursor: str, zone: dt.tzinfo) -> str:
    """Return a cursor whose time carries a zone: a naive one is read in the practice's zone.

    Cursors this server gives out always carry one; anything unreadable is left for the inbox to
    refuse (422).
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, rest = raw.split("|", 1)
        parsed = dt.datetime.fromisoformat(when)
    except (ValueError, UnicodeDecodeError):
        return cursor
    if parsed.tzinfo is not None:
        return cursor
    try:
        aware = parsed.replace(tzinfo=zone).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise InputError("the cursor is not one this server gave out") from None
    return base64.urlsafe_b64encode(f"{aware.isoformat()}|{rest}".encode()).decode().rstrip("=")


#: Largest import file accepted over HTTP (the command line has no limit).
MAX_IMPORT_BYTES = 50 * 1024 * 1024


@router.get(
    "",
    response_model=list[PracticePublic],
    summary="The practices you belong to, with your role in each",
)
def list_practices(services: ServicesDep, actor: ActorDep) -> list[dict[str, Any]]:
    return services.practices.list_practices(actor)


@router.get("/{practice_id}", response_model=PracticePublic, summary="One practice")
def get_practice(practice_id: PathId, services: ServicesDep, actor: ActorDep) -> dict[str, Any]:
    return services.practices.get_practice(actor, practice_id)


@router.get("/{practice_id}/posts", response_model=PostPage, summary="The inbox, soonest due first")
def list_posts(
    practice_id: PathId,
    services: ServicesDep,
    actor: ActorDep,
    state: Annotated[list[str] | None, Query(description="a state, several, or 'open'")] = None,
    kind: str | None = None,
    topic: str | None = None,
    platform: str | None = None,
    location_id: QueryId = None,
    overdue: bool | None = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="words that must all appear in the text or author"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
):
    if cursor:
        cursor = _local_cursor(cursor, _zone(services, actor, practice_id))
    return services.inbox.list_posts(
        actor,
        practice_id,
        state=state,
        kind=kind,
        topic=topic,
        platform=platform,
        location_id=location_id,
        overdue=overdue,
        q=q,
        limit=limit,
        cursor=cursor,
    )


@router.get(
    "/{practice_id}/counts",
    response_model=StateCountsPublic,
    summary="Posts per state, and how many are overdue",
)
def counts(practice_id: PathId, services: ServicesDep, actor: ActorDep) -> StateCounts:
    return services.inbox.counts(actor, practice_id)


@router.post(
    "/{practice_id}/posts",
    status_code=201,
    response_model=PostReceivedPublic,
    summary="Add one post (triaged on arrival)",
)
def create_post(
    practice_id: PathId, body: PostCreate, services: ServicesDep, actor: ActorDep
) -> dict[str, Any]:
    outcome = services.inbox.receive(actor, practice_id, NewPost(**body.model_dump()))
    return {"status": outcome.status, "post_id": outcome.post_id, "escalated": outcome.escalated}


@router.post(
    "/{practice_id}/imports",
    response_model=ImportReportPublic,
    summary="Import a CSV, JSON or JSONL export; each rejected row is listed with its line",
)
def import_file(
    practice_id: PathId,
    services: ServicesDep,
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="the export file")],
    platform: Annotated[str | None, Form()] = None,
    format: Annotated[Literal["csv", "json", "jsonl"] | None, Form()] = None,
    close_answered: Annotated[
        bool,
        Form(description="close open posts the file shows answered, with the file's reply"),
    ] = False,
    location: Annotated[
        str | None, Form(description="the location of rows without a location column")
    ] = None,
):
    data = file.file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ApiError(413, "too_large", "the file is over 50 MB; import it with the command line")
    report = import_posts(
        services.inbox,
        actor,
        practice_id,
        data,
        name=file.filename,
        fmt=format,
        platform=platform,
        close_answered=close_answered,
        location=location or None,
    )
    return report.to_dict()


@router.post(
    "/{practice_id}/locations",
    status_code=201,
    response_model=LocationPublic,
    summary="Add a location (admins)",
)
def add_location(
    practice_id: PathId, body: LocationCreate, services: ServicesDep, actor: ActorDep
) -> dict[str, Any]:
    return services.practices.add_location(actor, practice_id, body.name)


@router.get("/{practice_id}/settings", response_model=SettingsPublic, summary="Workflow settings")
def get_settings(practice_id: PathId, services: ServicesDep, actor: ActorDep) -> dict[str, Any]:
    return services.practices.get_settings(actor, practice_id)


@router.patch(
    "/{practice_id}/settings",
    response_model=SettingsPublic,
    summary="Change workflow settings (admins)",
)
def update_settings(
    practice_id: PathId, body: SettingsUpdate, services: ServicesDep, actor: ActorDep
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise InputError("nothing to change")
    return services.practices.update_settings(actor, practice_id, changes)


@router.get(
    "/{practice_id}/improvements",
    response_model=list[ImprovementPublic],
    summary="The improvement log, newest first",
)
def list_improvements(practice_id: PathId, services: ServicesDep, actor: ActorDep):
    return services.practices.list_improvements(actor, practice_id)


@router.post(
    "/{practice_id}/improvements",
    status_code=201,
    response_model=ImprovementPublic,
    summary="Record an improvement",
)
def add_improvement(
    practice_id: PathId, body: ImprovementCreate, services: ServicesDep, actor: ActorDep
):
    return services.practices.add_improvement(
        actor, practice_id, topic=body.topic, text=body.text, since=body.since
    )


@router.delete(
    "/{practice_id}/improvements/{improvement_id}",
    response_model=OkPublic,
    summary="Remove an improvement",
)
def delete_improvement(
    practice_id: PathId, improvement_id: PathId, services: ServicesDep, actor: ActorDep
):
    services.practices.delete_improvement(actor, practice_id, improvement_id)
    return {"ok": True}


@router.get(
    "/{practice_id}/users",
    response_model=list[UserPublic],
    summary="Members and their roles (managers, admins)",
)
def list_users(practice_id: PathId, services: ServicesDep, actor: ActorDep):
    return services.users.list_users(actor, practice_id)


@router.post(
    "/{practice_id}/users",
    status_code=202,
    response_model=InvitedPublic,
    summary="Invite a person by e-mail (admins); they join when they accept",
    description="The answer is the same whether or not an account exists for the e-mail. With "
    "no account, one is created with `password` (hand it over); an existing account keeps its "
    "password and roles until its owner accepts (`POST /api/v1/auth/invitations/{id}/accept`).",
)
def invite_user(practice_id: PathId, body: UserCreate, services: ServicesDep, actor: ActorDep):
    return services.users.invite(
        actor,
        practice_id=practice_id,
        email=body.email,
        password=body.password,
        display_name=body.display_name,
        role=body.role,
    )


@router.get(
    "/{practice_id}/invitations",
    response_model=list[InvitationPublic],
    summary="Pending invitations (managers, admins)",
)
def list_invitations(practice_id: PathId, services: ServicesDep, actor: ActorDep):
    return services.users.list_invitations(actor, practice_id)


@router.delete(
    "/{practice_id}/invitations/{invitation_id}",
    response_model=OkPublic,
    summary="Withdraw an invitation (admins)",
)
def cancel_invitation(
    practice_id: PathId, invitation_id: PathId, services: ServicesDep, actor: ActorDep
):
    services.users.cancel_invitation(actor, practice_id, invitation_id)
    return {"ok": True}


@router.put(
    "/{practice_id}/users/{user_id}/role",
    response_model=OkPublic,
    summary="Change or remove a member's role (admins; members of the practice only)",
)
def set_role(
    practice_id: PathId, user_id: PathId, body: RoleUpdate, services: ServicesDep, actor: ActorDep
):
    services.users.set_role(actor, practice_id=practice_id, user_id=user_id, role=body.role)
    return {"ok": True}


@router.get(
    "/{practice_id}/audit",
    summary="Export the audit log (JSON or CSV); never holds post or reply bodies",
    # A file to download, not a model: the JSON export is documented here, the CSV has its columns.
    response_model=None,
    responses={
        200: {
            "model": list[AuditEntryPublic],
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "The entries as a JSON array, or as CSV with `format=csv`",
        }
    },
)
def audit_export(
    practice_id: PathId,
    services: ServicesDep,
    actor: ActorDep,
    format: Literal["json", "csv"] = "json",
    since: LocalTimeQuery = None,
    until: LocalTimeQuery = None,
) -> Response:
    zone = _zone(services, actor, practice_id)
    text = services.audit.export(
        actor,
        practice_id,
        fmt=format,
        since=_local(since, zone, "since"),
        until=_local(until, zone, "until"),
    )
    if format == "csv":
        return PlainTextResponse(
            text,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="audit-{practice_id}.csv"'},
        )
    return Response(text, media_type="application/json")


@router.get(
    "/{practice_id}/reports/summary",
    response_model=ReportSummaryPublic,
    # An improvement without a date has no before/after counts: those keys stay absent.
    response_model_exclude_unset=True,
    summary="Themes over time, by location, vs improvements",
)
def report_summary(
    practice_id: PathId,
    services: ServicesDep,
    actor: ActorDep,
    since: LocalTimeQuery = None,
    until: LocalTimeQuery = None,
) -> dict[str, Any]:
    zone = _zone(services, actor, practice_id)
    return services.reports.summary(
        actor,
        practice_id,
        since=_local(since, zone, "since"),
        until=_local(until, zone, "until"),
    )
