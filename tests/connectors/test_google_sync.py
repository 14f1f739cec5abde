"""Syncing a Google location into the inbox: once, incrementally, with edits, deletions, replies
written elsewhere, token failures and back-off."""

from __future__ import annotations

import datetime as dt

import pytest
from google_world import make_world
from sqlalchemy import select, text

from safereply.services import SYSTEM
from safereply.store.models import AuditEvent, Connection, Notification


@pytest.fixture
def world(google, tmp_path):
    w = make_world(google, tmp_path)
    w.connectors.syncer.sleep = lambda seconds: None  # inline retries without waiting
    yield w
    w.store.dispose()


def sync(world):
    return world.connectors.syncer.sync(world.connection)


def test_every_review_arrives_once_across_pages_and_syncs(world, google):
    for n in range(130):
        google.add_review(f"r{n}", f"Lovely visit number {n}", stars=5)
    world.connectors.syncer.small_connection = 0  # incremental syncs, as for a large location
    first = sync(world).to_dict()
    assert first == {
        "connection": world.connection,
        "platform": "google",
        "fetched": 130,
        "new": 130,
        "updated": 0,
        "errors": 0,
        "removed": 0,
    }
    again = sync(world).to_dict()
    assert again["fetched"] == 0 and again["new"] == 0  # incremental: nothing changed
    google.add_review("late", "Another kind word", stars=4)
    assert sync(world).to_dict()["new"] == 1
    post = world.post("r7")
    assert post.platform == "google" and post.author == "Pat Example" and post.rating == 5
    assert post.location_id is not None  # the connection's location, Downtown
    with world.store.read() as s:
        assert s.scalar(text("select count(*) from posts")) == 131


def test_a_star_only_review_is_kept_so_it_is_answered(world, google):
    google.add_review("stars", None, stars=1)
    sync(world)
    post = world.post("stars")
    assert "1-star" in post.text and post.kind == "complaint"


def test_an_edit_re_triages_the_post_and_sends_an_approved_reply_back(world, google):
    google.add_review("r1", "Great cleaning", stars=5)
    sync(world)
    pid = world.approve_acknowledgement("r1")
    assert world.post("r1").state == "approved"
    google.edit_review("r1", "Edited: I waited an hour", stars=1)
    report = sync(world).to_dict()
    assert report["updated"] == 1 and report["new"] == 0
    post = world.post("r1")
    assert post.text == "Edited: I waited an hour" and post.rating == 1
    assert post.kind == "complaint" and post.topic_names == ["wait-time"]
    assert post.state == "drafted"  # "post changed since this draft"
    assert world.item("r1").changed_at is not None
    attention = world.connectors.connections.attention(world.manager, world.practice)
    assert [i["post_id"] for i in attention["changed_since_draft"]] == [pid]
    with world.store.read() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(pid))))
    assert "post.edited_on_platform" in actions and "draft.reject" in actions


def test_a_deleted_review_is_marked_removed_by_the_next_full_scan(world, google):
    google.add_review("keep", "Fine", stars=5)
    google.add_review("gone", "Also fine", stars=5)
    sync(world)
    del google.reviews["gone"]
    world.connectors.syncer.full_scan_every = dt.timedelta(0)
    report = sync(world).to_dict()
    assert report["removed"] == 1
    assert world.item("gone").removed_at is not None and world.item("keep").removed_at is None
    assert world.post("gone").state == "dismissed" and world.post("keep").state == "new"
    assert sync(world).to_dict()["removed"] == 0  # only once


