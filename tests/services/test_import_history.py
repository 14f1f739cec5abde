"""Importing a history export with the owner's replies (a new practice's first day): a row with a
reply arrives answered (``marked_replied``, closed, its reply recorded at the reply's date), never
queued, due or escalated; the insights count it answered in its month and leave its reply out of
the team's time to reply; re-importing adds nothing; an unreadable reply date rejects its row
alone. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select

from safereply.services.audit_words import describe
from safereply.services.importer import import_posts, parse_posts
from safereply.services.insights import InsightsService, MonthRange, forget_counted_months
from safereply.store.models import AuditEvent, Draft, Notification, Post, PublishedReply

UTC = dt.UTC
#: The import day: the clock of the service tests' world (a Monday morning).
IMPORTED = dt.datetime(2026, 11, 2, 9, tzinfo=UTC)

HISTORY = """Review ID,Star Rating,Review Text,Date,Reply,Reply Date
h1,5,Lovely team,2026-03-10T10:00:00Z,Thank you so much!,2026-03-11T09:00:00Z
h2,1,We waited an hour,2026-03-12T10:00:00Z,We are sorry; please call us at (555) 201-3300.,
h3,2,Waited forever at the desk,2026-04-02T10:00:00Z,,
h4,1,I have chest pain since the visit,2026-04-03T10:00:00Z,Please call 911 now.,04/03/2026
h5,5,Great cleaning,2026-04-05T10:00:00Z,Thanks!,someday
h6,4,Nice staff,2026-04-06T10:00:00Z,Thank you!,2026-12-30T10:00:00Z
"""


@pytest.fixture(autouse=True)
def _fresh_months(request):
    # The PostgreSQL store is shared by the tests and emptied between them: forget its months.
    if "world" in request.fixturenames:
        forget_counted_months(request.getfixturevalue("world").services.store)


def _import(world, data, **kw):
    world.clock.now = IMPORTED
    kw.setdefault("name", "history.csv")
    kw.setdefault("platform", "google")
    return import_posts(world.services.inbox, world.manager, world.practice, data, **kw)


def _utc(when: dt.datetime) -> dt.datetime:
    """A stored time in UTC (SQLite gives it back naive, PostgreSQL aware)."""
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def _posts(world) -> dict[str, Any]:
    """The practice's posts by external id (plain rows, read after the session ends)."""
    cols = (Post.external_id, Post.id, Post.state, Post.kind, Post.closed_at)
    with world.services.store.read() as session:
        rows = session.execute(select(*cols).where(Post.practice_id == world.practice)).all()
    return {row.external_id: row for row in rows}


def _replies(world) -> dict[str, Any]:
    """The recorded replies by their post's external id (plain rows)."""
    cols = (
        PublishedReply.text,
        PublishedReply.method,
        PublishedReply.published_by,
        PublishedReply.published_at,
        PublishedReply.draft_id,
    )
    with world.services.store.read() as session:
        rows = session.execute(
            select(Post.external_id, *cols).join(Post, Post.id == PublishedReply.post_id)
        ).all()
    return {row.external_id: row for row in rows}


def test_rows_with_a_reply_arrive_answered_and_the_rest_open(world):
    report = _import(world, HISTORY)
    assert (report.created, report.answered, report.escalated) == (4, 3, 0)
    [unreadable, future] = report.rejected
    assert unreadable.line == 6
    assert unreadable.reason.startswith("the reply's date 'someday' is not a date")
    assert (future.line, future.reason) == (
        7,
        "the reply's date 2026-12-30T10:00:00+00:00 is later than now; "
        "an import brings replies already given",
    )
    assert report.to_dict()["open"] == 1
    posts = _posts(world)
    assert {ext: p.state for ext, p in posts.items()} == {
        "h1": "marked_replied",
        "h2": "marked_replied",
        "h3": "new",
        "h4": "marked_replied",
    }
    # Answered is closed on arrival; the emergency was answered on the platform: not escalated.
    assert posts["h1"].closed_at is not None and posts["h3"].closed_at is None
    assert posts["h4"].kind == "emergency"
    replies = _replies(world)
    assert replies["h1"].text == "Thank you so much!" and replies["h1"].method == "import"
    assert replies["h1"].published_by is None
    # The reply's own date; without one, the review's; a date alone on the practice's clock.
    assert _utc(replies["h1"].published_at) == dt.datetime(2026, 3, 11, 9, tzinfo=UTC)
    assert _utc(replies["h2"].published_at) == dt.datetime(2026, 3, 12, 10, tzinfo=UTC)
    assert _utc(replies["h4"].published_at) == dt.datetime(2026, 4, 3, tzinfo=UTC)
    with world.services.store.read() as session:
        draft = session.get(Draft, replies["h1"].draft_id)
        assert (draft.source, draft.text, draft.verdict) == ("manual", "Thank you so much!", "warn")
        assert draft.report["unchecked"] and draft.report["imported"]


def test_answered_posts_are_never_queued_overdue_or_notified(world):
    world.services.practices.update_settings(
        world.admin, world.practice, {"notify_emails": ["frontdesk@maple.test"]}
    )
    _import(world, HISTORY)
    inbox = world.services.inbox
    waiting = inbox.list_posts(world.staff, world.practice, state="open")["items"]
    assert [p["external_id"] for p in waiting] == ["h3"]
    # h3 was written seven months before the import: backlog, due 14 days after it.
    world.clock.now = IMPORTED + dt.timedelta(days=15)
    inbox.sweep()
    assert [p["external_id"] for p in inbox.overdue(world.manager, world.practice)] == ["h3"]
    with world.services.store.read() as session:
        notified = session.scalars(select(Notification.post_id)).all()
    # Only the open post's overdue notice: the emergency answered months ago is not escalated.
    assert set(notified) == {_posts(world)["h3"].id}


