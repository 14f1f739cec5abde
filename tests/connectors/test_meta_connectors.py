"""The Facebook and Instagram connectors against a local Graph API double over real HTTP."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from doubles_http import DoubleServer, json_reply
from doubles_meta import GraphDouble, graph_error

from safereply.connectors import (
    Credentials,
    NeedsReauth,
    Page,
    PermanentRefusal,
    RateLimited,
    RemoteItem,
    Target,
    Transient,
    registry,
)
from safereply.connectors.meta import FacebookConnector, InstagramConnector, appsecret_proof
from safereply.errors import ConfigError

PAGE = "1001"
IG_USER = "17841400000000001"


@pytest.fixture
def fb() -> Iterator[tuple[GraphDouble, DoubleServer]]:
    double = GraphDouble("facebook", owner_id=PAGE)
    with DoubleServer(double) as server:
        double.base_url = server.url
        yield double, server


@pytest.fixture
def ig() -> Iterator[tuple[GraphDouble, DoubleServer]]:
    double = GraphDouble(
        "instagram", owner_id=IG_USER, owner_name="riversidedental", token="ig-token-1"
    )
    with DoubleServer(double) as server:
        double.base_url = server.url
        yield double, server


def facebook(server: DoubleServer, **creds: Any) -> FacebookConnector:
    target = Target("facebook", PAGE, PAGE, f"{server.url}/v26.0")
    return FacebookConnector(target, Credentials(access_token="page-token-1", **creds))


def instagram(server: DoubleServer, **creds: Any) -> InstagramConnector:
    target = Target("instagram", IG_USER, IG_USER, server.url)
    return InstagramConnector(target, Credentials(access_token="ig-token-1", **creds))


def sync(connector: Any, cursor: dict[str, Any]) -> tuple[list[RemoteItem], dict[str, Any], Page]:
    """Run fetch until done, as the sync does, keeping the cursor after every page."""
    items: list[RemoteItem] = []
    for _ in range(1000):
        page = connector.fetch(cursor)
        items.extend(page.items)
        cursor = page.cursor
        if page.done:
            return items, cursor, page
    raise AssertionError("the sync never finished")


def test_registry_builds_both_meta_connectors(fb):
    _, server = fb
    found = registry()
    assert {"facebook", "instagram"} <= set(found.platforms())
    target = Target("facebook", PAGE, PAGE, server.url)
    assert isinstance(found.create(target, Credentials(access_token="t")), FacebookConnector)


def test_facebook_first_sync_reads_every_comment_across_pages(fb):
    double, server = fb
    posts = [double.add_root(f"post {n}") for n in range(3)]
    expected = {double.add_comment(posts[n % 2], f"comment {n}") for n in range(250)}
    items, cursor, last = sync(facebook(server), {})
    assert {i.external_id for i in items} == expected
    assert len(items) == len(expected)  # nothing twice
    assert last.complete_scan  # the first sync reads everything: unseen items were deleted
    assert all(i.thread in posts and i.author == "Pat Example" for i in items)
    # the comment lists were paged with the `after` cursor
    assert any("after" in r.query and r.query["after"] for r in server.requests("GET", "comments$"))
    assert cursor["counts"] and "run" not in cursor


def test_facebook_next_sync_reads_only_posts_with_new_comments(fb):
    double, server = fb
    quiet, busy = double.add_root("quiet"), double.add_root("busy")
    double.add_comment(quiet, "old one")
    double.add_comment(busy, "old two")
    _, cursor, _ = sync(facebook(server), {})
    new = double.add_comment(busy, "Waited an hour past my appointment.")
    server.log.clear()
    items, cursor, last = sync(facebook(server), cursor)
    assert [i.external_id for i in items] == [new] or new in {i.external_id for i in items}
    assert not last.complete_scan
    read = {r.path for r in server.requests("GET", "/comments$")}
    assert read == {f"/v26.0/{busy}/comments"}  # the quiet post was not read again
    items, _, _ = sync(facebook(server), cursor)
    assert items == []  # nothing new: nothing imported twice


def test_facebook_page_reply_arrives_as_the_items_reply_and_others_replies_as_items(fb):
    double, server = fb
    post = double.add_root("hours")
    question = double.add_comment(post, "Are you open Saturday?")
    double.add_comment(question, "Yes, 9 to 1!", author_id=PAGE, author_name="Riverside")
    other = double.add_comment(question, "I went last Saturday", author_id="u-7", author_name="Al")
    items, _, _ = sync(facebook(server), {})
    by_id = {i.external_id: i for i in items}
    assert set(by_id) == {question, other}  # the Page's own comment is a reply, not an item
    assert by_id[question].reply is not None
    assert by_id[question].reply.text == "Yes, 9 to 1!" and by_id[question].reply.by_us
    assert by_id[other].reply is None and by_id[other].thread == post


def test_facebook_full_scan_finds_edits_and_marks_complete(fb):
    double, server = fb
    post = double.add_root("p")
    comment = double.add_comment(post, "The wait was fine")
    _, cursor, _ = sync(facebook(server), {})
    double.edit(comment, "The wait was two hours")
    items, cursor, last = sync(facebook(server), {**cursor, "full": True})
    assert last.complete_scan
    assert [(i.external_id, i.text) for i in items] == [(comment, "The wait was two hours")]


def test_facebook_webhook_recheck_reads_the_named_post_first(fb):
    double, server = fb
    post = double.add_root("p")
    comment = double.add_comment(post, "first words")
    _, cursor, _ = sync(facebook(server), {})
    double.edit(comment, "edited words")  # an edit changes no count
    items, _, _ = sync(facebook(server), {**cursor, "recheck": [post]})
    assert [i.text for i in items] == ["edited words"]


def test_facebook_sync_resumes_after_a_failure_mid_walk(fb):
    double, server = fb
    posts = [double.add_root(f"p{n}") for n in range(2)]
    ids = {double.add_comment(posts[n % 2], f"c{n}") for n in range(230)}
    connector = facebook(server)
    cursor: dict[str, Any] = {}
    seen: list[str] = []
    page = connector.fetch(cursor)  # the feed
    cursor = page.cursor
    page = connector.fetch(cursor)  # the first comments page
    seen += [i.external_id for i in page.items]
    cursor = page.cursor
    server.fail("GET", "/comments$", graph_error(2, "Service temporarily unavailable", status=500))
    with pytest.raises(Transient):
        connector.fetch(cursor)  # the saved cursor is unchanged: the sync retries from it
    items, _, _ = sync(facebook(server), cursor)
    seen += [i.external_id for i in items]
    assert set(seen) == ids and len(seen) == len(ids)


def test_facebook_publish_read_back_edit_and_delete(fb):
    double, server = fb
    post = double.add_root("p")
    comment = double.add_comment(post, "Thanks for the clean office")
    connector = facebook(server)
    assert connector.read_replies(comment) == []
    reply = connector.publish_reply(comment, "Thank you! Please call us at (555) 388-9100.")
    assert reply.external_id and reply.state == "live"
    assert [r.text for r in double.replies_by_owner(comment)] == [reply.text]
    back = connector.read_replies(comment)
    assert [(r.external_id, r.by_us) for r in back] == [(reply.external_id, True)]
    edited = connector.edit_reply(comment, reply, "Thank you for the kind words!")
    assert double.nodes[reply.external_id].text == edited.text
    connector.delete_reply(comment, reply)
    assert double.replies_by_owner(comment) == []
    connector.delete_reply(comment, reply)  # already gone: not an error
    assert server.requests("POST", f"/{comment}/comments$")[0].form()["message"].startswith("Tha")


def test_facebook_read_item_and_deleted_comment(fb):
    double, server = fb
    post = double.add_root("p")
    comment = double.add_comment(post, "hello")
    connector = facebook(server)
    item = connector.read_item(comment)
    assert item is not None and item.text == "hello"
    double.delete(comment)
    assert connector.read_item(comment) is None
    with pytest.raises(PermanentRefusal, match="no longer exists"):
        connector.publish_reply(comment, "Thanks!")


def test_facebook_token_error_190_needs_reauthorisation(fb):
    double, server = fb
    double.add_root("p")
    double.revoked.add("page-token-1")
    with pytest.raises(NeedsReauth, match="190"):
        facebook(server).fetch({})


@pytest.mark.parametrize("code", [4, 17, 32, 613])
def test_facebook_rate_limit_codes_are_rate_limited(fb, code):
    double, server = fb
    double.add_root("p")
    server.fail(
        "GET", "/feed$", graph_error(code, "(#4) Application request limit reached", status=403)
    )
    with pytest.raises(RateLimited) as caught:
        facebook(server).fetch({})
    assert caught.value.retry_after > 0


def test_facebook_rate_limit_honours_retry_after_and_usage_header(fb):
    double, server = fb
    double.add_root("p")
    server.fail("GET", "/feed$", json_reply(429, {}, {"Retry-After": "17"}))
    with pytest.raises(RateLimited) as caught:
        facebook(server).fetch({})
    assert caught.value.retry_after == 17
    usage = json.dumps({PAGE: [{"type": "pages", "estimated_time_to_regain_access": 3}]})
    server.fail(
        "GET",
        "/feed$",
        graph_error(
            80001, "There have been too many calls", headers={"X-Business-Use-Case-Usage": usage}
        ),
    )
    with pytest.raises(RateLimited) as caught:
        facebook(server).fetch({})
    assert caught.value.retry_after == 180


def test_facebook_server_errors_are_transient_and_refusals_permanent(fb):
    double, server = fb
    comment = double.add_comment(double.add_root("p"), "hi")
    server.fail("POST", "/comments$", json_reply(503, {"error": {"message": "down", "code": 2}}))
    with pytest.raises(Transient):
        facebook(server).publish_reply(comment, "Thanks")
    server.fail("POST", "/comments$", graph_error(368, "blocked for policy", status=400))
    with pytest.raises(PermanentRefusal, match="368"):
        facebook(server).publish_reply(comment, "Thanks")
    assert double.replies_by_owner(comment) == []


def test_facebook_sends_appsecret_proof_when_it_has_the_secret(fb):
    double, server = fb
    double.app_secret = "app-secret-555"
    double.add_comment(double.add_root("p"), "hi")
    items, _, _ = sync(facebook(server, client_id="app", client_secret="app-secret-555"), {})
    assert len(items) == 1
    sent = server.requests("GET", "/feed$")[0].query["appsecret_proof"]
    assert sent == appsecret_proof("app-secret-555", "page-token-1")
    with pytest.raises(PermanentRefusal, match="appsecret_proof"):
        facebook(server, client_id="app", client_secret="wrong").fetch({})


def test_facebook_expiring_token_is_exchanged_and_dead_one_needs_reauth(fb):
    double, server = fb
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    connector = facebook(server, client_id="app", client_secret="s", expires_at=soon)
    assert connector.refresh_tokens() is True
    assert connector.credentials.access_token != "page-token-1"
    assert connector.credentials.expires_at > soon
    never = facebook(server)  # Page tokens do not expire: nothing to do
    assert never.refresh_tokens() is False
    double.tokens.clear()
    with pytest.raises(NeedsReauth):
        facebook(server, client_id="app", client_secret="s", expires_at=soon).refresh_tokens()


def test_instagram_sync_reads_comments_and_our_replies(ig):
    double, server = ig
    media = [double.add_root(f"photo {n}") for n in range(2)]
    first = double.add_comment(media[0], "Love the new office!", author_name="pat.example")
    double.add_comment(first, "Thank you!", author_id=IG_USER, author_name="riversidedental")
    many = {double.add_comment(media[1], f"comment {n}") for n in range(120)}
    items, cursor, last = sync(instagram(server), {})
    by_id = {i.external_id: i for i in items}
    assert set(by_id) == many | {first}
    assert by_id[first].reply is not None and by_id[first].reply.text == "Thank you!"
    assert last.complete_scan
    newer = double.add_comment(media[0], "When do you open?")
    server.log.clear()
    items, _, _ = sync(instagram(server), cursor)
    assert [i.external_id for i in items if i.external_id == newer] == [newer]
    assert {r.path for r in server.requests("GET", "/comments$")} == {f"/{media[0]}/comments"}


def test_instagram_publish_reads_back_and_refuses_nested_replies(ig):
    double, server = ig
    media = double.add_root("photo")
    top = double.add_comment(media, "Do you take new patients?")
    nested = double.add_comment(top, "Asking too", author_id="u-8", author_name="al")
    connector = instagram(server)
    reply = connector.publish_reply(top, "We do! Please call (555) 388-9100.")
    assert [r.external_id for r in connector.read_replies(top) if r.by_us] == [reply.external_id]
    with pytest.raises(PermanentRefusal, match="top-level"):
        connector.publish_reply(nested, "Thanks")
    with pytest.raises(PermanentRefusal, match="edit"):
        connector.edit_reply(top, reply, "new text")
    connector.delete_reply(top, reply)
    assert double.replies_by_owner(top) == []


def test_instagram_token_is_refreshed_before_it_expires(ig):
    double, server = ig
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    connector = instagram(server, expires_at=soon)
    assert connector.refresh_tokens() is True
    assert server.requests("GET", "/refresh_access_token$")[0].query["grant_type"] == (
        "ig_refresh_token"
    )
    far = instagram(server, expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=50))
    assert far.refresh_tokens() is False
    double.revoked.add(connector.credentials.access_token)
    with pytest.raises(NeedsReauth):
        connector.fetch({})


def test_a_base_url_without_scheme_is_a_config_error_that_never_shows_the_token():
    target = Target("facebook", PAGE, PAGE, "graph.facebook.com/v26.0")
    with pytest.raises(ConfigError) as caught:
        FacebookConnector(target, Credentials(access_token="secret-page-token"))
    assert "secret-page-token" not in str(caught.value)


def test_error_messages_never_carry_the_token(fb):
    double, server = fb
    double.add_root("p")
    server.fail("GET", "/feed$", json_reply(500, {"error": {"message": "boom", "code": 1}}))
    with pytest.raises(Transient) as caught:
        facebook(server).fetch({})
    assert "page-token-1" not in str(caught.value)
    double.revoked.add("page-token-1")
    with pytest.raises(NeedsReauth) as caught:
        facebook(server).fetch({})
    assert "page-token-1" not in str(caught.value)


def test_facebook_first_sync_subscribes_the_page_to_feed_webhooks_once(fb):
    double, server = fb
    double.add_comment(double.add_root("p"), "hi")
    _, cursor, _ = sync(facebook(server), {})
    assert double.subscribed == "feed" and cursor["webhooks"] == "on"
    sync(facebook(server), cursor)
    assert len(server.requests("POST", "/subscribed_apps$")) == 1  # asked once


def test_a_refused_webhook_subscription_does_not_stop_polling(fb):
    double, server = fb
    double.add_comment(double.add_root("p"), "hi")
    server.fail(
        "POST",
        "/subscribed_apps$",
        graph_error(200, "(#200) Requires pages_manage_metadata permission"),
    )
    items, cursor, _ = sync(facebook(server), {})
    assert len(items) == 1 and cursor["webhooks"] == "refused"


def test_facebook_a_reply_to_a_reply_goes_to_the_manual_path_not_posted(fb):
    double, server = fb
    top = double.add_comment(double.add_root("p"), "Open Sunday?")
    nested = double.add_comment(top, "I asked too", author_id="u-9", author_name="Al")
    with pytest.raises(PermanentRefusal, match="reply to another comment"):
        facebook(server).publish_reply(nested, "Thanks!")
    assert server.requests("POST", "/comments$") == []


def test_instagram_token_is_refreshed_by_a_sync_before_it_expires(ig):
    double, server = ig
    double.add_comment(double.add_root("photo"), "Nice")
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    connector = instagram(server, expires_at=soon)
    items, _, _ = sync(connector, {})
    assert len(items) == 1
    assert len(server.requests("GET", "/refresh_access_token$")) == 1  # once, not per call
    assert connector.credentials.access_token != "ig-token-1"  # the caller seals it back
    assert connector.credentials.expires_at > soon + dt.timedelta(days=50)


def test_a_refused_refresh_leaves_the_current_token_in_use(ig):
    double, server = ig
    double.add_comment(double.add_root("photo"), "Nice")
    server.fail(
        "GET",
        "/refresh_access_token$",
        graph_error(100, "Token must be at least 24 hours old", kind="IGApiException"),
    )
    connector = instagram(server, expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    items, _, _ = sync(connector, {})
    assert len(items) == 1 and connector.credentials.access_token == "ig-token-1"
    assert len(server.requests("GET", "/refresh_access_token$")) == 1


def test_facebook_a_comment_with_more_than_100_replies_is_read_whole(fb):
    double, server = fb
    top = double.add_comment(double.add_root("p"), "Who else waited today?")
    replies = {double.add_comment(top, f"me too {n}", author_id=f"u-{n}") for n in range(130)}
    ours = double.add_comment(top, "We are sorry. Please call us.", author_id=PAGE)
    items, _, _ = sync(facebook(server), {})
    by_id = {i.external_id: i for i in items}
    assert set(by_id) == replies | {top}
    assert by_id[top].reply is not None and by_id[top].reply.external_id == ours
    assert server.requests("GET", f"/{top}/comments$")  # the rest of the replies, paged
