"""One JSON error shape for every API path::

{"error": {"status": 404, "code": "not_found", "message": "no such post", "details": [...]}}
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException

from safereply.errors import (
    ConfigError,
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDenied,
    SafeReplyError,
    WorkflowError,
)

__all__ = ["ApiError", "error_body", "install_error_handlers"]

log = logging.getLogger("safereply.web")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
}


class ApiError(Exception):
    """An error with an HTTP status, a stable code and a message for the caller."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_body(status: int, code: str, message: str, details: Any = None) -> dict[str, Any]:
    """Return the JSON error object."""
    error: dict[str, Any] = {"status": status, "code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def _respond(status: int, code: str, message: str, details: Any = None, headers=None):
    return JSONResponse(error_body(status, code, message, details), status, headers=headers)


def _for_service_error(exc: SafeReplyError) -> tuple[int, str]:
    # Order matters: ConflictError is a WorkflowError.
    if isinstance(exc, NotFoundError):
        return 404, "not_found"
    if isinstance(exc, PermissionDenied):
        return 403, "forbidden"
    if isinstance(exc, ConflictError):
        return 409, "conflict"
    if isinstance(exc, WorkflowError):
        return 409, "workflow"
    if isinstance(exc, InputError):
        return 422, "invalid_input"
    if isinstance(exc, ConfigError):
        return 500, "configuration"
    return 400, "bad_request"


def install_error_handlers(app: FastAPI) -> None:
    """Make every error, expected or not, answer in the one JSON shape."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError):
        return _respond(exc.status, exc.code, exc.message, headers=exc.headers)

    @app.exception_handler(SafeReplyError)
    async def _service_error(_request: Request, exc: SafeReplyError):
        status, code = _for_service_error(exc)
        return _respond(status, code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError):
        details = [
            {
                "location": [str(p) for p in err.get("loc", ())],
                "message": err.get("msg", ""),
                "type": err.get("type", ""),
            }
            for err in exc.errors()
        ]
        return _respond(422, "invalid_request", "the request is not valid", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException):
        code = _HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return _respond(exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(StatementError)
    async def _statement_error(request: Request, exc: StatementError):
        # A service error raised while SQLAlchemy bound a parameter (a time without a zone)
        # arrives wrapped: answer it as itself. Anything else is unexpected.
        if isinstance(exc.orig, SafeReplyError):
            status, code = _for_service_error(exc.orig)
            return _respond(status, code, str(exc.orig))
        return await _unexpected(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # The request path and type only: bodies may carry posts and replies.
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return _respond(500, "internal", "something went wrong on the server; it was logged")
