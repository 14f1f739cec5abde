"""X mentions over the X API v2: read by ``since_id``, answered with ``POST /2/tweets``.

API facts (``/work/shared/PLATFORMS.md`` §4, docs.x.com):

* ``GET /2/users/{id}/mentions`` with ``since_id``, ``max_results`` (5-100), ``pagination_token``,
  ``expansions=author_id`` answers newest first: ``data[]``, ``includes.users[]``,
  ``meta{newest_id, oldest_id, result_count, next_token}`` (``next_token`` absent on the last page);
* ``POST /2/tweets`` ``{"text", "reply": {"in_reply_to_tweet_id"}}`` answers 201
  ``{"data": {"id", "text"}}``; since 2026-02-23 a self-serve app may reply only when the author
  mentioned or quoted the account, else **403** ("You can only reply to or quote posts where you
  are mentioned or are the author."). Every 403 on a reply is a permanent refusal, whatever its
  wording (a wording match broke other clients, gptme-contrib #1302): the post goes to the manual
  path with X's reason;
* posts cannot be edited through the API; ``DELETE /2/tweets/{id}`` deletes ours;
* an edited post gets a new id; ``edit_history_tweet_ids`` lists every version, oldest first, so
  the item's id is the *first* version's and the reply goes to the newest;
* OAuth 2.0 with PKCE: access tokens live 2 hours; ``POST /2/oauth2/token``
  ``grant_type=refresh_token`` rotates the refresh token (the old one stops working);
* 429 with ``x-rate-limit-reset`` (epoch seconds; no ``Retry-After``); errors are problem
  documents ``{"title", "detail", "type", "status"}``; a lookup of a deleted post answers 200
  with ``errors`` and no ``data``.

A sync reads the mentions newer than ``since_id``, then our own posts newer than ``own_since``:
a post of ours replying to a post that mentions us makes that mention arrive with our reply (a
mention answered in X's own app is "replied elsewhere"). The cursor is ``{"since_id",
"own_since"}`` plus a ``run`` during a sync (phase, page token, newest ids, answered posts); both
ids move only when a sync has read every page, so a crash re-reads, never skips.
The mentions timeline never says a post was deleted: that is found when a post is read again
(before publishing), and deleted posts then show as removed.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import urllib.parse
from collections.abc import Callable, Mapping
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
    json_object,
    parse_retry_after,
    urllib_transport,
)
from safereply.errors import ConfigError, InputError

__all__ = [
    "MAX_POST_CHARS",
    "X_SCOPE",
    "XAccount",
    "XConnector",
    "add_connect_arguments",
    "connect_target",
    "exchange_code",
    "register",
    "x_failure",
]

#: What the connect asks X for: read mentions and our posts, post replies, and a refresh token.
X_SCOPE = "tweet.read tweet.write users.read offline.access"

PLATFORM = "x"
PAGE_SIZE = 100
#: X counts a post's length in its own way (weighted characters); 280 is the plain limit.
MAX_POST_CHARS = 280
REFRESH_MARGIN = dt.timedelta(minutes=5)
#: How far back our own timeline is read to find a reply we may already have posted.
READ_BACK_PAGES = 5
#: The most mentions answered outside SafeReply one sync reads back (the rest: next sync).
MAX_ANSWERED = 500
_TWEET_FIELDS = "created_at,author_id,conversation_id,edit_history_tweet_ids,referenced_tweets"


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _problem(response: HttpResponse) -> str:
    """Return X's explanation from a problem document or an ``errors`` list ('' if none)."""
    try:
        body = response.json()
    except Transient:
        return ""
    if not isinstance(body, dict):
        return ""
    for key in ("detail", "error_description", "title", "error"):
        if isinstance(body.get(key), str) and body[key]:
            return body[key][:300]
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("detail") or errors[0].get("message") or "")[:300]
    return ""


