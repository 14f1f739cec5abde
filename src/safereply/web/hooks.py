"""Meta webhooks at ``GET|POST /hooks/meta``: push where it exists, polling stays the fallback.

* ``GET`` is Meta's verification: ``hub.mode=subscribe``, ``hub.verify_token`` equal to
  ``SAFEREPLY_META_VERIFY_TOKEN`` (compared in constant time) → the ``hub.challenge`` echoed as
  plain text; anything else → 403. No verify token configured → 403 for every request.
* ``POST`` carries ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed by the
  app secret>``. The signature is checked over the bytes exactly as they arrived (never over
  re-serialised JSON, where Meta's escaping would not survive) with a constant-time compare.
  Missing or wrong → 401 and nothing changes. No ``SAFEREPLY_META_APP_SECRET`` configured →
  503: a webhook is refused, never accepted unchecked. The body is limited to
  :data:`MAX_BODY` bytes before the signature is even computed.

A valid event changes nothing by itself but what it names: for each connection of the Page or
Instagram account (``entry[].id``), the posts or media the changes belong to are queued for the
connector to read first (``recheck`` in the connection's cursor) and the connection is made due
now, so the worker's next tick (every minute) syncs it; a comment Meta says was removed is marked
removed at once through the sync's own ``ingest``. Right after the answer, the comments added or
edited (at most :data:`MAX_PUSH` per POST) are read from the API and stored through the same
``ingest``: they reach the inbox in seconds, and the poll stays the fallback. Event bodies (comment
text) are never logged or stored here: the connector reads the comment from the API, as a poll
would.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy import select
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from safereply.connectors.base import RemoteItem, json_object
from safereply.store.models import Connection
from safereply.web.api.schemas import ErrorPublic
from safereply.web.errors import ApiError
from safereply.web.limits import FORM_BODY_LIMIT

__all__ = ["MAX_BODY", "MetaEvents", "parse_events", "router", "signature_ok"]

log = logging.getLogger("safereply.hooks")

#: The largest webhook body read (the app's limit for routes outside /api: 256 KiB).
MAX_BODY = FORM_BODY_LIMIT
#: The most comments one POST reads from the API right away (more wait for the poll).
MAX_PUSH = 50
#: The most posts a connection's cursor keeps queued for a re-read (a burst beyond waits for the
#: next full scan, which reads everything anyway).
MAX_RECHECK = 500
_OBJECTS = {"page": "facebook", "instagram": "instagram"}

router = APIRouter(tags=["webhooks"])


def signature_ok(app_secret: str, body: bytes, header: str | None) -> bool:
    """Return True when ``header`` is ``sha256=`` + the hex HMAC-SHA256 of ``body``."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    sent = header[len("sha256=") :].strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(expected.encode(), sent)  # bytes: non-ASCII is just wrong


@dataclass
class MetaEvents:
    """What one webhook POST asks for, by (platform, account id)."""

    recheck: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    removed: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    #: Comments added or edited: read from the API right after the answer (push).
    comments: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    changes: int = 0


def _change(events: MetaEvents, key: tuple[str, str], change: dict[str, Any]) -> None:
    """Note one ``changes[]`` entry: the post/media to read again, or the comment removed."""
    value = json_object(change, "value")
    events.changes += 1
    if key[0] == "facebook":
        if change.get("field") != "feed" or value.get("item") not in ("comment", "reply"):
            return
        if value.get("verb") == "remove" and value.get("comment_id"):
            events.removed[key].append(str(value["comment_id"]))
        elif value.get("verb") in ("add", "edited") and value.get("comment_id"):
            events.comments[key].append(str(value["comment_id"]))
        if value.get("post_id"):
            events.recheck[key].append(str(value["post_id"]))
        return
    if change.get("field") in ("comments", "live_comments"):
        media = json_object(value, "media")
        if media.get("id"):
            events.recheck[key].append(str(media["id"]))
        if value.get("id"):
            events.comments[key].append(str(value["id"]))


