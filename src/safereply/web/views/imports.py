"""Import an export of posts (CSV, JSON or JSON Lines) into a practice's inbox (managers).

The page only collects the file and its options: reading, column mapping, validation,
de-duplication and triage are the importer's (``services.importer.import_posts``), exactly as
for ``safereply import`` and the JSON API. A file that cannot be read as a whole imports nothing
and says why; a file with some bad rows imports the good ones and lists each bad row with its line
number and reason.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from safereply.errors import InputError, PermissionDenied
from safereply.services.access import ROLE_RANK
from safereply.services.arrival import BACKLOG_AFTER, BACKLOG_DUE
from safereply.services.importer import FIELDS, import_posts
from safereply.web.errors import ApiError
from safereply.web.views.common import (
    FormDep,
    HtmlRoute,
    PageUser,
    PageUserDep,
    ServicesDep,
    form_field,
    page,
    practice_context,
)

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

#: Platforms offered for rows that do not name their own (a ``platform`` column wins).
PLATFORMS = {
    "google": "Google",
    "facebook": "Facebook",
    "yelp": "Yelp",
    "healthgrades": "Healthgrades",
    "zocdoc": "Zocdoc",
    "vitals": "Vitals",
    "instagram": "Instagram",
    "x": "X (Twitter)",
}
FORMATS = {
    "": "Tell from the file name",
    "csv": "CSV (comma-separated, with a header row)",
    "json": "JSON (a list of posts)",
    "jsonl": "JSON Lines (one post per line)",
}
#: The importer's fields, as the page explains them (the column names come from ``FIELDS``).
FIELD_LABELS = {
    "text": "Review or comment text (required)",
    "rating": "Star rating",
    "author": "Author",
    "posted_at": "Date",
    "external_id": "Id on the platform (without one, an id is made from the row)",
    "url": "Address of the post",
    "location": "Location",
    "platform": "Platform (overrides the choice above)",
    "thread": "Thread or parent post",
    "reply": "The practice's reply already posted (the post then arrives answered)",
    "replied_at": "Date of that reply",
}
#: Largest file this page takes. The import runs inside the request (about 275 reviews of ~300
#: characters a second on a shared 2-core machine, triage included), so 5 MB answers in about a
#: minute; the JSON API takes 50 MB and ``safereply import`` has no limit.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
#: Rejected rows listed on the result page (all of them are in the JSON twin).
SHOWN_REJECTED = 500
#: Room for the form's other fields and the multipart boundaries around the file.
_FORM_OVERHEAD = 64 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _too_large_message() -> str:
    return (
        f"The file is over {_megabytes(MAX_IMPORT_BYTES)}, the most this page takes. Split it "
        "into smaller files, or import it with the API or safereply import on the server."
    )


async def refuse_large_uploads(request: Request) -> None:
    """Refuse an upload whose declared size is over the limit before the form is read.

    Raises:
        ApiError: 413, shown as an error page.
    """
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_IMPORT_BYTES + _FORM_OVERHEAD:
        raise ApiError(413, "too_large", _too_large_message())


SizeCheckDep = Annotated[None, Depends(refuse_large_uploads)]


def _managed(services: Any, user: PageUser) -> list[dict[str, Any]]:
    """Return the practices the user may import into: those they manage."""
    return [
        p
        for p in services.practices.list_practices(user.actor)
        if ROLE_RANK[p["role"]] >= ROLE_RANK["manager"]
    ]


def _manager_context(services: Any, user: PageUser, practice_id: int) -> dict[str, Any]:
    """Return the practice's page context, refusing members below manager (as other pages do)."""
    ctx = practice_context(services, user, practice_id)
    if not ctx["can"]["manage"]:
        raise PermissionDenied("This page needs the manager role in the practice.")
    return ctx