def test_a_reply_written_elsewhere_is_linted_and_risky_ones_stand_out(world, google):
    google.add_review("safe", "Nice", reply="Thank you! Call us at (555) 201-3300.")
    google.add_review("risky", "Nice", reply="Thanks, we enjoyed your visit on Tuesday.")
    report = sync(world).to_dict()
    assert report["new"] == 2 and report["updated"] == 0  # new, not also "updated"
    assert world.item("safe").remote_reply_verdict == "pass"
    risky = world.item("risky")
    assert risky.replied_elsewhere and risky.remote_reply_verdict == "block"
    assert risky.remote_reply_report["findings"][0]["category"] == "patient-relationship"
    assert world.post("risky").state == "dismissed"  # answered elsewhere: not waiting for us
    with world.store.read() as s:
        detail = s.scalar(
            select(AuditEvent.detail).where(
                AuditEvent.action == "post.replied_elsewhere",
                AuditEvent.object_id == str(world.post_id("risky")),
            )
        )
    assert detail == {"verdict": "block", "codes": ["PR001"]}  # no reply text in the audit log


def test_a_refused_refresh_token_flags_the_connection_for_reauthorisation(world, google):
    google.refresh_tokens.clear()
    report = sync(world).to_dict()
    assert report["errors"] == 1 and report["needs_reauth"] and "invalid_grant" in report["error"]
    info = world.connectors.connections.get(SYSTEM, world.connection)
    assert info.needs_reauth and "invalid_grant" in info.last_error
    assert world.connectors.syncer.due() == []  # no more polls until an admin reconnects
    assert sync(world).to_dict()["error"].startswith("needs re-authorisation")


def test_rate_limits_push_the_next_sync_back_by_retry_after(world, google):
    google.add_review("r1", "Nice")
    google.fail("GET", "/reviews", 429, headers={"Retry-After": "120"})
    report = sync(world)
    assert report.failed and report.retry_after == 120
    with world.store.read() as s:
        next_at = s.get(Connection, world.connection).next_sync_at
    assert next_at == world.clock.now + dt.timedelta(seconds=120)
    world.clock.advance(seconds=119)
    assert world.connectors.syncer.due() == []
    requests = len(google.requests)
    forced = sync(world)  # 'safereply sync' now: it still does not call Google
    assert forced.failed and "wait until" in forced.error and len(google.requests) == requests
    world.clock.advance(seconds=2)
    assert world.connectors.syncer.due() == [world.connection]
    assert sync(world).to_dict()["new"] == 1


def test_a_server_error_mid_scan_resumes_without_missing_or_doubling(world, google):
    for n in range(120):
        google.add_review(f"r{n}", f"Review {n}")
    google.fail("GET", "/reviews", 503, times=3)  # the first page answers 503, retried twice
    assert sync(world).failed
    # page 1 fine, page 2 fails: page 1 is stored and the cursor saved after it
    google.faults.clear()
    calls = []
    real = world.connectors.syncer._store_page

    def store_then_fail(snap, page, report, *, full=False):
        real(snap, page, report, full=full)
        calls.append(len(page.items))
        if len(calls) == 1:
            google.fail("GET", "/reviews", 500, times=3)

    world.connectors.syncer._store_page = store_then_fail
    assert sync(world).failed
    with world.store.read() as s:
        assert s.scalar(text("select count(*) from posts")) == 50
        assert s.get(Connection, world.connection).cursor.get("token")
    report = sync(world).to_dict()
    assert report["new"] == 70 and report["errors"] == 0
    with world.store.read() as s:
        assert s.scalar(text("select count(*) from posts")) == 120


def test_tokens_are_sealed_in_the_database_and_gone_after_disconnect(world, google):
    google.add_review("r1", "Nice")
    sync(world)
    with world.store.read() as s:
        sealed = s.scalar(select(Connection.tokens).where(Connection.id == world.connection))
    assert sealed.startswith("sealed:") and "refresh-1" not in sealed and "access-" not in sealed
    listed = [i.to_dict() for i in world.connectors.connections.list(SYSTEM)]
    assert "refresh-1" not in str(listed) and listed[0]["last_sync_at"]
    world.connectors.connections.disconnect(SYSTEM, world.connection)
    with world.store.read() as s:
        assert s.get(Connection, world.connection).tokens is None
    assert sync(world).to_dict()["error"].startswith("disconnected")


