"""The load test's HTTP client: one keep-alive HTTP/1.1 connection per simulated person.

``bench/load_test.py`` drives 200 people from one Python process on the same cores as the web
processes and PostgreSQL, so every millisecond of CPU the generator spends on a request is taken
from the servers it measures. httpx (pure-Python h11, its connection pool, cookie jar, URL and
header models and event hooks) cost 2.9-3.0 ms of CPU a request, a sixth of a web process's
16-19 ms; this client costs 0.6-0.8 ms (docs/production.md, session 10). It sends the same
requests (method, path and query, the session cookie, the CSRF header, a JSON body) over
asyncio streams and reads the answer (status, headers, a ``Content-Length`` or chunked body),
nothing more: no redirects, no compression, no cookie jar (the session cookie is set once, at
sign-in; the API sets no other).

Like the httpx client it replaces, a connection idle for ``keepalive`` seconds (4, under
uvicorn's 5 s keep-alive timeout) is closed before the next request and a new one opened, so a
request is never sent on a connection the server is closing; nothing is retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

__all__ = ["RawClient", "RawResponse"]


class RawResponse:
    """The parts of an answer the load test reads (an httpx.Response's names)."""

    def __init__(self, status_code: int, headers: dict[str, str], content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.started = 0.0  # set by the caller that times only part of an action

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


class RawClient:
    """One keep-alive connection to ``base_url`` sending ``cookies`` with every request."""

    def __init__(
        self,
        base_url: str,
        cookies: dict[str, str] | None = None,
        *,
        keepalive: float = 4.0,
        timeout: float = 60.0,
    ) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.keepalive, self.timeout = keepalive, timeout
        cookie = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())
        fixed = f"Host: {self.host}:{self.port}\r\nAccept: */*\r\n"
        self._fixed = fixed + (f"Cookie: {cookie}\r\n" if cookie else "")
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._last = 0.0
        self.connections = 0  # opened so far (the tests count them)

    async def get(self, path: str, params: dict[str, Any] | None = None) -> RawResponse:
        return await self.request("GET", path, params=params)

    async def post(
        self, path: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> RawResponse:
        return await self.request("POST", path, body=json, headers=headers)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> RawResponse:
        """Send one request and read its answer (a timeout or a broken connection raises)."""
        if params:
            path = f"{path}?{urlencode(params)}"
        head = f"{method} {path} HTTP/1.1\r\n{self._fixed}"
        for name, value in (headers or {}).items():
            head += f"{name}: {value}\r\n"
        payload = b""
        if body is not None:
            payload = json.dumps(body).encode()
            head += "Content-Type: application/json\r\n"
        if body is not None or method not in ("GET", "HEAD"):
            head += f"Content-Length: {len(payload)}\r\n"
        async with asyncio.timeout(self.timeout):
            reader, writer = await self._connection()
            try:
                writer.write(head.encode("latin-1") + b"\r\n" + payload)
                response = await _read_response(reader)
            except BaseException:
                self._close()
                raise
        if response.headers.get("connection", "").lower() == "close":
            self._close()
        self._last = time.monotonic()
        return response

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._writer is not None and time.monotonic() - self._last > self.keepalive:
            self._close()
        if self._writer is None or self._reader is None or self._reader.at_eof():
            self._close()
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
            self.connections += 1
        return self._reader, self._writer

    def _close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None

    async def aclose(self) -> None:
        writer = self._writer
        self._close()
        if writer is not None:
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def _read_response(reader: asyncio.StreamReader) -> RawResponse:
    """Read the status line, headers and body (by length, chunked, or to the end)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        content = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        content = await _read_chunked(reader)
    elif status in (204, 304) or 100 <= status < 200:
        content = b""
    else:
        content = await reader.read()
        headers["connection"] = "close"
    return RawResponse(status, headers, content)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers, then the blank line
                pass
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
