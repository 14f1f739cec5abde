"""Facebook, Instagram and X through the framework: commands, sync into the inbox, publishing
exactly once, X's refusal falling back to the manual path, re-authorisation on Meta error 190."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from doubles_http import DoubleServer, json_reply
from doubles_meta import GraphDouble
from doubles_social_world import SocialWorld, facebook_world, x_world
from doubles_x import REPLY_REFUSED, XDouble
from google_world import SECRET

from safereply.cli.main import main
from safereply.services import SYSTEM

PAGE = "1001"
IG_USER = "17841400000000001"
ME = "42"


@pytest.fixture
def fb(tmp_path) -> Iterator[tuple[GraphDouble, DoubleServer, SocialWorld]]:
    with facebook_world(tmp_path, PAGE) as found:
        yield found


@pytest.fixture
def xw(tmp_path) -> Iterator[tuple[XDouble, DoubleServer, SocialWorld]]:
    with x_world(tmp_path, ME) as found:
        yield found


def test_facebook_comments_arrive_once_and_a_page_reply_is_replied_elsewhere(fb):
    double, _, world = fb
    post = double.add_root("Open house Saturday")
    plain = double.add_comment(post, "See you there")
    answered = double.add_comment(post, "Do you take walk-ins?")
    double.add_comment(
        answered,
        "We do, call us at (555) 201-3300.",
        author_id=PAGE,
        author_name="Maple Grove Dental",
    )
    report = world.sync()
    assert (report.fetched, report.new, report.errors) == (2, 2, 0)
    assert world.post(plain).author == "Pat Example"
    assert world.item(answered).replied_elsewhere
    assert not world.item(plain).replied_elsewhere
    again = world.sync()
    assert (again.new, again.updated) == (0, 0)


def test_a_deleted_comment_is_marked_removed_by_the_next_full_scan(fb):
    double, _, world = fb
    post = double.add_root("p")
    gone = double.add_comment(post, "Nice")
    kept = double.add_comment(post, "Great")
    world.sync()
    double.delete(gone)
    world.clock.advance(hours=25)  # a full scan is due once a day
    report = world.sync()
    assert report.removed == 1
    assert world.item(gone).removed_at is not None and world.item(kept).removed_at is None


def test_facebook_publish_is_exactly_once_even_after_a_lost_answer(fb):
    double, server, world = fb
    post = double.add_root("p")
    comment = double.add_comment(post, "Thanks for a great cleaning")
    world.sync()
    pid = world.approve_acknowledgement(comment)
    # Facebook posts the reply, but its answer never reaches us (the connection drops):
    server.fail("POST", f"/{comment}/comments$", json_reply(502, {}), after=True)
    first = world.connectors.publisher.publish(pid)
    assert first.status == "retry"
    assert len(double.replies_by_owner(comment)) == 1
    world.clock.advance(hours=2)
    again = world.connectors.publisher.publish(pid)  # reads back before posting again
    assert again.status == "published" and again.reused
    assert [r.text for r in double.replies_by_owner(comment)] == [_approved_text(world, pid)]
    assert len(server.requests("POST", f"/{comment}/comments$")) == 1
    assert world.post(comment).state == "published"
    world.clock.advance(hours=25)  # a full scan sees our reply under the comment: still ours
    assert world.sync().errors == 0
    assert world.post(comment).state == "published"
    assert not world.item(comment).replied_elsewhere


def test_a_reply_already_on_facebook_is_reused_not_posted_twice(fb):
    double, server, world = fb
    post = double.add_root("p")
    comment = double.add_comment(post, "Lovely team")
    world.sync()
    pid = world.approve_acknowledgement(comment)
    connector = world.connectors.connections.open(_row(world))
    connector.publish_reply(comment, _approved_text(world, pid))  # posted, never recorded
    result = world.connectors.publisher.publish(pid)
    assert result.status == "published" and result.reused
    assert len(server.requests("POST", f"/{comment}/comments$")) == 1
    assert len(double.replies_by_owner(comment)) == 1


def test_meta_error_190_flags_the_connection_for_reauthorisation(fb):
    double, _, world = fb
    double.add_root("p")
    double.revoked.add("page-token-1")
    report = world.sync()
    assert report.errors == 1 and report.needs_reauth
    assert world.row().needs_reauth and "190" in world.row().last_error


def test_x_refusal_falls_back_to_the_manual_path_with_the_reason(xw):
    double, server, world = xw
    mention = double.mention("@riversidedental thanks!", reply_allowed=False)
    world.sync()
    pid = world.approve_acknowledgement(mention)
    result = world.connectors.publisher.publish(pid)
    assert result.status == "refused" and result.detail == REPLY_REFUSED
    item = world.item(mention)
    assert item.manual_only and item.publish_error == REPLY_REFUSED
    assert world.connectors.publisher.due() == []  # never retried
    assert len(server.requests("POST", "/2/tweets$")) == 1


def test_x_mentions_sync_and_publish_once(xw):
    double, _, world = xw
    ids = [double.mention(f"@riversidedental great visit {n}") for n in range(130)]
    report = world.sync()
    assert (report.fetched, report.new) == (130, 130)
    assert world.row().cursor == {"since_id": max(ids, key=int), "own_since": None}
    pid = world.approve_acknowledgement(ids[0])
    assert world.connectors.publisher.publish(pid).status == "published"
    assert world.post(ids[0]).state == "published"
    assert world.connectors.publisher.due() == []  # nothing left to post
    assert len(double.our_replies_to(ids[0])) == 1
    after = world.sync()  # reads our own posts: our published reply is ours, not "elsewhere"
    assert (after.new, after.errors) == (0, 0)
    assert world.post(ids[0]).state == "published"
    assert not world.item(ids[0]).replied_elsewhere


def test_x_mention_answered_in_the_x_app_is_replied_elsewhere(xw):
    double, _, world = xw
    mention = double.mention("@riversidedental do you see kids?")
    world.sync()
    double.reply_in_app(mention, "We do! Call us at (555) 201-3300.")
    report = world.sync()
    assert report.errors == 0
    assert world.item(mention).replied_elsewhere
    assert world.item(mention).remote_reply == "We do! Call us at (555) 201-3300."


def _row(world: SocialWorld) -> Any:
    from safereply.store.models import Connection

    with world.store.read() as s:
        row = s.get(Connection, world.connection)
        s.expunge(row)
        return row


def _approved_text(world: SocialWorld, pid: int) -> str:
    from sqlalchemy import select

    from safereply.store.models import Draft

    with world.store.read() as s:
        return s.scalars(
            select(Draft.text).where(Draft.post_id == pid).order_by(Draft.number.desc())
        ).first()


# -- the commands ---------------------------------------------------------------------------------


def _env(monkeypatch, tmp_path, **extra: str) -> None:
    for key in [k for k in os.environ if k.startswith("SAFEREPLY_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("SAFEREPLY_ENVIRONMENT", "test")
    monkeypatch.setenv("SAFEREPLY_SECRET_KEY", SECRET)
    monkeypatch.setenv("SAFEREPLY_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("SAFEREPLY_JOBS_PATH", str(tmp_path / "jobs.sqlite3"))
    for key, value in extra.items():
        monkeypatch.setenv(key, value)


def test_connect_facebook_instagram_and_x_with_their_own_ids(monkeypatch, tmp_path, capsys):
    graph, ig, x = (
        GraphDouble("facebook", owner_id=PAGE),
        GraphDouble("instagram", owner_id=IG_USER, token="ig-token-1"),
        XDouble(me=ME),
    )
    with DoubleServer(graph) as gs, DoubleServer(ig) as igs, DoubleServer(x) as xs:
        graph.base_url, ig.base_url = gs.url, igs.url
        graph.add_comment(graph.add_root("p"), "Hello from Facebook")
        ig.add_comment(ig.add_root("photo"), "Hello from Instagram")
        x.mention("@riversidedental hello from X")
        _env(
            monkeypatch,
            tmp_path,
            SAFEREPLY_META_GRAPH_API=f"{gs.url}/v26.0",
            SAFEREPLY_INSTAGRAM_API=igs.url,
            SAFEREPLY_X_API=xs.url,
        )
        from safereply.services import build_services
        from safereply.settings import load_settings
        from safereply.store import open_store

        store = open_store(load_settings().resolved_database_url, migrate=True)
        from google_world import PROFILE

        build_services(store, load_settings()).practices.create_practice(SYSTEM, PROFILE)
        store.dispose()
        files = {}
        for name, token in (("fb", "page-token-1"), ("ig", "ig-token-1"), ("x", "x-access-1")):
            files[name] = tmp_path / f"{name}.json"
            files[name].write_text(
                json.dumps(
                    {"client_id": "x-client", "access_token": token, "refresh_token": "x-refresh-1"}
                )
            )
        assert (
            main(
                [
                    "connect",
                    "facebook",
                    "--practice-id",
                    "1",
                    "--page-id",
                    PAGE,
                    "--credentials",
                    str(files["fb"]),
                ]
            )
            == 0
        )
        assert (
            main(
                [
                    "connect",
                    "instagram",
                    "--practice-id",
                    "1",
                    "--ig-user-id",
                    IG_USER,
                    "--credentials",
                    str(files["ig"]),
                ]
            )
            == 0
        )
        assert (
            main(
                [
                    "connect",
                    "x",
                    "--practice-id",
                    "1",
                    "--user-id",
                    ME,
                    "--credentials",
                    str(files["x"]),
                ]
            )
            == 0
        )
        capsys.readouterr()
        assert main(["sync"]) == 0
        out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [(o["platform"], o["new"], o["errors"]) for o in out] == [
            ("facebook", 1, 0),
            ("instagram", 1, 0),
            ("x", 1, 0),
        ]
        assert main(["connections", "--format", "json"]) == 0
        listed = capsys.readouterr().out
        assert "page-token-1" not in listed and "x-access-1" not in listed


def test_connect_refuses_an_id_that_is_not_numeric(monkeypatch, tmp_path, capsys):
    _env(monkeypatch, tmp_path)
    creds = tmp_path / "c.json"
    creds.write_text('{"access_token": "t"}')
    assert (
        main(
            [
                "connect",
                "x",
                "--practice-id",
                "1",
                "--user-id",
                "@riversidedental",
                "--credentials",
                str(creds),
            ]
        )
        == 2
    )
    assert "numeric" in capsys.readouterr().err


def test_a_comment_deleted_before_its_reply_went_out_is_closed_as_removed(fb):
    double, server, world = fb
    comment = double.add_comment(double.add_root("p"), "Great hygienist")
    world.sync()
    pid = world.approve_acknowledgement(comment)
    double.delete(comment)
    result = world.connectors.publisher.publish(pid)
    assert result.status != "published"
    assert world.item(comment).removed_at is not None
    assert server.requests("POST", f"/{comment}/comments$") == []


def test_a_mention_deleted_before_its_reply_went_out_is_closed_as_removed(xw):
    double, server, world = xw
    mention = double.mention("@riversidedental thanks")
    world.sync()
    pid = world.approve_acknowledgement(mention)
    double.tweets[mention].deleted = True
    world.connectors.publisher.publish(pid)
    assert world.item(mention).removed_at is not None
    assert server.requests("POST", "/2/tweets$") == []
