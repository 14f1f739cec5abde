"""The X connector against a local X API v2 double over real HTTP."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from doubles_http import DoubleServer, json_reply
from doubles_x import REPLY_REFUSED, XDouble, problem

from safereply.connectors import (
    Credentials,
    NeedsReauth,
    PermanentRefusal,
    RateLimited,
    RemoteItem,
    Target,
    Transient,
    registry,
)
from safereply.connectors.x import XConnector
from safereply.errors import ConfigError, InputError

ME = "42"


@pytest.fixture
def x() -> Iterator[tuple[XDouble, DoubleServer]]:
    double = XDouble(me=ME)
    with DoubleServer(double) as server:
        yield double, server


def connector(server: DoubleServer, **creds: Any) -> XConnector:
    values = {
        "client_id": "x-client",
        "access_token": "x-access-1",
        "refresh_token": "x-refresh-1",
        "expires_at": dt.datetime.now(dt.UTC) + dt.timedelta(hours=2),
        **creds,
    }
    return XConnector(Target("x", ME, ME, server.url), Credentials(**values))


def sync(conn: XConnector, cursor: dict[str, Any]) -> tuple[list[RemoteItem], dict[str, Any]]:
    items: list[RemoteItem] = []
    for _ in range(100):
        page = conn.fetch(cursor)
        items.extend(page.items)
        cursor = page.cursor
        if page.done:
            return items, cursor
    raise AssertionError("the sync never finished")


def test_registry_has_x(x):
    _, server = x
    assert "x" in registry().platforms()
    made = registry().create(Target("x", ME, ME, server.url), Credentials(access_token="t"))
    assert isinstance(made, XConnector)


def test_mentions_are_paged_and_since_id_moves_only_at_the_end(x):
    double, server = x
    ids = {double.mention(f"@riversidedental hello {n}") for n in range(250)}
    conn = connector(server)
    first = conn.fetch({})
    assert not first.done and first.cursor["since_id"] is None  # not yet: a crash re-reads
    items, cursor = sync(conn, first.cursor)
    items = list(first.items) + items
    assert {i.external_id for i in items} == ids and len(items) == len(ids)
    assert cursor == {"since_id": max(ids, key=int), "own_since": None}  # no posts of ours yet
    tokens = [r.query.get("pagination_token") for r in server.requests("GET", "/mentions$")]
    assert tokens[0] is None and all(tokens[1:])
    assert all(i.author and i.url and i.url.startswith("https://x.com/") for i in items)
    new = double.mention("@riversidedental are you open today?")
    server.log.clear()
    items, cursor = sync(conn, cursor)
    assert [i.external_id for i in items] == [new]
    assert server.requests("GET", "/mentions$")[0].query["since_id"] == max(ids, key=int)
    assert sync(conn, cursor)[0] == []  # nothing imported twice


def test_an_edited_mention_updates_the_same_item_and_replies_go_to_the_newest(x):
    double, server = x
    original = double.mention("@riversidedental the wait was long")
    conn = connector(server)
    _, cursor = sync(conn, {})
    newest = double.edit(original, "@riversidedental the wait was two hours")
    items, _ = sync(conn, cursor)
    assert [(i.external_id, i.text) for i in items] == [(original, double.tweets[newest].text)]
    reply = conn.publish_reply(original, "We are sorry. Please call us at (555) 388-9100.")
    assert double.tweets[reply.external_id].reply_to == newest
    assert [r.external_id for r in conn.read_replies(original)] == [reply.external_id]


def test_publish_then_read_back_finds_the_reply_before_any_retry(x):
    double, server = x
    mention = double.mention("@riversidedental thanks for fitting me in")
    conn = connector(server)
    assert conn.read_replies(mention) == []
    reply = conn.publish_reply(mention, "Thank you for the kind words!")
    posted = server.requests("POST", "/2/tweets$")[0].json()
    assert posted == {"text": reply.text, "reply": {"in_reply_to_tweet_id": mention}}
    back = conn.read_replies(mention)
    assert [(r.external_id, r.text, r.by_us) for r in back] == [
        (reply.external_id, reply.text, True)
    ]
    item = conn.read_item(mention)
    assert item is not None and item.reply is not None
    assert item.reply.external_id == reply.external_id
    conn.delete_reply(mention, reply)
    assert double.our_replies_to(mention) == []


def test_reply_not_allowed_is_a_permanent_refusal_with_x_reason(x):
    double, server = x
    quoted = double.mention("quoting you without a mention", mentions_us=False)
    with pytest.raises(PermanentRefusal) as caught:
        connector(server).publish_reply(quoted, "Thanks!")
    assert caught.value.reason == REPLY_REFUSED
    assert len(server.requests("POST", "/2/tweets$")) == 1  # asked once, never retried here


def test_any_403_on_a_reply_is_permanent_whatever_its_wording(x):
    double, server = x
    mention = double.mention("@riversidedental hi")
    server.fail(
        "POST",
        "/2/tweets$",
        problem(
            403,
            "Forbidden",
            "Reply to this conversation is not allowed because you have not been mentioned",
        ),
    )
    with pytest.raises(PermanentRefusal, match="not been mentioned"):
        connector(server).publish_reply(mention, "Thanks!")


def test_deleted_post_reads_as_none_and_cannot_be_answered(x):
    double, server = x
    mention = double.mention("@riversidedental bye")
    double.tweets[mention].deleted = True
    conn = connector(server)
    assert conn.read_item(mention) is None
    with pytest.raises(PermanentRefusal, match="deleted"):
        conn.publish_reply(mention, "Thanks")
    assert server.requests("POST", "/2/tweets$") == []


def test_rate_limit_waits_until_x_rate_limit_reset(x):
    double, server = x
    double.mention("@riversidedental hi")
    reset = str(int(time.time()) + 120)
    server.fail(
        "GET",
        "/mentions$",
        problem(
            429,
            "Too Many Requests",
            "Too Many Requests",
            {"x-rate-limit-reset": reset, "x-rate-limit-remaining": "0"},
        ),
    )
    with pytest.raises(RateLimited) as caught:
        connector(server).fetch({})
    assert 110 <= caught.value.retry_after <= 121
    server.fail("POST", "/2/tweets$", json_reply(429, {}, {"Retry-After": "30"}))
    with pytest.raises(RateLimited) as caught:
        connector(server).publish_reply(double.mention("@riversidedental hey"), "Thanks")
    assert caught.value.retry_after == 30


def test_server_errors_are_transient(x):
    _, server = x
    server.fail("GET", "/mentions$", problem(503, "Service Unavailable", "over capacity"))
    with pytest.raises(Transient):
        connector(server).fetch({})


def test_expiring_token_is_refreshed_and_the_refresh_token_rotates(x):
    double, server = x
    double.mention("@riversidedental hi")
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    conn = connector(server, expires_at=soon)
    items, _ = sync(conn, {})
    assert len(items) == 1
    assert conn.credentials.access_token == "x-access-r1"
    assert conn.credentials.refresh_token == "x-refresh-r1"  # the old one no longer works
    assert conn.credentials.expires_at > soon
    sent = server.requests("POST", "/2/oauth2/token$")[0].form()
    assert sent["grant_type"] == "refresh_token" and sent["client_id"] == "x-client"


def test_a_revoked_access_token_is_refreshed_once_then_needs_reauth(x):
    double, server = x
    double.mention("@riversidedental hi")
    double.tokens.clear()  # the access token was revoked: refresh and go on
    assert len(sync(connector(server), {})[0]) == 1
    double.tokens.clear()
    double.refresh_tokens.clear()  # and now the refresh token too
    with pytest.raises(NeedsReauth):
        connector(server, refresh_token="x-refresh-r1").fetch({})


def test_no_refresh_token_and_an_expired_token_needs_reauth(x):
    _, server = x
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    with pytest.raises(NeedsReauth, match="no refresh token"):
        connector(server, refresh_token="", expires_at=past).fetch({})


def test_a_reply_too_long_for_x_is_refused_before_sending(x):
    double, server = x
    mention = double.mention("@riversidedental hi")
    with pytest.raises(PermanentRefusal, match="280"):
        connector(server).publish_reply(mention, "x" * 281)
    assert server.requests("POST", "/2/tweets$") == []


def test_the_account_must_be_numeric_and_the_base_url_a_url():
    with pytest.raises(InputError):
        XConnector(Target("x", "@riversidedental", "", "https://api.x.com"), Credentials())
    with pytest.raises(ConfigError):
        XConnector(Target("x", ME, ME, "api.x.com"), Credentials(access_token="t"))


def test_a_mention_answered_in_x_app_arrives_with_our_reply(x):
    double, server = x
    answered = double.mention("@riversidedental open on Saturday?")
    other = double.mention("@riversidedental thanks")
    stranger = double.mention("not about us", mentions_us=False)
    conn = connector(server)
    _, cursor = sync(conn, {})
    double.reply_in_app(answered, "Yes, 9 to 1!")
    last = double.reply_in_app(stranger, "Hello")  # to a post that does not mention us
    items, cursor = sync(conn, cursor)
    assert [(i.external_id, i.reply.text, i.reply.by_us) for i in items] == [
        (answered, "Yes, 9 to 1!", True)
    ]
    assert cursor["own_since"] == last
    assert other not in {i.external_id for i in items}
    again, _ = sync(conn, cursor)
    assert again == []  # our reply is not read twice
