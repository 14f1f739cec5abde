"""The load test's own HTTP client (bench/load_client.py) against a small asyncio HTTP server.

It replaces httpx in bench/load_test.py, so what it must keep is what the measured figures rest
on: the request it sends (method, path and query, cookie, headers, JSON body), the answer it
reads (status, a Content-Length or chunked body), one connection kept alive between requests,
a new one after an idle spell (never a request on a connection the server is closing), and a
connection the server closes is not reused.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from load_client import RawClient  # bench/


class Server:
    """Answers each request with a JSON echo of it; ``/chunked`` chunked, ``/close`` closing."""

    def __init__(self) -> None:
        self.seen: list[dict] = []
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            lines = head.decode().split("\r\n")
            method, target, _ = lines[0].split(" ")
            headers = dict(
                (n.strip().lower(), v.strip())
                for n, _, v in (x.partition(":") for x in lines[1:] if x)
            )
            body = await reader.readexactly(int(headers.get("content-length", 0)))
            seen = {"method": method, "target": target, "headers": headers, "body": body.decode()}
            self.seen.append(seen)
            payload = json.dumps(seen).encode()
            if target == "/chunked":
                half = len(payload) // 2
                chunks = [payload[:half], payload[half:]]
                framed = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
                writer.write(b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n" + framed)
            else:
                close = b"Connection: close\r\n" if target == "/close" else b""
                writer.write(
                    b"HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\n"
                    + close
                    + b"Content-Length: %d\r\n\r\n" % len(payload)
                    + payload
                )
            await writer.drain()
            if target == "/close":
                break
        writer.close()


def run(scenario):
    async def main():
        server = Server()
        listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        try:
            return server, await scenario(f"http://127.0.0.1:{port}")
        finally:
            listener.close()

    return asyncio.run(main())


def test_sends_the_request_and_reads_the_answer_on_one_kept_connection():
    async def scenario(url):
        client = RawClient(url, {"safereply_session": "abc"})
        got = await client.get("/api/v1/practices/3/posts", params={"state": "open", "kind": "x y"})
        posted = await client.post(
            "/api/v1/check", json={"reply": "hé"}, headers={"X-CSRF-Token": "t"}
        )
        await client.aclose()
        return client, got, posted

    server, (client, got, posted) = run(scenario)
    assert got.status_code == 409 and posted.status_code == 409
    first, second = server.seen
    assert first["method"] == "GET"
    assert first["target"] == "/api/v1/practices/3/posts?state=open&kind=x+y"
    assert first["headers"]["cookie"] == "safereply_session=abc"
    assert first["body"] == ""
    assert second["method"] == "POST" and second["headers"]["x-csrf-token"] == "t"
    assert second["headers"]["content-type"] == "application/json"
    assert json.loads(second["body"]) == {"reply": "hé"}
    assert posted.json()["target"] == "/api/v1/check"
    assert "x-csrf-token" in posted.text
    assert server.connections == 1 and client.connections == 1


def test_reads_a_chunked_body():
    async def scenario(url):
        client = RawClient(url)
        answer = await client.post("/chunked", json={"n": 1})
        again = await client.get("/after")
        await client.aclose()
        return answer, again

    server, (answer, again) = run(scenario)
    assert answer.status_code == 201 and answer.json()["target"] == "/chunked"
    assert again.json()["target"] == "/after"
    assert server.connections == 1


def test_a_new_connection_after_an_idle_spell_or_a_close():
    async def scenario(url):
        client = RawClient(url, keepalive=0.05)
        await client.get("/one")
        await client.get("/two")  # at once: the same connection
        await asyncio.sleep(0.1)
        await client.get("/three")  # idle past keepalive: a new one
        await client.get("/close")  # the server closes it after answering
        await client.get("/four")  # so a new one
        await client.aclose()
        return client

    server, client = run(scenario)
    assert [s["target"] for s in server.seen] == ["/one", "/two", "/three", "/close", "/four"]
    assert server.connections == 3 and client.connections == 3
