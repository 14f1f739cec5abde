"""Google Business Profile reviews: read by ``pageToken`` and ``updateTime``, answer by updateReply.

API facts (``/work/shared/PLATFORMS.md`` §1, Google's v4 reference):

* ``GET {api}/v4/accounts/{a}/locations/{l}/reviews`` with ``pageSize=50``, ``pageToken`` and
  ``orderBy=updateTime desc`` returns ``reviews[]`` newest change first and ``nextPageToken``
  (absent on the last page);
* ``GET …/reviews/{id}`` reads one review; 404 when it was deleted;
* ``PUT …/reviews/{id}/reply`` ``{"comment"}`` creates or replaces the one reply (at most 4,096
  bytes); ``DELETE …/reply`` removes it;
* the reply carries ``reviewReplyState`` (PENDING / APPROVED / REJECTED) and ``policyViolation``
  since 2026: a 200 on the PUT means *submitted*, not live;
* errors are ``{"error": {code, message, status}}``; 429 RESOURCE_EXHAUSTED and 5xx are retried,
  nothing else is.

Incremental sync: the cursor keeps ``since`` (the newest ``updateTime`` stored by the last complete
sync). A sync pages newest-change-first and stops at the first review not newer than ``since``;
``since`` only moves when a sync has finished, so a crash mid-way re-reads, never skips. A *full*
scan (``{"full": true}``, asked for by the sync now and then) reads every review: reviews it does
not see were deleted on Google, which the list does not otherwise tell.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from safereply.connectors.base import (
    Credentials,
    HttpResponse,
    ItemGone,
    NeedsReauth,
    Page,
    PermanentRefusal,
    RateLimited,
    Registry,
    RemoteItem,
    RemoteReply,
    Target,
    Transient,
    Transport,
    http_json,
    parse_retry_after,
    urllib_transport,
)

__all__ = [
    "MAX_REPLY_BYTES",
    "GoogleConnector",
    "parse_location",
    "parse_review",
    "register",
]

PLATFORM = "google"
MAX_REPLY_BYTES = 4096
PAGE_SIZE = 50
#: Refresh the access token this long before Google says it expires.
REFRESH_MARGIN = dt.timedelta(seconds=120)
_STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
_LOCATION = re.compile(r"^accounts/[A-Za-z0-9_-]+/locations/[A-Za-z0-9_-]+$")
_FRACTION = re.compile(r"\.(\d{6})\d+")


def parse_location(name: str) -> tuple[str, str]:
    """Return (account, location) from ``accounts/A/locations/B``.

    Raises:
        ValueError: the name is not of that form (the message shows the expected form).
    """
    name = (name or "").strip().strip("/")
    if not _LOCATION.match(name):
        raise ValueError(f"location {name!r} is not of the form accounts/A/locations/B")
    return "/".join(name.split("/")[:2]), name


def _time(value: Any) -> dt.datetime | None:
    """Parse Google's RFC 3339 times (nanoseconds allowed); None when absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    text = _FRACTION.sub(r".\1", value.strip()).replace("Z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _policy_reason(value: Any) -> str | None:
    """Return a readable reason from ``policyViolation`` (its exact shape is not documented)."""
    if not value:
        return None
    if isinstance(value, str):
        return value[:500]
    if isinstance(value, dict):
        parts = [str(v) for v in value.values() if isinstance(v, str | int) and str(v)]
        return ("; ".join(parts) or "policy violation")[:500]
    return "policy violation"


def _reply_state(reply: Mapping[str, Any]) -> str:
    """Map ``reviewReplyState`` to our vocabulary; no state at all means the reply is live."""
    raw = str(reply.get("reviewReplyState") or reply.get("state") or "").upper()
    for word in ("REJECTED", "PENDING", "APPROVED"):
        if word in raw:
            return word.lower()
    return "live"


def parse_reply(reply: Any) -> RemoteReply | None:
    """Return the review's reply, or None when it has none."""
    if not isinstance(reply, dict) or not isinstance(reply.get("comment"), str):
        return None
    return RemoteReply(
        text=reply["comment"],
        updated_at=_time(reply.get("updateTime")),
        state=_reply_state(reply),
        policy_reason=_policy_reason(reply.get("policyViolation")),
    )


def parse_review(review: Mapping[str, Any]) -> RemoteItem:
    """Turn one ``Review`` resource into a :class:`RemoteItem`.

    Raises:
        Transient: the review has neither ``reviewId`` nor ``name`` (a malformed answer).
    """
    review_id = review.get("reviewId") or str(review.get("name") or "").rsplit("/", 1)[-1]
    if not review_id:
        raise Transient("Google returned a review without an id")
    reviewer = review.get("reviewer") or {}
    anonymous = bool(reviewer.get("isAnonymous"))
    comment = review.get("comment")
    return RemoteItem(
        external_id=str(review_id),
        text=comment if isinstance(comment, str) else "",
        author=None if anonymous else (reviewer.get("displayName") or None),
        rating=_STARS.get(str(review.get("starRating") or "")),
        created_at=_time(review.get("createTime")),
        updated_at=_time(review.get("updateTime")) or _time(review.get("createTime")),
        url=review.get("reviewReplyUrl") or None,
        reply=parse_reply(_with_review_level_state(review)),
    )


