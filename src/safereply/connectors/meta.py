"""Facebook Page comments and Instagram comments over Meta's Graph API.

API facts (``/work/shared/PLATFORMS.md`` §2-3, developers.facebook.com):

* lists answer ``{"data": [...], "paging": {"cursors": {"after"}, "next"}}``; ``next`` is absent
  on the last page, and the ``after`` cursor asks for the page after this one;
* Facebook: ``GET /{page-id}/feed`` lists the Page's posts; ``GET /{post-id}/comments``
  (``filter=toplevel``, ``order=chronological``) its comments, each with its replies nested
  (``comments.limit(100){...}``); ``POST /{comment-id}/comments`` ``message=`` answers as the
  Page; ``POST /{comment-id}`` ``message=`` edits our comment; ``DELETE /{comment-id}`` deletes it;
* Instagram (Instagram Login, ``graph.instagram.com``): ``GET /{ig-user-id}/media`` with
  ``comments_count``; ``GET /{media-id}/comments`` with nested ``replies{...}``;
  ``POST /{ig-comment-id}/replies`` ``message=`` (top-level, non-hidden comments only);
  ``DELETE /{ig-comment-id}``; Instagram comments cannot be edited by anyone;
* the token travels as the ``access_token`` parameter, with ``appsecret_proof`` (hex HMAC-SHA256
  of the token keyed by the app secret) whenever the connection has the app secret;
* errors ``{"error": {message, type, code, error_subcode}}``: 190 (and 102) the token is dead →
  re-authorise; 10 and 200-299 a permission is missing → re-authorise; 4, 17, 32, 613 and the
  800xx Business Use Case codes → rate limited; 1, 2, 341, 506 and ``is_transient`` → retry;
  100 with subcode 33 → the object is gone; anything else → a permanent refusal.

How a sync finds what changed. Graph comments carry no "updated since" filter, so each sync walks
the list of posts (Facebook) or media (Instagram), 100 per request, and reads the comments of
those whose comment count changed since the last sync (new or deleted comments), whose
``updated_time`` moved (Facebook), or that a webhook named (``recheck`` in the cursor). A *full*
scan (``{"full": true}`` from the sync, and always the first) reads every comment: an edit no
count reveals, and a comment not seen any more (deleted), are found there. One ``fetch`` is one
request; the cursor records exactly where the walk stands, so a restart resumes it.

The cursor (plain JSON)::

    {"counts": {root_id: comment_count}, "watermark": ISO time | None, "since": ISO time,
     "recheck": [root_id],
     "run": {"full", "roots_after", "roots_done", "queue", "root", "after", "high", "counts"}}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from safereply.connectors.base import (
    ConnectorError,
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
from safereply.errors import ConfigError, InputError

__all__ = [
    "FACEBOOK_SCOPE",
    "INSTAGRAM_SCOPE",
    "FacebookConnector",
    "Gone",
    "GraphClient",
    "InstagramAccount",
    "InstagramConnector",
    "MissingPermission",
    "PageChoice",
    "add_connect_arguments",
    "appsecret_proof",
    "connect_target",
    "exchange_facebook_code",
    "exchange_instagram_code",
    "facebook_pages",
    "graph_failure",
    "register",
]

#: What Facebook Login asks for (PLATFORMS.md §2): list the Pages, read and answer comments as the
#: Page, install the app on the Page for webhooks.
FACEBOOK_SCOPE = ",".join(
    (
        "pages_show_list",
        "pages_read_engagement",
        "pages_read_user_engagement",
        "pages_manage_engagement",
        "pages_manage_metadata",
    )
)
#: What Instagram Login asks for (PLATFORMS.md §3): the account and its comments.
INSTAGRAM_SCOPE = "instagram_business_basic,instagram_business_manage_comments"

LIST_SIZE = 100
#: How long a refreshable token may have left before it is refreshed.
REFRESH_MARGIN = dt.timedelta(days=7)
#: Wait this long after a rate-limit error that says nothing about when to come back.
DEFAULT_RATE_WAIT = 300.0
_RATE_CODES = frozenset({4, 17, 32, 613})
_TRANSIENT_CODES = frozenset({1, 2, 341, 506})
_REAUTH_CODES = frozenset({102, 190})
#: Cursor keys a finished sync keeps (the rest is rebuilt by every sync).
_STICKY = ("webhooks",)


class Gone(ItemGone):
    """The object no longer exists on the platform (Graph error 100, subcode 33).

    An :class:`ItemGone`: a comment deleted before its reply went out is closed as removed.
    """


class MissingPermission(NeedsReauth):
    """The token lacks a permission the call needs (Graph errors 10, 200-299)."""


def appsecret_proof(app_secret: str, token: str) -> str:
    """Return the ``appsecret_proof`` Meta asks for: hex HMAC-SHA256 of the token."""
    return hmac.new(app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()


def _graph_time(value: Any) -> dt.datetime | None:
    """Parse ``2026-11-01T09:00:00+0000`` (Graph's ISO 8601 without a colon); None if unreadable."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _usage_wait(headers: Mapping[str, str]) -> float | None:
    """Return seconds to wait from ``X-Business-Use-Case-Usage`` (minutes to regain access)."""
    raw = headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
    except ValueError:
        return None
    minutes = [
        entry.get("estimated_time_to_regain_access")
        for entries in (usage.values() if isinstance(usage, dict) else ())
        for entry in (entries if isinstance(entries, list) else ())
        if isinstance(entry, dict)
    ]
    found = [float(m) for m in minutes if isinstance(m, int | float)]
    return max(found) * 60.0 if found and max(found) > 0 else None


def graph_failure(response: HttpResponse, doing: str, platform: str) -> ConnectorError:
    """Return the connector error a failed Graph answer stands for (see the module doc).

    The message names the platform, the action and Meta's code; never a token or a post's text.
    """
    try:
        body = response.json()
    except Transient:
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    subcode = error.get("error_subcode")
    said = f"{platform.capitalize()} answered {response.status}" + (
        f", error {code}" + (f"/{subcode}" if isinstance(subcode, int) else "") if code else ""
    )
    message = str(error.get("message") or "")[:200]
    said += f": {message}" if message else ""
    wait = parse_retry_after(response.headers)
    if code in _REAUTH_CODES or response.status == 401:
        return NeedsReauth(f"{doing}: {said}; connect the account again")
    if response.status == 429 or code in _RATE_CODES or (code and 80000 <= code < 80100):
        wait = wait if wait is not None else _usage_wait(response.headers)
        return RateLimited(f"{doing}: {said}", retry_after=wait or DEFAULT_RATE_WAIT)
    if response.status >= 500 or code in _TRANSIENT_CODES or error.get("is_transient"):
        return Transient(f"{doing}: {said}", retry_after=wait)
    if code == 10 or (code and 200 <= code <= 299):
        return MissingPermission(
            f"{doing}: {said}; a permission is missing: connect again and grant it"
        )
    if code == 100 and subcode == 33:
        return Gone(f"{doing}: the object no longer exists on {platform.capitalize()}")
    return PermanentRefusal(f"{doing}: {said}")


class GraphClient:
    """Graph API calls for one connection: token, proof, timeout and error mapping in one place."""

    def __init__(
        self,
        platform: str,
        api_base: str,
        credentials: Credentials,
        transport: Transport | None = None,
        *,
        timeout: float = 30.0,
    ) -> None:
        if not api_base.startswith(("https://", "http://")):
            # urllib would put the whole URL, token included, in its error message
            raise ConfigError(f"the {platform} API base URL must start with https:// or http://")
        self.platform = platform
        self.api = api_base.rstrip("/")
        self.credentials = credentials
        self.transport = transport or urllib_transport
        self.timeout = timeout
        #: Called before every call that uses the token (the connector refreshes it if due).
        self.prepare: Callable[[], object] | None = None

    def _auth(self) -> dict[str, str]:
        token = self.credentials.access_token
        if not token:
            raise NeedsReauth(f"the {self.platform} connection has no access token")
        auth = {"access_token": token}
        if self.credentials.client_secret:
            auth["appsecret_proof"] = appsecret_proof(self.credentials.client_secret, token)
        return auth

    def call(
        self,
        method: str,
        path: str,
        doing: str,
        *,
        params: Mapping[str, Any] | None = None,
        form: Mapping[str, str] | None = None,
        prepare: bool = True,
    ) -> dict[str, Any]:
        """Send one request and return its JSON object (``prepare=False``: a token call).

        Raises:
            ConnectorError: the subclass :func:`graph_failure` picks; Transient for a non-object.
        """
        if prepare and self.prepare is not None:
            self.prepare()
        response = http_json(
            self.transport,
            method,
            f"{self.api}/{path.lstrip('/')}",
            params={**(params or {}), **self._auth()},
            form=form,
            timeout=self.timeout,
        )
        if not 200 <= response.status < 300:
            raise graph_failure(response, doing, self.platform)
        body = response.json()
        if not isinstance(body, dict):
            raise Transient(f"{doing}: {self.platform} answered something other than an object")
        return body

    def all_pages(
        self, path: str, doing: str, params: Mapping[str, Any], *, limit: int = 20
    ) -> list[dict[str, Any]]:
        """Return every ``data`` row of a list, following ``paging.next`` (``limit`` pages).

        Raises:
            Transient: the list goes on past ``limit`` pages. A partial list must not pass for the
                whole one (a reply beyond it would be missed, and a publish retried over it).
        """
        rows: list[dict[str, Any]] = []
        after: str | None = None
        for _ in range(limit):
            body = self.call("GET", path, doing, params={**params, "after": after})
            rows.extend(r for r in body.get("data") or () if isinstance(r, dict))
            after = _next_after(body)
            if after is None:
                return rows
        raise Transient(f"{doing}: more than {limit} pages; not read whole")


def _next_after(body: Mapping[str, Any]) -> str | None:
    """Return the ``after`` cursor when the answer says a next page exists (``paging.next``)."""
    paging = body.get("paging")
    if not isinstance(paging, dict) or not paging.get("next"):
        return None
    cursors = paging.get("cursors")
    after = cursors.get("after") if isinstance(cursors, dict) else None
    return after if isinstance(after, str) and after else None


@dataclass
class _Run:
    """Where one sync's walk over posts/media and their comments stands."""

    full: bool
    roots_after: str | None = None
    roots_done: bool = False
    queue: list[str] = field(default_factory=list)
    root: str | None = None
    after: str | None = None
    high: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, raw: Any, *, full: bool) -> _Run:
        """Rebuild a run from the cursor, or start a new one."""
        if not isinstance(raw, dict):
            return cls(full=full)
        return cls(
            full=bool(raw.get("full")),
            roots_after=raw.get("roots_after") or None,
            roots_done=bool(raw.get("roots_done")),
            queue=[str(q) for q in raw.get("queue") or ()],
            root=raw.get("root") or None,
            after=raw.get("after") or None,
            high=raw.get("high") or None,
            counts={str(k): int(v) for k, v in (raw.get("counts") or {}).items()},
        )

    def dump(self) -> dict[str, Any]:
        """Return the run as plain JSON values."""
        return {
            "full": self.full,
            "roots_after": self.roots_after,
            "roots_done": self.roots_done,
            "queue": list(self.queue),
            "root": self.root,
            "after": self.after,
            "high": self.high,
            "counts": dict(self.counts),
        }