def test_a_rejected_reply_notifies_the_practice(world, google):
    google.add_review("r1", "Nice")
    sync(world)
    pid = world.approve_acknowledgement("r1")
    with world.store.write() as s:  # someone must be told: an e-mail address to notify
        from safereply.store.models import PracticeSettings

        s.get(PracticeSettings, world.practice).notify_emails = ["office@example.test"]
    assert world.connectors.publisher.publish(pid).status == "published"
    assert world.item("r1").reply_state == "pending"
    shown = world.connectors.connections.attention(world.manager, world.practice)
    assert [i["post_id"] for i in shown["pending"]] == [pid]
    google.set_reply_state("r1", "REJECTED", violation="CONTACT_INFORMATION")
    assert world.connectors.publisher.follow_moderation() == 1
    item = world.item("r1")
    assert item.reply_state == "rejected" and item.policy_reason == "CONTACT_INFORMATION"
    with world.store.read() as s:
        reasons = list(s.scalars(select(Notification.reason).where(Notification.post_id == pid)))
    assert reasons == ["reply-rejected"]
    shown = world.connectors.connections.attention(world.manager, world.practice)
    assert shown["pending"] == [] and shown["rejected"][0]["policy_reason"] == "CONTACT_INFORMATION"


def test_a_single_server_error_is_retried_within_the_sync(world, google):
    google.add_review("r1", "Nice")
    google.fail("GET", "/reviews", 503, headers={"Retry-After": "1"})
    waits = []
    world.connectors.syncer.sleep = waits.append
    report = sync(world).to_dict()
    assert report["errors"] == 0 and report["new"] == 1 and waits == [1.0]


def test_a_small_location_is_read_whole_each_time_so_deletions_show_at_once(world, google):
    google.add_review("keep", "Fine", stars=5)
    google.add_review("gone", "Also fine", stars=5)
    assert sync(world).to_dict()["new"] == 2
    del google.reviews["gone"]
    google.edit_review("keep", "Fine, but I waited", stars=2)
    report = sync(world).to_dict()
    assert report["removed"] == 1 and report["updated"] == 1 and report["fetched"] == 1
    assert world.post("gone").state == "dismissed" and world.post("keep").kind == "complaint"


def test_an_api_that_ignores_the_order_is_read_to_the_end(world, google):
    for n in range(120):
        google.add_review(f"r{n}", f"Review {n}")
    world.connectors.syncer.small_connection = 0
    sync(world)
    google.add_review("late", "The newest one")
    google.honour_order = False  # a proxy or double that lists oldest first
    assert sync(world).to_dict()["new"] == 1


@pytest.mark.postgres
def test_sync_and_exactly_once_publishing_on_postgresql(google, tmp_path):
    from safereply.store.testing import POSTGRES_ENV, postgres_url, temporary_postgres

    url = postgres_url()
    if not url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    with temporary_postgres(url, prefix="safereply_connectors") as store:
        world = make_world(google, tmp_path, store=store)
        world.connectors.syncer.sleep = lambda seconds: None
        for n in range(60):
            google.add_review(f"r{n}", f"Lovely visit {n}", stars=5)
        google.add_review("risky", "Nice", reply="Thanks, we enjoyed your visit.")
        assert sync(world).to_dict()["new"] == 61
        assert world.item("risky").remote_reply_verdict == "block"
        del google.reviews["r1"]
        google.edit_review("r2", "I waited an hour", stars=1)
        report = sync(world).to_dict()
        assert report["removed"] == 1 and report["updated"] == 1
        pid = world.approve_acknowledgement("r3")
        google.fail("PUT", "/reply", 503)
        assert world.connectors.publisher.publish(pid).status == "retry"
        world.clock.advance(minutes=5)
        assert world.connectors.publisher.publish(pid).status == "published"
        assert len(google.puts) == 1 and world.post("r3").state == "published"


