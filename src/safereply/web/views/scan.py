"""Scan published replies for disclosures (managers): an uploaded export, or the inbox's own.

The page collects the file (or the choice to scan what the inbox recorded) and renders the
scan service's result: the same ranking, findings and actions as ``safereply scan``. Nothing is
fixed or deleted from here: the report says what to do, on the platform, and why.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from safereply.errors import InputError
from safereply.services.scan import ScanResult
from safereply.web.views.common import (
    FormDep,
    HtmlRoute,
    PageUser,
    PageUserDep,
    ServicesDep,
    form_field,
    page,
)
from safereply.web.views.imports import (
    FORMATS,
    MAX_IMPORT_BYTES,
    SizeCheckDep,
    _BadUpload,
    _manager_context,
    _megabytes,
    _read_upload,
)

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)
#: Risky replies listed on the page (all of them are in the JSON twin).
SHOWN = 300


def _form(
    request: Request,
    services: Any,
    user: PageUser,
    practice_id: int,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    ctx = _manager_context(services, user, practice_id)
    return page(
        request,
        "scan.html",
        {
            **ctx,
            "title": "Scan published replies",
            "nav": "scan",
            "user": user,
            "formats": FORMATS,
            "max_size": _megabytes(MAX_IMPORT_BYTES),
            "errors": errors or {},
        },
        data={"formats": list(FORMATS)[1:]},
        status=status,
    )


@router.get("/p/{practice_id}/scan")
def scan_form(
    request: Request, practice_id: int, services: ServicesDep, user: PageUserDep
) -> Response:
    """Choose what to scan: an export of published replies, or every reply in the inbox."""
    return _form(request, services, user, practice_id)


def _result(
    request: Request, ctx: dict[str, Any], user: PageUser, result: ScanResult, source: str
) -> Response:
    ranked = [i for i in result.ranked() if i.action != "none"]
    return page(
        request,
        "scan_result.html",
        {
            **ctx,
            "title": "Scan of published replies",
            "nav": "scan",
            "user": user,
            "source": source,
            "counts": result.counts(),
            "items": ranked[:SHOWN],
            "more": max(0, len(ranked) - SHOWN),
            "unanswered": len(result.unanswered),
            "rejected": result.rejected,
        },
        data={
            "source": source,
            "counts": result.counts(),
            "replies": [i.to_dict() for i in result.ranked()],
            "unanswered": [{"line": line, "id": rid} for line, rid in result.unanswered],
            "rejected": [{"line": r.line, "reason": r.reason} for r in result.rejected],
        },
    )


@router.post("/p/{practice_id}/scan")
def run_scan(
    request: Request,
    practice_id: int,
    _size: SizeCheckDep,
    services: ServicesDep,
    user: PageUserDep,
    form: FormDep,
) -> Response:
    """Scan the uploaded export, or (``source=inbox``) every reply the inbox recorded."""
    ctx = _manager_context(services, user, practice_id)  # 404 outside it, 403 below manager
    if form_field(form, "source") == "inbox":
        result = services.scan.scan_recorded(user.actor, practice_id)
        return _result(request, ctx, user, result, "the replies recorded in the inbox")
    fmt = form_field(form, "format")
    if fmt not in FORMATS:
        return _form(
            request,
            services,
            user,
            practice_id,
            errors={"format": "Choose the file's format."},
            status=422,
        )
    try:
        data, name = _read_upload(form)
        result = services.scan.scan_upload(
            user.actor, practice_id, data, name=name, fmt=fmt or None
        )
    except _BadUpload as exc:
        return _form(
            request, services, user, practice_id, errors={"file": str(exc)}, status=exc.status
        )
    except InputError as exc:
        return _form(
            request,
            services,
            user,
            practice_id,
            errors={"file": f"This file cannot be read: {exc}."},
            status=422,
        )
    return _result(request, ctx, user, result, name)