def _latest(replies: Iterable[RemoteReply]) -> RemoteReply | None:
    """Return the most recent reply (the one a reader sees last), or None."""
    ordered = sorted(replies, key=lambda r: r.updated_at or dt.datetime.min.replace(tzinfo=dt.UTC))
    return ordered[-1] if ordered else None


class _GraphConnector:
    """What Facebook and Instagram share: the walk over roots and comments, replies, tokens.

    Subclasses say which edges to read and how a row reads (``_roots``, ``_root_row``,
    ``_row_author``, ``_row_text``, ``_row_fields``, ``_reply_edge``) and how the token is
    refreshed (``refresh_tokens``).
    """

    platform = ""
    #: The fields of one comment; ``_comment_fields`` adds its nested replies.
    _row_fields = ""
    _comment_fields = ""
    _reply_edge = "comments"

    def __init__(
        self,
        target: Target,
        credentials: Credentials,
        transport: Transport | None = None,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        timeout: float | None = None,
    ) -> None:
        self.owner = str(target.account or target.location).strip()
        if not self.owner:
            raise InputError(f"a {self.platform} connection needs the account id")
        self.client = GraphClient(
            self.platform,
            target.api_base,
            credentials,
            transport,
            timeout=timeout if timeout is not None else target.timeout,
        )
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._refresh_refused = False
        self.client.prepare = self._refresh_if_due

    def _refresh_if_due(self) -> None:
        """Refresh the token before a call when it expires soon (see ``refresh_tokens``).

        A refusal to extend it (not a dead token: that is NeedsReauth) leaves the current token in
        use until it expires; it is not asked again by this connector.
        """
        if self._refresh_refused:
            return
        try:
            self.refresh_tokens()
        except PermanentRefusal:
            self._refresh_refused = True

    @property
    def credentials(self) -> Credentials:
        """The connection's tokens (the caller seals them back after a refresh)."""
        return self.client.credentials

    @credentials.setter
    def credentials(self, value: Credentials) -> None:
        self.client.credentials = value

    # -- subclass hooks ---------------------------------------------------------------------------

    def refresh_tokens(self, *, force: bool = False) -> bool:
        """Refresh the access token if it expires soon; return True if it changed."""
        raise NotImplementedError

    def _roots(self) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError

    def _root_row(self, row: Mapping[str, Any]) -> tuple[int, dt.datetime | None]:
        """Return (comment count, updated time) of a post/media row."""
        raise NotImplementedError

    def _row_author(self, row: Mapping[str, Any]) -> tuple[str | None, str | None]:
        """Return (author id, display name) of a comment row."""
        raise NotImplementedError

    def _row_text(self, row: Mapping[str, Any]) -> str:
        raise NotImplementedError

    def _nested(self, row: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Return every reply under a comment row (all pages when the nested one has more)."""
        nested = row.get(self._reply_edge)
        data = nested.get("data") if isinstance(nested, dict) else None
        if isinstance(nested, dict) and _next_after(nested) is not None and row.get("id"):
            return self.client.all_pages(
                f"{_node(str(row['id']))}/{self._reply_edge}",
                "reading replies",
                {"fields": self._row_fields, "limit": LIST_SIZE},
            )
        return [r for r in data or () if isinstance(r, dict)]

    # -- reading --------------------------------------------------------------------------------

    def fetch(self, cursor: Mapping[str, Any]) -> Page:
        """Return the next page of the sync's walk (one request; see the module doc)."""
        first = "counts" not in cursor
        run = _Run.load(cursor.get("run"), full=bool(cursor.get("full")) or first)
        if cursor.get("run") is None:  # a new sync: the roots a webhook named come first
            run.queue = list(dict.fromkeys(str(r) for r in cursor.get("recheck") or ()))
        if run.root is None and run.queue:
            run.root, run.after = run.queue.pop(0), None
        items: list[RemoteItem] = []
        if run.root is not None:
            items = self._comments_page(run)
        elif not run.roots_done:
            self._roots_page(run, cursor)
        done = run.root is None and not run.queue and run.roots_done
        if not done:
            kept = {k: v for k, v in cursor.items() if k not in ("run", "full")}
            return Page(items=items, cursor={**kept, "run": run.dump()}, done=False)
        marks = [t for t in map(_graph_time, (cursor.get("watermark"), run.high)) if t]
        watermark = max(marks).isoformat() if marks else None
        # ``since`` (when the last complete sync ended) tells the sync a cursor has been through a
        # first, full scan: a cursor without it is read as a complete scan (connectors/sync.py).
        since = self.clock().isoformat()
        finished = {"counts": run.counts, "watermark": watermark, "since": since}
        finished.update({k: cursor[k] for k in _STICKY if k in cursor})
        return Page(items=items, cursor=finished, done=True, complete_scan=run.full)

    def _roots_page(self, run: _Run, cursor: Mapping[str, Any]) -> None:
        """Read one page of posts/media and queue those whose comments must be read."""
        path, params = self._roots()
        body = self.client.call(
            "GET",
            path,
            "listing posts",
            params={**params, "limit": LIST_SIZE, "after": run.roots_after},
        )
        previous = {str(k): v for k, v in (cursor.get("counts") or {}).items()}
        watermark = _graph_time(cursor.get("watermark"))
        for row in body.get("data") or ():
            if not isinstance(row, dict) or not row.get("id"):
                continue
            root = str(row["id"])
            count, updated = self._root_row(row)
            if count:
                run.counts[root] = count
            if updated and (run.high is None or updated > (_graph_time(run.high) or updated)):
                run.high = updated.isoformat()
            moved = updated is not None and (watermark is None or updated > watermark)
            changed = run.full or previous.get(root, 0) != count or moved
            if changed and root != run.root and root not in run.queue:
                run.queue.append(root)
        run.roots_after = _next_after(body)
        run.roots_done = run.roots_after is None

    def _comments_page(self, run: _Run) -> list[RemoteItem]:
        """Read one page of the current root's comments and turn them into items."""
        assert run.root is not None
        try:
            body = self.client.call(
                "GET",
                f"{run.root}/comments",
                "reading comments",
                params=self._comment_params(run.after),
            )
        except Gone:  # the post was deleted while we walked: its comments go with the full scan
            run.root, run.after = None, None
            return []
        rows = [r for r in body.get("data") or () if isinstance(r, dict)]
        items = [item for row in rows for item in self._items(row, run.root)]
        run.after = _next_after(body)
        if run.after is None:
            run.root = None
        return items

    def _comment_params(self, after: str | None) -> dict[str, Any]:
        return {"fields": self._comment_fields, "limit": LIST_SIZE, "after": after}

    def _is_ours(self, row: Mapping[str, Any]) -> bool:
        author_id, name = self._row_author(row)
        username = str(self.credentials.extra.get("username") or "")
        return author_id == self.owner or bool(username and name == username)

    def _reply(self, row: Mapping[str, Any]) -> RemoteReply:
        return RemoteReply(
            text=self._row_text(row),
            external_id=str(row.get("id") or "") or None,
            updated_at=_graph_time(row.get("created_time") or row.get("timestamp")),
            state="live",
            url=row.get("permalink_url") or None,
            by_us=self._is_ours(row),
        )

    def _items(self, row: Mapping[str, Any], root: str | None) -> list[RemoteItem]:
        """Return the items one comment row holds: itself and others' replies under it."""
        nested = self._nested(row)
        ours = [self._reply(r) for r in nested if self._is_ours(r)]
        items: list[RemoteItem] = []
        if not self._is_ours(row):
            items.append(self._item(row, root, _latest(ours)))
        items.extend(self._item(r, root, None) for r in nested if not self._is_ours(r))
        return items

    def _item(
        self, row: Mapping[str, Any], root: str | None, reply: RemoteReply | None
    ) -> RemoteItem:
        _, name = self._row_author(row)
        created = _graph_time(row.get("created_time") or row.get("timestamp"))
        return RemoteItem(
            external_id=str(row["id"]),
            text=self._row_text(row),
            author=name,
            created_at=created,
            updated_at=None,  # Graph comments carry no edit time: the text tells an edit
            url=row.get("permalink_url") or None,
            reply=reply,
            thread=root,
        )

    def read_item(self, external_id: str) -> RemoteItem | None:
        """Read one comment again, with its replies; None when it was deleted."""
        try:
            row = self.client.call(
                "GET",
                _node(external_id),
                "reading a comment",
                params={"fields": self._comment_fields},
            )
        except Gone:
            return None
        items = self._items(row, None)
        return items[0] if items and items[0].external_id == str(row.get("id")) else None

    def read_replies(self, external_id: str) -> list[RemoteReply]:
        """Return every reply under the comment now (``by_us`` marks ours): read before a retry.

        Raises:
            Gone: the comment was deleted (there is nothing to answer any more).
        """
        rows = self.client.all_pages(
            f"{_node(external_id)}/{self._reply_edge}",
            "reading replies",
            {
                "fields": self._row_fields,
                "limit": LIST_SIZE,
            },
        )
        return [self._reply(r) for r in rows]

    # -- replying -------------------------------------------------------------------------------

    def publish_reply(self, external_id: str, text: str) -> RemoteReply:
        """Post ``text`` as the account's reply under the comment; live at once.

        Only a top-level comment is answered here. A reply to a reply lands in its parent's
        thread, where the read-back before a retry could not tell it from our other replies
        there: that would risk posting twice, so such an item goes to the manual path.

        Raises:
            PermanentRefusal: an empty reply, a reply to a reply, or the comment is gone.
        """
        if not text.strip():
            raise PermanentRefusal("the reply is empty")
        node = self.client.call(
            "GET", _node(external_id), "reading the comment", params={"fields": self._row_fields}
        )
        if node.get("parent") or node.get("parent_id"):
            raise PermanentRefusal(
                f"this comment is a reply to another comment; answer it on "
                f"{self.platform.capitalize()} (replies go to top-level comments only)"
            )
        body = self.client.call(
            "POST",
            f"{_node(external_id)}/{self._reply_edge}",
            "posting the reply",
            form={"message": text},
        )
        reply_id = body.get("id")
        if not isinstance(reply_id, str) or not reply_id:
            raise Transient(f"{self.platform} accepted the reply but returned no id")
        return RemoteReply(text=text, external_id=reply_id, updated_at=self.clock(), state="live")

    def delete_reply(self, external_id: str, reply: RemoteReply) -> None:
        """Delete our reply; one already gone is not an error."""
        if not reply.external_id:
            raise PermanentRefusal("the reply to delete has no id")
        try:
            self.client.call("DELETE", _node(reply.external_id), "deleting the reply")
        except Gone:
            return

    # -- tokens ---------------------------------------------------------------------------------

    def _expiring(self, force: bool) -> bool:
        expires = self.credentials.expires_at
        return force or (expires is not None and expires - REFRESH_MARGIN <= self.clock())

    def _store_token(self, body: Mapping[str, Any]) -> bool:
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise Transient(f"{self.platform}'s token answer had no access_token")
        self.credentials.access_token = token
        seconds = body.get("expires_in")
        self.credentials.expires_at = (
            self.clock() + dt.timedelta(seconds=float(seconds))
            if isinstance(seconds, int | float) and seconds > 0
            else None
        )
        return True

    def _subscribe(self, field: str) -> str:
        """Subscribe the app to the account's ``field`` webhooks (POST /{owner}/subscribed_apps).

        Return ``on``, or ``refused`` when the platform says no (polling still finds everything).
        Rate limits, passing failures and dead tokens are raised.
        """
        try:
            body = self.client.call(
                "POST",
                f"{_node(self.owner)}/subscribed_apps",
                "subscribing to webhooks",
                form={"subscribed_fields": field},
            )
        except (MissingPermission, PermanentRefusal):
            return "refused"
        return "on" if body.get("success") is True else "refused"


def _node(external_id: str) -> str:
    """Return a Graph node id safe to put in a path (digits, letters, underscores only)."""
    value = str(external_id).strip()
    if not value or not value.replace("_", "").isalnum():
        raise PermanentRefusal(f"{value[:40]!r} is not a Graph object id")
    return value


class FacebookConnector(_GraphConnector):
    """Comments on one Facebook Page's posts: read, answered, edited and deleted as the Page."""

    platform = "facebook"
    _row_fields = "id,message,from{id,name},created_time,parent{id},permalink_url"
    _comment_fields = f"{_row_fields},comments.limit(100){{{_row_fields}}}"

    def fetch(self, cursor: Mapping[str, Any]) -> Page:
        """Subscribe the app to the Page's ``feed`` webhooks once, then walk (see the base)."""
        if "webhooks" not in cursor and cursor.get("run") is None:
            cursor = {**cursor, "webhooks": self.subscribe_webhooks()}
        return super().fetch(cursor)

    def subscribe_webhooks(self) -> str:
        """Install the app on the Page for ``feed`` webhooks; return ``on`` or ``refused``.

        ``POST /{page-id}/subscribed_apps?subscribed_fields=feed`` with the Page token (needs
        ``pages_manage_metadata``). A refusal is not an error: polling still finds every comment,
        and the sync does not ask again. A rate limit or a passing failure is raised (the sync
        retries later); a dead token too.
        """
        return self._subscribe("feed")

    def _roots(self) -> tuple[str, dict[str, Any]]:
        fields = "id,created_time,updated_time,comments.limit(0).summary(true)"
        return f"{_node(self.owner)}/feed", {"fields": fields}

    def _root_row(self, row: Mapping[str, Any]) -> tuple[int, dt.datetime | None]:
        comments = row.get("comments")
        summary = comments.get("summary") if isinstance(comments, dict) else None
        total = summary.get("total_count") if isinstance(summary, dict) else None
        return (int(total) if isinstance(total, int) else -1), _graph_time(row.get("updated_time"))

    def _comment_params(self, after: str | None) -> dict[str, Any]:
        return {**super()._comment_params(after), "filter": "toplevel", "order": "chronological"}

    def _row_author(self, row: Mapping[str, Any]) -> tuple[str | None, str | None]:
        who = row.get("from")
        if not isinstance(who, dict):
            return None, None  # Meta hides the author when the app may not see them
        return (str(who["id"]) if who.get("id") else None), (who.get("name") or None)

    def _row_text(self, row: Mapping[str, Any]) -> str:
        message = row.get("message")
        return message if isinstance(message, str) else ""

    def edit_reply(self, external_id: str, reply: RemoteReply, text: str) -> RemoteReply:
        """Replace the text of our published reply (``POST /{comment-id}`` with ``message``)."""
        if not reply.external_id:
            raise PermanentRefusal("the reply to edit has no id")
        self.client.call(
            "POST", _node(reply.external_id), "editing the reply", form={"message": text}
        )
        return RemoteReply(text=text, external_id=reply.external_id, updated_at=self.clock())

    def refresh_tokens(self, *, force: bool = False) -> bool:
        """Extend an expiring token (``fb_exchange_token``); Page tokens usually never expire.

        Raises:
            NeedsReauth: Meta refused the token (error 190), or it expired with no app secret
                to extend it.
        """
        creds = self.credentials
        if not self._expiring(force):
            return False
        if not (creds.client_id and creds.client_secret):
            if creds.expires_at is not None and creds.expires_at <= self.clock():
                raise NeedsReauth("the Facebook token expired; connect the Page again")
            return False
        body = self.client.call(
            "GET",
            "oauth/access_token",
            "refreshing the token",
            params={
                "grant_type": "fb_exchange_token",
                "client_id": creds.client_id,
                "client_secret": creds.client_secret,
                "fb_exchange_token": creds.access_token,
            },
            prepare=False,
        )
        return self._store_token(body)


class InstagramConnector(_GraphConnector):
    """Comments on one Instagram professional account's media (Instagram Login API)."""

    platform = "instagram"
    _reply_edge = "replies"
    _row_fields = "id,text,timestamp,username,from{id,username},hidden,parent_id"
    _comment_fields = f"{_row_fields},replies{{{_row_fields}}}"

    def subscribe_webhooks(self) -> str:
        """Enable the account's ``comments`` webhooks for this app; return ``on`` or ``refused``.

        ``POST /{ig-user-id}/subscribed_apps?subscribed_fields=comments`` with the Instagram user
        token (Instagram Login: the app's fields are chosen in the App Dashboard, and an account
        gets none until it is subscribed to at least one). A refusal leaves polling alone; a rate
        limit, a passing failure or a dead token is raised.
        """
        return self._subscribe("comments")

    def _roots(self) -> tuple[str, dict[str, Any]]:
        return f"{_node(self.owner)}/media", {"fields": "id,timestamp,comments_count"}

    def _root_row(self, row: Mapping[str, Any]) -> tuple[int, dt.datetime | None]:
        count = row.get("comments_count")
        return (int(count) if isinstance(count, int) else -1), None

    def _row_author(self, row: Mapping[str, Any]) -> tuple[str | None, str | None]:
        who = row.get("from")
        author_id = str(who["id"]) if isinstance(who, dict) and who.get("id") else None
        name = row.get("username") or (who.get("username") if isinstance(who, dict) else None)
        return author_id, (name or None)

    def _row_text(self, row: Mapping[str, Any]) -> str:
        text = row.get("text")
        return text if isinstance(text, str) else ""

    def edit_reply(self, external_id: str, reply: RemoteReply, text: str) -> RemoteReply:
        """Instagram comments cannot be edited: delete the reply and answer again instead."""
        raise PermanentRefusal(
            "Instagram does not let anyone edit a comment; delete the reply "
            "and publish the new text"
        )

    def refresh_tokens(self, *, force: bool = False) -> bool:
        """Refresh the 60-day Instagram token before it expires (``ig_refresh_token``).

        Raises:
            NeedsReauth: Meta refused the token (error 190); it must be at least a day old.
        """
        if not self._expiring(force):
            return False
        body = self.client.call(
            "GET",
            "refresh_access_token",
            "refreshing the token",
            params={"grant_type": "ig_refresh_token"},
            prepare=False,
        )
        return self._store_token(body)


# -- connecting from the Connections page (OAuth authorization code) ------------------------------


@dataclass(frozen=True, slots=True)
class PageChoice:
    """A Page the signed-in Facebook user manages, as the picker shows it (never its token)."""

    id: str
    name: str
    access_token: str = field(repr=False)
    tasks: tuple[str, ...] | None = None

    @property
    def can_moderate(self) -> bool:
        """True unless Meta says the user's tasks on the Page lack MODERATE (needed to answer)."""
        return self.tasks is None or "MODERATE" in self.tasks


def _token_answer(response: HttpResponse, doing: str, platform: str) -> dict[str, Any]:
    """Return a token endpoint's JSON object, or raise what its refusal stands for."""
    if not 200 <= response.status < 300:
        failure = graph_failure(response, doing, platform)
        try:
            said = response.json()
        except Transient:
            said = None
        # Instagram Login's token endpoint words errors its own way: {"error_message": ...}
        message = said.get("error_message") if isinstance(said, dict) else None
        if isinstance(failure, PermanentRefusal) and isinstance(message, str) and message:
            where = f"{platform.capitalize()} answered {response.status}"
            raise PermanentRefusal(f"{doing}: {where}: {message[:200]}")
        raise failure
    body = response.json()
    if isinstance(body, dict) and isinstance(body.get("data"), list) and body["data"]:
        body = body["data"][0]  # Instagram Login answers in a "data" list on some versions
    if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
        raise Transient(f"{doing}: {platform.capitalize()} answered without an access token")
    return body


def _exchange(
    send: Transport,
    method: str,
    url: str,
    doing: str,
    platform: str,
    timeout: float,
    *,
    params: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Call a token endpoint and return its answer (see :func:`_token_answer`)."""
    response = http_json(send, method, url, params=params, form=form, timeout=timeout)
    return _token_answer(response, doing, platform)


def exchange_facebook_code(
    graph_api: str,
    *,
    app_id: str,
    app_secret: str,
    code: str,
    redirect_uri: str,
    transport: Transport | None = None,
    timeout: float = 30.0,
) -> str:
    """Exchange Facebook Login's code for a long-lived (about 60 days) user token.

    ``GET /oauth/access_token?client_id&redirect_uri&client_secret&code`` gives a short-lived
    user token; ``grant_type=fb_exchange_token`` turns it into a long-lived one, whose
    ``/me/accounts`` Page tokens do not expire (PLATFORMS.md §2, M2).

    Raises:
        ConnectorError: Meta refused the code (expired, used, another redirect URI) or the
            exchange; the message names Meta's code and never a token.
    """
    url = f"{graph_api.rstrip('/')}/oauth/access_token"
    send = transport or urllib_transport
    client = {"client_id": app_id, "client_secret": app_secret}
    short = _exchange(
        send,
        "GET",
        url,
        "exchanging the code",
        "facebook",
        timeout,
        params={**client, "redirect_uri": redirect_uri, "code": code},
    )
    long = _exchange(
        send,
        "GET",
        url,
        "extending the token",
        "facebook",
        timeout,
        params={
            **client,
            "grant_type": "fb_exchange_token",
            "fb_exchange_token": short["access_token"],
        },
    )
    return str(long["access_token"])


def facebook_pages(
    graph_api: str,
    user_token: str,
    *,
    app_secret: str,
    transport: Transport | None = None,
    timeout: float = 30.0,
) -> list[PageChoice]:
    """Return the Pages the user token manages, each with its Page token (``GET /me/accounts``).

    Raises:
        ConnectorError: Meta refused the listing (a dead token, a missing permission ...).
    """
    client = GraphClient(
        "facebook",
        graph_api,
        Credentials(access_token=user_token, client_secret=app_secret),
        transport,
        timeout=timeout,
    )
    rows = client.all_pages(
        "me/accounts", "listing your Pages", {"fields": "id,name,access_token,tasks", "limit": 100}
    )
    pages = []
    for row in rows:
        page_id, token = str(row.get("id") or ""), row.get("access_token")
        if not page_id.isdigit() or not isinstance(token, str) or not token:
            continue  # a Page without a token for us cannot be connected
        tasks = row.get("tasks")
        pages.append(
            PageChoice(
                id=page_id,
                name=str(row.get("name") or page_id)[:200],
                access_token=token,
                tasks=tuple(str(t) for t in tasks) if isinstance(tasks, list) else None,
            )
        )
    return pages


@dataclass(frozen=True, slots=True)
class InstagramAccount:
    """The Instagram professional account an Instagram Login granted, with its tokens."""

    user_id: str
    username: str
    credentials: Credentials = field(repr=False)


def exchange_instagram_code(
    token_url: str,
    instagram_api: str,
    *,
    app_id: str,
    app_secret: str,
    code: str,
    redirect_uri: str,
    transport: Transport | None = None,
    timeout: float = 30.0,
    now: dt.datetime | None = None,
) -> InstagramAccount:
    """Exchange Instagram Login's code for the account's 60-day token and its ids.

    ``POST https://api.instagram.com/oauth/access_token`` (form: client id and secret,
    ``grant_type=authorization_code``, redirect URI, code) gives a short-lived token and the
    granted ``permissions``; ``GET /access_token?grant_type=ig_exchange_token`` the long-lived
    one (PLATFORMS.md §3, M16); ``GET /me?fields=user_id,username`` the professional account's
    id (the one media, comments and webhooks use) and name.

    Raises:
        InputError: the comments permission was not granted.
        ConnectorError: Meta refused the code or an exchange.
    """
    send = transport or urllib_transport
    form = {"client_id": app_id, "client_secret": app_secret, "redirect_uri": redirect_uri}
    form.update(grant_type="authorization_code", code=code)
    short = _exchange(
        send, "POST", token_url, "exchanging the code", "instagram", timeout, form=form
    )
    granted = short.get("permissions")
    if isinstance(granted, str):
        granted = granted.split(",")
    if isinstance(granted, list) and "instagram_business_manage_comments" not in granted:
        raise InputError(
            "Instagram did not grant access to the account's comments; connect again and allow "
            "SafeReply to manage comments"
        )
    api = instagram_api.rstrip("/")
    params = {"grant_type": "ig_exchange_token", "client_secret": app_secret}
    params["access_token"] = short["access_token"]
    long = _exchange(
        send,
        "GET",
        f"{api}/access_token",
        "extending the token",
        "instagram",
        timeout,
        params=params,
    )
    seconds = long.get("expires_in")
    credentials = Credentials(
        client_id=app_id,  # no secret kept: refreshing an Instagram token does not need it
        access_token=str(long["access_token"]),
        expires_at=(now or dt.datetime.now(dt.UTC)) + dt.timedelta(seconds=float(seconds))
        if isinstance(seconds, int | float) and seconds > 0
        else None,
    )
    return _instagram_account(GraphClient("instagram", api, credentials, send, timeout=timeout))


def _instagram_account(client: GraphClient) -> InstagramAccount:
    """Read the professional account's id and username with its new token."""
    me = client.call("GET", "me", "reading the account", params={"fields": "user_id,username"})
    user_id = str(me.get("user_id") or me.get("id") or "")
    if not user_id.isdigit():
        raise Transient("reading the account: Instagram answered without the account's id")
    username = str(me.get("username") or "")[:100]
    if username:
        client.credentials.extra["username"] = username
    return InstagramAccount(user_id=user_id, username=username, credentials=client.credentials)


#: The ``safereply connect`` option naming each platform's account (``--account`` also works).
_ID_OPTIONS = {
    "facebook": ("--page-id", "the Facebook Page id"),
    "instagram": ("--ig-user-id", "the Instagram professional account's user id"),
}


def add_connect_arguments(platform: str, parser: Any) -> None:
    """Add ``--page-id`` (Facebook) or ``--ig-user-id`` (Instagram) to ``safereply connect``."""
    option, meaning = _ID_OPTIONS[platform]
    parser.add_argument(
        option, "--account", dest="account", required=True, metavar="ID", help=f"{meaning} (digits)"
    )


def connect_target(platform: str, args: Any) -> tuple[str, str, str | None]:
    """Return (account, external id, name) for ``safereply connect facebook|instagram``.

    Raises:
        InputError: the id is not a Graph id (digits).
    """
    account = str(args.account or "").strip()
    if not account.isdigit():
        option = _ID_OPTIONS[platform][0]
        raise InputError(f"{option} must be the numeric id Meta shows, not {account[:40]!r}")
    return account, account, None


def register(registry: Registry) -> None:
    """Register the Facebook and Instagram connectors."""
    registry.register("facebook", FacebookConnector)
    registry.register("instagram", InstagramConnector)