def test_keys_rotate_reseals_the_connection_tokens(world, google):
    from safereply.connectors.connections import ConnectionService
    from safereply.services.sealing import SealError, generate_key, reseal_all, seal

    old, new = generate_key(), generate_key()
    first = world.settings.model_copy(update={"encryption_keys": old, "secret_key": "a" * 40})
    service = ConnectionService(world.store, first, world.connectors.connections.registry)
    with world.store.write() as s:
        row = s.get(Connection, world.connection)
        creds = world.connectors.connections.open(row).credentials
        row.tokens = seal(creds.to_json(), first)  # sealed with the old key only
    both = first.model_copy(update={"encryption_keys": f"{new},{old}"})
    with world.store.write() as s:
        assert reseal_all(s, both)["connections.tokens"] == 1
    only_new = first.model_copy(update={"encryption_keys": new, "secret_key": "b" * 40})
    with world.store.read() as s:
        row = s.get(Connection, world.connection)
        reopened = ConnectionService(world.store, only_new, service.registry).open(row)
        assert reopened.credentials.refresh_token == "refresh-1"
        with pytest.raises(SealError):
            ConnectionService(
                world.store,
                first.model_copy(
                    update={"encryption_keys": generate_key(), "secret_key": "c" * 40}
                ),
                service.registry,
            ).open(row)


def test_two_syncs_at_once_import_each_review_once(world, google):
    import threading

    for n in range(120):
        google.add_review(f"r{n}", f"Review {n}")
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(sync(world))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.errors for r in reports] == [0, 0], [r.error for r in reports]
    assert sum(r.new for r in reports) == 120
    with world.store.read() as s:
        assert s.scalar(text("select count(*) from posts")) == 120
        assert s.scalar(text("select count(*) from connection_items")) == 120


def test_tokens_about_to_expire_are_refreshed_ahead_and_a_refusal_flags_at_once(world, google):
    google.add_review("r1", "Nice")
    sync(world)  # the connection now holds an access token for an hour
    with world.store.read() as s:
        expires = s.get(Connection, world.connection).token_expires_at
    world.clock.now = expires - dt.timedelta(minutes=30)
    assert world.connectors.connections.refresh_expiring() == 0  # not due yet
    world.clock.now = expires - dt.timedelta(minutes=5)
    before = google.requests.count(("POST", "/token"))
    assert world.connectors.connections.refresh_expiring() == 1
    assert google.requests.count(("POST", "/token")) == before + 1
    with world.store.read() as s:
        assert s.get(Connection, world.connection).token_expires_at > expires
        expires = s.get(Connection, world.connection).token_expires_at
    google.refresh_tokens.clear()  # revoked
    world.clock.now = expires - dt.timedelta(minutes=5)
    assert world.connectors.connections.refresh_expiring() == 0
    info = world.connectors.connections.get(SYSTEM, world.connection)
    assert info.needs_reauth and "invalid_grant" in info.last_error


def test_a_first_sync_of_old_unanswered_reviews_makes_them_backlog_not_overdue(world, google):
    # A profile connected for the first time brings its old reviews: those written more than
    # 30 days ago and never answered are due in 14 days, the recent one within the reply time.
    from safereply.services.arrival import BACKLOG_DUE

    google.add_review("old", "Waited an hour and nobody said sorry", stars=2)
    google.add_review("recent", "Waited an hour today", stars=2)
    written = google.clock - dt.timedelta(days=200)
    google.reviews["old"]["createTime"] = google.reviews["old"]["updateTime"] = written.strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    sync(world)
    old, recent = world.post("old"), world.post("recent")
    assert old.state == recent.state == "new"
    assert old.due_at - old.received_at == BACKLOG_DUE
    assert recent.due_at - recent.received_at < dt.timedelta(days=2)
