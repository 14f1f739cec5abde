"""What every platform connector is: one protocol, one item shape, one error tree, one HTTP seam.

A connector speaks to one platform for one connection (a Google location, a Facebook Page, an
Instagram account, an X account). The sync (``connectors/sync.py``) and the publisher
(``connectors/publish.py``) only ever use the :class:`Connector` protocol below, so a platform is
added by writing one module and registering its factory; nothing else changes.

Errors a connector raises, and what the caller does with them::

    ConnectorError
     ├── NeedsReauth        token revoked or refresh refused (Google invalid_grant, Meta 190):
     │                      stop, flag the connection "needs re-authorisation", never retry
     ├── RateLimited        429 / quota: retry after ``retry_after`` seconds (Retry-After,
     │                      x-rate-limit-reset), never sooner
     ├── PermanentRefusal   the platform said no for good (X's "only when mentioned", a policy
     │    │                 block, a 400): not retried; the post falls back to the manual path
     │    └── ItemGone      the post was deleted on the platform: marked removed, nothing to post
     └── Transient          5xx, timeouts, broken connections: retried with back-off

HTTP goes through a :data:`Transport`, a plain function, so tests and benchmarks can pass their own
(or point the base URL at a local server); the default uses the standard library only.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from safereply.errors import SafeReplyError

__all__ = [
    "REPLY_STATES",
    "Connector",
    "ConnectorError",
    "ConnectorFactory",
    "Credentials",
    "HttpResponse",
    "ItemGone",
    "NeedsReauth",
    "Page",
    "PermanentRefusal",
    "RateLimited",
    "Registry",
    "RemoteItem",
    "RemoteReply",
    "Target",
    "Transient",
    "Transport",
    "http_json",
    "json_object",
    "parse_retry_after",
    "urllib_transport",
]

#: Moderation states of a reply on the platform: ``pending`` (submitted, not yet live),
#: ``approved`` (live), ``rejected`` (refused by the platform's policy), ``live`` (platforms
#: without moderation: live as soon as posted).
REPLY_STATES = ("pending", "approved", "rejected", "live")


# -- errors ---------------------------------------------------------------------------------------


class ConnectorError(SafeReplyError):
    """A platform call failed; the subclass says whether and when to try again.

    Messages never carry tokens, post text or reply text: they go to logs and the Connections page.
    """


class NeedsReauth(ConnectorError):
    """The platform no longer accepts this connection's tokens: an admin must connect again."""


class RateLimited(ConnectorError):
    """The platform asked us to slow down; try again after ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(0.0, float(retry_after))


class PermanentRefusal(ConnectorError):
    """The platform refused for good; ``reason`` is the platform's own explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ItemGone(PermanentRefusal):
    """The item was deleted on the platform: there is nothing to answer any more."""