def _with_review_level_state(review: Mapping[str, Any]) -> Any:
    """Return the review's reply, with the moderation fields taken from the review itself when
    the reply lacks them (where Google puts them is not yet documented in the v4 reference)."""
    reply = review.get("reviewReply")
    if not isinstance(reply, dict):
        return reply
    merged = dict(reply)
    for key in ("reviewReplyState", "policyViolation"):
        if key not in merged and review.get(key):
            merged[key] = review[key]
    return merged


def _error(response: HttpResponse) -> tuple[str, str]:
    """Return (status word, message) from Google's error body, whatever its shape."""
    try:
        body = response.json()
    except Transient:
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("status") or ""), str(error.get("message") or "")[:200]
    if isinstance(error, str):  # the OAuth endpoint: {"error": "invalid_grant", ...}
        return error, str(body.get("error_description") or "")[:200]
    return "", ""


def _newest_first(items: list[RemoteItem]) -> bool:
    """Return True when the items are in ``updateTime desc`` order (what the list was asked for)."""
    times = [i.updated_at for i in items]
    if any(t is None for t in times):
        return False
    return all(a >= b for a, b in itertools.pairwise(times))  # type: ignore[operator]


def raise_for_status(response: HttpResponse, doing: str) -> None:
    """Raise the connector error a failed Google answer stands for (2xx returns)."""
    if 200 <= response.status < 300:
        return
    status, message = _error(response)
    said = f"Google answered {response.status} {status}".strip() + (
        f": {message}" if message else ""
    )
    wait = parse_retry_after(response.headers)
    if response.status == 429:
        raise RateLimited(f"{doing}: {said}", retry_after=wait if wait is not None else 60.0)
    if response.status >= 500:
        raise Transient(f"{doing}: {said}", retry_after=wait)
    if response.status == 401 or "SCOPE" in status.upper() or "SCOPE" in message.upper():
        raise NeedsReauth(f"{doing}: {said}; connect the location again")
    raise PermanentRefusal(f"{doing}: {said}")