def _import_page(
    request: Request,
    services: Any,
    user: PageUser,
    practice_id: int,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    ctx = _manager_context(services, user, practice_id)
    managed = _managed(services, user)
    return page(
        request,
        "import.html",
        {
            **ctx,
            "title": "Import posts",
            "nav": "import",
            "user": user,
            "managed": managed,
            "platforms": PLATFORMS,
            "formats": FORMATS,
            "columns": [(FIELD_LABELS[name], FIELDS[name]) for name in FIELD_LABELS],
            "max_size": _megabytes(MAX_IMPORT_BYTES),
            "values": values or {"practice_id": str(practice_id), "platform": "", "format": ""},
            "errors": errors or {},
        },
        data={"practices": managed, "platforms": list(PLATFORMS), "formats": list(FORMATS)[1:]},
        status=status,
    )


@router.get("/import")
def import_start(services: ServicesDep, user: PageUserDep) -> Response:
    """Go to the import page of the first practice the user manages."""
    managed = _managed(services, user)
    if not managed:
        raise PermissionDenied("Importing posts needs the manager role in a practice.")
    return RedirectResponse(f"/p/{managed[0]['id']}/import", status_code=303)


@router.get("/p/{practice_id}/import")
def import_form(
    request: Request, practice_id: int, services: ServicesDep, user: PageUserDep
) -> Response:
    """The import form: practice, platform, format and the export file (managers)."""
    return _import_page(request, services, user, practice_id)


class _BadUpload(Exception):
    """The upload cannot be imported: the message for the file field and the HTTP status."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


def _read_upload(form: Any) -> tuple[bytes, str]:
    """Return the uploaded file's bytes and name.

    Raises:
        _BadUpload: no file, an empty one, or one over the size limit.
    """
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise _BadUpload("Choose the export file to import.")
    try:
        data = upload.file.read(MAX_IMPORT_BYTES + 1)
    finally:
        upload.file.close()
    if len(data) > MAX_IMPORT_BYTES:
        raise _BadUpload(_too_large_message(), 413)
    if not data or data.isspace():
        raise _BadUpload("The file is empty.")
    return data, upload.filename


def _unchosen_practice(
    request: Request, services: Any, user: Any, values: dict[str, str]
) -> Response:
    """Ask again for the practice (the form always sends one: a tampered post), on the page of
    the first practice the user manages."""
    managed = _managed(services, user)
    if not managed:
        raise PermissionDenied("Importing posts needs the manager role in a practice.")
    return _import_page(
        request,
        services,
        user,
        managed[0]["id"],
        values=values,
        errors={"practice_id": "Choose the practice to import into."},
        status=422,
    )


def _checked_form(values: dict[str, str], form: Any) -> tuple[bytes, str, dict[str, str], int]:
    """Return the upload's bytes and name, the form's errors by field and the status to answer
    them with (413 for a file over the limit, else 422)."""
    errors: dict[str, str] = {}
    if values["platform"] not in PLATFORMS:
        errors["platform"] = "Choose the platform the export comes from."
    if values["format"] not in FORMATS:
        errors["format"] = "Choose the file's format."
    status = 422
    data, name = b"", ""
    try:
        data, name = _read_upload(form)
    except _BadUpload as exc:
        errors["file"], status = str(exc), exc.status
    return data, name, errors, status


def _result_page(
    request: Request,
    ctx: dict[str, Any],
    user: Any,
    practice_id: int,
    report: Any,
    name: str,
    platform: str,
) -> Response:
    """Show what happened to every row (and its JSON twin)."""
    result = report.to_dict()
    return page(
        request,
        "import_result.html",
        {
            **ctx,
            "title": "Import finished",
            "nav": "import",
            "user": user,
            "report": result,
            "file_name": name,
            "platform": PLATFORMS[platform],
            "shown": result["rejected"][:SHOWN_REJECTED],
            "backlog_after_days": BACKLOG_AFTER.days,
            "backlog_due_days": BACKLOG_DUE.days,
        },
        data={"practice_id": practice_id, "file": name, **result},
    )


@router.post("/import")
def run_import(
    request: Request,
    _size: SizeCheckDep,
    services: ServicesDep,
    user: PageUserDep,
    form: FormDep,
) -> Response:
    """Import the file into the chosen practice and show what happened to every row."""
    values = {
        k: form_field(form, k)
        for k in ("practice_id", "platform", "format", "location", "close_answered")
    }
    if not values["practice_id"].isdigit():
        return _unchosen_practice(request, services, user, values)
    practice_id = int(values["practice_id"])
    ctx = _manager_context(services, user, practice_id)  # 404 outside it, 403 below manager
    data, name, errors, status = _checked_form(values, form)
    if errors:
        return _import_page(
            request, services, user, practice_id, values=values, errors=errors, status=status
        )
    location = values["location"] or None
    known = {loc["name"] for loc in ctx["practice"]["locations"]}
    if location is not None and location not in known:
        errors["location"] = "Choose one of the practice's locations."
        return _import_page(
            request, services, user, practice_id, values=values, errors=errors, status=422
        )
    try:
        report = import_posts(
            services.inbox,
            user.actor,
            practice_id,
            data,
            name=name,
            fmt=values["format"] or None,
            platform=values["platform"],
            close_answered=values["close_answered"] == "1",
            location=location,
        )
    except InputError as exc:
        errors["file"] = f"This file cannot be read, so nothing was imported: {exc}."
        return _import_page(
            request, services, user, practice_id, values=values, errors=errors, status=422
        )
    if report.total == 0:
        errors["file"] = "The file holds no posts (only a header, or nothing but blank lines)."
        return _import_page(
            request, services, user, practice_id, values=values, errors=errors, status=422
        )
    ctx = {**ctx, "closing": values["close_answered"] == "1"}
    return _result_page(request, ctx, user, practice_id, report, name, values["platform"])
