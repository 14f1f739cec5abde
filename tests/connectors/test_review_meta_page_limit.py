"""A reply list longer than the page limit is an error, not a silent partial list (review
defect 9): ``read_replies`` runs before a publish is retried, so a reply of ours beyond the
limit would go unseen and the reply would be posted twice."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from safereply.connectors.base import Credentials, HttpResponse, Transient
from safereply.connectors.meta import GraphClient


def _endless(calls: list[str]):
    """A Graph API that always has a next page of replies."""

    def transport(
        method: str, url: str, headers: Mapping[str, str], body: bytes | None, timeout: float
    ) -> HttpResponse:
        calls.append(url)
        page = {
            "data": [{"id": f"r{len(calls)}", "message": "hi"}],
            "paging": {"cursors": {"after": f"c{len(calls)}"}, "next": "https://graph/next"},
        }
        return HttpResponse(200, {"content-type": "application/json"}, json.dumps(page).encode())

    return transport


def test_more_pages_than_the_limit_raise_transient():
    calls: list[str] = []
    client = GraphClient(
        "facebook", "https://graph.test/v26.0", Credentials(access_token="t"), _endless(calls)
    )
    with pytest.raises(Transient, match="more than 3 pages"):
        client.all_pages("c1/comments", "reading replies", {"limit": 1}, limit=3)
    assert len(calls) == 3


def test_a_list_that_ends_within_the_limit_is_returned_whole():
    calls: list[str] = []
    endless = _endless(calls)

    def ends(method, url, headers, body, timeout):  # type: ignore[no-untyped-def]
        answer = endless(method, url, headers, body, timeout)
        if len(calls) < 3:
            return answer
        last = {"data": [{"id": "r3", "message": "hi"}], "paging": {}}
        return HttpResponse(200, answer.headers, json.dumps(last).encode())

    client = GraphClient(
        "facebook", "https://graph.test/v26.0", Credentials(access_token="t"), ends
    )
    rows = client.all_pages("c1/comments", "reading replies", {"limit": 1}, limit=3)
    assert [r["id"] for r in rows] == ["r1", "r2", "r3"]