def x_failure(response: HttpResponse, doing: str) -> ConnectorError:
    """Return the connector error a failed X answer stands for."""
    reason = _problem(response)
    said = f"X answered {response.status}" + (f": {reason}" if reason else "")
    wait = parse_retry_after(response.headers)
    if response.status == 429:
        return RateLimited(f"{doing}: {said}", retry_after=wait if wait is not None else 900.0)
    if response.status >= 500:
        return Transient(f"{doing}: {said}", retry_after=wait)
    if response.status == 401:
        return NeedsReauth(f"{doing}: {said}; connect the X account again")
    return PermanentRefusal(reason or f"{doing}: {said}")


class XConnector:
    """Reads the mentions of one X account and answers them as that account."""

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
        self.user_id = str(target.account or target.location).strip()
        if not self.user_id.isdigit():
            raise InputError("an X connection needs the account's numeric user id")
        if not target.api_base.startswith(("https://", "http://")):
            raise ConfigError("SAFEREPLY_X_API must start with https:// or http://")
        self.api = target.api_base.rstrip("/")
        self.token_url = target.token_url or f"{self.api}/2/oauth2/token"
        self.credentials = credentials
        self.transport = transport or urllib_transport
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.timeout = timeout if timeout is not None else target.timeout
        self.page_size = max(5, min(PAGE_SIZE, page_size))

    # -- tokens ---------------------------------------------------------------------------------

    def refresh_tokens(self, *, force: bool = False) -> bool:
        """Refresh the 2-hour access token when it is missing, expiring or (``force``) refused.

        Raises:
            NeedsReauth: no refresh token (``offline.access`` was not granted), or X refused it.
        """
        creds = self.credentials
        fresh = creds.expires_at is None or creds.expires_at - REFRESH_MARGIN > self.clock()
        if creds.access_token and fresh and not force:
            return False
        if not creds.refresh_token:
            raise NeedsReauth("the X token expired and there is no refresh token; connect again")
        form = {"grant_type": "refresh_token", "refresh_token": creds.refresh_token}
        headers = _client_auth(creds.client_id, creds.client_secret, form)
        response = http_json(
            self.transport, "POST", self.token_url, headers=headers, form=form, timeout=self.timeout
        )
        if response.status in (400, 401, 403):
            raise NeedsReauth(
                f"X refused the refresh token ({_problem(response) or response.status}"
                "); connect the X account again"
            )
        if not 200 <= response.status < 300:
            raise x_failure(response, "refreshing the token")
        body = response.json()
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            raise Transient("X's token answer had no access_token")
        creds.access_token = body["access_token"]
        seconds = body.get("expires_in")
        creds.expires_at = self.clock() + dt.timedelta(
            seconds=float(seconds) if isinstance(seconds, int | float) else 7200.0
        )
        if isinstance(body.get("refresh_token"), str) and body["refresh_token"]:
            creds.refresh_token = body["refresh_token"]  # rotated: the old one is dead now
        return True

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> HttpResponse:
        """Call the API with a valid token; on a 401 refresh once and try again."""
        self.refresh_tokens()
        response: HttpResponse | None = None
        for attempt in (1, 2):
            response = http_json(
                self.transport,
                method,
                f"{self.api}{path}",
                headers={"Authorization": f"Bearer {self.credentials.access_token}"},
                params=params,
                json_body=json_body,
                timeout=self.timeout,
            )
            if response.status == 401 and attempt == 1 and self.credentials.refresh_token:
                self.refresh_tokens(force=True)  # revoked or expired early
                continue
            break
        assert response is not None
        return response

    def _json(self, response: HttpResponse, doing: str) -> dict[str, Any]:
        if not 200 <= response.status < 300:
            raise x_failure(response, doing)
        body = response.json()
        if not isinstance(body, dict):
            raise Transient(f"{doing}: X answered something other than an object")
        return body

    # -- reading --------------------------------------------------------------------------------

    def fetch(self, cursor: Mapping[str, Any]) -> Page:
        """Return the next page of this sync (one request each, see the module doc).

        First the mentions newer than ``since_id``; then our own posts newer than ``own_since``,
        whose replies to mentions make those mentions "replied elsewhere" (read in one lookup
        per 100).
        """
        run = dict(cursor["run"]) if isinstance(cursor.get("run"), dict) else {}
        phase = run.get("phase") or "mentions"
        if phase == "own":
            return self._own_page(cursor, run)
        if phase == "answered":
            return self._answered_page(cursor, run)
        return self._mentions_page(cursor, run)

    def _mentions_page(self, cursor: Mapping[str, Any], run: dict[str, Any]) -> Page:
        since = str(cursor.get("since_id") or "") or None
        params = {
            "max_results": self.page_size,
            "since_id": since,
            "pagination_token": run.get("token") or None,
            "expansions": "author_id",
            "tweet.fields": _TWEET_FIELDS,
            "user.fields": "username,name",
        }
        body = self._json(
            self._call("GET", f"/2/users/{self.user_id}/mentions", params=params),
            "reading mentions",
        )
        users = _users(body)
        items = [self._item(t, users) for t in body.get("data") or () if isinstance(t, dict)]
        meta = json_object(body, "meta")
        newest = run.get("newest") or meta.get("newest_id") or None
        token = meta.get("next_token") or None
        run = {"phase": "mentions" if token else "own", "token": token, "newest": newest}
        return Page(items=items, cursor={**_kept(cursor), "run": run}, done=False)

    def _own_page(self, cursor: Mapping[str, Any], run: dict[str, Any]) -> Page:
        """Read a page of our own posts; note the posts they reply to."""
        own_since = str(cursor.get("own_since") or "") or None
        body = self._json(
            self._call(
                "GET",
                f"/2/users/{self.user_id}/tweets",
                params={
                    "since_id": own_since,
                    "max_results": PAGE_SIZE,
                    "pagination_token": run.get("own_token") or None,
                    "tweet.fields": "created_at,referenced_tweets",
                },
            ),
            "reading our posts",
        )
        answered = dict(run.get("answered") or {})
        for post in body.get("data") or ():
            for ref in (post.get("referenced_tweets") or ()) if isinstance(post, dict) else ():
                if isinstance(ref, dict) and ref.get("type") == "replied_to" and ref.get("id"):
                    answered.setdefault(
                        str(ref["id"]),
                        {
                            "id": str(post.get("id")),
                            "text": str(post.get("text") or ""),
                            "created_at": post.get("created_at"),
                        },
                    )
        meta = json_object(body, "meta")
        token = meta.get("next_token") if own_since else None  # first sync: newest page only
        run.update(
            own_token=token or None,
            answered=dict(list(answered.items())[:MAX_ANSWERED]),
            own_newest=run.get("own_newest") or meta.get("newest_id") or None,
        )
        run["phase"] = "own" if token else "answered"
        return (
            self._answered_page(cursor, run)
            if not token and not answered
            else Page(items=[], cursor={**_kept(cursor), "run": run}, done=False)
        )

    def _answered_page(self, cursor: Mapping[str, Any], run: dict[str, Any]) -> Page:
        """Read (100 at a time) the mentions we answered outside SafeReply, with our reply."""
        answered: dict[str, Any] = dict(run.get("answered") or {})
        batch = list(answered)[:100]
        items: list[RemoteItem] = []
        if batch:
            body = self._json(
                self._call(
                    "GET",
                    "/2/tweets",
                    params={
                        "ids": ",".join(_id(b) for b in batch),
                        "expansions": "author_id",
                        "tweet.fields": f"{_TWEET_FIELDS},entities",
                        "user.fields": "username,name",
                    },
                ),
                "reading answered mentions",
            )
            users = _users(body)
            for tweet in body.get("data") or ():
                ours = answered.get(str(tweet.get("id"))) if isinstance(tweet, dict) else None
                if ours and self._mentions_us(tweet):
                    reply = self._our_reply(ours)
                    items.append(dataclasses.replace(self._item(tweet, users), reply=reply))
        rest = {k: v for k, v in answered.items() if k not in batch}
        if rest:
            run.update(phase="answered", answered=rest)
            return Page(items=items, cursor={**_kept(cursor), "run": run}, done=False)
        return Page(items=items, cursor=self._finished(cursor, run), done=True)

    def _mentions_us(self, tweet: Mapping[str, Any]) -> bool:
        """Return True when the post @mentions the account (so it belongs in the inbox)."""
        entities = json_object(tweet, "entities")
        username = str(self.credentials.extra.get("username") or "").lower()
        for mention in entities.get("mentions") or ():
            if not isinstance(mention, dict):
                continue
            if str(mention.get("id") or "") == self.user_id or (
                username and str(mention.get("username") or "").lower() == username
            ):
                return True
        return False

    def _finished(self, cursor: Mapping[str, Any], run: Mapping[str, Any]) -> dict[str, Any]:
        """Return the cursor of a finished sync: both ids moved to the newest read."""
        out: dict[str, Any] = {}
        for key, newest in (("since_id", run.get("newest")), ("own_since", run.get("own_newest"))):
            ids = [int(i) for i in (newest, cursor.get(key)) if i and str(i).isdigit()]
            out[key] = str(max(ids)) if ids else None
        return out

    def _item(self, tweet: Mapping[str, Any], users: Mapping[str, Mapping[str, str]]) -> RemoteItem:
        """Turn a post into an item; an edited post keeps its first version's id."""
        history = [str(v) for v in tweet.get("edit_history_tweet_ids") or () if v]
        first = history[0] if history else str(tweet["id"])
        author = users.get(str(tweet.get("author_id") or ""), {})
        username = author.get("username")
        when = _time(tweet.get("created_at"))
        return RemoteItem(
            external_id=first,
            text=str(tweet.get("text") or ""),
            author=author.get("name") or (f"@{username}" if username else None),
            created_at=when,
            updated_at=when,  # the newest version's time: an edit moves it
            url=f"https://x.com/{username}/status/{tweet['id']}" if username else None,
            thread=str(tweet.get("conversation_id") or "") or None,
        )

    def _lookup(self, external_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """Return (post, users) for the newest version of a post; None when it was deleted."""
        body = self._json(
            self._call(
                "GET",
                f"/2/tweets/{_id(external_id)}",
                params={
                    "expansions": "author_id",
                    "tweet.fields": _TWEET_FIELDS,
                    "user.fields": "username,name",
                },
            ),
            "reading a post",
        )
        data = body.get("data")
        if not isinstance(data, dict):
            return None  # X answers 200 with only `errors` for a deleted post
        history = [str(v) for v in data.get("edit_history_tweet_ids") or ()]
        if history and history[-1] != str(data.get("id")):
            return self._lookup(history[-1])  # an older version: read the newest
        return data, _users(body)

    def read_item(self, external_id: str) -> RemoteItem | None:
        """Read one post again (its newest version); None when X says it is gone."""
        found = self._lookup(external_id)
        if found is None:
            return None
        item = self._item(*found)
        replies = [r for r in self.read_replies(external_id) if r.by_us]
        if not replies:
            return item
        return dataclasses.replace(item, reply=replies[-1])

    def read_replies(self, external_id: str) -> list[RemoteReply]:
        """Return our replies to the post (any version), read from our own recent posts.

        Our timeline is read back to the post's id (``since_id``): a reply is always newer than
        what it answers, so this finds a reply posted just before a crash.
        """
        post = self._lookup(external_id)
        history = post[0].get("edit_history_tweet_ids") if post else None
        wanted = {_id(external_id)} | {str(v) for v in history or () if str(v).isdigit()}
        found: list[RemoteReply] = []
        token: str | None = None
        for _ in range(READ_BACK_PAGES):
            body = self._json(
                self._call(
                    "GET",
                    f"/2/users/{self.user_id}/tweets",
                    params={
                        "since_id": str(int(min(wanted)) - 1),
                        "max_results": PAGE_SIZE,
                        "pagination_token": token,
                        "tweet.fields": _TWEET_FIELDS,
                    },
                ),
                "reading our posts",
            )
            for post in body.get("data") or ():
                refs = post.get("referenced_tweets") if isinstance(post, dict) else None
                targets = {
                    str(r.get("id"))
                    for r in refs or ()
                    if isinstance(r, dict) and r.get("type") == "replied_to"
                }
                if targets & wanted:
                    found.append(self._our_reply(post))
            meta = json_object(body, "meta")
            token = meta.get("next_token") or None
            if not token:
                break
        return sorted(found, key=lambda r: int(r.external_id or 0))

    def _our_reply(self, post: Mapping[str, Any]) -> RemoteReply:
        return RemoteReply(
            text=str(post.get("text") or ""),
            external_id=str(post.get("id")),
            updated_at=_time(post.get("created_at")),
            state="live",
            url=f"https://x.com/i/web/status/{post.get('id')}",
            by_us=True,
        )

    # -- replying -------------------------------------------------------------------------------

    def publish_reply(self, external_id: str, text: str) -> RemoteReply:
        """Reply to the post's newest version.

        Raises:
            PermanentRefusal: X said no (403: the author did not mention the account; too long).
                Never retried: the post goes to the manual path.
            ItemGone: the post was deleted on X (the post is closed as removed).
        """
        if not text.strip():
            raise PermanentRefusal("the reply is empty")
        if len(text) > MAX_POST_CHARS:
            raise PermanentRefusal(f"the reply is {len(text)} characters; X takes {MAX_POST_CHARS}")
        found = self._lookup(external_id)
        if found is None:
            raise ItemGone("the post was deleted on X")
        body = {"text": text, "reply": {"in_reply_to_tweet_id": str(found[0]["id"])}}
        data = self._json(self._call("POST", "/2/tweets", json_body=body), "posting the reply")
        posted = json_object(data, "data")
        if not posted.get("id"):
            raise Transient("X accepted the reply but returned no id")
        return RemoteReply(
            text=str(posted.get("text") or text),
            external_id=str(posted["id"]),
            updated_at=self.clock(),
            state="live",
            url=f"https://x.com/i/web/status/{posted['id']}",
        )

    def delete_reply(self, external_id: str, reply: RemoteReply) -> None:
        """Delete our reply (X has no edit: an edit is a delete and a new reply)."""
        if not reply.external_id:
            raise PermanentRefusal("the reply to delete has no id")
        response = self._call("DELETE", f"/2/tweets/{_id(reply.external_id)}")
        if response.status == 404:
            return
        self._json(response, "deleting the reply")


def _id(value: str) -> str:
    """Return a post id safe for a path (digits only)."""
    text = str(value).strip()
    if not text.isdigit():
        raise PermanentRefusal(f"{urllib.parse.quote(text[:40])!r} is not an X post id")
    return text


def _kept(cursor: Mapping[str, Any]) -> dict[str, Any]:
    """Return the cursor's ids that only move when a sync has finished."""
    return {k: cursor.get(k) for k in ("since_id", "own_since")}


def _users(body: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Return ``includes.users`` by id."""
    includes = json_object(body, "includes")
    return {
        str(u["id"]): {"name": str(u.get("name") or ""), "username": str(u.get("username") or "")}
        for u in includes.get("users") or ()
        if isinstance(u, dict) and u.get("id")
    }


def _client_auth(client_id: str, client_secret: str, form: dict[str, str]) -> dict[str, str]:
    """Return the token endpoint's headers: Basic for a confidential client; a public client
    names itself in the form instead (``form`` gets its ``client_id``)."""
    if client_secret:
        pair = f"{client_id}:{client_secret}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}
    form["client_id"] = client_id
    return {}


@dataclasses.dataclass(frozen=True, slots=True)
class XAccount:
    """The X account an authorization granted, with its tokens."""

    user_id: str
    username: str
    credentials: Credentials = dataclasses.field(repr=False)


def exchange_code(
    token_url: str,
    api_base: str,
    *,
    client_id: str,
    client_secret: str,
    code: str,
    verifier: str,
    redirect_uri: str,
    transport: Transport | None = None,
    timeout: float = 30.0,
    now: dt.datetime | None = None,
) -> XAccount:
    """Exchange an authorization code (with its PKCE verifier) for the account's tokens.

    ``POST /2/oauth2/token`` ``grant_type=authorization_code`` (Basic authentication for a
    confidential client) answers the 2-hour access token and, with ``offline.access``, the
    refresh token; ``GET /2/users/me`` names the account.

    Raises:
        PermanentRefusal: X refused the code (expired, used, another verifier or redirect URI),
            or did not grant a refresh token or posting (the message says what to do).
        ConnectorError: a passing failure or a rate limit.
    """
    send = transport or urllib_transport
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    form["code_verifier"] = verifier
    headers = _client_auth(client_id, client_secret, form)
    response = http_json(send, "POST", token_url, headers=headers, form=form, timeout=timeout)
    if response.status in (400, 401, 403):
        reason = _problem(response) or response.status
        raise PermanentRefusal(f"X refused the authorization ({reason})")
    if not 200 <= response.status < 300:
        raise x_failure(response, "exchanging the code")
    body = json_object({"body": response.json()}, "body")
    if not isinstance(body.get("access_token"), str) or not body["access_token"]:
        raise Transient("X's token answer had no access_token")
    if not body.get("refresh_token"):
        raise PermanentRefusal(
            "X gave no refresh token (offline.access was not granted); connect again"
        )
    if "tweet.write" not in str(body.get("scope") or X_SCOPE).split():
        raise PermanentRefusal(
            "X did not grant posting replies (tweet.write); connect again and allow it"
        )
    seconds = body.get("expires_in")
    credentials = Credentials(
        client_id=client_id,
        client_secret=client_secret,
        refresh_token=str(body["refresh_token"]),
        access_token=str(body["access_token"]),
        expires_at=(now or dt.datetime.now(dt.UTC))
        + dt.timedelta(seconds=float(seconds) if isinstance(seconds, int | float) else 7200.0),
    )
    return _account(api_base, credentials, send, timeout)


def _account(api_base: str, credentials: Credentials, send: Transport, timeout: float) -> XAccount:
    """Read the account's id and username with its new token (``GET /2/users/me``)."""
    me = http_json(
        send,
        "GET",
        f"{api_base.rstrip('/')}/2/users/me",
        headers={"Authorization": f"Bearer {credentials.access_token}"},
        timeout=timeout,
    )
    if not 200 <= me.status < 300:
        raise x_failure(me, "reading the account")
    user = json_object(json_object({"body": me.json()}, "body"), "data")
    user_id, username = str(user.get("id") or ""), str(user.get("username") or "")[:100]
    if not user_id.isdigit():
        raise Transient("reading the account: X answered without the account's id")
    if username:
        credentials.extra["username"] = username
    return XAccount(user_id=user_id, username=username, credentials=credentials)


def add_connect_arguments(platform: str, parser: Any) -> None:
    """Add ``--user-id`` (the X account's numeric id) to ``safereply connect x``."""
    parser.add_argument(
        "--user-id",
        "--account",
        dest="account",
        required=True,
        metavar="ID",
        help="the X account's numeric user id (not its @name)",
    )


def connect_target(platform: str, args: Any) -> tuple[str, str, str | None]:
    """Return (account, external id, name) for ``safereply connect x``.

    Raises:
        InputError: the id is not numeric (an @name is not an id).
    """
    account = str(args.account or "").strip()
    if not account.isdigit():
        raise InputError(f"--user-id must be the account's numeric id, not {account[:40]!r}")
    return account, account, None


def register(registry: Registry) -> None:
    """Register the X connector."""
    registry.register(PLATFORM, XConnector)