def test_the_audit_log_says_the_post_arrived_answered_by_import(world):
    _import(world, HISTORY)
    posts = _posts(world)
    with world.services.store.read() as session:
        events = session.execute(
            select(AuditEvent.object_id, AuditEvent.to_state, AuditEvent.detail).where(
                AuditEvent.action == "post.receive"
            )
        ).all()
    by_post = {e.object_id: e for e in events}
    answered = by_post[str(posts["h1"].id)]
    assert answered.to_state == "marked_replied"
    assert answered.detail["answered_by"] == "import"
    assert "answered_by" not in by_post[str(posts["h3"].id)].detail
    assert "Thank you" not in json.dumps(answered.detail)  # never reply text in the audit log
    entry = {"actor": "system", "action": "post.receive", "object_type": "post"}
    entry |= {"object_id": answered.object_id, "detail": answered.detail}
    assert describe(entry, people={}, posts={}) == (
        f"system took in post #{answered.object_id}, already answered on its platform "
        "(imported with its reply)."
    )


def test_insights_count_imported_replies_answered_in_their_month_and_not_in_the_median(world):
    _import(world, HISTORY)
    figures = InsightsService.of(world.services).practice(
        world.staff, world.practice, MonthRange(dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    )
    march, april = figures.by_month
    assert (march.posts, march.needed_answer, march.answered, march.response_rate) == (2, 2, 2, 1.0)
    assert (april.posts, april.answered, april.response_rate) == (2, 1, 0.5)
    # Replies given before the import say nothing of the team's time to reply.
    assert (march.replies, march.median_hours_to_reply) == (0, None)


def test_reimporting_is_idempotent_and_a_reply_added_later_leaves_the_open_post_alone(world):
    first = _import(world, HISTORY)
    again = _import(world, HISTORY)
    assert (again.created, again.duplicates, again.answered) == (0, first.created, 0)
    assert again.open_with_reply == []
    assert len(_replies(world)) == 2 + 1  # h1, h2, h4: nothing recorded twice
    # The owner answered h3 on the platform since: the new export carries the reply.
    later = HISTORY.replace(
        "h3,2,Waited forever at the desk,2026-04-02T10:00:00Z,,",
        "h3,2,Waited forever at the desk,2026-04-02T10:00:00Z,We are sorry.,2026-04-03",
    )
    third = _import(world, later)
    assert (third.created, third.duplicates) == (0, 4)
    assert third.open_with_reply == [4]
    assert third.to_dict()["open_with_reply"] == [4]
    assert _posts(world)["h3"].state == "new" and "h3" not in _replies(world)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (
            json.dumps(
                {
                    "reviews": [
                        {
                            "reviewId": "g1",
                            "starRating": "FIVE",
                            "comment": "Lovely",
                            "createTime": "2026-03-01T10:00:00Z",
                            "reviewReply": {
                                "comment": "Thank you!",
                                "updateTime": "2026-03-02T10:00:00Z",
                            },
                        },
                        {"reviewId": "g2", "starRating": "TWO", "comment": "Slow desk"},
                    ]
                }
            ),
            "google.json",
        ),
        (
            "\n".join(
                json.dumps(row)
                for row in (
                    {
                        "id": "g1",
                        "text": "Lovely",
                        "date": "2026-03-01T10:00:00Z",
                        "owner_response": "Thank you!",
                        "response_date": "2026-03-02T10:00:00Z",
                    },
                    {"id": "g2", "text": "Slow desk", "owner_response": "  "},
                )
            ),
            "reviews.jsonl",
        ),
    ],
)
def test_json_and_jsonl_replies_with_their_dates(world, data, name):
    report = _import(world, data, name=name)
    assert (report.created, report.answered, report.rejected) == (2, 1, [])
    reply = _replies(world)["g1"]
    assert reply.text == "Thank you!"
    assert _utc(reply.published_at) == dt.datetime(2026, 3, 2, 10, tzinfo=UTC)
    assert _posts(world)["g2"].state == "new"


def test_map_reads_the_reply_and_its_date_from_other_columns():
    data = "Text,Owner said,When answered\nLovely,Thanks!,2026-03-02\n"
    [post] = parse_posts(
        data,
        fmt="csv",
        platform="yelp",
        mapping={"reply": "Owner said", "replied_at": "When answered"},
    )
    assert post.reply == "Thanks!"
    assert post.replied_at == dt.datetime(2026, 3, 2, tzinfo=UTC)


def test_a_reply_date_without_a_reply_is_not_read():
    data = "Text,Reply,Reply Date\nLovely,,not a date\n"
    [post] = parse_posts(data, fmt="csv", platform="google")
    assert (post.reply, post.replied_at) == (None, None)


def test_a_reply_too_long_or_with_a_nul_rejects_its_row_alone(world):
    rows = [
        {"id": "a", "text": "Fine", "reply": "x" * 10_001},
        {"id": "b", "text": "Fine", "reply": "Thanks\x00"},
        {"id": "c", "text": "Fine", "reply": "Thanks"},
    ]
    report = _import(world, "\n".join(json.dumps(r) for r in rows), name="r.jsonl")
    assert (report.created, report.answered) == (1, 1)
    assert [r.line for r in report.rejected] == [1, 2]
    assert "10,001 characters" in report.rejected[0].reason
    assert "NUL" in report.rejected[1].reason
