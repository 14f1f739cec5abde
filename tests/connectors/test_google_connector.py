"""The Google Business Profile connector against a local server speaking the documented API."""

from __future__ import annotations

import datetime as dt

import pytest
from google_double import GoogleDouble

from safereply.connectors import (
    Credentials,
    NeedsReauth,
    PermanentRefusal,
    RateLimited,
    Target,
    Transient,
    registry,
)
from safereply.connectors.google import GoogleConnector, parse_location

LOCATION = "accounts/111/locations/222"


def connector(google: GoogleDouble, **creds) -> GoogleConnector:
    values = {"client_id": "cid", "client_secret": "secret", "refresh_token": "refresh-1"}
    values.update(creds)
    target = Target("google", "accounts/111", LOCATION, google.url, f"{google.url}/token")
    found = registry().create(target, Credentials.from_mapping(values))
    assert isinstance(found, GoogleConnector)
    found.clock = lambda: google.clock
    return found


def drain(conn: GoogleConnector, cursor: dict) -> tuple[list, dict, int, bool]:
    items, pages = [], 0
    while True:
        page = conn.fetch(cursor)
        items += page.items
        cursor, pages = page.cursor, pages + 1
        if page.done:
            return items, cursor, pages, page.complete_scan


def test_location_names_are_checked():
    assert parse_location("accounts/1/locations/2") == ("accounts/1", "accounts/1/locations/2")
    with pytest.raises(ValueError, match="accounts/A/locations/B"):
        parse_location("locations/2")


def test_first_sync_reads_every_page_then_only_what_changed(google):
    for n in range(120):
        google.add_review(f"r{n}", f"Review number {n}", stars=1 + n % 5)
    google.add_review("silent", None, stars=4)  # a star-only review has no comment
    conn = connector(google)
    items, cursor, pages, complete = drain(conn, {})
    assert pages == 3 and complete
    assert len({i.external_id for i in items}) == 121
    silent = next(i for i in items if i.external_id == "silent")
    assert silent.text == "" and silent.rating == 4 and silent.author == "Pat Example"
    assert silent.updated_at.tzinfo is not None

    google.edit_review("r5", "Edited: the wait was long", stars=2)
    google.add_review("r200", "A new one")
    items, cursor2, pages, complete = drain(conn, cursor)
    assert sorted(i.external_id for i in items) == ["r200", "r5"]
    assert pages == 1 and not complete
    assert next(i for i in items if i.external_id == "r5").rating == 2
    items, _, _, _ = drain(conn, cursor2)
    assert items == []  # nothing changed: nothing is read twice


def test_a_restart_mid_scan_resumes_from_the_saved_page(google):
    for n in range(75):
        google.add_review(f"r{n}", f"Review {n}")
    conn = connector(google)
    first = conn.fetch({})
    assert not first.done and first.cursor["token"]
    rest = connector(google).fetch(first.cursor)  # a new process with the saved cursor
    assert rest.done and rest.complete_scan
    assert len({i.external_id for i in first.items + rest.items}) == 75


def test_an_expired_page_token_restarts_the_scan_instead_of_failing(google):
    for n in range(60):
        google.add_review(f"r{n}", f"Review {n}")
    page = connector(google).fetch({"token": "!!not-a-token", "full": True})
    assert len(page.items) == 50 and not page.done


def test_an_existing_reply_and_its_moderation_state_are_read(google):
    google.add_review("r1", "Lovely staff", reply="Thank you! Call us at (555) 201-3300.")
    google.reviews["r1"]["reviewReply"]["reviewReplyState"] = "REJECTED"
    google.reviews["r1"]["reviewReply"]["policyViolation"] = {"policyViolationReason": "SPAM"}
    item = connector(google).read_item("r1")
    assert item.reply.text.startswith("Thank you!")
    assert item.reply.state == "rejected" and item.reply.policy_reason == "SPAM"


def test_the_moderation_state_is_also_read_from_the_review_itself(google):
    google.add_review("r1", "Lovely staff", reply="Thank you!")
    google.reviews["r1"]["reviewReplyState"] = "PENDING"
    assert connector(google).read_item("r1").reply.state == "pending"