def parse_events(payload: Any) -> MetaEvents:
    """Return the rechecks and removals a webhook payload asks for (unknown parts are ignored).

    Raises:
        ValueError: the payload is not Meta's ``{"object", "entry": [...]}`` shape.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise ValueError('the body is not a Meta webhook ({"object", "entry": [...]})')
    events = MetaEvents()
    platform = _OBJECTS.get(str(payload.get("object")))
    if platform is None:
        return events  # another object (a user, a permission ...): acknowledged, nothing to do
    for entry in payload["entry"]:
        if not isinstance(entry, dict) or not entry.get("id"):
            continue
        key = (platform, str(entry["id"]))
        for change in entry.get("changes") or ():
            if isinstance(change, dict):
                _change(events, key, change)
    return events


async def _read_body(request: Request) -> bytes:
    """Read the raw body, refusing it as soon as it passes :data:`MAX_BODY`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise ApiError(413, "too_large", f"the webhook body is over {MAX_BODY:,} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise ApiError(413, "too_large", f"the webhook body is over {MAX_BODY:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


# Documented answers (the schemathesis suite of issue 12 found them undocumented).
_HOOK_ERRORS = {
    status: {"model": ErrorPublic, "description": description}
    for status, description in [
        (400, "Not a short hub.challenge, or the body is not Meta's JSON"),
        (401, "X-Hub-Signature-256 is missing or does not match"),
        (403, "The verify token is not set or does not match"),
        (413, "The body is over the webhook limit"),
        (503, "SAFEREPLY_META_APP_SECRET is not set: webhooks are refused until it is"),
    ]
}


@router.get(
    "/hooks/meta",
    summary="Meta webhook verification (hub.challenge)",
    responses={k: _HOOK_ERRORS[k] for k in (400, 403)},
)
def verify(request: Request) -> Response:
    """Echo ``hub.challenge`` when the verify token matches ours; 403 otherwise."""
    settings = request.app.state.settings
    query = request.query_params
    expected = settings.meta_verify_token
    token = query.get("hub.verify_token") or ""
    challenge = query.get("hub.challenge") or ""
    if not expected:
        raise ApiError(403, "not_configured", "SAFEREPLY_META_VERIFY_TOKEN is not set")
    if query.get("hub.mode") != "subscribe" or not hmac.compare_digest(
        token.encode(), expected.encode()
    ):
        raise ApiError(403, "forbidden", "the verify token does not match")
    if not challenge or len(challenge) > 200 or not challenge.isprintable():
        raise ApiError(400, "bad_challenge", "hub.challenge is missing or not a short token")
    return PlainTextResponse(challenge)


@router.post(
    "/hooks/meta",
    summary="Meta webhook events (X-Hub-Signature-256 checked)",
    responses={k: _HOOK_ERRORS[k] for k in (400, 401, 413, 503)},
)
async def receive(request: Request) -> Response:
    """Check the signature over the raw body, then queue the named posts for a sync."""
    secret = request.app.state.settings.meta_app_secret
    if not secret:
        raise ApiError(
            503,
            "not_configured",
            "SAFEREPLY_META_APP_SECRET is not set: webhooks "
            "are refused until it is (polling goes on)",
        )
    body = await _read_body(request)
    if not signature_ok(secret, body, request.headers.get("x-hub-signature-256")):
        raise ApiError(401, "bad_signature", "X-Hub-Signature-256 is missing or does not match")
    try:
        events = parse_events(json.loads(body))
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, "bad_payload", str(exc)[:200] or "the body is not JSON") from None
    touched, pushes = await run_in_threadpool(_apply, request.app, events)
    # Meta wants a quick 200: the named comments are read from the API after the answer.
    later = BackgroundTask(_push, request.app, pushes) if pushes else None
    return JSONResponse({"received": events.changes, "connections": touched}, background=later)


def _apply(app: Any, events: MetaEvents) -> tuple[int, dict[int, list[str]]]:
    """Queue rechecks on every matching connection, make it due now, mark removals.

    Returns how many connections matched, and the comments to read for each of them.
    """
    services = app.state.services
    syncer = _connectors(app).syncer
    now = syncer.clock()
    removals: dict[int, list[str]] = {}
    pushes: dict[int, list[str]] = {}
    keys = set(events.recheck) | set(events.removed)
    touched = 0
    with services.store.write() as session:
        for platform, account in sorted(keys):
            rows = session.scalars(
                select(Connection).where(
                    Connection.platform == platform,
                    Connection.external_id == account,
                    Connection.tokens.is_not(None),
                )
            ).all()
            for row in rows:
                touched += 1
                cursor = dict(row.cursor or {})
                queued = [*cursor.get("recheck", ()), *events.recheck.get((platform, account), ())]
                cursor["recheck"] = list(dict.fromkeys(str(q) for q in queued))[-MAX_RECHECK:]
                row.cursor = cursor
                if not row.needs_reauth:
                    row.next_sync_at = now
                if events.removed.get((platform, account)):
                    removals[row.id] = events.removed[(platform, account)]
                named = list(dict.fromkeys(events.comments.get((platform, account), ())))
                if named and not row.needs_reauth:
                    pushes[row.id] = named[:MAX_PUSH]
    for connection_id, ids in removals.items():
        syncer.ingest(
            connection_id, [RemoteItem(external_id=i, text="", deleted=True) for i in ids]
        )
    log.info("meta webhook: %d change(s), %d connection(s)", events.changes, touched)
    return touched, pushes


def _push(app: Any, pushes: dict[int, list[str]]) -> None:
    """Read the comments a webhook named and store them as a poll would (after the answer).

    Any failure is logged (its kind only) and left to the poll the webhook made due.
    """
    connectors = _connectors(app)
    for connection_id, ids in pushes.items():
        try:
            _push_one(connectors, connection_id, ids)
        except Exception as exc:  # the poll made due above is the fallback
            log.warning(
                "meta webhook: reading connection %s's comments failed (%s); the poll will",
                connection_id,
                type(exc).__name__,
            )


def _push_one(connectors: Any, connection_id: int, ids: list[str]) -> None:
    store = connectors.syncer.store
    with store.read() as session:
        row = session.get(Connection, connection_id)
        if row is None or row.tokens is None:
            return
        connector = connectors.connections.open(row)
    before = connector.credentials.to_json()
    items = [item for item in map(connector.read_item, ids) if item is not None]
    if connector.credentials.to_json() != before:  # refreshed on the way: seal it back
        with store.write() as session:
            row = session.get(Connection, connection_id)
            if row is not None:  # compare-and-swap: never over newer or deleted tokens
                connectors.connections.save_credentials(session, row, connector.credentials)
    if items:
        connectors.syncer.ingest(connection_id, items)


def _connectors(app: Any) -> Any:
    """Return the app's connector services (built once from its services when it has none)."""
    state = app.state
    connectors = getattr(state, "connectors", None)
    if connectors is None:
        from safereply.connectors.runtime import build_connectors

        services = state.services
        connectors = build_connectors(services.store, services.settings, services.inbox)
        state.connectors = connectors
    return connectors
