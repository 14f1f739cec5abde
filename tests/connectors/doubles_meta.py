"""A test double of Meta's Graph API: Facebook Page feed and comments, Instagram media and comments.

It speaks the documented shapes (developers.facebook.com, see ``../shared/PLATFORMS.md`` §2-3):
lists are ``{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}`` with ``next``
absent on the last page; errors are ``{"error": {"message", "type", "code", "error_subcode",
"fbtrace_id"}}``; the token travels as the ``access_token`` query parameter, with
``appsecret_proof`` (hex HMAC-SHA256 of the token keyed by the app secret) checked when the double
has an app secret. Only what the connectors use is modelled, but that part is modelled honestly:
cursors page over a live list, replies attach to their parent, deleted objects answer error 100
(subcode 33), a revoked token answers error 190.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import itertools
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from doubles_http import Reply, Request, json_reply

__all__ = ["GraphDouble", "graph_error", "graph_time"]

_T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def graph_time(value: dt.datetime) -> str:
    """Format a time as the Graph API does (``2026-11-01T09:00:00+0000``)."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def graph_error(
    code: int,
    message: str,
    *,
    status: int = 400,
    subcode: int | None = None,
    headers: dict[str, str] | None = None,
    kind: str = "OAuthException",
) -> Reply:
    """Return a Graph API error answer."""
    error: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": "Axyz"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return json_reply(status, {"error": error}, headers)


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode()[1:])
    except ValueError:
        return -1


@dataclass
class Node:
    """A post, comment or media object of the double."""

    id: str
    kind: str  # "post" | "comment" | "media"
    text: str
    author_id: str
    author_name: str
    created: dt.datetime
    updated: dt.datetime
    parent: str | None = None  # the comment replied to
    root: str | None = None  # the post or media a comment belongs to
    hidden: bool = False
    deleted: bool = False
    children: list[str] = field(default_factory=list)


