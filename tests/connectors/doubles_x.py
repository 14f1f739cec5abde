"""A test double of the X API v2: mentions, the user's own posts, reply creation, OAuth 2.0 refresh.

Shapes follow docs.x.com (``../shared/PLATFORMS.md`` §4): ``GET /2/users/{id}/mentions`` with
``since_id``, ``max_results`` (5-100), ``pagination_token`` and ``expansions=author_id`` answers
``{"data", "includes": {"users"}, "meta": {"result_count", "newest_id", "oldest_id",
"next_token"}}``, newest first; ``POST /2/tweets`` with ``reply.in_reply_to_tweet_id`` answers 201
``{"data": {"id", "text"}}``, or 403 when the author did not mention the account (the reply rule of
2026-02-23); errors are problem documents ``{"title", "detail", "type", "status"}``; a lookup of a
deleted post answers 200 with ``errors`` and no ``data``; tokens are bearer tokens, refreshed at
``POST /2/oauth2/token`` with rotation.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from doubles_http import Reply, Request, json_reply

__all__ = ["REPLY_REFUSED", "XDouble", "problem"]

#: The 403 detail X sends for a reply the new rule does not allow (gptme-contrib #1302).
REPLY_REFUSED = "You can only reply to or quote posts where you are mentioned or are the author."

_T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Reply:
    """Return an X API v2 problem answer."""
    body = {"title": title, "detail": detail, "type": "about:blank", "status": status}
    return json_reply(status, body, headers)


@dataclass
class Tweet:
    """A post of the double."""

    id: str
    text: str
    author_id: str
    created: dt.datetime
    reply_to: str | None = None
    mentions_us: bool = True
    deleted: bool = False
    reply_allowed: bool = True  # False: X's reply rule refuses a reply to it
    superseded: bool = False  # an edit made a newer version; timelines show that one
    history: list[str] = field(default_factory=list)


class XDouble:
    """The X API v2 for one connected account (``me``) and the people who mention it."""

    def __init__(
        self,
        *,
        me: str = "42",
        username: str = "riversidedental",
        token: str = "x-access-1",
        refresh_token: str = "x-refresh-1",
        client_id: str = "x-client",
    ) -> None:
        self.me = me
        self.username = username
        self.tokens = {token}
        self.refresh_tokens = {refresh_token}
        self.client_id = client_id
        self.users = {me: ("Riverside Family Dental", username)}
        self.tweets: dict[str, Tweet] = {}
        self._ids = itertools.count(1_850_000_000_000_000_001)
        self.clock = _T0
        self.issued = 0
        # Login (the Connections page): code -> (PKCE challenge, redirect URI); the scope granted.
        self.codes: dict[str, tuple[str, str]] = {}
        self.client_secret: str | None = None  # set: a confidential client, Basic auth checked
        self.granted = "tweet.read tweet.write users.read offline.access"

    # -- building the world ------------------------------------------------------------------

    def add_user(self, user_id: str, name: str, username: str) -> None:
        """Add a person who can post."""
        self.users[user_id] = (name, username)

    def mention(
        self,
        text: str,
        *,
        author_id: str = "7",
        mentions_us: bool = True,
        reply_allowed: bool = True,
    ) -> str:
        """Post a tweet by ``author_id`` mentioning the account (or, if not, quoting only).

        ``reply_allowed=False``: X refuses our reply to it with the 403 of the reply rule.
        """
        if author_id not in self.users:
            self.add_user(author_id, f"Person {author_id}", f"person{author_id}")
        self.clock += dt.timedelta(minutes=1)
        tweet_id = str(next(self._ids))
        self.tweets[tweet_id] = Tweet(
            tweet_id,
            text,
            author_id,
            self.clock,
            mentions_us=mentions_us,
            history=[tweet_id],
            reply_allowed=reply_allowed,
        )
        return tweet_id

    def edit(self, tweet_id: str, text: str) -> str:
        """Edit a post as X does: a new id whose edit history starts with the original."""
        old = self.tweets[tweet_id]
        new_id = self.mention(text, author_id=old.author_id, mentions_us=old.mentions_us)
        history = [*old.history, new_id]
        for version in history:
            self.tweets[version].history = history
        old.superseded = True  # the timeline shows the newest version only
        return new_id

    def our_replies_to(self, tweet_id: str) -> list[Tweet]:
        """Return the live replies the account posted to ``tweet_id``."""
        return [
            t
            for t in self.tweets.values()
            if t.author_id == self.me and t.reply_to == tweet_id and not t.deleted
        ]

    # -- serving -------------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        """Answer one X API v2 request."""
        if request.path == "/2/oauth2/token" and request.method == "POST":
            return self._token(request)
        if request.bearer() not in self.tokens:
            return problem(401, "Unauthorized", "Unauthorized")
        if request.path == "/2/users/me" and request.method == "GET":
            name, username = self.users[self.me]
            return json_reply(200, {"data": {"id": self.me, "name": name, "username": username}})
        match = re.fullmatch(r"/2/users/(\w+)/(mentions|tweets)", request.path)
        if match and request.method == "GET":
            return self._timeline(request, match.group(1), match.group(2))
        if request.path == "/2/tweets" and request.method == "POST":
            return self._create(request)
        if request.path == "/2/tweets" and request.method == "GET":
            return self._lookup_many(request.query.get("ids", ""))
        match = re.fullmatch(r"/2/tweets/(\d+)", request.path)
        if match and request.method == "GET":
            return self._lookup(match.group(1))
        if match and request.method == "DELETE":
            tweet = self.tweets.get(match.group(1))
            if tweet is None or tweet.author_id != self.me:
                return problem(403, "Forbidden", "You are not allowed to delete this Tweet.")
            tweet.deleted = True
            return json_reply(200, {"data": {"deleted": True}})
        return problem(404, "Not Found", f"no route {request.method} {request.path}")

    def _token(self, request: Request) -> Reply:
        form = request.form()
        basic = request.headers.get("authorization", "")
        client, secret = form.get("client_id"), None
        if basic.lower().startswith("basic "):
            client, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        if client != self.client_id or (
            self.client_secret is not None and secret != self.client_secret
        ):
            return json_reply(
                401,
                {
                    "error": "unauthorized_client",
                    "error_description": "Missing valid authorization header",
                },
            )
        if form.get("grant_type") == "authorization_code":
            return self._code(form)
        old = form.get("refresh_token", "")
        if form.get("grant_type") != "refresh_token" or old not in self.refresh_tokens:
            return json_reply(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "Value passed for the token was invalid.",
                },
            )
        self.refresh_tokens.discard(old)  # rotation: a refresh token works once
        self.issued += 1
        access, refresh = f"x-access-r{self.issued}", f"x-refresh-r{self.issued}"
        self.tokens.add(access)
        self.refresh_tokens.add(refresh)
        return json_reply(
            200,
            {
                "token_type": "bearer",
                "expires_in": 7200,
                "access_token": access,
                "refresh_token": refresh,
                "scope": "tweet.read tweet.write users.read offline.access",
            },
        )

    def _code(self, form: dict[str, str]) -> Reply:
        """Exchange a code: its PKCE verifier (S256) and redirect URI must match; once only."""
        challenge, redirect = self.codes.pop(form.get("code", ""), ("", ""))
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        verified = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        if not challenge or verified != challenge or redirect != form.get("redirect_uri"):
            return json_reply(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "Value passed for the authorization code was invalid.",
                },
            )
        self.issued += 1
        access, refresh = f"x-access-c{self.issued}", f"x-refresh-c{self.issued}"
        self.tokens.add(access)
        body = {"token_type": "bearer", "expires_in": 7200, "access_token": access}
        body["scope"] = self.granted
        if "offline.access" in self.granted.split():
            self.refresh_tokens.add(refresh)
            body["refresh_token"] = refresh
        return json_reply(200, body)

    def _render(self, tweet: Tweet) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": tweet.id,
            "text": tweet.text,
            "author_id": tweet.author_id,
            "created_at": tweet.created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "edit_history_tweet_ids": list(tweet.history),
        }
        if tweet.reply_to:
            out["referenced_tweets"] = [{"type": "replied_to", "id": tweet.reply_to}]
        if tweet.mentions_us:
            handle = f"@{self.username}"
            at = tweet.text.find(handle)
            out["entities"] = {
                "mentions": [
                    {
                        "start": max(at, 0),
                        "end": max(at, 0) + len(handle),
                        "username": self.username,
                        "id": self.me,
                    }
                ]
            }
        return out

    def _lookup_many(self, ids: str) -> Reply:
        wanted = [i for i in ids.split(",") if i]
        if not 1 <= len(wanted) <= 100:
            return problem(400, "Invalid Request", "ids must name 1 to 100 posts")
        found = [self.tweets[i] for i in wanted if i in self.tweets and not self.tweets[i].deleted]
        body: dict[str, Any] = {"data": [self._render(t) for t in found]} if found else {}
        authors = sorted({t.author_id for t in found})
        if authors:
            body["includes"] = {
                "users": [
                    {"id": a, "name": self.users[a][0], "username": self.users[a][1]}
                    for a in authors
                ]
            }
        return json_reply(200, body)

    def reply_in_app(self, tweet_id: str, text: str) -> str:
        """Post a reply as the account from X's own app (outside SafeReply)."""
        self.clock += dt.timedelta(minutes=1)
        new_id = str(next(self._ids))
        self.tweets[new_id] = Tweet(
            new_id,
            text,
            self.me,
            self.clock,
            reply_to=tweet_id,
            mentions_us=False,
            history=[new_id],
        )
        return new_id

    def _timeline(self, request: Request, user_id: str, which: str) -> Reply:
        if user_id != self.me:
            return problem(403, "Forbidden", "You can only read your own timelines here.")
        try:
            size = int(request.query.get("max_results", "10"))
        except ValueError:
            size = -1
        if not 5 <= size <= 100:
            return problem(400, "Invalid Request", "max_results must be between 5 and 100")
        since = int(request.query.get("since_id") or 0)
        start = int(request.query.get("pagination_token") or 0)
        if which == "mentions":
            found = [t for t in self.tweets.values() if t.mentions_us and t.author_id != self.me]
        else:
            found = [t for t in self.tweets.values() if t.author_id == self.me]
        found = sorted(
            (t for t in found if not (t.deleted or t.superseded) and int(t.id) > since),
            key=lambda t: int(t.id),
            reverse=True,
        )
        chunk = found[start : start + size]
        meta: dict[str, Any] = {"result_count": len(chunk)}
        if not chunk:
            return json_reply(200, {"meta": meta})
        meta.update(newest_id=chunk[0].id, oldest_id=chunk[-1].id)
        if start + size < len(found):
            meta["next_token"] = str(start + size)
        body: dict[str, Any] = {"data": [self._render(t) for t in chunk], "meta": meta}
        if "author_id" in request.query.get("expansions", ""):
            authors = sorted({t.author_id for t in chunk})
            body["includes"] = {
                "users": [
                    {"id": a, "name": self.users[a][0], "username": self.users[a][1]}
                    for a in authors
                ]
            }
        return json_reply(200, body)

    def _lookup(self, tweet_id: str) -> Reply:
        tweet = self.tweets.get(tweet_id)
        if tweet is None or tweet.deleted:
            return json_reply(
                200,
                {
                    "errors": [
                        {
                            "value": tweet_id,
                            "detail": f"Could not find tweet with id: [{tweet_id}].",
                            "title": "Not Found Error",
                            "resource_type": "tweet",
                            "parameter": "id",
                            "resource_id": tweet_id,
                            "type": "https://api.twitter.com/2/problems/resource-not-found",
                        }
                    ]
                },
            )
        name, username = self.users[tweet.author_id]
        return json_reply(
            200,
            {
                "data": self._render(tweet),
                "includes": {
                    "users": [{"id": tweet.author_id, "name": name, "username": username}]
                },
            },
        )

    def _create(self, request: Request) -> Reply:
        body = request.json() or {}
        text = body.get("text")
        target_id = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        if not isinstance(text, str) or not text:
            return problem(400, "Invalid Request", "text is required")
        target = self.tweets.get(target_id or "")
        if target_id and (target is None or target.deleted):
            return problem(400, "Invalid Request", "The post you are replying to does not exist.")
        if target is not None and not (target.mentions_us and target.reply_allowed):
            return problem(403, "Forbidden", REPLY_REFUSED)
        self.clock += dt.timedelta(minutes=1)
        tweet_id = str(next(self._ids))
        self.tweets[tweet_id] = Tweet(
            tweet_id,
            text,
            self.me,
            self.clock,
            reply_to=target_id,
            mentions_us=False,
            history=[tweet_id],
        )
        return json_reply(
            201, {"data": {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}}
        )