def test_the_base_url_may_end_in_v4(google):
    google.add_review("r1", "Great")
    conn = connector(google)
    again = GoogleConnector(
        Target("google", "accounts/111", LOCATION, f"{google.url}/v4/", f"{google.url}/token"),
        conn.credentials,
    )
    assert again.read_item("r1").text == "Great"


def test_a_deleted_review_reads_as_none(google):
    conn = connector(google)
    assert conn.read_item("gone") is None
    with pytest.raises(PermanentRefusal, match="deleted"):
        conn.read_replies("gone")


def test_publishing_puts_the_reply_and_it_starts_pending(google):
    google.add_review("r1", "Great")
    conn = connector(google)
    reply = conn.publish_reply("r1", "Thank you for the kind words.")
    assert reply.state == "pending" and reply.text == "Thank you for the kind words."
    assert google.puts == [("r1", "Thank you for the kind words.")]
    assert [r.text for r in conn.read_replies("r1")] == ["Thank you for the kind words."]
    google.set_reply_state("r1", "APPROVED")
    assert conn.read_replies("r1")[0].state == "approved"
    conn.delete_reply("r1")
    assert conn.read_replies("r1") == []


def test_a_reply_over_4096_bytes_is_refused_before_sending(google):
    google.add_review("r1", "Great")
    with pytest.raises(PermanentRefusal, match="4,096"):
        connector(google).publish_reply("r1", "é" * 2049)
    assert google.puts == []


def test_tokens_are_refreshed_before_they_expire_and_after_a_401(google):
    google.add_review("r1", "Great")
    soon = google.clock + dt.timedelta(seconds=30)
    conn = connector(google, access_token="stale", expires_at=soon.isoformat())
    conn.fetch({})
    assert conn.credentials.access_token.startswith("access-")  # refreshed before use
    assert ("POST", "/token") in google.requests
    # Google revokes the token early: a 401, one refresh, the call succeeds.
    google.tokens.clear()
    before = google.requests.count(("POST", "/token"))
    assert conn.read_item("r1") is not None
    assert google.requests.count(("POST", "/token")) == before + 1


def test_invalid_grant_means_the_location_must_be_connected_again(google):
    google.refresh_tokens.clear()  # revoked, or 7 days in Testing
    with pytest.raises(NeedsReauth, match="invalid_grant"):
        connector(google).fetch({})


def test_a_token_that_keeps_failing_needs_reauthorisation(google):
    google.fail("GET", "/reviews", 401, times=2)
    with pytest.raises(NeedsReauth):
        connector(google).fetch({})


@pytest.mark.parametrize(
    ("status", "headers", "error", "wait"),
    [
        (429, {"Retry-After": "17"}, RateLimited, 17.0),
        (429, {}, RateLimited, 60.0),
        (503, {"Retry-After": "5"}, Transient, 5.0),
        (500, {}, Transient, None),
        (403, {}, PermanentRefusal, None),
    ],
)
def test_failures_map_to_what_the_caller_should_do(google, status, headers, error, wait):
    google.fail("GET", "/reviews", status, headers=headers)
    with pytest.raises(error) as caught:
        connector(google).fetch({})
    if wait is not None:
        assert caught.value.retry_after == pytest.approx(wait, abs=1)
    assert "refresh-1" not in str(caught.value) and "secret" not in str(caught.value)


def test_a_missing_scope_needs_reauthorisation(google):
    body = {"error": {"code": 403, "message": "scope", "status": "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}}
    google.fail("GET", "/reviews", 403, body=body)
    with pytest.raises(NeedsReauth):
        connector(google).fetch({})


def test_a_network_failure_is_transient(google):
    conn = connector(google)
    google.stop()
    with pytest.raises(Transient):
        conn.fetch({})


def test_credentials_never_show_their_secrets():
    creds = Credentials.from_mapping({"client_secret": "s3cr3t", "refresh_token": "rt-123"})
    assert "s3cr3t" not in repr(creds) and "rt-123" not in repr(creds)
    with pytest.raises(ValueError, match="expires_at"):
        Credentials.from_mapping({"expires_at": "tomorrow"})