class GoogleConnector:
    """Reads and answers the reviews of one Google Business Profile location."""

    platform = PLATFORM

    def __init__(
        self,
        target: Target,
        credentials: Credentials,
        transport: Transport | None = None,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        timeout: float | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        _, self.location = parse_location(target.location)
        self.api = target.api_base.rstrip("/").removesuffix("/v4")  # both forms are taken
        self.token_url = target.token_url
        self.credentials = credentials
        self.transport = transport or urllib_transport
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.timeout = timeout if timeout is not None else target.timeout
        self.page_size = max(1, min(PAGE_SIZE, page_size))

    # -- tokens ---------------------------------------------------------------------------------

    def refresh_tokens(self, *, force: bool = False) -> bool:
        """Get a new access token when the current one is missing, expiring or (``force``) refused.

        Raises:
            NeedsReauth: no refresh token, or Google refused it (``invalid_grant``: revoked,
                expired, or the consent screen was in Testing for 7 days).
        """
        creds = self.credentials
        fresh = creds.expires_at is None or creds.expires_at - REFRESH_MARGIN > self.clock()
        if creds.access_token and fresh and not force:
            return False
        if not creds.refresh_token:
            raise NeedsReauth("the access token expired and there is no refresh token")
        response = http_json(
            self.transport,
            "POST",
            self.token_url,
            form={
                "grant_type": "refresh_token",
                "client_id": creds.client_id,
                "client_secret": creds.client_secret,
                "refresh_token": creds.refresh_token,
            },
            timeout=self.timeout,
        )
        if response.status in (400, 401, 403):
            status, message = _error(response)
            raise NeedsReauth(
                f"Google refused the refresh token ({status or response.status}"
                + (f": {message}" if message else "")
                + "); connect the location again"
            )
        raise_for_status(response, "refreshing the access token")
        body = response.json()
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise Transient("Google's token answer had no access_token")
        creds.access_token = token
        expires_in = body.get("expires_in")
        seconds = float(expires_in) if isinstance(expires_in, int | float) else 3600.0
        creds.expires_at = self.clock() + dt.timedelta(seconds=seconds)
        if isinstance(body.get("refresh_token"), str) and body["refresh_token"]:
            creds.refresh_token = body["refresh_token"]  # Google may rotate it
        return True

    def _call(
        self,
        method: str,
        path: str,
        doing: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> HttpResponse:
        """Call the API with a valid token; on a 401 refresh once and try again."""
        self.refresh_tokens()
        for attempt in (1, 2):
            response = http_json(
                self.transport,
                method,
                f"{self.api}/v4/{path}",
                headers={"Authorization": f"Bearer {self.credentials.access_token}"},
                params=params,
                json_body=json_body,
                timeout=self.timeout,
            )
            if response.status == 401 and attempt == 1:
                self.refresh_tokens(force=True)  # the token was revoked or expired early
                continue
            return response
        return response

    # -- reading --------------------------------------------------------------------------------

    def fetch(self, cursor: Mapping[str, Any]) -> Page:
        """Return the next page of reviews changed since ``cursor['since']`` (see module doc)."""
        since = _time(cursor.get("since"))
        full = bool(cursor.get("full")) or since is None
        token = cursor.get("token") or None
        params = {"pageSize": self.page_size, "pageToken": token, "orderBy": "updateTime desc"}
        response = self._call("GET", f"{self.location}/reviews", "listing reviews", params=params)
        if response.status == 400 and token:
            # An expired page token: start this scan again from the top (nothing is skipped).
            params["pageToken"] = None
            response = self._call(
                "GET", f"{self.location}/reviews", "listing reviews", params=params
            )
        raise_for_status(response, "listing reviews")
        body = response.json()
        raw = body.get("reviews") if isinstance(body, dict) else None
        items = [parse_review(r) for r in raw or () if isinstance(r, dict)]
        newest = _time(cursor.get("scan_max"))
        for item in items:
            if item.updated_at and (newest is None or item.updated_at > newest):
                newest = item.updated_at
        reached_old = False
        if not full and since is not None:
            kept = [i for i in items if i.updated_at is None or i.updated_at > since]
            # Stop at the first old review only when the page really is newest change first: an
            # API (or a proxy) that ignores orderBy is read to the end instead of missing reviews.
            reached_old = len(kept) < len(items) and _newest_first(items)
            items = kept
        next_token = body.get("nextPageToken") if isinstance(body, dict) else None
        done = reached_old or not next_token
        if done:
            best = max((t for t in (newest, since) if t is not None), default=None)
            new_cursor: dict[str, Any] = {"since": best.isoformat() if best else None}
        else:
            new_cursor = {
                "since": since.isoformat() if since else None,
                "token": next_token,
                "scan_max": newest.isoformat() if newest else None,
                "full": full,
            }
        return Page(items=items, cursor=new_cursor, done=done, complete_scan=done and full)

    def read_item(self, external_id: str) -> RemoteItem | None:
        """Read one review again; None when Google says it no longer exists."""
        response = self._call("GET", self._review(external_id), "reading a review")
        if response.status == 404:
            return None
        raise_for_status(response, "reading a review")
        body = response.json()
        if not isinstance(body, dict):
            raise Transient("Google's review answer was not an object")
        return parse_review(body)

    def read_replies(self, external_id: str) -> list[RemoteReply]:
        """Return the review's reply as Google holds it now ([] when it has none).

        Raises:
            ItemGone: the review was deleted (there is nothing to answer any more).
        """
        item = self.read_item(external_id)
        if item is None:
            raise ItemGone("the review was deleted on Google")
        return [item.reply] if item.reply else []

    # -- replying -------------------------------------------------------------------------------

    def publish_reply(self, external_id: str, text: str) -> RemoteReply:
        """Create or replace the reply (updateReply); Google then moderates it (pending)."""
        if len(text.encode("utf-8")) > MAX_REPLY_BYTES:
            raise PermanentRefusal(
                f"the reply is {len(text.encode('utf-8')):,} bytes; Google takes at most "
                f"{MAX_REPLY_BYTES:,}"
            )
        path = f"{self._review(external_id)}/reply"
        response = self._call("PUT", path, "posting the reply", json_body={"comment": text})
        raise_for_status(response, "posting the reply")
        body = response.json()
        reply = parse_reply(body if isinstance(body, dict) and "comment" in body else {})
        if reply is None:  # a bare 200: submitted, as we asked
            reply = RemoteReply(text=text, updated_at=self.clock(), state="pending")
        return reply

    def delete_reply(self, external_id: str, reply: RemoteReply | None = None) -> None:
        """Delete the review's reply (deleteReply); a reply already gone is not an error."""
        response = self._call("DELETE", f"{self._review(external_id)}/reply", "deleting the reply")
        if response.status == 404:
            return
        raise_for_status(response, "deleting the reply")

    def _review(self, external_id: str) -> str:
        review = urllib.parse.quote(str(external_id).rsplit("/", 1)[-1], safe="-_.~")
        return f"{self.location}/reviews/{review}"


def register(registry: Registry) -> None:
    """Register the Google Business Profile connector."""
    registry.register(PLATFORM, GoogleConnector)