class Transient(ConnectorError):
    """A passing failure (5xx, timeout, reset); ``retry_after`` when the platform gave one."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# -- what connectors return -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemoteReply:
    """A reply on the platform (ours or written elsewhere), as read back or just posted.

    Attributes:
        text: the reply's text as the platform holds it.
        external_id: the reply's own id where the platform has one (a comment id, a tweet id);
            None for Google, where a review has at most one reply.
        updated_at: when the platform last changed it.
        state: one of :data:`REPLY_STATES`.
        policy_reason: why the platform rejected it (Google's policy violation), else None.
        url: where to see it, when the platform says.
        by_us: True when the platform says the connected account wrote it (always True on
            Google, where only the owner can reply).
    """

    text: str
    external_id: str | None = None
    updated_at: dt.datetime | None = None
    state: str = "live"
    policy_reason: str | None = None
    url: str | None = None
    by_us: bool = True


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """One review, comment or mention as a connector reads it.

    Attributes:
        external_id: the platform's stable id (unique per platform).
        text: the post's text ('' when the platform has none, e.g. a star-only review).
        author: display name, or None when anonymous.
        rating: stars 1-5, or None.
        created_at / updated_at: timezone-aware; ``updated_at`` drives incremental sync.
        url: where to open it, when known.
        deleted: the platform says it is gone (or a webhook said "remove").
        reply: the reply it already carries, if any (written in SafeReply or elsewhere).
        thread: the conversation it belongs to (a Page post id, a tweet id), when any.
    """

    external_id: str
    text: str
    author: str | None = None
    rating: float | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    url: str | None = None
    deleted: bool = False
    reply: RemoteReply | None = None
    thread: str | None = None


@dataclass(slots=True)
class Page:
    """One page of a fetch.

    Attributes:
        items: the items on this page, new or updated since the cursor.
        cursor: the connector's state to save once these items are stored, so that a restart
            resumes after this page (plain JSON values only).
        done: True on the last page of this sync; ``cursor`` then starts the next sync.
        complete_scan: True when this sync read every item the platform has (not only the changed
            ones): items not seen in it were deleted on the platform.
    """

    items: list[RemoteItem]
    cursor: dict[str, Any]
    done: bool
    complete_scan: bool = False


@dataclass(slots=True)
class Credentials:
    """OAuth client and tokens of one connection (sealed at rest; never logged or shown).

    ``extra`` keeps platform-specific values (a Page access token, an app secret proof key ...).
    """

    client_id: str = ""
    client_secret: str = ""
    refresh_token: str = ""
    access_token: str = ""
    expires_at: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: The sealed text these credentials were opened from, and their JSON then (never sealed
    #: themselves): saving compares them, so a job never writes stale tokens over newer ones.
    sealed_from: str = field(default="", compare=False)
    opened_json: str = field(default="", compare=False)

    def to_json(self) -> str:
        """Return the JSON that is sealed into the database."""
        return json.dumps(
            {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "refresh_token": self.refresh_token,
                "access_token": self.access_token,
                "expires_at": self.expires_at.isoformat() if self.expires_at else None,
                "extra": self.extra,
            }
        )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Credentials:
        """Build credentials from a credentials file or unsealed JSON.

        ``expires_at`` may be an ISO 8601 time or seconds since the epoch.

        Raises:
            ValueError: a field has the wrong type (the message names it, never its value).
        """
        values: dict[str, Any] = {}
        for name in ("client_id", "client_secret", "refresh_token", "access_token"):
            value = data.get(name) or ""
            if not isinstance(value, str):
                raise ValueError(f"credentials field {name!r} must be a string")
            values[name] = value.strip()
        extra = data.get("extra") or {}
        if not isinstance(extra, dict):
            raise ValueError("credentials field 'extra' must be an object")
        return cls(**values, expires_at=_parse_expiry(data.get("expires_at")), extra=dict(extra))

    def __repr__(self) -> str:  # never print secrets, even in a traceback
        return f"Credentials(client_id={self.client_id!r}, expires_at={self.expires_at!r}, ...)"


def _parse_expiry(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError("credentials field 'expires_at' must be a time or epoch seconds")
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(float(value), dt.UTC)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("credentials field 'expires_at' is not an ISO 8601 time") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    raise ValueError("credentials field 'expires_at' must be a time or epoch seconds")


@dataclass(frozen=True, slots=True)
class Target:
    """Which account a connector works on, and where the platform's API is.

    Attributes:
        platform: ``google``, ``facebook``, ``instagram``, ``x`` ...
        account: the platform's account id (``accounts/A``, a Page id, a user id).
        location: the listing it reads (``accounts/A/locations/B``, a Page id ...).
        api_base: the API's base URL (a setting, so a test double or proxy can stand in).
        token_url: where tokens are refreshed.
        timeout: seconds to wait for one answer (``SAFEREPLY_CONNECTOR_TIMEOUT``).
    """

    platform: str
    account: str
    location: str
    api_base: str
    token_url: str = ""
    timeout: float = 30.0


# -- the protocol ---------------------------------------------------------------------------------


@runtime_checkable
class Connector(Protocol):
    """What the sync and the publisher need from a platform.

    ``credentials`` holds the current tokens; a connector that refreshes them updates this
    attribute, and the caller seals the new value back into the connection.
    """

    platform: str
    credentials: Credentials

    def fetch(self, cursor: Mapping[str, Any]) -> Page:
        """Return the next page of new and updated items after ``cursor`` ({} the first time)."""
        ...

    def read_item(self, external_id: str) -> RemoteItem | None:
        """Read one item again (with its replies); None when the platform says it is gone."""
        ...

    def read_replies(self, external_id: str) -> list[RemoteReply]:
        """Return the replies the item carries now: read before any retry of a publish."""
        ...

    def publish_reply(self, external_id: str, text: str) -> RemoteReply:
        """Post ``text`` as the reply (Google: create or replace the one reply)."""
        ...

    def delete_reply(self, external_id: str, reply: RemoteReply) -> None:
        """Delete our reply from the item."""
        ...

    def refresh_tokens(self) -> bool:
        """Refresh the access token now if it expires soon; return True if it changed.

        Raises:
            NeedsReauth: the platform refused the refresh (revoked, expired, invalid_grant).
        """
        ...


#: Builds a connector: (target, credentials, transport) -> Connector.
ConnectorFactory = Callable[["Target", Credentials, "Transport | None"], Connector]


class Registry:
    """Connector factories by platform name; built by :func:`safereply.connectors.registry`."""

    def __init__(self) -> None:
        self._factories: dict[str, ConnectorFactory] = {}

    def register(self, platform: str, factory: ConnectorFactory) -> None:
        """Register (or replace) the factory of ``platform``."""
        self._factories[platform.strip().lower()] = factory

    def platforms(self) -> list[str]:
        """Return the registered platform names, sorted."""
        return sorted(self._factories)

    def create(
        self, target: Target, credentials: Credentials, transport: Transport | None = None
    ) -> Connector:
        """Build the connector of ``target.platform``.

        Raises:
            KeyError: no connector is registered for that platform (the message lists them).
        """
        factory = self._factories.get(target.platform)
        if factory is None:
            known = ", ".join(self.platforms()) or "none"
            raise KeyError(f"no connector for platform {target.platform!r} (known: {known})")
        return factory(target, credentials, transport)


# -- HTTP -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """An HTTP answer: status, headers with lower-case names, body bytes."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """Return the body as JSON ({} when empty).

        Raises:
            Transient: the body is not JSON (a proxy's error page, a truncated answer).
        """
        if not self.body.strip():
            return {}
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            raise Transient(f"HTTP {self.status}: the answer is not JSON") from None


#: ``(method, url, headers, body, timeout) -> HttpResponse``; raises OSError on network failure.
Transport = Callable[[str, str, Mapping[str, str], bytes | None, float], HttpResponse]


def urllib_transport(
    method: str, url: str, headers: Mapping[str, str], body: bytes | None, timeout: float
) -> HttpResponse:
    """Send one request with the standard library (no dependency); any status is returned."""
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return HttpResponse(
                answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
            )
    except urllib.error.HTTPError as exc:
        data = exc.read() if exc.fp is not None else b""
        return HttpResponse(exc.code, {k.lower(): v for k, v in exc.headers.items()}, data)


def parse_retry_after(headers: Mapping[str, str], now: dt.datetime | None = None) -> float | None:
    """Return how many seconds the platform asked us to wait, if it said.

    Reads ``Retry-After`` (seconds or an HTTP date) and X's ``x-rate-limit-reset`` (epoch seconds).
    """
    now = now or dt.datetime.now(dt.UTC)
    value = headers.get("retry-after")
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            return max(0.0, (when - now).total_seconds())
    reset = headers.get("x-rate-limit-reset")
    if reset and reset.strip().isdigit():
        return max(0.0, float(reset) - now.timestamp())
    return None


def http_json(
    transport: Transport,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, Any] | None = None,
    json_body: Any = None,
    form: Mapping[str, str] | None = None,
    timeout: float = 30.0,
) -> HttpResponse:
    """Send a request; network failures become :class:`Transient` (never a raw OSError).

    The caller maps statuses to errors: each platform words its refusals differently.
    """
    if params:
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        url = f"{url}{'&' if '?' in url else '?'}{query}" if query else url
    sent = {"Accept": "application/json", **(headers or {})}
    body: bytes | None = None
    if json_body is not None:
        body = json.dumps(json_body).encode()
        sent["Content-Type"] = "application/json"
    elif form is not None:
        body = urllib.parse.urlencode(form).encode()
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        return transport(method, url, sent, body, timeout)
    except TimeoutError:
        raise Transient(f"{method} {_where(url)}: timed out after {timeout:g} s") from None
    except OSError as exc:
        raise Transient(f"{method} {_where(url)}: {type(exc).__name__}") from None


def json_object(parent: Mapping[str, Any], key: str) -> dict[str, Any]:
    """Return ``parent[key]`` when the platform sent an object there, else an empty one.

    Platforms omit or null optional objects ("meta", "includes", "value"); reading through this
    keeps a missing or malformed part from raising while the result stays typed as a dict.
    """
    value = parent.get(key)
    return value if isinstance(value, dict) else {}


def _where(url: str) -> str:
    """Return scheme://host/path of a URL: never its query, which may carry a token."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