class GraphDouble:
    """Facebook Pages and Instagram (Instagram Login) in one Graph API double.

    ``flavour`` is ``"facebook"`` (``/{page}/feed``, ``/{id}/comments``, ``message``) or
    ``"instagram"`` (``/{user}/media``, ``/{media}/comments``, ``/{comment}/replies``, ``text``).
    """

    def __init__(
        self,
        flavour: str = "facebook",
        *,
        owner_id: str = "1001",
        owner_name: str = "Riverside Family Dental",
        token: str = "page-token-1",
        app_secret: str | None = None,
    ) -> None:
        self.flavour = flavour
        self.owner_id = owner_id
        self.owner_name = owner_name
        self.tokens = {token}
        self.revoked: set[str] = set()
        self.app_secret = app_secret
        self.base_url = ""  # set by the test once the server runs (for paging.next)
        self.nodes: dict[str, Node] = {}
        self.roots: list[str] = []  # posts / media, oldest first
        self.clock = _T0
        self._ids = itertools.count(1)
        self.refreshed = 0
        self.subscribed: str | None = None  # the webhook fields the app subscribed to
        # Login (the Connections page): the app's id and secret, the codes the consent screen
        # handed out (code -> redirect URI), what was granted, the Pages a user manages.
        self.login_app_id = "meta-app-1"
        self.login_secret = "meta-secret-1"
        self.codes: dict[str, str] = {}
        self.granted = "instagram_business_basic,instagram_business_manage_comments"
        self.pages: list[dict[str, Any]] = [
            {
                "id": owner_id,
                "name": owner_name,
                "access_token": token,
                "tasks": ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"],
            }
        ]

    # -- building the world ------------------------------------------------------------------

    def tick(self, minutes: int = 1) -> dt.datetime:
        """Advance the double's clock and return it."""
        self.clock += dt.timedelta(minutes=minutes)
        return self.clock

    def add_root(
        self, text: str = "", *, author_id: str | None = None, author_name: str | None = None
    ) -> str:
        """Add a Page post (or Instagram media) and return its id."""
        prefix = f"{self.owner_id}_" if self.flavour == "facebook" else "1790"
        node_id = f"{prefix}{next(self._ids)}"
        when = self.tick()
        kind = "post" if self.flavour == "facebook" else "media"
        self.nodes[node_id] = Node(
            node_id,
            kind,
            text,
            author_id or self.owner_id,
            author_name or self.owner_name,
            when,
            when,
        )
        self.roots.append(node_id)
        return node_id

    def add_comment(
        self, on: str, text: str, *, author_id: str = "u-555", author_name: str = "Pat Example"
    ) -> str:
        """Add a comment on a post/media, or a reply to a comment; return its id."""
        target = self.nodes[on]
        root = target.id if target.kind in ("post", "media") else target.root
        parent = None if target.kind in ("post", "media") else target.id
        node_id = (
            f"{root}_{next(self._ids)}" if self.flavour == "facebook" else f"1780{next(self._ids)}"
        )
        when = self.tick()
        self.nodes[node_id] = Node(
            node_id, "comment", text, author_id, author_name, when, when, parent=parent, root=root
        )
        (self.nodes[parent] if parent else target).children.append(node_id)
        self.nodes[root].updated = when  # a new comment bumps the post's updated_time
        return node_id

    def edit(self, node_id: str, text: str) -> None:
        """Edit a comment's text as its author would."""
        node = self.nodes[node_id]
        node.text = text
        node.updated = self.tick()

    def delete(self, node_id: str) -> None:
        """Delete a comment (and, as on the platform, its replies)."""
        node = self.nodes[node_id]
        node.deleted = True
        for child in node.children:
            self.nodes[child].deleted = True
        if node.root:
            self.nodes[node.root].updated = self.tick()

    def replies_by_owner(self, node_id: str) -> list[Node]:
        """Return the live replies the Page / account wrote under ``node_id``."""
        return [
            self.nodes[c]
            for c in self.nodes[node_id].children
            if not self.nodes[c].deleted and self.nodes[c].author_id == self.owner_id
        ]

    # -- serving -------------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        """Answer one Graph API request."""
        path = re.sub(r"^/v\d+\.\d+", "", request.path)
        if path in ("/oauth/access_token", "/refresh_access_token", "/access_token"):
            return self._token(request, path)
        refused = self._check_token(request)
        if refused is not None:
            return refused
        parts = [p for p in path.split("/") if p]
        if parts == ["me"] and self.flavour == "instagram":
            user = {"user_id": self.owner_id, "username": self.owner_name, "id": "2600999"}
            return json_reply(200, user)
        if parts == ["me", "accounts"] and request.method == "GET":
            return self._accounts(request)
        if len(parts) == 1:
            return self._node(request, parts[0])
        if len(parts) == 2:
            return self._edge(request, parts[0], parts[1])
        return graph_error(2500, "Unknown path components", status=400)

    def _check_token(self, request: Request) -> Reply | None:
        token = request.query.get("access_token") or request.bearer()
        if not token:
            return graph_error(2500, "An active access token must be used", status=400)
        if token in self.revoked:
            return graph_error(
                190,
                "Error validating access token: The session has been "
                "invalidated because the user changed their password.",
                status=400,
                subcode=460,
            )
        if token not in self.tokens:
            return graph_error(
                190, "Invalid OAuth access token - Cannot parse access token", status=400
            )
        if self.app_secret is not None:
            proof = hmac.new(self.app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()
            if not hmac.compare_digest(proof, request.query.get("appsecret_proof", "")):
                return graph_error(
                    100,
                    "Invalid appsecret_proof provided in the API argument",
                    status=400,
                    kind="GraphMethodException",
                )
        return None

    # -- login: code exchange, long-lived tokens, the user's Pages -----------------------------

    def _token(self, request: Request, path: str) -> Reply:
        if path == "/oauth/access_token" and request.query.get("code"):
            return self._facebook_code(request.query)
        if path == "/oauth/access_token" and request.method == "POST":
            return self._instagram_code(request.form())
        if request.query.get("grant_type") == "ig_exchange_token":
            short = request.query.get("access_token", "")
            if request.query.get("client_secret") != self.login_secret or short not in self.tokens:
                return graph_error(190, "Error validating access token", status=400)
            return self._issue("ig-long", expires_in=5_183_944)
        return self._refresh(request, path)

    def _issue(self, prefix: str, *, expires_in: int) -> Reply:
        self.refreshed += 1
        token = f"{prefix}-{self.refreshed}"
        self.tokens.add(token)
        body = {"access_token": token, "token_type": "bearer", "expires_in": expires_in}
        return json_reply(200, body)

    def _facebook_code(self, query: dict[str, str]) -> Reply:
        """Facebook Login's code exchange: ``GET /oauth/access_token?code&...``."""
        if query.get("client_id") != self.login_app_id or (
            query.get("client_secret") != self.login_secret
        ):
            return graph_error(1, "Error validating client secret.", status=400)
        redirect = self.codes.pop(query["code"], None)  # a code works once
        if redirect is None:
            return graph_error(
                100, "This authorization code has been used.", status=400, subcode=36009
            )
        if redirect != query.get("redirect_uri"):
            return graph_error(
                100,
                "Error validating verification code. Please make sure your redirect_uri is "
                "identical to the one you used in the OAuth dialog request",
                status=400,
                subcode=36008,
            )
        return self._issue("user-short", expires_in=3600)

    def _instagram_code(self, form: dict[str, str]) -> Reply:
        """``POST api.instagram.com/oauth/access_token`` (Instagram Login's code exchange)."""
        redirect = self.codes.pop(form.get("code", ""), None)
        if (
            form.get("client_id") != self.login_app_id
            or form.get("client_secret") != self.login_secret
            or form.get("grant_type") != "authorization_code"
            or redirect is None
            or redirect != form.get("redirect_uri")
        ):
            body = {
                "error_type": "OAuthException",
                "code": 400,
                "error_message": "Matching code was not found or was already used",
            }
            return json_reply(400, body)
        self.refreshed += 1
        token = f"ig-short-{self.refreshed}"
        self.tokens.add(token)
        granted = self.granted.split(",")
        return json_reply(
            200,
            {"data": [{"access_token": token, "user_id": "2600999", "permissions": granted}]},
        )

    def _accounts(self, request: Request) -> Reply:
        """``GET /me/accounts``: the Pages the user manages, each with its Page token."""
        limit = min(int(request.query.get("limit") or 25), 100)
        start = max(0, _offset(request.query.get("after")))
        chunk = self.pages[start : start + limit]
        fields = set((request.query.get("fields") or "id,name").split(","))
        body: dict[str, Any] = {
            "data": [{k: v for k, v in p.items() if k in fields} for p in chunk]
        }
        if chunk:
            body["paging"] = {"cursors": {"after": _cursor(start + len(chunk))}}
            if start + len(chunk) < len(self.pages):
                after = _cursor(start + len(chunk))
                body["paging"]["next"] = f"{self.base_url}/me/accounts?after={after}"
        return json_reply(200, body)

    def _refresh(self, request: Request, path: str) -> Reply:
        old = request.query.get("fb_exchange_token") or request.query.get("access_token", "")
        grant = request.query.get("grant_type")
        if grant not in ("fb_exchange_token", "ig_refresh_token") or old not in self.tokens:
            return graph_error(190, "Error validating access token", status=400)
        self.refreshed += 1
        new = f"{old.split('~')[0]}~{self.refreshed}"
        self.tokens.add(new)
        return json_reply(
            200, {"access_token": new, "token_type": "bearer", "expires_in": 5_183_944}
        )

    def _missing(self, node_id: str) -> Reply:
        return graph_error(
            100,
            f"Unsupported get request. Object with ID '{node_id}' does not "
            "exist, cannot be loaded due to missing permissions, or does not "
            "support this operation.",
            status=400,
            subcode=33,
            kind="GraphMethodException",
        )

    def _node(self, request: Request, node_id: str) -> Reply:
        node = self.nodes.get(node_id)
        if node is None or node.deleted:
            return self._missing(node_id)
        if request.method == "GET":
            return json_reply(200, self._render(node, request.query.get("fields", "")))
        if request.method == "DELETE":
            if node.author_id != self.owner_id and self.flavour == "facebook":
                return graph_error(200, "Permissions error", status=403)
            self.delete(node_id)
            return json_reply(200, {"success": True})
        if request.method == "POST" and self.flavour == "facebook":
            message = request.form().get("message")
            if message is None:
                return graph_error(100, "(#100) Missing message", status=400)
            if node.author_id != self.owner_id:
                return graph_error(200, "Permissions error", status=403)
            self.edit(node_id, message)
            return json_reply(200, {"success": True})
        return graph_error(100, "Unsupported request", status=400)

    def _edge(self, request: Request, node_id: str, edge: str) -> Reply:
        node = self.nodes.get(node_id)
        if edge in ("feed", "media") and request.method == "GET":
            if node_id != self.owner_id:
                return self._missing(node_id)
            roots = [self.nodes[r] for r in reversed(self.roots) if not self.nodes[r].deleted]
            return self._list(request, roots)
        if edge == "subscribed_apps" and request.method == "POST" and node_id == self.owner_id:
            self.subscribed = request.form().get("subscribed_fields", "")
            return json_reply(200, {"success": True})
        if node is None or node.deleted:
            return self._missing(node_id)
        if edge in ("comments", "replies") and request.method == "GET":
            return self._list(request, self._children(node, request, edge))
        if edge in ("comments", "replies") and request.method == "POST":
            return self._create_reply(request, node, edge)
        return graph_error(100, "Unsupported request", status=400)

    def _children(self, node: Node, request: Request, edge: str) -> list[Node]:
        kids = [self.nodes[c] for c in node.children if not self.nodes[c].deleted]
        if edge == "comments" and request.query.get("filter") == "stream" and node.kind == "post":
            kids = sorted(
                (n for n in self.nodes.values() if n.root == node.id and not n.deleted),
                key=lambda n: n.created,
            )
        if request.query.get("order") == "reverse_chronological":
            kids = list(reversed(kids))
        return kids

    def _create_reply(self, request: Request, node: Node, edge: str) -> Reply:
        message = request.form().get("message") or request.query.get("message")
        if not message:
            return graph_error(100, "(#100) The parameter message is required", status=400)
        if self.flavour == "instagram":
            if edge != "replies" or node.kind != "comment":
                return graph_error(100, "Unsupported post request", status=400)
            if node.parent is not None or node.hidden:
                return graph_error(
                    100,
                    "(#100) Replies are allowed only on top-level, non-hidden comments",
                    status=400,
                )
        new_id = self.add_comment(
            node.id, message, author_id=self.owner_id, author_name=self.owner_name
        )
        return json_reply(200, {"id": new_id})

    def _list(self, request: Request, nodes: list[Node]) -> Reply:
        limit = min(int(request.query.get("limit") or 25), 100)
        start = _offset(request.query.get("after"))
        if start < 0:
            return graph_error(100, "Invalid cursor", status=400)
        chunk = nodes[start : start + limit]
        fields = request.query.get("fields", "")
        body: dict[str, Any] = {"data": [self._render(n, fields) for n in chunk]}
        if chunk:
            body["paging"] = {
                "cursors": {"before": _cursor(start), "after": _cursor(start + len(chunk))}
            }
            if start + len(chunk) < len(nodes):
                query = dict(request.query, after=_cursor(start + len(chunk)))
                body["paging"]["next"] = (
                    f"{self.base_url}{request.path}?{urllib.parse.urlencode(query)}"
                )
        return json_reply(200, body)

    def _render(self, node: Node, fields: str) -> dict[str, Any]:
        if self.flavour == "facebook":
            out: dict[str, Any] = {
                "id": node.id,
                "from": {"id": node.author_id, "name": node.author_name},
                "message": node.text,
                "created_time": graph_time(node.created),
                "permalink_url": f"https://www.facebook.com/{node.id}",
            }
            if node.kind == "post":
                out["updated_time"] = graph_time(node.updated)
            if node.parent:
                out["parent"] = {"id": node.parent}
            nested = "comments"
        else:
            out = {"id": node.id, "timestamp": graph_time(node.created)}
            if node.kind == "media":
                out.update(caption=node.text, permalink=f"https://www.instagram.com/p/{node.id}/")
                out["comments_count"] = sum(
                    1 for n in self.nodes.values() if n.root == node.id and not n.deleted
                )
            else:
                out.update(
                    text=node.text,
                    username=node.author_name,
                    hidden=node.hidden,
                    media={"id": node.root},
                    **{"from": {"id": node.author_id, "username": node.author_name}},
                )
                if node.parent:
                    out["parent_id"] = node.parent
            nested = "replies"
        live = [self.nodes[c] for c in node.children if not self.nodes[c].deleted]
        if node.kind == "post" and "summary(true)" in fields:
            total = sum(1 for n in self.nodes.values() if n.root == node.id and not n.deleted)
            out["comments"] = {"data": [], "summary": {"total_count": total}}
        elif (
            f"{nested}" in fields.replace("comments.limit(0)", "")
            and node.kind == "comment"
            and live
        ):
            limit = re.search(rf"{nested}\.limit\((\d+)\)", fields)
            shown = live[: int(limit.group(1))] if limit else live
            out[nested] = {"data": [self._render(c, "") for c in shown]}
            if len(shown) < len(live):  # more replies than the nested page holds
                after = _cursor(len(shown))
                out[nested]["paging"] = {
                    "cursors": {"before": _cursor(0), "after": after},
                    "next": f"{self.base_url}/{node.id}/{nested}?after={after}",
                }
        return out
