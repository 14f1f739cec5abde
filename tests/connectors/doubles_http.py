"""A local HTTP server for platform test doubles: real sockets, scripted faults, a request log.

A double is a plain object with ``handle(request) -> Reply``; :class:`DoubleServer` serves it on
127.0.0.1 (an ephemeral port) from a thread, so a connector talks to it over real HTTP through the
same transport it uses in production. Nothing here reaches the network beyond the loopback.

Faults are scripted per route: ``server.fail(method, path_regex, reply, times=n)`` answers the next
``n`` matching requests with ``reply`` instead of asking the double (a 429 with ``Retry-After``,
a 500, a Graph error body ...). ``server.log`` records every request (method, path, query, body).
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

__all__ = ["DoubleServer", "Reply", "Request", "json_reply"]


@dataclass(frozen=True)
class Request:
    """One request as the double sees it (query values: the last one of each name)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, str]:
        """Return a form-encoded body as a dict (the last value of each name)."""
        return dict(urllib.parse.parse_qsl(self.body.decode(), keep_blank_values=True))

    def json(self) -> Any:
        """Return a JSON body (None when empty)."""
        return json.loads(self.body) if self.body.strip() else None

    def bearer(self) -> str | None:
        """Return the bearer token of the Authorization header, if any."""
        value = self.headers.get("authorization", "")
        return value[7:].strip() if value.lower().startswith("bearer ") else None


@dataclass
class Reply:
    """What the double answers."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(status: int, data: Any, headers: dict[str, str] | None = None) -> Reply:
    """Return a JSON reply."""
    sent = {"Content-Type": "application/json; charset=UTF-8", **(headers or {})}
    return Reply(status, json.dumps(data).encode(), sent)


class Double(Protocol):
    """A platform double: answers one request."""

    def handle(self, request: Request) -> Reply: ...


@dataclass
class _Fault:
    method: str
    path: re.Pattern[str]
    reply: Reply
    times: int
    after: bool = False


class DoubleServer:
    """Serve a double on 127.0.0.1 from a background thread (use as a context manager)."""

    def __init__(self, double: Double) -> None:
        self.double = double
        self.log: list[Request] = []
        self._faults: list[_Fault] = []
        #: (method, path regex, before, after): ``before(request)`` runs before the double
        #: answers, ``after(request)`` once the answer has been sent (a test freezes or kills a
        #: client there: the platform acted, the client never heard).
        self.hooks: list[tuple[str, re.Pattern[str], Any, Any]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """Return the base URL of the server (no trailing slash)."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> DoubleServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def fail(
        self, method: str, path: str, reply: Reply, *, times: int = 1, after: bool = False
    ) -> None:
        """Answer the next ``times`` requests matching ``method`` and ``path`` with ``reply``.

        ``after=True``: the double handles the request first (the platform did the work) and only
        the answer is lost, as when a connection drops between the platform and us.
        """
        with self._lock:
            self._faults.append(_Fault(method.upper(), re.compile(path), reply, times, after))

    def hook(self, method: str, path: str, *, before: Any = None, after: Any = None) -> None:
        """Call ``before``/``after`` around every request matching ``method`` and ``path``."""
        self.hooks.append((method.upper(), re.compile(path), before, after))

    def _hooks(self, request: Request) -> list[tuple[Any, Any]]:
        return [
            (b, a) for m, p, b, a in self.hooks if m == request.method and p.search(request.path)
        ]

    def requests(self, method: str, path: str = "") -> list[Request]:
        """Return the logged requests with this method whose path matches ``path`` (a regex)."""
        pattern = re.compile(path)
        return [r for r in self.log if r.method == method.upper() and pattern.search(r.path)]

    def _answer(self, request: Request) -> Reply:
        with self._lock:
            self.log.append(request)
            for fault in self._faults:
                if fault.method == request.method and fault.path.search(request.path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    if fault.after:
                        self.double.handle(request)
                    return fault.reply
        return self.double.handle(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet tests
                return

            def _serve(self) -> None:
                split = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    method=self.command,
                    path=urllib.parse.unquote(split.path),
                    query=dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True)),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                hooks = owner._hooks(request)
                for before, _ in hooks:
                    if before is not None:
                        before(request)
                try:
                    reply = owner._answer(request)
                except Exception as exc:  # a bug in a double must show, not hang the test
                    reply = json_reply(599, {"double_error": repr(exc)})
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
                self.wfile.flush()
                for _, after in hooks:
                    if after is not None:
                        after(request)

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _serve

        return Handler
