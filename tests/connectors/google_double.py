"""A local HTTP server speaking the documented Google Business Profile v4 reviews API and OAuth.

It serves ``/token`` (refresh_token grant), ``GET …/reviews`` (pageSize, pageToken,
updateTime desc), ``GET …/reviews/{id}``, ``PUT`` / ``DELETE …/reviews/{id}/reply``, checks the
bearer token on every call (401 UNAUTHENTICATED when missing or expired), and can be told to answer
the next matching requests with a scripted failure (401/403/429/5xx, Retry-After ...).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

STARS = {1: "ONE", 2: "TWO", 3: "THREE", 4: "FOUR", 5: "FIVE"}


def rfc3339(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "123Z"  # nanoseconds


@dataclass
class Fault:
    method: str
    path_part: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    times: int = 1


class GoogleDouble:
    """State and behaviour of the fake Google; ``url`` is its base URL once started."""

    def __init__(self, location: str = "accounts/111/locations/222") -> None:
        self.location = location
        self.reviews: dict[str, dict[str, Any]] = {}
        self.clock = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
        self.tokens: dict[str, dt.datetime] = {}
        self.refresh_tokens = {"refresh-1"}
        # Authorization codes the consent screen handed out: code -> (PKCE challenge, redirect)
        self.codes: dict[str, tuple[str, str]] = {}
        self.token_lifetime = 3600
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        self.puts: list[tuple[str, str]] = []
        self.moderate = True  # replies start PENDING
        self.honour_order = True  # False: list oldest first whatever orderBy says
        # Hooks around a reply's PUT: before the answer is sent, and after it was sent.
        self.on_put: Callable[[GoogleDouble, str], None] | None = None
        self.after_put: Callable[[GoogleDouble, str], None] | None = None
        self.lock = threading.Lock()
        self._issued = 0
        self.server: ThreadingHTTPServer | None = None
        self.url = ""

    # -- test helpers ---------------------------------------------------------------------------

    def tick(self, seconds: int = 60) -> dt.datetime:
        self.clock += dt.timedelta(seconds=seconds)
        return self.clock

    def add_review(
        self,
        rid: str,
        comment: str | None,
        stars: int = 5,
        *,
        name: str = "Pat Example",
        reply: str | None = None,
    ) -> dict[str, Any]:
        now = self.tick()
        review: dict[str, Any] = {
            "name": f"{self.location}/reviews/{rid}",
            "reviewId": rid,
            "reviewer": {"displayName": name, "isAnonymous": False},
            "starRating": STARS[stars],
            "createTime": rfc3339(now),
            "updateTime": rfc3339(now),
        }
        if comment is not None:
            review["comment"] = comment
        if reply is not None:
            review["reviewReply"] = {"comment": reply, "updateTime": rfc3339(now)}
        self.reviews[rid] = review
        return review

    def edit_review(self, rid: str, comment: str, stars: int | None = None) -> None:
        review = self.reviews[rid]
        review["comment"] = comment
        if stars is not None:
            review["starRating"] = STARS[stars]
        review["updateTime"] = rfc3339(self.tick())

    def set_reply_state(self, rid: str, state: str, violation: str | None = None) -> None:
        reply = self.reviews[rid]["reviewReply"]
        reply["reviewReplyState"] = state
        if violation:
            reply["policyViolation"] = {"policyViolationReason": violation}
        self.reviews[rid]["updateTime"] = rfc3339(self.tick())

    def fail(self, method: str, path_part: str, status: int, times: int = 1, **kw: Any) -> None:
        self.faults.append(Fault(method, path_part, status, times=times, **kw))

    def issue_token(self, lifetime: int | None = None) -> str:
        self._issued += 1
        token = f"access-{self._issued}"
        self.tokens[token] = self.clock + dt.timedelta(seconds=lifetime or self.token_lifetime)
        return token

    def start(self) -> GoogleDouble:
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                double._handle(self, "GET")

            def do_PUT(self) -> None:
                double._handle(self, "PUT")

            def do_POST(self) -> None:
                double._handle(self, "POST")

            def do_DELETE(self) -> None:
                double._handle(self, "DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    # -- the API --------------------------------------------------------------------------------

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: Any, headers=None) -> None:
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)
        h.wfile.flush()

    def _error(self, h, status: int, word: str, message: str, headers=None) -> None:
        self._send(
            h, status, {"error": {"code": status, "message": message, "status": word}}, headers
        )

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        split = urllib.parse.urlsplit(h.path)
        query = dict(urllib.parse.parse_qsl(split.query))
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        with self.lock:
            self.requests.append((method, split.path))
            for fault in self.faults:
                if fault.method == method and fault.path_part in split.path and fault.times > 0:
                    fault.times -= 1
                    body = fault.body or {
                        "error": {"code": fault.status, "message": "scripted", "status": "SCRIPTED"}
                    }
                    self._send(h, fault.status, body, fault.headers)
                    return
            if split.path == "/token":
                self._token(h, dict(urllib.parse.parse_qsl(raw.decode())))
                return
            auth = h.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ")
            if token not in self.tokens or self.tokens[token] <= self.clock:
                self._error(h, 401, "UNAUTHENTICATED", "Request had invalid authentication")
                return
            prefix = f"/v4/{self.location}/reviews"
            if not split.path.startswith(prefix):
                self._error(h, 404, "NOT_FOUND", "Requested entity was not found.")
                return
            rest = split.path[len(prefix) :].strip("/")
            if not rest and method == "GET":
                self._list(h, query)
            elif rest and "/" not in rest and method == "GET":
                review = self.reviews.get(rest)
                if review is None:
                    self._error(h, 404, "NOT_FOUND", "Requested entity was not found.")
                else:
                    self._send(h, 200, review)
            elif rest.endswith("/reply") and method in ("PUT", "DELETE"):
                self._reply(h, method, rest.split("/")[0], raw)
            else:
                self._error(h, 400, "INVALID_ARGUMENT", "bad path")

    def _token(self, h, form: dict[str, str]) -> None:
        if form.get("grant_type") == "authorization_code":
            self._code(h, form)
        elif form.get("grant_type") != "refresh_token":
            self._send(h, 400, {"error": "unsupported_grant_type"})
        elif form.get("refresh_token") not in self.refresh_tokens:
            self._send(
                h,
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                },
            )
        else:
            token = self.issue_token()
            self._send(
                h,
                200,
                {
                    "access_token": token,
                    "expires_in": self.token_lifetime,
                    "token_type": "Bearer",
                    "scope": "https://www.googleapis.com/auth/business.manage",
                },
            )

    def _code(self, h, form: dict[str, str]) -> None:
        expected = self.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        if expected is None or expected != (challenge, form.get("redirect_uri")):
            self._send(h, 400, {"error": "invalid_grant", "error_description": "Bad code."})
            return
        refresh = f"refresh-{len(self.refresh_tokens) + 1}"
        self.refresh_tokens.add(refresh)
        self._send(
            h,
            200,
            {
                "access_token": self.issue_token(),
                "expires_in": self.token_lifetime,
                "refresh_token": refresh,
                "token_type": "Bearer",
            },
        )

    def _list(self, h, query: dict[str, str]) -> None:
        size = min(50, int(query.get("pageSize") or 50))
        newest_first = self.honour_order and query.get("orderBy", "updateTime desc") == (
            "updateTime desc"
        )
        order = sorted(self.reviews.values(), key=lambda r: r["updateTime"], reverse=newest_first)
        start = 0
        if query.get("pageToken"):
            try:
                start = int(base64.urlsafe_b64decode(query["pageToken"]).decode())
            except ValueError:
                self._error(h, 400, "INVALID_ARGUMENT", "Invalid page token")
                return
        page = order[start : start + size]
        body: dict[str, Any] = {"reviews": page, "totalReviewCount": len(order)}
        if start + size < len(order):
            body["nextPageToken"] = base64.urlsafe_b64encode(str(start + size).encode()).decode()
        self._send(h, 200, body)

    def _reply(self, h, method: str, rid: str, raw: bytes) -> None:
        review = self.reviews.get(rid)
        if review is None:
            self._error(h, 404, "NOT_FOUND", "Requested entity was not found.")
            return
        now = rfc3339(self.tick(1))
        if method == "DELETE":
            review.pop("reviewReply", None)
            review["updateTime"] = now
            self._send(h, 200, {})
            return
        comment = json.loads(raw or b"{}").get("comment")
        if not comment:
            self._error(h, 400, "INVALID_ARGUMENT", "comment is required")
            return
        reply = {"comment": comment, "updateTime": now}
        if self.moderate:
            reply["reviewReplyState"] = "PENDING"
        review["reviewReply"] = reply
        review["updateTime"] = now
        self.puts.append((rid, comment))
        if self.on_put is not None:
            self.on_put(self, rid)  # e.g. stop the worker before it hears the answer
        self._send(h, 200, reply)
        if self.after_put is not None:
            self.after_put(self, rid)  # e.g. kill the worker once the answer is on its way
